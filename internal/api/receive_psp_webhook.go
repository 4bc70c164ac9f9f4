package api

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/money"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/psp"
)

// ReceivePspWebhook takes a payment event from the provider: the HMAC of
// the raw body is checked in constant time before the event is read, and
// events are applied once per id, in any order.
type ReceivePspWebhook struct {
	Orders *orders.Service
	Secret []byte
	Now    func() time.Time
}

func (h ReceivePspWebhook) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	body, err := apigw.Body(req)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	if !psp.Verify(h.Secret, body, header(req, "X-Signature")) {
		return events.APIGatewayV2HTTPResponse{}, errs.E(errs.Unauthorized, "invalid_signature",
			"a assinatura X-Signature não confere com o corpo da requisição")
	}
	var in gen.PspEvent
	if err := json.Unmarshal(body, &in); err != nil {
		return events.APIGatewayV2HTTPResponse{}, errs.InvalidFields(errs.FieldError{Field: "body", Message: "JSON inválido"})
	}
	ev := psp.Event{ID: in.ID, Type: psp.EventType(in.Type), OccurredAt: in.OccurredAt, PaymentID: in.PaymentID,
		Reference: in.PspReference, Amount: money.BRL(in.Amount.Amount)}
	result, err := h.Orders.HandleEvent(ctx, ev, h.Now())
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return apigw.JSON(http.StatusOK, gen.PspEventAck{EventID: in.ID, Result: gen.PspEventAckResult(result)}), nil
}
