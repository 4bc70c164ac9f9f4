package api

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/tickets"
)

// CheckInTicket checks a scanned ticket in at the door of its showtime,
// while that door takes it, exactly once, and flags meia-entrada so staff
// ask for the proof.
type CheckInTicket struct {
	Tickets *tickets.Service
	Now     func() time.Time
}

func (h CheckInTicket) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	var in gen.CheckInRequest
	_, err := decodeBody(req, &in)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	t, err := h.Tickets.CheckIn(ctx, in.Qr, in.ShowtimeID, h.Now())
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	out := gen.CheckIn{TicketID: t.ID, OrderID: t.OrderID, ShowtimeID: t.ShowtimeID, MovieTitle: t.MovieTitle, RoomName: t.RoomName,
		StartsAt: t.StartsAt.UTC(), SeatID: t.SeatID, SeatType: gen.SeatType(t.SeatType), TicketType: gen.TicketTypeCode(t.TicketType),
		Meia: t.Meia, CheckedInAt: t.UsedAt.UTC()}
	if p := t.Proof(); p != "" {
		out.Proof = &p
	}
	resp := apigw.JSON(http.StatusCreated, out)
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}
