package workflow_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"bilhetagem/internal/booking"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/dynamo/dynamotest"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/money"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/pricing"
	"bilhetagem/internal/programming"
	"bilhetagem/internal/psp"
	"bilhetagem/internal/stock"
	"bilhetagem/internal/tickets"
	"bilhetagem/internal/workflow"
)

// The randomized interleaving test of issue 15: a few buyers hold, order,
// pay and cancel on two small showtimes while the provider answers late,
// twice and out of order, the sweeper and the purchase workflow's steps
// run in between, staff cancel and reschedule showtimes, the provider
// refunds a paid order on its own or the card's issuer charges it back,
// the door checks tickets in, and the store and the provider fail at
// seeded calls (the orders, booking, door, sweeper and showtime-change
// calls, and the provider's charges and refunds). One goroutine picks every action from the seed and a fake
// clock moves by seeded amounts, so a failure replays from its seed:
//
//	go test ./internal/workflow -run TestInterleavings -seed=N
//
// After the run every fault stops, the clock passes every expiry, webhooks
// are delivered, the workflow's executions and the sweeper run until
// nothing is left to do, and the invariants are checked on the store.

var (
	seedFlag  = flag.Uint64("seed", 0, "TestInterleavings: replay this one seed")
	seedsFlag = flag.Int("seeds", 20, "TestInterleavings: how many seeds to run (from..from+seeds-1)")
	fromFlag  = flag.Int("from", 1, "TestInterleavings: the first seed of -seeds")
)

// explored counts the distinct schedules of a test binary's run.
var explored = struct {
	sync.Mutex
	schedules map[uint64]bool
	// ends counts how the runs' orders ended, to show what was reached.
	ends map[orders.Status]int
	// used counts the tickets checked in at the door; notices the
	// notices buyers were sent, by kind.
	used    int
	notices map[string]int
}{notices: map[string]int{}, schedules: map[uint64]bool{}, ends: map[orders.Status]int{}}

func TestInterleavings(t *testing.T) {
	t.Parallel()
	seeds := make([]uint64, 0, *seedsFlag)
	if *seedFlag != 0 {
		seeds = append(seeds, *seedFlag)
	} else {
		for s := *fromFlag; s < *fromFlag+*seedsFlag; s++ {
			seeds = append(seeds, uint64(s))
		}
	}
	started := time.Now() // measured and logged, never asserted
	t.Run("seeds", func(t *testing.T) {
		for _, seed := range seeds {
			t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
				t.Parallel()
				runInterleaving(t, seed)
			})
		}
	})
	explored.Lock()
	n := len(explored.schedules)
	var ends []string
	for _, st := range orders.Statuses {
		ends = append(ends, fmt.Sprintf("%s %d", st, explored.ends[st]))
	}
	used, notices := explored.used, fmt.Sprint(explored.notices)
	explored.Unlock()
	t.Logf("interleavings: %d seeds, %d distinct schedules, %s; orders ended %s; %d tickets used at the door; notices %s", len(seeds), n,
		time.Since(started).Round(time.Millisecond), strings.Join(ends, ", "), used, notices)
}

// The world of one seed.

const (
	holdTTL   = 10 * time.Minute // booking.DefaultPolicy
	seatCount = 5                // per showtime: a meia cap of 2
	stocked   = 3                // pipocas M on the cinema's shelf
	actions   = 80               // per run, before the quiescence
)

var (
	ilBuyers    = []string{"ana", "bruno", "carla", "davi"}
	ilShowtimes = []string{"st-a", "st-b"}
	popcorn     = stock.Key{ProductID: "pipoca", Size: "M"}
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type ilOrder struct {
	id, buyer, hold string
}

type ilPayment struct {
	id, order, buyer string
	method           psp.Method
	timesOut         bool
}

// execution is a purchase workflow execution of an order, run one task per
// action: next is the step its Route chose ("" while it waits for the
// payment), tries the failures of that step so far.
type execution struct {
	next  string
	tries int
}

type world struct {
	t     *testing.T
	ctx   context.Context
	seed  uint64
	rng   *rand.Rand
	clock *fakeClock
	began time.Time
	store *dynamo.Store
	fault *faults
	sim   *psp.Simulator

	booking *booking.Service
	orders  *orders.Service
	prog    *programming.Service
	door    *tickets.Service
	sweeper orders.Sweeper
	worker  workflow.Worker
	// deferred runs the completion as the Step Functions path does: a
	// payment answer or an event starts or wakes an execution, whose tasks
	// are the scheduler's actions; otherwise it runs in process.
	deferred   bool
	executions map[string]*execution

	buyers    map[string]*buyer
	ordersL   []ilOrder
	payments  []ilPayment
	nextID    int
	starts    map[string]time.Time // showtime -> start, as staff last set it
	cancelled map[string]bool      // staff decided to cancel it
	moves     map[string]move      // a reschedule that failed part way, to finish
	refundAll map[string]bool      // staff asked to move it with REFUND_ALL
	// recorded is what each showtime's cancellation recorded to refund.
	recorded map[string][]string
	// cancelledBy are the orders their buyer asked to cancel.
	cancelledBy map[string]bool

	inbox     []psp.Event // sent by the provider, not yet taken by the scheduler
	outbox    []psp.Event // to deliver (the provider retries until a 2xx)
	delivered []psp.Event // delivered once, may come again
	approved  map[string]money.BRL
	refunds   map[string]int
	// ownRefunds are the payments the provider gave back without the
	// chain asking (its support desk, or a chargeback); onItsOwn is set
	// while such an action runs.
	ownRefunds map[string]bool
	onItsOwn   bool
	mu         sync.Mutex

	schedule []string // the actions chosen: what a seed replays
	log      []string // the actions with what they answered
}

func runInterleaving(t *testing.T, seed uint64) {
	w := newWorld(t, seed)
	defer func() {
		if t.Failed() || *seedFlag != 0 { // a replay shows its schedule
			t.Logf("replay: go test ./internal/workflow -run 'TestInterleavings' -seed=%d\nschedule of seed %d (%d steps):\n  %s",
				seed, seed, len(w.log), strings.Join(w.log, "\n  "))
		}
	}()
	for range actions {
		w.step()
	}
	w.quiesce()
	w.check()
	h := fnv.New64a()
	for _, a := range w.schedule {
		h.Write([]byte(a))
		h.Write([]byte{0})
	}
	explored.Lock()
	explored.schedules[h.Sum64()] = true
	explored.Unlock()
}

func newWorld(t *testing.T, seed uint64) *world {
	t.Helper()
	ctx := context.Background()
	store := dynamotest.NewStore(t)
	start := time.Date(2026, 12, 4, 21, 0, 0, 0, catalog.Zone).UTC()
	layout, err := catalog.ParseLayout(1, []string{strings.Repeat("S", seatCount)})
	if err != nil {
		t.Fatal(err)
	}
	data := dynamo.CatalogData{
		Cinemas: []catalog.Cinema{{ID: "cin-il", Name: "Cinema", GapPolicy: catalog.GapWarn}},
		Movies: []catalog.Movie{{ID: "mov-il", Title: "Filme", AgeRating: catalog.Rating12, RuntimeMinutes: 120,
			ReleaseDate: catalog.Date{Year: 2026, Month: time.November, Day: 26}}},
		Prices: []catalog.PriceTable{{CinemaID: "cin-il",
			Rules: []catalog.PriceRule{{Format: catalog.Format2D, Inteira: 3600,
				Weekdays: []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}}},
			SeatSurcharges: map[catalog.SeatType]money.BRL{}}},
		Products: []catalog.Product{{ID: popcorn.ProductID, Name: "Pipoca", Category: catalog.CategoryPopcorn, Active: true,
			Sizes: []catalog.Size{{Code: popcorn.Size, Label: "Média", Price: 2200, Cost: 600}}}},
	}
	starts := map[string]time.Time{}
	for i, id := range ilShowtimes {
		room := fmt.Sprintf("room-%d", i+1)
		data.Rooms = append(data.Rooms, catalog.Room{CinemaID: "cin-il", ID: room, Name: "Sala", Formats: []catalog.Format{catalog.Format2D}, Layout: layout})
		data.Showtimes = append(data.Showtimes, catalog.ShowtimeListing{
			Showtime: catalog.Showtime{ID: id, MovieID: "mov-il", CinemaID: "cin-il", RoomID: room, StartsAt: start,
				Format: catalog.Format2D, Language: catalog.Dubbed, LayoutVersion: 1,
				BusyUntil: programming.BusyUntil(start, 2*time.Hour, programming.DefaultCleaning)},
			EndsAt: start.Add(2 * time.Hour), MovieTitle: "Filme", CinemaName: "Cinema", RoomName: "Sala",
		})
		starts[id] = start
	}
	if _, err := store.PutCatalog(ctx, data); err != nil {
		t.Fatal(err)
	}
	if err := store.AdjustStock(ctx, "cin-il", []stock.Adjustment{{Key: popcorn, Delta: stocked}}, "estoque inicial", start.Add(-48*time.Hour)); err != nil {
		t.Fatal(err)
	}

	rng := rand.New(rand.NewPCG(seed, 0x15))
	w := &world{t: t, ctx: ctx, seed: seed, rng: rng, clock: &fakeClock{t: start.Add(-24 * time.Hour)},
		began: start.Add(-24 * time.Hour), store: store,
		executions: map[string]*execution{}, buyers: map[string]*buyer{}, starts: starts,
		cancelled: map[string]bool{}, moves: map[string]move{}, refundAll: map[string]bool{}, recorded: map[string][]string{},
		cancelledBy: map[string]bool{}, approved: map[string]money.BRL{}, refunds: map[string]int{}, ownRefunds: map[string]bool{}}
	for _, b := range ilBuyers {
		w.buyers[b] = &buyer{}
	}
	w.fault = &faults{rng: rand.New(rand.NewPCG(seed, 0xfa)), rate: []float64{0, 0.04, 0.12}[rng.IntN(3)],
		note: func(s string) { w.log = append(w.log, "    "+s) }}
	w.deferred = rng.IntN(2) == 0
	// The door opens before the run starts, or a little after it, in which
	// case a showtime moved a day later never opens during the run.
	opensBefore := []time.Duration{48 * time.Hour, 24*time.Hour - 5*time.Minute}[rng.IntN(2)]
	w.schedule = append(w.schedule, fmt.Sprintf("faults=%v deferred=%v door-opens-before=%v", w.fault.rate, w.deferred, opensBefore))
	w.log = append(w.log, w.schedule[0])

	discard := slog.New(slog.NewTextHandler(io.Discard, nil))
	faulty := faultyStore{Store: store, f: w.fault}
	w.sim = psp.NewSimulator(psp.SimConfig{Secret: []byte("segredo"), Now: w.clock.Now, Log: discard, Ledger: store.SimulatorLedger(),
		Notifier: psp.NotifierFunc(func(_ context.Context, body []byte, _ string) error {
			ev := decodeEvent(t, body)
			w.mu.Lock()
			w.inbox = append(w.inbox, ev)
			w.mu.Unlock()
			return nil
		})})
	holdSeq := 0
	w.booking = &booking.Service{Store: faulty, Policy: booking.DefaultPolicy, NewID: func() string {
		holdSeq++
		return fmt.Sprintf("h-%d", holdSeq)
	}}
	signer := tickets.NewEphemeralSigner()
	w.orders = &orders.Service{Store: faulty, Booking: w.booking, PSP: faultyPSP{sim: w.sim, f: w.fault},
		Signer: signer, Log: discard, Clock: w.clock.Now, Pending: faulty, Notices: faulty}
	if w.deferred {
		w.orders.Completer = starter{w}
	}
	w.door = &tickets.Service{Store: faulty, PublicKey: signer.PublicKey(), OpensBefore: opensBefore}
	w.prog = &programming.Service{Store: faultyProgramming{Store: store, f: w.fault, recorded: func(st string, ids []string) {
		w.recorded[st] = ids
	}}, Refunds: w.orders, Log: discard}
	w.sweeper = orders.Sweeper{Orders: w.orders, Pending: faulty, Page: 3, Log: discard}
	w.worker = workflow.Worker{Orders: w.orders, Now: w.clock.Now}
	return w
}

// starter is the Step Functions path as the scheduler runs it: starting or
// waking an order's completion starts an execution if none runs, whose
// tasks are later actions; it answers the order as it stands.
type starter struct{ w *world }

func (s starter) Start(_ context.Context, o orders.Order, _ time.Time) error {
	if s.w.executions[o.ID] == nil {
		s.w.executions[o.ID] = &execution{}
	}
	return nil
}

func (s starter) Complete(ctx context.Context, orderID string, now time.Time) (orders.Order, error) {
	if s.w.executions[orderID] == nil {
		s.w.executions[orderID] = &execution{}
	}
	return s.w.store.GetOrder(ctx, orderID)
}

// now is the time an action works with: the clock, or a little before it
// for a request that started earlier and was slow.
func (w *world) now() time.Time {
	lag := []time.Duration{0, 0, 0, 0, 0, 2 * time.Second, 20 * time.Second, 50 * time.Second}[w.rng.IntN(8)]
	return w.clock.Now().Add(-lag)
}

func (w *world) pick(n int) int { return w.rng.IntN(n) }

func (w *world) newID(prefix string) string {
	w.nextID++
	return fmt.Sprintf("%s-%d", prefix, w.nextID)
}

// do records an action and what it answered.
func (w *world) do(action string, run func() (string, error)) {
	w.schedule = append(w.schedule, action)
	at := w.clock.Now().Sub(w.began).Round(time.Second)
	i := len(w.log)
	w.log = append(w.log, "")
	out, err := run()
	switch {
	case err != nil:
		out = "error: " + err.Error()
	case out == "":
		out = "ok"
	}
	w.log[i] = fmt.Sprintf("%4d +%-8s %s -> %s", len(w.schedule)-1, at, action, out)
	w.collect()
}

// collect takes the webhooks the provider sent during an action, in an
// order that does not depend on goroutines.
func (w *world) collect() {
	w.sim.Flush()
	w.mu.Lock()
	in := w.inbox
	w.inbox = nil
	w.mu.Unlock()
	sort.Slice(in, func(i, j int) bool {
		if in[i].PaymentID != in[j].PaymentID {
			return in[i].PaymentID < in[j].PaymentID
		}
		return in[i].Type < in[j].Type
	})
	for _, ev := range in {
		switch ev.Type {
		case psp.EventApproved:
			w.approved[ev.PaymentID] = ev.Amount
		case psp.EventRefunded, psp.EventChargedBack: // the money went back either way
			w.refunds[ev.PaymentID]++
			if w.onItsOwn {
				w.ownRefunds[ev.PaymentID] = true
			}
		}
		w.outbox = append(w.outbox, ev)
	}
}

// step runs one action chosen from the seed: mostly a buyer's next move,
// and between them what runs on its own (webhooks, the provider, the
// workflow's tasks, the sweeper, staff, time passing).
func (w *world) step() {
	type choice struct {
		weight int
		run    func()
	}
	choices := []choice{
		{40, w.buyerStep},
		{3, w.settleCard}, {3, w.payPix}, {1, w.expirePix},
		{14, w.deliver}, {3, w.redeliver},
		{4, w.complete}, {5, w.sweep},
		{2, w.providerRefund},
		{1, w.cancelShowtime}, {1, w.reschedule},
		{6, w.checkIn},
		{10, w.tick},
	}
	if w.deferred {
		choices = append(choices, choice{14, w.task})
	}
	total := 0
	for _, c := range choices {
		total += c.weight
	}
	n := w.rng.IntN(total)
	for _, c := range choices {
		if n < c.weight {
			c.run()
			return
		}
		n -= c.weight
	}
}

func (w *world) tick() {
	d := []time.Duration{5 * time.Second, 20 * time.Second, 40 * time.Second, time.Minute, time.Minute, 2 * time.Minute, 2 * time.Minute,
		4 * time.Minute, 11 * time.Minute}[w.pick(9)]
	w.do("tick "+d.String(), func() (string, error) {
		w.clock.advance(d)
		return "", nil
	})
}

// buyer is what a buyer is working on, as the SPA keeps it: the hold, the
// order of that hold and the last payment request.
type buyer struct {
	hold, order, payment string
	lines                []orders.LineRequest
	pay                  orders.PayRequest
	kind                 string
	// lostHold: a hold request failed, and may have made a hold whose
	// answer was lost; the buyer lists its holds to find it.
	lostHold bool
}

// buyerStep is one buyer's next move: hold, order, pay, then retry a
// request whose answer was lost, pay again, cancel, or start over.
func (w *world) buyerStep() {
	name := ilBuyers[w.pick(len(ilBuyers))]
	b := w.buyers[name]
	switch {
	case b.hold == "" && b.lostHold && w.pick(2) == 0:
		w.findHold(name, b)
	case b.hold == "":
		w.hold(name, b)
	case b.order == "":
		if w.pick(8) == 0 {
			w.release(name, b)
			return
		}
		b.order = w.newID("o")
		b.lines = nil
		if w.pick(3) == 0 {
			b.lines = []orders.LineRequest{{ProductID: popcorn.ProductID, Size: popcorn.Size, Quantity: 1 + w.pick(2)}}
		}
		w.order(name, b)
	case b.payment == "":
		w.pay(name, b, true)
	default:
		switch r := w.pick(12); {
		case r < 2:
			w.pay(name, b, false) // the same request again: its answer was lost
		case r < 3:
			w.order(name, b) // the same Idempotency-Key again
		case r < 5:
			w.pay(name, b, true) // another payment, another method
		case r < 7:
			w.cancelOrder(name, b)
		default:
			*b = buyer{} // start over
			w.hold(name, b)
		}
	}
}

func (w *world) hold(name string, b *buyer) {
	st := ilShowtimes[w.pick(len(ilShowtimes))]
	n := 1 + w.pick(2)
	var seats []booking.SeatRequest
	var desc []string
	for _, i := range w.rng.Perm(seatCount)[:n] {
		tt := pricing.Inteira
		if w.pick(3) == 0 {
			tt = pricing.MeiaEstudante
		}
		seat := fmt.Sprintf("A%d", i+1)
		seats = append(seats, booking.SeatRequest{SeatID: seat, TicketType: tt})
		desc = append(desc, seat+":"+string(tt))
	}
	now := w.now()
	w.do(fmt.Sprintf("hold %s %s %s", name, st, strings.Join(desc, ",")), func() (string, error) {
		h, err := w.booking.Hold(w.ctx, name, booking.Request{ShowtimeID: st, Seats: seats}, now)
		if err != nil {
			b.lostHold = b.lostHold || errors.Is(err, errInjected)
			return "", err
		}
		*b = buyer{hold: h.ID}
		return h.ID, nil
	})
}

// findHold is the SPA listing the buyer's holds (GET /api/me/holds) after a
// hold request whose answer was lost, and taking up an active one.
func (w *world) findHold(name string, b *buyer) {
	now := w.now()
	w.do("buyer lists holds "+name, func() (string, error) {
		hs, err := w.booking.Mine(w.ctx, name, now)
		if err != nil {
			return "", err
		}
		*b = buyer{}
		for _, h := range hs {
			if h.Status == booking.Active {
				b.hold = h.ID
				return "found " + h.ID, nil
			}
		}
		return "none", nil
	})
}

func (w *world) release(name string, b *buyer) {
	now := w.now()
	w.do(fmt.Sprintf("release %s %s", name, b.hold), func() (string, error) {
		err := w.booking.Release(w.ctx, name, b.hold, now)
		if err == nil {
			*b = buyer{}
		}
		return "", err
	})
}

func (w *world) order(name string, b *buyer) {
	id, req := b.order, orders.Request{HoldID: b.hold, Lines: b.lines}
	now := w.now()
	w.do(fmt.Sprintf("order %s %s %s lines=%v", name, b.hold, id, req.Lines), func() (string, error) {
		o, err := w.orders.Create(w.ctx, name, id, req, now)
		if !slices.ContainsFunc(w.ordersL, func(o ilOrder) bool { return o.id == id }) && (err == nil || errors.Is(err, errInjected)) {
			w.ordersL = append(w.ordersL, ilOrder{id: id, buyer: name, hold: b.hold}) // it may exist
		}
		return string(o.Status), err
	})
}

func (w *world) anyOrder() (ilOrder, bool) {
	n := len(w.ordersL)
	if n == 0 {
		return ilOrder{}, false
	}
	if w.pick(3) != 0 { // mostly one of the newest, still alive
		return w.ordersL[n-1-w.pick(min(n, 2))], true
	}
	return w.ordersL[w.pick(n)], true
}

// pay sends the buyer's payment request: a new one (another payment id and
// method) or the last one again.
func (w *world) pay(name string, b *buyer, fresh bool) {
	if fresh {
		b.payment = w.newID("p")
		b.pay = orders.PayRequest{Method: psp.Card, Installments: 1}
		switch r := w.pick(20); {
		case r < 8:
			b.kind, b.pay.CardToken = "card-approves", psp.TokenPrefix+psp.CardApproves
		case r < 10:
			b.kind, b.pay.CardToken = "card-declines", psp.TokenPrefix+psp.CardDeclines
		case r < 13:
			b.kind, b.pay.CardToken = "card-times-out", psp.TokenPrefix+psp.CardTimesOut
		case r < 19:
			b.kind, b.pay.Method, b.pay.Installments = "pix", psp.Pix, 0
		default:
			b.kind, b.pay.CardToken = "card-unknown", psp.TokenPrefix+"4000000000009999"
		}
		w.payments = append(w.payments, ilPayment{id: b.payment, order: b.order, buyer: name, method: b.pay.Method,
			timesOut: b.kind == "card-times-out"})
	}
	id, order, req := b.payment, b.order, b.pay
	now := w.now()
	w.do(fmt.Sprintf("pay %s %s %s", order, id, b.kind), func() (string, error) {
		p, err := w.orders.Pay(w.ctx, name, order, id, req, now)
		return string(p.Status), err
	})
}

func (w *world) paymentWhere(ok func(ilPayment) bool) (ilPayment, bool) {
	var in []ilPayment
	for _, p := range w.payments {
		if ok(p) {
			in = append(in, p)
		}
	}
	if len(in) == 0 {
		return ilPayment{}, false
	}
	return in[w.pick(len(in))], true
}

func (w *world) settleCard() {
	p, ok := w.paymentWhere(func(p ilPayment) bool { return p.timesOut })
	if !ok {
		return
	}
	approve := w.pick(4) != 0
	w.do(fmt.Sprintf("psp settles %s approve=%v", p.id, approve), func() (string, error) {
		return "", w.sim.Settle(p.id, approve)
	})
}

func (w *world) payPix() {
	p, ok := w.paymentWhere(func(p ilPayment) bool { return p.method == psp.Pix })
	if !ok {
		return
	}
	w.do("buyer pays pix "+p.id, func() (string, error) { return "", w.sim.PayPix(p.id) })
}

func (w *world) expirePix() {
	w.do("psp expires due pix", func() (string, error) { return fmt.Sprint(w.sim.ExpireDue(), " expired"), nil })
}

func (w *world) deliverEvent(ev psp.Event, now time.Time) (string, error) {
	res, err := w.orders.HandleEvent(w.ctx, ev, now)
	return string(res), err
}

// deliver sends one webhook, any of those waiting: out of order. One that
// is answered with an error stays to be sent again; one answered 2xx may
// still come again (at least once).
func (w *world) deliver() {
	if len(w.outbox) == 0 {
		return
	}
	i := w.pick(len(w.outbox))
	ev := w.outbox[i]
	now := w.now()
	w.do(fmt.Sprintf("webhook %s %s", ev.Type, ev.PaymentID), func() (string, error) {
		out, err := w.deliverEvent(ev, now)
		if err == nil {
			w.outbox = slices.Delete(w.outbox, i, i+1)
			w.delivered = append(w.delivered, ev)
		}
		return out, err
	})
}

func (w *world) redeliver() {
	if len(w.delivered) == 0 {
		return
	}
	ev := w.delivered[w.pick(len(w.delivered))]
	now := w.now()
	w.do(fmt.Sprintf("webhook again %s %s", ev.Type, ev.PaymentID), func() (string, error) { return w.deliverEvent(ev, now) })
}

func (w *world) complete() {
	o, ok := w.anyOrder()
	if !ok {
		return
	}
	now := w.now()
	w.do("complete "+o.id, func() (string, error) {
		got, err := w.orders.Complete(w.ctx, o.id, now)
		return string(got.Status), err
	})
}

func (w *world) sweep() {
	now := w.now()
	w.do("sweep", func() (string, error) {
		s, err := w.sweeper.Sweep(w.ctx, now)
		return fmt.Sprintf("%+v", s), err
	})
}

// task runs the next task of one execution of the purchase workflow: its
// decision, or the step its Route chose. A step that fails four times goes
// to the catch path (Compensate), and the execution ends.
func (w *world) task() {
	var ids []string
	for id := range w.executions {
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return
	}
	slices.Sort(ids)
	id := ids[w.pick(len(ids))]
	w.runTask(id)
}

func (w *world) runTask(id string) {
	ex := w.executions[id]
	step := ex.next
	if step == "" {
		step = workflow.StepDecide
	}
	w.do(fmt.Sprintf("task %s %s", id, step), func() (string, error) {
		res, err := w.worker.Handle(w.ctx, workflow.StepRequest{Step: step, OrderID: id})
		if err != nil {
			ex.tries++
			if step == workflow.StepCompensate {
				delete(w.executions, id) // Purchase.CompensationFailed: the sweeper's
			} else if ex.tries >= 4 {
				ex.next, ex.tries = workflow.StepCompensate, 0
			}
			return "", err
		}
		ex.tries = 0
		switch res.Next {
		case string(orders.StepDone):
			delete(w.executions, id)
		case string(orders.StepWait):
			ex.next = ""
		default:
			ex.next = res.Next
		}
		if step == workflow.StepCompensate {
			delete(w.executions, id)
		}
		return res.Next, nil
	})
}

func (w *world) cancelOrder(name string, b *buyer) {
	id := b.order
	now := w.now()
	w.do("buyer cancels "+id, func() (string, error) {
		w.cancelledBy[id] = true
		got, err := w.orders.Cancel(w.ctx, name, id, now)
		return string(got.Status), err
	})
}

// providerRefund is the provider refunding a captured payment on its own
// (its support desk), or the card's issuer charging it back after a
// dispute: either arrives as a webhook.
func (w *world) providerRefund() {
	var ids []string
	for id := range w.approved {
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return
	}
	slices.Sort(ids)
	id := ids[w.pick(len(ids))]
	w.onItsOwn = true
	defer func() { w.onItsOwn = false }()
	if w.pick(2) == 0 {
		w.do("card issuer charges back "+id, func() (string, error) { return "", w.sim.Chargeback(id) })
		return
	}
	w.do("psp refunds on its own "+id, func() (string, error) {
		return "", w.sim.Refund(w.ctx, psp.RefundRequest{PaymentID: id, Amount: w.approved[id]})
	})
}

func (w *world) cancelShowtime() {
	st := ilShowtimes[w.pick(len(ilShowtimes))]
	now := w.now()
	w.do("staff cancel "+st, func() (string, error) {
		w.cancelled[st] = true
		r, err := w.prog.CancelShowtime(w.ctx, st, "projetor quebrado", now)
		return fmt.Sprintf("affected=%d refunded=%d", r.OrdersAffected, r.OrdersRefunded), err
	})
}

// move is a reschedule staff will call again: the start and plan they asked for.
type move struct {
	to   time.Time
	plan programming.TicketPlan
}

func (w *world) reschedule() {
	st := ilShowtimes[w.pick(len(ilShowtimes))]
	plan := []programming.TicketPlan{programming.KeepAndNotify, programming.RefundAll}[w.pick(2)]
	to := w.starts[st].Add(24 * time.Hour)
	now := w.now()
	w.do(fmt.Sprintf("staff reschedule %s %s", st, plan), func() (string, error) {
		if plan == programming.RefundAll {
			w.refundAll[st] = true
		}
		r, err := w.prog.RescheduleShowtime(w.ctx, st, to, plan, "mudança de grade", now)
		if err == nil {
			w.starts[st] = to
			delete(w.moves, st)
		} else if errs.KindOf(err) != errs.Conflict && errs.KindOf(err) != errs.Unprocessable {
			w.moves[st] = move{to: to, plan: plan} // interrupted: staff call again, with the same plan
		}
		return fmt.Sprintf("affected=%d refunded=%d", r.OrdersAffected, r.OrdersRefunded), err
	})
}

// checkIn is a buyer showing one of their tickets at a door: mostly the
// door of the ticket's showtime, sometimes the room next door. Outside the
// door's window, at the wrong door or for a ticket no longer valid, the
// refusal is a normal answer.
func (w *world) checkIn() {
	var ts, valid []tickets.Ticket
	for _, name := range ilBuyers {
		mine, _, err := w.store.TicketsByBuyer(w.ctx, name, "", 100, "")
		if err != nil {
			w.t.Fatalf("seed %d: tickets of %s: %v", w.seed, name, err)
		}
		ts = append(ts, mine...)
	}
	for _, tk := range ts {
		if tk.Status == tickets.Valid {
			valid = append(valid, tk)
		}
	}
	if len(valid) > 0 && w.pick(4) != 0 {
		ts = valid // mostly a ticket not yet used
	}
	if len(ts) == 0 {
		return
	}
	tk := ts[w.pick(len(ts))]
	door := tk.ShowtimeID
	if w.pick(8) == 0 {
		door = ilShowtimes[w.pick(len(ilShowtimes))]
	}
	now := w.now()
	w.do(fmt.Sprintf("door %s checks in %s (%s)", door, tk.ID, tk.Status), func() (string, error) {
		got, err := w.door.CheckIn(w.ctx, tk.QR, door, now)
		return string(got.Status), err
	})
}

// quiesce stops the faults, passes every expiry and runs what would run by
// itself (webhook retries, workflow executions, the sweeper, staff calling
// an interrupted change again) until nothing is left.
func (w *world) quiesce() {
	w.fault.rate = 0
	// Past every expiry, and past the backoff of any order whose sweeps
	// failed while faults were on.
	w.do("quiesce: faults off, clock +90m", func() (string, error) {
		w.clock.advance(30*time.Minute + orders.MaxSweepBackoff)
		return "", nil
	})
	// A card that timed out is settled by the issuer at last.
	for _, p := range w.payments {
		if p.timesOut {
			approve := w.pick(2) == 0
			w.do(fmt.Sprintf("psp settles %s approve=%v", p.id, approve), func() (string, error) {
				if err := w.sim.Settle(p.id, approve); err != nil {
					return "already settled", nil
				}
				return "", nil
			})
		}
	}
	w.expirePix()
	for round := 0; ; round++ {
		if round == 12 {
			w.t.Errorf("seed %d: no quiescence after %d rounds: %d webhooks, %d executions left", w.seed, round, len(w.outbox), len(w.executions))
			return
		}
		for st := range w.cancelled {
			w.do("staff cancel again "+st, func() (string, error) {
				_, err := w.prog.CancelShowtime(w.ctx, st, "projetor quebrado", w.clock.Now())
				return "", err
			})
		}
		for _, st := range ilShowtimes {
			m, ok := w.moves[st]
			if !ok {
				continue
			}
			w.do(fmt.Sprintf("staff reschedule again %s %s", st, m.plan), func() (string, error) {
				_, err := w.prog.RescheduleShowtime(w.ctx, st, m.to, m.plan, "mudança de grade", w.clock.Now())
				switch k := errs.KindOf(err); {
				case err == nil:
					w.starts[st] = m.to
					delete(w.moves, st)
				case k == errs.Conflict || k == errs.Unprocessable:
					delete(w.moves, st) // refused (cancelled since, say): staff give up
				}
				return "", err
			})
		}
		for len(w.outbox) > 0 {
			left := len(w.outbox)
			for range left {
				w.deliver()
			}
			if len(w.outbox) == left {
				break // each failed: the next round tries again
			}
		}
		ids := make([]string, 0, len(w.executions))
		for id := range w.executions {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			for i := 0; i < 12 && w.executions[id] != nil; i++ {
				w.runTask(id)
			}
		}
		var swept orders.Swept
		w.do("sweep", func() (string, error) {
			var err error
			swept, err = w.sweeper.Sweep(w.ctx, w.clock.Now())
			return fmt.Sprintf("%+v", swept), err
		})
		// Past any backoff of an order whose sweeps failed while faults
		// were on.
		w.clock.advance(orders.MaxSweepBackoff + time.Minute)
		if swept.Found == 0 && len(w.outbox) == 0 && len(w.executions) == 0 && len(w.moves) == 0 {
			return
		}
	}
}
