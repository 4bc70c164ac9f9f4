// Package scaling turns release classes and the calendar into a scaling
// plan: windows of provisioned concurrency for the hot functions, DynamoDB
// warm throughput raised at least 24 h ahead, waiting-room activation and
// alarm thresholds, all in America/Sao_Paulo. Ops overrides only ever raise
// it. It is pure: no AWS, no JSON; the clock is a parameter.
package scaling

import (
	"time"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/releases"
)

// Timezone is the zone every schedule is set in.
const Timezone = "America/Sao_Paulo"

// Reason is why a window exists.
type Reason string

const (
	PresaleOpening Reason = "PRESALE_OPENING"
	Premiere       Reason = "PREMIERE"
	OpeningWeekend Reason = "OPENING_WEEKEND"
	SchoolHoliday  Reason = "SCHOOL_HOLIDAY"
	Manual         Reason = "MANUAL"
)

// Source says who made a window.
type Source string

const (
	FromPlanner  Source = "PLANNER"
	FromOverride Source = "OVERRIDE"
)

// Concurrency is the provisioned concurrency of one operation's function.
type Concurrency struct {
	Operation string
	N         int
}

// Warm is DynamoDB warm throughput for the table, in units per second.
type Warm struct {
	Read, Write int
}

// Table warm throughput floors: what a new on-demand table takes at once
// (facts §5 ✅), and the contract's minimums.
const (
	MinWarmRead  = 12_000
	MinWarmWrite = 4_000
)

// WarmLead is how long before a window the warm throughput is raised: at
// least 24 h (DynamoDB applies it asynchronously).
const WarmLead = 24 * time.Hour

// Alarms are the thresholds during a window.
type Alarms struct {
	ErrorRatePercent   float64
	P99LatencyMs       int
	ThrottledPerMinute int
}

// Window is a span of raised capacity.
type Window struct {
	ID          string
	Source      Source
	Reason      Reason
	MovieID     string
	Class       releases.Class
	StartsAt    time.Time
	EndsAt      time.Time
	Concurrency []Concurrency
	Warm        *Warm
	WarmRaiseAt time.Time // zero without Warm
	WaitingRoom bool
	Alarms      Alarms
}

// Covers reports whether t falls in [StartsAt, EndsAt).
func (w Window) Covers(t time.Time) bool { return !t.Before(w.StartsAt) && t.Before(w.EndsAt) }

// ConcurrencyOf is the window's provisioned concurrency for an operation.
func (w Window) ConcurrencyOf(op string) int {
	for _, c := range w.Concurrency {
		if c.Operation == op {
			return c.N
		}
	}
	return 0
}

// Override is a window ops add or raise by hand.
type Override struct {
	StartsAt, EndsAt time.Time
	Reason           string
	MovieID          string
	Concurrency      []Concurrency
	Warm             *Warm
	WaitingRoom      *bool
}

// Release is what the planner needs to know of a classified release.
type Release struct {
	MovieID        string
	Class          releases.Class
	ReleaseDate    catalog.Date
	PresaleOpensAt time.Time // zero when unknown
	// Peak figures of the classification (hold attempts/s, buyers/min).
	PeakAttemptsPerSecond float64
	PeakBuyersPerMinute   int
}

// FromClassification is the planner's view of a classification.
func FromClassification(c releases.Classification) Release {
	return Release{MovieID: c.MovieID, Class: c.Class, ReleaseDate: c.ReleaseDate, PresaleOpensAt: c.PresaleOpensAt,
		PeakAttemptsPerSecond: c.Peak.HoldAttemptsPerSecond, PeakBuyersPerMinute: c.Peak.BuyersPerMinute}
}

// DateRange is a span of São Paulo days, both ends included.
type DateRange struct{ From, To catalog.Date }

// Contains reports whether d is in the range.
func (r DateRange) Contains(d catalog.Date) bool { return !d.Before(r.From) && !d.After(r.To) }

// Calendar holds the school holidays. The zero Calendar uses January and
// July of every year (study §4 ◐).
type Calendar struct {
	SchoolHolidays []DateRange
}

// IsSchoolHoliday reports whether d is a school holiday.
func (c Calendar) IsSchoolHoliday(d catalog.Date) bool {
	if len(c.SchoolHolidays) == 0 {
		return d.Month == time.January || d.Month == time.July
	}
	for _, r := range c.SchoolHolidays {
		if r.Contains(d) {
			return true
		}
	}
	return false
}

// Plan is the planner's windows merged with the overrides for a range of
// São Paulo days.
type Plan struct {
	GeneratedAt time.Time
	From, To    catalog.Date
	Windows     []Window
	Overrides   []Override
}
