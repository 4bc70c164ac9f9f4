// Package stock keeps the bomboniere's stock per cinema: what is left to
// sell of each product size, what open orders have reserved, the staff's
// deliveries and write-offs, and what an order's changes of status do to its
// reservation. Pure rules with the clock injected; the Service runs them
// against a Store. docs/adr/0600 explains the choices.
package stock

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/orders"
)

// Key names a stock line: one size of one product. Combos have no line of
// their own: they take their items' (Demand).
type Key struct {
	ProductID string
	Size      string
}

func (k Key) String() string { return k.ProductID + " " + k.Size }

// Line is a cinema's stock of one product size. Available is what can still
// be sold; Reserved is what orders waiting for payment hold. A size with no
// line is not limited.
type Line struct {
	Key
	Available int
	Reserved  int
	UpdatedAt time.Time
}

// Levels is a cinema's stock, lines in product and size order.
type Levels struct {
	CinemaID string
	Lines    []Line
}

// Adjustment adds (a delivery) or subtracts (a write-off) units of a line.
type Adjustment struct {
	Key
	Delta int
}

// Want is one bomboniere line of an order: a product, its size, how many.
type Want struct {
	ProductID string
	Size      string
	Quantity  int
}

// Demand is what an order's lines take from stock, per line: a product its
// own size; a combo the sizes of the products it contains, times the units
// of each (a combo with two sodas takes two sodas per combo). Lines naming
// the same size add up, since a transaction may touch a stock line once.
func Demand(lines []Want, menu []catalog.Product) map[Key]int {
	byID := make(map[string]catalog.Product, len(menu))
	for _, p := range menu {
		byID[p.ID] = p
	}
	out := map[Key]int{}
	for _, l := range lines {
		p, ok := byID[l.ProductID]
		if ok && p.IsCombo() {
			for _, it := range p.ComboItems {
				out[Key{it.ProductID, it.Size}] += l.Quantity * it.Quantity
			}
			continue
		}
		out[Key{l.ProductID, l.Size}] += l.Quantity
	}
	return out
}

// Keys lists a demand's keys in order, so writes and messages are stable.
func Keys(d map[Key]int) []Key {
	out := make([]Key, 0, len(d))
	for k := range d {
		out = append(out, k)
	}
	slices.SortFunc(out, compare)
	return out
}

func compare(a, b Key) int {
	if c := strings.Compare(a.ProductID, b.ProductID); c != 0 {
		return c
	}
	return strings.Compare(a.Size, b.Size)
}

// State is where an order's reservation stands.
type State string

const (
	Reserved State = "RESERVED" // taken from available, held for the unpaid order
	Sold     State = "SOLD"     // the order was paid: the units are sold
	Returned State = "RETURNED" // given back to available; nothing more happens
)

// Move is what a change of the order's status does to its units.
type Move string

const (
	MoveNone    Move = ""
	MoveSell    Move = "SELL"    // reserved → sold: reserved goes down, available stays down
	MoveRelease Move = "RELEASE" // reserved → available: the unpaid order expired, failed or was cancelled
	MoveRestock Move = "RESTOCK" // sold → available: a paid order was cancelled or refunded
)

// Next is what the order reaching status to does to a reservation in state
// s, and the reservation's new state. Only the change that leaves
// PENDING_PAYMENT or PAID moves units, once: a returned reservation never
// moves again, and the store writes the move in the same transaction as the
// order's new status, conditioned on s.
func Next(s State, to orders.Status) (Move, State) {
	switch s {
	case Reserved:
		switch to {
		case orders.Paid:
			return MoveSell, Sold
		case orders.Expired, orders.Failed, orders.Cancelled, orders.Refunded:
			return MoveRelease, Returned
		}
	case Sold:
		switch to {
		case orders.Cancelled, orders.Refunded:
			return MoveRestock, Returned
		}
	}
	return MoveNone, s
}

// Short is the problem for an order or a write-off that would take a line
// below zero.
func Short(k Key, name string) error {
	if name == "" {
		name = k.ProductID
	}
	return errs.E(errs.Conflict, "stock_exhausted", fmt.Sprintf("não há estoque suficiente de %s (%s)", name, k.Size))
}

// CheckAdjustments says whether every line names a size of a product of the
// menu that is not a combo (combos take their items' stock), each line once.
func CheckAdjustments(adj []Adjustment, menu []catalog.Product) error {
	byID := make(map[string]catalog.Product, len(menu))
	for _, p := range menu {
		byID[p.ID] = p
	}
	var dup, bad []errs.FieldError
	seen := map[Key]int{}
	for i, a := range adj {
		field := fmt.Sprintf("items[%d]", i)
		if j, ok := seen[a.Key]; ok {
			dup = append(dup, errs.FieldError{Field: field, Message: fmt.Sprintf("%s já aparece em items[%d]; some as quantidades", a.Key, j)})
			continue
		}
		seen[a.Key] = i
		if a.Delta == 0 {
			dup = append(dup, errs.FieldError{Field: field + ".delta", Message: "a variação não pode ser zero"})
		}
		p, ok := byID[a.ProductID]
		switch {
		case !ok:
			bad = append(bad, errs.FieldError{Field: field + ".productId", Message: fmt.Sprintf("o produto %s não está no cardápio", a.ProductID)})
		case p.IsCombo():
			bad = append(bad, errs.FieldError{Field: field + ".productId", Message: fmt.Sprintf("%s é um combo: o estoque é o dos itens que ele contém", a.ProductID)})
		case !hasSize(p, a.Size):
			bad = append(bad, errs.FieldError{Field: field + ".size", Message: fmt.Sprintf("o produto %s não tem o tamanho %s", a.ProductID, a.Size)})
		}
	}
	if len(dup) > 0 {
		return errs.InvalidFields(dup...)
	}
	if len(bad) > 0 {
		e := errs.E(errs.Unprocessable, "product_unavailable", bad[0].Message)
		e.Fields = bad
		return e
	}
	return nil
}

func hasSize(p catalog.Product, code string) bool {
	_, ok := p.Size(code)
	return ok
}

// Store is what stock needs from persistence.
type Store interface {
	GetCinema(ctx context.Context, id string) (catalog.Cinema, error)
	ListProducts(ctx context.Context) ([]catalog.Product, error)
	// StockLines reads a cinema's lines, strongly consistent.
	StockLines(ctx context.Context, cinemaID string) ([]Line, error)
	// AdjustStock applies every adjustment in one transaction, creating
	// lines that do not exist; a line that would go below zero fails all of
	// them with stock_exhausted.
	AdjustStock(ctx context.Context, cinemaID string, adj []Adjustment, reason string, now time.Time) error
}

// Service reads and adjusts the cinemas' stock (getStock, adjustStock).
type Service struct{ Store Store }

// Levels is a cinema's stock.
func (s *Service) Levels(ctx context.Context, cinemaID string) (Levels, error) {
	if _, err := s.Store.GetCinema(ctx, cinemaID); err != nil {
		return Levels{}, fmt.Errorf("stock: %w", err)
	}
	lines, err := s.Store.StockLines(ctx, cinemaID)
	if err != nil {
		return Levels{}, fmt.Errorf("stock: %w", err)
	}
	slices.SortFunc(lines, func(a, b Line) int { return compare(a.Key, b.Key) })
	return Levels{CinemaID: cinemaID, Lines: lines}, nil
}

// Adjust applies a delivery or write-off to a cinema's stock, all lines or
// none, and returns the stock after it.
func (s *Service) Adjust(ctx context.Context, cinemaID string, adj []Adjustment, reason string, now time.Time) (Levels, error) {
	if _, err := s.Store.GetCinema(ctx, cinemaID); err != nil {
		return Levels{}, fmt.Errorf("adjust stock: %w", err)
	}
	menu, err := s.Store.ListProducts(ctx)
	if err != nil {
		return Levels{}, fmt.Errorf("adjust stock: %w", err)
	}
	if err := CheckAdjustments(adj, menu); err != nil {
		return Levels{}, err
	}
	if err := s.Store.AdjustStock(ctx, cinemaID, adj, reason, now); err != nil {
		if e, ok := errs.As(err); ok && e.Code == "stock_exhausted" {
			return Levels{}, err
		}
		return Levels{}, fmt.Errorf("adjust stock: %w", err)
	}
	return s.Levels(ctx, cinemaID)
}
