package catalog_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/catalog"
)

func TestSeatMap(t *testing.T) {
	t.Parallel()
	layout, err := catalog.ParseLayout(1, []string{"SSSSS", "SSSSX"})
	require.NoError(t, err)
	now := time.Date(2026, 12, 3, 22, 0, 0, 0, time.UTC)
	claims := []catalog.SeatClaim{
		{SeatID: "A1", Status: catalog.SeatHeld, HoldID: "h-ana", Holder: "user-ana", TicketType: "MEIA_ESTUDANTE", Meia: true, ExpiresAt: now.Add(time.Minute)},
		{SeatID: "A2", Status: catalog.SeatHeld, Holder: "user-bruno", TicketType: "INTEIRA", ExpiresAt: now.Add(-time.Second)},
		{SeatID: "A3", Status: catalog.SeatSold, HoldID: "h-bruno", Holder: "user-bruno", TicketType: "MEIA_IDOSO", Meia: true},
		{SeatID: "B1", Status: catalog.SeatBlocked},
	}
	views, avail, meiaLeft := catalog.SeatMap(layout, claims, "h-ana", now)

	status := map[string]catalog.SeatStatus{}
	yours := map[string]bool{}
	for _, v := range views {
		status[v.ID], yours[v.ID] = v.Status, v.Yours
	}
	t.Run("an unexpired hold shows held, and yours to whoever names the hold", func(t *testing.T) {
		assert.Equal(t, catalog.SeatHeld, status["A1"])
		assert.True(t, yours["A1"])
	})
	t.Run("an expired hold shows available before any cleanup", func(t *testing.T) {
		assert.Equal(t, catalog.SeatAvailable, status["A2"])
	})
	t.Run("a sold seat is not yours when someone else bought it", func(t *testing.T) {
		assert.Equal(t, catalog.SeatSold, status["A3"])
		assert.False(t, yours["A3"])
	})
	t.Run("blocked seats leave the capacity", func(t *testing.T) {
		assert.Equal(t, catalog.SeatBlocked, status["B1"])
		assert.Equal(t, catalog.SeatBlocked, status["B5"])
		assert.Equal(t, catalog.Availability{Capacity: 8, Available: 6, Held: 1, Sold: 1, Blocked: 2}, avail)
	})
	t.Run("meia left is 40 percent of capacity less active meia tickets", func(t *testing.T) {
		assert.Equal(t, 8*40/100-2, meiaLeft)
	})
}

func TestMeiaCap(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ capacity, want int }{{0, 0}, {1, 0}, {10, 4}, {152, 60}, {251, 100}} {
		assert.Equal(t, tc.want, catalog.MeiaCap(tc.capacity), "capacity %d", tc.capacity)
	}
}
