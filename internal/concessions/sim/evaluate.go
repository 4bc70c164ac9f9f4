package sim

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/concessions"
	"bilhetagem/internal/money"
)

// K is the cut-off of the metrics: the upsell step shows three products
// above the fold on a phone.
const K = 3

// Result is one strategy's metrics on the test orders.
type Result struct {
	Strategy string
	// HitRate is the share of test orders with concessions that bought at
	// least one of the K products shown first.
	HitRate float64
	// RevenuePerOrder is, per test order (with or without concessions), the
	// bomboniere revenue of the lines whose product was among the first K:
	// the revenue the list "explains". It is not a counterfactual uplift.
	RevenuePerOrder money.BRL
	// CapturedShare is that revenue over all the bomboniere revenue of the
	// test orders.
	CapturedShare float64
}

// Report is an evaluation: the split, what the synthetic data looks like,
// and the results per strategy.
type Report struct {
	TrainOrders, TestOrders int
	Split                   time.Time
	// AttachRate is the share of all orders with concessions.
	AttachRate float64
	// PopcornSodaShare is the share of bomboniere revenue in popcorn, soda
	// and combos containing them.
	PopcornSodaShare float64
	// Basket is the mean bomboniere revenue of an order with concessions.
	Basket  money.BRL
	Results []Result
}

// Strategy names, in the order of the report.
const (
	StrategyMenu       = "Cardápio (ordem fixa)"
	StrategyPopularity = "Popularidade (treino)"
	StrategyPriors     = "Ranking só com priors"
	StrategyNoHistory  = "Ranking sem histórico"
	StrategyFull       = "Ranking completo"
)

// Evaluate splits the orders by payment time — the first trainShare of them
// train, the rest test — learns the attach aggregates from the training
// orders and measures each strategy on every test order. A buyer's history
// for a test order is every order the buyer paid before it, as the product
// would know it; the aggregates stay as learned at the split.
func Evaluate(orders []Order, menu []catalog.Product, ranker concessions.Ranker, trainShare float64) Report {
	orders = slices.Clone(orders)
	slices.SortStableFunc(orders, func(a, b Order) int { return a.PaidAt.Compare(b.PaidAt) })
	var rep Report
	if len(orders) == 0 {
		return rep
	}
	cut := int(float64(len(orders)) * clamp(trainShare, 0, 1))
	cut = min(max(cut, 0), len(orders)-1)
	rep.Split = orders[cut].PaidAt
	byID := map[string]catalog.Product{}
	for _, p := range menu {
		byID[p.ID] = p
	}
	rep.describe(orders, byID)

	var agg concessions.Aggregates
	histories := map[string]*concessions.History{}
	history := func(buyer string) *concessions.History {
		h, ok := histories[buyer]
		if !ok {
			h = &concessions.History{}
			histories[buyer] = h
		}
		return h
	}
	staticMenu := menuOrder(menu)

	type tally struct {
		hits, attached int
		revenue        money.BRL
	}
	names := []string{StrategyMenu, StrategyPopularity, StrategyPriors, StrategyNoHistory, StrategyFull}
	tallies := make([]tally, len(names))
	var popular []string
	var totalRevenue money.BRL

	for _, o := range orders {
		if o.PaidAt.Before(rep.Split) {
			rep.TrainOrders++
			agg.Record(concessions.SegmentOf(o.Party, o.Movie, o.Showtime), o.ProductIDs())
			history(o.Buyer).Record(o.ProductIDs(), byID)
			continue
		}
		if popular == nil {
			popular = ids(ranker.Popular(menu, agg, nil, K))
		}
		rep.TestOrders++
		totalRevenue += o.Revenue()
		in := concessions.Input{Party: o.Party, Movie: o.Movie, Showtime: o.Showtime, Menu: menu}
		priorsOnly := ids(ranker.Rank(in, K))
		in.Aggregates = agg
		noHistory := ids(ranker.Rank(in, K))
		in.History = *history(o.Buyer)
		full := ids(ranker.Rank(in, K))
		for i, top := range [][]string{staticMenu, popular, priorsOnly, noHistory, full} {
			hit, revenue := score(o, top)
			if len(o.Lines) > 0 {
				tallies[i].attached++
				if hit {
					tallies[i].hits++
				}
			}
			tallies[i].revenue += revenue
		}
		history(o.Buyer).Record(o.ProductIDs(), byID)
	}
	for i, name := range names {
		res := Result{Strategy: name}
		t := tallies[i]
		if t.attached > 0 {
			res.HitRate = float64(t.hits) / float64(t.attached)
		}
		if rep.TestOrders > 0 {
			res.RevenuePerOrder = t.revenue / money.BRL(rep.TestOrders)
		}
		if totalRevenue > 0 {
			res.CapturedShare = float64(t.revenue) / float64(totalRevenue)
		}
		rep.Results = append(rep.Results, res)
	}
	return rep
}

// score says whether the order bought one of the shown products and the
// revenue of the lines it bought among them.
func score(o Order, shown []string) (bool, money.BRL) {
	hit := false
	var revenue money.BRL
	for _, l := range o.Lines {
		if slices.Contains(shown, l.ProductID) {
			hit = true
			revenue += l.UnitPrice * money.BRL(l.Quantity)
		}
	}
	return hit, revenue
}

func (rep *Report) describe(orders []Order, byID map[string]catalog.Product) {
	var attached int
	var revenue, popcornSoda money.BRL
	for _, o := range orders {
		if len(o.Lines) == 0 {
			continue
		}
		attached++
		for _, l := range o.Lines {
			v := l.UnitPrice * money.BRL(l.Quantity)
			revenue += v
			if popcornOrSoda(byID[l.ProductID], byID) {
				popcornSoda += v
			}
		}
	}
	rep.AttachRate = float64(attached) / float64(len(orders))
	if attached > 0 {
		rep.Basket = revenue / money.BRL(attached)
	}
	if revenue > 0 {
		rep.PopcornSodaShare = float64(popcornSoda) / float64(revenue)
	}
}

func popcornOrSoda(p catalog.Product, byID map[string]catalog.Product) bool {
	if p.Category == catalog.CategoryPopcorn || p.ID == "prd-refrigerante" {
		return true
	}
	for _, it := range p.ComboItems {
		if popcornOrSoda(byID[it.ProductID], byID) {
			return true
		}
	}
	return false
}

// menuOrder is the first K active products in the menu's own order.
func menuOrder(menu []catalog.Product) []string {
	active := slices.DeleteFunc(slices.Clone(menu), func(p catalog.Product) bool { return !p.Active })
	slices.SortStableFunc(active, func(a, b catalog.Product) int {
		if c := cmp.Compare(a.SortOrder, b.SortOrder); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	out := make([]string, 0, K)
	for _, p := range active[:min(K, len(active))] {
		out = append(out, p.ID)
	}
	return out
}

func ids(recs []concessions.Recommendation) []string {
	out := make([]string, 0, len(recs))
	for _, r := range recs {
		out = append(out, r.ProductID)
	}
	return out
}
