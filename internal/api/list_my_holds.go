package api

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/booking"
)

// ListMyHolds lists the caller's live holds, soonest to expire first.
type ListMyHolds struct {
	Booking *booking.Service
	Now     func() time.Time
}

func (h ListMyHolds) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	p, err := caller(ctx)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	hs, err := h.Booking.Mine(ctx, p.Subject, h.Now())
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	out := gen.HoldList{Items: make([]gen.Hold, 0, len(hs))}
	for _, hold := range hs {
		out.Items = append(out.Items, toHold(hold))
	}
	resp := apigw.JSON(http.StatusOK, out)
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}
