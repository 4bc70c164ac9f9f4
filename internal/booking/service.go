package booking

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"slices"
	"strings"
	"time"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
)

// Store is what holds need from persistence. Its writes are conditional:
// they are what decides who gets a seat.
type Store interface {
	// GetShowtimeRows reads a showtime and the claims on the seats of the
	// given rows; GetCinema, GetRoomLayout and GetPriceTable read the catalog.
	GetShowtimeRows(ctx context.Context, id string, rows []string) (catalog.ShowtimeListing, []catalog.SeatClaim, error)
	GetCinema(ctx context.Context, id string) (catalog.Cinema, error)
	GetRoomLayout(ctx context.Context, cinemaID, roomID string, version int) (catalog.Room, error)
	GetPriceTable(ctx context.Context, cinemaID string) (catalog.PriceTable, error)

	// CreateHold writes the hold, its seats, the buyer's marker, one of the
	// buyer's hold slots, the buyer's churn count for the showtime and the
	// meia counter in one transaction. Each seat must be free or held by an
	// expired hold, the buyer must have no unexpired hold on the showtime,
	// a free slot within lim (PickSlot) and churn left in the window, and
	// the meia tickets must fit under meiaCap. It fails with errs codes
	// seat_taken (listing the seats), active_hold_exists, buyer_hold_limit,
	// buyer_seat_limit, hold_churn_limit (429 with RetryAfter) or
	// meia_cap_reached, and writes nothing then. The returned hold carries
	// its BuyerSlot.
	CreateHold(ctx context.Context, h Hold, meiaCap int, lim BuyerLimits, now time.Time) (Hold, error)
	// HoldsOf lists the holder's holds that are active or ordered and
	// unexpired at now, found through the holder's hold slots.
	HoldsOf(ctx context.Context, holder string, now time.Time) ([]Hold, error)
	// GetHold reads a hold by id, errs.NotFound when there is none.
	GetHold(ctx context.Context, id string) (Hold, error)
	// ReleaseHold frees an active hold's seats, marker, slot and meia count
	// at once; it fails with hold_not_active if the hold is no longer active
	// and unexpired.
	ReleaseHold(ctx context.Context, h Hold, now time.Time) error
	// ConfirmHold sells an ordered or active hold's seats to an order, only
	// while the hold is unexpired and its seats are still its own.
	ConfirmHold(ctx context.Context, h Hold, orderID string, now time.Time) error
}

// Reader reads the catalog entities a hold is planned against; a
// catalog.Cache keeps them between holds.
type Reader interface {
	GetCinema(ctx context.Context, id string) (catalog.Cinema, error)
	GetRoomLayout(ctx context.Context, cinemaID, roomID string, version int) (catalog.Room, error)
	GetPriceTable(ctx context.Context, cinemaID string) (catalog.PriceTable, error)
}

// Service holds seats.
type Service struct {
	Store Store
	// Catalog reads cinemas, rooms and prices; nil reads them from Store.
	Catalog Reader
	Policy  Policy
	// NewID makes hold ids; nil uses random ids.
	NewID func() string
}

// Hold plans and writes a hold for the holder.
func (s *Service) Hold(ctx context.Context, holder string, req Request, now time.Time) (Hold, error) {
	st, claims, err := s.Store.GetShowtimeRows(ctx, req.ShowtimeID, rowsOf(req))
	if err != nil {
		return Hold{}, fmt.Errorf("hold: %w", err)
	}
	if st.Cancelled() {
		return Hold{}, errs.E(errs.Unprocessable, "showtime_cancelled", "esta sessão foi cancelada")
	}
	if st.Moving() {
		return Hold{}, errs.E(errs.Conflict, "showtime_changing", "esta sessão está mudando de horário; tente de novo em instantes")
	}
	reader := s.Catalog
	if reader == nil {
		reader = s.Store
	}
	cinema, err := reader.GetCinema(ctx, st.CinemaID)
	if err != nil {
		return Hold{}, fmt.Errorf("hold: %w", err)
	}
	// Seats are planned on the layout version the showtime was scheduled
	// with, not the room's current one.
	room, err := reader.GetRoomLayout(ctx, st.CinemaID, st.RoomID, st.LayoutVersion)
	if err != nil {
		return Hold{}, fmt.Errorf("hold: %w", err)
	}
	prices, err := reader.GetPriceTable(ctx, st.CinemaID)
	if err != nil {
		return Hold{}, fmt.Errorf("hold: %w", err)
	}
	h, err := Plan(req, Context{Showtime: st, Cinema: cinema, Layout: room.Layout, Prices: prices, Claims: claims},
		holder, s.newID(), s.policy(), now)
	if err != nil {
		return Hold{}, err
	}
	h, err = s.Store.CreateHold(ctx, h, catalog.MeiaCap(room.Layout.Capacity()), s.policy().Buyer.OrDefault(), now)
	if err != nil {
		return Hold{}, fmt.Errorf("hold: %w", err)
	}
	return h, nil
}

// Get returns one of the holder's holds with its status as of now. Another
// buyer's hold is not found, so ids cannot be probed.
func (s *Service) Get(ctx context.Context, holder, id string, now time.Time) (Hold, error) {
	h, err := s.Store.GetHold(ctx, id)
	if err != nil {
		return Hold{}, fmt.Errorf("get hold: %w", err)
	}
	if h.Holder != holder {
		return Hold{}, errs.NotFoundf("reserva %s não encontrada", id)
	}
	h.Status = h.StatusAt(now)
	return h, nil
}

// Mine lists the holder's live holds (active or ordered, unexpired at now),
// soonest to expire first.
func (s *Service) Mine(ctx context.Context, holder string, now time.Time) ([]Hold, error) {
	hs, err := s.Store.HoldsOf(ctx, holder, now)
	if err != nil {
		return nil, fmt.Errorf("list holds: %w", err)
	}
	slices.SortFunc(hs, func(a, b Hold) int { return a.ExpiresAt.Compare(b.ExpiresAt) })
	return hs, nil
}

// Release frees one of the holder's holds. Releasing a hold that is already
// released or expired succeeds and writes nothing; a hold that became an
// unexpired order or was paid cannot be released.
func (s *Service) Release(ctx context.Context, holder, id string, now time.Time) error {
	h, err := s.Get(ctx, holder, id, now)
	if err != nil {
		return err
	}
	switch h.Status {
	case Released, Expired:
		return nil
	case Ordered, Confirmed:
		return errs.E(errs.Conflict, "hold_not_active", "esta reserva já virou um pedido; cancele o pedido em vez disso")
	}
	if err := s.Store.ReleaseHold(ctx, h, now); err != nil {
		if e, ok := errs.As(err); ok && e.Code == "hold_not_active" {
			// It expired or changed between the read and the write: look again.
			again, gerr := s.Get(ctx, holder, id, now)
			if gerr == nil && (again.Status == Released || again.Status == Expired) {
				return nil
			}
		}
		return fmt.Errorf("release hold: %w", err)
	}
	return nil
}

// Confirm sells a hold's seats to a paid order. It fails when the hold has
// expired, even if nobody has taken its seats yet.
func (s *Service) Confirm(ctx context.Context, id, orderID string, now time.Time) error {
	h, err := s.Store.GetHold(ctx, id)
	if err != nil {
		return fmt.Errorf("confirm hold: %w", err)
	}
	switch h.StatusAt(now) {
	case Confirmed:
		if h.OrderID == orderID {
			return nil // already done: confirming is idempotent
		}
		return errs.E(errs.Conflict, "hold_not_active", "a reserva já foi confirmada para outro pedido")
	case Expired:
		return errs.E(errs.Conflict, "hold_expired", "a reserva expirou")
	case Released:
		return errs.E(errs.Conflict, "hold_not_active", "a reserva foi liberada")
	}
	if err := s.Store.ConfirmHold(ctx, h, orderID, now); err != nil {
		return fmt.Errorf("confirm hold: %w", err)
	}
	return nil
}

func (s *Service) policy() Policy {
	if s.Policy.TTL == 0 {
		return DefaultPolicy
	}
	return s.Policy
}

func (s *Service) newID() string {
	if s.NewID != nil {
		return s.NewID()
	}
	return NewID("h")
}

var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// NewID is a random id with a prefix: 128 bits, lowercase, URL-safe.
func NewID(prefix string) string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	return prefix + "-" + strings.ToLower(idEncoding.EncodeToString(b[:]))
}

// rowsOf lists the rows a request touches, once each.
func rowsOf(req Request) []string {
	var rows []string
	for _, r := range req.Seats {
		row := catalog.RowOf(r.SeatID)
		if row != "" && !slices.Contains(rows, row) {
			rows = append(rows, row)
		}
	}
	return rows
}
