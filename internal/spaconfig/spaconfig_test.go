package spaconfig_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/spaconfig"
)

func TestJSONIsWhatTheSPAReads(t *testing.T) {
	b, err := spaconfig.Config{Auth: spaconfig.Auth{
		Issuer: "https://accounts.google.com", ClientID: "id.apps.googleusercontent.com", Flow: spaconfig.FlowIDToken,
	}}.JSON()
	require.NoError(t, err)
	assert.JSONEq(t, `{"auth":{"issuer":"https://accounts.google.com","clientId":"id.apps.googleusercontent.com","flow":"id_token"}}`, string(b))

	b, err = spaconfig.Config{Auth: spaconfig.Auth{
		Issuer: "http://localhost:8080/auth", ClientID: "bilhetagem-local", Flow: spaconfig.FlowCode,
		AuthorizationEndpoint: "/auth/authorize", TokenEndpoint: "/auth/token",
	}}.JSON()
	require.NoError(t, err)
	assert.JSONEq(t, `{"auth":{"issuer":"http://localhost:8080/auth","clientId":"bilhetagem-local","flow":"code",
		"authorizationEndpoint":"/auth/authorize","tokenEndpoint":"/auth/token"}}`, string(b))
}

func TestValidateRefuses(t *testing.T) {
	good := spaconfig.Auth{Issuer: "https://accounts.google.com", ClientID: "id", Flow: spaconfig.FlowIDToken}
	cases := map[string]func(a *spaconfig.Auth){
		"a relative issuer":             func(a *spaconfig.Auth) { a.Issuer = "/auth" },
		"an issuer of another scheme":   func(a *spaconfig.Auth) { a.Issuer = "javascript:alert(1)" },
		"no client id":                  func(a *spaconfig.Auth) { a.ClientID = "" },
		"no flow":                       func(a *spaconfig.Auth) { a.Flow = "" },
		"the access-token flow":         func(a *spaconfig.Auth) { a.Flow = "token" },
		"a code flow with one endpoint": func(a *spaconfig.Auth) { a.Flow = spaconfig.FlowCode; a.TokenEndpoint = "/auth/token" },
	}
	for name, alter := range cases {
		t.Run(name, func(t *testing.T) {
			a := good
			alter(&a)
			_, err := spaconfig.Config{Auth: a}.JSON()
			assert.Error(t, err)
		})
	}
	assert.NoError(t, spaconfig.Config{Auth: good}.Validate())
}

func TestPayments(t *testing.T) {
	auth := spaconfig.Auth{Issuer: "https://accounts.google.com", ClientID: "id", Flow: spaconfig.FlowIDToken}
	b, err := spaconfig.Config{Auth: auth, Payments: &spaconfig.Payments{Provider: spaconfig.ProviderStripe, PublishableKey: "pk_live_abc"}}.JSON()
	require.NoError(t, err)
	assert.JSONEq(t, `{"auth":{"issuer":"https://accounts.google.com","clientId":"id","flow":"id_token"},
		"payments":{"provider":"stripe","publishableKey":"pk_live_abc"}}`, string(b))
	for name, p := range map[string]spaconfig.Payments{
		"Stripe without its key":         {Provider: spaconfig.ProviderStripe},
		"Stripe with a secret key":       {Provider: spaconfig.ProviderStripe, PublishableKey: "sk_live_abc"},
		"the simulator with a key":       {Provider: spaconfig.ProviderSimulator, PublishableKey: "pk_live_abc"},
		"a provider the SPA cannot take": {Provider: "pagseguro"},
		"a Pix payment path with Stripe": {Provider: spaconfig.ProviderStripe, PublishableKey: "pk_live_abc", SimulatorPixPay: "/dev/psp/pix/{paymentId}/pay"},
		"a Pix payment path elsewhere":   {Provider: spaconfig.ProviderSimulator, SimulatorPixPay: "https://x.example/{paymentId}"},
	} {
		t.Run("refuses "+name, func(t *testing.T) {
			_, err := spaconfig.Config{Auth: auth, Payments: &p}.JSON()
			assert.Error(t, err)
		})
	}
	assert.NoError(t, spaconfig.Config{Auth: auth, Payments: &spaconfig.Payments{Provider: spaconfig.ProviderSimulator}}.Validate())
	assert.NoError(t, spaconfig.Config{Auth: auth, Payments: &spaconfig.Payments{Provider: spaconfig.ProviderSimulator,
		SimulatorPixPay: "/dev/psp/pix/{paymentId}/pay"}}.Validate())
}
