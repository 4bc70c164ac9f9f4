package api_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/booking"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/programming"
	"bilhetagem/internal/psp"
)

// A reschedule closes the showtime for sale before it walks its orders,
// by a condition on the showtime item, and opens it again in the
// transaction that moves it (docs/adr/0602): no seat freed by a refund is
// sold again at the old time, and no sale is made while it moves.

// hookedRefunds runs after each refund of a reschedule's walk.
type hookedRefunds struct {
	programming.Refunder
	after func(orderID string)
}

func (h hookedRefunds) RefundForCancelledShowtime(ctx context.Context, orderID string, now time.Time) (orders.Order, error) {
	o, err := h.Refunder.RefundForCancelledShowtime(ctx, orderID, now)
	if err == nil && h.after != nil {
		h.after(orderID)
	}
	return o, err
}

// moveFails fails the move of a showtime once: a crash between closing
// sales and moving it.
type moveFails struct {
	*dynamo.Store
	n int
}

func (m *moveFails) RescheduleShowtime(ctx context.Context, from, next catalog.ShowtimeListing, at time.Time) error {
	if m.n > 0 {
		m.n--
		return errors.New("injected: the process died before the move")
	}
	return m.Store.RescheduleShowtime(ctx, from, next, at)
}

func (e *purchaseEnv) programming(store programming.Store, after func(string)) *programming.Service {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	bs := &booking.Service{Store: e.store, Policy: booking.DefaultPolicy}
	os := &orders.Service{Store: e.store, Booking: bs, PSP: e.sim, Signer: e.signer, Log: log}
	return &programming.Service{Store: store, Refunds: hookedRefunds{Refunder: os, after: after}, Log: log}
}

func TestRescheduleRefundAllKeepsFreedSeatsOffSale(t *testing.T) {
	e := purchaseFixture(t)
	ana, bruno := e.buy(t, "user-ana", "A1"), e.buy(t, "user-bruno", "B1")
	var during []problem
	p := e.programming(e.store, func(orderID string) {
		// The seat this refund freed, asked for at once by another buyer.
		seat := "A1"
		if orderID == bruno.ID {
			seat = "B1"
		}
		status, _, pr := e.hold(t, "user-carla", seat, "INTEIRA")
		assert.Equal(t, http.StatusConflict, status, "a seat freed by the walk is not on sale before the move")
		during = append(during, pr)
	})
	res, err := p.RescheduleShowtime(context.Background(), "st-fixture", spAt(19, 0), programming.RefundAll, "Atraso na entrega da cópia.", e.clock.Now())
	require.NoError(t, err)
	assert.Equal(t, 2, res.OrdersRefunded)
	require.Len(t, during, 2)
	for _, pr := range during {
		assert.Equal(t, "showtime_changing", pr.Code)
	}
	assert.Equal(t, gen.OrderStatusREFUNDED, e.getOrder(t, "user-ana", ana.ID).Status)

	t.Run("after the move the showtime sells again, at the new start", func(t *testing.T) {
		o := e.buy(t, "user-carla", "A1")
		assert.True(t, o.Showtime.StartsAt.Equal(spAt(19, 0)), o.Showtime.StartsAt)
	})
}

func TestRescheduleKeepMovesTheTickets(t *testing.T) {
	e := purchaseFixture(t)
	e.buy(t, "user-ana", "A1")
	decode[gen.ShowtimeChangeResult](t, e.staff(t, operations.RescheduleShowtime, showtimeParam,
		rescheduleBody("2026-12-04T22:00:00-03:00", "KEEP_AND_NOTIFY")), http.StatusOK)
	list := decode[gen.TicketList](t, call(t, e.hs, request{op: operations.ListMyTickets, claims: buyerClaims("user-ana")}), http.StatusOK)
	require.Len(t, list.Items, 1)
	assert.True(t, list.Items[0].StartsAt.Equal(spAt(22, 0)), "the ticket shows the new start: %s", list.Items[0].StartsAt)
}

func TestAPaymentWhileTheShowtimeMovesIsRefunded(t *testing.T) {
	e := purchaseFixture(t)
	h := e.mustHold(t, "user-ana", "A1", "INTEIRA")
	o := e.mustOrder(t, "user-ana", "order-key-moving", orderBody(h.ID, ""))
	st, _, err := e.store.GetShowtime(context.Background(), "st-fixture")
	require.NoError(t, err)
	// A reschedule has closed sales (its hold check comes next).
	require.NoError(t, e.store.CloseSales(context.Background(), st, spAt(22, 0)))

	p := decode[gen.Payment](t, e.pay(t, "user-ana", o.ID, "pay-key-moving", cardBody(psp.CardApproves)), http.StatusCreated)
	got := e.getOrder(t, "user-ana", o.ID)
	assert.Equal(t, gen.OrderStatusFAILED, got.Status, "no seat is sold while the showtime moves")
	assert.Equal(t, 1, e.refunds(t, p.ID), "the approved payment is refunded once")
	assert.NotEqual(t, gen.SeatStatusSOLD, e.seatMap(t, "")["A1"].Status)

	t.Run("and no new hold is taken", func(t *testing.T) {
		status, _, pr := e.hold(t, "user-bruno", "B1", "INTEIRA")
		assert.Equal(t, http.StatusConflict, status)
		assert.Equal(t, "showtime_changing", pr.Code)
	})
}

func TestAnInterruptedRescheduleIsFinishedByCallingAgain(t *testing.T) {
	e := purchaseFixture(t)
	ana := e.buy(t, "user-ana", "A1")
	store := &moveFails{Store: e.store, n: 1}
	p := e.programming(store, nil)
	ctx := context.Background()
	_, err := p.RescheduleShowtime(ctx, "st-fixture", spAt(22, 0), programming.KeepAndNotify, "Atraso na entrega da cópia.", e.clock.Now())
	require.Error(t, err)

	status, _, pr := e.hold(t, "user-bruno", "B1", "INTEIRA")
	assert.Equal(t, http.StatusConflict, status, "sales stay closed until the reschedule finishes")
	assert.Equal(t, "showtime_changing", pr.Code)

	_, err = p.RescheduleShowtime(ctx, "st-fixture", spAt(23, 0), programming.KeepAndNotify, "Outro horário.", e.clock.Now())
	assert.Equal(t, "showtime_changing", codeOf(err), "another start waits for the one under way: %v", err)

	res, err := p.RescheduleShowtime(ctx, "st-fixture", spAt(22, 0), programming.KeepAndNotify, "Atraso na entrega da cópia.", e.clock.Now())
	require.NoError(t, err)
	assert.True(t, res.Showtime.StartsAt.Equal(spAt(22, 0)))
	assert.True(t, e.getOrder(t, "user-ana", ana.ID).Showtime.StartsAt.Equal(spAt(22, 0)))
	e.mustHold(t, "user-bruno", "B1", "INTEIRA")
}

// openFails fails a showtime's reopening once.
type openFails struct {
	*dynamo.Store
	n int
}

func (o *openFails) OpenSales(ctx context.Context, id string, to time.Time) error {
	if o.n > 0 {
		o.n--
		return errors.New("injected: the store did not answer")
	}
	return o.Store.OpenSales(ctx, id, to)
}

// A refused reschedule that cannot open the showtime again says so, rather
// than answering the refusal (which promises the showtime keeps selling):
// staff call again, and sales open. Found by TestInterleavings (seed 75).
func TestARefusedRescheduleThatCannotReopenFails(t *testing.T) {
	e := purchaseFixture(t)
	e.mustHold(t, "user-ana", "A1", "INTEIRA")
	store := &openFails{Store: e.store, n: 1}
	p := e.programming(store, nil)
	ctx := context.Background()
	_, err := p.RescheduleShowtime(ctx, "st-fixture", spAt(22, 0), programming.RefundAll, "Atraso na entrega da cópia.", e.clock.Now())
	require.Error(t, err)
	assert.NotEqual(t, errs.Conflict, errs.KindOf(err), "not a refusal: the showtime is still closed: %v", err)
	st, _, gerr := e.store.GetShowtime(ctx, "st-fixture")
	require.NoError(t, gerr)
	require.True(t, st.Moving(), "the failed reopening left it closed")

	_, err = p.RescheduleShowtime(ctx, "st-fixture", spAt(22, 0), programming.RefundAll, "Atraso na entrega da cópia.", e.clock.Now())
	assert.Equal(t, "showtime_has_holds", codeOf(err), "called again, the refusal stands: %v", err)
	e.mustHold(t, "user-bruno", "B1", "INTEIRA")
}

func codeOf(err error) string {
	if e, ok := errs.As(err); ok {
		return e.Code
	}
	return ""
}

func TestACancellationEndsARescheduleUnderWay(t *testing.T) {
	e := purchaseFixture(t)
	ctx := context.Background()
	st, _, err := e.store.GetShowtime(ctx, "st-fixture")
	require.NoError(t, err)
	require.NoError(t, e.store.CloseSales(ctx, st, spAt(22, 0)), "a reschedule closed sales and stopped there")
	decode[gen.ShowtimeChangeResult](t, e.staff(t, operations.CancelShowtime, showtimeParam,
		`{"reason":"Projetor quebrado."}`), http.StatusOK)
	got, _, err := e.store.GetShowtime(ctx, "st-fixture")
	require.NoError(t, err)
	assert.True(t, got.Cancelled())
	assert.False(t, got.Moving(), "the cancelled showtime is no longer being moved")
	_, err = e.programming(e.store, nil).RescheduleShowtime(ctx, "st-fixture", spAt(22, 0), programming.KeepAndNotify, "Atraso na entrega da cópia.", e.clock.Now())
	assert.Equal(t, "showtime_cancelled", codeOf(err), "the reschedule cannot be finished any more: %v", err)
}

// TestAnOrderPaidAfterItsShowtimeMovedGetsTheNewStart: an order built at
// the old start (from a read just before sales closed) and paid after the
// move gets tickets at the start the showtime has, cancellable until then.
func TestAnOrderPaidAfterItsShowtimeMovedGetsTheNewStart(t *testing.T) {
	e := purchaseFixture(t)
	ctx := context.Background()
	h := e.mustHold(t, "user-ana", "A1", "INTEIRA")
	o := e.mustOrder(t, "user-ana", "order-key-moved", orderBody(h.ID, ""))
	require.True(t, o.Showtime.StartsAt.Equal(spAt(21, 0)))

	// The showtime moves under the order (the store's move, as a reschedule
	// whose hold check ran before this hold was written would).
	from, _, err := e.store.GetShowtime(ctx, "st-fixture")
	require.NoError(t, err)
	if from.BusyUntil.IsZero() {
		from.BusyUntil = from.StartsAt.Add(2*time.Hour + 20*time.Minute)
	}
	next := from
	next.StartsAt, next.EndsAt = spAt(22, 0), spAt(22, 0).Add(from.EndsAt.Sub(from.StartsAt))
	next.BusyUntil = next.StartsAt.Add(from.BusyUntil.Sub(from.StartsAt))
	require.NoError(t, e.store.RescheduleShowtime(ctx, from, next, e.clock.Now()))

	decode[gen.Payment](t, e.pay(t, "user-ana", o.ID, "pay-key-moved", cardBody(psp.CardApproves)), http.StatusCreated)
	got := e.getOrder(t, "user-ana", o.ID)
	require.Equal(t, gen.OrderStatusPAID, got.Status)
	assert.True(t, got.Showtime.StartsAt.Equal(spAt(22, 0)), "the order says the new start: %s", got.Showtime.StartsAt)
	assert.True(t, got.CancellableUntil.Equal(spAt(22, 0)), "cancellable in full until the new start: %s", got.CancellableUntil)
	list := decode[gen.TicketList](t, call(t, e.hs, request{op: operations.ListMyTickets, claims: buyerClaims("user-ana")}), http.StatusOK)
	require.Len(t, list.Items, 1)
	assert.True(t, list.Items[0].StartsAt.Equal(spAt(22, 0)), "the ticket says the new start: %s", list.Items[0].StartsAt)
}
