// Package spaconfig is the shape of the SPA's runtime config, /config.json:
// which OIDC issuer the SPA signs in with, as which client, by which flow,
// and which payment provider takes the card. The local server serves it and
// CloudFront answers it from the stack's settings, so both write the same
// document (frontend/src/app/runtime-config.ts reads it; docs/adr/0310).
package spaconfig

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// Sign-in flows the SPA knows.
const (
	// FlowIDToken is the OIDC ID-token flow (response_type=id_token,
	// response_mode=fragment, nonce): no token endpoint and no client
	// secret, the flow Google offers browser apps. The default.
	FlowIDToken = "id_token"
	// FlowCode is the authorization code flow with PKCE, for issuers that
	// let a public client redeem a code without a secret.
	FlowCode = "code"
)

// Config is the whole document.
type Config struct {
	Auth Auth `json:"auth"`
	// Payments says how the SPA takes a card; absent, the simulator's
	// test cards.
	Payments *Payments `json:"payments,omitempty"`
}

// The payment providers the SPA knows.
const (
	ProviderSimulator = "simulator"
	ProviderStripe    = "stripe"
)

// Payments is the environment's payment provider, as the SPA needs it:
// with Stripe, the publishable key its Payment Element loads with (public by
// design: it can only tokenize a card for this account).
type Payments struct {
	Provider       string `json:"provider"`
	PublishableKey string `json:"publishableKey,omitempty"`
	// SimulatorPixPay is where a local run's simulator pays a pending Pix
	// ("/dev/psp/pix/{paymentId}/pay"), for the "Pagar com o simulador"
	// button; only the local server sets it, never a deployed stack.
	SimulatorPixPay string `json:"simulatorPixPay,omitempty"`
}

// Auth is where the SPA signs in. Nothing in it is secret.
type Auth struct {
	// Issuer is the ID token's iss, e.g. https://accounts.google.com.
	Issuer string `json:"issuer"`
	// ClientID is the OAuth client id, the ID token's audience.
	ClientID string `json:"clientId"`
	// Flow is FlowIDToken or FlowCode.
	Flow string `json:"flow"`
	// The endpoints are read from the issuer's discovery document when empty.
	AuthorizationEndpoint string `json:"authorizationEndpoint,omitempty"`
	TokenEndpoint         string `json:"tokenEndpoint,omitempty"`
}

// Validate refuses a config the SPA could not sign in or pay with.
func (c Config) Validate() error {
	if p := c.Payments; p != nil {
		switch {
		case p.Provider == ProviderStripe && !strings.HasPrefix(p.PublishableKey, "pk_"):
			return fmt.Errorf("spa config: Stripe needs its publishable key (pk_…), got %q", p.PublishableKey)
		case p.Provider == ProviderSimulator && p.PublishableKey != "":
			return fmt.Errorf("spa config: the simulator takes no publishable key")
		case p.SimulatorPixPay != "" && (p.Provider != ProviderSimulator || !strings.HasPrefix(p.SimulatorPixPay, "/") ||
			!strings.Contains(p.SimulatorPixPay, "{paymentId}")):
			return fmt.Errorf("spa config: the simulator's Pix payment path %q must be a local path with {paymentId}, for the simulator only", p.SimulatorPixPay)
		case p.Provider != ProviderStripe && p.Provider != ProviderSimulator:
			return fmt.Errorf("spa config: payments provider must be %q or %q, got %q", ProviderStripe, ProviderSimulator, p.Provider)
		}
	}
	a := c.Auth
	if u, err := url.Parse(a.Issuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("spa config: issuer %q is not an absolute http(s) url", a.Issuer)
	}
	if a.ClientID == "" {
		return fmt.Errorf("spa config: client id is required")
	}
	switch a.Flow {
	case FlowIDToken:
	case FlowCode:
		if (a.AuthorizationEndpoint == "") != (a.TokenEndpoint == "") {
			return fmt.Errorf("spa config: name both endpoints of the code flow, or neither")
		}
	default:
		return fmt.Errorf("spa config: flow must be %q or %q, got %q", FlowIDToken, FlowCode, a.Flow)
	}
	return nil
}

// JSON is the document as served, after Validate.
func (c Config) JSON() ([]byte, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return json.Marshal(c)
}
