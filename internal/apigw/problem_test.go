package apigw_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/apigw"
	"bilhetagem/internal/errs"
)

func TestProblem(t *testing.T) {
	t.Parallel()
	decode := func(t *testing.T, body string) map[string]any {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(body), &m))
		return m
	}
	t.Run("a known code gets the contract's title and a hyphenated type", func(t *testing.T) {
		e := errs.E(errs.Conflict, "seat_taken", "os assentos F13 acabaram de ser reservados")
		e.Seats = []string{"F13"}
		resp := apigw.Problem(e, "rid-1", "/api/holds")
		assert.Equal(t, http.StatusConflict, resp.StatusCode)
		m := decode(t, resp.Body)
		assert.Equal(t, "Assento indisponível", m["title"])
		assert.Equal(t, "/problems/seat-taken", m["type"])
		assert.Equal(t, []any{"F13"}, m["seats"])
		assert.Equal(t, "rid-1", m["requestId"])
	})
	t.Run("an internal error hides its cause", func(t *testing.T) {
		resp := apigw.Problem(errors.New("dial tcp 10.0.0.1: secret detail"), "rid-2", "/api/x")
		assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
		assert.NotContains(t, resp.Body, "secret")
		assert.Equal(t, "internal", decode(t, resp.Body)["code"])
	})
	t.Run("unavailable asks the client to retry later", func(t *testing.T) {
		resp := apigw.Problem(errs.E(errs.Unavailable, "service_unavailable", "tente novamente"), "rid-3", "/api/x")
		assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
		assert.NotEmpty(t, resp.Headers["Retry-After"])
		assert.Equal(t, apigw.ProblemContentType, resp.Headers["Content-Type"])
	})
	t.Run("every kind maps to a 4xx or 5xx status", func(t *testing.T) {
		for k := errs.Internal; k <= errs.NotImplemented; k++ {
			st := apigw.StatusOf(&errs.Error{Kind: k, Code: "x"})
			assert.GreaterOrEqual(t, st, 400, "kind %d", k)
		}
	})
}
