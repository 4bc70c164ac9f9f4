// Package programming holds the back office's rules for what the chain
// shows: movie ids and edits, rooms and their versioned layouts, and the
// scheduling of showtimes - how long a showtime keeps its room busy, the
// 5-minute marks it takes, and the expansion of a bulk request into
// showtimes, checked among themselves for overlaps.
//
// Scheduling never trusts a check done first: the store takes each mark a
// showtime keeps busy with a conditional write, in the same transaction as
// the showtime (docs/adr/0601).
package programming

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
)

// Mark is the grid the schedule lives on: every start and every busyUntil
// is on a 5-minute mark of the São Paulo clock.
const Mark = 5 * time.Minute

// DefaultCleaning is the interval a room is cleaned after each showtime.
const DefaultCleaning = 20 * time.Minute

// MaxRangeDays is the longest date range of one bulk request, counted from
// `from` to `to` (31 days after from at most).
const MaxRangeDays = 31

// MovieID is the id of a new movie: the slug of its title and its release
// year ("O Agente Secreto", 2025 → "o-agente-secreto-2025").
func MovieID(title string, release catalog.Date) string {
	return Slug(title) + "-" + fmt.Sprint(release.Year)
}

// Slug lower-cases s, drops accents and joins its words with hyphens.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	if b.Len() == 0 {
		return "filme"
	}
	return b.String()
}

// BusyUntil is when a showtime starting at start leaves its room free: the
// end of the movie plus the cleaning interval, rounded up to a mark.
func BusyUntil(start time.Time, runtime, cleaning time.Duration) time.Time {
	end := start.Add(runtime + cleaning)
	if r := end.Sub(start) % Mark; r != 0 {
		end = end.Add(Mark - r)
	}
	return end.UTC()
}

// Marks lists the 5-minute marks [start, busyUntil) a showtime keeps busy,
// in UTC. start must be on a mark.
func Marks(start, busyUntil time.Time) []time.Time {
	var out []time.Time
	for t := start.UTC(); t.Before(busyUntil); t = t.Add(Mark) {
		out = append(out, t)
	}
	return out
}

// OnMark reports whether t is on a 5-minute mark of the clock.
func OnMark(t time.Time) bool {
	return t.Second() == 0 && t.Nanosecond() == 0 && t.Minute()%5 == 0
}

// ShowtimeID is the deterministic id of a showtime of a room at a start,
// so that a retried request names the same showtimes:
// st-<cinema>-<room>-YYYYMMDD-HHMM, São Paulo day and time.
func ShowtimeID(cinemaID, roomID string, start time.Time) string {
	local := start.In(catalog.Zone)
	return fmt.Sprintf("st-%s-%s-%s", cinemaID, roomID, local.Format("20060102-1504"))
}

// Conflict is a showtime that keeps a room busy when another wants it.
type Conflict struct {
	RoomID     string
	ShowtimeID string
	StartsAt   time.Time
	BusyUntil  time.Time
}

// OverlapError is a 409 showtime_overlap naming what the room is busy with.
func OverlapError(conflicts []Conflict) *errs.Error {
	e := errs.E(errs.Conflict, "showtime_overlap", "a sala já está ocupada nesse horário (sessão, limpeza incluída)")
	for _, c := range conflicts {
		e.Conflicts = append(e.Conflicts, errs.ScheduleConflict{RoomID: c.RoomID, ShowtimeID: c.ShowtimeID,
			StartsAt: c.StartsAt, BusyUntil: c.BusyUntil})
	}
	return e
}

// Request is a bulk scheduling request: one movie in rooms of a cinema, on
// every day of [From, To], at each of Times (São Paulo "HH:MM").
type Request struct {
	MovieID  string
	CinemaID string
	RoomIDs  []string
	From, To catalog.Date
	Times    []string
	Format   catalog.Format
	Language catalog.Language
}

// Validate checks what needs no store: the range, the times on marks, the
// enums. Failures are 400 naming the field.
func (r Request) Validate() error {
	var fields []errs.FieldError
	if r.To.Before(r.From) {
		fields = append(fields, errs.FieldError{Field: "to", Message: "to não pode ser antes de from"})
	} else if r.To.After(r.From.AddDays(MaxRangeDays)) {
		fields = append(fields, errs.FieldError{Field: "to", Message: fmt.Sprintf("o período vai no máximo %d dias depois de from", MaxRangeDays)})
	}
	for i, t := range r.Times {
		if _, _, err := clock(t); err != nil {
			fields = append(fields, errs.FieldError{Field: fmt.Sprintf("times.%d", i), Message: err.Error()})
		}
	}
	if !r.Format.Valid() {
		fields = append(fields, errs.FieldError{Field: "format", Message: "formato desconhecido"})
	}
	if !r.Language.Valid() {
		fields = append(fields, errs.FieldError{Field: "language", Message: "idioma desconhecido"})
	}
	if len(r.RoomIDs) == 0 {
		fields = append(fields, errs.FieldError{Field: "roomIds", Message: "informe ao menos uma sala"})
	}
	if len(fields) > 0 {
		return errs.InvalidFields(fields...)
	}
	return nil
}

// clock reads "HH:MM" on a 5-minute mark.
func clock(s string) (hour, minute int, err error) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		return 0, 0, fmt.Errorf("horário %q inválido; use HH:MM", s)
	}
	if t.Minute()%5 != 0 {
		return 0, 0, fmt.Errorf("horário %q fora de uma marca de 5 minutos", s)
	}
	return t.Hour(), t.Minute(), nil
}

// Expand turns a valid request into its showtimes, ordered by room, then
// start, for the movie's runtime and the cleaning interval; rooms gives
// each room (with the layout version to use). It refuses a room that cannot
// project the format (422 format_not_supported) and showtimes of the request
// that overlap each other (409 showtime_overlap): nothing is written then.
func Expand(r Request, movie catalog.Movie, cinema catalog.Cinema, rooms []catalog.Room, cleaning time.Duration) ([]catalog.ShowtimeListing, error) {
	runtime := time.Duration(movie.RuntimeMinutes) * time.Minute
	var out []catalog.ShowtimeListing
	for _, room := range rooms {
		if !slices.Contains(room.Formats, r.Format) {
			return nil, errs.E(errs.Unprocessable, "format_not_supported",
				fmt.Sprintf("a sala %s não projeta %s", room.Name, r.Format))
		}
		var mine []catalog.ShowtimeListing
		for d := r.From; !d.After(r.To); d = d.AddDays(1) {
			for _, t := range r.Times {
				h, m, err := clock(t)
				if err != nil {
					return nil, errs.InvalidFields(errs.FieldError{Field: "times", Message: err.Error()})
				}
				start := d.At(h, m).UTC()
				mine = append(mine, catalog.ShowtimeListing{
					Showtime: catalog.Showtime{
						ID: ShowtimeID(cinema.ID, room.ID, start), MovieID: movie.ID, CinemaID: cinema.ID, RoomID: room.ID,
						StartsAt: start, Format: r.Format, Language: r.Language, LayoutVersion: room.Layout.Version,
						Status: catalog.ShowtimeScheduled, BusyUntil: BusyUntil(start, runtime, cleaning),
					},
					EndsAt: start.Add(runtime), MovieTitle: movie.Title, CinemaName: cinema.Name, RoomName: room.Name,
				})
			}
		}
		slices.SortFunc(mine, func(a, b catalog.ShowtimeListing) int { return a.StartsAt.Compare(b.StartsAt) })
		var conflicts []Conflict
		for i := 1; i < len(mine); i++ {
			if prev := mine[i-1]; mine[i].StartsAt.Before(prev.BusyUntil) {
				conflicts = append(conflicts, Conflict{RoomID: room.ID, ShowtimeID: prev.ID, StartsAt: prev.StartsAt, BusyUntil: prev.BusyUntil})
			}
		}
		if len(conflicts) > 0 {
			return nil, OverlapError(conflicts)
		}
		out = append(out, mine...)
	}
	return out, nil
}
