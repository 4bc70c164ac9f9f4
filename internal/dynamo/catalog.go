package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/guregu/dynamo/v2"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
)

// ListCinemas reads every cinema and room with one query of GSI1: cinemas sort
// before their rooms in the CINEMAS partition.
func (s *Store) ListCinemas(ctx context.Context) ([]catalog.Cinema, []catalog.Room, error) {
	var raw []dynamo.Item
	if err := s.table.Get("GSI1PK", gsiCinemas).Index(gsi1).All(ctx, &raw); err != nil {
		return nil, nil, translate("list cinemas", err)
	}
	var cinemas []catalog.Cinema
	var rooms []catalog.Room
	for _, item := range raw {
		switch itemType(item) {
		case typeCinema:
			var it cinemaItem
			if err := remarshal(item, &it); err != nil {
				return nil, nil, err
			}
			cinemas = append(cinemas, it.cinema())
		case typeRoom:
			var it roomItem
			if err := remarshal(item, &it); err != nil {
				return nil, nil, err
			}
			rooms = append(rooms, it.room())
		}
	}
	return cinemas, rooms, nil
}

// GetCinema reads one cinema.
func (s *Store) GetCinema(ctx context.Context, id string) (catalog.Cinema, error) {
	var it cinemaItem
	if err := s.getOne(ctx, cinemaPK(id), skMeta, &it); err != nil {
		return catalog.Cinema{}, notFoundAs(err, "cinema", id)
	}
	return it.cinema(), nil
}

// GetRoom reads one room with its layout.
func (s *Store) GetRoom(ctx context.Context, cinemaID, roomID string) (catalog.Room, error) {
	var it roomItem
	if err := s.getOne(ctx, cinemaPK(cinemaID), roomSK(roomID), &it); err != nil {
		return catalog.Room{}, notFoundAs(err, "room", roomID)
	}
	return it.room(), nil
}

// ListMovies reads every movie in release order.
func (s *Store) ListMovies(ctx context.Context) ([]catalog.Movie, error) {
	var items []movieItem
	if err := s.table.Get("GSI1PK", gsiMovies).Index(gsi1).All(ctx, &items); err != nil {
		return nil, translate("list movies", err)
	}
	out := make([]catalog.Movie, 0, len(items))
	for _, it := range items {
		m, err := it.movie()
		if err != nil {
			return nil, fmt.Errorf("list movies: %w", err)
		}
		out = append(out, m)
	}
	return out, nil
}

// GetMovie reads one movie.
func (s *Store) GetMovie(ctx context.Context, id string) (catalog.Movie, error) {
	var it movieItem
	if err := s.getOne(ctx, moviePK(id), skMeta, &it); err != nil {
		return catalog.Movie{}, notFoundAs(err, "movie", id)
	}
	return it.movie()
}

// ShowtimesByMovie lists a movie's showtimes starting in [from, to).
func (s *Store) ShowtimesByMovie(ctx context.Context, movieID string, from, to time.Time) ([]catalog.ShowtimeListing, error) {
	return s.showtimes(ctx, gsi1, "GSI1PK", "GSI1SK", showtimesByMoviePK(movieID), from, to)
}

// ShowtimesByCinema lists a cinema's showtimes starting in [from, to).
func (s *Store) ShowtimesByCinema(ctx context.Context, cinemaID string, from, to time.Time) ([]catalog.ShowtimeListing, error) {
	return s.showtimes(ctx, gsi2, "GSI2PK", "GSI2SK", showtimesByCinemaPK(cinemaID), from, to)
}

func (s *Store) showtimes(ctx context.Context, index, pkName, skName, pk string, from, to time.Time) ([]catalog.ShowtimeListing, error) {
	var items []showtimeItem
	// "#" sorts before every digit, so the bound at `to` excludes showtimes
	// starting exactly then.
	err := s.table.Get(pkName, pk).Index(index).
		Range(skName, dynamo.Between, timeBound(from), timeBound(to)).All(ctx, &items)
	if err != nil {
		return nil, translate("list showtimes", err)
	}
	out := make([]catalog.ShowtimeListing, 0, len(items))
	for _, it := range items {
		out = append(out, it.listing())
	}
	return out, nil
}

// GetShowtime reads a showtime and the claims on its seats in one query of
// its partition.
func (s *Store) GetShowtime(ctx context.Context, id string) (catalog.ShowtimeListing, []catalog.SeatClaim, error) {
	var raw []dynamo.Item
	if err := s.table.Get(Table.PartitionKey, showtimePK(id)).Consistent(true).All(ctx, &raw); err != nil {
		return catalog.ShowtimeListing{}, nil, translate("get showtime", err)
	}
	var (
		found  bool
		st     showtimeItem
		claims []catalog.SeatClaim
	)
	for _, item := range raw {
		switch itemType(item) {
		case typeShowtime:
			if err := remarshal(item, &st); err != nil {
				return catalog.ShowtimeListing{}, nil, err
			}
			found = true
		case typeSeat:
			var it seatItem
			if err := remarshal(item, &it); err != nil {
				return catalog.ShowtimeListing{}, nil, err
			}
			claims = append(claims, it.claim())
		}
	}
	if !found {
		return catalog.ShowtimeListing{}, nil, errs.NotFoundf("sessão %s não encontrada", id)
	}
	return st.listing(), claims, nil
}

// GetPriceTable reads a cinema's ticket prices.
func (s *Store) GetPriceTable(ctx context.Context, cinemaID string) (catalog.PriceTable, error) {
	var it pricesItem
	if err := s.getOne(ctx, cinemaPK(cinemaID), skPrices, &it); err != nil {
		return catalog.PriceTable{}, notFoundAs(err, "price table", cinemaID)
	}
	return it.table(), nil
}

// ListProducts reads the whole menu in menu order.
func (s *Store) ListProducts(ctx context.Context) ([]catalog.Product, error) {
	var items []productItem
	if err := s.table.Get("GSI1PK", gsiProducts).Index(gsi1).All(ctx, &items); err != nil {
		return nil, translate("list products", err)
	}
	out := make([]catalog.Product, 0, len(items))
	for _, it := range items {
		out = append(out, it.product())
	}
	return out, nil
}

// PutSeatClaim writes a claim on a seat as it is. It is for seeding and tests;
// holds and sales use conditional writes.
func (s *Store) PutSeatClaim(ctx context.Context, showtimeID string, c catalog.SeatClaim) error {
	return translate("put seat claim", s.table.Put(newSeatItem(showtimeID, c)).Run(ctx))
}

// CatalogData is everything the catalog is made of, for seeding.
type CatalogData struct {
	Cinemas   []catalog.Cinema
	Rooms     []catalog.Room
	Movies    []catalog.Movie
	Showtimes []catalog.ShowtimeListing
	Prices    []catalog.PriceTable
	Products  []catalog.Product
}

// PutCatalog writes every entity that does not exist yet and never changes
// one that does, so running it twice changes nothing. Each room's layout is
// also written as its version's item, and the room-hour items keep the
// marks of the showtimes. It returns how many items it created.
func (s *Store) PutCatalog(ctx context.Context, d CatalogData) (int, error) {
	var items []any
	for _, c := range d.Cinemas {
		items = append(items, newCinemaItem(c))
	}
	for _, r := range d.Rooms {
		items = append(items, newRoomItem(r), newLayoutItem(r.CinemaID, r.ID, r.Layout))
	}
	for _, m := range d.Movies {
		items = append(items, newMovieItem(m))
	}
	for _, st := range d.Showtimes {
		items = append(items, newShowtimeItem(st))
	}
	// Showtimes that know when their room is free again take their marks,
	// so that scheduling never overlaps them (docs/adr/0601).
	items = append(items, busyItems(d.Showtimes)...)
	for _, p := range d.Prices {
		items = append(items, newPricesItem(p))
	}
	for _, p := range d.Products {
		items = append(items, newProductItem(p))
	}
	return s.putMissing(ctx, items)
}

// CountItems counts every item of the table; tests and the seed report use it.
func (s *Store) CountItems(ctx context.Context) (int, error) {
	n, err := s.table.Scan().Count(ctx)
	return n, translate("count items", err)
}

func (s *Store) getOne(ctx context.Context, pk, sk string, out any) error {
	err := s.table.Get(Table.PartitionKey, pk).Range(Table.SortKey, dynamo.Equal, sk).One(ctx, out)
	return translate("get item", err)
}

func notFoundAs(err error, what, id string) error {
	if e, ok := errs.As(err); ok && e.Kind == errs.NotFound {
		return errs.NotFoundf("%s %s não encontrado", what, id)
	}
	return err
}

// remarshal decodes a raw item into its typed shape.
func remarshal(item dynamo.Item, out any) error {
	if err := dynamo.UnmarshalItem(item, out); err != nil {
		return fmt.Errorf("decode item: %w", err)
	}
	return nil
}

// itemType reads the entity type of a raw item.
func itemType(item dynamo.Item) string {
	if v, ok := item["Type"].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}
