package booking

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
)

// isolatedSeatCases are the examples of testdata/isolated-seats.json, which
// the SPA's copy of the rule is checked against too.
type isolatedSeatCases struct {
	Cases []struct {
		Name     string
		Layout   []string
		Taken    map[string]catalog.SeatStatus
		Pick     []string
		Isolated []string
	}
}

func TestIsolatedSeatRuleAgreesWithTheSharedCases(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/isolated-seats.json")
	require.NoError(t, err)
	var file isolatedSeatCases
	require.NoError(t, json.Unmarshal(raw, &file))
	require.NotEmpty(t, file.Cases)
	now := time.Date(2026, 12, 4, 20, 0, 0, 0, catalog.Zone)
	for _, tc := range file.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			layout, err := catalog.ParseLayout(1, tc.Layout)
			require.NoError(t, err)
			var claims []catalog.SeatClaim
			for id, status := range tc.Taken {
				claims = append(claims, catalog.SeatClaim{SeatID: id, Status: status, ExpiresAt: now.Add(5 * time.Minute)})
			}
			var seats []catalog.Seat
			for _, id := range tc.Pick {
				s, ok := layout.Seat(id)
				require.True(t, ok, id)
				seats = append(seats, s)
			}
			c := Context{Layout: layout, Claims: claims}

			c.Cinema.GapPolicy = catalog.GapBlock
			_, err = checkGaps(seats, c, now)
			if len(tc.Isolated) == 0 {
				assert.NoError(t, err, "BLOCK holds it")
			} else {
				e, ok := errs.As(err)
				require.True(t, ok, "BLOCK refuses it: %v", err)
				assert.Equal(t, "seat_rule_violated", e.Code)
				assert.Equal(t, tc.Isolated, e.Seats)
			}

			c.Cinema.GapPolicy = catalog.GapWarn
			warnings, err := checkGaps(seats, c, now)
			require.NoError(t, err, "WARN always holds")
			if len(tc.Isolated) == 0 {
				assert.Empty(t, warnings)
			} else {
				require.Len(t, warnings, 1)
				assert.Equal(t, IsolatedSeat, warnings[0].Code)
				assert.Equal(t, tc.Isolated, warnings[0].Seats)
			}
		})
	}
}
