package releases

import (
	"context"
	"fmt"
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

// Velocity reports the chain's presale tickets per hour for a movie over the
// 24 h before now. Nil means the figure is not available (docs/adr/0400).
type Velocity interface {
	PresaleTicketsPerHour(ctx context.Context, movieID string, now time.Time) (float64, error)
}

// Service classifies the catalog's releases.
type Service struct {
	Store    Store
	Model    *Model
	Inputs   map[string]Input
	Velocity Velocity
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
	if s.Velocity != nil {
		v, err := s.Velocity.PresaleTicketsPerHour(ctx, m.ID, now)
		if err != nil {
			return Features{}, err
		}
		f.PresaleTicketsPerHour = v
	}
	return f, nil
}
