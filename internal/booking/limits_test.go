package booking_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/booking"
	"bilhetagem/internal/errs"
)

func TestPickSlot(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC)
	lim := booking.BuyerLimits{Holds: 2, Seats: 20, Churn: 6, ChurnWindow: time.Hour}
	hold := func(showtime string, seats int) booking.Hold {
		return booking.Hold{ID: "h-new", ShowtimeID: showtime, Holder: "user-ana", Seats: make([]booking.HeldSeat, seats)}
	}
	live := func(n int, showtime string, seats int) booking.Slot {
		return booking.Slot{Number: n, HoldID: "h-" + showtime, ShowtimeID: showtime, Seats: seats, ExpiresAt: now.Add(time.Minute)}
	}
	expired := func(n int) booking.Slot {
		return booking.Slot{Number: n, HoldID: "h-old", ShowtimeID: "st-old", Seats: 10, ExpiresAt: now}
	}
	for _, tc := range []struct {
		name  string
		slots []booking.Slot
		hold  booking.Hold
		want  int
		code  string
	}{
		{name: "a buyer without slots takes the first", hold: hold("st-1", 2), want: 1},
		{name: "the first free slot is taken", slots: []booking.Slot{live(1, "st-1", 2)}, hold: hold("st-2", 2), want: 2},
		{name: "an expired hold's slot is free at its expiry", slots: []booking.Slot{live(2, "st-1", 2), expired(1)}, hold: hold("st-2", 2), want: 1},
		{name: "a third live hold is refused", slots: []booking.Slot{live(1, "st-1", 1), live(2, "st-2", 1)}, hold: hold("st-3", 1), code: "buyer_hold_limit"},
		{name: "a live hold of the same showtime is named first", slots: []booking.Slot{live(1, "st-1", 1), live(2, "st-2", 1)}, hold: hold("st-1", 1), code: "active_hold_exists"},
		{name: "seats past the cap are refused", slots: []booking.Slot{live(1, "st-1", 10)}, hold: hold("st-2", 11), code: "buyer_seat_limit"},
		{name: "seats up to the cap are taken", slots: []booking.Slot{live(1, "st-1", 10)}, hold: hold("st-2", 10), want: 2},
		{name: "a live slot past a lowered limit still counts", slots: []booking.Slot{live(3, "st-3", 1), live(1, "st-1", 1)}, hold: hold("st-2", 1), code: "buyer_hold_limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := booking.PickSlot(tc.slots, lim, tc.hold, now)
			if tc.code == "" {
				require.NoError(t, err)
				assert.Equal(t, tc.want, got)
				return
			}
			e, ok := errs.As(err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, tc.code, e.Code)
			assert.Equal(t, errs.Conflict, e.Kind)
		})
	}
}

func TestChurnWindow(t *testing.T) {
	t.Parallel()
	lim := booking.BuyerLimits{Holds: 2, Seats: 20, Churn: 6, ChurnWindow: time.Hour}
	now := time.Date(2026, 12, 4, 18, 42, 10, 0, time.UTC)
	start, end := lim.ChurnWindowAt(now)
	assert.Equal(t, time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC), start)
	assert.Equal(t, time.Date(2026, 12, 4, 19, 0, 0, 0, time.UTC), end)

	t.Run("a churned buyer gets a 429 that says when the window reopens", func(t *testing.T) {
		e, ok := errs.As(booking.ChurnLimited(lim, end, now))
		require.True(t, ok)
		assert.Equal(t, "hold_churn_limit", e.Code)
		assert.Equal(t, errs.TooManyRequests, e.Kind)
		assert.Equal(t, 17*time.Minute+50*time.Second, e.RetryAfter)
	})
	t.Run("the zero limits are the defaults", func(t *testing.T) {
		assert.Equal(t, booking.DefaultBuyerLimits, booking.BuyerLimits{}.OrDefault())
	})
}
