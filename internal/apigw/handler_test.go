package apigw_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/apigw"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/operations"
	"bilhetagem/openapi"
)

func TestWrapLogsWhatFailed(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Parse()
	require.NoError(t, err)
	v, err := apigw.NewValidator(doc)
	require.NoError(t, err)
	op, _ := operations.ByID(operations.GetHealth)
	storeDown := apigw.HandlerFunc(func(ctx context.Context, _ events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{}, errs.E(errs.Unavailable, "service_unavailable", "fora do ar")
	})
	req := events.APIGatewayV2HTTPRequest{RawPath: "/api/health", RequestContext: events.APIGatewayV2HTTPRequestContext{RequestID: "rid"}}
	call := func(ctx context.Context) (events.APIGatewayV2HTTPResponse, string) {
		var buf bytes.Buffer
		h := apigw.Wrap(op, v, slog.New(slog.NewJSONHandler(&buf, nil)), storeDown)
		resp, err := h.Handle(ctx, req)
		require.NoError(t, err)
		return resp, buf.String()
	}

	t.Run("a store that fails the request is an error in the log", func(t *testing.T) {
		t.Parallel()
		resp, log := call(context.Background())
		assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
		assert.Contains(t, log, `"level":"ERROR"`)
	})
	t.Run("a client that went away is information, not an error", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		resp, log := call(ctx)
		assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, "the answer nobody reads is unchanged")
		assert.NotContains(t, log, `"level":"ERROR"`)
		assert.True(t, strings.Contains(log, `"clientGone":true`), log)
	})
}
