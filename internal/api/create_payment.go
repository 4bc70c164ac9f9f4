package api

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/idempotency"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/psp"
)

// CreatePayment charges one of the caller's orders by Pix or card, once per
// Idempotency-Key.
type CreatePayment struct {
	Orders      *orders.Service
	Idempotency idempotency.Store
	Now         func() time.Time
}

func (h CreatePayment) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	p, err := caller(ctx)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	orderID, err := pathParam(req.PathParameters, "orderId")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var in gen.CreatePaymentRequest
	body, err := decodeBody(req, &in)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	pr := orders.PayRequest{Method: psp.Method(in.Method)}
	switch {
	case in.Method == gen.PaymentMethodCARD && in.Card == nil:
		return events.APIGatewayV2HTTPResponse{}, errs.InvalidFields(errs.FieldError{Field: "card", Message: "é obrigatório para CARD"})
	case in.Method == gen.PaymentMethodPIX && in.Card != nil:
		return events.APIGatewayV2HTTPResponse{}, errs.InvalidFields(errs.FieldError{Field: "card", Message: "não se aplica a PIX"})
	case in.Card != nil:
		pr.CardToken, pr.Installments = in.Card.Token, 1
		if in.Card.Installments != nil {
			pr.Installments = *in.Card.Installments
		}
	}
	now := h.Now()
	scope := operations.CreatePayment + "#" + orderID
	return idempotent(ctx, h.Idempotency, req, scope, p.Subject, body, now, func() (events.APIGatewayV2HTTPResponse, error) {
		id := keyedID("pay", scope, p.Subject, header(req, "Idempotency-Key"))
		pay, err := h.Orders.Pay(ctx, p.Subject, orderID, id, pr, now)
		if err != nil {
			return events.APIGatewayV2HTTPResponse{}, err
		}
		resp := apigw.JSON(http.StatusCreated, toPayment(pay))
		resp.Headers["Location"] = "/api/orders/" + orderID + "/payments/" + pay.ID
		resp.Headers["Cache-Control"] = "no-store"
		return resp, nil
	})
}
