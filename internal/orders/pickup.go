package orders

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
)

// Redemption is a bomboniere line handed over at the counter: when, and by
// which staff member. The zero Redemption is a line still to hand over.
type Redemption struct {
	At time.Time
	By string
}

// Done reports whether the line was handed over.
func (r Redemption) Done() bool { return !r.At.IsZero() }

// PickupRecord is what the store keeps of a pickup code: the order it
// names and the lines handed over, by line index.
type PickupRecord struct {
	Code     string
	OrderID  string
	Redeemed map[int]Redemption
}

// PickupLine is one bomboniere line of a pickup.
type PickupLine struct {
	Index int
	ConcessionLine
	Redeemed Redemption
}

// Pickup is a paid order's bomboniere items as the counter hands them over.
type Pickup struct {
	Code  string
	Order Order
	Lines []PickupLine
}

// Remaining counts the lines still to hand over.
func (p Pickup) Remaining() int {
	n := 0
	for _, l := range p.Lines {
		if !l.Redeemed.Done() {
			n++
		}
	}
	return n
}

// PickupStore keeps pickup codes and their redemptions. The store writes a
// pickup when it issues a paid order's tickets, for an order with
// bomboniere items.
type PickupStore interface {
	// GetPickup reads a pickup code, strongly consistent: NotFound when no
	// order has it.
	GetPickup(ctx context.Context, code string) (PickupRecord, error)
	GetOrder(ctx context.Context, id string) (Order, error)
	// RedeemPickup marks the order's lines handed over, each only if it
	// was not, and only while the order is PAID, and counts their units in
	// the sales report's picked-up items, in one transaction; ErrStale when
	// a line was handed over meanwhile or the order is no longer PAID.
	RedeemPickup(ctx context.Context, code string, o Order, lines []int, r Redemption) error
}

// Counter is the bomboniere counter: it looks pickups up and hands their
// items over, each line exactly once.
type Counter struct {
	Store PickupStore
}

// NormalizePickupCode is a code as stored: the buyer may read it out in
// lowercase, with spaces.
func NormalizePickupCode(code string) string {
	return strings.ToUpper(strings.Join(strings.Fields(code), ""))
}

// Pickup reads a pickup for the counter of cinemaID: pickup_not_found,
// pickup_wrong_cinema (naming the order's cinema) or pickup_not_valid (the
// order is no longer paid) otherwise.
func (c *Counter) Pickup(ctx context.Context, code, cinemaID string) (Pickup, error) {
	code = NormalizePickupCode(code)
	rec, err := c.Store.GetPickup(ctx, code)
	if errs.KindOf(err) == errs.NotFound {
		return Pickup{}, errs.E(errs.NotFound, "pickup_not_found",
			fmt.Sprintf("nenhum pedido pago com itens da bomboniere tem o código %s; confira o código com o cliente", code))
	}
	if err != nil {
		return Pickup{}, err
	}
	o, err := c.Store.GetOrder(ctx, rec.OrderID)
	if err != nil {
		return Pickup{}, err
	}
	if o.Showtime.CinemaID != cinemaID {
		return Pickup{}, errs.E(errs.Unprocessable, "pickup_wrong_cinema",
			fmt.Sprintf("este código é de um pedido do %s; a retirada é feita lá", o.Showtime.CinemaName))
	}
	if o.Status != Paid {
		why := "não está pago"
		switch o.Status {
		case Refunded:
			why = "foi estornado"
		case Cancelled:
			why = "foi cancelado"
		}
		return Pickup{}, errs.E(errs.Conflict, "pickup_not_valid", fmt.Sprintf("o pedido deste código %s; não entregue os itens", why))
	}
	p := Pickup{Code: code, Order: o}
	for i, l := range o.Concessions {
		p.Lines = append(p.Lines, PickupLine{Index: i, ConcessionLine: l, Redeemed: rec.Redeemed[i]})
	}
	return p, nil
}

// redeemAttempts bounds the reads again after a concurrent change.
const redeemAttempts = 3

// Redeem hands over the given lines of a pickup, or every line still to
// hand over when lines is empty, each exactly once, by staff member by at
// now. A line handed over before, or a pickup with nothing left, is
// pickup_already_redeemed with who and when; an index the pickup does not
// have is a validation error. It returns the pickup as it stands.
func (c *Counter) Redeem(ctx context.Context, code, cinemaID string, lines []int, by string, now time.Time) (Pickup, error) {
	for range redeemAttempts {
		p, err := c.Pickup(ctx, code, cinemaID)
		if err != nil {
			return Pickup{}, err
		}
		take, err := p.toRedeem(lines)
		if err != nil {
			return Pickup{}, err
		}
		r := Redemption{At: now.UTC(), By: by}
		err = c.Store.RedeemPickup(ctx, p.Code, p.Order, take, r)
		if errors.Is(err, ErrStale) {
			continue // another counter, or a refund: decide again from what is stored
		}
		if err != nil {
			return Pickup{}, err
		}
		for _, i := range take {
			p.Lines[i].Redeemed = r
		}
		return p, nil
	}
	return Pickup{}, errs.E(errs.Conflict, "conflict", "a retirada mudou enquanto era feita; consulte o código de novo")
}

// toRedeem is the lines a redemption takes: the asked ones, none of them
// handed over yet, or every one still to hand over.
func (p Pickup) toRedeem(lines []int) ([]int, error) {
	var last Redemption
	for _, l := range p.Lines {
		if l.Redeemed.At.After(last.At) {
			last = l.Redeemed
		}
	}
	if len(lines) == 0 {
		var take []int
		for _, l := range p.Lines {
			if !l.Redeemed.Done() {
				take = append(take, l.Index)
			}
		}
		if len(take) == 0 {
			return nil, alreadyRedeemed(last)
		}
		return take, nil
	}
	take := slices.Clone(lines)
	slices.Sort(take)
	take = slices.Compact(take)
	for _, i := range take {
		if i < 0 || i >= len(p.Lines) {
			return nil, errs.InvalidFields(errs.FieldError{Field: "lines",
				Message: fmt.Sprintf("a retirada não tem o item %d; ela tem %d", i, len(p.Lines))})
		}
		if r := p.Lines[i].Redeemed; r.Done() {
			return nil, alreadyRedeemed(r)
		}
	}
	return take, nil
}

func alreadyRedeemed(r Redemption) error {
	at := r.At.In(catalog.Zone).Format("15:04 de 02/01/2006")
	e := errs.E(errs.Conflict, "pickup_already_redeemed", fmt.Sprintf("estes itens foram entregues às %s por %s", at, r.By))
	e.RedeemedAt, e.RedeemedBy = r.At, r.By
	return e
}
