package api_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/operations"
)

// A lost 201 no longer strands the buyer: createHold retried with the same
// Idempotency-Key gets the hold it made, where it answered 409
// active_hold_exists for the hold's ten minutes.
func TestCreateHoldIdempotencyKey(t *testing.T) {
	e := purchaseFixture(t)
	keyed := func(key, body string) request {
		return request{op: operations.CreateHold, claims: buyerClaims("user-ana"), body: body,
			headers: map[string]string{"Idempotency-Key": key}}
	}
	body := holdBody(e.showtime, "A1", "INTEIRA", "A2", "INTEIRA")

	first := call(t, e.hs, keyed("hold-key-0001", body))
	h := decode[gen.Hold](t, first, http.StatusCreated)
	assert.Equal(t, "false", first.Headers["Idempotent-Replayed"])

	t.Run("the same key and body replay the 201 with the same hold", func(t *testing.T) {
		again := call(t, e.hs, keyed("hold-key-0001", body))
		replayed := decode[gen.Hold](t, again, http.StatusCreated)
		assert.Equal(t, h.ID, replayed.ID)
		assert.Equal(t, "true", again.Headers["Idempotent-Replayed"])
	})
	t.Run("the same key with another body is 422 idempotency_key_reused, writing nothing", func(t *testing.T) {
		before := e.items(t)
		decodeProblem(t, call(t, e.hs, keyed("hold-key-0001", holdBody(e.showtime, "A3", "INTEIRA"))),
			http.StatusUnprocessableEntity, "idempotency_key_reused")
		assert.Equal(t, before, e.items(t))
	})
	t.Run("another key, or none, is a new request: the buyer's hold refuses it", func(t *testing.T) {
		decodeProblem(t, call(t, e.hs, keyed("hold-key-0002", body)), http.StatusConflict, "active_hold_exists")
		decodeProblem(t, call(t, e.hs, request{op: operations.CreateHold, claims: buyerClaims("user-ana"), body: body}),
			http.StatusConflict, "active_hold_exists")
	})
	t.Run("a refused request leaves no record: after the release the same key holds anew", func(t *testing.T) {
		decodeProblem(t, call(t, e.hs, keyed("hold-key-0003", holdBody(e.showtime, "A1", "INTEIRA"))), http.StatusConflict, "active_hold_exists")
		resp := call(t, e.hs, request{op: operations.ReleaseHold, claims: buyerClaims("user-ana"), params: map[string]string{"holdId": h.ID}})
		require.Equal(t, http.StatusNoContent, resp.StatusCode, resp.Body)
		decode[gen.Hold](t, call(t, e.hs, keyed("hold-key-0003", holdBody(e.showtime, "A1", "INTEIRA"))), http.StatusCreated)
	})
	t.Run("a malformed key is 400", func(t *testing.T) {
		decodeProblem(t, call(t, e.hs, keyed("short", body)), http.StatusBadRequest, "validation_failed")
	})
}
