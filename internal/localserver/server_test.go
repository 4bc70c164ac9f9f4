package localserver_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/apigw"
	"bilhetagem/internal/auth"
	"bilhetagem/internal/devoidc"
	"bilhetagem/internal/localserver"
	"bilhetagem/internal/operations"
)

// recorder is a handler that keeps the event it got, to check the event the
// server builds is the one API Gateway would send.
type recorder struct {
	mu     sync.Mutex
	events map[string]events.APIGatewayV2HTTPRequest
}

func (r *recorder) handlers() map[string]apigw.Handler {
	hs := map[string]apigw.Handler{}
	for _, op := range operations.All {
		hs[op.ID] = apigw.HandlerFunc(func(_ context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
			r.mu.Lock()
			r.events[op.ID] = ev
			r.mu.Unlock()
			return apigw.JSON(http.StatusOK, map[string]string{"op": op.ID}), nil
		})
	}
	return hs
}

func (r *recorder) last(id string) events.APIGatewayV2HTTPRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.events[id]
}

type env struct {
	srv    *httptest.Server
	rec    *recorder
	issuer *devoidc.Issuer
}

func start(t *testing.T, webDir string) *env {
	t.Helper()
	e := &env{rec: &recorder{events: map[string]events.APIGatewayV2HTTPRequest{}}}
	mux := http.NewServeMux()
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	var err error
	e.issuer, err = devoidc.New(devoidc.Config{Issuer: e.srv.URL + "/auth", Audience: "bilhetagem-local"})
	require.NoError(t, err)
	verifier, err := auth.NewVerifier(context.Background(), auth.Config{Issuer: e.srv.URL + "/auth", Audience: "bilhetagem-local"})
	require.NoError(t, err)
	mux.Handle("/", localserver.New(localserver.Config{
		Handlers: e.rec.handlers(), Verifier: verifier, Issuer: e.issuer.Handler(), Spec: []byte("openapi: 3.0.3\n"),
		WebDir: webDir, Now: func() time.Time { return time.Date(2026, 12, 3, 21, 0, 0, 0, time.UTC) },
	}))
	return e
}

func (e *env) do(t *testing.T, method, path, body string, header http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

func (e *env) token(t *testing.T, user string) string {
	t.Helper()
	resp, err := http.PostForm(e.srv.URL+"/auth/token", url.Values{"username": {user}})
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var tok struct {
		IDToken string `json:"id_token"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&tok))
	return tok.IDToken
}

func problemCode(t *testing.T, resp *http.Response, body string) string {
	t.Helper()
	assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
	var p struct{ Code string }
	require.NoError(t, json.Unmarshal([]byte(body), &p))
	return p.Code
}

func TestRouting(t *testing.T) {
	t.Parallel()
	e := start(t, "")

	t.Run("a registry route reaches its operation with path parameters", func(t *testing.T) {
		resp, body := e.do(t, http.MethodGet, "/api/movies/mov-aurora", "", nil)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		assert.JSONEq(t, `{"op":"getMovie"}`, body)
		ev := e.rec.last(operations.GetMovie)
		assert.Equal(t, map[string]string{"movieId": "mov-aurora"}, ev.PathParameters)
		assert.Equal(t, "GET /api/movies/{movieId}", ev.RouteKey)
		assert.Equal(t, "GET /api/movies/{movieId}", ev.RequestContext.RouteKey)
		assert.Equal(t, "/api/movies/mov-aurora", ev.RawPath)
		assert.Equal(t, "2.0", ev.Version)
		assert.NotEmpty(t, ev.RequestContext.RequestID)
	})

	t.Run("an unknown route is 404 route_not_found", func(t *testing.T) {
		resp, body := e.do(t, http.MethodGet, "/api/nothing/here", "", nil)
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
		assert.Equal(t, "route_not_found", problemCode(t, resp, body))
	})

	t.Run("a known path with another method is 405 with Allow", func(t *testing.T) {
		resp, body := e.do(t, http.MethodPatch, "/api/holds/h-1", "", nil)
		assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
		assert.Equal(t, "DELETE, GET", resp.Header.Get("Allow"))
		assert.Equal(t, "method_not_allowed", problemCode(t, resp, body))
	})

	t.Run("query strings and headers arrive as API Gateway sends them", func(t *testing.T) {
		resp, _ := e.do(t, http.MethodGet, "/api/showtimes?movieId=mov-a&date=2026-12-03", "", http.Header{"X-Custom": {"a", "b"}})
		require.Equal(t, http.StatusOK, resp.StatusCode)
		ev := e.rec.last(operations.ListShowtimes)
		assert.Equal(t, map[string]string{"movieId": "mov-a", "date": "2026-12-03"}, ev.QueryStringParameters)
		assert.Equal(t, "movieId=mov-a&date=2026-12-03", ev.RawQueryString)
		assert.Equal(t, "a,b", ev.Headers["x-custom"], "header names lower-cased, values joined")
		assert.Nil(t, ev.RequestContext.Authorizer, "public routes carry no claims")
	})

	t.Run("a binary body is base64 encoded", func(t *testing.T) {
		resp, _ := e.do(t, http.MethodPost, "/api/webhooks/psp", "\x00\x01raw", http.Header{"Content-Type": {"application/octet-stream"}})
		require.Equal(t, http.StatusOK, resp.StatusCode)
		ev := e.rec.last(operations.ReceivePspWebhook)
		require.True(t, ev.IsBase64Encoded)
		raw, err := base64.StdEncoding.DecodeString(ev.Body)
		require.NoError(t, err)
		assert.Equal(t, "\x00\x01raw", string(raw))
	})
}

func TestJWTAuthorizer(t *testing.T) {
	t.Parallel()
	e := start(t, "")

	t.Run("a protected route without a token is 401 and never reaches the handler", func(t *testing.T) {
		resp, body := e.do(t, http.MethodGet, "/api/me/orders", "", nil)
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
		assert.Equal(t, "unauthorized", problemCode(t, resp, body))
		assert.Empty(t, e.rec.last(operations.ListMyOrders).RawPath)
	})

	t.Run("a garbage token is 401", func(t *testing.T) {
		resp, body := e.do(t, http.MethodGet, "/api/me", "", http.Header{"Authorization": {"Bearer not.a.jwt"}})
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
		assert.Equal(t, "unauthorized", problemCode(t, resp, body))
	})

	t.Run("a valid token's claims reach the handler as the JWT authorizer passes them", func(t *testing.T) {
		resp, _ := e.do(t, http.MethodGet, "/api/me", "", http.Header{"Authorization": {"Bearer " + e.token(t, "carla")}})
		require.Equal(t, http.StatusOK, resp.StatusCode)
		ev := e.rec.last(operations.GetMe)
		require.NotNil(t, ev.RequestContext.Authorizer)
		claims := ev.RequestContext.Authorizer.JWT.Claims
		assert.Equal(t, "user-carla", claims["sub"])
		assert.Equal(t, "[staff]", claims["groups"], "arrays flattened the way API Gateway does")
		p, err := auth.FromAPIGatewayClaims(claims)
		require.NoError(t, err)
		assert.True(t, p.IsStaff())
	})
}

func TestWebAndDocs(t *testing.T) {
	t.Parallel()

	t.Run("without a build the placeholder page is served", func(t *testing.T) {
		e := start(t, filepath.Join(t.TempDir(), "missing"))
		resp, body := e.do(t, http.MethodGet, "/", "", nil)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Contains(t, body, "Bilhetagem")
		assert.Contains(t, body, `lang="pt-BR"`)
	})

	t.Run("with a build, assets are served and client routes fall back to index.html", func(t *testing.T) {
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, "index.html"), []byte("<app-root>spa</app-root>"), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "main.js"), []byte("console.log(1)"), 0o644))
		e := start(t, dir)
		_, body := e.do(t, http.MethodGet, "/filmes/mov-aurora", "", nil)
		assert.Contains(t, body, "spa")
		_, body = e.do(t, http.MethodGet, "/main.js", "", nil)
		assert.Equal(t, "console.log(1)", body)
		resp, _ := e.do(t, http.MethodGet, "/missing.js", "", nil)
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, "a missing asset is not a client route")
	})

	t.Run("the docs page points Swagger UI at the contract", func(t *testing.T) {
		e := start(t, "")
		_, body := e.do(t, http.MethodGet, "/docs", "", nil)
		assert.Contains(t, body, `url: "/openapi.yaml"`)
		resp, body := e.do(t, http.MethodGet, "/openapi.yaml", "", nil)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Contains(t, body, "openapi: 3.0.3")
	})
}
