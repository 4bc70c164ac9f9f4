package catalog

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestSalesOpen(t *testing.T) {
	start := time.Date(2026, 12, 4, 21, 0, 0, 0, Zone)
	before := start.Add(-time.Hour)
	s := &Service{}
	assert.True(t, s.SalesOpen(Showtime{StartsAt: start}, before))
	assert.False(t, s.SalesOpen(Showtime{StartsAt: start}, start.Add(DefaultSalesCloseAfter)), "closed some minutes after the start")
	assert.False(t, s.SalesOpen(Showtime{StartsAt: start, Status: ShowtimeCancelled}, before), "a cancelled showtime sells nothing")
	assert.False(t, s.SalesOpen(Showtime{StartsAt: start, MovingTo: start.Add(time.Hour)}, before),
		"nor does one a reschedule is moving: holds would answer showtime_changing")
}
