package booking

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/pricing"
)

// Context is what a hold is planned against, read before the write: the
// showtime, its cinema and room, the prices, and the seats already claimed.
// The claims only serve the isolated-seat rule; whether a seat is free is
// decided by the store's conditional write, never by this read.
type Context struct {
	Showtime catalog.ShowtimeListing
	Cinema   catalog.Cinema
	Layout   catalog.Layout
	Prices   catalog.PriceTable
	Claims   []catalog.SeatClaim
}

// Plan checks a request against every seat rule and prices it. It returns
// the hold to write, with a new id and the holder, or an *errs.Error saying
// which rule failed. It does not check the meia cap, which the store
// enforces in the same transaction as the seats.
func Plan(req Request, c Context, holder, id string, p Policy, now time.Time) (Hold, error) {
	if err := checkShape(req, p); err != nil {
		return Hold{}, err
	}
	if !now.Before(c.Showtime.StartsAt.Add(p.SalesCloseAfter)) {
		return Hold{}, errs.E(errs.Unprocessable, "sales_closed", "as vendas desta sessão estão encerradas")
	}
	seats := make([]catalog.Seat, 0, len(req.Seats))
	var unsellable []string
	blocked := map[string]bool{} // blocked by staff for this showtime
	for _, cl := range c.Claims {
		if cl.Status == catalog.SeatBlocked {
			blocked[cl.SeatID] = true
		}
	}
	for _, r := range req.Seats {
		s, ok := c.Layout.Seat(r.SeatID)
		if !ok || s.Blocked || blocked[r.SeatID] {
			unsellable = append(unsellable, r.SeatID)
			continue
		}
		seats = append(seats, s)
	}
	if len(unsellable) > 0 {
		e := errs.E(errs.Unprocessable, "seat_not_sellable",
			fmt.Sprintf("os assentos %s não existem nesta sala ou estão bloqueados", strings.Join(unsellable, ", ")))
		e.Seats = unsellable
		return Hold{}, e
	}
	if err := checkPairs(req, seats, c, p, now); err != nil {
		return Hold{}, err
	}
	warnings, err := checkGaps(seats, c, now)
	if err != nil {
		return Hold{}, err
	}

	h := Hold{
		ID: id, ShowtimeID: c.Showtime.ID, Holder: holder, Status: Active, Warnings: warnings,
		CreatedAt: now.UTC(), ExpiresAt: now.Add(p.TTL).UTC(),
	}
	day := c.Showtime.StartsAt.In(catalog.Zone).Weekday()
	for i, r := range req.Seats {
		q, err := pricing.Price(c.Prices, c.Showtime.Format, day, seats[i].Type, r.TicketType)
		if err != nil {
			return Hold{}, fmt.Errorf("plan hold: %w", err)
		}
		h.Seats = append(h.Seats, HeldSeat{Seat: seats[i], TicketType: r.TicketType, Quote: q})
	}
	return h, nil
}

// checkShape refuses what the contract cannot express: the same seat twice,
// and the seat count (also in the contract, checked again here so the
// domain never trusts its caller).
func checkShape(req Request, p Policy) error {
	if n := len(req.Seats); n < 1 || n > p.MaxSeats {
		return errs.InvalidFields(errs.FieldError{Field: "seats", Message: fmt.Sprintf("escolha de 1 a %d assentos", p.MaxSeats)})
	}
	seen := map[string]bool{}
	for i, r := range req.Seats {
		if seen[r.SeatID] {
			return errs.InvalidFields(errs.FieldError{Field: fmt.Sprintf("seats.%d.seatId", i), Message: "assento repetido: " + r.SeatID})
		}
		seen[r.SeatID] = true
		if !r.TicketType.Valid() {
			return errs.InvalidFields(errs.FieldError{Field: fmt.Sprintf("seats.%d.ticketType", i), Message: "tipo de ingresso desconhecido"})
		}
	}
	return nil
}

// checkPairs enforces couple seats in pairs, companion seats with their
// wheelchair space until the accessible release, and one PcD companion per
// PcD ticket.
func checkPairs(req Request, seats []catalog.Seat, c Context, p Policy, now time.Time) error {
	in := map[string]bool{}
	for _, s := range seats {
		in[s.ID] = true
	}
	released := !now.Before(c.Showtime.StartsAt.Add(-p.AccessibleRelease))
	for _, s := range seats {
		switch s.Type {
		case catalog.SeatCouple:
			if !in[s.Pair] {
				return ruleViolated(fmt.Sprintf("o assento %s é de casal e só é vendido junto com %s", s.ID, s.Pair), s.ID, s.Pair)
			}
		case catalog.SeatCompanion:
			if !released && !in[s.Pair] {
				return ruleViolated(fmt.Sprintf("o assento %s é do acompanhante e só é vendido junto com o espaço para cadeira de rodas %s até %s antes da sessão",
					s.ID, s.Pair, p.AccessibleRelease), s.ID, s.Pair)
			}
		}
	}
	pcd, companions := 0, 0
	for _, r := range req.Seats {
		switch r.TicketType {
		case pricing.MeiaPcD:
			pcd++
		case pricing.MeiaAcompanhantePcD:
			companions++
		}
	}
	if companions > pcd {
		return ruleViolated("cada meia-entrada de acompanhante exige uma meia-entrada de pessoa com deficiência na mesma reserva")
	}
	return nil
}

func ruleViolated(msg string, seats ...string) error {
	e := errs.E(errs.Unprocessable, "seat_rule_violated", msg)
	e.Seats = seats
	return e
}

// checkGaps finds the seats the hold would leave empty and alone in their
// row: a run of exactly one empty seat between taken seats, aisles or the
// row's ends, next to a seat of this hold. Wheelchair spaces and companion
// seats neither count as isolated nor isolate others. A BLOCK cinema refuses
// the hold; a WARN cinema holds and warns.
func checkGaps(seats []catalog.Seat, c Context, now time.Time) ([]Warning, error) {
	requested := map[string]bool{}
	rows := map[string]bool{}
	for _, s := range seats {
		requested[s.ID] = true
		rows[s.Row] = true
	}
	taken := map[string]bool{}
	for _, cl := range c.Claims {
		if cl.Active(now) {
			taken[cl.SeatID] = true
		}
	}
	var isolated []string
	for _, seg := range segments(c.Layout, rows) {
		occupied := func(i int) bool {
			if i < 0 || i >= len(seg) {
				return true // the row's end or an aisle
			}
			s := seg[i]
			return s.Blocked || taken[s.ID] || requested[s.ID]
		}
		for i, s := range seg {
			if occupied(i) {
				continue
			}
			if !occupied(i-1) || !occupied(i+1) {
				continue
			}
			byHold := (i > 0 && requested[seg[i-1].ID]) || (i+1 < len(seg) && requested[seg[i+1].ID])
			if byHold {
				isolated = append(isolated, s.ID)
			}
		}
	}
	if len(isolated) == 0 {
		return nil, nil
	}
	msg := fmt.Sprintf("a escolha deixa o assento %s vazio e isolado na fileira", strings.Join(isolated, ", "))
	if c.Cinema.GapPolicy == catalog.GapWarn {
		return []Warning{{Code: IsolatedSeat, Message: "Sua escolha deixa o assento " + strings.Join(isolated, ", ") + " vazio e isolado.", Seats: isolated}}, nil
	}
	return nil, ruleViolated(msg, isolated...)
}

// segments splits the given rows into runs of side-by-side ordinary seats;
// aisles, wheelchair spaces and companion seats end a run.
func segments(l catalog.Layout, rows map[string]bool) [][]catalog.Seat {
	byRow := map[string][]catalog.Seat{}
	for _, s := range l.Seats {
		if rows[s.Row] {
			byRow[s.Row] = append(byRow[s.Row], s)
		}
	}
	var out [][]catalog.Seat
	names := make([]string, 0, len(byRow))
	for r := range byRow {
		names = append(names, r)
	}
	slices.Sort(names)
	for _, r := range names {
		row := byRow[r]
		slices.SortFunc(row, func(a, b catalog.Seat) int { return a.X - b.X })
		var cur []catalog.Seat
		for _, s := range row {
			special := s.Type == catalog.SeatWheelchair || s.Type == catalog.SeatCompanion
			if special || (len(cur) > 0 && s.X != cur[len(cur)-1].X+1) {
				if len(cur) > 0 {
					out = append(out, cur)
				}
				cur = nil
			}
			if !special {
				cur = append(cur, s)
			}
		}
		if len(cur) > 0 {
			out = append(out, cur)
		}
	}
	return out
}
