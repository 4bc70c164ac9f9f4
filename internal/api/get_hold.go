package api

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/apigw"
	"bilhetagem/internal/booking"
)

// GetHold returns one of the caller's holds; another buyer's is not found.
type GetHold struct {
	Booking *booking.Service
	Now     func() time.Time
}

func (h GetHold) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	p, err := caller(ctx)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	id, err := pathParam(req.PathParameters, "holdId")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	hold, err := h.Booking.Get(ctx, p.Subject, id, h.Now())
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	resp := apigw.JSON(http.StatusOK, toHold(hold))
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}
