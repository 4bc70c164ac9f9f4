package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/psp"
)

// The back office's movies, rooms, layouts and schedule, through the real
// handlers on DynamoDB Local. purchaseFixture's clock stands on Thursday
// 2026-12-03 21:00 in São Paulo; its movie mov-fixture runs 120 minutes and
// its room room-fixture projects 2D.

type overlapProblem struct {
	Code      string
	Conflicts []struct {
		RoomID, ShowtimeID  string
		StartsAt, BusyUntil time.Time
	}
}

func schedule(room, from, to string, times ...string) string {
	return fmt.Sprintf(`{"movieId":"mov-fixture","cinemaId":"cin-fixture","roomIds":[%q],"from":%q,"to":%q,"times":["%s"],"format":"2D","language":"DUBLADO"}`,
		room, from, to, strings.Join(times, `","`))
}

func (e *purchaseEnv) staff(t *testing.T, op string, params map[string]string, body string) events.APIGatewayV2HTTPResponse {
	t.Helper()
	return call(t, e.hs, request{op: op, params: params, body: body, claims: staff})
}

func TestSchedulingOverlapsUnderConcurrency(t *testing.T) {
	e := purchaseFixture(t)
	// Each round, two programmers schedule the movie in the same room at
	// the same moment, 30 minutes apart: the 120 minutes plus cleaning of
	// either cover the other's start.
	const rounds = 12
	for round := range rounds {
		day := fmt.Sprintf("2026-12-%02d", 10+round)
		bodies := []string{schedule("room-fixture", day, day, "14:00"), schedule("room-fixture", day, day, "14:30")}
		resps := make([]events.APIGatewayV2HTTPResponse, 2)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range bodies {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				resps[i] = e.staff(t, operations.ScheduleShowtimes, nil, bodies[i])
			}()
		}
		close(start)
		wg.Wait()
		created, overlaps := 0, 0
		for _, r := range resps {
			switch r.StatusCode {
			case http.StatusCreated:
				created++
			case http.StatusConflict:
				var p overlapProblem
				require.NoError(t, json.Unmarshal([]byte(r.Body), &p))
				assert.Equal(t, "showtime_overlap", p.Code)
				require.NotEmpty(t, p.Conflicts, "the 409 names what the room is busy with")
				assert.Equal(t, "room-fixture", p.Conflicts[0].RoomID)
				overlaps++
			default:
				t.Fatalf("round %d: unexpected %d %s", round, r.StatusCode, r.Body)
			}
		}
		require.Equal(t, 1, created, "round %d: exactly one programmer schedules", round)
		require.Equal(t, 1, overlaps, "round %d: the other gets showtime_overlap", round)
	}
}

func TestBulkSchedulingIsAllOrNone(t *testing.T) {
	e := purchaseFixture(t)
	first := decode[gen.AdminShowtimeList](t, e.staff(t, operations.ScheduleShowtimes, nil, schedule("room-fixture", "2026-12-10", "2026-12-10", "19:00")), http.StatusCreated)
	require.Len(t, first.Items, 1)
	st := first.Items[0]
	assert.Equal(t, "st-cin-fixture-room-fixture-20261210-1900", st.ID, "ids are made from room and start, so retries name the same showtime")
	assert.Equal(t, time.Date(2026, 12, 10, 21, 20, 0, 0, catalog.Zone).UTC(), st.BusyUntil.UTC(), "busy until end + 20 min cleaning")
	assert.Equal(t, gen.ShowtimeStatusSCHEDULED, st.Status)
	assert.Equal(t, 1, st.LayoutVersion)
	assert.Equal(t, e.layout.Capacity(), st.Capacity)

	t.Run("scheduleShowtimes/201 again for the same request writes nothing more (a retry)", func(t *testing.T) {
		before := e.items(t)
		again := decode[gen.AdminShowtimeList](t, e.staff(t, operations.ScheduleShowtimes, nil, schedule("room-fixture", "2026-12-10", "2026-12-10", "19:00")), http.StatusCreated)
		assert.Equal(t, st.ID, again.Items[0].ID)
		assert.Equal(t, before, e.items(t))
	})
	t.Run("scheduleShowtimes/409 for a 5-day bulk with one day overlapping writes none of the 5", func(t *testing.T) {
		before := e.items(t)
		resp := e.staff(t, operations.ScheduleShowtimes, nil, schedule("room-fixture", "2026-12-08", "2026-12-12", "20:30"))
		decodeProblem(t, resp, http.StatusConflict, "showtime_overlap")
		var p overlapProblem
		require.NoError(t, json.Unmarshal([]byte(resp.Body), &p))
		require.Len(t, p.Conflicts, 1)
		assert.Equal(t, st.ID, p.Conflicts[0].ShowtimeID)
		assert.Equal(t, st.BusyUntil.UTC(), p.Conflicts[0].BusyUntil.UTC())
		assert.Equal(t, before, e.items(t), "the showtimes of 08 and 09 were written, then compensated")
		for _, d := range []string{"2026-12-08", "2026-12-09", "2026-12-11"} {
			sc := decode[gen.ScheduleDay](t, call(t, e.hs, request{op: operations.GetSchedule, params: cinemaParam, query: url.Values{"date": {d}}, claims: staff}), http.StatusOK)
			for _, r := range sc.Rooms {
				assert.Empty(t, r.Showtimes, d)
			}
		}
	})
	t.Run("scheduleShowtimes/201 right when the room is free again (end + cleaning)", func(t *testing.T) {
		next := decode[gen.AdminShowtimeList](t, e.staff(t, operations.ScheduleShowtimes, nil, schedule("room-fixture", "2026-12-10", "2026-12-10", "21:20")), http.StatusCreated)
		assert.Equal(t, st.BusyUntil.UTC(), next.Items[0].StartsAt.UTC())
	})
	t.Run("listShowtimes/200 shows a scheduled showtime to buyers at once", func(t *testing.T) {
		list := decode[gen.ShowtimeList](t, call(t, e.hs, request{op: operations.ListShowtimes,
			query: url.Values{"cinemaId": {"cin-fixture"}, "date": {"2026-12-10"}}}), http.StatusOK)
		var ids []string
		for _, s := range list.Items {
			ids = append(ids, s.ID)
		}
		assert.Contains(t, ids, st.ID)
	})
	t.Run("getSchedule/200 lists the day by room with busyUntil, capacity and sold", func(t *testing.T) {
		sc := decode[gen.ScheduleDay](t, call(t, e.hs, request{op: operations.GetSchedule, params: cinemaParam, query: url.Values{"date": {"2026-12-10"}}, claims: staff}), http.StatusOK)
		assert.Equal(t, 20, sc.CleaningMinutes)
		require.Len(t, sc.Rooms, 1)
		require.Len(t, sc.Rooms[0].Showtimes, 2)
		assert.Equal(t, st.ID, sc.Rooms[0].Showtimes[0].ID)
		assert.Equal(t, 0, sc.Rooms[0].Showtimes[0].Sold)
	})
}

func TestBackofficeBadInputWritesNothing(t *testing.T) {
	e := purchaseFixture(t)
	movie := func(runtime string) string {
		return strings.Replace(movieBody, `"runtimeMinutes":137`, `"runtimeMinutes":`+runtime, 1)
	}
	cases := []struct {
		name   string
		op     string
		params map[string]string
		body   string
		status int
		code   string
	}{
		{"scheduleShowtimes/409 for times of one request that overlap each other", operations.ScheduleShowtimes, nil,
			schedule("room-fixture", "2026-12-10", "2026-12-12", "14:00", "15:00"), http.StatusConflict, "showtime_overlap"},
		{"scheduleShowtimes/422 for an unknown room", operations.ScheduleShowtimes, nil,
			schedule("sala-que-nao-existe", "2026-12-10", "2026-12-10", "14:00"), http.StatusUnprocessableEntity, "room_not_found"},
		{"scheduleShowtimes/422 for a format the room cannot project", operations.ScheduleShowtimes, nil,
			strings.Replace(schedule("room-fixture", "2026-12-10", "2026-12-10", "14:00"), `"2D"`, `"IMAX"`, 1), http.StatusUnprocessableEntity, "format_not_supported"},
		{"scheduleShowtimes/400 for a time off the 5-minute marks", operations.ScheduleShowtimes, nil,
			schedule("room-fixture", "2026-12-10", "2026-12-10", "14:03"), http.StatusBadRequest, "validation_failed"},
		{"scheduleShowtimes/400 for from after to", operations.ScheduleShowtimes, nil,
			schedule("room-fixture", "2026-12-12", "2026-12-10", "14:00"), http.StatusBadRequest, "validation_failed"},
		{"scheduleShowtimes/400 for a range over 31 days", operations.ScheduleShowtimes, nil,
			schedule("room-fixture", "2026-12-10", "2027-01-15", "14:00"), http.StatusBadRequest, "validation_failed"},
		{"createMovie/400 for a negative runtime", operations.CreateMovie, nil, movie("-5"), http.StatusBadRequest, "validation_failed"},
		{"createMovie/400 for a malformed runtime", operations.CreateMovie, nil, movie(`"duas horas"`), http.StatusBadRequest, "validation_failed"},
		{"createRoom/422 for a companion seat without its wheelchair space", operations.CreateRoom, cinemaParam,
			`{"id":"sala-9","name":"Sala 9","formats":["2D"],"rows":["SSSS","SCSS"]}`, http.StatusUnprocessableEntity, "layout_invalid"},
		{"createRoom/422 for an unpaired couple seat", operations.CreateRoom, cinemaParam,
			`{"id":"sala-9","name":"Sala 9","formats":["2D"],"rows":["SSSS","SPSS"]}`, http.StatusUnprocessableEntity, "layout_invalid"},
		{"createRoomLayout/422 for an invalid layout", operations.CreateRoomLayout, roomParams,
			`{"rows":["PSSS"]}`, http.StatusUnprocessableEntity, "layout_invalid"},
		{"createRoom/400 for a symbol outside the layout's alphabet", operations.CreateRoom, cinemaParam,
			`{"id":"sala-9","name":"Sala 9","formats":["2D"],"rows":["SSZS"]}`, http.StatusBadRequest, "validation_failed"},
		{"createRoom/404 for an unknown cinema", operations.CreateRoom, map[string]string{"cinemaId": "cin-nenhum"},
			roomBody, http.StatusNotFound, "not_found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := e.items(t)
			decodeProblem(t, e.staff(t, c.op, c.params, c.body), c.status, c.code)
			assert.Equal(t, before, e.items(t), "nothing written")
		})
	}
	t.Run("a layout with a seat id twice is refused by the validation every layout passes", func(t *testing.T) {
		// Rows cannot name a seat twice (ids come from row and position);
		// the rule is checked on the parsed layout all the same.
		l := catalog.Layout{Width: 2, Height: 1, Seats: []catalog.Seat{
			{ID: "A1", Row: "A", Number: 1, Type: catalog.SeatStandard}, {ID: "A1", Row: "A", Number: 2, X: 1, Type: catalog.SeatStandard}}}
		require.ErrorIs(t, l.Validate(), catalog.ErrInvalidLayout)
	})
}

func TestMoviesAndRooms(t *testing.T) {
	e := purchaseFixture(t)
	created := decode[gen.AdminMovie](t, e.staff(t, operations.CreateMovie, nil, movieBody), http.StatusCreated)
	assert.Equal(t, "ainda-estou-aqui-2024", created.ID)
	assert.False(t, created.Retired)

	t.Run("createMovie/201 for the very same movie again, a retry", func(t *testing.T) {
		again := decode[gen.AdminMovie](t, e.staff(t, operations.CreateMovie, nil, movieBody), http.StatusCreated)
		assert.Equal(t, created.ID, again.ID)
	})
	t.Run("createMovie/409 movie_exists for another movie with the same title and year", func(t *testing.T) {
		before := e.items(t)
		decodeProblem(t, e.staff(t, operations.CreateMovie, nil, strings.Replace(movieBody, "Sony Pictures", "Outra", 1)), http.StatusConflict, "movie_exists")
		assert.Equal(t, before, e.items(t))
	})
	t.Run("updateMovie/200 edits the fields and keeps the id", func(t *testing.T) {
		up := decode[gen.AdminMovie](t, e.staff(t, operations.UpdateMovie, map[string]string{"movieId": created.ID},
			strings.Replace(movieBody, `"runtimeMinutes":137`, `"runtimeMinutes":140`, 1)), http.StatusOK)
		assert.Equal(t, 140, up.RuntimeMinutes)
		assert.Equal(t, created.ID, up.ID)
	})
	t.Run("updateMovie/404 for an unknown movie", func(t *testing.T) {
		decodeProblem(t, e.staff(t, operations.UpdateMovie, map[string]string{"movieId": "nenhum"}, movieBody), http.StatusNotFound, "not_found")
	})
	t.Run("retireMovie/409 movie_has_showtimes while a showtime is to come", func(t *testing.T) {
		decodeProblem(t, e.staff(t, operations.RetireMovie, map[string]string{"movieId": "mov-fixture"}, ""), http.StatusConflict, "movie_has_showtimes")
	})
	t.Run("retireMovie/200 hides the movie from buyers and from new showtimes", func(t *testing.T) {
		r := decode[gen.AdminMovie](t, e.staff(t, operations.RetireMovie, map[string]string{"movieId": created.ID}, ""), http.StatusOK)
		assert.True(t, r.Retired)
		require.NotNil(t, r.RetiredAt)
		decodeProblem(t, call(t, e.hs, request{op: operations.GetMovie, params: map[string]string{"movieId": created.ID}}), http.StatusNotFound, "not_found")
		list := decode[gen.MovieList](t, call(t, e.hs, request{op: operations.ListMovies}), http.StatusOK)
		for _, m := range list.Items {
			assert.NotEqual(t, created.ID, m.ID)
		}
		admin := decode[gen.AdminMovieList](t, e.staff(t, operations.ListAdminMovies, nil, ""), http.StatusOK)
		found := false
		for _, m := range admin.Items {
			found = found || (m.ID == created.ID && m.Retired)
		}
		assert.True(t, found, "staff still see it, flagged")
		body := strings.Replace(schedule("room-fixture", "2026-12-10", "2026-12-10", "14:00"), "mov-fixture", created.ID, 1)
		decodeProblem(t, e.staff(t, operations.ScheduleShowtimes, nil, body), http.StatusUnprocessableEntity, "movie_retired")
	})

	room := decode[gen.AdminRoom](t, e.staff(t, operations.CreateRoom, cinemaParam, roomBody), http.StatusCreated)
	t.Run("createRoom/201 makes layout version 1 from the rows", func(t *testing.T) {
		assert.Equal(t, 1, room.Layout.Version)
		assert.Equal(t, []string{"SSSS_SSSS", "WC_SSSS_PP"}, room.Layout.Rows)
		assert.Equal(t, 16, room.Layout.Capacity)
	})
	t.Run("createRoom/409 room_exists for another room with that id", func(t *testing.T) {
		decodeProblem(t, e.staff(t, operations.CreateRoom, cinemaParam, strings.Replace(roomBody, "Sala 9", "Sala Nove", 1)), http.StatusConflict, "room_exists")
	})
	t.Run("listRooms/200 lists the cinema's rooms with their current layouts", func(t *testing.T) {
		list := decode[gen.AdminRoomList](t, e.staff(t, operations.ListRooms, cinemaParam, ""), http.StatusOK)
		var ids []string
		for _, r := range list.Items {
			ids = append(ids, r.ID)
		}
		assert.ElementsMatch(t, []string{"room-fixture", "sala-9"}, ids)
	})
}

func TestNewLayoutVersionLeavesScheduledShowtimesAlone(t *testing.T) {
	// Fridays: the fixture's prices are Friday's.
	e := purchaseFixture(t)
	old := decode[gen.AdminShowtimeList](t, e.staff(t, operations.ScheduleShowtimes, nil, schedule("room-fixture", "2026-12-11", "2026-12-11", "19:00")), http.StatusCreated).Items[0]
	seatMap := func(id string) gen.SeatMap {
		return decode[gen.ShowtimeDetail](t, call(t, e.hs, request{op: operations.GetShowtime, params: map[string]string{"showtimeId": id}}), http.StatusOK).SeatMap
	}
	before := seatMap(old.ID)
	require.Equal(t, 1, before.LayoutVersion)

	v2 := decode[gen.AdminRoom](t, e.staff(t, operations.CreateRoomLayout, roomParams, `{"rows":["XXSSSSSSSS","SSSSSSSSSS","SS"]}`), http.StatusCreated)
	require.Equal(t, 2, v2.Layout.Version)

	t.Run("getShowtime/200 keeps the seat map of the version it was scheduled with", func(t *testing.T) {
		assert.Equal(t, before, seatMap(old.ID))
	})
	t.Run("createHold/201 on a seat of that version, which the new version lacks", func(t *testing.T) {
		hold := call(t, e.hs, request{op: operations.CreateHold, claims: buyerClaims("user-ana"), body: holdBody(old.ID, "D4", "INTEIRA")})
		require.Equal(t, http.StatusCreated, hold.StatusCode, hold.Body)
	})
	t.Run("a showtime scheduled now uses the new version", func(t *testing.T) {
		next := decode[gen.AdminShowtimeList](t, e.staff(t, operations.ScheduleShowtimes, nil, schedule("room-fixture", "2026-12-18", "2026-12-18", "19:00")), http.StatusCreated).Items[0]
		assert.Equal(t, 2, next.LayoutVersion)
		assert.Equal(t, 20, next.Capacity)
		m := seatMap(next.ID)
		assert.Equal(t, 2, m.LayoutVersion)
		assert.Len(t, m.Seats, 22)
	})
}

func TestCancelShowtimeRefundsEveryPaidOrder(t *testing.T) {
	e := purchaseFixture(t)
	var paid []string
	for i, buyer := range []string{"user-ana", "user-bruno", "user-carla"} {
		h := e.mustHold(t, buyer, fmt.Sprintf("A%d", i+1), "INTEIRA", fmt.Sprintf("B%d", i+1), "INTEIRA")
		o := e.mustOrder(t, buyer, "order-key-"+buyer, orderBody(h.ID, ""))
		p := decode[gen.Payment](t, e.pay(t, buyer, o.ID, "pay-key-"+buyer, cardBody(psp.CardApproves)), http.StatusCreated)
		require.Equal(t, gen.PaymentStatusAPPROVED, p.Status)
		require.Equal(t, gen.OrderStatusPAID, e.getOrder(t, buyer, o.ID).Status)
		paid = append(paid, buyer+"/"+o.ID)
	}
	// A fourth buyer holds seats without paying.
	e.mustHold(t, "user-dora", "C1", "INTEIRA")

	res := decode[gen.ShowtimeChangeResult](t, e.staff(t, operations.CancelShowtime, showtimeParam, cancelStBody), http.StatusOK)
	assert.Equal(t, gen.ShowtimeStatusCANCELLED, res.Showtime.Status)
	assert.Equal(t, 3, res.OrdersAffected)
	assert.Equal(t, 3, res.OrdersRefunded, "every paid order is refunded through the PSP")
	assert.Equal(t, 3, res.BuyersNotified)
	assert.Equal(t, 0, res.Showtime.Sold)

	for _, p := range paid {
		buyer, id, _ := strings.Cut(p, "/")
		assert.Equal(t, gen.OrderStatusREFUNDED, e.getOrder(t, buyer, id).Status, p)
		notices, err := e.store.Notices(context.Background(), buyer)
		require.NoError(t, err)
		require.Len(t, notices, 1, "one notice for %s", buyer)
		assert.Contains(t, notices[0].Message, "Falha no projetor")
	}
	t.Run("getShowtime/200 says the showtime was cancelled, and sales are closed", func(t *testing.T) {
		d := decode[gen.ShowtimeDetail](t, call(t, e.hs, request{op: operations.GetShowtime, params: map[string]string{"showtimeId": e.showtime}}), http.StatusOK)
		assert.True(t, d.Cancelled)
		assert.False(t, d.SalesOpen)
	})
	t.Run("createHold/422 showtime_cancelled: its seats can no longer be sold", func(t *testing.T) {
		before := e.items(t)
		resp := call(t, e.hs, request{op: operations.CreateHold, claims: buyerClaims("user-eva"), body: holdBody(e.showtime, "A1", "INTEIRA")})
		decodeProblem(t, resp, http.StatusUnprocessableEntity, "showtime_cancelled")
		assert.Equal(t, before, e.items(t))
	})
	t.Run("getShowtime/200 shows it not on sale", func(t *testing.T) {
		d := decode[gen.ShowtimeDetail](t, call(t, e.hs, request{op: operations.GetShowtime, params: showtimeParam}), http.StatusOK)
		assert.False(t, d.SalesOpen)
	})
	t.Run("listShowtimes/200 hides it from buyers; getSchedule shows it cancelled", func(t *testing.T) {
		list := decode[gen.ShowtimeList](t, call(t, e.hs, request{op: operations.ListShowtimes,
			query: url.Values{"cinemaId": {"cin-fixture"}, "date": {"2026-12-04"}}}), http.StatusOK)
		assert.Empty(t, list.Items)
		sc := decode[gen.ScheduleDay](t, call(t, e.hs, request{op: operations.GetSchedule, params: cinemaParam, query: url.Values{"date": {"2026-12-04"}}, claims: staff}), http.StatusOK)
		require.Len(t, sc.Rooms[0].Showtimes, 1)
		assert.Equal(t, gen.ShowtimeStatusCANCELLED, sc.Rooms[0].Showtimes[0].Status)
	})
	t.Run("cancelShowtime/200 again is idempotent: nothing refunded twice", func(t *testing.T) {
		again := decode[gen.ShowtimeChangeResult](t, e.staff(t, operations.CancelShowtime, showtimeParam, cancelStBody), http.StatusOK)
		assert.Equal(t, 3, again.OrdersAffected)
		assert.Equal(t, 3, again.OrdersRefunded)
		assert.Equal(t, gen.ShowtimeStatusCANCELLED, again.Showtime.Status)
	})
	t.Run("scheduleShowtimes/201 in the freed slot, under a new id", func(t *testing.T) {
		body := schedule("room-fixture", "2026-12-04", "2026-12-04", "21:00")
		first := decode[gen.AdminShowtimeList](t, e.staff(t, operations.ScheduleShowtimes, nil, body), http.StatusCreated)
		again := decode[gen.AdminShowtimeList](t, e.staff(t, operations.ScheduleShowtimes, nil, body), http.StatusCreated)
		assert.Equal(t, first.Items[0].ID, again.Items[0].ID)
	})
}
