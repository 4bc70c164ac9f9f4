package scaling

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/releases"
)

// HotOperations get provisioned concurrency in a window, in this order.
var HotOperations = []string{
	operations.CreateHold, operations.GetShowtime, operations.EnterWaitingRoom,
	operations.GetWaitingRoomEntry, operations.CreateOrder, operations.CreatePayment,
}

// Sizing assumptions (docs/adr/0401; the ones marked there as hypotheses
// are replaced by measurements once premieres have run).
const (
	Headroom           = 1.5              // over the expected peak
	HoldSeconds        = 0.05             // createHold duration (Little's law)
	SeatMapReadsPerTry = 10               // getShowtime per hold attempt (study §5.4)
	SeatMapSeconds     = 0.05             // getShowtime duration
	EnterSeconds       = 0.03             // enterWaitingRoom duration
	PollSeconds        = 10               // waiting-room poll interval
	QueueMinutes       = 10               // buyers queued at once, in minutes of arrivals
	EntrySeconds       = 0.02             // getWaitingRoomEntry duration
	PurchaseSeconds    = 0.1              // createOrder / createPayment duration
	WCUPerAttempt      = 10               // transactional hold of ~2.2 seats (study §5.4)
	WCUPerEntry        = 3                // counter + entry + marker
	RCUPerSeatMap      = 6                // strongly consistent read of a 240-seat partition
	PremiereShare      = 0.5              // premiere-day peak vs presale-opening peak
	WeekendShare       = 0.35             // opening-weekend evening peak vs presale peak
	HolidayAttempts    = 10.0             // school-holiday matinee hold attempts/s (hypothesis)
	PresaleLeadIn      = 30 * time.Minute // capacity up before the presale opens
	PremiereStartHour  = 10               // premiere day window, from 10:00
	WeekendStartHour   = 17               // Fri–Sun evenings 17:00–22:00
	WeekendEndHour     = 22               //
	HolidayStartHour   = 13               // January/July weekend matinees 13:00–18:00
	HolidayEndHour     = 18               //
	blockbusterPresale = 6 * time.Hour    // presale window length
	highPresale        = 3 * time.Hour    //
)

// AlarmsFor are the thresholds of a window of a class.
func AlarmsFor(c releases.Class) Alarms {
	switch c {
	case releases.Blockbuster:
		return Alarms{ErrorRatePercent: 1, P99LatencyMs: 800, ThrottledPerMinute: 100}
	case releases.High:
		return Alarms{ErrorRatePercent: 1, P99LatencyMs: 1000, ThrottledPerMinute: 50}
	}
	return Alarms{ErrorRatePercent: 2, P99LatencyMs: 1500, ThrottledPerMinute: 20}
}

// load is the expected peak of a window.
type load struct {
	attempts    float64 // hold attempts per second
	buyers      float64 // buyers arriving per minute
	waitingRoom bool
}

// size turns a load into provisioned concurrency per hot operation (Little's
// law with headroom, at least 1) and the table's warm throughput (nil when
// the on-demand floors already cover it).
func size(l load) ([]Concurrency, *Warm) {
	c := func(rps, seconds float64) int { return max(1, int(math.Ceil(rps*seconds*Headroom))) }
	holds := l.attempts / releases.AttemptsPerHold
	out := []Concurrency{
		{operations.CreateHold, c(l.attempts, HoldSeconds)},
		{operations.GetShowtime, c(l.attempts*SeatMapReadsPerTry, SeatMapSeconds)},
	}
	polls := 0.0
	if l.waitingRoom {
		polls = l.buyers * QueueMinutes / PollSeconds
		out = append(out,
			Concurrency{operations.EnterWaitingRoom, c(l.buyers/60, EnterSeconds)},
			Concurrency{operations.GetWaitingRoomEntry, c(polls, EntrySeconds)})
	}
	out = append(out,
		Concurrency{operations.CreateOrder, c(holds, PurchaseSeconds)},
		Concurrency{operations.CreatePayment, c(holds, PurchaseSeconds)})
	write := (l.attempts*WCUPerAttempt + l.buyers/60*WCUPerEntry) * Headroom
	read := (l.attempts*SeatMapReadsPerTry*RCUPerSeatMap + polls*0.5) * Headroom
	if write <= MinWarmWrite && read <= MinWarmRead {
		return out, nil
	}
	return out, &Warm{Read: max(MinWarmRead, int(math.Ceil(read/1000))*1000), Write: max(MinWarmWrite, int(math.Ceil(write/1000))*1000)}
}

func (l load) scaled(f float64) load {
	return load{attempts: l.attempts * f, buyers: l.buyers * f, waitingRoom: l.waitingRoom}
}

// Build makes the plan for the São Paulo days [from, to]: the planner's
// windows for the releases and the calendar, raised by the overrides, plus
// one window per override. Windows are in start order.
func Build(rels []Release, cal Calendar, from, to catalog.Date, overrides []Override, now time.Time) Plan {
	p := Plan{GeneratedAt: now, From: from, To: to, Overrides: slices.Clone(overrides)}
	lo, hi := from.Start(), to.AddDays(1).Start()
	keep := func(w Window) {
		if w.EndsAt.After(lo) && w.StartsAt.Before(hi) {
			p.Windows = append(p.Windows, w)
		}
	}
	classOf := map[string]releases.Class{}
	for _, r := range rels {
		classOf[r.MovieID] = r.Class
		for _, w := range releaseWindows(r) {
			keep(w)
		}
	}
	for d := from; !d.After(to); d = d.AddDays(1) {
		wd := d.Start().Weekday()
		if cal.IsSchoolHoliday(d) && (wd == time.Saturday || wd == time.Sunday) {
			keep(window(fmt.Sprintf("holiday-%s", compact(d)), SchoolHoliday, "", releases.Normal,
				d.At(HolidayStartHour, 0), d.At(HolidayEndHour, 0), load{attempts: HolidayAttempts, buyers: HolidayAttempts / releases.AttemptsPerHold * 60}))
		}
	}
	for i, o := range overrides {
		raise(p.Windows, o)
		class := classOf[o.MovieID]
		if class == "" {
			class = releases.Normal
		}
		w := Window{ID: fmt.Sprintf("override-%d", i+1), Source: FromOverride, Reason: Manual, MovieID: o.MovieID,
			Class: class, StartsAt: o.StartsAt, EndsAt: o.EndsAt, Concurrency: slices.Clone(o.Concurrency),
			Warm: o.Warm, WaitingRoom: o.WaitingRoom != nil && *o.WaitingRoom, Alarms: AlarmsFor(class)}
		if w.Warm != nil {
			w.WarmRaiseAt = w.StartsAt.Add(-WarmLead)
		}
		keep(w)
	}
	sort.SliceStable(p.Windows, func(i, j int) bool {
		if !p.Windows[i].StartsAt.Equal(p.Windows[j].StartsAt) {
			return p.Windows[i].StartsAt.Before(p.Windows[j].StartsAt)
		}
		return p.Windows[i].ID < p.Windows[j].ID
	})
	return p
}

// releaseWindows are a HIGH or BLOCKBUSTER release's presale opening,
// premiere day and opening-weekend evenings. NORMAL releases run on demand.
func releaseWindows(r Release) []Window {
	if !r.Class.AtLeast(releases.High) {
		return nil
	}
	peak := load{attempts: r.PeakAttemptsPerSecond, buyers: float64(r.PeakBuyersPerMinute), waitingRoom: true}
	var out []Window
	premiere := peak
	if !r.PresaleOpensAt.IsZero() {
		length := highPresale
		if r.Class == releases.Blockbuster {
			length = blockbusterPresale
		}
		out = append(out, window("presale-"+r.MovieID, PresaleOpening, r.MovieID, r.Class,
			r.PresaleOpensAt.Add(-PresaleLeadIn), r.PresaleOpensAt.Add(length), peak))
		premiere = peak.scaled(PremiereShare)
	}
	d := r.ReleaseDate
	out = append(out, window("premiere-"+r.MovieID, Premiere, r.MovieID, r.Class,
		d.At(PremiereStartHour, 0), d.AddDays(1).Start(), premiere))
	weekend := peak.scaled(WeekendShare)
	if r.PresaleOpensAt.IsZero() {
		weekend = peak.scaled(WeekendShare / PremiereShare)
	}
	weekend.waitingRoom = false
	for i := 1; i <= 3; i++ { // Friday, Saturday, Sunday after the Thursday release
		day := d.AddDays(i)
		out = append(out, window(fmt.Sprintf("weekend-%s-%s", r.MovieID, compact(day)), OpeningWeekend, r.MovieID, r.Class,
			day.At(WeekendStartHour, 0), day.At(WeekendEndHour, 0), weekend))
	}
	return out
}

func window(id string, reason Reason, movie string, class releases.Class, start, end time.Time, l load) Window {
	conc, warm := size(l)
	w := Window{ID: id, Source: FromPlanner, Reason: reason, MovieID: movie, Class: class, StartsAt: start, EndsAt: end,
		Concurrency: conc, Warm: warm, WaitingRoom: l.waitingRoom, Alarms: AlarmsFor(class)}
	if warm != nil {
		w.WarmRaiseAt = start.Add(-WarmLead)
	}
	return w
}

// raise lifts the planner windows an override overlaps (of its movie, or
// all when it names none) to the override's values; it never lowers them.
func raise(ws []Window, o Override) {
	for i := range ws {
		w := &ws[i]
		if w.Source != FromPlanner || !w.StartsAt.Before(o.EndsAt) || !o.StartsAt.Before(w.EndsAt) {
			continue
		}
		if o.MovieID != "" && w.MovieID != o.MovieID {
			continue
		}
		for _, c := range o.Concurrency {
			j := slices.IndexFunc(w.Concurrency, func(x Concurrency) bool { return x.Operation == c.Operation })
			switch {
			case j < 0:
				w.Concurrency = append(w.Concurrency, c)
			case c.N > w.Concurrency[j].N:
				w.Concurrency[j].N = c.N
			}
		}
		if o.Warm != nil {
			if w.Warm == nil {
				w.Warm = &Warm{Read: o.Warm.Read, Write: o.Warm.Write}
				w.WarmRaiseAt = w.StartsAt.Add(-WarmLead)
			} else {
				w.Warm = &Warm{Read: max(w.Warm.Read, o.Warm.Read), Write: max(w.Warm.Write, o.Warm.Write)}
			}
		}
		if o.WaitingRoom != nil && *o.WaitingRoom {
			w.WaitingRoom = true
		}
	}
}

// ValidateOverrides checks a set of overrides: each ends after it starts,
// names only hot operations of the registry, once each, and warm throughput
// at or above the floors.
func ValidateOverrides(os []Override) error {
	var fields []errs.FieldError
	bad := func(i int, field, msg string) {
		fields = append(fields, errs.FieldError{Field: fmt.Sprintf("items[%d].%s", i, field), Message: msg})
	}
	for i, o := range os {
		if !o.EndsAt.After(o.StartsAt) {
			bad(i, "endsAt", "endsAt deve ser depois de startsAt")
		}
		if strings.TrimSpace(o.Reason) == "" {
			bad(i, "reason", "informe o motivo")
		}
		seen := map[string]bool{}
		for j, c := range o.Concurrency {
			f := fmt.Sprintf("provisionedConcurrency[%d].operationId", j)
			switch {
			case !slices.Contains(HotOperations, c.Operation):
				if _, ok := operations.ByID(c.Operation); !ok {
					bad(i, f, "operação desconhecida")
				} else {
					bad(i, f, "a operação não é uma função quente do plano: "+strings.Join(HotOperations, ", "))
				}
			case seen[c.Operation]:
				bad(i, f, "operação repetida")
			}
			seen[c.Operation] = true
		}
		if o.Warm != nil && (o.Warm.Read < MinWarmRead || o.Warm.Write < MinWarmWrite) {
			bad(i, "tableWarmThroughput", fmt.Sprintf("mínimo de %d leituras e %d escritas por segundo", MinWarmRead, MinWarmWrite))
		}
	}
	if len(fields) > 0 {
		return errs.InvalidFields(fields...)
	}
	return nil
}

// WaitingRoomAt reports whether a window with the waiting room on covers t
// for the movie (or for every movie, when the window names none).
func (p Plan) WaitingRoomAt(movieID string, t time.Time) bool {
	for _, w := range p.Windows {
		if w.WaitingRoom && w.Covers(t) && (w.MovieID == "" || w.MovieID == movieID) {
			return true
		}
	}
	return false
}

func compact(d catalog.Date) string { return strings.ReplaceAll(d.String(), "-", "") }
