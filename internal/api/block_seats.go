package api

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/programming"
)

// BlockSeats takes seats of one showtime out of sale, with a reason (staff).
type BlockSeats struct {
	Programming *programming.Service
	Now         func() time.Time
}

func (h BlockSeats) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	p, err := caller(ctx)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	id, err := pathParam(req.PathParameters, "showtimeId")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var in gen.SeatBlockRequest
	if _, err := decodeBody(req, &in); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	by := p.Email
	if by == "" {
		by = p.Subject
	}
	blocks, err := h.Programming.BlockSeats(ctx, id, in.SeatIds, in.Reason, by, h.Now())
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	out := gen.SeatBlockList{ShowtimeID: id, Items: make([]gen.SeatBlock, 0, len(blocks))}
	for _, b := range blocks {
		out.Items = append(out.Items, gen.SeatBlock{SeatID: b.SeatID, Reason: b.Reason, BlockedBy: b.BlockedBy,
			BlockedAt: b.BlockedAt.In(catalog.Zone)})
	}
	return apigw.JSON(http.StatusOK, out), nil
}
