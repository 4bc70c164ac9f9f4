package reports

import (
	"bytes"
	"encoding/csv"
	"strconv"

	"bilhetagem/internal/money"
)

// CSVHeader names the columns of the CSV report, one line per cinema-day.
var CSVHeader = []string{
	"cinema_id", "date", "tickets_sold", "capacity", "occupancy_percent", "ticket_revenue_brl",
	"orders", "orders_with_concessions", "attach_rate_percent", "concession_items", "items_per_ticket",
	"concessions_revenue_brl", "meia_tickets", "meia_share_percent",
	"concession_items_picked_up", "concession_items_not_picked_up",
}

// CSV writes the report's days as CSV (RFC 4180, comma separated, a dot for
// decimals so spreadsheets and scripts read it the same everywhere; money in
// reais with two decimals).
func CSV(r Report) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(CSVHeader)
	for _, d := range r.Days {
		_ = w.Write([]string{
			d.CinemaID, d.Date.String(), strconv.Itoa(d.Tickets), strconv.Itoa(d.Capacity), decimal(d.OccupancyPercent),
			reais(d.TicketRevenue), strconv.Itoa(d.Orders), strconv.Itoa(d.OrdersWithConcessions),
			decimal(d.AttachRatePercent), strconv.Itoa(d.ConcessionItems), decimal(d.ItemsPerTicket),
			reais(d.ConcessionsRevenue), strconv.Itoa(d.Meia), decimal(d.MeiaSharePercent),
			strconv.Itoa(d.ConcessionItemsPickedUp), strconv.Itoa(d.ConcessionItemsNotPickedUp),
		})
	}
	w.Flush()
	return b.Bytes()
}

func decimal(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

func reais(m money.BRL) string {
	sign := ""
	c := int64(m)
	if c < 0 {
		sign, c = "-", -c
	}
	return sign + strconv.FormatInt(c/100, 10) + "." + pad2(c%100)
}

func pad2(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}
