package catalog_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
)

func TestCheckProduct(t *testing.T) {
	t.Parallel()
	menu := []catalog.Product{
		{ID: "pipoca", Category: catalog.CategoryPopcorn, Active: true, Sizes: []catalog.Size{{Code: "P", Price: 1900}, {Code: "G", Price: 2300}}},
		{ID: "refri", Category: catalog.CategoryDrink, Active: true, Sizes: []catalog.Size{{Code: "M", Price: 1600}}},
		{ID: "bala", Category: catalog.CategoryCandy, Active: false, Sizes: []catalog.Size{{Code: "UN", Price: 500}}},
		{ID: "combo", Category: catalog.CategoryCombo, Active: true, Sizes: []catalog.Size{{Code: "UN", Price: 4800}},
			ComboItems: []catalog.ComboItem{{ProductID: "pipoca", Size: "G", Quantity: 1}, {ProductID: "refri", Size: "M", Quantity: 2}}},
	}
	un := []catalog.Size{{Code: "UN", Price: 3000}}
	combo := func(items ...catalog.ComboItem) catalog.Product {
		return catalog.Product{ID: "novo", Category: catalog.CategoryCombo, Active: true, Sizes: un, ComboItems: items}
	}
	cases := []struct {
		name string
		p    catalog.Product
		code string
	}{
		{"a product with distinct sizes is fine", catalog.Product{ID: "novo", Category: catalog.CategorySnack, Active: true, Sizes: un}, ""},
		{"a combo of active sizes of the menu is fine", combo(catalog.ComboItem{ProductID: "pipoca", Size: "P", Quantity: 1}), ""},
		{"a combo with no items is invalid", combo(), "combo_invalid"},
		{"a product that is not a combo with items is invalid",
			catalog.Product{ID: "novo", Category: catalog.CategorySnack, Active: true, Sizes: un, ComboItems: []catalog.ComboItem{{ProductID: "pipoca", Size: "P", Quantity: 1}}}, "combo_invalid"},
		{"a combo of an inactive product is invalid", combo(catalog.ComboItem{ProductID: "bala", Size: "UN", Quantity: 1}), "combo_invalid"},
		{"a combo of an unknown product is invalid", combo(catalog.ComboItem{ProductID: "churros", Size: "UN", Quantity: 1}), "combo_invalid"},
		{"a combo of a size the product lacks is invalid", combo(catalog.ComboItem{ProductID: "pipoca", Size: "M", Quantity: 1}), "combo_invalid"},
		{"a combo of a combo is invalid", combo(catalog.ComboItem{ProductID: "combo", Size: "UN", Quantity: 1}), "combo_invalid"},
		{"a combo naming a line twice is invalid",
			combo(catalog.ComboItem{ProductID: "pipoca", Size: "P", Quantity: 1}, catalog.ComboItem{ProductID: "pipoca", Size: "P", Quantity: 1}), "combo_invalid"},
		{"a combo in two sizes is invalid", catalog.Product{ID: "novo", Category: catalog.CategoryCombo, Active: true,
			Sizes: []catalog.Size{{Code: "M"}, {Code: "G"}}, ComboItems: []catalog.ComboItem{{ProductID: "pipoca", Size: "P", Quantity: 1}}}, "combo_invalid"},
		{"deactivating a product an active combo contains is invalid",
			catalog.Product{ID: "refri", Category: catalog.CategoryDrink, Active: false, Sizes: []catalog.Size{{Code: "M"}}}, "combo_invalid"},
		{"dropping a size an active combo uses is invalid",
			catalog.Product{ID: "pipoca", Category: catalog.CategoryPopcorn, Active: true, Sizes: []catalog.Size{{Code: "P"}}}, "combo_invalid"},
		{"deactivating a product no combo contains is fine",
			catalog.Product{ID: "bala", Category: catalog.CategoryCandy, Active: false, Sizes: []catalog.Size{{Code: "UN"}}}, ""},
		{"a size named twice is invalid", catalog.Product{ID: "novo", Category: catalog.CategorySnack, Active: true,
			Sizes: []catalog.Size{{Code: "UN"}, {Code: "UN"}}}, "validation_failed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := catalog.CheckProduct(c.p, menu)
			if c.code == "" {
				require.NoError(t, err)
				return
			}
			e, ok := errs.As(err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, c.code, e.Code)
		})
	}
}
