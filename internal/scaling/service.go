package scaling

import (
	"context"
	"fmt"
	"sync"
	"time"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/releases"
)

// Classifier is what the planner asks about releases.
type Classifier interface {
	Upcoming(ctx context.Context, from catalog.Date, now time.Time) ([]releases.Classification, error)
	ClassifyMovie(ctx context.Context, id string, now time.Time) (releases.Classification, error)
}

// Overrides are the stored set with its version.
type Overrides struct {
	Items     []Override
	Version   int
	UpdatedAt time.Time
	UpdatedBy string
}

// Store keeps the overrides.
type Store interface {
	// ScalingOverrides reads the set; empty with version 0 when none.
	ScalingOverrides(ctx context.Context) (Overrides, error)
	// PutScalingOverrides writes the set if the stored version is still
	// o.Version − 1; else errs.Conflict "version_conflict".
	PutScalingOverrides(ctx context.Context, o Overrides) error
}

// Service builds the plan from the classifier, the calendar and the stored
// overrides.
type Service struct {
	Releases Classifier
	Store    Store
	Calendar Calendar
	// CacheTTL keeps a movie's class and the overrides in the process for
	// HighDemand, which every hold of AUTO mode asks. 0 reads every time.
	CacheTTL time.Duration

	mu        sync.Mutex
	classes   map[string]cachedClass
	overrides *Overrides
	readAt    time.Time
}

type cachedClass struct {
	class releases.Class
	at    time.Time
}

// LookBack is how far before from the planner still looks for releases:
// an opening weekend ends three days after its Thursday.
const LookBack = 4

// Plan is the plan for [from, to] at now.
func (s *Service) Plan(ctx context.Context, from, to catalog.Date, now time.Time) (Plan, error) {
	if to.Before(from) {
		return Plan{}, errs.InvalidFields(errs.FieldError{Field: "to", Message: "to deve ser igual ou posterior a from"})
	}
	if to.After(from.AddDays(366)) {
		return Plan{}, errs.InvalidFields(errs.FieldError{Field: "to", Message: "no máximo um ano depois de from"})
	}
	cs, err := s.Releases.Upcoming(ctx, from.AddDays(-LookBack), now)
	if err != nil {
		return Plan{}, fmt.Errorf("scaling plan: %w", err)
	}
	o, err := s.Store.ScalingOverrides(ctx)
	if err != nil {
		return Plan{}, fmt.Errorf("scaling plan: %w", err)
	}
	rels := make([]Release, 0, len(cs))
	for _, c := range cs {
		rels = append(rels, FromClassification(c))
	}
	return Build(rels, s.Calendar, from, to, o.Items, now), nil
}

// SetOverrides replaces the overrides in the name of a staff member.
func (s *Service) SetOverrides(ctx context.Context, items []Override, by string, now time.Time) error {
	if err := ValidateOverrides(items); err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		cur, err := s.Store.ScalingOverrides(ctx)
		if err != nil {
			return fmt.Errorf("override scaling plan: %w", err)
		}
		next := Overrides{Items: items, Version: cur.Version + 1, UpdatedAt: now.UTC(), UpdatedBy: by}
		err = s.Store.PutScalingOverrides(ctx, next)
		if e, ok := errs.As(err); ok && e.Code == "version_conflict" && attempt < 3 {
			continue
		}
		if err != nil {
			return fmt.Errorf("override scaling plan: %w", err)
		}
		s.mu.Lock()
		s.overrides, s.readAt = &next, now
		s.mu.Unlock()
		return nil
	}
}

// HighDemand reports whether a movie queues in AUTO mode at now: its class is
// HIGH or BLOCKBUSTER, or an override with the waiting room on covers now
// for it (or for every movie).
func (s *Service) HighDemand(ctx context.Context, movieID string, now time.Time) (bool, error) {
	class, err := s.classOf(ctx, movieID, now)
	if err != nil {
		return false, err
	}
	if class.AtLeast(releases.High) {
		return true, nil
	}
	o, err := s.cachedOverrides(ctx, now)
	if err != nil {
		return false, err
	}
	for _, ov := range o.Items {
		on := ov.WaitingRoom != nil && *ov.WaitingRoom
		if on && (ov.MovieID == "" || ov.MovieID == movieID) && !now.Before(ov.StartsAt) && now.Before(ov.EndsAt) {
			return true, nil
		}
	}
	return false, nil
}

func (s *Service) classOf(ctx context.Context, movieID string, now time.Time) (releases.Class, error) {
	s.mu.Lock()
	c, ok := s.classes[movieID]
	s.mu.Unlock()
	if ok && s.CacheTTL > 0 && now.Sub(c.at) < s.CacheTTL {
		return c.class, nil
	}
	cl, err := s.Releases.ClassifyMovie(ctx, movieID, now)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	if s.classes == nil {
		s.classes = map[string]cachedClass{}
	}
	s.classes[movieID] = cachedClass{cl.Class, now}
	s.mu.Unlock()
	return cl.Class, nil
}

func (s *Service) cachedOverrides(ctx context.Context, now time.Time) (Overrides, error) {
	s.mu.Lock()
	o, at := s.overrides, s.readAt
	s.mu.Unlock()
	if o != nil && s.CacheTTL > 0 && now.Sub(at) < s.CacheTTL {
		return *o, nil
	}
	got, err := s.Store.ScalingOverrides(ctx)
	if err != nil {
		return Overrides{}, err
	}
	s.mu.Lock()
	s.overrides, s.readAt = &got, now
	s.mu.Unlock()
	return got, nil
}
