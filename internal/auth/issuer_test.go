package auth_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"
)

// Test-only token forging: a fake issuer on loopback serving discovery and a
// real JWKS, plus helpers to sign whatever header and claims a case needs.

const (
	testAudience = "bilhetagem-test"
	rsaKid       = "rsa-1"
	ecKid        = "ec-1"
)

// testNow is the clock every verifier in these tests runs on.
var testNow = time.Date(2026, 3, 14, 19, 30, 0, 0, time.UTC)

// Keys are generated once: RSA generation is slow and the keys are immutable.
var (
	rsaKey   = mustRSA()
	otherRSA = mustRSA()
	ecKey    = mustEC()
)

func mustRSA() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}

func mustEC() *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	return k
}

type fakeIssuer struct {
	srv           *httptest.Server
	issuer        string
	discoveryHits atomic.Int32
	jwksHits      atomic.Int32
	failJWKS      atomic.Bool

	mu   sync.Mutex
	keys []map[string]any
	// discoveredIssuer overrides the issuer the discovery document claims.
	discoveredIssuer string
}

// newFakeIssuer starts a loopback issuer publishing the RSA and EC test keys.
func newFakeIssuer(t *testing.T) *fakeIssuer {
	t.Helper()
	f := newUnstartedFakeIssuer(t)
	f.srv.Start()
	return f
}

// newUnstartedFakeIssuer binds the port but does not serve yet, to show the
// verifier needs nothing from its issuer until the first Verify.
func newUnstartedFakeIssuer(t *testing.T) *fakeIssuer {
	t.Helper()
	f := &fakeIssuer{keys: []map[string]any{rsaJWK(rsaKid, &rsaKey.PublicKey), ecJWK(ecKid, &ecKey.PublicKey)}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		f.discoveryHits.Add(1)
		f.mu.Lock()
		iss := f.issuer
		if f.discoveredIssuer != "" {
			iss = f.discoveredIssuer
		}
		f.mu.Unlock()
		writeJSON(w, map[string]any{"issuer": iss, "jwks_uri": f.issuer + "/keys"})
	})
	mux.HandleFunc("GET /keys", func(w http.ResponseWriter, _ *http.Request) {
		f.jwksHits.Add(1)
		if f.failJWKS.Load() {
			http.Error(w, "down", http.StatusInternalServerError)
			return
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		writeJSON(w, map[string]any{"keys": f.keys})
	})
	f.srv = httptest.NewUnstartedServer(mux)
	f.issuer = "http://" + f.srv.Listener.Addr().String()
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeIssuer) claimIssuer(iss string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.discoveredIssuer = iss
}

func (f *fakeIssuer) publish(k map[string]any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.keys = append(f.keys, k)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func rsaJWK(kid string, pub *rsa.PublicKey) map[string]any {
	return map[string]any{
		"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256",
		"n": b64(pub.N.Bytes()), "e": b64(big.NewInt(int64(pub.E)).Bytes()),
	}
}

func ecJWK(kid string, pub *ecdsa.PublicKey) map[string]any {
	point, err := pub.Bytes()
	if err != nil {
		panic(err)
	}
	return map[string]any{
		"kty": "EC", "kid": kid, "use": "sig", "alg": "ES256", "crv": "P-256",
		"x": b64(point[1:33]), "y": b64(point[33:]),
	}
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// claimsFor are valid claims from iss for the test audience, at testNow.
func claimsFor(iss string) jwt.MapClaims {
	return jwt.MapClaims{
		"iss":            iss,
		"aud":            testAudience,
		"sub":            "user-carla",
		"email":          "carla@exemplo.com.br",
		"email_verified": true,
		"name":           "Carla Mendes",
		"groups":         []string{"staff"},
		"iat":            testNow.Add(-time.Minute).Unix(),
		"exp":            testNow.Add(time.Hour).Unix(),
	}
}

// sign signs claims with method and key, setting kid when not empty.
func sign(t *testing.T, method jwt.SigningMethod, key any, kid string, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	require.NoError(t, err)
	return s
}

// tamper swaps the payload for one claiming another subject, keeping the
// original header and signature.
func tamper(t *testing.T, token string) string {
	t.Helper()
	parts := strings.Split(token, ".")
	require.Len(t, parts, 3)
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	var claims map[string]any
	require.NoError(t, json.Unmarshal(payload, &claims))
	claims["sub"] = "user-mallory"
	claims["groups"] = []string{"staff"}
	forged, err := json.Marshal(claims)
	require.NoError(t, err)
	parts[1] = b64(forged)
	return strings.Join(parts, ".")
}
