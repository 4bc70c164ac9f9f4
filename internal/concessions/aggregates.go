package concessions

import (
	"slices"

	"bilhetagem/internal/catalog"
)

// Counts are the paid orders of one segment and, per product id, how many of
// them had the product (an order with two sodas counts once).
type Counts struct {
	Orders   int
	Products map[string]int
}

// Rate is the observed attach rate of a product: orders with it / orders.
func (c Counts) Rate(productID string) float64 {
	if c.Orders == 0 {
		return 0
	}
	return float64(c.Products[productID]) / float64(c.Orders)
}

// Aggregates are the attach counts learned from paid orders, for every order
// (All) and per segment. They are what the store keeps as counters, one
// increment per paid order (see docs/adr/0202).
type Aggregates struct {
	All      Counts
	Segments map[Segment]Counts
}

// Segment returns the counts of a segment (zero when none were recorded).
func (a Aggregates) Segment(s Segment) Counts {
	if s == SegmentAll {
		return a.All
	}
	return a.Segments[s]
}

// Record counts one paid order of a segment with the product ids it had.
// Repeated ids count once. It is what the store does, with atomic ADDs, when
// an order is paid.
func (a *Aggregates) Record(s Segment, productIDs []string) {
	ids := slices.Clone(productIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	add := func(c Counts) Counts {
		c.Orders++
		if c.Products == nil {
			c.Products = map[string]int{}
		}
		for _, id := range ids {
			c.Products[id]++
		}
		return c
	}
	a.All = add(a.All)
	if s == SegmentAll || !s.Valid() {
		return
	}
	if a.Segments == nil {
		a.Segments = map[Segment]Counts{}
	}
	a.Segments[s] = add(a.Segments[s])
}

// Record adds one paid order to a buyer's history.
func (h *History) Record(productIDs []string, menu map[string]catalog.Product) {
	ids := slices.Clone(productIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	h.Orders++
	if h.Products == nil {
		h.Products = map[string]int{}
	}
	if h.Categories == nil {
		h.Categories = map[catalog.ProductCategory]int{}
	}
	var cats []catalog.ProductCategory
	for _, id := range ids {
		h.Products[id]++
		if p, ok := menu[id]; ok && !slices.Contains(cats, p.Category) {
			cats = append(cats, p.Category)
		}
	}
	for _, c := range cats {
		h.Categories[c]++
	}
}
