package dynamo

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/guregu/dynamo/v2"

	"bilhetagem/internal/orders"
	"bilhetagem/internal/releases"
)

// The presale velocity counter: tickets sold per movie per UTC hour, kept by
// the transaction that pays an order, read by the release classifier
// (docs/adr/0400). Never scanned: a day of one movie is one query.

const (
	typeSalesHour = "SALES_HOUR"
	// salesShards spread one movie's hour over items, so that payments of
	// the same movie in the same second do not cancel each other's
	// transactions (TransactionConflict): a presale opening pays tens of
	// orders a second for one movie.
	salesShards = 8
	// salesKeep is how long an hour bucket stays; TTL only cleans up.
	salesKeep = 60 * 24 * time.Hour
)

func salesShard(orderID string) int { return attachShard(orderID) % salesShards }

// salesWrites are the velocity counter increment of one order being paid:
// its tickets added to its movie's bucket for the hour it is paid in. They
// belong in the transaction that turns the order PAID under its version
// condition, which makes them count exactly once. The caller leaves out an
// order whose showtime left the catalog: the counter never blocks a payment.
func (s *Store) salesWrites(o orders.Order, movieID string) []types.TransactWriteItem {
	if len(o.Tickets) == 0 {
		return nil
	}
	paidAt := o.PaidAt
	if paidAt.IsZero() {
		paidAt = time.Now()
	}
	hour := paidAt.UTC().Truncate(time.Hour)
	return []types.TransactWriteItem{{Update: &types.Update{
		TableName:                aws.String(s.name),
		Key:                      key(salesPK(movieID), salesHourSK(hour, salesShard(o.ID))),
		UpdateExpression:         aws.String("ADD Tickets :n, Orders :one SET #ty = :ty, MovieID = :m, HourMs = :h, #ttl = :ttl"),
		ExpressionAttributeNames: map[string]string{"#ty": "Type", "#ttl": "ttl"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":n": num(len(o.Tickets)), ":one": num(1), ":ty": str(typeSalesHour), ":m": str(movieID),
			":h": num64(hour.UnixMilli()), ":ttl": num64(hour.Add(salesKeep).Unix()),
		},
	}}}
}

// TicketsSold is how many tickets of the movie were paid in the UTC hours
// from the one holding from to the one holding to, both included: one query
// of the movie's partition (at most 25 hours × 8 shards of small items).
func (s *Store) TicketsSold(ctx context.Context, movieID string, from, to time.Time) (int, error) {
	if to.Before(from) {
		return 0, nil
	}
	var rows []struct{ Tickets int }
	lo := salesHourBound(from.Truncate(time.Hour))
	hi := salesHourBound(to.Truncate(time.Hour)) + "#~"
	err := s.table.Get(Table.PartitionKey, salesPK(movieID)).Range(Table.SortKey, dynamo.Between, lo, hi).All(ctx, &rows)
	if err != nil {
		return 0, translate("read sales counter", err)
	}
	n := 0
	for _, r := range rows {
		n += r.Tickets
	}
	return n, nil
}

var _ releases.Sales = (*Store)(nil)
