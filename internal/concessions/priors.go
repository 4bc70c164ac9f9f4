package concessions

import "bilhetagem/internal/catalog"

// Prior is the study's guess, before any order is paid, of the share of
// orders of each segment that take a product. Missing segments fall back to
// SegmentAll.
type Prior struct {
	Rates map[Segment]float64
	// Kids marks a product meant for children; it gets the matinee lift
	// for families and is suggested one per child.
	Kids bool
}

// Priors are the cold-start rates of the ranking.
type Priors struct {
	Products map[string]Prior
	// Category is the prior of a product with no row in Products (a new item
	// on the menu).
	Category map[catalog.ProductCategory]float64
}

// rate is the prior attach rate of a product in a segment.
func (p Priors) rate(prd catalog.Product, s Segment) float64 {
	if row, ok := p.Products[prd.ID]; ok {
		if r, ok := row.Rates[s]; ok {
			return r
		}
		if r, ok := row.Rates[SegmentAll]; ok {
			return r
		}
	}
	if r, ok := p.Category[prd.Category]; ok {
		return r
	}
	return 0.01
}

func (p Priors) kids(id string) bool { return p.Products[id].Kids }

// DefaultPriors are the study's priors for the chain's menu (docs/study.md,
// "Priors do ranking"). They are assumptions shaped by public figures, not
// measurements: about half of the patrons buy something (UCI ◐), popcorn and
// soda dominate (Haway ◐; Cinemark Brazil's best seller is salted popcorn ◐),
// couples share, families with children buy children's items. Per-item attach
// rates were not found in any public source (❌): the chain's paid orders
// replace these numbers as they accrue.
func DefaultPriors() Priors {
	row := func(all, solo, couple, family, group float64) Prior {
		return Prior{Rates: map[Segment]float64{
			SegmentAll: all, SegmentSolo: solo, SegmentCouple: couple, SegmentFamily: family, SegmentGroup: group,
		}}
	}
	kids := func(p Prior) Prior { p.Kids = true; return p }
	return Priors{
		Products: map[string]Prior{
			//                                    all  solo couple family group
			"prd-combo-individual":   row(0.10, 0.14, 0.06, 0.06, 0.10),
			"prd-combo-casal":        row(0.08, 0.01, 0.18, 0.05, 0.08),
			"prd-combo-familia":      row(0.02, 0.00, 0.01, 0.08, 0.08),
			"prd-combo-kids":         kids(row(0.03, 0.01, 0.01, 0.20, 0.01)),
			"prd-combo-doce":         row(0.03, 0.04, 0.04, 0.03, 0.03),
			"prd-combo-mini":         row(0.02, 0.04, 0.01, 0.02, 0.02),
			"prd-combo-hot-dog":      row(0.02, 0.03, 0.02, 0.01, 0.03),
			"prd-pipoca-salgada":     row(0.12, 0.10, 0.12, 0.12, 0.14),
			"prd-pipoca-manteiga":    row(0.05, 0.04, 0.06, 0.04, 0.06),
			"prd-pipoca-doce":        row(0.05, 0.04, 0.06, 0.06, 0.05),
			"prd-refrigerante":       row(0.15, 0.12, 0.16, 0.14, 0.18),
			"prd-agua":               row(0.05, 0.07, 0.05, 0.05, 0.05),
			"prd-suco":               kids(row(0.02, 0.01, 0.01, 0.08, 0.01)),
			"prd-chocolate-ao-leite": row(0.04, 0.05, 0.06, 0.04, 0.04),
			"prd-chocolate-amendoim": row(0.03, 0.04, 0.03, 0.03, 0.03),
			"prd-jujuba":             kids(row(0.02, 0.02, 0.02, 0.06, 0.03)),
			"prd-confeitos":          kids(row(0.02, 0.02, 0.02, 0.06, 0.02)),
			"prd-nachos":             row(0.03, 0.04, 0.04, 0.02, 0.06),
			"prd-cachorro-quente":    row(0.02, 0.03, 0.02, 0.02, 0.03),
		},
		Category: map[catalog.ProductCategory]float64{
			catalog.CategoryCombo:     0.03,
			catalog.CategoryPopcorn:   0.05,
			catalog.CategoryDrink:     0.05,
			catalog.CategoryChocolate: 0.03,
			catalog.CategoryCandy:     0.02,
			catalog.CategorySnack:     0.02,
		},
	}
}
