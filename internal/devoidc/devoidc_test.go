package devoidc_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/auth"
	"bilhetagem/internal/devoidc"
)

const (
	clientID    = "bilhetagem-local"
	redirectURI = "http://localhost:4200/auth/callback"
)

// testKey is shared so each test does not pay for RSA key generation.
var testKey = func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}()

// clock is a settable clock shared by an issuer and a verifier.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type env struct {
	issuer   *devoidc.Issuer
	url      string // the issuer URL: server + /auth
	clock    *clock
	verifier *auth.Verifier
	client   *http.Client // does not follow redirects
}

// start mounts a dev issuer at /auth of a loopback server, the way the local
// server does, and builds an auth.Verifier for it before it listens.
func start(t *testing.T) *env {
	t.Helper()
	return startWith(t, nil)
}

// startWith is start with the issuer's Config changed by change (nil keeps it).
func startWith(t *testing.T, change func(*devoidc.Config)) *env {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	t.Cleanup(srv.Close)
	e := &env{
		url:   "http://" + srv.Listener.Addr().String() + "/auth",
		clock: &clock{t: time.Date(2026, 3, 14, 19, 30, 0, 0, time.UTC)},
	}
	cfg := devoidc.Config{Issuer: e.url, Audience: clientID, Now: e.clock.Now, Key: testKey}
	if change != nil {
		change(&cfg)
	}
	iss, err := devoidc.New(cfg)
	require.NoError(t, err)
	e.issuer = iss
	e.verifier, err = auth.NewVerifier(t.Context(), auth.Config{Issuer: e.url, Audience: clientID, Now: e.clock.Now})
	require.NoError(t, err)

	mux := http.NewServeMux()
	mux.Handle("/auth/", http.StripPrefix("/auth", iss.Handler()))
	srv.Config.Handler = mux
	srv.Start()
	e.client = &http.Client{
		Timeout:       5 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return e
}

func (e *env) get(t *testing.T, path string, header http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, e.url+path, nil)
	require.NoError(t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	return e.do(t, req)
}

func (e *env) post(t *testing.T, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, e.url+path, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.do(t, req)
}

func (e *env) do(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := e.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

type tokenResponse struct {
	IDToken     string `json:"id_token"`
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
	Error       string `json:"error"`
}

func decodeToken(t *testing.T, body string) tokenResponse {
	t.Helper()
	var tr tokenResponse
	require.NoError(t, json.Unmarshal([]byte(body), &tr), body)
	return tr
}

func TestDiscovery(t *testing.T) {
	t.Parallel()
	e := start(t)

	resp, body := e.get(t, "/.well-known/openid-configuration", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &doc))

	assert.Equal(t, e.url, doc["issuer"])
	assert.Equal(t, e.url+"/jwks.json", doc["jwks_uri"])
	assert.Equal(t, e.url+"/token", doc["token_endpoint"])
	assert.Equal(t, e.url+"/authorize", doc["authorization_endpoint"])
	assert.Equal(t, []any{"RS256"}, doc["id_token_signing_alg_values_supported"])
	assert.Equal(t, []any{"code", "id_token"}, doc["response_types_supported"])
	assert.Equal(t, []any{"query", "fragment"}, doc["response_modes_supported"])
	assert.Equal(t, []any{"S256"}, doc["code_challenge_methods_supported"])

	t.Run("every advertised endpoint is served where discovery says", func(t *testing.T) {
		t.Parallel()
		resp, body := e.get(t, "/jwks.json", nil)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		var jwks struct {
			Keys []map[string]string `json:"keys"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &jwks))
		require.Len(t, jwks.Keys, 1)
		k := jwks.Keys[0]
		assert.Equal(t, "RSA", k["kty"])
		assert.Equal(t, "RS256", k["alg"])
		assert.Equal(t, "sig", k["use"])
		assert.NotEmpty(t, k["kid"])
		assert.Equal(t, base64.RawURLEncoding.EncodeToString(testKey.N.Bytes()), k["n"])
		assert.Equal(t, "AQAB", k["e"])

		token, err := e.issuer.Mint(devoidc.Users[0], 0)
		require.NoError(t, err)
		parsed, _, err := jwt.NewParser().ParseUnverified(token, jwt.MapClaims{})
		require.NoError(t, err)
		assert.Equal(t, k["kid"], parsed.Header["kid"], "tokens name the published key")
		assert.Equal(t, "RS256", parsed.Header["alg"])
	})
}

func TestTokenEndpointTokensVerify(t *testing.T) {
	t.Parallel()
	e := start(t)
	cases := []struct {
		name      string
		form      url.Values
		want      devoidc.User
		wantStaff bool
	}{
		{"ana signs in by short name as a buyer", url.Values{"username": {"ana"}}, devoidc.Users[0], false},
		{"bruno signs in by email as a buyer", url.Values{"username": {"bruno@exemplo.com.br"}}, devoidc.Users[1], false},
		{"carla signs in by subject as staff", url.Values{"username": {"user-carla"}}, devoidc.Users[2], true},
		{"an email in capitals still finds the user", url.Values{"username": {"CARLA@EXEMPLO.COM.BR"}}, devoidc.Users[2], true},
		{"the matching client id is accepted", url.Values{"username": {"ana"}, "client_id": {clientID}}, devoidc.Users[0], false},
		{"an explicit password grant is accepted", url.Values{"username": {"ana"}, "grant_type": {"password"}}, devoidc.Users[0], false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resp, body := e.post(t, "/token", tc.form)
			require.Equal(t, http.StatusOK, resp.StatusCode, body)
			assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
			tr := decodeToken(t, body)
			assert.Equal(t, "Bearer", tr.TokenType)
			assert.Equal(t, 3600, tr.ExpiresIn)
			assert.Equal(t, tr.IDToken, tr.AccessToken)

			p, claims, err := e.verifier.Verify(t.Context(), tr.IDToken)
			require.NoError(t, err)
			assert.Equal(t, tc.want.Subject, p.Subject)
			assert.Equal(t, tc.want.Email, p.Email)
			assert.Equal(t, tc.want.Name, p.Name)
			assert.Equal(t, tc.wantStaff, p.IsStaff())
			assert.Equal(t, e.url, claims["iss"])
			assert.Equal(t, clientID, claims["aud"])
			assert.Equal(t, true, claims["email_verified"])
			assert.Equal(t, json.Number("1773516600"), claims["iat"])
			assert.Equal(t, json.Number("1773520200"), claims["exp"])
			assert.NotContains(t, claims, "nonce")
		})
	}
}

func TestTokenEndpointRejects(t *testing.T) {
	t.Parallel()
	e := start(t)
	cases := []struct {
		name      string
		form      url.Values
		wantError string
	}{
		{"token/400 a name with a space is an invalid grant", url.Values{"username": {"ana souza"}}, "invalid_grant"},
		{"token/400 a missing username is an invalid grant", url.Values{}, "invalid_grant"},
		{"token/400 an unknown email is an invalid grant", url.Values{"username": {"ana@outro.com.br"}}, "invalid_grant"},
		{"token/400 another client id is an invalid client", url.Values{"username": {"ana"}, "client_id": {"other"}}, "invalid_client"},
		{"token/400 a client credentials grant is unsupported", url.Values{"grant_type": {"client_credentials"}}, "unsupported_grant_type"},
		{"token/400 a made-up code is an invalid grant", url.Values{"grant_type": {"authorization_code"}, "code": {"nope"}, "client_id": {clientID}}, "invalid_grant"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resp, body := e.post(t, "/token", tc.form)
			require.Equal(t, http.StatusBadRequest, resp.StatusCode, body)
			assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
			tr := decodeToken(t, body)
			assert.Equal(t, tc.wantError, tr.Error)
			assert.Empty(t, tr.IDToken)
		})
	}

	t.Run("token/405 a get is not allowed", func(t *testing.T) {
		t.Parallel()
		resp, _ := e.get(t, "/token?username=ana", nil)
		assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	})
}

func TestMint(t *testing.T) {
	t.Parallel()
	e := start(t)

	t.Run("a minted token verifies until its ttl runs out", func(t *testing.T) {
		t.Parallel()
		iss, err := devoidc.New(devoidc.Config{Issuer: e.url, Audience: clientID, Key: testKey, Now: func() time.Time {
			return time.Date(2026, 3, 14, 19, 0, 0, 0, time.UTC)
		}})
		require.NoError(t, err)
		token, err := iss.Mint(devoidc.Users[2], 45*time.Minute) // valid until 19:45; the verifier's clock says 19:30
		require.NoError(t, err)
		p, _, err := e.verifier.Verify(t.Context(), token)
		require.NoError(t, err)
		assert.Equal(t, []string{"staff"}, p.Groups)

		token, err = iss.Mint(devoidc.Users[2], 29*time.Minute) // expired at 19:29
		require.NoError(t, err)
		_, _, err = e.verifier.Verify(t.Context(), token)
		require.ErrorIs(t, err, auth.ErrUnauthenticated)
		assert.ErrorContains(t, err, "token expired")
	})

	t.Run("a token from an issuer with another key does not verify", func(t *testing.T) {
		t.Parallel()
		other, err := devoidc.New(devoidc.Config{Issuer: e.url, Audience: clientID, Now: e.clock.Now})
		require.NoError(t, err)
		token, err := other.Mint(devoidc.Users[0], 0)
		require.NoError(t, err)
		_, _, err = e.verifier.Verify(t.Context(), token)
		require.ErrorIs(t, err, auth.ErrUnauthenticated)
		assert.ErrorContains(t, err, "unknown key id")
	})

	t.Run("a token for another client does not verify", func(t *testing.T) {
		t.Parallel()
		other, err := devoidc.New(devoidc.Config{Issuer: e.url, Audience: "other-client", Now: e.clock.Now, Key: testKey})
		require.NoError(t, err)
		token, err := other.Mint(devoidc.Users[0], 0)
		require.NoError(t, err)
		_, _, err = e.verifier.Verify(t.Context(), token)
		require.ErrorIs(t, err, auth.ErrUnauthenticated)
		assert.ErrorContains(t, err, "wrong audience")
	})
}

func TestNewValidatesConfig(t *testing.T) {
	t.Parallel()
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	cases := []struct {
		name string
		cfg  devoidc.Config
		want string
	}{
		{"a missing issuer is refused", devoidc.Config{Audience: clientID}, "issuer"},
		{"a relative issuer is refused", devoidc.Config{Issuer: "/auth", Audience: clientID}, "issuer"},
		{"an issuer with a trailing slash is refused", devoidc.Config{Issuer: "http://localhost:8080/auth/", Audience: clientID}, "slash"},
		{"a missing audience is refused", devoidc.Config{Issuer: "http://localhost:8080/auth"}, "audience"},
		{"a negative ttl is refused", devoidc.Config{Issuer: "http://localhost:8080/auth", Audience: clientID, TokenTTL: -time.Second}, "ttl"},
		{"a key shorter than 2048 bits is refused", devoidc.Config{Issuer: "http://localhost:8080/auth", Audience: clientID, Key: small}, "bits"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := devoidc.New(tc.cfg)
			require.Error(t, err)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

func TestUsers(t *testing.T) {
	t.Parallel()
	var buyers, staff int
	seen := map[string]bool{}
	for _, u := range devoidc.Users {
		assert.True(t, strings.HasPrefix(u.Subject, "user-"), u.Subject)
		assert.NotEmpty(t, u.Email)
		assert.NotEmpty(t, u.Name)
		assert.False(t, seen[u.Username()], "usernames are unique")
		seen[u.Username()] = true
		if u.IsStaff() {
			staff++
		} else {
			buyers++
		}
	}
	assert.GreaterOrEqual(t, buyers, 2)
	assert.GreaterOrEqual(t, staff, 1)

	ana, ok := devoidc.FindUser("ana")
	require.True(t, ok)
	assert.Equal(t, devoidc.User{Subject: "user-ana", Email: "ana@exemplo.com.br", Name: "Ana Souza"}, ana)
	_, ok = devoidc.FindUser("")
	assert.False(t, ok)
}

// pkce returns a verifier and its S256 challenge.
func pkce(t *testing.T) (verifier, challenge string) {
	t.Helper()
	b := make([]byte, 32)
	_, err := rand.Read(b)
	require.NoError(t, err)
	verifier = base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

func authorizeParams(challenge string) url.Values {
	return url.Values{
		"response_type":         {"code"},
		"client_id":             {clientID},
		"redirect_uri":          {redirectURI},
		"state":                 {"st-123"},
		"nonce":                 {"n-456"},
		"code_challenge":        {challenge},
		"code_challenge_method": {"S256"},
	}
}

// idTokenParams is an ID-token flow request, as the SPA sends it for Google.
func idTokenParams() url.Values {
	return url.Values{
		"response_type": {"id_token"},
		"response_mode": {"fragment"},
		"client_id":     {clientID},
		"redirect_uri":  {redirectURI},
		"scope":         {"openid email profile"},
		"state":         {"st-123"},
		"nonce":         {"n-456"},
	}
}
