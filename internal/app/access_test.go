package app_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/app"
	"bilhetagem/internal/booking"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/dynamo/dynamotest"
	"bilhetagem/internal/operations"
)

func TestAccessConfig(t *testing.T) {
	t.Parallel()
	env := func(kv ...string) func(string) string {
		m := map[string]string{"TABLE_NAME": "t"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	t.Run("the defaults are 10 holds and 20 orders a minute per buyer and no staff e-mails", func(t *testing.T) {
		t.Parallel()
		c, err := app.ConfigFrom(env())
		require.NoError(t, err)
		assert.Equal(t, app.AccessConfig{HoldsPerMinute: 10, OrdersPerMinute: 20}, c.Access)
		l := c.Access.Limiter(nil)
		require.NotNil(t, l)
		assert.True(t, l.Limited(operations.CreateHold))
		assert.True(t, l.Limited(operations.CreateOrder))
		assert.False(t, l.Limited(operations.CreatePayment))
	})
	t.Run("limits and staff e-mails are read from the environment, e-mails lower-cased", func(t *testing.T) {
		t.Parallel()
		c, err := app.ConfigFrom(env("RATE_LIMIT_HOLDS_PER_MINUTE", "5", "RATE_LIMIT_ORDERS_PER_MINUTE", "7",
			"STAFF_EMAILS", " Gerente@Cinema.com.br, ,porteiro@cinema.com.br"))
		require.NoError(t, err)
		assert.Equal(t, app.AccessConfig{HoldsPerMinute: 5, OrdersPerMinute: 7,
			StaffEmails: []string{"gerente@cinema.com.br", "porteiro@cinema.com.br"}}, c.Access)
	})
	t.Run("zero turns both limits off", func(t *testing.T) {
		t.Parallel()
		c, err := app.ConfigFrom(env("RATE_LIMIT_HOLDS_PER_MINUTE", "0", "RATE_LIMIT_ORDERS_PER_MINUTE", "0"))
		require.NoError(t, err)
		assert.Nil(t, c.Access.Limiter(nil))
	})
	for _, tc := range []struct{ name, key, value string }{
		{"a negative limit fails fast", "RATE_LIMIT_HOLDS_PER_MINUTE", "-1"},
		{"a limit that is not a number fails fast", "RATE_LIMIT_ORDERS_PER_MINUTE", "vinte"},
		{"a limit over 1000 fails fast", "RATE_LIMIT_ORDERS_PER_MINUTE", "1001"},
		{"a staff entry without @ fails fast", "STAFF_EMAILS", "gerente"},
		{"a staff entry with two @ fails fast", "STAFF_EMAILS", "a@b@c"},
		{"a staff entry with a display name fails fast", "STAFF_EMAILS", "Gerente <g@cinema.com.br>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := app.ConfigFrom(env(tc.key, tc.value))
			assert.ErrorContains(t, err, tc.key)
		})
	}
}

func TestBuyerLimitsConfig(t *testing.T) {
	t.Parallel()
	env := func(kv ...string) func(string) string {
		m := map[string]string{"TABLE_NAME": "t"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	t.Run("the defaults are 2 holds and 20 seats at once, 6 holds of a showtime an hour", func(t *testing.T) {
		t.Parallel()
		c, err := app.ConfigFrom(env())
		require.NoError(t, err)
		assert.Equal(t, booking.BuyerLimits{Holds: 2, Seats: 20, Churn: 6, ChurnWindow: time.Hour}, c.BuyerLimits)
	})
	t.Run("each limit is read from the environment, and 0 turns the churn limit off", func(t *testing.T) {
		t.Parallel()
		c, err := app.ConfigFrom(env("HOLDS_PER_BUYER", "3", "HELD_SEATS_PER_BUYER", "12",
			"HOLD_CHURN_PER_SHOWTIME", "0", "HOLD_CHURN_WINDOW_MINUTES", "30"))
		require.NoError(t, err)
		assert.Equal(t, booking.BuyerLimits{Holds: 3, Seats: 12, Churn: 0, ChurnWindow: 30 * time.Minute}, c.BuyerLimits)
	})
	for _, tc := range []struct{ name, key, value string }{
		{"no hold at all fails fast", "HOLDS_PER_BUYER", "0"},
		{"more than 10 holds fails fast", "HOLDS_PER_BUYER", "11"},
		{"a seat limit that is not a number fails fast", "HELD_SEATS_PER_BUYER", "vinte"},
		{"a negative churn limit fails fast", "HOLD_CHURN_PER_SHOWTIME", "-1"},
		{"a churn window over a day fails fast", "HOLD_CHURN_WINDOW_MINUTES", "1441"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := app.ConfigFrom(env(tc.key, tc.value))
			assert.ErrorContains(t, err, tc.key)
		})
	}
}

// TestAccessWiring builds the app from the environment as a Lambda does and
// checks both settings reach the handlers.
func TestAccessWiring(t *testing.T) {
	t.Parallel()
	store := dynamotest.NewStore(t)
	ctx := context.Background()
	cfg, err := app.ConfigFrom(func(k string) string {
		return map[string]string{"TABLE_NAME": store.TableName(), "DYNAMODB_ENDPOINT": dynamotest.Endpoint(t),
			"RATE_LIMIT_HOLDS_PER_MINUTE": "1", "STAFF_EMAILS": "gerente@cinema.com.br"}[k]
	})
	require.NoError(t, err)
	// A stopped clock, one second before a minute (and a day) turns in São
	// Paulo: both calls below fall in the same rate-limit window.
	at := time.Date(2026, time.December, 7, 23, 59, 59, 0, catalog.Zone)
	a, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), func() time.Time { return at })
	require.NoError(t, err)
	do := func(opID, body string, claims map[string]string) events.APIGatewayV2HTTPResponse {
		t.Helper()
		op, _ := operations.ByID(opID)
		resp, err := a.Handlers[opID].Handle(ctx, events.APIGatewayV2HTTPRequest{
			Version: "2.0", RawPath: "/api" + op.Path, Body: body, Headers: map[string]string{"content-type": "application/json"},
			RequestContext: events.APIGatewayV2HTTPRequestContext{RequestID: "req-access",
				HTTP:       events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: op.Method, Path: "/api" + op.Path},
				Authorizer: &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims}}},
		})
		require.NoError(t, err)
		return resp
	}

	t.Run("createHold/429 on the second hold of a minute with RATE_LIMIT_HOLDS_PER_MINUTE=1", func(t *testing.T) {
		body := `{"showtimeId":"st-none","seats":[{"seatId":"A1","ticketType":"INTEIRA"}]}`
		sub := map[string]string{"sub": "user-rate"}
		first := do(operations.CreateHold, body, sub)
		second := do(operations.CreateHold, body, sub)
		assert.Equal(t, http.StatusNotFound, first.StatusCode, "the first call reaches the handler: no such showtime")
		require.Equal(t, http.StatusTooManyRequests, second.StatusCode, second.Body)
		assert.Equal(t, "1", second.Headers["Retry-After"], "the window ends with the minute")
	})
	t.Run("getMe/200 lists the staff role for a verified allow-listed e-mail, not for an unverified one", func(t *testing.T) {
		roles := func(verified string) []any {
			resp := do(operations.GetMe, "", map[string]string{"sub": "google-1", "email": "Gerente@Cinema.com.br", "email_verified": verified})
			require.Equal(t, http.StatusOK, resp.StatusCode, resp.Body)
			var me map[string]any
			require.NoError(t, json.Unmarshal([]byte(resp.Body), &me))
			return me["roles"].([]any)
		}
		assert.Equal(t, []any{"buyer", "staff"}, roles("true"))
		assert.Equal(t, []any{"buyer"}, roles("false"))
	})
}
