package catalog

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"bilhetagem/internal/errs"
)

// weekdayCodes are the contract's names of the days of the week.
var weekdayCodes = [7]string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}

// WeekdayCode is the contract's name of a day: SUN, MON ... SAT.
func WeekdayCode(d time.Weekday) string { return weekdayCodes[d%7] }

// ParseWeekday reads SUN, MON ... SAT.
func ParseWeekday(code string) (time.Weekday, bool) {
	i := slices.Index(weekdayCodes[:], code)
	return time.Weekday(i), i >= 0
}

// weekdayNames are the days as a buyer or a programmer reads them.
var weekdayNames = [7]string{"domingo", "segunda", "terça", "quarta", "quinta", "sexta", "sábado"}

// Check says whether the table prices every format in formats (those the
// cinema's rooms project) on every day of the week, each day once: a gap or
// a day priced twice is price_table_incomplete (422). Rules for a format no
// room projects are allowed; they price nothing until a room does. Amounts
// are never negative (the contract refuses them first; a negative one here
// is a programming error, reported the same way).
func (p PriceTable) Check(formats []Format) error {
	var problems []errs.FieldError
	seen := map[Format]map[time.Weekday]int{} // format -> day -> rule index
	for i, r := range p.Rules {
		if r.Inteira < 0 {
			problems = append(problems, errs.FieldError{Field: fmt.Sprintf("rules[%d].inteira", i), Message: "o preço não pode ser negativo"})
		}
		if seen[r.Format] == nil {
			seen[r.Format] = map[time.Weekday]int{}
		}
		for _, d := range r.Weekdays {
			if j, dup := seen[r.Format][d]; dup {
				problems = append(problems, errs.FieldError{Field: fmt.Sprintf("rules[%d].weekdays", i),
					Message: fmt.Sprintf("%s em %s já tem preço na regra %d", r.Format, weekdayNames[d], j)})
				continue
			}
			seen[r.Format][d] = i
		}
	}
	for _, f := range uniqueFormats(formats) {
		var missing []string
		for d := time.Sunday; d <= time.Saturday; d++ {
			if _, ok := seen[f][d]; !ok {
				missing = append(missing, weekdayNames[d])
			}
		}
		if len(missing) > 0 {
			problems = append(problems, errs.FieldError{Field: "rules",
				Message: fmt.Sprintf("as salas projetam %s e falta o preço de %s", f, strings.Join(missing, ", "))})
		}
	}
	if len(problems) == 0 {
		return nil
	}
	e := errs.E(errs.Unprocessable, "price_table_incomplete", problems[0].Message)
	e.Fields = problems
	return e
}

// uniqueFormats lists formats once each, in a stable order.
func uniqueFormats(formats []Format) []Format {
	out := slices.Clone(formats)
	slices.Sort(out)
	return slices.Compact(out)
}

// PriceTableStore is what the back office needs to read and replace price
// tables.
type PriceTableStore interface {
	GetCinema(ctx context.Context, id string) (Cinema, error)
	ListCinemas(ctx context.Context) ([]Cinema, []Room, error)
	GetPriceTable(ctx context.Context, cinemaID string) (PriceTable, error)
	// PutPriceTable replaces the cinema's table.
	PutPriceTable(ctx context.Context, p PriceTable) error
}

// PriceAdmin reads and replaces the cinemas' ticket price tables
// (getPriceTable, putPriceTable). A new table reaches new holds only: a hold
// keeps the quote it was made with and its order takes the hold's prices
// (docs/adr/0600).
type PriceAdmin struct {
	Store PriceTableStore
	// Cache, when set, forgets the cinema's table as soon as it changes, so
	// holds served by the same process see it at once; other processes see
	// it when their cache entry expires (DefaultCacheTTL).
	Cache *Cache
}

// Get returns a cinema's table; a cinema with no table yet has an empty one.
func (a *PriceAdmin) Get(ctx context.Context, cinemaID string) (PriceTable, error) {
	if _, err := a.Store.GetCinema(ctx, cinemaID); err != nil {
		return PriceTable{}, fmt.Errorf("get price table: %w", err)
	}
	p, err := a.Store.GetPriceTable(ctx, cinemaID)
	if errs.KindOf(err) == errs.NotFound {
		return PriceTable{CinemaID: cinemaID}, nil
	}
	if err != nil {
		return PriceTable{}, fmt.Errorf("get price table: %w", err)
	}
	return p, nil
}

// Put checks the table against the formats the cinema's rooms project and
// replaces the stored one.
func (a *PriceAdmin) Put(ctx context.Context, p PriceTable, now time.Time) (PriceTable, error) {
	if _, err := a.Store.GetCinema(ctx, p.CinemaID); err != nil {
		return PriceTable{}, fmt.Errorf("put price table: %w", err)
	}
	_, rooms, err := a.Store.ListCinemas(ctx)
	if err != nil {
		return PriceTable{}, fmt.Errorf("put price table: %w", err)
	}
	var formats []Format
	for _, r := range rooms {
		if r.CinemaID == p.CinemaID {
			formats = append(formats, r.Formats...)
		}
	}
	if err := p.Check(formats); err != nil {
		return PriceTable{}, err
	}
	p.UpdatedAt = now.UTC()
	if err := a.Store.PutPriceTable(ctx, p); err != nil {
		return PriceTable{}, fmt.Errorf("put price table: %w", err)
	}
	if a.Cache != nil {
		a.Cache.ForgetPriceTable(p.CinemaID)
	}
	return p, nil
}
