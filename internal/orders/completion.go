package orders

import (
	"time"

	"bilhetagem/internal/booking"
)

// Step is one step of the purchase completion. Each is idempotent: running
// it again after a crash or a retry changes nothing more. The Step Functions
// workflow runs the same steps, one task each, choosing with Decide.
type Step string

const (
	// StepWait: no answer from the payment yet and the hold still runs.
	StepWait Step = "WAIT_FOR_PAYMENT"
	// StepConfirmSeats sells the hold's seats to the order (booking.Confirm),
	// only while the hold is unexpired.
	StepConfirmSeats Step = "CONFIRM_SEATS"
	// StepIssueTickets writes one signed ticket per seat and marks the order
	// PAID in the same transaction: no order is paid without tickets and no
	// ticket exists for an unpaid order.
	StepIssueTickets Step = "ISSUE_TICKETS"
	// StepReleaseSeats frees the seats of a hold whose payment failed.
	StepReleaseSeats Step = "RELEASE_SEATS"
	// StepFailOrder marks the order FAILED.
	StepFailOrder Step = "FAIL_ORDER"
	// StepExpireOrder marks the order EXPIRED; its seats are already free,
	// since an expired hold's seats are.
	StepExpireOrder Step = "EXPIRE_ORDER"
	// StepRefund gives an approved payment back through the provider
	// (compensation for a late payment, or a cancellation).
	StepRefund Step = "REFUND_PAYMENT"
	// StepMarkRefunded records the refund on the order (a cancelled order
	// becomes REFUNDED).
	StepMarkRefunded Step = "MARK_REFUNDED"
	// StepVoidOrder undoes a PAID order whose payment the provider refunded
	// on its own (support, a chargeback): its tickets are cancelled (used
	// ones too), its seats go back on sale and the order is REFUNDED, in one
	// transaction.
	StepVoidOrder Step = "VOID_ORDER"
	// StepDone: nothing is left to do.
	StepDone Step = "DONE"
)

// Facts are what Decide needs: the order and its payment as stored, and the
// hold as seen at now.
type Facts struct {
	Order   Order
	Payment PaymentStatus // "" when the order has no payment
	// Hold is the hold's status at now (booking.Hold.StatusAt), and
	// HoldOrder the order it was ordered or sold for.
	Hold      booking.Status
	HoldOrder string
	Now       time.Time
}

// Decide is the next step of an order's completion. It is pure: the same
// facts always give the same step, so the completion can stop anywhere and
// resume by deciding again from what is stored.
func Decide(f Facts) Step {
	o := f.Order
	mine := f.HoldOrder == o.ID
	heldForMe := mine && f.Hold == booking.Ordered
	switch o.Status {
	case PendingPayment:
		switch f.Payment {
		case PaymentApproved:
			switch {
			case mine && f.Hold == booking.Confirmed:
				return StepIssueTickets
			case heldForMe:
				return StepConfirmSeats
			case !f.Now.Before(o.ExpiresAt) || f.Hold == booking.Expired:
				return StepExpireOrder
			default:
				return StepFailOrder
			}
		case PaymentDeclined, PaymentFailed, PaymentRefunded:
			if mine && f.Hold == booking.Confirmed {
				// Refunded by the provider after the seats were sold to
				// the order: it cannot be closed (its seats are sold), so
				// it is finished forward, then voided as a PAID order
				// refunded by the provider is.
				return StepIssueTickets
			}
			if heldForMe {
				return StepReleaseSeats
			}
			return StepFailOrder
		case PaymentExpired:
			if heldForMe {
				return StepReleaseSeats
			}
			return StepExpireOrder
		default: // no payment, or pending
			if !f.Now.Before(o.ExpiresAt) {
				return StepExpireOrder
			}
			return StepWait
		}
	case Paid:
		if f.Payment == PaymentRefunded {
			return StepVoidOrder // the money went back: no ticket may stay valid
		}
		return StepDone
	case Refunded:
		return StepDone
	case Cancelled:
		switch f.Payment {
		case PaymentApproved:
			return StepRefund
		case PaymentRefunded:
			return StepMarkRefunded
		}
		return StepDone
	case Expired, Failed:
		// The seats first: the order can no longer be paid, so they go back
		// on sale at once, even while the PSP cannot take the refund.
		switch {
		case heldForMe:
			return StepReleaseSeats
		case f.Payment == PaymentApproved:
			return StepRefund
		case f.Payment == PaymentRefunded && o.Refund == 0:
			return StepMarkRefunded
		}
		return StepDone
	}
	return StepDone
}
