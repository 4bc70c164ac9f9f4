package releases

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"bilhetagem/internal/catalog"
)

// Store is what classification reads: the movies and their showtimes.
type Store interface {
	ListMovies(ctx context.Context) ([]catalog.Movie, error)
	GetMovie(ctx context.Context, id string) (catalog.Movie, error)
	ShowtimesByMovie(ctx context.Context, movieID string, from, to time.Time) ([]catalog.ShowtimeListing, error)
}

// Sales reads the chain's own paid tickets of a movie: the counter the
// payment of an order keeps per movie and hour (docs/adr/0400).
type Sales interface {
	// TicketsSold counts the tickets of the movie paid in the hours from
	// the one holding from to the one holding to, both included.
	TicketsSold(ctx context.Context, movieID string, from, to time.Time) (int, error)
}

// VelocityWindow is how far back presale velocity looks.
const VelocityWindow = 24 * time.Hour

// PresaleVelocity is the presale's tickets per hour at now from the tickets
// sold since since: the hours counted are those since the presale opened,
// at most VelocityWindow and at least one, so a presale three hours old is
// not diluted over a whole day and its first minutes are not blown up.
func PresaleVelocity(tickets int, since, now time.Time) float64 {
	hours := math.Max(1, math.Min(VelocityWindow.Hours(), now.Sub(since).Hours()))
	return float64(tickets) / hours
}

// Service classifies the catalog's releases.
type Service struct {
	Store  Store
	Model  *Model
	Inputs map[string]Input
	// Sales gives the presale velocity; nil reads none (the dry run).
	Sales Sales
}

// PresaleHour is when presales open on their day, São Paulo time.
const PresaleHour = 12

// Upcoming classifies every movie released on or after from, soonest first.
func (s *Service) Upcoming(ctx context.Context, from catalog.Date, now time.Time) ([]Classification, error) {
	movies, err := s.Store.ListMovies(ctx)
	if err != nil {
		return nil, fmt.Errorf("classify releases: %w", err)
	}
	var out []Classification
	for _, m := range movies {
		if m.ReleaseDate.Before(from) {
			continue
		}
		c, err := s.Classify(ctx, m, now)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].ReleaseDate != out[j].ReleaseDate {
			return out[i].ReleaseDate.Before(out[j].ReleaseDate)
		}
		return out[i].MovieID < out[j].MovieID
	})
	return out, nil
}

// ClassifyMovie classifies one movie of the catalog.
func (s *Service) ClassifyMovie(ctx context.Context, id string, now time.Time) (Classification, error) {
	m, err := s.Store.GetMovie(ctx, id)
	if err != nil {
		return Classification{}, fmt.Errorf("classify %s: %w", id, err)
	}
	return s.Classify(ctx, m, now)
}

// Classify gathers one movie's features and classifies it.
func (s *Service) Classify(ctx context.Context, m catalog.Movie, now time.Time) (Classification, error) {
	f, err := s.features(ctx, m, now)
	if err != nil {
		return Classification{}, fmt.Errorf("classify %s: %w", m.ID, err)
	}
	c := Classification{MovieID: m.ID, Title: m.Title, ReleaseDate: m.ReleaseDate, Features: f}
	if in, ok := s.Inputs[m.ID]; ok && in.PresaleLeadDays > 0 {
		c.PresaleOpensAt = m.ReleaseDate.AddDays(-in.PresaleLeadDays).At(PresaleHour, 0)
	}
	c.Class, c.Score, c.Tickets, c.Comparables, c.Reasons = s.Model.Classify(f)
	c.Peak = ExpectedPeak(c.Class, c.Tickets, c.ReleaseDate, c.PresaleOpensAt)
	return c, nil
}

// features reads the release week's schedule, the ops inputs and the
// presale velocity.
func (s *Service) features(ctx context.Context, m catalog.Movie, now time.Time) (Features, error) {
	f := Features{Franchise: m.Franchise, Genres: m.Genres, AgeRating: m.AgeRating}
	if in, ok := s.Inputs[m.ID]; ok {
		f.Sequel, f.InterestIndex, f.HasInterest = in.Sequel, in.InterestIndex, in.HasInterest
	}
	sts, err := s.Store.ShowtimesByMovie(ctx, m.ID, m.ReleaseDate.Start(), m.ReleaseDate.AddDays(7).Start())
	if err != nil {
		return Features{}, err
	}
	rooms := map[string]bool{}
	for _, st := range sts {
		rooms[st.CinemaID+"/"+st.RoomID] = true
	}
	f.Screens, f.Showtimes = len(rooms), len(sts)
	if since, ok := s.onPresale(m, now); ok {
		n, err := s.Sales.TicketsSold(ctx, m.ID, since, now)
		if err != nil {
			return Features{}, err
		}
		f.PresaleTicketsPerHour = PresaleVelocity(n, since, now)
	}
	return f, nil
}

// onPresale reports whether a movie is on presale at now (before its release
// day, after its presale opened when the date is known) and since when its
// velocity counts: the presale opening or VelocityWindow ago, the later.
// Once the movie is released its sales are no presale any more and the
// class comes from the model alone.
func (s *Service) onPresale(m catalog.Movie, now time.Time) (time.Time, bool) {
	if s.Sales == nil || !now.Before(m.ReleaseDate.Start()) {
		return time.Time{}, false
	}
	since := now.Add(-VelocityWindow)
	if in, ok := s.Inputs[m.ID]; ok && in.PresaleLeadDays > 0 {
		opens := m.ReleaseDate.AddDays(-in.PresaleLeadDays).At(PresaleHour, 0)
		if now.Before(opens) {
			return time.Time{}, false
		}
		if opens.After(since) {
			since = opens
		}
	}
	return since, true
}
