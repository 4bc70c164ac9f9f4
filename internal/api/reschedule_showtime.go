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

// RescheduleShowtime moves a showtime to another time with a plan for its
// tickets (staff).
type RescheduleShowtime struct {
	Programming *programming.Service
	Now         func() time.Time
}

func (h RescheduleShowtime) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	id, err := pathParam(req.PathParameters, "showtimeId")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var in gen.RescheduleRequest
	if _, err := decodeBody(req, &in); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	res, err := h.Programming.RescheduleShowtime(ctx, id, in.StartsAt, programming.TicketPlan(in.TicketPlan), in.Reason, h.Now())
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return apigw.JSON(http.StatusOK, gen.ShowtimeChangeResult{
		Showtime: toAdminShowtime(res.Showtime), OrdersAffected: res.OrdersAffected,
		OrdersRefunded: res.OrdersRefunded, BuyersNotified: res.BuyersNotified,
	}), nil
}
