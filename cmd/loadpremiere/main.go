// Command loadpremiere is the premiere load test (issue 9, item 4): thousands
// of virtual buyers arrive within a few seconds at one premiere showtime of
// the seed and try to hold 1–4 seats, order them and pay by card, through
// the real local server (every handler behind the API Gateway adapter, the
// bearer-token verifier, DynamoDB Local) on a loopback port. Each buyer
// signs in at the development issuer by a username of its own (vb-a-00000,
// ...), as a tester would, before its run starts.
//
// It runs twice on one in-process stack: (a) with the waiting room off and
// (b) with premiere mode on for a second showtime of the same room, buyers
// queueing, polling their entry and holding only once admitted, at an
// admission rate taken from what run (a) sustained. It reports holds/s,
// purchases/s, p50/p99 latencies, outcomes by status and code, and checks
// from the seat map and the buyers' tickets that no seat was sold twice.
//
// Everything stays on 127.0.0.1, every run is bounded by -max, and the
// process stops by itself. It is a measurement, not a test: it exits non-zero
// only when a seat is oversold or the stack cannot start.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/app"
	"bilhetagem/internal/auth"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/devoidc"
	"bilhetagem/internal/dynamo/dynamolocal"
	"bilhetagem/internal/localserver"
	"bilhetagem/openapi"
	"bilhetagem/seed"
)

const (
	audience  = "bilhetagem-local"
	titas     = "mov-titas-de-aco-o-despertar" // the seed's franchise premiere
	cardToken = "sim_4111111111111111"         // the simulated PSP approves it
)

type options struct {
	buyers      int
	arrival     time.Duration
	max         time.Duration
	attempts    int
	admitPerMin int
	retries     int
	runs        string
}

func main() {
	var o options
	flag.IntVar(&o.buyers, "buyers", 2000, "virtual buyers per run")
	flag.DurationVar(&o.arrival, "arrival", 3*time.Second, "all buyers arrive within this window")
	flag.DurationVar(&o.max, "max", 60*time.Second, "hard limit of each run; buyers still busy then are counted as cut off")
	flag.IntVar(&o.attempts, "attempts", 3, "createHold attempts per buyer (a 409 seat_taken sends the buyer back to the seat map)")
	flag.IntVar(&o.admitPerMin, "admit-per-min", 0, "waiting-room admission rate of run (b); 0 takes it from run (a)'s successful holds per second (60/min when run (a) is skipped)")
	flag.IntVar(&o.retries, "retries", 3, "times a buyer tries a step again after a 5xx or no answer, 1–3 s later (the SPA's \"tentar novamente\")")
	flag.StringVar(&o.runs, "runs", "ab", "which runs: a (no waiting room), b (premiere mode) or ab")
	flag.Parse()
	if o.buyers < 1 || o.buyers > 20000 || o.max <= 0 || o.max > 5*time.Minute || o.attempts < 1 {
		fmt.Fprintln(os.Stderr, "loadpremiere: -buyers must be 1..20000, -max 1s..5m, -attempts ≥ 1")
		os.Exit(2)
	}
	ok, err := run(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadpremiere:", err)
		os.Exit(1)
	}
	if !ok {
		fmt.Fprintln(os.Stderr, "loadpremiere: OVERSOLD — see above")
		os.Exit(1)
	}
}

// stack is the local server assembled in-process, as cmd/local assembles it;
// buyers and staff sign in at its development issuer as a tester does.
type stack struct {
	base   string
	client *http.Client
	stop   func()
}

func start(ctx context.Context) (*stack, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	base := "http://" + ln.Addr().String()
	db, err := dynamolocal.Start(ctx, dynamolocal.Options{})
	if err != nil {
		_ = ln.Close()
		return nil, err
	}
	fail := func(err error) (*stack, error) { db.Stop(); _ = ln.Close(); return nil, err }
	cfg, err := app.ConfigFrom(func(k string) string {
		switch k {
		case "TABLE_NAME":
			return "loadpremiere"
		case "DYNAMODB_ENDPOINT":
			return db.Endpoint
		}
		return os.Getenv(k)
	})
	if err != nil {
		return fail(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil)) // failures are counted from the answers
	a, err := app.New(ctx, cfg, log, time.Now)
	if err != nil {
		return fail(err)
	}
	if err := a.Store.CreateTable(ctx); err != nil {
		return fail(err)
	}
	if _, err := seed.Apply(ctx, a.Store, catalog.DateOf(time.Now())); err != nil {
		return fail(err)
	}
	issuer, err := devoidc.New(devoidc.Config{Issuer: base + "/auth", Audience: audience, TokenTTL: 2 * time.Hour})
	if err != nil {
		return fail(err)
	}
	// The verifier fetches the JWKS through the listener, so serve first.
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second}
	var handler atomic.Pointer[http.Handler]
	srv.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h := handler.Load(); h != nil {
			(*h).ServeHTTP(w, r)
			return
		}
		issuer.Handler().ServeHTTP(w, r) // only /auth is needed before the server is up
	})
	go func() { _ = srv.Serve(ln) }()
	verifier, err := auth.NewVerifier(ctx, auth.Config{Issuer: base + "/auth", Audience: audience, JWKSURL: base + "/auth/jwks.json"})
	if err != nil {
		_ = srv.Close()
		db.Stop()
		return nil, err
	}
	var h http.Handler = localserver.New(localserver.Config{Handlers: a.Handlers, Verifier: verifier, Issuer: issuer.Handler(), Spec: openapi.YAML, Log: log})
	handler.Store(&h)
	tr := &http.Transport{MaxIdleConns: 1024, MaxIdleConnsPerHost: 1024, IdleConnTimeout: 30 * time.Second}
	return &stack{base: base, client: &http.Client{Transport: tr, Timeout: 15 * time.Second},
		stop: func() {
			tr.CloseIdleConnections()
			shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = srv.Shutdown(shutdown)
			db.Stop()
		}}, nil
}

// reply is one API answer: its status, problem code and body.
type reply struct {
	status int
	code   string
	body   []byte
	took   time.Duration
}

func (r reply) outcome() string {
	if r.status == 0 {
		return "transport_error"
	}
	if r.code != "" {
		return fmt.Sprintf("%d %s", r.status, r.code)
	}
	return fmt.Sprint(r.status)
}

func (s *stack) call(ctx context.Context, method, path, token string, body any, headers map[string]string) reply {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.base+"/api"+path, rd)
	if err != nil {
		return reply{}
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	t0 := time.Now()
	resp, err := s.client.Do(req)
	if err != nil {
		return reply{took: time.Since(t0)}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	r := reply{status: resp.StatusCode, body: b, took: time.Since(t0)}
	if resp.StatusCode >= 400 {
		var p struct {
			Code string `json:"code"`
		}
		_ = json.Unmarshal(b, &p)
		r.code = p.Code
	}
	return r
}

// step is call with the buyer's patience: after a 5xx or no answer the buyer
// tries again 1–3 s later, o.retries times at most; every answer is counted.
// Order and payment keep their Idempotency-Key, so a retry charges once.
func (s *stack) step(ctx context.Context, o options, st *stats, name, method, path, token string, body any, headers map[string]string) reply {
	for try := 0; ; try++ {
		r := s.call(ctx, method, path, token, body, headers)
		st.count(name, r)
		if (r.status != 0 && r.status < 500) || try >= o.retries || ctx.Err() != nil {
			return r
		}
		select {
		case <-ctx.Done():
			return r
		case <-time.After(time.Second + rand.N(2*time.Second)):
		}
	}
}

// signIn gets an ID token for username from the development issuer's token
// endpoint (POST /auth/token username=...), which signs in any valid name.
func (s *stack) signIn(ctx context.Context, username string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.base+"/auth/token",
		strings.NewReader(url.Values{"username": {username}}.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.client.Do(req)
	if err != nil {
		return "", fmt.Errorf("sign in %s: %w", username, err)
	}
	defer resp.Body.Close()
	var tr struct {
		IDToken     string `json:"id_token"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tr); err != nil || resp.StatusCode != http.StatusOK || tr.IDToken == "" {
		return "", fmt.Errorf("sign in %s: %d %s %s", username, resp.StatusCode, tr.Error, tr.Description)
	}
	return tr.IDToken, nil
}

// signInAll signs every name in, 16 at a time, before a run starts; its
// tokens are in the order of names.
func (s *stack) signInAll(ctx context.Context, names []string) ([]string, error) {
	tokens := make([]string, len(names))
	errs := make([]error, len(names))
	next := atomic.Int64{}
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(names); i = int(next.Add(1) - 1) {
				tokens[i], errs[i] = s.signIn(ctx, names[i])
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err // the first is enough: the rest fail alike
		}
	}
	return tokens, nil
}

// stats gathers one run's figures; every method is safe for many buyers.
type stats struct {
	mu        sync.Mutex
	outcomes  map[string]map[string]int // step -> "status code" -> count
	holdLat   []time.Duration           // every createHold call
	buyLat    []time.Duration           // arrival -> payment approved
	buyLatAdm []time.Duration           // admission -> payment approved (run b)
	waitLat   []time.Duration           // arrival -> admission (run b)
	holdsOK   []time.Time
	paidAt    []time.Time
	sold      map[string][]string // seat -> buyers whose approved order holds it
	paidBy    map[string]string   // buyer -> order
	ordered   map[string]bool     // buyers who sent createOrder, answered or not
	ends      map[string]int      // how each buyer's visit ended
}

func newStats() *stats {
	return &stats{outcomes: map[string]map[string]int{}, sold: map[string][]string{}, paidBy: map[string]string{}, ordered: map[string]bool{}, ends: map[string]int{}}
}

func (s *stats) count(step string, r reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.outcomes[step] == nil {
		s.outcomes[step] = map[string]int{}
	}
	s.outcomes[step][r.outcome()]++
	if step == "createHold" {
		s.holdLat = append(s.holdLat, r.took)
		if r.status == http.StatusCreated {
			s.holdsOK = append(s.holdsOK, time.Now())
		}
	}
}

func (s *stats) end(how string) {
	s.mu.Lock()
	s.ends[how]++
	s.mu.Unlock()
}

// buyer is a virtual buyer: sub is its username (the issuer's subject is
// user-<sub>) and token the ID token it signed in with.
type buyer struct {
	sub, token string
}

// runOne sends every buyer at the showtime and waits for them, or for max.
func runOne(parent context.Context, s *stack, o options, showtime string, buyers []buyer, queued bool) (*stats, time.Duration) {
	ctx, cancel := context.WithTimeout(parent, o.max)
	defer cancel()
	st := newStats()
	var soldOut atomic.Bool
	var wg sync.WaitGroup
	t0 := time.Now()
	for i, b := range buyers {
		wg.Add(1)
		delay := time.Duration(float64(o.arrival) * float64(i) / float64(len(buyers)))
		go func() {
			defer wg.Done()
			select {
			case <-time.After(delay):
			case <-ctx.Done():
				st.end("cut off before arriving")
				return
			}
			st.end(visit(ctx, s, o, st, &soldOut, showtime, b, queued))
		}()
	}
	wg.Wait()
	return st, time.Since(t0)
}

// visit is one buyer: (queue,) seat map, hold, order, card payment.
func visit(ctx context.Context, s *stack, o options, st *stats, soldOut *atomic.Bool, showtime string, b buyer, queued bool) string {
	arrived := time.Now()
	admitted := arrived
	var hdr map[string]string
	if queued {
		r := s.step(ctx, o, st, "enterWaitingRoom", http.MethodPost, "/waiting-room/entries", b.token, map[string]string{"showtimeId": showtime}, nil)
		if r.status != http.StatusCreated && r.status != http.StatusOK {
			return cutOr(ctx, "failed to enter the waiting room")
		}
		var e gen.WaitingRoomEntry
		if json.Unmarshal(r.body, &e) != nil {
			return "bad waiting-room entry"
		}
		for e.AdmissionToken == nil {
			wait := time.Duration(min(max(e.PollAfterSeconds, 1), 15)) * time.Second // the server's pollAfterSeconds
			select {
			case <-ctx.Done():
				return "cut off in the waiting room"
			case <-time.After(wait):
			}
			if soldOut.Load() {
				return "left the waiting room: sold out"
			}
			r = s.call(ctx, http.MethodGet, "/waiting-room/entries/"+url.PathEscape(string(e.ID)), b.token, nil, nil)
			st.count("getWaitingRoomEntry", r)
			if r.status != http.StatusOK {
				if ctx.Err() != nil {
					return "cut off in the waiting room"
				}
				continue
			}
			if json.Unmarshal(r.body, &e) != nil {
				return "bad waiting-room entry"
			}
			if e.Status == gen.WaitingRoomEntryStatusEXPIRED {
				return "admission expired"
			}
		}
		admitted = time.Now()
		st.mu.Lock()
		st.waitLat = append(st.waitLat, admitted.Sub(arrived))
		st.mu.Unlock()
		hdr = map[string]string{"X-Waiting-Room-Token": *e.AdmissionToken}
	}

	want := 1 + rand.IntN(4)
	var hold struct {
		ID string `json:"id"`
	}
	held := false
	for attempt := 0; attempt < o.attempts && !held; attempt++ {
		r := s.step(ctx, o, st, "getShowtime", http.MethodGet, "/showtimes/"+url.PathEscape(showtime), b.token, nil, nil)
		if r.status != http.StatusOK {
			return cutOr(ctx, "seat map failed")
		}
		var d gen.ShowtimeDetail
		if json.Unmarshal(r.body, &d) != nil {
			return "bad seat map"
		}
		seats := pick(d.SeatMap.Seats, want)
		if seats == nil {
			soldOut.Store(true)
			return "found no standard seats left"
		}
		body := map[string]any{"showtimeId": showtime, "seats": seats}
		r = s.step(ctx, o, st, "createHold", http.MethodPost, "/holds", b.token, body, hdr)
		switch {
		case r.status == http.StatusCreated:
			held = json.Unmarshal(r.body, &hold) == nil && hold.ID != ""
		case r.status == http.StatusConflict && r.code == "seat_taken",
			r.status == http.StatusUnprocessableEntity && r.code == "seat_rule_violated":
			continue // back to the seat map, as the SPA sends the buyer
		default:
			return cutOr(ctx, "hold refused: "+r.outcome())
		}
	}
	if !held {
		return "gave up after seat_taken or seat_rule_violated"
	}

	st.mu.Lock()
	st.ordered[b.sub] = true // its tickets are read back even if no answer came
	st.mu.Unlock()
	r := s.step(ctx, o, st, "createOrder", http.MethodPost, "/orders", b.token, map[string]any{"holdId": hold.ID},
		map[string]string{"Idempotency-Key": "ord-" + b.sub})
	if r.status != http.StatusCreated {
		return cutOr(ctx, "order refused: "+r.outcome())
	}
	var ord struct {
		ID      string `json:"id"`
		Tickets []struct {
			SeatID string `json:"seatId"`
		} `json:"tickets"`
	}
	if json.Unmarshal(r.body, &ord) != nil {
		return "bad order"
	}
	r = s.step(ctx, o, st, "createPayment", http.MethodPost, "/orders/"+url.PathEscape(ord.ID)+"/payments", b.token,
		map[string]any{"method": "CARD", "card": map[string]any{"token": cardToken, "installments": 1}},
		map[string]string{"Idempotency-Key": "pay-" + b.sub})
	if r.status != http.StatusCreated {
		return cutOr(ctx, "payment refused: "+r.outcome())
	}
	var pay gen.Payment
	if json.Unmarshal(r.body, &pay) != nil || pay.Status != gen.PaymentStatusAPPROVED {
		return "payment not approved: " + string(pay.Status)
	}
	done := time.Now()
	st.mu.Lock()
	defer st.mu.Unlock()
	st.paidAt = append(st.paidAt, done)
	st.buyLat = append(st.buyLat, done.Sub(arrived))
	if queued {
		st.buyLatAdm = append(st.buyLatAdm, done.Sub(admitted))
	}
	st.paidBy[b.sub] = ord.ID
	for _, t := range ord.Tickets {
		st.sold[t.SeatID] = append(st.sold[t.SeatID], b.sub)
	}
	return "bought"
}

func cutOr(ctx context.Context, why string) string {
	if ctx.Err() != nil {
		return "cut off by -max"
	}
	return why
}

// pick chooses want adjacent AVAILABLE standard seats of one random row, the
// way a buyer clicks on the map, preferring a choice that leaves no single
// empty seat stranded (the cinema may refuse that); fewer seats when no row
// has that many together; nil when nothing standard is left.
func pick(seats []gen.SeatState, want int) []map[string]string {
	free := map[string]map[int]bool{} // row -> number -> AVAILABLE (any type)
	rows := map[string][]gen.SeatState{}
	for _, s := range seats {
		if free[s.Row] == nil {
			free[s.Row] = map[int]bool{}
		}
		free[s.Row][s.Number] = s.Status == gen.SeatStatusAVAILABLE
		if s.Status == gen.SeatStatusAVAILABLE && s.Type == gen.SeatTypeSTANDARD {
			rows[s.Row] = append(rows[s.Row], s)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	names := make([]string, 0, len(rows))
	for r := range rows {
		names = append(names, r)
	}
	sort.Strings(names)
	strands := func(row string, first, last int) bool {
		f := free[row]
		return (f[first-1] && !f[first-2]) || (f[last+1] && !f[last+2])
	}
	for n := want; n >= 1; n-- {
		var clean, any [][]gen.SeatState
		for _, name := range names {
			row := rows[name]
			slices.SortFunc(row, func(a, b gen.SeatState) int { return a.Number - b.Number })
			for j := 0; j+n <= len(row); j++ {
				if row[j+n-1].Number-row[j].Number != n-1 {
					continue
				}
				any = append(any, row[j:j+n])
				if !strands(name, row[j].Number, row[j+n-1].Number) {
					clean = append(clean, row[j:j+n])
				}
			}
		}
		runs := clean
		if len(runs) == 0 {
			runs = any
		}
		if len(runs) == 0 {
			continue
		}
		chosen := runs[rand.IntN(len(runs))]
		out := make([]map[string]string, 0, n)
		for _, s := range chosen {
			out = append(out, map[string]string{"seatId": string(s.ID), "ticketType": "INTEIRA"})
		}
		return out
	}
	return nil
}

// verify reads the seat map and the tickets of every buyer who sent an order back and checks
// that no seat was sold twice and that sold seats equal tickets issued.
func verify(ctx context.Context, s *stack, reader string, showtime string, buyers map[string]buyer, st *stats) (string, bool) {
	// Let handlers whose caller gave up finish before reading back.
	time.Sleep(2 * time.Second)
	var b strings.Builder
	ok := true
	r := s.call(ctx, http.MethodGet, "/showtimes/"+url.PathEscape(showtime), reader, nil, nil)
	var d gen.ShowtimeDetail
	if r.status != http.StatusOK || json.Unmarshal(r.body, &d) != nil {
		return fmt.Sprintf("seat map unreadable: %s\n", r.outcome()), false
	}
	soldOnMap := map[string]bool{}
	for _, seat := range d.SeatMap.Seats {
		if seat.Status == gen.SeatStatusSOLD {
			soldOnMap[string(seat.ID)] = true
		}
	}
	// Tickets issued, read back per buyer (GET /me/tickets), 16 at a time.
	ticketsBySeat := map[string]int{}
	issued := 0
	var mu sync.Mutex
	subs := make(chan string)
	var wg sync.WaitGroup
	readErrs := 0
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for sub := range subs {
				path := "/me/tickets"
				for path != "" {
					r := s.call(ctx, http.MethodGet, path, buyers[sub].token, nil, nil)
					var l gen.TicketList
					if r.status != http.StatusOK || json.Unmarshal(r.body, &l) != nil {
						mu.Lock()
						readErrs++
						mu.Unlock()
						break
					}
					mu.Lock()
					for _, t := range l.Items {
						if string(t.ShowtimeID) == showtime {
							issued++
							ticketsBySeat[string(t.SeatID)]++
						}
					}
					mu.Unlock()
					path = ""
					if l.NextCursor != nil {
						path = "/me/tickets?cursor=" + url.QueryEscape(*l.NextCursor)
					}
				}
			}
		}()
	}
	for sub := range st.ordered {
		subs <- sub
	}
	close(subs)
	wg.Wait()

	twiceSold, twiceTicketed := 0, 0
	for _, who := range st.sold {
		if len(who) > 1 {
			twiceSold++
		}
	}
	for _, n := range ticketsBySeat {
		if n > 1 {
			twiceTicketed++
		}
	}
	notSold, unticketed, approvedUnticketed := 0, 0, 0
	for seat := range ticketsBySeat {
		if !soldOnMap[seat] {
			notSold++
		}
	}
	for seat := range soldOnMap {
		if ticketsBySeat[seat] == 0 {
			unticketed++
		}
	}
	for seat := range st.sold {
		if ticketsBySeat[seat] == 0 {
			approvedUnticketed++
		}
	}
	fmt.Fprintf(&b, "seat map: capacity %d, sold %d, held %d, available %d, blocked %d\n",
		d.Availability.Capacity, d.Availability.Sold, d.Availability.Held, d.Availability.Available, d.Availability.Blocked)
	fmt.Fprintf(&b, "SOLD on the map %d · tickets issued %d (read back from %d buyers who ordered) · seats in orders the buyer saw approved %d\n",
		len(soldOnMap), issued, len(st.ordered), len(st.sold))
	fmt.Fprintf(&b, "seats ticketed twice %d · seats in two approved orders %d · tickets on a seat not SOLD %d · SOLD seats without a ticket %d · approved seats without a ticket %d · ticket reads failed %d\n",
		twiceTicketed, twiceSold, notSold, unticketed, approvedUnticketed, readErrs)
	if twiceSold > 0 || twiceTicketed > 0 || len(soldOnMap) != issued || notSold > 0 || unticketed > 0 || approvedUnticketed > 0 || readErrs > 0 ||
		d.Availability.Sold > d.Availability.Capacity {
		ok = false
	}
	if ok {
		b.WriteString("oversold: 0 (SOLD seats == tickets issued, no seat twice)\n")
	} else {
		b.WriteString("OVERSOLD OR MISMATCH\n")
	}
	return b.String(), ok
}

func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(math.Ceil(p/100*float64(len(s)))) - 1
	return s[max(i, 0)]
}

// rate is events per second between the first and the last event.
func rate(ts []time.Time, from time.Time) float64 {
	if len(ts) == 0 {
		return 0
	}
	last := slices.MaxFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	d := last.Sub(from).Seconds()
	if d <= 0 {
		return 0
	}
	return float64(len(ts)) / d
}

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond)) }

func report(name string, st *stats, took time.Duration, start time.Time, n int) (string, float64) {
	var b strings.Builder
	holds, buys := rate(st.holdsOK, start), rate(st.paidAt, start)
	fmt.Fprintf(&b, "\n== %s: %d buyers, run took %s ==\n", name, n, took.Round(time.Millisecond))
	fmt.Fprintf(&b, "holds: %d ok (%.1f/s until the last) · purchases: %d (%.1f/s until the last)\n", len(st.holdsOK), holds, len(st.paidAt), buys)
	fmt.Fprintf(&b, "createHold latency: p50 %s, p99 %s over %d calls\n", ms(pct(st.holdLat, 50)), ms(pct(st.holdLat, 99)), len(st.holdLat))
	fmt.Fprintf(&b, "whole purchase (arrival → card approved): p50 %s, p99 %s\n", ms(pct(st.buyLat, 50)), ms(pct(st.buyLat, 99)))
	if len(st.waitLat) > 0 {
		fmt.Fprintf(&b, "wait in the queue (arrival → admitted): p50 %s, p99 %s over %d admitted\n", ms(pct(st.waitLat, 50)), ms(pct(st.waitLat, 99)), len(st.waitLat))
		fmt.Fprintf(&b, "purchase once admitted (admitted → card approved): p50 %s, p99 %s\n", ms(pct(st.buyLatAdm, 50)), ms(pct(st.buyLatAdm, 99)))
	}
	steps := make([]string, 0, len(st.outcomes))
	for k := range st.outcomes {
		steps = append(steps, k)
	}
	slices.Sort(steps)
	fiveXX := 0
	for _, step := range steps {
		total := 0
		keys := make([]string, 0)
		for k, c := range st.outcomes[step] {
			total += c
			keys = append(keys, k)
			if strings.HasPrefix(k, "5") || k == "transport_error" {
				fiveXX += c
			}
		}
		slices.Sort(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s ×%d (%.1f%%)", k, st.outcomes[step][k], 100*float64(st.outcomes[step][k])/float64(total)))
		}
		fmt.Fprintf(&b, "  %-20s %s\n", step, strings.Join(parts, ", "))
	}
	fmt.Fprintf(&b, "5xx and transport errors: %d\n", fiveXX)
	ends := make([]string, 0, len(st.ends))
	for k, c := range st.ends {
		ends = append(ends, fmt.Sprintf("%s ×%d", k, c))
	}
	slices.Sort(ends)
	fmt.Fprintf(&b, "buyers' visits ended: %s\n", strings.Join(ends, ", "))
	return b.String(), buys
}

// premiereShowtimes finds two showtimes of the premiere in one room, the
// first days of its schedule, for the two runs.
func premiereShowtimes(ctx context.Context, s *stack, token string) (string, string, error) {
	today := catalog.DateOf(time.Now())
	for day := 0; day <= 30; day++ {
		q := url.Values{"movieId": {titas}, "date": {today.AddDays(day).String()}}
		r := s.call(ctx, http.MethodGet, "/showtimes?"+q.Encode(), token, nil, nil)
		if r.status != http.StatusOK {
			continue
		}
		var l gen.ShowtimeList
		if json.Unmarshal(r.body, &l) != nil {
			continue
		}
		byRoom := map[string][]string{}
		var rooms []string
		for _, it := range l.Items {
			if it.StartsAt.Before(time.Now().Add(time.Hour)) {
				continue
			}
			if byRoom[string(it.RoomID)] == nil {
				rooms = append(rooms, string(it.RoomID))
			}
			byRoom[string(it.RoomID)] = append(byRoom[string(it.RoomID)], string(it.ID))
		}
		for _, room := range rooms {
			if ids := byRoom[room]; len(ids) >= 2 {
				return ids[0], ids[1], nil
			}
		}
	}
	return "", "", errors.New("no two showtimes of the premiere in one room in the next 30 days")
}

func run(o options) (bool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*o.max+3*time.Minute) // the whole process is bounded too
	defer cancel()
	fmt.Printf("starting DynamoDB Local (in memory) and the local server on 127.0.0.1 ...\n")
	s, err := start(ctx)
	if err != nil {
		return false, err
	}
	defer s.stop()
	staff, err := s.signIn(ctx, "carla") // staff by the issuer's default list
	if err != nil {
		return false, err
	}
	stA, stB, err := premiereShowtimes(ctx, s, staff)
	if err != nil {
		return false, err
	}
	mk := func(prefix string) ([]buyer, map[string]buyer, error) {
		names := make([]string, o.buyers)
		for i := range names {
			names[i] = fmt.Sprintf("vb-%s-%05d", prefix, i)
		}
		tokens, err := s.signInAll(ctx, names)
		if err != nil {
			return nil, nil, err
		}
		list := make([]buyer, o.buyers)
		by := make(map[string]buyer, o.buyers)
		for i, name := range names {
			list[i] = buyer{sub: name, token: tokens[i]}
			by[name] = list[i]
		}
		return list, by, nil
	}
	fmt.Printf("premiere %s · showtime (a) %s · showtime (b) %s · %d buyers arriving within %s · max %s per run · %d hold attempts and %d retries after a 5xx each\n",
		titas, stA, stB, o.buyers, o.arrival, o.max, o.attempts, o.retries)
	allOK := true
	sustained := 0.0
	if strings.Contains(o.runs, "a") {
		list, by, err := mk("a")
		if err != nil {
			return false, err
		}
		t0 := time.Now()
		st, took := runOne(ctx, s, o, stA, list, false)
		text, _ := report("run (a) waiting room off", st, took, t0, len(list))
		sustained = rate(st.holdsOK, t0)
		v, ok := verify(ctx, s, staff, stA, by, st)
		allOK = allOK && ok
		fmt.Print(text, v)
	}
	if strings.Contains(o.runs, "b") {
		admit := o.admitPerMin
		if admit <= 0 {
			admit = max(60, int(math.Round(sustained*60)))
		}
		body := map[string]any{"mode": "ON", "admissionRatePerMinute": admit, "admissionTokenTtlSeconds": 600,
			"movieIds": []string{}, "showtimeIds": []string{stB}}
		r := s.call(ctx, http.MethodPut, "/ops/waiting-room", staff, body, nil)
		if r.status != http.StatusOK {
			return false, fmt.Errorf("updateWaitingRoom answered %s: %s", r.outcome(), r.body)
		}
		fmt.Printf("\npremiere mode ON for %s, admitting %d buyers/min (%.1f/s)\n", stB, admit, float64(admit)/60)
		list, by, err := mk("b")
		if err != nil {
			return false, err
		}
		t0 := time.Now()
		st, took := runOne(ctx, s, o, stB, list, true)
		text, _ := report("run (b) premiere mode on", st, took, t0, len(list))
		v, ok := verify(ctx, s, staff, stB, by, st)
		allOK = allOK && ok
		fmt.Print(text, v)
	}
	return allOK, nil
}
