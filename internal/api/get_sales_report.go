package api

import (
	"context"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/reports"
)

// GetSalesReport answers tickets against the bomboniere per cinema and day,
// as JSON or, with format=csv, as CSV.
type GetSalesReport struct {
	Reports *reports.Service
}

func (h GetSalesReport) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	q := req.QueryStringParameters
	from, err := catalog.ParseDate(q["from"])
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, errs.InvalidFields(errs.FieldError{Field: "from", Message: "use o formato AAAA-MM-DD"})
	}
	to, err := catalog.ParseDate(q["to"])
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, errs.InvalidFields(errs.FieldError{Field: "to", Message: "use o formato AAAA-MM-DD"})
	}
	r, err := h.Reports.Sales(ctx, q["cinemaId"], from, to)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	if q["format"] == "csv" {
		name := "vendas-" + from.String() + "-a-" + to.String() + ".csv"
		return events.APIGatewayV2HTTPResponse{
			StatusCode: http.StatusOK,
			Headers: map[string]string{
				"Content-Type":        "text/csv; charset=utf-8",
				"Content-Disposition": `attachment; filename="` + name + `"`,
			},
			Body: string(reports.CSV(r)),
		}, nil
	}
	return apigw.JSON(http.StatusOK, toSalesReport(r)), nil
}

func toSalesReport(r reports.Report) gen.SalesReport {
	out := gen.SalesReport{From: toDate(r.From), To: toDate(r.To), MeiaCapPercent: reports.MeiaCapPercent,
		Days: make([]gen.SalesReportDay, 0, len(r.Days)), Totals: toSalesFigures(r.Totals),
		TopProducts: make([]gen.TopProduct, 0, len(r.TopProducts))}
	if r.CinemaID != "" {
		id := r.CinemaID
		out.CinemaID = &id
	}
	for _, d := range r.Days {
		f := toSalesFigures(d.Figures)
		out.Days = append(out.Days, gen.SalesReportDay{CinemaID: d.CinemaID, Date: toDate(d.Date),
			TicketsSold: f.TicketsSold, Capacity: f.Capacity, OccupancyPercent: f.OccupancyPercent,
			TicketRevenue: f.TicketRevenue, Orders: f.Orders, OrdersWithConcessions: f.OrdersWithConcessions,
			AttachRatePercent: f.AttachRatePercent, ConcessionItems: f.ConcessionItems, ItemsPerTicket: f.ItemsPerTicket,
			ConcessionsRevenue: f.ConcessionsRevenue, MeiaTickets: f.MeiaTickets, MeiaSharePercent: f.MeiaSharePercent,
			ConcessionItemsPickedUp: f.ConcessionItemsPickedUp, ConcessionItemsNotPickedUp: f.ConcessionItemsNotPickedUp})
	}
	for _, p := range r.TopProducts {
		out.TopProducts = append(out.TopProducts, gen.TopProduct{ProductID: p.ProductID, Name: p.Name,
			Quantity: p.Quantity, Revenue: toMoney(p.Revenue)})
	}
	return out
}

func toSalesFigures(f reports.Figures) gen.SalesFigures {
	return gen.SalesFigures{
		TicketsSold: f.Tickets, Capacity: f.Capacity, OccupancyPercent: float32(f.OccupancyPercent),
		TicketRevenue: toMoney(f.TicketRevenue), Orders: f.Orders, OrdersWithConcessions: f.OrdersWithConcessions,
		AttachRatePercent: float32(f.AttachRatePercent), ConcessionItems: f.ConcessionItems,
		ItemsPerTicket: float32(f.ItemsPerTicket), ConcessionsRevenue: toMoney(f.ConcessionsRevenue),
		MeiaTickets: f.Meia, MeiaSharePercent: float32(f.MeiaSharePercent),
		ConcessionItemsPickedUp: f.ConcessionItemsPickedUp, ConcessionItemsNotPickedUp: f.ConcessionItemsNotPickedUp,
	}
}
