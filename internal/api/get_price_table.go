package api

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/catalog"
)

// GetPriceTable returns a cinema's ticket price table to staff.
type GetPriceTable struct{ Prices *catalog.PriceAdmin }

func (h GetPriceTable) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	if _, err := caller(ctx); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	cinemaID, err := pathParam(req.PathParameters, "cinemaId")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	p, err := h.Prices.Get(ctx, cinemaID)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	resp := apigw.JSON(http.StatusOK, toPriceTable(p))
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}

func toPriceTable(p catalog.PriceTable) gen.PriceTable {
	out := gen.PriceTable{CinemaID: p.CinemaID, Rules: make([]gen.PriceRule, 0, len(p.Rules)),
		SeatSurcharges: make([]gen.SeatSurcharge, 0, len(p.SeatSurcharges)), PromoWeekdays: toWeekdays(p.PromoWeekdays)}
	for _, r := range p.Rules {
		out.Rules = append(out.Rules, gen.PriceRule{Format: gen.Format(r.Format), Weekdays: toWeekdays(r.Weekdays),
			Inteira: gen.MoneyInput{Amount: int(r.Inteira), Currency: gen.MoneyInputCurrencyBRL}})
	}
	for t, v := range p.SeatSurcharges {
		out.SeatSurcharges = append(out.SeatSurcharges, gen.SeatSurcharge{SeatType: gen.SeatType(t), Amount: toMoney(v)})
	}
	slices.SortFunc(out.SeatSurcharges, func(a, b gen.SeatSurcharge) int { return strings.Compare(string(a.SeatType), string(b.SeatType)) })
	if !p.UpdatedAt.IsZero() {
		at := p.UpdatedAt.In(catalog.Zone)
		out.UpdatedAt = &at
	}
	return out
}

func toWeekdays(days []time.Weekday) []gen.Weekday {
	out := make([]gen.Weekday, 0, len(days))
	for _, d := range days {
		out = append(out, gen.Weekday(catalog.WeekdayCode(d)))
	}
	return out
}
