package api_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/dynamo/dynamotest"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/psp"
	"bilhetagem/internal/tickets"
)

// A month of generated sales in two cinemas, bought and partly cancelled
// through the real handlers; the sales report must equal the sums over the
// orders themselves.

var reportCinemas = []string{"cin-norte", "cin-sul"}

const reportRoomRows = 2 // rows of 6 seats: capacity 12 per showtime

func reportFixture(t *testing.T) (*purchaseEnv, []string) {
	t.Helper()
	store := dynamotest.NewStore(t)
	layout, err := catalog.ParseLayout(1, []string{"SSSSSS", "SSSSSS"})
	require.NoError(t, err)
	data := dynamo.CatalogData{
		Movies: []catalog.Movie{{ID: "mov-mes", Title: "Filme do Mês", AgeRating: catalog.RatingL, RuntimeMinutes: 100,
			ReleaseDate: catalog.Date{Year: 2026, Month: time.November, Day: 26}}},
		Products: testMenu,
	}
	every := []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}
	var showtimes []string
	for _, c := range reportCinemas {
		data.Cinemas = append(data.Cinemas, catalog.Cinema{ID: c, Name: "Cinema " + c, GapPolicy: catalog.GapWarn})
		data.Rooms = append(data.Rooms, catalog.Room{CinemaID: c, ID: "sala-1", Name: "Sala 1", Formats: []catalog.Format{catalog.Format2D}, Layout: layout})
		data.Prices = append(data.Prices, catalog.PriceTable{CinemaID: c,
			Rules: []catalog.PriceRule{{Format: catalog.Format2D, Weekdays: every, Inteira: 3000}}})
		for day := 1; day <= 30; day++ {
			start := time.Date(2026, 12, day, 20, 0, 0, 0, catalog.Zone).UTC()
			id := fmt.Sprintf("st-%s-%02d", c, day)
			showtimes = append(showtimes, id)
			data.Showtimes = append(data.Showtimes, catalog.ShowtimeListing{
				Showtime: catalog.Showtime{ID: id, MovieID: "mov-mes", CinemaID: c, RoomID: "sala-1", StartsAt: start,
					Format: catalog.Format2D, Language: catalog.National, LayoutVersion: 1},
				EndsAt: start.Add(100 * time.Minute), MovieTitle: "Filme do Mês", CinemaName: "Cinema " + c, RoomName: "Sala 1",
			})
		}
	}
	_, err = store.PutCatalog(context.Background(), data)
	require.NoError(t, err)
	e := &purchaseEnv{holdEnv: &holdEnv{store: store, clock: newClock(time.Date(2026, 11, 30, 10, 0, 0, 0, catalog.Zone))},
		signer: tickets.NewEphemeralSigner(), inbox: &webhookInbox{}, secret: []byte("segredo-do-psp-de-teste")}
	e.sim = psp.NewSimulator(psp.SimConfig{Secret: e.secret, Notifier: e.inbox, Now: e.clock.Now, Backoff: time.Millisecond})
	e.hs = buildPurchase(t, store, e.clock.Now, e.sim, e.signer, e.secret)
	return e, showtimes
}

// expected accumulates what the report should say, from the orders.
type expected struct {
	tickets, orders, withConcessions, items, meia int
	ticketRevenue, concessionsRevenue             int64
	products                                      map[string][2]int64 // quantity, revenue
}

func (x *expected) add(o gen.Order, sign int) {
	s := int64(sign)
	x.tickets += sign * len(o.Tickets)
	x.orders += sign
	x.ticketRevenue += s * o.Totals.Tickets.Amount
	x.concessionsRevenue += s * o.Totals.Concessions.Amount
	if len(o.Concessions) > 0 {
		x.withConcessions += sign
	}
	for _, t := range o.Tickets {
		if t.Meia {
			x.meia += sign
		}
	}
	if x.products == nil {
		x.products = map[string][2]int64{}
	}
	for _, l := range o.Concessions {
		x.items += sign * l.Quantity
		p := x.products[l.ProductID]
		p[0] += s * int64(l.Quantity)
		p[1] += s * l.Total.Amount
		x.products[l.ProductID] = p
	}
}

func TestSalesReportEqualsTheSumOfAMonthOfOrders(t *testing.T) {
	e, showtimes := reportFixture(t)
	rng := rand.New(rand.NewPCG(2026, 12))
	taken := map[string]map[string]bool{} // showtime -> seat -> taken
	meiaLeft := map[string]int{}          // showtime -> meia under the 40% cap
	byDay := map[string]*expected{}       // cinema/date -> expected
	var total expected
	lines := []string{
		`{"productId":"pipoca-salgada","size":"P","quantity":%d}`,
		`{"productId":"pipoca-salgada","size":"G","quantity":%d}`,
		`{"productId":"refrigerante","size":"M","flavours":["Guaraná"],"quantity":%d}`,
	}
	const orders = 70
	paid, cancelled := 0, 0
	for i := range orders {
		st := showtimes[rng.IntN(len(showtimes))]
		if taken[st] == nil {
			taken[st], meiaLeft[st] = map[string]bool{}, 4
		}
		var seats []string
		for n := 1 + rng.IntN(3); n > 0 && len(taken[st]) < 12; {
			seat := fmt.Sprintf("%c%d", 'A'+rune(rng.IntN(reportRoomRows)), 1+rng.IntN(6))
			if taken[st][seat] {
				continue
			}
			taken[st][seat] = true
			typ := "INTEIRA"
			if meiaLeft[st] > 0 && rng.IntN(3) == 0 {
				typ, meiaLeft[st] = "MEIA_ESTUDANTE", meiaLeft[st]-1
			}
			seats = append(seats, seat, typ)
			n--
		}
		if len(seats) == 0 {
			continue
		}
		buyer := fmt.Sprintf("user-%03d", i)
		resp := call(t, e.hs, request{op: operations.CreateHold, claims: buyerClaims(buyer), body: holdBody(st, seats...)})
		h := decode[gen.Hold](t, resp, http.StatusCreated)
		var conc []string
		for _, j := range rng.Perm(len(lines))[:rng.IntN(3)] {
			conc = append(conc, fmt.Sprintf(lines[j], 1+rng.IntN(3)))
		}
		o := e.mustOrder(t, buyer, fmt.Sprintf("order-key-%04d", i), orderBody(h.ID, strings.Join(conc, ",")))
		p := decode[gen.Payment](t, e.pay(t, buyer, o.ID, fmt.Sprintf("pay-key-%04d", i), cardBody(psp.CardApproves)), http.StatusCreated)
		require.Equal(t, gen.PaymentStatusAPPROVED, p.Status)
		o = e.getOrder(t, buyer, o.ID)
		require.Equal(t, gen.OrderStatusPAID, o.Status)
		paid++
		cinema := strings.TrimSuffix(strings.TrimPrefix(st, "st-"), st[len(st)-3:])
		k := cinema + "/" + catalog.DateOf(o.Showtime.StartsAt).String()
		if byDay[k] == nil {
			byDay[k] = &expected{}
		}
		byDay[k].add(o, 1)
		total.add(o, 1)
		if rng.IntN(5) == 0 { // a fifth are cancelled: the report takes them back
			resp := call(t, e.hs, request{op: operations.CancelOrder, claims: buyerClaims(buyer), params: map[string]string{"orderId": o.ID}, body: `{"reason":"Imprevisto."}`})
			got := decode[gen.Order](t, resp, http.StatusOK)
			require.Contains(t, []gen.OrderStatus{gen.OrderStatusCANCELLED, gen.OrderStatusREFUNDED}, got.Status)
			byDay[k].add(o, -1)
			total.add(o, -1)
			cancelled++
		}
	}
	require.Greater(t, paid, 50)
	require.Greater(t, cancelled, 5)
	t.Logf("%d orders paid, %d of them cancelled, on %d cinema-days", paid, cancelled, len(byDay))

	report := func(q url.Values) gen.SalesReport {
		t.Helper()
		return decode[gen.SalesReport](t, call(t, e.hs, request{op: operations.GetSalesReport, claims: staff, query: q}), http.StatusOK)
	}
	all := report(url.Values{"from": {"2026-12-01"}, "to": {"2026-12-30"}})

	t.Run("every cinema-day equals the sum over its orders", func(t *testing.T) {
		require.Len(t, all.Days, 60, "two cinemas with one showtime on each of 30 days")
		for _, d := range all.Days {
			x := byDay[d.CinemaID+"/"+d.Date.String()]
			if x == nil {
				x = &expected{}
			}
			name := d.CinemaID + " " + d.Date.String()
			assert.Equal(t, 12, d.Capacity, name)
			assert.Equal(t, x.tickets, d.TicketsSold, name)
			assert.Equal(t, x.ticketRevenue, d.TicketRevenue.Amount, name)
			assert.Equal(t, x.orders, d.Orders, name)
			assert.Equal(t, x.withConcessions, d.OrdersWithConcessions, name)
			assert.Equal(t, x.items, d.ConcessionItems, name)
			assert.Equal(t, x.concessionsRevenue, d.ConcessionsRevenue.Amount, name)
			assert.Equal(t, x.meia, d.MeiaTickets, name)
			assert.InDelta(t, pct(x.tickets, 12), d.OccupancyPercent, 0.01, name)
			assert.InDelta(t, pct(x.withConcessions, x.orders), d.AttachRatePercent, 0.01, name)
			assert.InDelta(t, pct(x.meia, x.tickets), d.MeiaSharePercent, 0.01, name)
			assert.LessOrEqual(t, float32(d.MeiaTickets), all.MeiaCapPercent/100*float32(d.Capacity), "%s: the cap is on the seats", name)
		}
	})
	t.Run("the totals and the top products equal the sums over every order", func(t *testing.T) {
		tt := all.Totals
		assert.Equal(t, total.tickets, tt.TicketsSold)
		assert.Equal(t, 60*12, tt.Capacity)
		assert.Equal(t, total.orders, tt.Orders)
		assert.Equal(t, total.withConcessions, tt.OrdersWithConcessions)
		assert.Equal(t, total.items, tt.ConcessionItems)
		assert.Equal(t, total.meia, tt.MeiaTickets)
		assert.Equal(t, total.ticketRevenue, tt.TicketRevenue.Amount)
		assert.Equal(t, total.concessionsRevenue, tt.ConcessionsRevenue.Amount)
		assert.InDelta(t, float64(total.items)/float64(total.tickets), tt.ItemsPerTicket, 0.01)
		got := map[string][2]int64{}
		for _, p := range all.TopProducts {
			got[p.ProductID] = [2]int64{int64(p.Quantity), p.Revenue.Amount}
		}
		want := map[string][2]int64{}
		for id, p := range total.products {
			if p[0] > 0 {
				want[id] = p
			}
		}
		assert.Equal(t, want, got)
		for i := 1; i < len(all.TopProducts); i++ {
			assert.GreaterOrEqual(t, all.TopProducts[i-1].Revenue.Amount, all.TopProducts[i].Revenue.Amount, "by revenue")
		}
	})
	t.Run("one cinema's report is its part of the whole", func(t *testing.T) {
		one := report(url.Values{"cinemaId": {"cin-sul"}, "from": {"2026-12-01"}, "to": {"2026-12-30"}})
		require.Len(t, one.Days, 30)
		var sum int
		for _, d := range one.Days {
			assert.Equal(t, "cin-sul", d.CinemaID)
			sum += d.TicketsSold
		}
		assert.Equal(t, sum, one.Totals.TicketsSold)
		require.NotNil(t, one.CinemaID)
	})
	t.Run("the CSV has the JSON's lines and figures", func(t *testing.T) {
		resp := call(t, e.hs, request{op: operations.GetSalesReport, claims: staff,
			query: url.Values{"from": {"2026-12-01"}, "to": {"2026-12-30"}, "format": {"csv"}}})
		require.Equal(t, http.StatusOK, resp.StatusCode, resp.Body)
		assert.Equal(t, "text/csv; charset=utf-8", resp.Headers["Content-Type"])
		assert.Contains(t, resp.Headers["Content-Disposition"], "vendas-2026-12-01-a-2026-12-30.csv")
		rows, err := csv.NewReader(strings.NewReader(resp.Body)).ReadAll()
		require.NoError(t, err)
		require.Len(t, rows, 1+len(all.Days))
		assert.Equal(t, "cinema_id", rows[0][0])
		for i, d := range all.Days {
			r := rows[i+1]
			assert.Equal(t, d.CinemaID, r[0])
			assert.Equal(t, d.Date.String(), r[1])
			assert.Equal(t, strconv.Itoa(d.TicketsSold), r[2])
			assert.Equal(t, fmt.Sprintf("%d.%02d", d.TicketRevenue.Amount/100, d.TicketRevenue.Amount%100), r[5])
		}
	})
	t.Run("a cancelled showtime leaves the report: its refunded orders and its seats", func(t *testing.T) {
		var day gen.SalesReportDay
		for _, d := range all.Days {
			if d.Orders > 0 && d.CinemaID == "cin-norte" {
				day = d
				break
			}
		}
		require.NotZero(t, day.Orders)
		st := fmt.Sprintf("st-%s-%02d", day.CinemaID, day.Date.Day())
		resp := call(t, e.hs, request{op: operations.CancelShowtime, claims: staff, params: map[string]string{"showtimeId": st},
			body: `{"reason":"Falha no projetor da sala."}`})
		require.Equal(t, http.StatusOK, resp.StatusCode, resp.Body)
		after := report(url.Values{"from": {"2026-12-01"}, "to": {"2026-12-30"}})
		assert.Len(t, after.Days, 59, "the day has neither a sale nor a showtime any more")
		for _, d := range after.Days {
			assert.False(t, d.CinemaID == day.CinemaID && d.Date == day.Date, "%s %s is gone", d.CinemaID, d.Date)
		}
		assert.Equal(t, all.Totals.TicketsSold-day.TicketsSold, after.Totals.TicketsSold)
		assert.Equal(t, all.Totals.Orders-day.Orders, after.Totals.Orders)
		assert.Equal(t, all.Totals.TicketRevenue.Amount-day.TicketRevenue.Amount, after.Totals.TicketRevenue.Amount)
		assert.Equal(t, all.Totals.ConcessionsRevenue.Amount-day.ConcessionsRevenue.Amount, after.Totals.ConcessionsRevenue.Amount)
		assert.Equal(t, all.Totals.Capacity-12, after.Totals.Capacity)
	})
	t.Run("bad input is refused and writes nothing", func(t *testing.T) {
		before := e.items(t)
		for _, c := range []struct {
			q      url.Values
			status int
			code   string
		}{
			{url.Values{"from": {"2026-12-10"}, "to": {"2026-12-01"}}, http.StatusBadRequest, "validation_failed"},
			{url.Values{"from": {"2026-01-01"}, "to": {"2026-12-01"}}, http.StatusBadRequest, "validation_failed"},
			{url.Values{"from": {"2026-12-01"}}, http.StatusBadRequest, "validation_failed"},
			{url.Values{"from": {"01/12/2026"}, "to": {"2026-12-01"}}, http.StatusBadRequest, "validation_failed"},
			{url.Values{"from": {"2026-12-01"}, "to": {"2026-12-02"}, "format": {"xlsx"}}, http.StatusBadRequest, "validation_failed"},
			{url.Values{"cinemaId": {"cin-nenhum"}, "from": {"2026-12-01"}, "to": {"2026-12-02"}}, http.StatusNotFound, "not_found"},
		} {
			decodeProblem(t, call(t, e.hs, request{op: operations.GetSalesReport, claims: staff, query: c.q}), c.status, c.code)
		}
		assert.Equal(t, before, e.items(t))
	})
}

func pct(part, whole int) float32 {
	if whole == 0 {
		return 0
	}
	return float32(100 * float64(part) / float64(whole))
}
