package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/app"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/dynamo/dynamotest"
	"bilhetagem/internal/operations"
)

// TestReconciliationOfTheLocalApp is what make reconcile runs: the
// reconciliation built from the same configuration as the local server,
// on its table, after a buyer paid through the app.
func TestReconciliationOfTheLocalApp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := dynamotest.NewStore(t)
	clock := app.ShiftedClock(time.Date(2026, time.December, 7, 20, 0, 0, 0, catalog.Zone), time.Now)
	smallCinema(t, store, clock)
	a := newApp(t, store, clock, nil)
	hold := call(t, a, operations.CreateHold, nil, `{"showtimeId":"st-1","seats":[{"seatId":"A1","ticketType":"INTEIRA"}]}`, http.StatusCreated)
	order := call(t, a, operations.CreateOrder, nil, `{"holdId":"`+hold["id"].(string)+`"}`, http.StatusCreated)
	call(t, a, operations.CreatePayment, map[string]string{"orderId": order["id"].(string)},
		`{"method":"CARD","card":{"token":"sim_4111111111111111","installments":1}}`, http.StatusCreated)

	cfg, err := app.ConfigFrom(func(k string) string {
		return map[string]string{"TABLE_NAME": store.TableName(), "DYNAMODB_ENDPOINT": dynamotest.Endpoint(t)}[k]
	})
	require.NoError(t, err)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	r, err := app.NewReconciliation(ctx, cfg, log, nil, clock)
	require.NoError(t, err)
	got, err := app.Reconcile(ctx, r, log, clock().Add(time.Minute))
	require.NoError(t, err)
	assert.Empty(t, got.Mismatches, "%+v", got.Mismatches)
	assert.Equal(t, 1, got.PaidOrders)
	assert.Equal(t, 1, got.Movements, "the capture of the card, from the simulator's charges in the table")
	until, err := store.ReconciledUntil(ctx, app.ProviderSimulator)
	require.NoError(t, err)
	assert.True(t, until.Equal(got.To))
}

// TestReconciliationOnStripeMock wires the reconciliation to Stripe (on
// stripe-mock): its three lists are accepted and the run completes.
func TestReconciliationOnStripeMock(t *testing.T) {
	t.Parallel()
	require.NoError(t, stripeMockErr, "stripe-mock is required")
	ctx := context.Background()
	store := dynamotest.NewStore(t)
	cfg, err := app.ConfigFrom(func(k string) string {
		return map[string]string{"TABLE_NAME": store.TableName(), "DYNAMODB_ENDPOINT": dynamotest.Endpoint(t), "PSP_PROVIDER": "stripe",
			"STRIPE_SECRET_KEY": "sk_test_bilhetagem", "STRIPE_WEBHOOK_SECRET": "whsec_bilhetagem_test", "STRIPE_API_BASE": stripeMock}[k]
	})
	require.NoError(t, err)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	now := time.Date(2026, time.December, 7, 10, 30, 0, 0, time.UTC)
	r, err := app.NewReconciliation(ctx, cfg, log, nil, func() time.Time { return now })
	require.NoError(t, err)
	_, err = app.Reconcile(ctx, r, log, now)
	require.NoError(t, err)
	until, err := store.ReconciledUntil(ctx, app.ProviderStripe)
	require.NoError(t, err)
	assert.True(t, until.Equal(now), "Stripe's watermark, apart from the simulator's")
}
