package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/dynamo/dynamotest"
	"bilhetagem/internal/money"
	"bilhetagem/internal/operations"
	"bilhetagem/seed"
)

// calendarSeedDay is the day the calendar test seeds: Christmas Eve, a
// Thursday. Its 14 days of showtimes cover every weekday that follows and
// the turn of the month and the year.
var calendarSeedDay = catalog.Date{Year: 2026, Month: time.December, Day: 24}

// calendarInstants are the clocks the calendar test reads: on each of the
// eight days from the seed day (every weekday, then New Year's Eve), the
// afternoon, ten minutes before midnight in São Paulo (02:50 UTC of the next
// day) and ten minutes after it.
func calendarInstants() []time.Time {
	var out []time.Time
	for i := range 8 {
		d := calendarSeedDay.AddDays(i)
		out = append(out, d.At(14, 10), d.At(23, 50), d.AddDays(1).At(0, 10))
	}
	return out
}

// TestTheBuyersPathOnEveryWeekdayAroundMidnight runs the buyer's path on the seed as if
// the clock read each of calendarInstants: the movie list, a day's
// showtimes, which showtimes still sell, the ticket prices and a hold. Every
// expectation comes from the seed, its price table and the showtime's own
// start, never from what day the run is on: so `make test` on any day proves
// all seven, the hour before and after midnight in São Paulo, and a year end.
func TestTheBuyersPathOnEveryWeekdayAroundMidnight(t *testing.T) {
	t.Parallel()
	store := dynamotest.NewStore(t)
	_, err := seed.Apply(context.Background(), store, calendarSeedDay)
	require.NoError(t, err)
	data, err := seed.Build(calendarSeedDay)
	require.NoError(t, err)
	prices := map[string]catalog.PriceTable{}
	for _, p := range data.Prices {
		prices[p.CinemaID] = p
	}
	weekdays := map[time.Weekday]bool{}
	for i, at := range calendarInstants() {
		local := at.In(catalog.Zone)
		weekdays[local.Weekday()] = true
		t.Run(local.Format("Mon 2006-01-02 15:04 in São Paulo"), func(t *testing.T) {
			hs := buildAt(t, store, func() time.Time { return at })
			today := catalog.DateOf(at)
			tomorrow := today.AddDays(1)
			require.Equal(t, local.Day(), today.Day, "the day is São Paulo's, not UTC's")
			cinema := data.Cinemas[0].ID

			t.Run("listMovies/200 says now showing for the movies released by today in São Paulo", func(t *testing.T) {
				for status, want := range map[string]bool{"NOW_SHOWING": true, "COMING_SOON": false} {
					list := decode[gen.MovieList](t, call(t, hs, request{op: operations.ListMovies, query: url.Values{"status": {status}}}), http.StatusOK)
					var got, expected []string
					for _, m := range list.Items {
						got = append(got, string(m.ID))
					}
					for _, m := range data.Movies {
						if released := !m.ReleaseDate.After(today); released == want {
							expected = append(expected, m.ID)
						}
					}
					assert.ElementsMatch(t, expected, got, status)
				}
			})

			t.Run("listShowtimes/200 lists the seed's showtimes of today and tomorrow in São Paulo", func(t *testing.T) {
				for _, day := range []catalog.Date{today, tomorrow} {
					list := decode[gen.ShowtimeList](t, call(t, hs, request{op: operations.ListShowtimes,
						query: url.Values{"cinemaId": {cinema}, "date": {day.String()}}}), http.StatusOK)
					var got []string
					for j, st := range list.Items {
						got = append(got, string(st.ID))
						assert.Equal(t, day, catalog.DateOf(st.StartsAt), st.ID)
						if j > 0 {
							assert.False(t, st.StartsAt.Before(list.Items[j-1].StartsAt), "start order")
						}
					}
					assert.ElementsMatch(t, showtimesOn(data, cinema, day), got, day.String())
				}
			})

			t.Run("getShowtime/200 sells a showtime until 15 minutes after its own start", func(t *testing.T) {
				for _, id := range showtimesOn(data, cinema, today) {
					st := showtime(t, data, id)
					d := decode[gen.ShowtimeDetail](t, call(t, hs, request{op: operations.GetShowtime, params: map[string]string{"showtimeId": id}}), http.StatusOK)
					assert.Equal(t, at.Before(st.StartsAt.Add(catalog.DefaultSalesCloseAfter)), d.SalesOpen,
						"%s starts %s", id, st.StartsAt.In(catalog.Zone).Format("15:04"))
				}
			})

			t.Run("listTicketTypes/200 prices tomorrow's showtimes by their own weekday, meia half the regular price", func(t *testing.T) {
				for _, cin := range data.Cinemas {
					ids := showtimesOn(data, cin.ID, tomorrow)
					require.NotEmpty(t, ids, cin.ID)
					// The first starts on the same day in UTC; the last
					// starts from 21:00 in São Paulo, midnight or later
					// in UTC: a day that is the next UTC weekday.
					for _, id := range []string{ids[0], ids[len(ids)-1]} {
						st := showtime(t, data, id)
						want := wantPrices(t, prices[cin.ID], st)
						list := decode[gen.TicketTypeList](t, call(t, hs, request{op: operations.ListTicketTypes, params: map[string]string{"showtimeId": id}}), http.StatusOK)
						assert.Equal(t, want.promo, list.Promo, id)
						assert.Equal(t, int64(want.regular), list.RegularPrice.Amount, id)
						require.Len(t, list.Items, 6)
						for _, tt := range list.Items {
							price := want.inteira
							if tt.Meia {
								price = want.meia
							}
							assert.Equal(t, int64(price), tt.Price.Amount, "%s %s", id, tt.Code)
						}
					}
				}
			})

			t.Run("createHold/201 on tomorrow's last showtime totals the table's inteira and meia", func(t *testing.T) {
				ids := showtimesOn(data, cinema, tomorrow)
				st := showtime(t, data, ids[len(ids)-1])
				want := wantPrices(t, prices[cinema], st)
				seats := twoSeats(t, data, st)
				buyer := buyerClaims(fmt.Sprintf("user-calendar-%d", i))
				h := decode[gen.Hold](t, call(t, hs, request{op: operations.CreateHold, claims: buyer,
					body: holdBody(st.ID, seats[0].ID, "INTEIRA", seats[1].ID, "MEIA_ESTUDANTE")}), http.StatusCreated)
				surcharges := prices[cinema].SeatSurcharges
				assert.Equal(t, int64(want.inteira+surcharges[seats[0].Type]+want.meia+surcharges[seats[1].Type]), h.Total.Amount,
					"%s %s and %s seats", st.ID, seats[0].Type, seats[1].Type)
				assert.Equal(t, 1, h.MeiaCount)
				resp := call(t, hs, request{op: operations.ReleaseHold, claims: buyer, params: map[string]string{"holdId": string(h.ID)}})
				assert.Equal(t, http.StatusNoContent, resp.StatusCode, resp.Body)
			})

			t.Run("createHold/422 sales_closed for a showtime of today past its close", func(t *testing.T) {
				var closed []string
				for _, id := range showtimesOn(data, cinema, today) {
					if !at.Before(showtime(t, data, id).StartsAt.Add(catalog.DefaultSalesCloseAfter)) {
						closed = append(closed, id)
					}
				}
				switch local.Hour() {
				case 0:
					assert.Empty(t, closed, "ten minutes into the day no session has started")
				case 23:
					assert.NotEmpty(t, closed, "by 23:50 the day's sessions have started")
				}
				if len(closed) == 0 {
					return
				}
				st := showtime(t, data, closed[len(closed)-1])
				seats := twoSeats(t, data, st)
				decodeProblem(t, call(t, hs, request{op: operations.CreateHold, claims: buyerClaims(fmt.Sprintf("user-late-%d", i)),
					body: holdBody(st.ID, seats[0].ID, "INTEIRA")}), http.StatusUnprocessableEntity, "sales_closed")
			})
		})
	}
	assert.Len(t, weekdays, 7, "every weekday is run")
}

// showtimesOn is the seed's showtimes of a cinema on a São Paulo day, in
// start order.
func showtimesOn(data *seed.Catalog, cinemaID string, day catalog.Date) []string {
	var sts []catalog.Showtime
	for _, st := range data.Showtimes {
		if st.CinemaID == cinemaID && st.Day() == day {
			sts = append(sts, st)
		}
	}
	slices.SortStableFunc(sts, func(a, b catalog.Showtime) int { return a.StartsAt.Compare(b.StartsAt) })
	ids := make([]string, len(sts))
	for i, st := range sts {
		ids[i] = st.ID
	}
	return ids
}

func showtime(t *testing.T, data *seed.Catalog, id string) catalog.Showtime {
	t.Helper()
	i := slices.IndexFunc(data.Showtimes, func(st catalog.Showtime) bool { return st.ID == id })
	require.GreaterOrEqual(t, i, 0, id)
	return data.Showtimes[i]
}

// seatPrices is what a standard seat of a showtime costs.
type seatPrices struct {
	promo                  bool      // the showtime's weekday is one of its cinema's promotional days
	inteira, regular, meia money.BRL // meia is half of regular, rounded up
}

// wantPrices reads a standard seat's prices for the showtime from the price
// table: inteira is the table's price on the showtime's São Paulo weekday;
// meia is half of the regular price, rounded up: the day's own on a regular
// day, the lowest of the other days on a promotional one, since meia never
// combines with a promotion.
func wantPrices(t *testing.T, table catalog.PriceTable, st catalog.Showtime) seatPrices {
	t.Helper()
	day := st.StartsAt.In(catalog.Zone).Weekday()
	p := seatPrices{promo: slices.Contains(table.PromoWeekdays, day)}
	var ok bool
	p.inteira, ok = table.Inteira(st.Format, day)
	require.True(t, ok, "%s: %s has a price on %s", st.ID, st.Format, day)
	p.regular = p.inteira
	if p.promo {
		p.regular = 0
		for d := range time.Weekday(7) {
			if v, ok := table.Inteira(st.Format, d); ok && !slices.Contains(table.PromoWeekdays, d) && (p.regular == 0 || v < p.regular) {
				p.regular = v
			}
		}
		require.Positive(t, p.regular, "%s: a regular day prices %s", st.ID, st.Format)
		require.NotEqual(t, p.inteira, p.regular, "%s: the seed's promotion is a lower price", st.ID)
	}
	p.meia = (p.regular + 1) / 2
	return p
}

// twoSeats are the first two seats of a block of at least four sellable
// single seats (standard or VIP) at a row's edge or aisle in the showtime's
// room, so that holding them leaves no seat isolated under either gap
// policy.
func twoSeats(t *testing.T, data *seed.Catalog, st catalog.Showtime) [2]catalog.Seat {
	t.Helper()
	i := slices.IndexFunc(data.Rooms, func(r catalog.Room) bool { return r.CinemaID == st.CinemaID && r.ID == st.RoomID })
	require.GreaterOrEqual(t, i, 0, st.RoomID)
	at := map[[2]int]catalog.Seat{}
	for _, s := range data.Rooms[i].Layout.Seats {
		at[[2]int{s.X, s.Y}] = s
	}
	single := func(x, y int) bool {
		s, ok := at[[2]int{x, y}]
		return ok && (s.Type == catalog.SeatStandard || s.Type == catalog.SeatVIP) && !s.Blocked
	}
	for _, s := range data.Rooms[i].Layout.Seats {
		if _, left := at[[2]int{s.X - 1, s.Y}]; left {
			continue
		}
		if single(s.X, s.Y) && single(s.X+1, s.Y) && single(s.X+2, s.Y) && single(s.X+3, s.Y) {
			return [2]catalog.Seat{s, at[[2]int{s.X + 1, s.Y}]}
		}
	}
	t.Fatalf("room %s has no four single seats together", st.RoomID)
	return [2]catalog.Seat{}
}
