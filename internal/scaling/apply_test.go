package scaling_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/releases"
	"bilhetagem/internal/scaling"
	"bilhetagem/internal/waitingroom"
)

func TestWaitingRoomSwitch(t *testing.T) {
	t.Parallel()
	start, end := presale.Add(-scaling.PresaleLeadIn), presale.Add(6*time.Hour)
	plan := scaling.Plan{Windows: []scaling.Window{{ID: "presale", WaitingRoom: true, StartsAt: start, EndsAt: end},
		{ID: "weekend", WaitingRoom: false, StartsAt: end.Add(48 * time.Hour), EndsAt: end.Add(53 * time.Hour)}}}
	off := waitingroom.DefaultSettings
	plannerAuto := waitingroom.Settings{Mode: waitingroom.Auto, UpdatedBy: scaling.PlannerName}
	opsAuto := waitingroom.Settings{Mode: waitingroom.Auto, UpdatedBy: "carla@exemplo.com.br"}
	opsOn := waitingroom.Settings{Mode: waitingroom.On, UpdatedBy: "carla@exemplo.com.br"}
	cases := []struct {
		name   string
		cur    waitingroom.Settings
		at     time.Time
		want   waitingroom.Mode
		change bool
	}{
		{"a window with the queue starting within the lookahead turns an OFF room to AUTO", off, start.Add(-10 * time.Minute), waitingroom.Auto, true},
		{"a window further ahead leaves it OFF", off, start.Add(-scaling.Lookahead - time.Minute), waitingroom.Off, false},
		{"inside the window an OFF room goes AUTO", off, start.Add(time.Hour), waitingroom.Auto, true},
		{"inside the window the planner's AUTO stays", plannerAuto, start.Add(time.Hour), waitingroom.Auto, false},
		{"after the window the planner's AUTO goes OFF", plannerAuto, end, waitingroom.Off, true},
		{"a window without the queue does not turn it on", off, end.Add(49 * time.Hour), waitingroom.Off, false},
		{"after the window ops' AUTO stays: their decision", opsAuto, end, waitingroom.Auto, false},
		{"ops' ON is never touched", opsOn, end, waitingroom.On, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			mode, change := scaling.WaitingRoomSwitch(plan, c.cur, c.at)
			assert.Equal(t, c.want, mode)
			assert.Equal(t, c.change, change)
		})
	}
}

type classifierFake struct{ cs []releases.Classification }

func (c classifierFake) Upcoming(context.Context, catalog.Date, time.Time) ([]releases.Classification, error) {
	return c.cs, nil
}

func (c classifierFake) ClassifyMovie(_ context.Context, id string, _ time.Time) (releases.Classification, error) {
	return c.cs[0], nil
}

type overridesFake struct{ o scaling.Overrides }

func (f *overridesFake) ScalingOverrides(context.Context) (scaling.Overrides, error) { return f.o, nil }
func (f *overridesFake) PutScalingOverrides(_ context.Context, o scaling.Overrides) error {
	f.o = o
	return nil
}

type capacityFake struct {
	actions []scaling.Action
	at      time.Time
}

func (c *capacityFake) Apply(_ context.Context, actions []scaling.Action, now time.Time) (scaling.Applied, error) {
	c.actions, c.at = actions, now
	return scaling.Applied{Put: len(actions)}, nil
}

type roomFake struct {
	s  waitingroom.Settings
	by string
}

func (r *roomFake) Settings(context.Context, time.Time) (waitingroom.Settings, error) {
	return r.s, nil
}
func (r *roomFake) Update(_ context.Context, in waitingroom.Settings, by string, _ time.Time) (waitingroom.Settings, error) {
	r.s, r.by = in, by
	r.s.UpdatedBy = by
	return r.s, nil
}

func TestPlannerRunAppliesThePlanAndSwitchesTheRoom(t *testing.T) {
	t.Parallel()
	c := releases.Classification{MovieID: "mov-doomsday", Class: releases.Blockbuster, ReleaseDate: thursday, PresaleOpensAt: presale,
		Peak: releases.Peak{At: presale, BuyersPerMinute: 3000, HoldAttemptsPerSecond: 150}}
	svc := &scaling.Service{Releases: classifierFake{[]releases.Classification{c}}, Store: &overridesFake{}}
	capacity := &capacityFake{}
	room := &roomFake{s: waitingroom.DefaultSettings}
	p := &scaling.Planner{Plans: svc, Capacity: capacity, WaitingRoom: room, Days: 14}

	at := presale.Add(-40 * time.Minute) // the presale window opens in 10 minutes
	run, err := p.Run(context.Background(), at)
	require.NoError(t, err)
	assert.Equal(t, run.Plan.Actions(), capacity.actions, "the plan's steps go to Application Auto Scaling")
	assert.True(t, capacity.at.Equal(at))
	require.NotEmpty(t, capacity.actions)
	assert.Equal(t, operations.CreateHold, capacity.actions[0].Operation)
	assert.True(t, capacity.actions[0].At.Equal(presale.Add(-scaling.PresaleLeadIn)))
	assert.True(t, run.Switched)
	assert.Equal(t, waitingroom.Auto, room.s.Mode)
	assert.Equal(t, scaling.PlannerName, room.by)

	t.Run("after the presale window the room goes back OFF", func(t *testing.T) {
		run, err := p.Run(context.Background(), presale.Add(7*time.Hour))
		require.NoError(t, err)
		assert.True(t, run.Switched)
		assert.Equal(t, waitingroom.Off, room.s.Mode)
	})
}

func TestWarmByRaisesAtLeastWarmLeadAheadAndNeverForAPastWindow(t *testing.T) {
	t.Parallel()
	w1 := scaling.Window{ID: "presale", StartsAt: presale, EndsAt: presale.Add(6 * time.Hour),
		Warm: &scaling.Warm{Read: 20_000, Write: 5_000}, WarmRaiseAt: presale.Add(-scaling.WarmLead)}
	w2 := scaling.Window{ID: "premiere", StartsAt: presale.Add(26 * time.Hour), EndsAt: presale.Add(36 * time.Hour),
		Warm: &scaling.Warm{Read: 15_000, Write: 8_000}, WarmRaiseAt: presale.Add(2 * time.Hour)}
	cold := scaling.Window{ID: "weekend", StartsAt: presale.Add(-time.Hour), EndsAt: presale.Add(90 * time.Hour)}
	plan := scaling.Plan{Windows: []scaling.Window{cold, w1, w2}}

	assert.Nil(t, plan.WarmBy(w1.WarmRaiseAt.Add(-scaling.Lookahead-time.Minute)), "not due yet: nothing to raise")
	// The last run before the raise is due asks for it, so it lands at
	// least WarmLead before the window.
	assert.Equal(t, &scaling.Warm{Read: 20_000, Write: 5_000}, plan.WarmBy(w1.WarmRaiseAt.Add(-scaling.Lookahead+time.Minute)))
	assert.Equal(t, &scaling.Warm{Read: 20_000, Write: 5_000}, plan.WarmBy(presale.Add(time.Hour)), "inside the window")
	assert.Equal(t, &scaling.Warm{Read: 20_000, Write: 8_000}, plan.WarmBy(w2.WarmRaiseAt), "both due: the largest of each")
	assert.Equal(t, &scaling.Warm{Read: 15_000, Write: 8_000}, plan.WarmBy(w1.EndsAt.Add(25*time.Hour)), "an ended window asks for nothing")
	assert.Nil(t, plan.WarmBy(w2.EndsAt))
}

func TestAlarmWindowsAreTheWindowsUnderWayOrStartingWithinTheLookahead(t *testing.T) {
	t.Parallel()
	a := scaling.Window{ID: "a", StartsAt: presale, EndsAt: presale.Add(time.Hour)}
	b := scaling.Window{ID: "b", StartsAt: presale.Add(30 * time.Minute), EndsAt: presale.Add(2 * time.Hour)}
	plan := scaling.Plan{Windows: []scaling.Window{a, b}}
	ids := func(ws []scaling.Window) []string {
		var out []string
		for _, w := range ws {
			out = append(out, w.ID)
		}
		return out
	}
	assert.Empty(t, plan.AlarmWindows(presale.Add(-scaling.Lookahead)))
	assert.Equal(t, []string{"a"}, ids(plan.AlarmWindows(presale.Add(-scaling.Lookahead+time.Minute))))
	assert.Equal(t, []string{"a", "b"}, ids(plan.AlarmWindows(presale.Add(20*time.Minute))))
	assert.Equal(t, []string{"b"}, ids(plan.AlarmWindows(presale.Add(time.Hour))), "a has ended")
	assert.Empty(t, plan.AlarmWindows(presale.Add(2*time.Hour)))
}

type warmthFake struct {
	asked []scaling.Warm
	err   error
}

func (w *warmthFake) Raise(_ context.Context, want scaling.Warm) (scaling.WarmApplied, error) {
	w.asked = append(w.asked, want)
	return scaling.WarmApplied{Want: want, Raised: w.err == nil}, w.err
}

type alarmsFake struct {
	windows [][]string
}

func (a *alarmsFake) Apply(_ context.Context, ws []scaling.Window, _ time.Time) (scaling.Applied, error) {
	var ids []string
	for _, w := range ws {
		ids = append(ids, w.ID)
	}
	a.windows = append(a.windows, ids)
	return scaling.Applied{Put: 3 * len(ws)}, nil
}

type failingCapacity struct{}

func (failingCapacity) Apply(context.Context, []scaling.Action, time.Time) (scaling.Applied, error) {
	return scaling.Applied{}, errors.New("throttled")
}

func TestPlannerRunRaisesWarmThroughputAndPutsTheWindowsAlarms(t *testing.T) {
	t.Parallel()
	// 300 hold attempts/s needs warm throughput above the floors.
	c := releases.Classification{MovieID: "mov-doomsday", Class: releases.Blockbuster, ReleaseDate: thursday, PresaleOpensAt: presale,
		Peak: releases.Peak{At: presale, BuyersPerMinute: 6000, HoldAttemptsPerSecond: 300}}
	svc := &scaling.Service{Releases: classifierFake{[]releases.Classification{c}}, Store: &overridesFake{}}
	warm, alarms := &warmthFake{}, &alarmsFake{}
	p := &scaling.Planner{Plans: svc, Capacity: &capacityFake{}, Warmth: warm, Alarms: alarms,
		WaitingRoom: &roomFake{s: waitingroom.DefaultSettings}, Days: 14}

	start := presale.Add(-scaling.PresaleLeadIn)
	run, err := p.Run(context.Background(), start.Add(-scaling.WarmLead-time.Hour))
	require.NoError(t, err)
	assert.Empty(t, warm.asked, "a raise not due yet is not asked for")
	assert.Nil(t, run.Warm)
	assert.Equal(t, [][]string{nil}, alarms.windows, "no window under way: every planner alarm goes")

	run, err = p.Run(context.Background(), start.Add(-scaling.WarmLead-10*time.Minute))
	require.NoError(t, err)
	presaleWindow := run.Plan.Windows[0]
	require.Equal(t, "presale-mov-doomsday", presaleWindow.ID)
	require.NotNil(t, presaleWindow.Warm)
	assert.Equal(t, []scaling.Warm{*presaleWindow.Warm}, warm.asked, "raised at least 24 h before the window")
	require.NotNil(t, run.Warm)
	assert.True(t, run.Warm.Raised)

	_, err = p.Run(context.Background(), start.Add(-10*time.Minute))
	require.NoError(t, err)
	assert.Equal(t, []string{"presale-mov-doomsday"}, alarms.windows[len(alarms.windows)-1])
}

func TestPlannerRunGoesOnWhenAPartFails(t *testing.T) {
	t.Parallel()
	c := releases.Classification{MovieID: "mov-doomsday", Class: releases.Blockbuster, ReleaseDate: thursday, PresaleOpensAt: presale,
		Peak: releases.Peak{At: presale, BuyersPerMinute: 6000, HoldAttemptsPerSecond: 300}}
	svc := &scaling.Service{Releases: classifierFake{[]releases.Classification{c}}, Store: &overridesFake{}}
	warm, alarms := &warmthFake{err: errors.New("access denied")}, &alarmsFake{}
	room := &roomFake{s: waitingroom.DefaultSettings}
	p := &scaling.Planner{Plans: svc, Capacity: failingCapacity{}, Warmth: warm, Alarms: alarms, WaitingRoom: room, Days: 14}

	run, err := p.Run(context.Background(), presale.Add(-40*time.Minute))
	require.Error(t, err)
	assert.ErrorContains(t, err, "apply scaling plan: throttled")
	assert.ErrorContains(t, err, "raise warm throughput: access denied")
	assert.Len(t, warm.asked, 1)
	assert.Len(t, alarms.windows, 1, "the alarms are still applied")
	assert.True(t, run.Switched, "the waiting room still switches")
	assert.Equal(t, waitingroom.Auto, room.s.Mode)
}
