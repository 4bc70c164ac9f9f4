package api

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/apigw"
	"bilhetagem/internal/waitingroom"
)

// GetWaitingRoom answers the waiting-room settings and live queue (staff).
type GetWaitingRoom struct {
	WaitingRoom *waitingroom.Service
	Now         func() time.Time
}

func (h GetWaitingRoom) Handle(ctx context.Context, _ events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	o, err := h.WaitingRoom.Overview(ctx, h.Now())
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	resp := apigw.JSON(http.StatusOK, toWaitingRoom(o))
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}
