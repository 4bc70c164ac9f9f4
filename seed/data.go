package seed

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
)

// files holds the seed data. The JSON shapes below belong to the seed only:
// the catalog domain types carry no JSON tags.
//
//go:embed data/*.json
var files embed.FS

type cinemasFile struct {
	Cinemas []cinemaData `json:"cinemas"`
}

type cinemaData struct {
	Slug         string  `json:"slug"`
	Name         string  `json:"name"`
	Neighborhood string  `json:"neighborhood"`
	Address      string  `json:"address"`
	Latitude     float64 `json:"latitude"`
	Longitude    float64 `json:"longitude"`
	GapPolicy    string  `json:"gapPolicy"`
	PriceTier    string  `json:"priceTier"`
	// DubbedBeforeHour: foreign films starting before this São Paulo hour are
	// shown DUBLADO, later ones LEGENDADO (kids' films are always dubbed,
	// 18-rated ones always subtitled).
	DubbedBeforeHour int        `json:"dubbedBeforeHour"`
	Rooms            []roomData `json:"rooms"`
}

type roomData struct {
	Number  int      `json:"number"`
	Name    string   `json:"name"`
	Layout  string   `json:"layout"`
	Formats []string `json:"formats"`
}

type layoutsFile struct {
	Layouts []layoutData `json:"layouts"`
}

type layoutData struct {
	Key         string   `json:"key"`
	Description string   `json:"description"`
	Rows        []string `json:"rows"`
}

type moviesFile struct {
	Movies []movieData `json:"movies"`
}

type movieData struct {
	Slug          string   `json:"slug"`
	Title         string   `json:"title"`
	OriginalTitle string   `json:"originalTitle"`
	Synopsis      string   `json:"synopsis"`
	AgeRating     string   `json:"ageRating"`
	Genres        []string `json:"genres"`
	Runtime       int      `json:"runtimeMinutes"`
	// ReleaseOffsetDays places the release relative to the seed day; the
	// release is then moved to a Thursday (see releaseDate).
	ReleaseOffsetDays int    `json:"releaseOffsetDays"`
	Distributor       string `json:"distributor"`
	Franchise         bool   `json:"franchise"`
	// Demand (1–10) is the audience the chain expects; with recency it ranks
	// the films when rooms are shared out.
	Demand     int      `json:"demand"`
	National   bool     `json:"national"`
	Formats    []string `json:"formats"`
	PosterURL  string   `json:"posterUrl"`
	TrailerURL string   `json:"trailerUrl"`
}

type pricesFile struct {
	Note  string      `json:"note"`
	Tiers []priceTier `json:"tiers"`
}

type priceTier struct {
	Key            string           `json:"key"`
	Rules          []priceRuleData  `json:"rules"`
	SeatSurcharges map[string]int64 `json:"seatSurcharges"`
	PromoWeekdays  []string         `json:"promoWeekdays"`
}

type priceRuleData struct {
	Format   string   `json:"format"`
	Weekdays []string `json:"weekdays"`
	Inteira  int64    `json:"inteira"`
}

type productsFile struct {
	Note     string        `json:"note"`
	Products []productData `json:"products"`
}

type productData struct {
	Slug        string          `json:"slug"`
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Category    string          `json:"category"`
	Sizes       []sizeData      `json:"sizes"`
	Flavours    []string        `json:"flavours"`
	ComboPrice  int64           `json:"comboPrice"`
	ComboItems  []comboItemData `json:"comboItems"`
	Serves      int             `json:"serves"`
	Active      bool            `json:"active"`
	SortOrder   int             `json:"sortOrder"`
}

type sizeData struct {
	Code  string `json:"code"`
	Label string `json:"label"`
	Price int64  `json:"price"`
	Cost  int64  `json:"cost"`
}

type comboItemData struct {
	Product  string `json:"product"`
	Size     string `json:"size"`
	Quantity int    `json:"quantity"`
}

// source is every data file, decoded.
type source struct {
	cinemas  cinemasFile
	layouts  layoutsFile
	movies   moviesFile
	prices   pricesFile
	products productsFile
}

func loadSource() (source, error) {
	var s source
	for _, f := range []struct {
		name string
		dst  any
	}{
		{"data/cinemas.json", &s.cinemas},
		{"data/layouts.json", &s.layouts},
		{"data/movies.json", &s.movies},
		{"data/prices.json", &s.prices},
		{"data/products.json", &s.products},
	} {
		if err := decode(f.name, f.dst); err != nil {
			return source{}, err
		}
	}
	return s, nil
}

// decode reads one embedded file strictly: an unknown field is a typo.
func decode(name string, dst any) error {
	raw, err := files.ReadFile(name)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return fmt.Errorf("decode %s: %w", name, err)
	}
	return nil
}
