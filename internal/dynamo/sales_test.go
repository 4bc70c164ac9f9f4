package dynamo_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/booking"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/dynamo/dynamotest"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/pricing"
	"bilhetagem/internal/tickets"
)

// payOrder holds seats of a showtime, orders them and issues the tickets at
// paidAt, the way the purchase completion does: the order turns PAID in
// the IssueTickets transaction.
func payOrder(t *testing.T, store *dynamo.Store, id, showtimeID string, seats []string, paidAt time.Time) {
	t.Helper()
	ctx := context.Background()
	now := paidAt.Add(-time.Minute)
	h := booking.Hold{ID: "h-" + id, ShowtimeID: showtimeID, Holder: "buyer-" + id, Status: booking.Active, CreatedAt: now, ExpiresAt: now.Add(10 * time.Minute)}
	o := orders.Order{ID: id, Buyer: h.Holder, HoldID: h.ID, Status: orders.PendingPayment, CreatedAt: now, ExpiresAt: h.ExpiresAt,
		Showtime: orders.Showtime{ID: showtimeID, StartsAt: paidAt.Add(48 * time.Hour), Format: catalog.Format2D, Language: catalog.Dubbed}}
	var ts []tickets.Ticket
	for _, seat := range seats {
		h.Seats = append(h.Seats, booking.HeldSeat{Seat: catalog.Seat{ID: seat, Row: seat[:1], Number: 1, Type: catalog.SeatStandard},
			TicketType: pricing.Inteira, Quote: pricing.Quote{Ticket: 3200, Total: 3200}})
		o.Tickets = append(o.Tickets, orders.TicketLine{SeatID: seat, Row: seat[:1], Number: 1, SeatType: catalog.SeatStandard,
			TicketType: pricing.Inteira, Price: 3200})
		ts = append(ts, tickets.Ticket{ID: tickets.ID(id, seat), OrderID: id, Buyer: h.Holder, ShowtimeID: showtimeID, SeatID: seat,
			StartsAt: o.Showtime.StartsAt, TicketType: pricing.Inteira, Status: tickets.Valid, IssuedAt: paidAt, QR: "qr"})
	}
	_, err := store.CreateHold(ctx, h, 100, booking.DefaultBuyerLimits, now)
	require.NoError(t, err)
	require.NoError(t, store.CreateOrder(ctx, o, now))
	created, err := store.GetOrder(ctx, id)
	require.NoError(t, err)
	created.Status, created.PaidAt = orders.Paid, paidAt
	require.NoError(t, store.IssueTickets(ctx, created, ts))
}

func TestSalesCounter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := dynamotest.NewStore(t)
	_, err := store.PutCatalog(ctx, fixture(t))
	require.NoError(t, err)
	const movie = "mov-aurora" // st-1 and st-2 are its showtimes
	h := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)

	payOrder(t, store, "ord-a", "st-1", []string{"A1", "A2"}, h.Add(5*time.Minute))
	payOrder(t, store, "ord-b", "st-2", []string{"B1"}, h.Add(59*time.Minute))
	payOrder(t, store, "ord-c", "st-1", []string{"C1", "C2", "C3"}, h.Add(61*time.Minute))
	payOrder(t, store, "ord-old", "st-1", []string{"D1"}, h.Add(-30*time.Hour))

	t.Run("paid tickets count in the hour they were paid, whatever the showtime", func(t *testing.T) {
		n, err := store.TicketsSold(ctx, movie, h, h)
		require.NoError(t, err)
		assert.Equal(t, 3, n)
		n, err = store.TicketsSold(ctx, movie, h.Add(time.Hour), h.Add(time.Hour+59*time.Minute))
		require.NoError(t, err)
		assert.Equal(t, 3, n)
	})
	t.Run("a range sums its hours and leaves older ones out", func(t *testing.T) {
		n, err := store.TicketsSold(ctx, movie, h.Add(-23*time.Hour), h.Add(90*time.Minute))
		require.NoError(t, err)
		assert.Equal(t, 6, n)
		n, err = store.TicketsSold(ctx, movie, h.Add(-31*time.Hour), h.Add(90*time.Minute))
		require.NoError(t, err)
		assert.Equal(t, 7, n)
	})
	t.Run("another movie sold nothing", func(t *testing.T) {
		n, err := store.TicketsSold(ctx, "mov-other", h.Add(-48*time.Hour), h.Add(48*time.Hour))
		require.NoError(t, err)
		assert.Zero(t, n)
	})
	t.Run("issuing an order again is stale and counts nothing more", func(t *testing.T) {
		o, err := store.GetOrder(ctx, "ord-a")
		require.NoError(t, err)
		o.Version-- // the version the first completion read
		assert.ErrorIs(t, store.IssueTickets(ctx, o, nil), orders.ErrStale)
		n, err := store.TicketsSold(ctx, movie, h, h)
		require.NoError(t, err)
		assert.Equal(t, 3, n)
	})
	t.Run("an order whose showtime left the catalog is paid and counts nowhere", func(t *testing.T) {
		payOrder(t, store, "ord-gone", "st-gone", []string{"E1"}, h.Add(10*time.Minute))
		n, err := store.TicketsSold(ctx, movie, h, h)
		require.NoError(t, err)
		assert.Equal(t, 3, n)
	})
}

func TestSalesCounterUnderConcurrentPayments(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := dynamotest.NewStore(t)
	_, err := store.PutCatalog(ctx, fixture(t))
	require.NoError(t, err)
	h := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	const orders = 24
	var wg sync.WaitGroup
	for i := range orders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seats := []string{fmt.Sprintf("R%02d", i), fmt.Sprintf("S%02d", i)}
			payOrder(t, store, fmt.Sprintf("ord-%02d", i), "st-1", seats, h.Add(time.Duration(i)*time.Second))
		}()
	}
	wg.Wait()
	n, err := store.TicketsSold(ctx, "mov-aurora", h, h)
	require.NoError(t, err)
	assert.Equal(t, 2*orders, n, "every paid ticket counted once, none lost to a conflict")
}
