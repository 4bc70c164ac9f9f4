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
	"fmt"
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

// Action is what the buyer must still do at the provider before a PENDING
// card charge is decided: 3-D Secure, say. The client-side library of the
// provider takes ClientSecret (Stripe's handleNextAction); a redirect-only
// provider gives RedirectURL.
type Action struct {
	ClientSecret string
	RedirectURL  string
}

// Charge is the provider's answer to a charge.
type Charge struct {
	Reference     string // the provider's id of the charge
	Status        Status
	Pix           *PixCharge
	Card          *CardInfo
	Action        *Action // a PENDING card charge waiting for the buyer (3-D Secure)
	DeclineReason string  // pt-BR, for a declined card
}

// RefundRequest asks for the whole of an approved charge back. PaymentID is
// the idempotency key; Reference is the provider's id of the charge, as
// recorded from the charge or its events (empty when none was recorded).
type RefundRequest struct {
	PaymentID string
	Reference string
	Amount    money.BRL
}

// CancelRequest ends a charge still waiting for the buyer (an unpaid Pix).
type CancelRequest struct {
	PaymentID string
	Reference string
}

// Provider is a payment service provider.
type Provider interface {
	// Charge creates a charge, or returns the one already made for the
	// PaymentID. ErrUnavailable means the provider could not be reached or
	// did not say; asking again with the same PaymentID is safe.
	// ErrInvalidToken means the provider does not know the card token (the
	// buyer's input, not an issuer's decline): nothing was charged and
	// nothing was kept for the PaymentID, so the same PaymentID may be
	// charged again with another token. ErrInstallments means the card
	// takes no such plan of parcelas; likewise nothing was charged and the
	// PaymentID may be charged again, with fewer.
	Charge(ctx context.Context, r ChargeRequest) (Charge, error)
	// Refund gives an approved charge's money back; refunding again, or
	// refunding a charge its issuer took back (a chargeback), is a no-op
	// that succeeds.
	Refund(ctx context.Context, r RefundRequest) error
	// Cancel ends a charge that still waits for the buyer, so that it can
	// no longer be paid: the application calls it when the hold behind the
	// charge expires. A charge that is not pending is left as it is and
	// Cancel succeeds; if it was paid meanwhile its approval arrives as an
	// event and the order refunds it.
	Cancel(ctx context.Context, r CancelRequest) error
}

// Webhooks reads a provider's signed webhook requests.
type Webhooks interface {
	// Event checks the request's signature and reads its event. A missing,
	// wrong or too old signature is ErrSignature; a well-signed event the
	// application does not act on is ErrIgnored (wrapped, with its type).
	Event(body []byte, header func(name string) string, now time.Time) (Event, error)
}

// ErrSignature says a webhook's signature does not verify.
var ErrSignature = errors.New("psp: webhook signature does not verify")

// ErrIgnored says a webhook carries an event the application does not act on.
var ErrIgnored = errors.New("psp: event not acted on")

// ErrUnavailable says the provider could not be reached.
var ErrUnavailable = errors.New("psp: unavailable")

// ErrInvalidToken says the provider does not know the card token.
var ErrInvalidToken = errors.New("psp: unknown card token")

// ErrInstallments says the card takes no plan of that many parcelas.
var ErrInstallments = errors.New("psp: installments not offered for this card")

// EventType is the kind of an event the provider sends.
type EventType string

const (
	EventApproved EventType = "payment.approved"
	EventDeclined EventType = "payment.declined"
	EventExpired  EventType = "payment.expired"
	EventRefunded EventType = "payment.refunded"
	EventFailed   EventType = "payment.failed"
	// EventChargedBack is the card's issuer taking the money of an approved
	// charge back in a dispute. Stripe withdraws it when the dispute opens
	// (docs/adr/0700), so the order is voided then; a dispute won later is
	// for reconciliation.
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

// WebhookTolerance is how old a signed event may be when it arrives, as
// Stripe's own default: a captured request replayed later is refused.
const WebhookTolerance = 5 * time.Minute

// SimulatorWebhooks reads the simulator's webhooks: the contract's PspEvent,
// signed with X-Signature (Sign) under the shared secret.
type SimulatorWebhooks struct{ Secret []byte }

// Event verifies the X-Signature of the raw body and decodes the event. The
// signed occurredAt stands for the signature's time: an event more than
// WebhookTolerance older than now is refused as ErrSignature, as Stripe's
// adapter refuses an old t=.
func (w SimulatorWebhooks) Event(body []byte, header func(string) string, now time.Time) (Event, error) {
	if !Verify(w.Secret, body, header("X-Signature")) {
		return Event{}, ErrSignature
	}
	var in wireEvent
	if err := json.Unmarshal(body, &in); err != nil {
		return Event{}, fmt.Errorf("psp: malformed event: %w", err)
	}
	if now.Sub(in.OccurredAt) > WebhookTolerance {
		return Event{}, fmt.Errorf("psp: event of %s is older than %s: %w", in.OccurredAt.UTC().Format(time.RFC3339), WebhookTolerance, ErrSignature)
	}
	return Event{ID: in.ID, Type: in.Type, OccurredAt: in.OccurredAt, PaymentID: in.PaymentID,
		Reference: in.PspReference, Amount: money.BRL(in.Amount.Amount)}, nil
}
