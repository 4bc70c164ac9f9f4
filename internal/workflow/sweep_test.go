package workflow_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/booking"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/pricing"
	"bilhetagem/internal/psp"
)

// The sweeper is the purchase workflow's safety net; its tests live beside
// the workflow's, on the same DynamoDB Local fixture.

func (f *fixture) sweeper(page int) orders.Sweeper {
	return orders.Sweeper{Orders: f.orders, Pending: f.store, Page: page, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// another makes one more order, for seat on the fixture's showtime.
func (f *fixture) another(t *testing.T, buyer, seat, id string) orders.Order {
	t.Helper()
	ctx := context.Background()
	h, err := f.orders.Booking.Hold(ctx, buyer, booking.Request{ShowtimeID: f.order.Showtime.ID,
		Seats: []booking.SeatRequest{{SeatID: seat, TicketType: pricing.Inteira}}}, f.now)
	require.NoError(t, err)
	o, err := f.orders.Create(ctx, buyer, id, orders.Request{HoldID: h.ID}, f.now)
	require.NoError(t, err)
	return o
}

func TestSweeperOnDynamoDBLocal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("before the hold expires nothing is found and nothing is written", func(t *testing.T) {
		t.Parallel()
		f := orderFixture(t, 0)
		swept, err := f.sweeper(10).Sweep(ctx, f.order.ExpiresAt.Add(-time.Second))
		require.NoError(t, err)
		assert.Equal(t, orders.Swept{}, swept)
		o, _ := f.state(t)
		assert.Equal(t, orders.PendingPayment, o.Status)
		assert.Equal(t, f.order.Version, o.Version, "not written")
	})

	t.Run("orders never paid EXPIRE with their seats free, page by page; a second sweep finds none", func(t *testing.T) {
		t.Parallel()
		f := orderFixture(t, 0)
		others := []orders.Order{f.another(t, "user-bruno", "A2", "ord-sweep-2"), f.another(t, "user-carla", "A3", "ord-sweep-3")}
		later := f.order.ExpiresAt.Add(time.Second)
		swept, err := f.sweeper(1).Sweep(ctx, later)
		require.NoError(t, err)
		assert.Equal(t, orders.Swept{Found: 3, Settled: 3}, swept)
		for _, id := range []string{f.order.ID, others[0].ID, others[1].ID} {
			o, err := f.store.GetOrder(ctx, id)
			require.NoError(t, err)
			assert.Equal(t, orders.Expired, o.Status, id)
			h, err := f.store.ReadHold(ctx, o.HoldID)
			require.NoError(t, err)
			assert.NotEqual(t, booking.Ordered, h.StatusAt(later), "%s: the seat is free", id)
			assert.NotEqual(t, booking.Confirmed, h.StatusAt(later), id)
		}
		again, err := f.sweeper(1).Sweep(ctx, later.Add(time.Minute))
		require.NoError(t, err)
		assert.Equal(t, orders.Swept{}, again, "an order that left PENDING_PAYMENT leaves the index")
	})

	t.Run("an unpaid Pix is cancelled at the provider when its order expires, so it can no longer be paid", func(t *testing.T) {
		t.Parallel()
		f := orderFixture(t, 0)
		p, err := f.orders.Pay(ctx, "user-ana", f.order.ID, "pay-sweep-pix", orders.PayRequest{Method: psp.Pix}, f.now)
		require.NoError(t, err)
		require.Equal(t, orders.PaymentPending, p.Status)
		swept, err := f.sweeper(10).Sweep(ctx, f.order.ExpiresAt.Add(time.Second))
		require.NoError(t, err)
		assert.Equal(t, orders.Swept{Found: 1, Settled: 1}, swept)
		o, _ := f.state(t)
		assert.Equal(t, orders.Expired, o.Status)
		assert.ErrorContains(t, f.sim.PayPix(p.ID), "EXPIRED", "the provider no longer takes the buyer's Pix")
		assert.Zero(t, f.sim.Captures())
	})

	t.Run("a payment approved whose completion crashed before the seats were sold is refunded when the hold expires", func(t *testing.T) {
		t.Parallel()
		f := orderFixture(t, 1)
		require.Error(t, f.payByCard(t), "the in-process completion hit the injected failure")
		o, _ := f.state(t)
		require.Equal(t, orders.PendingPayment, o.Status)
		later := o.ExpiresAt.Add(time.Second)
		swept, err := f.sweeper(10).Sweep(ctx, later)
		require.NoError(t, err)
		assert.Equal(t, orders.Swept{Found: 1, Settled: 1}, swept)
		o, h := f.state(t)
		assert.Equal(t, orders.Expired, o.Status)
		assert.Equal(t, o.Totals.Total, o.Refund)
		assert.NotEqual(t, booking.Confirmed, h.StatusAt(later), "not sold to an unpaid order")
		p, err := f.store.GetPayment(ctx, o.PaymentID)
		require.NoError(t, err)
		assert.Equal(t, orders.PaymentRefunded, p.Status)
		assert.Equal(t, 1, f.sim.Captures(), "charged once")

		again, err := f.sweeper(10).Sweep(ctx, later)
		require.NoError(t, err)
		assert.Zero(t, again.Found, "idempotent: nothing left to sweep")
	})

	t.Run("a paid order is not in the index", func(t *testing.T) {
		t.Parallel()
		f := orderFixture(t, 0)
		require.NoError(t, f.payByCard(t))
		o, _ := f.state(t)
		require.Equal(t, orders.Paid, o.Status)
		swept, err := f.sweeper(10).Sweep(ctx, o.ExpiresAt.Add(time.Hour))
		require.NoError(t, err)
		assert.Zero(t, swept.Found)
	})

	t.Run("a completion that fails is counted, the sweep goes on, and the error reaches the scheduler", func(t *testing.T) {
		t.Parallel()
		f := orderFixture(t, 1)
		require.Error(t, f.payByCard(t))
		f.another(t, "user-bruno", "A2", "ord-sweep-ok")
		f.sim.SetUnreachable(true) // the refund of the first order cannot go through
		swept, err := f.sweeper(10).Sweep(ctx, f.order.ExpiresAt.Add(time.Second))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "1 of 2")
		assert.Equal(t, orders.Swept{Found: 2, Settled: 1, Failed: 1}, swept)

		f.sim.SetUnreachable(false)
		swept, err = f.sweeper(10).Sweep(ctx, f.order.ExpiresAt.Add(2*time.Minute))
		require.NoError(t, err)
		o, _ := f.state(t)
		assert.Equal(t, orders.Expired, o.Status)
		assert.Equal(t, o.Totals.Total, o.Refund, "refunded by the next sweep")
		assert.Equal(t, 0, swept.Failed)
	})

	t.Run("a cancellation whose refund the PSP could not take is refunded by a sweep", func(t *testing.T) {
		t.Parallel()
		f := orderFixture(t, 0)
		require.NoError(t, f.payByCard(t))
		f.sim.SetUnreachable(true)
		o, err := f.orders.Cancel(ctx, "user-ana", f.order.ID, f.now)
		require.NoError(t, err, "the refund is deferred, the cancellation stands")
		require.Equal(t, orders.Cancelled, o.Status)
		f.sim.SetUnreachable(false)

		swept, err := f.sweeper(10).Sweep(ctx, f.order.ExpiresAt.Add(time.Second))
		require.NoError(t, err)
		assert.Equal(t, orders.Swept{Found: 1, Settled: 1}, swept)
		o, _ = f.state(t)
		assert.Equal(t, orders.Refunded, o.Status)
		assert.Equal(t, o.Totals.Total, o.Refund)
	})

	t.Run("a card approved after its order expired and left the list is listed again and refunded by a sweep", func(t *testing.T) {
		t.Parallel()
		var events []psp.Event
		f := orderFixtureWith(t, 0, nil, func(_ *orders.Service, ev psp.Event) { events = append(events, ev) })
		f.orders.Pending = f.store
		_, err := f.orders.Pay(ctx, "user-ana", f.order.ID, "pay-late-1",
			orders.PayRequest{Method: psp.Card, CardToken: psp.TokenPrefix + psp.CardTimesOut, Installments: 1}, f.now)
		require.NoError(t, err, "no answer in time: PENDING")
		later := f.order.ExpiresAt.Add(time.Second)
		swept, err := f.sweeper(10).Sweep(ctx, later)
		require.NoError(t, err)
		require.Equal(t, orders.Swept{Found: 1, Settled: 1}, swept, "expired, nothing to refund yet: off the list")

		// The issuer approves the card late; the refund cannot go through.
		require.NoError(t, f.sim.Settle("pay-late-1", true))
		f.sim.Flush()
		require.Len(t, events, 1)
		f.sim.SetUnreachable(true)
		_, err = f.orders.HandleEvent(ctx, events[0], later.Add(time.Minute))
		require.Error(t, err, "the refund failed")
		f.sim.SetUnreachable(false)

		swept, err = f.sweeper(10).Sweep(ctx, later.Add(2*time.Minute))
		require.NoError(t, err)
		assert.Equal(t, orders.Swept{Found: 1, Settled: 1}, swept, "the order is back on the list")
		o, _ := f.state(t)
		assert.Equal(t, orders.Expired, o.Status)
		assert.Equal(t, o.Totals.Total, o.Refund, "refunded by the sweep")
		p, err := f.store.GetPayment(ctx, "pay-late-1")
		require.NoError(t, err)
		assert.Equal(t, orders.PaymentRefunded, p.Status)
	})

	t.Run("an order whose refund keeps failing is tried again with backoff and logged as stuck after 5 sweeps", func(t *testing.T) {
		t.Parallel()
		f := orderFixture(t, 1)
		require.Error(t, f.payByCard(t), "approved, the completion crashed before the seats were sold")
		f.sim.SetUnreachable(true) // the provider refuses every refund
		var logs bytes.Buffer
		sw := f.sweeper(10)
		sw.Log = slog.New(slog.NewJSONHandler(&logs, nil))

		at := f.order.ExpiresAt.Add(time.Second)
		for n := 1; n <= orders.AlarmAfterAttempts; n++ {
			swept, err := sw.Sweep(ctx, at)
			require.Error(t, err, "sweep %d: %+v %s", n, swept, logs.String())
			require.Equal(t, orders.Swept{Found: 1, Failed: 1}, swept, "sweep %d tries it", n)
			o, _ := f.state(t)
			assert.Equal(t, n, o.SweepAttempts)
			wait := orders.SweepBackoff(n)
			assert.True(t, o.RetryAt.Equal(at.Add(wait)), "sweep %d: retry at %s, want %s", n, o.RetryAt, at.Add(wait))
			assert.Equal(t, n == orders.AlarmAfterAttempts, strings.Contains(logs.String(), orders.StuckMessage),
				"sweep %d: stuck is logged from attempt %d on", n, orders.AlarmAfterAttempts)

			early, err := sw.Sweep(ctx, at.Add(wait-time.Second))
			require.NoError(t, err)
			assert.Zero(t, early.Found, "sweep %d: not tried again before its backoff", n)
			at = at.Add(wait)
		}
		assert.Equal(t, []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute},
			[]time.Duration{orders.SweepBackoff(1), orders.SweepBackoff(2), orders.SweepBackoff(3), orders.SweepBackoff(4), orders.SweepBackoff(5)})
		assert.Equal(t, orders.MaxSweepBackoff, orders.SweepBackoff(40))

		f.sim.SetUnreachable(false)
		swept, err := sw.Sweep(ctx, at)
		require.NoError(t, err)
		assert.Equal(t, orders.Swept{Found: 1, Settled: 1}, swept)
		o, _ := f.state(t)
		assert.Equal(t, o.Totals.Total, o.Refund, "refunded once the provider answers")
	})
}
