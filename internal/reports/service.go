package reports

import (
	"context"
	"fmt"
	"time"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
)

// MaxDays is the longest period one report covers.
const MaxDays = 92

// TopN is how many products a report ranks.
const TopN = 10

// Store reads what a report is built from: the sales counters, and the
// catalog for the capacity of each day's showtimes and the products' names.
// None of it scans the table.
type Store interface {
	ReportCounters(ctx context.Context, cinemaID string, from, to catalog.Date) (map[catalog.Date]Counters, error)
	ListCinemas(ctx context.Context) ([]catalog.Cinema, []catalog.Room, error)
	ShowtimesByCinema(ctx context.Context, cinemaID string, from, to time.Time) ([]catalog.ShowtimeListing, error)
	ListProducts(ctx context.Context) ([]catalog.Product, error)
	// GetRoomLayout is a room with the layout version a showtime was
	// scheduled with.
	GetRoomLayout(ctx context.Context, cinemaID, roomID string, version int) (catalog.Room, error)
}

// Service builds sales reports.
type Service struct {
	Store Store
}

// Sales is the report of one cinema, or of every cinema when cinemaID is
// empty, over the São Paulo days from..to.
func (s *Service) Sales(ctx context.Context, cinemaID string, from, to catalog.Date) (Report, error) {
	if to.Before(from) {
		return Report{}, errs.InvalidFields(errs.FieldError{Field: "to", Message: "deve ser igual ou posterior a from"})
	}
	if to.After(from.AddDays(MaxDays - 1)) {
		return Report{}, errs.InvalidFields(errs.FieldError{Field: "to",
			Message: fmt.Sprintf("o período tem no máximo %d dias", MaxDays)})
	}
	cinemas, _, err := s.Store.ListCinemas(ctx)
	if err != nil {
		return Report{}, err
	}
	var ids []string
	for _, c := range cinemas {
		if cinemaID == "" || c.ID == cinemaID {
			ids = append(ids, c.ID)
		}
	}
	if len(ids) == 0 {
		return Report{}, errs.NotFoundf("cinema %s não encontrado", cinemaID)
	}
	capacityOf := map[string]int{} // cinema/room/version -> seats of that layout
	counters := map[Key]Counters{}
	capacity := map[Key]int{}
	for _, id := range ids {
		byDay, err := s.Store.ReportCounters(ctx, id, from, to)
		if err != nil {
			return Report{}, err
		}
		for d, c := range byDay {
			counters[Key{CinemaID: id, Date: d}] = c
		}
		sts, err := s.Store.ShowtimesByCinema(ctx, id, from.Start(), to.AddDays(1).Start())
		if err != nil {
			return Report{}, err
		}
		for _, st := range sts {
			if st.Cancelled() {
				continue
			}
			layout := fmt.Sprintf("%s/%s/%d", id, st.RoomID, st.LayoutVersion)
			if _, ok := capacityOf[layout]; !ok {
				room, err := s.Store.GetRoomLayout(ctx, id, st.RoomID, st.LayoutVersion)
				if err != nil {
					return Report{}, err
				}
				capacityOf[layout] = room.Layout.Capacity()
			}
			capacity[Key{CinemaID: id, Date: st.Day()}] += capacityOf[layout]
		}
	}
	products, err := s.Store.ListProducts(ctx)
	if err != nil {
		return Report{}, err
	}
	names := map[string]string{}
	for _, p := range products {
		names[p.ID] = p.Name
	}
	return Build(from, to, cinemaID, counters, capacity, names, TopN), nil
}
