// Package stripepsp is the payment provider on Stripe: card and Pix charges
// in BRL as PaymentIntents, refunds, cancellations and Stripe's signed
// webhooks, through the official Go SDK. It honours the contracts of
// psp.Provider and psp.Webhooks as the simulator does: every mutating call
// carries an idempotency key derived from our payment id, so asking again
// after psp.ErrUnavailable charges at most once.
//
// A card is tokenized in the browser by Stripe's Payment Element, which
// gives a PaymentMethod (pm_...); the server confirms it. A Pix charge's
// QR code is drawn here from the BR Code Stripe returns.
package stripepsp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v82"

	"bilhetagem/internal/psp"
)

// Config configures the provider.
type Config struct {
	SecretKey     string // sk_live_... or sk_test_... (a restricted rk_ key works too)
	WebhookSecret string // whsec_..., the signing secret of the webhook endpoint
	// BackendURL replaces Stripe's API address (stripe-mock in tests); empty
	// is Stripe's.
	BackendURL string
	HTTPClient *http.Client // nil: the SDK's (80 s timeout)
	// MaxNetworkRetries bounds the SDK's own retries of a request that did
	// not reach Stripe; nil is the SDK's default (2). The idempotency key
	// makes them safe.
	MaxNetworkRetries *int64
	// Tolerance is the oldest a webhook's signature may be (default 5 min).
	Tolerance time.Duration
	Now       func() time.Time // default time.Now
	Log       *slog.Logger     // default slog.Default()
}

// Provider charges, refunds and cancels through Stripe, and reads its
// webhooks.
type Provider struct {
	cfg    Config
	client *stripe.Client
	// paymentIntent reads a PaymentIntent; a seam for the webhook mapping,
	// which looks up the PaymentIntent of a dispute.
	paymentIntent func(ctx context.Context, id string) (*stripe.PaymentIntent, error)
}

// New makes a provider; it refuses a config without keys.
func New(cfg Config) (*Provider, error) {
	if cfg.SecretKey == "" {
		return nil, errors.New("stripepsp: a secret key is required")
	}
	if cfg.WebhookSecret == "" {
		return nil, errors.New("stripepsp: a webhook signing secret is required")
	}
	if cfg.Tolerance <= 0 {
		cfg.Tolerance = 5 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	bc := &stripe.BackendConfig{
		HTTPClient:        cfg.HTTPClient,
		MaxNetworkRetries: cfg.MaxNetworkRetries,
		LeveledLogger:     sdkLogger{cfg.Log},
	}
	if cfg.BackendURL != "" {
		bc.URL = stripe.String(strings.TrimRight(cfg.BackendURL, "/"))
	}
	p := &Provider{cfg: cfg}
	p.client = stripe.NewClient(cfg.SecretKey, stripe.WithBackends(stripe.NewBackendsWithConfig(bc)))
	p.paymentIntent = func(ctx context.Context, id string) (*stripe.PaymentIntent, error) {
		return p.client.V1PaymentIntents.Retrieve(ctx, id, nil)
	}
	return p, nil
}

// Idempotency keys: one per payment and operation, so a retry of the same
// operation is answered with the first answer and never acts twice. Stripe
// forgets a key after 24 hours; what is asked again later meets the
// PaymentIntent's own state (refunded already, no longer cancellable).

// chargeKey names a payment's PaymentIntent for a method: the buyer may
// switch methods between attempts, and a key must not be reused with other
// parameters.
func chargeKey(paymentID, method string) string {
	return "bilhetagem-charge-" + paymentID + "-" + method
}

// confirmKey names one attempt to pay a card PaymentIntent: a retry with
// the same card and installments gets the first answer; another card is
// another attempt on the same PaymentIntent, which captures at most once.
func confirmKey(paymentID, paymentMethod string, installments int) string {
	return "bilhetagem-confirm-" + paymentID + "-" + paymentMethod + "-" + strconv.Itoa(installments)
}

func refundKey(paymentID string) string { return "bilhetagem-refund-" + paymentID }

func cancelKey(paymentID, intent string) string {
	return "bilhetagem-cancel-" + paymentID + "-" + intent
}

// Charge creates a Pix charge, or pays a card, for the payment.
func (p *Provider) Charge(ctx context.Context, r psp.ChargeRequest) (psp.Charge, error) {
	if r.PaymentID == "" || r.Amount <= 0 {
		return psp.Charge{}, errors.New("stripepsp: a charge needs a payment id and a positive amount")
	}
	switch r.Method {
	case psp.Pix:
		return p.chargePix(ctx, r)
	case psp.Card:
		return p.chargeCard(ctx, r)
	}
	return psp.Charge{}, fmt.Errorf("stripepsp: unknown method %q", r.Method)
}

// createParams are what every PaymentIntent of a payment carries; they are
// the same on every retry, as the idempotency key requires.
func createParams(r psp.ChargeRequest, method string) *stripe.PaymentIntentCreateParams {
	params := &stripe.PaymentIntentCreateParams{
		Amount:             stripe.Int64(int64(r.Amount)),
		Currency:           stripe.String(string(stripe.CurrencyBRL)),
		PaymentMethodTypes: stripe.StringSlice([]string{method}),
	}
	if r.Description != "" {
		params.Description = stripe.String(r.Description)
	}
	params.AddMetadata(metadataPaymentID, r.PaymentID)
	params.SetIdempotencyKey(chargeKey(r.PaymentID, method))
	return params
}

// metadataPaymentID is the PaymentIntent's metadata key holding our payment
// id; Stripe copies it to the PaymentIntent's charges.
const metadataPaymentID = "payment_id"

// chargePix creates and confirms a Pix PaymentIntent that expires with the
// hold, and draws its BR Code as a QR image.
func (p *Provider) chargePix(ctx context.Context, r psp.ChargeRequest) (psp.Charge, error) {
	if r.ExpiresAt.IsZero() || !r.ExpiresAt.After(p.cfg.Now()) {
		return psp.Charge{}, errors.New("stripepsp: a Pix charge needs an expiry in the future")
	}
	params := createParams(r, "pix")
	params.PaymentMethodData = &stripe.PaymentIntentCreatePaymentMethodDataParams{Type: stripe.String("pix")}
	params.PaymentMethodOptions = &stripe.PaymentIntentCreatePaymentMethodOptionsParams{
		Pix: &stripe.PaymentIntentCreatePaymentMethodOptionsPixParams{ExpiresAt: stripe.Int64(r.ExpiresAt.Unix())},
	}
	params.Confirm = stripe.Bool(true)
	pi, err := p.client.V1PaymentIntents.Create(ctx, params)
	if err != nil {
		return psp.Charge{}, p.failure("charge pix", r.PaymentID, err)
	}
	return pixCharge(pi)
}

// chargeCard pays with the PaymentMethod the Payment Element made in the
// browser. It takes two calls: the PaymentIntent is created with what is
// the same on every attempt (so the payment has one PaymentIntent, and one
// capture at most, whatever cards the buyer tries), then confirmed with the
// card. A card Stripe does not know is refused at the confirmation, leaving
// the PaymentIntent unpaid for the next attempt with another card.
func (p *Provider) chargeCard(ctx context.Context, r psp.ChargeRequest) (psp.Charge, error) {
	if !strings.HasPrefix(r.CardToken, "pm_") {
		// Not echoed: a buyer may have typed a card number there.
		return psp.Charge{}, fmt.Errorf("stripepsp: card payment %s: the token is not a PaymentMethod: %w", r.PaymentID, psp.ErrInvalidToken)
	}
	pi, err := p.client.V1PaymentIntents.Create(ctx, createParams(r, "card"))
	if err != nil {
		return psp.Charge{}, p.failure("create card payment", r.PaymentID, err)
	}
	inst := max(r.Installments, 1)
	// use_stripe_sdk: 3-D Secure is then a next action Stripe.js completes in
	// the page (handleNextAction), not a redirect to a return_url.
	params := &stripe.PaymentIntentConfirmParams{PaymentMethod: stripe.String(r.CardToken), UseStripeSDK: stripe.Bool(true)}
	if inst > 1 {
		params.PaymentMethodOptions = &stripe.PaymentIntentPaymentMethodOptionsParams{
			Card: &stripe.PaymentIntentPaymentMethodOptionsCardParams{
				Installments: &stripe.PaymentIntentPaymentMethodOptionsCardInstallmentsParams{
					Enabled: stripe.Bool(true),
					Plan: &stripe.PaymentIntentPaymentMethodOptionsCardInstallmentsPlanParams{
						Count:    stripe.Int64(int64(inst)),
						Interval: stripe.String("month"),
						Type:     stripe.String("fixed_count"),
					},
				},
			},
		}
	}
	params.AddExpand("latest_charge")
	params.SetIdempotencyKey(confirmKey(r.PaymentID, r.CardToken, inst))
	confirmed, err := p.client.V1PaymentIntents.Confirm(ctx, pi.ID, params)
	if err == nil {
		return cardCharge(confirmed, inst)
	}
	var se *stripe.Error
	if errors.As(err, &se) {
		switch {
		case se.Type == stripe.ErrorTypeCard:
			return declinedByError(se, pi.ID), nil
		case invalidPaymentMethod(se):
			return psp.Charge{}, fmt.Errorf("stripepsp: card payment %s: %s: %w", r.PaymentID, describe(se), psp.ErrInvalidToken)
		case installmentsRefused(se):
			return psp.Charge{}, fmt.Errorf("stripepsp: card payment %s in %d parcelas: %s: %w", r.PaymentID, inst, describe(se), psp.ErrInstallments)
		case se.Code == stripe.ErrorCodePaymentIntentUnexpectedState:
			// Paid, or being paid, by an earlier attempt: its state is the answer.
			read := &stripe.PaymentIntentRetrieveParams{}
			read.AddExpand("latest_charge")
			got, err := p.client.V1PaymentIntents.Retrieve(ctx, pi.ID, read)
			if err != nil {
				return psp.Charge{}, p.failure("read card payment", r.PaymentID, err)
			}
			return cardCharge(got, inst)
		}
	}
	return psp.Charge{}, p.failure("confirm card payment", r.PaymentID, err)
}

// Refund gives the whole of the payment's PaymentIntent back; a
// PaymentIntent refunded already, or charged back in a dispute (the issuer
// took the money back), is left as it is.
func (p *Provider) Refund(ctx context.Context, r psp.RefundRequest) error {
	ref := r.Reference
	if ref == "" {
		intents, err := p.search(ctx, r.PaymentID)
		if err != nil {
			return err
		}
		ref = refundable(intents)
		if ref == "" {
			return fmt.Errorf("stripepsp: refund %s: no PaymentIntent at Stripe for the payment", r.PaymentID)
		}
	}
	params := &stripe.RefundCreateParams{}
	if strings.HasPrefix(ref, "ch_") {
		params.Charge = stripe.String(ref)
	} else {
		params.PaymentIntent = stripe.String(ref)
	}
	if r.Amount > 0 {
		params.Amount = stripe.Int64(int64(r.Amount))
	}
	params.AddMetadata(metadataPaymentID, r.PaymentID)
	params.SetIdempotencyKey(refundKey(r.PaymentID))
	_, err := p.client.V1Refunds.Create(ctx, params)
	var se *stripe.Error
	if errors.As(err, &se) && (se.Code == stripe.ErrorCodeChargeAlreadyRefunded || se.Code == stripe.ErrorCodeChargeDisputed) {
		return nil
	}
	if err != nil {
		return p.failure("refund", r.PaymentID, err)
	}
	return nil
}

// refundable picks the PaymentIntent to refund among a payment's: the one
// that took the money, or else the first (Stripe then says why not).
func refundable(intents []*stripe.PaymentIntent) string {
	for _, pi := range intents {
		if pi.Status == stripe.PaymentIntentStatusSucceeded {
			return pi.ID
		}
	}
	if len(intents) > 0 {
		return intents[0].ID
	}
	return ""
}

// Cancel ends the payment's PaymentIntent while it still waits for the
// buyer (an unpaid Pix, a card in 3-D Secure). One that can no longer be
// cancelled (paid, processing, cancelled) is left as it is.
func (p *Provider) Cancel(ctx context.Context, r psp.CancelRequest) error {
	refs := []string{r.Reference}
	if r.Reference == "" {
		intents, err := p.search(ctx, r.PaymentID)
		if err != nil {
			return err
		}
		refs = refs[:0]
		for _, pi := range intents {
			refs = append(refs, pi.ID)
		}
	}
	for _, ref := range refs {
		params := &stripe.PaymentIntentCancelParams{CancellationReason: stripe.String(string(stripe.PaymentIntentCancellationReasonAbandoned))}
		params.SetIdempotencyKey(cancelKey(r.PaymentID, ref))
		_, err := p.client.V1PaymentIntents.Cancel(ctx, ref, params)
		var se *stripe.Error
		if errors.As(err, &se) && se.Code == stripe.ErrorCodePaymentIntentUnexpectedState {
			continue
		}
		if err != nil {
			return p.failure("cancel", r.PaymentID, err)
		}
	}
	return nil
}

// search finds the payment's PaymentIntents by their metadata, for a
// refund or a cancellation whose reference was never recorded. Stripe's
// search lags writes by up to a minute; a caller that finds nothing is
// asked again later by the application's retries.
func (p *Provider) search(ctx context.Context, paymentID string) ([]*stripe.PaymentIntent, error) {
	params := &stripe.PaymentIntentSearchParams{}
	params.Query = fmt.Sprintf("metadata['%s']:'%s'", metadataPaymentID, searchQuoted(paymentID))
	params.Limit = stripe.Int64(10)
	var out []*stripe.PaymentIntent
	for pi, err := range p.client.V1PaymentIntents.Search(ctx, params) {
		if err != nil {
			return nil, p.failure("search", paymentID, err)
		}
		out = append(out, pi)
		if len(out) == 10 {
			break
		}
	}
	return out, nil
}

// searchQuoted escapes a value for a quoted string of Stripe's search query
// language.
func searchQuoted(s string) string {
	return strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s)
}

// invalidPaymentMethod says Stripe refused the card token itself (unknown,
// of another account, used up): the buyer's input, nothing was charged.
func invalidPaymentMethod(se *stripe.Error) bool {
	return se.Type == stripe.ErrorTypeInvalidRequest && se.Param == "payment_method"
}

// installmentsRefused says Stripe offers no such plan for the card: its
// refusal names the plan's parameter.
func installmentsRefused(se *stripe.Error) bool {
	return se.Type == stripe.ErrorTypeInvalidRequest && strings.HasPrefix(se.Param, "payment_method_options[card][installments]")
}

// unavailable says Stripe could not act or did not say: its own failure,
// rate limiting, or the same idempotency key still being worked on. The
// same request may be sent again.
func unavailable(se *stripe.Error) bool {
	return se.HTTPStatusCode >= 500 || se.HTTPStatusCode == http.StatusTooManyRequests ||
		se.Type == stripe.ErrorTypeAPI || se.Code == stripe.ErrorCodeIdempotencyKeyInUse ||
		se.Code == stripe.ErrorCodeLockTimeout || se.Code == stripe.ErrorCodeRateLimit
}

// failure is the error of a call to Stripe. An answer that is not Stripe's
// error (the request did not get through, timed out, or its answer did not
// arrive whole) is psp.ErrUnavailable, as is Stripe's own failure.
func (p *Provider) failure(op, paymentID string, err error) error {
	var se *stripe.Error
	if !errors.As(err, &se) {
		p.cfg.Log.Warn("stripe did not answer", "op", op, "payment", paymentID, "error", err.Error())
		return fmt.Errorf("stripepsp: %s %s: %w: %v", op, paymentID, psp.ErrUnavailable, err)
	}
	if unavailable(se) {
		p.cfg.Log.Warn("stripe unavailable", "op", op, "payment", paymentID, "error", describe(se))
		return fmt.Errorf("stripepsp: %s %s: %w: %s", op, paymentID, psp.ErrUnavailable, describe(se))
	}
	return fmt.Errorf("stripepsp: %s %s: %s", op, paymentID, describe(se))
}

// describe is a Stripe error without the objects it carries (a
// PaymentIntent's client secret must not reach the logs).
func describe(se *stripe.Error) string {
	s := fmt.Sprintf("stripe %d %s", se.HTTPStatusCode, se.Type)
	if se.Code != "" {
		s += "/" + string(se.Code)
	}
	if se.DeclineCode != "" {
		s += "/" + string(se.DeclineCode)
	}
	if se.Param != "" {
		s += " on " + se.Param
	}
	if se.Msg != "" {
		s += ": " + se.Msg
	}
	if se.RequestID != "" {
		s += " (request " + se.RequestID + ")"
	}
	return s
}

// sdkLogger sends the SDK's own logging to slog at debug level (the
// provider logs what matters itself), but for its debug lines: they hold
// whole response bodies, client secrets included.
type sdkLogger struct{ log *slog.Logger }

func (l sdkLogger) Debugf(string, ...any)          {}
func (l sdkLogger) Infof(format string, v ...any)  { l.debug(format, v) }
func (l sdkLogger) Warnf(format string, v ...any)  { l.debug(format, v) }
func (l sdkLogger) Errorf(format string, v ...any) { l.debug(format, v) }

func (l sdkLogger) debug(format string, v []any) {
	if l.log.Enabled(context.Background(), slog.LevelDebug) {
		l.log.Debug("stripe sdk: " + fmt.Sprintf(format, v...))
	}
}

var _ psp.Provider = (*Provider)(nil)
