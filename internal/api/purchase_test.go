package api_test

import (
	"bilhetagem/internal/account"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/api"
	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/booking"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/notices"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/psp"
	"bilhetagem/internal/reports"
	"bilhetagem/internal/tickets"
)

// purchaseEnv is a hold fixture with a menu, the simulated PSP whose
// webhooks land in an inbox, and every handler built with orders.
type purchaseEnv struct {
	*holdEnv
	sim    *psp.Simulator
	signer *tickets.Signer
	inbox  *webhookInbox
	secret []byte
}

type webhookInbox struct {
	mu     sync.Mutex
	bodies []string
	sigs   []string
}

func (b *webhookInbox) Notify(_ context.Context, body []byte, sig string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.bodies, b.sigs = append(b.bodies, string(body)), append(b.sigs, sig)
	return nil
}

// take waits for the PSP's deliveries and returns the events of a type.
func (e *purchaseEnv) take(t *testing.T, typ psp.EventType) (bodies, sigs []string) {
	t.Helper()
	e.sim.Flush()
	e.inbox.mu.Lock()
	defer e.inbox.mu.Unlock()
	for i, b := range e.inbox.bodies {
		if strings.Contains(b, `"type":"`+string(typ)+`"`) {
			bodies, sigs = append(bodies, b), append(sigs, e.inbox.sigs[i])
		}
	}
	return bodies, sigs
}

var testMenu = []catalog.Product{
	{ID: "pipoca-salgada", Name: "Pipoca Salgada", Category: catalog.CategoryPopcorn, Active: true, SortOrder: 1,
		Sizes: []catalog.Size{{Code: "P", Label: "Pequena", Price: 1900}, {Code: "G", Label: "Grande", Price: 2300}}},
	{ID: "refrigerante", Name: "Refrigerante", Category: catalog.CategoryDrink, Active: true, SortOrder: 2,
		Flavours: []string{"Cola", "Guaraná"}, Sizes: []catalog.Size{{Code: "M", Label: "Médio", Price: 1600}}},
	{ID: "combo-casal", Name: "Combo Casal", Category: catalog.CategoryCombo, Active: true, SortOrder: 3, Serves: 2,
		Sizes:      []catalog.Size{{Code: "UN", Label: "Único", Price: 4800}},
		ComboItems: []catalog.ComboItem{{ProductID: "pipoca-salgada", Size: "G", Quantity: 1}, {ProductID: "refrigerante", Size: "M", Quantity: 2}}},
}

func purchaseFixture(t *testing.T) *purchaseEnv {
	t.Helper()
	e := holdFixture(t, catalog.GapWarn, smallRoom...)
	_, err := e.store.PutCatalog(context.Background(), dynamo.CatalogData{Products: testMenu})
	require.NoError(t, err)
	p := &purchaseEnv{holdEnv: e, signer: tickets.NewEphemeralSigner(), inbox: &webhookInbox{}, secret: []byte("segredo-do-psp-de-teste")}
	p.sim = psp.NewSimulator(psp.SimConfig{Secret: p.secret, Notifier: p.inbox, Now: e.clock.Now, Backoff: time.Millisecond,
		Ledger: e.store.SimulatorLedger()})
	p.hs = buildPurchase(t, e.store, e.clock.Now, p.sim, p.signer, p.secret)
	return p
}

func buildPurchase(t *testing.T, store *dynamo.Store, clock func() time.Time, sim psp.Provider, signer *tickets.Signer, secret []byte) map[string]apigw.Handler {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	bs := &booking.Service{Store: store, Policy: booking.DefaultPolicy}
	return api.Build(api.Deps{
		Catalog: &catalog.Service{Store: store}, Booking: bs, Store: store, Now: clock, Log: log,
		Orders:      &orders.Service{Store: store, Booking: bs, PSP: sim, Signer: signer, Log: log, Notices: store},
		Tickets:     &tickets.Service{Store: store, PublicKey: signer.PublicKey(), OpensBefore: tickets.DefaultOpensBefore},
		Idempotency: store, Webhooks: psp.SimulatorWebhooks{Secret: secret},
		Reports: &reports.Service{Store: store}, Counter: &orders.Counter{Store: store},
		Notices: &notices.Service{Store: store}, Account: &account.Service{Store: store},
	}, specValidator(t))
}

// send is call with extra headers (Idempotency-Key, X-Signature).
func send(t *testing.T, hs map[string]apigw.Handler, r request, headers map[string]string) events.APIGatewayV2HTTPResponse {
	t.Helper()
	r.headers = headers
	return call(t, hs, r)
}

func key(k string) map[string]string { return map[string]string{"Idempotency-Key": k} }

func (e *purchaseEnv) mustHold(t *testing.T, sub string, seats ...string) gen.Hold {
	t.Helper()
	status, h, p := e.hold(t, sub, seats...)
	require.Equal(t, http.StatusCreated, status, p.Code)
	return h
}

func (e *purchaseEnv) order(t *testing.T, sub, k, body string) events.APIGatewayV2HTTPResponse {
	t.Helper()
	return send(t, e.hs, request{op: operations.CreateOrder, claims: buyerClaims(sub), body: body}, key(k))
}

func (e *purchaseEnv) mustOrder(t *testing.T, sub, k, body string) gen.Order {
	t.Helper()
	return decode[gen.Order](t, e.order(t, sub, k, body), http.StatusCreated)
}

func (e *purchaseEnv) pay(t *testing.T, sub, orderID, k, body string) events.APIGatewayV2HTTPResponse {
	t.Helper()
	return send(t, e.hs, request{op: operations.CreatePayment, claims: buyerClaims(sub), params: map[string]string{"orderId": orderID}, body: body}, key(k))
}

func (e *purchaseEnv) getOrder(t *testing.T, sub, id string) gen.Order {
	t.Helper()
	return decode[gen.Order](t, call(t, e.hs, request{op: operations.GetOrder, claims: buyerClaims(sub), params: map[string]string{"orderId": id}}), http.StatusOK)
}

func (e *purchaseEnv) webhook(t *testing.T, body, sig string) events.APIGatewayV2HTTPResponse {
	t.Helper()
	return send(t, e.hs, request{op: operations.ReceivePspWebhook, body: body}, map[string]string{"X-Signature": sig})
}

func cardBody(number string) string {
	return fmt.Sprintf(`{"method":"CARD","card":{"token":"%s%s","installments":1}}`, psp.TokenPrefix, number)
}

const pixBody = `{"method":"PIX"}`

func orderBody(holdID, concessions string) string {
	if concessions == "" {
		return fmt.Sprintf(`{"holdId":%q}`, holdID)
	}
	return fmt.Sprintf(`{"holdId":%q,"concessions":[%s]}`, holdID, concessions)
}

// The purchase tests are not parallel: Go runs them before the parallel
// tests, so they never add load to DynamoDB Local while TestHoldContention
// races 500 buyers on it.

func TestPurchaseByPix(t *testing.T) {
	e := purchaseFixture(t)
	h := e.mustHold(t, "user-ana", "B4", "INTEIRA", "B5", "MEIA_ESTUDANTE")
	body := orderBody(h.ID, `{"productId":"combo-casal","size":"UN","quantity":1,"flavours":["Cola","Guaraná"]},{"productId":"pipoca-salgada","size":"P","quantity":2}`)
	resp := e.order(t, "user-ana", "order-key-0001", body)
	o := decode[gen.Order](t, resp, http.StatusCreated)

	t.Run("createOrder/201 prices everything on the server", func(t *testing.T) {
		assert.Equal(t, gen.OrderStatusPENDINGPAYMENT, o.Status)
		assert.Equal(t, "/api/orders/"+o.ID, resp.Headers["Location"])
		assert.Equal(t, "false", resp.Headers["Idempotent-Replayed"])
		assert.Equal(t, int64(3600+1800), o.Totals.Tickets.Amount)
		assert.Equal(t, int64(4800+2*1900), o.Totals.Concessions.Amount)
		assert.Equal(t, int64(2*400), o.Totals.ConvenienceFee.Amount)
		assert.Equal(t, int64(5400+8600+800), o.Totals.Total.Amount)
		assert.Equal(t, h.ExpiresAt, o.ExpiresAt)
		assert.Equal(t, []string{"Cola", "Guaraná"}, o.Concessions[0].Flavours)
		assert.Nil(t, o.PickupCode)
		assert.Equal(t, "cin-fixture", o.Showtime.CinemaID)
		assert.Nil(t, o.Payment, "no payment yet")
	})
	t.Run("getOrder/200 names its cinema and no payment before one is asked for", func(t *testing.T) {
		got := e.getOrder(t, "user-ana", o.ID)
		assert.Equal(t, "cin-fixture", got.Showtime.CinemaID)
		assert.Nil(t, got.Payment)
	})
	t.Run("getHold/200 shows the hold ORDERED for the order", func(t *testing.T) {
		got := decode[gen.Hold](t, call(t, e.hs, request{op: operations.GetHold, claims: buyerClaims("user-ana"), params: map[string]string{"holdId": h.ID}}), http.StatusOK)
		assert.Equal(t, gen.HoldStatus("ORDERED"), got.Status)
		require.NotNil(t, got.OrderID)
		assert.Equal(t, o.ID, *got.OrderID)
	})
	t.Run("getOrder/404 for another buyer", func(t *testing.T) {
		decodeProblem(t, call(t, e.hs, request{op: operations.GetOrder, claims: buyerClaims("user-bruno"), params: map[string]string{"orderId": o.ID}}), http.StatusNotFound, "not_found")
	})

	resp = e.pay(t, "user-ana", o.ID, "pay-key-0001", pixBody)
	pay := decode[gen.Payment](t, resp, http.StatusCreated)
	t.Run("createPayment/201 a Pix charge with copia-e-cola and QR that expires with the hold", func(t *testing.T) {
		assert.Equal(t, gen.PaymentStatusPENDING, pay.Status)
		assert.Equal(t, o.Totals.Total, pay.Amount)
		require.NotNil(t, pay.Pix)
		assert.True(t, strings.HasPrefix(pay.Pix.CopyPaste, "000201"), pay.Pix.CopyPaste)
		assert.Contains(t, pay.Pix.CopyPaste, "5406148.00")
		assert.Equal(t, "\x89PNG", string(pay.Pix.QrCodePng[:4]))
		assert.Equal(t, h.ExpiresAt, pay.Pix.ExpiresAt)
	})
	t.Run("getOrder/200 names its pending Pix, so another device can reopen it", func(t *testing.T) {
		got := e.getOrder(t, "user-ana", o.ID)
		require.NotNil(t, got.Payment)
		assert.Equal(t, gen.OrderPayment{ID: pay.ID, Method: gen.PaymentMethodPIX, Status: gen.PaymentStatusPENDING}, *got.Payment)
	})
	t.Run("createPayment/409 while the Pix is pending", func(t *testing.T) {
		decodeProblem(t, e.pay(t, "user-ana", o.ID, "pay-key-0002", cardBody(psp.CardApproves)), http.StatusConflict, "payment_in_progress")
	})

	e.clock.Advance(3 * time.Minute)
	require.NoError(t, e.sim.PayPix(pay.ID))
	bodies, sigs := e.take(t, psp.EventApproved)
	require.Len(t, bodies, 1)

	t.Run("receivePspWebhook/401 for a tampered body, writing nothing", func(t *testing.T) {
		before := e.items(t)
		tampered := strings.Replace(bodies[0], `"amount":14800`, `"amount":1`, 1)
		require.NotEqual(t, bodies[0], tampered)
		decodeProblem(t, e.webhook(t, tampered, sigs[0]), http.StatusUnauthorized, "invalid_signature")
		decodeProblem(t, e.webhook(t, bodies[0], "sha256="+strings.Repeat("0", 64)), http.StatusUnauthorized, "invalid_signature")
		assert.Equal(t, before, e.items(t))
	})
	t.Run("receivePspWebhook/401 without X-Signature or with a malformed one, writing nothing", func(t *testing.T) {
		before := e.items(t)
		unsigned := send(t, e.hs, request{op: operations.ReceivePspWebhook, body: bodies[0]}, nil)
		decodeProblem(t, unsigned, http.StatusUnauthorized, "invalid_signature")
		for _, sig := range []string{"", "abc", sigs[0] + "0", strings.TrimPrefix(sigs[0], "sha256=")} {
			decodeProblem(t, e.webhook(t, bodies[0], sig), http.StatusUnauthorized, "invalid_signature")
		}
		assert.Equal(t, before, e.items(t))
	})
	t.Run("receiveStripeWebhook/404 provider_not_configured where the simulator is the provider, writing nothing", func(t *testing.T) {
		before := e.items(t)
		body := `{"id":"evt_1","object":"event","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","metadata":{"payment_id":"` + pay.ID + `"}}}}`
		resp := send(t, e.hs, request{op: operations.ReceiveStripeWebhook, body: body}, map[string]string{"Stripe-Signature": "t=1,v1=" + strings.Repeat("0", 64)})
		decodeProblem(t, resp, http.StatusNotFound, "provider_not_configured")
		assert.Equal(t, before, e.items(t))
	})
	t.Run("receivePspWebhook/200 PROCESSED sells the seats, issues the tickets and pays the order", func(t *testing.T) {
		ack := decode[gen.PspEventAck](t, e.webhook(t, bodies[0], sigs[0]), http.StatusOK)
		assert.Equal(t, gen.PspEventAckResultPROCESSED, ack.Result)
		got := e.getOrder(t, "user-ana", o.ID)
		assert.Equal(t, gen.OrderStatusPAID, got.Status)
		require.NotNil(t, got.Payment)
		assert.Equal(t, gen.OrderPayment{ID: pay.ID, Method: gen.PaymentMethodPIX, Status: gen.PaymentStatusAPPROVED}, *got.Payment)
		require.NotNil(t, got.PickupCode)
		assert.Regexp(t, `^[A-Z0-9]{6}$`, *got.PickupCode)
		require.NotNil(t, got.PaidAt)
		for _, tk := range got.Tickets {
			assert.NotNil(t, tk.TicketID)
		}
		seats := e.seatMap(t, "")
		assert.Equal(t, gen.SeatStatusSOLD, seats["B4"].Status)
		assert.Equal(t, gen.SeatStatusSOLD, seats["B5"].Status)
		p := decode[gen.Payment](t, call(t, e.hs, request{op: operations.GetPayment, claims: buyerClaims("user-ana"),
			params: map[string]string{"orderId": o.ID, "paymentId": pay.ID}}), http.StatusOK)
		assert.Equal(t, gen.PaymentStatusAPPROVED, p.Status)
	})
	t.Run("receivePspWebhook/200 DUPLICATE for a replay, writing nothing", func(t *testing.T) {
		before := e.items(t)
		ack := decode[gen.PspEventAck](t, e.webhook(t, bodies[0], sigs[0]), http.StatusOK)
		assert.Equal(t, gen.PspEventAckResultDUPLICATE, ack.Result)
		assert.Equal(t, before, e.items(t))
	})
	t.Run("receivePspWebhook/200 IGNORED for an event that would move the payment backwards", func(t *testing.T) {
		late, err := psp.EncodeEvent(psp.Event{ID: "evt_late_decline", Type: psp.EventDeclined, OccurredAt: e.clock.Now(), PaymentID: pay.ID, Amount: 14800})
		require.NoError(t, err)
		ack := decode[gen.PspEventAck](t, e.webhook(t, string(late), psp.Sign(e.secret, late)), http.StatusOK)
		assert.Equal(t, gen.PspEventAckResultIGNORED, ack.Result)
		assert.Equal(t, gen.OrderStatusPAID, e.getOrder(t, "user-ana", o.ID).Status)
	})

	list := decode[gen.TicketList](t, call(t, e.hs, request{op: operations.ListMyTickets, claims: buyerClaims("user-ana")}), http.StatusOK)
	require.Len(t, list.Items, 2)
	t.Run("listMyTickets/200 one ticket per seat, each QR verifying offline", func(t *testing.T) {
		for _, tk := range list.Items {
			c, err := tickets.Verify(e.signer.PublicKey(), tk.Qr)
			require.NoError(t, err)
			assert.Equal(t, tk.ID, c.TicketID)
			assert.Equal(t, tk.SeatID, c.SeatID)
			assert.Equal(t, e.showtime, c.ShowtimeID)
			assert.Equal(t, gen.TicketStatusVALID, tk.Status)
			assert.Equal(t, tk.Meia, tk.Proof != nil, "meia tickets name their proof")
		}
		other := decode[gen.TicketList](t, call(t, e.hs, request{op: operations.ListMyTickets, claims: buyerClaims("user-bruno")}), http.StatusOK)
		assert.Empty(t, other.Items)
	})
	var meia gen.Ticket
	for _, tk := range list.Items {
		if tk.Meia {
			meia = tk
		}
	}
	checkIn := func(claims map[string]string, qr string) events.APIGatewayV2HTTPResponse {
		return call(t, e.hs, request{op: operations.CheckInTicket, claims: claims, body: fmt.Sprintf(`{"qr":%q,"showtimeId":%q}`, qr, e.showtime)})
	}
	t.Run("checkInTicket/403 for a buyer", func(t *testing.T) {
		decodeProblem(t, checkIn(buyerClaims("user-ana"), meia.Qr), http.StatusForbidden, "forbidden")
	})
	t.Run("checkInTicket/422 for a QR not signed by the chain", func(t *testing.T) {
		forged := tickets.NewEphemeralSigner().Sign(tickets.Claims{TicketID: meia.ID, ShowtimeID: e.showtime, SeatID: "B5"})
		decodeProblem(t, checkIn(staff, forged), http.StatusUnprocessableEntity, "invalid_ticket")
	})
	t.Run("checkInTicket/201 flags the meia ticket so staff ask for proof", func(t *testing.T) {
		e.clock.Advance(23*time.Hour + 30*time.Minute) // the door opens an hour before the showtime, 24 h after the fixture's start
		ci := decode[gen.CheckIn](t, checkIn(staff, meia.Qr), http.StatusCreated)
		assert.True(t, ci.Meia)
		require.NotNil(t, ci.Proof)
		assert.Contains(t, *ci.Proof, "Estudantil")
		assert.Equal(t, e.clock.Now(), ci.CheckedInAt)
	})
	t.Run("checkInTicket/409 ticket_already_used with usedAt on a second scan", func(t *testing.T) {
		resp := checkIn(staff, meia.Qr)
		decodeProblem(t, resp, http.StatusConflict, "ticket_already_used")
		var body map[string]any
		require.NoError(t, json.Unmarshal([]byte(resp.Body), &body))
		assert.Equal(t, e.clock.Now().Format(time.RFC3339), body["usedAt"])
	})
	t.Run("listMyOrders/200 lists the paid order", func(t *testing.T) {
		got := decode[gen.OrderList](t, call(t, e.hs, request{op: operations.ListMyOrders, claims: buyerClaims("user-ana")}), http.StatusOK)
		require.Len(t, got.Items, 1)
		assert.Equal(t, gen.OrderStatusPAID, got.Items[0].Status)
		assert.Equal(t, "cin-fixture", got.Items[0].Showtime.CinemaID)
		assert.Nil(t, got.Items[0].Payment, "a list reads no payment: getOrder answers it")
		q := url.Values{"status": {"FAILED"}}
		none := decode[gen.OrderList](t, call(t, e.hs, request{op: operations.ListMyOrders, claims: buyerClaims("user-ana"), query: q}), http.StatusOK)
		assert.Empty(t, none.Items)
	})
	t.Run("the paid order feeds the concessions ranking's aggregates exactly once", func(t *testing.T) {
		agg, err := e.store.ReadAggregates(context.Background())
		require.NoError(t, err)
		assert.Equal(t, 1, agg.All.Orders, "the replayed webhook did not count it twice")
		assert.Equal(t, map[string]int{"combo-casal": 1, "pipoca-salgada": 1}, agg.All.Products)
		history, err := e.store.ReadHistory(context.Background(), "user-ana")
		require.NoError(t, err)
		assert.Equal(t, 1, history.Orders)
	})
}

// webhookFirst is the simulated PSP whose webhook reaches the application
// before the charge's own answer does, as a fast provider's may: Charge
// returns only once the events it sent were handled.
type webhookFirst struct {
	*psp.Simulator
	deliver func()
}

func (w webhookFirst) Charge(ctx context.Context, r psp.ChargeRequest) (psp.Charge, error) {
	c, err := w.Simulator.Charge(ctx, r)
	if err == nil {
		w.deliver()
	}
	return c, err
}

func TestCardAnswerAfterItsWebhookKeepsTheCard(t *testing.T) {
	for _, c := range []struct {
		card   string
		status gen.PaymentStatus
		last4  string
	}{
		{psp.CardApproves, gen.PaymentStatusAPPROVED, "1111"},
		{psp.CardDeclines, gen.PaymentStatusDECLINED, "0002"},
	} {
		t.Run(string(c.status), func(t *testing.T) {
			e := purchaseFixture(t)
			delivered := 0
			first := webhookFirst{Simulator: e.sim, deliver: func() {
				e.sim.Flush()
				e.inbox.mu.Lock()
				bodies, sigs := e.inbox.bodies[delivered:], e.inbox.sigs[delivered:]
				delivered = len(e.inbox.bodies)
				e.inbox.mu.Unlock()
				for i := range bodies {
					require.Equal(t, http.StatusOK, e.webhook(t, bodies[i], sigs[i]).StatusCode)
				}
			}}
			e.hs = buildPurchase(t, e.store, e.clock.Now, first, e.signer, e.secret)
			h := e.mustHold(t, "user-ana", "C4", "INTEIRA")
			o := e.mustOrder(t, "user-ana", "order-key-0001", orderBody(h.ID, ""))

			pay := decode[gen.Payment](t, e.pay(t, "user-ana", o.ID, "pay-key-0001", cardBody(c.card)), http.StatusCreated)
			require.Positive(t, delivered, "the webhook was handled before the charge's answer")
			assert.Equal(t, c.status, pay.Status)
			require.NotNil(t, pay.Card, "the masked card comes only with the charge's answer")
			assert.Equal(t, c.last4, pay.Card.Last4)
			got := decode[gen.Payment](t, call(t, e.hs, request{op: operations.GetPayment, claims: buyerClaims("user-ana"),
				params: map[string]string{"orderId": o.ID, "paymentId": pay.ID}}), http.StatusOK)
			require.NotNil(t, got.Card)
			assert.Equal(t, c.last4, got.Card.Last4)
		})
	}
}

// threeDS is the simulator whose pending cards wait for the buyer at the
// provider, as a card in 3-D Secure does at Stripe.
type threeDS struct{ *psp.Simulator }

func (p threeDS) Charge(ctx context.Context, r psp.ChargeRequest) (psp.Charge, error) {
	c, err := p.Simulator.Charge(ctx, r)
	if err == nil && c.Status == psp.Pending && r.Method == psp.Card {
		c.Action = &psp.Action{ClientSecret: "pi_3ds_secret_" + r.PaymentID}
	}
	return c, err
}

func TestCardInThreeDSecureCarriesItsActionWhilePending(t *testing.T) {
	e := purchaseFixture(t)
	e.hs = buildPurchase(t, e.store, e.clock.Now, threeDS{e.sim}, e.signer, e.secret)
	h := e.mustHold(t, "user-ana", "C4", "INTEIRA")
	o := e.mustOrder(t, "user-ana", "order-key-0001", orderBody(h.ID, ""))
	pay := decode[gen.Payment](t, e.pay(t, "user-ana", o.ID, "pay-key-0001", cardBody(psp.CardTimesOut)), http.StatusCreated)
	get := func() gen.Payment {
		return decode[gen.Payment](t, call(t, e.hs, request{op: operations.GetPayment, claims: buyerClaims("user-ana"),
			params: map[string]string{"orderId": o.ID, "paymentId": pay.ID}}), http.StatusOK)
	}
	t.Run("createPayment/201 PENDING with the client secret the SPA completes 3-D Secure with", func(t *testing.T) {
		assert.Equal(t, gen.PaymentStatusPENDING, pay.Status)
		require.NotNil(t, pay.Action)
		require.NotNil(t, pay.Action.ClientSecret)
		assert.Equal(t, "pi_3ds_secret_"+pay.ID, *pay.Action.ClientSecret)
		assert.Nil(t, pay.Action.RedirectURL)
		again := get()
		require.NotNil(t, again.Action, "kept with the payment, for a reload")
		assert.Equal(t, *pay.Action.ClientSecret, *again.Action.ClientSecret)
	})
	t.Run("once the provider settles it, no action is left", func(t *testing.T) {
		require.NoError(t, e.sim.Settle(pay.ID, true))
		bodies, sigs := e.take(t, psp.EventApproved)
		require.Len(t, bodies, 1)
		require.Equal(t, http.StatusOK, e.webhook(t, bodies[0], sigs[0]).StatusCode)
		done := get()
		assert.Equal(t, gen.PaymentStatusAPPROVED, done.Status)
		assert.Nil(t, done.Action)
	})
}

func TestDeclinedCardFreesTheSeats(t *testing.T) {
	e := purchaseFixture(t)
	h := e.mustHold(t, "user-ana", "C4", "MEIA_ESTUDANTE", "C5", "INTEIRA")
	o := e.mustOrder(t, "user-ana", "order-key-0001", orderBody(h.ID, ""))

	pay := decode[gen.Payment](t, e.pay(t, "user-ana", o.ID, "pay-key-0001", cardBody(psp.CardDeclines)), http.StatusCreated)
	t.Run("createPayment/201 DECLINED with a reason", func(t *testing.T) {
		assert.Equal(t, gen.PaymentStatusDECLINED, pay.Status)
		require.NotNil(t, pay.FailureReason)
		require.NotNil(t, pay.Card)
		assert.Equal(t, "0002", pay.Card.Last4)
	})
	t.Run("getOrder/200 the order FAILED, its card payment DECLINED", func(t *testing.T) {
		got := e.getOrder(t, "user-ana", o.ID)
		assert.Equal(t, gen.OrderStatusFAILED, got.Status)
		require.NotNil(t, got.Payment)
		assert.Equal(t, gen.OrderPayment{ID: pay.ID, Method: gen.PaymentMethodCARD, Status: gen.PaymentStatusDECLINED}, *got.Payment)
	})
	t.Run("the seats are free at once and the meia went back", func(t *testing.T) {
		seats := e.seatMap(t, "")
		assert.Equal(t, gen.SeatStatusAVAILABLE, seats["C4"].Status)
		assert.Equal(t, gen.SeatStatusAVAILABLE, seats["C5"].Status)
		counted, err := e.store.MeiaCounted(context.Background(), e.showtime)
		require.NoError(t, err)
		assert.Zero(t, counted)
		e.mustHold(t, "user-bruno", "C4", "INTEIRA", "C5", "INTEIRA")
	})
	t.Run("createPayment/409 for the failed order", func(t *testing.T) {
		decodeProblem(t, e.pay(t, "user-ana", o.ID, "pay-key-0002", cardBody(psp.CardApproves)), http.StatusConflict, "order_not_payable")
		assert.Zero(t, e.sim.Captures())
	})
}

// singlePayment is a provider whose cards take no parcelas, as a card
// without an installment plan at Stripe.
type singlePayment struct{ *psp.Simulator }

func (p singlePayment) Charge(ctx context.Context, r psp.ChargeRequest) (psp.Charge, error) {
	if r.Method == psp.Card && r.Installments > 1 {
		return psp.Charge{}, fmt.Errorf("no plan of %d: %w", r.Installments, psp.ErrInstallments)
	}
	return p.Simulator.Charge(ctx, r)
}

// TestInstallmentsTheCardRefusesKeepTheOrderPayable: parcelas the card does
// not take answer 422 and charge nothing; the same order pays in one.
func TestInstallmentsTheCardRefusesKeepTheOrderPayable(t *testing.T) {
	e := purchaseFixture(t)
	e.hs = buildPurchase(t, e.store, e.clock.Now, singlePayment{e.sim}, e.signer, e.secret)
	h := e.mustHold(t, "user-ana", "C4", "INTEIRA")
	o := e.mustOrder(t, "user-ana", "order-key-0001", orderBody(h.ID, ""))
	in3 := fmt.Sprintf(`{"method":"CARD","card":{"token":"%s%s","installments":3}}`, psp.TokenPrefix, psp.CardApproves)
	p := decodeProblem(t, e.pay(t, "user-ana", o.ID, "pay-key-0001", in3), http.StatusUnprocessableEntity, "installments_not_offered")
	assert.Equal(t, "Parcelamento indisponível", p.Title)
	assert.Zero(t, e.sim.Captures(), "nothing charged")
	got := e.getOrder(t, "user-ana", o.ID)
	assert.Equal(t, gen.OrderStatusPENDINGPAYMENT, got.Status)
	assert.Equal(t, gen.SeatStatusHELD, e.seatMap(t, "")["C4"].Status)

	pay := decode[gen.Payment](t, e.pay(t, "user-ana", o.ID, "pay-key-0002", cardBody(psp.CardApproves)), http.StatusCreated)
	assert.Equal(t, gen.PaymentStatusAPPROVED, pay.Status)
	assert.Equal(t, 1, e.sim.Captures())
	assert.Equal(t, gen.OrderStatusPAID, e.getOrder(t, "user-ana", o.ID).Status)
}

// TestUnknownCardTokenKeepsTheOrderPayable: a token the PSP never issued is
// the buyer's mistake, not the issuer's decline. It answers 422 and leaves
// the order, its hold and its meia as they were, charges nothing, and a
// second attempt with a good card pays; the order stays payable only until
// its hold expires.
func TestUnknownCardTokenKeepsTheOrderPayable(t *testing.T) {
	e := purchaseFixture(t)
	h := e.mustHold(t, "user-ana", "C4", "MEIA_ESTUDANTE", "C5", "INTEIRA")
	o := e.mustOrder(t, "user-ana", "order-key-0001", orderBody(h.ID, ""))
	unknown := []struct{ name, body string }{
		{"a sim_ token of a card the PSP does not know", cardBody("4242424242424242")},
		{"a token the PSP never issued", `{"method":"CARD","card":{"token":"tok_desconhecido","installments":2}}`},
	}
	for i, u := range unknown {
		t.Run("createPayment/422 invalid_payment_token for "+u.name, func(t *testing.T) {
			p := decodeProblem(t, e.pay(t, "user-ana", o.ID, fmt.Sprintf("bad-pay-key-%04d", i), u.body), http.StatusUnprocessableEntity, "invalid_payment_token")
			assert.Equal(t, "/problems/invalid-payment-token", p.Type)
			assert.Zero(t, e.sim.Captures(), "nothing charged")
		})
	}
	t.Run("getOrder/200 the order is still PENDING_PAYMENT, its seats held and its meia counted", func(t *testing.T) {
		got := e.getOrder(t, "user-ana", o.ID)
		assert.Equal(t, gen.OrderStatusPENDINGPAYMENT, got.Status)
		assert.Nil(t, got.Payment, "no charge to follow: the order is payable again")
		seats := e.seatMap(t, "")
		assert.Equal(t, gen.SeatStatusHELD, seats["C4"].Status)
		assert.Equal(t, gen.SeatStatusHELD, seats["C5"].Status)
		counted, err := e.store.MeiaCounted(context.Background(), e.showtime)
		require.NoError(t, err)
		assert.Equal(t, 1, counted)
		declined, _ := e.take(t, psp.EventDeclined)
		assert.Empty(t, declined, "the PSP declined nothing")
	})
	t.Run("createPayment/201 APPROVED on a second attempt with a good card", func(t *testing.T) {
		pay := decode[gen.Payment](t, e.pay(t, "user-ana", o.ID, "pay-key-0001", cardBody(psp.CardApproves)), http.StatusCreated)
		assert.Equal(t, gen.PaymentStatusAPPROVED, pay.Status)
		require.NotNil(t, pay.Card)
		assert.Equal(t, "1111", pay.Card.Last4)
		assert.Equal(t, 1, e.sim.Captures())
		assert.Equal(t, gen.OrderStatusPAID, e.getOrder(t, "user-ana", o.ID).Status)
		assert.Equal(t, gen.SeatStatusSOLD, e.seatMap(t, "")["C4"].Status)
	})
	t.Run("createPayment/409 hold_expired once the hold ran out after an unknown token", func(t *testing.T) {
		h := e.mustHold(t, "user-bruno", "D4", "INTEIRA")
		o := e.mustOrder(t, "user-bruno", "order-key-0002", orderBody(h.ID, ""))
		decodeProblem(t, e.pay(t, "user-bruno", o.ID, "bruno-pay-0001", cardBody("4242424242424242")), http.StatusUnprocessableEntity, "invalid_payment_token")
		e.clock.Advance(10 * time.Minute)
		decodeProblem(t, e.pay(t, "user-bruno", o.ID, "bruno-pay-0002", cardBody(psp.CardApproves)), http.StatusConflict, "hold_expired")
		assert.Equal(t, 1, e.sim.Captures(), "only ana's order was charged")
		assert.Equal(t, gen.OrderStatusEXPIRED, e.getOrder(t, "user-bruno", o.ID).Status)
		assert.Equal(t, gen.SeatStatusAVAILABLE, e.seatMap(t, "")["D4"].Status)
	})
}

func TestHoldExpiresDuringPayment(t *testing.T) {
	e := purchaseFixture(t)
	h := e.mustHold(t, "user-ana", "A4", "INTEIRA")
	o := e.mustOrder(t, "user-ana", "order-key-0001", orderBody(h.ID, ""))
	pay := decode[gen.Payment](t, e.pay(t, "user-ana", o.ID, "pay-key-0001", pixBody), http.StatusCreated)

	// The buyer pays a second before the hold expires; the webhook arrives
	// after it.
	e.clock.Advance(10*time.Minute - time.Second)
	require.NoError(t, e.sim.PayPix(pay.ID))
	bodies, sigs := e.take(t, psp.EventApproved)
	require.Len(t, bodies, 1)
	e.clock.Advance(time.Minute)

	t.Run("the seats are free as soon as the hold expires", func(t *testing.T) {
		assert.Equal(t, gen.SeatStatusAVAILABLE, e.seatMap(t, "")["A4"].Status)
		assert.Equal(t, gen.OrderStatusEXPIRED, e.getOrder(t, "user-ana", o.ID).Status, "an unpaid order past its hold reads as expired")
	})
	t.Run("createPayment/409 hold_expired for the expired order", func(t *testing.T) {
		decodeProblem(t, e.pay(t, "user-ana", o.ID, "pay-key-0002", cardBody(psp.CardApproves)), http.StatusConflict, "hold_expired")
	})
	t.Run("receivePspWebhook/200 the late payment is refunded and the order EXPIRED", func(t *testing.T) {
		ack := decode[gen.PspEventAck](t, e.webhook(t, bodies[0], sigs[0]), http.StatusOK)
		assert.Equal(t, gen.PspEventAckResultPROCESSED, ack.Result)
		got := e.getOrder(t, "user-ana", o.ID)
		assert.Equal(t, gen.OrderStatusEXPIRED, got.Status)
		require.NotNil(t, got.Refund)
		assert.Equal(t, got.Totals.Total, *got.Refund)
		assert.Nil(t, got.PickupCode)
		p := decode[gen.Payment](t, call(t, e.hs, request{op: operations.GetPayment, claims: buyerClaims("user-ana"),
			params: map[string]string{"orderId": o.ID, "paymentId": pay.ID}}), http.StatusOK)
		assert.Equal(t, gen.PaymentStatusREFUNDED, p.Status)
		refunds, _ := e.take(t, psp.EventRefunded)
		assert.Len(t, refunds, 1, "the PSP refunded once")
		list := decode[gen.TicketList](t, call(t, e.hs, request{op: operations.ListMyTickets, claims: buyerClaims("user-ana")}), http.StatusOK)
		assert.Empty(t, list.Items, "no ticket for an unpaid order")
		assert.Equal(t, gen.SeatStatusAVAILABLE, e.seatMap(t, "")["A4"].Status)
	})
	t.Run("receivePspWebhook/200 the refund's own event changes nothing", func(t *testing.T) {
		refunds, sigs := e.take(t, psp.EventRefunded)
		require.Len(t, refunds, 1)
		before := e.items(t)
		ack := decode[gen.PspEventAck](t, e.webhook(t, refunds[0], sigs[0]), http.StatusOK)
		assert.Equal(t, gen.PspEventAckResultIGNORED, ack.Result)
		assert.Equal(t, before, e.items(t))
	})
}

func TestCreateOrderIdempotency(t *testing.T) {
	e := purchaseFixture(t)
	h := e.mustHold(t, "user-ana", "A1", "INTEIRA", "A2", "INTEIRA")
	body := orderBody(h.ID, `{"productId":"pipoca-salgada","size":"G","quantity":1}`)

	const n = 50
	var wg sync.WaitGroup
	resps := make([]events.APIGatewayV2HTTPResponse, n)
	gate := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			resps[i] = e.order(t, "user-ana", "same-key-0001", body)
		}()
	}
	close(gate)
	wg.Wait()

	t.Run("createOrder/201 or 409 for fifty concurrent identical requests, one order", func(t *testing.T) {
		ids := map[string]bool{}
		created, inProgress := 0, 0
		for _, r := range resps {
			switch r.StatusCode {
			case http.StatusCreated:
				created++
				var o gen.Order
				require.NoError(t, json.Unmarshal([]byte(r.Body), &o))
				ids[o.ID] = true
			case http.StatusConflict:
				var p problem
				require.NoError(t, json.Unmarshal([]byte(r.Body), &p))
				assert.Equal(t, "request_in_progress", p.Code)
				inProgress++
			default:
				t.Fatalf("unexpected %d: %s", r.StatusCode, r.Body)
			}
		}
		assert.Len(t, ids, 1, "every 201 is the same order")
		assert.Positive(t, created)
		t.Logf("%d created or replayed, %d told the first is in progress", created, inProgress)
		list := decode[gen.OrderList](t, call(t, e.hs, request{op: operations.ListMyOrders, claims: buyerClaims("user-ana")}), http.StatusOK)
		assert.Len(t, list.Items, 1)
	})
	t.Run("createOrder/201 replays the first answer for the same key and body", func(t *testing.T) {
		before := e.items(t)
		resp := e.order(t, "user-ana", "same-key-0001", strings.ReplaceAll(body, ",", " , "))
		require.Equal(t, http.StatusCreated, resp.StatusCode, resp.Body)
		assert.Equal(t, "true", resp.Headers["Idempotent-Replayed"])
		assert.NotEmpty(t, resp.Headers["Location"])
		assert.Equal(t, before, e.items(t))
	})
	t.Run("createOrder/422 idempotency_key_reused for the same key and another body", func(t *testing.T) {
		decodeProblem(t, e.order(t, "user-ana", "same-key-0001", orderBody(h.ID, "")), http.StatusUnprocessableEntity, "idempotency_key_reused")
	})
	t.Run("createOrder/409 hold_not_active for a new key on the ordered hold", func(t *testing.T) {
		decodeProblem(t, e.order(t, "user-ana", "other-key-0001", body), http.StatusConflict, "hold_not_active")
	})
	t.Run("the same key of another buyer is another request", func(t *testing.T) {
		decodeProblem(t, e.order(t, "user-bruno", "same-key-0001", body), http.StatusNotFound, "not_found")
	})

	var o gen.Order
	for _, r := range resps {
		if r.StatusCode == http.StatusCreated {
			require.NoError(t, json.Unmarshal([]byte(r.Body), &o))
		}
	}
	require.NotEmpty(t, o.ID)
	t.Run("createPayment/201 for fifty concurrent identical payments charges once", func(t *testing.T) {
		payResps := make([]events.APIGatewayV2HTTPResponse, n)
		gate := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-gate
				payResps[i] = e.pay(t, "user-ana", o.ID, "pay-key-0001", cardBody(psp.CardApproves))
			}()
		}
		close(gate)
		wg.Wait()
		for _, r := range payResps {
			assert.Contains(t, []int{http.StatusCreated, http.StatusConflict}, r.StatusCode, r.Body)
		}
		assert.Equal(t, 1, e.sim.Captures(), "one charge")
		assert.Equal(t, gen.OrderStatusPAID, e.getOrder(t, "user-ana", o.ID).Status)
	})
}

func TestCreateOrderBadInputWritesNothing(t *testing.T) {
	e := purchaseFixture(t)
	ana := e.mustHold(t, "user-ana", "A1", "INTEIRA")
	bruno := e.mustHold(t, "user-bruno", "A3", "INTEIRA")
	line := func(product, size string, qty int) string {
		return orderBody(ana.ID, fmt.Sprintf(`{"productId":%q,"size":%q,"quantity":%d}`, product, size, qty))
	}
	cases := []struct {
		name   string
		body   string
		status int
		code   string
	}{
		{"createOrder/404 for another buyer's hold", orderBody(bruno.ID, ""), http.StatusNotFound, "not_found"},
		{"createOrder/404 for an unknown hold", orderBody("h-nope", ""), http.StatusNotFound, "not_found"},
		{"createOrder/422 for an unknown product", line("nachos", "UN", 1), http.StatusUnprocessableEntity, "product_unavailable"},
		{"createOrder/422 for a size the product lacks", line("pipoca-salgada", "M", 1), http.StatusUnprocessableEntity, "product_unavailable"},
		{"createOrder/422 for a flavour not offered", orderBody(ana.ID, `{"productId":"refrigerante","size":"M","quantity":1,"flavours":["Uva"]}`), http.StatusUnprocessableEntity, "product_unavailable"},
		{"createOrder/400 for quantity 0", line("pipoca-salgada", "P", 0), http.StatusBadRequest, "validation_failed"},
		{"createOrder/400 for quantity 21", line("pipoca-salgada", "P", 21), http.StatusBadRequest, "validation_failed"},
		{"createOrder/400 for a negative quantity", line("pipoca-salgada", "P", -3), http.StatusBadRequest, "validation_failed"},
		{"createOrder/400 for a total sent by the client", `{"holdId":"` + ana.ID + `","total":{"amount":1,"currency":"BRL"}}`, http.StatusBadRequest, "validation_failed"},
		{"createOrder/400 for a price sent on a line", orderBody(ana.ID, `{"productId":"pipoca-salgada","size":"P","quantity":1,"unitPrice":1}`), http.StatusBadRequest, "validation_failed"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := e.items(t)
			decodeProblem(t, e.order(t, "user-ana", fmt.Sprintf("bad-key-%04d", i), tc.body), tc.status, tc.code)
			assert.Equal(t, before, e.items(t), "nothing is written")
		})
	}
	t.Run("createOrder/400 without an Idempotency-Key", func(t *testing.T) {
		before := e.items(t)
		decodeProblem(t, call(t, e.hs, request{op: operations.CreateOrder, claims: buyerClaims("user-ana"), body: orderBody(ana.ID, "")}), http.StatusBadRequest, "validation_failed")
		assert.Equal(t, before, e.items(t))
	})
	t.Run("createOrder/409 hold_expired for an expired hold, writing nothing", func(t *testing.T) {
		e.clock.Advance(10 * time.Minute)
		before := e.items(t)
		decodeProblem(t, e.order(t, "user-ana", "late-key-0001", orderBody(ana.ID, "")), http.StatusConflict, "hold_expired")
		assert.Equal(t, before, e.items(t))
	})
	t.Run("a refused key may be used again once the request is right", func(t *testing.T) {
		h := e.mustHold(t, "user-ana", "B1", "INTEIRA")
		decodeProblem(t, e.order(t, "user-ana", "retry-key-0001", orderBody(h.ID, `{"productId":"nachos","size":"UN","quantity":1}`)), http.StatusUnprocessableEntity, "product_unavailable")
		e.mustOrder(t, "user-ana", "retry-key-0001", orderBody(h.ID, ""))
	})
}

func TestPspUnreachable(t *testing.T) {
	e := purchaseFixture(t)
	h := e.mustHold(t, "user-ana", "A6", "INTEIRA")
	o := e.mustOrder(t, "user-ana", "order-key-0001", orderBody(h.ID, ""))

	t.Run("createPayment/503 with Retry-After when the PSP cannot be reached, nothing charged", func(t *testing.T) {
		e.sim.SetUnreachable(true)
		resp := e.pay(t, "user-ana", o.ID, "pay-key-0001", cardBody(psp.CardApproves))
		decodeProblem(t, resp, http.StatusServiceUnavailable, "service_unavailable")
		assert.NotEmpty(t, resp.Headers["Retry-After"])
		assert.Zero(t, e.sim.Captures())
		assert.Equal(t, gen.OrderStatusPENDINGPAYMENT, e.getOrder(t, "user-ana", o.ID).Status)
	})
	t.Run("createPayment/503 when the PSP charged but its answer was lost", func(t *testing.T) {
		e.sim.SetUnreachable(false)
		e.sim.LoseNextResponse()
		decodeProblem(t, e.pay(t, "user-ana", o.ID, "pay-key-0001", cardBody(psp.CardApproves)), http.StatusServiceUnavailable, "service_unavailable")
		assert.Equal(t, 1, e.sim.Captures())
	})
	t.Run("createPayment/201 on retry with the same key: approved, charged once, order paid", func(t *testing.T) {
		pay := decode[gen.Payment](t, e.pay(t, "user-ana", o.ID, "pay-key-0001", cardBody(psp.CardApproves)), http.StatusCreated)
		assert.Equal(t, gen.PaymentStatusAPPROVED, pay.Status)
		assert.Equal(t, 1, e.sim.Captures(), "never charged twice")
		assert.Equal(t, gen.OrderStatusPAID, e.getOrder(t, "user-ana", o.ID).Status)
		assert.Equal(t, gen.SeatStatusSOLD, e.seatMap(t, "")["A6"].Status)
	})
	t.Run("cancelOrder/200 CANCELLED while the PSP is down, REFUNDED once it is back", func(t *testing.T) {
		e.sim.SetUnreachable(true)
		got := decode[gen.Order](t, call(t, e.hs, request{op: operations.CancelOrder, claims: buyerClaims("user-ana"), params: map[string]string{"orderId": o.ID}}), http.StatusOK)
		assert.Equal(t, gen.OrderStatusCANCELLED, got.Status)
		assert.Equal(t, gen.SeatStatusAVAILABLE, e.seatMap(t, "")["A6"].Status, "the seats are back on sale at once")
		e.sim.SetUnreachable(false)
		got = decode[gen.Order](t, call(t, e.hs, request{op: operations.CancelOrder, claims: buyerClaims("user-ana"), params: map[string]string{"orderId": o.ID}}), http.StatusOK)
		assert.Equal(t, gen.OrderStatusCANCELLED, got.Status, "cancelling again returns it unchanged")
	})
}

func TestCancelOrder(t *testing.T) {
	e := purchaseFixture(t)
	h := e.mustHold(t, "user-ana", "B2", "MEIA_ESTUDANTE", "B3", "INTEIRA")
	o := e.mustOrder(t, "user-ana", "order-key-0001", orderBody(h.ID, `{"productId":"pipoca-salgada","size":"G","quantity":1}`))
	cancel := func(sub, id string) events.APIGatewayV2HTTPResponse {
		return call(t, e.hs, request{op: operations.CancelOrder, claims: buyerClaims(sub), params: map[string]string{"orderId": id}, body: `{"reason":"Não vou conseguir ir."}`})
	}
	t.Run("cancelOrder/409 for an order not paid", func(t *testing.T) {
		decodeProblem(t, cancel("user-ana", o.ID), http.StatusConflict, "order_not_cancellable")
	})
	pay := decode[gen.Payment](t, e.pay(t, "user-ana", o.ID, "pay-key-0001", cardBody(psp.CardApprovesMastercard)), http.StatusCreated)
	require.Equal(t, gen.PaymentStatusAPPROVED, pay.Status)
	list := decode[gen.TicketList](t, call(t, e.hs, request{op: operations.ListMyTickets, claims: buyerClaims("user-ana")}), http.StatusOK)
	require.Len(t, list.Items, 2)

	t.Run("cancelOrder/404 for another buyer", func(t *testing.T) {
		decodeProblem(t, cancel("user-bruno", o.ID), http.StatusNotFound, "not_found")
	})
	t.Run("cancelOrder/200 frees the seats, voids the tickets and refunds everything", func(t *testing.T) {
		got := decode[gen.Order](t, cancel("user-ana", o.ID), http.StatusOK)
		assert.Equal(t, gen.OrderStatusREFUNDED, got.Status)
		require.NotNil(t, got.Refund)
		assert.Equal(t, got.Totals.Total, *got.Refund, "tickets, concessions and fee")
		require.NotNil(t, got.CancelledAt)
		seats := e.seatMap(t, "")
		assert.Equal(t, gen.SeatStatusAVAILABLE, seats["B2"].Status)
		assert.Equal(t, gen.SeatStatusAVAILABLE, seats["B3"].Status)
		counted, err := e.store.MeiaCounted(context.Background(), e.showtime)
		require.NoError(t, err)
		assert.Zero(t, counted, "the meia went back")
		q := url.Values{"status": {"CANCELLED"}}
		void := decode[gen.TicketList](t, call(t, e.hs, request{op: operations.ListMyTickets, claims: buyerClaims("user-ana"), query: q}), http.StatusOK)
		assert.Len(t, void.Items, 2)
	})
	t.Run("cancelOrder/200 again returns it unchanged", func(t *testing.T) {
		before := e.items(t)
		assert.Equal(t, gen.OrderStatusREFUNDED, decode[gen.Order](t, cancel("user-ana", o.ID), http.StatusOK).Status)
		assert.Equal(t, before, e.items(t))
	})
	t.Run("cancelOrder/409 past the window two hours before the showtime", func(t *testing.T) {
		h := e.mustHold(t, "user-carla", "C8", "INTEIRA")
		o := decode[gen.Order](t, send(t, e.hs, request{op: operations.CreateOrder, claims: buyerClaims("user-carla"), body: orderBody(h.ID, "")}, key("carla-key-0001")), http.StatusCreated)
		p := decode[gen.Payment](t, send(t, e.hs, request{op: operations.CreatePayment, claims: buyerClaims("user-carla"), params: map[string]string{"orderId": o.ID}, body: cardBody(psp.CardApproves)}, key("carla-pay-0001")), http.StatusCreated)
		require.Equal(t, gen.PaymentStatusAPPROVED, p.Status)
		e.clock.Advance(22*time.Hour + time.Minute) // the showtime is 24 h after the fixture's start
		decodeProblem(t, cancel("user-carla", o.ID), http.StatusConflict, "order_not_cancellable")
	})
	t.Run("checkInTicket/409 ticket_not_valid for a cancelled ticket", func(t *testing.T) {
		e.clock.Advance(time.Hour) // the door is open
		body := fmt.Sprintf(`{"qr":%q,"showtimeId":%q}`, list.Items[0].Qr, e.showtime)
		decodeProblem(t, call(t, e.hs, request{op: operations.CheckInTicket, claims: staff, body: body}), http.StatusConflict, "ticket_not_valid")
	})
}

// TestOrderStoredWithoutItsCinema: an order written before orders kept
// their cinema answers it all the same, read from its showtime.
func TestOrderStoredWithoutItsCinema(t *testing.T) {
	e := purchaseFixture(t)
	h := e.mustHold(t, "user-ana", "B4", "INTEIRA")
	now := e.clock.Now()
	old := orders.Order{ID: "ord-antigo", Buyer: "user-ana", HoldID: h.ID, Status: orders.PendingPayment,
		Showtime:  orders.Showtime{ID: e.showtime, MovieTitle: "Filme", CinemaName: "Cinema", RoomName: "Sala 1", StartsAt: now.Add(24 * time.Hour)},
		Tickets:   []orders.TicketLine{{SeatID: "B4", Row: "B", Number: 4, SeatType: catalog.SeatStandard, TicketType: "INTEIRA", Price: 3600}},
		Totals:    orders.Totals{Tickets: 3600, ConvenienceFee: 400, Total: 4000},
		CreatedAt: now, ExpiresAt: h.ExpiresAt, CancellableUntil: now.Add(22 * time.Hour)}
	require.NoError(t, e.store.CreateOrder(context.Background(), old, now))

	t.Run("getOrder/200 names the cinema of its showtime", func(t *testing.T) {
		assert.Equal(t, "cin-fixture", e.getOrder(t, "user-ana", old.ID).Showtime.CinemaID)
	})
	t.Run("listMyOrders/200 names it too", func(t *testing.T) {
		got := decode[gen.OrderList](t, call(t, e.hs, request{op: operations.ListMyOrders, claims: buyerClaims("user-ana")}), http.StatusOK)
		require.Len(t, got.Items, 1)
		assert.Equal(t, "cin-fixture", got.Items[0].Showtime.CinemaID)
	})
}

// TestTicketTypesTellTheFeeOrdersCharge: listTicketTypes answers the
// convenience fee per ticket createOrder adds, as configured, so the total
// a buyer is shown before Reservar is the order's.
func TestTicketTypesTellTheFeeOrdersCharge(t *testing.T) {
	e := purchaseFixture(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	bs := &booking.Service{Store: e.store, Policy: booking.DefaultPolicy}
	e.hs = api.Build(api.Deps{
		Catalog: &catalog.Service{Store: e.store}, Booking: bs, Store: e.store, Now: e.clock.Now, Log: log,
		Orders: &orders.Service{Store: e.store, Booking: bs, PSP: e.sim, Signer: e.signer, Log: log,
			Policy: orders.Policy{ConvenienceFee: 350, CancelBefore: 2 * time.Hour}},
		Tickets:     &tickets.Service{Store: e.store, PublicKey: e.signer.PublicKey(), OpensBefore: tickets.DefaultOpensBefore},
		Idempotency: e.store, Webhooks: psp.SimulatorWebhooks{Secret: e.secret},
	}, specValidator(t))

	list := decode[gen.TicketTypeList](t, call(t, e.hs, request{op: operations.ListTicketTypes, params: map[string]string{"showtimeId": e.showtime}}), http.StatusOK)
	t.Run("listTicketTypes/200 says the configured fee per ticket", func(t *testing.T) {
		assert.Equal(t, gen.Money{Amount: 350, Currency: "BRL"}, list.ConvenienceFee)
	})
	t.Run("createOrder/201 charges that fee per ticket, so tickets plus fee is the order's total", func(t *testing.T) {
		h := e.mustHold(t, "user-ana", "B4", "INTEIRA", "B5", "INTEIRA")
		o := e.mustOrder(t, "user-ana", "order-key-fee", orderBody(h.ID, ""))
		assert.Equal(t, 2*list.ConvenienceFee.Amount, o.Totals.ConvenienceFee.Amount)
		assert.Equal(t, h.Total.Amount+2*list.ConvenienceFee.Amount, o.Totals.Total.Amount)
	})
}
