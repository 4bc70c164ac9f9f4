package sim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/concessions"
	"bilhetagem/internal/concessions/sim"
	"bilhetagem/internal/money"
	"bilhetagem/seed"
)

func small() sim.Config {
	cfg := sim.DefaultConfig()
	cfg.Buyers, cfg.Weeks, cfg.OrdersPerWeek = 300, 4, 400
	return cfg
}

func chain(t *testing.T) *seed.Catalog {
	t.Helper()
	c, err := seed.Build(small().Start)
	require.NoError(t, err)
	return c
}

func TestGenerate(t *testing.T) {
	t.Parallel()
	c := chain(t)
	cfg := small()
	orders := sim.Generate(cfg, c.Products, c.Movies)

	t.Run("it makes the configured number of orders, oldest first", func(t *testing.T) {
		t.Parallel()
		require.Len(t, orders, cfg.Weeks*cfg.OrdersPerWeek)
		for i := 1; i < len(orders); i++ {
			assert.False(t, orders[i].PaidAt.Before(orders[i-1].PaidAt), "order %d", i)
		}
	})
	t.Run("the same seed gives the same orders and another seed others", func(t *testing.T) {
		t.Parallel()
		assert.Equal(t, orders, sim.Generate(cfg, c.Products, c.Movies))
		other := cfg
		other.Seed++
		assert.NotEqual(t, orders, sim.Generate(other, c.Products, c.Movies))
	})
	t.Run("every order is paid before its session and sells only active products at menu prices", func(t *testing.T) {
		t.Parallel()
		byID := map[string]catalog.Product{}
		for _, p := range c.Products {
			byID[p.ID] = p
		}
		for _, o := range orders {
			assert.True(t, o.PaidAt.Before(o.Showtime.StartsAt), o.ID)
			assert.NotEmpty(t, o.Party.Tickets, o.ID)
			for _, l := range o.Lines {
				p, ok := byID[l.ProductID]
				require.True(t, ok, l.ProductID)
				assert.True(t, p.Active, l.ProductID)
				size, ok := p.Size(l.Size)
				require.True(t, ok, "%s %s", l.ProductID, l.Size)
				assert.Equal(t, size.Price, l.UnitPrice)
				assert.Positive(t, l.Quantity)
			}
		}
	})
	t.Run("about half of the orders buy concessions, as the study's prior says", func(t *testing.T) {
		t.Parallel()
		attached := 0
		for _, o := range orders {
			if len(o.Lines) > 0 {
				attached++
			}
		}
		share := float64(attached) / float64(len(orders))
		assert.InDelta(t, 0.5, share, 0.12, "attach %.2f", share)
	})
}

func TestEvaluate(t *testing.T) {
	t.Parallel()
	c := chain(t)
	orders := sim.Generate(small(), c.Products, c.Movies)
	rep := sim.Evaluate(orders, c.Products, concessions.NewRanker(), 0.75)

	t.Run("the split is by time and covers every order", func(t *testing.T) {
		t.Parallel()
		assert.Equal(t, len(orders), rep.TrainOrders+rep.TestOrders)
		assert.InDelta(t, 0.75*float64(len(orders)), float64(rep.TrainOrders), 2)
		// orders come oldest first: the training ones are all before the
		// split, the test ones at or after it
		assert.True(t, orders[rep.TrainOrders-1].PaidAt.Before(rep.Split))
		assert.False(t, orders[rep.TrainOrders].PaidAt.Before(rep.Split))
	})
	t.Run("every strategy is reported with metrics within bounds", func(t *testing.T) {
		t.Parallel()
		require.Len(t, rep.Results, 5)
		names := []string{sim.StrategyMenu, sim.StrategyPopularity, sim.StrategyPriors, sim.StrategyNoHistory, sim.StrategyFull}
		for i, r := range rep.Results {
			assert.Equal(t, names[i], r.Strategy)
			assert.GreaterOrEqual(t, r.HitRate, 0.0, r.Strategy)
			assert.LessOrEqual(t, r.HitRate, 1.0, r.Strategy)
			assert.GreaterOrEqual(t, r.CapturedShare, 0.0, r.Strategy)
			assert.LessOrEqual(t, r.CapturedShare, 1.0, r.Strategy)
			assert.GreaterOrEqual(t, r.RevenuePerOrder, money.BRL(0), r.Strategy)
			assert.LessOrEqual(t, r.RevenuePerOrder, rep.Basket, r.Strategy)
		}
		assert.Greater(t, rep.AttachRate, 0.0)
		assert.LessOrEqual(t, rep.AttachRate, 1.0)
		assert.Greater(t, rep.PopcornSodaShare, 0.5, "popcorn and soda dominate, as at Haway")
	})
}

func TestEvaluateCountsHitsAndRevenue(t *testing.T) {
	t.Parallel()
	c := chain(t)
	day := time.Date(2026, 3, 7, 12, 0, 0, 0, catalog.Zone)
	movie := catalog.Movie{ID: "mov-x", AgeRating: catalog.Rating12, Genres: []string{"Comédia"}, RuntimeMinutes: 100}
	order := func(i int, lines ...sim.Line) sim.Order {
		paid := day.Add(time.Duration(i) * time.Hour)
		return sim.Order{ID: "o", Buyer: "b", PaidAt: paid, Movie: movie,
			Party:    concessions.Party{Tickets: []concessions.Ticket{{Type: "INTEIRA"}}},
			Showtime: catalog.Showtime{StartsAt: paid.Add(2 * time.Hour), Format: catalog.Format2D}, Lines: lines}
	}
	nachos := sim.Line{ProductID: "prd-nachos", Size: "UN", Quantity: 1, UnitPrice: 2200}
	water := sim.Line{ProductID: "prd-agua", Size: "UN", Quantity: 2, UnitPrice: 800}
	var orders []sim.Order
	for i := range 6 {
		orders = append(orders, order(i, nachos))
	}
	// Test: one order with nachos and water, one with nothing.
	orders = append(orders, order(6, nachos, water), order(7))

	rep := sim.Evaluate(orders, c.Products, concessions.NewRanker(), 0.75)
	require.Equal(t, 6, rep.TrainOrders)
	require.Equal(t, 2, rep.TestOrders)
	for _, r := range rep.Results {
		if r.Strategy != sim.StrategyFull {
			continue
		}
		t.Run("the buyer's habit is a hit and its revenue is counted over every test order", func(t *testing.T) {
			t.Parallel()
			assert.InDelta(t, 1.0, r.HitRate, 1e-9, "the only test order with concessions bought the habit")
			assert.GreaterOrEqual(t, r.RevenuePerOrder, money.BRL(1100), "nachos R$ 22,00 over two test orders")
		})
	}
	t.Run("the menu order never shows nachos", func(t *testing.T) {
		t.Parallel()
		assert.Equal(t, sim.StrategyMenu, rep.Results[0].Strategy)
		assert.Zero(t, rep.Results[0].HitRate)
		assert.Zero(t, rep.Results[0].RevenuePerOrder)
	})
}
