// Command planscaling prints the scaling plan as a dry run: it classifies
// the seed catalog's releases, builds the plan for the next days and lists
// the Application Auto Scaling actions and warm-throughput raises it would
// apply, in America/Sao_Paulo. With -eval it prints the classifier's
// leave-one-out evaluation instead. It calls nothing: no AWS, no network.
//
//	go run ./cmd/planscaling [-today 2026-12-03] [-days 30] [-eval]
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/releases"
	"bilhetagem/internal/scaling"
	"bilhetagem/seed"
)

func main() {
	today := flag.String("today", "", "São Paulo day the seed is built for and the plan starts (default: today)")
	days := flag.Int("days", 30, "days in the plan")
	eval := flag.Bool("eval", false, "print the classifier's leave-one-out evaluation instead of the plan")
	flag.Parse()
	if err := run(os.Stdout, *today, *days, *eval, time.Now()); err != nil {
		fmt.Fprintln(os.Stderr, "planscaling:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, todayFlag string, days int, eval bool, now time.Time) error {
	history, err := releases.ParseHistory(bytes.NewReader(seed.ReleaseHistoryCSV))
	if err != nil {
		return err
	}
	if eval {
		res, err := releases.LeaveOneOut(history, releases.Methods())
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "Leave-one-out on %d past releases (seed/data/release-history.csv; mostly synthetic)\n\n", len(history))
		fmt.Fprintln(w, releases.Table(res))
		fmt.Fprintln(w, "Confusion of the classifier (full ridge):")
		fmt.Fprintln(w)
		fmt.Fprint(w, releases.ConfusionTable(res[len(res)-1]))
		return nil
	}
	today := catalog.DateOf(now)
	if todayFlag != "" {
		if today, err = catalog.ParseDate(todayFlag); err != nil {
			return fmt.Errorf("-today: %w", err)
		}
		now = today.At(6, 0)
	}
	if days < 1 || days > 366 {
		return fmt.Errorf("-days: want 1..366")
	}
	c, err := seed.Build(today)
	if err != nil {
		return err
	}
	inputs, err := releases.ParseInputs(bytes.NewReader(seed.ReleaseInputsCSV))
	if err != nil {
		return err
	}
	model, err := releases.Train(history)
	if err != nil {
		return err
	}
	rel := &releases.Service{Store: seedCatalog{c}, Model: model, Inputs: inputs}
	sc := &scaling.Service{Releases: rel, Store: &noOverrides{}}
	ctx := context.Background()
	cs, err := rel.Upcoming(ctx, today.AddDays(-scaling.LookBack), now)
	if err != nil {
		return err
	}
	plan, err := sc.Plan(ctx, today, today.AddDays(days), now)
	if err != nil {
		return err
	}
	print(w, cs, plan)
	return nil
}

func print(w io.Writer, cs []releases.Classification, p scaling.Plan) {
	sp := func(t time.Time) string { return t.In(catalog.Zone).Format("2006-01-02 15:04") }
	fmt.Fprintf(w, "Scaling plan (dry run) %s → %s, times in %s, from the seed catalog\n\n", p.From, p.To, scaling.Timezone)

	fmt.Fprintln(w, "Releases")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "movie\trelease\tclass\tscore\tscreens/sessions\tinterest\tpredicted BR opening day\tpeak at\thold attempts/s\tbuyers/min")
	for _, c := range cs {
		interest := "—"
		if c.Features.HasInterest {
			interest = fmt.Sprint(c.Features.InterestIndex)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.2f\t%d/%d\t%s\t%.0f\t%s\t%.1f\t%d\n", c.MovieID, c.ReleaseDate, c.Class, c.Score,
			c.Features.Screens, c.Features.Showtimes, interest, c.Tickets, sp(c.Peak.At), c.Peak.HoldAttemptsPerSecond, c.Peak.BuyersPerMinute)
	}
	tw.Flush()

	fmt.Fprintln(w, "\nWindows")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "id\treason\tclass\tstarts\tends\tqueue\tprovisioned concurrency\twarm r/w (raise at)\talarms err%/p99/throttled")
	for _, win := range p.Windows {
		var conc []string
		for _, c := range win.Concurrency {
			conc = append(conc, fmt.Sprintf("%s=%d", c.Operation, c.N))
		}
		warm := "on-demand floors"
		if win.Warm != nil {
			warm = fmt.Sprintf("%d/%d (%s)", win.Warm.Read, win.Warm.Write, sp(win.WarmRaiseAt))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%v\t%s\t%s\t%g/%d/%d\n", win.ID, win.Reason, win.Class, sp(win.StartsAt), sp(win.EndsAt),
			win.WaitingRoom, strings.Join(conc, " "), warm, win.Alarms.ErrorRatePercent, win.Alarms.P99LatencyMs, win.Alarms.ThrottledPerMinute)
	}
	tw.Flush()

	fmt.Fprintln(w, "\nApplication Auto Scaling scheduled actions (provisioned concurrency, Timezone America/Sao_Paulo)")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "schedule\tfunction\tprovisioned concurrency")
	for _, a := range p.Actions() {
		fmt.Fprintf(tw, "%s\t%s\t%d\n", scaling.AtExpression(a.At), a.Operation, a.Concurrency)
	}
	tw.Flush()

	fmt.Fprintln(w, "\nDynamoDB warm throughput raises (never lowered)")
	raises := p.WarmRaises()
	if len(raises) == 0 {
		fmt.Fprintln(w, "none: the on-demand floors (12,000 reads/s, 4,000 writes/s) cover every window")
	}
	for _, r := range raises {
		fmt.Fprintf(w, "%s  read %d/s write %d/s  for %s\n", scaling.AtExpression(r.At), r.Warm.Read, r.Warm.Write, r.WindowID)
	}
}

// seedCatalog serves the classifier from the built seed, in memory.
type seedCatalog struct{ c *seed.Catalog }

func (s seedCatalog) ListMovies(context.Context) ([]catalog.Movie, error) { return s.c.Movies, nil }

func (s seedCatalog) GetMovie(_ context.Context, id string) (catalog.Movie, error) {
	i := slices.IndexFunc(s.c.Movies, func(m catalog.Movie) bool { return m.ID == id })
	if i < 0 {
		return catalog.Movie{}, errs.NotFoundf("filme %s não encontrado", id)
	}
	return s.c.Movies[i], nil
}

func (s seedCatalog) ShowtimesByMovie(_ context.Context, movieID string, from, to time.Time) ([]catalog.ShowtimeListing, error) {
	var out []catalog.ShowtimeListing
	for _, st := range s.c.Showtimes {
		if st.MovieID == movieID && !st.StartsAt.Before(from) && st.StartsAt.Before(to) {
			out = append(out, catalog.ShowtimeListing{Showtime: st})
		}
	}
	return out, nil
}

// noOverrides is a dry run's override store: none.
type noOverrides struct{}

func (noOverrides) ScalingOverrides(context.Context) (scaling.Overrides, error) {
	return scaling.Overrides{Items: []scaling.Override{}}, nil
}

func (noOverrides) PutScalingOverrides(context.Context, scaling.Overrides) error {
	return fmt.Errorf("dry run: overrides are not saved")
}
