// Package pricing computes ticket prices: pure, integer centavos, table
// tested. The hold, the seat map's ticket types and later the order all use
// it, so a price is computed in one place.
package pricing

import (
	"errors"
	"fmt"
	"time"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/money"
)

// TicketType is the kind of ticket a seat is sold with.
type TicketType string

const (
	Inteira             TicketType = "INTEIRA"
	MeiaEstudante       TicketType = "MEIA_ESTUDANTE"        // students with the national student ID (Lei 12.933/2013)
	MeiaIdoso           TicketType = "MEIA_IDOSO"            // 60+ (Estatuto do Idoso, art. 23)
	MeiaPcD             TicketType = "MEIA_PCD"              // people with disabilities (Lei 12.933/2013)
	MeiaAcompanhantePcD TicketType = "MEIA_ACOMPANHANTE_PCD" // one companion of a person with disabilities
	MeiaProfessor       TicketType = "MEIA_PROFESSOR"        // SP public-school teachers (Lei estadual 10.858/2001)
)

// All is every ticket type in the order buyers see them.
var All = []TicketType{Inteira, MeiaEstudante, MeiaIdoso, MeiaPcD, MeiaAcompanhantePcD, MeiaProfessor}

// Valid reports whether t is a known ticket type.
func (t TicketType) Valid() bool {
	for _, k := range All {
		if k == t {
			return true
		}
	}
	return false
}

// Meia reports whether t is a half-price ticket. Every meia counts toward
// the 40% cap of Lei 12.933/2013; whether 60+ tickets count is unsettled in
// law (facts §4), and the chain counts them, the conservative reading.
func (t TicketType) Meia() bool { return t != Inteira && t.Valid() }

// Label is the pt-BR name a buyer reads.
func (t TicketType) Label() string {
	switch t {
	case Inteira:
		return "Inteira"
	case MeiaEstudante:
		return "Meia-entrada estudante"
	case MeiaIdoso:
		return "Meia-entrada 60+"
	case MeiaPcD:
		return "Meia-entrada pessoa com deficiência"
	case MeiaAcompanhantePcD:
		return "Meia-entrada acompanhante de PcD"
	case MeiaProfessor:
		return "Meia-entrada professor da rede pública de SP"
	}
	return string(t)
}

// Proof is what the buyer shows at the door.
func (t TicketType) Proof() string {
	switch t {
	case MeiaEstudante:
		return "Carteira de Identificação Estudantil (CIE) válida"
	case MeiaIdoso:
		return "Documento com foto que comprove 60 anos ou mais"
	case MeiaPcD:
		return "Cartão do BPC ou documento que comprove a deficiência"
	case MeiaAcompanhantePcD:
		return "Acompanha a pessoa com deficiência, que apresenta o comprovante"
	case MeiaProfessor:
		return "Holerite ou carteira funcional de professor da rede pública de SP"
	}
	return ""
}

// Quote is the price of one seat with one ticket type.
type Quote struct {
	Ticket    money.BRL // the ticket itself
	Surcharge money.BRL // the seat's surcharge (VIP, couple), never halved
	Total     money.BRL
	Meia      bool
}

// ErrNoPrice is returned when the table has no price for a format and day.
var ErrNoPrice = errors.New("no price")

// Price is the price of a seat type with a ticket type for a showtime of a
// format on a weekday.
//
// Inteira is the table's price for the format and weekday; on a promotional
// weekday that price is the promotion. Meia is half of the regular price,
// rounded up to the centavo: meia does not combine with promotions (Lei
// 12.933/2013 art. 1 §1), so on a promotional day it is half of the lowest
// non-promotional price of the format, never half of the promotion. The seat
// surcharge is added in full to every ticket type.
func Price(table catalog.PriceTable, f catalog.Format, day time.Weekday, seat catalog.SeatType, t TicketType) (Quote, error) {
	if !t.Valid() {
		return Quote{}, fmt.Errorf("price: unknown ticket type %q", t)
	}
	inteira, ok := table.Inteira(f, day)
	if !ok {
		return Quote{}, fmt.Errorf("price %s on %s: %w", f, day, ErrNoPrice)
	}
	q := Quote{Ticket: inteira, Surcharge: table.SeatSurcharges[seat], Meia: t.Meia()}
	if q.Meia {
		regular, err := regularInteira(table, f, day)
		if err != nil {
			return Quote{}, err
		}
		q.Ticket = half(regular)
	}
	q.Total = q.Ticket + q.Surcharge
	return q, nil
}

// Regular is the inteira meia-entrada is half of for a showtime of a format
// on a weekday, and whether that weekday is promotional.
func Regular(table catalog.PriceTable, f catalog.Format, day time.Weekday) (regular money.BRL, promo bool, err error) {
	if _, ok := table.Inteira(f, day); !ok {
		return 0, false, fmt.Errorf("price %s on %s: %w", f, day, ErrNoPrice)
	}
	regular, err = regularInteira(table, f, day)
	return regular, isPromo(table, day), err
}

// regularInteira is the inteira meia is computed from: the day's own price on
// a regular day; on a promotional day, the lowest price of the format on the
// regular days.
func regularInteira(table catalog.PriceTable, f catalog.Format, day time.Weekday) (money.BRL, error) {
	if !isPromo(table, day) {
		p, _ := table.Inteira(f, day)
		return p, nil
	}
	var lowest money.BRL
	found := false
	for d := time.Sunday; d <= time.Saturday; d++ {
		if isPromo(table, d) {
			continue
		}
		if p, ok := table.Inteira(f, d); ok && (!found || p < lowest) {
			lowest, found = p, true
		}
	}
	if !found {
		// Every day is promotional: the promotion is the regular price.
		p, _ := table.Inteira(f, day)
		return p, nil
	}
	return lowest, nil
}

func isPromo(table catalog.PriceTable, day time.Weekday) bool {
	for _, d := range table.PromoWeekdays {
		if d == day {
			return true
		}
	}
	return false
}

// half rounds half a price up to the centavo.
func half(p money.BRL) money.BRL { return (p + 1) / 2 }
