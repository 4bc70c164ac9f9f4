package catalog

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"bilhetagem/internal/errs"
	"bilhetagem/internal/money"
)

// Store is what the catalog needs from persistence. Lookups of a missing
// entity return an errs.NotFound error.
type Store interface {
	ListCinemas(ctx context.Context) ([]Cinema, []Room, error)
	GetCinema(ctx context.Context, id string) (Cinema, error)
	GetRoom(ctx context.Context, cinemaID, roomID string) (Room, error)
	// GetRoomLayout returns the room with the layout of that version, which
	// never changes once published.
	GetRoomLayout(ctx context.Context, cinemaID, roomID string, version int) (Room, error)
	ListMovies(ctx context.Context) ([]Movie, error)
	GetMovie(ctx context.Context, id string) (Movie, error)
	ShowtimesByMovie(ctx context.Context, movieID string, from, to time.Time) ([]ShowtimeListing, error)
	ShowtimesByCinema(ctx context.Context, cinemaID string, from, to time.Time) ([]ShowtimeListing, error)
	// GetShowtime returns the showtime with every claim on its seats.
	GetShowtime(ctx context.Context, id string) (ShowtimeListing, []SeatClaim, error)
	GetPriceTable(ctx context.Context, cinemaID string) (PriceTable, error)
	ListProducts(ctx context.Context) ([]Product, error)
}

// Service answers the catalog questions.
type Service struct {
	Store Store
	// SalesCloseAfter is how long after a showtime starts tickets are still
	// sold.
	SalesCloseAfter time.Duration
	// Horizon is how far ahead showtimes are offered when looking for what a
	// cinema shows.
	Horizon time.Duration
	// Cache, when set, serves the seat map's movie and room reads.
	Cache *Cache
}

// DefaultSalesCloseAfter and DefaultHorizon are the chain's defaults.
const (
	DefaultSalesCloseAfter = 15 * time.Minute
	DefaultHorizon         = 14 * 24 * time.Hour
)

// CinemaWithRooms is a cinema and its rooms.
type CinemaWithRooms struct {
	Cinema
	Rooms []Room
}

// Cinemas lists every cinema with its rooms, cinemas in name order.
func (s *Service) Cinemas(ctx context.Context) ([]CinemaWithRooms, error) {
	cinemas, rooms, err := s.Store.ListCinemas(ctx)
	if err != nil {
		return nil, fmt.Errorf("list cinemas: %w", err)
	}
	out := make([]CinemaWithRooms, 0, len(cinemas))
	for _, c := range cinemas {
		cw := CinemaWithRooms{Cinema: c}
		for _, r := range rooms {
			if r.CinemaID == c.ID {
				cw.Rooms = append(cw.Rooms, r)
			}
		}
		out = append(out, cw)
	}
	slices.SortFunc(out, func(a, b CinemaWithRooms) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// MovieStatus is where a movie stands on a day.
type MovieStatus string

const (
	NowShowing MovieStatus = "NOW_SHOWING"
	ComingSoon MovieStatus = "COMING_SOON"
)

// StatusOn is the movie's status on a day.
func (m Movie) StatusOn(today Date) MovieStatus {
	if m.NowShowing(today) {
		return NowShowing
	}
	return ComingSoon
}

// MovieFilter narrows the movie list; zero values do not filter.
type MovieFilter struct {
	Status   MovieStatus
	CinemaID string
}

// Movies lists movies by release date, filtered by status on the São Paulo
// day of now, and by cinema: a cinema shows the movies it has showtimes for
// from now until the horizon.
func (s *Service) Movies(ctx context.Context, f MovieFilter, now time.Time) ([]Movie, error) {
	movies, err := s.Store.ListMovies(ctx)
	if err != nil {
		return nil, fmt.Errorf("list movies: %w", err)
	}
	var shown map[string]bool
	if f.CinemaID != "" {
		if err := s.requireCinema(ctx, f.CinemaID); err != nil {
			return nil, err
		}
		sts, err := s.Store.ShowtimesByCinema(ctx, f.CinemaID, now, now.Add(s.horizon()))
		if err != nil {
			return nil, fmt.Errorf("list movies: %w", err)
		}
		shown = make(map[string]bool)
		for _, st := range sts {
			if !st.Cancelled() {
				shown[st.MovieID] = true
			}
		}
	}
	today := DateOf(now)
	out := make([]Movie, 0, len(movies))
	for _, m := range movies {
		if m.Retired {
			continue
		}
		if f.Status != "" && m.StatusOn(today) != f.Status {
			continue
		}
		if shown != nil && !shown[m.ID] {
			continue
		}
		out = append(out, m)
	}
	return out, nil
}

// Movie returns one movie; a retired movie is hidden from buyers.
func (s *Service) Movie(ctx context.Context, id string) (Movie, error) {
	m, err := s.Store.GetMovie(ctx, id)
	if err != nil {
		return Movie{}, fmt.Errorf("get movie: %w", err)
	}
	if m.Retired {
		return Movie{}, errs.NotFoundf("filme %s não encontrado", id)
	}
	return m, nil
}

// ShowtimeFilter picks showtimes of a São Paulo day by movie, cinema or both.
type ShowtimeFilter struct {
	MovieID  string
	CinemaID string
	Day      Date
}

// Showtimes lists the showtimes of a day in start order.
func (s *Service) Showtimes(ctx context.Context, f ShowtimeFilter) ([]ShowtimeListing, error) {
	if f.MovieID == "" && f.CinemaID == "" {
		return nil, errs.InvalidFields(errs.FieldError{Field: "movieId", Message: "informe movieId ou cinemaId"})
	}
	from, to := f.Day.Start(), f.Day.AddDays(1).Start()
	var (
		sts []ShowtimeListing
		err error
	)
	if f.MovieID != "" {
		if _, err := s.Movie(ctx, f.MovieID); err != nil {
			return nil, fmt.Errorf("list showtimes: %w", err)
		}
		sts, err = s.Store.ShowtimesByMovie(ctx, f.MovieID, from, to)
	} else {
		if err := s.requireCinema(ctx, f.CinemaID); err != nil {
			return nil, err
		}
		sts, err = s.Store.ShowtimesByCinema(ctx, f.CinemaID, from, to)
	}
	if err != nil {
		return nil, fmt.Errorf("list showtimes: %w", err)
	}
	out := sts[:0]
	for _, st := range sts {
		if st.Cancelled() {
			continue
		}
		if f.CinemaID == "" || st.CinemaID == f.CinemaID {
			out = append(out, st)
		}
	}
	return out, nil
}

// ShowtimeDetail is a showtime with its movie, live seat map and counts.
type ShowtimeDetail struct {
	ShowtimeListing
	Movie         Movie
	LayoutVersion int
	Width, Height int
	Seats         []SeatView
	Availability  Availability
	MeiaRemaining int
	SalesOpen     bool
	// GapPolicy is the cinema's, for the isolated-seat rule of holds.
	GapPolicy GapPolicy
}

// Showtime returns a showtime with its seat map at now, the seats of holdID
// (if any) marked as the caller's.
func (s *Service) Showtime(ctx context.Context, id, holdID string, now time.Time) (ShowtimeDetail, error) {
	st, claims, err := s.Store.GetShowtime(ctx, id)
	if err != nil {
		return ShowtimeDetail{}, fmt.Errorf("get showtime: %w", err)
	}
	var reader interface {
		GetMovie(ctx context.Context, id string) (Movie, error)
		GetCinema(ctx context.Context, id string) (Cinema, error)
		GetRoomLayout(ctx context.Context, cinemaID, roomID string, version int) (Room, error)
	} = s.Store
	if s.Cache != nil {
		reader = s.Cache
	}
	movie, err := reader.GetMovie(ctx, st.MovieID)
	if err != nil {
		return ShowtimeDetail{}, fmt.Errorf("get showtime movie: %w", err)
	}
	// The seat map is the layout version the showtime was scheduled with,
	// whatever the room's current layout is.
	room, err := reader.GetRoomLayout(ctx, st.CinemaID, st.RoomID, st.LayoutVersion)
	if err != nil {
		return ShowtimeDetail{}, fmt.Errorf("get showtime room: %w", err)
	}
	cinema, err := reader.GetCinema(ctx, st.CinemaID)
	if err != nil {
		return ShowtimeDetail{}, fmt.Errorf("get showtime cinema: %w", err)
	}
	seats, avail, meia := SeatMap(room.Layout, claims, holdID, now)
	return ShowtimeDetail{
		ShowtimeListing: st, Movie: movie, LayoutVersion: room.Layout.Version,
		Width: room.Layout.Width, Height: room.Layout.Height, Seats: seats, Availability: avail,
		MeiaRemaining: meia, SalesOpen: s.SalesOpen(st.Showtime, now), GapPolicy: cinema.GapPolicy,
	}, nil
}

// SalesOpen reports whether tickets for the showtime are still sold at now:
// never for a cancelled showtime, nor while a reschedule moves it.
func (s *Service) SalesOpen(st Showtime, now time.Time) bool {
	if st.Cancelled() || st.Moving() {
		return false
	}
	closeAfter := s.SalesCloseAfter
	if closeAfter == 0 {
		closeAfter = DefaultSalesCloseAfter
	}
	return now.Before(st.StartsAt.Add(closeAfter))
}

// MenuItem is a product of the menu; for a combo, Savings is what it saves
// against buying its items one by one.
type MenuItem struct {
	Product
	Savings money.BRL
}

// Menu lists the active products in menu order, combos with their savings.
func (s *Service) Menu(ctx context.Context) ([]MenuItem, error) {
	products, err := s.Store.ListProducts(ctx)
	if err != nil {
		return nil, fmt.Errorf("menu: %w", err)
	}
	byID := make(map[string]Product, len(products))
	for _, p := range products {
		byID[p.ID] = p
	}
	out := make([]MenuItem, 0, len(products))
	for _, p := range products {
		if !p.Active {
			continue
		}
		out = append(out, MenuItem{Product: p, Savings: ComboSavings(p, byID)})
	}
	slices.SortStableFunc(out, func(a, b MenuItem) int { return a.SortOrder - b.SortOrder })
	return out, nil
}

// ComboSavings is the price of a combo's items bought one by one less the
// combo's price; zero for a product that is not a combo or an item that
// cannot be priced.
func ComboSavings(combo Product, products map[string]Product) money.BRL {
	if !combo.IsCombo() || len(combo.Sizes) == 0 {
		return 0
	}
	var parts money.BRL
	for _, it := range combo.ComboItems {
		p, ok := products[it.ProductID]
		if !ok {
			return 0
		}
		size, ok := p.Size(it.Size)
		if !ok {
			return 0
		}
		parts += size.Price * money.BRL(it.Quantity)
	}
	if saving := parts - combo.Sizes[0].Price; saving > 0 {
		return saving
	}
	return 0
}

func (s *Service) requireCinema(ctx context.Context, id string) error {
	if _, err := s.Store.GetCinema(ctx, id); err != nil {
		return fmt.Errorf("find cinema: %w", err)
	}
	return nil
}

func (s *Service) horizon() time.Duration {
	if s.Horizon == 0 {
		return DefaultHorizon
	}
	return s.Horizon
}

// Prices returns a showtime and its cinema's price table.
func (s *Service) Prices(ctx context.Context, showtimeID string) (ShowtimeListing, PriceTable, error) {
	st, _, err := s.Store.GetShowtime(ctx, showtimeID)
	if err != nil {
		return ShowtimeListing{}, PriceTable{}, fmt.Errorf("prices: %w", err)
	}
	table, err := s.Store.GetPriceTable(ctx, st.CinemaID)
	if err != nil {
		return ShowtimeListing{}, PriceTable{}, fmt.Errorf("prices: %w", err)
	}
	return st, table, nil
}

// ShowtimeAndMovie returns a showtime and its movie, the movie through the
// cache when there is one.
func (s *Service) ShowtimeAndMovie(ctx context.Context, showtimeID string) (ShowtimeListing, Movie, error) {
	st, _, err := s.Store.GetShowtime(ctx, showtimeID)
	if err != nil {
		return ShowtimeListing{}, Movie{}, fmt.Errorf("showtime and movie: %w", err)
	}
	var m Movie
	if s.Cache != nil {
		m, err = s.Cache.GetMovie(ctx, st.MovieID)
	} else {
		m, err = s.Store.GetMovie(ctx, st.MovieID)
	}
	if err != nil {
		return ShowtimeListing{}, Movie{}, fmt.Errorf("showtime and movie: %w", err)
	}
	return st, m, nil
}
