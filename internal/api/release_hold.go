package api

import (
	"context"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/apigw"
	"bilhetagem/internal/booking"
)

// ReleaseHold frees one of the caller's holds at once.
type ReleaseHold struct {
	Booking *booking.Service
	Now     func() time.Time
}

func (h ReleaseHold) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	p, err := caller(ctx)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	id, err := pathParam(req.PathParameters, "holdId")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	if err := h.Booking.Release(ctx, p.Subject, id, h.Now()); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return apigw.NoContent(), nil
}
