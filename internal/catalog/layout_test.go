package catalog_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/catalog"
)

func TestParseLayout(t *testing.T) {
	t.Parallel()

	t.Run("numbers seats left to right skipping aisles", func(t *testing.T) {
		t.Parallel()
		l, err := catalog.ParseLayout(1, []string{"SS_SS", "SS_SX"})
		require.NoError(t, err)
		require.Len(t, l.Seats, 8)
		assert.Equal(t, 5, l.Width)
		assert.Equal(t, 2, l.Height)
		b4, ok := l.Seat("B4")
		require.True(t, ok)
		assert.Equal(t, catalog.Seat{ID: "B4", Row: "B", Number: 4, X: 4, Y: 1, Type: catalog.SeatStandard, Blocked: true}, b4)
		assert.Equal(t, 7, l.Capacity(), "a blocked seat is not sellable")
	})

	t.Run("pairs couple halves and companions with their wheelchair space", func(t *testing.T) {
		t.Parallel()
		l, err := catalog.ParseLayout(1, []string{"WC_SS", "PPPP_"})
		require.NoError(t, err)
		a2, _ := l.Seat("A2")
		assert.Equal(t, catalog.SeatCompanion, a2.Type)
		assert.Equal(t, "A1", a2.Pair)
		a1, _ := l.Seat("A1")
		assert.Equal(t, "A2", a1.Pair, "the wheelchair space names its companion seat")
		b1, _ := l.Seat("B1")
		b2, _ := l.Seat("B2")
		b3, _ := l.Seat("B3")
		assert.Equal(t, "B2", b1.Pair)
		assert.Equal(t, "B1", b2.Pair)
		assert.Equal(t, "B4", b3.Pair)
	})

	t.Run("names rows past Z as AA, AB", func(t *testing.T) {
		t.Parallel()
		rows := make([]string, 28)
		for i := range rows {
			rows[i] = "S"
		}
		l, err := catalog.ParseLayout(1, rows)
		require.NoError(t, err)
		_, ok := l.Seat("AB1")
		assert.True(t, ok)
	})

	refused := []struct {
		name string
		rows []string
	}{
		{"an empty room", []string{"___"}},
		{"an unknown symbol", []string{"SSQ"}},
		{"a lone couple seat", []string{"P_SS"}},
		{"an odd run of couple seats", []string{"PPP"}},
		{"a companion seat with no wheelchair space beside it", []string{"SC_W"}},
	}
	for _, tc := range refused {
		t.Run("refuses "+tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := catalog.ParseLayout(1, tc.rows)
			require.ErrorIs(t, err, catalog.ErrInvalidLayout)
		})
	}
}

func TestLayoutValidateRefusesDuplicateSeatIDs(t *testing.T) {
	t.Parallel()
	l := catalog.Layout{Seats: []catalog.Seat{{ID: "A1", Type: catalog.SeatStandard}, {ID: "A1", Type: catalog.SeatStandard, X: 1}}}
	require.ErrorIs(t, l.Validate(), catalog.ErrInvalidLayout)
}

func TestRowOf(t *testing.T) {
	t.Parallel()
	for id, want := range map[string]string{"A1": "A", "F12": "F", "AB3": "AB", "": "", "12": ""} {
		assert.Equal(t, want, catalog.RowOf(id), id)
	}
}
