package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/psp"
)

// TestNullWhereTheContractSaysATypeIs400: a JSON null is a value, not an
// absent field. No request schema is nullable, so a null anywhere in a body
// is refused with 400 validation_failed naming the field, before anything is
// written or charged; a property with a default (card.installments) is no
// exception.
func TestNullWhereTheContractSaysATypeIs400(t *testing.T) {
	e := purchaseFixture(t)
	h := e.mustHold(t, "user-ana", "A1", "INTEIRA")
	o := e.mustOrder(t, "user-ana", "order-key-0001", orderBody(h.ID, ""))
	token := psp.TokenPrefix + psp.CardApproves
	cases := []struct {
		name  string
		op    string
		body  string
		field string
	}{
		{"createPayment/400 for installments null", operations.CreatePayment,
			fmt.Sprintf(`{"method":"CARD","card":{"token":%q,"installments":null}}`, token), "card.installments"},
		{"createPayment/400 for a token null", operations.CreatePayment,
			`{"method":"CARD","card":{"token":null,"installments":1}}`, "card.token"},
		{"createPayment/400 for a card null", operations.CreatePayment, `{"method":"PIX","card":null}`, "card"},
		{"createPayment/400 for a method null", operations.CreatePayment, `{"method":null}`, "method"},
		{"createOrder/400 for concessions null", operations.CreateOrder, fmt.Sprintf(`{"holdId":%q,"concessions":null}`, h.ID), "concessions"},
		{"createOrder/400 for a quantity null", operations.CreateOrder,
			fmt.Sprintf(`{"holdId":%q,"concessions":[{"productId":"pipoca-salgada","size":"P","quantity":null}]}`, h.ID), "concessions.0.quantity"},
		{"createOrder/400 for flavours null", operations.CreateOrder,
			fmt.Sprintf(`{"holdId":%q,"concessions":[{"productId":"refrigerante","size":"M","quantity":1,"flavours":null}]}`, h.ID), "concessions.0.flavours"},
		{"createHold/400 for a ticket type null", operations.CreateHold,
			fmt.Sprintf(`{"showtimeId":%q,"seats":[{"seatId":"A5","ticketType":null}]}`, e.showtime), "seats.0.ticketType"},
		{"cancelOrder/400 for a reason null", operations.CancelOrder, `{"reason":null}`, "reason"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := e.items(t)
			r := request{op: tc.op, claims: buyerClaims("user-ana"), body: tc.body}
			if tc.op != operations.CreateHold {
				r.params = map[string]string{"orderId": o.ID}
			}
			p := decodeProblem(t, send(t, e.hs, r, key(fmt.Sprintf("null-key-%04d", i))), http.StatusBadRequest, "validation_failed")
			var fields []string
			for _, f := range p.Errors {
				fields = append(fields, f.Field)
			}
			assert.Equal(t, []string{tc.field}, fields, "the one bad field is named")
			assert.Equal(t, before, e.items(t), "nothing is written")
		})
	}
	t.Run("the order is still payable and nothing was charged", func(t *testing.T) {
		assert.Zero(t, e.sim.Captures())
		assert.Equal(t, gen.OrderStatusPENDINGPAYMENT, e.getOrder(t, "user-ana", o.ID).Status)
		pay := decode[gen.Payment](t, e.pay(t, "user-ana", o.ID, "pay-key-0001", cardBody(psp.CardApproves)), http.StatusCreated)
		assert.Equal(t, gen.PaymentStatusAPPROVED, pay.Status)
	})
}
