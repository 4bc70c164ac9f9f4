// Package concessions ranks the bomboniere for the buyer of a hold.
//
// It is pure: no AWS, no HTTP, no JSON. Given the hold's party, the movie, the
// showtime, the menu, the stock, the buyer's history and the attach rates
// learned from paid orders, Rank returns the products ordered for this
// buyer, each with a size, a quantity, a score and a short pt-BR reason.
//
// The model (docs/study.md, docs/adr/0201) is a chain of Bayesian blends:
//
//	prior (the study) ─► segment attach rate (paid orders) ─► × context lifts
//	                 ─► buyer's own rate (history) ─► × margin factor = score
//
// Each step is a weighted average of a rate observed in data and the step
// before it as the prior, so a cold start follows the study and the data
// takes over as orders are paid.
package concessions

import (
	"slices"
	"time"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/money"
)

// Segment is the kind of party a hold is for. Attach rates are learned per
// segment; the segment of an order is computed the same way when it is
// ranked and when it is paid (SegmentOf).
type Segment string

const (
	SegmentAll    Segment = "ALL" // every paid order; the level above the segments
	SegmentSolo   Segment = "SOLO"
	SegmentCouple Segment = "COUPLE"
	SegmentFamily Segment = "FAMILY" // children estimated in the party
	SegmentGroup  Segment = "GROUP"
)

// Segments lists the segments an order can fall in, in a stable order.
var Segments = []Segment{SegmentSolo, SegmentCouple, SegmentFamily, SegmentGroup}

// Valid reports whether s is a known segment.
func (s Segment) Valid() bool { return s == SegmentAll || slices.Contains(Segments, s) }

// Label is the pt-BR noun for the people of a segment: "casais".
func (s Segment) Label() string {
	switch s {
	case SegmentSolo:
		return "quem vai sozinho"
	case SegmentCouple:
		return "casais"
	case SegmentFamily:
		return "famílias"
	case SegmentGroup:
		return "grupos"
	}
	return "todos os clientes"
}

// Ticket is one held seat's ticket: its type code (INTEIRA, MEIA_ESTUDANTE,
// MEIA_IDOSO ...) and whether it is a half-price ticket.
type Ticket struct {
	Type string
	Meia bool
}

// Party is what the hold says about who is going: one ticket per held seat
// and how many of the seats are couple seats.
type Party struct {
	Tickets     []Ticket
	CoupleSeats int
}

// Ticket type codes the features read.
const (
	ticketStudent = "MEIA_ESTUDANTE"
	ticketSenior  = "MEIA_IDOSO"
)

// Features are the facts about a hold the ranking uses, all derived from the
// party, the movie and the showtime.
type Features struct {
	Party       int // seats held
	Meia        int // half-price tickets of any kind
	Students    int
	Seniors     int
	CoupleSeats int
	// Kids is an estimate: the hold has no child ticket type. For a movie
	// rated L or 10 it is the student tickets or, with none, half the party
	// of a matinee (before 18h) of two or more; 0 otherwise.
	Kids    int
	Segment Segment
	Hour    int // São Paulo hour the showtime starts
	Weekday time.Weekday
	Format  catalog.Format
	Genres  []string
	Rating  catalog.AgeRating
	Runtime int // minutes
}

// MatineeBefore is the São Paulo hour before which a session is a matinee.
const MatineeBefore = 18

// FeaturesOf derives the features of a hold for a showtime of a movie.
func FeaturesOf(p Party, m catalog.Movie, st catalog.Showtime) Features {
	f := Features{
		Party:       len(p.Tickets),
		CoupleSeats: p.CoupleSeats,
		Format:      st.Format,
		Genres:      m.Genres,
		Rating:      m.AgeRating,
		Runtime:     m.RuntimeMinutes,
	}
	local := st.StartsAt.In(catalog.Zone)
	f.Hour, f.Weekday = local.Hour(), local.Weekday()
	for _, t := range p.Tickets {
		if t.Meia {
			f.Meia++
		}
		switch t.Type {
		case ticketStudent:
			f.Students++
		case ticketSenior:
			f.Seniors++
		}
	}
	if f.Party == 0 {
		f.Party = 1
	}
	if m.AgeRating == catalog.RatingL || m.AgeRating == catalog.Rating10 {
		switch {
		case f.Students > 0 && f.Party >= 2:
			f.Kids = min(f.Students, f.Party-1)
		case f.Party >= 2 && f.Hour < MatineeBefore:
			f.Kids = f.Party / 2
		}
	}
	f.Segment = segment(f)
	return f
}

// SegmentOf is the segment of a hold: the one its paid order is counted in.
func SegmentOf(p Party, m catalog.Movie, st catalog.Showtime) Segment {
	return FeaturesOf(p, m, st).Segment
}

func segment(f Features) Segment {
	switch {
	case f.Kids > 0:
		return SegmentFamily
	case f.Party == 1:
		return SegmentSolo
	case f.Party == 2 || f.CoupleSeats >= 2:
		return SegmentCouple
	}
	return SegmentGroup
}

func (f Features) matinee() bool { return f.Hour < MatineeBefore }

func (f Features) hasGenre(names ...string) bool {
	for _, g := range f.Genres {
		if slices.Contains(names, g) {
			return true
		}
	}
	return false
}

// History is what the buyer took in earlier paid orders.
type History struct {
	Orders     int                             // paid orders
	Products   map[string]int                  // paid orders with the product
	Categories map[catalog.ProductCategory]int // paid orders with a product of the category
}

// Recommendation is one ranked product for the hold.
type Recommendation struct {
	ProductID string
	Name      string
	Category  catalog.ProductCategory
	Size      string
	Quantity  int
	UnitPrice money.BRL
	Score     float64 // higher first; comparable within one ranking only
	Reason    string  // short pt-BR text shown to the buyer
	// Savings and Replaces are set for a bundle suggestion: the combo saves
	// Savings against buying its items one by one and replaces the selected
	// products listed.
	Savings  money.BRL
	Replaces []string
}

// Input is everything Rank reads.
type Input struct {
	Party    Party
	Movie    catalog.Movie
	Showtime catalog.Showtime
	// Menu is the chain's products; inactive ones are never recommended.
	Menu []catalog.Product
	// Stock is what the cinema has left per product id. A product with 0 or
	// less is hidden, and so is a combo with such an item; a product missing
	// from the map is not stock-tracked and is shown.
	Stock      map[string]int
	History    History
	Aggregates Aggregates
	// Selected are the product ids already in the buyer's cart.
	Selected []string
}
