package api

import (
	"context"
	"fmt"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/pricing"
)

// ListTicketTypes lists the ticket types of a showtime with their prices for
// a standard seat, the seat surcharges and the convenience fee per ticket
// that orders add (the default policy's when no purchase is wired).
type ListTicketTypes struct {
	Catalog *catalog.Service
	Orders  *orders.Service
}

func (h ListTicketTypes) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	id, err := pathParam(req.PathParameters, "showtimeId")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	st, table, err := h.Catalog.Prices(ctx, id)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	day := st.StartsAt.In(catalog.Zone).Weekday()
	regular, promo, err := pricing.Regular(table, st.Format, day)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, fmt.Errorf("ticket types: %w", err)
	}
	fee := orders.DefaultPolicy.ConvenienceFee
	if h.Orders != nil {
		fee = h.Orders.ConvenienceFee()
	}
	out := gen.TicketTypeList{ShowtimeID: st.ID, Promo: promo, RegularPrice: toMoney(regular), ConvenienceFee: toMoney(fee),
		Items: make([]gen.TicketType, 0, len(pricing.All)), SeatSurcharges: []gen.SeatSurcharge{}}
	for _, t := range pricing.All {
		q, err := pricing.Price(table, st.Format, day, catalog.SeatStandard, t)
		if err != nil {
			return events.APIGatewayV2HTTPResponse{}, fmt.Errorf("ticket types: %w", err)
		}
		out.Items = append(out.Items, gen.TicketType{Code: gen.TicketTypeCode(t), Label: t.Label(), Meia: q.Meia,
			Price: toMoney(q.Ticket), Proof: t.Proof()})
	}
	for _, seat := range []catalog.SeatType{catalog.SeatVIP, catalog.SeatCouple} {
		if v, ok := table.SeatSurcharges[seat]; ok && v > 0 {
			out.SeatSurcharges = append(out.SeatSurcharges, gen.SeatSurcharge{SeatType: gen.SeatType(seat), Amount: toMoney(v)})
		}
	}
	return apigw.JSON(http.StatusOK, out), nil
}
