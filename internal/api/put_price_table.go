package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/money"
)

// PutPriceTable replaces a cinema's ticket price table. New holds take the
// new prices; holds and orders already made keep theirs.
type PutPriceTable struct {
	Prices *catalog.PriceAdmin
	Now    func() time.Time
}

func (h PutPriceTable) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	if _, err := caller(ctx); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	cinemaID, err := pathParam(req.PathParameters, "cinemaId")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var in gen.PriceTableInput
	if _, err := decodeBody(req, &in); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	table, err := toPriceTableInput(cinemaID, in)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	saved, err := h.Prices.Put(ctx, table, h.Now())
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return apigw.JSON(http.StatusOK, toPriceTable(saved)), nil
}

// toPriceTableInput reads the table staff sent; a seat type with two
// surcharges is refused.
func toPriceTableInput(cinemaID string, in gen.PriceTableInput) (catalog.PriceTable, error) {
	p := catalog.PriceTable{CinemaID: cinemaID, SeatSurcharges: map[catalog.SeatType]money.BRL{}}
	var bad []errs.FieldError
	days := func(field string, ws []gen.Weekday) []time.Weekday {
		out := make([]time.Weekday, 0, len(ws))
		for i, w := range ws {
			d, ok := catalog.ParseWeekday(string(w))
			if !ok {
				bad = append(bad, errs.FieldError{Field: fmt.Sprintf("%s[%d]", field, i), Message: "dia da semana inválido"})
				continue
			}
			out = append(out, d)
		}
		return out
	}
	for i, r := range in.Rules {
		p.Rules = append(p.Rules, catalog.PriceRule{Format: catalog.Format(r.Format), Inteira: money.BRL(r.Inteira.Amount),
			Weekdays: days(fmt.Sprintf("rules[%d].weekdays", i), r.Weekdays)})
	}
	for i, s := range in.SeatSurcharges {
		t := catalog.SeatType(s.SeatType)
		if _, dup := p.SeatSurcharges[t]; dup {
			bad = append(bad, errs.FieldError{Field: fmt.Sprintf("seatSurcharges[%d].seatType", i), Message: fmt.Sprintf("%s já tem adicional", t)})
			continue
		}
		p.SeatSurcharges[t] = money.BRL(s.Amount.Amount)
	}
	p.PromoWeekdays = days("promoWeekdays", in.PromoWeekdays)
	if len(bad) > 0 {
		return catalog.PriceTable{}, errs.InvalidFields(bad...)
	}
	return p, nil
}
