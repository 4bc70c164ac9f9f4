// Package sim generates synthetic purchase histories for the chain and
// evaluates the concessions ranking on them offline: a train/test split by
// time, hit-rate@3 and revenue per order, against the static popularity
// order.
//
// The data is synthetic. Its assumptions are in docs/study.md ("Avaliação
// offline") and in the constants below; each is either a figure of
// facts.md (with its status) or a guess, said as such.
package sim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/concessions"
	"bilhetagem/internal/money"
)

// Config sizes a generated history.
type Config struct {
	Seed          uint64
	Buyers        int
	Weeks         int
	OrdersPerWeek int
	// Start is the Monday the history begins on (São Paulo).
	Start catalog.Date
}

// DefaultConfig is the history cmd/evalrank evaluates: 12 weeks of one
// chain's app orders.
func DefaultConfig() Config {
	return Config{Seed: 2026, Buyers: 6000, Weeks: 12, OrdersPerWeek: 4000, Start: catalog.Date{Year: 2026, Month: 1, Day: 5}}
}

// Line is one bomboniere line of an order.
type Line struct {
	ProductID string
	Size      string
	Quantity  int
	UnitPrice money.BRL
}

// Order is one paid order: who, for which showtime, with which tickets and
// which concessions.
type Order struct {
	ID       string
	Buyer    string
	PaidAt   time.Time
	Party    concessions.Party
	Movie    catalog.Movie
	Showtime catalog.Showtime
	Lines    []Line
}

// Revenue is the order's bomboniere revenue.
func (o Order) Revenue() money.BRL {
	var sum money.BRL
	for _, l := range o.Lines {
		sum += l.UnitPrice * money.BRL(l.Quantity)
	}
	return sum
}

// ProductIDs are the distinct products of the order, sorted.
func (o Order) ProductIDs() []string {
	ids := make([]string, 0, len(o.Lines))
	for _, l := range o.Lines {
		ids = append(ids, l.ProductID)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// archetype is how a buyer usually goes to the cinema.
type archetype int

const (
	alone archetype = iota
	pair
	family
	friends
)

// Assumptions. Shares and probabilities are guesses shaped by facts.md:
//   - 58% go with family or partner (Cultura nas Capitais 2018 ◐) → pair +
//     family = 55% of buyers;
//   - about half of patrons buy something (UCI ◐) → base attach ≈ 0.5;
//   - frequency varies ~6× between groups (ObservaDF 2023 ◐) → 20% of buyers
//     are frequent and weigh 5×;
//   - popcorn and soda dominate (Haway ◐: up to 25 of 35 points of revenue).
var (
	archetypeShare  = []float64{alone: 0.30, pair: 0.35, family: 0.20, friends: 0.15}
	archetypeAttach = []float64{alone: 0.40, pair: 0.55, family: 0.65, friends: 0.50}
	// Day-of-week weights, Monday first: weekends busiest, Thursday
	// premieres, Tuesday promotional (facts.md §3 ◐, shape guessed).
	weekdayWeight = []float64{time.Monday: 0.09, time.Tuesday: 0.14, time.Wednesday: 0.10,
		time.Thursday: 0.15, time.Friday: 0.16, time.Saturday: 0.19, time.Sunday: 0.17}
	habitShare   = 0.55 // buyers with a usual item
	habitKeep    = 0.70 // chance the usual item is in an attaching order
	frequentRate = 0.20
	frequentGain = 5.0
	meiaShare    = 0.55 // of adult tickets; ANCINE 2019: 59.75% legal meia ◐
)

// habitItems are the usual items buyers may have, with weights.
var habitItems = []weighted[string]{
	{"prd-pipoca-doce", 3}, {"prd-pipoca-manteiga", 3}, {"prd-nachos", 2}, {"prd-chocolate-ao-leite", 2},
	{"prd-chocolate-amendoim", 2}, {"prd-agua", 2}, {"prd-cachorro-quente", 1}, {"prd-combo-doce", 1},
	{"prd-jujuba", 1}, {"prd-confeitos", 1}, {"prd-combo-hot-dog", 1}, {"prd-combo-mini", 1},
}

type weighted[T any] struct {
	v T
	w float64
}

func pick[T any](r *rand.Rand, items []weighted[T]) T {
	var total float64
	for _, it := range items {
		total += it.w
	}
	x := r.Float64() * total
	for _, it := range items {
		if x < it.w {
			return it.v
		}
		x -= it.w
	}
	return items[len(items)-1].v
}

type buyer struct {
	id     string
	kind   archetype
	attach float64
	habit  string
	weight float64
}

// Generate builds the orders of cfg over the menu and movies, sorted by
// payment time. The same config gives the same orders.
func Generate(cfg Config, menu []catalog.Product, movies []catalog.Movie) []Order {
	r := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))
	g := generator{r: r, byID: map[string]catalog.Product{}}
	for _, p := range menu {
		if p.Active {
			g.byID[p.ID] = p
		}
	}
	buyers := make([]weighted[buyer], 0, cfg.Buyers)
	for i := range cfg.Buyers {
		b := buyer{id: fmt.Sprintf("buyer-%05d", i), weight: 1}
		b.kind = archetype(pick(r, []weighted[int]{
			{int(alone), archetypeShare[alone]}, {int(pair), archetypeShare[pair]},
			{int(family), archetypeShare[family]}, {int(friends), archetypeShare[friends]}}))
		b.attach = clamp(archetypeAttach[b.kind]+(r.Float64()-0.5)*0.6, 0.02, 0.98)
		if r.Float64() < habitShare {
			b.habit = pick(r, habitItems)
		}
		if r.Float64() < frequentRate {
			b.weight = frequentGain
		}
		buyers = append(buyers, weighted[buyer]{b, b.weight})
	}
	var kidsMovies, allMovies []weighted[catalog.Movie]
	for i, m := range movies {
		w := float64(len(movies) - i) // earlier in the list, more demand
		allMovies = append(allMovies, weighted[catalog.Movie]{m, w})
		if m.AgeRating == catalog.RatingL || m.AgeRating == catalog.Rating10 {
			kidsMovies = append(kidsMovies, weighted[catalog.Movie]{m, w})
		}
	}
	var days []weighted[int]
	for d := range 7 {
		days = append(days, weighted[int]{d, weekdayWeight[cfg.Start.AddDays(d).Start().Weekday()]})
	}

	orders := make([]Order, 0, cfg.Weeks*cfg.OrdersPerWeek)
	for w := range cfg.Weeks {
		for range cfg.OrdersPerWeek {
			b := pick(r, buyers)
			kind := b.kind
			if r.Float64() < 0.15 { // sometimes the usual company is different
				kind = archetype(r.IntN(4))
			}
			day := cfg.Start.AddDays(7*w + pick(r, days))
			m := pick(r, allMovies)
			if kind == family && len(kidsMovies) > 0 && r.Float64() < 0.85 {
				m = pick(r, kidsMovies)
			}
			hour := g.hour(kind, day.Start().Weekday())
			st := catalog.Showtime{ID: fmt.Sprintf("st-%s-%02d-%s", day, hour, m.ID), MovieID: m.ID,
				StartsAt: day.At(hour, 10*r.IntN(6)).UTC(), Format: g.format(m)}
			party, kids := g.party(kind)
			o := Order{
				ID: fmt.Sprintf("ord-%06d", len(orders)), Buyer: b.id, Movie: m, Showtime: st, Party: party,
				// paid between 10 days and 10 minutes before the session
				PaidAt: st.StartsAt.Add(-time.Duration(10+r.IntN(10*24*60)) * time.Minute),
			}
			o.Lines = g.basket(b, kind, kids, o)
			orders = append(orders, o)
		}
	}
	slices.SortStableFunc(orders, func(a, b Order) int { return a.PaidAt.Compare(b.PaidAt) })
	return orders
}

type generator struct {
	r    *rand.Rand
	byID map[string]catalog.Product
}

func (g generator) hour(kind archetype, wd time.Weekday) int {
	weekend := wd == time.Saturday || wd == time.Sunday
	switch {
	case kind == family && (weekend || g.r.Float64() < 0.6):
		return pick(g.r, []weighted[int]{{12, 1}, {14, 3}, {15, 3}, {16, 3}, {17, 2}, {19, 1}})
	default:
		return pick(g.r, []weighted[int]{{13, 1}, {15, 1}, {16, 2}, {17, 2}, {18, 3}, {19, 4}, {20, 4}, {21, 3}, {22, 1}})
	}
}

func (g generator) format(m catalog.Movie) catalog.Format {
	x := g.r.Float64()
	switch {
	case m.Franchise && x < 0.25:
		return catalog.FormatIMAX
	case x < 0.15 && (m.Franchise || slices.Contains(m.Genres, "Animação")):
		return catalog.Format3D
	}
	return catalog.Format2D
}

func (g generator) adult() concessions.Ticket {
	x := g.r.Float64()
	switch {
	case x < meiaShare*0.75:
		return concessions.Ticket{Type: "MEIA_ESTUDANTE", Meia: true}
	case x < meiaShare*0.9:
		return concessions.Ticket{Type: "MEIA_IDOSO", Meia: true}
	case x < meiaShare:
		return concessions.Ticket{Type: "MEIA_PROFESSOR", Meia: true}
	}
	return concessions.Ticket{Type: "INTEIRA"}
}

// party is the tickets of a party and how many of them are children.
func (g generator) party(kind archetype) (concessions.Party, int) {
	var (
		p    concessions.Party
		kids int
	)
	switch kind {
	case alone:
		p.Tickets = append(p.Tickets, g.adult())
	case pair:
		p.Tickets = append(p.Tickets, g.adult(), g.adult())
		if g.r.Float64() < 0.4 {
			p.CoupleSeats = 2
		}
	case family:
		adults := 1 + g.r.IntN(2)
		kids = 1 + g.r.IntN(3)
		for range adults {
			p.Tickets = append(p.Tickets, concessions.Ticket{Type: "INTEIRA"})
		}
		for range kids {
			t := concessions.Ticket{Type: "INTEIRA"}
			if g.r.Float64() < 0.7 { // school-age children with a student ID
				t = concessions.Ticket{Type: "MEIA_ESTUDANTE", Meia: true}
			}
			p.Tickets = append(p.Tickets, t)
		}
	case friends:
		for range 3 + g.r.IntN(3) {
			p.Tickets = append(p.Tickets, g.adult())
		}
	}
	return p, kids
}

// basket is the "truth" of the synthetic world: what the buyer takes. It
// follows the study's hypotheses with its own magnitudes, plus habits the
// ranking can only learn from the buyer's history.
func (g generator) basket(b buyer, kind archetype, kids int, o Order) []Line {
	local := o.Showtime.StartsAt.In(catalog.Zone)
	hour, wd := local.Hour(), local.Weekday()
	attach := b.attach
	if o.Showtime.Format != catalog.Format2D {
		attach += 0.10
	}
	switch wd {
	case time.Saturday, time.Sunday:
		attach += 0.05
	case time.Tuesday:
		attach -= 0.05
	}
	if g.r.Float64() >= clamp(attach, 0, 0.98) {
		return nil
	}
	var lines []Line
	add := func(id, size string, q int) {
		p, ok := g.byID[id]
		if !ok || q < 1 {
			return
		}
		s, ok := p.Size(size)
		if !ok {
			s = p.Sizes[0]
		}
		for i := range lines {
			if lines[i].ProductID == id && lines[i].Size == s.Code {
				lines[i].Quantity += q
				return
			}
		}
		lines = append(lines, Line{ProductID: id, Size: s.Code, Quantity: q, UnitPrice: s.Price})
	}
	popcorn := func(size string) {
		add(pick(g.r, []weighted[string]{{"prd-pipoca-salgada", 6}, {"prd-pipoca-manteiga", 2}, {"prd-pipoca-doce", 2}}), size, 1)
	}
	n := len(o.Party.Tickets)

	switch kind {
	case alone:
		switch pick(g.r, []weighted[int]{{0, 24}, {1, 14}, {2, 10}, {3, 12}, {4, 14}, {5, 8}, {6, 6}, {7, 7}, {8, 5}}) {
		case 0:
			add("prd-combo-individual", "UN", 1)
		case 1:
			popcorn("M")
			add("prd-refrigerante", "M", 1)
		case 2:
			add("prd-refrigerante", "M", 1)
		case 3:
			add("prd-agua", "UN", 1)
		case 4:
			add(pick(g.r, []weighted[string]{{"prd-chocolate-ao-leite", 1}, {"prd-chocolate-amendoim", 1}}), "UN", 1)
		case 5:
			add("prd-nachos", "UN", 1)
		case 6:
			add("prd-combo-hot-dog", "UN", 1)
		case 7:
			add(pick(g.r, []weighted[string]{{"prd-jujuba", 1}, {"prd-confeitos", 1}}), "UN", 1)
		case 8:
			add("prd-combo-mini", "UN", 1)
		}
	case pair:
		switch pick(g.r, []weighted[int]{{0, 34}, {1, 16}, {2, 8}, {3, 8}, {4, 16}, {5, 11}, {6, 7}}) {
		case 0:
			add("prd-combo-casal", "UN", 1)
		case 1:
			popcorn("G")
			add("prd-refrigerante", "M", 2)
		case 2:
			add("prd-combo-doce", "UN", 1)
		case 3:
			add("prd-combo-individual", "UN", 2)
		case 4:
			add("prd-chocolate-ao-leite", "UN", 1)
			add("prd-agua", "UN", 2)
		case 5:
			add("prd-nachos", "UN", 1)
			add("prd-refrigerante", "M", 1)
		case 6:
			add("prd-pipoca-doce", "G", 1)
		}
	case family:
		if g.r.Float64() < 0.55 {
			add("prd-combo-kids", "UN", kids)
		} else if g.r.Float64() < 0.5 {
			add("prd-suco", "UN", kids)
			add(pick(g.r, []weighted[string]{{"prd-jujuba", 1}, {"prd-confeitos", 1}}), "UN", 1)
		}
		switch pick(g.r, []weighted[int]{{0, 30}, {1, 20}, {2, 25}, {3, 25}}) {
		case 0:
			add("prd-combo-familia", "UN", 1)
		case 1:
			add("prd-combo-casal", "UN", 1)
		case 2:
			popcorn("G")
			add("prd-refrigerante", "M", 2)
		}
	case friends:
		switch pick(g.r, []weighted[int]{{0, 15}, {1, 20}, {2, 30}, {3, 15}, {4, 10}, {5, 10}}) {
		case 0:
			add("prd-combo-familia", "UN", 1)
		case 1:
			add("prd-combo-casal", "UN", max(1, n/2))
		case 2:
			popcorn("G")
			add("prd-refrigerante", "M", n)
		case 3:
			add("prd-nachos", "UN", 2)
			add("prd-refrigerante", "M", n)
		case 4:
			add("prd-combo-individual", "UN", n)
		case 5:
			add(pick(g.r, []weighted[string]{{"prd-jujuba", 1}, {"prd-confeitos", 1}}), "UN", 2)
		}
	}

	// Context effects of the synthetic world (own magnitudes).
	genres := o.Movie.Genres
	if hasAny(genres, "Terror", "Suspense") && g.r.Float64() < 0.25 {
		add(pick(g.r, []weighted[string]{{"prd-jujuba", 1}, {"prd-confeitos", 1}, {"prd-chocolate-amendoim", 1}}), "UN", 1)
	}
	if hasAny(genres, "Romance", "Drama") && g.r.Float64() < 0.20 {
		add("prd-chocolate-ao-leite", "UN", 1)
	}
	if o.Movie.RuntimeMinutes >= 140 && g.r.Float64() < 0.30 {
		add("prd-agua", "UN", n)
	}
	if hour >= 18 && hour <= 21 && g.r.Float64() < 0.15 {
		add(pick(g.r, []weighted[string]{{"prd-cachorro-quente", 1}, {"prd-nachos", 1}}), "UN", 1)
	}
	if b.habit != "" && g.r.Float64() < habitKeep {
		add(b.habit, defaultSizeCode(g.byID[b.habit], kind), 1)
	}
	if len(lines) == 0 { // decided to buy, the template was empty: something sweet
		add(pick(g.r, []weighted[string]{{"prd-chocolate-ao-leite", 2}, {"prd-jujuba", 1}, {"prd-confeitos", 1}}), "UN", 1)
	}
	return lines
}

func defaultSizeCode(p catalog.Product, kind archetype) string {
	if p.Category == catalog.CategoryPopcorn && kind != alone {
		return "G"
	}
	return "M"
}

func hasAny(genres []string, names ...string) bool {
	for _, g := range genres {
		if slices.Contains(names, g) {
			return true
		}
	}
	return false
}

func clamp(x, lo, hi float64) float64 { return max(lo, min(hi, x)) }
