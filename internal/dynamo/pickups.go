package dynamo

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/orders"
)

// A pickup code's item (PICKUP#<code>, META) names its order and keeps,
// in the map Redeemed, each bomboniere line the counter handed over, by
// line index: {"At": RFC 3339, "By": staff name}. Each line is set once,
// by a conditional update.
const typePickup = "PICKUP"

// pickupPut writes the pickup of a paid order with bomboniere items, only
// if no order has its code.
func (s *Store) pickupPut(o orders.Order) types.TransactWriteItem {
	item := key(pickupPK(o.PickupCode), skMeta)
	item["Type"] = str(typePickup)
	item["OrderID"] = str(o.ID)
	item["Redeemed"] = &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{}}
	return types.TransactWriteItem{Put: &types.Put{TableName: aws.String(s.name), Item: item,
		ConditionExpression: aws.String("attribute_not_exists(PK)")}}
}

// GetPickup reads a pickup code, strongly consistent.
func (s *Store) GetPickup(ctx context.Context, code string) (orders.PickupRecord, error) {
	out, err := s.client.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.name), Key: key(pickupPK(code), skMeta),
		ConsistentRead: aws.Bool(true)})
	if err != nil {
		return orders.PickupRecord{}, translate("get pickup", err)
	}
	if out.Item == nil {
		return orders.PickupRecord{}, errs.E(errs.NotFound, "not_found", "código de retirada não encontrado")
	}
	rec := orders.PickupRecord{Code: code, Redeemed: map[int]orders.Redemption{}}
	if v, ok := out.Item["OrderID"].(*types.AttributeValueMemberS); ok {
		rec.OrderID = v.Value
	}
	m, _ := out.Item["Redeemed"].(*types.AttributeValueMemberM)
	if m == nil {
		return rec, nil
	}
	for k, v := range m.Value {
		i, err := strconv.Atoi(k)
		line, ok := v.(*types.AttributeValueMemberM)
		if err != nil || !ok {
			return orders.PickupRecord{}, fmt.Errorf("pickup %s: malformed line %q", code, k)
		}
		var r orders.Redemption
		if at, ok := line.Value["At"].(*types.AttributeValueMemberS); ok {
			if r.At, err = time.Parse(time.RFC3339Nano, at.Value); err != nil {
				return orders.PickupRecord{}, fmt.Errorf("pickup %s: line %d: %w", code, i, err)
			}
		}
		if by, ok := line.Value["By"].(*types.AttributeValueMemberS); ok {
			r.By = by.Value
		}
		rec.Redeemed[i] = r
	}
	return rec, nil
}

// RedeemPickup sets each line's redemption only where it is unset, and only
// while the order is PAID, and adds the lines' units to the picked-up items
// of the order's cinema-day in the sales report (reports.go), in one
// transaction; orders.ErrStale otherwise.
func (s *Store) RedeemPickup(ctx context.Context, code string, o orders.Order, lines []int, r orders.Redemption) error {
	orderID := o.ID
	units := 0
	for _, i := range lines {
		if i >= 0 && i < len(o.Concessions) {
			units += o.Concessions[i].Quantity
		}
	}
	names := map[string]string{"#red": "Redeemed"}
	redemption := &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{
		"At": str(r.At.UTC().Format(time.RFC3339Nano)), "By": str(r.By)}}
	set, cond := "SET ", "OrderID = :order"
	for n, i := range lines {
		name := "#l" + strconv.Itoa(n)
		names[name] = strconv.Itoa(i)
		if n > 0 {
			set += ", "
		}
		set += "#red." + name + " = :r"
		cond += " AND attribute_not_exists(#red." + name + ")"
	}
	items := []types.TransactWriteItem{
		{ConditionCheck: &types.ConditionCheck{TableName: aws.String(s.name), Key: key(orderPK(orderID), skMeta),
			ConditionExpression:       aws.String("#st = :paid"),
			ExpressionAttributeNames:  map[string]string{"#st": "Status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":paid": str(string(orders.Paid))}}},
		{Update: &types.Update{TableName: aws.String(s.name), Key: key(pickupPK(code), skMeta),
			UpdateExpression: aws.String(set), ConditionExpression: aws.String(cond), ExpressionAttributeNames: names,
			ExpressionAttributeValues: map[string]types.AttributeValue{":r": redemption, ":order": str(orderID)}}},
	}
	if units > 0 && o.Showtime.CinemaID != "" {
		items = append(items, types.TransactWriteItem{Update: &types.Update{TableName: aws.String(s.name),
			Key:                       key(reportPK(o.Showtime.CinemaID), reportSK(catalog.DateOf(o.Showtime.StartsAt).String(), reportShard(o.ID))),
			UpdateExpression:          aws.String("ADD #n :n"),
			ExpressionAttributeNames:  map[string]string{"#n": attrConcPickedUp},
			ExpressionAttributeValues: map[string]types.AttributeValue{":n": num(units)}}})
	}
	reasons, err := s.transact(ctx, "redeem pickup", items)
	if err != nil || reasons == nil {
		return err
	}
	return fmt.Errorf("redeem pickup %s: %w", code, orders.ErrStale)
}
