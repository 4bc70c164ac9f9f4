package dynamo

import (
	"context"
	"hash/fnv"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/guregu/dynamo/v2"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/money"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/reports"
)

// Sales report counters (docs/adr/0600, docs/access-patterns.md): per
// cinema and São Paulo day of the showtime, sharded by order so a premiere's
// payments do not all update one item. Each paid order adds its tickets,
// revenue, meia and products in the transaction that marks it PAID; a
// cancellation takes the same amounts back in the transaction that cancels
// it. The order's version condition in both makes each count exactly once.

const (
	reportShards       = 4
	attrTickets        = "Tickets"
	attrTicketRevenue  = "TicketRevenue"
	attrOrdersCount    = "Orders"
	attrOrdersWithConc = "OrdersWithConcessions"
	attrConcItems      = "ConcessionItems"
	attrConcPickedUp   = "ConcessionItemsPickedUp"
	attrConcRevenue    = "ConcessionsRevenue"
	attrMeia           = "Meia"
	attrProductQtyPfx  = "PQ#"
	attrProductRevPfx  = "PR#"
)

func reportShard(orderID string) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(orderID))
	return int(h.Sum32() % reportShards)
}

// orderCounters are what one order adds to its cinema-day.
func orderCounters(o orders.Order) reports.Counters {
	c := reports.Counters{Tickets: len(o.Tickets), TicketRevenue: o.Totals.Tickets, Orders: 1,
		ConcessionsRevenue: o.Totals.Concessions, Products: map[string]reports.ProductSales{}}
	for _, t := range o.Tickets {
		if t.Meia {
			c.Meia++
		}
	}
	for _, l := range o.Concessions {
		c.ConcessionItems += l.Quantity
		p := c.Products[l.ProductID]
		p.Quantity += l.Quantity
		p.Revenue += l.Total
		c.Products[l.ProductID] = p
	}
	if len(o.Concessions) > 0 {
		c.OrdersWithConcessions = 1
	}
	return c
}

// reportWrites is the counter update of order o on the cinema-day of its
// showtime st, added (sign 1) when it is paid or taken back (sign -1) when
// it is cancelled. The caller leaves out an order whose showtime is not in
// the catalog: it counts nowhere.
func (s *Store) reportWrites(o orders.Order, st catalog.ShowtimeListing, sign int) []types.TransactWriteItem {
	c := orderCounters(o)
	names := map[string]string{}
	values := map[string]types.AttributeValue{}
	var parts []string
	add := func(attr string, n int64) {
		if n == 0 {
			return
		}
		i := strconv.Itoa(len(parts))
		names["#a"+i] = attr
		values[":v"+i] = num64(int64(sign) * n)
		parts = append(parts, "#a"+i+" :v"+i)
	}
	add(attrTickets, int64(c.Tickets))
	add(attrTicketRevenue, int64(c.TicketRevenue))
	add(attrOrdersCount, int64(c.Orders))
	add(attrOrdersWithConc, int64(c.OrdersWithConcessions))
	add(attrConcItems, int64(c.ConcessionItems))
	add(attrConcRevenue, int64(c.ConcessionsRevenue))
	add(attrMeia, int64(c.Meia))
	ids := make([]string, 0, len(c.Products))
	for id := range c.Products {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		add(attrProductQtyPfx+id, int64(c.Products[id].Quantity))
		add(attrProductRevPfx+id, int64(c.Products[id].Revenue))
	}
	return []types.TransactWriteItem{{Update: &types.Update{
		TableName:                aws.String(s.name),
		Key:                      key(reportPK(st.CinemaID), reportSK(catalog.DateOf(st.StartsAt).String(), reportShard(o.ID))),
		UpdateExpression:         aws.String("ADD " + strings.Join(parts, ", ")),
		ExpressionAttributeNames: names, ExpressionAttributeValues: values,
	}}}
}

// ReportCounters reads the counters of a cinema's days from..to (São Paulo
// days, both included): one query of the cinema's report partition.
func (s *Store) ReportCounters(ctx context.Context, cinemaID string, from, to catalog.Date) (map[catalog.Date]reports.Counters, error) {
	var items []dynamo.Item
	err := s.table.Get(Table.PartitionKey, reportPK(cinemaID)).
		Range(Table.SortKey, dynamo.Between, reportSKBound(from.String()), reportSKBound(to.String())+"~").
		All(ctx, &items)
	if err != nil {
		return nil, translate("read report counters", err)
	}
	out := map[catalog.Date]reports.Counters{}
	for _, it := range items {
		sk, _ := it[Table.SortKey].(*types.AttributeValueMemberS)
		if sk == nil {
			continue
		}
		day, err := catalog.ParseDate(reportDay(sk.Value))
		if err != nil {
			continue
		}
		c := out[day]
		c.Add(reportCounters(it))
		out[day] = c
	}
	return out, nil
}

func reportCounters(it dynamo.Item) reports.Counters {
	c := reports.Counters{Products: map[string]reports.ProductSales{}}
	for name, v := range it {
		n, ok := v.(*types.AttributeValueMemberN)
		if !ok {
			continue
		}
		val, err := strconv.ParseInt(n.Value, 10, 64)
		if err != nil {
			continue
		}
		switch {
		case name == attrTickets:
			c.Tickets = int(val)
		case name == attrTicketRevenue:
			c.TicketRevenue = money.BRL(val)
		case name == attrOrdersCount:
			c.Orders = int(val)
		case name == attrOrdersWithConc:
			c.OrdersWithConcessions = int(val)
		case name == attrConcItems:
			c.ConcessionItems = int(val)
		case name == attrConcPickedUp:
			c.ConcessionItemsPickedUp = int(val)
		case name == attrConcRevenue:
			c.ConcessionsRevenue = money.BRL(val)
		case name == attrMeia:
			c.Meia = int(val)
		case strings.HasPrefix(name, attrProductQtyPfx):
			id := strings.TrimPrefix(name, attrProductQtyPfx)
			p := c.Products[id]
			p.Quantity = int(val)
			c.Products[id] = p
		case strings.HasPrefix(name, attrProductRevPfx):
			id := strings.TrimPrefix(name, attrProductRevPfx)
			p := c.Products[id]
			p.Revenue = money.BRL(val)
			c.Products[id] = p
		}
	}
	return c
}
