package orders

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// Unsettled reports whether the order's completion may still have work: it
// waits for payment, or it ended unpaid (EXPIRED, FAILED, CANCELLED) with a
// payment not refunded yet, which may have to be. The store lists these
// orders for the Sweeper by their hold's expiry.
func (o Order) Unsettled() bool {
	switch o.Status {
	case PendingPayment:
		return true
	case Expired, Failed, Cancelled:
		return o.PaymentID != "" && o.Refund == 0
	}
	return false
}

// PendingLister lists the unsettled orders whose hold expired
// (internal/dynamo.Store, a query of a sparse index), and takes a settled
// order off that list.
type PendingLister interface {
	ExpiredPendingOrders(ctx context.Context, before time.Time, page int, fn func(ids []string) error) error
	UnlistSettled(ctx context.Context, o Order) error
	// RelistUnsettled lists an order again when it is unsettled (a payment
	// to refund), unless it changed since read.
	RelistUnsettled(ctx context.Context, o Order) error
	// PostponeSweep records o.SweepAttempts and o.RetryAt on a listed
	// order and keeps it off the list until RetryAt, unless it changed
	// since read.
	PostponeSweep(ctx context.Context, o Order) error
}

// Retries of an order whose completion keeps failing (a refund the
// provider refuses, say) back off: the first sweep after a failure waits a
// minute, then 2, 4, 8... up to MaxSweepBackoff; from AlarmAfterAttempts
// failed sweeps on, each failure is logged as StuckMessage, which the
// deployment counts and alarms on.
const (
	MaxSweepBackoff    = time.Hour
	AlarmAfterAttempts = 5
	StuckMessage       = "sweep: order keeps failing"
)

// SweepBackoff is how long the sweeper waits before trying an order
// again after its n-th failed sweep in a row.
func SweepBackoff(n int) time.Duration {
	if n < 1 {
		n = 1
	}
	if n > 7 {
		return MaxSweepBackoff
	}
	return min(time.Minute<<(n-1), MaxSweepBackoff)
}

// Sweeper is the safety net under the purchase workflow: it finds every
// unsettled order whose hold expired (an execution that never started, or
// that ended in Purchase.CompensationFailed; a refund the PSP could not take
// yet) and runs its completion in process, through the same Decide: the
// order EXPIRES (or FAILS), its seats are released and a late payment is
// refunded, or an order paid in time with its seats sold gets its tickets.
// Every step is idempotent, so a sweep may overlap an execution or another
// sweep.
type Sweeper struct {
	Orders  *Service
	Pending PendingLister
	// Page is how many ids one index query returns (default 100).
	Page int
	Log  *slog.Logger
}

// Swept is what one sweep did.
type Swept struct {
	// Found orders were unsettled with an expired hold when listed.
	Found int `json:"found"`
	// Settled are complete now (expired, failed, paid or refunded) and off
	// the list.
	Settled int `json:"settled"`
	// Pending still have work after their completion ran (a step that keeps
	// failing); the next sweep tries them again.
	Pending int `json:"pending"`
	// Failed completions returned an error (logged with the order id).
	Failed int `json:"failed"`
}

// Sweep completes every unsettled order whose hold expired before now.
// A completion that fails is logged and counted, and the sweep goes on; the
// returned error says how many failed, so the scheduler's error metric
// reaches an operator.
func (s Sweeper) Sweep(ctx context.Context, now time.Time) (Swept, error) {
	var out Swept
	err := s.Pending.ExpiredPendingOrders(ctx, now, s.Page, func(ids []string) error {
		for _, id := range ids {
			if err := ctx.Err(); err != nil {
				return err
			}
			out.Found++
			o, err := s.Orders.Complete(ctx, id, now)
			if err != nil {
				out.Failed++
				s.log().Error("sweep: completion failed", "order", id, "error", err.Error())
				s.postpone(ctx, id, now)
				continue
			}
			next, err := s.Orders.Next(ctx, id, now)
			if err == nil && next == StepDone {
				err = s.Pending.UnlistSettled(ctx, o)
			}
			switch {
			case err != nil:
				out.Failed++
				s.log().Error("sweep: completion failed", "order", id, "error", err.Error())
				s.postpone(ctx, id, now)
			case next != StepDone:
				out.Pending++
				s.log().Warn("sweep: order still unsettled", "order", id, "next", string(next))
				s.postpone(ctx, id, now)
			default:
				out.Settled++
			}
		}
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("sweep: %w", err)
	}
	if out.Failed > 0 {
		return out, fmt.Errorf("sweep: %d of %d orders could not be completed", out.Failed, out.Found)
	}
	return out, nil
}

// postpone backs off an order whose sweep failed: it is tried again
// SweepBackoff(attempts) later, and logged as stuck from
// AlarmAfterAttempts on. A failure here only means the next sweep tries
// the order sooner.
func (s Sweeper) postpone(ctx context.Context, id string, now time.Time) {
	o, err := s.Orders.Store.GetOrder(ctx, id)
	if err != nil {
		s.log().Warn("sweep: could not back off", "order", id, "error", err.Error())
		return
	}
	o.SweepAttempts++
	o.RetryAt = now.Add(SweepBackoff(o.SweepAttempts)).UTC()
	if err := s.Pending.PostponeSweep(ctx, o); err != nil {
		s.log().Warn("sweep: could not back off", "order", id, "error", err.Error())
		return
	}
	if o.SweepAttempts >= AlarmAfterAttempts {
		s.log().Error(StuckMessage, "order", id, "attempts", o.SweepAttempts, "retryAt", o.RetryAt, "status", string(o.Status))
	}
}

func (s Sweeper) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}
