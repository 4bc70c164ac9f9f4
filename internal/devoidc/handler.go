package devoidc

import (
	"crypto/sha256"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"html/template"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

//go:embed login.html
var loginHTML string

var loginPage = template.Must(template.New("login").Parse(loginHTML))

// Handler serves the issuer's endpoints relative to where it is mounted; the
// mount path must be the path of Config.Issuer (use http.StripPrefix):
//
//	GET  /.well-known/openid-configuration  discovery
//	GET  /jwks.json                         the public signing key
//	GET  /authorize                         the pt-BR login page: code flow with PKCE S256, or
//	                                        the ID-token flow (response_type=id_token, nonce required)
//	POST /authorize                         signs in a username (any valid name, see Issuer.User)
//	                                        and redirects with a code (in the query) or an ID
//	                                        token (in the fragment)
//	POST /token                             username=<name|user-name|name@exemplo.com.br>
//	                                        or grant_type=authorization_code
func (i *Issuer) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", i.discovery)
	mux.HandleFunc("GET /jwks.json", i.jwks)
	mux.HandleFunc("POST /token", i.token)
	mux.HandleFunc("GET /authorize", i.authorizePage)
	mux.HandleFunc("POST /authorize", i.authorize)
	return allowLocalOrigins(mux)
}

func (i *Issuer) discovery(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                i.issuer,
		"authorization_endpoint":                i.endpoint("/authorize"),
		"token_endpoint":                        i.endpoint("/token"),
		"jwks_uri":                              i.endpoint("/jwks.json"),
		"response_types_supported":              []string{"code", "id_token"},
		"response_modes_supported":              []string{"query", "fragment"},
		"grant_types_supported":                 []string{"authorization_code", "password"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"scopes_supported":                      []string{"openid", "email", "profile"},
		"claims_supported":                      []string{"iss", "aud", "sub", "email", "email_verified", "name", "groups", "iat", "exp", "nonce"},
		"code_challenge_methods_supported":      []string{"S256"},
		"token_endpoint_auth_methods_supported": []string{"none"},
	})
}

func (i *Issuer) jwks(w http.ResponseWriter, _ *http.Request) {
	pub := i.key.PublicKey
	writeJSON(w, http.StatusOK, map[string]any{"keys": []map[string]string{{
		"kty": "RSA",
		"use": "sig",
		"alg": "RS256",
		"kid": i.kid,
		"n":   b64int(pub.N),
		"e":   b64int(big.NewInt(int64(pub.E))),
	}}})
}

// tokenError is an RFC 6749 §5.2 error response.
type tokenError struct {
	Code        string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

func (i *Issuer) token(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, tokenError{"invalid_request", "malformed form"})
		return
	}
	clientID := r.PostForm.Get("client_id")
	if clientID != "" && clientID != i.audience {
		writeJSON(w, http.StatusBadRequest, tokenError{"invalid_client", "unknown client_id"})
		return
	}

	var (
		user  User
		nonce string
	)
	switch r.PostForm.Get("grant_type") {
	case "", "password":
		u, err := i.User(r.PostForm.Get("username"))
		if err != nil {
			writeJSON(w, http.StatusBadRequest, tokenError{"invalid_grant", err.Error()})
			return
		}
		user = u
	case "authorization_code":
		c, err := i.exchange(r.PostForm)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, tokenError{"invalid_grant", err.Error()})
			return
		}
		user, nonce = c.user, c.nonce
	default:
		writeJSON(w, http.StatusBadRequest, tokenError{"unsupported_grant_type", ""})
		return
	}

	idToken, err := i.mint(user, i.ttl, nonce)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, tokenError{"server_error", ""})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"id_token":     idToken,
		"access_token": idToken,
		"token_type":   "Bearer",
		"expires_in":   int(i.ttl / time.Second),
	})
}

// exchange redeems an authorization code, checking the client, redirect URI
// and PKCE verifier it was issued for.
func (i *Issuer) exchange(form url.Values) (authCode, error) {
	c, ok := i.redeemCode(form.Get("code"))
	if !ok {
		return authCode{}, errors.New("unknown, used or expired code")
	}
	if form.Get("client_id") != c.clientID {
		return authCode{}, errors.New("code was issued to another client")
	}
	if form.Get("redirect_uri") != c.redirectURI {
		return authCode{}, errors.New("redirect_uri does not match the authorization request")
	}
	verifier := form.Get("code_verifier")
	if len(verifier) < 43 || len(verifier) > 128 {
		return authCode{}, errors.New("code_verifier must have 43 to 128 characters")
	}
	sum := sha256.Sum256([]byte(verifier))
	if subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(c.codeChallenge)) != 1 {
		return authCode{}, errors.New("code_verifier does not match code_challenge")
	}
	return c, nil
}

// authorizeParams are the standard authorization request parameters.
type authorizeParams struct {
	ResponseType        string
	ResponseMode        string
	ClientID            string
	RedirectURI         string
	State               string
	Nonce               string
	CodeChallenge       string
	CodeChallengeMethod string
}

func readAuthorizeParams(v url.Values) authorizeParams {
	return authorizeParams{
		ResponseType:        v.Get("response_type"),
		ResponseMode:        v.Get("response_mode"),
		ClientID:            v.Get("client_id"),
		RedirectURI:         v.Get("redirect_uri"),
		State:               v.Get("state"),
		Nonce:               v.Get("nonce"),
		CodeChallenge:       v.Get("code_challenge"),
		CodeChallengeMethod: v.Get("code_challenge_method"),
	}
}

// problem returns, in pt-BR for the login page, what is wrong with p; the
// empty string when nothing is. Two flows are served: the authorization code
// with PKCE S256 (answered in the query), and the OIDC ID-token flow that
// Google offers browser apps (response_type=id_token, answered in the
// fragment, nonce required: OIDC Core 3.2.2.1). Access tokens are never
// issued from the authorization endpoint.
func (i *Issuer) problem(p authorizeParams) string {
	switch {
	case !localRedirect(p.RedirectURI):
		return "redirect_uri precisa ser http://localhost ou http://127.0.0.1."
	case p.ClientID != i.audience:
		return "client_id desconhecido."
	}
	switch p.ResponseType {
	case "code":
		switch {
		case p.ResponseMode != "" && p.ResponseMode != "query":
			return "response_mode precisa ser query para response_type=code."
		case p.CodeChallengeMethod != "S256":
			return "code_challenge_method precisa ser S256."
		case len(p.CodeChallenge) != 43:
			return "code_challenge precisa ser o SHA-256 do code_verifier em base64url."
		}
	case "id_token":
		switch {
		case p.ResponseMode != "" && p.ResponseMode != "fragment":
			// A token in the query would reach server logs and Referer headers.
			return "response_mode precisa ser fragment para response_type=id_token."
		case p.Nonce == "":
			return "nonce é obrigatório para response_type=id_token."
		}
	default:
		return "response_type precisa ser code ou id_token."
	}
	return ""
}

// badUsername is the login page's answer to a name ParseUsername refuses.
const badUsername = "Nome de usuário inválido: use de 1 a 64 letras sem acento, dígitos, " +
	"ponto, hífen ou sublinhado, começando e terminando com letra ou dígito."

type loginView struct {
	Params authorizeParams
	Users  []User
	Error  string
}

func (i *Issuer) authorizePage(w http.ResponseWriter, r *http.Request) {
	p := readAuthorizeParams(r.URL.Query())
	if msg := i.problem(p); msg != "" {
		renderLogin(w, http.StatusBadRequest, loginView{Error: msg})
		return
	}
	renderLogin(w, http.StatusOK, loginView{Params: p, Users: i.loginUsers()})
}

func (i *Issuer) authorize(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		renderLogin(w, http.StatusBadRequest, loginView{Error: "Formulário inválido."})
		return
	}
	p := readAuthorizeParams(r.PostForm)
	if msg := i.problem(p); msg != "" {
		renderLogin(w, http.StatusBadRequest, loginView{Error: msg})
		return
	}
	u, err := i.User(r.PostForm.Get("username"))
	if err != nil {
		renderLogin(w, http.StatusBadRequest, loginView{Error: badUsername})
		return
	}
	target, _ := url.Parse(p.RedirectURI) // checked by problem
	if p.ResponseType == "id_token" {
		idToken, err := i.mint(u, i.ttl, p.Nonce)
		if err != nil {
			renderLogin(w, http.StatusInternalServerError, loginView{Error: "Falha ao emitir o token."})
			return
		}
		f := url.Values{"id_token": {idToken}, "expires_in": {strconv.Itoa(int(i.ttl / time.Second))}}
		if p.State != "" {
			f.Set("state", p.State)
		}
		// The redirect URI has no fragment (localRedirect), so this one is ours.
		http.Redirect(w, r, target.String()+"#"+f.Encode(), http.StatusSeeOther)
		return
	}
	code, err := i.issueCode(authCode{
		user:          u,
		clientID:      p.ClientID,
		redirectURI:   p.RedirectURI,
		codeChallenge: p.CodeChallenge,
		nonce:         p.Nonce,
	})
	if err != nil {
		renderLogin(w, http.StatusInternalServerError, loginView{Error: "Falha ao emitir o código."})
		return
	}
	q := target.Query()
	q.Set("code", code)
	if p.State != "" {
		q.Set("state", p.State)
	}
	target.RawQuery = q.Encode()
	http.Redirect(w, r, target.String(), http.StatusSeeOther)
}

// localRedirect allows only http://localhost and http://127.0.0.1 origins, on
// any port, with no credentials or fragment.
func localRedirect(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || u.User != nil || u.Fragment != "" || u.Opaque != "" {
		return false
	}
	return localHost(u)
}

func localHost(u *url.URL) bool {
	h := u.Hostname()
	return h == "localhost" || h == "127.0.0.1"
}

func renderLogin(w http.ResponseWriter, status int, v loginView) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	// form-action lists the local origins because browsers apply it to the
	// redirect that follows the form post.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; "+
		"form-action 'self' http://localhost:* http://127.0.0.1:*; frame-ancestors 'none'")
	w.WriteHeader(status)
	_ = loginPage.Execute(w, v)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// allowLocalOrigins lets a single-page app served from another local port
// read discovery, the key set and token responses.
func allowLocalOrigins(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if origin := r.Header.Get("Origin"); origin != "" {
			if u, err := url.Parse(origin); err == nil && u.Scheme == "http" && localHost(u) && u.Path == "" {
				w.Header().Set("Access-Control-Allow-Origin", origin)
			}
			w.Header().Add("Vary", "Origin")
		}
		next.ServeHTTP(w, r)
	})
}
