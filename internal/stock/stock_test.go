package stock_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/stock"
)

var menu = []catalog.Product{
	{ID: "pipoca", Category: catalog.CategoryPopcorn, Active: true, Sizes: []catalog.Size{{Code: "P"}, {Code: "G"}}},
	{ID: "refri", Category: catalog.CategoryDrink, Active: true, Sizes: []catalog.Size{{Code: "M"}}},
	{ID: "combo-casal", Category: catalog.CategoryCombo, Active: true, Sizes: []catalog.Size{{Code: "UN"}},
		ComboItems: []catalog.ComboItem{{ProductID: "pipoca", Size: "G", Quantity: 1}, {ProductID: "refri", Size: "M", Quantity: 2}}},
}

func TestDemand(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		lines []stock.Want
		want  map[stock.Key]int
	}{
		{"a product takes its own size", []stock.Want{{"pipoca", "P", 3}},
			map[stock.Key]int{{"pipoca", "P"}: 3}},
		{"a combo takes its items times the units of each", []stock.Want{{"combo-casal", "UN", 2}},
			map[stock.Key]int{{"pipoca", "G"}: 2, {"refri", "M"}: 4}},
		{"lines of the same size add up, a combo's items included", []stock.Want{{"combo-casal", "UN", 1}, {"pipoca", "G", 2}, {"refri", "M", 1}},
			map[stock.Key]int{{"pipoca", "G"}: 3, {"refri", "M"}: 3}},
		{"no lines take nothing", nil, map[stock.Key]int{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, stock.Demand(c.lines, menu))
		})
	}
	t.Run("keys come in product and size order", func(t *testing.T) {
		d := stock.Demand([]stock.Want{{"refri", "M", 1}, {"pipoca", "P", 1}, {"pipoca", "G", 1}}, menu)
		assert.Equal(t, []stock.Key{{"pipoca", "G"}, {"pipoca", "P"}, {"refri", "M"}}, stock.Keys(d))
	})
}

func TestNext(t *testing.T) {
	t.Parallel()
	type result struct {
		move stock.Move
		to   stock.State
	}
	want := map[stock.State]map[orders.Status]result{
		stock.Reserved: {
			orders.Paid: {stock.MoveSell, stock.Sold}, orders.Expired: {stock.MoveRelease, stock.Returned},
			orders.Failed: {stock.MoveRelease, stock.Returned}, orders.Cancelled: {stock.MoveRelease, stock.Returned},
			orders.Refunded: {stock.MoveRelease, stock.Returned},
		},
		stock.Sold: {
			orders.Cancelled: {stock.MoveRestock, stock.Returned}, orders.Refunded: {stock.MoveRestock, stock.Returned},
		},
	}
	for _, s := range []stock.State{stock.Reserved, stock.Sold, stock.Returned} {
		for _, to := range orders.Statuses {
			exp, ok := want[s][to]
			if !ok {
				exp = result{stock.MoveNone, s}
			}
			name := string(s) + " on " + string(to) + " moves " + string(exp.move)
			if exp.move == stock.MoveNone {
				name = string(s) + " on " + string(to) + " moves nothing"
			}
			t.Run(name, func(t *testing.T) {
				move, next := stock.Next(s, to)
				assert.Equal(t, exp, result{move, next})
			})
		}
	}
}

func TestCheckAdjustments(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		adj  []stock.Adjustment
		kind errs.Kind
		code string
	}{
		{"a delivery and a write-off of sizes on the menu are fine", []stock.Adjustment{{stock.Key{"pipoca", "P"}, 10}, {stock.Key{"refri", "M"}, -2}}, 0, ""},
		{"a product not on the menu is unavailable", []stock.Adjustment{{stock.Key{"churros", "UN"}, 1}}, errs.Unprocessable, "product_unavailable"},
		{"a size the product lacks is unavailable", []stock.Adjustment{{stock.Key{"pipoca", "M"}, 1}}, errs.Unprocessable, "product_unavailable"},
		{"a combo has no stock of its own", []stock.Adjustment{{stock.Key{"combo-casal", "UN"}, 1}}, errs.Unprocessable, "product_unavailable"},
		{"a line named twice is invalid", []stock.Adjustment{{stock.Key{"pipoca", "P"}, 1}, {stock.Key{"pipoca", "P"}, 2}}, errs.Invalid, "validation_failed"},
		{"a zero delta is invalid", []stock.Adjustment{{stock.Key{"pipoca", "P"}, 0}}, errs.Invalid, "validation_failed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := stock.CheckAdjustments(c.adj, menu)
			if c.code == "" {
				require.NoError(t, err)
				return
			}
			e, ok := errs.As(err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, c.kind, e.Kind)
			assert.Equal(t, c.code, e.Code)
		})
	}
}
