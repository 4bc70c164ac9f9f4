package dynamo

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/guregu/dynamo/v2"

	"bilhetagem/internal/booking"
	"bilhetagem/internal/errs"
)

// A buyer's caps across showtimes (issue 15, docs/adr/0500). Each of the
// buyer's hold slots is one item, PK BUYER#<sub>, SK HOLDSLOT#<n>, written
// by the transaction that creates a hold under the condition that it is
// absent or its hold expired; the same transaction checks that the buyer's
// other slots are as they were read, so the count of live holds and the sum
// of their seats are decided inside the transaction, never by a read alone.
// Releasing, buying and the expiry of a hold free its slot.
//
// A buyer's holds of one showtime in a churn window are counted on one item
// (PK BUYER#<sub>, SK HOLDCHURN#<showtime>#<window start>), incremented in
// the same transaction under the condition that the count is below the
// limit.

const (
	typeHoldSlot  = "HOLD_SLOT"
	typeHoldChurn = "HOLD_CHURN"
)

type holdSlotItem struct {
	PK, SK     string
	Type       string
	HoldID     string
	ShowtimeID string
	Seats      int
	ExpMs      int64
	TTL        int64 `dynamo:"ttl"`
}

func (it holdSlotItem) slot() booking.Slot {
	n, _ := strconv.Atoi(strings.TrimPrefix(it.SK, prefixHoldSlot))
	return booking.Slot{Number: n, HoldID: it.HoldID, ShowtimeID: it.ShowtimeID, Seats: it.Seats,
		ExpiresAt: time.UnixMilli(it.ExpMs).UTC()}
}

// buyerSlots reads the buyer's hold slots with a strongly consistent query
// of the buyer's partition.
func (s *Store) buyerSlots(ctx context.Context, holder string) ([]booking.Slot, error) {
	var items []holdSlotItem
	err := s.table.Get(Table.PartitionKey, buyerPK(holder)).
		Range(Table.SortKey, dynamo.BeginsWith, prefixHoldSlot).Consistent(true).All(ctx, &items)
	if err != nil {
		return nil, translate("read hold slots", err)
	}
	out := make([]booking.Slot, 0, len(items))
	for _, it := range items {
		out = append(out, it.slot())
	}
	return out, nil
}

// slotWrites are the transaction's actions on the buyer's slots 1..lim.Holds,
// in order: the Put of h's slot (h.BuyerSlot) where it is still free, and a
// ConditionCheck on every other slot that it is as read: still free, or
// still the same hold (or freed since, which only lowers the sums).
func (s *Store) slotWrites(h booking.Hold, read []booking.Slot, lim booking.BuyerLimits, now time.Time) ([]types.TransactWriteItem, error) {
	table := aws.String(s.name)
	nowMs := num64(now.UnixMilli())
	byNumber := map[int]booking.Slot{}
	for _, sl := range read {
		byNumber[sl.Number] = sl
	}
	var items []types.TransactWriteItem
	for n := 1; n <= lim.Holds; n++ {
		if n == h.BuyerSlot {
			av, err := dynamo.MarshalItem(holdSlotItem{PK: buyerPK(h.Holder), SK: holdSlotSK(n), Type: typeHoldSlot,
				HoldID: h.ID, ShowtimeID: h.ShowtimeID, Seats: len(h.Seats), ExpMs: h.ExpiresAt.UnixMilli(), TTL: ttlAfter(h.ExpiresAt)})
			if err != nil {
				return nil, fmt.Errorf("marshal hold slot: %w", err)
			}
			items = append(items, types.TransactWriteItem{Put: &types.Put{
				TableName: table, Item: av,
				ConditionExpression:       aws.String("attribute_not_exists(PK) OR ExpMs <= :now"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":now": nowMs},
			}})
			continue
		}
		check := &types.ConditionCheck{TableName: table, Key: key(buyerPK(h.Holder), holdSlotSK(n)),
			ConditionExpression:       aws.String("attribute_not_exists(PK) OR ExpMs <= :now"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":now": nowMs},
		}
		if sl, ok := byNumber[n]; ok && sl.Live(now) {
			check.ConditionExpression = aws.String("attribute_not_exists(PK) OR HoldID = :id OR ExpMs <= :now")
			check.ExpressionAttributeValues[":id"] = str(sl.HoldID)
		}
		items = append(items, types.TransactWriteItem{ConditionCheck: check})
	}
	return items, nil
}

// churnWrite counts h in the buyer's churn window of its showtime, under
// the condition that fewer than lim.Churn are counted there.
func (s *Store) churnWrite(h booking.Hold, lim booking.BuyerLimits, now time.Time) types.TransactWriteItem {
	start, end := lim.ChurnWindowAt(now)
	return types.TransactWriteItem{Update: &types.Update{
		TableName:                aws.String(s.name),
		Key:                      key(buyerPK(h.Holder), holdChurnSK(h.ShowtimeID, start)),
		UpdateExpression:         aws.String("ADD Cnt :one SET #ty = :ty, #ttl = if_not_exists(#ttl, :ttl)"),
		ConditionExpression:      aws.String("attribute_not_exists(Cnt) OR Cnt < :limit"),
		ExpressionAttributeNames: map[string]string{"#ty": "Type", "#ttl": Table.TTLAttribute},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":one": num(1), ":limit": num(lim.Churn), ":ty": str(typeHoldChurn), ":ttl": num64(end.Add(time.Hour).Unix()),
		},
	}}
}

// slotDelete frees h's slot, only while it is h's (or gone).
func (s *Store) slotDelete(h booking.Hold) []types.TransactWriteItem {
	if h.BuyerSlot == 0 {
		return nil // a hold from before the slots
	}
	return []types.TransactWriteItem{{Delete: &types.Delete{
		TableName: aws.String(s.name), Key: key(buyerPK(h.Holder), holdSlotSK(h.BuyerSlot)),
		ConditionExpression:       aws.String("attribute_not_exists(PK) OR HoldID = :id"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":id": str(h.ID)},
	}}}
}

// HoldsOf lists the holder's holds that are active or ordered and unexpired
// at now: the live slots name them, and each is read to be sure.
func (s *Store) HoldsOf(ctx context.Context, holder string, now time.Time) ([]booking.Hold, error) {
	slots, err := s.buyerSlots(ctx, holder)
	if err != nil {
		return nil, err
	}
	var out []booking.Hold
	for _, sl := range slots {
		if !sl.Live(now) {
			continue
		}
		h, err := s.ReadHold(ctx, sl.HoldID)
		if errs.KindOf(err) == errs.NotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		if st := h.StatusAt(now); h.Holder == holder && (st == booking.Active || st == booking.Ordered) {
			h.Status = st
			out = append(out, h)
		}
	}
	return out, nil
}
