package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/api"
	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/booking"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/operations"
)

// capsShowtimes adds n more showtimes of the fixture's room on the same
// Friday, earlier than the fixture's, and returns their ids.
func capsShowtimes(t *testing.T, e *holdEnv, n int) []string {
	t.Helper()
	var ids []string
	var sts []catalog.ShowtimeListing
	for i := 1; i <= n; i++ {
		start := time.Date(2026, 12, 4, 21-2*i, 0, 0, 0, catalog.Zone).UTC()
		id := fmt.Sprintf("st-caps-%d", i)
		sts = append(sts, catalog.ShowtimeListing{
			Showtime: catalog.Showtime{ID: id, MovieID: "mov-fixture", CinemaID: "cin-fixture", RoomID: "room-fixture",
				StartsAt: start, Format: catalog.Format2D, Language: catalog.Dubbed, LayoutVersion: 1},
			EndsAt: start.Add(2 * time.Hour), MovieTitle: "Filme", CinemaName: "Cinema", RoomName: "Sala 1",
		})
		ids = append(ids, id)
	}
	_, err := e.store.PutCatalog(context.Background(), dynamo.CatalogData{Showtimes: sts})
	require.NoError(t, err)
	return ids
}

// withPolicy rebuilds the fixture's handlers with other buyer limits.
func withPolicy(t *testing.T, e *holdEnv, lim booking.BuyerLimits) {
	t.Helper()
	p := booking.DefaultPolicy
	p.Buyer = lim
	e.hs = api.Build(api.Deps{
		Catalog: &catalog.Service{Store: e.store}, Booking: &booking.Service{Store: e.store, Policy: p},
		Store: e.store, Now: e.clock.Now, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}, specValidator(t))
}

func (e *holdEnv) holdOn(t *testing.T, sub, showtime string, seats ...string) (int, gen.Hold, problem) {
	t.Helper()
	resp := call(t, e.hs, request{op: operations.CreateHold, claims: buyerClaims(sub), body: holdBody(showtime, seats...)})
	var h gen.Hold
	var p problem
	if resp.StatusCode == http.StatusCreated {
		require.NoError(t, json.Unmarshal([]byte(resp.Body), &h))
	} else {
		require.NoError(t, json.Unmarshal([]byte(resp.Body), &p), resp.Body)
	}
	return resp.StatusCode, h, p
}

func (e *holdEnv) release(t *testing.T, sub, id string) {
	t.Helper()
	resp := call(t, e.hs, request{op: operations.ReleaseHold, claims: buyerClaims(sub), params: map[string]string{"holdId": id}})
	require.Equal(t, http.StatusNoContent, resp.StatusCode, resp.Body)
}

func (e *holdEnv) myHolds(t *testing.T, sub string) []gen.Hold {
	t.Helper()
	return decode[gen.HoldList](t, call(t, e.hs, request{op: operations.ListMyHolds, claims: buyerClaims(sub)}), http.StatusOK).Items
}

func holdIDs(hs []gen.Hold) []string {
	ids := make([]string, 0, len(hs))
	for _, h := range hs {
		ids = append(ids, h.ID)
	}
	return ids
}

func TestBuyerHoldCaps(t *testing.T) {
	t.Parallel()
	e := holdFixture(t, catalog.GapWarn, smallRoom...)
	st := capsShowtimes(t, e, 3)

	status, first, _ := e.holdOn(t, "user-ana", st[0], "A1", "INTEIRA")
	require.Equal(t, http.StatusCreated, status)
	e.clock.Advance(4 * time.Minute)
	status, second, _ := e.holdOn(t, "user-ana", st[1], "A1", "INTEIRA", "A2", "INTEIRA")
	require.Equal(t, http.StatusCreated, status)

	t.Run("createHold/409 buyer_hold_limit for a third hold across showtimes, writing nothing", func(t *testing.T) {
		before := e.items(t)
		status, _, p := e.holdOn(t, "user-ana", st[2], "A1", "INTEIRA")
		assert.Equal(t, http.StatusConflict, status)
		assert.Equal(t, "buyer_hold_limit", p.Code)
		assert.Contains(t, p.Detail, "libere")
		assert.Equal(t, before, e.items(t))
	})
	t.Run("createHold/409 active_hold_exists still names the buyer's hold of the same showtime", func(t *testing.T) {
		status, _, p := e.holdOn(t, "user-ana", st[0], "B1", "INTEIRA")
		assert.Equal(t, http.StatusConflict, status)
		assert.Equal(t, "active_hold_exists", p.Code)
	})
	t.Run("createHold/201 for another buyer: the caps are per buyer", func(t *testing.T) {
		status, h, _ := e.holdOn(t, "user-bruno", st[2], "C1", "INTEIRA")
		require.Equal(t, http.StatusCreated, status)
		e.release(t, "user-bruno", h.ID)
	})
	t.Run("listMyHolds/200 lists only the caller's live holds, soonest to expire first", func(t *testing.T) {
		assert.Equal(t, []string{first.ID, second.ID}, holdIDs(e.myHolds(t, "user-ana")))
		assert.Empty(t, e.myHolds(t, "user-bruno"))
		mine := e.myHolds(t, "user-ana")
		assert.Equal(t, st[1], mine[1].ShowtimeID)
		assert.Len(t, mine[1].Seats, 2)
		assert.Equal(t, second.ExpiresAt, mine[1].ExpiresAt)
	})
	t.Run("listMyHolds/401 without a buyer", func(t *testing.T) {
		resp := call(t, e.hs, request{op: operations.ListMyHolds})
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	})
	t.Run("releaseHold frees a slot: the third showtime can be held", func(t *testing.T) {
		e.release(t, "user-ana", second.ID)
		assert.Equal(t, []string{first.ID}, holdIDs(e.myHolds(t, "user-ana")))
		status, third, _ := e.holdOn(t, "user-ana", st[2], "A1", "INTEIRA")
		require.Equal(t, http.StatusCreated, status)
		second = third
	})
	t.Run("an expired hold's slot is taken again at its expiry, without any cleanup", func(t *testing.T) {
		status, _, p := e.holdOn(t, "user-ana", st[1], "C5", "INTEIRA")
		require.Equal(t, http.StatusConflict, status)
		require.Equal(t, "buyer_hold_limit", p.Code)
		e.clock.Advance(6 * time.Minute) // the first hold expires now
		assert.Equal(t, []string{second.ID}, holdIDs(e.myHolds(t, "user-ana")), "an expired hold is not listed")
		status, _, _ = e.holdOn(t, "user-ana", st[1], "C5", "INTEIRA")
		assert.Equal(t, http.StatusCreated, status)
	})
}

func TestBuyerSeatCap(t *testing.T) {
	t.Parallel()
	e := holdFixture(t, catalog.GapWarn, smallRoom...)
	st := capsShowtimes(t, e, 2)
	withPolicy(t, e, booking.BuyerLimits{Holds: 3, Seats: 4, Churn: 6, ChurnWindow: time.Hour})

	status, _, _ := e.holdOn(t, "user-ana", st[0], "A1", "INTEIRA", "A2", "INTEIRA", "A3", "INTEIRA")
	require.Equal(t, http.StatusCreated, status)
	t.Run("createHold/409 buyer_seat_limit past the seats held at once, writing nothing", func(t *testing.T) {
		before := e.items(t)
		status, _, p := e.holdOn(t, "user-ana", st[1], "A1", "INTEIRA", "A2", "INTEIRA")
		assert.Equal(t, http.StatusConflict, status)
		assert.Equal(t, "buyer_seat_limit", p.Code)
		assert.Equal(t, before, e.items(t))
	})
	t.Run("createHold/201 up to the limit", func(t *testing.T) {
		status, _, _ := e.holdOn(t, "user-ana", st[1], "A1", "INTEIRA")
		assert.Equal(t, http.StatusCreated, status)
	})
}

func TestHoldChurnLimit(t *testing.T) {
	t.Parallel()
	e := holdFixture(t, catalog.GapWarn, smallRoom...)
	withPolicy(t, e, booking.BuyerLimits{Holds: 2, Seats: 20, Churn: 3, ChurnWindow: time.Hour})
	// The fixture's clock is on the hour; 20 minutes in, 40 are left.
	e.clock.Advance(20 * time.Minute)

	for i := 0; i < 3; i++ {
		status, h, p := e.hold(t, "user-ana", "A1", "INTEIRA")
		require.Equal(t, http.StatusCreated, status, p.Detail)
		e.release(t, "user-ana", h.ID)
	}
	t.Run("createHold/429 hold_churn_limit with Retry-After until the window reopens, writing nothing", func(t *testing.T) {
		before := e.items(t)
		resp := call(t, e.hs, request{op: operations.CreateHold, claims: buyerClaims("user-ana"), body: holdBody(e.showtime, "A1", "INTEIRA")})
		decodeProblem(t, resp, http.StatusTooManyRequests, "hold_churn_limit")
		assert.Equal(t, strconv.Itoa(40*60), resp.Headers["Retry-After"])
		assert.Equal(t, before, e.items(t))
	})
	t.Run("createHold/201 on another showtime or for another buyer", func(t *testing.T) {
		other := capsShowtimes(t, e, 1)[0]
		status, _, _ := e.holdOn(t, "user-ana", other, "A1", "INTEIRA")
		assert.Equal(t, http.StatusCreated, status)
		status, _, _ = e.hold(t, "user-bruno", "B1", "INTEIRA")
		assert.Equal(t, http.StatusCreated, status)
	})
	t.Run("createHold/201 again once the window reopens", func(t *testing.T) {
		e.clock.Advance(40 * time.Minute)
		status, _, _ := e.hold(t, "user-ana", "A1", "INTEIRA")
		assert.Equal(t, http.StatusCreated, status)
	})
}

// One buyer racing holds on many showtimes at once never ends with more
// live holds or seats than the caps, whatever the interleaving: with holds
// of one seat the hold cap binds, with holds of three the seat cap does.
func TestBuyerCapsUnderConcurrency(t *testing.T) {
	t.Parallel()
	e := holdFixture(t, catalog.GapWarn, smallRoom...)
	const showtimes = 6
	st := capsShowtimes(t, e, showtimes)
	lim := booking.BuyerLimits{Holds: 2, Seats: 5, Churn: 6, ChurnWindow: time.Hour}
	withPolicy(t, e, lim)

	for _, tc := range []struct {
		buyer string
		seats []string
		most  int
	}{
		{"user-ana", []string{"A1", "INTEIRA"}, 2},
		{"user-bruno", []string{"B1", "INTEIRA", "B2", "INTEIRA", "B3", "INTEIRA"}, 1},
	} {
		t.Run(fmt.Sprintf("%s holding %d seats on %d showtimes at once keeps at most %d", tc.buyer, len(tc.seats)/2, showtimes, tc.most), func(t *testing.T) {
			var wg sync.WaitGroup
			statuses := make([]int, showtimes)
			codes := make([]string, showtimes)
			for i := range st {
				wg.Add(1)
				go func() {
					defer wg.Done()
					var p problem
					statuses[i], _, p = e.holdOn(t, tc.buyer, st[i], tc.seats...)
					codes[i] = p.Code
				}()
			}
			wg.Wait()

			created := 0
			for i, s := range statuses {
				switch s {
				case http.StatusCreated:
					created++
				case http.StatusConflict:
					assert.Contains(t, []string{"buyer_seat_limit", "buyer_hold_limit"}, codes[i])
				default:
					assert.Equal(t, http.StatusServiceUnavailable, s, "only a race lost too often may answer otherwise")
				}
			}
			live := e.myHolds(t, tc.buyer)
			seats := 0
			for _, h := range live {
				seats += len(h.Seats)
			}
			assert.LessOrEqual(t, created, tc.most, "%v", statuses)
			assert.Len(t, live, created, "every 201 is a live hold and nothing else is")
			assert.LessOrEqual(t, len(live), lim.Holds)
			assert.LessOrEqual(t, seats, lim.Seats)
		})
	}
}

func TestBuyingFreesTheSlot(t *testing.T) {
	e := purchaseFixture(t)
	st := capsShowtimes(t, e.holdEnv, 2)
	status, _, _ := e.holdOn(t, "user-ana", st[0], "A1", "INTEIRA")
	require.Equal(t, http.StatusCreated, status)
	e.buy(t, "user-ana", "B1")

	t.Run("a bought hold is not listed and leaves its slot for another showtime", func(t *testing.T) {
		assert.Len(t, e.myHolds(t, "user-ana"), 1)
		status, _, p := e.holdOn(t, "user-ana", st[1], "A1", "INTEIRA")
		assert.Equal(t, http.StatusCreated, status, p.Detail)
	})
}
