package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/psp"
)

// ReceivePspWebhook takes a payment event from the provider: the provider's
// signature over the raw body is checked before the event is read, and
// events are applied once per id, in any order. It serves each provider's
// webhook operation (receivePspWebhook for the simulator,
// receiveStripeWebhook for Stripe) with that provider's Webhooks; without
// one the environment does not pay through that provider.
type ReceivePspWebhook struct {
	Orders   *orders.Service
	Webhooks psp.Webhooks
	Now      func() time.Time
}

func (h ReceivePspWebhook) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	if h.Webhooks == nil {
		return events.APIGatewayV2HTTPResponse{}, errs.E(errs.NotFound, "provider_not_configured",
			"este ambiente não recebe eventos deste provedor de pagamentos")
	}
	body, err := apigw.Body(req)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	ev, err := h.Webhooks.Event(body, func(name string) string { return header(req, name) }, h.Now())
	switch {
	case errors.Is(err, psp.ErrSignature):
		return events.APIGatewayV2HTTPResponse{}, errs.E(errs.Unauthorized, "invalid_signature",
			"a assinatura do webhook não confere com o corpo da requisição")
	case errors.Is(err, psp.ErrUnavailable):
		// The provider's event needs a read at the provider (a dispute's
		// PaymentIntent) that failed: the provider sends it again.
		return events.APIGatewayV2HTTPResponse{}, errs.Wrap(errs.Unavailable, "service_unavailable",
			"o provedor de pagamentos não respondeu; o evento será reenviado", err)
	case errors.Is(err, psp.ErrIgnored):
		return apigw.JSON(http.StatusOK, gen.PspEventAck{EventID: ev.ID, Result: gen.PspEventAckResult(orders.EventIgnored)}), nil
	case err != nil:
		return events.APIGatewayV2HTTPResponse{}, errs.InvalidFields(errs.FieldError{Field: "body", Message: "evento inválido"})
	}
	result, err := h.Orders.HandleEvent(ctx, ev, h.Now())
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return apigw.JSON(http.StatusOK, gen.PspEventAck{EventID: ev.ID, Result: gen.PspEventAckResult(result)}), nil
}
