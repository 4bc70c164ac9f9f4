package api

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/booking"
	"bilhetagem/internal/idempotency"
	"bilhetagem/internal/operations"
)

// CreateHold holds seats of a showtime for the signed-in buyer.
type CreateHold struct {
	Booking *booking.Service
	// Gate checks the waiting room first; nil lets every hold through.
	Gate Admission
	// Idempotency keeps the answer of a request sent with an
	// Idempotency-Key, so its retry gets the same hold; nil (tests) runs
	// every request.
	Idempotency idempotency.Store
	Now         func() time.Time
}

// Admission is the waiting room's check before a hold: nil when the showtime
// is not in premiere mode or the token admits the holder to it.
type Admission interface {
	Admit(ctx context.Context, holder, showtimeID, token string, now time.Time) error
}

func (h CreateHold) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	p, err := caller(ctx)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var in gen.CreateHoldRequest
	body, err := decodeBody(req, &in)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	now := h.Now()
	run := func() (events.APIGatewayV2HTTPResponse, error) { return h.hold(ctx, req, p.Subject, in, now) }
	if h.Idempotency != nil && header(req, "Idempotency-Key") != "" {
		return idempotent(ctx, h.Idempotency, req, operations.CreateHold, p.Subject, body, now, run)
	}
	return run()
}

func (h CreateHold) hold(ctx context.Context, req events.APIGatewayV2HTTPRequest, subject string, in gen.CreateHoldRequest,
	now time.Time) (events.APIGatewayV2HTTPResponse, error) {
	if h.Gate != nil {
		if err := h.Gate.Admit(ctx, subject, in.ShowtimeID, waitingRoomToken(req), now); err != nil {
			return events.APIGatewayV2HTTPResponse{}, err
		}
	}
	hold, err := h.Booking.Hold(ctx, subject, toRequest(in), now)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	resp := apigw.JSON(http.StatusCreated, toHold(hold))
	resp.Headers["Location"] = "/api/holds/" + hold.ID
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}
