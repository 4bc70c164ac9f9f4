package app_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/stripe/stripe-go/v82/webhook"

	"bilhetagem/internal/app"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/dynamo/dynamotest"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/psp/stripepsp"
	"bilhetagem/internal/psp/stripepsp/stripemock"
	"bilhetagem/internal/workflow"
)

// stripeMock is Stripe's official mock server, for the app paying through
// Stripe; stripeMockErr says why it did not start (its tests then fail).
var (
	stripeMock    string
	stripeMockErr error
)

func TestMain(m *testing.M) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	in, err := stripemock.Start(ctx, nil)
	cancel()
	if err != nil {
		stripeMockErr = err
	} else {
		stripeMock = in.URL
	}
	code := dynamotest.Main(m)
	if in != nil {
		in.Stop()
	}
	os.Exit(code)
}

// smallCinema puts one cinema with a five-seat room and one showtime two
// days after clock's date in store.
func smallCinema(t *testing.T, store *dynamo.Store, clock func() time.Time) {
	t.Helper()
	layout, err := catalog.ParseLayout(1, []string{"SSSSS"})
	require.NoError(t, err)
	start := catalog.DateOf(clock()).AddDays(2).At(21, 0).UTC()
	_, err = store.PutCatalog(context.Background(), dynamo.CatalogData{
		Cinemas: []catalog.Cinema{{ID: "cin-1", Name: "Cinema", GapPolicy: catalog.GapWarn}},
		Rooms:   []catalog.Room{{CinemaID: "cin-1", ID: "room-1", Name: "Sala 1", Formats: []catalog.Format{catalog.Format2D}, Layout: layout}},
		Movies:  []catalog.Movie{{ID: "mov-1", Title: "Filme", AgeRating: catalog.RatingL, RuntimeMinutes: 100, ReleaseDate: catalog.DateOf(start)}},
		Showtimes: []catalog.ShowtimeListing{{Showtime: catalog.Showtime{ID: "st-1", MovieID: "mov-1", CinemaID: "cin-1", RoomID: "room-1",
			StartsAt: start, Format: catalog.Format2D, Language: catalog.Dubbed, LayoutVersion: 1}, EndsAt: start.Add(100 * time.Minute)}},
		Prices: []catalog.PriceTable{{CinemaID: "cin-1", Rules: []catalog.PriceRule{{Format: catalog.Format2D,
			Weekdays: []time.Weekday{0, 1, 2, 3, 4, 5, 6}, Inteira: 3000}}}},
	})
	require.NoError(t, err)
}

// newApp builds the app as the local server does, on store's table, with
// env added to the configuration.
func newApp(t *testing.T, store *dynamo.Store, clock func() time.Time, env map[string]string) *app.App {
	t.Helper()
	cfg, err := app.ConfigFrom(func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		return map[string]string{"TABLE_NAME": store.TableName(), "DYNAMODB_ENDPOINT": dynamotest.Endpoint(t)}[k]
	})
	require.NoError(t, err)
	a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), clock)
	require.NoError(t, err)
	return a
}

// call invokes one operation of a as API Gateway would, for buyer user-ana.
func call(t *testing.T, a *app.App, opID string, params map[string]string, body string, status int) map[string]any {
	t.Helper()
	return callWith(t, a, opID, params, body, nil, status)
}

// callWith is call with more request headers.
func callWith(t *testing.T, a *app.App, opID string, params map[string]string, body string, headers map[string]string, status int) map[string]any {
	t.Helper()
	hs := map[string]string{"content-type": "application/json", "idempotency-key": "smoke-key-" + opID}
	for k, v := range headers {
		hs[strings.ToLower(k)] = v
	}
	op, _ := operations.ByID(opID)
	path := op.Path
	for k, v := range params {
		path = strings.ReplaceAll(path, "{"+k+"}", v)
	}
	resp, err := a.Handlers[opID].Handle(context.Background(), events.APIGatewayV2HTTPRequest{
		Version: "2.0", RawPath: "/api" + path, PathParameters: params, Body: body,
		Headers: hs,
		RequestContext: events.APIGatewayV2HTTPRequestContext{RequestID: "req-smoke",
			HTTP:       events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: op.Method, Path: "/api" + path},
			Authorizer: &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: map[string]string{"sub": "user-ana"}}}},
	})
	require.NoError(t, err)
	require.Equal(t, status, resp.StatusCode, resp.Body)
	var out map[string]any
	require.NoError(t, json.Unmarshal([]byte(resp.Body), &out))
	return out
}

// TestLocalPixPaidInProcess builds the app as the local server does, with
// the simulated PSP paying Pix charges by itself and its webhooks delivered
// to the webhook handler in the same process, signature checked.
func TestLocalPixPaidInProcess(t *testing.T) {
	t.Parallel()
	store := dynamotest.NewStore(t)
	// The clock starts on a Monday ten minutes before midnight in São Paulo
	// and runs on at the real pace, as TEST_CLOCK does (the simulated PSP's
	// timers still see time pass); the showtime is two days later. Nothing
	// depends on the day of the run.
	clock := app.ShiftedClock(time.Date(2026, time.December, 7, 23, 50, 0, 0, catalog.Zone), time.Now)
	smallCinema(t, store, clock)
	a := newApp(t, store, clock, map[string]string{"PSP_SIM_PIX_PAID_AFTER_SECONDS": "1"})
	wf, ok := a.Orders.Completer.(*workflow.Completer)
	require.True(t, ok, "run locally, orders complete through the purchase workflow")
	ended := make(chan *workflow.Execution, 4)
	wf.Ended = func(_ string, ex *workflow.Execution, err error) {
		assert.NoError(t, err)
		ended <- ex
	}

	do := func(opID string, params map[string]string, body string, status int) map[string]any {
		t.Helper()
		return call(t, a, opID, params, body, status)
	}
	hold := do(operations.CreateHold, nil, `{"showtimeId":"st-1","seats":[{"seatId":"A1","ticketType":"INTEIRA"}]}`, http.StatusCreated)
	order := do(operations.CreateOrder, nil, `{"holdId":"`+hold["id"].(string)+`"}`, http.StatusCreated)
	id := order["id"].(string)
	pay := do(operations.CreatePayment, map[string]string{"orderId": id}, `{"method":"PIX"}`, http.StatusCreated)
	assert.Equal(t, "PENDING", pay["status"])
	assert.True(t, wf.Local.Waiting(id), "an execution waits on the payment's task token")
	a.PSP.Flush()
	require.Eventually(t, func() bool {
		a.PSP.Flush()
		return do(operations.GetOrder, map[string]string{"orderId": id}, "", http.StatusOK)["status"] == "PAID"
	}, 10*time.Second, 100*time.Millisecond, "the Pix is paid and its webhook completes the order")
	select {
	case ex := <-ended:
		assert.Nil(t, ex.Failed)
		assert.Equal(t, []string{"AwaitPayment", "Decide", "Route", "ConfirmSeats", "Route", "IssueTickets", "Route", "Done"}, ex.Visited,
			"the webhook's callback ended the payment wait")
	case <-time.After(10 * time.Second):
		t.Fatal("the execution did not end")
	}
}

// TestTwoInstancesShareTheSimulator is two functions of a stack, two apps
// that share only the table: one takes a card payment, the other refunds it
// when the buyer cancels. With the simulator's charges in process memory
// the second would know no such charge and could never refund it.
func TestTwoInstancesShareTheSimulator(t *testing.T) {
	t.Parallel()
	store := dynamotest.NewStore(t)
	clock := app.ShiftedClock(time.Date(2026, time.December, 7, 20, 0, 0, 0, catalog.Zone), time.Now)
	smallCinema(t, store, clock)
	payer, canceller := newApp(t, store, clock, nil), newApp(t, store, clock, nil)

	hold := call(t, payer, operations.CreateHold, nil, `{"showtimeId":"st-1","seats":[{"seatId":"A1","ticketType":"INTEIRA"}]}`, http.StatusCreated)
	order := call(t, payer, operations.CreateOrder, nil, `{"holdId":"`+hold["id"].(string)+`"}`, http.StatusCreated)
	id := order["id"].(string)
	pay := call(t, payer, operations.CreatePayment, map[string]string{"orderId": id},
		`{"method":"CARD","card":{"token":"sim_4111111111111111","installments":1}}`, http.StatusCreated)
	require.Equal(t, "APPROVED", pay["status"])
	require.Equal(t, "PAID", call(t, payer, operations.GetOrder, map[string]string{"orderId": id}, "", http.StatusOK)["status"])

	cancelled := call(t, canceller, operations.CancelOrder, map[string]string{"orderId": id}, "", http.StatusOK)
	assert.Equal(t, "REFUNDED", cancelled["status"], "the other instance refunded the charge the first one made")
	got := call(t, canceller, operations.GetPayment, map[string]string{"orderId": id, "paymentId": pay["id"].(string)}, "", http.StatusOK)
	assert.Equal(t, "REFUNDED", got["status"])
	payer.PSP.Flush()
	canceller.PSP.Flush()
	assert.Equal(t, 1, payer.PSP.Captures(), "one capture, by the first instance")
	assert.Zero(t, canceller.PSP.Captures())
}

// TestStripeWiredEndToEnd is the app paying through Stripe, on
// stripe-mock, as two functions of a stack that share only the table. The
// first one's charge never gets an answer (Stripe unreachable): the payment
// waits. The second receives Stripe's signed webhook, which completes the
// order, and then refunds it through Stripe when the buyer cancels.
func TestStripeWiredEndToEnd(t *testing.T) {
	t.Parallel()
	require.NoError(t, stripeMockErr, "stripe-mock is required")
	store := dynamotest.NewStore(t)
	clock := app.ShiftedClock(time.Date(2026, time.December, 7, 20, 0, 0, 0, catalog.Zone), time.Now)
	smallCinema(t, store, clock)
	const whsec = "whsec_bilhetagem_test"
	stripeEnv := func(base string) map[string]string {
		return map[string]string{"PSP_PROVIDER": "stripe", "STRIPE_SECRET_KEY": "sk_test_bilhetagem",
			"STRIPE_WEBHOOK_SECRET": whsec, "STRIPE_API_BASE": base}
	}
	// Nothing listens on port 9 of loopback: every call to Stripe fails.
	payer, webhooks := newApp(t, store, clock, stripeEnv("http://127.0.0.1:9")), newApp(t, store, clock, stripeEnv(stripeMock))
	require.Nil(t, webhooks.PSP, "no simulator where Stripe pays")

	hold := call(t, payer, operations.CreateHold, nil, `{"showtimeId":"st-1","seats":[{"seatId":"A1","ticketType":"INTEIRA"}]}`, http.StatusCreated)
	order := call(t, payer, operations.CreateOrder, nil, `{"holdId":"`+hold["id"].(string)+`"}`, http.StatusCreated)
	id := order["id"].(string)
	unavailable := call(t, payer, operations.CreatePayment, map[string]string{"orderId": id},
		`{"method":"CARD","card":{"token":"pm_card_visa","installments":1}}`, http.StatusServiceUnavailable)
	assert.Equal(t, "service_unavailable", unavailable["code"])
	stored, err := store.GetOrder(context.Background(), id)
	require.NoError(t, err)
	require.NotEmpty(t, stored.PaymentID, "the payment waits for Stripe's word")
	total := int64(order["totals"].(map[string]any)["total"].(map[string]any)["amount"].(float64))

	signed := func(body []byte) map[string]string {
		h := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: whsec, Timestamp: clock()}).Header
		return map[string]string{stripepsp.SignatureHeader: h}
	}
	body, err := json.Marshal(map[string]any{"id": "evt_app_1", "object": "event", "api_version": "2025-08-27.basil",
		"created": clock().Unix(), "type": "payment_intent.succeeded", "data": map[string]any{"object": map[string]any{
			"id": "pi_app_1", "object": "payment_intent", "amount": total, "amount_received": total, "currency": "brl",
			"status": "succeeded", "payment_method_types": []string{"card"}, "metadata": map[string]any{"payment_id": stored.PaymentID}}}})
	require.NoError(t, err)

	t.Run("receivePspWebhook, the simulator's, is not this environment's", func(t *testing.T) {
		got := callWith(t, webhooks, operations.ReceivePspWebhook, nil, `{"id":"evt_1","type":"payment.approved","occurredAt":"2026-12-04T00:00:00Z","paymentId":"p-1","pspReference":"ref-1","amount":{"amount":100,"currency":"BRL"}}`,
			map[string]string{"x-signature": "sha256=00"}, http.StatusNotFound)
		assert.Equal(t, "provider_not_configured", got["code"])
	})
	t.Run("a webhook signed with another secret changes nothing", func(t *testing.T) {
		h := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: "whsec_other", Timestamp: clock()}).Header
		got := callWith(t, webhooks, operations.ReceiveStripeWebhook, nil, string(body), map[string]string{stripepsp.SignatureHeader: h}, http.StatusUnauthorized)
		assert.Equal(t, "invalid_signature", got["code"])
		assert.Equal(t, "PENDING_PAYMENT", call(t, webhooks, operations.GetOrder, map[string]string{"orderId": id}, "", http.StatusOK)["status"])
	})
	t.Run("Stripe's signed webhook completes the order, once", func(t *testing.T) {
		ack := callWith(t, webhooks, operations.ReceiveStripeWebhook, nil, string(body), signed(body), http.StatusOK)
		assert.Equal(t, "PROCESSED", ack["result"])
		again := callWith(t, webhooks, operations.ReceiveStripeWebhook, nil, string(body), signed(body), http.StatusOK)
		assert.Equal(t, "DUPLICATE", again["result"])
		assert.Equal(t, "PAID", call(t, webhooks, operations.GetOrder, map[string]string{"orderId": id}, "", http.StatusOK)["status"])
	})
	t.Run("a cancellation refunds through Stripe", func(t *testing.T) {
		cancelled := call(t, webhooks, operations.CancelOrder, map[string]string{"orderId": id}, "", http.StatusOK)
		assert.Equal(t, "REFUNDED", cancelled["status"])
		p, err := store.GetPayment(context.Background(), stored.PaymentID)
		require.NoError(t, err)
		assert.Equal(t, "pi_app_1", p.Reference, "refunded by the PaymentIntent the webhook named")
		assert.EqualValues(t, "REFUNDED", p.Status)
	})
}

// TestStripeNeedsItsKeysLocally: a local run that names Stripe without its
// keys fails at start, saying what to set.
func TestStripeNeedsItsKeysLocally(t *testing.T) {
	t.Parallel()
	store := dynamotest.NewStore(t)
	cfg, err := app.ConfigFrom(func(k string) string {
		return map[string]string{"TABLE_NAME": store.TableName(), "DYNAMODB_ENDPOINT": dynamotest.Endpoint(t), "PSP_PROVIDER": "stripe"}[k]
	})
	require.NoError(t, err)
	_, err = app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
	assert.ErrorContains(t, err, "STRIPE_SECRET_KEY")
}
