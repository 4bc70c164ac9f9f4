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
// plan for its tickets. The new time is checked for overlaps by the marks
// it takes, in the same transaction that frees the old ones and moves the
// showtime, conditioned on the showtime's current start (docs/adr/0602).
// A showtime with active holds is 409 showtime_has_holds.
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
	st, claims, err := s.Store.GetShowtime(ctx, id)
	if err != nil {
		return ChangeResult{}, fmt.Errorf("reschedule showtime: %w", err)
	}
	if st.Cancelled() {
		return ChangeResult{}, errs.E(errs.Unprocessable, "showtime_cancelled", "esta sessão foi cancelada")
	}
	// Already at startsAt: a retry finishes the orders and notices of a
	// call that moved the showtime and then failed.
	already := st.StartsAt.Equal(startsAt)
	var sold []string
	for _, c := range claims {
		if !already && c.Status == catalog.SeatHeld && c.Active(now) {
			return ChangeResult{}, errs.E(errs.Conflict, "showtime_has_holds",
				"há assentos reservados nesta sessão agora; tente de novo quando as reservas expirarem")
		}
		if c.Status == catalog.SeatSold && c.OrderID != "" && !slices.Contains(sold, c.OrderID) {
			sold = append(sold, c.OrderID)
		}
	}
	if s.Refunds == nil && len(sold) > 0 {
		return ChangeResult{}, errs.E(errs.NotImplemented, "not_implemented", "reembolsos não estão configurados nesta implantação")
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

	res := ChangeResult{}
	var paid []orders.Order
	for _, oid := range sold {
		o, err := s.Store.GetOrder(ctx, oid)
		if err != nil {
			return ChangeResult{}, fmt.Errorf("reschedule showtime: %w", err)
		}
		if o.StatusAt(now) == orders.Paid {
			paid = append(paid, o)
		}
	}
	if plan == RefundAll {
		// Refunded first: the showtime moves only once no paid order is
		// left, so a call that failed half way is finished by calling again.
		for _, o := range paid {
			done, err := s.Refunds.RefundForCancelledShowtime(ctx, o.ID, now)
			if err != nil {
				return ChangeResult{}, fmt.Errorf("reschedule showtime: %w", err)
			}
			res.OrdersAffected++
			if done.StatusAt(now) == orders.Refunded {
				res.OrdersRefunded++
			}
		}
	}
	if !already {
		err = s.Store.RescheduleShowtime(ctx, st, next, now)
		if errors.Is(err, ErrStale) {
			return ChangeResult{}, errs.E(errs.Conflict, "conflict", "a sessão foi alterada ao mesmo tempo; confira e tente novamente")
		}
		if err != nil {
			return ChangeResult{}, fmt.Errorf("reschedule showtime: %w", err)
		}
		s.log().Info("showtime rescheduled", "showtime", id, "from", st.StartsAt, "to", next.StartsAt, "plan", string(plan), "orders", len(paid))
	}
	when := func(t time.Time) string { return t.In(catalog.Zone).Format("02/01 às 15:04") }
	change := "mudou de " + when(from.StartsAt) + " para " + when(next.StartsAt)
	if already {
		change = "mudou para " + when(next.StartsAt)
	}
	buyers := map[string]bool{}
	for _, o := range paid {
		msg := fmt.Sprintf("A sessão de %s em %s %s: %s Seus ingressos continuam válidos no novo horário; se preferir, cancele o pedido até o início da sessão e receba o valor integral.",
			st.MovieTitle, st.CinemaName, change, withPeriod(reason))
		if plan == KeepAndNotify {
			if _, err := s.Refunds.KeepForRescheduledShowtime(ctx, o.ID, next.StartsAt, now); err != nil {
				return ChangeResult{}, fmt.Errorf("reschedule showtime: %w", err)
			}
			res.OrdersAffected++
		} else {
			msg = fmt.Sprintf("A sessão de %s em %s %s: %s O valor do seu pedido será devolvido integralmente.",
				st.MovieTitle, st.CinemaName, change, withPeriod(reason))
		}
		if buyers[o.Buyer] {
			continue
		}
		buyers[o.Buyer] = true
		n := Notice{Buyer: o.Buyer, ShowtimeID: id, Kind: "SHOWTIME_RESCHEDULED", At: now.UTC(), Message: msg}
		if err := s.Store.Notify(ctx, n); err != nil {
			return ChangeResult{}, fmt.Errorf("reschedule showtime: %w", err)
		}
		res.BuyersNotified++
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
