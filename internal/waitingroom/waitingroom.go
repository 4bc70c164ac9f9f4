// Package waitingroom is the virtual waiting room of premiere mode: a fair
// first-come, first-served queue per showtime, admission at a rate the
// backend sustains, and signed admission tokens that createHold checks.
//
// A showtime's queue is N shards, each an atomic counter of its own, taken
// in turn, so that arrivals spread over N items (and N partitions) instead
// of one. Shard k of N is a queue admitting at rate/N: its local number l of
// an epoch is admitted at OpenedAt + (l − Base − 1) × N / rate, and its
// place in line is the interleaved (l − Base − 1) × N + k + 1. Admission
// needs no writer advancing it and reading an entry writes nothing. When a
// shard has sat empty for longer than BurstAllowance its next buyer opens a
// new epoch of that shard, so idle time cannot be saved up and spent by a
// later crowd. docs/adr/0402 and 0403 explain it.
//
// The package is pure apart from the Service's Store: no AWS, no HTTP.
package waitingroom

import (
	"fmt"
	"math"
	"slices"
	"time"

	"bilhetagem/internal/errs"
)

// Mode says which showtimes queue.
type Mode string

const (
	// Off: nobody queues.
	Off Mode = "OFF"
	// Auto: showtimes of releases classified BLOCKBUSTER or HIGH, or flagged
	// by the scaling plan, plus the listed movies and showtimes.
	Auto Mode = "AUTO"
	// On: the listed movies and showtimes.
	On Mode = "ON"
)

// Valid reports whether m is a known mode.
func (m Mode) Valid() bool { return m == Off || m == Auto || m == On }

// Settings are what ops set.
type Settings struct {
	Mode                   Mode
	AdmissionRatePerMinute int
	TokenTTL               time.Duration
	MovieIDs               []string
	ShowtimeIDs            []string
	UpdatedAt              time.Time
	UpdatedBy              string
	// Version counts writes; a write must name the version it replaces.
	Version int
}

// DefaultSettings apply until ops save their own: nothing queues; when it
// does, 600 buyers a minute per showtime (about 30 hold attempts/s in one
// showtime's partition at 3 attempts each, a fifth of the chain-wide target
// of ADR 0203), and a token lasts 10 minutes like a hold.
var DefaultSettings = Settings{Mode: Off, AdmissionRatePerMinute: 600, TokenTTL: 10 * time.Minute,
	MovieIDs: []string{}, ShowtimeIDs: []string{}}

// Validate checks settings as ops send them.
func (s Settings) Validate() error {
	var fields []errs.FieldError
	if !s.Mode.Valid() {
		fields = append(fields, errs.FieldError{Field: "mode", Message: "modo desconhecido"})
	}
	if s.AdmissionRatePerMinute < 1 || s.AdmissionRatePerMinute > 100_000 {
		fields = append(fields, errs.FieldError{Field: "admissionRatePerMinute", Message: "entre 1 e 100000"})
	}
	if s.TokenTTL < time.Minute || s.TokenTTL > 30*time.Minute {
		fields = append(fields, errs.FieldError{Field: "admissionTokenTtlSeconds", Message: "entre 60 e 1800"})
	}
	if len(fields) > 0 {
		return errs.InvalidFields(fields...)
	}
	return nil
}

// Lists reports whether the settings name the movie or the showtime.
func (s Settings) Lists(movieID, showtimeID string) bool {
	return slices.Contains(s.MovieIDs, movieID) || slices.Contains(s.ShowtimeIDs, showtimeID)
}

// Interval is the time between two admissions of one queue.
func (s Settings) Interval() time.Duration {
	return time.Minute / time.Duration(max(1, s.AdmissionRatePerMinute))
}

// BurstAllowance bounds the admissions an idle queue saves up: after this
// long empty, the next buyer opens a new epoch.
const BurstAllowance = 10 * time.Second

// DefaultShards is how many counters a showtime's queue spreads its
// arrivals over (docs/adr/0403).
const DefaultShards = 8

// Queue is one shard's counter of a showtime's queue: Next numbers taken so
// far in the shard; its current epoch opened at OpenedAt after number Base.
// Shard is k of Shards (0 of 1 for an unsharded queue).
type Queue struct {
	ShowtimeID string
	Shard      int
	Shards     int
	Next       int64
	Base       int64
	OpenedAt   time.Time
}

func (q Queue) shards() int64 { return int64(max(1, q.Shards)) }

// Stride is the time between two admissions of the shard: each of N shards
// admits at rate/N, so the showtime as a whole admits at the rate.
func (q Queue) Stride(interval time.Duration) time.Duration {
	return interval * time.Duration(q.shards())
}

// Entered is how many buyers entered the shard's current epoch.
func (q Queue) Entered() int64 { return q.Next - q.Base }

// AdmitAt is when number n of the shard's epoch is admitted.
func (q Queue) AdmitAt(n int64, interval time.Duration) time.Time {
	return q.OpenedAt.Add(time.Duration(n-q.Base-1) * q.Stride(interval))
}

// Admitted is how many of the shard's epoch are admitted by t.
func (q Queue) Admitted(t time.Time, interval time.Duration) int64 {
	if t.Before(q.OpenedAt) {
		return 0
	}
	return min(q.Entered(), int64(t.Sub(q.OpenedAt)/q.Stride(interval))+1)
}

// Stale reports whether number n, just taken at now, should open a new
// epoch of the shard: it had been empty for longer than BurstAllowance.
func (q Queue) Stale(n int64, now time.Time, interval time.Duration) bool {
	return now.Sub(q.AdmitAt(n, interval)) > BurstAllowance
}

// Position is number n's place in the showtime's line: the shards'
// numbers interleaved, shard 0's first, shard 1's first, …, shard 0's
// second. Positions are unique; with shards taken in turn a buyer stands
// within a few rounds of N places of strict arrival order (ADR 0403).
func (q Queue) Position(n int64) int64 {
	return (n-q.Base-1)*q.shards() + int64(q.Shard) + 1
}

// Status is where an entry stands.
type Status string

const (
	Waiting  Status = "WAITING"
	Admitted Status = "ADMITTED"
	Bypassed Status = "BYPASSED"
	Expired  Status = "EXPIRED"
)

// Entry is one buyer's place in a showtime's queue. A bypassed entry has no
// number.
type Entry struct {
	ID         string
	ShowtimeID string
	Holder     string
	EnteredAt  time.Time
	// Number, Base and OpenedAt place a queued entry in its shard's
	// epoch; Shard is k of Shards.
	Number   int64
	Base     int64
	OpenedAt time.Time
	Shard    int
	Shards   int
	Bypassed bool
}

// queue is the entry's shard as it stood when the entry took its number.
func (e Entry) queue() Queue {
	return Queue{ShowtimeID: e.ShowtimeID, Shard: e.Shard, Shards: e.Shards, Next: e.Number, Base: e.Base, OpenedAt: e.OpenedAt}
}

// Place is an entry's standing at a moment.
type Place struct {
	Status      Status
	Position    int // from 1 in the epoch; 0 when bypassed
	AheadOfYou  int
	ETA         time.Duration
	PollAfter   time.Duration
	AdmittedAt  time.Time // zero while waiting
	ExpiresAt   time.Time // of the admission; zero while waiting
	Token       string    // signed admission, when admitted or bypassed
	PremiereOff bool      // premiere mode ended while the entry waited
}

// MaxPoll and MinPoll bound how often a waiting buyer polls: the server sets
// the pace (docs/architecture.md: polling is what reaches the API limits
// first).
const (
	MinPoll = 2 * time.Second
	MaxPoll = 30 * time.Second
)

// PlaceAt is where e stands at now under the settings. queued says whether
// premiere mode still holds for its showtime: a waiting entry of a showtime
// that no longer queues is let through.
func (e Entry) PlaceAt(now time.Time, s Settings, queued bool) Place {
	interval := s.Interval()
	if e.Bypassed {
		return Place{Status: Bypassed, AdmittedAt: e.EnteredAt, ExpiresAt: e.EnteredAt.Add(s.TokenTTL)}.expire(now)
	}
	q := e.queue()
	admitAt := q.AdmitAt(e.Number, interval)
	if admitAt.Before(e.EnteredAt) {
		admitAt = e.EnteredAt
	}
	position := int(q.Position(e.Number))
	if now.Before(admitAt) {
		if !queued {
			return Place{Status: Bypassed, Position: position, AdmittedAt: now, ExpiresAt: now.Add(s.TokenTTL), PremiereOff: true}
		}
		// Ahead: the shard's waiting numbers before this one, N places each.
		ahead := (e.Number - e.Base - 1 - q.Admitted(now, interval)) * q.shards()
		eta := admitAt.Sub(now)
		return Place{Status: Waiting, Position: position, AheadOfYou: int(max(0, ahead)), ETA: eta, PollAfter: pollAfter(eta)}
	}
	return Place{Status: Admitted, Position: position, AdmittedAt: admitAt, ExpiresAt: admitAt.Add(s.TokenTTL)}.expire(now)
}

func (p Place) expire(now time.Time) Place {
	if !now.Before(p.ExpiresAt) {
		p.Status = Expired
	}
	return p
}

// pollAfter is a tenth of the wait, within [MinPoll, MaxPoll]: far back in
// the line a buyer polls rarely, near the front often.
func pollAfter(eta time.Duration) time.Duration {
	d := time.Duration(math.Ceil(eta.Seconds()/10)) * time.Second
	return min(MaxPoll, max(MinPoll, d))
}

// Figures are the live queue figures for ops.
type Figures struct {
	Waiting            int64
	AdmittedLastMinute int64
	// OldestWait is an upper bound: the time since the epoch of the
	// longest queue opened, as if its first waiting buyer came then.
	OldestWait time.Duration
}

// FiguresOf sums the queues (every shard of every showtime) at now.
func FiguresOf(qs []Queue, now time.Time, interval time.Duration) Figures {
	var f Figures
	for _, q := range qs {
		admitted := q.Admitted(now, interval)
		waiting := q.Entered() - admitted
		f.Waiting += waiting
		f.AdmittedLastMinute += admitted - q.Admitted(now.Add(-time.Minute), interval)
		if waiting > 0 {
			f.OldestWait = max(f.OldestWait, now.Sub(q.OpenedAt))
		}
	}
	return f
}

// ErrRequired is createHold's answer for a showtime in premiere mode without
// a valid admission of the caller.
func ErrRequired(why string) error {
	return errs.E(errs.Forbidden, "waiting_room_required", fmt.Sprintf("esta sessão está com fila virtual: %s", why))
}
