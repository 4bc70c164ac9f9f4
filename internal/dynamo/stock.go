package dynamo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/guregu/dynamo/v2"

	"bilhetagem/internal/orders"
	"bilhetagem/internal/stock"
)

// Bomboniere stock (docs/adr/0600). A cinema's stock line of a product size
// holds Available and Reserved as numbers that conditional updates move; an
// order that takes stock writes, in the transaction that creates it, a
// conditional decrement of each line it takes (Available >= quantity) and
// its reservation item, which every later change of the order's status
// reads and moves in the same transaction as the order, once.

const (
	typeStock      = "STOCK"
	typeOrderStock = "ORDER_STOCK"
)

type stockLineItem struct {
	PK, SK     string
	Type       string
	CinemaID   string
	ProductID  string
	Size       string
	Available  int
	Reserved   int
	UpdatedAt  time.Time `dynamo:",omitempty"`
	LastReason string    `dynamo:",omitempty"`
}

func (it stockLineItem) line() stock.Line {
	return stock.Line{Key: stock.Key{ProductID: it.ProductID, Size: it.Size}, Available: it.Available, Reserved: it.Reserved,
		UpdatedAt: it.UpdatedAt.UTC()}
}

type stockUnitAttr struct {
	ProductID string `dynamo:"p"`
	Size      string `dynamo:"s"`
	Quantity  int    `dynamo:"q"`
}

// orderStockItem is the reservation of an order: the cinema and the lines
// it took, and where they stand.
type orderStockItem struct {
	PK, SK   string
	Type     string
	CinemaID string
	State    string
	Lines    []stockUnitAttr
}

// StockLines reads a cinema's stock lines, strongly consistent.
func (s *Store) StockLines(ctx context.Context, cinemaID string) ([]stock.Line, error) {
	var items []stockLineItem
	err := s.table.Get(Table.PartitionKey, cinemaPK(cinemaID)).Range(Table.SortKey, dynamo.BeginsWith, prefixStock).
		Consistent(true).All(ctx, &items)
	if err != nil {
		return nil, translate("read stock", err)
	}
	out := make([]stock.Line, 0, len(items))
	for _, it := range items {
		out = append(out, it.line())
	}
	return out, nil
}

// AdjustStock adds each delta to its line's Available in one transaction,
// creating the lines that do not exist; a subtraction is conditioned on
// Available covering it, so a write-off below zero cancels every line with
// stock_exhausted.
func (s *Store) AdjustStock(ctx context.Context, cinemaID string, adj []stock.Adjustment, reason string, now time.Time) error {
	items := make([]types.TransactWriteItem, 0, len(adj))
	for _, a := range adj {
		u := &types.Update{
			TableName: aws.String(s.name), Key: key(cinemaPK(cinemaID), stockSK(a.ProductID, a.Size)),
			UpdateExpression: aws.String("SET #t = :type, #c = :cinema, #p = :product, #s = :size, #u = :now, #r = :reason " +
				"ADD #a :delta, #v :zero"),
			ExpressionAttributeNames: map[string]string{"#t": "Type", "#c": "CinemaID", "#p": "ProductID", "#s": "Size",
				"#u": "UpdatedAt", "#r": "LastReason", "#a": "Available", "#v": "Reserved"},
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":type": str(typeStock), ":cinema": str(cinemaID), ":product": str(a.ProductID), ":size": str(a.Size),
				":now": str(now.UTC().Format(time.RFC3339Nano)), ":reason": str(reason), ":delta": num(a.Delta), ":zero": num(0),
			},
		}
		if a.Delta < 0 {
			u.ConditionExpression = aws.String("#a >= :need")
			u.ExpressionAttributeValues[":need"] = num(-a.Delta)
		}
		items = append(items, types.TransactWriteItem{Update: u})
	}
	reasons, err := s.transact(ctx, "adjust stock", items)
	if err != nil || reasons == nil {
		return err
	}
	for i, a := range adj {
		if failed(reasons, i) {
			return stock.Short(a.Key, "")
		}
	}
	return busy("adjust stock")
}

// stockReserve is what creating o takes from its cinema's stock: for each
// size its lines take that has a stock line, a decrement of Available
// conditioned on it covering the quantity, and the order's reservation
// item. Sizes with no line are not limited and take nothing. It returns
// the writes (the lines first, in the order of keys) and the keys.
func (s *Store) stockReserve(ctx context.Context, o orders.Order) ([]types.TransactWriteItem, []stock.Key, error) {
	if len(o.Concessions) == 0 {
		return nil, nil, nil
	}
	st, _, err := s.GetShowtimeRows(ctx, o.Showtime.ID, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("reserve stock: %w", err)
	}
	menu, err := s.ListProducts(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("reserve stock: %w", err)
	}
	lines, err := s.StockLines(ctx, st.CinemaID)
	if err != nil {
		return nil, nil, fmt.Errorf("reserve stock: %w", err)
	}
	limited := map[stock.Key]bool{}
	for _, l := range lines {
		limited[l.Key] = true
	}
	wants := make([]stock.Want, 0, len(o.Concessions))
	for _, c := range o.Concessions {
		wants = append(wants, stock.Want{ProductID: c.ProductID, Size: c.Size, Quantity: c.Quantity})
	}
	demand := stock.Demand(wants, menu)
	var keys []stock.Key
	var items []types.TransactWriteItem
	res := orderStockItem{PK: orderPK(o.ID), SK: skOrderStock, Type: typeOrderStock, CinemaID: st.CinemaID, State: string(stock.Reserved)}
	for _, k := range stock.Keys(demand) {
		if !limited[k] {
			continue
		}
		q := demand[k]
		keys = append(keys, k)
		res.Lines = append(res.Lines, stockUnitAttr{k.ProductID, k.Size, q})
		items = append(items, types.TransactWriteItem{Update: &types.Update{
			TableName: aws.String(s.name), Key: key(cinemaPK(st.CinemaID), stockSK(k.ProductID, k.Size)),
			UpdateExpression:          aws.String("ADD #a :take, #v :q"),
			ConditionExpression:       aws.String("#a >= :q"),
			ExpressionAttributeNames:  map[string]string{"#a": "Available", "#v": "Reserved"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":take": num(-q), ":q": num(q)},
		}})
	}
	if len(keys) == 0 {
		return nil, nil, nil
	}
	av, err := dynamo.MarshalItem(res)
	if err != nil {
		return nil, nil, fmt.Errorf("marshal reservation: %w", err)
	}
	items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: aws.String(s.name), Item: av,
		ConditionExpression: aws.String("attribute_not_exists(PK)")}})
	return items, keys, nil
}

// stockShort is stock_exhausted for the first line of a cancelled order
// creation whose condition failed; from is the index of the first line's
// write in the transaction.
func stockShort(reasons []types.CancellationReason, from int, keys []stock.Key, o orders.Order) error {
	for i, k := range keys {
		if !failed(reasons, from+i) {
			continue
		}
		name := k.ProductID
		for _, c := range o.Concessions {
			if c.ProductID == k.ProductID {
				name = c.Name
			}
		}
		return stock.Short(k, name)
	}
	return nil
}

// stockSettle is what o's new status does to its reservation, if it has
// one: sold on PAID, given back on leaving PENDING_PAYMENT or PAID any other
// way (stock.Next). The writes move the lines and the reservation's state,
// conditioned on the state read, so they belong in the transaction that
// writes o over its version: the move happens with the change of status,
// once.
func (s *Store) stockSettle(ctx context.Context, o orders.Order) ([]types.TransactWriteItem, error) {
	if len(o.Concessions) == 0 {
		return nil, nil
	}
	var res orderStockItem
	err := s.table.Get(Table.PartitionKey, orderPK(o.ID)).Range(Table.SortKey, dynamo.Equal, skOrderStock).
		Consistent(true).One(ctx, &res)
	if errors.Is(err, dynamo.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, translate("read reservation", err)
	}
	move, next := stock.Next(stock.State(res.State), o.Status)
	if move == stock.MoveNone {
		return nil, nil
	}
	items := []types.TransactWriteItem{{Update: &types.Update{
		TableName: aws.String(s.name), Key: key(orderPK(o.ID), skOrderStock),
		UpdateExpression:          aws.String("SET #st = :next"),
		ConditionExpression:       aws.String("#st = :cur"),
		ExpressionAttributeNames:  map[string]string{"#st": "State"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":next": str(string(next)), ":cur": str(res.State)},
	}}}
	for _, l := range res.Lines {
		var expr string
		names := map[string]string{}
		values := map[string]types.AttributeValue{}
		switch move {
		case stock.MoveSell:
			expr = "ADD #v :back"
			names["#v"], values[":back"] = "Reserved", num(-l.Quantity)
		case stock.MoveRelease:
			expr = "ADD #a :q, #v :back"
			names["#a"], names["#v"], values[":q"], values[":back"] = "Available", "Reserved", num(l.Quantity), num(-l.Quantity)
		case stock.MoveRestock:
			expr = "ADD #a :q"
			names["#a"], values[":q"] = "Available", num(l.Quantity)
		}
		items = append(items, types.TransactWriteItem{Update: &types.Update{
			TableName: aws.String(s.name), Key: key(cinemaPK(res.CinemaID), stockSK(l.ProductID, l.Size)),
			UpdateExpression: aws.String(expr), ExpressionAttributeNames: names, ExpressionAttributeValues: values,
		}})
	}
	return items, nil
}

// saveOrderSettling writes o over its version with other writes (its
// reservation's move, a condition on its hold), in one transaction; a
// failed condition is ErrStale.
func (s *Store) saveOrderSettling(ctx context.Context, o orders.Order, settle []types.TransactWriteItem) error {
	put, err := s.versionedPut(newOrderItem(o, o.Version+1), o.Version)
	if err != nil {
		return err
	}
	reasons, err := s.transact(ctx, "save order", append([]types.TransactWriteItem{put}, settle...))
	if err != nil || reasons == nil {
		return err
	}
	if anyFailed(reasons) {
		return fmt.Errorf("save order %s: %w", o.ID, orders.ErrStale)
	}
	return busy("save order")
}

var _ stock.Store = (*Store)(nil)
