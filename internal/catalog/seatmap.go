package catalog

import (
	"time"
)

// ShowtimeListing is a showtime with what it is listed with: its end and the
// names of its movie, cinema and room.
type ShowtimeListing struct {
	Showtime
	EndsAt     time.Time
	MovieTitle string
	CinemaName string
	RoomName   string
}

// SeatStatus is what a buyer sees of a seat.
type SeatStatus string

const (
	SeatAvailable SeatStatus = "AVAILABLE"
	SeatHeld      SeatStatus = "HELD"
	SeatSold      SeatStatus = "SOLD"
	SeatBlocked   SeatStatus = "BLOCKED"
)

// SeatClaim is what the store holds for a seat of a showtime that someone has
// touched: a hold until ExpiresAt, a sale, or a block. A seat without a claim
// is available.
type SeatClaim struct {
	SeatID     string
	Status     SeatStatus // HELD, SOLD or BLOCKED
	HoldID     string
	OrderID    string
	Holder     string // the buyer's subject
	TicketType string
	Meia       bool      // a half-price ticket, counted toward the 40% cap
	ExpiresAt  time.Time // for HELD
}

// Active reports whether the claim still takes the seat at now. A hold past
// its expiry takes nothing, whether or not TTL has deleted it yet.
func (c SeatClaim) Active(now time.Time) bool {
	switch c.Status {
	case SeatSold, SeatBlocked:
		return true
	case SeatHeld:
		return now.Before(c.ExpiresAt)
	}
	return false
}

// SeatView is a seat of a showtime as the seat map shows it.
type SeatView struct {
	Seat
	Status SeatStatus
	Yours  bool
}

// Availability counts the seats of a showtime by status.
type Availability struct {
	Capacity, Available, Held, Sold, Blocked int
}

// MeiaShare is the share of a showtime's seats guaranteed at half price by
// Lei 12.933/2013, art. 1 §10: 40%.
const (
	meiaShareNumerator   = 40
	meiaShareDenominator = 100
)

// MeiaCap is the number of half-price tickets the law guarantees for a room
// of that capacity.
func MeiaCap(capacity int) int { return capacity * meiaShareNumerator / meiaShareDenominator }

// SeatMap lays the claims of a showtime over its room's layout as seen at
// now, marking the seats of the caller's hold (empty for none) as theirs,
// and counts them.
func SeatMap(layout Layout, claims []SeatClaim, holdID string, now time.Time) ([]SeatView, Availability, int) {
	active := make(map[string]SeatClaim, len(claims))
	for _, c := range claims {
		if c.Active(now) {
			active[c.SeatID] = c
		}
	}
	views := make([]SeatView, 0, len(layout.Seats))
	var a Availability
	meiaTaken := 0
	for _, s := range layout.Seats {
		v := SeatView{Seat: s, Status: SeatAvailable}
		if s.Blocked {
			v.Status = SeatBlocked
		} else if c, ok := active[s.ID]; ok {
			v.Status = c.Status
			v.Yours = holdID != "" && c.HoldID == holdID
			if c.Status != SeatBlocked && c.Meia {
				meiaTaken++
			}
		}
		switch v.Status {
		case SeatAvailable:
			a.Available++
		case SeatHeld:
			a.Held++
		case SeatSold:
			a.Sold++
		case SeatBlocked:
			a.Blocked++
		}
		views = append(views, v)
	}
	// Capacity leaves out every blocked seat, of the layout or of this
	// showtime; the meia cap stays on the layout's capacity, as holds count
	// it, so a block never shrinks it under meia already sold
	// (docs/adr/0602).
	a.Capacity = len(layout.Seats) - a.Blocked
	meiaLeft := MeiaCap(layout.Capacity()) - meiaTaken
	if meiaLeft < 0 {
		meiaLeft = 0
	}
	return views, a, meiaLeft
}
