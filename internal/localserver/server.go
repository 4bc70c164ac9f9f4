// Package localserver runs the whole product on one port, the way it runs in
// AWS: each HTTP request under /api becomes the API Gateway HTTP API (payload
// v2) event the Lambda would get, with the JWT claims an HTTP API JWT
// authorizer would put in it, and goes to the same handler code. Beside the
// API it serves the development OIDC issuer at /auth, the API docs at /docs
// and the SPA at /.
package localserver

import (
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/apigw"
	"bilhetagem/internal/auth"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/operations"
)

// APIPrefix is where the API lives, locally and behind CloudFront.
const APIPrefix = "/api"

// gatewayMaxBody is API Gateway's own payload limit (10 MB); the handlers
// refuse far smaller bodies themselves.
const gatewayMaxBody = 10 << 20

// Config is what the server is built from.
type Config struct {
	Handlers map[string]apigw.Handler // by operationId, wrapped
	Verifier *auth.Verifier           // validates bearer tokens for buyer and staff operations
	Issuer   http.Handler             // the development OIDC issuer, mounted at /auth
	Spec     []byte                   // openapi.yaml, served at /openapi.yaml
	DocsDir  string                   // a swagger-ui-dist folder; empty shows a notice
	WebDir   string                   // the SPA build; empty or missing serves the placeholder page
	Log      *slog.Logger
	Now      func() time.Time
}

// Server is the local all-in-one HTTP handler.
type Server struct {
	cfg    Config
	router *router
	mux    *http.ServeMux
}

// New builds the server.
func New(cfg Config) *Server {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	s := &Server{cfg: cfg, router: newRouter(operations.All), mux: http.NewServeMux()}
	s.mux.HandleFunc(APIPrefix+"/", s.serveAPI)
	s.mux.HandleFunc(APIPrefix, s.serveAPI)
	if cfg.Issuer != nil {
		s.mux.Handle("/auth/", http.StripPrefix("/auth", cfg.Issuer))
	}
	s.mux.HandleFunc("/openapi.yaml", s.serveSpec)
	s.mux.HandleFunc("/docs", s.serveDocs)
	s.mux.HandleFunc("/docs/", s.serveDocs)
	s.mux.Handle("/", withGzip(http.HandlerFunc(s.serveWeb)))
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	rid := newRequestID()
	path := strings.TrimPrefix(r.URL.Path, APIPrefix)
	op, params, allowed, found := s.router.match(r.Method, path)
	if !found {
		if len(allowed) > 0 {
			slices.Sort(allowed)
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			s.writeProblem(w, errs.E(errs.MethodNotAllowed, "method_not_allowed",
				fmt.Sprintf("o método %s não é aceito em %s", r.Method, r.URL.Path)), rid, r.URL.Path)
			return
		}
		s.writeProblem(w, errs.E(errs.NotFound, "route_not_found",
			fmt.Sprintf("a rota %s %s não existe", r.Method, r.URL.Path)), rid, r.URL.Path)
		return
	}
	event, err := s.event(r, op, params, rid)
	if err != nil {
		s.writeProblem(w, err, rid, r.URL.Path)
		return
	}
	resp, err := s.cfg.Handlers[op.ID].Handle(r.Context(), event)
	if err != nil {
		// In AWS a returned error is an opaque 502 from the gateway.
		s.cfg.Log.Error("handler returned an error", "requestId", rid, "operation", op.ID, "error", err.Error())
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, `{"message":"Internal Server Error"}`)
		return
	}
	WriteResponse(w, resp)
}

// event builds what API Gateway would send the Lambda, authorizing first the
// way the JWT authorizer does.
func (s *Server) event(r *http.Request, op operations.Operation, params map[string]string, rid string) (events.APIGatewayV2HTTPRequest, error) {
	now := s.cfg.Now()
	ev := events.APIGatewayV2HTTPRequest{
		Version:        "2.0",
		RouteKey:       op.Method + " " + APIPrefix + op.Path,
		RawPath:        r.URL.EscapedPath(),
		RawQueryString: r.URL.RawQuery,
		Headers:        map[string]string{},
		PathParameters: params,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:     op.Method + " " + APIPrefix + op.Path,
			AccountID:    "000000000000",
			Stage:        "$default",
			RequestID:    rid,
			APIID:        "local",
			DomainName:   r.Host,
			DomainPrefix: "local",
			Time:         now.UTC().Format("02/Jan/2006:15:04:05 -0700"),
			TimeEpoch:    now.UnixMilli(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method: r.Method, Path: r.URL.Path, Protocol: r.Proto, SourceIP: sourceIP(r), UserAgent: r.UserAgent(),
			},
		},
	}
	if len(params) == 0 {
		ev.PathParameters = nil
	}
	for k, v := range r.Header {
		name := strings.ToLower(k)
		if name == "cookie" {
			for _, c := range v {
				ev.Cookies = append(ev.Cookies, strings.Split(c, "; ")...)
			}
			continue
		}
		ev.Headers[name] = strings.Join(v, ",")
	}
	if q := r.URL.Query(); len(q) > 0 {
		ev.QueryStringParameters = map[string]string{}
		for k, v := range q {
			ev.QueryStringParameters[k] = strings.Join(v, ",")
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, gatewayMaxBody))
	if err != nil {
		return ev, errs.E(errs.TooLarge, "payload_too_large", "o corpo da requisição é grande demais")
	}
	if len(body) > 0 {
		if isText(r.Header.Get("Content-Type")) {
			ev.Body = string(body)
		} else {
			ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(body), true
		}
	}
	if op.Auth == operations.Buyer || op.Auth == operations.Staff {
		claims, err := s.authorize(r.Context(), r.Header.Get("Authorization"))
		if err != nil {
			return ev, err
		}
		ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims, Scopes: nil},
		}
	}
	return ev, nil
}

// authorize does what the HTTP API JWT authorizer does: verify the bearer
// token against the issuer and audience, and pass its claims on as strings.
func (s *Server) authorize(ctx context.Context, header string) (map[string]string, error) {
	token, ok := auth.BearerToken(header)
	if !ok {
		return nil, errs.E(errs.Unauthorized, "unauthorized", "faça login para continuar")
	}
	if s.cfg.Verifier == nil {
		return nil, errs.E(errs.Unauthorized, "unauthorized", "nenhum emissor de tokens configurado")
	}
	_, claims, err := s.cfg.Verifier.Verify(ctx, token)
	if err != nil {
		return nil, errs.Wrap(errs.Unauthorized, "unauthorized", "token inválido ou expirado; faça login novamente", err)
	}
	return auth.ToAPIGatewayClaims(claims), nil
}

func (s *Server) writeProblem(w http.ResponseWriter, err error, rid, instance string) {
	resp := apigw.Problem(err, rid, instance)
	s.cfg.Log.Info("request", "requestId", rid, "path", instance, "status", resp.StatusCode)
	WriteResponse(w, resp)
}

// WriteResponse writes an API Gateway v2 response as an HTTP one, for the
// local server and the local-only routes beside it.
func WriteResponse(w http.ResponseWriter, resp events.APIGatewayV2HTTPResponse) {
	for k, v := range resp.Headers {
		w.Header().Set(k, v)
	}
	for k, vs := range resp.MultiValueHeaders {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	for _, c := range resp.Cookies {
		w.Header().Add("Set-Cookie", c)
	}
	status := resp.StatusCode
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	if resp.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(resp.Body)
		if err == nil {
			_, _ = w.Write(b)
		}
		return
	}
	_, _ = io.WriteString(w, resp.Body)
}

func isText(contentType string) bool {
	if contentType == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return strings.HasPrefix(mt, "text/") || mt == "application/json" || strings.HasSuffix(mt, "+json") ||
		mt == "application/x-www-form-urlencoded" || mt == "application/xml"
}

func sourceIP(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndex(host, ":"); i > 0 {
		host = host[:i]
	}
	return strings.Trim(host, "[]")
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

//go:embed placeholder.html
var placeholder []byte

//go:embed docs.html
var docsPage []byte

func (s *Server) serveSpec(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/yaml")
	_, _ = w.Write(s.cfg.Spec)
}

// serveDocs serves Swagger UI from swagger-ui-dist, pointed at /openapi.yaml.
func (s *Server) serveDocs(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/docs" || r.URL.Path == "/docs/" {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(docsPage)
		return
	}
	if s.cfg.DocsDir == "" {
		http.NotFound(w, r)
		return
	}
	http.StripPrefix("/docs/", http.FileServer(http.Dir(s.cfg.DocsDir))).ServeHTTP(w, r)
}

// serveWeb serves the SPA build with fallback to index.html for client-side
// routes, or the placeholder page while there is no build. The build's text
// files are gzipped for clients that accept it (withGzip), as in AWS.
func (s *Server) serveWeb(w http.ResponseWriter, r *http.Request) {
	if s.cfg.WebDir != "" {
		if _, err := os.Stat(filepath.Join(s.cfg.WebDir, "index.html")); err == nil {
			clean := filepath.Clean("/" + r.URL.Path)
			if fi, err := os.Stat(filepath.Join(s.cfg.WebDir, filepath.FromSlash(clean))); err == nil && !fi.IsDir() {
				http.FileServer(http.Dir(s.cfg.WebDir)).ServeHTTP(w, r)
				return
			}
			if filepath.Ext(clean) != "" {
				http.NotFound(w, r) // a missing asset, not a client route
				return
			}
			w.Header().Set("Cache-Control", "no-cache")
			http.ServeFile(w, r, filepath.Join(s.cfg.WebDir, "index.html"))
			return
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(placeholder)
}
