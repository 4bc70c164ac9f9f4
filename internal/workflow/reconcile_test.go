package workflow_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/orders"
	"bilhetagem/internal/psp"
)

// The reconciliation end to end: orders paid, cancelled and refunded
// through the service on DynamoDB Local, the simulator's charges in the
// same table (as in a dev stack), the provider's side then bent by writing
// its ledger, and the job run at a later instant.

// onTableLedger makes the fixture pay through a simulator whose charges
// live in the fixture's table.
func (f *fixture) onTableLedger() {
	now := f.now
	f.sim = psp.NewSimulator(psp.SimConfig{Secret: []byte("segredo-do-psp-de-teste"), Now: func() time.Time { return now },
		Ledger: f.store.SimulatorLedger()})
	f.orders.PSP = f.sim
}

func (f *fixture) reconciliation(log *bytes.Buffer) orders.Reconciliation {
	return orders.Reconciliation{Store: f.store, Provider: f.sim, Name: "simulator", Log: slog.New(slog.NewJSONHandler(log, nil))}
}

func (f *fixture) pay(t *testing.T, buyer, orderID, paymentID string) {
	t.Helper()
	p, err := f.orders.Pay(context.Background(), buyer, orderID, paymentID,
		orders.PayRequest{Method: psp.Card, CardToken: psp.TokenPrefix + psp.CardApproves, Installments: 1}, f.now)
	require.NoError(t, err)
	require.Equal(t, orders.PaymentApproved, p.Status)
}

// mismatchLines are the log's mismatch lines.
func mismatchLines(t *testing.T, log *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	s := bufio.NewScanner(bytes.NewReader(log.Bytes()))
	for s.Scan() {
		var line map[string]any
		require.NoError(t, json.Unmarshal(s.Bytes(), &line))
		if line["msg"] == orders.MismatchMessage {
			out = append(out, line)
		}
	}
	return out
}

func TestReconciliationOnDynamoDBLocal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("every mismatch is reported and logged, and the watermark moves to the run", func(t *testing.T) {
		t.Parallel()
		f := orderFixture(t, 0)
		// Paid through a provider that is not the one reconciled: our
		// order is PAID, the provider shows no capture for it.
		require.NoError(t, f.payByCard(t))
		f.onTableLedger()
		ledger := f.store.SimulatorLedger()

		// Paid, then refunded at the provider with no event reaching us.
		f.another(t, "user-bruno", "A2", "ord-rec-2")
		f.pay(t, "user-bruno", "ord-rec-2", "pay-rec-2")
		c, err := ledger.Charge(ctx, "pay-rec-2")
		require.NoError(t, err)
		c.Status, c.MovedAt = psp.Refunded, f.now.Add(time.Minute)
		require.NoError(t, ledger.Move(ctx, c))

		// Cancelled and refunded here; the provider still holds the money.
		f.another(t, "user-carla", "A3", "ord-rec-3")
		f.pay(t, "user-carla", "ord-rec-3", "pay-rec-3")
		cancelled, err := f.orders.Cancel(ctx, "user-carla", "ord-rec-3", f.now)
		require.NoError(t, err)
		require.Equal(t, orders.Refunded, cancelled.Status)
		c, err = ledger.Charge(ctx, "pay-rec-3")
		require.NoError(t, err)
		require.Equal(t, psp.Refunded, c.Status)
		c.Status = psp.Approved
		require.NoError(t, ledger.Move(ctx, c))

		// Paid, and the provider agrees.
		f.another(t, "user-dani", "A4", "ord-rec-4")
		f.pay(t, "user-dani", "ord-rec-4", "pay-rec-4")

		// Money the provider took for no payment of ours.
		require.NoError(t, ledger.Record(ctx, psp.SimCharge{PaymentID: "pay-ghost", Method: psp.Card, Amount: 990, Reference: "ch_ghost",
			Status: psp.Approved, CreatedAt: f.now, CapturedAt: f.now, MovedAt: f.now}))

		at := f.now.Add(3 * time.Hour) // past the grace of every move above
		var log bytes.Buffer
		got, err := f.reconciliation(&log).Run(ctx, at)
		require.NoError(t, err)
		type found struct {
			Kind             orders.MismatchKind
			Order, Payment   string
			Held, OrderTotal int64
		}
		var kinds []found
		for _, m := range got.Mismatches {
			kinds = append(kinds, found{m.Kind, m.OrderID, m.PaymentID, int64(m.Held), int64(m.OrderTotal)})
		}
		total := int64(f.order.Totals.Total)
		assert.Equal(t, []found{
			{orders.MoneyWithoutPaidOrder, "", "pay-ghost", 990, 0},
			{orders.PaidWithoutMoney, "ord-rec-2", "pay-rec-2", 0, total},
			{orders.PaidWithoutMoney, "ord-wf-1", "pay-wf-1", 0, total},
			{orders.RefundOwed, "ord-rec-3", "pay-rec-3", total, total},
		}, kinds)
		assert.Equal(t, 3, got.PaidOrders, "ord-wf-1, ord-rec-2 and ord-rec-4 are PAID; ord-rec-3 was, and is REFUNDED now")
		assert.Equal(t, at.Add(-orders.ReconcileFirstWindow), got.From, "a first run reads a day")

		lines := mismatchLines(t, &log)
		require.Len(t, lines, 4, "one ERROR line per mismatch")
		for _, l := range lines {
			assert.Equal(t, "ERROR", l["level"])
			assert.NotEmpty(t, l["kind"])
			assert.NotEmpty(t, l["detail"])
		}
		assert.Equal(t, "ord-rec-3", lines[3]["order"])

		until, err := f.store.ReconciledUntil(ctx, "simulator")
		require.NoError(t, err)
		assert.True(t, until.Equal(at), "the watermark is the run's end: %s", until)
	})

	t.Run("a clean run reports none and advances the watermark; the next one starts an overlap before it", func(t *testing.T) {
		t.Parallel()
		f := orderFixture(t, 0)
		f.onTableLedger()
		f.pay(t, "user-ana", f.order.ID, "pay-wf-1")

		first := f.now.Add(10 * time.Minute)
		var log bytes.Buffer
		got, err := f.reconciliation(&log).Run(ctx, first)
		require.NoError(t, err)
		assert.Empty(t, got.Mismatches)
		assert.Empty(t, mismatchLines(t, &log))
		assert.Equal(t, 1, got.PaidOrders, "the paid order is found by its paid day")
		assert.Equal(t, 1, got.Movements, "its capture")
		until, err := f.store.ReconciledUntil(ctx, "simulator")
		require.NoError(t, err)
		assert.True(t, until.Equal(first))

		next := first.Add(24 * time.Hour)
		got, err = f.reconciliation(&log).Run(ctx, next)
		require.NoError(t, err)
		assert.True(t, got.From.Equal(first.Add(-orders.ReconcileOverlap)), "from %s", got.From)
		assert.Empty(t, got.Mismatches)
		until, err = f.store.ReconciledUntil(ctx, "simulator")
		require.NoError(t, err)
		assert.True(t, until.Equal(next))

		// An on-demand run that ends before the recorded end leaves it.
		_, err = f.reconciliation(&log).Run(ctx, next.Add(-time.Minute))
		require.NoError(t, err)
		until, err = f.store.ReconciledUntil(ctx, "simulator")
		require.NoError(t, err)
		assert.True(t, until.Equal(next), "the watermark never moves back: %s", until)
	})

	t.Run("a paid order stays on the paid list when the sweeper takes settled orders off its own", func(t *testing.T) {
		t.Parallel()
		f := orderFixture(t, 0)
		require.NoError(t, f.payByCard(t))
		o, _ := f.state(t)
		require.Equal(t, orders.Paid, o.Status)
		require.NoError(t, f.store.UnlistSettled(ctx, o), "what the sweeper does after completing an order to PAID")
		listed, err := f.store.PaidOrders(ctx, o.PaidAt.Add(-time.Minute), o.PaidAt.Add(time.Minute))
		require.NoError(t, err)
		require.Len(t, listed, 1)
		assert.Equal(t, o.ID, listed[0].ID)
		none, err := f.store.PaidOrders(ctx, o.PaidAt.Add(time.Second), o.PaidAt.Add(time.Hour))
		require.NoError(t, err)
		assert.Empty(t, none, "paid before the window")
	})

	t.Run("a run the provider cannot answer fails and leaves the watermark", func(t *testing.T) {
		t.Parallel()
		f := orderFixture(t, 0)
		f.onTableLedger()
		f.pay(t, "user-ana", f.order.ID, "pay-wf-1")
		var log bytes.Buffer
		_, err := f.reconciliation(&log).Run(ctx, f.now.Add(time.Hour))
		require.NoError(t, err)

		f.sim.SetUnreachable(true)
		_, err = f.reconciliation(&log).Run(ctx, f.now.Add(25*time.Hour))
		require.ErrorIs(t, err, psp.ErrUnavailable)
		until, err := f.store.ReconciledUntil(ctx, "simulator")
		require.NoError(t, err)
		assert.True(t, until.Equal(f.now.Add(time.Hour)), "the next run reads the window again: %s", until)
	})
}
