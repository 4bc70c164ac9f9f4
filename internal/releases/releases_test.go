package releases_test

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/releases"
	"bilhetagem/seed"
)

func history(t *testing.T) []releases.Past {
	t.Helper()
	h, err := releases.ParseHistory(bytes.NewReader(seed.ReleaseHistoryCSV))
	require.NoError(t, err)
	return h
}

func model(t *testing.T) *releases.Model {
	t.Helper()
	m, err := releases.Train(history(t))
	require.NoError(t, err)
	return m
}

func TestClassOf(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		tickets float64
		want    releases.Class
	}{
		{"Endgame's 1.64 M opening day is a blockbuster", 1_640_000, releases.Blockbuster},
		{"exactly 800 k is a blockbuster", 800_000, releases.Blockbuster},
		{"just under 800 k is high", 799_999, releases.High},
		{"exactly 250 k is high", 250_000, releases.High},
		{"a drama's 35 k is normal", 35_000, releases.Normal},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, c.want, releases.ClassOf(c.tickets))
		})
	}
}

func TestScoreThresholdsMatchTheClasses(t *testing.T) {
	t.Parallel()
	assert.InDelta(t, 0.56, releases.Score(releases.HighTickets), 0.01)
	assert.InDelta(t, 0.76, releases.Score(releases.BlockbusterTickets), 0.01)
	assert.Equal(t, 0.0, releases.Score(0))
	assert.Equal(t, 1.0, releases.Score(1e9))
}

func TestHistoryParses(t *testing.T) {
	t.Parallel()
	h := history(t)
	assert.GreaterOrEqual(t, len(h), 30)
	seen := map[string]bool{}
	for _, p := range h {
		assert.False(t, seen[p.ID], "%s appears twice", p.ID)
		seen[p.ID] = true
		assert.True(t, p.Scheduled(), p.ID)
		assert.Equal(t, time.Thursday, p.Release.Start().Weekday(), "%s opens on a Thursday", p.ID)
	}
}

func TestParseRejectsBadRows(t *testing.T) {
	t.Parallel()
	head := "id,title,release_date,franchise,sequel,genres,age_rating,screens,showtimes,interest_index,opening_day_tickets,source\n"
	cases := map[string]string{
		"a rating outside the classificação indicativa": "x,X,2024-01-04,true,true,Ação,13,1,1,,100,s\n",
		"an interest index over 100":                    "x,X,2024-01-04,true,true,Ação,12,1,1,101,100,s\n",
		"zero tickets":                                  "x,X,2024-01-04,true,true,Ação,12,1,1,,0,s\n",
		"a wrong header":                                "id,name\nx,X\n",
	}
	for name, body := range cases {
		t.Run("history refuses "+name, func(t *testing.T) {
			t.Parallel()
			src := head + body
			if strings.HasPrefix(body, "id,") {
				src = body
			}
			_, err := releases.ParseHistory(strings.NewReader(src))
			assert.Error(t, err)
		})
	}
	t.Run("inputs refuse a movie twice", func(t *testing.T) {
		t.Parallel()
		_, err := releases.ParseInputs(strings.NewReader("movie_id,sequel,interest_index,presale_lead_days\nm,true,1,\nm,false,2,3\n"))
		assert.Error(t, err)
	})
	t.Run("inputs leave an empty interest index absent", func(t *testing.T) {
		t.Parallel()
		in, err := releases.ParseInputs(strings.NewReader("movie_id,sequel,interest_index,presale_lead_days\nm,true,,7\n"))
		require.NoError(t, err)
		assert.False(t, in["m"].HasInterest)
		assert.Equal(t, 7, in["m"].PresaleLeadDays)
	})
}

func TestClassify(t *testing.T) {
	t.Parallel()
	m := model(t)
	cases := []struct {
		name string
		f    releases.Features
		want releases.Class
	}{
		{"a hyped franchise sequel on ten screens is a blockbuster", releases.Features{Franchise: true, Sequel: true,
			Genres: []string{"Ação", "Ficção científica"}, AgeRating: catalog.Rating12, Screens: 10, Showtimes: 260,
			InterestIndex: 93, HasInterest: true}, releases.Blockbuster},
		{"a family animation on seven screens is high", releases.Features{Genres: []string{"Animação", "Aventura"},
			AgeRating: catalog.RatingL, Screens: 7, Showtimes: 140, InterestIndex: 65, HasInterest: true}, releases.High},
		{"a small drama is normal", releases.Features{Genres: []string{"Drama"}, AgeRating: catalog.Rating16,
			Screens: 2, Showtimes: 40, InterestIndex: 20, HasInterest: true}, releases.Normal},
		{"an unscheduled documentary without interest index is normal", releases.Features{Genres: []string{"Documentário"},
			AgeRating: catalog.Rating10}, releases.Normal},
		{"a normal film with a fast presale is raised to blockbuster", releases.Features{Genres: []string{"Drama"},
			AgeRating: catalog.Rating16, Screens: 2, Showtimes: 40, PresaleTicketsPerHour: 1500}, releases.Blockbuster},
		{"a normal film with a brisk presale is raised to high", releases.Features{Genres: []string{"Drama"},
			AgeRating: catalog.Rating16, Screens: 2, Showtimes: 40, PresaleTicketsPerHour: 300}, releases.High},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			class, score, tickets, comps, reasons := m.Classify(c.f)
			assert.Equal(t, c.want, class, "tickets %.0f", tickets)
			assert.GreaterOrEqual(t, score, 0.0)
			assert.LessOrEqual(t, score, 1.0)
			assert.Len(t, comps, 3)
			assert.NotEmpty(t, reasons)
		})
	}
	t.Run("the comparables of a blockbuster are blockbusters", func(t *testing.T) {
		t.Parallel()
		_, _, _, comps, _ := m.Classify(cases[0].f)
		for _, c := range comps {
			assert.GreaterOrEqual(t, c.OpeningDayTickets, 500_000, c.Title)
		}
	})
}

func TestExpectedPeak(t *testing.T) {
	t.Parallel()
	release := catalog.Date{Year: 2026, Month: time.April, Day: 30}
	presale := release.AddDays(-21).At(12, 0)
	t.Run("an Endgame-sized presale opening comes to the 150 attempts/s target of ADR 0203", func(t *testing.T) {
		p := releases.ExpectedPeak(releases.Blockbuster, 1_640_000, release, presale)
		assert.Equal(t, presale, p.At)
		assert.InDelta(t, 150, p.HoldAttemptsPerSecond, 20)
	})
	t.Run("a normal release peaks on its opening evening, far lower", func(t *testing.T) {
		p := releases.ExpectedPeak(releases.Normal, 100_000, release, time.Time{})
		assert.Equal(t, release.At(19, 0), p.At)
		assert.Less(t, p.HoldAttemptsPerSecond, 1.0)
	})
	t.Run("a high release without a presale date peaks on its opening evening", func(t *testing.T) {
		p := releases.ExpectedPeak(releases.High, 400_000, release, time.Time{})
		assert.Equal(t, release.At(19, 0), p.At)
	})
}

func TestLeaveOneOut(t *testing.T) {
	t.Parallel()
	res, err := releases.LeaveOneOut(history(t), releases.Methods())
	require.NoError(t, err)
	require.Len(t, res, 4)
	t.Log("\n" + releases.Table(res) + "\n" + releases.ConfusionTable(res[3]))
	for _, r := range res {
		assert.Equal(t, len(history(t)), r.N)
		assert.GreaterOrEqual(t, r.Accuracy, 0.0)
		assert.LessOrEqual(t, r.Accuracy, 1.0)
		total := 0
		for _, row := range r.Confusion {
			for _, n := range row {
				total += n
			}
		}
		assert.Equal(t, r.N, total, "%s: every release is predicted once", r.Method)
	}
	t.Run("the rule baseline predicts no number", func(t *testing.T) {
		assert.True(t, math.IsNaN(res[0].MedianAbsError))
	})
}
