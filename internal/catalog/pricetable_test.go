package catalog_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/money"
)

var week = []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}

func TestPriceTableCheck(t *testing.T) {
	t.Parallel()
	rule := func(f catalog.Format, price money.BRL, days ...time.Weekday) catalog.PriceRule {
		return catalog.PriceRule{Format: f, Weekdays: days, Inteira: price}
	}
	cases := []struct {
		name    string
		rules   []catalog.PriceRule
		formats []catalog.Format
		ok      bool
	}{
		{"every day of every projected format priced once is complete",
			[]catalog.PriceRule{rule(catalog.Format2D, 3600, week[:5]...), rule(catalog.Format2D, 4400, week[5:]...), rule(catalog.Format3D, 4800, week...)},
			[]catalog.Format{catalog.Format2D, catalog.Format3D, catalog.Format2D}, true},
		{"a format no room projects may be priced", []catalog.PriceRule{rule(catalog.Format2D, 3600, week...), rule(catalog.FormatIMAX, 6000, time.Friday)},
			[]catalog.Format{catalog.Format2D}, true},
		{"a missing day is incomplete", []catalog.PriceRule{rule(catalog.Format2D, 3600, week[1:]...)}, []catalog.Format{catalog.Format2D}, false},
		{"a projected format with no rule is incomplete", []catalog.PriceRule{rule(catalog.Format2D, 3600, week...)},
			[]catalog.Format{catalog.Format2D, catalog.Format3D}, false},
		{"a day priced twice is incomplete", []catalog.PriceRule{rule(catalog.Format2D, 3600, week...), rule(catalog.Format2D, 2000, time.Tuesday)},
			[]catalog.Format{catalog.Format2D}, false},
		{"a negative price is refused", []catalog.PriceRule{rule(catalog.Format2D, -1, week...)}, []catalog.Format{catalog.Format2D}, false},
		{"a cinema with no rooms needs no price", nil, nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := catalog.PriceTable{CinemaID: "cin", Rules: c.rules}.Check(c.formats)
			if c.ok {
				require.NoError(t, err)
				return
			}
			e, ok := errs.As(err)
			require.True(t, ok)
			assert.Equal(t, "price_table_incomplete", e.Code)
			assert.Equal(t, errs.Unprocessable, e.Kind)
			assert.NotEmpty(t, e.Fields)
		})
	}
}

func TestWeekdayCodes(t *testing.T) {
	t.Parallel()
	for _, d := range week {
		got, ok := catalog.ParseWeekday(catalog.WeekdayCode(d))
		require.True(t, ok)
		assert.Equal(t, d, got)
	}
	_, ok := catalog.ParseWeekday("DOM")
	assert.False(t, ok)
}

// priceStore is a one-cinema store of price tables; the admin and the cache
// are what is under test.
type priceStore struct {
	table catalog.PriceTable
	reads int
}

func (s *priceStore) GetCinema(_ context.Context, id string) (catalog.Cinema, error) {
	if id != "cin" {
		return catalog.Cinema{}, errs.NotFoundf("cinema %s", id)
	}
	return catalog.Cinema{ID: id}, nil
}
func (s *priceStore) ListCinemas(context.Context) ([]catalog.Cinema, []catalog.Room, error) {
	return []catalog.Cinema{{ID: "cin"}}, []catalog.Room{{CinemaID: "cin", Formats: []catalog.Format{catalog.Format2D}},
		{CinemaID: "other", Formats: []catalog.Format{catalog.Format3D}}}, nil
}
func (s *priceStore) GetPriceTable(context.Context, string) (catalog.PriceTable, error) {
	s.reads++
	return s.table, nil
}
func (s *priceStore) PutPriceTable(_ context.Context, p catalog.PriceTable) error {
	s.table = p
	return nil
}
func (s *priceStore) GetMovie(context.Context, string) (catalog.Movie, error) {
	return catalog.Movie{}, nil
}
func (s *priceStore) GetRoomLayout(context.Context, string, string, int) (catalog.Room, error) {
	return catalog.Room{}, nil
}

func TestPriceAdminAndTheCache(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 12, 3, 20, 0, 0, 0, time.UTC)
	store := &priceStore{table: catalog.PriceTable{CinemaID: "cin", Rules: []catalog.PriceRule{{Format: catalog.Format2D, Weekdays: week, Inteira: 3600}}}}
	here := &catalog.Cache{Store: store, TTL: time.Minute, Now: func() time.Time { return now }}
	elsewhere := &catalog.Cache{Store: store, TTL: time.Minute, Now: func() time.Time { return now }}
	admin := &catalog.PriceAdmin{Store: store, Cache: here}
	for _, c := range []*catalog.Cache{here, elsewhere} {
		p, err := c.GetPriceTable(ctx, "cin")
		require.NoError(t, err)
		require.Equal(t, money.BRL(3600), p.Rules[0].Inteira)
	}

	saved, err := admin.Put(ctx, catalog.PriceTable{CinemaID: "cin", Rules: []catalog.PriceRule{{Format: catalog.Format2D, Weekdays: week, Inteira: 4000}}}, now)
	require.NoError(t, err)
	assert.Equal(t, now, saved.UpdatedAt)

	t.Run("the process that changed the table reads the new one at once", func(t *testing.T) {
		p, err := here.GetPriceTable(ctx, "cin")
		require.NoError(t, err)
		assert.Equal(t, money.BRL(4000), p.Rules[0].Inteira)
	})
	t.Run("another process keeps the old table until its entry's TTL, then reads the new one", func(t *testing.T) {
		p, _ := elsewhere.GetPriceTable(ctx, "cin")
		assert.Equal(t, money.BRL(3600), p.Rules[0].Inteira)
		now = now.Add(time.Minute)
		p, _ = elsewhere.GetPriceTable(ctx, "cin")
		assert.Equal(t, money.BRL(4000), p.Rules[0].Inteira)
	})
	t.Run("only the formats of the cinema's own rooms must be priced", func(t *testing.T) {
		_, err := admin.Put(ctx, catalog.PriceTable{CinemaID: "cin", Rules: []catalog.PriceRule{{Format: catalog.Format3D, Weekdays: week, Inteira: 4000}}}, now)
		e, ok := errs.As(err)
		require.True(t, ok)
		assert.Equal(t, "price_table_incomplete", e.Code)
		assert.Equal(t, money.BRL(4000), store.table.Rules[0].Inteira, "nothing stored")
	})
}
