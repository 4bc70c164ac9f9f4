package catalog

import (
	"context"
	"fmt"
	"slices"

	"bilhetagem/internal/errs"
)

// CheckProduct says whether p can stand on the menu (the other products,
// p's earlier version included or not): sizes are named once each; a COMBO
// lists its items, each an active product of the menu that is not a combo,
// in one of that product's sizes, and is sold in one size; any other
// category lists none. A product that an active combo contains must stay
// active and keep the sizes the combo uses. Broken combo rules are
// combo_invalid (422), a size named twice is validation_failed (400).
func CheckProduct(p Product, menu []Product) error {
	var dup []errs.FieldError
	codes := map[string]bool{}
	for i, s := range p.Sizes {
		if codes[s.Code] {
			dup = append(dup, errs.FieldError{Field: fmt.Sprintf("sizes[%d].code", i), Message: fmt.Sprintf("o tamanho %s aparece duas vezes", s.Code)})
		}
		codes[s.Code] = true
		if s.Price < 0 {
			dup = append(dup, errs.FieldError{Field: fmt.Sprintf("sizes[%d].price", i), Message: "o preço não pode ser negativo"})
		}
	}
	if len(dup) > 0 {
		return errs.InvalidFields(dup...)
	}
	byID := make(map[string]Product, len(menu))
	for _, m := range menu {
		if m.ID != p.ID {
			byID[m.ID] = m
		}
	}
	var bad []errs.FieldError
	switch {
	case p.Category == CategoryCombo && len(p.ComboItems) == 0:
		bad = append(bad, errs.FieldError{Field: "comboItems", Message: "um combo precisa listar os produtos que contém"})
	case p.Category != CategoryCombo && len(p.ComboItems) > 0:
		bad = append(bad, errs.FieldError{Field: "comboItems", Message: fmt.Sprintf("só a categoria COMBO lista itens, não %s", p.Category)})
	case p.Category == CategoryCombo && len(p.Sizes) != 1:
		bad = append(bad, errs.FieldError{Field: "sizes", Message: "um combo é vendido em um único tamanho"})
	}
	type line struct{ id, size string }
	seen := map[line]bool{}
	for i, it := range p.ComboItems {
		field := fmt.Sprintf("comboItems[%d]", i)
		item, ok := byID[it.ProductID]
		switch {
		case it.ProductID == p.ID:
			bad = append(bad, errs.FieldError{Field: field, Message: "um combo não pode conter a si mesmo"})
		case !ok || !item.Active:
			bad = append(bad, errs.FieldError{Field: field, Message: fmt.Sprintf("o produto %s não está ativo no cardápio", it.ProductID)})
		case item.IsCombo():
			bad = append(bad, errs.FieldError{Field: field, Message: fmt.Sprintf("%s é um combo; um combo contém produtos", it.ProductID)})
		case !hasSize(item, it.Size):
			bad = append(bad, errs.FieldError{Field: field, Message: fmt.Sprintf("o produto %s não tem o tamanho %s", it.ProductID, it.Size)})
		case seen[line{it.ProductID, it.Size}]:
			bad = append(bad, errs.FieldError{Field: field, Message: fmt.Sprintf("%s %s aparece duas vezes; some as quantidades", it.ProductID, it.Size)})
		}
		seen[line{it.ProductID, it.Size}] = true
	}
	for _, c := range menu {
		if c.ID == p.ID || !c.Active || !c.IsCombo() {
			continue
		}
		for _, it := range c.ComboItems {
			if it.ProductID != p.ID {
				continue
			}
			if !p.Active {
				bad = append(bad, errs.FieldError{Field: "active", Message: fmt.Sprintf("o combo ativo %s contém este produto; desative o combo antes", c.ID)})
			} else if !hasSize(p, it.Size) {
				bad = append(bad, errs.FieldError{Field: "sizes", Message: fmt.Sprintf("o combo ativo %s usa o tamanho %s deste produto", c.ID, it.Size)})
			}
		}
	}
	if len(bad) == 0 {
		return nil
	}
	e := errs.E(errs.Unprocessable, "combo_invalid", bad[0].Message)
	e.Fields = bad
	return e
}

func hasSize(p Product, code string) bool {
	_, ok := p.Size(code)
	return ok
}

// MenuStore is what the back office needs to read and change the menu.
type MenuStore interface {
	ListProducts(ctx context.Context) ([]Product, error)
	// PutProduct creates or replaces a product.
	PutProduct(ctx context.Context, p Product) error
}

// MenuAdmin lists and edits the bomboniere menu (listAdminProducts,
// putProduct). Orders keep the names and prices they were made with, so a
// change reaches new orders only.
type MenuAdmin struct{ Store MenuStore }

// List returns every product, inactive ones included, in menu order, combos
// with their savings.
func (a *MenuAdmin) List(ctx context.Context) ([]MenuItem, error) {
	products, err := a.Store.ListProducts(ctx)
	if err != nil {
		return nil, fmt.Errorf("list products: %w", err)
	}
	return withSavings(products), nil
}

// Put checks p against the menu and creates or replaces it. A size's unit
// cost is not edited here: a replaced product keeps the cost of each size it
// keeps.
func (a *MenuAdmin) Put(ctx context.Context, p Product) (MenuItem, error) {
	menu, err := a.Store.ListProducts(ctx)
	if err != nil {
		return MenuItem{}, fmt.Errorf("put product: %w", err)
	}
	if err := CheckProduct(p, menu); err != nil {
		return MenuItem{}, err
	}
	if i := slices.IndexFunc(menu, func(m Product) bool { return m.ID == p.ID }); i >= 0 {
		for j, s := range p.Sizes {
			if old, ok := menu[i].Size(s.Code); ok {
				p.Sizes[j].Cost = old.Cost
			}
		}
		menu[i] = p
	} else {
		menu = append(menu, p)
	}
	if err := a.Store.PutProduct(ctx, p); err != nil {
		return MenuItem{}, fmt.Errorf("put product: %w", err)
	}
	for _, m := range withSavings(menu) {
		if m.ID == p.ID {
			return m, nil
		}
	}
	return MenuItem{Product: p}, nil
}

// withSavings is the menu in menu order with each combo's savings.
func withSavings(products []Product) []MenuItem {
	byID := make(map[string]Product, len(products))
	for _, p := range products {
		byID[p.ID] = p
	}
	out := make([]MenuItem, 0, len(products))
	for _, p := range products {
		out = append(out, MenuItem{Product: p, Savings: ComboSavings(p, byID)})
	}
	slices.SortStableFunc(out, func(a, b MenuItem) int { return a.SortOrder - b.SortOrder })
	return out
}
