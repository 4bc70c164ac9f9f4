package programming

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/orders"
)

// ErrExists is what the store answers for a create whose key is taken;
// ErrStale for a write whose precondition moved under it.
var (
	ErrExists = errors.New("already exists")
	ErrStale  = errors.New("changed concurrently")
)

// Store is what the back office needs from persistence.
type Store interface {
	ListMovies(ctx context.Context) ([]catalog.Movie, error)
	GetMovie(ctx context.Context, id string) (catalog.Movie, error)
	// CreateMovie writes a new movie, ErrExists when the id is taken.
	CreateMovie(ctx context.Context, m catalog.Movie) error
	// SaveMovie replaces an existing movie, errs.NotFound when there is none.
	SaveMovie(ctx context.Context, m catalog.Movie) error

	GetCinema(ctx context.Context, id string) (catalog.Cinema, error)
	ListRooms(ctx context.Context, cinemaID string) ([]catalog.Room, error)
	GetRoom(ctx context.Context, cinemaID, roomID string) (catalog.Room, error)
	GetRoomLayout(ctx context.Context, cinemaID, roomID string, version int) (catalog.Room, error)
	// CreateRoom writes a room and its layout version 1, ErrExists when
	// the cinema has a room with that id.
	CreateRoom(ctx context.Context, r catalog.Room) error
	// PublishLayout stores r.Layout as a new version and makes it the
	// room's current one, only while the current version is
	// r.Layout.Version-1; ErrStale otherwise.
	PublishLayout(ctx context.Context, r catalog.Room) error

	ShowtimesByCinema(ctx context.Context, cinemaID string, from, to time.Time) ([]catalog.ShowtimeListing, error)
	ShowtimesByMovie(ctx context.Context, movieID string, from, to time.Time) ([]catalog.ShowtimeListing, error)
	GetShowtime(ctx context.Context, id string) (catalog.ShowtimeListing, []catalog.SeatClaim, error)
	// ScheduleShowtime writes a showtime and takes every mark it keeps
	// its room busy, in one transaction, tagged with batch. A mark already
	// taken fails with a showtime_overlap error naming the conflicts; a
	// showtime already stored as it is (a retried request) answers
	// created=false and writes nothing. An id taken by a cancelled
	// showtime is suffixed; the showtime is returned as written.
	ScheduleShowtime(ctx context.Context, st catalog.ShowtimeListing, batch string) (written catalog.ShowtimeListing, created bool, err error)
	// UnscheduleShowtime deletes a showtime written by batch and frees its
	// marks: the compensation of a bulk request that failed part way.
	UnscheduleShowtime(ctx context.Context, st catalog.ShowtimeListing, batch string) error
	// CancelShowtime marks a showtime CANCELLED, frees its marks and
	// records orderIDs as the showtime's orders to refund, in one
	// transaction; on a cancelled showtime it only adds orderIDs to the
	// record. It returns the showtime and every order id recorded.
	CancelShowtime(ctx context.Context, st catalog.ShowtimeListing, reason string, orderIDs []string, now time.Time) (catalog.ShowtimeListing, []string, error)
	GetOrder(ctx context.Context, id string) (orders.Order, error)
	// RescheduleShowtime moves a showtime to next's start, end and busy
	// time, taking the new marks and freeing the old ones in one
	// transaction, only while it still starts at from.StartsAt and is not
	// cancelled (ErrStale otherwise); showtime_overlap names what the room
	// is busy with then.
	RescheduleShowtime(ctx context.Context, from, next catalog.ShowtimeListing, at time.Time) error
	// CloseSales stops a showtime selling while a reschedule moves it to
	// to, only while it starts at st.StartsAt, is not cancelled and is not
	// being moved elsewhere (409 showtime_changing); closing again for the
	// same start is a no-op; ErrStale when the showtime changed.
	// RescheduleShowtime opens it again.
	CloseSales(ctx context.Context, st catalog.ShowtimeListing, to time.Time) error
	// OpenSales undoes CloseSales for a move to to that will not happen.
	OpenSales(ctx context.Context, id string, to time.Time) error
	// BlockSeats writes a BLOCKED claim for each seat of a showtime in one
	// transaction, each only while the seat is free, held by an expired
	// hold or already blocked: seat_occupied naming the seats otherwise,
	// and nothing written.
	BlockSeats(ctx context.Context, showtimeID string, blocks []SeatBlock, now time.Time) error
	// UnblockSeat deletes a seat's BLOCKED claim; a seat that is not
	// blocked is left as it is.
	UnblockSeat(ctx context.Context, showtimeID, seatID string) error
	// SeatBlocks lists a showtime's blocked seats.
	SeatBlocks(ctx context.Context, showtimeID string) ([]SeatBlock, error)
	// Notify stores a notice for a buyer; writing the same notice twice
	// keeps one.
	Notify(ctx context.Context, n Notice) error
}

// Refunder cancels and refunds a paid order of a cancelled showtime and
// finishes a refund left undone (orders.Service).
type Refunder interface {
	RefundForCancelledShowtime(ctx context.Context, orderID string, now time.Time) (orders.Order, error)
	// KeepForRescheduledShowtime moves a paid order to the showtime's new
	// start and lets its buyer cancel it with a full refund until then.
	KeepForRescheduledShowtime(ctx context.Context, orderID string, startsAt, now time.Time) (orders.Order, error)
}

// Notice tells a buyer that a showtime of theirs changed.
type Notice struct {
	Buyer      string
	ShowtimeID string
	Kind       string // SHOWTIME_CANCELLED
	Message    string
	At         time.Time
	ReadAt     time.Time // zero until the buyer read it
	// Reason is what staff gave for the change, and Previous the showtime's
	// start before a reschedule; the e-mail of the notice tells them.
	Reason   string
	Previous time.Time
}

// Service runs the back office's catalogue and schedule.
type Service struct {
	Store Store
	// Refunds refunds the orders of a cancelled showtime; nil leaves
	// cancelShowtime unable to refund (it refuses to cancel a showtime with
	// paid orders then).
	Refunds Refunder
	// Cleaning is the interval after each showtime; zero is DefaultCleaning.
	Cleaning time.Duration
	Log      *slog.Logger
}

// CleaningInterval is the configured cleaning interval.
func (s *Service) CleaningInterval() time.Duration {
	if s.Cleaning == 0 {
		return DefaultCleaning
	}
	return s.Cleaning
}

func (s *Service) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

// ---- Movies

// Movies lists every movie, retired ones included, newest release first.
func (s *Service) Movies(ctx context.Context) ([]catalog.Movie, error) {
	ms, err := s.Store.ListMovies(ctx)
	if err != nil {
		return nil, fmt.Errorf("list admin movies: %w", err)
	}
	slices.Reverse(ms)
	return ms, nil
}

// MovieInput is the editable fields of a movie.
type MovieInput struct {
	Title, OriginalTitle, Synopsis string
	AgeRating                      catalog.AgeRating
	Genres                         []string
	RuntimeMinutes                 int
	ReleaseDate                    catalog.Date
	PosterURL, TrailerURL          string
	Distributor                    string
}

func (in MovieInput) validate() error {
	var fields []errs.FieldError
	if strings.TrimSpace(in.Title) == "" {
		fields = append(fields, errs.FieldError{Field: "title", Message: "informe o título"})
	}
	if !in.AgeRating.Valid() {
		fields = append(fields, errs.FieldError{Field: "ageRating", Message: "classificação indicativa desconhecida"})
	}
	if in.RuntimeMinutes < 1 || in.RuntimeMinutes > 600 {
		fields = append(fields, errs.FieldError{Field: "runtimeMinutes", Message: "a duração vai de 1 a 600 minutos"})
	}
	if in.ReleaseDate.IsZero() {
		fields = append(fields, errs.FieldError{Field: "releaseDate", Message: "informe a data de estreia"})
	}
	if len(fields) > 0 {
		return errs.InvalidFields(fields...)
	}
	return nil
}

func (in MovieInput) apply(m catalog.Movie) catalog.Movie {
	m.Title, m.OriginalTitle, m.Synopsis = in.Title, in.OriginalTitle, in.Synopsis
	m.AgeRating, m.Genres, m.RuntimeMinutes, m.ReleaseDate = in.AgeRating, slices.Clone(in.Genres), in.RuntimeMinutes, in.ReleaseDate
	m.PosterURL, m.TrailerURL, m.Distributor = in.PosterURL, in.TrailerURL, in.Distributor
	return m
}

func sameEditable(a, b catalog.Movie) bool {
	return a.Title == b.Title && a.OriginalTitle == b.OriginalTitle && a.Synopsis == b.Synopsis && a.AgeRating == b.AgeRating &&
		slices.Equal(a.Genres, b.Genres) && a.RuntimeMinutes == b.RuntimeMinutes && a.ReleaseDate == b.ReleaseDate &&
		a.PosterURL == b.PosterURL && a.TrailerURL == b.TrailerURL && a.Distributor == b.Distributor
}

// CreateMovie adds a movie under the id made from its title and release
// year. The same movie sent again (every field equal: a retried request)
// answers the stored one; a different movie with that id is 409
// movie_exists.
func (s *Service) CreateMovie(ctx context.Context, in MovieInput, now time.Time) (catalog.Movie, error) {
	if err := in.validate(); err != nil {
		return catalog.Movie{}, err
	}
	m := in.apply(catalog.Movie{ID: MovieID(in.Title, in.ReleaseDate), UpdatedAt: now.UTC()})
	err := s.Store.CreateMovie(ctx, m)
	if errors.Is(err, ErrExists) {
		old, gerr := s.Store.GetMovie(ctx, m.ID)
		if gerr == nil && sameEditable(old, m) && !old.Retired {
			return old, nil
		}
		return catalog.Movie{}, errs.E(errs.Conflict, "movie_exists", fmt.Sprintf("já existe um filme com o id %s", m.ID))
	}
	if err != nil {
		return catalog.Movie{}, fmt.Errorf("create movie: %w", err)
	}
	return m, nil
}

// UpdateMovie replaces a movie's editable fields; its id stays.
func (s *Service) UpdateMovie(ctx context.Context, id string, in MovieInput, now time.Time) (catalog.Movie, error) {
	if err := in.validate(); err != nil {
		return catalog.Movie{}, err
	}
	old, err := s.Store.GetMovie(ctx, id)
	if err != nil {
		return catalog.Movie{}, fmt.Errorf("update movie: %w", err)
	}
	m := in.apply(old)
	m.UpdatedAt = now.UTC()
	if err := s.Store.SaveMovie(ctx, m); err != nil {
		return catalog.Movie{}, fmt.Errorf("update movie: %w", err)
	}
	return m, nil
}

// retireLookahead is how far ahead retiring looks for showtimes to come.
const retireLookahead = 2 * 366 * 24 * time.Hour

// RetireMovie hides a movie from buyers and from new showtimes. A movie
// with showtimes still to come (not cancelled) is 409 movie_has_showtimes.
// Retiring a retired movie returns it unchanged.
func (s *Service) RetireMovie(ctx context.Context, id string, now time.Time) (catalog.Movie, error) {
	m, err := s.Store.GetMovie(ctx, id)
	if err != nil {
		return catalog.Movie{}, fmt.Errorf("retire movie: %w", err)
	}
	if m.Retired {
		return m, nil
	}
	sts, err := s.Store.ShowtimesByMovie(ctx, id, now, now.Add(retireLookahead))
	if err != nil {
		return catalog.Movie{}, fmt.Errorf("retire movie: %w", err)
	}
	for _, st := range sts {
		if !st.Cancelled() {
			return catalog.Movie{}, errs.E(errs.Conflict, "movie_has_showtimes",
				fmt.Sprintf("o filme ainda tem sessões programadas (a próxima em %s); cancele-as antes",
					st.StartsAt.In(catalog.Zone).Format("02/01/2006 15:04")))
		}
	}
	m.Retired, m.RetiredAt, m.UpdatedAt = true, now.UTC(), now.UTC()
	if err := s.Store.SaveMovie(ctx, m); err != nil {
		return catalog.Movie{}, fmt.Errorf("retire movie: %w", err)
	}
	return m, nil
}

// ---- Rooms and layouts

// Rooms lists a cinema's rooms with their current layouts.
func (s *Service) Rooms(ctx context.Context, cinemaID string) ([]catalog.Room, error) {
	if _, err := s.Store.GetCinema(ctx, cinemaID); err != nil {
		return nil, fmt.Errorf("list rooms: %w", err)
	}
	rooms, err := s.Store.ListRooms(ctx, cinemaID)
	if err != nil {
		return nil, fmt.Errorf("list rooms: %w", err)
	}
	return rooms, nil
}

// ParseLayout parses and validates rows as a layout version; a broken
// layout is 422 layout_invalid.
func ParseLayout(version int, rows []string) (catalog.Layout, error) {
	l, err := catalog.ParseLayout(version, rows)
	if err != nil {
		if errors.Is(err, catalog.ErrInvalidLayout) {
			return catalog.Layout{}, errs.Wrap(errs.Unprocessable, "layout_invalid", layoutMessage(err), err)
		}
		return catalog.Layout{}, err
	}
	return l, nil
}

// layoutMessage is the validation failure without the sentinel's English
// prefix, in pt-BR where the rule is known.
func layoutMessage(err error) string {
	msg := strings.TrimPrefix(err.Error(), catalog.ErrInvalidLayout.Error()+": ")
	switch {
	case strings.Contains(msg, "appears twice"):
		return "layout inválido: id de assento repetido (" + msg + ")"
	case strings.Contains(msg, "couple seat"):
		return "layout inválido: assento de casal sem par (" + msg + ")"
	case strings.Contains(msg, "companion seat"):
		return "layout inválido: assento de acompanhante sem espaço para cadeira de rodas ao lado (" + msg + ")"
	case strings.Contains(msg, "no seats"):
		return "layout inválido: nenhum assento"
	}
	return "layout inválido: " + msg
}

// RoomInput is a new room.
type RoomInput struct {
	ID, Name string
	Formats  []catalog.Format
	Rows     []string
}

// CreateRoom adds a room to a cinema with layout version 1. The same room
// sent again answers the stored one; another room with that id is 409
// room_exists.
func (s *Service) CreateRoom(ctx context.Context, cinemaID string, in RoomInput) (catalog.Room, error) {
	if _, err := s.Store.GetCinema(ctx, cinemaID); err != nil {
		return catalog.Room{}, fmt.Errorf("create room: %w", err)
	}
	for i, f := range in.Formats {
		if !f.Valid() {
			return catalog.Room{}, errs.InvalidFields(errs.FieldError{Field: fmt.Sprintf("formats.%d", i), Message: "formato desconhecido"})
		}
	}
	l, err := ParseLayout(1, in.Rows)
	if err != nil {
		return catalog.Room{}, err
	}
	r := catalog.Room{CinemaID: cinemaID, ID: in.ID, Name: in.Name, Formats: slices.Clone(in.Formats), Layout: l}
	err = s.Store.CreateRoom(ctx, r)
	if errors.Is(err, ErrExists) {
		old, gerr := s.Store.GetRoom(ctx, cinemaID, in.ID)
		if gerr == nil && old.Name == r.Name && slices.Equal(old.Formats, r.Formats) && old.Layout.Version == 1 &&
			slices.Equal(old.Layout.Rows(), l.Rows()) {
			return old, nil
		}
		return catalog.Room{}, errs.E(errs.Conflict, "room_exists", fmt.Sprintf("o cinema já tem uma sala com o id %s", in.ID))
	}
	if err != nil {
		return catalog.Room{}, fmt.Errorf("create room: %w", err)
	}
	return r, nil
}

// PublishLayout makes rows the room's next layout version. Showtimes keep
// the version they were scheduled with.
func (s *Service) PublishLayout(ctx context.Context, cinemaID, roomID string, rows []string) (catalog.Room, error) {
	if _, err := ParseLayout(1, rows); err != nil {
		return catalog.Room{}, err
	}
	for range 5 {
		r, err := s.Store.GetRoom(ctx, cinemaID, roomID)
		if err != nil {
			return catalog.Room{}, fmt.Errorf("publish layout: %w", err)
		}
		l, err := ParseLayout(r.Layout.Version+1, rows)
		if err != nil {
			return catalog.Room{}, err
		}
		r.Layout = l
		err = s.Store.PublishLayout(ctx, r)
		if errors.Is(err, ErrStale) {
			continue
		}
		if err != nil {
			return catalog.Room{}, fmt.Errorf("publish layout: %w", err)
		}
		return r, nil
	}
	return catalog.Room{}, errs.E(errs.Conflict, "conflict", "o layout da sala mudou ao mesmo tempo; tente novamente")
}
