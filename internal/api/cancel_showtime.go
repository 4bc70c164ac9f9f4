package api

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/programming"
)

// CancelShowtime cancels a showtime, refunding every paid order (staff).
type CancelShowtime struct {
	Programming *programming.Service
	Now         func() time.Time
}

func (h CancelShowtime) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	id, err := pathParam(req.PathParameters, "showtimeId")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var in gen.CancelShowtimeRequest
	if _, err := decodeBody(req, &in); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	res, err := h.Programming.CancelShowtime(ctx, id, in.Reason, h.Now())
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return apigw.JSON(http.StatusOK, gen.ShowtimeChangeResult{
		Showtime: toAdminShowtime(res.Showtime), OrdersAffected: res.OrdersAffected,
		OrdersRefunded: res.OrdersRefunded, BuyersNotified: res.BuyersNotified,
	}), nil
}
