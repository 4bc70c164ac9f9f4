package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/apigw/apigwtest"
	"bilhetagem/internal/booking"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/dynamo/dynamotest"
	"bilhetagem/internal/money"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/orders"
)

// clock is a test clock the handlers read and a test moves.
type clock struct{ ns atomic.Int64 }

func newClock(t time.Time) *clock        { c := &clock{}; c.ns.Store(t.UnixNano()); return c }
func (c *clock) Now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

type holdEnv struct {
	store    *dynamo.Store
	hs       map[string]apigw.Handler
	clock    *clock
	showtime string
	layout   catalog.Layout
}

// holdFixture is a fresh table with one cinema, one room of the given rows,
// one Friday 21:00 showtime tomorrow, and Friday prices.
func holdFixture(t *testing.T, gap catalog.GapPolicy, rows ...string) *holdEnv {
	t.Helper()
	store := dynamotest.NewStore(t)
	layout, err := catalog.ParseLayout(1, rows)
	require.NoError(t, err)
	start := time.Date(2026, 12, 4, 21, 0, 0, 0, catalog.Zone).UTC()
	st := catalog.ShowtimeListing{
		Showtime: catalog.Showtime{ID: "st-fixture", MovieID: "mov-fixture", CinemaID: "cin-fixture", RoomID: "room-fixture",
			StartsAt: start, Format: catalog.Format2D, Language: catalog.Dubbed, LayoutVersion: 1},
		EndsAt: start.Add(2 * time.Hour), MovieTitle: "Filme", CinemaName: "Cinema", RoomName: "Sala 1",
	}
	_, err = store.PutCatalog(context.Background(), dynamo.CatalogData{
		Cinemas: []catalog.Cinema{{ID: "cin-fixture", Name: "Cinema", GapPolicy: gap}},
		Rooms:   []catalog.Room{{CinemaID: "cin-fixture", ID: "room-fixture", Name: "Sala 1", Formats: []catalog.Format{catalog.Format2D}, Layout: layout}},
		Movies: []catalog.Movie{{ID: "mov-fixture", Title: "Filme", AgeRating: catalog.Rating12, RuntimeMinutes: 120,
			ReleaseDate: catalog.Date{Year: 2026, Month: time.November, Day: 26}}},
		Showtimes: []catalog.ShowtimeListing{st},
		Prices: []catalog.PriceTable{{CinemaID: "cin-fixture",
			Rules:          []catalog.PriceRule{{Format: catalog.Format2D, Weekdays: []time.Weekday{time.Friday}, Inteira: 3600}},
			SeatSurcharges: map[catalog.SeatType]money.BRL{catalog.SeatVIP: 1500}}},
	})
	require.NoError(t, err)
	c := newClock(start.Add(-24 * time.Hour))
	hs := buildAt(t, store, c.Now)
	return &holdEnv{store: store, hs: hs, clock: c, showtime: st.ID, layout: layout}
}

func buyerClaims(sub string) map[string]string {
	return map[string]string{"sub": sub, "email": sub + "@exemplo.com.br", "name": sub}
}

func holdBody(showtime string, seats ...string) string {
	var parts []string
	for i := 0; i < len(seats); i += 2 {
		parts = append(parts, fmt.Sprintf(`{"seatId":%q,"ticketType":%q}`, seats[i], seats[i+1]))
	}
	return fmt.Sprintf(`{"showtimeId":%q,"seats":[%s]}`, showtime, strings.Join(parts, ","))
}

func (e *holdEnv) hold(t *testing.T, sub string, seats ...string) (int, gen.Hold, problem) {
	t.Helper()
	resp := call(t, e.hs, request{op: operations.CreateHold, claims: buyerClaims(sub), body: holdBody(e.showtime, seats...)})
	var h gen.Hold
	var p problem
	if resp.StatusCode == http.StatusCreated {
		require.NoError(t, json.Unmarshal([]byte(resp.Body), &h))
	} else {
		require.NoError(t, json.Unmarshal([]byte(resp.Body), &p), resp.Body)
	}
	return resp.StatusCode, h, p
}

func (e *holdEnv) seatMap(t *testing.T, holdID string) map[string]gen.SeatState {
	t.Helper()
	q := url.Values{}
	if holdID != "" {
		q.Set("holdId", holdID)
	}
	resp := apigwtest.Send(t, "getShowtime", func() events.APIGatewayV2HTTPResponse {
		return call(t, e.hs, request{op: operations.GetShowtime, params: map[string]string{"showtimeId": e.showtime}, query: q})
	})
	d := decode[gen.ShowtimeDetail](t, resp, http.StatusOK)
	out := map[string]gen.SeatState{}
	for _, s := range d.SeatMap.Seats {
		out[s.ID] = s
	}
	return out
}

func (e *holdEnv) items(t *testing.T) int {
	t.Helper()
	n, err := e.store.CountItems(context.Background())
	require.NoError(t, err)
	return n
}

var smallRoom = []string{"SSSSSSSSSS", "SSSSSSSSSS", "SSSSSSSSSS", "PP_VVVV_WC"}

func TestCreateHold(t *testing.T) {
	t.Parallel()
	e := holdFixture(t, catalog.GapWarn, smallRoom...)

	status, h, _ := e.hold(t, "user-ana", "B4", "INTEIRA", "B5", "MEIA_ESTUDANTE", "D4", "INTEIRA")
	require.Equal(t, http.StatusCreated, status)

	t.Run("createHold/201 prices every seat on the server", func(t *testing.T) {
		assert.Equal(t, gen.HoldStatus("ACTIVE"), h.Status)
		assert.Equal(t, 1, h.MeiaCount)
		assert.Equal(t, int64(3600+1800+3600+1500), h.Total.Amount)
		assert.Equal(t, e.clock.Now().Add(10*time.Minute), h.ExpiresAt.UTC())
	})
	t.Run("getShowtime/200 shows the held seats, yours only with the hold id", func(t *testing.T) {
		anon := e.seatMap(t, "")
		mine := e.seatMap(t, h.ID)
		for _, id := range []string{"B4", "B5", "D4"} {
			assert.Equal(t, gen.SeatStatusHELD, anon[id].Status)
			assert.False(t, anon[id].Yours)
			assert.True(t, mine[id].Yours)
		}
		assert.Equal(t, gen.SeatStatusAVAILABLE, mine["B6"].Status)
	})
	t.Run("getHold/200 for its owner", func(t *testing.T) {
		got := decode[gen.Hold](t, call(t, e.hs, request{op: operations.GetHold, claims: buyerClaims("user-ana"), params: map[string]string{"holdId": h.ID}}), http.StatusOK)
		assert.Equal(t, h.ID, got.ID)
		assert.Len(t, got.Seats, 3)
	})
	t.Run("getHold/404 for another buyer, so ids cannot be probed", func(t *testing.T) {
		decodeProblem(t, call(t, e.hs, request{op: operations.GetHold, claims: buyerClaims("user-bruno"), params: map[string]string{"holdId": h.ID}}), http.StatusNotFound, "not_found")
	})
	t.Run("createHold/409 lists the seats someone else holds and writes nothing", func(t *testing.T) {
		before := e.items(t)
		status, _, p := e.hold(t, "user-bruno", "B3", "INTEIRA", "B4", "INTEIRA", "B5", "INTEIRA")
		assert.Equal(t, http.StatusConflict, status)
		assert.Equal(t, "seat_taken", p.Code)
		var body map[string]any
		resp := call(t, e.hs, request{op: operations.CreateHold, claims: buyerClaims("user-bruno"), body: holdBody(e.showtime, "B3", "INTEIRA", "B4", "INTEIRA", "B5", "INTEIRA")})
		require.NoError(t, json.Unmarshal([]byte(resp.Body), &body))
		assert.ElementsMatch(t, []any{"B4", "B5"}, body["seats"])
		assert.Equal(t, before, e.items(t))
		assert.Equal(t, gen.SeatStatusAVAILABLE, e.seatMap(t, "")["B3"].Status, "all or nothing: B3 was not taken")
	})
	t.Run("createHold/409 for a second hold of the same buyer on the showtime", func(t *testing.T) {
		status, _, p := e.hold(t, "user-ana", "A1", "INTEIRA")
		assert.Equal(t, http.StatusConflict, status)
		assert.Equal(t, "active_hold_exists", p.Code)
	})
	t.Run("releaseHold/404 for another buyer", func(t *testing.T) {
		decodeProblem(t, call(t, e.hs, request{op: operations.ReleaseHold, claims: buyerClaims("user-bruno"), params: map[string]string{"holdId": h.ID}}), http.StatusNotFound, "not_found")
	})
	t.Run("releaseHold/204 frees the seats at once, and again is still 204", func(t *testing.T) {
		resp := call(t, e.hs, request{op: operations.ReleaseHold, claims: buyerClaims("user-ana"), params: map[string]string{"holdId": h.ID}})
		require.Equal(t, http.StatusNoContent, resp.StatusCode, resp.Body)
		seats := e.seatMap(t, "")
		for _, id := range []string{"B4", "B5", "D4"} {
			assert.Equal(t, gen.SeatStatusAVAILABLE, seats[id].Status)
		}
		resp = call(t, e.hs, request{op: operations.ReleaseHold, claims: buyerClaims("user-ana"), params: map[string]string{"holdId": h.ID}})
		assert.Equal(t, http.StatusNoContent, resp.StatusCode)
		got := decode[gen.Hold](t, call(t, e.hs, request{op: operations.GetHold, claims: buyerClaims("user-ana"), params: map[string]string{"holdId": h.ID}}), http.StatusOK)
		assert.Equal(t, gen.HoldStatus("RELEASED"), got.Status)
		counted, err := e.store.MeiaCounted(context.Background(), e.showtime)
		require.NoError(t, err)
		assert.Zero(t, counted, "the released meia went back to the counter")
	})
	t.Run("createHold/201 for someone else on the released seats, and the buyer may hold again", func(t *testing.T) {
		status, _, _ := e.hold(t, "user-bruno", "B4", "INTEIRA", "B5", "INTEIRA")
		assert.Equal(t, http.StatusCreated, status)
		status, _, _ = e.hold(t, "user-ana", "A1", "INTEIRA", "A2", "INTEIRA")
		assert.Equal(t, http.StatusCreated, status)
	})
}

func TestHoldExpiry(t *testing.T) {
	t.Parallel()
	e := holdFixture(t, catalog.GapWarn, smallRoom...)
	status, h, _ := e.hold(t, "user-ana", "C4", "MEIA_ESTUDANTE", "C5", "INTEIRA")
	require.Equal(t, http.StatusCreated, status)

	e.clock.Advance(10 * time.Minute)

	t.Run("getShowtime/200 shows an expired hold's seats available before any cleanup", func(t *testing.T) {
		seats := e.seatMap(t, h.ID)
		assert.Equal(t, gen.SeatStatusAVAILABLE, seats["C4"].Status)
		assert.False(t, seats["C4"].Yours)
	})
	t.Run("getHold/200 says EXPIRED", func(t *testing.T) {
		got := decode[gen.Hold](t, call(t, e.hs, request{op: operations.GetHold, claims: buyerClaims("user-ana"), params: map[string]string{"holdId": h.ID}}), http.StatusOK)
		assert.Equal(t, gen.HoldStatus("EXPIRED"), got.Status)
	})
	t.Run("confirming an expired hold fails", func(t *testing.T) {
		svc := &booking.Service{Store: e.store}
		err := svc.Confirm(context.Background(), h.ID, "ord-1", e.clock.Now())
		require.Error(t, err)
		assert.Contains(t, err.Error(), "hold_expired")
	})
	t.Run("createHold/201 takes an expired hold's seats at once, even by the same buyer", func(t *testing.T) {
		status, _, _ := e.hold(t, "user-bruno", "C4", "INTEIRA", "C5", "INTEIRA")
		assert.Equal(t, http.StatusCreated, status)
		status, _, p := e.hold(t, "user-ana", "C6", "INTEIRA", "C7", "INTEIRA")
		assert.Equal(t, http.StatusCreated, status, p.Code)
	})
	t.Run("releaseHold/204 for the expired hold writes nothing", func(t *testing.T) {
		before := e.items(t)
		resp := call(t, e.hs, request{op: operations.ReleaseHold, claims: buyerClaims("user-ana"), params: map[string]string{"holdId": h.ID}})
		assert.Equal(t, http.StatusNoContent, resp.StatusCode)
		assert.Equal(t, before, e.items(t))
		assert.Equal(t, gen.SeatStatusHELD, e.seatMap(t, "")["C4"].Status, "bruno's hold is untouched")
	})
}

func TestConfirmHold(t *testing.T) {
	t.Parallel()
	e := holdFixture(t, catalog.GapWarn, smallRoom...)
	status, h, _ := e.hold(t, "user-ana", "A5", "INTEIRA", "A6", "MEIA_IDOSO")
	require.Equal(t, http.StatusCreated, status)
	// Seats are sold only to an order waiting for payment.
	require.NoError(t, e.store.CreateOrder(context.Background(), orders.Order{ID: "ord-1", Buyer: "user-ana", HoldID: h.ID,
		Status: orders.PendingPayment, CreatedAt: e.clock.Now(), ExpiresAt: h.ExpiresAt, Showtime: orders.Showtime{ID: e.showtime}}, e.clock.Now()))
	svc := &booking.Service{Store: e.store}
	require.NoError(t, svc.Confirm(context.Background(), h.ID, "ord-1", e.clock.Now()))

	t.Run("confirmed seats are sold and stay sold after the hold's expiry", func(t *testing.T) {
		e.clock.Advance(time.Hour)
		seats := e.seatMap(t, "")
		assert.Equal(t, gen.SeatStatusSOLD, seats["A5"].Status)
		assert.Equal(t, gen.SeatStatusSOLD, seats["A6"].Status)
		status, _, p := e.hold(t, "user-bruno", "A5", "INTEIRA")
		assert.Equal(t, http.StatusConflict, status)
		assert.Equal(t, "seat_taken", p.Code)
	})
	t.Run("confirming again for the same order is idempotent", func(t *testing.T) {
		assert.NoError(t, svc.Confirm(context.Background(), h.ID, "ord-1", e.clock.Now()))
	})
	t.Run("the buyer may hold again after a purchase", func(t *testing.T) {
		status, _, p := e.hold(t, "user-ana", "A1", "INTEIRA", "A2", "INTEIRA")
		assert.Equal(t, http.StatusCreated, status, p.Code)
	})
}

func TestHoldMeiaCap(t *testing.T) {
	t.Parallel()
	// 10 sellable seats: the cap is 4 meia.
	e := holdFixture(t, catalog.GapWarn, "SSSSSSSSSS")
	status, _, _ := e.hold(t, "user-ana", "A1", "MEIA_ESTUDANTE", "A2", "MEIA_IDOSO", "A3", "MEIA_PROFESSOR")
	require.Equal(t, http.StatusCreated, status)

	t.Run("createHold/422 past the 40% cap, writing nothing", func(t *testing.T) {
		before := e.items(t)
		status, _, p := e.hold(t, "user-bruno", "A5", "MEIA_ESTUDANTE", "A6", "MEIA_ESTUDANTE")
		assert.Equal(t, http.StatusUnprocessableEntity, status)
		assert.Equal(t, "meia_cap_reached", p.Code)
		assert.Equal(t, before, e.items(t))
	})
	t.Run("getShowtime/200 shows the meia left", func(t *testing.T) {
		d := decode[gen.ShowtimeDetail](t, call(t, e.hs, request{op: operations.GetShowtime, params: map[string]string{"showtimeId": e.showtime}}), http.StatusOK)
		assert.Equal(t, 1, d.MeiaRemaining)
	})
	e.clock.Advance(5 * time.Minute)
	t.Run("createHold/201 for the last meia", func(t *testing.T) {
		status, _, _ := e.hold(t, "user-bruno", "A5", "MEIA_ESTUDANTE", "A6", "INTEIRA")
		assert.Equal(t, http.StatusCreated, status)
	})
	t.Run("an expired hold's meia comes back without any cleanup job", func(t *testing.T) {
		status, _, p := e.hold(t, "user-carla", "A8", "MEIA_ESTUDANTE")
		require.Equal(t, http.StatusUnprocessableEntity, status, "ana's hold is still active")
		assert.Equal(t, "meia_cap_reached", p.Code)
		e.clock.Advance(5 * time.Minute) // ana's hold expires; bruno's has 5 minutes left
		status, _, p = e.hold(t, "user-carla", "A8", "MEIA_ESTUDANTE", "A9", "MEIA_ESTUDANTE", "A10", "MEIA_ESTUDANTE")
		assert.Equal(t, http.StatusCreated, status, p.Code)
		counted, err := e.store.MeiaCounted(context.Background(), e.showtime)
		require.NoError(t, err)
		assert.Equal(t, 4, counted, "bruno's 1 and carla's 3; ana's 3 were given back")
	})
}

func TestCreateHoldBadInput(t *testing.T) {
	t.Parallel()
	e := holdFixture(t, catalog.GapBlock, smallRoom...)
	eleven := []string{}
	for i := 1; i <= 11; i++ {
		eleven = append(eleven, fmt.Sprintf("A%d", min(i, 10)), "INTEIRA")
	}
	eleven[20] = "B1"
	cases := []struct {
		name   string
		body   string
		status int
		code   string
	}{
		{"createHold/404 for an unknown showtime", holdBody("st-nope", "A1", "INTEIRA"), http.StatusNotFound, "not_found"},
		{"createHold/422 for a seat the room does not have", holdBody(e.showtime, "Z1", "INTEIRA"), http.StatusUnprocessableEntity, "seat_not_sellable"},
		{"createHold/400 for the same seat twice", holdBody(e.showtime, "A1", "INTEIRA", "A1", "MEIA_ESTUDANTE"), http.StatusBadRequest, "validation_failed"},
		{"createHold/400 for no seats", holdBody(e.showtime), http.StatusBadRequest, "validation_failed"},
		{"createHold/400 for eleven seats", holdBody(e.showtime, eleven...), http.StatusBadRequest, "validation_failed"},
		{"createHold/400 for an unknown ticket type", holdBody(e.showtime, "A1", "MEIA_VIP"), http.StatusBadRequest, "validation_failed"},
		{"createHold/400 for a field the client may not set", `{"showtimeId":"st-fixture","seats":[{"seatId":"A1","ticketType":"INTEIRA"}],"total":{"amount":1,"currency":"BRL"}}`, http.StatusBadRequest, "validation_failed"},
		{"createHold/400 for a price set on a seat", `{"showtimeId":"st-fixture","seats":[{"seatId":"A1","ticketType":"INTEIRA","price":1}]}`, http.StatusBadRequest, "validation_failed"},
		{"createHold/422 for half of a couple seat", holdBody(e.showtime, "D1", "INTEIRA"), http.StatusUnprocessableEntity, "seat_rule_violated"},
		{"createHold/422 for an isolated seat where the cinema blocks", holdBody(e.showtime, "A2", "INTEIRA"), http.StatusUnprocessableEntity, "seat_rule_violated"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := e.items(t)
			resp := call(t, e.hs, request{op: operations.CreateHold, claims: buyerClaims("user-ana"), body: tc.body})
			decodeProblem(t, resp, tc.status, tc.code)
			assert.Equal(t, before, e.items(t), "nothing is written")
		})
	}
	t.Run("createHold/422 for a showtime whose sales closed", func(t *testing.T) {
		e.clock.Advance(25 * time.Hour)
		before := e.items(t)
		resp := call(t, e.hs, request{op: operations.CreateHold, claims: buyerClaims("user-ana"), body: holdBody(e.showtime, "A1", "INTEIRA")})
		decodeProblem(t, resp, http.StatusUnprocessableEntity, "sales_closed")
		assert.Equal(t, before, e.items(t))
	})
	t.Run("createHold/401 without a buyer", func(t *testing.T) {
		resp := call(t, e.hs, request{op: operations.CreateHold, body: holdBody(e.showtime, "A1", "INTEIRA")})
		decodeProblem(t, resp, http.StatusUnauthorized, "unauthorized")
	})
}

// TestHoldContention races 500 buyers for the seats of one small room
// through the real handler, round after round, and checks the invariants:
// no seat has two holders, no hold is partial, every loser gets a 409 (or a
// 422 for the meia cap), meia never passes 40%, and expired holds' seats are
// held again at once.
func TestHoldContention(t *testing.T) {
	t.Parallel()
	const (
		buyers = 500
		rounds = 4
	)
	// 20 seats in two rows: the meia cap is 8.
	e := holdFixture(t, catalog.GapWarn, "SSSSSSSSSS", "SSSSSSSSSS")
	var ids []string
	for _, s := range e.layout.Seats {
		ids = append(ids, s.ID)
	}
	for round := range rounds {
		type result struct {
			status  int
			hold    gen.Hold
			code    string
			asked   []string
			retried bool // met a 503 first, so an earlier try may have won
		}
		results := make([]result, buyers)
		var wg sync.WaitGroup
		startGate := make(chan struct{})
		for b := range buyers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(round), uint64(b)))
				n := 1 + rng.IntN(3)
				first := rng.IntN(len(ids) - n + 1)
				var seats []string
				for i := range n {
					tt := "INTEIRA"
					if rng.IntN(4) != 0 { // mostly meia, so the 40% cap binds
						tt = "MEIA_ESTUDANTE"
					}
					seats = append(seats, ids[first+i], tt)
				}
				<-startGate
				// A client meeting a 503 waits Retry-After and asks again.
				tries := 0
				resp := apigwtest.Send(t, fmt.Sprintf("round %d createHold buyer-%d", round, b), func() events.APIGatewayV2HTTPResponse {
					tries++
					return call(t, e.hs, request{op: operations.CreateHold, claims: buyerClaims(fmt.Sprintf("buyer-%d", b)), body: holdBody(e.showtime, seats...)})
				})
				r := result{status: resp.StatusCode, retried: tries > 1}
				for i := 0; i < len(seats); i += 2 {
					r.asked = append(r.asked, seats[i])
				}
				if resp.StatusCode == http.StatusCreated {
					_ = json.Unmarshal([]byte(resp.Body), &r.hold)
				} else {
					var p problem
					_ = json.Unmarshal([]byte(resp.Body), &p)
					r.code = p.Code
				}
				results[b] = r
			}()
		}
		close(startGate)
		wg.Wait()

		seatOwner := map[string]string{}
		maybeHeld := map[string]bool{} // seats asked by a buyer whose answer is unknown
		meia := 0
		won := 0
		for b, r := range results {
			switch r.status {
			case http.StatusCreated:
				won++
				got := []string{}
				for _, s := range r.hold.Seats {
					got = append(got, s.SeatID)
					if prev, dup := seatOwner[s.SeatID]; dup {
						t.Fatalf("round %d: seat %s held by both %s and %s", round, s.SeatID, prev, r.hold.ID)
					}
					seatOwner[s.SeatID] = r.hold.ID
					if s.Meia {
						meia++
					}
				}
				sort.Strings(got)
				asked := append([]string(nil), r.asked...)
				sort.Strings(asked)
				require.Equal(t, asked, got, "round %d buyer %d: a hold has every seat asked or none", round, b)
			case http.StatusConflict:
				if r.code == "active_hold_exists" && r.retried {
					// The try before the 503 may have held the seats; the
					// buyer's own hold is what refuses the retry.
					for _, id := range r.asked {
						maybeHeld[id] = true
					}
					continue
				}
				require.Equal(t, "seat_taken", r.code, "round %d buyer %d", round, b)
			case http.StatusUnprocessableEntity:
				require.Equal(t, "meia_cap_reached", r.code, "round %d buyer %d", round, b)
			default:
				t.Fatalf("round %d buyer %d: unexpected status %d (%s)", round, b, r.status, r.code)
			}
		}
		require.LessOrEqual(t, meia, catalog.MeiaCap(len(ids)), "round %d: meia past 40%%", round)
		// The store's counter holds every meia, a lost answer's included.
		var counted int
		require.NoError(t, apigwtest.Do(t, "meia counter", func() (err error) {
			counted, err = e.store.MeiaCounted(context.Background(), e.showtime)
			return err
		}))
		require.LessOrEqual(t, counted, catalog.MeiaCap(len(ids)), "round %d: the store counts meia past 40%%", round)
		require.LessOrEqual(t, meia, counted, "round %d: a meia won is counted", round)
		require.Positive(t, won, "round %d: someone wins", round)
		capped := 0
		for _, r := range results {
			if r.code == "meia_cap_reached" {
				capped++
			}
		}

		// The store agrees with the responses: every held seat is the
		// winner's, and no other seat is held (but one a buyer whose answer
		// was lost to a 503 may hold).
		seats := e.seatMap(t, "")
		for id, s := range seats {
			if owner, ok := seatOwner[id]; ok {
				assert.Equal(t, gen.SeatStatusHELD, s.Status, "round %d seat %s (hold %s)", round, id, owner)
			} else if !maybeHeld[id] {
				assert.Equal(t, gen.SeatStatusAVAILABLE, s.Status, "round %d seat %s held by no winner", round, id)
			}
		}
		t.Logf("round %d: %d holds won, %d seats held, %d meia, %d refused at the meia cap", round, won, len(seatOwner), meia, capped)
		// Every hold of this round expires; the next round must get the
		// seats at once.
		e.clock.Advance(10 * time.Minute)
	}
}
