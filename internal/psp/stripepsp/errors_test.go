package stripepsp

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/psp"
)

// Stripe's error answers, which stripe-mock never gives, come from a fake
// Stripe on loopback that answers one route with a canned body shaped as
// Stripe documents its errors (https://docs.stripe.com/api/errors); they go
// through the SDK's own decoding, as they would in production.

// answer is one canned HTTP answer.
type answer struct {
	status int
	body   string
}

// fakeStripe answers POST /v1/payment_intents with an unconfirmed
// PaymentIntent, the route under test with its canned answer, GET
// /v1/payment_intents/pi_fake with read, and the search with search.
type fakeStripe struct {
	route  string // "METHOD /path"
	answer answer
	read   string
	search string
	hits   atomic.Int64 // requests to route
}

const unconfirmed = `{"id": "pi_fake", "object": "payment_intent", "amount": 4650, "currency": "brl",
	"status": "requires_payment_method", "client_secret": "pi_fake_secret_hidden", "payment_method_types": ["card"]}`

func (f *fakeStripe) start(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reply := func(status int, body string) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Request-Id", "req_fake")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}
		switch route := r.Method + " " + r.URL.Path; {
		case route == f.route:
			f.hits.Add(1)
			if strings.HasPrefix(f.answer.body, "<") {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(f.answer.status)
				_, _ = w.Write([]byte(f.answer.body))
				return
			}
			reply(f.answer.status, f.answer.body)
		case route == "POST /v1/payment_intents":
			reply(http.StatusOK, unconfirmed)
		case route == "GET /v1/payment_intents/pi_fake" && f.read != "":
			reply(http.StatusOK, f.read)
		case route == "GET /v1/payment_intents/search" && f.search != "":
			reply(http.StatusOK, f.search)
		default:
			reply(http.StatusNotFound, `{"error": {"type": "invalid_request_error", "message": "Unrecognized request URL."}}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func cardRequest() psp.ChargeRequest {
	return psp.ChargeRequest{PaymentID: "pay-e", Amount: 4650, Method: psp.Card, CardToken: "pm_1Q0PsIJvEtkwdCNYMSaVuRz6", Installments: 1}
}

func TestCardConfirmationErrors(t *testing.T) {
	t.Parallel()
	const confirm = "POST /v1/payment_intents/pi_fake/confirm"
	// A 402 card_error carries the PaymentIntent, client secret included.
	cardError := func(code, decline string) string {
		return `{"error": {"type": "card_error", "code": "` + code + `", "decline_code": "` + decline + `",
			"message": "Your card was declined.", "charge": "ch_fake", "doc_url": "https://docs.stripe.com/error-codes/card-declined",
			"payment_intent": {"id": "pi_fake", "object": "payment_intent", "status": "requires_payment_method",
				"client_secret": "pi_fake_secret_hidden", "last_payment_error": {"type": "card_error", "code": "` + code + `", "decline_code": "` + decline + `"}}}}`
	}

	t.Run("a 402 card_error is a decline with its reason, on the PaymentIntent", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct{ code, decline, reason string }{
			{"card_declined", "insufficient_funds", "Saldo insuficiente."},
			{"expired_card", "", "Cartão vencido."},
			{"incorrect_cvc", "", "Código de segurança (CVV) incorreto."},
			{"card_declined", "stolen_card", "Pagamento recusado pelo emissor do cartão."},
			{"card_declined", "generic_decline", "Pagamento recusado pelo emissor do cartão."},
		} {
			f := &fakeStripe{route: confirm, answer: answer{http.StatusPaymentRequired, cardError(tc.code, tc.decline)}}
			p, _ := newProvider(t, f.start(t))
			c, err := p.Charge(context.Background(), cardRequest())
			require.NoError(t, err, tc.decline)
			assert.Equal(t, psp.Charge{Reference: "pi_fake", Status: psp.Declined, DeclineReason: tc.reason}, c)
		}
	})

	t.Run("a PaymentMethod Stripe does not know is an invalid token", func(t *testing.T) {
		t.Parallel()
		f := &fakeStripe{route: confirm, answer: answer{http.StatusBadRequest, `{"error": {"type": "invalid_request_error",
			"code": "resource_missing", "param": "payment_method", "message": "No such PaymentMethod: 'pm_1Q0PsIJvEtkwdCNYMSaVuRz6'",
			"doc_url": "https://docs.stripe.com/error-codes/resource-missing"}}`}}
		p, _ := newProvider(t, f.start(t))
		_, err := p.Charge(context.Background(), cardRequest())
		assert.ErrorIs(t, err, psp.ErrInvalidToken)
		assert.NotErrorIs(t, err, psp.ErrUnavailable)
	})

	t.Run("a PaymentIntent paid by an earlier attempt answers with its state", func(t *testing.T) {
		t.Parallel()
		f := &fakeStripe{route: confirm, answer: answer{http.StatusBadRequest, `{"error": {"type": "invalid_request_error",
			"code": "payment_intent_unexpected_state", "message": "This PaymentIntent's payment_method could not be updated because it has a status of succeeded."}}`},
			read: `{"id": "pi_fake", "object": "payment_intent", "status": "succeeded", "amount": 4650, "currency": "brl",
				"latest_charge": {"id": "ch_fake", "payment_method_details": {"type": "card", "card": {"brand": "visa", "last4": "4242"}}}}`}
		p, rec := newProvider(t, f.start(t))
		c, err := p.Charge(context.Background(), cardRequest())
		require.NoError(t, err)
		assert.Equal(t, psp.Charge{Reference: "pi_fake", Status: psp.Approved, Card: &psp.CardInfo{Brand: "VISA", Last4: "4242", Installments: 1}}, c)
		calls := rec.all()
		require.Len(t, calls, 3)
		assert.Equal(t, "GET /v1/payment_intents/pi_fake", calls[2].Method+" "+calls[2].Path)
		assert.Equal(t, []string{"latest_charge"}, formList(calls[2].Form, "expand"))
	})

	t.Run("Stripe's failures, rate limits and a key still in use are unavailable", func(t *testing.T) {
		t.Parallel()
		for name, a := range map[string]answer{
			"500 api_error":    {http.StatusInternalServerError, `{"error": {"type": "api_error", "message": "An unknown error occurred"}}`},
			"503 no detail":    {http.StatusServiceUnavailable, `{"error": {"type": "api_error"}}`},
			"429 rate_limit":   {http.StatusTooManyRequests, `{"error": {"type": "invalid_request_error", "code": "rate_limit", "message": "Too many requests hit the API too quickly."}}`},
			"429 no code":      {http.StatusTooManyRequests, `{"error": {"type": "invalid_request_error", "message": "Too many requests."}}`},
			"429 lock":         {http.StatusTooManyRequests, `{"error": {"type": "invalid_request_error", "code": "lock_timeout", "message": "This object cannot be accessed right now because another API request or Stripe process is currently accessing it."}}`},
			"409 key in use":   {http.StatusConflict, `{"error": {"type": "idempotency_error", "code": "idempotency_key_in_use", "message": "There is currently another in-progress request using this Idempotent Key."}}`},
			"502 from a proxy": {http.StatusBadGateway, `<html><body>502 Bad Gateway</body></html>`},
		} {
			f := &fakeStripe{route: confirm, answer: a}
			p, _ := newProvider(t, f.start(t))
			_, err := p.Charge(context.Background(), cardRequest())
			assert.ErrorIs(t, err, psp.ErrUnavailable, name)
			assert.Equal(t, int64(1), f.hits.Load(), name)
		}
	})

	t.Run("a plan of parcelas the card does not take is ErrInstallments, and keeps the secret out", func(t *testing.T) {
		t.Parallel()
		f := &fakeStripe{route: confirm, answer: answer{http.StatusBadRequest, `{"error": {"type": "invalid_request_error", "code": "parameter_invalid_integer",
			"param": "payment_method_options[card][installments][plan][count]", "message": "Invalid plan.",
			"payment_intent": {"id": "pi_fake", "client_secret": "pi_fake_secret_hidden"}}}`}}
		p, _ := newProvider(t, f.start(t))
		req := cardRequest()
		req.Installments = 3
		_, err := p.Charge(context.Background(), req)
		assert.ErrorIs(t, err, psp.ErrInstallments)
		assert.NotErrorIs(t, err, psp.ErrUnavailable)
		assert.NotContains(t, err.Error(), "secret")
	})

	t.Run("other refusals are errors that are neither unavailable nor an invalid token, and keep the secret out", func(t *testing.T) {
		t.Parallel()
		for name, a := range map[string]answer{
			"key reused with other parameters": {http.StatusBadRequest, `{"error": {"type": "idempotency_error",
				"message": "Keys for idempotent requests can only be used with the same parameters they were first used with."}}`},
			"bad key": {http.StatusUnauthorized, `{"error": {"type": "invalid_request_error", "message": "Invalid API Key provided: sk_test_****"}}`},
		} {
			f := &fakeStripe{route: confirm, answer: a}
			p, _ := newProvider(t, f.start(t))
			_, err := p.Charge(context.Background(), cardRequest())
			require.Error(t, err, name)
			assert.NotErrorIs(t, err, psp.ErrUnavailable, name)
			assert.NotErrorIs(t, err, psp.ErrInvalidToken, name)
			assert.NotErrorIs(t, err, psp.ErrInstallments, name)
			assert.NotContains(t, err.Error(), "secret", name)
		}
	})
}

func TestRefundAndCancelErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("refunding again succeeds", func(t *testing.T) {
		t.Parallel()
		f := &fakeStripe{route: "POST /v1/refunds", answer: answer{http.StatusBadRequest, `{"error": {"type": "invalid_request_error",
			"code": "charge_already_refunded", "message": "Charge ch_fake has already been refunded."}}`}}
		p, _ := newProvider(t, f.start(t))
		assert.NoError(t, p.Refund(ctx, psp.RefundRequest{PaymentID: "pay-e", Reference: "pi_fake", Amount: 4650}))
		assert.Equal(t, int64(1), f.hits.Load())
	})

	t.Run("refunding a charge its issuer took back in a dispute succeeds", func(t *testing.T) {
		t.Parallel()
		f := &fakeStripe{route: "POST /v1/refunds", answer: answer{http.StatusBadRequest, `{"error": {"type": "invalid_request_error",
			"code": "charge_disputed", "message": "Charge ch_fake has been charged back; cannot issue a refund."}}`}}
		p, _ := newProvider(t, f.start(t))
		assert.NoError(t, p.Refund(ctx, psp.RefundRequest{PaymentID: "pay-e", Reference: "pi_fake", Amount: 4650}))
		assert.Equal(t, int64(1), f.hits.Load())
	})

	t.Run("a refund Stripe cannot make now is unavailable; one it refuses is an error", func(t *testing.T) {
		t.Parallel()
		f := &fakeStripe{route: "POST /v1/refunds", answer: answer{http.StatusInternalServerError, `{"error": {"type": "api_error"}}`}}
		p, _ := newProvider(t, f.start(t))
		assert.ErrorIs(t, p.Refund(ctx, psp.RefundRequest{PaymentID: "pay-e", Reference: "pi_fake", Amount: 4650}), psp.ErrUnavailable)

		f = &fakeStripe{route: "POST /v1/refunds", answer: answer{http.StatusBadRequest, `{"error": {"type": "invalid_request_error",
			"code": "amount_too_large", "param": "amount", "message": "Refund amount is greater than unrefunded amount on charge"}}`}}
		p, _ = newProvider(t, f.start(t))
		err := p.Refund(ctx, psp.RefundRequest{PaymentID: "pay-e", Reference: "pi_fake", Amount: 9999})
		require.Error(t, err)
		assert.NotErrorIs(t, err, psp.ErrUnavailable)
	})

	t.Run("a refund finds the PaymentIntent that succeeded among the payment's", func(t *testing.T) {
		t.Parallel()
		f := &fakeStripe{route: "POST /v1/refunds", answer: answer{http.StatusOK, `{"id": "re_fake", "object": "refund", "status": "succeeded"}`},
			search: `{"object": "search_result", "has_more": false, "data": [
				{"id": "pi_pix", "object": "payment_intent", "status": "canceled", "metadata": {"payment_id": "pay-e"}},
				{"id": "pi_card", "object": "payment_intent", "status": "succeeded", "metadata": {"payment_id": "pay-e"}}]}`}
		p, rec := newProvider(t, f.start(t))
		require.NoError(t, p.Refund(ctx, psp.RefundRequest{PaymentID: "pay-e", Amount: 4650}))
		calls := rec.all()
		require.Len(t, calls, 2)
		assert.Equal(t, "pi_card", calls[1].Form.Get("payment_intent"))
	})

	t.Run("a refund with nothing found at Stripe is an error", func(t *testing.T) {
		t.Parallel()
		f := &fakeStripe{route: "POST /v1/refunds", search: `{"object": "search_result", "has_more": false, "data": []}`}
		p, _ := newProvider(t, f.start(t))
		assert.Error(t, p.Refund(ctx, psp.RefundRequest{PaymentID: "pay-e", Amount: 4650}))
		assert.Zero(t, f.hits.Load())
	})

	t.Run("a PaymentIntent that can no longer be cancelled is left as it is", func(t *testing.T) {
		t.Parallel()
		f := &fakeStripe{route: "POST /v1/payment_intents/pi_fake/cancel", answer: answer{http.StatusBadRequest, `{"error": {"type": "invalid_request_error",
			"code": "payment_intent_unexpected_state", "message": "You cannot cancel this PaymentIntent because it has a status of succeeded."}}`}}
		p, _ := newProvider(t, f.start(t))
		assert.NoError(t, p.Cancel(ctx, psp.CancelRequest{PaymentID: "pay-e", Reference: "pi_fake"}))
		assert.Equal(t, int64(1), f.hits.Load())
	})

	t.Run("a cancellation Stripe cannot make now is unavailable", func(t *testing.T) {
		t.Parallel()
		f := &fakeStripe{route: "POST /v1/payment_intents/pi_fake/cancel", answer: answer{http.StatusTooManyRequests,
			`{"error": {"type": "invalid_request_error", "code": "rate_limit"}}`}}
		p, _ := newProvider(t, f.start(t))
		assert.ErrorIs(t, p.Cancel(ctx, psp.CancelRequest{PaymentID: "pay-e", Reference: "pi_fake"}), psp.ErrUnavailable)
	})

	t.Run("a cancellation with nothing found at Stripe has nothing to do", func(t *testing.T) {
		t.Parallel()
		f := &fakeStripe{route: "POST /v1/payment_intents/pi_fake/cancel", search: `{"object": "search_result", "has_more": false, "data": []}`}
		p, rec := newProvider(t, f.start(t))
		assert.NoError(t, p.Cancel(ctx, psp.CancelRequest{PaymentID: "pay-e"}))
		assert.Len(t, rec.all(), 1, "the search only")
	})
}

func TestAStripeThatDoesNotAnswerInTimeIsUnavailable(t *testing.T) {
	t.Parallel()
	// The caller gives up once the request has reached a Stripe that says
	// nothing: no clock is raced.
	arrived, release := make(chan struct{}, 1), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The body is read first: the server notices the client leaving only
		// once it has.
		_, _ = io.Copy(io.Discard, r.Body)
		arrived <- struct{}{}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs first
	p, _ := newProvider(t, srv.URL)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := p.Charge(ctx, psp.ChargeRequest{PaymentID: "pay-t", Amount: 100, Method: psp.Pix, ExpiresAt: t0.Add(time.Minute)})
		done <- err
	}()
	<-arrived
	cancel()
	assert.ErrorIs(t, <-done, psp.ErrUnavailable)
}
