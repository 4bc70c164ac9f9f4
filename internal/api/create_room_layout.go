package api

import (
	"context"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/programming"
)

// CreateRoomLayout publishes a room's next layout version (staff).
type CreateRoomLayout struct {
	Programming *programming.Service
}

func (h CreateRoomLayout) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	cinemaID, err := pathParam(req.PathParameters, "cinemaId")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	roomID, err := pathParam(req.PathParameters, "roomId")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var in gen.LayoutInput
	if _, err := decodeBody(req, &in); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	r, err := h.Programming.PublishLayout(ctx, cinemaID, roomID, in.Rows)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return apigw.JSON(http.StatusCreated, toAdminRoom(r)), nil
}
