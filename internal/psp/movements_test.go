package psp

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSimulatorMovements(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t0 := time.Date(2026, 12, 4, 20, 0, 0, 0, time.UTC)

	// A clock the test moves: each charge and each move happens at a known
	// minute.
	now := t0
	s := NewSimulator(SimConfig{Now: func() time.Time { return now }})
	charge := func(id, card string) Charge {
		t.Helper()
		c, err := s.Charge(ctx, ChargeRequest{PaymentID: id, Amount: 5000, Method: Card, CardToken: TokenPrefix + card})
		require.NoError(t, err)
		return c
	}
	kept := charge("pay-kept", CardApproves) // captured at t0
	now = t0.Add(time.Minute)
	refunded := charge("pay-refunded", CardApproves) // captured at t0+1m
	charge("pay-declined", CardDeclines)
	now = t0.Add(2 * time.Minute)
	charge("pay-late", CardTimesOut)
	now = t0.Add(3 * time.Minute)
	require.NoError(t, s.Settle("pay-late", true)) // captured at t0+3m
	now = t0.Add(4 * time.Minute)
	require.NoError(t, s.Refund(ctx, RefundRequest{PaymentID: "pay-refunded", Amount: 5000}))
	disputed := charge("pay-disputed", CardApprovesMastercard) // captured at t0+4m
	now = t0.Add(5 * time.Minute)
	require.NoError(t, s.Chargeback("pay-disputed"))
	now = t0.Add(6 * time.Minute)
	_, err := s.Charge(ctx, ChargeRequest{PaymentID: "pay-pix", Amount: 5000, Method: Pix, ExpiresAt: t0.Add(time.Hour)})
	require.NoError(t, err)

	t.Run("every capture, refund and chargeback of the window, by the charges' last move", func(t *testing.T) {
		got, err := s.Movements(ctx, t0, t0.Add(time.Hour))
		require.NoError(t, err)
		late, err := s.ledger.Charge(ctx, "pay-late")
		require.NoError(t, err)
		assert.Equal(t, []Movement{
			{Kind: MovementCapture, PaymentID: "pay-kept", Reference: kept.Reference, Amount: 5000, At: t0},
			{Kind: MovementCapture, PaymentID: "pay-late", Reference: late.Reference, Amount: 5000, At: t0.Add(3 * time.Minute)},
			{Kind: MovementCapture, PaymentID: "pay-refunded", Reference: refunded.Reference, Amount: 5000, At: t0.Add(time.Minute)},
			{Kind: MovementRefund, PaymentID: "pay-refunded", Reference: refunded.Reference, Amount: 5000, At: t0.Add(4 * time.Minute)},
			{Kind: MovementCapture, PaymentID: "pay-disputed", Reference: disputed.Reference, Amount: 5000, At: t0.Add(4 * time.Minute)},
			{Kind: MovementDispute, PaymentID: "pay-disputed", Reference: disputed.Reference, Amount: 5000, At: t0.Add(5 * time.Minute)},
		}, got, "declined and pending charges took nothing")
	})
	t.Run("a refund in the window brings its earlier capture", func(t *testing.T) {
		got, err := s.Movements(ctx, t0.Add(4*time.Minute), t0.Add(5*time.Minute))
		require.NoError(t, err)
		var kinds []string
		for _, m := range got {
			kinds = append(kinds, m.PaymentID+" "+string(m.Kind))
		}
		assert.Equal(t, []string{"pay-refunded CAPTURE", "pay-refunded REFUND"}, kinds,
			"the charge captured at 4 min moved again at 5 min, past the window")
	})
	t.Run("an unreachable provider lists nothing", func(t *testing.T) {
		s.SetUnreachable(true)
		defer s.SetUnreachable(false)
		_, err := s.Movements(ctx, t0, t0.Add(time.Hour))
		assert.ErrorIs(t, err, ErrUnavailable)
	})
}
