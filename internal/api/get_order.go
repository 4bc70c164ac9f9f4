package api

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/apigw"
	"bilhetagem/internal/orders"
)

// GetOrder returns one of the caller's orders; another buyer's is not found.
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
	resp := apigw.JSON(http.StatusOK, toOrder(o))
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}
