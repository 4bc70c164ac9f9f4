package scaling_test

import (
	"context"
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
