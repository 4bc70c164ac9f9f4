package api

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/waitingroom"
)

// EnterWaitingRoom gives the buyer a place in a showtime's queue, or lets
// them through when the showtime is not in premiere mode.
type EnterWaitingRoom struct {
	WaitingRoom *waitingroom.Service
	Now         func() time.Time
}

func (h EnterWaitingRoom) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	p, err := caller(ctx)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var in gen.EnterWaitingRoomRequest
	if _, err := decodeBody(req, &in); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	e, place, created, err := h.WaitingRoom.Enter(ctx, p.Subject, in.ShowtimeID, h.Now())
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	resp := apigw.JSON(status, toEntry(e, place))
	if created {
		resp.Headers["Location"] = "/api/waiting-room/entries/" + e.ID
	}
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}
