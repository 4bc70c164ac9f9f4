package booking_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/booking"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/money"
	"bilhetagem/internal/pricing"
)

// A Friday 21:00 showtime in São Paulo, planned at 20:00.
var (
	start = time.Date(2026, 12, 4, 21, 0, 0, 0, catalog.Zone)
	now   = start.Add(-time.Hour)
)

func planContext(t *testing.T, policy catalog.GapPolicy, claims ...catalog.SeatClaim) booking.Context {
	t.Helper()
	layout, err := catalog.ParseLayout(1, []string{
		"WC_SSSSSS_SS", // A: wheelchair A1 + companion A2, then A3..A8, aisle, A9..A10
		"SSSSSSSSSSSX", // B: B1..B11, B12 blocked
		"PPPP_VVVV",    // C: couple C1+C2, C3+C4; VIP C5..C8
	})
	require.NoError(t, err)
	return booking.Context{
		Showtime: catalog.ShowtimeListing{Showtime: catalog.Showtime{ID: "st-1", CinemaID: "cin-1", RoomID: "room-1",
			StartsAt: start.UTC(), Format: catalog.Format2D, Language: catalog.Dubbed, LayoutVersion: 1}},
		Cinema: catalog.Cinema{ID: "cin-1", GapPolicy: policy},
		Layout: layout,
		Prices: catalog.PriceTable{
			Rules:          []catalog.PriceRule{{Format: catalog.Format2D, Weekdays: []time.Weekday{time.Friday}, Inteira: 3600}},
			SeatSurcharges: map[catalog.SeatType]money.BRL{catalog.SeatVIP: 1500, catalog.SeatCouple: 600},
		},
		Claims: claims,
	}
}

func req(seats ...string) booking.Request {
	r := booking.Request{ShowtimeID: "st-1"}
	for i := 0; i < len(seats); i += 2 {
		r.Seats = append(r.Seats, booking.SeatRequest{SeatID: seats[i], TicketType: pricing.TicketType(seats[i+1])})
	}
	return r
}

func TestPlanPricesAndHolds(t *testing.T) {
	t.Parallel()
	h, err := booking.Plan(req("B3", "INTEIRA", "B4", "MEIA_ESTUDANTE", "C5", "INTEIRA", "C6", "MEIA_IDOSO"),
		planContext(t, catalog.GapWarn), "user-ana", "h-1", booking.DefaultPolicy, now)
	require.NoError(t, err)
	assert.Equal(t, "h-1", h.ID)
	assert.Equal(t, "user-ana", h.Holder)
	assert.Equal(t, booking.Active, h.Status)
	assert.Equal(t, now.Add(10*time.Minute).UTC(), h.ExpiresAt, "holds last 10 minutes by default")
	assert.Equal(t, 2, h.MeiaCount())
	assert.Equal(t, money.BRL(3600+1800+3600+1500+1800+1500), h.Total())
	assert.Equal(t, []string{"B3", "B4", "C5", "C6"}, h.SeatIDs())
}

func TestPlanRefuses(t *testing.T) {
	t.Parallel()
	eleven := []string{}
	for _, s := range []string{"B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9", "B10", "B11"} {
		eleven = append(eleven, s, "INTEIRA")
	}
	cases := []struct {
		name   string
		req    booking.Request
		now    time.Time
		kind   errs.Kind
		code   string
		seats  []string
		policy catalog.GapPolicy
	}{
		{"no seats", req(), now, errs.Invalid, "validation_failed", nil, catalog.GapBlock},
		{"eleven seats", req(eleven...), now, errs.Invalid, "validation_failed", nil, catalog.GapBlock},
		{"the same seat twice", req("B3", "INTEIRA", "B3", "MEIA_ESTUDANTE"), now, errs.Invalid, "validation_failed", nil, catalog.GapBlock},
		{"an unknown ticket type", req("B3", "MEIA_VIP"), now, errs.Invalid, "validation_failed", nil, catalog.GapBlock},
		{"a seat the room does not have", req("Z9", "INTEIRA"), now, errs.Unprocessable, "seat_not_sellable", []string{"Z9"}, catalog.GapBlock},
		{"a blocked seat", req("B12", "INTEIRA"), now, errs.Unprocessable, "seat_not_sellable", []string{"B12"}, catalog.GapBlock},
		{"a showtime past its sales close", req("B3", "INTEIRA"), start.Add(15 * time.Minute), errs.Unprocessable, "sales_closed", nil, catalog.GapBlock},
		{"a showtime long past", req("B3", "INTEIRA"), start.Add(48 * time.Hour), errs.Unprocessable, "sales_closed", nil, catalog.GapBlock},
		{"half of a couple seat", req("C1", "INTEIRA"), now, errs.Unprocessable, "seat_rule_violated", []string{"C1", "C2"}, catalog.GapWarn},
		{"a companion seat without its wheelchair space", req("A2", "INTEIRA"), now, errs.Unprocessable, "seat_rule_violated", []string{"A2", "A1"}, catalog.GapWarn},
		{"a PcD companion ticket without a PcD ticket", req("A1", "INTEIRA", "A2", "MEIA_ACOMPANHANTE_PCD"), now, errs.Unprocessable, "seat_rule_violated", nil, catalog.GapWarn},
		{"leaving one seat alone between the hold and the row's end, where the cinema blocks", req("B2", "INTEIRA"), now, errs.Unprocessable, "seat_rule_violated", []string{"B1"}, catalog.GapBlock},
	}
	for _, tc := range cases {
		t.Run("refuses "+tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := booking.Plan(tc.req, planContext(t, tc.policy), "user-ana", "h-1", booking.DefaultPolicy, tc.now)
			e, ok := errs.As(err)
			require.True(t, ok, "got %v", err)
			assert.Equal(t, tc.kind, e.Kind)
			assert.Equal(t, tc.code, e.Code)
			if tc.seats != nil {
				assert.Equal(t, tc.seats, e.Seats)
			}
		})
	}
}

func TestPlanSeatRules(t *testing.T) {
	t.Parallel()
	t.Run("a couple seat is held as a pair", func(t *testing.T) {
		t.Parallel()
		h, err := booking.Plan(req("C1", "INTEIRA", "C2", "INTEIRA"), planContext(t, catalog.GapBlock), "u", "h", booking.DefaultPolicy, now)
		require.NoError(t, err)
		assert.Equal(t, money.BRL(2*(3600+600)), h.Total())
	})
	t.Run("a companion seat is held with its wheelchair space, both at meia", func(t *testing.T) {
		t.Parallel()
		h, err := booking.Plan(req("A1", "MEIA_PCD", "A2", "MEIA_ACOMPANHANTE_PCD"), planContext(t, catalog.GapBlock), "u", "h", booking.DefaultPolicy, now)
		require.NoError(t, err)
		assert.Equal(t, 2, h.MeiaCount())
	})
	t.Run("a companion seat is sold alone from 30 minutes before the start", func(t *testing.T) {
		t.Parallel()
		_, err := booking.Plan(req("A2", "INTEIRA"), planContext(t, catalog.GapBlock), "u", "h", booking.DefaultPolicy, start.Add(-30*time.Minute))
		require.NoError(t, err)
	})
	t.Run("a gap the hold leaves is only a warning where the cinema warns", func(t *testing.T) {
		t.Parallel()
		h, err := booking.Plan(req("B2", "INTEIRA"), planContext(t, catalog.GapWarn), "u", "h", booking.DefaultPolicy, now)
		require.NoError(t, err)
		require.Len(t, h.Warnings, 1)
		assert.Equal(t, booking.IsolatedSeat, h.Warnings[0].Code)
		assert.Equal(t, []string{"B1"}, h.Warnings[0].Seats)
	})
	t.Run("a gap between the hold and someone else's seat is refused", func(t *testing.T) {
		t.Parallel()
		taken := catalog.SeatClaim{SeatID: "B5", Status: catalog.SeatSold}
		_, err := booking.Plan(req("B3", "INTEIRA"), planContext(t, catalog.GapBlock, taken), "u", "h", booking.DefaultPolicy, now)
		e, ok := errs.As(err)
		require.True(t, ok)
		assert.Equal(t, []string{"B4"}, e.Seats)
	})
	t.Run("an expired hold's seat does not close a gap", func(t *testing.T) {
		t.Parallel()
		stale := catalog.SeatClaim{SeatID: "B5", Status: catalog.SeatHeld, ExpiresAt: now.Add(-time.Second)}
		_, err := booking.Plan(req("B3", "INTEIRA"), planContext(t, catalog.GapBlock, stale), "u", "h", booking.DefaultPolicy, now)
		require.NoError(t, err, "B4 is next to free B5, so it is not alone")
	})
	t.Run("a seat beside an aisle may stay empty when the hold does not touch it", func(t *testing.T) {
		t.Parallel()
		_, err := booking.Plan(req("A9", "INTEIRA", "A10", "INTEIRA"), planContext(t, catalog.GapBlock), "u", "h", booking.DefaultPolicy, now)
		require.NoError(t, err)
	})
	t.Run("filling a whole segment leaves no gap", func(t *testing.T) {
		t.Parallel()
		_, err := booking.Plan(req("A3", "INTEIRA", "A4", "INTEIRA", "A5", "INTEIRA", "A6", "INTEIRA", "A7", "INTEIRA", "A8", "INTEIRA"),
			planContext(t, catalog.GapBlock), "u", "h", booking.DefaultPolicy, now)
		require.NoError(t, err)
	})
}

func TestStatusAt(t *testing.T) {
	t.Parallel()
	h := booking.Hold{Status: booking.Active, ExpiresAt: now}
	assert.Equal(t, booking.Active, h.StatusAt(now.Add(-time.Millisecond)))
	assert.Equal(t, booking.Expired, h.StatusAt(now), "a hold expires at its expiry instant")
	h.Status = booking.Confirmed
	assert.Equal(t, booking.Confirmed, h.StatusAt(now.Add(time.Hour)), "a sale never expires")
}
