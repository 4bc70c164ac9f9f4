package devoidc_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/devoidc"
)

func TestAuthorizePage(t *testing.T) {
	t.Parallel()
	e := start(t)
	_, challenge := pkce(t)

	t.Run("authorize/200 the login page lists every seeded user", func(t *testing.T) {
		t.Parallel()
		resp, body := e.get(t, "/authorize?"+authorizeParams(challenge).Encode(), nil)
		require.Equal(t, http.StatusOK, resp.StatusCode, body)
		assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
		assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'")
		assert.Contains(t, body, `<html lang="pt-BR">`)
		assert.Contains(t, body, "Entrar — ambiente de desenvolvimento")
		for _, u := range devoidc.Users {
			assert.Contains(t, body, `name="username" value="`+u.Username()+`"`)
			assert.Contains(t, body, u.Name)
			assert.Contains(t, body, u.Email)
		}
		assert.Contains(t, body, "Carla Mendes (equipe)")
		assert.Contains(t, body, `name="state" value="st-123"`)
		assert.Contains(t, body, `name="code_challenge" value="`+challenge+`"`)
		assert.Contains(t, body, `action="authorize"`, "the form posts relative to wherever the issuer is mounted")
	})

	t.Run("authorize/200 a hostile state is escaped", func(t *testing.T) {
		t.Parallel()
		q := authorizeParams(challenge)
		q.Set("state", `"><script>alert(1)</script>`)
		resp, body := e.get(t, "/authorize?"+q.Encode(), nil)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		assert.NotContains(t, body, "<script>")
	})

	bad := func(k, v string) url.Values {
		q := authorizeParams(challenge)
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
		return q
	}
	cases := []struct {
		name  string
		query url.Values
		want  string
	}{
		{"authorize/400 a redirect to another host is refused", bad("redirect_uri", "https://evil.example/cb"), "redirect_uri"},
		{"authorize/400 a redirect to a lookalike host is refused", bad("redirect_uri", "http://localhost.evil.example/cb"), "redirect_uri"},
		{"authorize/400 a redirect over https to localhost is refused", bad("redirect_uri", "https://localhost:4200/cb"), "redirect_uri"},
		{"authorize/400 a redirect with credentials is refused", bad("redirect_uri", "http://evil@localhost:4200/cb"), "redirect_uri"},
		{"authorize/400 a javascript redirect is refused", bad("redirect_uri", "javascript:alert(1)"), "redirect_uri"},
		{"authorize/400 a missing redirect is refused", bad("redirect_uri", ""), "redirect_uri"},
		{"authorize/400 another client is refused", bad("client_id", "other"), "client_id"},
		{"authorize/400 the access-token implicit flow is refused", bad("response_type", "token"), "response_type"},
		{"authorize/400 the hybrid flow is refused", bad("response_type", "code id_token"), "response_type"},
		{"authorize/400 a code in the fragment is refused", bad("response_mode", "fragment"), "response_mode"},
		{"authorize/400 a plain pkce method is refused", bad("code_challenge_method", "plain"), "S256"},
		{"authorize/400 a missing code challenge is refused", bad("code_challenge", ""), "code_challenge"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resp, body := e.get(t, "/authorize?"+tc.query.Encode(), nil)
			require.Equal(t, http.StatusBadRequest, resp.StatusCode)
			assert.Contains(t, body, "Não foi possível entrar")
			assert.Contains(t, body, tc.want)
			assert.NotContains(t, body, `name="username"`, "no user can be picked")

			form := tc.query
			form.Set("username", "ana")
			resp, _ = e.post(t, "/authorize", form)
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "posting the same request is refused too")
			assert.Empty(t, resp.Header.Get("Location"))
		})
	}
}

// login picks username on the login page and returns the redirect it answers.
func login(t *testing.T, e *env, username string, params url.Values) *url.URL {
	t.Helper()
	form := url.Values{}
	for k, v := range params {
		form[k] = v
	}
	form.Set("username", username)
	resp, body := e.post(t, "/authorize", form)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode, body)
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	return loc
}

func exchange(verifier, code string) url.Values {
	return url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {code},
		"code_verifier": {verifier},
		"redirect_uri":  {redirectURI},
		"client_id":     {clientID},
	}
}

func TestCodeFlowWithPKCE(t *testing.T) {
	t.Parallel()

	t.Run("a code from the login page becomes a verified token once", func(t *testing.T) {
		t.Parallel()
		e := start(t)
		verifier, challenge := pkce(t)

		loc := login(t, e, "carla", authorizeParams(challenge))
		assert.Equal(t, "localhost:4200", loc.Host)
		assert.Equal(t, "/auth/callback", loc.Path)
		assert.Equal(t, "st-123", loc.Query().Get("state"))
		code := loc.Query().Get("code")
		require.NotEmpty(t, code)

		resp, body := e.post(t, "/token", exchange(verifier, code))
		require.Equal(t, http.StatusOK, resp.StatusCode, body)
		tr := decodeToken(t, body)
		p, claims, err := e.verifier.Verify(t.Context(), tr.IDToken)
		require.NoError(t, err)
		assert.Equal(t, "user-carla", p.Subject)
		assert.True(t, p.IsStaff())
		assert.Equal(t, "n-456", claims["nonce"])

		resp, body = e.post(t, "/token", exchange(verifier, code))
		require.Equal(t, http.StatusBadRequest, resp.StatusCode, "a code can be used only once")
		assert.Equal(t, "invalid_grant", decodeToken(t, body).Error)
	})

	t.Run("the redirect keeps the query the client registered", func(t *testing.T) {
		t.Parallel()
		e := start(t)
		_, challenge := pkce(t)
		params := authorizeParams(challenge)
		params.Set("redirect_uri", "http://127.0.0.1:8080/app/?tab=sessoes")
		params.Del("state")

		loc := login(t, e, "ana@exemplo.com.br", params)
		assert.Equal(t, "127.0.0.1:8080", loc.Host)
		assert.Equal(t, "sessoes", loc.Query().Get("tab"))
		assert.NotEmpty(t, loc.Query().Get("code"))
		assert.False(t, loc.Query().Has("state"), "no state is invented")
	})

	t.Run("a refused name on the login page gets no code", func(t *testing.T) {
		t.Parallel()
		e := start(t)
		_, challenge := pkce(t)
		form := authorizeParams(challenge)
		form.Set("username", "mallory@evil.example")
		resp, body := e.post(t, "/authorize", form)
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
		assert.Contains(t, body, "Nome de usuário inválido")
		assert.Empty(t, resp.Header.Get("Location"))
	})

	failures := []struct {
		name  string
		alter func(form url.Values, otherVerifier string)
	}{
		{"token/400 a wrong code verifier burns the code", func(f url.Values, other string) { f.Set("code_verifier", other) }},
		{"token/400 a short code verifier burns the code", func(f url.Values, _ string) { f.Set("code_verifier", "short") }},
		{"token/400 a missing code verifier burns the code", func(f url.Values, _ string) { f.Del("code_verifier") }},
		{"token/400 another redirect uri burns the code", func(f url.Values, _ string) { f.Set("redirect_uri", "http://localhost:4200/other") }},
		{"token/400 a missing client id burns the code", func(f url.Values, _ string) { f.Del("client_id") }},
	}
	for _, tc := range failures {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := start(t)
			verifier, challenge := pkce(t)
			other, _ := pkce(t)
			code := login(t, e, "bruno", authorizeParams(challenge)).Query().Get("code")

			form := exchange(verifier, code)
			tc.alter(form, other)
			resp, body := e.post(t, "/token", form)
			require.Equal(t, http.StatusBadRequest, resp.StatusCode, body)
			assert.Equal(t, "invalid_grant", decodeToken(t, body).Error)

			resp, _ = e.post(t, "/token", exchange(verifier, code))
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "the right verifier is too late")
		})
	}

	t.Run("token/400 a code left waiting too long expires", func(t *testing.T) {
		t.Parallel()
		e := start(t)
		verifier, challenge := pkce(t)
		code := login(t, e, "ana", authorizeParams(challenge)).Query().Get("code")

		e.clock.Advance(3 * time.Minute)
		resp, body := e.post(t, "/token", exchange(verifier, code))
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		assert.Equal(t, "invalid_grant", decodeToken(t, body).Error)
	})
}

func TestLocalOriginsMayReadResponses(t *testing.T) {
	t.Parallel()
	e := start(t)
	cases := []struct {
		name   string
		origin string
		want   string
	}{
		{"a spa on localhost may read discovery", "http://localhost:4200", "http://localhost:4200"},
		{"a spa on 127.0.0.1 may read discovery", "http://127.0.0.1:4200", "http://127.0.0.1:4200"},
		{"a remote site may not", "https://evil.example", ""},
		{"a lookalike host may not", "http://localhost.evil.example", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resp, _ := e.get(t, "/.well-known/openid-configuration", http.Header{"Origin": {tc.origin}})
			require.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, tc.want, resp.Header.Get("Access-Control-Allow-Origin"))
			assert.True(t, strings.Contains(resp.Header.Get("Vary"), "Origin"))
		})
	}
}

// fragment returns the parameters of a redirect's fragment.
func fragment(t *testing.T, loc *url.URL) url.Values {
	t.Helper()
	v, err := url.ParseQuery(loc.Fragment)
	require.NoError(t, err)
	return v
}

func TestIDTokenFlow(t *testing.T) {
	t.Parallel()

	t.Run("authorize/200 the login page carries the id_token request through", func(t *testing.T) {
		t.Parallel()
		e := start(t)
		resp, body := e.get(t, "/authorize?"+idTokenParams().Encode(), nil)
		require.Equal(t, http.StatusOK, resp.StatusCode, body)
		assert.Contains(t, body, `name="response_type" value="id_token"`)
		assert.Contains(t, body, `name="response_mode" value="fragment"`)
		assert.Contains(t, body, `name="nonce" value="n-456"`)
		assert.Contains(t, body, `name="username" value="ana"`)
	})

	t.Run("the login page answers with a verified ID token in the fragment, nonce and state included", func(t *testing.T) {
		t.Parallel()
		e := start(t)
		loc := login(t, e, "carla", idTokenParams())
		assert.Equal(t, "localhost:4200", loc.Host)
		assert.Equal(t, "/auth/callback", loc.Path)
		assert.Empty(t, loc.RawQuery, "nothing in the query: a token there would reach logs and Referer headers")

		f := fragment(t, loc)
		assert.Equal(t, "st-123", f.Get("state"))
		assert.Equal(t, "3600", f.Get("expires_in"))
		assert.False(t, f.Has("code"), "no code in the ID-token flow")
		assert.False(t, f.Has("access_token"), "no access token from the authorization endpoint")
		p, claims, err := e.verifier.Verify(t.Context(), f.Get("id_token"))
		require.NoError(t, err, "the API accepts it like a token from /token")
		assert.Equal(t, "user-carla", p.Subject)
		assert.True(t, p.IsStaff())
		assert.Equal(t, "n-456", claims["nonce"])
		assert.Equal(t, clientID, claims["aud"])
	})

	t.Run("an empty response_mode defaults to the fragment, and the registered query is kept", func(t *testing.T) {
		t.Parallel()
		e := start(t)
		params := idTokenParams()
		params.Del("response_mode")
		params.Del("state")
		params.Set("redirect_uri", "http://127.0.0.1:8080/entrar/retorno?tab=1")
		loc := login(t, e, "bruno@exemplo.com.br", params)
		assert.Equal(t, "127.0.0.1:8080", loc.Host)
		assert.Equal(t, "1", loc.Query().Get("tab"))
		f := fragment(t, loc)
		assert.NotEmpty(t, f.Get("id_token"))
		assert.False(t, f.Has("state"), "no state is invented")
	})

	t.Run("each login gets its own token, with its own nonce", func(t *testing.T) {
		t.Parallel()
		e := start(t)
		first := login(t, e, "ana", idTokenParams())
		other := idTokenParams()
		other.Set("nonce", "n-789")
		second := login(t, e, "ana", other)
		_, claims, err := e.verifier.Verify(t.Context(), fragment(t, second).Get("id_token"))
		require.NoError(t, err)
		assert.Equal(t, "n-789", claims["nonce"])
		assert.NotEqual(t, fragment(t, first).Get("id_token"), fragment(t, second).Get("id_token"))
	})

	bad := func(k, v string) url.Values {
		q := idTokenParams()
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
		return q
	}
	cases := []struct {
		name  string
		query url.Values
		want  string
	}{
		{"authorize/400 an id_token request without a nonce is refused", bad("nonce", ""), "nonce"},
		{"authorize/400 an id_token in the query is refused", bad("response_mode", "query"), "response_mode"},
		{"authorize/400 an unknown response mode is refused", bad("response_mode", "form_post"), "response_mode"},
		{"authorize/400 an unregistered redirect is refused", bad("redirect_uri", "https://evil.example/entrar/retorno"), "redirect_uri"},
		{"authorize/400 a redirect with a fragment is refused", bad("redirect_uri", "http://localhost:4200/cb#x"), "redirect_uri"},
		{"authorize/400 another client is refused", bad("client_id", "other"), "client_id"},
		{"authorize/400 an id_token with an access token is refused", bad("response_type", "id_token token"), "response_type"},
		{"authorize/400 an unknown response type is refused", bad("response_type", "magic"), "response_type"},
		{"authorize/400 a missing response type is refused", bad("response_type", ""), "response_type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := start(t)
			resp, body := e.get(t, "/authorize?"+tc.query.Encode(), nil)
			require.Equal(t, http.StatusBadRequest, resp.StatusCode, body)
			assert.Contains(t, body, tc.want)
			assert.NotContains(t, body, `name="username"`, "no user can be picked")

			form := tc.query
			form.Set("username", "ana")
			resp, _ = e.post(t, "/authorize", form)
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "posting the same request is refused too")
			assert.Empty(t, resp.Header.Get("Location"))
		})
	}
}
