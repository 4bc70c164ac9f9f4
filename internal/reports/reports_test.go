package reports_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/reports"
)

func day(d int) catalog.Date { return catalog.Date{Year: 2026, Month: 12, Day: d} }

func TestFigureRatios(t *testing.T) {
	f := reports.Figure(reports.Counters{Tickets: 3, Orders: 3, OrdersWithConcessions: 1, ConcessionItems: 2, Meia: 1}, 12)
	assert.Equal(t, 25.0, f.OccupancyPercent)
	assert.Equal(t, 33.33, f.AttachRatePercent)
	assert.Equal(t, 0.67, f.ItemsPerTicket)
	assert.Equal(t, 33.33, f.MeiaSharePercent)

	zero := reports.Figure(reports.Counters{}, 0)
	assert.Zero(t, zero.OccupancyPercent, "no capacity, no division")
	assert.Zero(t, zero.AttachRatePercent)
	assert.Zero(t, zero.ItemsPerTicket)
}

func TestBuildOrdersLinesAndRanksProducts(t *testing.T) {
	counters := map[reports.Key]reports.Counters{
		{CinemaID: "b", Date: day(2)}: {Tickets: 2, Orders: 1, Products: map[string]reports.ProductSales{"pipoca": {Quantity: 1, Revenue: 2300}}},
		{CinemaID: "a", Date: day(2)}: {Tickets: 1, Orders: 1, Products: map[string]reports.ProductSales{
			"pipoca": {Quantity: 2, Revenue: 3800}, "agua": {Quantity: 1, Revenue: 800}, "bala": {Quantity: 0, Revenue: 0}}},
	}
	capacity := map[reports.Key]int{{CinemaID: "a", Date: day(1)}: 10, {CinemaID: "a", Date: day(2)}: 10, {CinemaID: "b", Date: day(2)}: 10}
	r := reports.Build(day(1), day(2), "", counters, capacity, map[string]string{"pipoca": "Pipoca"}, 1)
	require.Len(t, r.Days, 3, "a day with a showtime and no sale is a line")
	assert.Equal(t, []string{"a 2026-12-01", "a 2026-12-02", "b 2026-12-02"},
		[]string{r.Days[0].CinemaID + " " + r.Days[0].Date.String(), r.Days[1].CinemaID + " " + r.Days[1].Date.String(), r.Days[2].CinemaID + " " + r.Days[2].Date.String()})
	assert.Equal(t, 3, r.Totals.Tickets)
	assert.Equal(t, 30, r.Totals.Capacity)
	assert.Equal(t, 10.0, r.Totals.OccupancyPercent)
	require.Len(t, r.TopProducts, 1, "limited to top")
	assert.Equal(t, reports.TopProduct{ProductID: "pipoca", Name: "Pipoca", ProductSales: reports.ProductSales{Quantity: 3, Revenue: 6100}}, r.TopProducts[0])

	all := reports.Build(day(1), day(2), "", counters, capacity, nil, 10)
	require.Len(t, all.TopProducts, 2, "a product whose every unit was cancelled is not listed")
	assert.Equal(t, "agua", all.TopProducts[1].Name, "a product off the menu shows its id")
}

func TestNotPickedUpNeverGoesBelowZero(t *testing.T) {
	// Units handed over stay counted when their order is cancelled later.
	f := reports.Figure(reports.Counters{ConcessionItems: 1, ConcessionItemsPickedUp: 3}, 0)
	assert.Zero(t, f.ConcessionItemsNotPickedUp)
	assert.Equal(t, 4, reports.Figure(reports.Counters{ConcessionItems: 5, ConcessionItemsPickedUp: 1}, 0).ConcessionItemsNotPickedUp)
}

func TestCSV(t *testing.T) {
	r := reports.Build(day(1), day(1), "a", map[reports.Key]reports.Counters{
		{CinemaID: "a", Date: day(1)}: {Tickets: 4, TicketRevenue: 12005, Orders: 2, OrdersWithConcessions: 1, ConcessionItems: 3, ConcessionItemsPickedUp: 2, ConcessionsRevenue: -5, Meia: 1},
	}, map[reports.Key]int{{CinemaID: "a", Date: day(1)}: 8}, nil, 10)
	lines := strings.Split(strings.TrimSpace(string(reports.CSV(r))), "\n")
	require.Len(t, lines, 2)
	assert.Equal(t, strings.Join(reports.CSVHeader, ","), lines[0])
	assert.Equal(t, "a,2026-12-01,4,8,50.00,120.05,2,1,50.00,3,0.75,-0.05,1,25.00,2,1", lines[1])
}
