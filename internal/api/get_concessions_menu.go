package api

import (
	"context"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/catalog"
)

// GetConcessionsMenu lists the bomboniere menu with combo savings.
type GetConcessionsMenu struct{ Catalog *catalog.Service }

func (h GetConcessionsMenu) Handle(ctx context.Context, _ events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	menu, err := h.Catalog.Menu(ctx)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	out := gen.ConcessionsMenu{Items: make([]gen.Product, 0, len(menu))}
	for _, p := range menu {
		gp := gen.Product{ID: p.ID, Name: p.Name, Description: p.Description, Category: gen.ProductCategory(p.Category),
			Serves: p.Serves, Flavours: p.Flavours, Sizes: make([]gen.ProductSize, 0, len(p.Sizes))}
		if gp.Flavours == nil {
			gp.Flavours = []string{}
		}
		for _, s := range p.Sizes {
			gp.Sizes = append(gp.Sizes, gen.ProductSize{Code: s.Code, Label: s.Label, Price: toMoney(s.Price)})
		}
		if p.IsCombo() {
			combo := gen.Combo{Savings: toMoney(p.Savings), Items: make([]gen.ComboItem, 0, len(p.ComboItems))}
			for _, it := range p.ComboItems {
				combo.Items = append(combo.Items, gen.ComboItem{ProductID: it.ProductID, Size: it.Size, Quantity: it.Quantity})
			}
			gp.Combo = &combo
		}
		out.Items = append(out.Items, gp)
	}
	return apigw.JSON(http.StatusOK, out), nil
}
