package orders

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/psp"
)

func TestReconcile(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	const grace = 2 * time.Hour
	long := now.Add(-grace - time.Minute) // over the grace ago
	recent := now.Add(-grace + time.Minute)

	order := func(id string, st Status, paymentID string, expires time.Time) Order {
		o := Order{ID: id, Status: st, PaymentID: paymentID, ExpiresAt: expires, Totals: Totals{Total: 4650}}
		switch st {
		case Paid:
			o.PaidAt = expires.Add(-time.Minute)
		case Refunded:
			o.Refund = 4650
		}
		return o
	}
	mv := func(kind psp.MovementKind, paymentID string, at time.Time) psp.Movement {
		return psp.Movement{Kind: kind, PaymentID: paymentID, Reference: "pi_" + paymentID, Amount: 4650, At: at}
	}
	capture := func(id string, at time.Time) psp.Movement { return mv(psp.MovementCapture, id, at) }
	refund := func(id string, at time.Time) psp.Movement { return mv(psp.MovementRefund, id, at) }
	dispute := func(id string, at time.Time) psp.Movement { return mv(psp.MovementDispute, id, at) }
	records := func(os ...Order) map[string]Record {
		out := map[string]Record{}
		for _, o := range os {
			p := &Payment{ID: o.PaymentID, OrderID: o.ID, Amount: o.Totals.Total}
			out[o.PaymentID] = Record{Payment: p, Order: &o}
		}
		return out
	}
	cancelled := func(o Order, at time.Time) Order {
		o.CancelledAt = at
		return o
	}

	type want struct {
		kind    MismatchKind
		order   string
		payment string
	}
	cases := []struct {
		name  string
		moves []psp.Movement
		recs  map[string]Record
		paid  []Order
		want  []want
	}{
		{name: "a PAID order whose payment the provider captured agrees",
			moves: []psp.Movement{capture("pay-1", long)},
			recs:  records(order("ord-1", Paid, "pay-1", long)), paid: []Order{order("ord-1", Paid, "pay-1", long)}},
		{name: "a PAID order whose capture is not its total is an amount mismatch",
			moves: []psp.Movement{{Kind: psp.MovementCapture, PaymentID: "pay-1", Reference: "pi_pay-1", Amount: 4600, At: long}},
			recs:  records(order("ord-1", Paid, "pay-1", long)), paid: []Order{order("ord-1", Paid, "pay-1", long)},
			want: []want{{AmountMismatch, "ord-1", "pay-1"}}},
		{name: "a PAID order captured twice for the same payment is an amount mismatch",
			moves: []psp.Movement{capture("pay-1", long), capture("pay-1", recent)},
			recs:  records(order("ord-1", Paid, "pay-1", long)),
			want:  []want{{AmountMismatch, "ord-1", "pay-1"}}},
		{name: "a PAID order of the window with no capture is paid without money, at once",
			recs: records(order("ord-1", Paid, "pay-1", now)), paid: []Order{order("ord-1", Paid, "pay-1", now)},
			want: []want{{PaidWithoutMoney, "ord-1", "pay-1"}}},
		{name: "a PAID order whose money went back over the grace ago is paid without money",
			moves: []psp.Movement{capture("pay-1", long.Add(-time.Hour)), refund("pay-1", long)},
			recs:  records(order("ord-1", Paid, "pay-1", long)),
			want:  []want{{PaidWithoutMoney, "ord-1", "pay-1"}}},
		{name: "a PAID order disputed over the grace ago is paid without money",
			moves: []psp.Movement{capture("pay-1", long.Add(-time.Hour)), dispute("pay-1", long)},
			recs:  records(order("ord-1", Paid, "pay-1", long)),
			want:  []want{{PaidWithoutMoney, "ord-1", "pay-1"}}},
		{name: "a PAID order refunded within the grace is settling: the provider's event voids it",
			moves: []psp.Movement{capture("pay-1", long), refund("pay-1", recent)},
			recs:  records(order("ord-1", Paid, "pay-1", long))},
		{name: "money for a payment we do not know is money without a PAID order",
			moves: []psp.Movement{capture("pay-x", recent)},
			want:  []want{{MoneyWithoutPaidOrder, "", "pay-x"}}},
		{name: "money no payment id names is money without a PAID order",
			moves: []psp.Movement{capture("", recent)},
			want:  []want{{MoneyWithoutPaidOrder, "", ""}}},
		{name: "an order still waiting for payment within the grace is settling",
			moves: []psp.Movement{capture("pay-1", long)},
			recs:  records(order("ord-1", PendingPayment, "pay-1", recent))},
		{name: "an order waiting for payment past the grace holds money without a PAID order",
			moves: []psp.Movement{capture("pay-1", long)},
			recs:  records(order("ord-1", PendingPayment, "pay-1", long)),
			want:  []want{{MoneyWithoutPaidOrder, "ord-1", "pay-1"}}},
		{name: "a CANCELLED order whose money the provider holds past the grace owes a refund",
			moves: []psp.Movement{capture("pay-1", long.Add(-24*time.Hour))},
			recs:  records(cancelled(order("ord-1", Cancelled, "pay-1", long.Add(-24*time.Hour)), long)),
			want:  []want{{RefundOwed, "ord-1", "pay-1"}}},
		{name: "a CANCELLED order within the grace of its cancellation is settling",
			moves: []psp.Movement{capture("pay-1", long.Add(-24*time.Hour))},
			recs:  records(cancelled(order("ord-1", Cancelled, "pay-1", long.Add(-24*time.Hour)), recent))},
		{name: "an EXPIRED order whose late payment was captured within the grace is settling",
			moves: []psp.Movement{capture("pay-1", recent)},
			recs:  records(order("ord-1", Expired, "pay-1", long.Add(-24*time.Hour)))},
		{name: "EXPIRED and FAILED orders holding money past the grace owe refunds",
			moves: []psp.Movement{capture("pay-1", long), capture("pay-2", long)},
			recs:  merge(records(order("ord-1", Expired, "pay-1", long)), records(order("ord-2", Failed, "pay-2", long))),
			want:  []want{{RefundOwed, "ord-1", "pay-1"}, {RefundOwed, "ord-2", "pay-2"}}},
		{name: "a REFUNDED order whose money the provider still holds owes a refund, with no grace",
			moves: []psp.Movement{capture("pay-1", recent)},
			recs:  records(order("ord-1", Refunded, "pay-1", recent)),
			want:  []want{{RefundOwed, "ord-1", "pay-1"}}},
		{name: "an ended order whose capture was refunded agrees",
			moves: []psp.Movement{capture("pay-1", long), refund("pay-1", long)},
			recs:  records(order("ord-1", Expired, "pay-1", long))},
		{name: "a refund listed without its capture holds nothing",
			moves: []psp.Movement{refund("pay-1", long)},
			recs:  records(order("ord-1", Refunded, "pay-1", long))},
		{name: "money on another payment of a PAID order is money without a PAID order",
			moves: []psp.Movement{capture("pay-1", long), capture("pay-2", long)},
			recs: map[string]Record{
				"pay-1": records(order("ord-1", Paid, "pay-1", long))["pay-1"],
				"pay-2": {Payment: &Payment{ID: "pay-2", OrderID: "ord-1"}, Order: ptr(order("ord-1", Paid, "pay-1", long))},
			},
			want: []want{{MoneyWithoutPaidOrder, "ord-1", "pay-2"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := Reconcile(ReconcileInput{Movements: c.moves, Records: c.recs, Paid: c.paid, Now: now, Grace: grace})
			var kinds []want
			for _, m := range got {
				kinds = append(kinds, want{m.Kind, m.OrderID, m.PaymentID})
				assert.NotEmpty(t, m.Message)
			}
			assert.Equal(t, c.want, kinds)
		})
	}

	t.Run("a mismatch says the amounts and what to do", func(t *testing.T) {
		t.Parallel()
		o := cancelled(order("ord-1", Cancelled, "pay-1", long.Add(-24*time.Hour)), long)
		got := Reconcile(ReconcileInput{Movements: []psp.Movement{capture("pay-1", long.Add(-24*time.Hour))}, Records: records(o), Now: now, Grace: grace})
		require.Len(t, got, 1)
		assert.Equal(t, Mismatch{Kind: RefundOwed, OrderID: "ord-1", PaymentID: "pay-1", Reference: "pi_pay-1", OrderStatus: Cancelled,
			OrderTotal: 4650, Held: 4650,
			Message: "O pedido ord-1 está CANCELLED, mas o provedor ainda retém R$ 46,50 do pagamento pay-1: estorno devido."}, got[0])
	})

	t.Run("the answer does not depend on the day, only on the times given", func(t *testing.T) {
		t.Parallel()
		shift := func(d time.Duration) ReconcileInput {
			o1 := order("ord-1", PendingPayment, "pay-1", long.Add(d))
			o2 := order("ord-2", Paid, "pay-2", now.Add(d))
			o3 := order("ord-3", Expired, "pay-3", recent.Add(d))
			return ReconcileInput{
				Movements: []psp.Movement{capture("pay-1", long.Add(d)), capture("pay-3", recent.Add(d)), capture("pay-9", now.Add(d))},
				Records:   merge(records(o1), records(o2), records(o3)), Paid: []Order{o2}, Now: now.Add(d), Grace: grace,
			}
		}
		base := Reconcile(shift(0))
		require.Len(t, base, 3)
		for _, d := range []time.Duration{-400 * 24 * time.Hour, 13 * time.Hour, 3 * 365 * 24 * time.Hour} {
			assert.Equal(t, base, Reconcile(shift(d)), "shifted by %s", d)
		}
	})
}

func merge(ms ...map[string]Record) map[string]Record {
	out := map[string]Record{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func ptr[T any](v T) *T { return &v }
