package stripepsp

import (
	"context"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v82"

	"bilhetagem/internal/money"
	"bilhetagem/internal/psp"
)

// listPage is how many objects one list request asks for: Stripe's most.
const listPage = 100

// Movements lists what Stripe did with the money in [since, until), for the
// reconciliation (docs/adr/0701): the PaymentIntents created in the window
// that took money (a capture, dated at the PaymentIntent's creation: a Pix
// or 3-D Secure charge is paid minutes after it, within the hold), the
// refunds created in it that did not fail, and the disputes opened in it
// whose money is withdrawn (not inquiries, not the ones won). Each list is
// paged through with the SDK's iterator. Stripe dates to the second, so the
// window is taken in whole seconds: since rounded down, until up. Only BRL
// movements are ours.
func (p *Provider) Movements(ctx context.Context, since, until time.Time) ([]psp.Movement, error) {
	created := func() *stripe.RangeQueryParams {
		return &stripe.RangeQueryParams{GreaterThanOrEqual: since.Unix(), LesserThan: ceilUnix(until)}
	}
	window := since.UTC().Format(time.RFC3339) + ".." + until.UTC().Format(time.RFC3339)
	var out []psp.Movement

	intents := &stripe.PaymentIntentListParams{CreatedRange: created()}
	intents.Limit = stripe.Int64(listPage)
	for pi, err := range p.client.V1PaymentIntents.List(ctx, intents) {
		if err != nil {
			return nil, p.failure("list payment intents", window, err)
		}
		if m, ok := intentMovement(pi); ok {
			out = append(out, m)
		}
	}

	// A refund made in Stripe's dashboard carries no metadata of ours;
	// its PaymentIntent, expanded, does.
	refunds := &stripe.RefundListParams{CreatedRange: created()}
	refunds.Limit = stripe.Int64(listPage)
	refunds.AddExpand("data.payment_intent")
	for r, err := range p.client.V1Refunds.List(ctx, refunds) {
		if err != nil {
			return nil, p.failure("list refunds", window, err)
		}
		if m, ok := refundMovement(r); ok {
			out = append(out, m)
		}
	}

	disputes := &stripe.DisputeListParams{CreatedRange: created()}
	disputes.Limit = stripe.Int64(listPage)
	disputes.AddExpand("data.payment_intent")
	for d, err := range p.client.V1Disputes.List(ctx, disputes) {
		if err != nil {
			return nil, p.failure("list disputes", window, err)
		}
		if m, ok := disputeMovement(d); ok {
			out = append(out, m)
		}
	}
	return out, nil
}

// ceilUnix is t in Unix seconds, rounded up.
func ceilUnix(t time.Time) int64 {
	s := t.Unix()
	if t.After(time.Unix(s, 0)) {
		s++
	}
	return s
}

// intentMovement is the capture of a PaymentIntent that took money.
func intentMovement(pi *stripe.PaymentIntent) (psp.Movement, bool) {
	if pi == nil || pi.Status != stripe.PaymentIntentStatusSucceeded || pi.AmountReceived <= 0 || !brl(pi.Currency) {
		return psp.Movement{}, false
	}
	return psp.Movement{Kind: psp.MovementCapture, PaymentID: pi.Metadata[metadataPaymentID], Reference: pi.ID,
		Amount: money.BRL(pi.AmountReceived), At: time.Unix(pi.Created, 0).UTC()}, true
}

// refundMovement is a refund on its way or done; a failed or cancelled one
// gave nothing back.
func refundMovement(r *stripe.Refund) (psp.Movement, bool) {
	if r == nil || r.Status == stripe.RefundStatusFailed || r.Status == stripe.RefundStatusCanceled || !brl(r.Currency) {
		return psp.Movement{}, false
	}
	id := r.Metadata[metadataPaymentID]
	if id == "" && r.PaymentIntent != nil {
		id = r.PaymentIntent.Metadata[metadataPaymentID]
	}
	return psp.Movement{Kind: psp.MovementRefund, PaymentID: id, Reference: r.ID, Amount: money.BRL(r.Amount),
		At: time.Unix(r.Created, 0).UTC()}, true
}

// disputeMovement is a dispute whose money the issuer took: open
// (needs_response, under_review) or lost. An inquiry (warning_*) or a
// prevented dispute withdraws nothing, and a dispute won gives it back.
func disputeMovement(d *stripe.Dispute) (psp.Movement, bool) {
	if d == nil || !brl(d.Currency) {
		return psp.Movement{}, false
	}
	switch d.Status {
	case stripe.DisputeStatusNeedsResponse, stripe.DisputeStatusUnderReview, stripe.DisputeStatusLost:
	default:
		return psp.Movement{}, false
	}
	id := ""
	if d.PaymentIntent != nil {
		id = d.PaymentIntent.Metadata[metadataPaymentID]
	}
	return psp.Movement{Kind: psp.MovementDispute, PaymentID: id, Reference: d.ID, Amount: money.BRL(d.Amount),
		At: time.Unix(d.Created, 0).UTC()}, true
}

func brl(c stripe.Currency) bool { return strings.EqualFold(string(c), string(stripe.CurrencyBRL)) }

var _ psp.Reconciler = (*Provider)(nil)
