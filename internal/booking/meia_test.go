package booking_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"bilhetagem/internal/booking"
)

func TestShardCaps(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		cap  int
		want []int
	}{
		{"a room with no meia has no shards", 0, nil},
		{"a tiny cap gets one shard per ticket", 3, []int{1, 1, 1}},
		{"the remainder goes to the first shards", 60, []int{8, 8, 8, 8, 7, 7, 7, 7}},
		{"an even cap splits evenly", 96, []int{12, 12, 12, 12, 12, 12, 12, 12}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			caps := booking.ShardCaps(tc.cap)
			assert.Equal(t, tc.want, caps)
			sum := 0
			for _, c := range caps {
				sum += c
			}
			assert.Equal(t, tc.cap, sum, "the shards add up to the cap")
		})
	}
}

func TestAllocate(t *testing.T) {
	t.Parallel()
	caps := []int{2, 2, 2}
	t.Run("takes from the start shard first", func(t *testing.T) {
		t.Parallel()
		got, _, ok := booking.Allocate(caps, []int{0, 0, 0}, 2, 1)
		assert.True(t, ok)
		assert.Equal(t, map[int]int{1: 2}, got)
	})
	t.Run("spreads over shards and wraps round", func(t *testing.T) {
		t.Parallel()
		got, _, ok := booking.Allocate(caps, []int{1, 2, 1}, 2, 2)
		assert.True(t, ok)
		assert.Equal(t, map[int]int{2: 1, 0: 1}, got)
	})
	t.Run("refuses what does not fit and says what is left", func(t *testing.T) {
		t.Parallel()
		_, left, ok := booking.Allocate(caps, []int{2, 1, 2}, 2, 0)
		assert.False(t, ok)
		assert.Equal(t, 1, left)
	})
	t.Run("zero meia takes nothing", func(t *testing.T) {
		t.Parallel()
		got, _, ok := booking.Allocate(caps, []int{2, 2, 2}, 0, 0)
		assert.True(t, ok)
		assert.Empty(t, got)
	})
}
