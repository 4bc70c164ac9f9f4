package dynamo

import (
	"fmt"
	"time"
)

// Key builders: every key of the table is written here and nowhere else.
// docs/access-patterns.md lists the patterns they serve.

const (
	skMeta       = "META"
	skPrices     = "PRICES"
	prefixRoom   = "ROOM#"
	prefixSeat   = "SEAT#"
	prefixMeia   = "MEIA#"
	gsiCinemas   = "CINEMAS"
	gsiMovies    = "MOVIES"
	gsiProducts  = "PRODUCTS"
	keyTimestamp = "2006-01-02T15:04:05Z"
)

func cinemaPK(id string) string   { return "CINEMA#" + id }
func roomSK(id string) string     { return prefixRoom + id }
func moviePK(id string) string    { return "MOVIE#" + id }
func showtimePK(id string) string { return "SHOWTIME#" + id }
func seatSK(id string) string     { return prefixSeat + id }
func productPK(id string) string  { return "PRODUCT#" + id }
func holdPK(id string) string     { return "HOLD#" + id }

// A buyer's marker of an unexpired hold on a showtime, and the shards of the
// showtime's meia counter, live in the showtime's partition.
func buyerHoldSK(subject string) string { return "BUYER#" + subject }
func meiaShardSK(i int) string          { return prefixMeia + padInt(i) }

// Holds are found by showtime and expiry (GSI1), to give back the meia
// count of holds that expired without a release.
func holdsByShowtimePK(showtimeID string) string { return "SHOWTIME#" + showtimeID + "#HOLDS" }
func holdExpirySK(expMs int64, id string) string { return padMillis(expMs) + "#" + id }
func padMillis(ms int64) string                  { return fmt.Sprintf("%015d", ms) }

// cinemaListSK sorts a cinema before its rooms in the cinemas partition of
// GSI1, so one query returns every cinema followed by its rooms.
func cinemaListSK(cinemaID string) string       { return "CINEMA#" + cinemaID }
func roomListSK(cinemaID, roomID string) string { return "CINEMA#" + cinemaID + "#ROOM#" + roomID }

// movieListSK sorts movies by release date.
func movieListSK(release, id string) string { return release + "#" + id }

// Showtimes are found by movie (GSI1) and by cinema (GSI2), sorted by start.
func showtimesByMoviePK(movieID string) string   { return "MOVIE#" + movieID + "#SHOWTIMES" }
func showtimesByCinemaPK(cinemaID string) string { return "CINEMA#" + cinemaID + "#SHOWTIMES" }
func showtimeSortKey(startsAt time.Time, id string) string {
	return startsAt.UTC().Format(keyTimestamp) + "#" + id
}

// timeBound is a sort-key bound for a range of start times.
func timeBound(t time.Time) string { return t.UTC().Format(keyTimestamp) }

func productListSK(sortOrder int, id string) string {
	return padInt(sortOrder) + "#" + id
}

func padInt(n int) string {
	const width = 6
	s := []byte("000000")
	for i := width - 1; i >= 0 && n > 0; i-- {
		s[i] = byte('0' + n%10)
		n /= 10
	}
	return string(s)
}
