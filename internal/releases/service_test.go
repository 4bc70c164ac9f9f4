package releases_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/releases"
)

// catalogFake serves one movie and its release week.
type catalogFake struct {
	movie     catalog.Movie
	showtimes []catalog.ShowtimeListing
}

func (c catalogFake) ListMovies(context.Context) ([]catalog.Movie, error) {
	return []catalog.Movie{c.movie}, nil
}

func (c catalogFake) GetMovie(_ context.Context, id string) (catalog.Movie, error) {
	if id != c.movie.ID {
		return catalog.Movie{}, errs.NotFoundf("filme %s não encontrado", id)
	}
	return c.movie, nil
}

func (c catalogFake) ShowtimesByMovie(context.Context, string, time.Time, time.Time) ([]catalog.ShowtimeListing, error) {
	return c.showtimes, nil
}

// salesFake answers a fixed count and records the hours it was asked for.
type salesFake struct {
	tickets  int
	asked    bool
	from, to time.Time
}

func (s *salesFake) TicketsSold(_ context.Context, _ string, from, to time.Time) (int, error) {
	s.asked, s.from, s.to = true, from, to
	return s.tickets, nil
}

func TestPresaleVelocity(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 20, 18, 0, 0, 0, time.UTC)
	cases := []struct {
		name    string
		tickets int
		since   time.Time
		want    float64
	}{
		{"a presale three hours old counts over three hours", 900, now.Add(-3 * time.Hour), 300},
		{"a day or more counts over 24 hours", 4800, now.Add(-24 * time.Hour), 200},
		{"its first minutes count as one hour", 150, now.Add(-10 * time.Minute), 150},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			assert.InDelta(t, c.want, releases.PresaleVelocity(c.tickets, c.since, now), 1e-9)
		})
	}
}

func TestClassifyReadsPresaleVelocity(t *testing.T) {
	t.Parallel()
	release := catalog.Date{Year: 2026, Month: time.December, Day: 3}
	drama := catalog.Movie{ID: "mov-drama", Title: "Um Drama", Genres: []string{"Drama"}, AgeRating: catalog.Rating16, ReleaseDate: release}
	var week []catalog.ShowtimeListing
	for i := range 40 {
		week = append(week, catalog.ShowtimeListing{Showtime: catalog.Showtime{ID: "st-" + string(rune('a'+i%26)) + string(rune('a'+i/26)),
			MovieID: drama.ID, CinemaID: "cin-1", RoomID: []string{"r1", "r2"}[i%2], StartsAt: release.At(14+i%8, 0)}})
	}
	inputs := map[string]releases.Input{drama.ID: {MovieID: drama.ID, InterestIndex: 20, HasInterest: true, PresaleLeadDays: 14}}
	opens := release.AddDays(-14).At(releases.PresaleHour, 0)
	svc := func(sales *salesFake) *releases.Service {
		return &releases.Service{Store: catalogFake{drama, week}, Model: model(t), Inputs: inputs, Sales: sales}
	}

	t.Run("without sales a small drama is normal", func(t *testing.T) {
		t.Parallel()
		c, err := svc(&salesFake{}).ClassifyMovie(context.Background(), drama.ID, opens.Add(2*time.Hour))
		require.NoError(t, err)
		assert.Equal(t, releases.Normal, c.Class)
		assert.Zero(t, c.Features.PresaleTicketsPerHour)
	})
	t.Run("600 tickets in the presale's first two hours raise it to high", func(t *testing.T) {
		t.Parallel()
		sales := &salesFake{tickets: 600}
		now := opens.Add(2 * time.Hour)
		c, err := svc(sales).ClassifyMovie(context.Background(), drama.ID, now)
		require.NoError(t, err)
		assert.Equal(t, releases.High, c.Class)
		assert.InDelta(t, 300, c.Features.PresaleTicketsPerHour, 1e-9)
		assert.True(t, sales.from.Equal(opens), "counted from the presale opening, not a day back")
		assert.True(t, sales.to.Equal(now))
		assert.True(t, strings.Contains(strings.Join(c.Reasons, " "), "Pré-venda acima do normal: 300 ingressos/h"), "%v", c.Reasons)
	})
	t.Run("a day later the same pace over 24 hours makes it a blockbuster", func(t *testing.T) {
		t.Parallel()
		sales := &salesFake{tickets: 24 * 1200}
		now := opens.Add(5 * 24 * time.Hour)
		c, err := svc(sales).ClassifyMovie(context.Background(), drama.ID, now)
		require.NoError(t, err)
		assert.Equal(t, releases.Blockbuster, c.Class)
		assert.True(t, sales.from.Equal(now.Add(-releases.VelocityWindow)))
	})
	t.Run("before the presale opens nothing is read", func(t *testing.T) {
		t.Parallel()
		sales := &salesFake{tickets: 100_000}
		c, err := svc(sales).ClassifyMovie(context.Background(), drama.ID, opens.Add(-time.Minute))
		require.NoError(t, err)
		assert.False(t, sales.asked)
		assert.Equal(t, releases.Normal, c.Class)
	})
	t.Run("once released its sales are no presale: the model alone decides", func(t *testing.T) {
		t.Parallel()
		sales := &salesFake{tickets: 100_000}
		c, err := svc(sales).ClassifyMovie(context.Background(), drama.ID, release.At(0, 0))
		require.NoError(t, err)
		assert.False(t, sales.asked)
		assert.Equal(t, releases.Normal, c.Class)
	})
}
