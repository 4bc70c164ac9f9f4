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

// ListMyOrders pages the caller's orders, newest first.
type ListMyOrders struct {
	Orders *orders.Service
	Now    func() time.Time
}

func (h ListMyOrders) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	p, err := caller(ctx)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	limit, cursor := pageParams(req.QueryStringParameters)
	os, next, err := h.Orders.Mine(ctx, p.Subject, orders.Status(req.QueryStringParameters["status"]), limit, cursor, h.Now())
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	out := gen.OrderList{Items: make([]gen.Order, 0, len(os))}
	for _, o := range os {
		out.Items = append(out.Items, toOrder(o))
	}
	if next != "" {
		out.NextCursor = &next
	}
	resp := apigw.JSON(http.StatusOK, out)
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}
