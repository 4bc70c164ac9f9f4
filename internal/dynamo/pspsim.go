package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/guregu/dynamo/v2"

	"bilhetagem/internal/errs"
	"bilhetagem/internal/money"
	"bilhetagem/internal/psp"
)

const (
	typeSimCharge = "PSP_SIM_CHARGE"
	// simChargeKeep is how long the simulator remembers a charge: long
	// enough to refund it after a showtime weeks ahead is cancelled.
	simChargeKeep = 180 * 24 * time.Hour
)

// SimulatorLedger is the payment simulator's ledger in the table, so every
// function of a stack without a real provider account (a dev stack, the
// local server) shares the same charges.
func (s *Store) SimulatorLedger() psp.Ledger { return simLedger{s} }

type simLedger struct{ s *Store }

var _ psp.Ledger = simLedger{}

// simChargeItem is one simulated charge. A Pix charge still pending is on
// GSI1 by expiry (a sparse index: the keys go when it leaves PENDING), so
// the simulator finds the ones to expire with one query. A charge that took
// money is on GSI2 in the partition of the UTC day of its last move, by the
// time of that move (sparse too: never a pending, declined or expired
// charge), so the reconciliation reads a window with one query a day.
type simChargeItem struct {
	PK, SK         string
	GSI1PK, GSI1SK string `dynamo:",omitempty"`
	GSI2PK, GSI2SK string `dynamo:",omitempty"`
	Type           string
	Method         string
	Amount         int64
	Reference      string
	Status         string
	CardBrand      string `dynamo:",omitempty"`
	CardLast4      string `dynamo:",omitempty"`
	Installments   int    `dynamo:",omitempty"`
	PixCopyPaste   string `dynamo:",omitempty"`
	ExpiresAt      time.Time
	DeclineReason  string `dynamo:",omitempty"`
	CreatedAt      time.Time
	CapturedAt     time.Time `dynamo:",omitempty"`
	MovedAt        time.Time `dynamo:",omitempty"`
	ChargedBack    bool      `dynamo:",omitempty"`
	Version        int
	TTL            int64 `dynamo:"ttl"`
}

func newSimChargeItem(c psp.SimCharge, version int) simChargeItem {
	it := simChargeItem{PK: simChargePK(c.PaymentID), SK: skMeta, Type: typeSimCharge, Method: string(c.Method),
		Amount: int64(c.Amount), Reference: c.Reference, Status: string(c.Status), PixCopyPaste: c.PixCopyPaste,
		ExpiresAt: c.ExpiresAt.UTC(), DeclineReason: c.DeclineReason, CreatedAt: c.CreatedAt.UTC(), CapturedAt: c.CapturedAt.UTC(),
		MovedAt: c.MovedAt.UTC(), ChargedBack: c.ChargedBack, Version: version, TTL: c.CreatedAt.Add(simChargeKeep).Unix()}
	if c.Card != nil {
		it.CardBrand, it.CardLast4, it.Installments = c.Card.Brand, c.Card.Last4, c.Card.Installments
	}
	if c.Method == psp.Pix && c.Status == psp.Pending {
		it.GSI1PK, it.GSI1SK = gsiSimPendingPix, holdExpirySK(c.ExpiresAt.UnixMilli(), c.PaymentID)
	}
	if c.TookMoney() {
		it.GSI2PK, it.GSI2SK = simMoneyPK(c.LastMove()), simMoneySK(c.LastMove(), c.PaymentID)
	}
	return it
}

func (it simChargeItem) charge() psp.SimCharge {
	c := psp.SimCharge{PaymentID: it.PK[len(prefixSimCharge):], Method: psp.Method(it.Method), Amount: money.BRL(it.Amount),
		Reference: it.Reference, Status: psp.Status(it.Status), PixCopyPaste: it.PixCopyPaste, ExpiresAt: it.ExpiresAt,
		DeclineReason: it.DeclineReason, CreatedAt: it.CreatedAt, ChargedBack: it.ChargedBack, Version: it.Version}
	if !it.CapturedAt.IsZero() {
		c.CapturedAt = it.CapturedAt.UTC()
	}
	if !it.MovedAt.IsZero() {
		c.MovedAt = it.MovedAt.UTC()
	}
	if it.CardLast4 != "" {
		c.Card = &psp.CardInfo{Brand: it.CardBrand, Last4: it.CardLast4, Installments: it.Installments}
	}
	return c
}

// Charge reads a charge, strongly consistent: another function may have
// just moved it.
func (l simLedger) Charge(ctx context.Context, paymentID string) (psp.SimCharge, error) {
	var it simChargeItem
	err := l.s.getConsistent(ctx, simChargePK(paymentID), &it)
	if errs.KindOf(err) == errs.NotFound {
		return psp.SimCharge{}, psp.ErrNoCharge
	}
	if err != nil {
		return psp.SimCharge{}, err
	}
	return it.charge(), nil
}

// Record puts a charge unless its payment id has one.
func (l simLedger) Record(ctx context.Context, c psp.SimCharge) error {
	err := l.s.table.Put(newSimChargeItem(c, 1)).If("attribute_not_exists(PK)").Run(ctx)
	if dynamo.IsCondCheckFailed(err) {
		return fmt.Errorf("record simulated charge %s: %w", c.PaymentID, psp.ErrChargeExists)
	}
	return translate("record simulated charge", err)
}

// Move puts a charge over the version it was read at.
func (l simLedger) Move(ctx context.Context, c psp.SimCharge) error {
	err := l.s.table.Put(newSimChargeItem(c, c.Version+1)).If("Version = ?", c.Version).Run(ctx)
	if dynamo.IsCondCheckFailed(err) {
		return fmt.Errorf("move simulated charge %s: %w", c.PaymentID, psp.ErrChargeMoved)
	}
	return translate("move simulated charge", err)
}

// PendingPix queries the pending Pix charges due by before, oldest first.
func (l simLedger) PendingPix(ctx context.Context, before time.Time) ([]psp.SimCharge, error) {
	var items []simChargeItem
	err := l.s.table.Get("GSI1PK", gsiSimPendingPix).Index(gsi1).
		Range("GSI1SK", dynamo.Less, padMillis(before.UnixMilli()+1)).All(ctx, &items)
	if err != nil {
		return nil, translate("list pending simulated Pix", err)
	}
	out := make([]psp.SimCharge, 0, len(items))
	for _, it := range items {
		out = append(out, it.charge())
	}
	return out, nil
}

// TookMoney queries the charges that took money and last moved in [since,
// until): one query of GSI2 per UTC day of the window, oldest move first.
// The keys are the move's milliseconds, and every key has "#" after them,
// so the range from since's to until's milliseconds is [since, until).
func (l simLedger) TookMoney(ctx context.Context, since, until time.Time) ([]psp.SimCharge, error) {
	var out []psp.SimCharge
	for _, day := range utcDays(since, until) {
		var items []simChargeItem
		err := l.s.table.Get("GSI2PK", simMoneyPK(day)).Index(gsi2).
			Range("GSI2SK", dynamo.Between, padMillis(since.UnixMilli()), padMillis(until.UnixMilli())).All(ctx, &items)
		if err != nil {
			return nil, translate("list simulated charges that took money", err)
		}
		for _, it := range items {
			out = append(out, it.charge())
		}
	}
	return out, nil
}
