package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/api"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/booking"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/concessions"
	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/dynamo/dynamotest"
	"bilhetagem/internal/operations"
	"bilhetagem/openapi"
	"bilhetagem/seed"
)

func TestMain(m *testing.M) { os.Exit(dynamotest.Main(m)) }

// now is the fixed clock of these tests: a Thursday evening in São Paulo.
var now = time.Date(2026, time.December, 3, 21, 0, 0, 0, time.UTC)

var (
	validatorOnce sync.Once
	validator     *apigw.Validator
	validatorErr  error
)

func specValidator(t *testing.T) *apigw.Validator {
	t.Helper()
	validatorOnce.Do(func() {
		doc, err := openapi.Load()
		if err != nil {
			validatorErr = err
			return
		}
		validator, validatorErr = apigw.NewValidator(doc)
	})
	require.NoError(t, validatorErr)
	return validator
}

// seeded is a table filled by the real seed for the day of now, shared by the
// read-only tests of this package.
var (
	seedOnce  sync.Once
	seedStore *dynamo.Store
	seedData  *seed.Catalog
	seedErr   error
)

func seededHandlers(t *testing.T) (map[string]apigw.Handler, *seed.Catalog) {
	t.Helper()
	endpoint := dynamotest.Endpoint(t)
	seedOnce.Do(func() {
		// The shared table outlives any one test; it goes with DynamoDB Local.
		store, err := dynamotest.NewTable(endpoint)
		if err == nil {
			_, err = seed.Apply(context.Background(), store, catalog.DateOf(now))
		}
		if err == nil {
			seedData, err = seed.Build(catalog.DateOf(now))
		}
		seedStore, seedErr = store, err
	})
	require.NoError(t, seedErr, "the seeded table could not be made")
	return build(t, seedStore), seedData
}

func build(t *testing.T, store *dynamo.Store) map[string]apigw.Handler {
	t.Helper()
	return buildAt(t, store, func() time.Time { return now })
}

// buildAt builds every handler on the store with a clock.
func buildAt(t *testing.T, store *dynamo.Store, clock func() time.Time) map[string]apigw.Handler {
	t.Helper()
	return api.Build(api.Deps{
		Catalog:     &catalog.Service{Store: store},
		Booking:     &booking.Service{Store: store, Policy: booking.DefaultPolicy},
		Concessions: &concessions.Service{Source: store, Ranker: concessions.NewRanker()},
		Store:       store,
		Now:         clock,
		Log:         slog.New(slog.NewTextHandler(io.Discard, nil)),
	}, specValidator(t))
}

type request struct {
	op      string
	params  map[string]string
	query   url.Values
	body    string
	claims  map[string]string
	headers map[string]string // beyond content-type: Idempotency-Key, X-Signature, X-Waiting-Room-Token
}

// call sends the API Gateway v2 event the HTTP API would send for r.
func call(t *testing.T, hs map[string]apigw.Handler, r request) events.APIGatewayV2HTTPResponse {
	t.Helper()
	op, ok := operations.ByID(r.op)
	require.True(t, ok, "unknown operation %s", r.op)
	path := op.Path
	for k, v := range r.params {
		path = strings.ReplaceAll(path, "{"+k+"}", url.PathEscape(v))
	}
	headers := map[string]string{"content-type": "application/json"}
	for k, v := range r.headers {
		headers[strings.ToLower(k)] = v // API Gateway lower-cases header names
	}
	ev := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: op.Method + " /api" + op.Path, RawPath: "/api" + path,
		RawQueryString: r.query.Encode(), Headers: headers,
		PathParameters: r.params, Body: r.body,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RequestID: "req-test", Stage: "$default", RouteKey: op.Method + " /api" + op.Path,
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: op.Method, Path: "/api" + path},
		},
	}
	if len(r.query) > 0 {
		ev.QueryStringParameters = map[string]string{}
		for k := range r.query {
			ev.QueryStringParameters[k] = r.query.Get(k)
		}
	}
	if r.claims != nil {
		ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: r.claims},
		}
	}
	resp, err := hs[r.op].Handle(context.Background(), ev)
	require.NoError(t, err, "a handler never returns an error: failures are responses")
	return resp
}

type problem struct {
	Type, Title, Detail, Code, RequestID string
	Status                               int
	Errors                               []struct{ Field, Message string }
}

func decodeProblem(t *testing.T, resp events.APIGatewayV2HTTPResponse, status int, code string) problem {
	t.Helper()
	require.Equal(t, status, resp.StatusCode, resp.Body)
	assert.Equal(t, apigw.ProblemContentType, resp.Headers["Content-Type"])
	var p problem
	require.NoError(t, json.Unmarshal([]byte(resp.Body), &p))
	assert.Equal(t, status, p.Status)
	assert.Equal(t, code, p.Code)
	assert.NotEmpty(t, p.Title)
	assert.Equal(t, "req-test", p.RequestID)
	return p
}

func decode[T any](t *testing.T, resp events.APIGatewayV2HTTPResponse, status int) T {
	t.Helper()
	require.Equal(t, status, resp.StatusCode, resp.Body)
	assert.Equal(t, "application/json", resp.Headers["Content-Type"])
	var v T
	require.NoError(t, json.Unmarshal([]byte(resp.Body), &v))
	return v
}

var buyer = map[string]string{"sub": "user-ana", "email": "ana@exemplo.com.br", "name": "Ana Souza", "groups": "[]"}
var staff = map[string]string{"sub": "user-carla", "email": "carla@exemplo.com.br", "name": "Carla Mendes", "groups": "[staff]"}

// TestUnwiredOperationsAnswer501 builds the handlers without the purchase
// and premiere services, as a deployment that has not configured them would:
// those operations answer 501 from a real handler and pretend nothing.
func TestUnwiredOperationsAnswer501(t *testing.T) {
	t.Parallel()
	hs, _ := seededHandlers(t)
	t.Run("listMyOrders/501 when orders are not wired", func(t *testing.T) {
		decodeProblem(t, call(t, hs, request{op: operations.ListMyOrders, claims: buyer}), http.StatusNotImplemented, "not_implemented")
	})
}

func TestAuthLevels(t *testing.T) {
	t.Parallel()
	hs, _ := seededHandlers(t)
	t.Run("getMe/401 without claims", func(t *testing.T) {
		decodeProblem(t, call(t, hs, request{op: operations.GetMe}), http.StatusUnauthorized, "unauthorized")
	})
	t.Run("getMe/401 with claims but no subject", func(t *testing.T) {
		decodeProblem(t, call(t, hs, request{op: operations.GetMe, claims: map[string]string{"email": "x@y.z"}}), http.StatusUnauthorized, "unauthorized")
	})
	t.Run("getMe/200 names the buyer", func(t *testing.T) {
		me := decode[map[string]any](t, call(t, hs, request{op: operations.GetMe, claims: buyer}), http.StatusOK)
		assert.Equal(t, "user-ana", me["sub"])
		assert.Equal(t, []any{"buyer"}, me["roles"])
	})
	t.Run("getMe/200 gives staff both roles", func(t *testing.T) {
		me := decode[map[string]any](t, call(t, hs, request{op: operations.GetMe, claims: staff}), http.StatusOK)
		assert.Equal(t, []any{"buyer", "staff"}, me["roles"])
	})
	t.Run("getScalingPlan/403 for a buyer", func(t *testing.T) {
		decodeProblem(t, call(t, hs, request{op: operations.GetScalingPlan, claims: buyer}), http.StatusForbidden, "forbidden")
	})
	t.Run("getScalingPlan/501 for staff when premiere readiness is not wired, as in a deployment without it (premiere_test.go wires it)", func(t *testing.T) {
		decodeProblem(t, call(t, hs, request{op: operations.GetScalingPlan, claims: staff}), http.StatusNotImplemented, "not_implemented")
	})
}

func TestBodyLimit(t *testing.T) {
	t.Parallel()
	hs, _ := seededHandlers(t)
	big := `{"showtimeId":"` + strings.Repeat("x", apigw.MaxBodyBytes) + `"}`
	t.Run("createHold/413 for a body over 64 KiB", func(t *testing.T) {
		decodeProblem(t, call(t, hs, request{op: operations.CreateHold, claims: buyer, body: big}), http.StatusRequestEntityTooLarge, "payload_too_large")
	})
}

func TestHealth(t *testing.T) {
	t.Parallel()
	t.Run("getHealth/200 when the table answers", func(t *testing.T) {
		hs, _ := seededHandlers(t)
		h := decode[map[string]any](t, call(t, hs, request{op: operations.GetHealth}), http.StatusOK)
		assert.Equal(t, "ok", h["status"])
		assert.Equal(t, "ok", h["table"])
	})
	t.Run("getHealth/503 with Retry-After when DynamoDB is unreachable", func(t *testing.T) {
		down, err := dynamo.Open(context.Background(), dynamo.Config{Table: "t", Endpoint: "http://127.0.0.1:1", MaxAttempts: 1, Timeout: time.Second})
		require.NoError(t, err)
		resp := call(t, build(t, down), request{op: operations.GetHealth})
		p := decodeProblem(t, resp, http.StatusServiceUnavailable, "service_unavailable")
		assert.NotEmpty(t, resp.Headers["Retry-After"])
		assert.NotContains(t, p.Detail, "127.0.0.1", "no internal detail reaches the client")
		assert.NotContains(t, resp.Body, "dial tcp")
	})
	t.Run("listCinemas/503 when the table is missing, with no internals", func(t *testing.T) {
		gone, err := dynamo.Open(context.Background(), dynamo.Config{Table: "no-such-table", Endpoint: dynamotest.Endpoint(t)})
		require.NoError(t, err)
		resp := call(t, build(t, gone), request{op: operations.ListCinemas})
		decodeProblem(t, resp, http.StatusServiceUnavailable, "service_unavailable")
		assert.NotContains(t, resp.Body, "ResourceNotFound")
	})
}
