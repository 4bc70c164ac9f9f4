package api

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/orders"
)

// GetPickup shows the counter of a cinema what a pickup code gives.
type GetPickup struct {
	Counter *orders.Counter
}

func (h GetPickup) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	code, err := pathParam(req.PathParameters, "code")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	p, err := h.Counter.Pickup(ctx, code, req.QueryStringParameters["cinemaId"])
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	resp := apigw.JSON(http.StatusOK, toPickup(p))
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}

// RedeemPickup hands a pickup's bomboniere lines over, each exactly once,
// in the name of the staff member signed in.
type RedeemPickup struct {
	Counter *orders.Counter
	Now     func() time.Time
}

func (h RedeemPickup) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	who, err := caller(ctx)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	code, err := pathParam(req.PathParameters, "code")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var in gen.RedeemPickupRequest
	if _, err := decodeBody(req, &in); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var lines []int
	if in.Lines != nil {
		lines = *in.Lines
	}
	by := who.Name
	if by == "" {
		by = who.Email
	}
	if by == "" {
		by = who.Subject
	}
	p, err := h.Counter.Redeem(ctx, code, in.CinemaID, lines, by, h.Now())
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	resp := apigw.JSON(http.StatusCreated, toPickup(p))
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}

func toPickup(p orders.Pickup) gen.Pickup {
	out := gen.Pickup{Code: p.Code, OrderID: p.Order.ID, CinemaID: p.Order.Showtime.CinemaID, MovieTitle: p.Order.Showtime.MovieTitle,
		StartsAt: p.Order.Showtime.StartsAt.UTC(), Lines: []gen.PickupLine{}, Remaining: p.Remaining()}
	for _, l := range p.Lines {
		line := gen.PickupLine{Index: l.Index, Name: l.Name, Flavours: append([]string{}, l.Flavours...), Quantity: l.Quantity}
		if l.Size != "" {
			size := l.Size
			line.Size = &size
		}
		if l.Redeemed.Done() {
			at, by := l.Redeemed.At.UTC(), l.Redeemed.By
			line.RedeemedAt, line.RedeemedBy = &at, &by
		}
		out.Lines = append(out.Lines, line)
	}
	return out
}
