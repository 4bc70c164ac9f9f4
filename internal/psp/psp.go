// Package psp is the payment service provider behind one interface: charge
// an order by Pix or card, refund it, and receive the provider's signed
// events. Simulator is a local provider that behaves like a real one (test
// card numbers that approve, decline and time out; Pix BR Codes with a QR
// image; charges that expire; HMAC-signed webhooks sent asynchronously). A
// real provider (Pagar.me, Mercado Pago, Stripe, Cielo) plugs in behind
// Provider with an adapter that maps its payloads to these types.
package psp

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"bilhetagem/internal/money"
)

// Method is how a buyer pays.
type Method string

const (
	Pix  Method = "PIX"
	Card Method = "CARD"
)

// Status is where a charge stands at the provider.
type Status string

const (
	Pending  Status = "PENDING"  // waiting for the buyer (Pix) or for the provider's answer (a card that timed out)
	Approved Status = "APPROVED" // the money is captured
	Declined Status = "DECLINED" // the issuer refused
	Refunded Status = "REFUNDED" // the money went back
	Expired  Status = "EXPIRED"  // a Pix not paid in time
)

// ChargeRequest asks for a charge. PaymentID is the idempotency key at the
// provider: asking again with the same id never charges twice, it returns
// the first charge.
type ChargeRequest struct {
	PaymentID    string
	Amount       money.BRL
	Method       Method
	CardToken    string // CARD: the token of the provider's client-side tokenization
	Installments int
	// ExpiresAt bounds a Pix charge; the caller passes the hold's expiry, and
	// the provider never lets a charge outlive it.
	ExpiresAt   time.Time
	Description string
}

// PixCharge is what a buyer needs to pay a Pix charge.
type PixCharge struct {
	CopyPaste string // the BR Code (EMV) payload, "copia e cola"
	QRCodePNG []byte // the BR Code as a PNG QR code
	ExpiresAt time.Time
}

// CardInfo is what is safe to show about a card.
type CardInfo struct {
	Brand        string
	Last4        string
	Installments int
}

// Charge is the provider's answer to a charge.
type Charge struct {
	Reference     string // the provider's id of the charge
	Status        Status
	Pix           *PixCharge
	Card          *CardInfo
	DeclineReason string // pt-BR, for a declined card
}

// Provider is a payment service provider.
type Provider interface {
	// Charge creates a charge, or returns the one already made for the
	// PaymentID. ErrUnavailable means the provider could not be reached or
	// did not say; asking again with the same PaymentID is safe.
	// ErrInvalidToken means the provider does not know the card token (the
	// buyer's input, not an issuer's decline): nothing was charged and
	// nothing was kept for the PaymentID, so the same PaymentID may be
	// charged again with another token.
	Charge(ctx context.Context, r ChargeRequest) (Charge, error)
	// Refund gives an approved charge's money back; refunding again is a
	// no-op that succeeds.
	Refund(ctx context.Context, paymentID string, amount money.BRL) error
}

// ErrUnavailable says the provider could not be reached.
var ErrUnavailable = errors.New("psp: unavailable")

// ErrInvalidToken says the provider does not know the card token.
var ErrInvalidToken = errors.New("psp: unknown card token")

// EventType is the kind of an event the provider sends.
type EventType string

const (
	EventApproved EventType = "payment.approved"
	EventDeclined EventType = "payment.declined"
	EventExpired  EventType = "payment.expired"
	EventRefunded EventType = "payment.refunded"
	EventFailed   EventType = "payment.failed"
	// EventChargedBack is a dispute the merchant lost: the card's issuer
	// took the money of an approved charge back.
	EventChargedBack EventType = "payment.charged_back"
)

// Event is a payment event from the provider.
type Event struct {
	ID         string
	Type       EventType
	OccurredAt time.Time
	PaymentID  string
	Reference  string
	Amount     money.BRL
}

// wireEvent is the webhook body (the contract's PspEvent).
type wireEvent struct {
	ID           string    `json:"id"`
	Type         EventType `json:"type"`
	OccurredAt   time.Time `json:"occurredAt"`
	PaymentID    string    `json:"paymentId"`
	PspReference string    `json:"pspReference"`
	Amount       struct {
		Amount   int64  `json:"amount"`
		Currency string `json:"currency"`
	} `json:"amount"`
}

// EncodeEvent is the webhook body of an event.
func EncodeEvent(e Event) ([]byte, error) {
	w := wireEvent{ID: e.ID, Type: e.Type, OccurredAt: e.OccurredAt.UTC(), PaymentID: e.PaymentID, PspReference: e.Reference}
	w.Amount.Amount, w.Amount.Currency = int64(e.Amount), money.Currency
	return json.Marshal(w)
}

// signaturePrefix starts every X-Signature.
const signaturePrefix = "sha256="

// Sign is the X-Signature of a body: "sha256=" and the lowercase hex
// HMAC-SHA256 of the raw body keyed with the shared secret.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return signaturePrefix + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether signature is the body's, in constant time.
func Verify(secret, body []byte, signature string) bool {
	if len(secret) == 0 || !strings.HasPrefix(signature, signaturePrefix) {
		return false
	}
	got, err := hex.DecodeString(strings.TrimPrefix(signature, signaturePrefix))
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return hmac.Equal(got, m.Sum(nil))
}
