package api

import (
	"context"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/apigw"
	"bilhetagem/internal/programming"
)

// UnblockSeat puts a seat blocked for one showtime back on sale (staff).
type UnblockSeat struct {
	Programming *programming.Service
}

func (h UnblockSeat) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	id, err := pathParam(req.PathParameters, "showtimeId")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	seat, err := pathParam(req.PathParameters, "seatId")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	if err := h.Programming.UnblockSeat(ctx, id, seat); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return apigw.NoContent(), nil
}
