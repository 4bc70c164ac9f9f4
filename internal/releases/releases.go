// Package releases classifies upcoming releases by expected demand: a demand
// class (BLOCKBUSTER, HIGH, NORMAL), a score and an expected peak, from the
// release's features and comparable past releases.
//
// The model is a ridge regression of log10(opening-day tickets in Brazil) on
// the features, trained on the history shipped in seed/data; the class comes
// from thresholds on the predicted tickets, and the comparables are the
// nearest past releases in the same feature space. It is pure: no AWS, no
// JSON. docs/adr/0400 explains the choices and docs/study.md §10 holds the
// evaluation.
package releases

import (
	"time"

	"bilhetagem/internal/catalog"
)

// Class is the expected demand of a release.
type Class string

const (
	Blockbuster Class = "BLOCKBUSTER"
	High        Class = "HIGH"
	Normal      Class = "NORMAL"
)

// Valid reports whether c is a known class.
func (c Class) Valid() bool { return c == Blockbuster || c == High || c == Normal }

// AtLeast reports whether c is o or above (NORMAL < HIGH < BLOCKBUSTER).
func (c Class) AtLeast(o Class) bool { return c.rank() >= o.rank() }

func (c Class) rank() int {
	switch c {
	case Blockbuster:
		return 2
	case High:
		return 1
	}
	return 0
}

// Class thresholds on national opening-day tickets (hypothesis, ADR 0400):
// Endgame sold 1.64 M and Barbie 1.18 M on their Brazilian opening days ◐.
const (
	BlockbusterTickets = 800_000
	HighTickets        = 250_000
)

// ClassOf is the class of an opening day of that many national tickets.
func ClassOf(tickets float64) Class {
	switch {
	case tickets >= BlockbusterTickets:
		return Blockbuster
	case tickets >= HighTickets:
		return High
	}
	return Normal
}

// Features are the classifier's inputs for one release.
type Features struct {
	Franchise bool
	Sequel    bool
	Genres    []string
	AgeRating catalog.AgeRating
	// Screens and Showtimes are the chain's rooms and sessions in the
	// release week (release Thursday and the six days after); 0 when the
	// week is not scheduled yet.
	Screens   int
	Showtimes int
	// PresaleTicketsPerHour is the chain's own presale velocity: tickets
	// paid per hour since the presale opened, over at most the last 24 h
	// (PresaleVelocity); 0 once the movie is released.
	PresaleTicketsPerHour float64
	// InterestIndex is 0..100 (e.g. Google Trends) imported by ops;
	// HasInterest is false when nobody entered one.
	InterestIndex int
	HasInterest   bool
}

// Scheduled reports whether the release week has sessions allocated.
func (f Features) Scheduled() bool { return f.Screens > 0 && f.Showtimes > 0 }

// Past is a past release with its outcome, for training and comparables.
type Past struct {
	ID      string
	Title   string
	Release catalog.Date
	Features
	// OpeningDayTickets is the national opening-day attendance.
	OpeningDayTickets int
}

// Comparable is a past release the classifier compares with.
type Comparable struct {
	ID                string
	Title             string
	OpeningDayTickets int
}

// Peak is when and how hard the busiest minute is expected to hit the chain.
type Peak struct {
	At              time.Time
	BuyersPerMinute int
	// HoldAttemptsPerSecond counts failed attempts and retries, like the
	// capacity target of ADR 0203.
	HoldAttemptsPerSecond float64
}

// Classification is the class and expected peak of one release.
type Classification struct {
	MovieID        string
	Title          string
	ReleaseDate    catalog.Date
	PresaleOpensAt time.Time // zero when no presale date is known
	Class          Class
	Score          float64
	// Tickets is the predicted national opening-day attendance.
	Tickets     float64
	Peak        Peak
	Features    Features
	Comparables []Comparable
	Reasons     []string
}
