package scaling

import (
	"context"
	"fmt"
	"time"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/waitingroom"
)

// Applied counts what applying provisioned concurrency did.
type Applied struct {
	Put, Deleted, Unchanged int
}

// Capacity applies the plan's provisioned concurrency steps
// (internal/autoscaling in AWS).
type Capacity interface {
	Apply(ctx context.Context, actions []Action, now time.Time) (Applied, error)
}

// WaitingRoom is the waiting room's settings as the planner switches them
// (waitingroom.Service).
type WaitingRoom interface {
	Settings(ctx context.Context, now time.Time) (waitingroom.Settings, error)
	Update(ctx context.Context, in waitingroom.Settings, by string, now time.Time) (waitingroom.Settings, error)
}

// PlannerName signs the waiting-room settings the planner writes; settings
// signed by anyone else are ops' and the planner leaves them alone.
const PlannerName = "planejador-de-escala"

// Lookahead is how far ahead a run looks for a waiting-room window: the
// schedule's period, so the queue is on before a window starts rather than
// up to one period after.
const Lookahead = 15 * time.Minute

// Planner is the scheduled run that applies the plan: provisioned
// concurrency through Capacity and the waiting room on or off.
type Planner struct {
	Plans       *Service
	Capacity    Capacity
	WaitingRoom WaitingRoom
	// Days is how many São Paulo days ahead the scheduled actions reach.
	Days int
}

// Run is what one run did.
type Run struct {
	Plan        Plan
	Applied     Applied
	WaitingRoom waitingroom.Mode // the mode after the run
	Switched    bool             // the run changed it
}

// Run plans today and the next Days days at now, applies the provisioned
// concurrency and switches the waiting room.
func (p *Planner) Run(ctx context.Context, now time.Time) (Run, error) {
	today := catalog.DateOf(now)
	plan, err := p.Plans.Plan(ctx, today, today.AddDays(max(1, p.Days)), now)
	if err != nil {
		return Run{}, err
	}
	applied, err := p.Capacity.Apply(ctx, plan.Actions(), now)
	if err != nil {
		return Run{Plan: plan}, fmt.Errorf("apply scaling plan: %w", err)
	}
	cur, err := p.WaitingRoom.Settings(ctx, now)
	if err != nil {
		return Run{Plan: plan, Applied: applied}, err
	}
	out := Run{Plan: plan, Applied: applied, WaitingRoom: cur.Mode}
	mode, change := WaitingRoomSwitch(plan, cur, now)
	if !change {
		return out, nil
	}
	next := cur
	next.Mode = mode
	if _, err := p.WaitingRoom.Update(ctx, next, PlannerName, now); err != nil {
		return out, fmt.Errorf("switch waiting room: %w", err)
	}
	out.WaitingRoom, out.Switched = mode, true
	return out, nil
}

// WaitingRoomSwitch is the mode the plan asks of the waiting room at now:
//   - a window with the waiting room on covers some moment of the next
//     Lookahead and the room is OFF: AUTO (the window's HIGH and
//     BLOCKBUSTER releases and the listed ones queue, ADR 0402);
//   - no such window and the room is AUTO by the planner's own hand: OFF;
//   - otherwise nothing: ON, or AUTO set by ops, is ops' decision.
func WaitingRoomSwitch(plan Plan, cur waitingroom.Settings, now time.Time) (waitingroom.Mode, bool) {
	want := false
	for _, w := range plan.Windows {
		if w.WaitingRoom && w.StartsAt.Before(now.Add(Lookahead)) && now.Before(w.EndsAt) {
			want = true
			break
		}
	}
	switch {
	case want && cur.Mode == waitingroom.Off:
		return waitingroom.Auto, true
	case !want && cur.Mode == waitingroom.Auto && cur.UpdatedBy == PlannerName:
		return waitingroom.Off, true
	}
	return cur.Mode, false
}
