package psp

import (
	"context"
	"errors"
	"sort"
	"sync"
	"time"

	"bilhetagem/internal/money"
)

// SimCharge is one charge as the simulator records it: what was asked and
// where it stands. Version counts its writes, for conditional updates.
type SimCharge struct {
	PaymentID     string
	Method        Method
	Amount        money.BRL
	Reference     string
	Status        Status
	Card          *CardInfo
	PixCopyPaste  string    // a Pix charge's BR Code; its QR is drawn from it
	ExpiresAt     time.Time // a Pix charge's expiry
	DeclineReason string
	CreatedAt     time.Time
	// CapturedAt is when the charge took the money (zero until then);
	// MovedAt is its last write (its creation, then each move); ChargedBack
	// says a REFUNDED charge's money was taken back by the card's issuer
	// rather than refunded. The reconciliation reads them (Movements).
	CapturedAt  time.Time
	MovedAt     time.Time
	ChargedBack bool
	Version     int
}

// TookMoney reports whether the charge took the buyer's money: it is
// APPROVED, or REFUNDED (which only an approved charge becomes).
func (c SimCharge) TookMoney() bool { return c.Status == Approved || c.Status == Refunded }

// LastMove is when the charge was last written: MovedAt, or CreatedAt for a
// charge recorded before MovedAt was kept.
func (c SimCharge) LastMove() time.Time {
	if c.MovedAt.IsZero() {
		return c.CreatedAt
	}
	return c.MovedAt
}

// Ledger keeps the simulator's charges. In memory (MemoryLedger) they live
// as long as the process; in the application's table (the store's
// SimulatorLedger) every function of a deployed stack sees the same
// charges, so one settles or refunds what another charged.
type Ledger interface {
	// Charge returns the charge recorded for a payment id; ErrNoCharge
	// when there is none.
	Charge(ctx context.Context, paymentID string) (SimCharge, error)
	// Record adds a charge; ErrChargeExists when the payment id has one.
	Record(ctx context.Context, c SimCharge) error
	// Move writes c, whose Version is the stored one, as Version+1;
	// ErrChargeMoved when the stored charge is no longer that version.
	Move(ctx context.Context, c SimCharge) error
	// PendingPix lists the Pix charges still pending whose expiry is not
	// after before.
	PendingPix(ctx context.Context, before time.Time) ([]SimCharge, error)
	// TookMoney lists the charges that took money (SimCharge.TookMoney)
	// whose last move (SimCharge.LastMove) is in [since, until), by that
	// move, oldest first.
	TookMoney(ctx context.Context, since, until time.Time) ([]SimCharge, error)
}

// Errors of a Ledger.
var (
	ErrNoCharge     = errors.New("psp: no such charge")
	ErrChargeExists = errors.New("psp: charge already recorded")
	ErrChargeMoved  = errors.New("psp: charge changed meanwhile")
)

// MemoryLedger keeps charges in process memory.
type MemoryLedger struct {
	mu      sync.Mutex
	charges map[string]SimCharge
}

// NewMemoryLedger makes an empty ledger.
func NewMemoryLedger() *MemoryLedger { return &MemoryLedger{charges: map[string]SimCharge{}} }

// Charge returns the recorded charge.
func (l *MemoryLedger) Charge(_ context.Context, id string) (SimCharge, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c, ok := l.charges[id]
	if !ok {
		return SimCharge{}, ErrNoCharge
	}
	return c, nil
}

// Record adds a charge once.
func (l *MemoryLedger) Record(_ context.Context, c SimCharge) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.charges[c.PaymentID]; ok {
		return ErrChargeExists
	}
	c.Version = 1
	l.charges[c.PaymentID] = c
	return nil
}

// Move writes a charge over the version it was read at.
func (l *MemoryLedger) Move(_ context.Context, c SimCharge) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if old, ok := l.charges[c.PaymentID]; !ok || old.Version != c.Version {
		return ErrChargeMoved
	}
	c.Version++
	l.charges[c.PaymentID] = c
	return nil
}

// PendingPix lists pending Pix charges due by before, oldest first.
func (l *MemoryLedger) PendingPix(_ context.Context, before time.Time) ([]SimCharge, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []SimCharge
	for _, c := range l.charges {
		if c.Method == Pix && c.Status == Pending && !c.ExpiresAt.After(before) {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ExpiresAt.Before(out[j].ExpiresAt) })
	return out, nil
}

// TookMoney lists the charges that took money and last moved in [since,
// until), oldest move first.
func (l *MemoryLedger) TookMoney(_ context.Context, since, until time.Time) ([]SimCharge, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []SimCharge
	for _, c := range l.charges {
		if at := c.LastMove(); c.TookMoney() && !at.Before(since) && at.Before(until) {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].LastMove(), out[j].LastMove()
		if a.Equal(b) {
			return out[i].PaymentID < out[j].PaymentID
		}
		return a.Before(b)
	})
	return out, nil
}

var _ Ledger = (*MemoryLedger)(nil)
