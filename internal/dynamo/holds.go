package dynamo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/guregu/dynamo/v2"

	"bilhetagem/internal/booking"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/money"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/pricing"
)

const (
	typeHold       = "HOLD"
	typeBuyerHold  = "BUYER_HOLD"
	typeMeiaShard  = "MEIA_SHARD"
	holdAttempts   = 8
	holdRecordKeep = 24 * time.Hour
)

type heldSeatAttr struct {
	SeatID     string `dynamo:"id"`
	Row        string `dynamo:"r"`
	Number     int    `dynamo:"n"`
	SeatType   string `dynamo:"t"`
	TicketType string `dynamo:"tt"`
	Ticket     int64  `dynamo:"p"`
	Surcharge  int64  `dynamo:"s"`
	Total      int64  `dynamo:"v"`
	Meia       bool   `dynamo:"m"`
}

type warningAttr struct {
	Code    string   `dynamo:"c"`
	Message string   `dynamo:"m"`
	Seats   []string `dynamo:"s"`
}

type holdItem struct {
	PK, SK         string
	GSI1PK, GSI1SK string
	Type           string
	ID             string
	ShowtimeID     string
	Holder         string
	Status         string
	OrderID        string `dynamo:",omitempty"`
	Seats          []heldSeatAttr
	Warnings       []warningAttr  `dynamo:",omitempty"`
	MeiaShards     map[string]int `dynamo:",omitempty"`
	Reclaimed      bool           `dynamo:",omitempty"`
	BuyerSlot      int            `dynamo:",omitempty"`
	CreatedAt      time.Time
	ExpMs          int64
	TTL            int64 `dynamo:"ttl,omitempty"`
}

func newHoldItem(h booking.Hold) holdItem {
	exp := h.ExpiresAt.UnixMilli()
	it := holdItem{
		PK: holdPK(h.ID), SK: skMeta, GSI1PK: holdsByShowtimePK(h.ShowtimeID), GSI1SK: holdExpirySK(exp, h.ID),
		Type: typeHold, ID: h.ID, ShowtimeID: h.ShowtimeID, Holder: h.Holder, Status: string(h.Status),
		OrderID: h.OrderID, CreatedAt: h.CreatedAt.UTC(), ExpMs: exp, TTL: h.ExpiresAt.Add(holdRecordKeep).Unix(),
		BuyerSlot: h.BuyerSlot,
	}
	for _, s := range h.Seats {
		it.Seats = append(it.Seats, heldSeatAttr{s.Seat.ID, s.Seat.Row, s.Seat.Number, string(s.Seat.Type), string(s.TicketType),
			int64(s.Quote.Ticket), int64(s.Quote.Surcharge), int64(s.Quote.Total), s.Quote.Meia})
	}
	for _, w := range h.Warnings {
		it.Warnings = append(it.Warnings, warningAttr{string(w.Code), w.Message, w.Seats})
	}
	if len(h.MeiaShards) > 0 {
		it.MeiaShards = map[string]int{}
		for i, n := range h.MeiaShards {
			it.MeiaShards[strconv.Itoa(i)] = n
		}
	}
	return it
}

func (it holdItem) hold() booking.Hold {
	h := booking.Hold{ID: it.ID, ShowtimeID: it.ShowtimeID, Holder: it.Holder, Status: booking.Status(it.Status),
		OrderID: it.OrderID, CreatedAt: it.CreatedAt.UTC(), ExpiresAt: time.UnixMilli(it.ExpMs).UTC(), BuyerSlot: it.BuyerSlot}
	for _, s := range it.Seats {
		h.Seats = append(h.Seats, booking.HeldSeat{
			Seat:       catalog.Seat{ID: s.SeatID, Row: s.Row, Number: s.Number, Type: catalog.SeatType(s.SeatType)},
			TicketType: pricing.TicketType(s.TicketType),
			Quote:      pricing.Quote{Ticket: money.BRL(s.Ticket), Surcharge: money.BRL(s.Surcharge), Total: money.BRL(s.Total), Meia: s.Meia},
		})
	}
	for _, w := range it.Warnings {
		h.Warnings = append(h.Warnings, booking.Warning{Code: booking.WarningCode(w.Code), Message: w.Message, Seats: w.Seats})
	}
	if len(it.MeiaShards) > 0 {
		h.MeiaShards = map[int]int{}
		for k, n := range it.MeiaShards {
			i, _ := strconv.Atoi(k)
			h.MeiaShards[i] = n
		}
	}
	return h
}

type buyerHoldItem struct {
	PK, SK string
	Type   string
	HoldID string
	ExpMs  int64
	TTL    int64 `dynamo:"ttl"`
}

type meiaShardItem struct {
	PK, SK string
	Cnt    int
}

// CreateHold takes the hold's seats, the buyer's marker, one of the buyer's
// hold slots, the buyer's churn count and the meia count in one
// TransactWriteItems. There is no read that decides a seat: each seat's Put
// carries the condition "no item, or a hold that has expired". Only the
// meia shards and the buyer's slots are read first, to choose which to
// write; their own conditions keep each within its cap, and a lost race on
// a shard or a slot retries with a fresh read.
func (s *Store) CreateHold(ctx context.Context, h booking.Hold, meiaCap int, lim booking.BuyerLimits, now time.Time) (booking.Hold, error) {
	lim = lim.OrDefault()
	caps := booking.ShardCaps(meiaCap)
	k := h.MeiaCount()
	reclaimed := false
	var lastConflict []string
	for attempt := 0; attempt < holdAttempts; attempt++ {
		h.MeiaShards = nil
		if k > 0 {
			counts, err := s.meiaCounts(ctx, h.ShowtimeID, len(caps))
			if err != nil {
				return booking.Hold{}, err
			}
			alloc, left, ok := booking.Allocate(caps, counts, k, rand.IntN(max(1, len(caps))))
			if !ok && !reclaimed {
				// Expired holds may still be counted: give their meia back
				// and look again, once.
				reclaimed = true
				if err := s.reclaimExpired(ctx, h.ShowtimeID, now); err != nil {
					return booking.Hold{}, err
				}
				attempt--
				continue
			}
			if !ok {
				e := errs.E(errs.Unprocessable, "meia_cap_reached",
					fmt.Sprintf("restam %d meias-entradas nesta sessão; a reserva pedia %d", left, k))
				return booking.Hold{}, e
			}
			h.MeiaShards = alloc
		}
		slots, err := s.buyerSlots(ctx, h.Holder)
		if err != nil {
			return booking.Hold{}, err
		}
		if h.BuyerSlot, err = booking.PickSlot(slots, lim, h, now); err != nil {
			return booking.Hold{}, err
		}
		items, err := s.holdWrites(h, caps, slots, lim, now)
		if err != nil {
			return booking.Hold{}, err
		}
		_, err = s.client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
		if err == nil {
			return h, nil
		}
		var tce *types.TransactionCanceledException
		if !errors.As(err, &tce) {
			return booking.Hold{}, translate("create hold", err)
		}
		f := holdLayout{seats: len(h.Seats), slots: lim.Holds, churn: lim.Churn > 0}.failures(h, tce.CancellationReasons)
		taken, conflicted := f.taken, f.conflicted
		switch {
		case f.marker:
			// Reported first: the buyer's own hold explains a seat conflict too.
			return booking.Hold{}, errs.E(errs.Conflict, "active_hold_exists",
				"você já tem assentos reservados nesta sessão; libere a reserva atual para escolher outros")
		case f.churn:
			_, end := lim.ChurnWindowAt(now)
			return booking.Hold{}, booking.ChurnLimited(lim, end, now)
		case len(taken) > 0:
			e := errs.E(errs.Conflict, "seat_taken",
				fmt.Sprintf("os assentos %s acabaram de ser reservados por outra pessoa; escolha outros", strings.Join(taken, ", ")))
			e.Seats = taken
			return booking.Hold{}, e
		case len(conflicted) > 0 || f.retry:
			// Another transaction was on the same items at that instant, or
			// a shard filled up, or another hold of the buyer took a slot:
			// try again with fresh shard counts and slots.
			lastConflict = conflicted
			time.Sleep(backoff(attempt))
			continue
		default:
			return booking.Hold{}, translate("create hold", err)
		}
	}
	if len(lastConflict) > 0 {
		e := errs.E(errs.Conflict, "seat_taken",
			fmt.Sprintf("os assentos %s estão sendo reservados por outra pessoa; escolha outros", strings.Join(lastConflict, ", ")))
		e.Seats = lastConflict
		return booking.Hold{}, e
	}
	return booking.Hold{}, errs.E(errs.Unavailable, "service_unavailable", "muita procura nesta sessão agora; tente novamente em instantes")
}

// holdWrites are the transaction's actions, in the order of holdLayout: one
// per seat, the hold, the buyer's marker, one per buyer's slot, the buyer's
// churn count (when limited), one per meia shard.
func (s *Store) holdWrites(h booking.Hold, caps []int, slots []booking.Slot, lim booking.BuyerLimits, now time.Time) ([]types.TransactWriteItem, error) {
	table := aws.String(s.name)
	nowMs := &types.AttributeValueMemberN{Value: strconv.FormatInt(now.UnixMilli(), 10)}
	var items []types.TransactWriteItem
	for _, hs := range h.Seats {
		av, err := dynamo.MarshalItem(newSeatItem(h.ShowtimeID, catalog.SeatClaim{
			SeatID: hs.Seat.ID, Status: catalog.SeatHeld, HoldID: h.ID, Holder: h.Holder,
			TicketType: string(hs.TicketType), Meia: hs.Quote.Meia, ExpiresAt: h.ExpiresAt,
		}))
		if err != nil {
			return nil, fmt.Errorf("marshal seat: %w", err)
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{
			TableName:                table,
			Item:                     av,
			ConditionExpression:      aws.String("attribute_not_exists(PK) OR (#st = :held AND ExpMs <= :now)"),
			ExpressionAttributeNames: map[string]string{"#st": "Status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":held": &types.AttributeValueMemberS{Value: string(catalog.SeatHeld)}, ":now": nowMs,
			},
		}})
	}
	hold, err := dynamo.MarshalItem(newHoldItem(h))
	if err != nil {
		return nil, fmt.Errorf("marshal hold: %w", err)
	}
	items = append(items, types.TransactWriteItem{Put: &types.Put{
		TableName: table, Item: hold, ConditionExpression: aws.String("attribute_not_exists(PK)"),
	}})
	marker, err := dynamo.MarshalItem(buyerHoldItem{PK: showtimePK(h.ShowtimeID), SK: buyerHoldSK(h.Holder), Type: typeBuyerHold,
		HoldID: h.ID, ExpMs: h.ExpiresAt.UnixMilli(), TTL: ttlAfter(h.ExpiresAt)})
	if err != nil {
		return nil, fmt.Errorf("marshal marker: %w", err)
	}
	items = append(items, types.TransactWriteItem{Put: &types.Put{
		TableName: table, Item: marker,
		ConditionExpression:       aws.String("attribute_not_exists(PK) OR ExpMs <= :now"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":now": nowMs},
	}})
	slotItems, err := s.slotWrites(h, slots, lim, now)
	if err != nil {
		return nil, err
	}
	items = append(items, slotItems...)
	if lim.Churn > 0 {
		items = append(items, s.churnWrite(h, lim, now))
	}
	for _, i := range sortedShards(h.MeiaShards) {
		n := h.MeiaShards[i]
		items = append(items, types.TransactWriteItem{Update: &types.Update{
			TableName:                table,
			Key:                      key(showtimePK(h.ShowtimeID), meiaShardSK(i)),
			UpdateExpression:         aws.String("SET Cnt = if_not_exists(Cnt, :zero) + :n, #ty = :ty"),
			ConditionExpression:      aws.String("attribute_not_exists(Cnt) OR Cnt <= :max"),
			ExpressionAttributeNames: map[string]string{"#ty": "Type"},
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":zero": num(0), ":n": num(n), ":max": num(caps[i] - n),
				":ty": &types.AttributeValueMemberS{Value: typeMeiaShard},
			},
		}})
	}
	return items, nil
}

// holdLayout is where each kind of action sits in a hold's transaction.
type holdLayout struct {
	seats, slots int
	churn        bool
}

// holdFailure is what a cancelled hold transaction says.
type holdFailure struct {
	taken, conflicted []string // seats held by others, seats busy in another transaction
	marker            bool     // the buyer holds this showtime already
	churn             bool     // the buyer's churn count is at its limit
	retry             bool     // a shard, slot or shared item failed or was busy: read again
}

// failures reads CancellationReasons, which come in request order.
func (l holdLayout) failures(h booking.Hold, reasons []types.CancellationReason) holdFailure {
	var f holdFailure
	n := l.seats
	marker := n + 1
	firstSlot, churn := n+2, n+2+l.slots
	for i, r := range reasons {
		code := aws.ToString(r.Code)
		failedCheck := code == "ConditionalCheckFailed"
		busy := code == "TransactionConflict"
		switch {
		case i < n && failedCheck:
			f.taken = append(f.taken, h.Seats[i].Seat.ID)
		case i < n && busy:
			f.conflicted = append(f.conflicted, h.Seats[i].Seat.ID)
		case i == marker && failedCheck:
			f.marker = true
		case l.churn && i == churn && failedCheck:
			f.churn = true
		case i >= firstSlot && (failedCheck || busy):
			f.retry = true // a slot, the churn count or a shard
		case i >= n && busy:
			f.retry = true // the hold or marker was busy: retry
		}
	}
	return f
}

// meiaCounts reads the showtime's meia shards with a strongly consistent
// query of its partition.
func (s *Store) meiaCounts(ctx context.Context, showtimeID string, shards int) ([]int, error) {
	var items []meiaShardItem
	err := s.table.Get(Table.PartitionKey, showtimePK(showtimeID)).
		Range(Table.SortKey, dynamo.BeginsWith, prefixMeia).Consistent(true).All(ctx, &items)
	if err != nil {
		return nil, translate("read meia shards", err)
	}
	counts := make([]int, shards)
	for _, it := range items {
		i, err := strconv.Atoi(strings.TrimPrefix(it.SK, prefixMeia))
		if err == nil && i < shards {
			counts[i] = it.Cnt
		}
	}
	return counts, nil
}

// MeiaCounted is the meia the showtime's counter holds now, expired holds
// not yet given back included; tests and reports read it.
func (s *Store) MeiaCounted(ctx context.Context, showtimeID string) (int, error) {
	counts, err := s.meiaCounts(ctx, showtimeID, booking.MeiaShards)
	if err != nil {
		return 0, err
	}
	sum := 0
	for _, c := range counts {
		sum += c
	}
	return sum, nil
}

// reclaimExpired gives back the meia count of the showtime's holds that
// expired without a release. Each hold is reclaimed once: the hold's update
// is conditioned on not being reclaimed yet.
func (s *Store) reclaimExpired(ctx context.Context, showtimeID string, now time.Time) error {
	var expired []holdItem
	err := s.table.Get("GSI1PK", holdsByShowtimePK(showtimeID)).Index(gsi1).
		Range("GSI1SK", dynamo.Less, padMillis(now.UnixMilli()+1)).All(ctx, &expired)
	if err != nil {
		return translate("find expired holds", err)
	}
	for _, it := range expired {
		if it.Reclaimed || len(it.MeiaShards) == 0 || (it.Status != string(booking.Active) && it.Status != string(booking.Ordered)) {
			continue
		}
		items := []types.TransactWriteItem{{Update: &types.Update{
			TableName:                aws.String(s.name),
			Key:                      key(holdPK(it.ID), skMeta),
			UpdateExpression:         aws.String("SET Reclaimed = :t"),
			ConditionExpression:      aws.String("attribute_not_exists(Reclaimed) AND ExpMs <= :now AND #st IN (:a, :o)"),
			ExpressionAttributeNames: map[string]string{"#st": "Status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":t": &types.AttributeValueMemberBOOL{Value: true}, ":now": num64(now.UnixMilli()),
				":a": str(string(booking.Active)), ":o": str(string(booking.Ordered)),
			},
		}}}
		items = append(items, s.meiaGiveBack(showtimeID, it.hold().MeiaShards)...)
		_, err := s.client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
		var tce *types.TransactionCanceledException
		if err != nil && !errors.As(err, &tce) {
			return translate("reclaim expired hold", err)
		}
		// A cancelled reclaim means someone else reclaimed, released or
		// confirmed it first: nothing to give back.
	}
	return nil
}

func (s *Store) meiaGiveBack(showtimeID string, shards map[int]int) []types.TransactWriteItem {
	var items []types.TransactWriteItem
	for _, i := range sortedShards(shards) {
		items = append(items, types.TransactWriteItem{Update: &types.Update{
			TableName:                 aws.String(s.name),
			Key:                       key(showtimePK(showtimeID), meiaShardSK(i)),
			UpdateExpression:          aws.String("SET Cnt = Cnt - :n"),
			ConditionExpression:       aws.String("Cnt >= :n"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":n": num(shards[i])},
		}})
	}
	return items
}

// GetHold reads a hold.
func (s *Store) GetHold(ctx context.Context, id string) (booking.Hold, error) {
	var it holdItem
	if err := s.getOne(ctx, holdPK(id), skMeta, &it); err != nil {
		return booking.Hold{}, notFoundAs(err, "reserva", id)
	}
	return it.hold(), nil
}

// ReleaseHold frees an unexpired active hold: its seats, its marker and its
// meia count, in one transaction conditioned on the hold still being active
// and unexpired and each seat still being the hold's.
func (s *Store) ReleaseHold(ctx context.Context, h booking.Hold, now time.Time) error {
	items := []types.TransactWriteItem{{Update: &types.Update{
		TableName:                aws.String(s.name),
		Key:                      key(holdPK(h.ID), skMeta),
		UpdateExpression:         aws.String("SET #st = :released, Reclaimed = :t"),
		ConditionExpression:      aws.String("#st = :active AND ExpMs > :now AND attribute_not_exists(Reclaimed)"),
		ExpressionAttributeNames: map[string]string{"#st": "Status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":released": str(string(booking.Released)), ":active": str(string(booking.Active)),
			":t": &types.AttributeValueMemberBOOL{Value: true}, ":now": num64(now.UnixMilli()),
		},
	}}}
	items = append(items, s.ownedDeletes(h)...)
	items = append(items, s.meiaGiveBack(h.ShowtimeID, h.MeiaShards)...)
	_, err := s.client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	var tce *types.TransactionCanceledException
	if errors.As(err, &tce) {
		return errs.Wrap(errs.Conflict, "hold_not_active", "a reserva não está mais ativa", err)
	}
	return translate("release hold", err)
}

// ownedDeletes delete the hold's seats, marker and buyer's slot, each only
// while it is the hold's.
func (s *Store) ownedDeletes(h booking.Hold) []types.TransactWriteItem {
	var items []types.TransactWriteItem
	owned := map[string]types.AttributeValue{":id": str(h.ID)}
	for _, hs := range h.Seats {
		items = append(items, types.TransactWriteItem{Delete: &types.Delete{
			TableName: aws.String(s.name), Key: key(showtimePK(h.ShowtimeID), seatSK(hs.Seat.ID)),
			ConditionExpression: aws.String("HoldID = :id"), ExpressionAttributeValues: owned,
		}})
	}
	items = append(items, types.TransactWriteItem{Delete: &types.Delete{
		TableName: aws.String(s.name), Key: key(showtimePK(h.ShowtimeID), buyerHoldSK(h.Holder)),
		ConditionExpression: aws.String("HoldID = :id"), ExpressionAttributeValues: owned,
	}})
	return append(items, s.slotDelete(h)...)
}

// ConfirmHold sells the hold's seats to an order: the hold becomes
// CONFIRMED, each seat SOLD, and the buyer's marker and slot go, so the
// buyer may hold again. It is conditioned on the hold being active or ordered,
// unexpired and its meia not given back (Reclaimed), on every seat still
// being the hold's, on the order still waiting for payment, and on the
// showtime not being cancelled nor moved by a reschedule under way. The
// order's condition pairs with CloseOrder's condition on the hold: whichever of a confirmation and an
// expiry commits first, the other fails (docs/adr/0006). A cancellation and
// a confirmation both write items of the showtime, so one of them commits
// first, and a confirmation after the cancellation fails with
// showtime_cancelled (docs/adr/0602).
func (s *Store) ConfirmHold(ctx context.Context, h booking.Hold, orderID string, now time.Time) error {
	items := []types.TransactWriteItem{{Update: &types.Update{
		TableName:                aws.String(s.name),
		Key:                      key(holdPK(h.ID), skMeta),
		UpdateExpression:         aws.String("SET #st = :confirmed, OrderID = :order REMOVE #ttl"),
		ConditionExpression:      aws.String("#st IN (:active, :ordered) AND ExpMs > :now AND attribute_not_exists(Reclaimed)"),
		ExpressionAttributeNames: map[string]string{"#st": "Status", "#ttl": Table.TTLAttribute},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":confirmed": str(string(booking.Confirmed)), ":active": str(string(booking.Active)),
			":ordered": str(string(booking.Ordered)), ":order": str(orderID), ":now": num64(now.UnixMilli()),
		},
	}}}
	for _, hs := range h.Seats {
		items = append(items, types.TransactWriteItem{Update: &types.Update{
			TableName:                aws.String(s.name),
			Key:                      key(showtimePK(h.ShowtimeID), seatSK(hs.Seat.ID)),
			UpdateExpression:         aws.String("SET #st = :sold, OrderID = :order REMOVE ExpMs, #ttl"),
			ConditionExpression:      aws.String("HoldID = :id AND #st = :held"),
			ExpressionAttributeNames: map[string]string{"#st": "Status", "#ttl": Table.TTLAttribute},
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":sold": str(string(catalog.SeatSold)), ":held": str(string(catalog.SeatHeld)),
				":order": str(orderID), ":id": str(h.ID),
			},
		}})
	}
	items = append(items, types.TransactWriteItem{Delete: &types.Delete{
		TableName: aws.String(s.name), Key: key(showtimePK(h.ShowtimeID), buyerHoldSK(h.Holder)),
		ConditionExpression:       aws.String("attribute_not_exists(PK) OR HoldID = :id"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":id": str(h.ID)},
	}})
	items = append(items, s.slotDelete(h)...) // the buyer's slot is free for another showtime
	// The order: a sale is only for an order still waiting for payment.
	orderAt, showtimeAt := len(items), len(items)+1
	items = append(items, types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
		TableName: aws.String(s.name), Key: key(orderPK(orderID), skMeta),
		ConditionExpression:       aws.String("#st = :pending"),
		ExpressionAttributeNames:  map[string]string{"#st": "Status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pending": str(string(orders.PendingPayment))},
	}})
	items = append(items, types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
		TableName: aws.String(s.name), Key: key(showtimePK(h.ShowtimeID), skMeta),
		ConditionExpression:                 aws.String("attribute_exists(PK) AND (attribute_not_exists(#st) OR #st <> :cancelled) AND attribute_not_exists(MovingTo)"),
		ExpressionAttributeNames:            map[string]string{"#st": "Status"},
		ExpressionAttributeValues:           map[string]types.AttributeValue{":cancelled": str(string(catalog.ShowtimeCancelled))},
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	}})
	_, err := s.client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	var tce *types.TransactionCanceledException
	if errors.As(err, &tce) {
		if failed(tce.CancellationReasons, showtimeAt) {
			if _, moving := tce.CancellationReasons[showtimeAt].Item["MovingTo"]; moving {
				return errs.Wrap(errs.Conflict, "showtime_changing", "esta sessão está mudando de horário", err)
			}
			return errs.Wrap(errs.Unprocessable, "showtime_cancelled", "esta sessão foi cancelada", err)
		}
		if failed(tce.CancellationReasons, orderAt) {
			return errs.Wrap(errs.Conflict, "order_not_payable", "o pedido não está mais aguardando pagamento", err)
		}
		return errs.Wrap(errs.Conflict, "hold_expired", "a reserva expirou ou não é mais válida", err)
	}
	return translate("confirm hold", err)
}

func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{Table.PartitionKey: str(pk), Table.SortKey: str(sk)}
}

func str(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
func num(n int) types.AttributeValue    { return num64(int64(n)) }
func num64(n int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}

func sortedShards(m map[int]int) []int {
	out := make([]int, 0, len(m))
	for i := range m {
		out = append(out, i)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

var _ booking.Store = (*Store)(nil)

// GetShowtimeRows reads a showtime and the claims on the seats of some rows
// only: what a hold needs to check the isolated-seat rule, without reading
// the whole room's claims.
func (s *Store) GetShowtimeRows(ctx context.Context, id string, rows []string) (catalog.ShowtimeListing, []catalog.SeatClaim, error) {
	var st showtimeItem
	if err := s.getOne(ctx, showtimePK(id), skMeta, &st); err != nil {
		if errs.KindOf(err) == errs.NotFound {
			return catalog.ShowtimeListing{}, nil, errs.NotFoundf("sessão %s não encontrada", id)
		}
		return catalog.ShowtimeListing{}, nil, err
	}
	var claims []catalog.SeatClaim
	for _, row := range rows {
		var items []seatItem
		err := s.table.Get(Table.PartitionKey, showtimePK(id)).
			Range(Table.SortKey, dynamo.BeginsWith, seatSK(row)).Consistent(true).All(ctx, &items)
		if err != nil {
			return catalog.ShowtimeListing{}, nil, translate("read seat claims", err)
		}
		for _, it := range items {
			if catalog.RowOf(it.SeatID) == row { // "SEAT#A" also matches row AA
				claims = append(claims, it.claim())
			}
		}
	}
	return st.listing(), claims, nil
}

// backoff is the wait before retrying a hold that lost a race on a shared
// item: full jitter over an exponential ceiling, 10 ms doubling up to
// about 1 s, so racing holds spread out instead of colliding again.
func backoff(attempt int) time.Duration {
	ceiling := 10 * time.Millisecond << min(attempt, 7)
	return time.Duration(rand.Int64N(int64(ceiling))) + time.Millisecond
}
