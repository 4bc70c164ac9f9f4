package stripepsp

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/stripe/stripe-go/v82"

	"bilhetagem/internal/psp"
	"bilhetagem/internal/psp/stripepsp/stripemock"
)

// The tests that call Stripe call stripe-mock, Stripe's official mock: it
// refuses any parameter Stripe's OpenAPI spec does not allow, so a request
// it accepts is one Stripe would parse. It keeps no state and answers with
// fixtures: every PaymentIntent it returns is requires_payment_method with a
// last_payment_error, whatever was asked, and metadata is not echoed. The
// states it cannot produce are tested on Stripe-shaped payloads
// (charge_test.go) and Stripe-shaped error answers (errors_test.go), and
// whole behaviours by the conformance suite the simulator passes too
// (conformance_test.go).
func TestMain(m *testing.M) { os.Exit(stripemock.Main(m)) }

// t0 is a fixed instant: nothing here reads the machine's clock.
var t0 = time.Date(2026, 3, 19, 22, 0, 0, 0, time.UTC)

const webhookSecret = "whsec_test_bilhetagem"

// call is one request on its way to Stripe.
type call struct {
	Method, Path, Key string
	Form              url.Values
}

// recorder keeps the requests the provider sends, then passes them on.
type recorder struct {
	mu    sync.Mutex
	calls []call
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	c := call{Method: req.Method, Path: req.URL.Path, Key: req.Header.Get("Idempotency-Key"), Form: req.URL.Query()}
	if req.Body != nil {
		body, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		if req.Method != http.MethodGet {
			if c.Form, err = url.ParseQuery(string(body)); err != nil {
				return nil, err
			}
		}
	}
	r.mu.Lock()
	r.calls = append(r.calls, c)
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

func (r *recorder) all() []call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]call(nil), r.calls...)
}

// newProvider is a provider on the backend at base (stripe-mock, or a fake
// Stripe on loopback), with every request recorded.
func newProvider(t *testing.T, base string) (*Provider, *recorder) {
	t.Helper()
	u, err := url.Parse(base)
	require.NoError(t, err)
	host := u.Hostname()
	require.True(t, host == "127.0.0.1" || host == "localhost" || host == "::1", "tests call loopback only, not %s", base)
	rec := &recorder{}
	p, err := New(Config{
		SecretKey: "sk_test_bilhetagem", WebhookSecret: webhookSecret, BackendURL: base,
		HTTPClient: &http.Client{Transport: rec}, MaxNetworkRetries: stripe.Int64(0),
		Now: func() time.Time { return t0 }, Log: slog.New(slog.DiscardHandler),
	})
	require.NoError(t, err)
	return p, rec
}

func TestNewRefusesAConfigWithoutKeys(t *testing.T) {
	t.Parallel()
	_, err := New(Config{WebhookSecret: webhookSecret})
	assert.Error(t, err, "no secret key")
	_, err = New(Config{SecretKey: "sk_test_x"})
	assert.Error(t, err, "no webhook secret")
}

func TestCardAgainstStripeMock(t *testing.T) {
	t.Parallel()

	t.Run("a card payment is one PaymentIntent created with the payment's data, then confirmed with the card", func(t *testing.T) {
		t.Parallel()
		p, rec := newProvider(t, stripemock.URL(t))
		c, err := p.Charge(context.Background(), psp.ChargeRequest{PaymentID: "pay-card-1", Amount: 4650, Method: psp.Card,
			CardToken: "pm_card_visa", Installments: 1, Description: "Pedido ord-1"})
		require.NoError(t, err)

		calls := rec.all()
		require.Len(t, calls, 2)
		create, confirm := calls[0], calls[1]
		assert.Equal(t, "POST /v1/payment_intents", create.Method+" "+create.Path)
		assert.Equal(t, "bilhetagem-charge-pay-card-1-card", create.Key)
		assert.Equal(t, "4650", create.Form.Get("amount"))
		assert.Equal(t, "brl", create.Form.Get("currency"))
		assert.Equal(t, []string{"card"}, formList(create.Form, "payment_method_types"))
		assert.Equal(t, "pay-card-1", create.Form.Get("metadata[payment_id]"))
		assert.Equal(t, "Pedido ord-1", create.Form.Get("description"))
		assert.Empty(t, create.Form.Get("payment_method"), "the card is not part of the PaymentIntent's creation")
		assert.Empty(t, create.Form.Get("confirm"))

		require.True(t, strings.HasPrefix(confirm.Path, "/v1/payment_intents/pi_") && strings.HasSuffix(confirm.Path, "/confirm"), confirm.Path)
		intent := strings.TrimSuffix(strings.TrimPrefix(confirm.Path, "/v1/payment_intents/"), "/confirm")
		assert.Equal(t, "bilhetagem-confirm-pay-card-1-pm_card_visa-1", confirm.Key)
		assert.Equal(t, "pm_card_visa", confirm.Form.Get("payment_method"))
		assert.Equal(t, "true", confirm.Form.Get("use_stripe_sdk"), "3-D Secure is handled by Stripe.js in the page")
		assert.Equal(t, []string{"latest_charge"}, formList(confirm.Form, "expand"))
		assert.Empty(t, confirm.Form.Get("payment_method_options[card][installments][plan][count]"), "one installment is no plan")

		// stripe-mock's fixture is requires_payment_method with a
		// last_payment_error: a decline, on the PaymentIntent confirmed.
		assert.Equal(t, psp.Declined, c.Status)
		assert.Equal(t, intent, c.Reference)
		assert.Equal(t, "Pagamento recusado pelo emissor do cartão.", c.DeclineReason)
	})

	t.Run("installments are a monthly fixed_count plan chosen at the confirmation", func(t *testing.T) {
		t.Parallel()
		p, rec := newProvider(t, stripemock.URL(t))
		_, err := p.Charge(context.Background(), psp.ChargeRequest{PaymentID: "pay-card-3x", Amount: 12000, Method: psp.Card,
			CardToken: "pm_card_br", Installments: 3, Description: "Pedido ord-3"})
		require.NoError(t, err, "stripe-mock accepts the plan")
		calls := rec.all()
		require.Len(t, calls, 2)
		confirm := calls[1]
		assert.Equal(t, "bilhetagem-confirm-pay-card-3x-pm_card_br-3", confirm.Key)
		assert.Equal(t, "true", confirm.Form.Get("payment_method_options[card][installments][enabled]"))
		assert.Equal(t, "3", confirm.Form.Get("payment_method_options[card][installments][plan][count]"))
		assert.Equal(t, "month", confirm.Form.Get("payment_method_options[card][installments][plan][interval]"))
		assert.Equal(t, "fixed_count", confirm.Form.Get("payment_method_options[card][installments][plan][type]"))
	})

	t.Run("a token that is not a PaymentMethod is refused before Stripe is asked", func(t *testing.T) {
		t.Parallel()
		p, rec := newProvider(t, stripemock.URL(t))
		for _, token := range []string{"", "sim_4111111111111111", "tok_visa", "4111111111111111"} {
			_, err := p.Charge(context.Background(), psp.ChargeRequest{PaymentID: "pay-bad-token", Amount: 100, Method: psp.Card, CardToken: token})
			assert.ErrorIs(t, err, psp.ErrInvalidToken, token)
			if token != "" {
				assert.NotContains(t, err.Error(), token, "what the buyer typed is not echoed")
			}
		}
		assert.Empty(t, rec.all())
	})
}

func TestPixAgainstStripeMock(t *testing.T) {
	t.Parallel()

	t.Run("a Pix charge is created and confirmed in one call that expires with the hold", func(t *testing.T) {
		t.Parallel()
		p, rec := newProvider(t, stripemock.URL(t))
		expires := t0.Add(10 * time.Minute)
		c, err := p.Charge(context.Background(), psp.ChargeRequest{PaymentID: "pay-pix-1", Amount: 3890, Method: psp.Pix,
			ExpiresAt: expires, Description: "Pedido ord-2"})
		require.NoError(t, err)
		calls := rec.all()
		require.Len(t, calls, 1)
		create := calls[0]
		assert.Equal(t, "POST /v1/payment_intents", create.Method+" "+create.Path)
		assert.Equal(t, "bilhetagem-charge-pay-pix-1-pix", create.Key)
		assert.Equal(t, "3890", create.Form.Get("amount"))
		assert.Equal(t, "brl", create.Form.Get("currency"))
		assert.Equal(t, []string{"pix"}, formList(create.Form, "payment_method_types"))
		assert.Equal(t, "pix", create.Form.Get("payment_method_data[type]"))
		assert.Equal(t, "true", create.Form.Get("confirm"))
		assert.Equal(t, strconv.FormatInt(expires.Unix(), 10), create.Form.Get("payment_method_options[pix][expires_at]"))
		assert.Equal(t, "pay-pix-1", create.Form.Get("metadata[payment_id]"))
		assert.Equal(t, "Pedido ord-2", create.Form.Get("description"))

		// The fixture has no pix_display_qr_code (charge_test.go maps one); it
		// is requires_payment_method with a last_payment_error.
		assert.Equal(t, psp.Declined, c.Status)
		assert.True(t, strings.HasPrefix(c.Reference, "pi_"), c.Reference)
		assert.Nil(t, c.Pix)
	})

	t.Run("a Pix charge without an expiry in the future is refused before Stripe is asked", func(t *testing.T) {
		t.Parallel()
		p, rec := newProvider(t, stripemock.URL(t))
		for _, at := range []time.Time{{}, t0, t0.Add(-time.Second)} {
			_, err := p.Charge(context.Background(), psp.ChargeRequest{PaymentID: "pay-pix-old", Amount: 100, Method: psp.Pix, ExpiresAt: at})
			assert.Error(t, err, at)
		}
		assert.Empty(t, rec.all())
	})
}

func TestRefundAgainstStripeMock(t *testing.T) {
	t.Parallel()

	t.Run("a refund of the recorded PaymentIntent gives its whole amount back", func(t *testing.T) {
		t.Parallel()
		p, rec := newProvider(t, stripemock.URL(t))
		require.NoError(t, p.Refund(context.Background(), psp.RefundRequest{PaymentID: "pay-r1", Reference: "pi_r1", Amount: 4650}))
		calls := rec.all()
		require.Len(t, calls, 1)
		assert.Equal(t, "POST /v1/refunds", calls[0].Method+" "+calls[0].Path)
		assert.Equal(t, "bilhetagem-refund-pay-r1", calls[0].Key)
		assert.Equal(t, "pi_r1", calls[0].Form.Get("payment_intent"))
		assert.Equal(t, "4650", calls[0].Form.Get("amount"))
		assert.Equal(t, "pay-r1", calls[0].Form.Get("metadata[payment_id]"))
	})

	t.Run("a refund without a reference finds the PaymentIntent by the payment id", func(t *testing.T) {
		t.Parallel()
		p, rec := newProvider(t, stripemock.URL(t))
		require.NoError(t, p.Refund(context.Background(), psp.RefundRequest{PaymentID: "pay-r2", Amount: 4650}))
		calls := rec.all()
		require.Len(t, calls, 2)
		assert.Equal(t, "GET /v1/payment_intents/search", calls[0].Method+" "+calls[0].Path)
		assert.Equal(t, "metadata['payment_id']:'pay-r2'", calls[0].Form.Get("query"))
		assert.Empty(t, calls[0].Key, "a read carries no idempotency key")
		assert.Equal(t, "POST /v1/refunds", calls[1].Method+" "+calls[1].Path)
		found := calls[1].Form.Get("payment_intent")
		assert.True(t, strings.HasPrefix(found, "pi_"), "the search's PaymentIntent is refunded: %q", found)
		assert.Equal(t, "bilhetagem-refund-pay-r2", calls[1].Key)
	})
}

func TestCancelAgainstStripeMock(t *testing.T) {
	t.Parallel()

	t.Run("a cancellation ends the recorded PaymentIntent as abandoned", func(t *testing.T) {
		t.Parallel()
		p, rec := newProvider(t, stripemock.URL(t))
		require.NoError(t, p.Cancel(context.Background(), psp.CancelRequest{PaymentID: "pay-c1", Reference: "pi_c1"}))
		calls := rec.all()
		require.Len(t, calls, 1)
		assert.Equal(t, "POST /v1/payment_intents/pi_c1/cancel", calls[0].Method+" "+calls[0].Path)
		assert.Equal(t, "bilhetagem-cancel-pay-c1-pi_c1", calls[0].Key)
		assert.Equal(t, "abandoned", calls[0].Form.Get("cancellation_reason"))
	})

	t.Run("a cancellation without a reference cancels what the search finds", func(t *testing.T) {
		t.Parallel()
		p, rec := newProvider(t, stripemock.URL(t))
		require.NoError(t, p.Cancel(context.Background(), psp.CancelRequest{PaymentID: "pay-c2"}))
		calls := rec.all()
		require.Len(t, calls, 2)
		assert.Equal(t, "GET /v1/payment_intents/search", calls[0].Method+" "+calls[0].Path)
		assert.Equal(t, "metadata['payment_id']:'pay-c2'", calls[0].Form.Get("query"))
		assert.Regexp(t, `^/v1/payment_intents/pi_\w+/cancel$`, calls[1].Path)
		assert.Regexp(t, `^bilhetagem-cancel-pay-c2-pi_\w+$`, calls[1].Key)
	})
}

func TestEveryWriteCarriesOurIdempotencyKey(t *testing.T) {
	t.Parallel()
	p, rec := newProvider(t, stripemock.URL(t))
	ctx := context.Background()
	_, err := p.Charge(ctx, psp.ChargeRequest{PaymentID: "pay-k", Amount: 100, Method: psp.Card, CardToken: "pm_card_visa", Installments: 2})
	require.NoError(t, err)
	_, err = p.Charge(ctx, psp.ChargeRequest{PaymentID: "pay-k", Amount: 100, Method: psp.Pix, ExpiresAt: t0.Add(time.Minute)})
	require.NoError(t, err)
	require.NoError(t, p.Refund(ctx, psp.RefundRequest{PaymentID: "pay-k", Amount: 100}))
	require.NoError(t, p.Cancel(ctx, psp.CancelRequest{PaymentID: "pay-k"}))

	writes := 0
	for _, c := range rec.all() {
		if c.Method == http.MethodGet {
			continue
		}
		writes++
		// The SDK makes up a random key for a write that has none: ours are
		// named for the payment, so a retry sends the same one.
		assert.Regexp(t, `^bilhetagem-(charge|confirm|refund|cancel)-pay-k(-|$)`, c.Key, c.Method+" "+c.Path)
	}
	assert.Equal(t, 5, writes, "create and confirm a card, create a Pix, refund, cancel")
}

func TestStripeMockKnowsEveryParameterWeSend(t *testing.T) {
	t.Parallel()
	// stripe-mock refuses an unknown top-level parameter, but lets unknown
	// keys through inside nested objects (payment_method_options[bogus][x] is
	// accepted). So each nested parameter the provider sends is sent again
	// with a value of the wrong type: the refusal shows the spec knows it.
	// Each request is also sent with an unknown top-level parameter, to show
	// that those are refused (and so that ours are known).
	base := stripemock.URL(t)
	p, rec := newProvider(t, base)
	ctx := context.Background()
	_, err := p.Charge(ctx, psp.ChargeRequest{PaymentID: "pay-spec", Amount: 100, Method: psp.Card, CardToken: "pm_card_visa", Installments: 6, Description: "d"})
	require.NoError(t, err)
	_, err = p.Charge(ctx, psp.ChargeRequest{PaymentID: "pay-spec", Amount: 100, Method: psp.Pix, ExpiresAt: t0.Add(time.Minute)})
	require.NoError(t, err)
	require.NoError(t, p.Refund(ctx, psp.RefundRequest{PaymentID: "pay-spec", Reference: "pi_spec", Amount: 100}))
	require.NoError(t, p.Cancel(ctx, psp.CancelRequest{PaymentID: "pay-spec", Reference: "pi_spec"}))

	probed := 0
	for _, c := range rec.all() {
		if c.Method != http.MethodPost {
			continue
		}
		for key := range c.Form {
			if !strings.Contains(key, "[") || strings.HasPrefix(key, "metadata[") || strings.HasPrefix(key, "expand[") ||
				strings.HasPrefix(key, "payment_method_types[") {
				continue // top-level names are checked below; the rest are free-form or lists of strings
			}
			probed++
			bad := url.Values{}
			for k, v := range c.Form {
				bad[k] = v
			}
			bad.Set(key, "no válido")
			status, body := postForm(t, base+c.Path, bad)
			assert.Equal(t, http.StatusBadRequest, status, "%s %s=%q accepted: %.300s", c.Path, key, "no válido", body)
		}
		unknown := url.Values{}
		for k, v := range c.Form {
			unknown[k] = v
		}
		unknown.Set("bilhetagem_unknown", "1")
		status, _ := postForm(t, base+c.Path, unknown)
		assert.Equal(t, http.StatusBadRequest, status, "%s with an unknown parameter", c.Path)
	}
	assert.Equal(t, 6, probed, "installments enabled, count, interval, type; Pix method data type and expiry")
}

// postForm posts a form to stripe-mock as the SDK would.
func postForm(t *testing.T, target string, form url.Values) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("sk_test_bilhetagem", "")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestUnreachableStripeIsUnavailable(t *testing.T) {
	t.Parallel()
	// A port that was just free and is closed again: nothing listens.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := "http://" + l.Addr().String()
	require.NoError(t, l.Close())
	p, _ := newProvider(t, closed)
	ctx := context.Background()

	_, err = p.Charge(ctx, psp.ChargeRequest{PaymentID: "pay-u", Amount: 100, Method: psp.Card, CardToken: "pm_card_visa"})
	assert.ErrorIs(t, err, psp.ErrUnavailable, "card")
	_, err = p.Charge(ctx, psp.ChargeRequest{PaymentID: "pay-u", Amount: 100, Method: psp.Pix, ExpiresAt: t0.Add(time.Minute)})
	assert.ErrorIs(t, err, psp.ErrUnavailable, "pix")
	assert.ErrorIs(t, p.Refund(ctx, psp.RefundRequest{PaymentID: "pay-u", Reference: "pi_u", Amount: 100}), psp.ErrUnavailable, "refund")
	assert.ErrorIs(t, p.Refund(ctx, psp.RefundRequest{PaymentID: "pay-u", Amount: 100}), psp.ErrUnavailable, "refund by search")
	assert.ErrorIs(t, p.Cancel(ctx, psp.CancelRequest{PaymentID: "pay-u", Reference: "pi_u"}), psp.ErrUnavailable, "cancel")
}

// formList is a form's list parameter, as the SDK encodes it (name[0]=...).
func formList(f url.Values, name string) []string {
	var out []string
	for i := 0; ; i++ {
		v, ok := f[name+"["+strconv.Itoa(i)+"]"]
		if !ok {
			return out
		}
		out = append(out, v...)
	}
}
