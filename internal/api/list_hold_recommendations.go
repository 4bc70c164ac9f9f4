package api

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/booking"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/concessions"
)

// ListHoldRecommendations ranks the bomboniere for one of the caller's
// holds.
type ListHoldRecommendations struct {
	Booking     *booking.Service
	Catalog     *catalog.Service
	Concessions *concessions.Service
	Now         func() time.Time
}

func (h ListHoldRecommendations) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	p, err := caller(ctx)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	id, err := pathParam(req.PathParameters, "holdId")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	hold, err := h.Booking.Get(ctx, p.Subject, id, h.Now())
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	st, movie, err := h.Catalog.ShowtimeAndMovie(ctx, hold.ShowtimeID)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	menu, err := h.Catalog.Menu(ctx)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	products := make([]catalog.Product, 0, len(menu))
	for _, m := range menu {
		products = append(products, m.Product)
	}
	limit := 0
	q, _ := url.ParseQuery(req.RawQueryString)
	if v := q.Get("limit"); v != "" {
		limit, _ = strconv.Atoi(v) // the contract has checked it is 1..10
	}
	in := concessions.Input{Party: partyOf(hold), Movie: movie, Showtime: st.Showtime, Menu: products, Selected: q["selected"]}
	recs, strategy, err := h.Concessions.Recommend(ctx, p.Subject, in, limit)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	out := gen.RecommendationList{HoldID: hold.ID, Strategy: gen.RecommendationStrategy(strategy), Items: make([]gen.Recommendation, 0, len(recs))}
	for i, r := range recs {
		item := gen.Recommendation{
			Rank: i + 1, ProductID: r.ProductID, Name: r.Name, Category: gen.ProductCategory(r.Category), Size: r.Size,
			Quantity: r.Quantity, Price: toMoney(r.UnitPrice), Reason: r.Reason, Replaces: r.Replaces,
		}
		if item.Replaces == nil {
			item.Replaces = []string{}
		}
		if r.Savings > 0 {
			s := toMoney(r.Savings)
			item.Savings = &s
		}
		out.Items = append(out.Items, item)
	}
	resp := apigw.JSON(http.StatusOK, out)
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}

// partyOf describes the hold's party for the ranking.
func partyOf(h booking.Hold) concessions.Party {
	var p concessions.Party
	for _, s := range h.Seats {
		p.Tickets = append(p.Tickets, concessions.Ticket{Type: string(s.TicketType), Meia: s.Quote.Meia})
		if s.Seat.Type == catalog.SeatCouple {
			p.CoupleSeats++
		}
	}
	return p
}
