package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/apigw"
	"bilhetagem/internal/waitingroom"
)

// GetWaitingRoomEntry answers the caller's place in a queue; the SPA polls
// it after pollAfterSeconds, which Retry-After repeats.
type GetWaitingRoomEntry struct {
	WaitingRoom *waitingroom.Service
	Now         func() time.Time
}

func (h GetWaitingRoomEntry) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	p, err := caller(ctx)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	id, err := pathParam(req.PathParameters, "entryId")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	e, place, err := h.WaitingRoom.Get(ctx, p.Subject, id, h.Now())
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	out := toEntry(e, place)
	resp := apigw.JSON(http.StatusOK, out)
	resp.Headers["Cache-Control"] = "no-store"
	if out.PollAfterSeconds > 0 {
		resp.Headers["Retry-After"] = strconv.Itoa(out.PollAfterSeconds)
	}
	return resp, nil
}
