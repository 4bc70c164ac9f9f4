// Package orders sells a hold: an order of its tickets and bomboniere items
// priced by the server, its explicit state machine, the payments that pay it
// and the purchase completion that turns an approved payment into sold seats,
// tickets and a paid order (or gives the money back). Pure rules with the
// clock injected; the Service runs them against a Store, a payment provider
// and the booking service.
package orders

import (
	"errors"
	"fmt"
	"time"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/money"
	"bilhetagem/internal/pricing"
)

// Status is where an order stands.
type Status string

const (
	PendingPayment Status = "PENDING_PAYMENT" // created from a hold, waiting for payment
	Paid           Status = "PAID"            // paid: seats sold, tickets issued
	Cancelled      Status = "CANCELLED"       // cancelled by the buyer; the refund is on its way
	Refunded       Status = "REFUNDED"        // the money went back to the buyer
	Expired        Status = "EXPIRED"         // not paid before the hold expired
	Failed         Status = "FAILED"          // the payment was declined or failed
)

// Event is what moves an order from one status to another.
type Event string

const (
	EventPaid      Event = "PAID"
	EventExpired   Event = "EXPIRED"
	EventFailed    Event = "FAILED"
	EventCancelled Event = "CANCELLED"
	EventRefunded  Event = "REFUNDED"
)

// Statuses and Events list every value, for exhaustive tests.
var (
	Statuses = []Status{PendingPayment, Paid, Cancelled, Refunded, Expired, Failed}
	Events   = []Event{EventPaid, EventExpired, EventFailed, EventCancelled, EventRefunded}
)

// transitions is the whole state machine: PENDING_PAYMENT → PAID →
// CANCELLED → REFUNDED (or PAID → REFUNDED when support refunds without a
// cancellation); PENDING_PAYMENT → EXPIRED or FAILED. Anything not listed is
// refused.
var transitions = map[Status]map[Event]Status{
	PendingPayment: {EventPaid: Paid, EventExpired: Expired, EventFailed: Failed},
	Paid:           {EventCancelled: Cancelled, EventRefunded: Refunded},
	Cancelled:      {EventRefunded: Refunded},
}

// ErrTransition is returned for an event the order's status does not allow.
var ErrTransition = errors.New("transition not allowed")

// Next is the status an event moves s to.
func (s Status) Next(e Event) (Status, error) {
	if to, ok := transitions[s][e]; ok {
		return to, nil
	}
	return s, fmt.Errorf("order %s on %s: %w", s, e, ErrTransition)
}

// Final reports whether no event can move s any more.
func (s Status) Final() bool { return len(transitions[s]) == 0 }

// Showtime is what an order keeps of the showtime it is for.
type Showtime struct {
	ID         string
	MovieTitle string
	CinemaID   string // empty on orders stored before it was kept (see Service.Get)
	CinemaName string
	RoomName   string
	StartsAt   time.Time
	Format     catalog.Format
	Language   catalog.Language
}

// TicketLine is one seat of an order with the price the hold quoted.
type TicketLine struct {
	SeatID     string
	Row        string
	Number     int
	SeatType   catalog.SeatType
	TicketType pricing.TicketType
	Meia       bool
	Price      money.BRL // ticket plus seat surcharge
	TicketID   string    // set when the ticket is issued
}

// ConcessionLine is one bomboniere line priced from the menu.
type ConcessionLine struct {
	ProductID string
	Name      string
	Size      string
	Flavours  []string
	Quantity  int
	UnitPrice money.BRL
	Total     money.BRL
}

// Totals are the order's amounts: Total = Tickets + Concessions + ConvenienceFee.
type Totals struct {
	Tickets        money.BRL
	Concessions    money.BRL
	ConvenienceFee money.BRL
	Total          money.BRL
}

// Order is a purchase of a hold plus bomboniere items.
type Order struct {
	ID               string
	Buyer            string
	HoldID           string
	Status           Status
	Showtime         Showtime
	Tickets          []TicketLine
	Concessions      []ConcessionLine
	Totals           Totals
	CreatedAt        time.Time
	ExpiresAt        time.Time // the hold's expiry: pay before it
	CancellableUntil time.Time
	PaidAt           time.Time // zero until paid
	CancelledAt      time.Time // zero unless cancelled
	PickupCode       string    // set when paid
	Refund           money.BRL // what was refunded, once refunded
	PaymentID        string    // the order's current payment
	// SweepAttempts counts the sweeps whose completion of the order failed
	// in a row, and RetryAt is when the next sweep may try it (zero: at
	// once). See Sweeper.
	SweepAttempts int
	RetryAt       time.Time
	// Version increases with every write; the store writes an order only
	// over the version it read.
	Version int
}

// StatusAt is the order's status as seen at now: an order waiting for
// payment past its expiry is expired, whether or not anything was written.
func (o Order) StatusAt(now time.Time) Status {
	if o.Status == PendingPayment && !now.Before(o.ExpiresAt) {
		return Expired
	}
	return o.Status
}

// apply moves the order with an event, bumping nothing else.
func (o *Order) apply(e Event) error {
	to, err := o.Status.Next(e)
	if err != nil {
		return err
	}
	o.Status = to
	return nil
}
