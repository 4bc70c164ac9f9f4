package dynamo

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/guregu/dynamo/v2"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/concessions"
)

// Attach aggregates (docs/adr/0202): per segment, sharded counters of paid
// orders and of the orders that had each product; per buyer, the same over
// their own orders. Products are top-level attributes "P#<id>" so ADD can
// create them.

const (
	attachPK     = "ATTACH"
	attachShards = 8
	historySK    = "CONCESSIONS"
	// typeConcessionHistory tags a buyer's history; the attach counters
	// carry typeAttach.
	typeConcessionHistory = "CONCESSION_HISTORY"
	typeAttach            = "ATTACH"
	attrOrders            = "orders"
	productAttrPfx        = "P#"
	categoryAttrPfx       = "C#"
)

func userPK(sub string) string { return "USER#" + sub }

func attachSK(s concessions.Segment, shard int) string {
	return string(s) + "#" + strconv.Itoa(shard)
}

func attachShard(orderID string) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(orderID))
	return int(h.Sum32() % attachShards)
}

// ReadAggregates sums the attach counters of every segment: one query of a
// partition of at most 40 small items.
func (s *Store) ReadAggregates(ctx context.Context) (concessions.Aggregates, error) {
	var items []dynamo.Item
	if err := s.table.Get(Table.PartitionKey, attachPK).All(ctx, &items); err != nil {
		return concessions.Aggregates{}, translate("read attach aggregates", err)
	}
	agg := concessions.Aggregates{Segments: map[concessions.Segment]concessions.Counts{}}
	for _, it := range items {
		sk, _ := it[Table.SortKey].(*types.AttributeValueMemberS)
		if sk == nil {
			continue
		}
		seg := concessions.Segment(strings.SplitN(sk.Value, "#", 2)[0])
		c := agg.Segment(seg)
		orders, products, _ := counters(it)
		c.Orders += orders
		if c.Products == nil {
			c.Products = map[string]int{}
		}
		for id, n := range products {
			c.Products[id] += n
		}
		if seg == concessions.SegmentAll {
			agg.All = c
		} else {
			agg.Segments[seg] = c
		}
	}
	return agg, nil
}

// ReadHistory reads a buyer's own concession history.
func (s *Store) ReadHistory(ctx context.Context, sub string) (concessions.History, error) {
	var it dynamo.Item
	err := s.table.Get(Table.PartitionKey, userPK(sub)).Range(Table.SortKey, dynamo.Equal, historySK).One(ctx, &it)
	h := concessions.History{Products: map[string]int{}, Categories: map[catalog.ProductCategory]int{}}
	if err == dynamo.ErrNotFound {
		return h, nil
	}
	if err != nil {
		return h, translate("read concession history", err)
	}
	orders, products, categories := counters(it)
	h.Orders, h.Products = orders, products
	for c, n := range categories {
		h.Categories[catalog.ProductCategory(c)] = n
	}
	return h, nil
}

func counters(it dynamo.Item) (orders int, products, categories map[string]int) {
	products, categories = map[string]int{}, map[string]int{}
	for name, v := range it {
		n, ok := v.(*types.AttributeValueMemberN)
		if !ok {
			continue
		}
		val, err := strconv.Atoi(n.Value)
		if err != nil {
			continue
		}
		switch {
		case name == attrOrders:
			orders = val
		case strings.HasPrefix(name, productAttrPfx):
			products[strings.TrimPrefix(name, productAttrPfx)] = val
		case strings.HasPrefix(name, categoryAttrPfx):
			categories[strings.TrimPrefix(name, categoryAttrPfx)] = val
		}
	}
	return orders, products, categories
}

// AttachWrites are the counter increments of one paid order: the ALL shard,
// the segment's shard and the buyer's history. They belong in the same
// TransactWriteItems that turns the order PAID under the condition that it
// was not paid yet, which is what makes them count exactly once.
func (s *Store) AttachWrites(orderID, buyer string, seg concessions.Segment, products []catalog.Product) []types.TransactWriteItem {
	ids := make([]string, 0, len(products))
	cats := []string{}
	for _, p := range products {
		ids = append(ids, p.ID)
		cats = append(cats, string(p.Category))
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	slices.Sort(cats)
	cats = slices.Compact(cats)

	shard := attachShard(orderID)
	update := func(pk, sk string, withCategories bool) types.TransactWriteItem {
		names := map[string]string{"#o": attrOrders}
		values := map[string]types.AttributeValue{":one": num(1)}
		parts := []string{"#o :one"}
		tag := typeAttach
		for i, id := range ids {
			k := fmt.Sprintf("#p%d", i)
			names[k] = productAttrPfx + id
			parts = append(parts, k+" :one")
		}
		if withCategories {
			for i, c := range cats {
				k := fmt.Sprintf("#c%d", i)
				names[k] = categoryAttrPfx + c
				parts = append(parts, k+" :one")
			}
			tag = typeConcessionHistory // the buyer's own history
		}
		names["#ty"], values[":ty"] = "Type", str(tag)
		return types.TransactWriteItem{Update: &types.Update{
			TableName: aws.String(s.name), Key: key(pk, sk),
			UpdateExpression:         aws.String("SET #ty = :ty ADD " + strings.Join(parts, ", ")),
			ExpressionAttributeNames: names, ExpressionAttributeValues: values,
		}}
	}
	out := []types.TransactWriteItem{update(attachPK, attachSK(concessions.SegmentAll, shard), false)}
	if seg.Valid() && seg != concessions.SegmentAll {
		out = append(out, update(attachPK, attachSK(seg, shard), false))
	}
	return append(out, update(userPK(buyer), historySK, true))
}
