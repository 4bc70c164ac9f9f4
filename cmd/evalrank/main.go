// Command evalrank evaluates the concessions ranking offline on synthetic
// orders: a train/test split by time, hit-rate@3 and revenue per order, for
// the ranking against the static orders. The data is synthetic; see
// docs/study.md, "Avaliação offline".
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/concessions"
	"bilhetagem/internal/concessions/sim"
	"bilhetagem/seed"
)

func main() {
	cfg := sim.DefaultConfig()
	flag.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "seed of the generator")
	flag.IntVar(&cfg.Buyers, "buyers", cfg.Buyers, "buyers")
	flag.IntVar(&cfg.Weeks, "weeks", cfg.Weeks, "weeks of orders")
	flag.IntVar(&cfg.OrdersPerWeek, "orders-per-week", cfg.OrdersPerWeek, "paid orders per week")
	train := flag.Float64("train", 0.75, "share of orders, oldest first, used to learn")
	flag.Parse()
	if err := run(os.Stdout, cfg, *train); err != nil {
		fmt.Fprintln(os.Stderr, "evalrank:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, cfg sim.Config, train float64) error {
	c, err := seed.Build(cfg.Start)
	if err != nil {
		return fmt.Errorf("build the seed catalog: %w", err)
	}
	orders := sim.Generate(cfg, c.Products, c.Movies)
	rep := sim.Evaluate(orders, c.Products, concessions.NewRanker(), train)

	fmt.Fprintf(w, "Synthetic orders: seed %d, %d buyers, %d weeks, %d orders (train %d, test %d, split at %s São Paulo)\n",
		cfg.Seed, cfg.Buyers, cfg.Weeks, len(orders), rep.TrainOrders, rep.TestOrders,
		rep.Split.In(catalog.Zone).Format("2006-01-02 15:04"))
	fmt.Fprintf(w, "Generated attach %.1f%%, popcorn+soda %.1f%% of bomboniere revenue, basket %s\n\n",
		100*rep.AttachRate, 100*rep.PopcornSodaShare, rep.Basket)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "strategy\thit-rate@%d\trevenue/order (top %d)\tcaptured\t\n", sim.K, sim.K)
	for _, r := range rep.Results {
		fmt.Fprintf(tw, "%s\t%.1f%%\t%s\t%.1f%%\t\n", r.Strategy, 100*r.HitRate, r.RevenuePerOrder, 100*r.CapturedShare)
	}
	return tw.Flush()
}
