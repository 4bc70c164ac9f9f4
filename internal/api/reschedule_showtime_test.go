package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/programming"
	"bilhetagem/internal/psp"
)

// rescheduleShowtime through the real handlers on DynamoDB Local
// (docs/adr/0602). st-fixture starts Friday 2026-12-04 21:00 in São Paulo;
// the clock stands a day before.

func rescheduleBody(at, plan string) string {
	return fmt.Sprintf(`{"startsAt":%q,"ticketPlan":%q,"reason":"Atraso na entrega da cópia."}`, at, plan)
}

func (e *purchaseEnv) buy(t *testing.T, buyer, seat string) gen.Order {
	t.Helper()
	h := e.mustHold(t, buyer, seat, "INTEIRA")
	o := e.mustOrder(t, buyer, "order-key-"+buyer+seat, orderBody(h.ID, ""))
	decode[gen.Payment](t, e.pay(t, buyer, o.ID, "pay-key-"+buyer+seat, cardBody(psp.CardApproves)), http.StatusCreated)
	require.Equal(t, gen.OrderStatusPAID, e.getOrder(t, buyer, o.ID).Status)
	return e.getOrder(t, buyer, o.ID)
}

func (e *purchaseEnv) listedAt(t *testing.T) map[string]time.Time {
	t.Helper()
	list := decode[gen.ShowtimeList](t, call(t, e.hs, request{op: operations.ListShowtimes,
		query: url.Values{"cinemaId": {"cin-fixture"}, "date": {"2026-12-04"}}}), http.StatusOK)
	out := map[string]time.Time{}
	for _, st := range list.Items {
		out[st.ID] = st.StartsAt.UTC()
	}
	return out
}

func spAt(hour, minute int) time.Time {
	return time.Date(2026, 12, 4, hour, minute, 0, 0, catalog.Zone).UTC()
}

func TestRescheduleKeepAndNotify(t *testing.T) {
	e := purchaseFixture(t)
	ana := e.buy(t, "user-ana", "A1")
	assert.True(t, ana.CancellableUntil.Equal(spAt(19, 0)), ana.CancellableUntil)
	// Another showtime of the room at 14:00 keeps it busy until 16:20.
	decode[gen.AdminShowtimeList](t, e.staff(t, operations.ScheduleShowtimes, nil, schedule("room-fixture", "2026-12-04", "2026-12-04", "14:00")), http.StatusCreated)
	status, h, _ := e.hold(t, "user-bruno", "B1", "INTEIRA")
	require.Equal(t, http.StatusCreated, status)

	bad := []struct {
		name   string
		params map[string]string
		body   string
		status int
		code   string
	}{
		{"rescheduleShowtime/409 showtime_has_holds while a hold is active", showtimeParam,
			rescheduleBody("2026-12-04T22:00:00-03:00", "KEEP_AND_NOTIFY"), http.StatusConflict, "showtime_has_holds"},
		{"rescheduleShowtime/400 for a time off the 5-minute marks", showtimeParam,
			rescheduleBody("2026-12-04T22:03:00-03:00", "KEEP_AND_NOTIFY"), http.StatusBadRequest, "validation_failed"},
		{"rescheduleShowtime/400 for a time already past", showtimeParam,
			rescheduleBody("2026-12-01T22:00:00-03:00", "KEEP_AND_NOTIFY"), http.StatusBadRequest, "validation_failed"},
		{"rescheduleShowtime/400 for an unknown plan", showtimeParam,
			rescheduleBody("2026-12-04T22:00:00-03:00", "KEEP"), http.StatusBadRequest, "validation_failed"},
		{"rescheduleShowtime/404 for an unknown showtime", map[string]string{"showtimeId": "st-nenhuma"},
			rescheduleBody("2026-12-04T22:00:00-03:00", "KEEP_AND_NOTIFY"), http.StatusNotFound, "not_found"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			before := e.items(t)
			decodeProblem(t, e.staff(t, operations.RescheduleShowtime, c.params, c.body), c.status, c.code)
			assert.Equal(t, before, e.items(t), "nothing written")
			assert.Equal(t, spAt(21, 0), e.listedAt(t)["st-fixture"])
		})
	}
	require.Equal(t, http.StatusNoContent, call(t, e.hs, request{op: operations.ReleaseHold, claims: buyerClaims("user-bruno"),
		params: map[string]string{"holdId": h.ID}}).StatusCode)

	t.Run("rescheduleShowtime/409 showtime_overlap naming the showtime the room is busy with, nothing written", func(t *testing.T) {
		before := e.items(t)
		resp := e.staff(t, operations.RescheduleShowtime, showtimeParam, rescheduleBody("2026-12-04T16:00:00-03:00", "KEEP_AND_NOTIFY"))
		decodeProblem(t, resp, http.StatusConflict, "showtime_overlap")
		assert.Contains(t, resp.Body, "st-cin-fixture-room-fixture-20261204-1400")
		assert.Equal(t, before, e.items(t))
	})

	res := decode[gen.ShowtimeChangeResult](t, e.staff(t, operations.RescheduleShowtime, showtimeParam,
		rescheduleBody("2026-12-04T22:00:00-03:00", "KEEP_AND_NOTIFY")), http.StatusOK)
	t.Run("rescheduleShowtime/200 moves the showtime, keeps its id and tickets, notifies the buyer", func(t *testing.T) {
		assert.Equal(t, "st-fixture", res.Showtime.ID)
		assert.True(t, res.Showtime.StartsAt.Equal(spAt(22, 0)), res.Showtime.StartsAt)
		assert.True(t, res.Showtime.EndsAt.Equal(spAt(22, 0).Add(2*time.Hour)))
		assert.Equal(t, 1, res.Showtime.Sold)
		assert.Equal(t, 1, res.OrdersAffected)
		assert.Equal(t, 0, res.OrdersRefunded)
		assert.Equal(t, 1, res.BuyersNotified)
		assert.Equal(t, spAt(22, 0), e.listedAt(t)["st-fixture"], "listShowtimes shows it at the new time")
		got := e.getOrder(t, "user-ana", ana.ID)
		assert.Equal(t, gen.OrderStatusPAID, got.Status)
		assert.True(t, got.Showtime.StartsAt.Equal(spAt(22, 0)))
		notices, err := e.store.Notices(context.Background(), "user-ana")
		require.NoError(t, err)
		require.Len(t, notices, 1)
		assert.Equal(t, "SHOWTIME_RESCHEDULED", notices[0].Kind)
		assert.Contains(t, notices[0].Message, "04/12 às 22:00")
		assert.Equal(t, gen.SeatStatusSOLD, e.seatMap(t, "")["A1"].Status)
	})
	t.Run("scheduleShowtimes/409 at the new time: the showtime took its marks", func(t *testing.T) {
		decodeProblem(t, e.staff(t, operations.ScheduleShowtimes, nil, schedule("room-fixture", "2026-12-04", "2026-12-04", "23:00")), http.StatusConflict, "showtime_overlap")
	})
	t.Run("rescheduleShowtime/200 again to another time frees the marks it leaves", func(t *testing.T) {
		decode[gen.ShowtimeChangeResult](t, e.staff(t, operations.RescheduleShowtime, showtimeParam,
			rescheduleBody("2026-12-04T17:00:00-03:00", "KEEP_AND_NOTIFY")), http.StatusOK)
		decode[gen.AdminShowtimeList](t, e.staff(t, operations.ScheduleShowtimes, nil, schedule("room-fixture", "2026-12-04", "2026-12-04", "23:00")), http.StatusCreated)
	})
	t.Run("cancelOrder/200 refunds in full after the usual window closed, until the new start", func(t *testing.T) {
		e.clock.Advance(spAt(16, 30).Sub(e.clock.Now())) // past 15:00, two hours before 17:00
		resp := call(t, e.hs, request{op: operations.CancelOrder, claims: buyerClaims("user-ana"), params: map[string]string{"orderId": ana.ID}, body: `{"reason":"Não posso no novo horário."}`})
		got := decode[gen.Order](t, resp, http.StatusOK)
		assert.Equal(t, gen.OrderStatusREFUNDED, got.Status)
	})
}

func TestRescheduleRefundAll(t *testing.T) {
	e := purchaseFixture(t)
	ana, bruno := e.buy(t, "user-ana", "A1"), e.buy(t, "user-bruno", "B1")
	res := decode[gen.ShowtimeChangeResult](t, e.staff(t, operations.RescheduleShowtime, showtimeParam,
		rescheduleBody("2026-12-04T19:00:00-03:00", "REFUND_ALL")), http.StatusOK)
	assert.Equal(t, 2, res.OrdersAffected)
	assert.Equal(t, 2, res.OrdersRefunded)
	assert.Equal(t, 2, res.BuyersNotified)
	assert.Equal(t, 0, res.Showtime.Sold, "the showtime starts empty at the new time")
	assert.True(t, res.Showtime.StartsAt.Equal(spAt(19, 0)))
	assert.Equal(t, spAt(19, 0), e.listedAt(t)["st-fixture"])
	assert.Equal(t, gen.OrderStatusREFUNDED, e.getOrder(t, "user-ana", ana.ID).Status)
	assert.Equal(t, gen.OrderStatusREFUNDED, e.getOrder(t, "user-bruno", bruno.ID).Status)
	assert.Equal(t, gen.SeatStatusAVAILABLE, e.seatMap(t, "")["A1"].Status)
	e.mustHold(t, "user-carla", "A1", "INTEIRA")
}

// TestConcurrentReschedulesOneWins: two programmers who read the showtime
// at the same start move it at once; the store's condition on that start
// lets exactly one win.
func TestConcurrentReschedulesOneWins(t *testing.T) {
	e := purchaseFixture(t)
	for round := range 3 {
		from, _, err := e.store.GetShowtime(context.Background(), "st-fixture")
		require.NoError(t, err)
		if from.BusyUntil.IsZero() {
			from.BusyUntil = from.StartsAt.Add(2*time.Hour + 20*time.Minute)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		start := make(chan struct{})
		for i := range 2 {
			next := from
			next.StartsAt = spAt(10+round*4+i*2, 0)
			next.EndsAt = next.StartsAt.Add(2 * time.Hour)
			next.BusyUntil = next.StartsAt.Add(2*time.Hour + 20*time.Minute)
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = e.store.RescheduleShowtime(context.Background(), from, next, e.clock.Now())
			}()
		}
		close(start)
		wg.Wait()
		won := 0
		for _, err := range errs {
			if err == nil {
				won++
			} else {
				assert.ErrorIs(t, err, programming.ErrStale)
			}
		}
		assert.Equal(t, 1, won, "round %d: exactly one reschedule wins", round)
		at := e.listedAt(t)["st-fixture"]
		assert.True(t, at.Equal(spAt(10+round*4, 0)) || at.Equal(spAt(12+round*4, 0)), at)
	}
}
