package catalog_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/catalog"
)

// countingStore counts reads; the cache is what is under test.
type countingStore struct {
	reads int
	fail  bool
}

func (s *countingStore) GetCinema(context.Context, string) (catalog.Cinema, error) {
	s.reads++
	if s.fail {
		return catalog.Cinema{}, errors.New("down")
	}
	return catalog.Cinema{ID: "cin-1", GapPolicy: catalog.GapWarn}, nil
}

func (s *countingStore) GetMovie(context.Context, string) (catalog.Movie, error) {
	s.reads++
	return catalog.Movie{ID: "mov-1"}, nil
}

func (s *countingStore) GetRoomLayout(_ context.Context, _, _ string, version int) (catalog.Room, error) {
	s.reads++
	return catalog.Room{ID: "room-1", Layout: catalog.Layout{Version: version}}, nil
}

func (s *countingStore) GetPriceTable(context.Context, string) (catalog.PriceTable, error) {
	s.reads++
	return catalog.PriceTable{CinemaID: "cin-1"}, nil
}

func TestCache(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 3, 20, 0, 0, 0, time.UTC)
	store := &countingStore{}
	c := &catalog.Cache{Store: store, TTL: time.Minute, Now: func() time.Time { return now }}
	ctx := context.Background()

	t.Run("a fresh entry is read once", func(t *testing.T) {
		for range 3 {
			_, err := c.GetCinema(ctx, "cin-1")
			require.NoError(t, err)
		}
		assert.Equal(t, 1, store.reads)
	})
	t.Run("keys do not collide across kinds", func(t *testing.T) {
		_, _ = c.GetRoomLayout(ctx, "cin-1", "room-1", 1)
		_, _ = c.GetPriceTable(ctx, "cin-1")
		assert.Equal(t, 3, store.reads)
	})
	t.Run("each layout version is its own entry, so a new version is never served stale", func(t *testing.T) {
		v1, err := c.GetRoomLayout(ctx, "cin-1", "room-1", 1)
		require.NoError(t, err)
		v2, err := c.GetRoomLayout(ctx, "cin-1", "room-1", 2)
		require.NoError(t, err)
		assert.Equal(t, 1, v1.Layout.Version)
		assert.Equal(t, 2, v2.Layout.Version)
		assert.Equal(t, 4, store.reads, "version 1 from the cache, version 2 read")
		store.reads--
	})
	t.Run("an entry past its TTL is read again", func(t *testing.T) {
		now = now.Add(time.Minute)
		_, _ = c.GetCinema(ctx, "cin-1")
		assert.Equal(t, 4, store.reads)
	})
	t.Run("an error is not cached", func(t *testing.T) {
		now = now.Add(time.Minute)
		store.fail = true
		_, err := c.GetCinema(ctx, "cin-1")
		require.Error(t, err)
		store.fail = false
		_, err = c.GetCinema(ctx, "cin-1")
		require.NoError(t, err)
		assert.Equal(t, 6, store.reads)
	})
}
