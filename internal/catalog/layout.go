package catalog

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// SeatType is the kind of a place in a room.
type SeatType string

const (
	SeatStandard   SeatType = "STANDARD"
	SeatWheelchair SeatType = "WHEELCHAIR" // a space for a wheelchair user
	SeatCompanion  SeatType = "COMPANION"  // goes with the wheelchair space beside it
	SeatVIP        SeatType = "VIP"
	SeatCouple     SeatType = "COUPLE" // sold in pairs
)

// Seat is one sellable place of a layout. X and Y are grid positions
// (aisles take grid columns but have no seat); Pair names the seat it must go
// with: the other half of a couple seat, or the wheelchair space a companion
// seat serves.
type Seat struct {
	ID      string
	Row     string
	Number  int
	X, Y    int
	Type    SeatType
	Pair    string
	Blocked bool
}

// Layout is the seat map of a room, versioned so that a change never alters
// the map under tickets already sold.
type Layout struct {
	Version int
	Width   int
	Height  int
	Seats   []Seat
}

// Seat returns the seat with that id.
func (l Layout) Seat(id string) (Seat, bool) {
	for _, s := range l.Seats {
		if s.ID == id {
			return s, true
		}
	}
	return Seat{}, false
}

// Capacity is the number of sellable seats, blocked ones excluded.
func (l Layout) Capacity() int {
	n := 0
	for _, s := range l.Seats {
		if !s.Blocked {
			n++
		}
	}
	return n
}

// Layout pattern symbols: one character per grid column of a row.
const (
	symStandard   = 'S'
	symWheelchair = 'W'
	symCompanion  = 'C'
	symVIP        = 'V'
	symCouple     = 'P'
	symBlocked    = 'X' // a standard seat out of sale (broken, camera position…)
	symAisle      = '_'
)

// ErrInvalidLayout is wrapped by every layout validation failure.
var ErrInvalidLayout = errors.New("invalid layout")

// ParseLayout builds a layout from rows of symbols, the first row being the
// one nearest the screen (row A). Seats are numbered from 1, left to right,
// skipping aisles. Each symbol is one column:
//
//	S standard   V VIP   W wheelchair space   C companion
//	P couple (two P side by side make one couple seat)
//	X blocked standard seat   _ aisle or empty space
//
// A companion seat pairs with the wheelchair space beside it. The result is
// validated.
func ParseLayout(version int, rows []string) (Layout, error) {
	l := Layout{Version: version, Height: len(rows)}
	for y, pattern := range rows {
		row := rowName(y)
		num := 0
		runes := []rune(pattern)
		if len(runes) > l.Width {
			l.Width = len(runes)
		}
		for x, sym := range runes {
			if sym == symAisle {
				continue
			}
			num++
			s := Seat{ID: row + strconv.Itoa(num), Row: row, Number: num, X: x, Y: y}
			switch sym {
			case symStandard:
				s.Type = SeatStandard
			case symBlocked:
				s.Type, s.Blocked = SeatStandard, true
			case symVIP:
				s.Type = SeatVIP
			case symWheelchair:
				s.Type = SeatWheelchair
			case symCompanion:
				s.Type = SeatCompanion
			case symCouple:
				s.Type = SeatCouple
			default:
				return Layout{}, fmt.Errorf("%w: row %s column %d: unknown symbol %q", ErrInvalidLayout, row, x+1, sym)
			}
			l.Seats = append(l.Seats, s)
		}
	}
	pairSeats(l.Seats)
	if err := l.Validate(); err != nil {
		return Layout{}, err
	}
	return l, nil
}

// rowName is A…Z, then AA, AB….
func rowName(y int) string {
	if y < 26 {
		return string(rune('A' + y))
	}
	return rowName(y/26-1) + string(rune('A'+y%26))
}

// pairSeats links couple halves left to right, and each companion seat with
// the wheelchair space beside it, both ways.
func pairSeats(seats []Seat) {
	at := map[[2]int]int{}
	for i, s := range seats {
		at[[2]int{s.X, s.Y}] = i
	}
	for i := range seats {
		s := &seats[i]
		switch s.Type {
		case SeatCouple:
			if s.Pair != "" {
				continue
			}
			if j, ok := at[[2]int{s.X + 1, s.Y}]; ok && seats[j].Type == SeatCouple && seats[j].Pair == "" {
				s.Pair, seats[j].Pair = seats[j].ID, s.ID
			}
		case SeatCompanion:
			for _, dx := range []int{-1, 1} {
				if j, ok := at[[2]int{s.X + dx, s.Y}]; ok && seats[j].Type == SeatWheelchair && seats[j].Pair == "" {
					s.Pair, seats[j].Pair = seats[j].ID, s.ID
					break
				}
			}
		}
	}
}

// Validate checks that seat ids are unique, every couple seat has its other
// half and every companion seat sits beside a wheelchair space.
func (l Layout) Validate() error {
	if len(l.Seats) == 0 {
		return fmt.Errorf("%w: no seats", ErrInvalidLayout)
	}
	ids := make(map[string]Seat, len(l.Seats))
	for _, s := range l.Seats {
		if _, dup := ids[s.ID]; dup {
			return fmt.Errorf("%w: seat %s appears twice", ErrInvalidLayout, s.ID)
		}
		ids[s.ID] = s
	}
	for _, s := range l.Seats {
		switch s.Type {
		case SeatCouple:
			p, ok := ids[s.Pair]
			if !ok || p.Type != SeatCouple || p.Pair != s.ID {
				return fmt.Errorf("%w: couple seat %s has no other half", ErrInvalidLayout, s.ID)
			}
		case SeatCompanion:
			p, ok := ids[s.Pair]
			if !ok || p.Type != SeatWheelchair || p.Y != s.Y || abs(p.X-s.X) != 1 {
				return fmt.Errorf("%w: companion seat %s is not beside a wheelchair space", ErrInvalidLayout, s.ID)
			}
		}
	}
	return nil
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// RowOf is the row of a seat id: its leading letters ("AB12" → "AB").
func RowOf(seatID string) string {
	i := 0
	for i < len(seatID) && seatID[i] >= 'A' && seatID[i] <= 'Z' {
		i++
	}
	return seatID[:i]
}

// Rows writes the layout back as the row patterns ParseLayout reads, one
// string per row, trailing empty columns trimmed.
func (l Layout) Rows() []string {
	grid := make([][]rune, l.Height)
	for y := range grid {
		grid[y] = []rune(strings.Repeat(string(symAisle), l.Width))
	}
	for _, s := range l.Seats {
		if s.Y < 0 || s.Y >= l.Height || s.X < 0 || s.X >= l.Width {
			continue
		}
		grid[s.Y][s.X] = symbolOf(s)
	}
	out := make([]string, l.Height)
	for y, r := range grid {
		out[y] = strings.TrimRight(string(r), string(symAisle))
		if out[y] == "" {
			out[y] = string(symAisle)
		}
	}
	return out
}

func symbolOf(s Seat) rune {
	switch {
	case s.Blocked:
		return symBlocked
	case s.Type == SeatVIP:
		return symVIP
	case s.Type == SeatWheelchair:
		return symWheelchair
	case s.Type == SeatCompanion:
		return symCompanion
	case s.Type == SeatCouple:
		return symCouple
	}
	return symStandard
}
