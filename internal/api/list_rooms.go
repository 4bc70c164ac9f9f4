package api

import (
	"context"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/programming"
)

// ListRooms lists a cinema's rooms with their current layouts (staff).
type ListRooms struct {
	Programming *programming.Service
}

func (h ListRooms) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	cinemaID, err := pathParam(req.PathParameters, "cinemaId")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	rooms, err := h.Programming.Rooms(ctx, cinemaID)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	out := gen.AdminRoomList{Items: make([]gen.AdminRoom, 0, len(rooms))}
	for _, r := range rooms {
		out.Items = append(out.Items, toAdminRoom(r))
	}
	resp := apigw.JSON(http.StatusOK, out)
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}
