package workflow_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/booking"
	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/money"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/psp"
	"bilhetagem/internal/tickets"
	"bilhetagem/internal/workflow"
)

// issueFails is the real store whose IssueTickets fails: n times, or until
// healed when n < 0 (DynamoDB failing between "seats sold" and "tickets
// issued, order PAID").
type issueFails struct {
	*dynamo.Store
	mu    sync.Mutex
	n     int
	calls int
}

func (s *issueFails) IssueTickets(ctx context.Context, o orders.Order, ts []tickets.Ticket) error {
	s.mu.Lock()
	s.calls++
	fail := s.n != 0
	if s.n > 0 {
		s.n--
	}
	s.mu.Unlock()
	if fail {
		return errors.New("dynamodb: injected failure")
	}
	return s.Store.IssueTickets(ctx, o, ts)
}

func (s *issueFails) heal() {
	s.mu.Lock()
	s.n = 0
	s.mu.Unlock()
}

// pspDownOnFail is the real store that makes the PSP unreachable the first
// time an order is saved FAILED: the compensation cannot refund.
type pspDownOnFail struct {
	*dynamo.Store
	sim  func() *psp.Simulator
	once sync.Once
}

func (s *pspDownOnFail) CloseOrder(ctx context.Context, o orders.Order) error {
	if o.Status == orders.Failed {
		s.once.Do(func() { s.sim().SetUnreachable(true) })
	}
	return s.Store.CloseOrder(ctx, o)
}

func decodeEvent(t *testing.T, body []byte) psp.Event {
	t.Helper()
	var w struct {
		ID           string        `json:"id"`
		Type         psp.EventType `json:"type"`
		OccurredAt   time.Time     `json:"occurredAt"`
		PaymentID    string        `json:"paymentId"`
		PspReference string        `json:"pspReference"`
		Amount       struct {
			Amount int64 `json:"amount"`
		} `json:"amount"`
	}
	if err := json.Unmarshal(body, &w); err != nil {
		t.Errorf("webhook body: %v", err)
	}
	return psp.Event{ID: w.ID, Type: w.Type, OccurredAt: w.OccurredAt, PaymentID: w.PaymentID,
		Reference: w.PspReference, Amount: money.BRL(w.Amount.Amount)}
}

// wired is a fixture whose orders complete through the workflow, as the
// local server's do (internal/app), with a clock the test moves and a hold
// expiry the test fires.
type wired struct {
	*fixture
	c      *workflow.Completer
	mu     sync.Mutex
	clock  time.Time
	expire chan time.Time
	ended  chan *workflow.Execution
}

func wire(t *testing.T, f *fixture) *wired {
	t.Helper()
	w := &wired{fixture: f, clock: f.now, expire: make(chan time.Time, 1), ended: make(chan *workflow.Execution, 8)}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	c, err := workflow.NewCompleter(f.orders, f.store, log, w.now)
	require.NoError(t, err)
	c.Local.Machine.Sleep = func(context.Context, time.Duration) error { return nil }
	c.Local.Machine.After = func(time.Duration) <-chan time.Time { return w.expire }
	c.Ended = func(_ string, ex *workflow.Execution, err error) {
		assert.NoError(t, err)
		w.ended <- ex
	}
	f.orders.Completer = c
	w.c = c
	return w
}

func (w *wired) now() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.clock
}

func (w *wired) pay(t *testing.T, method psp.Method) orders.Payment {
	t.Helper()
	req := orders.PayRequest{Method: method}
	if method == psp.Card {
		req.CardToken, req.Installments = psp.TokenPrefix+psp.CardApproves, 1
	}
	p, err := w.orders.Pay(context.Background(), "user-ana", w.order.ID, "pay-wf-1", req, w.now())
	require.NoError(t, err, "a failing step is the workflow's to retry or compensate, not the buyer's")
	return p
}

func (w *wired) execution(t *testing.T) *workflow.Execution {
	t.Helper()
	select {
	case ex := <-w.ended:
		return ex
	case <-time.After(30 * time.Second):
		t.Fatal("no execution ended")
		return nil
	}
}

// settled checks what every crash must leave: the seat sold to a paid
// order with its tickets, or free with any payment refunded; and the buyer
// charged at most once.
func (w *wired) settled(t *testing.T) orders.Order {
	t.Helper()
	o, h := w.state(t)
	p, err := w.store.GetPayment(context.Background(), o.PaymentID)
	require.NoError(t, err)
	assert.LessOrEqual(t, w.sim.Captures(), 1, "charged at most once")
	if o.Status == orders.Paid {
		assert.Equal(t, booking.Confirmed, h.StatusAt(w.now()), "a paid order's seats are sold")
		assert.Equal(t, o.ID, h.OrderID)
		assert.Equal(t, orders.PaymentApproved, p.Status)
		assert.Zero(t, o.Refund)
		for _, l := range o.Tickets {
			assert.NotEmpty(t, l.TicketID, "no order paid without its tickets")
		}
		return o
	}
	assert.Contains(t, []orders.Status{orders.Failed, orders.Expired}, o.Status)
	assert.NotEqual(t, booking.Confirmed, h.StatusAt(w.now()), "an unpaid order's seats are not sold")
	assert.NotEqual(t, booking.Ordered, h.StatusAt(w.now()), "nor stuck ordered")
	for _, l := range o.Tickets {
		assert.Empty(t, l.TicketID)
	}
	if p.Status != orders.PaymentPending && p.Status != orders.PaymentDeclined && p.Status != orders.PaymentExpired {
		assert.Equal(t, orders.PaymentRefunded, p.Status, "a payment of an unpaid order is refunded")
	}
	return o
}

func TestCompleterRunsTheWorkflowOnDynamoDBLocal(t *testing.T) {
	t.Parallel()

	t.Run("an approved card completes through the workflow before Pay answers", func(t *testing.T) {
		t.Parallel()
		w := wire(t, orderFixture(t, 0))
		p := w.pay(t, psp.Card)
		assert.Equal(t, orders.PaymentApproved, p.Status)
		o, _ := w.state(t)
		assert.Equal(t, orders.Paid, o.Status, "PAID when Pay answers, as createPayment promises")
		ex := w.execution(t)
		assert.Equal(t, []string{"AwaitPayment", "Decide", "Route", "ConfirmSeats", "Route", "IssueTickets", "Route", "Done"}, ex.Visited)
		w.settled(t)
	})

	t.Run("IssueTickets fails once: Retry, then PAID with its tickets", func(t *testing.T) {
		t.Parallel()
		var fails *issueFails
		f := orderFixtureWith(t, 0, func(s *dynamo.Store) orders.Store { fails = &issueFails{Store: s, n: 1}; return fails }, nil)
		w := wire(t, f)
		p := w.pay(t, psp.Card)
		assert.Equal(t, orders.PaymentApproved, p.Status)
		ex := w.execution(t)
		assert.Nil(t, ex.Failed)
		assert.Equal(t, 2, ex.Attempts["IssueTickets"], "one failure, one retry")
		assert.Equal(t, 2, fails.calls)
		assert.Equal(t, orders.Paid, w.settled(t).Status)
	})

	t.Run("IssueTickets fails for good: the catch cannot undo a sold and paid seat, an operator is told, and the next run finishes it", func(t *testing.T) {
		t.Parallel()
		var fails *issueFails
		f := orderFixtureWith(t, 0, func(s *dynamo.Store) orders.Store { fails = &issueFails{Store: s, n: -1}; return fails }, nil)
		w := wire(t, f)
		p := w.pay(t, psp.Card)
		assert.Equal(t, orders.PaymentApproved, p.Status)
		ex := w.execution(t)
		assert.Equal(t, []string{"AwaitPayment", "Decide", "Route", "ConfirmSeats", "Route", "IssueTickets", "Compensate", "CompensationFailed"}, ex.Visited)
		assert.Equal(t, 4, ex.Attempts["IssueTickets"])
		require.NotNil(t, ex.Failed)
		assert.Equal(t, "Purchase.CompensationFailed", ex.Failed.Name)
		o, h := w.state(t)
		assert.Equal(t, orders.PendingPayment, o.Status, "not PAID without tickets")
		for _, l := range o.Tickets {
			assert.Empty(t, l.TicketID)
		}
		assert.Equal(t, booking.Confirmed, h.StatusAt(w.now()), "the seat stays sold to the order the buyer paid for")
		assert.Zero(t, o.Refund, "and the payment is not refunded under it")

		fails.heal()
		o, err := w.c.Complete(context.Background(), o.ID, w.now())
		require.NoError(t, err)
		assert.Equal(t, orders.Paid, o.Status)
		assert.Nil(t, w.execution(t).Failed)
		w.settled(t)
	})

	t.Run("the seats cannot be sold: Catch compensates, order FAILED, seat free, payment refunded once", func(t *testing.T) {
		t.Parallel()
		w := wire(t, orderFixture(t, -1))
		p := w.pay(t, psp.Card)
		assert.Equal(t, orders.PaymentRefunded, p.Status, "Pay answers after the compensation")
		ex := w.execution(t)
		assert.Equal(t, []string{"AwaitPayment", "Decide", "Route", "ConfirmSeats", "Compensate", "Compensated"}, ex.Visited)
		assert.Equal(t, 4, ex.Attempts["ConfirmSeats"])
		o := w.settled(t)
		assert.Equal(t, orders.Failed, o.Status)
		assert.Equal(t, o.Totals.Total, o.Refund)
	})

	t.Run("the seats cannot be sold and the PSP is down for the refund: an operator is told, the next run refunds", func(t *testing.T) {
		t.Parallel()
		var f *fixture
		f = orderFixtureWith(t, -1, func(s *dynamo.Store) orders.Store {
			return &pspDownOnFail{Store: s, sim: func() *psp.Simulator { return f.sim }}
		}, nil)
		w := wire(t, f)
		w.pay(t, psp.Card)
		ex := w.execution(t)
		assert.Equal(t, []string{"AwaitPayment", "Decide", "Route", "ConfirmSeats", "Compensate", "CompensationFailed"}, ex.Visited)
		o, h := w.state(t)
		assert.Equal(t, orders.Failed, o.Status)
		// Decide releases before it refunds: the seat is back on sale while
		// the PSP is down, and only the refund waits.
		assert.Equal(t, booking.Released, h.StatusAt(w.now()), "the seat is free before the refund")
		assert.Zero(t, o.Refund)
		p, err := w.store.GetPayment(context.Background(), o.PaymentID)
		require.NoError(t, err)
		assert.Equal(t, orders.PaymentApproved, p.Status, "not refunded yet")
		assert.Equal(t, 1, w.sim.Captures(), "charged once")

		w.sim.SetUnreachable(false)
		o, err = w.c.Complete(context.Background(), o.ID, w.now())
		require.NoError(t, err)
		assert.Nil(t, w.execution(t).Failed)
		assert.Equal(t, o.Totals.Total, o.Refund)
		p, err = w.store.GetPayment(context.Background(), o.PaymentID)
		require.NoError(t, err)
		assert.Equal(t, orders.PaymentRefunded, p.Status)
		w.settled(t)
	})

	t.Run("a Pix payment: the execution waits on its task token and the webhook's callback ends the wait", func(t *testing.T) {
		t.Parallel()
		f := orderFixtureWith(t, 0, nil, func(svc *orders.Service, ev psp.Event) {
			_, err := svc.HandleEvent(context.Background(), ev, ev.OccurredAt)
			assert.NoError(t, err)
		})
		w := wire(t, f)
		p := w.pay(t, psp.Pix)
		assert.Equal(t, orders.PaymentPending, p.Status)
		assert.True(t, w.c.Local.Waiting(w.order.ID), "an execution waits for the payment")
		require.NoError(t, w.sim.PayPix(p.ID))
		w.sim.Flush()
		ex := w.execution(t)
		assert.Equal(t, []string{"AwaitPayment", "Decide", "Route", "ConfirmSeats", "Route", "IssueTickets", "Route", "Done"}, ex.Visited)
		assert.False(t, w.c.Local.Waiting(w.order.ID))
		assert.Equal(t, orders.Paid, w.settled(t).Status)
	})

	t.Run("a Pix never paid: the wait times out at the hold's expiry and the order EXPIRES", func(t *testing.T) {
		t.Parallel()
		w := wire(t, orderFixture(t, 0))
		p := w.pay(t, psp.Pix)
		assert.Equal(t, orders.PaymentPending, p.Status)
		require.True(t, w.c.Local.Waiting(w.order.ID))
		w.mu.Lock()
		w.clock = w.order.ExpiresAt.Add(time.Second)
		w.mu.Unlock()
		w.expire <- w.now()
		ex := w.execution(t)
		assert.Nil(t, ex.Failed)
		assert.Equal(t, "Done", ex.Visited[len(ex.Visited)-1])
		assert.Equal(t, orders.Expired, w.settled(t).Status)
	})
}
