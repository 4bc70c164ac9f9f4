package catalog

import (
	"context"
	"strconv"
	"sync"
	"time"
)

// Cache keeps what rarely changes — movies, cinemas, rooms, price tables — in the
// process for a short time, so a warm Lambda does not read them on every
// hold. A room's layout is keyed by its version and never changes under it
// (a new layout is a new version), so the only staleness is a price or gap
// policy change taking up to TTL to reach new holds; existing holds keep
// their prices whatever happens.
type Cache struct {
	Store interface {
		GetMovie(ctx context.Context, id string) (Movie, error)
		GetCinema(ctx context.Context, id string) (Cinema, error)
		GetRoomLayout(ctx context.Context, cinemaID, roomID string, version int) (Room, error)
		GetPriceTable(ctx context.Context, cinemaID string) (PriceTable, error)
	}
	TTL time.Duration
	Now func() time.Time

	mu      sync.Mutex
	entries map[string]cacheEntry
}

type cacheEntry struct {
	value   any
	expires time.Time
}

// DefaultCacheTTL is how long a cached catalog read lives.
const DefaultCacheTTL = time.Minute

// GetMovie reads a movie through the cache.
func (c *Cache) GetMovie(ctx context.Context, id string) (Movie, error) {
	return cached(c, "movie/"+id, func() (Movie, error) { return c.Store.GetMovie(ctx, id) })
}

// GetCinema reads a cinema through the cache.
func (c *Cache) GetCinema(ctx context.Context, id string) (Cinema, error) {
	return cached(c, "cinema/"+id, func() (Cinema, error) { return c.Store.GetCinema(ctx, id) })
}

// GetRoomLayout reads a room with one version of its layout through the
// cache, keyed by the version: a published layout never changes, so a new
// version is a new key and never served stale. The room's name and formats
// may take up to TTL to change.
func (c *Cache) GetRoomLayout(ctx context.Context, cinemaID, roomID string, version int) (Room, error) {
	key := "room/" + cinemaID + "/" + roomID + "/v" + strconv.Itoa(version)
	return cached(c, key, func() (Room, error) { return c.Store.GetRoomLayout(ctx, cinemaID, roomID, version) })
}

// GetPriceTable reads a price table through the cache.
func (c *Cache) GetPriceTable(ctx context.Context, cinemaID string) (PriceTable, error) {
	return cached(c, "prices/"+cinemaID, func() (PriceTable, error) { return c.Store.GetPriceTable(ctx, cinemaID) })
}

// ForgetPriceTable drops a cinema's cached table, so this process reads the
// new one at once after a change; other processes keep theirs until it
// expires.
func (c *Cache) ForgetPriceTable(cinemaID string) {
	c.mu.Lock()
	delete(c.entries, "prices/"+cinemaID)
	c.mu.Unlock()
}

// cached returns the entry for key while it is fresh, or loads it. Errors
// are never cached.
func cached[T any](c *Cache, key string, load func() (T, error)) (T, error) {
	now := time.Now()
	if c.Now != nil {
		now = c.Now()
	}
	c.mu.Lock()
	if e, ok := c.entries[key]; ok && now.Before(e.expires) {
		c.mu.Unlock()
		return e.value.(T), nil
	}
	c.mu.Unlock()
	v, err := load()
	if err != nil {
		return v, err
	}
	ttl := c.TTL
	if ttl == 0 {
		ttl = DefaultCacheTTL
	}
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[string]cacheEntry{}
	}
	c.entries[key] = cacheEntry{value: v, expires: now.Add(ttl)}
	c.mu.Unlock()
	return v, nil
}
