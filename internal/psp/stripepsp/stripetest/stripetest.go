// Package stripetest is the psptest.Harness of the Stripe adapter: a Stripe
// made of two halves, in the provider's HTTP transport. Every request goes
// to stripe-mock, which refuses any that Stripe's spec does not allow;
// stripe-mock keeps no state, so the answer is then the one Stripe gives in
// the behaviour, and the webhooks are the events Stripe sends for it:
// objects shaped as Stripe's API reference documents them, signed with the
// SDK's test signer. A test binary using it starts stripe-mock in its
// TestMain (stripemock.Main).
package stripetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"

	"bilhetagem/internal/money"
	"bilhetagem/internal/psp"
	"bilhetagem/internal/psp/psptest"
	"bilhetagem/internal/psp/stripepsp"
	"bilhetagem/internal/psp/stripepsp/stripemock"
)

// Harness runs the Stripe adapter; it expresses every behaviour.
type Harness struct{}

func (Harness) Unsupported() []psptest.Behaviour { return nil }

// Start makes a provider on a new Stripe, whose clock reads start until
// PixDue moves it.
func (Harness) Start(t *testing.T, start time.Time) psptest.Session {
	w := &stripeWorld{t: t, now: start, replies: map[string]reply{}}
	p, err := stripepsp.New(stripepsp.Config{SecretKey: "sk_test_bilhetagem", WebhookSecret: webhookSecret, BackendURL: stripemock.URL(t),
		HTTPClient: &http.Client{Transport: w}, MaxNetworkRetries: stripe.Int64(0),
		Now: w.clock, Log: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	w.provider = p
	return w
}

const webhookSecret = "whsec_test_conformance"

// Test PaymentMethods, as Stripe names them in its testing guide.
const (
	pmApproves = "pm_card_visa"
	pmDeclines = "pm_card_visa_chargeDeclined"
	pmAsks3DS  = "pm_card_authenticationRequired"
)

// stripeWorld is Stripe for one session: its PaymentIntents, the answers to
// the idempotency keys it has seen, and the webhooks it sent.
type stripeWorld struct {
	t        *testing.T
	provider *stripepsp.Provider

	mu      sync.Mutex
	now     time.Time
	intents []*worldIntent
	replies map[string]reply // by idempotency key: a retry gets the first answer, another request with the key an error
	seq     int
	twice   bool
	sent    []psptest.Delivery
}

// worldIntent is a PaymentIntent as Stripe keeps it.
type worldIntent struct {
	id, paymentID, method, status, paymentMethod string
	amount, expiresAt, created                   int64
	installments                                 int64 // 0: no plan
	lastError                                    map[string]any
	refunded, disputed                           bool
}

// reply is Stripe's answer to a request, asked.
type reply struct {
	status int
	body   any
	asked  string
}

func (w *stripeWorld) clock() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

func (w *stripeWorld) Provider() psp.Provider { return w.provider }
func (w *stripeWorld) Webhooks() psp.Webhooks { return w.provider }

func (w *stripeWorld) CardToken(outcome psp.Status) string {
	return map[psp.Status]string{psp.Approved: pmApproves, psp.Declined: pmDeclines, psp.Pending: pmAsks3DS}[outcome]
}

func (w *stripeWorld) Sent(*testing.T) []psptest.Delivery {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.sent
	w.sent, w.twice = nil, false
	return out
}

// Do is the buyer, the issuer or the clock acting, and the webhooks Stripe
// sends for it.
func (w *stripeWorld) Do(t *testing.T, a psptest.Act, paymentID string) {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	if a == psptest.DropAcks {
		w.twice = true
		return
	}
	var in *worldIntent
	for _, i := range w.intents {
		if i.paymentID == paymentID {
			in = i
		}
	}
	require.NotNil(t, in, "no PaymentIntent for %s", paymentID)
	switch {
	case a == psptest.Authenticate && in.method == "card" && in.status == "requires_action",
		a == psptest.PayPix && in.method == "pix" && in.status == "requires_action":
		w.succeed(in)
	case a == psptest.PixDue && in.method == "pix" && in.status == "requires_action":
		w.now = time.Unix(in.expiresAt, 0).UTC()
		in.status = "requires_payment_method"
		in.lastError = map[string]any{"type": "invalid_request_error", "code": "payment_intent_payment_attempt_expired",
			"message": "The latest payment attempt of this PaymentIntent has expired."}
		w.emit("payment_intent.payment_failed", w.intentObject(in, false))
	case a == psptest.Dispute && in.status == "succeeded":
		in.disputed = true
		w.emit("charge.dispute.created", w.disputeObject(in))
		w.emit("charge.dispute.funds_withdrawn", w.disputeObject(in))
	default:
		t.Fatalf("Stripe cannot %s a %s PaymentIntent that is %s", a, in.method, in.status)
	}
}

// RoundTrip sends the request to stripe-mock, and answers as Stripe would
// if stripe-mock accepted it.
func (w *stripeWorld) RoundTrip(req *http.Request) (*http.Response, error) {
	if h := req.URL.Hostname(); h != "127.0.0.1" && h != "localhost" && h != "::1" {
		return nil, fmt.Errorf("stripetest calls stripe-mock on loopback only, not %s", h)
	}
	var raw []byte
	if req.Body != nil {
		var err error
		if raw, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		_ = req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(raw))
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil || resp.StatusCode/100 != 2 {
		return resp, err // stripe-mock's refusal, as it came
	}
	_ = resp.Body.Close()
	form := req.URL.Query()
	if req.Method == http.MethodPost {
		if form, err = url.ParseQuery(string(raw)); err != nil {
			return nil, err
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	key, asked := req.Header.Get("Idempotency-Key"), req.Method+" "+req.URL.Path+"?"+form.Encode()
	a, seen := w.replies[key]
	switch {
	case !seen:
		a = w.answer(req.Method, req.URL.Path, form)
		a.asked = asked
		if key != "" {
			w.replies[key] = a
		}
	case a.asked != asked:
		a = stripeError(http.StatusBadRequest, map[string]any{"type": "idempotency_error",
			"message": "Keys for idempotent requests can only be used with the same parameters they were first used with."})
	}
	body, err := json.Marshal(a.body)
	if err != nil {
		return nil, err
	}
	return &http.Response{StatusCode: a.status, Body: io.NopCloser(bytes.NewReader(body)), Request: req,
		Header: http.Header{"Content-Type": {"application/json"}, "Request-Id": {"req_conformance"}}}, nil
}

// answer acts on a request stripe-mock accepted.
func (w *stripeWorld) answer(method, path string, f url.Values) reply {
	rest, onIntent := strings.CutPrefix(path, "/v1/payment_intents/")
	id, op, _ := strings.Cut(rest, "/")
	in := w.find(id)
	switch {
	case method == http.MethodPost && path == "/v1/payment_intents":
		return w.create(f)
	case method == http.MethodPost && path == "/v1/refunds":
		return w.refund(w.find(f.Get("payment_intent")))
	case !onIntent || in == nil:
	case method == http.MethodPost && op == "confirm":
		return w.confirm(in, f)
	case method == http.MethodPost && op == "cancel":
		return w.cancel(in)
	case method == http.MethodGet && op == "":
		return ok(w.intentObject(in, expands(f, "latest_charge")))
	}
	w.t.Errorf("the conformance Stripe has no answer to %s %s", method, path)
	return stripeError(http.StatusNotFound, map[string]any{"type": "invalid_request_error", "message": "Unrecognized request URL."})
}

func (w *stripeWorld) find(id string) *worldIntent {
	for _, in := range w.intents {
		if in.id == id {
			return in
		}
	}
	return nil
}

func (w *stripeWorld) create(f url.Values) reply {
	amount, _ := strconv.ParseInt(f.Get("amount"), 10, 64)
	expires, _ := strconv.ParseInt(f.Get("payment_method_options[pix][expires_at]"), 10, 64)
	in := &worldIntent{id: fmt.Sprintf("pi_3QConf%04dBilhetagem", len(w.intents)+1), paymentID: f.Get("metadata[payment_id]"),
		method: f.Get("payment_method_types[0]"), status: "requires_payment_method", amount: amount, expiresAt: expires, created: w.now.Unix()}
	w.intents = append(w.intents, in)
	w.emit("payment_intent.created", w.intentObject(in, false))
	if in.method == "pix" && f.Get("confirm") == "true" {
		in.status = "requires_action"
		w.emit("payment_intent.requires_action", w.intentObject(in, false))
	}
	return ok(w.intentObject(in, false))
}

func (w *stripeWorld) confirm(in *worldIntent, f url.Values) reply {
	in.paymentMethod = f.Get("payment_method")
	in.installments, _ = strconv.ParseInt(f.Get("payment_method_options[card][installments][plan][count]"), 10, 64)
	switch in.paymentMethod {
	case pmApproves:
		w.succeed(in)
	case pmAsks3DS:
		in.status = "requires_action"
		w.emit("payment_intent.requires_action", w.intentObject(in, false))
	case pmDeclines:
		in.lastError = map[string]any{"type": "card_error", "code": "card_declined", "decline_code": "generic_decline",
			"message": "Your card was declined.", "charge": chargeID(in)}
		w.emit("charge.failed", w.chargeObject(in, "failed"))
		w.emit("payment_intent.payment_failed", w.intentObject(in, false))
		e := map[string]any{"payment_intent": w.intentObject(in, false)}
		for k, v := range in.lastError {
			e[k] = v
		}
		return stripeError(http.StatusPaymentRequired, e)
	default:
		return stripeError(http.StatusBadRequest, map[string]any{"type": "invalid_request_error", "code": "resource_missing",
			"param": "payment_method", "message": "No such PaymentMethod: '" + in.paymentMethod + "'"})
	}
	return ok(w.intentObject(in, expands(f, "latest_charge")))
}

func (w *stripeWorld) succeed(in *worldIntent) {
	in.status = "succeeded"
	w.emit("charge.succeeded", w.chargeObject(in, "succeeded"))
	w.emit("payment_intent.succeeded", w.intentObject(in, false))
}

func (w *stripeWorld) cancel(in *worldIntent) reply {
	switch in.status {
	case "requires_payment_method", "requires_confirmation", "requires_action", "requires_capture":
	default:
		return stripeError(http.StatusBadRequest, map[string]any{"type": "invalid_request_error", "code": "payment_intent_unexpected_state",
			"message": "You cannot cancel this PaymentIntent because it has a status of " + in.status + "."})
	}
	in.status = "canceled"
	w.emit("payment_intent.canceled", w.intentObject(in, false))
	return ok(w.intentObject(in, false))
}

func (w *stripeWorld) refund(in *worldIntent) reply {
	switch {
	case in == nil || in.status != "succeeded":
		return stripeError(http.StatusBadRequest, map[string]any{"type": "invalid_request_error", "code": "resource_missing",
			"param": "payment_intent", "message": "This PaymentIntent does not have a successful charge to refund."})
	case in.disputed:
		return stripeError(http.StatusBadRequest, map[string]any{"type": "invalid_request_error", "code": "charge_disputed",
			"message": "Charge " + chargeID(in) + " has been charged back; cannot issue a refund."})
	case in.refunded:
		return stripeError(http.StatusBadRequest, map[string]any{"type": "invalid_request_error", "code": "charge_already_refunded",
			"message": "Charge " + chargeID(in) + " has already been refunded."})
	}
	in.refunded = true
	w.emit("charge.refunded", w.chargeObject(in, "succeeded"))
	return ok(map[string]any{"id": "re_" + strings.TrimPrefix(in.id, "pi_"), "object": "refund", "amount": in.amount,
		"charge": chargeID(in), "created": w.now.Unix(), "currency": "brl", "metadata": map[string]any{"payment_id": in.paymentID},
		"payment_intent": in.id, "reason": nil, "status": "succeeded"})
}

// emit sends an event as Stripe does: signed when sent, and sent once more,
// signed anew an hour later, when the application did not acknowledge it.
func (w *stripeWorld) emit(typ string, obj map[string]any) {
	w.seq++
	body, err := json.Marshal(map[string]any{"id": fmt.Sprintf("evt_3QConf%04dBilhetagem", w.seq), "object": "event",
		"api_version": stripe.APIVersion, "created": w.now.Unix(), "livemode": false, "pending_webhooks": 1,
		"request": map[string]any{"id": nil, "idempotency_key": nil}, "type": typ, "data": map[string]any{"object": obj}})
	require.NoError(w.t, err)
	deliver := func(at time.Time) {
		sig := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: webhookSecret, Timestamp: at})
		w.sent = append(w.sent, psptest.Delivery{Body: body, At: at,
			Header: http.Header{stripepsp.SignatureHeader: {sig.Header}, "Content-Type": {"application/json; charset=utf-8"}}})
	}
	deliver(w.now)
	if w.twice {
		deliver(w.now.Add(time.Hour))
	}
}

func chargeID(in *worldIntent) string { return "ch_" + strings.TrimPrefix(in.id, "pi_") }

// expands says whether the request asked for field expanded.
func expands(f url.Values, field string) bool {
	for i := 0; f.Has("expand[" + strconv.Itoa(i) + "]"); i++ {
		if f.Get("expand["+strconv.Itoa(i)+"]") == field {
			return true
		}
	}
	return false
}

func (w *stripeWorld) intentObject(in *worldIntent, expandCharge bool) map[string]any {
	o := map[string]any{"id": in.id, "object": "payment_intent", "amount": in.amount, "amount_capturable": 0, "amount_received": 0,
		"canceled_at": nil, "cancellation_reason": nil, "capture_method": "automatic_async", "client_secret": in.id + "_secret_conformance",
		"confirmation_method": "automatic", "created": in.created, "currency": "brl", "last_payment_error": in.lastError, "latest_charge": nil,
		"livemode": false, "metadata": map[string]any{"payment_id": in.paymentID}, "next_action": nil, "payment_method": nil,
		"payment_method_types": []string{in.method}, "status": in.status}
	if in.paymentMethod != "" {
		o["payment_method"] = in.paymentMethod
	}
	switch {
	case in.status == "succeeded":
		o["amount_received"] = in.amount
		o["latest_charge"] = chargeID(in)
		if expandCharge {
			o["latest_charge"] = w.chargeObject(in, "succeeded")
		}
	case in.status == "canceled":
		o["canceled_at"], o["cancellation_reason"] = w.now.Unix(), "abandoned"
	case in.status == "requires_action" && in.method == "pix":
		code := psp.BRCode{Key: "a1b2c3d4-stripe-pix-key", MerchantName: "BILHETAGEM", City: "SAO PAULO", Amount: money.BRL(in.amount), TxID: in.id}
		o["next_action"] = map[string]any{"type": "pix_display_qr_code", "pix_display_qr_code": map[string]any{
			"data": code.Payload(), "expires_at": in.expiresAt,
			"hosted_instructions_url": "https://payments.stripe.com/pix/instructions/conformance",
			"image_url_png":           "https://qr.stripe.com/conformance.png", "image_url_svg": "https://qr.stripe.com/conformance.svg"}}
	case in.status == "requires_action":
		o["next_action"] = map[string]any{"type": "use_stripe_sdk", "use_stripe_sdk": map[string]any{
			"type": "three_d_secure_redirect", "stripe_js": "https://hooks.stripe.com/3d_secure_2/hosted?conformance"}}
	}
	return o
}

func (w *stripeWorld) chargeObject(in *worldIntent, status string) map[string]any {
	details := map[string]any{"type": in.method, in.method: map[string]any{}}
	if in.method == "card" {
		card := map[string]any{"brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2034, "country": "BR", "funding": "credit",
			"installments": nil}
		if in.installments > 0 {
			card["installments"] = map[string]any{"plan": map[string]any{"count": in.installments, "interval": "month", "type": "fixed_count"}}
		}
		details["card"] = card
	}
	o := map[string]any{"id": chargeID(in), "object": "charge", "amount": in.amount, "amount_captured": 0, "amount_refunded": 0,
		"captured": false, "created": w.now.Unix(), "currency": "brl", "disputed": in.disputed, "failure_code": nil, "livemode": false,
		"metadata": map[string]any{"payment_id": in.paymentID}, "paid": false, "payment_intent": in.id, "payment_method": in.paymentMethod,
		"payment_method_details": details, "refunded": in.refunded, "status": status}
	if status == "succeeded" {
		o["amount_captured"], o["captured"], o["paid"] = in.amount, true, true
	} else {
		o["failure_code"] = in.lastError["code"]
	}
	if in.refunded {
		o["amount_refunded"] = in.amount
	}
	return o
}

// disputeObject is a dispute as Stripe sends it: it carries no metadata.
func (w *stripeWorld) disputeObject(in *worldIntent) map[string]any {
	return map[string]any{"id": "du_" + strings.TrimPrefix(in.id, "pi_"), "object": "dispute", "amount": in.amount,
		"balance_transactions": []any{}, "charge": chargeID(in), "created": w.now.Unix(), "currency": "brl",
		"evidence_details":     map[string]any{"due_by": w.now.Add(7 * 24 * time.Hour).Unix(), "has_evidence": false, "past_due": false, "submission_count": 0},
		"is_charge_refundable": false, "livemode": false, "metadata": map[string]any{}, "payment_intent": in.id,
		"reason": "fraudulent", "status": "needs_response"}
}

func stripeError(status int, e map[string]any) reply {
	return reply{status: status, body: map[string]any{"error": e}}
}

func ok(body any) reply { return reply{status: http.StatusOK, body: body} }
