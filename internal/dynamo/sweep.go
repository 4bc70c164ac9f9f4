package dynamo

import (
	"context"
	"time"

	"github.com/guregu/dynamo/v2"

	"bilhetagem/internal/orders"
)

// ExpiredPendingOrders pages through the ids of the unsettled orders
// (orders.Order.Unsettled) whose hold expired before `before`, at most page
// ids at a time, shard by shard, oldest expiry first: a query of each
// pending-orders partition of GSI2, never a scan. The index is eventually
// consistent, so an order may show up just after it settled; the caller
// reads it again, strongly consistent, before acting.
func (s *Store) ExpiredPendingOrders(ctx context.Context, before time.Time, page int, fn func(ids []string) error) error {
	if page <= 0 {
		page = 100
	}
	for shard := range pendingShards {
		var from dynamo.PagingKey
		for {
			q := s.table.Get("GSI2PK", pendingOrdersPK(shard)).Index(gsi2).
				Range("GSI2SK", dynamo.Less, timeBound(before)).Project("ID").SearchLimit(page)
			if from != nil {
				q = q.StartFrom(from)
			}
			var items []struct{ ID string }
			last, err := q.AllWithLastEvaluatedKey(ctx, &items)
			if err != nil {
				return translate("expired pending orders", err)
			}
			if len(items) > 0 {
				ids := make([]string, len(items))
				for i, it := range items {
					ids[i] = it.ID
				}
				if err := fn(ids); err != nil {
					return err
				}
			}
			if len(last) == 0 {
				break
			}
			from = last
		}
	}
	return nil
}

// UnlistSettled takes a settled order off the sweeper's list (its GSI2
// keys), unless it changed since it was read: a later write lists it again
// if it is unsettled then.
func (s *Store) UnlistSettled(ctx context.Context, o orders.Order) error {
	err := s.table.Update(Table.PartitionKey, orderPK(o.ID)).Range(Table.SortKey, skMeta).
		Remove("GSI2PK", "GSI2SK").If("Version = ?", o.Version).Run(ctx)
	if dynamo.IsCondCheckFailed(err) {
		return nil
	}
	return translate("unlist settled order", err)
}

// RelistUnsettled puts an unsettled order back on the sweeper's list (its
// GSI2 keys), unless it changed since it was read: a later write lists it
// itself if it is unsettled then. A payment approved after its order was
// settled and unlisted makes the order unsettled again, with nothing else
// written to the order; the completion lists it before each refund
// (orders.Service, StepRefund).
func (s *Store) RelistUnsettled(ctx context.Context, o orders.Order) error {
	if !o.Unsettled() {
		return nil
	}
	err := s.table.Update(Table.PartitionKey, orderPK(o.ID)).Range(Table.SortKey, skMeta).
		Set("GSI2PK", pendingOrdersPK(pendingShard(o.ID))).Set("GSI2SK", orderExpirySK(o.ExpiresAt, o.ID)).
		If("Version = ?", o.Version).Run(ctx)
	if dynamo.IsCondCheckFailed(err) {
		return nil
	}
	return translate("relist unsettled order", err)
}
