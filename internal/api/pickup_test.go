package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/psp"
)

// paidWithConcessions buys seat with a popcorn and two sodas, paid by card.
func (e *purchaseEnv) paidWithConcessions(t *testing.T, sub, seat string) gen.Order {
	t.Helper()
	h := e.mustHold(t, sub, seat, "INTEIRA")
	o := e.mustOrder(t, sub, sub+"-order-"+seat, orderBody(h.ID,
		`{"productId":"pipoca-salgada","size":"G","quantity":1},{"productId":"refrigerante","size":"M","quantity":2,"flavours":["Guaraná"]}`))
	pay := decode[gen.Payment](t, e.pay(t, sub, o.ID, sub+"-pay-"+seat, cardBody(psp.CardApproves)), http.StatusCreated)
	require.Equal(t, gen.PaymentStatusAPPROVED, pay.Status)
	paid := e.getOrder(t, sub, o.ID)
	require.NotNil(t, paid.PickupCode)
	return paid
}

func (e *purchaseEnv) getPickup(code, cinema string, claims map[string]string) request {
	return request{op: operations.GetPickup, claims: claims, params: map[string]string{"code": code}, query: url.Values{"cinemaId": {cinema}}}
}

func (e *purchaseEnv) redeem(code, body string, claims map[string]string) request {
	return request{op: operations.RedeemPickup, claims: claims, params: map[string]string{"code": code}, body: body}
}

type redeemedProblem struct {
	Code       string
	RedeemedAt time.Time
	RedeemedBy string
}

func TestCounterHandsBomboniereOverExactlyOnce(t *testing.T) {
	e := purchaseFixture(t)
	o := e.paidWithConcessions(t, "user-ana", "C4")
	code, cinema := *o.PickupCode, o.Showtime.CinemaID
	require.NotEmpty(t, cinema)
	carla := map[string]string{"sub": "user-carla", "email": "carla@exemplo.com.br", "name": "Carla Mendes", "groups": "[staff]"}
	davi := map[string]string{"sub": "user-davi", "email": "davi@exemplo.com.br", "name": "Davi Lima", "groups": "[staff]"}

	t.Run("getPickup/200 lists the order's lines, none handed over; the code is read in any case", func(t *testing.T) {
		for _, c := range []string{code, strings.ToLower(code)} {
			p := decode[gen.Pickup](t, call(t, e.hs, e.getPickup(c, cinema, carla)), http.StatusOK)
			assert.Equal(t, o.ID, p.OrderID)
			assert.Equal(t, code, p.Code)
			require.Len(t, p.Lines, len(o.Concessions))
			assert.Equal(t, len(o.Concessions), p.Remaining)
			for i, l := range p.Lines {
				assert.Equal(t, i, l.Index)
				assert.Equal(t, o.Concessions[i].Name, l.Name)
				assert.Equal(t, o.Concessions[i].Quantity, l.Quantity)
				assert.Nil(t, l.RedeemedAt)
			}
		}
	})
	t.Run("getPickup/404 pickup_not_found for a code no order has", func(t *testing.T) {
		other := "ZZZZZZ"
		if code == other {
			other = "YYYYYY"
		}
		decodeProblem(t, call(t, e.hs, e.getPickup(other, cinema, carla)), http.StatusNotFound, "pickup_not_found")
	})
	t.Run("getPickup/422 pickup_wrong_cinema at another cinema's counter, naming the order's", func(t *testing.T) {
		p := decodeProblem(t, call(t, e.hs, e.getPickup(code, cinema+"-outro", carla)), http.StatusUnprocessableEntity, "pickup_wrong_cinema")
		assert.Contains(t, p.Detail, o.Showtime.CinemaName)
		decodeProblem(t, call(t, e.hs, e.redeem(code, fmt.Sprintf(`{"cinemaId":%q}`, cinema+"-outro"), carla)), http.StatusUnprocessableEntity, "pickup_wrong_cinema")
	})
	t.Run("redeemPickup/400 for a line the pickup does not have, and nothing is written", func(t *testing.T) {
		decodeProblem(t, call(t, e.hs, e.redeem(code, fmt.Sprintf(`{"cinemaId":%q,"lines":[%d]}`, cinema, len(o.Concessions)), carla)),
			http.StatusBadRequest, "validation_failed")
		p := decode[gen.Pickup](t, call(t, e.hs, e.getPickup(code, cinema, carla)), http.StatusOK)
		assert.Equal(t, len(o.Concessions), p.Remaining)
	})

	e.clock.Advance(time.Minute)
	first := e.clock.Now()
	t.Run("redeemPickup/201 hands one line over, in the staff member's name", func(t *testing.T) {
		p := decode[gen.Pickup](t, call(t, e.hs, e.redeem(code, fmt.Sprintf(`{"cinemaId":%q,"lines":[0]}`, cinema), carla)), http.StatusCreated)
		require.NotNil(t, p.Lines[0].RedeemedAt)
		assert.True(t, first.Equal(*p.Lines[0].RedeemedAt))
		assert.Equal(t, "Carla Mendes", *p.Lines[0].RedeemedBy)
		assert.Nil(t, p.Lines[1].RedeemedAt)
		assert.Equal(t, len(o.Concessions)-1, p.Remaining)
		day := o.Showtime.StartsAt.In(catalog.Zone).Format("2006-01-02")
		r := decode[gen.SalesReport](t, call(t, e.hs, request{op: operations.GetSalesReport, claims: staff,
			query: url.Values{"from": {day}, "to": {day}, "cinemaId": {cinema}}}), http.StatusOK)
		assert.Equal(t, o.Concessions[0].Quantity, r.Totals.ConcessionItemsPickedUp)
		assert.Equal(t, r.Totals.ConcessionItems-o.Concessions[0].Quantity, r.Totals.ConcessionItemsNotPickedUp)
	})
	t.Run("redeemPickup/409 pickup_already_redeemed for that line again, with who and when", func(t *testing.T) {
		resp := call(t, e.hs, e.redeem(code, fmt.Sprintf(`{"cinemaId":%q,"lines":[0]}`, cinema), davi))
		decodeProblem(t, resp, http.StatusConflict, "pickup_already_redeemed")
		var p redeemedProblem
		require.NoError(t, json.Unmarshal([]byte(resp.Body), &p))
		assert.True(t, first.Equal(p.RedeemedAt))
		assert.Equal(t, "Carla Mendes", p.RedeemedBy)
	})
	e.clock.Advance(time.Minute)
	t.Run("redeemPickup/201 without lines hands over the rest, then 409 with nothing left", func(t *testing.T) {
		p := decode[gen.Pickup](t, call(t, e.hs, e.redeem(code, fmt.Sprintf(`{"cinemaId":%q}`, cinema), davi)), http.StatusCreated)
		assert.Zero(t, p.Remaining)
		assert.Equal(t, "Carla Mendes", *p.Lines[0].RedeemedBy, "the first line keeps its redemption")
		assert.Equal(t, "Davi Lima", *p.Lines[1].RedeemedBy)
		resp := call(t, e.hs, e.redeem(code, fmt.Sprintf(`{"cinemaId":%q}`, cinema), carla))
		decodeProblem(t, resp, http.StatusConflict, "pickup_already_redeemed")
		var pr redeemedProblem
		require.NoError(t, json.Unmarshal([]byte(resp.Body), &pr))
		assert.Equal(t, "Davi Lima", pr.RedeemedBy, "the latest hand-over")
	})
	t.Run("the sales report counts the units picked up and not", func(t *testing.T) {
		day := o.Showtime.StartsAt.In(catalog.Zone).Format("2006-01-02")
		r := decode[gen.SalesReport](t, call(t, e.hs, request{op: operations.GetSalesReport, claims: staff,
			query: url.Values{"from": {day}, "to": {day}, "cinemaId": {cinema}}}), http.StatusOK)
		units := 0
		for _, c := range o.Concessions {
			units += c.Quantity
		}
		assert.Equal(t, units, r.Totals.ConcessionItems)
		assert.Equal(t, units, r.Totals.ConcessionItemsPickedUp, "every line handed over, each counted once")
		assert.Zero(t, r.Totals.ConcessionItemsNotPickedUp)
	})
	t.Run("staff only: a buyer's token is 403", func(t *testing.T) {
		decodeProblem(t, call(t, e.hs, e.getPickup(code, cinema, buyerClaims("user-ana"))), http.StatusForbidden, "forbidden")
	})
}

func TestConcurrentRedemptionsOfOneCodeHandOverOnce(t *testing.T) {
	e := purchaseFixture(t)
	o := e.paidWithConcessions(t, "user-ana", "C4")
	body := fmt.Sprintf(`{"cinemaId":%q}`, o.Showtime.CinemaID)
	const counters = 8
	statuses := make([]int, counters)
	var wg sync.WaitGroup
	for i := range counters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			claims := map[string]string{"sub": fmt.Sprintf("staff-%d", i), "name": fmt.Sprintf("Balcão %d", i), "groups": "[staff]"}
			statuses[i] = call(t, e.hs, e.redeem(*o.PickupCode, body, claims)).StatusCode
		}()
	}
	wg.Wait()
	won := 0
	for _, s := range statuses {
		switch s {
		case http.StatusCreated:
			won++
		default:
			assert.Equal(t, http.StatusConflict, s)
		}
	}
	assert.Equal(t, 1, won, "exactly one counter hands the items over: %v", statuses)
	p := decode[gen.Pickup](t, call(t, e.hs, e.getPickup(*o.PickupCode, o.Showtime.CinemaID, staff)), http.StatusOK)
	assert.Zero(t, p.Remaining)
	by := *p.Lines[0].RedeemedBy
	for _, l := range p.Lines {
		assert.Equal(t, by, *l.RedeemedBy, "all lines by the one counter that won")
	}
}

func TestPickupOfACancelledOrderIsRefused(t *testing.T) {
	e := purchaseFixture(t)
	o := e.paidWithConcessions(t, "user-ana", "C4")
	resp := call(t, e.hs, request{op: operations.CancelOrder, claims: buyerClaims("user-ana"), params: map[string]string{"orderId": o.ID},
		body: `{"reason":"Não vou mais."}`})
	require.Less(t, resp.StatusCode, 300, resp.Body)
	p := decodeProblem(t, call(t, e.hs, e.getPickup(*o.PickupCode, o.Showtime.CinemaID, staff)), http.StatusConflict, "pickup_not_valid")
	assert.Contains(t, p.Detail, "não entregue")
	decodeProblem(t, call(t, e.hs, e.redeem(*o.PickupCode, fmt.Sprintf(`{"cinemaId":%q}`, o.Showtime.CinemaID), staff)),
		http.StatusConflict, "pickup_not_valid")
}

func TestOrderWithoutConcessionsHasNoPickup(t *testing.T) {
	e := purchaseFixture(t)
	h := e.mustHold(t, "user-ana", "C4", "INTEIRA")
	o := e.mustOrder(t, "user-ana", "order-key-0001", orderBody(h.ID, ""))
	decode[gen.Payment](t, e.pay(t, "user-ana", o.ID, "pay-key-0001", cardBody(psp.CardApproves)), http.StatusCreated)
	paid := e.getOrder(t, "user-ana", o.ID)
	require.NotNil(t, paid.PickupCode)
	decodeProblem(t, call(t, e.hs, e.getPickup(*paid.PickupCode, paid.Showtime.CinemaID, staff)), http.StatusNotFound, "pickup_not_found")
}
