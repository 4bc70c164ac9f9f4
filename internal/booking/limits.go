package booking

import (
	"fmt"
	"time"

	"bilhetagem/internal/errs"
)

// BuyerLimits bound one buyer's holds across showtimes, so that one account
// cannot keep a room's seats for itself (OWASP API6; docs/adr/0500).
type BuyerLimits struct {
	// Holds is the most unexpired holds (active or ordered) a buyer has at
	// once, across showtimes: the number of the buyer's hold slots.
	Holds int
	// Seats is the most seats those holds take together.
	Seats int
	// Churn is how many holds a buyer may make for one showtime in a
	// ChurnWindow, so releasing and holding again cannot keep seats
	// forever; 0 turns the limit off.
	Churn       int
	ChurnWindow time.Duration
}

// DefaultBuyerLimits: two holds and 20 seats at once, and six holds of one
// showtime an hour.
var DefaultBuyerLimits = BuyerLimits{Holds: 2, Seats: 20, Churn: 6, ChurnWindow: time.Hour}

// OrDefault is l, or DefaultBuyerLimits when l is the zero value.
func (l BuyerLimits) OrDefault() BuyerLimits {
	if l.Holds < 1 {
		return DefaultBuyerLimits
	}
	return l
}

// ChurnWindowAt is the fixed churn window that holds now: windows are
// aligned to multiples of their length since the Unix epoch, so every
// Lambda agrees on them.
func (l BuyerLimits) ChurnWindowAt(now time.Time) (start, end time.Time) {
	w := l.ChurnWindow.Milliseconds()
	if w <= 0 {
		w = time.Hour.Milliseconds()
	}
	ms := now.UnixMilli()
	start = time.UnixMilli(ms - ms%w).UTC()
	return start, start.Add(time.Duration(w) * time.Millisecond)
}

// Slot is one of a buyer's hold slots as read: the hold that took it last,
// its showtime, its number of seats and its expiry. A slot is free when no
// hold took it or its hold expired; releasing or buying a hold frees its
// slot at once.
type Slot struct {
	Number     int // from 1
	HoldID     string
	ShowtimeID string
	Seats      int
	ExpiresAt  time.Time
}

// Live reports whether the slot holds an unexpired hold at now.
func (s Slot) Live(now time.Time) bool { return s.HoldID != "" && now.Before(s.ExpiresAt) }

// PickSlot chooses the free slot hold h takes, given the buyer's slots as
// read at now. It fails with active_hold_exists when a live slot is of h's
// showtime, buyer_hold_limit when every slot is live, and buyer_seat_limit
// when h's seats would take the buyer past l.Seats. The store writes the
// chosen slot under a condition that it is still free, and checks that the
// others have not changed, so a read that went stale only means a retry.
func PickSlot(slots []Slot, l BuyerLimits, h Hold, now time.Time) (int, error) {
	live := map[int]bool{}
	seats := len(h.Seats)
	for _, s := range slots {
		if !s.Live(now) {
			continue
		}
		if s.ShowtimeID == h.ShowtimeID && s.HoldID != h.ID {
			return 0, errs.E(errs.Conflict, "active_hold_exists",
				"você já tem assentos reservados nesta sessão; libere a reserva atual para escolher outros")
		}
		live[s.Number] = true
		seats += s.Seats
	}
	if len(live) >= l.Holds {
		return 0, errs.E(errs.Conflict, "buyer_hold_limit", fmt.Sprintf(
			"você já tem %d reservas ativas; conclua a compra ou libere uma delas para reservar outra sessão", len(live)))
	}
	if seats > l.Seats {
		return 0, errs.E(errs.Conflict, "buyer_seat_limit", fmt.Sprintf(
			"cada pessoa pode reservar até %d assentos ao mesmo tempo; conclua a compra ou libere uma reserva", l.Seats))
	}
	for n := 1; n <= l.Holds; n++ {
		if !live[n] {
			return n, nil
		}
	}
	return 0, errs.E(errs.Conflict, "buyer_hold_limit",
		"você já tem reservas ativas demais; conclua a compra ou libere uma delas para reservar outra sessão")
}

// ChurnLimited is the 429 of a buyer who made l.Churn holds of one showtime
// in the window that ends at end.
func ChurnLimited(l BuyerLimits, end, now time.Time) error {
	e := errs.E(errs.TooManyRequests, "hold_churn_limit", fmt.Sprintf(
		"você já reservou esta sessão %d vezes em pouco tempo; tente novamente mais tarde", l.Churn))
	e.RetryAfter = end.Sub(now)
	return e
}
