package concessions_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/concessions"
	"bilhetagem/internal/money"
)

// menu is the chain's bomboniere as the seed has it (prices and costs in
// centavos), so savings below are the real ones.
func menu() []catalog.Product {
	one := func(price, cost money.BRL) []catalog.Size {
		return []catalog.Size{{Code: "UN", Label: "Unidade", Price: price, Cost: cost}}
	}
	three := func(p, m, g, cp, cm, cg money.BRL) []catalog.Size {
		return []catalog.Size{{Code: "P", Price: p, Cost: cp}, {Code: "M", Price: m, Cost: cm}, {Code: "G", Price: g, Cost: cg}}
	}
	item := func(id, name string, cat catalog.ProductCategory, order int, sizes []catalog.Size) catalog.Product {
		return catalog.Product{ID: id, Name: name, Category: cat, Sizes: sizes, Serves: 1, Active: true, SortOrder: order}
	}
	combo := func(id, name string, order, serves int, price, cost money.BRL, items ...catalog.ComboItem) catalog.Product {
		return catalog.Product{ID: id, Name: name, Category: catalog.CategoryCombo, Sizes: one(price, cost),
			ComboItems: items, Serves: serves, Active: true, SortOrder: order}
	}
	ci := func(id, size string, q int) catalog.ComboItem {
		return catalog.ComboItem{ProductID: id, Size: size, Quantity: q}
	}
	parmesao := item("prd-pipoca-parmesao", "Pipoca de Parmesão", catalog.CategoryPopcorn, 40, one(2400, 380))
	parmesao.Active = false
	return []catalog.Product{
		item("prd-pipoca-salgada", "Pipoca Salgada", catalog.CategoryPopcorn, 10, three(1900, 2100, 2300, 180, 240, 310)),
		item("prd-pipoca-doce", "Pipoca Doce", catalog.CategoryPopcorn, 30, three(2200, 2600, 2900, 260, 340, 420)),
		parmesao,
		item("prd-refrigerante", "Refrigerante", catalog.CategoryDrink, 50, three(1500, 1600, 1800, 140, 180, 230)),
		item("prd-agua", "Água Mineral", catalog.CategoryDrink, 60, one(800, 150)),
		item("prd-suco", "Suco de Caixinha", catalog.CategoryDrink, 70, one(1000, 320)),
		item("prd-chocolate-ao-leite", "Chocolate ao Leite", catalog.CategoryChocolate, 80, one(1100, 380)),
		item("prd-chocolate-amendoim", "Chocolate com Amendoim", catalog.CategoryChocolate, 90, one(1000, 350)),
		item("prd-jujuba", "Jujuba", catalog.CategoryCandy, 100, one(800, 220)),
		item("prd-nachos", "Nachos com Cheddar", catalog.CategorySnack, 120, one(2200, 420)),
		item("prd-cachorro-quente", "Cachorro-Quente", catalog.CategorySnack, 130, one(1800, 360)),
		combo("prd-combo-individual", "Combo Individual", 200, 1, 3200, 420,
			ci("prd-pipoca-salgada", "M", 1), ci("prd-refrigerante", "M", 1)),
		combo("prd-combo-casal", "Combo Casal", 210, 2, 4800, 670,
			ci("prd-pipoca-salgada", "G", 1), ci("prd-refrigerante", "M", 2)),
		combo("prd-combo-kids", "Combo Kids", 220, 1, 2900, 720,
			ci("prd-pipoca-salgada", "P", 1), ci("prd-suco", "UN", 1), ci("prd-jujuba", "UN", 1)),
		combo("prd-combo-doce", "Combo Doce", 230, 1, 4400, 900,
			ci("prd-pipoca-doce", "M", 1), ci("prd-refrigerante", "M", 1), ci("prd-chocolate-ao-leite", "UN", 1)),
		combo("prd-combo-familia", "Combo Família", 240, 4, 9200, 1340,
			ci("prd-pipoca-salgada", "G", 2), ci("prd-refrigerante", "M", 4)),
		combo("prd-combo-hot-dog", "Combo Hot Dog", 260, 1, 2900, 540,
			ci("prd-cachorro-quente", "UN", 1), ci("prd-refrigerante", "M", 1)),
	}
}

func movie(rating catalog.AgeRating, runtime int, genres ...string) catalog.Movie {
	return catalog.Movie{ID: "mov-x", Title: "Filme", AgeRating: rating, Genres: genres, RuntimeMinutes: runtime}
}

// at is a showtime starting at a São Paulo day and hour (stored in UTC).
func at(day string, hour int, f catalog.Format) catalog.Showtime {
	d, err := time.ParseInLocation(time.DateOnly, day, catalog.Zone)
	if err != nil {
		panic(err)
	}
	return catalog.Showtime{ID: "st-x", StartsAt: d.Add(time.Duration(hour) * time.Hour).UTC(), Format: f}
}

func tickets(types ...string) []concessions.Ticket {
	out := make([]concessions.Ticket, 0, len(types))
	for _, t := range types {
		out = append(out, concessions.Ticket{Type: t, Meia: t != "INTEIRA"})
	}
	return out
}

// Days of March 2026 in São Paulo.
const (
	tuesday  = "2026-03-03"
	thursday = "2026-03-05"
	saturday = "2026-03-07"
)

var (
	drama     = movie(catalog.Rating14, 110, "Drama", "Romance")
	animation = movie(catalog.RatingL, 92, "Animação", "Comédia")
	horror    = movie(catalog.Rating16, 104, "Terror")
	comedy    = movie(catalog.Rating12, 100, "Comédia")
)

func ids(recs []concessions.Recommendation) []string {
	out := make([]string, 0, len(recs))
	for _, r := range recs {
		out = append(out, r.ProductID)
	}
	return out
}

func find(t *testing.T, recs []concessions.Recommendation, id string) concessions.Recommendation {
	t.Helper()
	i := slices.IndexFunc(recs, func(r concessions.Recommendation) bool { return r.ProductID == id })
	require.GreaterOrEqual(t, i, 0, "%s not in %v", id, ids(recs))
	return recs[i]
}

func TestRank(t *testing.T) {
	t.Parallel()
	solo := concessions.Party{Tickets: tickets("INTEIRA")}
	couple := concessions.Party{Tickets: tickets("INTEIRA", "INTEIRA"), CoupleSeats: 2}
	family := concessions.Party{Tickets: tickets("INTEIRA", "MEIA_ESTUDANTE", "MEIA_ESTUDANTE")}

	cases := []struct {
		name  string
		in    concessions.Input
		limit int
		check func(t *testing.T, recs []concessions.Recommendation)
	}{
		{
			name: "a couple in couple seats gets the combo for two first, with its saving",
			in:   concessions.Input{Party: couple, Movie: comedy, Showtime: at(saturday, 20, catalog.Format2D)},
			check: func(t *testing.T, recs []concessions.Recommendation) {
				require.NotEmpty(t, recs)
				first := recs[0]
				assert.Equal(t, "prd-combo-casal", first.ProductID)
				assert.Equal(t, "Combo para 2 economiza R$ 7,00.", first.Reason)
				assert.Equal(t, money.BRL(700), first.Savings)
				assert.Equal(t, 1, first.Quantity)
				assert.Equal(t, "UN", first.Size)
			},
		},
		{
			name: "a family at an afternoon kids movie gets the kids combo first, one per child",
			in:   concessions.Input{Party: family, Movie: animation, Showtime: at(saturday, 15, catalog.Format2D)},
			check: func(t *testing.T, recs []concessions.Recommendation) {
				require.NotEmpty(t, recs)
				assert.Equal(t, "prd-combo-kids", recs[0].ProductID)
				assert.Equal(t, 2, recs[0].Quantity)
				assert.Equal(t, "Sessão em família à tarde: pensado para as crianças.", recs[0].Reason)
			},
		},
		{
			name: "an adult alone at a horror film at night is not offered the kids combo",
			in:   concessions.Input{Party: solo, Movie: horror, Showtime: at(saturday, 22, catalog.Format2D)},
			check: func(t *testing.T, recs []concessions.Recommendation) {
				assert.NotContains(t, ids(recs), "prd-combo-kids")
			},
		},
		{
			name: "an out of stock product is never shown",
			in: concessions.Input{Party: couple, Movie: comedy, Showtime: at(saturday, 20, catalog.Format2D),
				Stock: map[string]int{"prd-combo-casal": 0}},
			limit: 20,
			check: func(t *testing.T, recs []concessions.Recommendation) {
				assert.NotContains(t, ids(recs), "prd-combo-casal")
				assert.Contains(t, ids(recs), "prd-combo-individual", "products missing from the stock map are not tracked and are shown")
			},
		},
		{
			name: "a combo with an item out of stock is never shown, not even as a bundle",
			in: concessions.Input{Party: solo, Movie: comedy, Showtime: at(saturday, 20, catalog.Format2D),
				Stock:    map[string]int{"prd-refrigerante": 0},
				Selected: []string{"prd-pipoca-salgada"}},
			limit: 20,
			check: func(t *testing.T, recs []concessions.Recommendation) {
				for _, r := range recs {
					assert.NotContains(t, []string{"prd-refrigerante", "prd-combo-individual", "prd-combo-casal",
						"prd-combo-doce", "prd-combo-familia", "prd-combo-hot-dog"}, r.ProductID)
				}
				assert.Contains(t, ids(recs), "prd-combo-kids")
			},
		},
		{
			name:  "an inactive product is never shown",
			in:    concessions.Input{Party: solo, Movie: comedy, Showtime: at(saturday, 20, catalog.Format2D)},
			limit: 20,
			check: func(t *testing.T, recs []concessions.Recommendation) {
				assert.NotContains(t, ids(recs), "prd-pipoca-parmesao")
				assert.Len(t, recs, 16, "every active product is ranked when the limit allows")
			},
		},
		{
			name: "the buyer's usual item comes first and says why",
			in: concessions.Input{Party: solo, Movie: comedy, Showtime: at(saturday, 16, catalog.Format2D),
				History: concessions.History{Orders: 5,
					Products:   map[string]int{"prd-nachos": 4},
					Categories: map[catalog.ProductCategory]int{catalog.CategorySnack: 4}}},
			check: func(t *testing.T, recs []concessions.Recommendation) {
				require.NotEmpty(t, recs)
				assert.Equal(t, "prd-nachos", recs[0].ProductID)
				assert.Equal(t, "Você já levou Nachos com Cheddar em 4 pedidos.", recs[0].Reason)
			},
		},
		{
			name: "without that history the same buyer does not get nachos first",
			in:   concessions.Input{Party: solo, Movie: comedy, Showtime: at(saturday, 16, catalog.Format2D)},
			check: func(t *testing.T, recs []concessions.Recommendation) {
				require.NotEmpty(t, recs)
				assert.NotEqual(t, "prd-nachos", recs[0].ProductID)
			},
		},
		{
			name: "a buyer who never takes chocolate sees it fall below where a newcomer sees it",
			in: concessions.Input{Party: solo, Movie: drama, Showtime: at(saturday, 20, catalog.Format2D),
				History: concessions.History{Orders: 8,
					Products:   map[string]int{"prd-combo-individual": 8},
					Categories: map[catalog.ProductCategory]int{catalog.CategoryCombo: 8}}},
			limit: 20,
			check: func(t *testing.T, recs []concessions.Recommendation) {
				newcomer := concessions.NewRanker().Rank(concessions.Input{Party: solo, Movie: drama,
					Showtime: at(saturday, 20, catalog.Format2D), Menu: menu()}, 20)
				pos := func(rs []concessions.Recommendation) int {
					return slices.Index(ids(rs), "prd-chocolate-ao-leite")
				}
				assert.Greater(t, pos(recs), pos(newcomer))
				assert.Equal(t, "prd-combo-individual", recs[0].ProductID)
			},
		},
		{
			name: "chosen popcorn and soda bring the combo that saves money, with the exact saving",
			in: concessions.Input{Party: solo, Movie: comedy, Showtime: at(saturday, 20, catalog.Format2D),
				Selected: []string{"prd-refrigerante", "prd-pipoca-salgada"}},
			check: func(t *testing.T, recs []concessions.Recommendation) {
				require.NotEmpty(t, recs)
				first := recs[0]
				assert.Equal(t, "prd-combo-individual", first.ProductID)
				assert.Equal(t, money.BRL(500), first.Savings)
				assert.Equal(t, "Combo Individual economiza R$ 5,00 em relação aos itens avulsos.", first.Reason)
				assert.Equal(t, []string{"prd-pipoca-salgada", "prd-refrigerante"}, first.Replaces)
				assert.NotContains(t, ids(recs), "prd-pipoca-salgada", "what is in the cart is not offered again")
				assert.NotContains(t, ids(recs), "prd-refrigerante")
				for _, r := range recs[1:] {
					assert.Empty(t, r.Replaces, "only the bundle replaces anything")
				}
			},
		},
		{
			name: "a couple who chose popcorn and soda is offered the combo for two",
			in: concessions.Input{Party: couple, Movie: comedy, Showtime: at(saturday, 20, catalog.Format2D),
				Selected: []string{"prd-pipoca-salgada", "prd-refrigerante"}},
			check: func(t *testing.T, recs []concessions.Recommendation) {
				require.NotEmpty(t, recs)
				assert.Equal(t, "prd-combo-casal", recs[0].ProductID)
				assert.Equal(t, "Combo para 2 economiza R$ 7,00.", recs[0].Reason)
				assert.Equal(t, money.BRL(700), recs[0].Savings)
			},
		},
		{
			name: "sweet popcorn, soda and chocolate bring the sweet combo saving R$ 9,00",
			in: concessions.Input{Party: solo, Movie: comedy, Showtime: at(saturday, 20, catalog.Format2D),
				Selected: []string{"prd-pipoca-doce", "prd-refrigerante", "prd-chocolate-ao-leite"}},
			check: func(t *testing.T, recs []concessions.Recommendation) {
				require.NotEmpty(t, recs)
				assert.Equal(t, "prd-combo-doce", recs[0].ProductID)
				assert.Equal(t, "Combo Doce economiza R$ 9,00 em relação aos itens avulsos.", recs[0].Reason)
				assert.Equal(t, money.BRL(900), recs[0].Savings)
			},
		},
		{
			name: "popcorn alone in the cart brings no bundle and pushes other popcorn down",
			in: concessions.Input{Party: solo, Movie: comedy, Showtime: at(saturday, 20, catalog.Format2D),
				Selected: []string{"prd-pipoca-salgada"}},
			check: func(t *testing.T, recs []concessions.Recommendation) {
				for _, r := range recs {
					assert.Empty(t, r.Replaces)
					assert.NotEqual(t, catalog.CategoryPopcorn, r.Category)
				}
			},
		},
		{
			name: "attach rates learned from paid orders outweigh the priors and are quoted",
			in: concessions.Input{Party: solo, Movie: comedy, Showtime: at(saturday, 16, catalog.Format2D),
				Aggregates: learned(concessions.SegmentSolo, 1000, map[string]int{"prd-chocolate-amendoim": 600})},
			check: func(t *testing.T, recs []concessions.Recommendation) {
				require.NotEmpty(t, recs)
				assert.Equal(t, "prd-chocolate-amendoim", recs[0].ProductID)
				assert.Equal(t, "Escolhido em 60% dos pedidos de quem vai sozinho.", recs[0].Reason)
			},
		},
		{
			name: "a long movie lifts drinks, one for each person",
			in: concessions.Input{Party: couple, Movie: movie(catalog.Rating12, 158, "Documentário"),
				Showtime: at(thursday, 16, catalog.Format2D)},
			limit: 20,
			check: func(t *testing.T, recs []concessions.Recommendation) {
				water := find(t, recs, "prd-agua")
				assert.Equal(t, "O filme tem 2h38: leve algo para beber.", water.Reason)
				assert.Equal(t, 2, water.Quantity)
			},
		},
		{
			name:  "a horror film lifts candy and chocolate",
			in:    concessions.Input{Party: solo, Movie: horror, Showtime: at(saturday, 16, catalog.Format2D)},
			limit: 20,
			check: func(t *testing.T, recs []concessions.Recommendation) {
				assert.Equal(t, "Um doce para encarar o suspense.", find(t, recs, "prd-jujuba").Reason)
				neutral := concessions.NewRanker().Rank(concessions.Input{Party: solo, Movie: comedy,
					Showtime: at(saturday, 16, catalog.Format2D), Menu: menu()}, 20)
				assert.Greater(t, find(t, recs, "prd-jujuba").Score, find(t, neutral, "prd-jujuba").Score)
				assert.Greater(t, find(t, recs, "prd-chocolate-ao-leite").Score, find(t, neutral, "prd-chocolate-ao-leite").Score)
				assert.InDelta(t, find(t, recs, "prd-agua").Score, find(t, neutral, "prd-agua").Score, 1e-12,
					"water is not lifted by the genre")
			},
		},
		{
			name:  "a session at dinner time lifts hot snacks",
			in:    concessions.Input{Party: solo, Movie: comedy, Showtime: at(saturday, 19, catalog.Format2D)},
			limit: 20,
			check: func(t *testing.T, recs []concessions.Recommendation) {
				assert.Equal(t, "Sessão na hora do jantar: um lanche quente.", find(t, recs, "prd-cachorro-quente").Reason)
			},
		},
		{
			name:  "an IMAX session lifts combos",
			in:    concessions.Input{Party: solo, Movie: comedy, Showtime: at(saturday, 16, catalog.FormatIMAX)},
			limit: 20,
			check: func(t *testing.T, recs []concessions.Recommendation) {
				assert.Equal(t, "Sessão IMAX pede o combo completo.", find(t, recs, "prd-combo-doce").Reason)
			},
		},
		{
			name:  "on promotional Tuesday combos say what they save",
			in:    concessions.Input{Party: solo, Movie: comedy, Showtime: at(tuesday, 16, catalog.Format2D)},
			limit: 20,
			check: func(t *testing.T, recs []concessions.Recommendation) {
				assert.Equal(t, "Terça promocional: o combo economiza R$ 8,00.", find(t, recs, "prd-combo-kids").Reason)
			},
		},
		{
			name:  "the limit caps the list",
			in:    concessions.Input{Party: solo, Movie: comedy, Showtime: at(saturday, 16, catalog.Format2D)},
			limit: 3,
			check: func(t *testing.T, recs []concessions.Recommendation) {
				assert.Len(t, recs, 3)
			},
		},
		{
			name: "a limit below one means the default",
			in:   concessions.Input{Party: solo, Movie: comedy, Showtime: at(saturday, 16, catalog.Format2D)},
			check: func(t *testing.T, recs []concessions.Recommendation) {
				assert.Len(t, recs, concessions.DefaultLimit)
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.in.Menu = menu()
			r := concessions.NewRanker()
			recs := r.Rank(tc.in, tc.limit)
			for i, rec := range recs {
				assert.NotEmpty(t, rec.Reason, "rank %d has a reason", i+1)
				assert.GreaterOrEqual(t, rec.Quantity, 1)
				assert.Positive(t, rec.UnitPrice)
				if i > 0 && len(recs[0].Replaces) == 0 {
					assert.GreaterOrEqual(t, recs[i-1].Score, rec.Score, "scores fall down the list")
				}
			}
			tc.check(t, recs)
			assert.Equal(t, recs, r.Rank(tc.in, tc.limit), "the same input gives the same ranking")
		})
	}
}

func learned(s concessions.Segment, orders int, with map[string]int) concessions.Aggregates {
	var a concessions.Aggregates
	for i := range orders {
		var ids []string
		for id, n := range with {
			if i < n {
				ids = append(ids, id)
			}
		}
		a.Record(s, ids)
	}
	return a
}

func TestMarginBreaksTiesBetweenEquallyLikelyProducts(t *testing.T) {
	t.Parallel()
	menu := []catalog.Product{
		{ID: "a-cheap", Name: "A", Category: catalog.CategoryCandy, Active: true, SortOrder: 1,
			Sizes: []catalog.Size{{Code: "UN", Price: 800, Cost: 400}}},
		{ID: "b-rich", Name: "B", Category: catalog.CategoryCandy, Active: true, SortOrder: 2,
			Sizes: []catalog.Size{{Code: "UN", Price: 1200, Cost: 200}}},
	}
	in := concessions.Input{Party: concessions.Party{Tickets: tickets("INTEIRA")}, Movie: comedy,
		Showtime: at(saturday, 16, catalog.Format2D), Menu: menu}
	cases := []struct {
		name   string
		weight float64
		want   []string
	}{
		{"with a margin weight the higher margin comes first", 0.25, []string{"b-rich", "a-cheap"}},
		{"with no margin weight the menu order decides", 0, []string{"a-cheap", "b-rich"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := concessions.NewRanker()
			r.MarginWeight = tc.weight
			assert.Equal(t, tc.want, ids(r.Rank(in, 5)))
		})
	}
}

func TestPopular(t *testing.T) {
	t.Parallel()
	r := concessions.NewRanker()
	cases := []struct {
		name  string
		agg   concessions.Aggregates
		stock map[string]int
		check func(t *testing.T, recs []concessions.Recommendation)
	}{
		{
			name: "with no paid orders the study's priors order the menu",
			check: func(t *testing.T, recs []concessions.Recommendation) {
				assert.Equal(t, []string{"prd-refrigerante", "prd-pipoca-salgada", "prd-combo-individual"}, ids(recs)[:3])
				assert.Equal(t, "Um clássico do cinema.", recs[0].Reason)
			},
		},
		{
			name: "paid orders reorder the menu and are quoted",
			agg:  learned(concessions.SegmentGroup, 2000, map[string]int{"prd-nachos": 1500}),
			check: func(t *testing.T, recs []concessions.Recommendation) {
				assert.Equal(t, "prd-nachos", recs[0].ProductID)
				assert.Equal(t, "Escolhido em 75% dos pedidos.", recs[0].Reason)
			},
		},
		{
			name:  "out of stock products are left out",
			stock: map[string]int{"prd-refrigerante": 0},
			check: func(t *testing.T, recs []concessions.Recommendation) {
				assert.NotContains(t, ids(recs), "prd-refrigerante")
				assert.NotContains(t, ids(recs), "prd-combo-individual")
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			recs := r.Popular(menu(), tc.agg, tc.stock, 5)
			require.Len(t, recs, 5)
			tc.check(t, recs)
		})
	}
}

func TestFeaturesOf(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		party    concessions.Party
		movie    catalog.Movie
		showtime catalog.Showtime
		segment  concessions.Segment
		kids     int
	}{
		{"one ticket is someone alone", concessions.Party{Tickets: tickets("INTEIRA")}, comedy,
			at(saturday, 20, catalog.Format2D), concessions.SegmentSolo, 0},
		{"two tickets are a couple", concessions.Party{Tickets: tickets("INTEIRA", "MEIA_ESTUDANTE")}, drama,
			at(saturday, 20, catalog.Format2D), concessions.SegmentCouple, 0},
		{"four tickets in couple seats are couples, not a group",
			concessions.Party{Tickets: tickets("INTEIRA", "INTEIRA", "INTEIRA", "INTEIRA"), CoupleSeats: 4}, drama,
			at(saturday, 20, catalog.Format2D), concessions.SegmentCouple, 0},
		{"three adults at an evening drama are a group", concessions.Party{Tickets: tickets("INTEIRA", "INTEIRA", "MEIA_IDOSO")},
			drama, at(saturday, 20, catalog.Format2D), concessions.SegmentGroup, 0},
		{"students at a film rated L are counted as children",
			concessions.Party{Tickets: tickets("INTEIRA", "MEIA_ESTUDANTE", "MEIA_ESTUDANTE")}, animation,
			at(saturday, 20, catalog.Format2D), concessions.SegmentFamily, 2},
		{"two adults at an afternoon film rated L are taken for an adult and a child",
			concessions.Party{Tickets: tickets("INTEIRA", "INTEIRA")}, animation,
			at(saturday, 15, catalog.Format2D), concessions.SegmentFamily, 1},
		{"two adults at an evening film rated L are a couple",
			concessions.Party{Tickets: tickets("INTEIRA", "INTEIRA")}, animation,
			at(saturday, 20, catalog.Format2D), concessions.SegmentCouple, 0},
		{"students at a film rated 16 are not children",
			concessions.Party{Tickets: tickets("MEIA_ESTUDANTE", "MEIA_ESTUDANTE", "MEIA_ESTUDANTE")}, horror,
			at(saturday, 15, catalog.Format2D), concessions.SegmentGroup, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := concessions.FeaturesOf(tc.party, tc.movie, tc.showtime)
			assert.Equal(t, tc.segment, f.Segment)
			assert.Equal(t, tc.kids, f.Kids)
			assert.Equal(t, tc.segment, concessions.SegmentOf(tc.party, tc.movie, tc.showtime))
		})
	}

	t.Run("the hour and weekday are São Paulo's, not UTC's", func(t *testing.T) {
		t.Parallel()
		f := concessions.FeaturesOf(concessions.Party{Tickets: tickets("INTEIRA")}, comedy, at(saturday, 22, catalog.Format2D))
		assert.Equal(t, 22, f.Hour)
		assert.Equal(t, time.Saturday, f.Weekday)
	})
	t.Run("meia tickets are counted by their flag", func(t *testing.T) {
		t.Parallel()
		f := concessions.FeaturesOf(concessions.Party{Tickets: []concessions.Ticket{
			{Type: "INTEIRA"}, {Type: "MEIA_PROFESSOR", Meia: true}, {Type: "MEIA_IDOSO", Meia: true}}}, drama,
			at(saturday, 20, catalog.Format2D))
		assert.Equal(t, 2, f.Meia)
		assert.Equal(t, 1, f.Seniors)
		assert.Equal(t, 3, f.Party)
	})
}

func TestAggregatesRecord(t *testing.T) {
	t.Parallel()
	t.Run("an order counts once per product and in its segment and overall", func(t *testing.T) {
		t.Parallel()
		var a concessions.Aggregates
		a.Record(concessions.SegmentCouple, []string{"prd-refrigerante", "prd-refrigerante", "prd-pipoca-salgada"})
		a.Record(concessions.SegmentSolo, nil)
		assert.Equal(t, 2, a.All.Orders)
		assert.Equal(t, 1, a.All.Products["prd-refrigerante"])
		assert.Equal(t, 1, a.Segment(concessions.SegmentCouple).Orders)
		assert.Equal(t, 1, a.Segment(concessions.SegmentSolo).Orders)
		assert.InDelta(t, 0.5, a.All.Rate("prd-pipoca-salgada"), 1e-9)
		assert.InDelta(t, 0.0, a.Segment(concessions.SegmentFamily).Rate("prd-pipoca-salgada"), 1e-9)
	})
	t.Run("a buyer's history counts orders, products and categories", func(t *testing.T) {
		t.Parallel()
		byID := map[string]catalog.Product{}
		for _, p := range menu() {
			byID[p.ID] = p
		}
		var h concessions.History
		h.Record([]string{"prd-pipoca-salgada", "prd-pipoca-doce", "prd-agua"}, byID)
		h.Record(nil, byID)
		assert.Equal(t, 2, h.Orders)
		assert.Equal(t, 1, h.Products["prd-pipoca-doce"])
		assert.Equal(t, 1, h.Categories[catalog.CategoryPopcorn], "two popcorns in one order are one order with popcorn")
		assert.Equal(t, 1, h.Categories[catalog.CategoryDrink])
	})
}

func BenchmarkRank(b *testing.B) {
	r := concessions.NewRanker()
	in := concessions.Input{Party: concessions.Party{Tickets: tickets("INTEIRA", "MEIA_ESTUDANTE")}, Movie: drama,
		Showtime: at(saturday, 20, catalog.Format2D), Menu: menu(),
		Aggregates: learned(concessions.SegmentCouple, 500, map[string]int{"prd-combo-casal": 120}),
		History: concessions.History{Orders: 4, Products: map[string]int{"prd-pipoca-doce": 3},
			Categories: map[catalog.ProductCategory]int{catalog.CategoryPopcorn: 3}},
		Selected: []string{"prd-pipoca-salgada", "prd-refrigerante"}}
	b.ReportAllocs()
	for b.Loop() {
		_ = r.Rank(in, concessions.DefaultLimit)
	}
}
