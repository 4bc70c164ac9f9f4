package dynamo_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/dynamo/dynamotest"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/money"
)

func TestMain(m *testing.M) { os.Exit(dynamotest.Main(m)) }

var day = catalog.Date{Year: 2026, Month: time.December, Day: 3}

func fixture(t *testing.T) dynamo.CatalogData {
	t.Helper()
	layout, err := catalog.ParseLayout(1, []string{"WC_SS", "SS_SS", "PP_VV"})
	require.NoError(t, err)
	room := catalog.Room{CinemaID: "cin-paulista", ID: "room-paulista-1", Name: "Sala 1", Formats: []catalog.Format{catalog.Format2D, catalog.Format3D}, Layout: layout}
	movie := catalog.Movie{ID: "mov-aurora", Title: "Aurora", OriginalTitle: "Aurora", Synopsis: "Uma história.",
		AgeRating: catalog.Rating12, Genres: []string{"Drama"}, RuntimeMinutes: 110, ReleaseDate: day.AddDays(-7),
		PosterURL: "https://img.bilhetagem.example/posters/mov-aurora.jpg"}
	listing := func(id string, h int) catalog.ShowtimeListing {
		start := day.At(h, 0).UTC()
		return catalog.ShowtimeListing{
			Showtime: catalog.Showtime{ID: id, MovieID: movie.ID, CinemaID: room.CinemaID, RoomID: room.ID,
				StartsAt: start, Format: catalog.Format2D, Language: catalog.Dubbed, LayoutVersion: 1},
			EndsAt: start.Add(110 * time.Minute), MovieTitle: movie.Title, CinemaName: "Bilhetagem Paulista", RoomName: room.Name,
		}
	}
	return dynamo.CatalogData{
		Cinemas:   []catalog.Cinema{{ID: "cin-paulista", Name: "Bilhetagem Paulista", Neighborhood: "Bela Vista", City: "São Paulo", State: "SP", GapPolicy: catalog.GapBlock}},
		Rooms:     []catalog.Room{room},
		Movies:    []catalog.Movie{movie},
		Showtimes: []catalog.ShowtimeListing{listing("st-1", 14), listing("st-2", 20), listing("st-next-day", 24+1)},
		Prices: []catalog.PriceTable{{CinemaID: "cin-paulista",
			Rules:          []catalog.PriceRule{{Format: catalog.Format2D, Weekdays: []time.Weekday{time.Thursday}, Inteira: 3200}},
			SeatSurcharges: map[catalog.SeatType]money.BRL{catalog.SeatVIP: 1000}, PromoWeekdays: []time.Weekday{time.Tuesday}}},
		Products: []catalog.Product{
			{ID: "prd-pipoca", Name: "Pipoca salgada", Category: catalog.CategoryPopcorn, Sizes: []catalog.Size{{Code: "G", Label: "Grande", Price: 2400, Cost: 300}}, Serves: 1, Active: true, SortOrder: 10},
			{ID: "prd-combo", Name: "Combo", Category: catalog.CategoryCombo, Sizes: []catalog.Size{{Code: "UN", Label: "Único", Price: 4000, Cost: 600}},
				ComboItems: []catalog.ComboItem{{ProductID: "prd-pipoca", Size: "G", Quantity: 2}}, Serves: 2, Active: true, SortOrder: 1},
		},
	}
}

func TestStoreCatalog(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := dynamotest.NewStore(t)
	data := fixture(t)

	created, err := store.PutCatalog(ctx, data)
	require.NoError(t, err)
	require.Equal(t, 10, created, "a cinema, a room and its layout version 1, a movie, three showtimes, a price table, two products")

	t.Run("putting the catalog again creates nothing and changes nothing", func(t *testing.T) {
		before, err := store.CountItems(ctx)
		require.NoError(t, err)
		again, err := store.PutCatalog(ctx, data)
		require.NoError(t, err)
		assert.Zero(t, again)
		after, err := store.CountItems(ctx)
		require.NoError(t, err)
		assert.Equal(t, before, after)
	})

	t.Run("cinemas come back with their rooms and layouts", func(t *testing.T) {
		cinemas, rooms, err := store.ListCinemas(ctx)
		require.NoError(t, err)
		assert.Equal(t, data.Cinemas, cinemas)
		require.Len(t, rooms, 1)
		assert.Equal(t, data.Rooms[0], rooms[0])
	})

	t.Run("a movie comes back whole", func(t *testing.T) {
		m, err := store.GetMovie(ctx, "mov-aurora")
		require.NoError(t, err)
		assert.Equal(t, data.Movies[0], m)
	})

	t.Run("a missing movie is not found", func(t *testing.T) {
		_, err := store.GetMovie(ctx, "mov-nope")
		assert.Equal(t, errs.NotFound, errs.KindOf(err))
	})

	t.Run("showtimes of a day by movie exclude the next day", func(t *testing.T) {
		sts, err := store.ShowtimesByMovie(ctx, "mov-aurora", day.Start(), day.AddDays(1).Start())
		require.NoError(t, err)
		require.Len(t, sts, 2)
		assert.Equal(t, "st-1", sts[0].ID)
		assert.Equal(t, data.Showtimes[1], sts[1])
	})

	t.Run("showtimes of a day by cinema are in start order", func(t *testing.T) {
		sts, err := store.ShowtimesByCinema(ctx, "cin-paulista", day.Start(), day.AddDays(2).Start())
		require.NoError(t, err)
		require.Len(t, sts, 3)
		assert.Equal(t, []string{"st-1", "st-2", "st-next-day"}, []string{sts[0].ID, sts[1].ID, sts[2].ID})
	})

	t.Run("a showtime comes back with the claims on its seats", func(t *testing.T) {
		claim := catalog.SeatClaim{SeatID: "B1", Status: catalog.SeatHeld, HoldID: "hold-1", Holder: "user-ana",
			TicketType: "INTEIRA", ExpiresAt: time.Date(2026, 12, 3, 17, 10, 0, 0, time.UTC)}
		require.NoError(t, store.PutSeatClaim(ctx, "st-1", claim))
		st, claims, err := store.GetShowtime(ctx, "st-1")
		require.NoError(t, err)
		assert.Equal(t, data.Showtimes[0], st)
		assert.Equal(t, []catalog.SeatClaim{claim}, claims)
	})

	t.Run("a missing showtime is not found", func(t *testing.T) {
		_, _, err := store.GetShowtime(ctx, "st-nope")
		assert.Equal(t, errs.NotFound, errs.KindOf(err))
	})

	t.Run("price tables and products round-trip", func(t *testing.T) {
		p, err := store.GetPriceTable(ctx, "cin-paulista")
		require.NoError(t, err)
		assert.Equal(t, data.Prices[0], p)
		products, err := store.ListProducts(ctx)
		require.NoError(t, err)
		assert.Equal(t, []catalog.Product{data.Products[1], data.Products[0]}, products, "menu order is by sort order")
	})
}

func TestStoreUnreachableIsUnavailable(t *testing.T) {
	t.Parallel()
	// Nothing listens on port 1 of loopback.
	store, err := dynamo.Open(context.Background(), dynamo.Config{Table: "t", Endpoint: "http://127.0.0.1:1", MaxAttempts: 1, Timeout: time.Second})
	require.NoError(t, err)
	err = store.Ping(context.Background())
	require.Error(t, err)
	e, ok := errs.As(err)
	require.True(t, ok, "got %v", err)
	assert.Equal(t, errs.Unavailable, e.Kind)
	assert.Equal(t, "service_unavailable", e.Code)
}

func TestStoreMissingTableIsUnavailable(t *testing.T) {
	t.Parallel()
	store, err := dynamo.Open(context.Background(), dynamo.Config{Table: "no-such-table", Endpoint: dynamotest.Endpoint(t)})
	require.NoError(t, err)
	assert.Equal(t, errs.Unavailable, errs.KindOf(store.Ping(context.Background())))
}
