// Package seed is the demo data of the chain — cinemas, rooms, movies, ticket
// prices, the concessions menu — and a pure builder that turns it, for a given
// day, into catalog values with two weeks of showtimes.
package seed

import (
	"fmt"
	"regexp"
	"slices"
	"time"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/money"
)

// Days is how many days of showtimes Build generates, the seed day included.
const Days = 14

// Cleaning is the interval a room needs between the end of one showtime and
// the start of the next.
const Cleaning = 20 * time.Minute

// LayoutVersion is the version of every seeded room layout.
const LayoutVersion = 1

// City and State of every seeded cinema.
const (
	City  = "São Paulo"
	State = "SP"
)

// Catalog is everything the seed holds, as catalog values.
type Catalog struct {
	Cinemas   []catalog.Cinema
	Rooms     []catalog.Room
	Movies    []catalog.Movie
	Showtimes []catalog.Showtime
	Prices    []catalog.PriceTable
	Products  []catalog.Product
}

// idPattern is what every seeded id matches.
var idPattern = regexp.MustCompile(`^[a-z0-9-]{1,64}$`)

// Build turns the embedded data into catalog values for the São Paulo day
// today: movie release dates are placed relative to it and showtimes cover
// the Days days from it. It reads nothing but the embedded files and the same
// day always gives the same catalog.
func Build(today catalog.Date) (*Catalog, error) {
	if today.IsZero() {
		return nil, fmt.Errorf("seed: build: zero date")
	}
	src, err := loadSource()
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	b := &builder{today: today}
	steps := []func(source) error{b.addLayouts, b.addMovies, b.addCinemas, b.addPrices, b.addProducts}
	for _, step := range steps {
		if err := step(src); err != nil {
			return nil, fmt.Errorf("seed: %w", err)
		}
	}
	b.out.Showtimes = b.schedule()
	if err := b.checkIDs(); err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	return &b.out, nil
}

type builder struct {
	today   catalog.Date
	out     Catalog
	layouts map[string]catalog.Layout
	films   []film  // movies with what scheduling needs beyond catalog.Movie
	venues  []venue // cinemas with their rooms and language habit
}

// film is a movie plus the facts that scheduling needs.
type film struct {
	catalog.Movie
	formats  []catalog.Format
	national bool
	demand   int
}

// venue is a cinema as scheduling sees it.
type venue struct {
	cinema           catalog.Cinema
	slug             string
	dubbedBeforeHour int
	rooms            []screen
}

// screen is a room as scheduling sees it.
type screen struct {
	catalog.Room
	number int
}

func (b *builder) addLayouts(src source) error {
	b.layouts = map[string]catalog.Layout{}
	for _, l := range src.layouts.Layouts {
		if _, dup := b.layouts[l.Key]; dup {
			return fmt.Errorf("layout %q appears twice", l.Key)
		}
		parsed, err := catalog.ParseLayout(LayoutVersion, l.Rows)
		if err != nil {
			return fmt.Errorf("layout %q: %w", l.Key, err)
		}
		b.layouts[l.Key] = parsed
	}
	return nil
}

func (b *builder) addMovies(src source) error {
	for _, m := range src.movies.Movies {
		mv := catalog.Movie{
			ID:             "mov-" + m.Slug,
			Title:          m.Title,
			OriginalTitle:  m.OriginalTitle,
			Synopsis:       m.Synopsis,
			AgeRating:      catalog.AgeRating(m.AgeRating),
			Genres:         slices.Clone(m.Genres),
			RuntimeMinutes: m.Runtime,
			ReleaseDate:    releaseDate(b.today, m.ReleaseOffsetDays),
			PosterURL:      m.PosterURL,
			TrailerURL:     m.TrailerURL,
			Distributor:    m.Distributor,
			Franchise:      m.Franchise,
		}
		if !mv.AgeRating.Valid() {
			return fmt.Errorf("movie %s: unknown age rating %q", mv.ID, m.AgeRating)
		}
		if mv.RuntimeMinutes < 60 || mv.RuntimeMinutes > 240 {
			return fmt.Errorf("movie %s: implausible runtime %d min", mv.ID, mv.RuntimeMinutes)
		}
		formats, err := parseFormats(m.Formats)
		if err != nil {
			return fmt.Errorf("movie %s: %w", mv.ID, err)
		}
		b.out.Movies = append(b.out.Movies, mv)
		if m.Demand < 1 || m.Demand > 10 {
			return fmt.Errorf("movie %s: demand %d out of 1..10", mv.ID, m.Demand)
		}
		b.films = append(b.films, film{Movie: mv, formats: formats, national: m.National, demand: m.Demand})
	}
	return nil
}

// releaseDate places a release offsetDays from today on a Thursday, the day
// releases open in Brazil: a film already out (offset <= 0) opened on the
// Thursday on or before today+offset, a coming one opens on the Thursday on
// or after today+offset. So an offset of 1 to 7 always opens within the
// showtime window.
func releaseDate(today catalog.Date, offsetDays int) catalog.Date {
	d := today.AddDays(offsetDays)
	wd := int(d.Start().Weekday())
	thu := int(time.Thursday)
	if offsetDays > 0 {
		return d.AddDays((thu - wd + 7) % 7)
	}
	return d.AddDays(-((wd - thu + 7) % 7))
}

func (b *builder) addCinemas(src source) error {
	for _, c := range src.cinemas.Cinemas {
		cin := catalog.Cinema{
			ID:           "cin-" + c.Slug,
			Name:         c.Name,
			Neighborhood: c.Neighborhood,
			Address:      c.Address,
			City:         City,
			State:        State,
			Latitude:     c.Latitude,
			Longitude:    c.Longitude,
			GapPolicy:    catalog.GapPolicy(c.GapPolicy),
		}
		if cin.GapPolicy != catalog.GapBlock && cin.GapPolicy != catalog.GapWarn {
			return fmt.Errorf("cinema %s: unknown gap policy %q", cin.ID, c.GapPolicy)
		}
		if c.DubbedBeforeHour < 11 || c.DubbedBeforeHour > 24 {
			return fmt.Errorf("cinema %s: dubbedBeforeHour %d out of 11..24", cin.ID, c.DubbedBeforeHour)
		}
		v := venue{cinema: cin, slug: c.Slug, dubbedBeforeHour: c.DubbedBeforeHour}
		for _, r := range c.Rooms {
			layout, ok := b.layouts[r.Layout]
			if !ok {
				return fmt.Errorf("cinema %s room %d: unknown layout %q", cin.ID, r.Number, r.Layout)
			}
			formats, err := parseFormats(r.Formats)
			if err != nil {
				return fmt.Errorf("cinema %s room %d: %w", cin.ID, r.Number, err)
			}
			room := catalog.Room{
				CinemaID: cin.ID,
				ID:       fmt.Sprintf("room-%s-%d", c.Slug, r.Number),
				Name:     r.Name,
				Formats:  formats,
				Layout:   cloneLayout(layout),
			}
			b.out.Rooms = append(b.out.Rooms, room)
			v.rooms = append(v.rooms, screen{Room: room, number: r.Number})
		}
		b.out.Cinemas = append(b.out.Cinemas, cin)
		b.venues = append(b.venues, v)
	}
	return nil
}

// cloneLayout copies the seats so that rooms sharing a template never share
// a slice.
func cloneLayout(l catalog.Layout) catalog.Layout {
	l.Seats = slices.Clone(l.Seats)
	return l
}

func parseFormats(in []string) ([]catalog.Format, error) {
	if len(in) == 0 {
		return nil, fmt.Errorf("no formats")
	}
	out := make([]catalog.Format, 0, len(in))
	for _, s := range in {
		f := catalog.Format(s)
		if !f.Valid() {
			return nil, fmt.Errorf("unknown format %q", s)
		}
		out = append(out, f)
	}
	return out, nil
}

var weekdays = map[string]time.Weekday{
	"SUN": time.Sunday, "MON": time.Monday, "TUE": time.Tuesday, "WED": time.Wednesday,
	"THU": time.Thursday, "FRI": time.Friday, "SAT": time.Saturday,
}

func parseWeekdays(in []string) ([]time.Weekday, error) {
	out := make([]time.Weekday, 0, len(in))
	for _, s := range in {
		wd, ok := weekdays[s]
		if !ok {
			return nil, fmt.Errorf("unknown weekday %q", s)
		}
		out = append(out, wd)
	}
	return out, nil
}

var seatTypes = []catalog.SeatType{
	catalog.SeatStandard, catalog.SeatWheelchair, catalog.SeatCompanion, catalog.SeatVIP, catalog.SeatCouple,
}

// addPrices gives each cinema the table of its tier, keeping only the formats
// its rooms can show.
func (b *builder) addPrices(src source) error {
	tiers := map[string]priceTier{}
	for _, t := range src.prices.Tiers {
		tiers[t.Key] = t
	}
	for i, c := range src.cinemas.Cinemas {
		tier, ok := tiers[c.PriceTier]
		if !ok {
			return fmt.Errorf("cinema %s: unknown price tier %q", b.venues[i].cinema.ID, c.PriceTier)
		}
		offered := map[catalog.Format]bool{}
		for _, r := range b.venues[i].rooms {
			for _, f := range r.Formats {
				offered[f] = true
			}
		}
		table := catalog.PriceTable{CinemaID: b.venues[i].cinema.ID, SeatSurcharges: map[catalog.SeatType]money.BRL{}}
		for _, r := range tier.Rules {
			f := catalog.Format(r.Format)
			if !f.Valid() {
				return fmt.Errorf("price tier %s: unknown format %q", tier.Key, r.Format)
			}
			days, err := parseWeekdays(r.Weekdays)
			if err != nil {
				return fmt.Errorf("price tier %s: %w", tier.Key, err)
			}
			if !offered[f] {
				continue
			}
			table.Rules = append(table.Rules, catalog.PriceRule{Format: f, Weekdays: days, Inteira: money.BRL(r.Inteira)})
		}
		for name, amount := range tier.SeatSurcharges {
			st := catalog.SeatType(name)
			if !slices.Contains(seatTypes, st) {
				return fmt.Errorf("price tier %s: unknown seat type %q", tier.Key, name)
			}
			table.SeatSurcharges[st] = money.BRL(amount)
		}
		promo, err := parseWeekdays(tier.PromoWeekdays)
		if err != nil {
			return fmt.Errorf("price tier %s: %w", tier.Key, err)
		}
		table.PromoWeekdays = promo
		b.out.Prices = append(b.out.Prices, table)
	}
	return nil
}

// addProducts builds the menu; a combo is sold in one size, UN, at its combo
// price, and costs the sum of its items' unit costs.
func (b *builder) addProducts(src source) error {
	byID := map[string]catalog.Product{}
	for _, p := range src.products.Products {
		prd := catalog.Product{
			ID:          "prd-" + p.Slug,
			Name:        p.Name,
			Description: p.Description,
			Category:    catalog.ProductCategory(p.Category),
			Flavours:    slices.Clone(p.Flavours),
			Serves:      p.Serves,
			Active:      p.Active,
			SortOrder:   p.SortOrder,
		}
		if !prd.Category.Valid() {
			return fmt.Errorf("product %s: unknown category %q", prd.ID, p.Category)
		}
		for _, s := range p.Sizes {
			prd.Sizes = append(prd.Sizes, catalog.Size{Code: s.Code, Label: s.Label, Price: money.BRL(s.Price), Cost: money.BRL(s.Cost)})
		}
		if len(p.ComboItems) > 0 {
			if len(p.Sizes) > 0 {
				return fmt.Errorf("product %s: a combo has a comboPrice, not sizes", prd.ID)
			}
			var cost money.BRL
			for _, it := range p.ComboItems {
				part, ok := byID["prd-"+it.Product]
				if !ok {
					return fmt.Errorf("combo %s: unknown product %q (list parts before combos)", prd.ID, it.Product)
				}
				size, ok := part.Size(it.Size)
				if !ok {
					return fmt.Errorf("combo %s: product %s has no size %q", prd.ID, part.ID, it.Size)
				}
				if it.Quantity < 1 {
					return fmt.Errorf("combo %s: quantity %d", prd.ID, it.Quantity)
				}
				cost += size.Cost * money.BRL(it.Quantity)
				prd.ComboItems = append(prd.ComboItems, catalog.ComboItem{ProductID: part.ID, Size: it.Size, Quantity: it.Quantity})
			}
			prd.Sizes = []catalog.Size{{Code: "UN", Label: "Combo", Price: money.BRL(p.ComboPrice), Cost: cost}}
		}
		if len(prd.Sizes) == 0 {
			return fmt.Errorf("product %s: no sizes", prd.ID)
		}
		if _, dup := byID[prd.ID]; dup {
			return fmt.Errorf("product %s appears twice", prd.ID)
		}
		byID[prd.ID] = prd
		b.out.Products = append(b.out.Products, prd)
	}
	return nil
}

// checkIDs refuses a catalog whose ids are not short lowercase slugs or not
// unique within their kind.
func (b *builder) checkIDs() error {
	kinds := map[string][]string{}
	for _, c := range b.out.Cinemas {
		kinds["cinema"] = append(kinds["cinema"], c.ID)
	}
	for _, r := range b.out.Rooms {
		kinds["room"] = append(kinds["room"], r.ID)
	}
	for _, m := range b.out.Movies {
		kinds["movie"] = append(kinds["movie"], m.ID)
	}
	for _, p := range b.out.Products {
		kinds["product"] = append(kinds["product"], p.ID)
	}
	for _, s := range b.out.Showtimes {
		kinds["showtime"] = append(kinds["showtime"], s.ID)
	}
	for _, kind := range []string{"cinema", "room", "movie", "product", "showtime"} {
		seen := map[string]bool{}
		for _, id := range kinds[kind] {
			if !idPattern.MatchString(id) {
				return fmt.Errorf("%s id %q is not %s", kind, id, idPattern)
			}
			if seen[id] {
				return fmt.Errorf("%s id %q appears twice", kind, id)
			}
			seen[id] = true
		}
	}
	return nil
}
