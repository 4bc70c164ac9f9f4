package lambda_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/operations"
	"bilhetagem/openapi"
)

// update rewrites events/ from the contract:
//
//	go test ./tests/lambda -run TestEventFixtures -update
var update = flag.Bool("update", false, "rewrite events/*.json from openapi.yaml and the registry")

// eventsDir holds one API Gateway HTTP API (payload 2.0) event per operation,
// named for its function: events/list-cinemas.json. Testers feed them to
// `sam local invoke -e`; TestFunctionsUnderTheRuntimeEmulator feeds them to
// every bootstrap.
var eventsDir = filepath.Join("..", "..", "events")

// seedValues replace the spec's example ids with ids the seed data holds, so
// a fixture against a seeded table finds something. Optional query
// parameters named here are filled in too (listShowtimes needs a movie or a
// cinema).
var seedValues = map[string]string{
	"movieId":  "mov-guardioes-da-nebulosa-2",
	"cinemaId": "cin-paulista",
}

// Claims the JWT authorizer passes on for a signed-in buyer, and for staff.
// Google tokens carry no groups claim; the staff group comes from the
// development issuer (see docs/adr/0102).
func fixtureClaims(auth operations.Auth) map[string]string {
	c := map[string]string{
		"iss":            "https://accounts.google.com",
		"aud":            "fixture-client.apps.googleusercontent.com",
		"sub":            "109876543210987654321",
		"email":          "ana.souza@example.com",
		"email_verified": "true",
		"name":           "Ana Souza",
		"iat":            "1773945000",
		"exp":            "1773948600",
	}
	if auth == operations.Staff {
		c["sub"] = "staff-0001"
		c["email"] = "gerente.paulista@example.com"
		c["name"] = "Gerente Paulista"
		c["groups"] = "[staff]"
	}
	return c
}

// fixtureEvent builds the event API Gateway would send for a request that
// satisfies the contract: path, required query and header parameters and
// the body from the spec's examples, and authorizer claims for protected
// operations.
func fixtureEvent(t *testing.T, doc *openapi3.T, op operations.Operation) events.APIGatewayV2HTTPRequest {
	t.Helper()
	item := doc.Paths.Find(op.Path)
	require.NotNil(t, item, "%s: no path %s in the spec", op.ID, op.Path)
	spec := item.GetOperation(op.Method)
	require.NotNil(t, spec, "%s: no %s %s in the spec", op.ID, op.Method, op.Path)

	path := "/api" + op.Path
	pathParams := map[string]string{}
	query := url.Values{}
	headers := map[string]string{
		"accept":            "application/json",
		"accept-encoding":   "gzip, br",
		"host":              "d111111abcdef8.cloudfront.net",
		"user-agent":        "Mozilla/5.0 (Linux; Android 14) bilhetagem-fixture",
		"x-forwarded-for":   "177.71.128.10",
		"x-forwarded-port":  "443",
		"x-forwarded-proto": "https",
	}
	params := append(openapi3.Parameters{}, item.Parameters...)
	params = append(params, spec.Parameters...)
	for _, ref := range params {
		p := ref.Value
		_, seeded := seedValues[p.Name]
		if !p.Required && !(seeded && p.In == openapi3.ParameterInQuery) {
			continue
		}
		v := exampleText(t, op, p)
		switch p.In {
		case openapi3.ParameterInPath:
			pathParams[p.Name] = v
			path = strings.ReplaceAll(path, "{"+p.Name+"}", url.PathEscape(v))
		case openapi3.ParameterInQuery:
			query.Set(p.Name, v)
		case openapi3.ParameterInHeader:
			headers[strings.ToLower(p.Name)] = v
		}
	}
	var body string
	if rb := spec.RequestBody; rb != nil && rb.Value != nil {
		mt := rb.Value.Content.Get("application/json")
		require.NotNil(t, mt, "%s: no JSON body in the spec", op.ID)
		ex := mt.Example
		if ex == nil && len(mt.Examples) > 0 {
			names := make([]string, 0, len(mt.Examples))
			for n := range mt.Examples {
				names = append(names, n)
			}
			sort.Strings(names)
			ex = mt.Examples[names[0]].Value.Value
		}
		require.NotNil(t, ex, "%s: the request body has no example", op.ID)
		b, err := json.Marshal(ex)
		require.NoError(t, err)
		body = string(b)
		headers["content-type"] = "application/json"
		headers["content-length"] = fmt.Sprint(len(body))
	}

	routeKey := op.Method + " /api" + op.Path
	ev := events.APIGatewayV2HTTPRequest{
		Version:               "2.0",
		RouteKey:              routeKey,
		RawPath:               path,
		RawQueryString:        query.Encode(),
		Headers:               headers,
		QueryStringParameters: flatten(query),
		PathParameters:        nilIfEmpty(pathParams),
		Body:                  body,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:     routeKey,
			AccountID:    "123456789012",
			Stage:        "$default",
			RequestID:    "fixture-" + op.Function(),
			APIID:        "a1b2c3d4e5",
			DomainName:   "a1b2c3d4e5.execute-api.sa-east-1.amazonaws.com",
			DomainPrefix: "a1b2c3d4e5",
			Time:         "19/Mar/2026:19:30:00 +0000",
			TimeEpoch:    1773948600000,
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method:    op.Method,
				Path:      path,
				Protocol:  "HTTP/1.1",
				SourceIP:  "177.71.128.10",
				UserAgent: headers["user-agent"],
			},
		},
	}
	if op.Auth == operations.Buyer || op.Auth == operations.Staff {
		ev.Headers["authorization"] = "Bearer eyJhbGciOiJSUzI1NiJ9.fixture.signature"
		ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{
				Claims: fixtureClaims(op.Auth),
				Scopes: nil,
			},
		}
	}
	return ev
}

func exampleText(t *testing.T, op operations.Operation, p *openapi3.Parameter) string {
	t.Helper()
	if v, ok := seedValues[p.Name]; ok {
		return v
	}
	ex := p.Example
	if ex == nil && p.Schema != nil && p.Schema.Value != nil {
		ex = p.Schema.Value.Example
	}
	require.NotNil(t, ex, "%s: required parameter %s has no example", op.ID, p.Name)
	return fmt.Sprint(ex)
}

func flatten(v url.Values) map[string]string {
	if len(v) == 0 {
		return nil
	}
	out := map[string]string{}
	for k, vs := range v {
		out[k] = strings.Join(vs, ",")
	}
	return out
}

func nilIfEmpty(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

// encodeEvent writes the event as API Gateway does; aws-lambda-go's struct
// would add an empty mTLS requestContext.authentication, which API Gateway
// sends only with mutual TLS.
func encodeEvent(ev events.APIGatewayV2HTTPRequest) []byte {
	raw, err := json.Marshal(ev)
	if err != nil {
		panic(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		panic(err)
	}
	delete(m["requestContext"].(map[string]any), "authentication")
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// TestEventFixtures keeps events/ in step with the contract: one fixture per
// operation, each the event the contract and the registry describe.
func TestEventFixtures(t *testing.T) {
	doc, err := openapi.Load()
	require.NoError(t, err)
	if *update {
		require.NoError(t, os.MkdirAll(eventsDir, 0o755))
	}
	want := map[string]bool{}
	for _, op := range operations.All {
		name := op.Function() + ".json"
		want[name] = true
		got := encodeEvent(fixtureEvent(t, doc, op))
		path := filepath.Join(eventsDir, name)
		if *update {
			require.NoError(t, os.WriteFile(path, got, 0o644))
			continue
		}
		have, err := os.ReadFile(path)
		if !assert.NoError(t, err, "%s: run `go test ./tests/lambda -run TestEventFixtures -update`", name) {
			continue
		}
		assert.JSONEq(t, string(got), string(have), "%s is stale: run `go test ./tests/lambda -run TestEventFixtures -update`", name)
	}
	entries, err := os.ReadDir(eventsDir)
	require.NoError(t, err)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") && !want[e.Name()] && !strings.HasPrefix(e.Name(), "sam-") {
			t.Errorf("events/%s belongs to no operation", e.Name())
		}
	}
}

// readEvent loads a fixture for the emulator test.
func readEvent(t testing.TB, op operations.Operation) events.APIGatewayV2HTTPRequest {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(eventsDir, op.Function()+".json"))
	require.NoError(t, err)
	var ev events.APIGatewayV2HTTPRequest
	require.NoError(t, json.Unmarshal(raw, &ev))
	return ev
}
