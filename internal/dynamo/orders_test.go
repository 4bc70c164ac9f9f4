package dynamo_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/booking"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/dynamo/dynamotest"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/idempotency"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/pricing"
	"bilhetagem/internal/tickets"
)

func TestIdempotencyRecords(t *testing.T) {
	t.Parallel()
	store := dynamotest.NewStore(t)
	ctx := context.Background()
	now := time.Date(2026, 12, 4, 20, 0, 0, 0, time.UTC)

	_, claimed, err := store.Claim(ctx, "createOrder#ana#key-1", "h1", now)
	require.NoError(t, err)
	require.True(t, claimed)

	t.Run("a duplicate while the first runs sees it in progress", func(t *testing.T) {
		rec, claimed, err := store.Claim(ctx, "createOrder#ana#key-1", "h1", now)
		require.NoError(t, err)
		assert.False(t, claimed)
		assert.Equal(t, idempotency.InProgress, rec.Status)
	})
	t.Run("a completed key replays its answer and its body hash", func(t *testing.T) {
		require.NoError(t, store.Complete(ctx, "createOrder#ana#key-1", idempotency.Response{Status: 201, Body: `{"id":"ord-1"}`,
			Headers: map[string]string{"Location": "/api/orders/ord-1"}}, now))
		rec, claimed, err := store.Claim(ctx, "createOrder#ana#key-1", "h2", now.Add(time.Hour))
		require.NoError(t, err)
		assert.False(t, claimed)
		assert.Equal(t, idempotency.Completed, rec.Status)
		assert.Equal(t, "h1", rec.BodyHash)
		assert.Equal(t, 201, rec.Response.Status)
		assert.Equal(t, "/api/orders/ord-1", rec.Response.Headers["Location"])
	})
	t.Run("a key is free again after 24 hours", func(t *testing.T) {
		_, claimed, err := store.Claim(ctx, "createOrder#ana#key-1", "h2", now.Add(idempotency.Keep))
		require.NoError(t, err)
		assert.True(t, claimed)
	})
	t.Run("a crashed request frees its key after the lease, for the same body only", func(t *testing.T) {
		_, claimed, err := store.Claim(ctx, "createOrder#ana#key-2", "h1", now)
		require.NoError(t, err)
		require.True(t, claimed)
		_, claimed, err = store.Claim(ctx, "createOrder#ana#key-2", "other", now.Add(idempotency.Lease))
		require.NoError(t, err)
		assert.False(t, claimed)
		_, claimed, err = store.Claim(ctx, "createOrder#ana#key-2", "h1", now.Add(idempotency.Lease))
		require.NoError(t, err)
		assert.True(t, claimed)
	})
	t.Run("a forgotten key runs again", func(t *testing.T) {
		require.NoError(t, store.Forget(ctx, "createOrder#ana#key-2"))
		_, claimed, err := store.Claim(ctx, "createOrder#ana#key-2", "h3", now)
		require.NoError(t, err)
		assert.True(t, claimed)
	})
	t.Run("fifty concurrent claims of one key: exactly one wins", func(t *testing.T) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins := 0
		for range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, claimed, err := store.Claim(ctx, "createOrder#ana#key-3", "h1", now)
				assert.NoError(t, err)
				if claimed {
					mu.Lock()
					wins++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		assert.Equal(t, 1, wins)
	})
}

func TestOrderVersionsAndCheckIn(t *testing.T) {
	t.Parallel()
	store := dynamotest.NewStore(t)
	ctx := context.Background()
	now := time.Date(2026, 12, 4, 20, 0, 0, 0, time.UTC)
	o := orders.Order{ID: "ord-1", Buyer: "ana", HoldID: "h-1", Status: orders.PendingPayment, CreatedAt: now, ExpiresAt: now.Add(10 * time.Minute),
		Showtime: orders.Showtime{ID: "st-1", StartsAt: now.Add(24 * time.Hour), Format: catalog.Format2D, Language: catalog.Dubbed},
		Tickets:  []orders.TicketLine{{SeatID: "F12", Row: "F", Number: 12, SeatType: catalog.SeatStandard, TicketType: pricing.MeiaEstudante, Meia: true, Price: 1800}},
		Totals:   orders.Totals{Tickets: 1800, ConvenienceFee: 400, Total: 2200}, Version: 0}

	h := booking.Hold{ID: "h-1", ShowtimeID: "st-1", Holder: "ana", Status: booking.Active, CreatedAt: now, ExpiresAt: now.Add(10 * time.Minute),
		Seats: []booking.HeldSeat{{Seat: catalog.Seat{ID: "F12", Row: "F", Number: 12, Type: catalog.SeatStandard}, TicketType: pricing.Inteira,
			Quote: pricing.Quote{Ticket: 1800, Total: 1800}}}}
	_, err := store.CreateHold(ctx, h, 100, booking.DefaultBuyerLimits, now)
	require.NoError(t, err)

	t.Run("an order is created with its hold marked ORDERED, once", func(t *testing.T) {
		assert.ErrorIs(t, store.SaveOrder(ctx, o), orders.ErrStale, "an order is never saved before it is created")
		require.NoError(t, store.CreateOrder(ctx, o, now))
		held, err := store.ReadHold(ctx, "h-1")
		require.NoError(t, err)
		assert.Equal(t, booking.Ordered, held.Status)
		assert.Equal(t, "ord-1", held.OrderID)
		assert.ErrorIs(t, store.CreateOrder(ctx, o, now), orders.ErrDuplicate)
		other := o
		other.ID = "ord-2"
		err = store.CreateOrder(ctx, other, now)
		assert.Equal(t, "hold_not_active", errCode(err), "an ordered hold makes no second order")
	})
	t.Run("an order is written over the version it was read at, once", func(t *testing.T) {
		got, err := store.GetOrder(ctx, "ord-1")
		require.NoError(t, err)
		assert.Equal(t, 1, got.Version)
		assert.Equal(t, o.Totals, got.Totals)
		assert.Equal(t, o.Tickets, got.Tickets)
		require.NoError(t, store.SaveOrder(ctx, got))
		assert.ErrorIs(t, store.SaveOrder(ctx, got), orders.ErrStale, "a second write over version 1 is stale")
	})
	t.Run("getOrder of an unknown id is not found", func(t *testing.T) {
		_, err := store.GetOrder(ctx, "ord-nope")
		assert.Equal(t, errs.NotFound, errs.KindOf(err))
	})

	var paid orders.Order
	signer := tickets.NewEphemeralSigner()
	tk := tickets.Ticket{ID: tickets.ID("ord-1", "F12"), OrderID: "ord-1", Buyer: "ana", ShowtimeID: "st-1", SeatID: "F12",
		StartsAt: now.Add(24 * time.Hour), TicketType: pricing.MeiaEstudante, Meia: true, Status: tickets.Valid, IssuedAt: now}
	tk.QR = signer.Sign(tickets.Claims{TicketID: tk.ID, ShowtimeID: "st-1", SeatID: "F12", TicketType: tk.TicketType, IssuedAt: now})
	paid, err = store.GetOrder(ctx, "ord-1")
	require.NoError(t, err)
	paid.Status = orders.Paid
	require.NoError(t, store.IssueTickets(ctx, paid, []tickets.Ticket{tk}))

	t.Run("issuing again is stale and writes no second ticket", func(t *testing.T) {
		assert.ErrorIs(t, store.IssueTickets(ctx, paid, []tickets.Ticket{tk}), orders.ErrStale)
		ts, _, err := store.TicketsByBuyer(ctx, "ana", "", 20, "")
		require.NoError(t, err)
		assert.Len(t, ts, 1)
	})
	t.Run("twenty doors scanning one ticket at once check it in exactly once", func(t *testing.T) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok, used := 0, 0
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := store.CheckIn(ctx, tk.ID, now.Add(time.Duration(i)*time.Second))
				mu.Lock()
				defer mu.Unlock()
				if err == nil {
					ok++
					return
				}
				e, isErr := errs.As(err)
				if assert.True(t, isErr, "%v", err) && assert.Equal(t, "ticket_already_used", e.Code) {
					assert.False(t, e.UsedAt.IsZero(), "the 409 says when")
					used++
				}
			}()
		}
		wg.Wait()
		assert.Equal(t, 1, ok)
		assert.Equal(t, 19, used)
	})
	t.Run("an unknown ticket is not found", func(t *testing.T) {
		_, err := store.CheckIn(ctx, "tkt-nope", now)
		assert.Equal(t, errs.NotFound, errs.KindOf(err))
	})
}

func errCode(err error) string {
	if e, ok := errs.As(err); ok {
		return e.Code
	}
	return ""
}

// A hold whose meia was given back (Reclaimed) after its expiry is never
// sold, even by a confirmation that read it unexpired: its meia may already
// be another buyer's, and selling it would pass the 40% cap.
func TestConfirmHoldHonoursReclaimed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := dynamotest.NewStore(t)
	_, err := store.PutCatalog(ctx, fixture(t))
	require.NoError(t, err)
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	meiaSeat := func(id string) booking.HeldSeat {
		return booking.HeldSeat{Seat: catalog.Seat{ID: id, Row: id[:1], Number: 1, Type: catalog.SeatStandard},
			TicketType: pricing.MeiaEstudante, Quote: pricing.Quote{Ticket: 1800, Total: 1800, Meia: true}}
	}
	ana := booking.Hold{ID: "h-ana", ShowtimeID: "st-1", Holder: "ana", Status: booking.Active, CreatedAt: now,
		ExpiresAt: now.Add(10 * time.Minute), Seats: []booking.HeldSeat{meiaSeat("S1")}}
	ana, err = store.CreateHold(ctx, ana, 1, booking.DefaultBuyerLimits, now)
	require.NoError(t, err)
	o := orders.Order{ID: "ord-ana", Buyer: "ana", HoldID: ana.ID, Status: orders.PendingPayment, CreatedAt: now, ExpiresAt: ana.ExpiresAt,
		Showtime: orders.Showtime{ID: "st-1", StartsAt: now.Add(2 * time.Hour), Format: catalog.Format2D, Language: catalog.Dubbed},
		Tickets:  []orders.TicketLine{{SeatID: "S1", Row: "S", Number: 1, SeatType: catalog.SeatStandard, TicketType: pricing.MeiaEstudante, Meia: true, Price: 1800}},
		Totals:   orders.Totals{Tickets: 1800, Total: 1800}}
	require.NoError(t, store.CreateOrder(ctx, o, now))

	// Past ana's expiry, bruno asks for the showtime's only meia: ana's is
	// given back to him.
	late := ana.ExpiresAt.Add(time.Second)
	bruno := booking.Hold{ID: "h-bruno", ShowtimeID: "st-1", Holder: "bruno", Status: booking.Active, CreatedAt: late,
		ExpiresAt: late.Add(10 * time.Minute), Seats: []booking.HeldSeat{meiaSeat("S2")}}
	_, err = store.CreateHold(ctx, bruno, 1, booking.DefaultBuyerLimits, late)
	require.NoError(t, err)

	// Ana's completion decided to confirm before her expiry and writes now.
	err = store.ConfirmHold(ctx, ana, o.ID, now)
	require.Error(t, err)
	assert.Equal(t, errs.Conflict, errs.KindOf(err))
	counted, err := store.MeiaCounted(ctx, "st-1")
	require.NoError(t, err)
	assert.Equal(t, 1, counted, "bruno's meia only")
	_, claims, err := store.GetShowtime(ctx, "st-1")
	require.NoError(t, err)
	for _, c := range claims {
		assert.NotEqual(t, catalog.SeatSold, c.Status, "seat %s", c.SeatID)
	}
}
