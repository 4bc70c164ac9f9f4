package orders

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// RefundForCancelledShowtime is the staff entry point for a showtime the
// chain cancelled: a paid order is cancelled (seats, hold, meia count and
// tickets in one transaction, as a buyer's cancellation) and refunded
// through the provider, whatever its cancellation window and even with a
// ticket used at the door (the show did not happen). An order already
// cancelled only has its refund finished, a refunded one is returned as it
// is, and an order that was never paid has nothing to refund. When the
// provider cannot be reached the order stays CANCELLED; calling again
// finishes it.
func (s *Service) RefundForCancelledShowtime(ctx context.Context, orderID string, now time.Time) (Order, error) {
	for range 5 {
		o, err := s.Store.GetOrder(ctx, orderID)
		if err != nil {
			return Order{}, fmt.Errorf("refund for cancelled showtime: %w", err)
		}
		// The stored status: an order waiting for payment past its hold's
		// expiry may have had its seats sold, and its completion decides.
		switch o.Status {
		case Cancelled:
			return s.completer().Complete(ctx, o.ID, now)
		case PendingPayment:
			// Its seats were sold to it just before the showtime was
			// cancelled (the confirmation committed first) and its tickets
			// are not issued yet: finish the completion here, then cancel
			// and refund it as a paid order. Waiting for a payment, it has
			// nothing to refund.
			done, err := s.Complete(ctx, o.ID, now)
			if err != nil {
				return Order{}, fmt.Errorf("refund for cancelled showtime: %w", err)
			}
			if done.Status == PendingPayment {
				return done, nil // waiting for a payment: nothing to refund yet
			}
			continue
		case Paid:
		default:
			return o, nil
		}
		h, err := s.Store.ReadHold(ctx, o.HoldID)
		if err != nil {
			return Order{}, fmt.Errorf("refund for cancelled showtime: %w", err)
		}
		if err := o.apply(EventCancelled); err != nil {
			return Order{}, err
		}
		o.CancelledAt = now.UTC()
		err = s.Store.CancelOrder(ctx, o, h, true) // used tickets too: the show did not happen
		if errors.Is(err, ErrStale) {
			continue
		}
		if err != nil {
			return Order{}, fmt.Errorf("refund for cancelled showtime: %w", err)
		}
		return s.completer().Complete(ctx, o.ID, now)
	}
	return Order{}, fmt.Errorf("refund for cancelled showtime %s: %w", orderID, ErrStale)
}

// KeepForRescheduledShowtime moves a paid order to its showtime's new start
// (KEEP_AND_NOTIFY): its tickets stay valid, and the buyer may cancel it
// with a full refund until the new start, whatever the cancellation window
// was; its tickets move with it. An order whose seats were sold but whose
// tickets are not issued yet is completed first. Any other order is
// returned as it is.
func (s *Service) KeepForRescheduledShowtime(ctx context.Context, orderID string, startsAt, now time.Time) (Order, error) {
	for range 5 {
		o, err := s.Store.GetOrder(ctx, orderID)
		if err != nil {
			return Order{}, fmt.Errorf("keep for rescheduled showtime: %w", err)
		}
		if o.Status == PendingPayment {
			// Its seats were sold just before sales closed and its tickets
			// are being issued: finish that first, then move it.
			done, err := s.Complete(ctx, o.ID, now)
			if err != nil {
				return Order{}, fmt.Errorf("keep for rescheduled showtime: %w", err)
			}
			if done.Status == PendingPayment {
				return done, nil
			}
			continue
		}
		if o.Status != Paid || (o.Showtime.StartsAt.Equal(startsAt) && o.CancellableUntil.Equal(startsAt)) {
			return o, nil
		}
		o.Showtime.StartsAt, o.CancellableUntil = startsAt.UTC(), startsAt.UTC()
		err = s.Store.MoveOrder(ctx, o)
		if errors.Is(err, ErrStale) {
			continue
		}
		if err != nil {
			return Order{}, fmt.Errorf("keep for rescheduled showtime: %w", err)
		}
		return o, nil
	}
	return Order{}, fmt.Errorf("keep for rescheduled showtime %s: %w", orderID, ErrStale)
}
