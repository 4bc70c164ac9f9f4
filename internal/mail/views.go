package mail

import "time"

// The views below are what the renderers need, in plain fields the caller
// maps its domain to. Amounts are centavos of reais; instants may be in any
// zone (they are told in São Paulo). To and Key become the Message's.

// Showtime is the session an e-mail is about.
type Showtime struct {
	Movie  string    // "Duna: Parte Dois"
	Cinema string    // "Cine Paulista"
	Room   string    // "Sala 3"
	Start  time.Time // when it starts
}

// Ticket is one seat of an order.
type Ticket struct {
	Seat  string // "F7"
	Type  string // the ticket type's label: "Inteira", "Meia", …
	Price int64  // centavos
	Code  string // the ticket's code, shown as text beside its QR code
	QR    string // the QR code's payload; empty means Code
}

// ConcessionLine is one bomboniere line of an order.
type ConcessionLine struct {
	Name      string // "Pipoca grande, manteiga"
	Quantity  int
	UnitPrice int64 // centavos
	Total     int64 // the line's amount in centavos
}

// OrderConfirmedView is a paid order whose tickets were issued.
type OrderConfirmedView struct {
	To, Key  string
	Name     string // the buyer's name for the greeting; may be empty
	OrderID  string
	Showtime Showtime
	Tickets  []Ticket
	// Concessions are the bomboniere lines, handed over at the counter for
	// PickupCode (required when there are lines); PickupQR is the pickup
	// QR code's payload, empty meaning PickupCode.
	Concessions    []ConcessionLine
	PickupCode     string
	PickupQR       string
	ConvenienceFee int64
	// Total is what was charged: the tickets, the concessions and the fee
	// must add up to it.
	Total         int64
	PaymentMethod string // "Cartão Visa •••• 4242 em 2x", "Pix"
	ReceiptURL    string // the order's receipt page
}

// ShowtimeCancelledView is an order refunded because the cinema cancelled
// its showtime.
type ShowtimeCancelledView struct {
	To, Key       string
	Name          string
	OrderID       string
	Showtime      Showtime
	Reason        string // what staff gave as the reason; may be empty
	Refund        int64  // centavos given back
	PaymentMethod string // where the refund goes: "Cartão Visa •••• 4242", "Pix"
	OrderURL      string
}

// ShowtimeRescheduledView is an order whose showtime moved: its tickets
// stay valid for the new time, and the buyer may cancel it for a full
// refund until CancelUntil.
type ShowtimeRescheduledView struct {
	To, Key     string
	Name        string
	OrderID     string
	Showtime    Showtime  // with its new Start
	OldStart    time.Time // when it was to start
	Reason      string    // may be empty
	CancelUntil time.Time // the buyer may cancel for a refund until then
	Refund      int64     // centavos a cancellation gives back
	OrderURL    string
}

// RefundDoneView is a refund paid out for an order.
type RefundDoneView struct {
	To, Key       string
	Name          string
	OrderID       string
	Showtime      Showtime
	Amount        int64  // centavos refunded
	PaymentMethod string // where it went: "Cartão Visa •••• 4242", "Pix"
	OrderURL      string
}

// TicketsVoidedView is an order whose tickets were voided because its
// payment was disputed with the card's issuer (a chargeback).
type TicketsVoidedView struct {
	To, Key      string
	Name         string
	OrderID      string
	Showtime     Showtime
	Seats        []string // the voided tickets' seats: "F7"
	Amount       int64    // centavos the issuer gave back to the buyer
	SupportEmail string   // whom to write to about the order
	OrderURL     string
}
