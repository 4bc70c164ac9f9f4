package scaling

import (
	"context"
	"errors"
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

// WarmApplied is what raising the table's warm throughput did.
type WarmApplied struct {
	Want   Warm // what the plan asks by now
	Before Warm // the table's warm throughput as read before the raise
	Raised bool
	// Deferred: the table was being updated, so nothing was asked of it;
	// the next run tries again.
	Deferred bool
}

// Warmth raises the table's warm throughput, never lowering it
// (internal/autoscaling.TableWarmer in AWS).
type Warmth interface {
	Raise(ctx context.Context, want Warm) (WarmApplied, error)
}

// WindowAlarms keeps one set of alarms per window at the window's
// thresholds, for the windows given, and deletes the ones of windows no
// longer given (internal/autoscaling.WindowAlarms in AWS).
type WindowAlarms interface {
	Apply(ctx context.Context, windows []Window, now time.Time) (Applied, error)
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
// concurrency through Capacity, the table's warm throughput through Warmth,
// the windows' alarms through Alarms, and the waiting room on or off.
type Planner struct {
	Plans       *Service
	Capacity    Capacity
	Warmth      Warmth       // nil: warm throughput is not applied
	Alarms      WindowAlarms // nil: window alarms are not applied
	WaitingRoom WaitingRoom
	// Days is how many São Paulo days ahead the scheduled actions reach.
	Days int
}

// Run is what one run did.
type Run struct {
	Plan        Plan
	Applied     Applied
	Warm        *WarmApplied // nil when no window needs warm throughput by now
	Alarms      Applied
	WaitingRoom waitingroom.Mode // the mode after the run
	Switched    bool             // the run changed it
}

// Run plans today and the next Days days at now, then applies each part of
// the plan: the provisioned concurrency, the warm throughput due by now,
// the alarms of the windows under way and the waiting room. A part that
// fails does not stop the others; the run returns their errors together.
func (p *Planner) Run(ctx context.Context, now time.Time) (Run, error) {
	today := catalog.DateOf(now)
	plan, err := p.Plans.Plan(ctx, today, today.AddDays(max(1, p.Days)), now)
	if err != nil {
		return Run{}, err
	}
	out := Run{Plan: plan}
	var errs []error
	if out.Applied, err = p.Capacity.Apply(ctx, plan.Actions(), now); err != nil {
		errs = append(errs, fmt.Errorf("apply scaling plan: %w", err))
	}
	if want := plan.WarmBy(now); want != nil && p.Warmth != nil {
		w, err := p.Warmth.Raise(ctx, *want)
		out.Warm = &w
		if err != nil {
			errs = append(errs, fmt.Errorf("raise warm throughput: %w", err))
		}
	}
	if p.Alarms != nil {
		if out.Alarms, err = p.Alarms.Apply(ctx, plan.AlarmWindows(now), now); err != nil {
			errs = append(errs, fmt.Errorf("apply window alarms: %w", err))
		}
	}
	if err := p.switchRoom(ctx, plan, now, &out); err != nil {
		errs = append(errs, err)
	}
	return out, errors.Join(errs...)
}

func (p *Planner) switchRoom(ctx context.Context, plan Plan, now time.Time, out *Run) error {
	cur, err := p.WaitingRoom.Settings(ctx, now)
	if err != nil {
		return err
	}
	out.WaitingRoom = cur.Mode
	mode, change := WaitingRoomSwitch(plan, cur, now)
	if !change {
		return nil
	}
	next := cur
	next.Mode = mode
	if _, err := p.WaitingRoom.Update(ctx, next, PlannerName, now); err != nil {
		return fmt.Errorf("switch waiting room: %w", err)
	}
	out.WaitingRoom, out.Switched = mode, true
	return nil
}

// WarmBy is the warm throughput the table must have at now: the largest of
// the windows not over yet whose raise falls due within Lookahead, so that
// a planner running every Lookahead raises it at least WarmLead before the
// window starts. A window planned less than WarmLead ahead (a late
// override) is raised at once. nil when no window needs one.
func (p Plan) WarmBy(now time.Time) *Warm {
	var out *Warm
	for _, w := range p.Windows {
		if w.Warm == nil || !w.WarmRaiseAt.Before(now.Add(Lookahead)) || !now.Before(w.EndsAt) {
			continue
		}
		if out == nil {
			out = &Warm{}
		}
		out.Read, out.Write = max(out.Read, w.Warm.Read), max(out.Write, w.Warm.Write)
	}
	return out
}

// AlarmWindows are the windows whose alarms must exist at now: those
// covering some moment of the next Lookahead, so the alarms are in place
// when a window starts and go within one run after it ends.
func (p Plan) AlarmWindows(now time.Time) []Window {
	var out []Window
	for _, w := range p.Windows {
		if w.StartsAt.Before(now.Add(Lookahead)) && now.Before(w.EndsAt) {
			out = append(out, w)
		}
	}
	return out
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
