package workflow_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/booking"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/dynamo/dynamotest"
	"bilhetagem/internal/money"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/pricing"
	"bilhetagem/internal/psp"
	"bilhetagem/internal/psp/stripepsp/stripemock"
	"bilhetagem/internal/tickets"
	"bilhetagem/internal/workflow"
)

// TestMain starts DynamoDB Local, and stripe-mock for the Stripe provider
// (providers_test.go).
func TestMain(m *testing.M) {
	os.Exit(stripemock.Main(runner(func() int { return dynamotest.Main(m) })))
}

// runner runs the tests through a function.
type runner func() int

func (r runner) Run() int { return r() }

// confirmFails is the real store whose ConfirmHold fails: n times, or
// always when n < 0 (DynamoDB failing between "payment approved" and "seats
// sold").
type confirmFails struct {
	*dynamo.Store
	mu sync.Mutex
	n  int
}

func (s *confirmFails) ConfirmHold(ctx context.Context, h booking.Hold, orderID string, now time.Time) error {
	s.mu.Lock()
	fail := s.n != 0
	if s.n > 0 {
		s.n--
	}
	s.mu.Unlock()
	if fail {
		return errors.New("dynamodb: injected failure")
	}
	return s.Store.ConfirmHold(ctx, h, orderID, now)
}

type fixture struct {
	store  *dynamo.Store
	orders *orders.Service
	sim    *psp.Simulator
	now    time.Time
	order  orders.Order
}

// orderFixture is a showtime, a held seat and an order for it, on a fresh
// DynamoDB Local table; ConfirmHold fails confirmFailures times.
func orderFixture(t *testing.T, confirmFailures int) *fixture {
	t.Helper()
	return orderFixtureWith(t, confirmFailures, nil, nil)
}

// orderFixtureWith is orderFixture whose orders store is wrap(store) when
// wrap is set, and whose simulated PSP delivers its webhooks to notify.
func orderFixtureWith(t *testing.T, confirmFailures int, wrap func(*dynamo.Store) orders.Store,
	notify func(*orders.Service, psp.Event)) *fixture {
	t.Helper()
	ctx := context.Background()
	store := dynamotest.NewStore(t)
	st := showtimeFixture(t, store)
	now := st.StartsAt.Add(-24 * time.Hour)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	bs := &booking.Service{Store: &confirmFails{Store: store, n: confirmFailures}, Policy: booking.DefaultPolicy}
	var svc *orders.Service
	cfg := psp.SimConfig{Secret: []byte("segredo-do-psp-de-teste"), Now: func() time.Time { return now }, Backoff: time.Millisecond}
	if notify != nil {
		cfg.Notifier = psp.NotifierFunc(func(_ context.Context, body []byte, _ string) error {
			notify(svc, decodeEvent(t, body))
			return nil
		})
	}
	sim := psp.NewSimulator(cfg)
	var ordersStore orders.Store = store
	if wrap != nil {
		ordersStore = wrap(store)
	}
	svc = &orders.Service{Store: ordersStore, Booking: bs, PSP: sim, Signer: tickets.NewEphemeralSigner(), Log: log}
	h, err := bs.Hold(ctx, "user-ana", booking.Request{ShowtimeID: st.ID,
		Seats: []booking.SeatRequest{{SeatID: "A1", TicketType: pricing.Inteira}}}, now)
	require.NoError(t, err)
	o, err := svc.Create(ctx, "user-ana", "ord-wf-1", orders.Request{HoldID: h.ID}, now)
	require.NoError(t, err)
	return &fixture{store: store, orders: svc, sim: sim, now: now, order: o}
}

// showtimeFixture puts a showtime of four seats, on sale, in the store.
func showtimeFixture(t *testing.T, store *dynamo.Store) catalog.ShowtimeListing {
	t.Helper()
	layout, err := catalog.ParseLayout(1, []string{"SSSS"})
	require.NoError(t, err)
	start := time.Date(2026, 12, 4, 21, 0, 0, 0, catalog.Zone).UTC()
	st := catalog.ShowtimeListing{
		Showtime: catalog.Showtime{ID: "st-wf", MovieID: "mov-wf", CinemaID: "cin-wf", RoomID: "room-wf",
			StartsAt: start, Format: catalog.Format2D, Language: catalog.Dubbed, LayoutVersion: 1},
		EndsAt: start.Add(2 * time.Hour), MovieTitle: "Filme", CinemaName: "Cinema", RoomName: "Sala 1",
	}
	_, err = store.PutCatalog(context.Background(), dynamo.CatalogData{
		Cinemas: []catalog.Cinema{{ID: "cin-wf", Name: "Cinema", GapPolicy: catalog.GapWarn}},
		Rooms:   []catalog.Room{{CinemaID: "cin-wf", ID: "room-wf", Name: "Sala 1", Formats: []catalog.Format{catalog.Format2D}, Layout: layout}},
		Movies: []catalog.Movie{{ID: "mov-wf", Title: "Filme", AgeRating: catalog.Rating12, RuntimeMinutes: 120,
			ReleaseDate: catalog.Date{Year: 2026, Month: time.November, Day: 26}}},
		Showtimes: []catalog.ShowtimeListing{st},
		Prices: []catalog.PriceTable{{CinemaID: "cin-wf",
			Rules:          []catalog.PriceRule{{Format: catalog.Format2D, Weekdays: []time.Weekday{time.Friday}, Inteira: 3600}},
			SeatSurcharges: map[catalog.SeatType]money.BRL{}}},
	})
	require.NoError(t, err)
	return st
}

// payByCard pays the order with an approved card; the in-process completion
// fails when ConfirmHold does, leaving the payment approved and the order
// pending: a crash between "payment confirmed" and "seats sold".
func (f *fixture) payByCard(t *testing.T) error {
	_, err := f.orders.Pay(context.Background(), "user-ana", f.order.ID, "pay-wf-1",
		orders.PayRequest{Method: psp.Card, CardToken: psp.TokenPrefix + psp.CardApproves, Installments: 1}, f.now)
	return err
}

func (f *fixture) local(t *testing.T, now time.Time, timeoutAtOnce bool) *workflow.Local {
	l, err := workflow.NewLocal(f.orders, func() time.Time { return now })
	require.NoError(t, err)
	l.Machine.Sleep = func(context.Context, time.Duration) error { return nil }
	l.Machine.After = func(time.Duration) <-chan time.Time {
		if !timeoutAtOnce {
			return nil
		}
		c := make(chan time.Time, 1)
		c <- now
		return c
	}
	return l
}

func (f *fixture) state(t *testing.T) (orders.Order, booking.Hold) {
	ctx := context.Background()
	o, err := f.store.GetOrder(ctx, f.order.ID)
	require.NoError(t, err)
	h, err := f.store.ReadHold(ctx, o.HoldID)
	require.NoError(t, err)
	return o, h
}

func TestLocalWorkflowOnDynamoDBLocal(t *testing.T) {
	t.Parallel()
	ctx := context.Background() // each run ends by itself; the test binary's -timeout bounds a hang

	t.Run("a crash between payment and seats sold is resumed: seats sold, tickets issued, PAID", func(t *testing.T) {
		t.Parallel()
		f := orderFixture(t, 1)
		require.Error(t, f.payByCard(t), "the in-process completion hit the injected failure")
		o, h := f.state(t)
		require.Equal(t, orders.PendingPayment, o.Status)
		require.Equal(t, booking.Ordered, h.StatusAt(f.now))

		ex, err := f.local(t, f.now, false).Run(ctx, workflow.InputFor(o, f.now))
		require.NoError(t, err)
		assert.Equal(t, []string{"AwaitPayment", "Decide", "Route", "ConfirmSeats", "Route", "IssueTickets", "Route", "Done"}, ex.Visited)
		assert.Nil(t, ex.Failed)
		o, h = f.state(t)
		assert.Equal(t, orders.Paid, o.Status)
		assert.Equal(t, booking.Confirmed, h.StatusAt(f.now))
		assert.Equal(t, o.ID, h.OrderID)
		for _, l := range o.Tickets {
			assert.NotEmpty(t, l.TicketID, "a ticket per seat")
		}
	})

	t.Run("the hold expires with no payment: the order EXPIRED, the seat free", func(t *testing.T) {
		t.Parallel()
		f := orderFixture(t, 0)
		later := f.order.ExpiresAt.Add(time.Second)
		ex, err := f.local(t, later, true).Run(ctx, workflow.InputFor(f.order, f.now))
		require.NoError(t, err)
		assert.Equal(t, []string{"AwaitPayment", "Decide", "Route", "ExpireOrder", "Route", "Done"}, ex.Visited)
		o, h := f.state(t)
		assert.Equal(t, orders.Expired, o.Status)
		assert.NotEqual(t, booking.Ordered, h.StatusAt(later), "an expired hold's seats are free")
	})

	t.Run("seats that cannot be sold are compensated: order FAILED, seat released, payment refunded", func(t *testing.T) {
		t.Parallel()
		f := orderFixture(t, -1)
		require.Error(t, f.payByCard(t))
		o, _ := f.state(t)
		ex, err := f.local(t, f.now, false).Run(ctx, workflow.InputFor(o, f.now))
		require.NoError(t, err)
		assert.Equal(t, []string{"AwaitPayment", "Decide", "Route", "ConfirmSeats", "Compensate", "Compensated"}, ex.Visited)
		assert.Equal(t, 4, ex.Attempts["ConfirmSeats"], "one try and three retries")
		require.NotNil(t, ex.Failed, "the execution fails, so the alarm tells an operator")
		assert.Equal(t, "Purchase.StepFailed", ex.Failed.Name)
		o, h := f.state(t)
		assert.Equal(t, orders.Failed, o.Status)
		assert.Equal(t, booking.Released, h.StatusAt(f.now), "no seat is left stuck")
		assert.Equal(t, o.Totals.Total, o.Refund)
		p, err := f.store.GetPayment(context.Background(), o.PaymentID)
		require.NoError(t, err)
		assert.Equal(t, orders.PaymentRefunded, p.Status)
	})
}
