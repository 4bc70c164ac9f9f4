package orders

import (
	"fmt"
	"slices"
	"time"

	"bilhetagem/internal/booking"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/money"
)

// Limits of an order's bomboniere lines, as in the contract.
const (
	MaxLines    = 20
	MaxQuantity = 20
)

// Policy is the chain's configuration of orders.
type Policy struct {
	// ConvenienceFee is charged per ticket.
	ConvenienceFee money.BRL
	// CancelBefore is how long before the showtime a paid order may still be
	// cancelled.
	CancelBefore time.Duration
}

// DefaultPolicy charges R$ 4,00 per ticket and allows cancellation until two
// hours before the showtime, as other chains do (facts §4).
var DefaultPolicy = Policy{ConvenienceFee: 400, CancelBefore: 2 * time.Hour}

// LineRequest is a bomboniere line a buyer asks for; it carries no price.
type LineRequest struct {
	ProductID string
	Size      string
	Flavours  []string
	Quantity  int
}

// Request is what a buyer orders: a hold and bomboniere lines.
type Request struct {
	HoldID string
	Lines  []LineRequest
}

// Build prices an order of a hold on the server: the tickets at the hold's
// quotes, each line at the menu's price for its size, the convenience fee
// per ticket and the total. The client sends no price. It checks the lines
// again (the adapter has checked the contract): a quantity out of 1..20 is
// invalid, and a product, size or flavour not on the menu is unavailable. A
// cancelled showtime takes no order (its holds may outlive the
// cancellation by a few minutes), nor does one a reschedule is moving.
func Build(id string, h booking.Hold, st catalog.ShowtimeListing, lines []LineRequest, menu []catalog.Product, p Policy, now time.Time) (Order, error) {
	if st.Cancelled() {
		return Order{}, errs.E(errs.Unprocessable, "showtime_cancelled", "esta sessão foi cancelada")
	}
	if st.Moving() {
		return Order{}, errs.E(errs.Conflict, "showtime_changing", "esta sessão está mudando de horário; tente de novo em instantes")
	}
	if len(lines) > MaxLines {
		return Order{}, errs.InvalidFields(errs.FieldError{Field: "concessions", Message: fmt.Sprintf("no máximo %d itens", MaxLines)})
	}
	var bad []errs.FieldError
	for i, l := range lines {
		if l.Quantity < 1 || l.Quantity > MaxQuantity {
			bad = append(bad, errs.FieldError{Field: fmt.Sprintf("concessions[%d].quantity", i), Message: fmt.Sprintf("a quantidade vai de 1 a %d", MaxQuantity)})
		}
	}
	if len(bad) > 0 {
		return Order{}, errs.InvalidFields(bad...)
	}
	byID := make(map[string]catalog.Product, len(menu))
	for _, pr := range menu {
		byID[pr.ID] = pr
	}
	o := Order{
		ID: id, Buyer: h.Holder, HoldID: h.ID, Status: PendingPayment,
		Showtime: Showtime{ID: st.ID, MovieTitle: st.MovieTitle, CinemaID: st.CinemaID, CinemaName: st.CinemaName, RoomName: st.RoomName,
			StartsAt: st.StartsAt.UTC(), Format: st.Format, Language: st.Language},
		CreatedAt: now.UTC(), ExpiresAt: h.ExpiresAt.UTC(), CancellableUntil: st.StartsAt.Add(-p.CancelBefore).UTC(),
	}
	for _, s := range h.Seats {
		o.Tickets = append(o.Tickets, TicketLine{SeatID: s.Seat.ID, Row: s.Seat.Row, Number: s.Seat.Number, SeatType: s.Seat.Type,
			TicketType: s.TicketType, Meia: s.Quote.Meia, Price: s.Quote.Total})
		o.Totals.Tickets += s.Quote.Total
	}
	var unavailable []errs.FieldError
	for i, l := range lines {
		line, msg := priceLine(l, byID)
		if msg != "" {
			unavailable = append(unavailable, errs.FieldError{Field: fmt.Sprintf("concessions[%d].productId", i), Message: msg})
			continue
		}
		o.Concessions = append(o.Concessions, line)
		o.Totals.Concessions += line.Total
	}
	if len(unavailable) > 0 {
		e := errs.E(errs.Unprocessable, "product_unavailable", fmt.Sprintf("%s: %s", unavailable[0].Field, unavailable[0].Message))
		e.Fields = unavailable
		return Order{}, e
	}
	o.Totals.ConvenienceFee = p.ConvenienceFee * money.BRL(len(o.Tickets))
	o.Totals.Total = o.Totals.Tickets + o.Totals.Concessions + o.Totals.ConvenienceFee
	return o, nil
}

// priceLine prices one line from the menu, or says why it cannot be sold.
func priceLine(l LineRequest, menu map[string]catalog.Product) (ConcessionLine, string) {
	pr, ok := menu[l.ProductID]
	if !ok || !pr.Active {
		return ConcessionLine{}, fmt.Sprintf("o produto %s não está à venda", l.ProductID)
	}
	size, ok := pr.Size(l.Size)
	if !ok {
		return ConcessionLine{}, fmt.Sprintf("o produto %s não tem o tamanho %s", l.ProductID, l.Size)
	}
	allowed, slots := flavourChoices(pr, menu)
	for _, f := range l.Flavours {
		if !slices.Contains(allowed, f) {
			return ConcessionLine{}, fmt.Sprintf("o sabor %q não é oferecido para %s", f, pr.Name)
		}
	}
	if len(l.Flavours) > slots*l.Quantity {
		return ConcessionLine{}, fmt.Sprintf("%s aceita no máximo %d sabores", pr.Name, slots*l.Quantity)
	}
	flavours := slices.Clone(l.Flavours)
	if flavours == nil {
		flavours = []string{}
	}
	return ConcessionLine{ProductID: pr.ID, Name: pr.Name, Size: size.Code, Flavours: flavours, Quantity: l.Quantity,
		UnitPrice: size.Price, Total: size.Price * money.BRL(l.Quantity)}, ""
}

// flavourChoices are the flavours a product offers and how many a unit of
// it takes: one for a flavoured product, and for a combo one per unit of
// each flavoured item (a combo with two sodas takes two flavours).
func flavourChoices(pr catalog.Product, menu map[string]catalog.Product) ([]string, int) {
	if !pr.IsCombo() {
		if len(pr.Flavours) == 0 {
			return nil, 0
		}
		return pr.Flavours, 1
	}
	var allowed []string
	slots := 0
	for _, it := range pr.ComboItems {
		item, ok := menu[it.ProductID]
		if !ok || len(item.Flavours) == 0 {
			continue
		}
		allowed = append(allowed, item.Flavours...)
		slots += it.Quantity
	}
	return allowed, slots
}
