package sfn_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"bilhetagem/internal/booking"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/dynamo/dynamotest"
	"bilhetagem/internal/money"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/pricing"
	"bilhetagem/internal/psp"
	"bilhetagem/internal/tickets"
)

func TestMain(m *testing.M) { os.Exit(dynamotest.Main(m)) }

// fixture is a showtime with a held seat on a fresh DynamoDB Local table,
// the orders service over it with the simulated PSP, and a clock the test
// moves. The PSP's webhooks go to the service's HandleEvent, as the
// receivePspWebhook function would apply them.
type fixture struct {
	store  *dynamo.Store
	orders *orders.Service
	sim    *psp.Simulator
	hold   booking.Hold

	mu    sync.Mutex
	clock time.Time
}

func (f *fixture) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.clock
}

func (f *fixture) set(t time.Time) {
	f.mu.Lock()
	f.clock = t
	f.mu.Unlock()
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	store := dynamotest.NewStore(t)
	layout, err := catalog.ParseLayout(1, []string{"SSSS"})
	require.NoError(t, err)
	start := time.Date(2026, 12, 4, 21, 0, 0, 0, catalog.Zone).UTC()
	st := catalog.ShowtimeListing{
		Showtime: catalog.Showtime{ID: "st-sfn", MovieID: "mov-sfn", CinemaID: "cin-sfn", RoomID: "room-sfn",
			StartsAt: start, Format: catalog.Format2D, Language: catalog.Dubbed, LayoutVersion: 1},
		EndsAt: start.Add(2 * time.Hour), MovieTitle: "Filme", CinemaName: "Cinema", RoomName: "Sala 1",
	}
	_, err = store.PutCatalog(ctx, dynamo.CatalogData{
		Cinemas: []catalog.Cinema{{ID: "cin-sfn", Name: "Cinema", GapPolicy: catalog.GapWarn}},
		Rooms:   []catalog.Room{{CinemaID: "cin-sfn", ID: "room-sfn", Name: "Sala 1", Formats: []catalog.Format{catalog.Format2D}, Layout: layout}},
		Movies: []catalog.Movie{{ID: "mov-sfn", Title: "Filme", AgeRating: catalog.Rating12, RuntimeMinutes: 120,
			ReleaseDate: catalog.Date{Year: 2026, Month: time.November, Day: 26}}},
		Showtimes: []catalog.ShowtimeListing{st},
		Prices: []catalog.PriceTable{{CinemaID: "cin-sfn",
			Rules:          []catalog.PriceRule{{Format: catalog.Format2D, Weekdays: []time.Weekday{time.Friday}, Inteira: 3600}},
			SeatSurcharges: map[catalog.SeatType]money.BRL{}}},
	})
	require.NoError(t, err)
	f := &fixture{store: store, clock: start.Add(-24 * time.Hour)}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	bs := &booking.Service{Store: store, Policy: booking.DefaultPolicy}
	f.sim = psp.NewSimulator(psp.SimConfig{Secret: []byte("segredo-do-psp-de-teste"), Now: f.now, Backoff: time.Millisecond,
		Notifier: psp.NotifierFunc(func(ctx context.Context, body []byte, _ string) error {
			_, err := f.orders.HandleEvent(ctx, decodeEvent(t, body), f.now())
			return err
		})})
	f.orders = &orders.Service{Store: store, Booking: bs, PSP: f.sim, Signer: tickets.NewEphemeralSigner(), Log: log}
	f.hold, err = bs.Hold(ctx, "user-ana", booking.Request{ShowtimeID: st.ID,
		Seats: []booking.SeatRequest{{SeatID: "A1", TicketType: pricing.Inteira}}}, f.now())
	require.NoError(t, err)
	return f
}

// create makes the order from the fixture's hold.
func (f *fixture) create(t *testing.T, id string) orders.Order {
	t.Helper()
	o, err := f.orders.Create(context.Background(), "user-ana", id, orders.Request{HoldID: f.hold.ID}, f.now())
	require.NoError(t, err)
	return o
}

func (f *fixture) pay(t *testing.T, orderID string, method psp.Method, card string) orders.Payment {
	t.Helper()
	req := orders.PayRequest{Method: method}
	if method == psp.Card {
		req.CardToken, req.Installments = psp.TokenPrefix+card, 1
	}
	p, err := f.orders.Pay(context.Background(), "user-ana", orderID, "pay-"+orderID, req, f.now())
	require.NoError(t, err)
	return p
}

func (f *fixture) state(t *testing.T, orderID string) (orders.Order, booking.Hold, orders.Payment) {
	t.Helper()
	ctx := context.Background()
	o, err := f.store.GetOrder(ctx, orderID)
	require.NoError(t, err)
	h, err := f.store.ReadHold(ctx, o.HoldID)
	require.NoError(t, err)
	var p orders.Payment
	if o.PaymentID != "" {
		p, err = f.store.GetPayment(ctx, o.PaymentID)
		require.NoError(t, err)
	}
	return o, h, p
}

func decodeEvent(t *testing.T, body []byte) psp.Event {
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
