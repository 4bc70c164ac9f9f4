package api

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/apigw"
	"bilhetagem/internal/orders"
)

// GetPayment returns a payment of one of the caller's orders; the SPA polls
// it while a Pix charge is pending.
type GetPayment struct {
	Orders *orders.Service
	Now    func() time.Time
}

func (h GetPayment) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	p, err := caller(ctx)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	orderID, err := pathParam(req.PathParameters, "orderId")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	paymentID, err := pathParam(req.PathParameters, "paymentId")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	pay, err := h.Orders.GetPayment(ctx, p.Subject, orderID, paymentID, h.Now())
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	resp := apigw.JSON(http.StatusOK, toPayment(pay))
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}
