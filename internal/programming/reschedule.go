package programming

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/orders"
)

// TicketPlan is what happens to the tickets of a rescheduled showtime.
type TicketPlan string

const (
	// KeepAndNotify keeps the tickets valid at the new time, notifies each
	// buyer and lets them cancel with a full refund until the new start.
	KeepAndNotify TicketPlan = "KEEP_AND_NOTIFY"
	// RefundAll refunds every paid order, then moves the showtime.
	RefundAll TicketPlan = "REFUND_ALL"
)

// RescheduleShowtime moves a showtime to startsAt, keeping its id, with a
// plan for its tickets. It closes the showtime for sale first, then walks
// the orders its sold seats name, then moves it and opens it again. The
// new time is checked for overlaps by the marks it takes, in the same
// transaction that frees the old ones and moves the showtime, conditioned
// on the showtime's current start (docs/adr/0602). A showtime with active
// holds is 409 showtime_has_holds, and opens for sale again.
func (s *Service) RescheduleShowtime(ctx context.Context, id string, startsAt time.Time, plan TicketPlan, reason string, now time.Time) (ChangeResult, error) {
	reason = strings.TrimSpace(reason)
	var fields []errs.FieldError
	if len(reason) < 3 {
		fields = append(fields, errs.FieldError{Field: "reason", Message: "informe o motivo"})
	}
	if !OnMark(startsAt.UTC()) {
		fields = append(fields, errs.FieldError{Field: "startsAt", Message: "o horário deve cair numa marca de 5 minutos"})
	} else if !startsAt.After(now) {
		fields = append(fields, errs.FieldError{Field: "startsAt", Message: "o novo horário já passou"})
	}
	if plan != KeepAndNotify && plan != RefundAll {
		fields = append(fields, errs.FieldError{Field: "ticketPlan", Message: "plano desconhecido"})
	}
	if len(fields) > 0 {
		return ChangeResult{}, errs.InvalidFields(fields...)
	}
	st, _, err := s.Store.GetShowtime(ctx, id)
	if err != nil {
		return ChangeResult{}, fmt.Errorf("reschedule showtime: %w", err)
	}
	if st.Cancelled() {
		return ChangeResult{}, errs.E(errs.Unprocessable, "showtime_cancelled", "esta sessão foi cancelada")
	}
	// Already at startsAt: a retry finishes the orders and notices of a
	// call that moved the showtime and then failed.
	already := st.StartsAt.Equal(startsAt)
	stale := errs.E(errs.Conflict, "conflict", "a sessão foi alterada ao mesmo tempo; confira e tente novamente")
	if !already {
		// Sales close first, by a condition on the showtime item: from
		// here on no hold or order is taken and no seat is sold until the
		// move below opens the showtime again. The seats read after it are
		// all the sales there will be.
		if err := s.Store.CloseSales(ctx, st, startsAt); errors.Is(err, ErrStale) {
			return ChangeResult{}, stale
		} else if err != nil {
			return ChangeResult{}, fmt.Errorf("reschedule showtime: %w", err)
		}
	}
	_, claims, err := s.Store.GetShowtime(ctx, id)
	if err != nil {
		return ChangeResult{}, fmt.Errorf("reschedule showtime: %w", err)
	}
	// reopen gives up a move that will not happen. A showtime it could not
	// open again answers that failure, not the refusal e: a refusal says the
	// showtime keeps selling, and a caller who takes it at its word would
	// leave it closed for good. Calling again with the same start reopens
	// it (or finishes the move).
	reopen := func(e error) (ChangeResult, error) {
		if !already {
			if err := s.Store.OpenSales(ctx, id, startsAt); err != nil {
				s.log().Error("showtime left closed for sale; rescheduling it again reopens it", "showtime", id, "refusal", e.Error(), "error", err.Error())
				return ChangeResult{}, fmt.Errorf("reschedule showtime: open sales again: %w", err)
			}
		}
		return ChangeResult{}, e
	}
	var sold []string
	for _, c := range claims {
		if !already && c.Status == catalog.SeatHeld && c.Active(now) {
			return reopen(errs.E(errs.Conflict, "showtime_has_holds",
				"há assentos reservados nesta sessão agora; tente de novo quando as reservas expirarem"))
		}
		if c.Status == catalog.SeatSold && c.OrderID != "" && !slices.Contains(sold, c.OrderID) {
			sold = append(sold, c.OrderID)
		}
	}
	if s.Refunds == nil && len(sold) > 0 {
		return reopen(errs.E(errs.NotImplemented, "not_implemented", "reembolsos não estão configurados nesta implantação"))
	}
	runtime := st.EndsAt.Sub(st.StartsAt)
	if st.BusyUntil.IsZero() {
		st.BusyUntil = BusyUntil(st.StartsAt, runtime, s.CleaningInterval())
	}
	from, next := st, st
	if already {
		from.StartsAt = time.Time{} // the start it was moved from is not kept
	}
	next.StartsAt, next.EndsAt = startsAt.UTC(), startsAt.Add(runtime).UTC()
	next.BusyUntil = BusyUntil(next.StartsAt, runtime, s.CleaningInterval())
	next.MovingTo = time.Time{}

	res := ChangeResult{}
	// The orders are the ones the sold seats name, by their stored status,
	// never one derived from the clock: an order whose seats were sold
	// just before sales closed may still be PENDING_PAYMENT with its
	// tickets being issued; the refunder finishes it first.
	var paid []orders.Order
	for _, oid := range sold {
		o, err := s.Store.GetOrder(ctx, oid)
		if err != nil {
			return ChangeResult{}, fmt.Errorf("reschedule showtime: %w", err)
		}
		if o.Status == orders.Paid || o.Status == orders.PendingPayment {
			paid = append(paid, o)
		}
	}
	when := func(t time.Time) string { return t.In(catalog.Zone).Format("02/01 às 15:04") }
	change := "mudou de " + when(from.StartsAt) + " para " + when(next.StartsAt)
	if already {
		change = "mudou para " + when(next.StartsAt)
	}
	buyers := map[string]bool{}
	notify := func(o orders.Order, msg string) error {
		if buyers[o.Buyer] {
			return nil
		}
		buyers[o.Buyer] = true
		n := Notice{Buyer: o.Buyer, ShowtimeID: id, Kind: "SHOWTIME_RESCHEDULED", At: now.UTC(), Message: msg,
			Reason: reason, Previous: from.StartsAt.UTC()}
		if err := s.Store.Notify(ctx, n); err != nil {
			return fmt.Errorf("reschedule showtime: %w", err)
		}
		res.BuyersNotified++
		return nil
	}
	if plan == RefundAll {
		// Refunded first: the showtime moves only once no paid order is
		// left, so a call that failed half way is finished by calling again.
		// Sales are closed meanwhile: no seat freed here is sold again
		// before the move.
		for _, o := range paid {
			done, err := s.Refunds.RefundForCancelledShowtime(ctx, o.ID, now)
			if err != nil {
				return ChangeResult{}, fmt.Errorf("reschedule showtime: %w", err)
			}
			res.OrdersAffected++
			if done.Status == orders.Refunded {
				res.OrdersRefunded++
			}
			// Told at once: once refunded, its seats are free and a call
			// that finishes this one no longer finds the order by them.
			if err := notify(o, fmt.Sprintf("A sessão de %s em %s %s: %s O valor do seu pedido será devolvido integralmente.",
				st.MovieTitle, st.CinemaName, change, withPeriod(reason))); err != nil {
				return ChangeResult{}, err
			}
		}
	}
	if !already {
		err = s.Store.RescheduleShowtime(ctx, st, next, now)
		if errors.Is(err, ErrStale) {
			return ChangeResult{}, stale
		}
		if e, ok := errs.As(err); ok && e.Code == "showtime_overlap" {
			return reopen(err)
		}
		if err != nil {
			return ChangeResult{}, fmt.Errorf("reschedule showtime: %w", err)
		}
		s.log().Info("showtime rescheduled", "showtime", id, "from", st.StartsAt, "to", next.StartsAt, "plan", string(plan), "orders", len(paid))
	}
	if plan == KeepAndNotify {
		for _, o := range paid {
			if _, err := s.Refunds.KeepForRescheduledShowtime(ctx, o.ID, next.StartsAt, now); err != nil {
				return ChangeResult{}, fmt.Errorf("reschedule showtime: %w", err)
			}
			res.OrdersAffected++
			if err := notify(o, fmt.Sprintf("A sessão de %s em %s %s: %s Seus ingressos continuam válidos no novo horário; se preferir, cancele o pedido até o início da sessão e receba o valor integral.",
				st.MovieTitle, st.CinemaName, change, withPeriod(reason))); err != nil {
				return ChangeResult{}, err
			}
		}
	}
	moved, _, err := s.Store.GetShowtime(ctx, id)
	if err != nil {
		return ChangeResult{}, fmt.Errorf("reschedule showtime: %w", err)
	}
	a, err := s.admin(ctx, moved, nil)
	if err != nil {
		return ChangeResult{}, fmt.Errorf("reschedule showtime: %w", err)
	}
	res.Showtime = a
	return res, nil
}
