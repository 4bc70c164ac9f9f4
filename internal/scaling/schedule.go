package scaling

import (
	"slices"
	"sort"
	"time"

	"bilhetagem/internal/catalog"
)

// Action sets one operation's provisioned concurrency from At on: an
// Application Auto Scaling scheduled action (min capacity of the alias) in
// America/Sao_Paulo. Overlapping windows take the largest value; 0 releases
// the provisioned environments.
type Action struct {
	Operation   string
	At          time.Time
	Concurrency int
}

// Actions are the plan's windows as step changes per operation, in time
// order.
func (p Plan) Actions() []Action {
	var ops []string
	for _, w := range p.Windows {
		for _, c := range w.Concurrency {
			if !slices.Contains(ops, c.Operation) {
				ops = append(ops, c.Operation)
			}
		}
	}
	var times []time.Time
	for _, w := range p.Windows {
		times = append(times, w.StartsAt, w.EndsAt)
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	times = slices.CompactFunc(times, func(a, b time.Time) bool { return a.Equal(b) })
	var out []Action
	for _, op := range ops {
		current := 0
		for _, t := range times {
			n := 0
			for _, w := range p.Windows {
				if w.Covers(t) {
					n = max(n, w.ConcurrencyOf(op))
				}
			}
			if n != current {
				out = append(out, Action{Operation: op, At: t, Concurrency: n})
				current = n
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

// WarmRaise raises the table's warm throughput at At. Warm throughput only
// goes up (DynamoDB cannot lower it), so the raises form a ratchet: one is
// listed only when it lifts a value above every earlier raise.
type WarmRaise struct {
	At       time.Time
	WindowID string
	Warm     Warm
}

// WarmRaises are the plan's warm-throughput raises in time order.
func (p Plan) WarmRaises() []WarmRaise {
	var ws []Window
	for _, w := range p.Windows {
		if w.Warm != nil {
			ws = append(ws, w)
		}
	}
	sort.SliceStable(ws, func(i, j int) bool { return ws[i].WarmRaiseAt.Before(ws[j].WarmRaiseAt) })
	var out []WarmRaise
	var top Warm
	for _, w := range ws {
		if w.Warm.Read <= top.Read && w.Warm.Write <= top.Write {
			continue
		}
		top = Warm{Read: max(top.Read, w.Warm.Read), Write: max(top.Write, w.Warm.Write)}
		out = append(out, WarmRaise{At: w.WarmRaiseAt, WindowID: w.ID, Warm: top})
	}
	return out
}

// AtExpression is the Application Auto Scaling / EventBridge Scheduler
// one-time expression for t, in São Paulo wall-clock time (the schedule
// carries Timezone America/Sao_Paulo).
func AtExpression(t time.Time) string {
	return "at(" + t.In(catalog.Zone).Format("2006-01-02T15:04:05") + ")"
}
