// Package psptest holds the contracts every psp.Ledger and every payment
// provider keep, to run against each implementation.
package psptest

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/psp"
)

// Ledger checks the contract of a ledger; fresh returns an empty one.
func Ledger(t *testing.T, fresh func(t *testing.T) psp.Ledger) {
	ctx := context.Background()
	at := time.Date(2026, 12, 4, 20, 0, 0, 0, time.UTC)
	pix := func(id string, expires time.Time) psp.SimCharge {
		return psp.SimCharge{PaymentID: id, Method: psp.Pix, Amount: 4000, Reference: "E" + id, Status: psp.Pending,
			PixCopyPaste: "000201" + id, ExpiresAt: expires, CreatedAt: at}
	}
	t.Run("a recorded charge reads back as it was, at version 1", func(t *testing.T) {
		l := fresh(t)
		card := psp.SimCharge{PaymentID: "pay-c", Method: psp.Card, Amount: 2500, Reference: "ch_1", Status: psp.Declined,
			Card: &psp.CardInfo{Brand: "VISA", Last4: "0002", Installments: 3}, DeclineReason: "recusado", CreatedAt: at}
		require.NoError(t, l.Record(ctx, card))
		got, err := l.Charge(ctx, "pay-c")
		require.NoError(t, err)
		card.Version = 1
		assert.Equal(t, card, got)
		p := pix("pay-p", at.Add(5*time.Minute))
		require.NoError(t, l.Record(ctx, p))
		got, err = l.Charge(ctx, "pay-p")
		require.NoError(t, err)
		p.Version = 1
		assert.Equal(t, p, got)
	})
	t.Run("a payment id is charged once", func(t *testing.T) {
		l := fresh(t)
		require.NoError(t, l.Record(ctx, pix("pay-1", at.Add(time.Minute))))
		other := pix("pay-1", at.Add(time.Hour))
		other.Reference = "other"
		assert.ErrorIs(t, l.Record(ctx, other), psp.ErrChargeExists)
		got, err := l.Charge(ctx, "pay-1")
		require.NoError(t, err)
		assert.Equal(t, "Epay-1", got.Reference, "the first charge stands")
	})
	t.Run("an unknown payment id has no charge", func(t *testing.T) {
		_, err := fresh(t).Charge(ctx, "pay-none")
		assert.ErrorIs(t, err, psp.ErrNoCharge)
	})
	t.Run("a move is written over the version it read, once", func(t *testing.T) {
		l := fresh(t)
		require.NoError(t, l.Record(ctx, pix("pay-1", at.Add(time.Minute))))
		read, err := l.Charge(ctx, "pay-1")
		require.NoError(t, err)
		paid, expired := read, read
		paid.Status, expired.Status = psp.Approved, psp.Expired
		require.NoError(t, l.Move(ctx, paid))
		assert.ErrorIs(t, l.Move(ctx, expired), psp.ErrChargeMoved, "a move from a stale read fails")
		got, err := l.Charge(ctx, "pay-1")
		require.NoError(t, err)
		assert.Equal(t, psp.Approved, got.Status)
		assert.Equal(t, 2, got.Version)
		missing := pix("pay-none", at)
		missing.Version = 1
		assert.ErrorIs(t, l.Move(ctx, missing), psp.ErrChargeMoved, "nothing to move")
	})
	t.Run("pending Pix charges are listed by expiry until they leave PENDING", func(t *testing.T) {
		l := fresh(t)
		for _, c := range []psp.SimCharge{pix("pay-late", at.Add(3*time.Minute)), pix("pay-early", at.Add(time.Minute)),
			pix("pay-due", at.Add(2*time.Minute)), pix("pay-paid", at.Add(time.Minute))} {
			require.NoError(t, l.Record(ctx, c))
		}
		require.NoError(t, l.Record(ctx, psp.SimCharge{PaymentID: "pay-card", Method: psp.Card, Amount: 10, Status: psp.Pending, CreatedAt: at}))
		paid, err := l.Charge(ctx, "pay-paid")
		require.NoError(t, err)
		paid.Status = psp.Approved
		require.NoError(t, l.Move(ctx, paid))
		due, err := l.PendingPix(ctx, at.Add(2*time.Minute))
		require.NoError(t, err)
		var ids []string
		for _, c := range due {
			ids = append(ids, c.PaymentID)
		}
		assert.Equal(t, []string{"pay-early", "pay-due"}, ids, "due by the time given, inclusive, oldest first")
	})
	t.Run("the charges that took money are listed by their last move in a window", func(t *testing.T) {
		l := fresh(t)
		// The window runs over a UTC midnight, so a ledger that keeps the
		// charges per day reads two days.
		since, until := at.Add(3*time.Hour+30*time.Minute), at.Add(5*time.Hour)
		card := func(id string, st psp.Status, moved time.Time) psp.SimCharge {
			c := psp.SimCharge{PaymentID: id, Method: psp.Card, Amount: 3000, Reference: "ch_" + id, Status: st,
				CreatedAt: moved.Add(-time.Minute), MovedAt: moved}
			if st == psp.Approved || st == psp.Refunded {
				c.CapturedAt = moved.Add(-time.Minute)
			}
			return c
		}
		for _, c := range []psp.SimCharge{
			card("pay-before", psp.Approved, since.Add(-time.Millisecond)),
			card("pay-first", psp.Approved, since),
			card("pay-declined", psp.Declined, since.Add(time.Minute)),
			card("pay-after-midnight", psp.Approved, at.Add(4*time.Hour+time.Minute)),
			card("pay-last", psp.Approved, until.Add(-time.Millisecond)),
			card("pay-until", psp.Approved, until),
			card("pay-refunded", psp.Approved, since.Add(-48*time.Hour)),
		} {
			require.NoError(t, l.Record(ctx, c))
		}
		refunded, err := l.Charge(ctx, "pay-refunded")
		require.NoError(t, err)
		refunded.Status, refunded.ChargedBack, refunded.MovedAt = psp.Refunded, true, at.Add(4*time.Hour+30*time.Minute)
		require.NoError(t, l.Move(ctx, refunded))

		got, err := l.TookMoney(ctx, since, until)
		require.NoError(t, err)
		var ids []string
		for _, c := range got {
			ids = append(ids, c.PaymentID)
		}
		assert.Equal(t, []string{"pay-first", "pay-after-midnight", "pay-refunded", "pay-last"}, ids,
			"since inclusive, until exclusive, by last move; declined charges took nothing")
		require.Len(t, got, 4)
		back := got[2]
		assert.Equal(t, psp.Refunded, back.Status)
		assert.True(t, back.ChargedBack)
		assert.True(t, back.CapturedAt.Equal(since.Add(-48*time.Hour-time.Minute)), "the capture keeps its time: %s", back.CapturedAt)
		assert.True(t, back.MovedAt.Equal(refunded.MovedAt), "%s", back.MovedAt)
		assert.Equal(t, 2, back.Version)

		before, err := l.TookMoney(ctx, since.Add(-72*time.Hour), since)
		require.NoError(t, err)
		ids = ids[:0]
		for _, c := range before {
			ids = append(ids, c.PaymentID)
		}
		assert.Equal(t, []string{"pay-before"}, ids, "a charge moved again leaves its earlier place")
	})
}
