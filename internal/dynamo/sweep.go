package dynamo

import (
	"context"
	"time"

	"github.com/guregu/dynamo/v2"

	"bilhetagem/internal/orders"
)

// ExpiredPendingOrders pages through the ids of the unsettled orders
// (orders.Order.Unsettled) whose hold expired, or whose RetryAt came, by
// `before` inclusive ("$" sorts after the "#" of every key at that
// instant), at most page ids at a time, shard by shard, oldest expiry first: a query of each
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
				Range("GSI2SK", dynamo.Less, timeBound(before)+"$").Project("ID").SearchLimit(page)
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
// if it is unsettled then. An order the sweep paid is on the
// reconciliation's list of paid orders instead, which stays.
func (s *Store) UnlistSettled(ctx context.Context, o orders.Order) error {
	err := s.table.Update(Table.PartitionKey, orderPK(o.ID)).Range(Table.SortKey, skMeta).
		Remove("GSI2PK", "GSI2SK").If("Version = ? AND begins_with(GSI2PK, ?)", o.Version, prefixPendingOrders).Run(ctx)
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
		Set("GSI2PK", pendingOrdersPK(pendingShard(o.ID))).Set("GSI2SK", sweepSK(o)).
		If("Version = ?", o.Version).Run(ctx)
	if dynamo.IsCondCheckFailed(err) {
		return nil
	}
	return translate("relist unsettled order", err)
}

// PostponeSweep records a failed sweep of a listed order: its
// SweepAttempts and RetryAt, and its place on the sweeper's list moved to
// RetryAt, so sweeps before then do not find it. It writes nothing when
// the order changed since read (whatever changed it decides again) or is
// off the list. The order's version stays: a completion running meanwhile
// is not disturbed.
func (s *Store) PostponeSweep(ctx context.Context, o orders.Order) error {
	if !o.Unsettled() {
		return nil
	}
	err := s.table.Update(Table.PartitionKey, orderPK(o.ID)).Range(Table.SortKey, skMeta).
		Set("SweepAttempts", o.SweepAttempts).Set("RetryAt", o.RetryAt.UTC()).Set("GSI2SK", sweepSK(o)).
		If("Version = ? AND attribute_exists(GSI2PK)", o.Version).Run(ctx)
	if dynamo.IsCondCheckFailed(err) {
		return nil
	}
	return translate("postpone sweep", err)
}

// sweepSK places an order on the sweeper's list: at its hold's expiry, or
// at RetryAt when a failed sweep put it off until later.
func sweepSK(o orders.Order) string {
	at := o.ExpiresAt
	if o.RetryAt.After(at) {
		at = o.RetryAt
	}
	return orderExpirySK(at, o.ID)
}
