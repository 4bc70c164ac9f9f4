package api

import (
	"context"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/programming"
)

// CreateRoom adds a room to a cinema with layout version 1 (staff).
type CreateRoom struct {
	Programming *programming.Service
}

func (h CreateRoom) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	cinemaID, err := pathParam(req.PathParameters, "cinemaId")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var in gen.RoomInput
	if _, err := decodeBody(req, &in); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	r, err := h.Programming.CreateRoom(ctx, cinemaID, programming.RoomInput{ID: in.ID, Name: in.Name, Formats: toFormats(in.Formats), Rows: in.Rows})
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	resp := apigw.JSON(http.StatusCreated, toAdminRoom(r))
	resp.Headers["Location"] = "/api/admin/cinemas/" + cinemaID + "/rooms"
	return resp, nil
}
