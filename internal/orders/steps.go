package orders

import (
	"context"
	"errors"
	"fmt"
	"time"

	"bilhetagem/internal/booking"
	"bilhetagem/internal/errs"
)

// The purchase workflow (internal/workflow) runs the completion one step
// per task: Next decides, RunStep runs the step Decide chose, Compensate is
// its catch path. Complete is the same loop in one process.

// Next is the order's next completion step, decided from what is stored.
func (s *Service) Next(ctx context.Context, orderID string, now time.Time) (Step, error) {
	f, _, _, err := s.facts(ctx, orderID, now)
	if err != nil {
		return "", err
	}
	return Decide(f), nil
}

// RunStep runs one step of the order's completion and returns the next one.
// A step that is no longer due (done by an earlier try, or overtaken by a
// concurrent completion) does nothing: only what Decide chooses now runs, so
// a retried or replayed task is harmless.
func (s *Service) RunStep(ctx context.Context, orderID string, step Step, now time.Time) (Step, error) {
	now = s.at(now)
	f, h, p, err := s.facts(ctx, orderID, now)
	if err != nil {
		return "", err
	}
	if due := Decide(f); due != step {
		return due, nil
	}
	if err := s.run(ctx, step, f.Order, h, p, now); err != nil && !errors.Is(err, ErrStale) {
		return "", fmt.Errorf("complete order %s at %s: %w", orderID, step, err)
	}
	return s.Next(ctx, orderID, now)
}

// Compensate is the workflow's catch path after a step failed for good:
// a pending order is failed (or expired after its hold's expiry) and the
// completion then frees its seats and refunds its payment. An order whose
// seats are already sold to it with an approved payment is finished forward
// instead (its tickets issued): failing it would leave the seats sold to
// nobody. It returns an error unless the order ends complete, so the
// workflow reports the compensation itself failing.
func (s *Service) Compensate(ctx context.Context, orderID string, now time.Time) (Step, error) {
	for range 5 {
		now = s.at(now)
		f, h, p, err := s.facts(ctx, orderID, now)
		if err != nil {
			return "", err
		}
		sold := f.HoldOrder == f.Order.ID && f.Hold == booking.Confirmed
		if f.Order.Status != PendingPayment || sold {
			break
		}
		step := StepFailOrder
		if !now.Before(f.Order.ExpiresAt) {
			step = StepExpireOrder
		}
		err = s.run(ctx, step, f.Order, h, p, now)
		if errors.Is(err, ErrStale) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("compensate order %s: %w", orderID, err)
		}
		break
	}
	if _, err := s.Complete(ctx, orderID, now); err != nil {
		return "", fmt.Errorf("compensate order %s: %w", orderID, err)
	}
	next, err := s.Next(ctx, orderID, now)
	if err != nil {
		return "", err
	}
	if next != StepDone {
		return next, errs.E(errs.Unavailable, "compensation_incomplete", fmt.Sprintf("order %s still needs %s", orderID, next))
	}
	return next, nil
}
