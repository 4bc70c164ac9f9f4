package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/spaconfig"
)

func serve(t *testing.T, h http.Handler) (string, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/config.json", nil))
	body, err := io.ReadAll(rec.Result().Body)
	require.NoError(t, err)
	return rec.Header().Get("Content-Type"), string(body)
}

func TestSPAConfig(t *testing.T) {
	const dev = "http://localhost:8080/auth"

	t.Run("the development issuer by the ID-token flow names only its authorization endpoint", func(t *testing.T) {
		h, err := spaConfig(dev, "bilhetagem-local", dev, "id_token", nil)
		require.NoError(t, err)
		typ, body := serve(t, h)
		assert.Equal(t, "application/json", typ)
		assert.JSONEq(t, `{"auth":{"issuer":"http://localhost:8080/auth","clientId":"bilhetagem-local","flow":"id_token",
			"authorizationEndpoint":"/auth/authorize"}}`, body)
	})

	t.Run("the development issuer by the code flow names both endpoints", func(t *testing.T) {
		h, err := spaConfig(dev, "bilhetagem-local", dev, "code", nil)
		require.NoError(t, err)
		_, body := serve(t, h)
		assert.JSONEq(t, `{"auth":{"issuer":"http://localhost:8080/auth","clientId":"bilhetagem-local","flow":"code",
			"authorizationEndpoint":"/auth/authorize","tokenEndpoint":"/auth/token"}}`, body)
	})

	t.Run("another issuer is left to its discovery document", func(t *testing.T) {
		h, err := spaConfig("https://accounts.google.com", "id.apps.googleusercontent.com", dev, "id_token", nil)
		require.NoError(t, err)
		_, body := serve(t, h)
		assert.JSONEq(t, `{"auth":{"issuer":"https://accounts.google.com","clientId":"id.apps.googleusercontent.com","flow":"id_token"}}`, body)
	})

	t.Run("the payment provider is named, with Stripe's publishable key", func(t *testing.T) {
		h, err := spaConfig(dev, "bilhetagem-local", dev, "id_token", &spaconfig.Payments{Provider: "stripe", PublishableKey: "pk_test_abc"})
		require.NoError(t, err)
		_, body := serve(t, h)
		assert.JSONEq(t, `{"auth":{"issuer":"http://localhost:8080/auth","clientId":"bilhetagem-local","flow":"id_token",
			"authorizationEndpoint":"/auth/authorize"},"payments":{"provider":"stripe","publishableKey":"pk_test_abc"}}`, body)
		_, err = spaConfig(dev, "bilhetagem-local", dev, "id_token", &spaconfig.Payments{Provider: "stripe"})
		assert.ErrorContains(t, err, "STRIPE_PUBLISHABLE_KEY", "Stripe without its key stops the server at start, naming what to set")
	})

	t.Run("an unknown flow stops the server at start", func(t *testing.T) {
		_, err := spaConfig(dev, "bilhetagem-local", dev, "token", nil)
		assert.ErrorContains(t, err, "flow")
	})
}
