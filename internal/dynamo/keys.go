package dynamo

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
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

// A buyer's hold slots and churn counters live in the buyer's partition: one
// item per slot, taken by a hold until it expires, is released or is bought,
// and one counter per showtime and churn window (internal/dynamo/buyercaps.go).
const (
	prefixHoldSlot  = "HOLDSLOT#"
	prefixHoldChurn = "HOLDCHURN#"
)

func buyerPK(subject string) string { return "BUYER#" + subject }
func holdSlotSK(n int) string       { return prefixHoldSlot + padInt(n) }
func holdChurnSK(showtimeID string, start time.Time) string {
	return prefixHoldChurn + showtimeID + "#" + padMillis(start.UnixMilli())
}

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

// Orders, payments, provider events, tickets and idempotency keys
// (internal/dynamo/orders.go). A buyer's orders and tickets are found
// through GSI1: orders newest first by creation, tickets soonest first by
// showtime start.
func orderPK(id string) string    { return "ORDER#" + id }
func paymentPK(id string) string  { return "PAYMENT#" + id }
func pspEventPK(id string) string { return "PSPEVENT#" + id }

// pickupPK is a pickup code's item: the order it names, and the
// bomboniere lines the counter handed over (internal/dynamo/pickups.go).
func pickupPK(code string) string { return "PICKUP#" + code }

func ticketPK(id string) string          { return "TICKET#" + id }
func idempotencyPK(scope string) string  { return "IDEMPOTENCY#" + scope }
func ordersByBuyerPK(sub string) string  { return "BUYER#" + sub + "#ORDERS" }
func ticketsByBuyerPK(sub string) string { return "BUYER#" + sub + "#TICKETS" }
func orderListSK(createdAt time.Time, id string) string {
	return createdAt.UTC().Format(keyTimestamp) + "#" + id
}
func ticketListSK(startsAt time.Time, id string) string {
	return startsAt.UTC().Format(keyTimestamp) + "#" + id
}

// The payment simulator's charges, one item each, its pending Pix charges
// by expiry on GSI1, and the charges that took money by the UTC day and
// time of their last move on GSI2, for the reconciliation
// (internal/dynamo/pspsim.go).
const (
	prefixSimCharge  = "PSPSIM#"
	gsiSimPendingPix = "PSPSIM#PENDING_PIX"
	prefixSimMoney   = "PSPSIM#TOOK_MONEY#"
	dayFormat        = "2006-01-02"
)

func simChargePK(paymentID string) string { return prefixSimCharge + paymentID }
func simMoneyPK(day time.Time) string     { return prefixSimMoney + day.UTC().Format(dayFormat) }
func simMoneySK(moved time.Time, paymentID string) string {
	return padMillis(moved.UnixMilli()) + "#" + paymentID
}

// utcDays are the UTC days that [since, until) touches, first to last.
func utcDays(since, until time.Time) []time.Time {
	var out []time.Time
	since, until = since.UTC(), until.UTC()
	for d := time.Date(since.Year(), since.Month(), since.Day(), 0, 0, 0, 0, time.UTC); d.Before(until); d = d.AddDate(0, 0, 1) {
		out = append(out, d)
	}
	return out
}

// The task token of the purchase workflow's payment wait is one item in the
// order's partition (internal/dynamo/workflow.go).
const skPaymentWait = "PAYMENT_WAIT"

// Unsettled orders (waiting for payment, or unpaid with a payment that may
// need refunding) are found by their hold's expiry through GSI2
// (internal/dynamo/sweep.go): the keys are written only while the order is
// unsettled (a sparse index) and spread over pendingShards partitions, so a
// premiere's orders do not all write one index partition.
const pendingShards = 8

const prefixPendingOrders = "ORDERS#PENDING#"

func pendingOrdersPK(shard int) string { return prefixPendingOrders + padInt(shard) }
func pendingShard(orderID string) int {
	h := fnv.New32a()
	h.Write([]byte(orderID))
	return int(h.Sum32() % pendingShards)
}
func orderExpirySK(expiresAt time.Time, id string) string {
	return expiresAt.UTC().Format(keyTimestamp) + "#" + id
}

// A PAID order is on GSI2 too, in its paid day's partition, so the
// reconciliation finds the orders paid in a window (internal/dynamo/
// reconcile.go): an order is never unsettled and PAID at once, so the two
// lists share the index. The paid day's partition has the pending list's
// shards, for the same premiere burst.
const prefixPaidOrders = "ORDERS#PAID#"

func paidOrdersPK(day time.Time, shard int) string {
	return prefixPaidOrders + day.UTC().Format(dayFormat) + "#" + padInt(shard)
}

// The reconciliation's watermark, one item per payment provider: where its
// last complete run ended. Its own partition, so the job's one write can be
// granted on that leading key alone.
const (
	// ReconcilePK is the watermark's partition; the CDK grants the
	// reconciliation its one write on this leading key alone.
	ReconcilePK       = "RECONCILE"
	prefixReconciled  = "WATERMARK#"
	typeReconcileMark = "RECONCILE_WATERMARK"
)

func reconciledSK(provider string) string { return prefixReconciled + provider }

// Premiere readiness (internal/dynamo/ops.go). The scaling overrides, the
// waiting-room settings and the list of opened queues share the OPS
// partition (written by staff, read through caches). Each shard of a
// showtime's queue is a counter in its own partition (docs/adr/0403), each
// waiting-room entry has its own, and a buyer's entry for a showtime is
// found by a marker keyed by both.
const (
	opsPK              = "OPS"
	skScalingOverrides = "SCALING#OVERRIDES"
	skWaitingRoom      = "WAITINGROOM#SETTINGS"
	prefixQueue        = "QUEUE#"
)

func queueShardPK(showtimeID string, shard int) string {
	return prefixQueue + showtimeID + "#S" + strconv.Itoa(shard)
}
func queueListSK(showtimeID string) string    { return prefixQueue + showtimeID }
func wrEntryPK(id string) string              { return "WRENTRY#" + id }
func wrBuyerPK(showtimeID, sub string) string { return "WRBUYER#" + showtimeID + "#" + sub }

// Rate-limit windows: one counter item per buyer, operation and fixed
// window (docs/adr/0500).
func rateLimitPK(bucket, subject string) string { return "RATE#" + bucket + "#" + subject }
func rateWindowSK(start time.Time) string       { return "WINDOW#" + padMillis(start.UnixMilli()) }

// Presale velocity (internal/dynamo/sales.go): tickets sold per movie and
// UTC hour, in shards so that concurrent payments of one movie do not
// collide in their transactions; one query of the movie's partition reads a
// day of buckets.
func salesPK(movieID string) string { return "SALES#MOVIE#" + movieID }
func salesHourSK(hour time.Time, shard int) string {
	return "HOUR#" + hour.UTC().Format(salesHourFormat) + "#" + padInt(shard)
}
func salesHourBound(hour time.Time) string { return "HOUR#" + hour.UTC().Format(salesHourFormat) }

const salesHourFormat = "2006010215"

// Bomboniere stock (internal/dynamo/stock.go): a cinema's line per product
// size lives in the cinema's partition, so one query reads its stock; an
// order's reservation (which lines it took, and whether they are reserved,
// sold or returned) is one item in the order's partition.
const (
	prefixStock  = "STOCK#"
	skOrderStock = "STOCK"
)

func stockSK(productID, size string) string { return prefixStock + productID + "#" + size }

// Back office (internal/dynamo/programming.go). Each published layout
// version of a room is an item of the cinema's partition beside the room
// item (which carries the current one). A room's busy time is kept on one
// item per room and UTC hour, with one attribute per 5-minute mark naming
// the showtime that holds it (docs/adr/0601). A cancelled showtime records
// the orders it refunds in its own partition, and its buyers get a notice
// each in theirs.
const (
	skCancellation = "CANCELLATION"
	busyHourFormat = "2006010215"
)

func layoutSK(roomID string, version int) string {
	return prefixRoom + roomID + "#LAYOUT#" + padInt(version)
}
func roomBusyPK(cinemaID, roomID string) string { return "ROOMBUSY#" + cinemaID + "#" + roomID }
func busyHourSK(hour time.Time) string          { return "HOUR#" + hour.UTC().Format(busyHourFormat) }
func markAttr(mark time.Time) string            { return "M" + mark.UTC().Format("04") }
func noticePK(buyer string) string              { return "NOTICE#" + buyer }
func noticeSK(showtimeID, kind string) string   { return "SHOWTIME#" + showtimeID + "#" + kind }

// Sales report counters (internal/dynamo/reports.go): a cinema's partition
// holds one item per São Paulo day and shard, sorted by day, so a date range
// is one query.
func reportPK(cinemaID string) string       { return "REPORT#" + cinemaID }
func reportSK(day string, shard int) string { return "DAY#" + day + "#" + strconv.Itoa(shard) }
func reportSKBound(day string) string       { return "DAY#" + day }
func reportDay(sk string) string            { return strings.SplitN(strings.TrimPrefix(sk, "DAY#"), "#", 2)[0] }
