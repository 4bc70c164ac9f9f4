package programming_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/programming"
)

func TestMovieID(t *testing.T) {
	t.Parallel()
	release := catalog.Date{Year: 2025, Month: time.November, Day: 6}
	for title, want := range map[string]string{
		"O Agente Secreto":       "o-agente-secreto-2025",
		"Ainda Estou Aqui":       "ainda-estou-aqui-2025",
		"Titãs de Aço: O Início": "titas-de-aco-o-inicio-2025",
		"  ---  ":                "filme-2025",
	} {
		t.Run(title+" makes "+want, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, want, programming.MovieID(title, release))
		})
	}
}

func TestBusyUntilAndMarks(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 19, 19, 30, 0, 0, catalog.Zone)
	t.Run("runtime plus cleaning is rounded up to a 5-minute mark", func(t *testing.T) {
		busy := programming.BusyUntil(start, 158*time.Minute, 20*time.Minute)
		assert.Equal(t, time.Date(2026, 3, 19, 22, 30, 0, 0, catalog.Zone).UTC(), busy)
	})
	t.Run("a showtime takes every mark from its start until it leaves the room free", func(t *testing.T) {
		marks := programming.Marks(start, start.Add(30*time.Minute))
		require.Len(t, marks, 6)
		assert.Equal(t, start.UTC(), marks[0])
		assert.Equal(t, start.Add(25*time.Minute).UTC(), marks[5])
	})
}

func TestExpand(t *testing.T) {
	t.Parallel()
	movie := catalog.Movie{ID: "mov", Title: "Filme", RuntimeMinutes: 100}
	cinema := catalog.Cinema{ID: "cin", Name: "Cinema"}
	room := catalog.Room{ID: "sala-1", Name: "Sala 1", Formats: []catalog.Format{catalog.Format2D}, Layout: catalog.Layout{Version: 3}}
	req := programming.Request{MovieID: "mov", CinemaID: "cin", RoomIDs: []string{"sala-1"},
		From: catalog.Date{Year: 2026, Month: 3, Day: 19}, To: catalog.Date{Year: 2026, Month: 3, Day: 20},
		Times: []string{"14:00", "16:00"}, Format: catalog.Format2D, Language: catalog.Dubbed}

	t.Run("rooms × days × times, with deterministic ids and the room's layout version", func(t *testing.T) {
		sts, err := programming.Expand(req, movie, cinema, []catalog.Room{room}, 20*time.Minute)
		require.NoError(t, err)
		require.Len(t, sts, 4)
		assert.Equal(t, "st-cin-sala-1-20260319-1400", sts[0].ID)
		assert.Equal(t, 3, sts[0].LayoutVersion)
		assert.Equal(t, time.Date(2026, 3, 19, 16, 0, 0, 0, catalog.Zone).UTC(), sts[0].BusyUntil, "100 + 20 minutes")
	})
	t.Run("times of one request that overlap each other are a 409 naming the first", func(t *testing.T) {
		r := req
		r.Times = []string{"14:00", "15:55"}
		_, err := programming.Expand(r, movie, cinema, []catalog.Room{room}, 20*time.Minute)
		e, ok := errs.As(err)
		require.True(t, ok)
		assert.Equal(t, "showtime_overlap", e.Code)
		require.Len(t, e.Conflicts, 2, "one conflict per day")
		assert.Equal(t, "st-cin-sala-1-20260319-1400", e.Conflicts[0].ShowtimeID)
	})
	t.Run("a room that cannot project the format is a 422", func(t *testing.T) {
		r := req
		r.Format = catalog.FormatIMAX
		_, err := programming.Expand(r, movie, cinema, []catalog.Room{room}, 20*time.Minute)
		e, ok := errs.As(err)
		require.True(t, ok)
		assert.Equal(t, "format_not_supported", e.Code)
	})
}

func TestRequestValidate(t *testing.T) {
	t.Parallel()
	ok := programming.Request{RoomIDs: []string{"r"}, From: catalog.Date{Year: 2026, Month: 3, Day: 1},
		To: catalog.Date{Year: 2026, Month: 4, Day: 1}, Times: []string{"09:05"}, Format: catalog.Format3D, Language: catalog.National}
	require.NoError(t, ok.Validate(), "31 days after from is the longest range")
	for name, change := range map[string]func(*programming.Request){
		"to before from":         func(r *programming.Request) { r.To = catalog.Date{Year: 2026, Month: 2, Day: 28} },
		"a range of 32 days":     func(r *programming.Request) { r.To = catalog.Date{Year: 2026, Month: 4, Day: 2} },
		"a time off the marks":   func(r *programming.Request) { r.Times = []string{"09:07"} },
		"a time that is no time": func(r *programming.Request) { r.Times = []string{"25:00"} },
		"an unknown format":      func(r *programming.Request) { r.Format = "4DX" },
	} {
		t.Run(name+" is a 400", func(t *testing.T) {
			t.Parallel()
			r := ok
			change(&r)
			assert.Equal(t, errs.Invalid, errs.KindOf(r.Validate()))
		})
	}
}
