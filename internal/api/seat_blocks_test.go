package api_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/psp"
)

// Seat blocks of one showtime, through the real handlers on DynamoDB Local
// (docs/adr/0602). purchaseFixture's room has 30 standard seats in rows A-C,
// a couple pair, four VIP seats and a wheelchair space with its companion.

func blockSeatsBody(reason string, seats ...string) string {
	b, _ := json.Marshal(map[string]any{"seatIds": seats, "reason": reason})
	return string(b)
}

func seatParams(seat string) map[string]string {
	return map[string]string{"showtimeId": "st-fixture", "seatId": seat}
}

type seatsProblem struct {
	Code  string
	Seats []string
}

func TestBlockSeats(t *testing.T) {
	e := purchaseFixture(t)
	detail := func() gen.ShowtimeDetail {
		return decode[gen.ShowtimeDetail](t, call(t, e.hs, request{op: operations.GetShowtime, params: showtimeParam}), http.StatusOK)
	}
	empty := detail()

	// user-ana buys A1 (a meia ticket), user-bruno holds B1.
	h := e.mustHold(t, "user-ana", "A1", "MEIA_ESTUDANTE")
	o := e.mustOrder(t, "user-ana", "order-key-ana", orderBody(h.ID, ""))
	decode[gen.Payment](t, e.pay(t, "user-ana", o.ID, "pay-key-ana", cardBody(psp.CardApproves)), http.StatusCreated)
	require.Equal(t, gen.OrderStatusPAID, e.getOrder(t, "user-ana", o.ID).Status)
	e.mustHold(t, "user-bruno", "B1", "INTEIRA")

	list := decode[gen.SeatBlockList](t, e.staff(t, operations.BlockSeats, showtimeParam, blockSeatsBody("Poltrona quebrada.", "C10", "C2", "C3")), http.StatusOK)
	t.Run("blockSeats/200 lists the showtime's blocks with reason, author and time", func(t *testing.T) {
		assert.Equal(t, "st-fixture", list.ShowtimeID)
		require.Len(t, list.Items, 3)
		assert.Equal(t, []string{"C2", "C3", "C10"}, []string{list.Items[0].SeatID, list.Items[1].SeatID, list.Items[2].SeatID})
		for _, b := range list.Items {
			assert.Equal(t, "Poltrona quebrada.", b.Reason)
			assert.Equal(t, "carla@exemplo.com.br", b.BlockedBy)
			assert.True(t, b.BlockedAt.Equal(e.clock.Now()), b.BlockedAt)
		}
	})
	t.Run("getShowtime/200 shows them blocked; capacity leaves them out, the meia cap does not shrink", func(t *testing.T) {
		d := detail()
		states := e.seatMap(t, "")
		for _, s := range []string{"C2", "C3", "C10"} {
			assert.Equal(t, gen.SeatStatusBLOCKED, states[s].Status, s)
		}
		assert.Equal(t, empty.Availability.Blocked+3, d.Availability.Blocked)
		assert.Equal(t, empty.Availability.Capacity-3, d.Availability.Capacity)
		assert.Equal(t, d.Availability.Capacity, d.Availability.Available+d.Availability.Held+d.Availability.Sold)
		assert.Equal(t, empty.MeiaRemaining-1, d.MeiaRemaining, "40% of the layout's seats, less the meia sold")
	})
	t.Run("createHold/422 seat_not_sellable on a blocked seat, nothing written", func(t *testing.T) {
		before := e.items(t)
		resp := call(t, e.hs, request{op: operations.CreateHold, claims: buyerClaims("user-eva"), body: holdBody(e.showtime, "C2", "INTEIRA")})
		decodeProblem(t, resp, http.StatusUnprocessableEntity, "seat_not_sellable")
		assert.Equal(t, before, e.items(t))
	})
	t.Run("getSchedule/200 counts the capacity as the seat map does", func(t *testing.T) {
		sc := decode[gen.ScheduleDay](t, call(t, e.hs, request{op: operations.GetSchedule, params: cinemaParam,
			query: url.Values{"date": {"2026-12-04"}}, claims: staff}), http.StatusOK)
		require.Len(t, sc.Rooms[0].Showtimes, 1)
		assert.Equal(t, detail().Availability.Capacity, sc.Rooms[0].Showtimes[0].Capacity)
		assert.Equal(t, 1, sc.Rooms[0].Showtimes[0].Sold)
	})
	t.Run("blockSeats/200 again keeps one block per seat, with the new reason", func(t *testing.T) {
		again := decode[gen.SeatBlockList](t, e.staff(t, operations.BlockSeats, showtimeParam, blockSeatsBody("Câmera da filmagem.", "C2")), http.StatusOK)
		require.Len(t, again.Items, 3)
		assert.Equal(t, "Câmera da filmagem.", again.Items[0].Reason)
	})

	bad := []struct {
		name   string
		params map[string]string
		body   string
		status int
		code   string
		seats  []string
	}{
		{"blockSeats/409 seat_occupied for a sold seat and a held one, the free seat with them not blocked either", showtimeParam,
			blockSeatsBody("Poltrona quebrada.", "A1", "B1", "A5"), http.StatusConflict, "seat_occupied", []string{"A1", "B1"}},
		{"blockSeats/422 seat_not_sellable for a seat not in the room", showtimeParam,
			blockSeatsBody("Poltrona quebrada.", "A5", "Z99"), http.StatusUnprocessableEntity, "seat_not_sellable", []string{"Z99"}},
		{"blockSeats/404 for an unknown showtime", map[string]string{"showtimeId": "st-nenhuma"},
			blockSeatsBody("Poltrona quebrada.", "A5"), http.StatusNotFound, "not_found", nil},
		{"blockSeats/400 for a blank reason", showtimeParam,
			blockSeatsBody("    ", "A5"), http.StatusBadRequest, "validation_failed", nil},
		{"blockSeats/400 for a seat id outside the contract's pattern", showtimeParam,
			blockSeatsBody("Poltrona quebrada.", "a-5"), http.StatusBadRequest, "validation_failed", nil},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			before := e.items(t)
			resp := e.staff(t, operations.BlockSeats, c.params, c.body)
			decodeProblem(t, resp, c.status, c.code)
			var p seatsProblem
			require.NoError(t, json.Unmarshal([]byte(resp.Body), &p))
			assert.ElementsMatch(t, c.seats, p.Seats)
			assert.Equal(t, before, e.items(t), "nothing written")
		})
	}

	t.Run("blockSeats/200 on a seat whose hold expired", func(t *testing.T) {
		e.clock.Advance(11 * time.Minute)
		got := decode[gen.SeatBlockList](t, e.staff(t, operations.BlockSeats, showtimeParam, blockSeatsBody("Poltrona quebrada.", "B1")), http.StatusOK)
		assert.Len(t, got.Items, 4)
		assert.Equal(t, gen.SeatStatusBLOCKED, e.seatMap(t, "")["B1"].Status)
	})
	t.Run("unblockSeat/204 puts the seat back on sale, and again is 204", func(t *testing.T) {
		for range 2 {
			resp := e.staff(t, operations.UnblockSeat, seatParams("C2"), "")
			require.Equal(t, http.StatusNoContent, resp.StatusCode, resp.Body)
		}
		assert.Equal(t, gen.SeatStatusAVAILABLE, e.seatMap(t, "")["C2"].Status)
		e.mustHold(t, "user-eva", "C2", "INTEIRA")
	})
	t.Run("unblockSeat/204 never frees a sold seat", func(t *testing.T) {
		resp := e.staff(t, operations.UnblockSeat, seatParams("A1"), "")
		require.Equal(t, http.StatusNoContent, resp.StatusCode, resp.Body)
		assert.Equal(t, gen.SeatStatusSOLD, e.seatMap(t, "")["A1"].Status)
	})
	t.Run("unblockSeat/404 for a seat not in the room", func(t *testing.T) {
		before := e.items(t)
		decodeProblem(t, e.staff(t, operations.UnblockSeat, seatParams("Z99"), ""), http.StatusNotFound, "not_found")
		assert.Equal(t, before, e.items(t))
	})
	t.Run("blockSeats/422 showtime_cancelled once the showtime is cancelled", func(t *testing.T) {
		decode[gen.ShowtimeChangeResult](t, e.staff(t, operations.CancelShowtime, showtimeParam, cancelStBody), http.StatusOK)
		before := e.items(t)
		decodeProblem(t, e.staff(t, operations.BlockSeats, showtimeParam, blockSeatsBody("Poltrona quebrada.", "A7")), http.StatusUnprocessableEntity, "showtime_cancelled")
		assert.Equal(t, before, e.items(t))
	})
}

func TestUnblockSeatLeavesLayoutBlocksAlone(t *testing.T) {
	t.Parallel()
	e := holdFixture(t, catalog.GapWarn, "SSSXSS", "SSSSSS")
	before := e.items(t)
	resp := call(t, e.hs, request{op: operations.UnblockSeat, params: map[string]string{"showtimeId": e.showtime, "seatId": "A4"}, claims: staff})
	p := decodeProblem(t, resp, http.StatusConflict, "conflict")
	assert.Contains(t, p.Detail, "layout")
	assert.Equal(t, before, e.items(t))
	assert.Equal(t, gen.SeatStatusBLOCKED, e.seatMap(t, "")["A4"].Status)

	t.Run("blockSeats/422 seat_not_sellable for a seat the layout already blocks", func(t *testing.T) {
		resp := call(t, e.hs, request{op: operations.BlockSeats, params: map[string]string{"showtimeId": e.showtime}, claims: staff,
			body: blockSeatsBody("Poltrona quebrada.", "A4")})
		decodeProblem(t, resp, http.StatusUnprocessableEntity, "seat_not_sellable")
		assert.Equal(t, before, e.items(t))
	})
}
