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

// UpdateWaitingRoom replaces the waiting-room settings (staff).
type UpdateWaitingRoom struct {
	WaitingRoom *waitingroom.Service
	Now         func() time.Time
}

func (h UpdateWaitingRoom) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	p, err := caller(ctx)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var in gen.WaitingRoomSettings
	if _, err := decodeBody(req, &in); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	now := h.Now()
	by := p.Email
	if by == "" {
		by = p.Subject
	}
	_, err = h.WaitingRoom.Update(ctx, waitingroom.Settings{Mode: waitingroom.Mode(in.Mode),
		AdmissionRatePerMinute: in.AdmissionRatePerMinute, TokenTTL: time.Duration(in.AdmissionTokenTTLSeconds) * time.Second,
		MovieIDs: nonNilStrings(in.MovieIds), ShowtimeIDs: nonNilStrings(in.ShowtimeIds)}, by, now)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	o, err := h.WaitingRoom.Overview(ctx, now)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	resp := apigw.JSON(http.StatusOK, toWaitingRoom(o))
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}
