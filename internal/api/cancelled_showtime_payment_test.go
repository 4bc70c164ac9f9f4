package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/booking"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/psp"
)

// A cancelled showtime never takes a payment (docs/adr/0602): the
// confirmation of a payment checks, in its transaction, that the showtime
// is not cancelled, and cancelShowtime reads the sold seats again once the
// cancellation has committed.

// pixOrder is a buyer's order of one seat of a showtime with a Pix charge
// pending.
func (e *purchaseEnv) pixOrder(t *testing.T, showtime, buyer, seat string) (gen.Order, gen.Payment) {
	t.Helper()
	resp := call(t, e.hs, request{op: operations.CreateHold, claims: buyerClaims(buyer), body: holdBody(showtime, seat, "INTEIRA")})
	h := decode[gen.Hold](t, resp, http.StatusCreated)
	o := e.mustOrder(t, buyer, "order-key-"+buyer+showtime, orderBody(h.ID, ""))
	p := decode[gen.Payment](t, e.pay(t, buyer, o.ID, "pay-key-"+buyer+showtime, pixBody), http.StatusCreated)
	require.Equal(t, gen.PaymentStatusPENDING, p.Status)
	return o, p
}

// refunds counts the provider's refunds of a payment.
func (e *purchaseEnv) refunds(t *testing.T, paymentID string) int {
	t.Helper()
	bodies, _ := e.take(t, psp.EventRefunded)
	n := 0
	for _, b := range bodies {
		if strings.Contains(b, `"`+paymentID+`"`) {
			n++
		}
	}
	return n
}

// approval is the provider's webhook delivery approving a payment.
func (e *purchaseEnv) approval(t *testing.T, paymentID string) (string, string) {
	t.Helper()
	bodies, sigs := e.take(t, psp.EventApproved)
	for i, b := range bodies {
		if strings.Contains(b, `"`+paymentID+`"`) {
			return b, sigs[i]
		}
	}
	t.Fatalf("no approval of %s delivered", paymentID)
	return "", ""
}

func TestPixPaidAfterTheShowtimeWasCancelledIsRefunded(t *testing.T) {
	e := purchaseFixture(t)
	o, p := e.pixOrder(t, e.showtime, "user-ana", "A1")

	res := decode[gen.ShowtimeChangeResult](t, e.staff(t, operations.CancelShowtime, showtimeParam, cancelStBody), http.StatusOK)
	assert.Equal(t, 0, res.OrdersAffected, "nothing was sold yet")

	require.NoError(t, e.sim.PayPix(p.ID))
	body, sig := e.approval(t, p.ID)
	for range 2 { // the provider may deliver twice
		decode[gen.PspEventAck](t, e.webhook(t, body, sig), http.StatusOK)
	}

	got := e.getOrder(t, "user-ana", o.ID)
	assert.Equal(t, gen.OrderStatusFAILED, got.Status, "the order of a cancelled showtime is never paid")
	pay := decode[gen.Payment](t, call(t, e.hs, request{op: operations.GetPayment, claims: buyerClaims("user-ana"),
		params: map[string]string{"orderId": o.ID, "paymentId": p.ID}}), http.StatusOK)
	assert.Equal(t, gen.PaymentStatusREFUNDED, pay.Status)
	assert.Equal(t, 1, e.refunds(t, p.ID), "refunded once")
	assert.Equal(t, gen.SeatStatusAVAILABLE, e.seatMap(t, "")["A1"].Status, "the seat was never sold")
	mine := decode[gen.TicketList](t, call(t, e.hs, request{op: operations.ListMyTickets, claims: buyerClaims("user-ana")}), http.StatusOK)
	assert.Empty(t, mine.Items, "no ticket issued")
}

// TestCancellationRacingPayments delivers approvals of Pix payments at the
// same moment as the showtime's cancellation, over several showtimes: every
// order ends refunded (paid, then refunded by the cancellation) or failed
// with its payment refunded, exactly once, and no seat stays sold.
func TestCancellationRacingPayments(t *testing.T) {
	e := purchaseFixture(t)
	showtimes := []string{e.showtime}
	for _, day := range []string{"2026-12-11", "2026-12-18"} { // Fridays: the fixture's prices are Friday's
		list := decode[gen.AdminShowtimeList](t, e.staff(t, operations.ScheduleShowtimes, nil, schedule("room-fixture", day, day, "21:00")), http.StatusCreated)
		showtimes = append(showtimes, list.Items[0].ID)
	}
	buyers := []string{"user-ana", "user-bruno", "user-carla", "user-dora"}
	for _, st := range showtimes {
		type purchase struct {
			buyer     string
			order     gen.Order
			pay       gen.Payment
			body, sig string
		}
		var ps []purchase
		for i, b := range buyers {
			o, p := e.pixOrder(t, st, b, fmt.Sprintf("A%d", i+1))
			require.NoError(t, e.sim.PayPix(p.ID))
			ps = append(ps, purchase{buyer: b, order: o, pay: p})
		}
		for i := range ps {
			ps[i].body, ps[i].sig = e.approval(t, ps[i].pay.ID)
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		for _, p := range ps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				resp := e.webhook(t, p.body, p.sig)
				assert.Equal(t, http.StatusOK, resp.StatusCode, resp.Body)
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			resp := e.staff(t, operations.CancelShowtime, map[string]string{"showtimeId": st}, cancelStBody)
			assert.Equal(t, http.StatusOK, resp.StatusCode, resp.Body)
		}()
		close(start)
		wg.Wait()

		for _, p := range ps {
			got := e.getOrder(t, p.buyer, p.order.ID)
			assert.Contains(t, []gen.OrderStatus{gen.OrderStatusREFUNDED, gen.OrderStatusFAILED}, got.Status, "%s %s", st, p.buyer)
			assert.Equal(t, 1, e.refunds(t, p.pay.ID), "%s %s refunded exactly once", st, p.buyer)
		}
		d := decode[gen.ShowtimeDetail](t, call(t, e.hs, request{op: operations.GetShowtime, params: map[string]string{"showtimeId": st}}), http.StatusOK)
		assert.Zero(t, d.Availability.Sold, "%s: no seat stays sold", st)
	}
}

// TestCancellationFinishesAnOrderMidCompletion: a Pix was approved and its
// seat sold, and the completion stopped before the tickets (a crash); by the
// time staff cancel the showtime the hold's expiry has passed, so the order,
// still PENDING_PAYMENT as stored, reads as expired by the clock. It is
// selected by its sold seat and finished: paid, then cancelled and refunded,
// and its buyer notified.
func TestCancellationFinishesAnOrderMidCompletion(t *testing.T) {
	e := purchaseFixture(t)
	ctx := context.Background()
	o, p := e.pixOrder(t, e.showtime, "user-ana", "A1")
	require.NoError(t, e.sim.PayPix(p.ID))
	e.approval(t, p.ID) // delivered to the inbox, never to the service: the crash

	// What the completion wrote before it stopped: the payment approved,
	// the seat sold to the order.
	stored, err := e.store.GetPayment(ctx, p.ID)
	require.NoError(t, err)
	stored.Status, stored.Charged = orders.PaymentApproved, true
	require.NoError(t, e.store.SavePayment(ctx, stored))
	require.NoError(t, (&booking.Service{Store: e.store}).Confirm(ctx, o.HoldID, o.ID, e.clock.Now()))
	require.Equal(t, gen.SeatStatusSOLD, e.seatMap(t, "")["A1"].Status)

	e.clock.Advance(time.Hour) // past the hold's expiry
	res := decode[gen.ShowtimeChangeResult](t, e.staff(t, operations.CancelShowtime, showtimeParam, cancelStBody), http.StatusOK)
	assert.Equal(t, 1, res.OrdersAffected)
	assert.Equal(t, 1, res.OrdersRefunded)
	assert.Equal(t, 1, res.BuyersNotified)

	got := e.getOrder(t, "user-ana", o.ID)
	assert.Equal(t, gen.OrderStatusREFUNDED, got.Status)
	assert.Equal(t, 1, e.refunds(t, p.ID), "refunded once")
	assert.Equal(t, gen.SeatStatusAVAILABLE, e.seatMap(t, "")["A1"].Status, "no seat stays sold")
	mine := decode[gen.TicketList](t, call(t, e.hs, request{op: operations.ListMyTickets, claims: buyerClaims("user-ana")}), http.StatusOK)
	for _, tk := range mine.Items {
		assert.NotEqual(t, gen.TicketStatusVALID, tk.Status, "no valid ticket for a cancelled showtime")
	}
}

// TestCancellationRefundsOrdersWithUsedTickets: a projector fails after the
// doors opened and one ticket was checked in. The cinema cancels the
// showtime: every paid order is cancelled and refunded, the used ticket
// too, and each buyer is notified; the operation completes (it stopped at
// the used ticket, leaving the order paid and unrefunded).
func TestCancellationRefundsOrdersWithUsedTickets(t *testing.T) {
	e := purchaseFixture(t)
	ana := e.buy(t, "user-ana", "A1")
	bruno := e.buy(t, "user-bruno", "A2")
	e.clock.Advance(23*time.Hour + 30*time.Minute) // the door is open
	used := decode[gen.TicketList](t, call(t, e.hs, request{op: operations.ListMyTickets, claims: buyerClaims("user-ana")}), http.StatusOK)
	require.Len(t, used.Items, 1)
	decode[gen.CheckIn](t, call(t, e.hs, request{op: operations.CheckInTicket, claims: staff,
		body: fmt.Sprintf(`{"qr":%q,"showtimeId":%q}`, used.Items[0].Qr, e.showtime)}), http.StatusCreated)

	res := decode[gen.ShowtimeChangeResult](t, e.staff(t, operations.CancelShowtime, showtimeParam, cancelStBody), http.StatusOK)
	assert.Equal(t, 2, res.OrdersAffected)
	assert.Equal(t, 2, res.OrdersRefunded)
	assert.Equal(t, 2, res.BuyersNotified)
	for buyer, o := range map[string]gen.Order{"user-ana": ana, "user-bruno": bruno} {
		assert.Equal(t, gen.OrderStatusREFUNDED, e.getOrder(t, buyer, o.ID).Status, buyer)
		mine := decode[gen.TicketList](t, call(t, e.hs, request{op: operations.ListMyTickets, claims: buyerClaims(buyer)}), http.StatusOK)
		for _, tk := range mine.Items {
			assert.Equal(t, gen.TicketStatusCANCELLED, tk.Status, "%s %s", buyer, tk.ID)
		}
	}
	again := decode[gen.ShowtimeChangeResult](t, e.staff(t, operations.CancelShowtime, showtimeParam, cancelStBody), http.StatusOK)
	assert.Equal(t, 0, again.OrdersAffected-again.OrdersRefunded, "cancelling again finds nothing left to do")
}

// TestProviderRefundOfAPaidOrderVoidsIt: support refunds a paid order at the
// provider (or the card's holder disputes it). When the provider's event
// arrives the order becomes REFUNDED, its ticket is cancelled and its seat
// goes back on sale; before, the payment became REFUNDED while the order
// stayed PAID with a valid ticket.
func TestProviderRefundOfAPaidOrderVoidsIt(t *testing.T) {
	e := purchaseFixture(t)
	o := e.buy(t, "user-ana", "A1")
	require.Equal(t, gen.SeatStatusSOLD, e.seatMap(t, "")["A1"].Status)
	stored, err := e.store.GetOrder(context.Background(), o.ID)
	require.NoError(t, err)
	require.NoError(t, e.sim.Refund(context.Background(), psp.RefundRequest{PaymentID: stored.PaymentID, Amount: stored.Totals.Total}))
	e.voidedByTheProvider(t, o.ID, psp.EventRefunded, "estornado pelo provedor")
}

// voidedByTheProvider delivers the provider's event (twice) and checks that
// Ana's order of A1 is voided: REFUNDED, the seat back on sale, every
// ticket cancelled, and one ORDER_VOIDED notice saying why.
func (e *purchaseEnv) voidedByTheProvider(t *testing.T, orderID string, typ psp.EventType, why string) {
	t.Helper()
	bodies, sigs := e.take(t, typ)
	require.Len(t, bodies, 1)
	for range 2 { // delivered twice: the second changes nothing
		decode[gen.PspEventAck](t, e.webhook(t, bodies[0], sigs[0]), http.StatusOK)
	}
	got := e.getOrder(t, "user-ana", orderID)
	assert.Equal(t, gen.OrderStatusREFUNDED, got.Status)
	assert.Equal(t, gen.SeatStatusAVAILABLE, e.seatMap(t, "")["A1"].Status, "the seat is back on sale")
	mine := decode[gen.TicketList](t, call(t, e.hs, request{op: operations.ListMyTickets, claims: buyerClaims("user-ana")}), http.StatusOK)
	require.NotEmpty(t, mine.Items)
	for _, tk := range mine.Items {
		assert.Equal(t, gen.TicketStatusCANCELLED, tk.Status)
	}
	notices, err := e.store.Notices(context.Background(), "user-ana")
	require.NoError(t, err)
	require.Len(t, notices, 1, "the buyer is told")
	assert.Equal(t, "ORDER_VOIDED", notices[0].Kind)
	assert.Contains(t, notices[0].Message, why)
}

// TestChargebackOfAPaidOrderVoidsIt: the card's holder disputes a paid order
// and the issuer takes the money back. The order is voided as for a
// provider refund, the buyer is told, and the chain refunds nothing more.
func TestChargebackOfAPaidOrderVoidsIt(t *testing.T) {
	e := purchaseFixture(t)
	o := e.buy(t, "user-ana", "A1")
	stored, err := e.store.GetOrder(context.Background(), o.ID)
	require.NoError(t, err)
	require.NoError(t, e.sim.Chargeback(stored.PaymentID))
	e.voidedByTheProvider(t, o.ID, psp.EventChargedBack, "contestado")

	p, err := e.store.GetPayment(context.Background(), stored.PaymentID)
	require.NoError(t, err)
	assert.Equal(t, orders.PaymentRefunded, p.Status)
	assert.Equal(t, orders.ChargebackReason, p.FailureReason)
	assert.Zero(t, e.refunds(t, stored.PaymentID), "a charged-back payment is not refunded again")
}
