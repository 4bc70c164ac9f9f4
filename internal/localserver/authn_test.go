package localserver_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/auth"
	"bilhetagem/internal/devoidc"
	"bilhetagem/internal/localserver"
	"bilhetagem/internal/operations"
)

const edgeAudience = "bilhetagem-local"

// edge is the local server with the real verifier in front of recording
// handlers, and the key its development issuer signs with, so a test can
// mint tokens that are right in every way but one.
type edge struct {
	*env
	key    *rsa.PrivateKey
	issuer string
}

func startEdge(t *testing.T) *edge {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	e := &edge{env: &env{rec: &recorder{events: map[string]events.APIGatewayV2HTTPRequest{}}}, key: key}
	mux := http.NewServeMux()
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	e.issuer = e.srv.URL + "/auth"
	e.env.issuer, err = devoidc.New(devoidc.Config{Issuer: e.issuer, Audience: edgeAudience, Key: key})
	require.NoError(t, err)
	verifier, err := auth.NewVerifier(context.Background(), auth.Config{Issuer: e.issuer, Audience: edgeAudience})
	require.NoError(t, err)
	mux.Handle("/", localserver.New(localserver.Config{
		Handlers: e.rec.handlers(), Verifier: verifier, Issuer: e.env.issuer.Handler(), Spec: []byte("openapi: 3.0.3\n"),
	}))
	return e
}

// mint signs a token for ana with an issuer configured by change.
func (e *edge) mint(t *testing.T, change func(*devoidc.Config)) string {
	t.Helper()
	cfg := devoidc.Config{Issuer: e.issuer, Audience: edgeAudience, Key: e.key}
	if change != nil {
		change(&cfg)
	}
	iss, err := devoidc.New(cfg)
	require.NoError(t, err)
	ana, ok := devoidc.FindUser("ana")
	require.True(t, ok)
	tok, err := iss.Mint(ana, 0)
	require.NoError(t, err)
	return tok
}

// segments splits a compact JWS and decodes its header and claims.
func segments(t *testing.T, tok string) (header, claims map[string]any, sig string) {
	t.Helper()
	parts := strings.Split(tok, ".")
	require.Len(t, parts, 3)
	for i, dst := range []*map[string]any{&header, &claims} {
		raw, err := base64.RawURLEncoding.DecodeString(parts[i])
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(raw, dst))
	}
	return header, claims, parts[2]
}

func encodeSegment(t *testing.T, v map[string]any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return base64.RawURLEncoding.EncodeToString(b)
}

// TestBearerTokensAtTheEdge proves, over HTTP through the local server that
// does what the HTTP API's JWT authorizer does, that every bad token of
// issue 7 gets 401 on protected routes and never reaches the handler, while
// the same token done right does.
func TestBearerTokensAtTheEdge(t *testing.T) {
	t.Parallel()
	e := startEdge(t)
	otherKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)

	valid := e.mint(t, nil)
	tampered := func() string {
		h, c, sig := segments(t, valid)
		c["sub"] = "user-bruno"
		return encodeSegment(t, h) + "." + encodeSegment(t, c) + "." + sig
	}()
	badSignature := func() string {
		i := strings.LastIndex(valid, ".") + 1
		sig := []byte(valid[i:])
		sig[len(sig)/2] ^= 0x01 // still base64url: A<->B, a<->b, 0<->1 ...
		return valid[:i] + string(sig)
	}()
	algNone := func() string {
		h, c, _ := segments(t, valid)
		h["alg"] = "none"
		return encodeSegment(t, h) + "." + encodeSegment(t, c) + "."
	}()

	bad := []struct{ name, authorization string }{
		{"no token at all", ""},
		{"a scheme that is not Bearer", "Basic " + base64.StdEncoding.EncodeToString([]byte("ana:senha"))},
		{"an expired token", "Bearer " + e.mint(t, func(c *devoidc.Config) {
			c.Now = func() time.Time { return time.Now().Add(-2 * time.Hour) }
		})},
		{"the wrong audience", "Bearer " + e.mint(t, func(c *devoidc.Config) { c.Audience = "outro-cliente" })},
		{"the wrong issuer", "Bearer " + e.mint(t, func(c *devoidc.Config) { c.Issuer = "https://accounts.google.com" })},
		{"alg none", "Bearer " + algNone},
		{"a tampered payload under the original signature", "Bearer " + tampered},
		{"a tampered signature", "Bearer " + badSignature},
		{"a key the JWKS does not know", "Bearer " + e.mint(t, func(c *devoidc.Config) { c.Key = otherKey })},
	}
	routes := []struct {
		op, method, path string
	}{
		{operations.GetMe, http.MethodGet, "/api/me"},
		{operations.CreateHold, http.MethodPost, "/api/holds"},
		{operations.GetOrder, http.MethodGet, "/api/orders/o-1"},
		{operations.GetScalingPlan, http.MethodGet, "/api/ops/scaling-plan"},
	}
	for _, r := range routes {
		op, ok := operations.ByID(r.op)
		require.True(t, ok)
		require.Contains(t, []operations.Auth{operations.Buyer, operations.Staff}, op.Auth, "%s is protected", r.op)
		for _, b := range bad {
			t.Run(r.op+"/401 for "+b.name, func(t *testing.T) {
				h := http.Header{}
				if b.authorization != "" {
					h.Set("Authorization", b.authorization)
				}
				resp, body := e.do(t, r.method, r.path, `{}`, h)
				assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, body)
				assert.Equal(t, "unauthorized", problemCode(t, resp, body))
				assert.Empty(t, e.rec.last(r.op).RawPath, "the handler never ran")
			})
		}
	}
	t.Run("getMe/200 for the same token done right, whose claims reach the handler", func(t *testing.T) {
		resp, body := e.do(t, http.MethodGet, "/api/me", "", http.Header{"Authorization": {"Bearer " + valid}})
		require.Equal(t, http.StatusOK, resp.StatusCode, body)
		ev := e.rec.last(operations.GetMe)
		require.NotNil(t, ev.RequestContext.Authorizer)
		assert.Equal(t, "user-ana", ev.RequestContext.Authorizer.JWT.Claims["sub"])
	})
}
