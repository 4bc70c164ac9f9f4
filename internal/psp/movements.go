package psp

import (
	"context"
	"time"

	"bilhetagem/internal/money"
)

// MovementKind is how money moved at the provider.
type MovementKind string

const (
	// MovementCapture is money taken from the buyer.
	MovementCapture MovementKind = "CAPTURE"
	// MovementRefund is money given back to the buyer.
	MovementRefund MovementKind = "REFUND"
	// MovementDispute is money the card's issuer took back (a dispute
	// opened or lost; one the merchant won is not listed).
	MovementDispute MovementKind = "DISPUTE"
)

// Movement is one movement of money the provider recorded.
type Movement struct {
	Kind MovementKind
	// PaymentID is our payment id, as the charge carries it (the
	// simulator's key, Stripe's metadata.payment_id); empty when the
	// provider holds money no payment of ours names.
	PaymentID string
	// Reference is the provider's id of what moved: the charge (a
	// PaymentIntent), the refund or the dispute.
	Reference string
	Amount    money.BRL
	At        time.Time
}

// Reconciler is a provider that lists what it did with the money, for the
// reconciliation job (docs/adr/0701). It is optional: the job asks the
// environment's provider for it.
type Reconciler interface {
	// Movements lists the captures, refunds and disputes the provider
	// recorded in [since, until). Earlier movements of the same charge may
	// come too (a capture before its refund, say), so the caller sums them
	// per payment; a charge that moved again after until may be left to
	// the window of its last move (the simulator lists charges by it).
	Movements(ctx context.Context, since, until time.Time) ([]Movement, error)
}
