package seed

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"bilhetagem/internal/catalog"
)

// Schedule shape, in minutes after midnight São Paulo time.
const (
	firstWeekday   = 13 * 60    // Mon–Thu first session of room 1
	firstFriday    = 12*60 + 30 // Fri
	firstWeekend   = 11*60 + 30 // Sat–Sun
	roomStagger    = 10         // each further room opens 10 min later, so the lobby never jams
	lastWeekday    = 22 * 60    // latest start Sun–Thu
	lastFriSat     = 22*60 + 30 // latest start Fri–Sat
	matineeUntil   = 17 * 60    // a room's first film plays until here, the second from here
	startMark      = 5          // every start is on a 5-minute mark
	maxSpread      = 30         // at most this much idle time is added to a gap
	premiereWeek   = 7          // days a franchise premiere gets dedicated rooms
	freshFranchise = 14         // days a franchise release leads the ranking
)

// schedule generates the showtimes of every room for Days days from today.
//
// Each day, per cinema: the films already released are ranked (a franchise
// in its first two weeks first, then by demand less one point per week since
// release). An IMAX room shows the best-ranked IMAX film all day. A franchise
// film in its premiere week also takes the first 3D room all day. Every other room gets two films: one
// from the top of the ranking and one rotating through the rest, so that every
// film plays somewhere; the more family-friendly of the two takes the
// matinee, the other the evening. Sessions follow each other at runtime plus
// cleaning, rounded up to a 5-minute mark; spare time before the latest start
// is spread over the gaps.
func (b *builder) schedule() []catalog.Showtime {
	var out []catalog.Showtime
	for ci, v := range b.venues {
		for di := range Days {
			day := b.today.AddDays(di)
			for _, plan := range b.plan(v, ci, day, di) {
				out = append(out, b.sessions(v, plan, day, di)...)
			}
		}
	}
	slices.SortFunc(out, func(a, b catalog.Showtime) int {
		return cmp.Or(a.StartsAt.Compare(b.StartsAt), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// roomPlan is what one room shows on one day: early until matineeUntil, late after.
type roomPlan struct {
	room        screen
	index       int
	early, late film
}

// plan assigns films to the rooms of a cinema for a day.
func (b *builder) plan(v venue, cinemaIndex int, day catalog.Date, dayIndex int) []roomPlan {
	ranked := b.ranked(day)
	if len(ranked) == 0 {
		return nil
	}
	var premiere *film
	for i, f := range ranked {
		if age := daysBetween(f.ReleaseDate, day); f.Franchise && age < premiereWeek {
			premiere = &ranked[i]
			break
		}
	}
	var plans []roomPlan
	var regular []int // indexes of rooms that get two films
	premiereRoomTaken := false
	for i, r := range v.rooms {
		switch {
		case slices.Contains(r.Formats, catalog.FormatIMAX):
			for _, f := range ranked {
				if slices.Contains(f.formats, catalog.FormatIMAX) {
					plans = append(plans, roomPlan{room: r, index: i, early: f, late: f})
					break
				}
			}
		case premiere != nil && !premiereRoomTaken && slices.Contains(r.Formats, catalog.Format3D):
			premiereRoomTaken = true
			plans = append(plans, roomPlan{room: r, index: i, early: *premiere, late: *premiere})
		default:
			regular = append(regular, i)
		}
	}
	queue := ranked
	if premiereRoomTaken {
		queue = slices.DeleteFunc(slices.Clone(ranked), func(f film) bool { return f.ID == premiere.ID })
	}
	if len(queue) == 0 {
		return plans
	}
	tail := queue
	if len(queue) > len(regular) {
		tail = queue[len(regular):]
	}
	turn := cinemaIndex*len(regular) + dayIndex*len(regular)
	for j, i := range regular {
		top := queue[j%len(queue)]
		other := tail[(turn+j)%len(tail)]
		if other.ID == top.ID {
			other = queue[(j+1)%len(queue)]
		}
		early, late := other, top // the top film gets the evening
		if familyRank(top) < familyRank(other) {
			early, late = top, other
		}
		plans = append(plans, roomPlan{room: v.rooms[i], index: i, early: early, late: late})
	}
	slices.SortFunc(plans, func(a, b roomPlan) int { return cmp.Compare(a.index, b.index) })
	return plans
}

// ranked lists the films released by day, best first: a franchise film in
// its first two weeks, then by demand less one point per week out.
func (b *builder) ranked(day catalog.Date) []film {
	var out []film
	for _, f := range b.films {
		if !f.ReleaseDate.After(day) {
			out = append(out, f)
		}
	}
	fresh := func(f film) bool { return f.Franchise && daysBetween(f.ReleaseDate, day) < freshFranchise }
	score := func(f film) int { return f.demand - daysBetween(f.ReleaseDate, day)/7 }
	slices.SortFunc(out, func(a, c film) int {
		if fa, fc := fresh(a), fresh(c); fa != fc {
			if fa {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(score(c), score(a)), cmp.Compare(a.ID, c.ID))
	})
	return out
}

// familyRank orders films for the matinee: kids' films first, 18 last.
func familyRank(f film) int {
	return slices.Index([]catalog.AgeRating{
		catalog.RatingL, catalog.Rating10, catalog.Rating12, catalog.Rating14, catalog.Rating16, catalog.Rating18,
	}, f.AgeRating)
}

// sessions lays out one room's day.
func (b *builder) sessions(v venue, p roomPlan, day catalog.Date, dayIndex int) []catalog.Showtime {
	first, last := dayWindow(day.Start().Weekday())
	first += p.index * roomStagger

	type slot struct {
		start int
		f     film
	}
	var slots []slot
	for t := first; t <= last; {
		f := p.late
		if t < matineeUntil {
			f = p.early
		}
		slots = append(slots, slot{t, f})
		t = roundUp(t+f.RuntimeMinutes+int(Cleaning/time.Minute), startMark)
	}
	if n := len(slots); n > 1 {
		spread := min((last-slots[n-1].start)/(n-1)/startMark*startMark, maxSpread)
		for k := range slots {
			slots[k].start += k * spread
		}
	}

	out := make([]catalog.Showtime, 0, len(slots))
	for k, s := range slots {
		format, ok := formatFor(p.room, s.f, k+dayIndex)
		if !ok {
			continue
		}
		h, m := s.start/60, s.start%60
		out = append(out, catalog.Showtime{
			ID:            fmt.Sprintf("st-%s-%d-%04d%02d%02d-%02d%02d", v.slug, p.room.number, day.Year, day.Month, day.Day, h, m),
			MovieID:       s.f.ID,
			CinemaID:      v.cinema.ID,
			RoomID:        p.room.ID,
			StartsAt:      day.At(h, m).UTC(),
			Format:        format,
			Language:      languageFor(v, s.f, s.start),
			LayoutVersion: p.room.Layout.Version,
		})
	}
	return out
}

// dayWindow is the first start of room 1 and the latest start of any room.
func dayWindow(wd time.Weekday) (first, last int) {
	switch wd {
	case time.Saturday:
		return firstWeekend, lastFriSat
	case time.Sunday:
		return firstWeekend, lastWeekday
	case time.Friday:
		return firstFriday, lastFriSat
	}
	return firstWeekday, lastWeekday
}

// formatFor is the best format the room and film share: IMAX in an IMAX room,
// 3D on every other session in a 3D room, 2D otherwise.
func formatFor(r screen, f film, turn int) (catalog.Format, bool) {
	both := func(x catalog.Format) bool { return slices.Contains(r.Formats, x) && slices.Contains(f.formats, x) }
	switch {
	case both(catalog.FormatIMAX):
		return catalog.FormatIMAX, true
	case both(catalog.Format3D) && (turn%2 == 0 || !both(catalog.Format2D)):
		return catalog.Format3D, true
	case both(catalog.Format2D):
		return catalog.Format2D, true
	}
	return "", false
}

// languageFor: Brazilian films are NACIONAL; kids' films are dubbed, 18-rated
// ones subtitled; the rest dubbed before the cinema's dubbedBeforeHour.
func languageFor(v venue, f film, start int) catalog.Language {
	switch {
	case f.national:
		return catalog.National
	case f.AgeRating == catalog.RatingL || slices.Contains(f.Genres, "Animação"):
		return catalog.Dubbed
	case f.AgeRating == catalog.Rating18:
		return catalog.Subtitled
	case start < v.dubbedBeforeHour*60:
		return catalog.Dubbed
	}
	return catalog.Subtitled
}

func roundUp(n, mark int) int { return (n + mark - 1) / mark * mark }

// daysBetween is the number of days from a to b (negative if b is earlier).
func daysBetween(a, b catalog.Date) int {
	ua := time.Date(a.Year, a.Month, a.Day, 0, 0, 0, 0, time.UTC)
	ub := time.Date(b.Year, b.Month, b.Day, 0, 0, 0, 0, time.UTC)
	return int(ub.Sub(ua).Hours() / 24)
}
