package seed_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/dynamo/dynamotest"
	"bilhetagem/seed"
)

func TestMain(m *testing.M) { os.Exit(dynamotest.Main(m)) }

func TestApplyIsIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := dynamotest.NewStore(t)
	today := catalog.Date{Year: 2026, Month: time.December, Day: 3}

	created, err := seed.Apply(ctx, store, today)
	require.NoError(t, err)
	c, err := seed.Build(today)
	require.NoError(t, err)
	want := len(c.Cinemas) + len(c.Rooms) + len(c.Movies) + len(c.Showtimes) + len(c.Prices) + len(c.Products)
	assert.Equal(t, want, created, "the first run creates every entity")
	count, err := store.CountItems(ctx)
	require.NoError(t, err)
	assert.Equal(t, want, count)

	again, err := seed.Apply(ctx, store, today)
	require.NoError(t, err)
	assert.Zero(t, again, "running it twice changes nothing")
	after, err := store.CountItems(ctx)
	require.NoError(t, err)
	assert.Equal(t, count, after)

	cinemas, rooms, err := store.ListCinemas(ctx)
	require.NoError(t, err)
	assert.Len(t, cinemas, len(c.Cinemas))
	assert.Len(t, rooms, len(c.Rooms))
}
