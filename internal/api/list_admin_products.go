package api

import (
	"context"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/catalog"
)

// ListAdminProducts lists the whole menu to staff, inactive products
// included.
type ListAdminProducts struct{ Menu *catalog.MenuAdmin }

func (h ListAdminProducts) Handle(ctx context.Context, _ events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	if _, err := caller(ctx); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	menu, err := h.Menu.List(ctx)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	out := gen.AdminProductList{Items: make([]gen.AdminProduct, 0, len(menu))}
	for _, p := range menu {
		out.Items = append(out.Items, toAdminProduct(p))
	}
	resp := apigw.JSON(http.StatusOK, out)
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}

func toAdminProduct(p catalog.MenuItem) gen.AdminProduct {
	out := gen.AdminProduct{ID: p.ID, Name: p.Name, Description: p.Description, Category: gen.ProductCategory(p.Category),
		Serves: p.Serves, Flavours: p.Flavours, Active: p.Active, SortOrder: p.SortOrder, Sizes: make([]gen.ProductSize, 0, len(p.Sizes))}
	if out.Flavours == nil {
		out.Flavours = []string{}
	}
	for _, s := range p.Sizes {
		out.Sizes = append(out.Sizes, gen.ProductSize{Code: s.Code, Label: s.Label, Price: toMoney(s.Price)})
	}
	if p.IsCombo() {
		combo := gen.Combo{Savings: toMoney(p.Savings), Items: make([]gen.ComboItem, 0, len(p.ComboItems))}
		for _, it := range p.ComboItems {
			combo.Items = append(combo.Items, gen.ComboItem{ProductID: it.ProductID, Size: it.Size, Quantity: it.Quantity})
		}
		out.Combo = &combo
	}
	return out
}
