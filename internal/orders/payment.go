package orders

import (
	"time"

	"bilhetagem/internal/money"
	"bilhetagem/internal/psp"
)

// PaymentStatus is where a payment stands.
type PaymentStatus string

const (
	PaymentPending  PaymentStatus = "PENDING"  // waiting for the buyer (Pix) or the provider's answer
	PaymentApproved PaymentStatus = "APPROVED" // the money is captured
	PaymentDeclined PaymentStatus = "DECLINED" // the issuer refused
	PaymentExpired  PaymentStatus = "EXPIRED"  // a Pix not paid in time
	PaymentRefunded PaymentStatus = "REFUNDED" // the money went back
	PaymentFailed   PaymentStatus = "FAILED"   // the provider errored
)

// PaymentStatuses lists every value, for exhaustive tests.
var PaymentStatuses = []PaymentStatus{PaymentPending, PaymentApproved, PaymentDeclined, PaymentExpired, PaymentRefunded, PaymentFailed}

// On is the status a provider event moves a payment to; ok is false for an
// event that would move it backwards or sideways (a stale or out-of-order
// event), which changes nothing. An approval is taken even after the payment
// expired or failed here: the provider has the money, so the completion
// gives it back if the order can no longer be paid.
func (s PaymentStatus) On(t psp.EventType) (PaymentStatus, bool) {
	switch t {
	case psp.EventApproved:
		if s == PaymentPending || s == PaymentExpired || s == PaymentFailed {
			return PaymentApproved, true
		}
	case psp.EventDeclined:
		if s == PaymentPending {
			return PaymentDeclined, true
		}
	case psp.EventExpired:
		if s == PaymentPending {
			return PaymentExpired, true
		}
	case psp.EventFailed:
		if s == PaymentPending {
			return PaymentFailed, true
		}
	case psp.EventRefunded, psp.EventChargedBack:
		// A refund (or a chargeback, the issuer's refund) implies the capture before it, whether or not its
		// approval has arrived yet (webhooks come in any order); the
		// approval that comes after it changes nothing.
		if s == PaymentApproved || s == PaymentPending || s == PaymentExpired || s == PaymentFailed {
			return PaymentRefunded, true
		}
	}
	return s, false
}

// Payment is a charge of an order's total through the provider.
type Payment struct {
	ID      string
	OrderID string
	Buyer   string
	Method  psp.Method
	Status  PaymentStatus
	Amount  money.BRL
	// Charged says the provider acknowledged the charge. A payment written
	// but not charged is one whose call to the provider failed; asking the
	// provider again with the same id is safe.
	Charged   bool
	Reference string
	Pix       *psp.PixCharge
	Card      *psp.CardInfo
	// Action is what the buyer must still do at the provider (3-D Secure)
	// while the payment is PENDING.
	Action        *psp.Action
	FailureReason string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	Version       int
}

// StatusAt is the payment's status at now: a pending Pix past its expiry is
// expired.
func (p Payment) StatusAt(now time.Time) PaymentStatus {
	if p.Status == PaymentPending && p.Pix != nil && !now.Before(p.Pix.ExpiresAt) {
		return PaymentExpired
	}
	return p.Status
}

// fromCharge is a payment status for the provider's answer to a charge.
func fromCharge(s psp.Status) PaymentStatus {
	switch s {
	case psp.Approved:
		return PaymentApproved
	case psp.Declined:
		return PaymentDeclined
	case psp.Refunded:
		return PaymentRefunded
	case psp.Expired:
		return PaymentExpired
	}
	return PaymentPending
}
