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
	"bilhetagem/internal/programming"
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
	listings, err := c.Listings()
	require.NoError(t, err)
	// Each room is also its layout version's item; each room and UTC hour
	// a showtime keeps busy is one item of marks.
	busy := map[string]bool{}
	for _, st := range listings {
		require.False(t, st.BusyUntil.IsZero(), "seeded showtime %s knows when its room is free", st.ID)
		for _, m := range programming.Marks(st.StartsAt, st.BusyUntil) {
			busy[st.CinemaID+"/"+st.RoomID+"/"+m.Truncate(time.Hour).Format(time.RFC3339)] = true
		}
	}
	want := len(c.Cinemas) + 2*len(c.Rooms) + len(c.Movies) + len(c.Showtimes) + len(c.Prices) + len(c.Products) + len(busy)
	assert.Equal(t, want, created, "the first run creates every entity")
	count, err := store.CountItems(ctx)
	require.NoError(t, err)
	assert.Equal(t, want, count)

	// Staff change a seeded movie; seeding again leaves the change alone.
	m, err := store.GetMovie(ctx, c.Movies[0].ID)
	require.NoError(t, err)
	m.Title = "Título mudado pela equipe"
	require.NoError(t, store.SaveMovie(ctx, m))

	again, err := seed.Apply(ctx, store, today)
	require.NoError(t, err)
	assert.Zero(t, again, "running it twice changes nothing")
	after, err := store.CountItems(ctx)
	require.NoError(t, err)
	assert.Equal(t, count, after)
	kept, err := store.GetMovie(ctx, m.ID)
	require.NoError(t, err)
	assert.Equal(t, "Título mudado pela equipe", kept.Title, "the seed never overwrites an item that exists")

	cinemas, rooms, err := store.ListCinemas(ctx)
	require.NoError(t, err)
	assert.Len(t, cinemas, len(c.Cinemas))
	assert.Len(t, rooms, len(c.Rooms))
}
