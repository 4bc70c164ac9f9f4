package api

import (
	"context"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/stock"
)

// GetStock returns a cinema's bomboniere stock to staff.
type GetStock struct{ Stock *stock.Service }

func (h GetStock) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	if _, err := caller(ctx); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	cinemaID, err := pathParam(req.PathParameters, "cinemaId")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	levels, err := h.Stock.Levels(ctx, cinemaID)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	resp := apigw.JSON(http.StatusOK, toStockLevels(levels))
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}

func toStockLevels(l stock.Levels) gen.StockLevels {
	out := gen.StockLevels{CinemaID: l.CinemaID, Items: make([]gen.StockLine, 0, len(l.Lines))}
	for _, line := range l.Lines {
		g := gen.StockLine{ProductID: line.ProductID, Size: line.Size, Available: line.Available, Reserved: line.Reserved}
		if !line.UpdatedAt.IsZero() {
			at := line.UpdatedAt.In(catalog.Zone)
			g.UpdatedAt = &at
		}
		out.Items = append(out.Items, g)
	}
	return out
}
