package orders

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"bilhetagem/internal/errs"
	"bilhetagem/internal/psp"
)

// ReconcileStore is what the reconciliation reads, and the one thing it
// writes: where its last complete run ended (internal/dynamo.Store).
type ReconcileStore interface {
	// PaidOrders lists the orders that became PAID in [from, to), by
	// their PaidAt (an index, eventually consistent: the caller reads each
	// order again).
	PaidOrders(ctx context.Context, from, to time.Time) ([]Order, error)
	GetPayment(ctx context.Context, id string) (Payment, error)
	GetOrder(ctx context.Context, id string) (Order, error)
	// ReconciledUntil is the end of the provider's last complete run; zero
	// before the first.
	ReconciledUntil(ctx context.Context, provider string) (time.Time, error)
	// MarkReconciled records the end of a complete run; an earlier end
	// than the one recorded changes nothing.
	MarkReconciled(ctx context.Context, provider string, until time.Time) error
}

// Windows of the reconciliation (docs/adr/0701).
const (
	// ReconcileOverlap is read again before the last run's end, so that a
	// movement the provider dated a little late, or an order paid while
	// the last run read, is not missed.
	ReconcileOverlap = time.Hour
	// ReconcileFirstWindow is what the first run of a provider reads.
	ReconcileFirstWindow = 24 * time.Hour
	// chargeSkew is how much earlier than our payment's creation the
	// provider may date its charge (clocks differ).
	chargeSkew = 5 * time.Minute
)

// Reconciliation is the job that compares the provider's money with our
// orders: it lists the provider's movements since its last complete run
// (with an overlap) and the orders paid since then, reads what we keep of
// every payment they name, and reports each mismatch (Reconcile) as an
// ERROR log line MismatchMessage, which the deployment counts and alarms
// on. It writes nothing but where it got to, and only after a complete
// run, so a failed run is read again by the next.
type Reconciliation struct {
	Store    ReconcileStore
	Provider psp.Reconciler
	// Name is the provider's (simulator, stripe): each provider has its
	// own watermark.
	Name string
	// Grace, Overlap and FirstWindow default to ReconcileGrace,
	// ReconcileOverlap and ReconcileFirstWindow.
	Grace, Overlap, FirstWindow time.Duration
	Log                         *slog.Logger
}

// Reconciled is what one run read and found.
type Reconciled struct {
	From time.Time `json:"from"` // the window: orders paid and movements in [From, To)
	To   time.Time `json:"to"`
	// MovementsFrom is where the provider's listing started: before From
	// when an order paid in the window was charged earlier.
	MovementsFrom time.Time  `json:"movementsFrom"`
	Movements     int        `json:"movements"`
	PaidOrders    int        `json:"paidOrders"`
	Payments      int        `json:"payments"`
	Mismatches    []Mismatch `json:"mismatches"`
}

// Run reconciles up to now. An error means the run is incomplete: its
// watermark is not moved and the next run reads the window again.
func (r Reconciliation) Run(ctx context.Context, now time.Time) (Reconciled, error) {
	grace, overlap, first := orDefault(r.Grace, ReconcileGrace), orDefault(r.Overlap, ReconcileOverlap), orDefault(r.FirstWindow, ReconcileFirstWindow)
	last, err := r.Store.ReconciledUntil(ctx, r.Name)
	if err != nil {
		return Reconciled{}, fmt.Errorf("reconcile: %w", err)
	}
	// The store keeps the watermark to the millisecond.
	out := Reconciled{From: last.Add(-overlap), To: now.UTC().Truncate(time.Millisecond)}
	if last.IsZero() {
		out.From = now.Add(-first).UTC()
	}
	if !out.From.Before(out.To) {
		out.From = out.To.Add(-overlap)
	}

	listed, err := r.Store.PaidOrders(ctx, out.From, out.To)
	if err != nil {
		return out, fmt.Errorf("reconcile: paid orders: %w", err)
	}
	records := map[string]Record{}
	var paid []Order
	out.MovementsFrom = out.From
	for _, o := range listed {
		rec, err := r.record(ctx, o.PaymentID, records)
		if err != nil {
			return out, err
		}
		if rec.Order == nil || rec.Order.Status != Paid {
			continue // no longer PAID: its movements, if any, say what it is now
		}
		paid = append(paid, *rec.Order)
		if rec.Payment != nil && rec.Payment.CreatedAt.Add(-chargeSkew).Before(out.MovementsFrom) {
			out.MovementsFrom = rec.Payment.CreatedAt.Add(-chargeSkew)
		}
	}
	moves, err := r.Provider.Movements(ctx, out.MovementsFrom, out.To)
	if err != nil {
		return out, fmt.Errorf("reconcile: the provider's movements: %w", err)
	}
	for _, m := range moves {
		if _, err := r.record(ctx, m.PaymentID, records); err != nil {
			return out, err
		}
	}
	out.Movements, out.PaidOrders, out.Payments = len(moves), len(paid), len(records)
	out.Mismatches = Reconcile(ReconcileInput{Movements: moves, Records: records, Paid: paid, Now: now, Grace: grace})
	for _, m := range out.Mismatches {
		r.log().Error(MismatchMessage, "kind", string(m.Kind), "order", m.OrderID, "payment", m.PaymentID, "reference", m.Reference,
			"orderStatus", string(m.OrderStatus), "orderTotal", int64(m.OrderTotal), "held", int64(m.Held), "detail", m.Message)
	}
	if err := r.Store.MarkReconciled(ctx, r.Name, out.To); err != nil {
		return out, fmt.Errorf("reconcile: %w", err)
	}
	return out, nil
}

// record reads, once per payment id, the payment and its order (strongly
// consistent); a payment or order that does not exist is an answer, any
// other failure ends the run.
func (r Reconciliation) record(ctx context.Context, paymentID string, records map[string]Record) (Record, error) {
	if paymentID == "" {
		return Record{}, nil
	}
	if rec, ok := records[paymentID]; ok {
		return rec, nil
	}
	var rec Record
	p, err := r.Store.GetPayment(ctx, paymentID)
	switch {
	case errs.KindOf(err) == errs.NotFound:
	case err != nil:
		return Record{}, fmt.Errorf("reconcile: payment %s: %w", paymentID, err)
	default:
		rec.Payment = &p
		o, err := r.Store.GetOrder(ctx, p.OrderID)
		switch {
		case errs.KindOf(err) == errs.NotFound:
		case err != nil:
			return Record{}, fmt.Errorf("reconcile: order %s: %w", p.OrderID, err)
		default:
			rec.Order = &o
		}
	}
	records[paymentID] = rec
	return rec, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

func (r Reconciliation) log() *slog.Logger {
	if r.Log != nil {
		return r.Log
	}
	return slog.Default()
}
