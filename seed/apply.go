package seed

import (
	"context"
	"fmt"
	"time"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/programming"
)

// Listings joins each showtime with the names it is listed under, its end
// time and when its room is free again (end plus Cleaning, on a 5-minute
// mark), as the store keeps them.
func (c *Catalog) Listings() ([]catalog.ShowtimeListing, error) {
	movies := map[string]catalog.Movie{}
	for _, m := range c.Movies {
		movies[m.ID] = m
	}
	cinemas := map[string]string{}
	for _, ci := range c.Cinemas {
		cinemas[ci.ID] = ci.Name
	}
	rooms := map[string]string{}
	for _, r := range c.Rooms {
		rooms[r.CinemaID+"/"+r.ID] = r.Name
	}
	out := make([]catalog.ShowtimeListing, 0, len(c.Showtimes))
	for _, st := range c.Showtimes {
		m, ok := movies[st.MovieID]
		if !ok {
			return nil, fmt.Errorf("showtime %s: unknown movie %s", st.ID, st.MovieID)
		}
		cinema, ok := cinemas[st.CinemaID]
		if !ok {
			return nil, fmt.Errorf("showtime %s: unknown cinema %s", st.ID, st.CinemaID)
		}
		room, ok := rooms[st.CinemaID+"/"+st.RoomID]
		if !ok {
			return nil, fmt.Errorf("showtime %s: unknown room %s", st.ID, st.RoomID)
		}
		runtime := time.Duration(m.RuntimeMinutes) * time.Minute
		st.BusyUntil = programming.BusyUntil(st.StartsAt, runtime, Cleaning)
		out = append(out, catalog.ShowtimeListing{
			Showtime: st, EndsAt: st.StartsAt.Add(runtime),
			MovieTitle: m.Title, CinemaName: cinema, RoomName: room,
		})
	}
	return out, nil
}

// Apply fills the store with the chain as of today. It only creates what is
// missing and never changes what exists, so applying twice changes nothing.
// It returns how many items it created.
func Apply(ctx context.Context, store *dynamo.Store, today catalog.Date) (int, error) {
	c, err := Build(today)
	if err != nil {
		return 0, fmt.Errorf("seed: %w", err)
	}
	listings, err := c.Listings()
	if err != nil {
		return 0, fmt.Errorf("seed: %w", err)
	}
	n, err := store.PutCatalog(ctx, dynamo.CatalogData{
		Cinemas: c.Cinemas, Rooms: c.Rooms, Movies: c.Movies, Showtimes: listings, Prices: c.Prices, Products: c.Products,
	})
	if err != nil {
		return n, fmt.Errorf("seed: %w", err)
	}
	return n, nil
}
