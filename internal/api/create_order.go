package api

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/account"
	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/idempotency"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/orders"
)

// CreateOrder turns the caller's hold into an order waiting for payment,
// once per Idempotency-Key.
type CreateOrder struct {
	Orders      *orders.Service
	Idempotency idempotency.Store
	// Profiles keeps the buyer's e-mail and name, and their acceptance of
	// the terms, to write to them about the order; nil keeps none.
	Profiles *account.Service
	Now      func() time.Time
}

func (h CreateOrder) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	p, err := caller(ctx)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var in gen.CreateOrderRequest
	body, err := decodeBody(req, &in)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	now := h.Now()
	return idempotent(ctx, h.Idempotency, req, operations.CreateOrder, p.Subject, body, now, func() (events.APIGatewayV2HTTPResponse, error) {
		id := keyedID("ord", operations.CreateOrder, p.Subject, header(req, "Idempotency-Key"))
		o, err := h.Orders.Create(ctx, p.Subject, id, toOrderRequest(in), now)
		if err != nil {
			return events.APIGatewayV2HTTPResponse{}, err
		}
		if err := h.Profiles.Record(ctx, p.Subject, p.Email, p.Name, now); err != nil {
			return events.APIGatewayV2HTTPResponse{}, err
		}
		resp := apigw.JSON(http.StatusCreated, toOrder(o))
		resp.Headers["Location"] = "/api/orders/" + o.ID
		resp.Headers["Cache-Control"] = "no-store"
		return resp, nil
	})
}

func toOrderRequest(in gen.CreateOrderRequest) orders.Request {
	r := orders.Request{HoldID: in.HoldID}
	if in.Concessions != nil {
		for _, l := range *in.Concessions {
			line := orders.LineRequest{ProductID: l.ProductID, Size: l.Size, Quantity: l.Quantity}
			if l.Flavours != nil {
				line.Flavours = *l.Flavours
			}
			r.Lines = append(r.Lines, line)
		}
	}
	return r
}
