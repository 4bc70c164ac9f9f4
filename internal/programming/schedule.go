package programming

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/orders"
)

// MaxShowtimesPerRequest bounds one bulk request, so that it finishes (and
// compensates, if it must) well within one Lambda invocation.
const MaxShowtimesPerRequest = 400

// AdminShowtime is a showtime as the back office sees it.
type AdminShowtime struct {
	catalog.ShowtimeListing
	Capacity int
	Sold     int
}

// ScheduleRoom is one room's line of the schedule grid.
type ScheduleRoom struct {
	Room      catalog.Room
	Showtimes []AdminShowtime
}

// Schedule is a cinema's day.
type Schedule struct {
	CinemaID string
	Day      catalog.Date
	Cleaning time.Duration
	Rooms    []ScheduleRoom
}

// Schedule returns every showtime of a São Paulo day in each room of the
// cinema, cancelled ones included, with capacity and seats sold.
func (s *Service) Schedule(ctx context.Context, cinemaID string, day catalog.Date) (Schedule, error) {
	if _, err := s.Store.GetCinema(ctx, cinemaID); err != nil {
		return Schedule{}, fmt.Errorf("get schedule: %w", err)
	}
	rooms, err := s.Store.ListRooms(ctx, cinemaID)
	if err != nil {
		return Schedule{}, fmt.Errorf("get schedule: %w", err)
	}
	sts, err := s.Store.ShowtimesByCinema(ctx, cinemaID, day.Start(), day.AddDays(1).Start())
	if err != nil {
		return Schedule{}, fmt.Errorf("get schedule: %w", err)
	}
	out := Schedule{CinemaID: cinemaID, Day: day, Cleaning: s.CleaningInterval()}
	byRoom := map[string]int{}
	for i, r := range rooms {
		byRoom[r.ID] = i
		out.Rooms = append(out.Rooms, ScheduleRoom{Room: r, Showtimes: []AdminShowtime{}})
	}
	layouts := map[string]catalog.Layout{}
	for _, st := range sts {
		i, ok := byRoom[st.RoomID]
		if !ok {
			continue
		}
		a, err := s.admin(ctx, st, layouts)
		if err != nil {
			return Schedule{}, fmt.Errorf("get schedule: %w", err)
		}
		out.Rooms[i].Showtimes = append(out.Rooms[i].Showtimes, a)
	}
	return out, nil
}

// admin completes a listing with its capacity (of the layout version it
// uses) and seats sold.
func (s *Service) admin(ctx context.Context, st catalog.ShowtimeListing, layouts map[string]catalog.Layout) (AdminShowtime, error) {
	_, claims, err := s.Store.GetShowtime(ctx, st.ID)
	if err != nil {
		return AdminShowtime{}, err
	}
	sold, blocked := 0, 0
	for _, c := range claims {
		switch c.Status {
		case catalog.SeatSold:
			sold++
		case catalog.SeatBlocked:
			blocked++
		}
	}
	key := fmt.Sprintf("%s/%s/%d", st.CinemaID, st.RoomID, st.LayoutVersion)
	l, ok := layouts[key]
	if !ok {
		r, err := s.Store.GetRoomLayout(ctx, st.CinemaID, st.RoomID, st.LayoutVersion)
		if err != nil {
			return AdminShowtime{}, err
		}
		l = r.Layout
		if layouts != nil {
			layouts[key] = l
		}
	}
	if st.BusyUntil.IsZero() {
		st.BusyUntil = BusyUntil(st.StartsAt, st.EndsAt.Sub(st.StartsAt), s.CleaningInterval())
	}
	if st.Status == "" {
		st.Status = catalog.ShowtimeScheduled
	}
	// Capacity as the seat map counts it: the layout's sellable seats less
	// the seats blocked for this showtime.
	return AdminShowtime{ShowtimeListing: st, Capacity: l.Capacity() - blocked, Sold: sold}, nil
}

// ScheduleShowtimes schedules one movie × rooms × days × times, all or
// none. Each showtime is written with the marks it keeps busy in its own
// transaction; on the first failure every showtime this request wrote is
// deleted again (docs/adr/0601). Showtimes already stored exactly as asked
// (a retried request) count as scheduled and are never compensated.
func (s *Service) ScheduleShowtimes(ctx context.Context, r Request) ([]AdminShowtime, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if n := len(r.RoomIDs) * len(r.Times) * (daysBetween(r.From, r.To) + 1); n > MaxShowtimesPerRequest {
		return nil, errs.InvalidFields(errs.FieldError{Field: "to",
			Message: fmt.Sprintf("o pedido gera %d sessões; o máximo é %d por pedido", n, MaxShowtimesPerRequest)})
	}
	cinema, err := s.Store.GetCinema(ctx, r.CinemaID)
	if err != nil {
		return nil, unprocessableIfMissing(err, "cinema_not_found", fmt.Sprintf("cinema %s não encontrado", r.CinemaID))
	}
	movie, err := s.Store.GetMovie(ctx, r.MovieID)
	if err != nil {
		return nil, unprocessableIfMissing(err, "movie_not_found", fmt.Sprintf("filme %s não encontrado", r.MovieID))
	}
	if movie.Retired {
		return nil, errs.E(errs.Unprocessable, "movie_retired", fmt.Sprintf("o filme %s foi retirado de cartaz", movie.Title))
	}
	rooms := make([]catalog.Room, 0, len(r.RoomIDs))
	for _, id := range r.RoomIDs {
		room, err := s.Store.GetRoom(ctx, r.CinemaID, id)
		if err != nil {
			return nil, unprocessableIfMissing(err, "room_not_found", fmt.Sprintf("sala %s não encontrada no cinema %s", id, r.CinemaID))
		}
		rooms = append(rooms, room)
	}
	if busy := BusyUntil(time.Time{}, time.Duration(movie.RuntimeMinutes)*time.Minute, s.CleaningInterval()).Sub(time.Time{}); busy > MaxBusy {
		return nil, errs.E(errs.Unprocessable, "showtime_too_long",
			fmt.Sprintf("uma sessão ocupa a sala no máximo %d minutos; esta ocuparia %d", int(MaxBusy/time.Minute), int(busy/time.Minute)))
	}
	planned, err := Expand(r, movie, cinema, rooms, s.CleaningInterval())
	if err != nil {
		return nil, err
	}
	batch := newBatchID()
	var written []catalog.ShowtimeListing
	for i, st := range planned {
		st, created, err := s.Store.ScheduleShowtime(ctx, st, batch)
		if err != nil {
			s.compensate(ctx, written, batch)
			return nil, err
		}
		planned[i] = st
		if created {
			written = append(written, st)
		}
	}
	s.log().Info("showtimes scheduled", "batch", batch, "movie", movie.ID, "cinema", cinema.ID,
		"showtimes", len(planned), "created", len(written))
	layouts := map[string]catalog.Layout{}
	out := make([]AdminShowtime, 0, len(planned))
	for _, st := range planned {
		l, ok := layouts[st.RoomID]
		if !ok {
			for _, room := range rooms {
				if room.ID == st.RoomID {
					l = room.Layout
				}
			}
			layouts[st.RoomID] = l
		}
		out = append(out, AdminShowtime{ShowtimeListing: st, Capacity: l.Capacity()})
	}
	return out, nil
}

// MaxBusy is the longest a showtime may keep its room busy (runtime plus
// cleaning): the marks it takes span at most 12 hour items of the store, so
// one showtime is always one transaction.
const MaxBusy = 11 * time.Hour

// compensate deletes what this batch wrote, newest first. A failure here is
// logged with the batch id: the showtimes left can be found by it.
func (s *Service) compensate(ctx context.Context, written []catalog.ShowtimeListing, batch string) {
	for i := len(written) - 1; i >= 0; i-- {
		if err := s.Store.UnscheduleShowtime(ctx, written[i], batch); err != nil {
			s.log().Error("compensation failed: showtime left scheduled", "batch", batch, "showtime", written[i].ID, "error", err.Error())
		}
	}
	if len(written) > 0 {
		s.log().Warn("bulk scheduling undone", "batch", batch, "showtimes", len(written))
	}
}

func newBatchID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "batch-" + hex.EncodeToString(b)
}

func unprocessableIfMissing(err error, code, msg string) error {
	if e, ok := errs.As(err); ok && e.Kind == errs.NotFound {
		return errs.E(errs.Unprocessable, code, msg)
	}
	return err
}

func daysBetween(a, b catalog.Date) int {
	ua := time.Date(a.Year, a.Month, a.Day, 0, 0, 0, 0, time.UTC)
	ub := time.Date(b.Year, b.Month, b.Day, 0, 0, 0, 0, time.UTC)
	return int(ub.Sub(ua).Hours() / 24)
}

// ChangeResult is a showtime after a cancellation and what happened to its
// orders.
type ChangeResult struct {
	Showtime       AdminShowtime
	OrdersAffected int
	OrdersRefunded int
	BuyersNotified int
}

// CancelShowtime stops a showtime selling, frees its room, refunds every
// paid order through the provider and notifies each buyer. Calling it again
// finishes refunds left undone (the provider was unreachable) and notifies
// no one twice.
func (s *Service) CancelShowtime(ctx context.Context, id, reason string, now time.Time) (ChangeResult, error) {
	reason = strings.TrimSpace(reason)
	if len(reason) < 3 {
		return ChangeResult{}, errs.InvalidFields(errs.FieldError{Field: "reason", Message: "informe o motivo"})
	}
	st, claims, err := s.Store.GetShowtime(ctx, id)
	if err != nil {
		return ChangeResult{}, fmt.Errorf("cancel showtime: %w", err)
	}
	// The paid orders are the ones its sold seats name: one query of the
	// showtime's partition. They are recorded with the cancellation, since
	// refunding an order frees its seats.
	var sold []string
	for _, c := range claims {
		if c.Status == catalog.SeatSold && c.OrderID != "" && !slices.Contains(sold, c.OrderID) {
			sold = append(sold, c.OrderID)
		}
	}
	if s.Refunds == nil && len(sold) > 0 {
		return ChangeResult{}, errs.E(errs.NotImplemented, "not_implemented", "reembolsos não estão configurados nesta implantação")
	}
	if st.BusyUntil.IsZero() {
		st.BusyUntil = BusyUntil(st.StartsAt, st.EndsAt.Sub(st.StartsAt), s.CleaningInterval())
	}
	st, orderIDs, err := s.Store.CancelShowtime(ctx, st, reason, sold, now)
	if err != nil {
		return ChangeResult{}, fmt.Errorf("cancel showtime: %w", err)
	}
	// A payment confirmed between the read above and the cancellation sold
	// seats the read did not see. Once the showtime is cancelled no seat
	// can be sold any more (the confirmation checks it in its transaction),
	// so reading the seats again finds every order to refund.
	if late, err := s.lateSales(ctx, id, orderIDs); err != nil {
		return ChangeResult{}, fmt.Errorf("cancel showtime: %w", err)
	} else if len(late) > 0 {
		if s.Refunds == nil {
			return ChangeResult{}, errs.E(errs.NotImplemented, "not_implemented", "reembolsos não estão configurados nesta implantação")
		}
		if st, orderIDs, err = s.Store.CancelShowtime(ctx, st, reason, late, now); err != nil {
			return ChangeResult{}, fmt.Errorf("cancel showtime: %w", err)
		}
	}
	var os []orders.Order
	for _, oid := range orderIDs {
		o, err := s.Store.GetOrder(ctx, oid)
		if err != nil {
			return ChangeResult{}, fmt.Errorf("cancel showtime: %w", err)
		}
		os = append(os, o)
	}
	res := ChangeResult{}
	buyers := map[string]bool{}
	var firstErr error
	for _, o := range os {
		// The stored status, never one derived from the clock: these orders
		// were found by their SOLD seats, so one still waiting for payment
		// past its hold's expiry had its seats sold and is being completed.
		status := o.Status
		if status == orders.PendingPayment {
			// Its seats were sold just before the cancellation and its
			// tickets are being issued: the refunder finishes the
			// purchase, then cancels and refunds it.
			done, err := s.Refunds.RefundForCancelledShowtime(ctx, o.ID, now)
			if err != nil {
				return ChangeResult{}, fmt.Errorf("cancel showtime: %w", err)
			}
			status = done.Status
		}
		if status != orders.Paid && status != orders.Cancelled && status != orders.Refunded {
			continue // never paid: nothing to refund, the seats were never sold
		}
		res.OrdersAffected++
		if status != orders.Refunded {
			done, err := s.Refunds.RefundForCancelledShowtime(ctx, o.ID, now)
			if err != nil {
				s.log().Warn("refund left undone; cancelling again finishes it", "showtime", id, "order", o.ID, "error", err.Error())
				if firstErr == nil && errs.KindOf(err) != errs.Unavailable {
					firstErr = err
				}
			} else {
				status = done.Status
			}
		}
		if status == orders.Refunded {
			res.OrdersRefunded++
		}
		if buyers[o.Buyer] {
			continue
		}
		buyers[o.Buyer] = true
		n := Notice{Buyer: o.Buyer, ShowtimeID: id, Kind: "SHOWTIME_CANCELLED", At: now.UTC(), Reason: reason,
			Message: fmt.Sprintf("A sessão de %s em %s, %s, foi cancelada: %s O valor do seu pedido será devolvido integralmente.",
				st.MovieTitle, st.CinemaName, st.StartsAt.In(catalog.Zone).Format("02/01 às 15:04"), withPeriod(reason))}
		if err := s.Store.Notify(ctx, n); err != nil {
			return ChangeResult{}, fmt.Errorf("cancel showtime: %w", err)
		}
		s.log().Info("buyer notified of a cancelled showtime", "showtime", id, "buyer", o.Buyer, "order", o.ID)
		res.BuyersNotified++
	}
	if firstErr != nil {
		return ChangeResult{}, fmt.Errorf("cancel showtime: %w", firstErr)
	}
	a, err := s.admin(ctx, st, nil)
	if err != nil {
		return ChangeResult{}, fmt.Errorf("cancel showtime: %w", err)
	}
	res.Showtime = a
	s.log().Info("showtime cancelled", "showtime", id, "orders", res.OrdersAffected, "refunded", res.OrdersRefunded)
	return res, nil
}

// lateSales lists the orders the showtime's sold seats name that are not
// among known.
func (s *Service) lateSales(ctx context.Context, id string, known []string) ([]string, error) {
	_, claims, err := s.Store.GetShowtime(ctx, id)
	if err != nil {
		return nil, err
	}
	var late []string
	for _, c := range claims {
		if c.Status == catalog.SeatSold && c.OrderID != "" && !slices.Contains(known, c.OrderID) && !slices.Contains(late, c.OrderID) {
			late = append(late, c.OrderID)
		}
	}
	return late, nil
}

func withPeriod(s string) string {
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") {
		return s
	}
	return s + "."
}
