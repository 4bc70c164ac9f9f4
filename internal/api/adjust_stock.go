package api

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/stock"
)

// AdjustStock counts a delivery in or writes stock off, all lines or none.
type AdjustStock struct {
	Stock *stock.Service
	Now   func() time.Time
}

func (h AdjustStock) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	if _, err := caller(ctx); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	cinemaID, err := pathParam(req.PathParameters, "cinemaId")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var in gen.StockAdjustment
	if _, err := decodeBody(req, &in); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	adj := make([]stock.Adjustment, 0, len(in.Items))
	for _, it := range in.Items {
		adj = append(adj, stock.Adjustment{Key: stock.Key{ProductID: it.ProductID, Size: it.Size}, Delta: it.Delta})
	}
	levels, err := h.Stock.Adjust(ctx, cinemaID, adj, in.Reason, h.Now())
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return apigw.JSON(http.StatusOK, toStockLevels(levels)), nil
}
