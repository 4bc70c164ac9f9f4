package api

import (
	"context"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/money"
)

// PutProduct creates or replaces a product or combo of the menu.
type PutProduct struct{ Menu *catalog.MenuAdmin }

func (h PutProduct) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	if _, err := caller(ctx); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	id, err := pathParam(req.PathParameters, "productId")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var in gen.ProductInput
	if _, err := decodeBody(req, &in); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	saved, err := h.Menu.Put(ctx, toProduct(id, in))
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return apigw.JSON(http.StatusOK, toAdminProduct(saved)), nil
}

func toProduct(id string, in gen.ProductInput) catalog.Product {
	p := catalog.Product{ID: id, Name: in.Name, Description: in.Description, Category: catalog.ProductCategory(in.Category),
		Flavours: in.Flavours, Serves: in.Serves, Active: in.Active, SortOrder: in.SortOrder}
	for _, s := range in.Sizes {
		p.Sizes = append(p.Sizes, catalog.Size{Code: s.Code, Label: s.Label, Price: money.BRL(s.Price.Amount)})
	}
	if in.ComboItems != nil {
		for _, it := range *in.ComboItems {
			p.ComboItems = append(p.ComboItems, catalog.ComboItem{ProductID: it.ProductID, Size: it.Size, Quantity: it.Quantity})
		}
	}
	return p
}
