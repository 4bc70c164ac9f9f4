package api_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/psp"
)

// The door takes a ticket only at its own showtime's door, from an hour
// before the start (21:00 São Paulo time, 24 h after the fixture's clock)
// until the end (23:00); every refusal names the ticket's showtime.
func TestCheckInWindow(t *testing.T) {
	e := purchaseFixture(t)
	h := e.mustHold(t, "user-ana", "B2", "INTEIRA", "B3", "INTEIRA")
	o := e.mustOrder(t, "user-ana", "door-order-0001", orderBody(h.ID, ""))
	pay := decode[gen.Payment](t, e.pay(t, "user-ana", o.ID, "door-pay-0001", cardBody(psp.CardApproves)), http.StatusCreated)
	require.Equal(t, gen.PaymentStatusAPPROVED, pay.Status)
	list := decode[gen.TicketList](t, call(t, e.hs, request{op: operations.ListMyTickets, claims: buyerClaims("user-ana")}), http.StatusOK)
	require.Len(t, list.Items, 2)
	first, second := list.Items[0], list.Items[1]
	start := time.Date(2026, 12, 4, 21, 0, 0, 0, time.FixedZone("BRT", -3*3600))
	checkIn := func(body string) events.APIGatewayV2HTTPResponse {
		return call(t, e.hs, request{op: operations.CheckInTicket, claims: staff, body: body})
	}
	at := func(qr, showtime string) string { return fmt.Sprintf(`{"qr":%q,"showtimeId":%q}`, qr, showtime) }
	const named = "Filme, Sala 1, Cinema, em 04/12/2026 às 21:00"

	setClock := func(at time.Time) { e.clock.Advance(at.Sub(e.clock.Now())) } // always forward here

	t.Run("checkInTicket/422 outside_check_in_window a second before the door opens", func(t *testing.T) {
		setClock(start.Add(-time.Hour - time.Second))
		p := decodeProblem(t, checkIn(at(first.Qr, e.showtime)), http.StatusUnprocessableEntity, "outside_check_in_window")
		assert.Equal(t, "a entrada da sessão de "+named+" abre às 20:00", p.Detail)
	})
	t.Run("checkInTicket/201 when the door opens, an hour before the start", func(t *testing.T) {
		setClock(start.Add(-time.Hour))
		ci := decode[gen.CheckIn](t, checkIn(at(first.Qr, e.showtime)), http.StatusCreated)
		assert.Equal(t, first.ID, ci.TicketID)
		assert.Equal(t, e.clock.Now(), ci.CheckedInAt)
	})
	t.Run("checkInTicket/400 without the door's showtime", func(t *testing.T) {
		setClock(start.Add(-30 * time.Minute))
		p := decodeProblem(t, checkIn(fmt.Sprintf(`{"qr":%q}`, second.Qr)), http.StatusBadRequest, "validation_failed")
		require.NotEmpty(t, p.Errors)
		assert.Equal(t, "showtimeId", p.Errors[0].Field)
	})
	t.Run("checkInTicket/409 wrong_showtime at another showtime's door, naming the ticket's", func(t *testing.T) {
		p := decodeProblem(t, checkIn(at(second.Qr, "st-outra-sessao")), http.StatusConflict, "wrong_showtime")
		assert.Equal(t, "este ingresso é de outra sessão: "+named, p.Detail)
	})
	t.Run("checkInTicket/422 outside_check_in_window once the showtime has ended", func(t *testing.T) {
		setClock(start.Add(2 * time.Hour)) // the fixture's showtime ends at 23:00
		p := decodeProblem(t, checkIn(at(second.Qr, e.showtime)), http.StatusUnprocessableEntity, "outside_check_in_window")
		assert.Equal(t, "a sessão de "+named+" terminou às 23:00; este ingresso não vale mais", p.Detail)
	})
	t.Run("checkInTicket/422 for yesterday's ticket the next day", func(t *testing.T) {
		setClock(start.Add(24 * time.Hour))
		decodeProblem(t, checkIn(at(second.Qr, e.showtime)), http.StatusUnprocessableEntity, "outside_check_in_window")
	})
	t.Run("a refused ticket is still valid", func(t *testing.T) {
		mine := decode[gen.TicketList](t, call(t, e.hs, request{op: operations.ListMyTickets, claims: buyerClaims("user-ana")}), http.StatusOK)
		status := map[string]gen.TicketStatus{}
		for _, tk := range mine.Items {
			status[tk.ID] = tk.Status
		}
		assert.Equal(t, map[string]gen.TicketStatus{first.ID: gen.TicketStatusUSED, second.ID: gen.TicketStatusVALID}, status)
	})
}
