package api

import (
	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/booking"
	"bilhetagem/internal/pricing"
)

// toHold is the wire form of a hold.
func toHold(h booking.Hold) gen.Hold {
	out := gen.Hold{
		ID: h.ID, ShowtimeID: h.ShowtimeID, Status: gen.HoldStatus(h.Status), MeiaCount: h.MeiaCount(),
		Total: toMoney(h.Total()), CreatedAt: h.CreatedAt.UTC(), ExpiresAt: h.ExpiresAt.UTC(),
		Seats: make([]gen.HeldSeat, 0, len(h.Seats)), Warnings: make([]gen.HoldWarning, 0, len(h.Warnings)),
	}
	if h.OrderID != "" {
		id := h.OrderID
		out.OrderID = &id
	}
	for _, s := range h.Seats {
		out.Seats = append(out.Seats, gen.HeldSeat{
			SeatID: s.Seat.ID, Row: s.Seat.Row, Number: s.Seat.Number, SeatType: gen.SeatType(s.Seat.Type),
			TicketType: gen.TicketTypeCode(s.TicketType), Meia: s.Quote.Meia, TicketPrice: toMoney(s.Quote.Ticket),
			Surcharge: toMoney(s.Quote.Surcharge), Price: toMoney(s.Quote.Total),
		})
	}
	for _, w := range h.Warnings {
		out.Warnings = append(out.Warnings, gen.HoldWarning{Code: gen.HoldWarningCode(w.Code), Message: w.Message, Seats: w.Seats})
	}
	return out
}

// toRequest turns the validated wire request into the domain's; the domain
// checks it again.
func toRequest(in gen.CreateHoldRequest) booking.Request {
	r := booking.Request{ShowtimeID: in.ShowtimeID, Seats: make([]booking.SeatRequest, 0, len(in.Seats))}
	for _, s := range in.Seats {
		r.Seats = append(r.Seats, booking.SeatRequest{SeatID: s.SeatID, TicketType: pricing.TicketType(s.TicketType)})
	}
	return r
}
