package waitingroom

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"bilhetagem/internal/booking"
	"bilhetagem/internal/errs"
)

// Store is what the waiting room needs from persistence.
type Store interface {
	// ShowtimeMovie is the movie of a showtime; errs.NotFound when there is
	// no such showtime.
	ShowtimeMovie(ctx context.Context, showtimeID string) (string, error)
	// WaitingRoomSettings reads the settings, DefaultSettings (version 0)
	// when none were saved.
	WaitingRoomSettings(ctx context.Context) (Settings, error)
	// PutWaitingRoomSettings writes the settings if the stored version is
	// still s.Version − 1; else errs.Conflict "version_conflict".
	PutWaitingRoomSettings(ctx context.Context, s Settings) error
	// JoinQueue takes the next number of shard k (of shards) of a
	// showtime's queue atomically, opening the shard at now if it has never
	// been used, and returns the number with the shard as it stood after.
	JoinQueue(ctx context.Context, showtimeID string, shard, shards int, now time.Time) (int64, Queue, error)
	// RestartQueue opens a new epoch of shard k after number n at now, only
	// if n is still the shard's last number taken and its epoch is still
	// the one that opened at opened. It reports whether it did.
	RestartQueue(ctx context.Context, showtimeID string, shard int, n int64, opened, now time.Time) (bool, error)
	// Queues lists every shard of every showtime queue ever opened.
	Queues(ctx context.Context) ([]Queue, error)
	// EntryOf is a buyer's current entry for a showtime, if any.
	EntryOf(ctx context.Context, showtimeID, holder string) (Entry, bool, error)
	// GetEntry reads an entry; errs.NotFound when there is none.
	GetEntry(ctx context.Context, id string) (Entry, error)
	// PutEntry writes an entry and makes it the buyer's entry for the
	// showtime, only if the buyer has none or has the one named replaces;
	// else errs.Conflict "entry_exists".
	PutEntry(ctx context.Context, e Entry, replaces string) error
}

// Demand tells AUTO mode whether a movie is high-demand at a moment (class
// BLOCKBUSTER or HIGH, or a scaling window with the waiting room on).
type Demand interface {
	HighDemand(ctx context.Context, movieID string, now time.Time) (bool, error)
}

// Service runs the waiting room.
type Service struct {
	Store  Store
	Signer *Signer
	Demand Demand // nil: AUTO queues the listed movies and showtimes only
	// SettingsTTL caches the settings in the process: every hold and poll
	// reads them, and one item cannot take that (3,000 reads/s per
	// partition). 0 reads them every time.
	SettingsTTL time.Duration
	// Shards is how many counters each queue spreads its arrivals over;
	// 0 means DefaultShards. Change it only while no queue is open: a
	// shard's count is fixed when it is first used.
	Shards int
	NewID  func() string

	turn     atomic.Uint64 // the shard the next entrant of this process takes
	turnOnce sync.Once
	mu       sync.Mutex
	cached   Settings
	cachedAt time.Time
	movies   sync.Map // showtime id -> movie id; a showtime never changes movie
}

// Settings are the current settings, through the cache.
func (s *Service) Settings(ctx context.Context, now time.Time) (Settings, error) {
	if s.SettingsTTL > 0 {
		s.mu.Lock()
		c, at := s.cached, s.cachedAt
		s.mu.Unlock()
		if !at.IsZero() && now.Sub(at) < s.SettingsTTL {
			return c, nil
		}
	}
	st, err := s.Store.WaitingRoomSettings(ctx)
	if err != nil {
		return Settings{}, fmt.Errorf("waiting room settings: %w", err)
	}
	s.mu.Lock()
	s.cached, s.cachedAt = st, now
	s.mu.Unlock()
	return st, nil
}

// Update replaces the settings in the name of a staff member.
func (s *Service) Update(ctx context.Context, in Settings, by string, now time.Time) (Settings, error) {
	if err := in.Validate(); err != nil {
		return Settings{}, err
	}
	for attempt := 0; ; attempt++ {
		cur, err := s.Store.WaitingRoomSettings(ctx)
		if err != nil {
			return Settings{}, fmt.Errorf("update waiting room: %w", err)
		}
		next := in
		next.UpdatedAt, next.UpdatedBy, next.Version = now.UTC(), by, cur.Version+1
		err = s.Store.PutWaitingRoomSettings(ctx, next)
		if e, ok := errs.As(err); ok && e.Code == "version_conflict" && attempt < 3 {
			continue // another staff member saved first: the last write wins, in order
		}
		if err != nil {
			return Settings{}, fmt.Errorf("update waiting room: %w", err)
		}
		s.mu.Lock()
		s.cached, s.cachedAt = next, now
		s.mu.Unlock()
		return next, nil
	}
}

// Overview is the settings with the live figures.
type Overview struct {
	Settings
	Active  bool
	Figures Figures
}

// Overview reads the settings and sums the queues.
func (s *Service) Overview(ctx context.Context, now time.Time) (Overview, error) {
	st, err := s.Store.WaitingRoomSettings(ctx)
	if err != nil {
		return Overview{}, fmt.Errorf("waiting room: %w", err)
	}
	qs, err := s.Store.Queues(ctx)
	if err != nil {
		return Overview{}, fmt.Errorf("waiting room: %w", err)
	}
	f := FiguresOf(qs, now, st.Interval())
	return Overview{Settings: st, Active: f.Waiting > 0, Figures: f}, nil
}

// Queued reports whether a showtime is in premiere mode at now.
func (s *Service) Queued(ctx context.Context, st Settings, showtimeID, movieID string, now time.Time) (bool, error) {
	switch st.Mode {
	case On:
		return st.Lists(movieID, showtimeID), nil
	case Auto:
		if st.Lists(movieID, showtimeID) {
			return true, nil
		}
		if s.Demand == nil {
			return false, nil
		}
		return s.Demand.HighDemand(ctx, movieID, now)
	}
	return false, nil
}

func (s *Service) movieOf(ctx context.Context, showtimeID string) (string, error) {
	if m, ok := s.movies.Load(showtimeID); ok {
		return m.(string), nil
	}
	m, err := s.Store.ShowtimeMovie(ctx, showtimeID)
	if err != nil {
		return "", err
	}
	s.movies.Store(showtimeID, m)
	return m, nil
}

// Enter gives the buyer a place for the showtime: the existing entry while
// it has not expired (created false), else a new one, bypassed at once when
// the showtime is not in premiere mode.
func (s *Service) Enter(ctx context.Context, holder, showtimeID string, now time.Time) (Entry, Place, bool, error) {
	movie, err := s.movieOf(ctx, showtimeID)
	if err != nil {
		return Entry{}, Place{}, false, fmt.Errorf("enter waiting room: %w", err)
	}
	st, err := s.Settings(ctx, now)
	if err != nil {
		return Entry{}, Place{}, false, err
	}
	queued, err := s.Queued(ctx, st, showtimeID, movie, now)
	if err != nil {
		return Entry{}, Place{}, false, fmt.Errorf("enter waiting room: %w", err)
	}
	old, found, err := s.Store.EntryOf(ctx, showtimeID, holder)
	if err != nil {
		return Entry{}, Place{}, false, fmt.Errorf("enter waiting room: %w", err)
	}
	if found {
		if p := old.PlaceAt(now, st, queued); p.Status != Expired {
			return old, s.sign(old, p), false, nil
		}
	}
	e := Entry{ID: s.newID(), ShowtimeID: showtimeID, Holder: holder, EnteredAt: now.UTC(), Bypassed: !queued}
	if queued {
		shards := s.shards()
		shard := s.nextShard(shards)
		n, q, err := s.Store.JoinQueue(ctx, showtimeID, shard, shards, now)
		if err != nil {
			return Entry{}, Place{}, false, fmt.Errorf("enter waiting room: %w", err)
		}
		if q.Stale(n, now, st.Interval()) {
			restarted, err := s.Store.RestartQueue(ctx, showtimeID, q.Shard, n, q.OpenedAt, now)
			if err != nil {
				return Entry{}, Place{}, false, fmt.Errorf("enter waiting room: %w", err)
			}
			if restarted {
				q.Base, q.OpenedAt = n-1, now.UTC()
			}
		}
		e.Shard, e.Shards = q.Shard, q.Shards
		e.Number, e.Base, e.OpenedAt = n, q.Base, q.OpenedAt
	}
	replaces := ""
	if found {
		replaces = old.ID
	}
	if err := s.Store.PutEntry(ctx, e, replaces); err != nil {
		if ee, ok := errs.As(err); ok && ee.Code == "entry_exists" {
			// The same buyer entered twice at once: the other request won;
			// answer its entry. The number taken here stays unused.
			won, found, gerr := s.Store.EntryOf(ctx, showtimeID, holder)
			if gerr == nil && found {
				return won, s.sign(won, won.PlaceAt(now, st, queued)), false, nil
			}
		}
		return Entry{}, Place{}, false, fmt.Errorf("enter waiting room: %w", err)
	}
	return e, s.sign(e, e.PlaceAt(now, st, queued)), true, nil
}

// Get is one of the holder's entries as it stands at now; another buyer's
// entry is not found.
func (s *Service) Get(ctx context.Context, holder, id string, now time.Time) (Entry, Place, error) {
	e, err := s.Store.GetEntry(ctx, id)
	if err != nil {
		return Entry{}, Place{}, fmt.Errorf("get waiting room entry: %w", err)
	}
	if e.Holder != holder {
		return Entry{}, Place{}, errs.NotFoundf("entrada %s não encontrada", id)
	}
	st, err := s.Settings(ctx, now)
	if err != nil {
		return Entry{}, Place{}, err
	}
	queued := true
	if !e.Bypassed {
		movie, err := s.movieOf(ctx, e.ShowtimeID)
		if err != nil {
			return Entry{}, Place{}, fmt.Errorf("get waiting room entry: %w", err)
		}
		if queued, err = s.Queued(ctx, st, e.ShowtimeID, movie, now); err != nil {
			return Entry{}, Place{}, fmt.Errorf("get waiting room entry: %w", err)
		}
	}
	return e, s.sign(e, e.PlaceAt(now, st, queued)), nil
}

// Admit is createHold's check: nil when the showtime is not in premiere
// mode, or when token admits holder to it at now; waiting_room_required
// (403) otherwise.
func (s *Service) Admit(ctx context.Context, holder, showtimeID, token string, now time.Time) error {
	movie, err := s.movieOf(ctx, showtimeID)
	if err != nil {
		if errs.KindOf(err) == errs.NotFound {
			return nil // the hold answers 404 itself
		}
		return fmt.Errorf("admit: %w", err)
	}
	st, err := s.Settings(ctx, now)
	if err != nil {
		return err
	}
	queued, err := s.Queued(ctx, st, showtimeID, movie, now)
	if err != nil || !queued {
		return err
	}
	if token == "" {
		return ErrRequired("entre na fila antes de escolher os lugares")
	}
	a, err := s.Signer.Verify(token)
	switch {
	case err != nil:
		return ErrRequired("o token de acesso é inválido")
	case a.ShowtimeID != showtimeID:
		return ErrRequired("o token de acesso é de outra sessão")
	case a.Subject != holder:
		return ErrRequired("o token de acesso é de outra pessoa")
	case !now.Before(a.ExpiresAt):
		return ErrRequired("o token de acesso expirou; entre na fila de novo")
	}
	return nil
}

func (s *Service) sign(e Entry, p Place) Place {
	if p.Status == Admitted || p.Status == Bypassed {
		p.Token = s.Signer.Sign(Admission{EntryID: e.ID, ShowtimeID: e.ShowtimeID, Subject: e.Holder, ExpiresAt: p.ExpiresAt})
	}
	return p
}

func (s *Service) shards() int {
	if s.Shards > 0 {
		return s.Shards
	}
	return DefaultShards
}

// nextShard takes the shards in turn, from a random one per process: each
// process spreads its entrants evenly, so the shards' counters stay within
// about one number per process of each other (docs/adr/0403).
func (s *Service) nextShard(shards int) int {
	s.turnOnce.Do(func() { s.turn.Store(rand.Uint64N(uint64(shards))) })
	return int((s.turn.Add(1) - 1) % uint64(shards))
}

func (s *Service) newID() string {
	if s.NewID != nil {
		return s.NewID()
	}
	return booking.NewID("wr")
}
