// Package booking holds seats: the rules a hold must follow, pure and
// clock-injected, and the Service that takes seats atomically through the
// Store, whose conditional writes are the only arbiter of who gets a seat.
package booking

import (
	"time"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/money"
	"bilhetagem/internal/pricing"
)

// Status is where a hold stands.
type Status string

const (
	Active    Status = "ACTIVE"    // seats held, no order yet
	Ordered   Status = "ORDERED"   // an order was created from it; seats held until paid or expired
	Confirmed Status = "CONFIRMED" // paid: the seats are sold
	Released  Status = "RELEASED"  // freed by the buyer or a failed payment
	Expired   Status = "EXPIRED"   // past ExpiresAt: the seats are free for others at once
)

// SeatRequest is one seat a buyer asks for, with its ticket type.
type SeatRequest struct {
	SeatID     string
	TicketType pricing.TicketType
}

// Request is what a buyer asks to hold.
type Request struct {
	ShowtimeID string
	Seats      []SeatRequest
}

// HeldSeat is a seat of a hold with the price the server computed.
type HeldSeat struct {
	Seat       catalog.Seat
	TicketType pricing.TicketType
	Quote      pricing.Quote
}

// WarningCode names a rule the cinema only warns about.
type WarningCode string

// IsolatedSeat warns that a hold leaves one empty seat alone in a row.
const IsolatedSeat WarningCode = "ISOLATED_SEAT"

// Warning is a rule the hold breaks where the cinema only warns.
type Warning struct {
	Code    WarningCode
	Message string
	Seats   []string
}

// Hold is seats of one showtime held for a buyer until ExpiresAt.
type Hold struct {
	ID         string
	ShowtimeID string
	Holder     string // the buyer's subject
	Status     Status
	Seats      []HeldSeat
	Warnings   []Warning
	CreatedAt  time.Time
	ExpiresAt  time.Time
	OrderID    string
	// BuyerSlot is which of the buyer's hold slots the hold takes, counted
	// from 1 (see BuyerLimits); 0 for a hold written before the slots.
	BuyerSlot int
	// MeiaShards says how many of the hold's meia tickets each shard of the
	// showtime's meia counter carries; it is what a release gives back.
	MeiaShards map[int]int
}

// MeiaCount is the number of half-price tickets in the hold.
func (h Hold) MeiaCount() int {
	n := 0
	for _, s := range h.Seats {
		if s.Quote.Meia {
			n++
		}
	}
	return n
}

// Total is the price of the hold's tickets.
func (h Hold) Total() money.BRL {
	var t money.BRL
	for _, s := range h.Seats {
		t += s.Quote.Total
	}
	return t
}

// SeatIDs lists the hold's seats.
func (h Hold) SeatIDs() []string {
	ids := make([]string, len(h.Seats))
	for i, s := range h.Seats {
		ids[i] = s.Seat.ID
	}
	return ids
}

// StatusAt is the hold's status as seen at now: an active or ordered hold
// past its expiry is expired, whether or not anything has been written.
func (h Hold) StatusAt(now time.Time) Status {
	if (h.Status == Active || h.Status == Ordered) && !now.Before(h.ExpiresAt) {
		return Expired
	}
	return h.Status
}

// Policy is the chain's configuration of holds.
type Policy struct {
	// TTL is how long a hold lasts. Holds are never renewed.
	TTL time.Duration
	// MaxSeats is the most seats one hold may take.
	MaxSeats int
	// SalesCloseAfter is how long after the start tickets are still sold.
	SalesCloseAfter time.Duration
	// AccessibleRelease is how long before the start companion seats are
	// released to general sale; before it, a companion seat is held only
	// with its wheelchair space.
	AccessibleRelease time.Duration
	// Buyer bounds what one buyer holds across showtimes and how often they
	// hold one showtime again; the zero value is DefaultBuyerLimits.
	Buyer BuyerLimits
}

// DefaultPolicy is the chain's default: 10-minute holds (docs/study.md),
// 10 seats, sales until 15 minutes after the start, companion seats released
// 30 minutes before the start.
var DefaultPolicy = Policy{
	TTL:               10 * time.Minute,
	MaxSeats:          10,
	SalesCloseAfter:   catalog.DefaultSalesCloseAfter,
	AccessibleRelease: 30 * time.Minute,
	Buyer:             DefaultBuyerLimits,
}
