package api

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/orders"
)

// GetOrder returns one of the caller's orders, with a summary of its current
// payment; another buyer's is not found.
type GetOrder struct {
	Orders *orders.Service
	Now    func() time.Time
}

func (h GetOrder) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	p, err := caller(ctx)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	id, err := pathParam(req.PathParameters, "orderId")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	o, err := h.Orders.Get(ctx, p.Subject, id, h.Now())
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	out := toOrder(o)
	if o.PaymentID != "" {
		// The order keeps only its payment's id; the method and status are
		// the payment's own (listMyOrders does not read them). A payment the
		// provider never took (an unknown card, no answer) is nothing to
		// follow: the order is payable again.
		pay, err := h.Orders.GetPayment(ctx, p.Subject, o.ID, o.PaymentID, h.Now())
		if err != nil {
			return events.APIGatewayV2HTTPResponse{}, err
		}
		if pay.Charged {
			out.Payment = &gen.OrderPayment{ID: pay.ID, Method: gen.PaymentMethod(pay.Method), Status: gen.PaymentStatus(pay.Status)}
		}
	}
	resp := apigw.JSON(http.StatusOK, out)
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}
