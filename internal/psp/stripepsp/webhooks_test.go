package stripepsp

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"

	"bilhetagem/internal/psp"
	"bilhetagem/internal/psp/stripepsp/stripemock"
)

// Events are built as Stripe sends them (https://docs.stripe.com/api/events)
// and signed with the SDK's test signer at a fixed instant; the provider
// reads them at another fixed instant.

// event is a Stripe event's body around obj, created at t0.
func event(t *testing.T, id, typ string, obj map[string]any) []byte {
	t.Helper()
	body, err := json.Marshal(map[string]any{
		"id": id, "object": "event", "api_version": "2025-08-27.basil", "created": t0.Unix(), "livemode": false,
		"pending_webhooks": 1, "request": map[string]any{"id": nil, "idempotency_key": nil}, "type": typ,
		"data": map[string]any{"object": obj},
	})
	require.NoError(t, err)
	return body
}

// signed is the Stripe-Signature of body under secret at the instant at.
func signed(body []byte, secret string, at time.Time) func(string) string {
	h := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: secret, Timestamp: at}).Header
	return func(name string) string {
		if name == SignatureHeader {
			return h
		}
		return ""
	}
}

func paymentIntentObject(id, status, method string, extra map[string]any) map[string]any {
	o := map[string]any{"id": id, "object": "payment_intent", "amount": 4650, "amount_received": 0, "currency": "brl",
		"status": status, "payment_method_types": []string{method}, "metadata": map[string]any{"payment_id": "pay-w"},
		"client_secret": id + "_secret_x", "created": t0.Add(-time.Minute).Unix(), "livemode": false}
	for k, v := range extra {
		o[k] = v
	}
	return o
}

func chargeObject(amountRefunded int64) map[string]any {
	return map[string]any{"id": "ch_w", "object": "charge", "amount": 4650, "amount_captured": 4650, "amount_refunded": amountRefunded,
		"currency": "brl", "captured": true, "paid": true, "refunded": amountRefunded == 4650, "status": "succeeded",
		"payment_intent": "pi_w", "metadata": map[string]any{"payment_id": "pay-w"},
		"payment_method_details": map[string]any{"type": "card", "card": map[string]any{"brand": "visa", "last4": "4242"}}}
}

func disputeObject() map[string]any {
	return map[string]any{"id": "du_w", "object": "dispute", "amount": 4650, "currency": "brl", "charge": "ch_w",
		"payment_intent": "pi_w", "reason": "fraudulent", "status": "needs_response", "metadata": map[string]any{},
		"is_charge_refundable": false, "created": t0.Unix(), "livemode": false}
}

// webhookProvider is a provider whose PaymentIntent lookups are answered
// from lookups (the seam), failing the test for any other.
func webhookProvider(t *testing.T, lookups map[string]*stripe.PaymentIntent) *Provider {
	t.Helper()
	p, err := New(Config{SecretKey: "sk_test_bilhetagem", WebhookSecret: webhookSecret, BackendURL: "http://127.0.0.1:9",
		Log: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	p.paymentIntent = func(_ context.Context, id string) (*stripe.PaymentIntent, error) {
		pi, ok := lookups[id]
		if !ok {
			t.Errorf("unexpected lookup of %s", id)
			return nil, errors.New("unexpected lookup")
		}
		return pi, nil
	}
	return p
}

var now = t0.Add(30 * time.Second) // when the webhook arrives

func TestWebhookEvents(t *testing.T) {
	t.Parallel()
	occurred := t0
	for _, tc := range []struct {
		name string
		typ  string
		obj  map[string]any
		want psp.EventType
	}{
		{"a PaymentIntent that succeeded is approved", "payment_intent.succeeded",
			paymentIntentObject("pi_w", "succeeded", "card", map[string]any{"amount_received": 4650}), psp.EventApproved},
		{"a Pix that succeeded is approved", "payment_intent.succeeded",
			paymentIntentObject("pi_w", "succeeded", "pix", nil), psp.EventApproved},
		{"a card payment that failed is declined", "payment_intent.payment_failed",
			paymentIntentObject("pi_w", "requires_payment_method", "card", map[string]any{
				"last_payment_error": map[string]any{"type": "card_error", "code": "card_declined", "decline_code": "generic_decline"}}), psp.EventDeclined},
		{"a Pix that failed (its expiry passed) expired", "payment_intent.payment_failed",
			paymentIntentObject("pi_w", "requires_payment_method", "pix", nil), psp.EventExpired},
		{"a Pix cancelled expired", "payment_intent.canceled",
			paymentIntentObject("pi_w", "canceled", "pix", map[string]any{"cancellation_reason": "abandoned"}), psp.EventExpired},
		{"a card payment cancelled in 3-D Secure failed", "payment_intent.canceled",
			paymentIntentObject("pi_w", "canceled", "card", map[string]any{"cancellation_reason": "abandoned"}), psp.EventFailed},
		{"a charge refunded in full is refunded", "charge.refunded", chargeObject(4650), psp.EventRefunded},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			body := event(t, "evt_w1", tc.typ, tc.obj)
			got, err := webhookProvider(t, nil).Event(body, signed(body, webhookSecret, t0), now)
			require.NoError(t, err)
			assert.Equal(t, psp.Event{ID: "evt_w1", Type: tc.want, OccurredAt: occurred, PaymentID: "pay-w", Reference: "pi_w", Amount: 4650}, got)
		})
	}

	t.Run("an event of an older API version is read the same", func(t *testing.T) {
		t.Parallel()
		body := event(t, "evt_w0", "payment_intent.succeeded", paymentIntentObject("pi_w", "succeeded", "card", nil))
		body = []byte(strings.Replace(string(body), `"api_version":"2025-08-27.basil"`, `"api_version":"2024-06-20"`, 1))
		require.Contains(t, string(body), "2024-06-20")
		got, err := webhookProvider(t, nil).Event(body, signed(body, webhookSecret, t0), now)
		require.NoError(t, err)
		assert.Equal(t, psp.EventApproved, got.Type)
	})

	t.Run("a dispute opened is a chargeback, for the payment its PaymentIntent names", func(t *testing.T) {
		t.Parallel()
		body := event(t, "evt_w2", "charge.dispute.created", disputeObject())
		p := webhookProvider(t, map[string]*stripe.PaymentIntent{"pi_w": {ID: "pi_w", Metadata: map[string]string{"payment_id": "pay-w"}}})
		got, err := p.Event(body, signed(body, webhookSecret, t0), now)
		require.NoError(t, err)
		assert.Equal(t, psp.Event{ID: "evt_w2", Type: psp.EventChargedBack, OccurredAt: occurred, PaymentID: "pay-w", Reference: "pi_w", Amount: 4650}, got)
	})

	t.Run("a refund of a charge without our metadata reads its PaymentIntent's", func(t *testing.T) {
		t.Parallel()
		obj := chargeObject(4650)
		obj["metadata"] = map[string]any{}
		body := event(t, "evt_w3", "charge.refunded", obj)
		p := webhookProvider(t, map[string]*stripe.PaymentIntent{"pi_w": {ID: "pi_w", Metadata: map[string]string{"payment_id": "pay-w"}}})
		got, err := p.Event(body, signed(body, webhookSecret, t0), now)
		require.NoError(t, err)
		assert.Equal(t, "pay-w", got.PaymentID)
	})

	t.Run("a dispute whose PaymentIntent cannot be read now is unavailable, and Stripe sends it again", func(t *testing.T) {
		t.Parallel()
		body := event(t, "evt_w4", "charge.dispute.created", disputeObject())
		p := webhookProvider(t, nil)
		p.paymentIntent = func(context.Context, string) (*stripe.PaymentIntent, error) {
			return nil, errors.New("dial tcp: connection refused")
		}
		_, err := p.Event(body, signed(body, webhookSecret, t0), now)
		assert.ErrorIs(t, err, psp.ErrUnavailable)
		assert.NotErrorIs(t, err, psp.ErrIgnored)
	})
}

func TestDisputeLookupAgainstStripeMock(t *testing.T) {
	t.Parallel()
	// The real lookup: a GET of the dispute's PaymentIntent. stripe-mock's
	// fixture has no metadata, so the event is not for one of our payments.
	p, rec := newProvider(t, stripemock.URL(t))
	body := event(t, "evt_w5", "charge.dispute.created", disputeObject())
	got, err := p.Event(body, signed(body, webhookSecret, t0), now)
	assert.ErrorIs(t, err, psp.ErrIgnored)
	assert.Equal(t, "evt_w5", got.ID)
	calls := rec.all()
	require.Len(t, calls, 1)
	assert.Equal(t, "GET /v1/payment_intents/pi_w", calls[0].Method+" "+calls[0].Path)
}

func TestWebhookSignatures(t *testing.T) {
	t.Parallel()
	body := event(t, "evt_s", "payment_intent.succeeded", paymentIntentObject("pi_w", "succeeded", "card", nil))

	t.Run("a valid signature within the tolerance is read", func(t *testing.T) {
		t.Parallel()
		_, err := webhookProvider(t, nil).Event(body, signed(body, webhookSecret, t0), t0.Add(5*time.Minute))
		assert.NoError(t, err)
	})

	for _, tc := range []struct {
		name   string
		body   []byte
		header func(string) string
		now    time.Time
	}{
		{"a tampered body", []byte(string(body[:len(body)-1]) + " }"), signed(body, webhookSecret, t0), now},
		{"another amount in the body", func() []byte {
			return event(t, "evt_s", "payment_intent.succeeded", paymentIntentObject("pi_w", "succeeded", "card", map[string]any{"amount": 1}))
		}(), signed(body, webhookSecret, t0), now},
		{"a wrong secret", body, signed(body, "whsec_someone_else", t0), now},
		{"no signature", body, func(string) string { return "" }, now},
		{"a garbled header", body, func(string) string { return "t=abc,v1=zz" }, now},
		{"a signature older than the tolerance", body, signed(body, webhookSecret, t0), t0.Add(5*time.Minute + time.Second)},
		{"a signature well beyond the tolerance", body, signed(body, webhookSecret, t0), t0.Add(24 * time.Hour)},
	} {
		t.Run(tc.name+" does not verify", func(t *testing.T) {
			t.Parallel()
			_, err := webhookProvider(t, nil).Event(tc.body, tc.header, tc.now)
			assert.ErrorIs(t, err, psp.ErrSignature)
		})
	}

	t.Run("an event replayed is the same event, with the same id", func(t *testing.T) {
		t.Parallel()
		p := webhookProvider(t, nil)
		first, err := p.Event(body, signed(body, webhookSecret, t0), now)
		require.NoError(t, err)
		// Stripe signs a redelivery anew, later.
		again, err := p.Event(body, signed(body, webhookSecret, t0.Add(time.Hour)), t0.Add(time.Hour+time.Second))
		require.NoError(t, err)
		assert.Equal(t, first, again)
	})
}

func TestWebhookEventsOutOfOrder(t *testing.T) {
	t.Parallel()
	// A refund may arrive before the approval it follows; each maps on its
	// own, and the payment's status machine orders them.
	p := webhookProvider(t, nil)
	refund := event(t, "evt_o2", "charge.refunded", chargeObject(4650))
	approval := event(t, "evt_o1", "payment_intent.succeeded", paymentIntentObject("pi_w", "succeeded", "card", nil))
	r, err := p.Event(refund, signed(refund, webhookSecret, t0), now)
	require.NoError(t, err)
	a, err := p.Event(approval, signed(approval, webhookSecret, t0), now)
	require.NoError(t, err)
	assert.Equal(t, psp.EventRefunded, r.Type)
	assert.Equal(t, psp.EventApproved, a.Type)
	assert.Equal(t, r.PaymentID, a.PaymentID)
	assert.Equal(t, r.Reference, a.Reference)
}

func TestWebhookEventsIgnored(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		body func(t *testing.T) []byte
	}{
		{"an event type not acted on", func(t *testing.T) []byte {
			return event(t, "evt_i", "payment_intent.created", paymentIntentObject("pi_w", "requires_payment_method", "card", nil))
		}},
		{"a partial refund", func(t *testing.T) []byte { return event(t, "evt_i", "charge.refunded", chargeObject(1000)) }},
		{"a currency other than BRL", func(t *testing.T) []byte {
			return event(t, "evt_i", "payment_intent.succeeded", paymentIntentObject("pi_w", "succeeded", "card", map[string]any{"currency": "usd"}))
		}},
		{"a PaymentIntent that is not one of ours", func(t *testing.T) []byte {
			return event(t, "evt_i", "payment_intent.succeeded", paymentIntentObject("pi_w", "succeeded", "card", map[string]any{"metadata": map[string]any{}}))
		}},
	} {
		t.Run(tc.name+" is ignored, with its id", func(t *testing.T) {
			t.Parallel()
			p := webhookProvider(t, map[string]*stripe.PaymentIntent{"pi_w": {ID: "pi_w"}})
			body := tc.body(t)
			got, err := p.Event(body, signed(body, webhookSecret, t0), now)
			assert.ErrorIs(t, err, psp.ErrIgnored)
			assert.Equal(t, "evt_i", got.ID)
		})
	}

	t.Run("a signed body that is not an event is malformed, not ignored", func(t *testing.T) {
		t.Parallel()
		body := []byte(`{"id": "evt_m", "type": "payment_intent.succeeded", "data": {"object": "not an object"}}`)
		_, err := webhookProvider(t, nil).Event(body, signed(body, webhookSecret, t0), now)
		require.Error(t, err)
		assert.NotErrorIs(t, err, psp.ErrIgnored)
		assert.NotErrorIs(t, err, psp.ErrSignature)
	})
}
