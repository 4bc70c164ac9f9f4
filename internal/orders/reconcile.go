package orders

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"bilhetagem/internal/money"
	"bilhetagem/internal/psp"
)

// MismatchKind is how the provider's money and our orders disagree.
type MismatchKind string

const (
	// MoneyWithoutPaidOrder: the provider holds money for a payment whose
	// order is not PAID by it and is not settling: no payment or order of
	// ours names it, or its order still waits for payment past the grace.
	MoneyWithoutPaidOrder MismatchKind = "MONEY_WITHOUT_PAID_ORDER"
	// PaidWithoutMoney: an order is PAID and the provider shows no money
	// for its payment (no capture, or the capture refunded or disputed).
	PaidWithoutMoney MismatchKind = "PAID_WITHOUT_MONEY"
	// RefundOwed: the order ended (CANCELLED, EXPIRED, FAILED, REFUNDED),
	// so its money must go back, and the provider still holds it.
	RefundOwed MismatchKind = "REFUND_OWED"
	// AmountMismatch: an order is PAID and the provider captured for its
	// payment another amount than the order's total.
	AmountMismatch MismatchKind = "AMOUNT_MISMATCH"
)

// MismatchMessage is the one log message of every mismatch the
// reconciliation finds; the deployment counts it and alarms.
const MismatchMessage = "reconcile: mismatch"

// ReconcileGrace is how long an order may settle before a disagreement is
// a mismatch: after its hold expired, it was cancelled, or the provider's
// last movement of its payment, its completion (a webhook, the workflow,
// the sweeper with its retries backing off up to an hour) is still
// expected to catch up.
const ReconcileGrace = 2 * time.Hour

// Mismatch is one disagreement, for an operator.
type Mismatch struct {
	Kind        MismatchKind `json:"kind"`
	OrderID     string       `json:"orderId,omitempty"`
	PaymentID   string       `json:"paymentId,omitempty"`
	Reference   string       `json:"reference,omitempty"` // the provider's id of the charge
	OrderStatus Status       `json:"orderStatus,omitempty"`
	OrderTotal  money.BRL    `json:"orderTotal"` // what our order says
	Held        money.BRL    `json:"held"`       // what the provider holds: captured minus given back
	Message     string       `json:"message"`    // pt-BR, for ops
}

// Record is what we keep of a payment the provider named: the payment and
// its order; nil when there is none.
type Record struct {
	Payment *Payment
	Order   *Order
}

// ReconcileInput is what the comparison reads.
type ReconcileInput struct {
	// Movements are the provider's, in the window (and possibly earlier
	// movements of the same charges).
	Movements []psp.Movement
	// Records holds, by payment id, what we keep of every payment a
	// movement names and of every order in Paid.
	Records map[string]Record
	// Paid are the orders that became PAID in the window.
	Paid  []Order
	Now   time.Time
	Grace time.Duration
}

// held is what the provider shows for one payment.
type held struct {
	paymentID string
	reference string // the capture's, else the first movement's
	captured  money.BRL
	returned  money.BRL // refunds and disputes
	last      time.Time // the latest movement
	disputed  bool
}

// amount is the money the provider holds. A refund listed without its
// capture gave back money captured before the window: nothing is held.
func (h held) amount() money.BRL {
	if h.captured <= h.returned {
		return 0
	}
	return h.captured - h.returned
}

// Reconcile compares the provider's movements with our orders and returns
// every mismatch, ordered by kind, order and payment. It is pure: the same
// input always gives the same answer, whatever the day.
func Reconcile(in ReconcileInput) []Mismatch {
	byPayment := map[string]*held{}
	var keys []string
	for _, m := range in.Movements {
		key := m.PaymentID
		if key == "" {
			key = "ref:" + m.Reference // money no payment of ours names
		}
		h := byPayment[key]
		if h == nil {
			h = &held{paymentID: m.PaymentID, reference: m.Reference}
			byPayment[key] = h
			keys = append(keys, key)
		}
		switch m.Kind {
		case psp.MovementCapture:
			if h.captured == 0 {
				h.reference = m.Reference
			}
			h.captured += m.Amount
		case psp.MovementRefund, psp.MovementDispute:
			h.returned += m.Amount
			h.disputed = h.disputed || m.Kind == psp.MovementDispute
		}
		if m.At.After(h.last) {
			h.last = m.At
		}
	}

	var out []Mismatch
	checked := map[string]bool{} // PAID orders already compared
	for _, key := range keys {
		h := byPayment[key]
		rec := in.Records[h.paymentID]
		if h.paymentID == "" {
			rec = Record{}
		}
		o := rec.Order
		if o != nil && o.Status == Paid && o.PaymentID == h.paymentID {
			checked[o.ID] = true
			if m, ok := paidWithoutMoney(*o, *h, in); ok {
				out = append(out, m)
			}
			continue
		}
		if h.amount() == 0 {
			continue
		}
		if o == nil {
			out = append(out, Mismatch{Kind: MoneyWithoutPaidOrder, PaymentID: h.paymentID, Reference: h.reference, Held: h.amount(),
				Message: fmt.Sprintf("O provedor retém %s da cobrança %s, que não corresponde a nenhum pedido nosso.", h.amount(), h.reference)})
			continue
		}
		if settling(*o, h.last, in) {
			continue
		}
		m := Mismatch{OrderID: o.ID, PaymentID: h.paymentID, Reference: h.reference, OrderStatus: o.Status, OrderTotal: o.Totals.Total, Held: h.amount()}
		switch {
		case o.PaymentID != h.paymentID:
			m.Kind = MoneyWithoutPaidOrder
			m.Message = fmt.Sprintf("O provedor retém %s do pagamento %s, que não é o pagamento do pedido %s (%s): cobrança a mais.",
				h.amount(), h.paymentID, o.ID, o.Status)
		case o.Status == PendingPayment:
			m.Kind = MoneyWithoutPaidOrder
			m.Message = fmt.Sprintf("O provedor retém %s do pagamento %s, mas o pedido %s ainda aguarda pagamento.", h.amount(), h.paymentID, o.ID)
		default:
			m.Kind = RefundOwed
			m.Message = fmt.Sprintf("O pedido %s está %s, mas o provedor ainda retém %s do pagamento %s: estorno devido.",
				o.ID, o.Status, h.amount(), h.paymentID)
		}
		out = append(out, m)
	}
	for _, o := range in.Paid {
		if o.Status != Paid || checked[o.ID] {
			continue
		}
		checked[o.ID] = true
		h := held{paymentID: o.PaymentID}
		if b := byPayment[o.PaymentID]; b != nil && o.PaymentID != "" {
			h = *b
		}
		if m, ok := paidWithoutMoney(o, h, in); ok {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b Mismatch) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.OrderID, b.OrderID), cmp.Compare(a.PaymentID, b.PaymentID),
			cmp.Compare(a.Reference, b.Reference))
	})
	return out
}

// paidWithoutMoney compares a PAID order with what the provider shows for
// its payment. A PAID order whose money went back within the grace is
// settling: the provider's event voids it. Money held that is not the
// order's total is an amount mismatch; a capture listed before the window
// is not seen, and then the amount is not compared.
func paidWithoutMoney(o Order, h held, in ReconcileInput) (Mismatch, bool) {
	if h.amount() > 0 {
		if h.returned > 0 || h.captured == o.Totals.Total {
			return Mismatch{}, false
		}
		return Mismatch{Kind: AmountMismatch, OrderID: o.ID, PaymentID: o.PaymentID, Reference: h.reference, OrderStatus: o.Status,
			OrderTotal: o.Totals.Total, Held: h.amount(),
			Message: fmt.Sprintf("O pedido %s está PAGO por %s, mas o provedor capturou %s do pagamento %s.", o.ID, o.Totals.Total, h.captured, o.PaymentID)}, true
	}
	m := Mismatch{Kind: PaidWithoutMoney, OrderID: o.ID, PaymentID: o.PaymentID, Reference: h.reference, OrderStatus: o.Status,
		OrderTotal: o.Totals.Total}
	switch {
	case h.captured == 0 && h.returned == 0:
		m.Message = fmt.Sprintf("O pedido %s está PAGO (%s), mas o provedor não mostra captura do pagamento %s.", o.ID, o.Totals.Total, o.PaymentID)
	case !in.Now.Before(h.last.Add(in.Grace)):
		how := "estornado"
		if h.disputed {
			how = "contestado pelo emissor"
		}
		m.Message = fmt.Sprintf("O pedido %s está PAGO (%s), mas o provedor mostra o pagamento %s %s.", o.ID, o.Totals.Total, o.PaymentID, how)
	default:
		return Mismatch{}, false
	}
	return m, true
}

// settling reports whether an order's completion may still make it agree
// with the provider: it is unsettled (Order.Unsettled: waiting for payment,
// or ended with a payment not refunded yet) and the grace has not run out
// since its hold expired, it was cancelled, or the provider last moved its
// money.
func settling(o Order, last time.Time, in ReconcileInput) bool {
	if !o.Unsettled() {
		return false
	}
	since := o.ExpiresAt
	for _, t := range []time.Time{o.CancelledAt, last} {
		if t.After(since) {
			since = t
		}
	}
	return in.Now.Before(since.Add(in.Grace))
}
