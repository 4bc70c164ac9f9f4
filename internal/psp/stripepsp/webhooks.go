package stripepsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"

	"bilhetagem/internal/money"
	"bilhetagem/internal/psp"
)

// SignatureHeader carries Stripe's webhook signature.
const SignatureHeader = "Stripe-Signature"

// Event verifies a webhook's Stripe-Signature against the endpoint's
// signing secret and maps its event. The signature's age is measured
// against now, not the machine's clock. A dispute carries no metadata, so
// its PaymentIntent is read from Stripe to learn the payment id: that one
// call may fail with psp.ErrUnavailable, and Stripe delivers the event
// again.
func (p *Provider) Event(body []byte, header func(string) string, now time.Time) (psp.Event, error) {
	sig := header(SignatureHeader)
	ev, err := webhook.ConstructEventWithOptions(body, sig, p.cfg.WebhookSecret,
		webhook.ConstructEventOptions{IgnoreTolerance: true, IgnoreAPIVersionMismatch: true})
	switch {
	case errors.Is(err, webhook.ErrNotSigned), errors.Is(err, webhook.ErrInvalidHeader),
		errors.Is(err, webhook.ErrNoValidSignature), errors.Is(err, webhook.ErrTooOld):
		return psp.Event{}, fmt.Errorf("stripepsp: %v: %w", err, psp.ErrSignature)
	case err != nil:
		return psp.Event{}, fmt.Errorf("stripepsp: malformed event: %w", err)
	}
	// The tolerance is checked here, against now: the SDK would use the
	// machine's clock.
	signedAt, ok := signedAt(sig)
	if !ok || now.Sub(signedAt) > p.cfg.Tolerance {
		return psp.Event{}, fmt.Errorf("stripepsp: signed at %s, older than %s: %w", signedAt.UTC().Format(time.RFC3339), p.cfg.Tolerance, psp.ErrSignature)
	}
	ctx, cancel := context.WithTimeout(context.Background(), lookupTimeout)
	defer cancel()
	return p.mapEvent(ctx, ev)
}

// lookupTimeout bounds the one call Event may make.
const lookupTimeout = 10 * time.Second

// signedAt is the signature's timestamp (t=), read as the SDK reads it:
// the last one counts.
func signedAt(header string) (time.Time, bool) {
	var at time.Time
	found := false
	for pair := range strings.SplitSeq(header, ",") {
		k, v, _ := strings.Cut(pair, "=")
		if k != "t" {
			continue
		}
		sec, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return time.Time{}, false
		}
		at, found = time.Unix(sec, 0), true
	}
	return at, found
}

// mapEvent is the psp.Event of a verified Stripe event. An event the
// application does not act on comes back with its ID and an error wrapping
// psp.ErrIgnored.
func (p *Provider) mapEvent(ctx context.Context, ev stripe.Event) (psp.Event, error) {
	out := psp.Event{ID: ev.ID, OccurredAt: time.Unix(ev.Created, 0).UTC()}
	if ev.Data == nil || len(ev.Data.Raw) == 0 {
		return out, fmt.Errorf("stripepsp: event %s has no object", ev.ID)
	}
	var (
		amount    int64
		currency  stripe.Currency
		paymentID string
	)
	switch ev.Type {
	case stripe.EventTypePaymentIntentSucceeded, stripe.EventTypePaymentIntentPaymentFailed, stripe.EventTypePaymentIntentCanceled:
		var pi stripe.PaymentIntent
		if err := json.Unmarshal(ev.Data.Raw, &pi); err != nil {
			return out, fmt.Errorf("stripepsp: event %s: %w", ev.ID, err)
		}
		pix := slices.Contains(pi.PaymentMethodTypes, "pix")
		switch {
		case ev.Type == stripe.EventTypePaymentIntentSucceeded:
			out.Type = psp.EventApproved
		case pix:
			// A Pix fails when its expiry passes unpaid, and is cancelled
			// when its hold ended: either way it expired.
			out.Type = psp.EventExpired
		case ev.Type == stripe.EventTypePaymentIntentPaymentFailed:
			out.Type = psp.EventDeclined
		default:
			// A card PaymentIntent cancelled while waiting for 3-D Secure.
			out.Type = psp.EventFailed
		}
		amount, currency, paymentID, out.Reference = pi.Amount, pi.Currency, pi.Metadata[metadataPaymentID], pi.ID
	case stripe.EventTypeChargeRefunded:
		var ch stripe.Charge
		if err := json.Unmarshal(ev.Data.Raw, &ch); err != nil {
			return out, fmt.Errorf("stripepsp: event %s: %w", ev.ID, err)
		}
		if ch.AmountRefunded < ch.Amount {
			return out, fmt.Errorf("stripepsp: event %s refunds %d of %d: %w", ev.ID, ch.AmountRefunded, ch.Amount, psp.ErrIgnored)
		}
		out.Type = psp.EventRefunded
		amount, currency, paymentID = ch.Amount, ch.Currency, ch.Metadata[metadataPaymentID]
		if ch.PaymentIntent != nil {
			out.Reference = ch.PaymentIntent.ID
		}
	case stripe.EventTypeChargeDisputeCreated:
		// The funds are withdrawn from the balance when the dispute opens, not
		// when it is lost: the money is gone now, so the order is voided now.
		// A dispute won later gives the money back; that is reconciliation's.
		var d stripe.Dispute
		if err := json.Unmarshal(ev.Data.Raw, &d); err != nil {
			return out, fmt.Errorf("stripepsp: event %s: %w", ev.ID, err)
		}
		out.Type = psp.EventChargedBack
		amount, currency = d.Amount, d.Currency
		if d.PaymentIntent != nil {
			out.Reference = d.PaymentIntent.ID
		}
	default:
		return out, fmt.Errorf("stripepsp: event %s of type %s: %w", ev.ID, ev.Type, psp.ErrIgnored)
	}
	if !strings.EqualFold(string(currency), string(stripe.CurrencyBRL)) {
		return out, fmt.Errorf("stripepsp: event %s in %s: %w", ev.ID, currency, psp.ErrIgnored)
	}
	if paymentID == "" && out.Reference != "" {
		// A dispute has no metadata (nor may a charge made before the
		// PaymentIntent had its own): the PaymentIntent has it.
		pi, err := p.paymentIntent(ctx, out.Reference)
		if err != nil {
			return out, p.failure("read payment of event "+ev.ID, out.Reference, err)
		}
		paymentID = pi.Metadata[metadataPaymentID]
	}
	if paymentID == "" {
		return out, fmt.Errorf("stripepsp: event %s is not for one of our payments: %w", ev.ID, psp.ErrIgnored)
	}
	out.PaymentID, out.Amount = paymentID, money.BRL(amount)
	return out, nil
}

var _ psp.Webhooks = (*Provider)(nil)
