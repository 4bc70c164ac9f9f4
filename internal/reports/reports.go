// Package reports turns the sales counters kept per cinema and day into the
// back office's sales report: tickets against the bomboniere, occupancy,
// attach rate and the meia share against its cap. The counters are added to
// when an order is paid and taken from when it is cancelled or refunded
// (internal/dynamo/reports.go), so a report never reads orders.
package reports

import (
	"cmp"
	"slices"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/money"
)

// MeiaCapPercent is the legal cap on half-price tickets per showtime
// (Lei 12.933/2013, 40% of the seats).
const MeiaCapPercent = 40

// Counters are what the store keeps per cinema and day (the São Paulo day of
// the showtime, so tickets and occupancy describe the same screenings).
// Every field is a sum over paid orders, net of cancellations.
type Counters struct {
	Tickets               int
	TicketRevenue         money.BRL
	Orders                int
	OrdersWithConcessions int
	ConcessionItems       int
	// ConcessionItemsPickedUp counts the units the counter handed over
	// (not taken back when a paid order is cancelled later: they left the
	// counter).
	ConcessionItemsPickedUp int
	ConcessionsRevenue      money.BRL
	Meia                    int
	// Products is, per product id, the units and revenue sold.
	Products map[string]ProductSales
}

// ProductSales are the units and revenue of one product.
type ProductSales struct {
	Quantity int
	Revenue  money.BRL
}

// Add adds o to c.
func (c *Counters) Add(o Counters) {
	c.Tickets += o.Tickets
	c.TicketRevenue += o.TicketRevenue
	c.Orders += o.Orders
	c.OrdersWithConcessions += o.OrdersWithConcessions
	c.ConcessionItems += o.ConcessionItems
	c.ConcessionItemsPickedUp += o.ConcessionItemsPickedUp
	c.ConcessionsRevenue += o.ConcessionsRevenue
	c.Meia += o.Meia
	for id, p := range o.Products {
		if c.Products == nil {
			c.Products = map[string]ProductSales{}
		}
		q := c.Products[id]
		q.Quantity += p.Quantity
		q.Revenue += p.Revenue
		c.Products[id] = q
	}
}

// zero reports whether nothing is left of the day's sales (every order was
// cancelled).
func (c Counters) zero() bool {
	return c.Tickets == 0 && c.TicketRevenue == 0 && c.Orders == 0 && c.OrdersWithConcessions == 0 &&
		c.ConcessionItems == 0 && c.ConcessionItemsPickedUp == 0 && c.ConcessionsRevenue == 0 && c.Meia == 0
}

// Figures are the report's numbers for a cinema-day or a whole period.
type Figures struct {
	Counters
	Capacity          int     // seats of the showtimes not cancelled
	OccupancyPercent  float64 // Tickets / Capacity
	AttachRatePercent float64 // OrdersWithConcessions / Orders
	ItemsPerTicket    float64 // ConcessionItems / Tickets
	MeiaSharePercent  float64 // Meia / Tickets
	// ConcessionItemsNotPickedUp are the units paid for and not handed
	// over (never below zero).
	ConcessionItemsNotPickedUp int
}

// Figure computes the ratios of counters over capacity. Ratios of nothing
// are 0, and every percentage is rounded to two decimals.
func Figure(c Counters, capacity int) Figures {
	f := Figures{Counters: c, Capacity: capacity}
	f.OccupancyPercent = percent(c.Tickets, capacity)
	f.AttachRatePercent = percent(c.OrdersWithConcessions, c.Orders)
	f.MeiaSharePercent = percent(c.Meia, c.Tickets)
	f.ConcessionItemsNotPickedUp = max(0, c.ConcessionItems-c.ConcessionItemsPickedUp)
	if c.Tickets > 0 {
		f.ItemsPerTicket = round2(float64(c.ConcessionItems) / float64(c.Tickets))
	}
	return f
}

func percent(part, whole int) float64 {
	if whole <= 0 {
		return 0
	}
	return round2(100 * float64(part) / float64(whole))
}

func round2(v float64) float64 {
	if v < 0 {
		return -round2(-v)
	}
	return float64(int64(v*100+0.5)) / 100
}

// Day is one line of the report: a cinema on a day.
type Day struct {
	CinemaID string
	Date     catalog.Date
	Figures
}

// Key identifies a cinema-day.
type Key struct {
	CinemaID string
	Date     catalog.Date
}

// TopProduct is one of the period's best-selling products.
type TopProduct struct {
	ProductID string
	Name      string
	ProductSales
}

// Report is the whole answer.
type Report struct {
	From, To    catalog.Date
	CinemaID    string // empty: every cinema
	Days        []Day
	Totals      Figures
	TopProducts []TopProduct
}

// Build assembles a report from the counters and capacities of each
// cinema-day. Days with neither a sale (net of cancellations) nor a showtime
// are left out; lines are sorted by date, then cinema. names gives products their menu names (an id
// is shown when a product left the menu). At most top products are listed,
// by revenue, then units, then id.
func Build(from, to catalog.Date, cinemaID string, counters map[Key]Counters, capacity map[Key]int, names map[string]string, top int) Report {
	r := Report{From: from, To: to, CinemaID: cinemaID}
	keys := map[Key]bool{}
	for k, c := range counters {
		if !c.zero() {
			keys[k] = true
		}
	}
	for k, c := range capacity {
		if c > 0 {
			keys[k] = true
		}
	}
	var total Counters
	totalCapacity := 0
	for k := range keys {
		c := counters[k]
		r.Days = append(r.Days, Day{CinemaID: k.CinemaID, Date: k.Date, Figures: Figure(c, capacity[k])})
		total.Add(c)
		totalCapacity += capacity[k]
	}
	slices.SortFunc(r.Days, func(a, b Day) int {
		if c := cmp.Compare(a.Date.String(), b.Date.String()); c != 0 {
			return c
		}
		return cmp.Compare(a.CinemaID, b.CinemaID)
	})
	r.Totals = Figure(total, totalCapacity)
	for id, p := range total.Products {
		if p.Quantity <= 0 && p.Revenue <= 0 {
			continue // every unit was cancelled
		}
		name := names[id]
		if name == "" {
			name = id
		}
		r.TopProducts = append(r.TopProducts, TopProduct{ProductID: id, Name: name, ProductSales: p})
	}
	slices.SortFunc(r.TopProducts, func(a, b TopProduct) int {
		if c := cmp.Compare(b.Revenue, a.Revenue); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Quantity, a.Quantity); c != 0 {
			return c
		}
		return cmp.Compare(a.ProductID, b.ProductID)
	})
	if len(r.TopProducts) > top {
		r.TopProducts = r.TopProducts[:top]
	}
	return r
}
