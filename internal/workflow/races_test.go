package workflow_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/booking"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/psp"
	"bilhetagem/internal/tickets"
)

// The sale of an order's seats and the close of the order (expired or
// failed) are exclusive: whichever commits first, the other fails, so a
// seat is never SOLD to an order that was given up (docs/adr/0006). Each
// case below replays one interleaving of the buyer's completion and the
// sweeper's, deterministically: the first write of one runs between the
// other's read and its write.

// approvedNotSold is an order paid by an approved card whose seats are not
// sold yet: the completion stopped between "payment approved" and "seats
// sold" (its first ConfirmHold failed).
func approvedNotSold(t *testing.T) *fixture {
	t.Helper()
	f := orderFixture(t, 1)
	require.Error(t, f.payByCard(t), "the completion stops at the injected failure")
	o, h := f.state(t)
	require.Equal(t, orders.PendingPayment, o.Status)
	require.Equal(t, booking.Ordered, h.Status)
	return f
}

// soldToNoOne reports the seats SOLD to an order that has no valid ticket
// for them.
func soldToNoOne(t *testing.T, f *fixture) []string {
	t.Helper()
	ctx := context.Background()
	_, claims, err := f.store.GetShowtime(ctx, f.order.Showtime.ID)
	require.NoError(t, err)
	ts, _, err := f.store.TicketsByBuyer(ctx, f.order.Buyer, tickets.Valid, 50, "")
	require.NoError(t, err)
	valid := map[string]bool{}
	for _, tk := range ts {
		valid[tk.SeatID] = true
	}
	var out []string
	for _, c := range claims {
		if c.Status == catalog.SeatSold && !valid[c.SeatID] {
			out = append(out, c.SeatID)
		}
	}
	return out
}

func TestSaleAndCloseOfAnOrderAreExclusive(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("a sale decided before the expiry and written after the sweeper closed the order fails", func(t *testing.T) {
		t.Parallel()
		f := approvedNotSold(t)
		decided := f.now // the buyer's completion read the hold as unexpired here
		late := f.order.ExpiresAt.Add(time.Second)

		// The sweeper runs first: the order expires and the payment is refunded.
		o, err := f.orders.Complete(ctx, f.order.ID, late)
		require.NoError(t, err)
		require.Equal(t, orders.Expired, o.Status)
		_, _, p := f.full(t)
		require.Equal(t, orders.PaymentRefunded, p.Status)

		// Then the buyer's confirmation, with the time it decided at.
		err = (&booking.Service{Store: f.store}).Confirm(ctx, f.order.HoldID, f.order.ID, decided)
		require.Error(t, err, "seats are never sold to an expired order")
		assert.Equal(t, errs.Conflict, errs.KindOf(err))

		o, err = f.orders.Complete(ctx, f.order.ID, late)
		require.NoError(t, err)
		assert.Equal(t, orders.Expired, o.Status)
		assert.Empty(t, soldToNoOne(t, f), "no seat is sold without a ticket")
	})

	t.Run("a close decided before the sale and written after it fails, and the order is paid", func(t *testing.T) {
		t.Parallel()
		f := approvedNotSold(t)
		late := f.order.ExpiresAt.Add(time.Second)

		// The sweeper read the order waiting for payment...
		stale, err := f.store.GetOrder(ctx, f.order.ID)
		require.NoError(t, err)
		// ...then the buyer's completion sold the seats, before the expiry...
		require.NoError(t, (&booking.Service{Store: f.store}).Confirm(ctx, f.order.HoldID, f.order.ID, f.now))
		// ...and the sweeper's close comes after.
		stale.Status = orders.Expired
		assert.ErrorIs(t, f.store.CloseOrder(ctx, stale), orders.ErrStale, "an order whose seats were sold is never closed")

		o, err := f.orders.Complete(ctx, f.order.ID, late)
		require.NoError(t, err)
		assert.Equal(t, orders.Paid, o.Status, "paid in time, its tickets are issued")
		assert.Empty(t, soldToNoOne(t, f))
		_, _, p := f.full(t)
		assert.Equal(t, orders.PaymentApproved, p.Status, "and not refunded")
	})
}

// full is the order, its hold and its payment as stored.
func (f *fixture) full(t *testing.T) (orders.Order, booking.Hold, orders.Payment) {
	t.Helper()
	o, h := f.state(t)
	p, err := f.store.GetPayment(context.Background(), o.PaymentID)
	require.NoError(t, err)
	return o, h, p
}

// A provider refund (its support desk, or a chargeback) that lands after
// the order's seats were sold and before its tickets were issued: the
// completion cannot fail the order (its seats are sold to it, so the close
// is refused) and used to retry that close for ever, leaving the seats
// SOLD with no ticket and the money gone. Found by TestInterleavings
// (seed 83). The order is finished forward and then voided, as a PAID
// order refunded by the provider is.
func TestProviderRefundBetweenSaleAndTicketsVoidsTheOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var (
		mu     sync.Mutex
		events []psp.Event
	)
	f := orderFixtureWith(t, 0, func(s *dynamo.Store) orders.Store { return &issueFails{Store: s, n: 1} },
		func(_ *orders.Service, ev psp.Event) {
			mu.Lock()
			events = append(events, ev)
			mu.Unlock()
		})
	require.Error(t, f.payByCard(t), "the completion stops between the sale and the tickets")
	o, h, p := f.full(t)
	require.Equal(t, orders.PendingPayment, o.Status)
	require.Equal(t, booking.Confirmed, h.Status, "the seats are sold")
	require.Equal(t, orders.PaymentApproved, p.Status)

	require.NoError(t, f.sim.Refund(ctx, psp.RefundRequest{PaymentID: p.ID, Amount: p.Amount}), "the provider refunds on its own")
	f.sim.Flush()
	var refunded psp.Event
	for _, ev := range events {
		if ev.Type == psp.EventRefunded {
			refunded = ev
		}
	}
	require.NotEmpty(t, refunded.ID)
	_, err := f.orders.HandleEvent(ctx, refunded, f.now)
	require.NoError(t, err, "the completion ends")

	o, h, p = f.full(t)
	assert.Equal(t, orders.Refunded, o.Status)
	assert.Equal(t, p.Amount, o.Refund)
	assert.Equal(t, orders.PaymentRefunded, p.Status)
	assert.Equal(t, booking.Released, h.Status, "the seats go back on sale")
	_, claims, err := f.store.GetShowtime(ctx, o.Showtime.ID)
	require.NoError(t, err)
	for _, c := range claims {
		assert.NotEqual(t, catalog.SeatSold, c.Status, "%s is not sold to a refunded order", c.SeatID)
	}
	ts, _, err := f.store.TicketsByBuyer(ctx, o.Buyer, tickets.Valid, 50, "")
	require.NoError(t, err)
	assert.Empty(t, ts, "no ticket stays valid")
	next, err := f.orders.Next(ctx, o.ID, f.now)
	require.NoError(t, err)
	assert.Equal(t, orders.StepDone, next)
}

// The provider's refund of a Pix paid and refunded at once reaches the
// webhook before its approval (deliveries are out of order). The refund
// used to be ignored, since a PENDING payment could only be approved, and
// the late approval then sold the seats and issued tickets for money the
// buyer already had back. Found by TestInterleavings (seed 97). A refund
// implies the capture before it: it is taken from PENDING too, and the
// approval that comes after changes nothing.
func TestARefundDeliveredBeforeItsApprovalStands(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var (
		mu     sync.Mutex
		events = map[psp.EventType]psp.Event{}
	)
	f := orderFixtureWith(t, 0, nil, func(_ *orders.Service, ev psp.Event) {
		mu.Lock()
		events[ev.Type] = ev
		mu.Unlock()
	})
	_, err := f.orders.Pay(ctx, "user-ana", f.order.ID, "pay-pix-1", orders.PayRequest{Method: psp.Pix}, f.now)
	require.NoError(t, err)
	require.NoError(t, f.sim.PayPix("pay-pix-1"), "the buyer pays")
	o, _, p := f.full(t)
	require.NoError(t, f.sim.Refund(ctx, psp.RefundRequest{PaymentID: p.ID, Amount: p.Amount}), "and the provider refunds it")
	f.sim.Flush()
	require.Contains(t, events, psp.EventApproved)
	require.Contains(t, events, psp.EventRefunded)

	res, err := f.orders.HandleEvent(ctx, events[psp.EventRefunded], f.now)
	require.NoError(t, err)
	assert.Equal(t, orders.EventProcessed, res, "the refund is taken")
	_, err = f.orders.HandleEvent(ctx, events[psp.EventApproved], f.now)
	require.NoError(t, err)

	o, h, p := f.full(t)
	assert.NotEqual(t, orders.Paid, o.Status, "no sale for money given back")
	assert.Equal(t, orders.PaymentRefunded, p.Status)
	assert.Equal(t, p.Amount, o.Refund, "the refund is recorded on the order")
	assert.NotEqual(t, booking.Confirmed, h.Status)
	assert.Empty(t, soldToNoOne(t, f))
	ts, _, err := f.store.TicketsByBuyer(ctx, o.Buyer, tickets.Valid, 50, "")
	require.NoError(t, err)
	assert.Empty(t, ts)
}
