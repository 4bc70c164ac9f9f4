package programming

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
)

// SeatBlock is a seat of one showtime taken out of sale by staff: a broken
// seat, a camera position for the night. The room's layout (X) blocks a seat
// for every showtime of a version; a SeatBlock blocks it for one.
type SeatBlock struct {
	SeatID    string
	Reason    string
	BlockedBy string // the staff member's e-mail, or subject without one
	BlockedAt time.Time
}

// BlockSeats takes seats of one showtime out of sale, all or none. A seat
// held or sold is 409 seat_occupied naming the seats (the store's
// conditions decide, not a read); a seat the showtime's layout version does
// not sell is 422 seat_not_sellable. Blocking a blocked seat again keeps it
// blocked with the new reason. It returns the showtime's blocks.
func (s *Service) BlockSeats(ctx context.Context, showtimeID string, seatIDs []string, reason, by string, now time.Time) ([]SeatBlock, error) {
	reason = strings.TrimSpace(reason)
	if len(reason) < 3 {
		return nil, errs.InvalidFields(errs.FieldError{Field: "reason", Message: "informe o motivo"})
	}
	st, layout, err := s.showtimeLayout(ctx, showtimeID)
	if err != nil {
		return nil, fmt.Errorf("block seats: %w", err)
	}
	if st.Cancelled() {
		return nil, errs.E(errs.Unprocessable, "showtime_cancelled", "esta sessão foi cancelada")
	}
	var unsellable []string
	blocks := make([]SeatBlock, 0, len(seatIDs))
	for _, id := range seatIDs {
		seat, ok := layout.Seat(id)
		if !ok || seat.Blocked {
			unsellable = append(unsellable, id)
			continue
		}
		if !slices.ContainsFunc(blocks, func(b SeatBlock) bool { return b.SeatID == id }) {
			blocks = append(blocks, SeatBlock{SeatID: id, Reason: reason, BlockedBy: by, BlockedAt: now.UTC()})
		}
	}
	if len(unsellable) > 0 {
		e := errs.E(errs.Unprocessable, "seat_not_sellable",
			fmt.Sprintf("os assentos %s não existem na sala desta sessão ou já estão bloqueados pelo layout", strings.Join(unsellable, ", ")))
		e.Seats = unsellable
		return nil, e
	}
	if err := s.Store.BlockSeats(ctx, showtimeID, blocks, now); err != nil {
		return nil, fmt.Errorf("block seats: %w", err)
	}
	s.log().Info("seats blocked", "showtime", showtimeID, "seats", len(blocks), "by", by)
	out, err := s.Store.SeatBlocks(ctx, showtimeID)
	if err != nil {
		return nil, fmt.Errorf("block seats: %w", err)
	}
	return out, nil
}

// UnblockSeat puts a seat blocked for one showtime back on sale. A seat
// that is not blocked is left as it is (unblocking is idempotent); a seat
// blocked by the layout itself is 409 conflict: only a new layout version
// unblocks it.
func (s *Service) UnblockSeat(ctx context.Context, showtimeID, seatID string) error {
	_, layout, err := s.showtimeLayout(ctx, showtimeID)
	if err != nil {
		return fmt.Errorf("unblock seat: %w", err)
	}
	seat, ok := layout.Seat(seatID)
	if !ok {
		return errs.NotFoundf("o assento %s não existe na sala desta sessão", seatID)
	}
	if seat.Blocked {
		return errs.E(errs.Conflict, "conflict",
			fmt.Sprintf("o assento %s está bloqueado pelo layout da sala; publique uma nova versão do layout para liberá-lo", seatID))
	}
	if err := s.Store.UnblockSeat(ctx, showtimeID, seatID); err != nil {
		return fmt.Errorf("unblock seat: %w", err)
	}
	return nil
}

// showtimeLayout reads a showtime and the layout version it was scheduled
// with.
func (s *Service) showtimeLayout(ctx context.Context, showtimeID string) (catalog.ShowtimeListing, catalog.Layout, error) {
	st, _, err := s.Store.GetShowtime(ctx, showtimeID)
	if err != nil {
		return catalog.ShowtimeListing{}, catalog.Layout{}, err
	}
	room, err := s.Store.GetRoomLayout(ctx, st.CinemaID, st.RoomID, st.LayoutVersion)
	if err != nil {
		return catalog.ShowtimeListing{}, catalog.Layout{}, err
	}
	return st, room.Layout, nil
}
