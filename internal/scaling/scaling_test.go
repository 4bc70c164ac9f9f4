package scaling_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/releases"
	"bilhetagem/internal/scaling"
)

var (
	now      = time.Date(2026, time.April, 1, 9, 0, 0, 0, catalog.Zone)
	thursday = catalog.Date{Year: 2026, Month: time.April, Day: 30}
	presale  = thursday.AddDays(-22).At(12, 0) // a Wednesday noon
	from     = catalog.Date{Year: 2026, Month: time.April, Day: 1}
	to       = catalog.Date{Year: 2026, Month: time.May, Day: 3}
)

func blockbuster() scaling.Release {
	return scaling.Release{MovieID: "mov-doomsday", Class: releases.Blockbuster, ReleaseDate: thursday,
		PresaleOpensAt: presale, PeakAttemptsPerSecond: 150, PeakBuyersPerMinute: 3000}
}

func byID(t *testing.T, p scaling.Plan, id string) scaling.Window {
	t.Helper()
	for _, w := range p.Windows {
		if w.ID == id {
			return w
		}
	}
	require.Failf(t, "no window", "%s in %v", id, p.Windows)
	return scaling.Window{}
}

func TestBuildForABlockbuster(t *testing.T) {
	t.Parallel()
	p := scaling.Build([]scaling.Release{blockbuster()}, scaling.Calendar{}, from, to, nil, now)

	t.Run("the presale opening window starts 30 minutes early with the waiting room on", func(t *testing.T) {
		w := byID(t, p, "presale-mov-doomsday")
		assert.Equal(t, scaling.PresaleOpening, w.Reason)
		assert.Equal(t, presale.Add(-30*time.Minute), w.StartsAt)
		assert.Equal(t, presale.Add(6*time.Hour), w.EndsAt)
		assert.True(t, w.WaitingRoom)
		assert.Equal(t, scaling.FromPlanner, w.Source)
	})
	t.Run("warm throughput is raised 24 h ahead, above the on-demand floors", func(t *testing.T) {
		w := byID(t, p, "presale-mov-doomsday")
		require.NotNil(t, w.Warm)
		assert.Equal(t, w.StartsAt.Add(-24*time.Hour), w.WarmRaiseAt)
		assert.GreaterOrEqual(t, w.Warm.Read, scaling.MinWarmRead)
		assert.GreaterOrEqual(t, w.Warm.Write, scaling.MinWarmWrite)
	})
	t.Run("provisioned concurrency follows Little's law: ~8 environments for 150 attempts/s at 50 ms, with headroom", func(t *testing.T) {
		w := byID(t, p, "presale-mov-doomsday")
		assert.Equal(t, 12, w.ConcurrencyOf(operations.CreateHold))      // 150 × 0.05 × 1.5
		assert.Equal(t, 113, w.ConcurrencyOf(operations.GetShowtime))    // 1,500 × 0.05 × 1.5
		assert.Positive(t, w.ConcurrencyOf(operations.EnterWaitingRoom)) // with the waiting room
		assert.Positive(t, w.ConcurrencyOf(operations.GetWaitingRoomEntry))
		assert.Positive(t, w.ConcurrencyOf(operations.CreatePayment))
	})
	t.Run("the premiere Thursday runs from 10:00 to midnight at half the presale peak", func(t *testing.T) {
		w := byID(t, p, "premiere-mov-doomsday")
		assert.Equal(t, thursday.At(10, 0), w.StartsAt)
		assert.Equal(t, thursday.AddDays(1).Start(), w.EndsAt)
		assert.Equal(t, time.Thursday, w.StartsAt.In(catalog.Zone).Weekday())
		assert.True(t, w.WaitingRoom)
		assert.Less(t, w.ConcurrencyOf(operations.CreateHold), byID(t, p, "presale-mov-doomsday").ConcurrencyOf(operations.CreateHold))
	})
	t.Run("the opening weekend gets Friday to Sunday evenings without a queue", func(t *testing.T) {
		for _, d := range []string{"20260501", "20260502", "20260503"} {
			w := byID(t, p, "weekend-mov-doomsday-"+d)
			assert.Equal(t, scaling.OpeningWeekend, w.Reason)
			assert.False(t, w.WaitingRoom)
			assert.Equal(t, 17, w.StartsAt.In(catalog.Zone).Hour())
			assert.Equal(t, 22, w.EndsAt.In(catalog.Zone).Hour())
		}
	})
	t.Run("blockbuster alarms are the tightest", func(t *testing.T) {
		assert.Equal(t, scaling.Alarms{ErrorRatePercent: 1, P99LatencyMs: 800, ThrottledPerMinute: 100}, byID(t, p, "premiere-mov-doomsday").Alarms)
	})
	t.Run("windows are in start order", func(t *testing.T) {
		for i := 1; i < len(p.Windows); i++ {
			assert.False(t, p.Windows[i].StartsAt.Before(p.Windows[i-1].StartsAt))
		}
	})
	t.Run("the waiting room is on during the presale for that movie only", func(t *testing.T) {
		assert.True(t, p.WaitingRoomAt("mov-doomsday", presale.Add(time.Minute)))
		assert.False(t, p.WaitingRoomAt("mov-other", presale.Add(time.Minute)))
		assert.False(t, p.WaitingRoomAt("mov-doomsday", presale.Add(-2*time.Hour)))
	})
}

func TestBuildCases(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		rels    []scaling.Release
		cal     scaling.Calendar
		from    catalog.Date
		to      catalog.Date
		wantIDs []string
	}{
		{"a normal release runs on demand: no window", []scaling.Release{{MovieID: "mov-drama", Class: releases.Normal, ReleaseDate: thursday}},
			scaling.Calendar{}, from, to, nil},
		{"a high release without a presale date gets its premiere and weekend only",
			[]scaling.Release{{MovieID: "mov-anim", Class: releases.High, ReleaseDate: thursday, PeakAttemptsPerSecond: 2, PeakBuyersPerMinute: 40}},
			scaling.Calendar{}, from, to,
			[]string{"premiere-mov-anim", "weekend-mov-anim-20260501", "weekend-mov-anim-20260502", "weekend-mov-anim-20260503"}},
		{"a presale outside the range is left out", []scaling.Release{blockbuster()}, scaling.Calendar{},
			catalog.Date{Year: 2026, Month: time.April, Day: 20}, catalog.Date{Year: 2026, Month: time.April, Day: 30},
			[]string{"premiere-mov-doomsday"}},
		{"July weekends get matinee windows", nil, scaling.Calendar{},
			catalog.Date{Year: 2026, Month: time.July, Day: 3}, catalog.Date{Year: 2026, Month: time.July, Day: 6},
			[]string{"holiday-20260704", "holiday-20260705"}},
		{"a custom school calendar replaces January and July", nil,
			scaling.Calendar{SchoolHolidays: []scaling.DateRange{{From: catalog.Date{Year: 2026, Month: time.December, Day: 19}, To: catalog.Date{Year: 2027, Month: time.February, Day: 1}}}},
			catalog.Date{Year: 2026, Month: time.July, Day: 3}, catalog.Date{Year: 2026, Month: time.July, Day: 6}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := scaling.Build(c.rels, c.cal, c.from, c.to, nil, now)
			var ids []string
			for _, w := range p.Windows {
				ids = append(ids, w.ID)
			}
			assert.Equal(t, c.wantIDs, ids)
		})
	}
}

func TestOverridesOnlyRaise(t *testing.T) {
	t.Parallel()
	yes := true
	w0 := byID(t, scaling.Build([]scaling.Release{blockbuster()}, scaling.Calendar{}, from, to, nil, now), "premiere-mov-doomsday")
	overrides := []scaling.Override{
		{StartsAt: thursday.At(0, 0), EndsAt: thursday.At(2, 0), Reason: "Sessões da meia-noite.", MovieID: "mov-doomsday",
			WaitingRoom: &yes, Concurrency: []scaling.Concurrency{{Operation: operations.CreateHold, N: 200}}},
		{StartsAt: thursday.At(12, 0), EndsAt: thursday.At(13, 0), Reason: "Menos que o plano.", MovieID: "mov-doomsday",
			Concurrency: []scaling.Concurrency{{Operation: operations.CreateHold, N: 1}, {Operation: operations.GetShowtime, N: 500}}},
	}
	p := scaling.Build([]scaling.Release{blockbuster()}, scaling.Calendar{}, from, to, overrides, now)

	t.Run("each override is a window of its own", func(t *testing.T) {
		w := byID(t, p, "override-1")
		assert.Equal(t, scaling.FromOverride, w.Source)
		assert.Equal(t, scaling.Manual, w.Reason)
		assert.Equal(t, releases.Blockbuster, w.Class, "the class of its movie")
		assert.True(t, w.WaitingRoom)
		assert.Equal(t, 200, w.ConcurrencyOf(operations.CreateHold))
	})
	t.Run("an override raises the planner window it overlaps and never lowers it", func(t *testing.T) {
		w := byID(t, p, "premiere-mov-doomsday")
		assert.Equal(t, 500, w.ConcurrencyOf(operations.GetShowtime))
		assert.Equal(t, w0.ConcurrencyOf(operations.CreateHold), w.ConcurrencyOf(operations.CreateHold))
	})
	t.Run("the schedule takes the largest value where windows overlap and drops to 0 after", func(t *testing.T) {
		var holds []scaling.Action
		for _, a := range p.Actions() {
			if a.Operation == operations.CreateHold {
				holds = append(holds, a)
			}
		}
		require.NotEmpty(t, holds)
		assert.Equal(t, 0, holds[len(holds)-1].Concurrency)
		for _, a := range holds {
			if a.At.Equal(thursday.At(0, 0)) {
				assert.Equal(t, 200, a.Concurrency)
			}
		}
	})
	t.Run("warm raises form a ratchet", func(t *testing.T) {
		rs := p.WarmRaises()
		require.NotEmpty(t, rs)
		for i := 1; i < len(rs); i++ {
			assert.True(t, rs[i].Warm.Read >= rs[i-1].Warm.Read && rs[i].Warm.Write >= rs[i-1].Warm.Write)
		}
	})
}

func TestValidateOverrides(t *testing.T) {
	t.Parallel()
	ok := scaling.Override{StartsAt: now, EndsAt: now.Add(time.Hour), Reason: "x",
		Concurrency: []scaling.Concurrency{{Operation: operations.CreateHold, N: 5}}}
	cases := []struct {
		name  string
		o     func() scaling.Override
		field string
	}{
		{"an override that ends before it starts", func() scaling.Override { o := ok; o.EndsAt = now; return o }, "items[0].endsAt"},
		{"an operation outside the registry", func() scaling.Override {
			o := ok
			o.Concurrency = []scaling.Concurrency{{Operation: "dropTables", N: 1}}
			return o
		}, "items[0].provisionedConcurrency[0].operationId"},
		{"an operation that is not hot", func() scaling.Override {
			o := ok
			o.Concurrency = []scaling.Concurrency{{Operation: operations.GetMe, N: 1}}
			return o
		}, "items[0].provisionedConcurrency[0].operationId"},
		{"an operation twice", func() scaling.Override {
			o := ok
			o.Concurrency = []scaling.Concurrency{{Operation: operations.CreateHold, N: 1}, {Operation: operations.CreateHold, N: 2}}
			return o
		}, "items[0].provisionedConcurrency[1].operationId"},
		{"warm throughput under the floor", func() scaling.Override {
			o := ok
			o.Warm = &scaling.Warm{Read: 100, Write: 100}
			return o
		}, "items[0].tableWarmThroughput"},
	}
	for _, c := range cases {
		t.Run("refuses "+c.name, func(t *testing.T) {
			t.Parallel()
			err := scaling.ValidateOverrides([]scaling.Override{c.o()})
			e, isErr := errs.As(err)
			require.True(t, isErr, "%v", err)
			assert.Equal(t, errs.Invalid, e.Kind)
			assert.Equal(t, c.field, e.Fields[0].Field)
		})
	}
	t.Run("accepts a valid set", func(t *testing.T) {
		t.Parallel()
		assert.NoError(t, scaling.ValidateOverrides([]scaling.Override{ok}))
	})
}

func TestAtExpressionIsSaoPauloWallClock(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "at(2026-04-08T11:30:00)", scaling.AtExpression(time.Date(2026, 4, 8, 14, 30, 0, 0, time.UTC)))
}
