package dynamo

import (
	"context"
	"time"

	"github.com/guregu/dynamo/v2"

	"bilhetagem/internal/orders"
)

// PaidOrders lists the orders that became PAID in [from, to): per UTC day
// of the window and shard, one query of GSI2 by PaidAt (keys to the
// second; every key has "#" after its time, so the range is [from, to)).
// The index is eventually consistent; the reconciliation reads each order
// again.
func (s *Store) PaidOrders(ctx context.Context, from, to time.Time) ([]orders.Order, error) {
	var out []orders.Order
	for _, day := range utcDays(from, to) {
		for shard := range pendingShards {
			var items []orderItem
			err := s.table.Get("GSI2PK", paidOrdersPK(day, shard)).Index(gsi2).
				Range("GSI2SK", dynamo.Between, timeBound(from), timeBound(to)).All(ctx, &items)
			if err != nil {
				return nil, translate("paid orders", err)
			}
			for _, it := range items {
				out = append(out, it.order())
			}
		}
	}
	return out, nil
}

// reconcileMarkItem is a provider's watermark: Until for people, UntilMs
// for the condition that keeps it moving forward (a number compares as
// time; RFC 3339 strings with fractions do not).
type reconcileMarkItem struct {
	PK, SK  string
	Type    string
	Until   time.Time
	UntilMs int64
}

// ReconciledUntil reads where the provider's last complete reconciliation
// ended; zero before the first.
func (s *Store) ReconciledUntil(ctx context.Context, provider string) (time.Time, error) {
	var it reconcileMarkItem
	err := s.table.Get(Table.PartitionKey, ReconcilePK).Range(Table.SortKey, dynamo.Equal, reconciledSK(provider)).
		Consistent(true).One(ctx, &it)
	if err == dynamo.ErrNotFound {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, translate("read reconciliation watermark", err)
	}
	return time.UnixMilli(it.UntilMs).UTC(), nil
}

// MarkReconciled records where a complete reconciliation ended, only
// forward: a run that ends before the recorded end (an on-demand run
// overlapping the scheduled one) leaves it.
func (s *Store) MarkReconciled(ctx context.Context, provider string, until time.Time) error {
	it := reconcileMarkItem{PK: ReconcilePK, SK: reconciledSK(provider), Type: typeReconcileMark, Until: until.UTC(), UntilMs: until.UnixMilli()}
	err := s.table.Put(it).If("attribute_not_exists(PK) OR UntilMs < ?", it.UntilMs).Run(ctx)
	if dynamo.IsCondCheckFailed(err) {
		return nil
	}
	return translate("write reconciliation watermark", err)
}
