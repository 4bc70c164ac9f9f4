// Package catalog holds what the chain sells: cinemas, rooms and their seat
// layouts, movies, showtimes, ticket price tables and the concessions menu.
//
// It is pure: no AWS, no HTTP, no JSON. The Service answers the catalog
// questions of the API through the Store interface it needs.
package catalog

import (
	"time"

	"bilhetagem/internal/money"
)

// Zone is where the chain sells: every date a buyer sees is a date in São Paulo.
var Zone = mustZone("America/Sao_Paulo")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// GapPolicy says what a cinema does about a hold that leaves one isolated
// empty seat in a row.
type GapPolicy string

const (
	GapBlock GapPolicy = "BLOCK"
	GapWarn  GapPolicy = "WARN"
)

// Cinema is one complex of the chain.
type Cinema struct {
	ID           string
	Name         string
	Neighborhood string
	Address      string
	City         string
	State        string
	Latitude     float64
	Longitude    float64
	GapPolicy    GapPolicy
}

// Format is how a showtime is projected.
type Format string

const (
	Format2D   Format = "2D"
	Format3D   Format = "3D"
	FormatIMAX Format = "IMAX"
)

// Valid reports whether f is a known format.
func (f Format) Valid() bool { return f == Format2D || f == Format3D || f == FormatIMAX }

// Language is how the audio of a showtime is delivered.
type Language string

const (
	Dubbed    Language = "DUBLADO"
	Subtitled Language = "LEGENDADO"
	National  Language = "NACIONAL"
)

// Valid reports whether l is a known language.
func (l Language) Valid() bool { return l == Dubbed || l == Subtitled || l == National }

// Room is a screening room of a cinema with its current seat layout.
type Room struct {
	CinemaID string
	ID       string
	Name     string
	Formats  []Format
	Layout   Layout
}

// AgeRating is the Brazilian classificação indicativa.
type AgeRating string

const (
	RatingL  AgeRating = "L"
	Rating10 AgeRating = "10"
	Rating12 AgeRating = "12"
	Rating14 AgeRating = "14"
	Rating16 AgeRating = "16"
	Rating18 AgeRating = "18"
)

// Valid reports whether r is a rating of the classificação indicativa.
func (r AgeRating) Valid() bool {
	switch r {
	case RatingL, Rating10, Rating12, Rating14, Rating16, Rating18:
		return true
	}
	return false
}

// Movie is a film the chain shows or will show.
type Movie struct {
	ID             string
	Title          string
	OriginalTitle  string
	Synopsis       string
	AgeRating      AgeRating
	Genres         []string
	RuntimeMinutes int
	ReleaseDate    Date
	PosterURL      string
	TrailerURL     string
	Distributor    string
	Franchise      bool
	// Retired hides the movie from buyers and from new showtimes; its
	// history (showtimes, orders, reports) stays.
	Retired   bool
	RetiredAt time.Time
	UpdatedAt time.Time
}

// NowShowing reports whether the movie has opened by the given day.
func (m Movie) NowShowing(today Date) bool { return !m.ReleaseDate.After(today) }

// Showtime is one screening of a movie in a room.
type Showtime struct {
	ID            string
	MovieID       string
	CinemaID      string
	RoomID        string
	StartsAt      time.Time // UTC
	Format        Format
	Language      Language
	LayoutVersion int
	// Status is SCHEDULED unless the showtime was cancelled.
	Status ShowtimeStatus
	// BusyUntil is when the room is free again: the end plus the cleaning
	// interval, on a 5-minute mark. Zero for showtimes stored without it.
	BusyUntil time.Time
	// MovingTo is the start a reschedule under way is moving the showtime
	// to, zero otherwise. While it is set the showtime sells nothing: no
	// new hold or order, and no seat is sold (docs/adr/0602).
	MovingTo time.Time
}

// ShowtimeStatus says whether a showtime is still on.
type ShowtimeStatus string

const (
	ShowtimeScheduled ShowtimeStatus = "SCHEDULED"
	ShowtimeCancelled ShowtimeStatus = "CANCELLED"
)

// Cancelled reports whether the showtime was cancelled.
func (s Showtime) Cancelled() bool { return s.Status == ShowtimeCancelled }

// Moving reports whether a reschedule of the showtime is under way.
func (s Showtime) Moving() bool { return !s.MovingTo.IsZero() }

// EndsAt is when the room is free again, not counting cleaning.
func (s Showtime) EndsAt(runtime time.Duration) time.Time { return s.StartsAt.Add(runtime) }

// Day is the São Paulo date of the showtime.
func (s Showtime) Day() Date { return DateOf(s.StartsAt) }

// PriceRule is the full (inteira) price of a format on some weekdays.
type PriceRule struct {
	Format   Format
	Weekdays []time.Weekday
	Inteira  money.BRL
}

// PriceTable is a cinema's ticket prices.
type PriceTable struct {
	CinemaID       string
	Rules          []PriceRule
	SeatSurcharges map[SeatType]money.BRL // per seat, on top of the ticket
	PromoWeekdays  []time.Weekday         // days with promotional prices
	UpdatedAt      time.Time              // when staff last replaced it; zero for a seeded table
}

// Inteira returns the full price of a format on a weekday.
func (p PriceTable) Inteira(f Format, d time.Weekday) (money.BRL, bool) {
	for _, r := range p.Rules {
		if r.Format != f {
			continue
		}
		for _, w := range r.Weekdays {
			if w == d {
				return r.Inteira, true
			}
		}
	}
	return 0, false
}

// ProductCategory groups the menu.
type ProductCategory string

const (
	CategoryPopcorn   ProductCategory = "PIPOCA"
	CategoryDrink     ProductCategory = "BEBIDA"
	CategoryChocolate ProductCategory = "CHOCOLATE"
	CategoryCandy     ProductCategory = "DOCE"
	CategorySnack     ProductCategory = "SALGADO"
	CategoryCombo     ProductCategory = "COMBO"
)

// Valid reports whether c is a known category.
func (c ProductCategory) Valid() bool {
	switch c {
	case CategoryPopcorn, CategoryDrink, CategoryChocolate, CategoryCandy, CategorySnack, CategoryCombo:
		return true
	}
	return false
}

// Size is one sellable size of a product, with its price and unit cost.
type Size struct {
	Code  string // P, M, G or UN
	Label string
	Price money.BRL
	Cost  money.BRL // unit cost, for margin; never shown to buyers
}

// ComboItem is one line of a combo.
type ComboItem struct {
	ProductID string
	Size      string
	Quantity  int
}

// Product is an item of the bomboniere menu; a combo is a product whose
// ComboItems say what it contains.
type Product struct {
	ID          string
	Name        string
	Description string
	Category    ProductCategory
	Sizes       []Size
	Flavours    []string
	ComboItems  []ComboItem
	Serves      int // people a product is meant for (combos for 2 serve 2)
	Active      bool
	SortOrder   int
}

// IsCombo reports whether the product is a combo.
func (p Product) IsCombo() bool { return len(p.ComboItems) > 0 }

// Size returns the size with that code.
func (p Product) Size(code string) (Size, bool) {
	for _, s := range p.Sizes {
		if s.Code == code {
			return s, true
		}
	}
	return Size{}, false
}
