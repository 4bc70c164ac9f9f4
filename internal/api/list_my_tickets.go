package api

import (
	"context"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/tickets"
)

// ListMyTickets pages the caller's tickets with their signed QR payloads.
type ListMyTickets struct{ Tickets *tickets.Service }

func (h ListMyTickets) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	p, err := caller(ctx)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	limit, cursor := pageParams(req.QueryStringParameters)
	ts, next, err := h.Tickets.Mine(ctx, p.Subject, tickets.Status(req.QueryStringParameters["status"]), limit, cursor)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	out := gen.TicketList{Items: make([]gen.Ticket, 0, len(ts))}
	for _, t := range ts {
		out.Items = append(out.Items, toTicket(t))
	}
	if next != "" {
		out.NextCursor = &next
	}
	resp := apigw.JSON(http.StatusOK, out)
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}
