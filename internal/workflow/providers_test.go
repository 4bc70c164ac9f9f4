package workflow_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/booking"
	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/dynamo/dynamotest"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/pricing"
	"bilhetagem/internal/psp"
	"bilhetagem/internal/psp/psptest"
	"bilhetagem/internal/psp/stripepsp/stripetest"
	"bilhetagem/internal/tickets"
)

// TestProvidersLeadToTheSameOrder plays the behaviours of the payment
// conformance suite (psptest) through the application: the order is paid
// through the provider, the world acts, and each webhook the provider sends
// is read by its own psp.Webhooks and handed to orders.Service.HandleEvent,
// as the webhook handler does. Every provider leaves the order, and its
// payment, the same way.
func TestProvidersLeadToTheSameOrder(t *testing.T) {
	t.Parallel()
	for _, p := range []struct {
		name string
		h    psptest.Harness
	}{{"simulator", psptest.Simulator{}}, {"stripe", stripetest.Harness{}}} {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			for _, tc := range []struct {
				name    psptest.Behaviour
				play    func(r *purchase)
				order   orders.Status
				payment orders.PaymentStatus
			}{
				{psptest.CardApproved, func(r *purchase) { r.pay(psp.Card, psp.Approved) }, orders.Paid, orders.PaymentApproved},
				{psptest.CardDeclined, func(r *purchase) { r.pay(psp.Card, psp.Declined) }, orders.Failed, orders.PaymentDeclined},
				{psptest.CardPendingThenApproved, func(r *purchase) {
					r.pay(psp.Card, psp.Pending)
					r.act(psptest.Authenticate)
				}, orders.Paid, orders.PaymentApproved},
				{psptest.PixPaid, func(r *purchase) {
					r.pay(psp.Pix, psp.Pending)
					r.act(psptest.PayPix)
				}, orders.Paid, orders.PaymentApproved},
				{psptest.PixExpired, func(r *purchase) {
					r.pay(psp.Pix, psp.Pending)
					r.now = r.order.ExpiresAt
					r.act(psptest.PixDue)
				}, orders.Expired, orders.PaymentExpired},
				{psptest.PixCancelled, func(r *purchase) {
					r.pay(psp.Pix, psp.Pending)
					r.now = r.order.ExpiresAt
					_, err := r.orders.Complete(context.Background(), r.order.ID, r.now) // expires the order and cancels its charge
					require.NoError(r.t, err)
					assert.Equal(r.t, []orders.EventResult{orders.EventProcessed}, r.deliver())
				}, orders.Expired, orders.PaymentExpired},
				{psptest.Refund, func(r *purchase) {
					r.pay(psp.Card, psp.Approved)
					_, err := r.orders.Cancel(context.Background(), purchaser, r.order.ID, r.now) // the buyer cancels: refunded through the provider
					require.NoError(r.t, err)
					assert.Equal(r.t, []orders.EventResult{orders.EventIgnored}, r.deliver(), "the provider's refund, already recorded")
				}, orders.Refunded, orders.PaymentRefunded},
				{psptest.DuplicateWebhook, func(r *purchase) {
					r.pay(psp.Card, psp.Pending)
					r.session.Do(r.t, psptest.DropAcks, "")
					assert.Equal(r.t, []orders.EventResult{orders.EventProcessed, orders.EventDuplicate}, r.act(psptest.Authenticate))
				}, orders.Paid, orders.PaymentApproved},
				{psptest.Chargeback, func(r *purchase) {
					r.pay(psp.Card, psp.Approved)
					assert.Equal(r.t, []orders.EventResult{orders.EventProcessed}, r.act(psptest.Dispute))
				}, orders.Refunded, orders.PaymentRefunded},
			} {
				t.Run(string(tc.name), func(t *testing.T) {
					t.Parallel()
					r := newPurchase(t, p.h)
					tc.play(r)
					o, err := r.store.GetOrder(context.Background(), r.order.ID)
					require.NoError(t, err)
					pay, err := r.store.GetPayment(context.Background(), o.PaymentID)
					require.NoError(t, err)
					assert.Equal(t, tc.order, o.Status)
					assert.Equal(t, tc.payment, pay.Status)
				})
			}
		})
	}
}

const purchaser = "user-ana"

// purchase is an order for one held seat on a fresh table, paid through a
// provider's session.
type purchase struct {
	t       *testing.T
	store   *dynamo.Store
	orders  *orders.Service
	session psptest.Session
	order   orders.Order
	now     time.Time // the application's clock
}

func newPurchase(t *testing.T, h psptest.Harness) *purchase {
	ctx := context.Background()
	store := dynamotest.NewStore(t)
	st := showtimeFixture(t, store)
	r := &purchase{t: t, store: store, now: st.StartsAt.Add(-24 * time.Hour)}
	r.session = h.Start(t, r.now)
	bs := &booking.Service{Store: store, Policy: booking.DefaultPolicy}
	r.orders = &orders.Service{Store: store, Booking: bs, PSP: r.session.Provider(), Signer: tickets.NewEphemeralSigner(),
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	hold, err := bs.Hold(ctx, purchaser, booking.Request{ShowtimeID: st.ID,
		Seats: []booking.SeatRequest{{SeatID: "A1", TicketType: pricing.Inteira}}}, r.now)
	require.NoError(t, err)
	r.order, err = r.orders.Create(ctx, purchaser, "ord-provider-1", orders.Request{HoldID: hold.ID}, r.now)
	require.NoError(t, err)
	return r
}

// pay pays the order by card with a test card of the outcome, or by Pix,
// and delivers the webhooks that follow.
func (r *purchase) pay(m psp.Method, outcome psp.Status) {
	r.t.Helper()
	req := orders.PayRequest{Method: m, Installments: 1}
	if m == psp.Card {
		req.CardToken = r.session.CardToken(outcome)
	}
	p, err := r.orders.Pay(context.Background(), purchaser, r.order.ID, "pay-provider-1", req, r.now)
	require.NoError(r.t, err)
	want := map[psp.Status]orders.PaymentStatus{psp.Approved: orders.PaymentApproved, psp.Declined: orders.PaymentDeclined,
		psp.Pending: orders.PaymentPending}[outcome]
	require.Equal(r.t, want, p.Status, "the charge's answer")
	r.deliver()
}

// act makes the world act on the payment and delivers the webhooks that
// follow.
func (r *purchase) act(a psptest.Act) []orders.EventResult {
	r.t.Helper()
	r.session.Do(r.t, a, "pay-provider-1")
	return r.deliver()
}

// deliver hands each webhook sent since the last delivery to the
// application, as its webhook handler does, and returns what it made of
// those it acts on.
func (r *purchase) deliver() []orders.EventResult {
	r.t.Helper()
	var out []orders.EventResult
	for _, d := range r.session.Sent(r.t) {
		ev, err := r.session.Webhooks().Event(d.Body, d.Header.Get, d.At)
		if errors.Is(err, psp.ErrIgnored) {
			continue
		}
		require.NoError(r.t, err)
		res, err := r.orders.HandleEvent(context.Background(), ev, r.now)
		require.NoError(r.t, err)
		out = append(out, res)
	}
	return out
}
