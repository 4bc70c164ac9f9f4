package api_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/api"
	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/app"
	"bilhetagem/internal/booking"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/concessions"
	"bilhetagem/internal/notices"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/psp"
	"bilhetagem/internal/ratelimit"
	"bilhetagem/internal/reports"
	"bilhetagem/internal/stock"
	"bilhetagem/internal/tickets"
	"bilhetagem/openapi"
)

// The proofs of issue 7's authorization (OWASP API Top 10 2023: API1 BOLA,
// API2 broken authentication, API3 mass assignment, API4/API6 abuse, API5
// function-level authorization), on DynamoDB Local through the API Gateway
// v2 events the HTTP API sends. Like the purchase tests they are not
// parallel, so they add no load while TestHoldContention races.

// staffEmail is on the staff allow-list of authzFixture: a Google account
// with no groups claim that is staff by its verified e-mail.
const staffEmail = "gerente@cinema.com.br"

// authzFixture is the purchase fixture with every service wired, premiere
// readiness included, the staff allow-list and the given rate limiter.
func authzFixture(t *testing.T, limiter *ratelimit.Limiter) *purchaseEnv {
	t.Helper()
	e := purchaseFixture(t)
	rel, sc, wr, err := app.Premiere(e.store, app.PremiereConfig{}, nil)
	require.NoError(t, err)
	sc.CacheTTL, wr.SettingsTTL = 0, 0
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	bs := &booking.Service{Store: e.store, Policy: booking.DefaultPolicy}
	e.hs = api.Build(api.Deps{
		Catalog: &catalog.Service{Store: e.store}, Booking: bs, Store: e.store, Now: e.clock.Now, Log: log,
		Concessions: &concessions.Service{Source: e.store, Ranker: concessions.NewRanker()},
		Orders:      &orders.Service{Store: e.store, Booking: bs, PSP: e.sim, Signer: e.signer, Log: log},
		Tickets:     &tickets.Service{Store: e.store, PublicKey: e.signer.PublicKey()}, Counter: &orders.Counter{Store: e.store}, Notices: &notices.Service{Store: e.store}, Idempotency: e.store, Webhooks: psp.SimulatorWebhooks{Secret: e.secret},
		Releases: rel, Scaling: sc, WaitingRoom: wr,
		RateLimit: limiter, StaffEmails: apigw.NewStaffEmails(staffEmail), Reports: &reports.Service{Store: e.store},
		Prices: &catalog.PriceAdmin{Store: e.store}, Menu: &catalog.MenuAdmin{Store: e.store}, Stock: &stock.Service{Store: e.store},
	}, specValidator(t))
	return e
}

var pathParam = regexp.MustCompile(`\{([A-Za-z]+)\}`)

// anyParams fills every path parameter of op with a well-formed id.
func anyParams(op operations.Operation) map[string]string {
	params := map[string]string{}
	for _, m := range pathParam.FindAllStringSubmatch(op.Path, -1) {
		params[m[1]] = "x-1"
	}
	return params
}

func protected(op operations.Operation) bool {
	return op.Auth == operations.Buyer || op.Auth == operations.Staff
}

// TestEveryProtectedOperationAnswers401WithoutClaims walks the registry: an
// event that did not pass the JWT authorizer (no claims, or claims without a
// subject) is refused by every buyer and staff operation before its handler
// runs, and writes nothing.
func TestEveryProtectedOperationAnswers401WithoutClaims(t *testing.T) {
	e := authzFixture(t, nil)
	checked := 0
	for _, op := range operations.All {
		if !protected(op) {
			continue
		}
		checked++
		for _, c := range []struct {
			name   string
			claims map[string]string
		}{
			{"without claims", nil},
			{"with claims but no subject", map[string]string{"email": "ana@exemplo.com.br", "email_verified": "true", "groups": "[staff]"}},
		} {
			t.Run(op.ID+"/401 "+c.name, func(t *testing.T) {
				before := e.items(t)
				resp := send(t, e.hs, request{op: op.ID, params: anyParams(op), claims: c.claims, body: "{}"}, key("key-401-"+op.ID))
				decodeProblem(t, resp, http.StatusUnauthorized, "unauthorized")
				assert.Equal(t, before, e.items(t), "nothing written")
			})
		}
	}
	require.Equal(t, 47, checked, "every buyer and staff operation of the registry is checked; update the count with the registry")
}

// staffRequest is a valid request for each staff operation and the status
// staff get for it: the handler runs.
func staffRequests() map[string]struct {
	r      request
	status int
} {
	return map[string]struct {
		r      request
		status int
	}{
		operations.CheckInTicket: {request{op: operations.CheckInTicket, body: `{"qr":"BLT1.eyJ2IjoxfQ.c2lnbmF0dXJh","showtimeId":"st-fixture"}`}, http.StatusUnprocessableEntity},
		operations.GetPickup: {request{op: operations.GetPickup, params: map[string]string{"code": "ABCDEF"},
			query: url.Values{"cinemaId": {"paulista"}}}, http.StatusNotFound},
		operations.RedeemPickup: {request{op: operations.RedeemPickup, params: map[string]string{"code": "ABCDEF"},
			body: `{"cinemaId":"paulista"}`}, http.StatusNotFound},
		operations.ListReleaseClassifications: {request{op: operations.ListReleaseClassifications}, http.StatusOK},
		operations.GetScalingPlan:             {request{op: operations.GetScalingPlan}, http.StatusOK},
		operations.OverrideScalingPlan:        {request{op: operations.OverrideScalingPlan, body: overridesBody()}, http.StatusOK},
		operations.GetWaitingRoom:             {request{op: operations.GetWaitingRoom}, http.StatusOK},
		operations.UpdateWaitingRoom:          {request{op: operations.UpdateWaitingRoom, body: settingsBody("OFF", 600)}, http.StatusOK},
	}
}

// TestEveryStaffOperationIsForbiddenToBuyers walks the registry's staff
// operations: a buyer's token gets 403 forbidden and writes nothing; staff,
// by the groups claim or by a verified e-mail on the allow-list, reach the
// handler.
func TestEveryStaffOperationIsForbiddenToBuyers(t *testing.T) {
	e := authzFixture(t, nil)
	cases := staffRequests()
	for id, c := range backofficeRequests() {
		cases[id] = c
	}
	google := func(email, verified, groups string) map[string]string {
		c := map[string]string{"sub": "109876543210987654321", "email": email, "email_verified": verified, "name": "Gerente"}
		if groups != "" {
			c["groups"] = groups
		}
		return c
	}
	for _, op := range operations.All {
		if op.Auth != operations.Staff {
			continue
		}
		tc, ok := cases[op.ID]
		require.True(t, ok, "staff operation %s has no case in staffRequests", op.ID)
		with := func(claims map[string]string) request { r := tc.r; r.claims = claims; return r }
		for _, c := range []struct {
			name   string
			claims map[string]string
		}{
			{"for a buyer", buyer},
			{"for a buyer who names a group that is not staff", map[string]string{"sub": "user-ana", "groups": "[staffers admin]"}},
			{"for an allow-listed e-mail that is not verified", google(staffEmail, "false", "")},
			{"for a verified e-mail not on the allow-list", google("outro@cinema.com.br", "true", "")},
		} {
			t.Run(op.ID+"/403 "+c.name, func(t *testing.T) {
				before := e.items(t)
				decodeProblem(t, call(t, e.hs, with(c.claims)), http.StatusForbidden, "forbidden")
				assert.Equal(t, before, e.items(t), "nothing written")
			})
		}
		t.Run(fmt.Sprintf("%s/%d for staff by the groups claim", op.ID, tc.status), func(t *testing.T) {
			resp := call(t, e.hs, with(staff))
			assert.Equal(t, tc.status, resp.StatusCode, resp.Body)
		})
		t.Run(fmt.Sprintf("%s/%d for staff by a verified e-mail on the allow-list, in any case", op.ID, tc.status), func(t *testing.T) {
			resp := call(t, e.hs, with(google(strings.ToUpper(staffEmail), "true", "")))
			assert.Equal(t, tc.status, resp.StatusCode, resp.Body)
		})
	}
}

// TestOwnership is BOLA on every owner-scoped operation: another buyer's
// hold, order, payment or waiting-room entry is 404, as if it did not exist,
// so ids cannot be probed; nothing is written; and the lists show only the
// caller's own.
func TestOwnership(t *testing.T) {
	e := authzFixture(t, nil)
	// Ana buys two seats by card: an order PAID with two tickets.
	paidHold := e.mustHold(t, "user-ana", "A1", "INTEIRA", "A2", "INTEIRA")
	paid := e.mustOrder(t, "user-ana", "ana-order-key-0001", orderBody(paidHold.ID, ""))
	pay := decode[gen.Payment](t, e.pay(t, "user-ana", paid.ID, "ana-pay-key-0001", cardBody(psp.CardApproves)), http.StatusCreated)
	require.Equal(t, gen.PaymentStatusAPPROVED, pay.Status)
	// Dora holds a seat, not ordered yet (Ana may not: her ordered hold is
	// still her one hold of the showtime).
	active := e.mustHold(t, "user-dora", "B1", "INTEIRA")
	// Bruno has an order of his own.
	brunoHold := e.mustHold(t, "user-bruno", "C1", "INTEIRA")
	brunoOrder := e.mustOrder(t, "user-bruno", "bruno-order-0001", orderBody(brunoHold.ID, ""))
	entry := decode[gen.WaitingRoomEntry](t, call(t, e.hs, request{op: operations.EnterWaitingRoom, claims: buyerClaims("user-ana"),
		body: fmt.Sprintf(`{"showtimeId":%q}`, e.showtime)}), http.StatusCreated)

	bruno := buyerClaims("user-bruno")
	cases := []struct {
		name    string
		r       request
		headers map[string]string
	}{
		{"getHold/404 for another buyer's hold", request{op: operations.GetHold, params: map[string]string{"holdId": active.ID}}, nil},
		{"releaseHold/404 for another buyer's hold", request{op: operations.ReleaseHold, params: map[string]string{"holdId": active.ID}}, nil},
		{"listHoldRecommendations/404 for another buyer's hold", request{op: operations.ListHoldRecommendations, params: map[string]string{"holdId": active.ID}}, nil},
		{"createOrder/404 from another buyer's hold", request{op: operations.CreateOrder, body: orderBody(active.ID, "")}, key("bruno-steals-0001")},
		{"getOrder/404 for another buyer's order", request{op: operations.GetOrder, params: map[string]string{"orderId": paid.ID}}, nil},
		{"cancelOrder/404 for another buyer's paid order", request{op: operations.CancelOrder, params: map[string]string{"orderId": paid.ID}, body: `{"reason":"x"}`}, nil},
		{"createPayment/404 for another buyer's order", request{op: operations.CreatePayment, params: map[string]string{"orderId": paid.ID}, body: pixBody}, key("bruno-pays-0001")},
		{"getPayment/404 for another buyer's order and payment", request{op: operations.GetPayment, params: map[string]string{"orderId": paid.ID, "paymentId": pay.ID}}, nil},
		{"getPayment/404 for another buyer's payment under the caller's own order", request{op: operations.GetPayment, params: map[string]string{"orderId": brunoOrder.ID, "paymentId": pay.ID}}, nil},
		{"getWaitingRoomEntry/404 for another buyer's entry", request{op: operations.GetWaitingRoomEntry, params: map[string]string{"entryId": entry.ID}}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := e.items(t)
			r := tc.r
			r.claims = bruno
			p := decodeProblem(t, send(t, e.hs, r, tc.headers), http.StatusNotFound, "not_found")
			assert.NotContains(t, p.Detail, "user-ana", "the owner is never named")
			assert.Equal(t, before, e.items(t), "nothing written")
		})
	}
	t.Run("the owner's hold, order and payment are untouched", func(t *testing.T) {
		got := decode[gen.Hold](t, call(t, e.hs, request{op: operations.GetHold, claims: buyerClaims("user-dora"), params: map[string]string{"holdId": active.ID}}), http.StatusOK)
		assert.Equal(t, gen.HoldStatus("ACTIVE"), got.Status)
		assert.Equal(t, gen.OrderStatusPAID, e.getOrder(t, "user-ana", paid.ID).Status)
		p := decode[gen.Payment](t, call(t, e.hs, request{op: operations.GetPayment, claims: buyerClaims("user-ana"),
			params: map[string]string{"orderId": paid.ID, "paymentId": pay.ID}}), http.StatusOK)
		assert.Equal(t, gen.PaymentStatusAPPROVED, p.Status)
	})
	t.Run("listMyOrders/200 shows only the caller's orders", func(t *testing.T) {
		list := decode[gen.OrderList](t, call(t, e.hs, request{op: operations.ListMyOrders, claims: bruno}), http.StatusOK)
		require.Len(t, list.Items, 1)
		assert.Equal(t, brunoOrder.ID, list.Items[0].ID)
		mine := decode[gen.OrderList](t, call(t, e.hs, request{op: operations.ListMyOrders, claims: buyerClaims("user-ana")}), http.StatusOK)
		require.Len(t, mine.Items, 1)
		assert.Equal(t, paid.ID, mine.Items[0].ID)
	})
	t.Run("listMyTickets/200 shows only the caller's tickets", func(t *testing.T) {
		list := decode[gen.TicketList](t, call(t, e.hs, request{op: operations.ListMyTickets, claims: bruno}), http.StatusOK)
		assert.Empty(t, list.Items, "Bruno has not paid")
		mine := decode[gen.TicketList](t, call(t, e.hs, request{op: operations.ListMyTickets, claims: buyerClaims("user-ana")}), http.StatusOK)
		assert.Len(t, mine.Items, 2)
	})
}

// massCase is a valid request to a write operation and the server-owned
// fields a client might try to set in its body, by path (a.0.b).
type massCase struct {
	r       request
	headers map[string]string
	fields  map[string]any
}

// withField sets path in the JSON object body to v.
func withField(t *testing.T, body, path string, v any) string {
	t.Helper()
	var root any
	require.NoError(t, json.Unmarshal([]byte(body), &root))
	parts := strings.Split(path, ".")
	cur := root
	for _, p := range parts[:len(parts)-1] {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[p]
		case []any:
			i, err := strconv.Atoi(p)
			require.NoError(t, err)
			cur = c[i]
		}
	}
	obj, ok := cur.(map[string]any)
	require.True(t, ok, "%s does not name a field of an object in %s", path, body)
	obj[parts[len(parts)-1]] = v
	out, err := json.Marshal(root)
	require.NoError(t, err)
	return string(out)
}

// TestMassAssignment sends, to every operation of the registry that takes a
// body, a valid body plus one field the server owns (owner, price, status,
// ids, times): each is 400 validation_failed naming the field and writes
// nothing. Then the body without it is accepted, so the 400 was the field's.
func TestMassAssignment(t *testing.T) {
	e := authzFixture(t, nil)
	ordered := e.mustHold(t, "user-ana", "A1", "INTEIRA")
	pending := e.mustOrder(t, "user-ana", "ana-order-key-0001", orderBody(ordered.ID, ""))
	active := e.mustHold(t, "user-bruno", "B1", "INTEIRA")
	ana := buyerClaims("user-ana")
	money := map[string]any{"amount": 1, "currency": "BRL"}
	when := "2026-12-04T00:00:00Z"

	cases := map[string]massCase{
		operations.CreateHold: {r: request{claims: buyerClaims("user-dora"), body: holdBody(e.showtime, "C1", "INTEIRA")},
			fields: map[string]any{"holder": "user-ana", "owner": "user-ana", "status": "ACTIVE", "total": money, "expiresAt": when,
				"id": "h-1", "meiaCount": 0, "seats.0.price": money, "seats.0.surcharge": money, "seats.0.meia": false}},
		operations.CreateOrder: {r: request{claims: buyerClaims("user-bruno"), body: orderBody(active.ID, `{"productId":"pipoca-salgada","size":"P","quantity":1}`)},
			headers: key("bruno-order-0001"),
			fields: map[string]any{"buyer": "user-ana", "owner": "user-ana", "status": "PAID", "totals": map[string]any{"total": money},
				"total": money, "orderId": "o-1", "id": "o-1", "createdAt": when, "concessions.0.unitPrice": money, "concessions.0.price": money}},
		operations.CancelOrder: {r: request{claims: ana, params: map[string]string{"orderId": pending.ID}, body: `{"reason":"Não vou."}`},
			fields: map[string]any{"status": "REFUNDED", "refund": money, "cancelledAt": when, "orderId": "o-1"}},
		operations.CreatePayment: {r: request{claims: ana, params: map[string]string{"orderId": pending.ID}, body: pixBody},
			headers: key("ana-pay-key-0001"),
			fields:  map[string]any{"status": "APPROVED", "amount": money, "orderId": "o-1", "approvedAt": when, "id": "p-1"}},
		operations.ReceivePspWebhook: {r: request{body: `{"id":"evt_1","type":"payment.approved","occurredAt":"2026-12-04T00:00:00Z","paymentId":"p-1","pspReference":"ref-1","amount":{"amount":100,"currency":"BRL"}}`},
			headers: map[string]string{"X-Signature": "sha256=" + strings.Repeat("0", 64)},
			fields:  map[string]any{"orderId": "o-1", "orderStatus": "PAID", "buyer": "user-ana"}},
		// Stripe's event is Stripe's payload, open to the fields Stripe
		// adds: nothing of it is ours to refuse, and its signature is what
		// guards it. The body alone is valid.
		operations.ReceiveStripeWebhook: {r: request{body: `{"id":"evt_1","object":"event","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1"}}}`},
			headers: map[string]string{"Stripe-Signature": "t=1,v1=" + strings.Repeat("0", 64)}},
		operations.CheckInTicket: {r: request{claims: staff, body: `{"qr":"BLT1.eyJ2IjoxfQ.c2lnbmF0dXJh","showtimeId":"st-fixture"}`},
			fields: map[string]any{"usedAt": when, "status": "USED", "ticketId": "t-1", "checkedInBy": "user-carla"}},
		operations.MarkNoticesRead: {r: request{claims: ana, body: `{}`},
			fields: map[string]any{"readAt": when, "unread": 0, "buyer": "user-bruno", "items": []any{}}},
		operations.RedeemPickup: {r: request{claims: staff, params: map[string]string{"code": "ABCDEF"}, body: `{"cinemaId":"paulista"}`},
			fields: map[string]any{"redeemedAt": when, "redeemedBy": "user-carla", "orderId": "o-1", "remaining": 0, "code": "ZZZZZZ"}},
		operations.OverrideScalingPlan: {r: request{claims: staff, body: overridesBody(`{"startsAt":"2026-12-04T20:00:00-03:00","endsAt":"2026-12-04T22:00:00-03:00","reason":"Pré-estreia."}`)},
			fields: map[string]any{"updatedBy": "user-ana", "updatedAt": when, "items.0.source": "FORECAST", "items.0.createdBy": "user-ana"}},
		operations.UpdateWaitingRoom: {r: request{claims: staff, body: settingsBody("OFF", 600)},
			fields: map[string]any{"updatedBy": "user-ana", "updatedAt": when, "active": true, "queue": map[string]any{"waiting": 0}}},
		operations.EnterWaitingRoom: {r: request{claims: ana, body: fmt.Sprintf(`{"showtimeId":%q}`, e.showtime)},
			fields: map[string]any{"holder": "user-bruno", "status": "ADMITTED", "position": 0, "admissionToken": "WRT1.a.b", "id": "w-1", "enteredAt": when}},
	}

	for id, c := range backofficeMassCases() {
		cases[id] = c
	}

	doc, err := openapi.Load()
	require.NoError(t, err)
	for _, op := range operations.All {
		spec := doc.Paths.Find(op.Path).GetOperation(op.Method)
		require.NotNil(t, spec, op.ID)
		if spec.RequestBody == nil {
			continue
		}
		tc, ok := cases[op.ID]
		require.True(t, ok, "operation %s takes a body and has no mass-assignment case", op.ID)
		base := tc.r
		base.op = op.ID
		for path, v := range tc.fields {
			t.Run(op.ID+"/400 for the server-owned field "+path, func(t *testing.T) {
				before := e.items(t)
				r := base
				r.body = withField(t, base.body, path, v)
				p := decodeProblem(t, send(t, e.hs, r, tc.headers), http.StatusBadRequest, "validation_failed")
				require.NotEmpty(t, p.Errors)
				parent := "body"
				if i := strings.LastIndex(path, "."); i > 0 {
					parent = path[:i]
				}
				assert.Equal(t, parent, p.Errors[0].Field, "the error names the object the field was added to: %+v", p.Errors)
				assert.Equal(t, before, e.items(t), "nothing written")
			})
		}
		t.Run(op.ID+"/not 400 for the same body without the field", func(t *testing.T) {
			resp := send(t, e.hs, base, tc.headers)
			assert.NotEqual(t, http.StatusBadRequest, resp.StatusCode, resp.Body)
		})
	}
	t.Run("the order was neither paid nor cancelled by a field", func(t *testing.T) {
		got := e.getOrder(t, "user-ana", pending.ID)
		assert.NotEqual(t, gen.OrderStatusPAID, got.Status)
		assert.Nil(t, got.CancelledAt)
	})
}

// TestRateLimits is the per-buyer limit on createHold and createOrder
// (docs/adr/0500), counted in the table with the fixture's clock.
func TestRateLimits(t *testing.T) {
	limiter := &ratelimit.Limiter{Rules: map[string]ratelimit.Rule{
		operations.CreateHold:  {Limit: 2, Window: time.Minute},
		operations.CreateOrder: {Limit: 2, Window: time.Minute},
	}}
	e := authzFixture(t, limiter)
	limiter.Counter = e.store

	status, h, _ := e.hold(t, "user-ana", "A1", "INTEIRA")
	require.Equal(t, http.StatusCreated, status)
	t.Run("createHold/400 for a bad body is not counted", func(t *testing.T) {
		decodeProblem(t, call(t, e.hs, request{op: operations.CreateHold, claims: buyerClaims("user-ana"), body: `{}`}), http.StatusBadRequest, "validation_failed")
	})
	t.Run("createHold/409 the second hold of a minute is counted and answered", func(t *testing.T) {
		status, _, p := e.hold(t, "user-ana", "A2", "INTEIRA")
		assert.Equal(t, http.StatusConflict, status)
		assert.Equal(t, "active_hold_exists", p.Code)
	})
	t.Run("createHold/429 rate_limited with Retry-After on the third, writing nothing", func(t *testing.T) {
		before := e.items(t)
		resp := call(t, e.hs, request{op: operations.CreateHold, claims: buyerClaims("user-ana"), body: holdBody(e.showtime, "A3", "INTEIRA")})
		decodeProblem(t, resp, http.StatusTooManyRequests, "rate_limited")
		assert.Equal(t, "60", resp.Headers["Retry-After"], "the window is a minute and the clock is at its start")
		assert.Equal(t, before, e.items(t))
	})
	t.Run("createHold/201 for another buyer in the same minute", func(t *testing.T) {
		status, _, _ := e.hold(t, "user-bruno", "B1", "INTEIRA")
		assert.Equal(t, http.StatusCreated, status)
	})
	t.Run("createOrder/429 after two orders in a minute, even replays and failures count", func(t *testing.T) {
		o := e.order(t, "user-ana", "rate-order-key-0001", orderBody(h.ID, ""))
		require.Equal(t, http.StatusCreated, o.StatusCode, o.Body)
		decodeProblem(t, e.order(t, "user-ana", "rate-order-key-0002", orderBody("h-nenhum", "")), http.StatusNotFound, "not_found")
		resp := e.order(t, "user-ana", "rate-order-key-0001", orderBody(h.ID, ""))
		decodeProblem(t, resp, http.StatusTooManyRequests, "rate_limited")
		assert.NotEmpty(t, resp.Headers["Retry-After"])
	})
	t.Run("createHold/409 again in the next minute: the window reopened", func(t *testing.T) {
		e.clock.Advance(time.Minute)
		status, _, p := e.hold(t, "user-ana", "A3", "INTEIRA")
		assert.NotEqual(t, http.StatusTooManyRequests, status, p.Code)
	})
	t.Run("createHold/429 Retry-After counts down to the end of the window", func(t *testing.T) {
		e.clock.Advance(15 * time.Second)
		e.hold(t, "user-ana", "A4", "INTEIRA")
		resp := call(t, e.hs, request{op: operations.CreateHold, claims: buyerClaims("user-ana"), body: holdBody(e.showtime, "A5", "INTEIRA")})
		decodeProblem(t, resp, http.StatusTooManyRequests, "rate_limited")
		assert.Equal(t, "45", resp.Headers["Retry-After"])
	})
}
