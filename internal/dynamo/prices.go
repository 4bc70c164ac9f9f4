package dynamo

import (
	"context"

	"bilhetagem/internal/catalog"
)

// Back-office writes of the catalog's prices and menu. Both are whole-item
// replacements of what staff send: the last writer wins, and holds and
// orders already made keep the prices they copied (docs/adr/0600).

// PutPriceTable replaces a cinema's ticket price table.
func (s *Store) PutPriceTable(ctx context.Context, p catalog.PriceTable) error {
	return translate("put price table", s.table.Put(newPricesItem(p)).Run(ctx))
}

// PutProduct creates or replaces a product of the menu; its place in the
// menu's listing (GSI1) follows its sort order.
func (s *Store) PutProduct(ctx context.Context, p catalog.Product) error {
	return translate("put product", s.table.Put(newProductItem(p)).Run(ctx))
}

var (
	_ catalog.PriceTableStore = (*Store)(nil)
	_ catalog.MenuStore       = (*Store)(nil)
)
