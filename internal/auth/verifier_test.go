package auth_test

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/auth"
)

func newVerifier(t *testing.T, cfg auth.Config) *auth.Verifier {
	t.Helper()
	if cfg.Audience == "" {
		cfg.Audience = testAudience
	}
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return testNow }
	}
	v, err := auth.NewVerifier(t.Context(), cfg)
	require.NoError(t, err)
	return v
}

func TestVerifyAcceptsAValidToken(t *testing.T) {
	t.Parallel()
	f := newFakeIssuer(t)
	v := newVerifier(t, auth.Config{Issuer: f.issuer})

	cases := []struct {
		name   string
		method jwt.SigningMethod
		key    any
		kid    string
	}{
		{"an rs256 token signed by a published key verifies", jwt.SigningMethodRS256, rsaKey, rsaKid},
		{"an es256 token signed by a published key verifies", jwt.SigningMethodES256, ecKey, ecKid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			token := sign(t, tc.method, tc.key, tc.kid, claimsFor(f.issuer))

			p, claims, err := v.Verify(t.Context(), token)
			require.NoError(t, err)
			assert.Equal(t, auth.Principal{
				Subject: "user-carla", Email: "carla@exemplo.com.br", Name: "Carla Mendes",
				Groups: []string{"staff"},
			}, p)
			assert.True(t, p.IsStaff())
			assert.Equal(t, f.issuer, claims["iss"])
			assert.Equal(t, json.Number("1773520200"), claims["exp"], "numbers keep their exact digits")

			flat := auth.ToAPIGatewayClaims(claims)
			assert.Equal(t, "[staff]", flat["groups"])
			assert.Equal(t, "1773520200", flat["exp"])
			assert.Equal(t, "true", flat["email_verified"])
			assert.Equal(t, testAudience, flat["aud"])
		})
	}
}

func TestVerifyRejects(t *testing.T) {
	t.Parallel()
	f := newFakeIssuer(t)
	v := newVerifier(t, auth.Config{Issuer: f.issuer})
	valid := func() jwt.MapClaims { return claimsFor(f.issuer) }
	with := func(k string, val any) jwt.MapClaims {
		c := valid()
		if val == nil {
			delete(c, k)
		} else {
			c[k] = val
		}
		return c
	}
	rs := func(c jwt.MapClaims) string { return sign(t, jwt.SigningMethodRS256, rsaKey, rsaKid, c) }
	publicDER, err := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
	require.NoError(t, err)

	cases := []struct {
		name   string
		token  string
		reason string
	}{
		{"an empty token is rejected", "", "empty token"},
		{"a token of only spaces is rejected", "   ", "empty token"},
		{"something that is not a jwt is rejected", "not-a-jwt", "malformed token"},
		{"an expired token is rejected", rs(with("exp", testNow.Add(-time.Second).Unix())), "token expired"},
		{"a token without expiry is rejected", rs(with("exp", nil)), "missing required claim"},
		{"a token not valid yet is rejected", rs(with("nbf", testNow.Add(time.Hour).Unix())), "token not yet valid"},
		{"a token for another audience is rejected", rs(with("aud", "someone-else")), "wrong audience"},
		{"a token without audience is rejected", rs(with("aud", nil)), "missing required claim"},
		{"a token from another issuer is rejected", rs(with("iss", "https://accounts.google.com")), "wrong issuer"},
		{"an unsigned alg none token is rejected", sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, rsaKid, valid()), "unsupported signing algorithm"},
		{"an hs256 token keyed with the public key is rejected", sign(t, jwt.SigningMethodHS256, publicDER, rsaKid, valid()), "unsupported signing algorithm"},
		{"an rs512 token is rejected", sign(t, jwt.SigningMethodRS512, rsaKey, rsaKid, valid()), "unsupported signing algorithm"},
		{"a tampered payload is rejected", tamper(t, rs(valid())), "invalid signature"},
		{"a token signed by another key under a published kid is rejected", sign(t, jwt.SigningMethodRS256, otherRSA, rsaKid, valid()), "invalid signature"},
		{"a token whose kid the key set does not know is rejected", sign(t, jwt.SigningMethodRS256, otherRSA, "rsa-unknown", valid()), "unknown key id"},
		{"a token without kid is rejected", sign(t, jwt.SigningMethodRS256, rsaKey, "", valid()), "missing key id"},
		{"an rs256 token naming the ec key is rejected", sign(t, jwt.SigningMethodRS256, rsaKey, ecKid, valid()), "key does not match signing algorithm"},
		{"a token without subject is rejected", rs(with("sub", nil)), "missing subject"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, claims, err := v.Verify(t.Context(), tc.token)
			require.ErrorIs(t, err, auth.ErrUnauthenticated)
			assert.ErrorContains(t, err, tc.reason)
			assert.NotErrorIs(t, err, auth.ErrKeySetUnavailable)
			assert.Equal(t, auth.Principal{}, p)
			assert.Nil(t, claims)
			msg := err.Error()
			assert.Equal(t, strings.ToLower(msg), msg, "messages are lowercase")
			if strings.TrimSpace(tc.token) != "" {
				assert.NotContains(t, msg, tc.token, "the token never leaks into the error")
				for part := range strings.SplitSeq(tc.token, ".") {
					if len(part) > 8 {
						assert.NotContains(t, msg, part)
					}
				}
			}
		})
	}
}

func TestVerifierDiscovery(t *testing.T) {
	t.Parallel()

	t.Run("nothing is fetched before the first verify, even from an issuer not yet listening", func(t *testing.T) {
		t.Parallel()
		f := newUnstartedFakeIssuer(t)
		v := newVerifier(t, auth.Config{Issuer: f.issuer})
		f.srv.Start()
		assert.Zero(t, f.discoveryHits.Load())
		assert.Zero(t, f.jwksHits.Load())

		token := sign(t, jwt.SigningMethodRS256, rsaKey, rsaKid, claimsFor(f.issuer))
		_, _, err := v.Verify(t.Context(), token)
		require.NoError(t, err)
		_, _, err = v.Verify(t.Context(), token)
		require.NoError(t, err)
		assert.Equal(t, int32(1), f.discoveryHits.Load(), "discovery is done once")
		assert.Equal(t, int32(1), f.jwksHits.Load(), "the key set is cached")
	})

	t.Run("a configured jwks url skips discovery", func(t *testing.T) {
		t.Parallel()
		f := newFakeIssuer(t)
		v := newVerifier(t, auth.Config{Issuer: f.issuer, JWKSURL: f.issuer + "/keys"})
		_, _, err := v.Verify(t.Context(), sign(t, jwt.SigningMethodRS256, rsaKey, rsaKid, claimsFor(f.issuer)))
		require.NoError(t, err)
		assert.Zero(t, f.discoveryHits.Load())
		assert.Equal(t, int32(1), f.jwksHits.Load())
	})

	t.Run("a discovery document naming another issuer makes the key set unavailable", func(t *testing.T) {
		t.Parallel()
		f := newFakeIssuer(t)
		f.claimIssuer("https://evil.example")
		v := newVerifier(t, auth.Config{Issuer: f.issuer})
		_, _, err := v.Verify(t.Context(), sign(t, jwt.SigningMethodRS256, rsaKey, rsaKid, claimsFor(f.issuer)))
		require.ErrorIs(t, err, auth.ErrUnauthenticated)
		require.ErrorIs(t, err, auth.ErrKeySetUnavailable)
		assert.ErrorContains(t, err, "does not match")
		assert.Zero(t, f.jwksHits.Load())
	})

	t.Run("a failing jwks endpoint makes the key set unavailable and is retried later", func(t *testing.T) {
		t.Parallel()
		f := newFakeIssuer(t)
		f.failJWKS.Store(true)
		v := newVerifier(t, auth.Config{Issuer: f.issuer})
		token := sign(t, jwt.SigningMethodRS256, rsaKey, rsaKid, claimsFor(f.issuer))

		_, _, err := v.Verify(t.Context(), token)
		require.ErrorIs(t, err, auth.ErrUnauthenticated)
		require.ErrorIs(t, err, auth.ErrKeySetUnavailable)
		assert.ErrorContains(t, err, "status 500")

		f.failJWKS.Store(false)
		_, _, err = v.Verify(t.Context(), token)
		require.NoError(t, err)
	})

	t.Run("an issuer that is not listening makes the key set unavailable", func(t *testing.T) {
		t.Parallel()
		f := newUnstartedFakeIssuer(t)
		v := newVerifier(t, auth.Config{Issuer: f.issuer, HTTPClient: &http.Client{Timeout: 2 * time.Second}})
		f.srv.Listener.Close()
		_, _, err := v.Verify(t.Context(), sign(t, jwt.SigningMethodRS256, rsaKey, rsaKid, claimsFor(f.issuer)))
		require.ErrorIs(t, err, auth.ErrKeySetUnavailable)
		require.ErrorIs(t, err, auth.ErrUnauthenticated)
	})
}

func TestVerifierKeyRotation(t *testing.T) {
	t.Parallel()

	t.Run("a key published after the first fetch is picked up on an unknown kid", func(t *testing.T) {
		t.Parallel()
		f := newFakeIssuer(t)
		v := newVerifier(t, auth.Config{Issuer: f.issuer})
		auth.SetMinRefreshForTest(v, 0)
		_, _, err := v.Verify(t.Context(), sign(t, jwt.SigningMethodRS256, rsaKey, rsaKid, claimsFor(f.issuer)))
		require.NoError(t, err)

		f.publish(rsaJWK("rsa-2", &otherRSA.PublicKey))
		_, _, err = v.Verify(t.Context(), sign(t, jwt.SigningMethodRS256, otherRSA, "rsa-2", claimsFor(f.issuer)))
		require.NoError(t, err)
		assert.Equal(t, int32(2), f.jwksHits.Load())
	})

	t.Run("unknown kids do not refetch more than once a minute", func(t *testing.T) {
		t.Parallel()
		f := newFakeIssuer(t)
		v := newVerifier(t, auth.Config{Issuer: f.issuer})
		_, _, err := v.Verify(t.Context(), sign(t, jwt.SigningMethodRS256, rsaKey, rsaKid, claimsFor(f.issuer)))
		require.NoError(t, err)

		for range 5 {
			_, _, err = v.Verify(t.Context(), sign(t, jwt.SigningMethodRS256, otherRSA, "made-up", claimsFor(f.issuer)))
			require.ErrorIs(t, err, auth.ErrUnauthenticated)
			assert.ErrorContains(t, err, "unknown key id")
		}
		assert.Equal(t, int32(1), f.jwksHits.Load())
	})
}

func TestVerifyConcurrently(t *testing.T) {
	t.Parallel()
	f := newFakeIssuer(t)
	v := newVerifier(t, auth.Config{Issuer: f.issuer})
	token := sign(t, jwt.SigningMethodES256, ecKey, ecKid, claimsFor(f.issuer))

	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for range 50 {
		wg.Go(func() {
			_, _, err := v.Verify(context.Background(), token)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, int32(1), f.discoveryHits.Load(), "concurrent first calls share one discovery")
	assert.Equal(t, int32(1), f.jwksHits.Load(), "concurrent first calls share one fetch")
}

func TestNewVerifierValidatesConfig(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		cfg  auth.Config
		want string
	}{
		{"a missing issuer is refused", auth.Config{Audience: "a"}, "issuer"},
		{"a relative issuer is refused", auth.Config{Issuer: "accounts.google.com", Audience: "a"}, "issuer"},
		{"a missing audience is refused", auth.Config{Issuer: "https://accounts.google.com"}, "audience"},
		{"a relative jwks url is refused", auth.Config{Issuer: "https://accounts.google.com", Audience: "a", JWKSURL: "/certs"}, "jwks url"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := auth.NewVerifier(t.Context(), tc.cfg)
			require.Error(t, err)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}
