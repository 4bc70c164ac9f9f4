package dynamo

import (
	"time"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/money"
)

// Item shapes as stored. Each carries its keys and an entity type, and maps to
// and from a domain value; the domain never sees a key or a tag.

const (
	typeCinema   = "CINEMA"
	typeRoom     = "ROOM"
	typeMovie    = "MOVIE"
	typeShowtime = "SHOWTIME"
	typeSeat     = "SEAT"
	typePrices   = "PRICES"
	typeProduct  = "PRODUCT"
)

type cinemaItem struct {
	PK, SK         string
	GSI1PK, GSI1SK string
	Type           string
	ID             string
	Name           string
	Neighborhood   string
	Address        string
	City           string
	State          string
	Latitude       float64
	Longitude      float64
	GapPolicy      string
}

func newCinemaItem(c catalog.Cinema) cinemaItem {
	return cinemaItem{
		PK: cinemaPK(c.ID), SK: skMeta, GSI1PK: gsiCinemas, GSI1SK: cinemaListSK(c.ID), Type: typeCinema,
		ID: c.ID, Name: c.Name, Neighborhood: c.Neighborhood, Address: c.Address, City: c.City, State: c.State,
		Latitude: c.Latitude, Longitude: c.Longitude, GapPolicy: string(c.GapPolicy),
	}
}

func (it cinemaItem) cinema() catalog.Cinema {
	return catalog.Cinema{
		ID: it.ID, Name: it.Name, Neighborhood: it.Neighborhood, Address: it.Address, City: it.City, State: it.State,
		Latitude: it.Latitude, Longitude: it.Longitude, GapPolicy: catalog.GapPolicy(it.GapPolicy),
	}
}

type seatAttr struct {
	ID      string `dynamo:"id"`
	Row     string `dynamo:"r"`
	Number  int    `dynamo:"n"`
	X       int    `dynamo:"x"`
	Y       int    `dynamo:"y"`
	Type    string `dynamo:"t"`
	Pair    string `dynamo:"p,omitempty"`
	Blocked bool   `dynamo:"b,omitempty"`
}

type roomItem struct {
	PK, SK         string
	GSI1PK, GSI1SK string
	Type           string
	CinemaID       string
	ID             string
	Name           string
	Formats        []string
	Capacity       int
	LayoutVersion  int
	Width, Height  int
	Seats          []seatAttr
}

func newRoomItem(r catalog.Room) roomItem {
	it := roomItem{
		PK: cinemaPK(r.CinemaID), SK: roomSK(r.ID), GSI1PK: gsiCinemas, GSI1SK: roomListSK(r.CinemaID, r.ID), Type: typeRoom,
		CinemaID: r.CinemaID, ID: r.ID, Name: r.Name, Capacity: r.Layout.Capacity(),
		LayoutVersion: r.Layout.Version, Width: r.Layout.Width, Height: r.Layout.Height,
	}
	for _, f := range r.Formats {
		it.Formats = append(it.Formats, string(f))
	}
	for _, s := range r.Layout.Seats {
		it.Seats = append(it.Seats, seatAttr{s.ID, s.Row, s.Number, s.X, s.Y, string(s.Type), s.Pair, s.Blocked})
	}
	return it
}

func (it roomItem) room() catalog.Room {
	r := catalog.Room{CinemaID: it.CinemaID, ID: it.ID, Name: it.Name,
		Layout: catalog.Layout{Version: it.LayoutVersion, Width: it.Width, Height: it.Height}}
	for _, f := range it.Formats {
		r.Formats = append(r.Formats, catalog.Format(f))
	}
	for _, s := range it.Seats {
		r.Layout.Seats = append(r.Layout.Seats, catalog.Seat{ID: s.ID, Row: s.Row, Number: s.Number, X: s.X, Y: s.Y,
			Type: catalog.SeatType(s.Type), Pair: s.Pair, Blocked: s.Blocked})
	}
	return r
}

type movieItem struct {
	PK, SK         string
	GSI1PK, GSI1SK string
	Type           string
	ID             string
	Title          string
	OriginalTitle  string
	Synopsis       string
	AgeRating      string
	Genres         []string
	RuntimeMinutes int
	ReleaseDate    string
	PosterURL      string
	TrailerURL     string
	Distributor    string
	Franchise      bool
	Retired        bool      `dynamo:",omitempty"`
	RetiredAt      time.Time `dynamo:",omitempty"`
	UpdatedAt      time.Time `dynamo:",omitempty"`
}

func newMovieItem(m catalog.Movie) movieItem {
	release := m.ReleaseDate.String()
	return movieItem{
		PK: moviePK(m.ID), SK: skMeta, GSI1PK: gsiMovies, GSI1SK: movieListSK(release, m.ID), Type: typeMovie,
		ID: m.ID, Title: m.Title, OriginalTitle: m.OriginalTitle, Synopsis: m.Synopsis, AgeRating: string(m.AgeRating),
		Genres: m.Genres, RuntimeMinutes: m.RuntimeMinutes, ReleaseDate: release, PosterURL: m.PosterURL,
		TrailerURL: m.TrailerURL, Distributor: m.Distributor, Franchise: m.Franchise,
		Retired: m.Retired, RetiredAt: m.RetiredAt.UTC(), UpdatedAt: m.UpdatedAt.UTC(),
	}
}

func (it movieItem) movie() (catalog.Movie, error) {
	release, err := catalog.ParseDate(it.ReleaseDate)
	if err != nil {
		return catalog.Movie{}, err
	}
	return catalog.Movie{
		ID: it.ID, Title: it.Title, OriginalTitle: it.OriginalTitle, Synopsis: it.Synopsis,
		AgeRating: catalog.AgeRating(it.AgeRating), Genres: it.Genres, RuntimeMinutes: it.RuntimeMinutes,
		ReleaseDate: release, PosterURL: it.PosterURL, TrailerURL: it.TrailerURL, Distributor: it.Distributor,
		Franchise: it.Franchise, Retired: it.Retired, RetiredAt: it.RetiredAt.UTC(), UpdatedAt: it.UpdatedAt.UTC(),
	}, nil
}

// showtimeItem carries the names it is listed with (movie title, cinema and
// room names) so a listing is one query; they are written when the showtime
// is scheduled.
type showtimeItem struct {
	PK, SK         string
	GSI1PK, GSI1SK string
	GSI2PK, GSI2SK string
	Type           string
	ID             string
	MovieID        string
	CinemaID       string
	RoomID         string
	StartsAt       time.Time
	EndsAt         time.Time
	Format         string
	Language       string
	LayoutVersion  int
	MovieTitle     string
	CinemaName     string
	RoomName       string
	// Status is empty for a scheduled showtime written before statuses.
	Status       string    `dynamo:",omitempty"`
	BusyUntil    time.Time `dynamo:",omitempty"`
	BatchID      string    `dynamo:",omitempty"` // the bulk request that wrote it
	CancelledAt  time.Time `dynamo:",omitempty"`
	CancelReason string    `dynamo:",omitempty"`
	// MovingTo is set while a reschedule is under way (sales closed).
	MovingTo time.Time `dynamo:",omitempty"`
}

func newShowtimeItem(l catalog.ShowtimeListing) showtimeItem {
	s := l.Showtime
	sort := showtimeSortKey(s.StartsAt, s.ID)
	return showtimeItem{
		PK: showtimePK(s.ID), SK: skMeta, GSI1PK: showtimesByMoviePK(s.MovieID), GSI1SK: sort,
		GSI2PK: showtimesByCinemaPK(s.CinemaID), GSI2SK: sort, Type: typeShowtime,
		ID: s.ID, MovieID: s.MovieID, CinemaID: s.CinemaID, RoomID: s.RoomID,
		StartsAt: s.StartsAt.UTC(), EndsAt: l.EndsAt.UTC(), Format: string(s.Format), Language: string(s.Language),
		LayoutVersion: s.LayoutVersion, MovieTitle: l.MovieTitle, CinemaName: l.CinemaName, RoomName: l.RoomName,
		Status: string(s.Status), BusyUntil: s.BusyUntil.UTC(),
	}
}

func (it showtimeItem) listing() catalog.ShowtimeListing {
	return catalog.ShowtimeListing{
		Showtime: catalog.Showtime{
			ID: it.ID, MovieID: it.MovieID, CinemaID: it.CinemaID, RoomID: it.RoomID, StartsAt: it.StartsAt.UTC(),
			Format: catalog.Format(it.Format), Language: catalog.Language(it.Language), LayoutVersion: it.LayoutVersion,
			Status: catalog.ShowtimeStatus(it.Status), BusyUntil: it.BusyUntil.UTC(), MovingTo: it.MovingTo.UTC(),
		},
		EndsAt: it.EndsAt.UTC(), MovieTitle: it.MovieTitle, CinemaName: it.CinemaName, RoomName: it.RoomName,
	}
}

// seatItem exists only for a seat of a showtime that someone has touched: a
// hold, a sale or a block. A seat with no item is available. ExpMs (epoch
// milliseconds, a number so conditions compare it) is checked by every
// conditional write and by readers; ttl only cleans up.
type seatItem struct {
	PK, SK     string
	Type       string
	SeatID     string
	Status     string
	HoldID     string `dynamo:",omitempty"`
	OrderID    string `dynamo:",omitempty"`
	Holder     string `dynamo:",omitempty"`
	TicketType string `dynamo:",omitempty"`
	Meia       bool   `dynamo:",omitempty"`
	ExpMs      int64  `dynamo:",omitempty"`
	TTL        int64  `dynamo:"ttl,omitempty"`
}

func newSeatItem(showtimeID string, c catalog.SeatClaim) seatItem {
	it := seatItem{
		PK: showtimePK(showtimeID), SK: seatSK(c.SeatID), Type: typeSeat, SeatID: c.SeatID, Status: string(c.Status),
		HoldID: c.HoldID, OrderID: c.OrderID, Holder: c.Holder, TicketType: c.TicketType, Meia: c.Meia,
	}
	if !c.ExpiresAt.IsZero() {
		it.ExpMs = c.ExpiresAt.UnixMilli()
		it.TTL = ttlAfter(c.ExpiresAt)
	}
	return it
}

// cleanupGrace keeps an expired item around a day after expiry, for support
// and debugging, before TTL may delete it.
const cleanupGrace = 24 * time.Hour

func ttlAfter(t time.Time) int64 { return t.Add(cleanupGrace).Unix() }

func (it seatItem) claim() catalog.SeatClaim {
	c := catalog.SeatClaim{SeatID: it.SeatID, Status: catalog.SeatStatus(it.Status), HoldID: it.HoldID,
		OrderID: it.OrderID, Holder: it.Holder, TicketType: it.TicketType, Meia: it.Meia}
	if it.ExpMs != 0 {
		c.ExpiresAt = time.UnixMilli(it.ExpMs).UTC()
	}
	return c
}

type priceRuleAttr struct {
	Format   string `dynamo:"f"`
	Weekdays []int  `dynamo:"w"`
	Inteira  int64  `dynamo:"p"`
}

type pricesItem struct {
	PK, SK         string
	Type           string
	CinemaID       string
	Rules          []priceRuleAttr
	SeatSurcharges map[string]int64
	PromoWeekdays  []int
	UpdatedAt      time.Time `dynamo:",omitempty"`
}

func newPricesItem(p catalog.PriceTable) pricesItem {
	it := pricesItem{PK: cinemaPK(p.CinemaID), SK: skPrices, Type: typePrices, CinemaID: p.CinemaID,
		SeatSurcharges: map[string]int64{}, UpdatedAt: p.UpdatedAt.UTC()}
	for _, r := range p.Rules {
		a := priceRuleAttr{Format: string(r.Format), Inteira: int64(r.Inteira)}
		for _, w := range r.Weekdays {
			a.Weekdays = append(a.Weekdays, int(w))
		}
		it.Rules = append(it.Rules, a)
	}
	for t, v := range p.SeatSurcharges {
		it.SeatSurcharges[string(t)] = int64(v)
	}
	for _, w := range p.PromoWeekdays {
		it.PromoWeekdays = append(it.PromoWeekdays, int(w))
	}
	return it
}

func (it pricesItem) table() catalog.PriceTable {
	p := catalog.PriceTable{CinemaID: it.CinemaID, SeatSurcharges: map[catalog.SeatType]money.BRL{}}
	if !it.UpdatedAt.IsZero() {
		p.UpdatedAt = it.UpdatedAt.UTC()
	}
	for _, r := range it.Rules {
		rule := catalog.PriceRule{Format: catalog.Format(r.Format), Inteira: money.BRL(r.Inteira)}
		for _, w := range r.Weekdays {
			rule.Weekdays = append(rule.Weekdays, time.Weekday(w))
		}
		p.Rules = append(p.Rules, rule)
	}
	for t, v := range it.SeatSurcharges {
		p.SeatSurcharges[catalog.SeatType(t)] = money.BRL(v)
	}
	for _, w := range it.PromoWeekdays {
		p.PromoWeekdays = append(p.PromoWeekdays, time.Weekday(w))
	}
	return p
}

type sizeAttr struct {
	Code  string `dynamo:"c"`
	Label string `dynamo:"l"`
	Price int64  `dynamo:"p"`
	Cost  int64  `dynamo:"k"`
}

type comboItemAttr struct {
	ProductID string `dynamo:"id"`
	Size      string `dynamo:"s"`
	Quantity  int    `dynamo:"q"`
}

type productItem struct {
	PK, SK         string
	GSI1PK, GSI1SK string
	Type           string
	ID             string
	Name           string
	Description    string
	Category       string
	Sizes          []sizeAttr
	Flavours       []string        `dynamo:",omitempty"`
	ComboItems     []comboItemAttr `dynamo:",omitempty"`
	Serves         int
	Active         bool
	SortOrder      int
}

func newProductItem(p catalog.Product) productItem {
	it := productItem{
		PK: productPK(p.ID), SK: skMeta, GSI1PK: gsiProducts, GSI1SK: productListSK(p.SortOrder, p.ID), Type: typeProduct,
		ID: p.ID, Name: p.Name, Description: p.Description, Category: string(p.Category), Flavours: p.Flavours,
		Serves: p.Serves, Active: p.Active, SortOrder: p.SortOrder,
	}
	for _, s := range p.Sizes {
		it.Sizes = append(it.Sizes, sizeAttr{s.Code, s.Label, int64(s.Price), int64(s.Cost)})
	}
	for _, c := range p.ComboItems {
		it.ComboItems = append(it.ComboItems, comboItemAttr{c.ProductID, c.Size, c.Quantity})
	}
	return it
}

func (it productItem) product() catalog.Product {
	p := catalog.Product{ID: it.ID, Name: it.Name, Description: it.Description, Category: catalog.ProductCategory(it.Category),
		Flavours: it.Flavours, Serves: it.Serves, Active: it.Active, SortOrder: it.SortOrder}
	for _, s := range it.Sizes {
		p.Sizes = append(p.Sizes, catalog.Size{Code: s.Code, Label: s.Label, Price: money.BRL(s.Price), Cost: money.BRL(s.Cost)})
	}
	for _, c := range it.ComboItems {
		p.ComboItems = append(p.ComboItems, catalog.ComboItem{ProductID: c.ProductID, Size: c.Size, Quantity: c.Quantity})
	}
	return p
}
