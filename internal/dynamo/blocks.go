package dynamo

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/guregu/dynamo/v2"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/programming"
)

// Seat blocks of one showtime (docs/adr/0602): the seat's own item in the
// showtime's partition, with Status BLOCKED, so every hold's condition
// ("no item, or an expired hold") refuses the seat and the seat map shows
// it blocked. A block has no ExpMs and no ttl: it lasts until unblocked.

// blockItem is a seatItem with Status BLOCKED and who blocked it and why.
type blockItem struct {
	PK, SK    string
	Type      string
	SeatID    string
	Status    string
	Reason    string
	BlockedBy string
	BlockedAt time.Time
}

// BlockSeats puts a BLOCKED item for each seat in one TransactWriteItems,
// each conditioned on the seat being free, held by an expired hold, or
// already blocked. A seat held or sold fails its condition: the answer is
// seat_occupied naming those seats, and nothing is written.
func (s *Store) BlockSeats(ctx context.Context, showtimeID string, blocks []programming.SeatBlock, now time.Time) error {
	nowMs := &types.AttributeValueMemberN{Value: strconv.FormatInt(now.UnixMilli(), 10)}
	items := make([]types.TransactWriteItem, 0, len(blocks))
	for _, b := range blocks {
		av, err := dynamo.MarshalItem(blockItem{PK: showtimePK(showtimeID), SK: seatSK(b.SeatID), Type: typeSeat, SeatID: b.SeatID,
			Status: string(catalog.SeatBlocked), Reason: b.Reason, BlockedBy: b.BlockedBy, BlockedAt: b.BlockedAt.UTC()})
		if err != nil {
			return fmt.Errorf("block seats: %w", err)
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{
			TableName: aws.String(s.name), Item: av,
			ConditionExpression:      aws.String("attribute_not_exists(PK) OR (#st = :held AND ExpMs <= :now) OR #st = :blocked"),
			ExpressionAttributeNames: map[string]string{"#st": "Status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":held": str(string(catalog.SeatHeld)), ":blocked": str(string(catalog.SeatBlocked)), ":now": nowMs,
			},
		}})
	}
	reasons, err := s.transact(ctx, "block seats", items)
	if err != nil {
		return err
	}
	if reasons == nil {
		return nil
	}
	var occupied []string
	for i, b := range blocks {
		if failed(reasons, i) {
			occupied = append(occupied, b.SeatID)
		}
	}
	if len(occupied) == 0 {
		return busy("block seats")
	}
	e := errs.E(errs.Conflict, "seat_occupied",
		fmt.Sprintf("os assentos %s estão reservados ou vendidos; remaneje o comprador antes de bloqueá-los", strings.Join(occupied, ", ")))
	e.Seats = occupied
	return e
}

// UnblockSeat deletes the seat's item only while it is BLOCKED: a seat
// held or sold is never freed here, and a seat with no item stays free.
func (s *Store) UnblockSeat(ctx context.Context, showtimeID, seatID string) error {
	err := s.table.Delete(Table.PartitionKey, showtimePK(showtimeID)).Range(Table.SortKey, seatSK(seatID)).
		If("$ = ?", "Status", string(catalog.SeatBlocked)).Run(ctx)
	if dynamo.IsCondCheckFailed(err) {
		return nil // not blocked (free, held or sold): nothing to unblock
	}
	return translate("unblock seat", err)
}

// SeatBlocks lists a showtime's blocked seats: one strongly consistent
// query of the seat items of its partition, filtered on Status.
func (s *Store) SeatBlocks(ctx context.Context, showtimeID string) ([]programming.SeatBlock, error) {
	var items []blockItem
	err := s.table.Get(Table.PartitionKey, showtimePK(showtimeID)).Range(Table.SortKey, dynamo.BeginsWith, prefixSeat).
		Filter("$ = ?", "Status", string(catalog.SeatBlocked)).Consistent(true).All(ctx, &items)
	if err != nil {
		return nil, translate("list seat blocks", err)
	}
	out := make([]programming.SeatBlock, 0, len(items))
	for _, it := range items {
		out = append(out, programming.SeatBlock{SeatID: it.SeatID, Reason: it.Reason, BlockedBy: it.BlockedBy, BlockedAt: it.BlockedAt.UTC()})
	}
	sort.Slice(out, func(i, j int) bool { return seatLess(out[i].SeatID, out[j].SeatID) })
	return out, nil
}

// seatLess orders seat ids by row, then number (A2 before A10).
func seatLess(a, b string) bool {
	ra, rb := catalog.RowOf(a), catalog.RowOf(b)
	if ra != rb {
		return len(ra) < len(rb) || len(ra) == len(rb) && ra < rb
	}
	na, _ := strconv.Atoi(strings.TrimPrefix(a, ra))
	nb, _ := strconv.Atoi(strings.TrimPrefix(b, rb))
	return na < nb
}
