package concessions

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/money"
)

// Ranker ranks the menu for a hold. The zero value is not useful; start from
// NewRanker.
type Ranker struct {
	Priors Priors
	// PriorWeight is how many paid orders the prior is worth: a segment's
	// rate is (orders with the product + PriorWeight × prior) /
	// (orders + PriorWeight). After PriorWeight orders of a segment the data
	// weighs as much as the study.
	PriorWeight float64
	// PersonalWeight is how many of the buyer's own orders the contextual
	// rate is worth when it is blended with the buyer's history.
	PersonalWeight float64
	// CategoryShare is how much buying another product of the same category
	// counts towards a product in the buyer's history (0 to 1).
	CategoryShare float64
	// MarginWeight is the exponent of the margin factor
	// (margin / ReferenceMargin)^MarginWeight: 0 ranks by likelihood only,
	// 1 by expected margin.
	MarginWeight    float64
	ReferenceMargin money.BRL
	// MinEvidence is how many paid orders a segment needs before a reason
	// quotes its observed share ("Escolhido em 23% dos pedidos de casais").
	MinEvidence int
}

// NewRanker is the ranking with the study's priors and the weights of
// docs/adr/0201.
func NewRanker() Ranker {
	return Ranker{
		Priors:          DefaultPriors(),
		PriorWeight:     100,
		PersonalWeight:  3,
		CategoryShare:   0.25,
		MarginWeight:    0.25,
		ReferenceMargin: 2000,
		MinEvidence:     200,
	}
}

// DefaultLimit is how many recommendations a hold gets unless asked.
const DefaultLimit = 5

// Context lifts. They are the study's hypotheses (docs/study.md, "Quais
// produtos listar primeiro"), multiplied on top of the learned segment rate;
// none of them is measured yet.
const (
	liftKidsMatinee = 1.6
	liftKidsEvening = 1.2
	liftGenre       = 1.3
	liftAction      = 1.15
	liftLongMovie   = 1.25
	liftDinner      = 1.25
	liftPremium     = 1.1
	liftPromoCombo  = 1.15
	// longMovie is the runtime, in minutes, from which drinks are lifted.
	longMovie = 140
	// dinnerFrom and dinnerTo bound the São Paulo start hours of a session
	// at dinner time.
	dinnerFrom, dinnerTo = 18, 21
	// coveredCategory multiplies a product of a category already in the
	// cart; coveredCombo a combo with an item of such a category.
	coveredCategory = 0.3
	coveredCombo    = 0.5
	// maxRate keeps a blended rate a probability.
	maxRate = 0.95
	// historyReason is the personal lift from which the reason is the
	// buyer's habit.
	historyReason = 1.5
	// contextReason is the smallest context lift worth a reason.
	contextReason = 1.1
)

type candidate struct {
	prd    catalog.Product
	rec    Recommendation
	pCtx   float64
	pPers  float64
	lift   float64
	reason string
}

// Rank orders the menu for the hold, best first, at most limit items
// (DefaultLimit when limit < 1). A bundle suggestion — the combo that
// replaces products already selected for less — comes first. Selected
// products, inactive products and anything out of stock are never returned.
// The same input always gives the same output.
func (r Ranker) Rank(in Input, limit int) []Recommendation {
	if limit < 1 {
		limit = DefaultLimit
	}
	f := FeaturesOf(in.Party, in.Movie, in.Showtime)
	byID := index(in.Menu)
	selected := map[string]bool{}
	for _, id := range in.Selected {
		selected[id] = true
	}
	covered := coveredCategories(in.Selected, byID)

	var out []Recommendation
	bundle, hasBundle := r.bundle(in, f, byID, selected)
	if hasBundle {
		out = append(out, bundle)
	}

	var cands []candidate
	for _, p := range in.Menu {
		if !p.Active || selected[p.ID] || !available(p, in.Stock) || (hasBundle && p.ID == bundle.ProductID) {
			continue
		}
		cands = append(cands, r.score(p, f, in, byID, covered))
	}
	sortCandidates(cands)
	for _, c := range cands {
		if len(out) == limit {
			break
		}
		out = append(out, c.rec)
	}
	return out
}

// Popular is the static popularity order: every active product in stock by
// its attach rate over all paid orders (the study's prior blended with the
// data, no context, no history, no margin). It is the POPULARITY strategy,
// for when a hold cannot be ranked, and the baseline of the offline
// evaluation.
func (r Ranker) Popular(menu []catalog.Product, agg Aggregates, stock map[string]int, limit int) []Recommendation {
	if limit < 1 {
		limit = DefaultLimit
	}
	byID := index(menu)
	var cands []candidate
	for _, p := range menu {
		if !p.Active || !available(p, stock) {
			continue
		}
		rate := r.blend(agg.All.Products[p.ID], agg.All.Orders, r.Priors.rate(p, SegmentAll))
		size := defaultSize(p)
		reason := "Um clássico do cinema."
		if agg.All.Orders >= r.MinEvidence {
			if pct := percent(agg.All.Rate(p.ID)); pct >= 1 {
				reason = fmt.Sprintf("Escolhido em %d%% dos pedidos.", pct)
			}
		}
		cands = append(cands, candidate{prd: p, rec: Recommendation{
			ProductID: p.ID, Name: p.Name, Category: p.Category, Size: size.Code, Quantity: 1,
			UnitPrice: size.Price, Score: rate, Reason: reason, Savings: catalog.ComboSavings(p, byID),
		}})
	}
	sortCandidates(cands)
	out := make([]Recommendation, 0, min(limit, len(cands)))
	for _, c := range cands[:min(limit, len(cands))] {
		out = append(out, c.rec)
	}
	return out
}

// score is the chain of blends for one product.
func (r Ranker) score(p catalog.Product, f Features, in Input, byID map[string]catalog.Product, covered map[catalog.ProductCategory]bool) candidate {
	c := candidate{prd: p}

	// 1. The overall rate: prior blended with every paid order.
	priorAll := r.Priors.rate(p, SegmentAll)
	all := in.Aggregates.All
	pAll := r.blend(all.Products[p.ID], all.Orders, priorAll)
	// 2. The segment's prior, corrected by what the overall data says of
	// the study's prior, blended with the segment's paid orders.
	priorSeg := r.Priors.rate(p, f.Segment)
	if priorAll > 0 {
		priorSeg = math.Min(priorSeg*pAll/priorAll, maxRate)
	}
	seg := in.Aggregates.Segment(f.Segment)
	pSeg := r.blend(seg.Products[p.ID], seg.Orders, priorSeg)
	// 3. The context of this showtime.
	lift, liftReason := r.contextLift(p, f, byID)
	c.pCtx = math.Min(pSeg*lift, maxRate)
	c.lift, c.reason = lift, liftReason
	// 4. The buyer's own habit, with the contextual rate as its prior.
	c.pPers = c.pCtx
	h := in.History
	if h.Orders > 0 {
		own := float64(h.Products[p.ID])
		if other := float64(h.Categories[p.Category]) - own; other > 0 {
			own += r.CategoryShare * other
		}
		c.pPers = (own + r.PersonalWeight*c.pCtx) / (float64(h.Orders) + r.PersonalWeight)
	}
	// 5. What is already in the cart makes its category less needed.
	cover := 1.0
	if covered[p.Category] {
		cover = coveredCategory
	} else if p.IsCombo() && comboTouches(p, byID, covered) {
		cover = coveredCombo
	}

	size := r.size(p, f)
	c.rec = Recommendation{
		ProductID: p.ID, Name: p.Name, Category: p.Category, Size: size.Code,
		Quantity: r.quantity(p, f), UnitPrice: size.Price,
		Score:   c.pPers * cover * r.marginFactor(size),
		Savings: catalog.ComboSavings(p, byID),
	}
	c.rec.Reason = r.reason(c, f, in, seg)
	return c
}

// blend is the Beta-Binomial posterior mean of an attach rate: observed
// orders with the product plus weight pseudo-orders at the prior rate.
func (r Ranker) blend(with, orders int, prior float64) float64 {
	w := r.PriorWeight
	if orders <= 0 && w <= 0 {
		return prior
	}
	return math.Min((float64(with)+w*prior)/(float64(orders)+w), 1)
}

func (r Ranker) marginFactor(s catalog.Size) float64 {
	if r.MarginWeight == 0 || r.ReferenceMargin <= 0 {
		return 1
	}
	m := s.Price - s.Cost
	if m < 1 {
		m = 1
	}
	return math.Pow(float64(m)/float64(r.ReferenceMargin), r.MarginWeight)
}

// contextLift multiplies the study's context hypotheses that apply to the
// product and returns the reason of the strongest one.
func (r Ranker) contextLift(p catalog.Product, f Features, byID map[string]catalog.Product) (float64, string) {
	has := func(c catalog.ProductCategory) bool { return containsCategory(p, byID, c) }
	lift, best, reason := 1.0, 1.0, ""
	apply := func(factor float64, text string) {
		lift *= factor
		if factor > best {
			best, reason = factor, text
		}
	}
	if r.Priors.kids(p.ID) && f.Kids > 0 {
		if f.matinee() {
			apply(liftKidsMatinee, "Sessão em família à tarde: pensado para as crianças.")
		} else {
			apply(liftKidsEvening, "Pensado para as crianças da sessão.")
		}
	}
	if f.hasGenre("Terror", "Suspense") && (p.Category == catalog.CategoryCandy || p.Category == catalog.CategoryChocolate) {
		apply(liftGenre, "Um doce para encarar o suspense.")
	}
	if f.hasGenre("Romance", "Drama") && has(catalog.CategoryChocolate) {
		apply(liftGenre, "Chocolate combina com romance e drama.")
	}
	if f.hasGenre("Ação", "Ficção científica", "Aventura") && has(catalog.CategoryPopcorn) {
		apply(liftAction, "Filme de ação pede pipoca.")
	}
	if f.Runtime >= longMovie && p.Category == catalog.CategoryDrink {
		apply(liftLongMovie, fmt.Sprintf("O filme tem %dh%02d: leve algo para beber.", f.Runtime/60, f.Runtime%60))
	}
	if f.Hour >= dinnerFrom && f.Hour <= dinnerTo && has(catalog.CategorySnack) {
		apply(liftDinner, "Sessão na hora do jantar: um lanche quente.")
	}
	if (f.Format == catalog.FormatIMAX || f.Format == catalog.Format3D) && p.IsCombo() {
		apply(liftPremium, fmt.Sprintf("Sessão %s pede o combo completo.", f.Format))
	}
	if f.Weekday == time.Tuesday && p.IsCombo() {
		if s := catalog.ComboSavings(p, byID); s > 0 {
			apply(liftPromoCombo, fmt.Sprintf("Terça promocional: o combo economiza %s.", s))
		}
	}
	return lift, reason
}

// reason picks the buyer-facing text: the buyer's habit, a combo sized for
// the party, the strongest context, the observed share of the segment, the
// combo's saving, or a plain default, in that order.
func (r Ranker) reason(c candidate, f Features, in Input, seg Counts) string {
	p := c.prd
	if n := in.History.Products[p.ID]; n > 0 && c.pCtx > 0 && c.pPers/c.pCtx >= historyReason {
		if n == 1 {
			return fmt.Sprintf("Você levou %s no seu último pedido com a gente.", p.Name)
		}
		return fmt.Sprintf("Você já levou %s em %d pedidos.", p.Name, n)
	}
	savings := c.rec.Savings
	if p.IsCombo() && p.Serves >= 2 && p.Serves == f.Party && savings > 0 {
		return fmt.Sprintf("Combo para %d economiza %s.", p.Serves, savings)
	}
	if c.reason != "" && c.lift >= contextReason {
		return c.reason
	}
	if seg.Orders >= r.MinEvidence {
		if pct := percent(seg.Rate(p.ID)); pct >= 1 {
			return fmt.Sprintf("Escolhido em %d%% dos pedidos de %s.", pct, f.Segment.Label())
		}
	}
	if savings > 0 {
		return fmt.Sprintf("Economiza %s em relação aos itens avulsos.", savings)
	}
	switch p.Category {
	case catalog.CategoryPopcorn:
		return "Pipoca estourada na hora, o clássico do cinema."
	case catalog.CategoryDrink:
		return "Para acompanhar o filme."
	}
	return "Sugestão para a sua sessão."
}

// bundle finds the combo made only of selected products that saves money,
// the one whose size best fits the party first.
func (r Ranker) bundle(in Input, f Features, byID map[string]catalog.Product, selected map[string]bool) (Recommendation, bool) {
	type option struct {
		combo    catalog.Product
		savings  money.BRL
		replaces []string
	}
	var best *option
	better := func(a, b option) bool { // a before b
		fa, fb := abs(a.combo.Serves-f.Party), abs(b.combo.Serves-f.Party)
		if fa != fb {
			return fa < fb
		}
		if a.savings != b.savings {
			return a.savings > b.savings
		}
		if a.combo.SortOrder != b.combo.SortOrder {
			return a.combo.SortOrder < b.combo.SortOrder
		}
		return a.combo.ID < b.combo.ID
	}
	for _, p := range in.Menu {
		if !p.IsCombo() || !p.Active || selected[p.ID] || !available(p, in.Stock) {
			continue
		}
		var parts []string
		ok := true
		for _, it := range p.ComboItems {
			if !selected[it.ProductID] {
				ok = false
				break
			}
			parts = append(parts, it.ProductID)
		}
		if !ok {
			continue
		}
		savings := catalog.ComboSavings(p, byID)
		if savings <= 0 {
			continue
		}
		slices.Sort(parts)
		o := option{combo: p, savings: savings, replaces: slices.Compact(parts)}
		if best == nil || better(o, *best) {
			best = &o
		}
	}
	if best == nil {
		return Recommendation{}, false
	}
	p := best.combo
	size := p.Sizes[0]
	reason := fmt.Sprintf("%s economiza %s em relação aos itens avulsos.", p.Name, best.savings)
	if p.Serves >= 2 {
		reason = fmt.Sprintf("Combo para %d economiza %s.", p.Serves, best.savings)
	}
	c := r.score(p, f, in, byID, nil)
	return Recommendation{
		ProductID: p.ID, Name: p.Name, Category: p.Category, Size: size.Code, Quantity: r.quantity(p, f),
		UnitPrice: size.Price, Score: c.rec.Score, Reason: reason, Savings: best.savings, Replaces: best.replaces,
	}, true
}

// size is the suggested size: popcorn to share for a party, the middle one
// otherwise.
func (r Ranker) size(p catalog.Product, f Features) catalog.Size {
	if p.Category == catalog.CategoryPopcorn && f.Party >= 2 {
		if s, ok := p.Size("G"); ok {
			return s
		}
	}
	return defaultSize(p)
}

// quantity is one per child for children's items, enough combos for the
// party, a drink each, one otherwise.
func (r Ranker) quantity(p catalog.Product, f Features) int {
	const most = 10
	switch {
	case r.Priors.kids(p.ID) && f.Kids > 0:
		return min(f.Kids, most)
	case p.IsCombo() && p.Serves >= 2:
		return max(1, min(f.Party/p.Serves, most))
	case p.Category == catalog.CategoryDrink:
		return min(f.Party, most)
	}
	return 1
}

func defaultSize(p catalog.Product) catalog.Size {
	if s, ok := p.Size("M"); ok {
		return s
	}
	if len(p.Sizes) == 0 {
		return catalog.Size{}
	}
	return p.Sizes[len(p.Sizes)/2]
}

func sortCandidates(cs []candidate) {
	slices.SortStableFunc(cs, func(a, b candidate) int {
		if c := cmp.Compare(b.rec.Score, a.rec.Score); c != 0 {
			return c
		}
		if c := cmp.Compare(a.prd.SortOrder, b.prd.SortOrder); c != 0 {
			return c
		}
		return strings.Compare(a.prd.ID, b.prd.ID)
	})
}

func index(menu []catalog.Product) map[string]catalog.Product {
	m := make(map[string]catalog.Product, len(menu))
	for _, p := range menu {
		m[p.ID] = p
	}
	return m
}

// available reports whether the product, and every item of a combo, is in
// stock.
func available(p catalog.Product, stock map[string]int) bool {
	if n, ok := stock[p.ID]; ok && n <= 0 {
		return false
	}
	for _, it := range p.ComboItems {
		if n, ok := stock[it.ProductID]; ok && n < it.Quantity {
			return false
		}
	}
	return len(p.Sizes) > 0
}

func coveredCategories(selected []string, byID map[string]catalog.Product) map[catalog.ProductCategory]bool {
	out := map[catalog.ProductCategory]bool{}
	for _, id := range selected {
		p, ok := byID[id]
		if !ok {
			continue
		}
		if !p.IsCombo() {
			out[p.Category] = true
			continue
		}
		for _, it := range p.ComboItems {
			if part, ok := byID[it.ProductID]; ok {
				out[part.Category] = true
			}
		}
	}
	return out
}

func containsCategory(p catalog.Product, byID map[string]catalog.Product, c catalog.ProductCategory) bool {
	if p.Category == c {
		return true
	}
	for _, it := range p.ComboItems {
		if part, ok := byID[it.ProductID]; ok && part.Category == c {
			return true
		}
	}
	return false
}

func comboTouches(p catalog.Product, byID map[string]catalog.Product, covered map[catalog.ProductCategory]bool) bool {
	for c := range covered {
		if containsCategory(p, byID, c) {
			return true
		}
	}
	return false
}

func percent(rate float64) int { return int(math.Round(rate * 100)) }

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
