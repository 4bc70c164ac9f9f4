package api_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/operations"
)

func TestListCinemas(t *testing.T) {
	t.Parallel()
	hs, data := seededHandlers(t)
	t.Run("listCinemas/200 lists every cinema with its rooms", func(t *testing.T) {
		list := decode[gen.CinemaList](t, call(t, hs, request{op: operations.ListCinemas}), http.StatusOK)
		require.Len(t, list.Items, len(data.Cinemas))
		rooms := 0
		for _, c := range list.Items {
			assert.GreaterOrEqual(t, len(c.Rooms), 3, c.Name)
			for _, r := range c.Rooms {
				assert.Positive(t, r.Capacity)
				assert.NotEmpty(t, r.Formats)
			}
			rooms += len(c.Rooms)
		}
		assert.Equal(t, len(data.Rooms), rooms)
	})
}

func TestListMovies(t *testing.T) {
	t.Parallel()
	hs, data := seededHandlers(t)
	today := catalog.DateOf(now)

	t.Run("listMovies/200 splits now showing from coming soon by release date", func(t *testing.T) {
		showing := decode[gen.MovieList](t, call(t, hs, request{op: operations.ListMovies, query: url.Values{"status": {"NOW_SHOWING"}}}), http.StatusOK)
		soon := decode[gen.MovieList](t, call(t, hs, request{op: operations.ListMovies, query: url.Values{"status": {"COMING_SOON"}}}), http.StatusOK)
		assert.Equal(t, len(data.Movies), len(showing.Items)+len(soon.Items))
		require.NotEmpty(t, showing.Items)
		require.NotEmpty(t, soon.Items)
		for _, m := range showing.Items {
			assert.Equal(t, gen.MovieStatusNOWSHOWING, m.Status)
			assert.False(t, catalog.DateOf(m.ReleaseDate.Time).After(today), m.Title)
		}
		for _, m := range soon.Items {
			assert.Equal(t, gen.MovieStatusCOMINGSOON, m.Status)
		}
	})

	t.Run("listMovies/200 at a cinema lists only movies with showtimes there", func(t *testing.T) {
		cinema := data.Cinemas[0].ID
		shown := map[string]bool{}
		for _, st := range data.Showtimes {
			if st.CinemaID == cinema && !st.StartsAt.Before(now) {
				shown[st.MovieID] = true
			}
		}
		list := decode[gen.MovieList](t, call(t, hs, request{op: operations.ListMovies, query: url.Values{"cinemaId": {cinema}}}), http.StatusOK)
		require.Len(t, list.Items, len(shown))
		for _, m := range list.Items {
			assert.True(t, shown[m.ID], m.Title)
		}
	})

	t.Run("listMovies/404 for an unknown cinema", func(t *testing.T) {
		decodeProblem(t, call(t, hs, request{op: operations.ListMovies, query: url.Values{"cinemaId": {"cin-nowhere"}}}), http.StatusNotFound, "not_found")
	})

	t.Run("listMovies/400 names a bad status", func(t *testing.T) {
		p := decodeProblem(t, call(t, hs, request{op: operations.ListMovies, query: url.Values{"status": {"SOMETIME"}}}), http.StatusBadRequest, "validation_failed")
		require.NotEmpty(t, p.Errors)
		assert.Equal(t, "status", p.Errors[0].Field)
	})
}

func TestGetMovie(t *testing.T) {
	t.Parallel()
	hs, data := seededHandlers(t)
	want := data.Movies[0]
	t.Run("getMovie/200 returns the detail", func(t *testing.T) {
		m := decode[gen.Movie](t, call(t, hs, request{op: operations.GetMovie, params: map[string]string{"movieId": want.ID}}), http.StatusOK)
		assert.Equal(t, want.Title, m.Title)
		assert.Equal(t, want.Synopsis, m.Synopsis)
		assert.Equal(t, string(want.AgeRating), string(m.AgeRating))
		assert.Equal(t, want.ReleaseDate.String(), m.ReleaseDate.Format(time.DateOnly))
	})
	t.Run("getMovie/404 for an unknown movie", func(t *testing.T) {
		decodeProblem(t, call(t, hs, request{op: operations.GetMovie, params: map[string]string{"movieId": "mov-nope"}}), http.StatusNotFound, "not_found")
	})
	t.Run("getMovie/400 for an id outside the contract's pattern", func(t *testing.T) {
		p := decodeProblem(t, call(t, hs, request{op: operations.GetMovie, params: map[string]string{"movieId": "NOT VALID!"}}), http.StatusBadRequest, "validation_failed")
		require.NotEmpty(t, p.Errors)
		assert.Equal(t, "movieId", p.Errors[0].Field)
	})
}

func TestListShowtimes(t *testing.T) {
	t.Parallel()
	hs, data := seededHandlers(t)
	day := catalog.DateOf(now).AddDays(1)
	movie := data.Showtimes[0].MovieID
	cinema := data.Showtimes[0].CinemaID

	count := func(movieID, cinemaID string) int {
		n := 0
		for _, st := range data.Showtimes {
			if (movieID == "" || st.MovieID == movieID) && (cinemaID == "" || st.CinemaID == cinemaID) && st.Day() == day {
				n++
			}
		}
		return n
	}

	t.Run("listShowtimes/200 by movie lists that São Paulo day in start order", func(t *testing.T) {
		list := decode[gen.ShowtimeList](t, call(t, hs, request{op: operations.ListShowtimes,
			query: url.Values{"movieId": {movie}, "date": {day.String()}}}), http.StatusOK)
		require.Len(t, list.Items, count(movie, ""))
		for i, st := range list.Items {
			assert.Equal(t, day, catalog.DateOf(st.StartsAt))
			assert.Equal(t, movie, st.MovieID)
			assert.NotEmpty(t, st.MovieTitle)
			assert.True(t, st.EndsAt.After(st.StartsAt))
			if i > 0 {
				assert.False(t, st.StartsAt.Before(list.Items[i-1].StartsAt))
			}
		}
	})
	t.Run("listShowtimes/200 by movie and cinema narrows to the cinema", func(t *testing.T) {
		list := decode[gen.ShowtimeList](t, call(t, hs, request{op: operations.ListShowtimes,
			query: url.Values{"movieId": {movie}, "cinemaId": {cinema}, "date": {day.String()}}}), http.StatusOK)
		require.Len(t, list.Items, count(movie, cinema))
		for _, st := range list.Items {
			assert.Equal(t, cinema, st.CinemaID)
		}
	})
	t.Run("listShowtimes/200 by cinema", func(t *testing.T) {
		list := decode[gen.ShowtimeList](t, call(t, hs, request{op: operations.ListShowtimes,
			query: url.Values{"cinemaId": {cinema}, "date": {day.String()}}}), http.StatusOK)
		assert.Len(t, list.Items, count("", cinema))
	})
	t.Run("listShowtimes/400 without movie or cinema", func(t *testing.T) {
		decodeProblem(t, call(t, hs, request{op: operations.ListShowtimes}), http.StatusBadRequest, "validation_failed")
	})
	t.Run("listShowtimes/400 names a bad date", func(t *testing.T) {
		p := decodeProblem(t, call(t, hs, request{op: operations.ListShowtimes, query: url.Values{"movieId": {movie}, "date": {"31/12/2026"}}}), http.StatusBadRequest, "validation_failed")
		require.NotEmpty(t, p.Errors)
		assert.Equal(t, "date", p.Errors[0].Field)
	})
	t.Run("listShowtimes/404 for an unknown movie", func(t *testing.T) {
		decodeProblem(t, call(t, hs, request{op: operations.ListShowtimes, query: url.Values{"movieId": {"mov-nope"}}}), http.StatusNotFound, "not_found")
	})
}

func TestGetShowtime(t *testing.T) {
	t.Parallel()
	hs, data := seededHandlers(t)
	var want catalog.Showtime
	for _, st := range data.Showtimes {
		if st.StartsAt.After(now) {
			want = st
			break
		}
	}
	var capacity int
	for _, r := range data.Rooms {
		if r.CinemaID == want.CinemaID && r.ID == want.RoomID {
			capacity = r.Layout.Capacity()
		}
	}

	t.Run("getShowtime/200 shows the room's seat map with live status", func(t *testing.T) {
		d := decode[gen.ShowtimeDetail](t, call(t, hs, request{op: operations.GetShowtime, params: map[string]string{"showtimeId": want.ID}}), http.StatusOK)
		assert.Equal(t, want.ID, d.ID)
		assert.True(t, d.SalesOpen)
		assert.False(t, d.Cancelled, "a scheduled showtime")
		assert.Equal(t, capacity, d.Availability.Capacity)
		a := d.Availability
		assert.Equal(t, len(d.SeatMap.Seats), a.Available+a.Held+a.Sold+a.Blocked)
		assert.Equal(t, catalog.MeiaCap(capacity), d.MeiaRemaining, "no meia sold yet")
		for _, s := range d.SeatMap.Seats {
			assert.False(t, s.Yours)
		}
	})
	t.Run("getShowtime/200 says its cinema's gap policy, BLOCK or WARN", func(t *testing.T) {
		policy := map[string]catalog.GapPolicy{}
		for _, c := range data.Cinemas {
			policy[c.ID] = c.GapPolicy
		}
		seen := map[catalog.GapPolicy]bool{}
		for _, st := range data.Showtimes {
			p := policy[st.CinemaID]
			if seen[p] || !st.StartsAt.After(now) {
				continue
			}
			seen[p] = true
			d := decode[gen.ShowtimeDetail](t, call(t, hs, request{op: operations.GetShowtime, params: map[string]string{"showtimeId": st.ID}}), http.StatusOK)
			assert.Equal(t, gen.GapPolicy(p), d.GapPolicy, st.ID)
		}
		assert.Len(t, seen, 2, "the seed has cinemas of both policies")
	})
	t.Run("getShowtime/404 for an unknown showtime", func(t *testing.T) {
		decodeProblem(t, call(t, hs, request{op: operations.GetShowtime, params: map[string]string{"showtimeId": "st-nope"}}), http.StatusNotFound, "not_found")
	})
}

func TestGetConcessionsMenu(t *testing.T) {
	t.Parallel()
	hs, data := seededHandlers(t)
	t.Run("getConcessionsMenu/200 lists active products priced in BRL centavos", func(t *testing.T) {
		menu := decode[gen.ConcessionsMenu](t, call(t, hs, request{op: operations.GetConcessionsMenu}), http.StatusOK)
		active := 0
		for _, p := range data.Products {
			if p.Active {
				active++
			}
		}
		require.Len(t, menu.Items, active)
		combos := 0
		for _, p := range menu.Items {
			for _, s := range p.Sizes {
				assert.Equal(t, gen.MoneyCurrencyBRL, s.Price.Currency)
				assert.Positive(t, s.Price.Amount)
			}
			if p.Combo != nil {
				combos++
				assert.Positive(t, p.Combo.Savings.Amount, "%s saves money", p.Name)
			}
		}
		assert.GreaterOrEqual(t, combos, 4)
	})
}
