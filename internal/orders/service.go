package orders

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"bilhetagem/internal/booking"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/money"
	"bilhetagem/internal/psp"
	"bilhetagem/internal/tickets"
)

// ErrStale is returned by the store when an order or payment changed since
// it was read; the service reads again and decides again.
var ErrStale = errors.New("changed since it was read")

// ErrDuplicate is returned by the store when an item it must create exists:
// an order created by an earlier try, or a provider event seen before.
var ErrDuplicate = errors.New("already exists")

// Store is what orders need from persistence. Every write of an order or a
// payment is conditioned on the Version it was read at (ErrStale otherwise)
// and stores Version+1.
type Store interface {
	GetShowtime(ctx context.Context, id string) (catalog.ShowtimeListing, []catalog.SeatClaim, error)
	// GetShowtimeRows reads a showtime with the claims of some rows only;
	// no rows reads the showtime item alone.
	GetShowtimeRows(ctx context.Context, id string, rows []string) (catalog.ShowtimeListing, []catalog.SeatClaim, error)
	ListProducts(ctx context.Context) ([]catalog.Product, error)
	// ReadHold reads a hold, strongly consistent.
	ReadHold(ctx context.Context, id string) (booking.Hold, error)

	// CreateOrder writes the order and marks its hold ORDERED in one
	// transaction, only while the hold is the buyer's, ACTIVE and unexpired:
	// hold_expired or hold_not_active otherwise, ErrDuplicate when the order
	// exists.
	CreateOrder(ctx context.Context, o Order, now time.Time) error
	GetOrder(ctx context.Context, id string) (Order, error)
	// OrdersByBuyer pages a buyer's orders, newest first.
	OrdersByBuyer(ctx context.Context, buyer string, status Status, limit int, cursor string) ([]Order, string, error)
	SaveOrder(ctx context.Context, o Order) error
	// CloseOrder saves an order that moved from PENDING_PAYMENT to EXPIRED
	// or FAILED, only while its hold is not CONFIRMED to it; ErrStale
	// otherwise. With ConfirmHold's condition on the order, it makes a sale
	// and a close exclusive.
	CloseOrder(ctx context.Context, o Order) error
	// MoveOrder saves a paid order moved to its showtime's new start, over
	// the version it was read at (ErrStale otherwise), and moves its
	// tickets to that start, in one transaction.
	MoveOrder(ctx context.Context, o Order) error

	// CreatePayment writes a new payment and the order pointing at it in one
	// transaction.
	CreatePayment(ctx context.Context, p Payment, o Order) error
	GetPayment(ctx context.Context, id string) (Payment, error)
	SavePayment(ctx context.Context, p Payment) error
	// PspEventSeen reports whether a provider event was recorded.
	PspEventSeen(ctx context.Context, eventID string) (bool, error)
	// RecordPspEvent records a provider event and saves the payment it moved
	// in one transaction; ErrDuplicate when the event was recorded before.
	RecordPspEvent(ctx context.Context, eventID string, p Payment, now time.Time) error

	// IssueTickets writes the tickets and saves the order (now PAID) in one
	// transaction.
	IssueTickets(ctx context.Context, o Order, ts []tickets.Ticket) error
	// ReleaseOrderedHold frees the seats of a hold ORDERED for orderID while
	// it is unexpired; an expired or already released hold is left as it is.
	ReleaseOrderedHold(ctx context.Context, h booking.Hold, orderID string, now time.Time) error
	// CancelOrder saves the cancelled order, puts its seats back on sale,
	// releases its hold, gives its meia back and cancels its tickets, in one
	// transaction; ticket_already_used when a ticket was checked in, unless
	// usedToo (the cinema cancelled the showtime: used tickets are
	// cancelled and refunded as well).
	CancelOrder(ctx context.Context, o Order, h booking.Hold, usedToo bool) error
}

// Service runs orders, payments and their completion.
type Service struct {
	Store   Store
	Booking *booking.Service
	PSP     psp.Provider
	Signer  *tickets.Signer
	Policy  Policy
	Log     *slog.Logger
	// Completer runs the completion after a payment answer, a provider
	// event or a cancellation: the Service itself (Complete, in process)
	// when nil, or the purchase workflow (internal/workflow.Completer).
	Completer Completer
	// Pending is the sweeper's list: an order whose payment is to be
	// refunded is put back on it before the refund (StepRefund), so a
	// refund that fails is retried. Nil in tests that run no sweeper.
	Pending PendingLister
	// Notices tells buyers of orders voided by a provider refund or a
	// chargeback; nil in tests that read no notice.
	Notices Noticer
	// Clock is read again before each conditional write that depends on
	// the time (a sale, an expiry), so a decision taken before a slow call
	// is not written with the time of the request's start. When nil (tests
	// that fix the time) the now passed in is used throughout.
	Clock func() time.Time
}

// ChargebackReason is the payment's reason after a chargeback.
const ChargebackReason = "Contestação aceita pelo emissor do cartão (chargeback)."

// Noticer keeps a notice for a buyer, one per showtime and kind: writing it
// again replaces it.
type Noticer interface {
	NotifyBuyer(ctx context.Context, buyer, showtimeID, kind, message string, at time.Time) error
}

// at is the time to decide and write with: the clock now, never before the
// now the caller passed.
func (s *Service) at(now time.Time) time.Time {
	if s.Clock == nil {
		return now
	}
	if t := s.Clock(); t.After(now) {
		return t
	}
	return now
}

// Completer runs an order's completion from what is stored and returns the
// order as it stands afterwards (complete, or waiting for its payment).
type Completer interface {
	Complete(ctx context.Context, orderID string, now time.Time) (Order, error)
}

// Starter is a Completer that starts an order's completion as soon as the
// order exists: the Step Functions execution, which then waits for the
// payment on its own. Starting again is harmless (the execution is named
// after the order).
type Starter interface {
	Start(ctx context.Context, o Order, now time.Time) error
}

// start starts the order's completion when the Completer is a Starter. A
// start that fails is logged, not returned: the order stands, paying it
// starts the completion again, and the sweeper expires it otherwise.
func (s *Service) start(ctx context.Context, o Order, now time.Time) {
	st, ok := s.Completer.(Starter)
	if !ok || o.StatusAt(now) != PendingPayment {
		return
	}
	if err := st.Start(ctx, o, now); err != nil {
		s.log().Warn("purchase workflow not started", "order", o.ID, "error", err.Error())
	}
}

func (s *Service) completer() Completer {
	if s.Completer != nil {
		return s.Completer
	}
	return s
}

// Create turns the buyer's hold into an order waiting for payment. id comes
// from the caller (derived from the Idempotency-Key), so a retry after a
// crash finds the order it made instead of making another.
func (s *Service) Create(ctx context.Context, buyer, id string, req Request, now time.Time) (Order, error) {
	h, err := s.Store.ReadHold(ctx, req.HoldID)
	if err != nil {
		return Order{}, fmt.Errorf("create order: %w", err)
	}
	if h.Holder != buyer {
		return Order{}, errs.NotFoundf("reserva %s não encontrada", req.HoldID)
	}
	if h.OrderID == id && h.OrderID != "" {
		return s.created(ctx, buyer, id, now)
	}
	switch h.StatusAt(now) {
	case booking.Active:
	case booking.Expired:
		return Order{}, holdExpired(h)
	default:
		return Order{}, errs.E(errs.Conflict, "hold_not_active", "esta reserva já virou um pedido ou foi liberada")
	}
	st, _, err := s.Store.GetShowtime(ctx, h.ShowtimeID)
	if err != nil {
		return Order{}, fmt.Errorf("create order: %w", err)
	}
	var menu []catalog.Product
	if len(req.Lines) > 0 {
		if menu, err = s.Store.ListProducts(ctx); err != nil {
			return Order{}, fmt.Errorf("create order: %w", err)
		}
	}
	o, err := Build(id, h, st, req.Lines, menu, s.policy(), now)
	if err != nil {
		return Order{}, err
	}
	if err := s.Store.CreateOrder(ctx, o, now); err != nil {
		if errors.Is(err, ErrDuplicate) {
			return s.created(ctx, buyer, id, now)
		}
		if e, ok := errs.As(err); ok && e.Code == "hold_expired" {
			return Order{}, holdExpired(h)
		}
		return Order{}, fmt.Errorf("create order: %w", err)
	}
	o.Version = 1
	s.start(ctx, o, now)
	return o, nil
}

// created is the order an earlier try of Create made; its completion is
// started again, in case that try crashed before starting it.
func (s *Service) created(ctx context.Context, buyer, id string, now time.Time) (Order, error) {
	o, err := s.Get(ctx, buyer, id, now)
	if err != nil {
		return Order{}, err
	}
	s.start(ctx, o, now)
	return o, nil
}

func holdExpired(h booking.Hold) error {
	return errs.E(errs.Conflict, "hold_expired", fmt.Sprintf("a reserva dos assentos expirou às %s; escolha os assentos de novo",
		h.ExpiresAt.In(catalog.Zone).Format("15:04")))
}

// Get returns one of the buyer's orders as seen at now; another buyer's is
// not found.
func (s *Service) Get(ctx context.Context, buyer, id string, now time.Time) (Order, error) {
	o, err := s.Store.GetOrder(ctx, id)
	if err != nil {
		return Order{}, fmt.Errorf("get order: %w", err)
	}
	if o.Buyer != buyer {
		return Order{}, errs.NotFoundf("pedido %s não encontrado", id)
	}
	if err := s.withCinema(ctx, &o); err != nil {
		return Order{}, fmt.Errorf("get order: %w", err)
	}
	o.Status = o.StatusAt(now)
	return o, nil
}

// withCinema fills in the cinema of an order stored before orders kept
// it, from the order's showtime: one read, for such orders only.
func (s *Service) withCinema(ctx context.Context, o *Order) error {
	if o.Showtime.CinemaID != "" {
		return nil
	}
	st, _, err := s.Store.GetShowtimeRows(ctx, o.Showtime.ID, nil)
	if err != nil {
		return err
	}
	o.Showtime.CinemaID = st.CinemaID
	return nil
}

// Mine pages the buyer's orders, newest first.
func (s *Service) Mine(ctx context.Context, buyer string, status Status, limit int, cursor string, now time.Time) ([]Order, string, error) {
	os, next, err := s.Store.OrdersByBuyer(ctx, buyer, status, limit, cursor)
	if err != nil {
		return nil, "", fmt.Errorf("list orders: %w", err)
	}
	for i := range os {
		if err := s.withCinema(ctx, &os[i]); err != nil {
			return nil, "", fmt.Errorf("list orders: %w", err)
		}
		os[i].Status = os[i].StatusAt(now)
	}
	return os, next, nil
}

// PayRequest is how the buyer pays.
type PayRequest struct {
	Method       psp.Method
	CardToken    string
	Installments int
}

// Pay charges the order's total through the provider. A card is answered at
// once (APPROVED or DECLINED, or PENDING when the provider did not answer in
// time); a Pix charge is PENDING until the provider's webhook. An approval or
// a decline runs the completion before the answer. When the provider cannot
// be reached nothing is charged and the answer is 503; asking again charges
// at most once, since the payment id is the provider's idempotency key. A
// card token the provider does not know is the buyer's mistake, not a
// decline: the answer is 422 invalid_payment_token, nothing is charged, and
// the order and its hold stay as they were, payable until the hold expires;
// the next attempt charges the same, still uncharged, payment. A plan of
// parcelas the card does not take is the same: 422 installments_not_offered.
func (s *Service) Pay(ctx context.Context, buyer, orderID, paymentID string, req PayRequest, now time.Time) (Payment, error) {
	o, err := s.Get(ctx, buyer, orderID, now)
	if err != nil {
		return Payment{}, err
	}
	var p Payment
	if o.PaymentID != "" {
		if p, err = s.Store.GetPayment(ctx, o.PaymentID); err != nil {
			return Payment{}, fmt.Errorf("pay: %w", err)
		}
		switch {
		case !p.Charged:
			// An earlier call to the provider failed: ask it again with the
			// same payment id.
			p.Method = req.Method
		case p.Status == PaymentApproved || p.Status == PaymentDeclined:
			// Charged already: finish what the first call started. A retry
			// of that call gets its payment; another request is refused by
			// the order's state below.
			if _, err := s.completer().Complete(ctx, o.ID, now); err != nil {
				return Payment{}, err
			}
			if p.ID == paymentID {
				return s.Store.GetPayment(ctx, p.ID)
			}
			if o, err = s.Get(ctx, buyer, orderID, now); err != nil {
				return Payment{}, err
			}
		case p.StatusAt(now) == PaymentPending:
			return Payment{}, errs.E(errs.Conflict, "payment_in_progress", "este pedido já tem um pagamento aguardando confirmação")
		}
	}
	switch o.Status {
	case PendingPayment:
	case Expired:
		return Payment{}, errs.E(errs.Conflict, "hold_expired", "a reserva deste pedido expirou; escolha os assentos de novo")
	default:
		return Payment{}, errs.E(errs.Conflict, "order_not_payable", "este pedido não está aguardando pagamento")
	}
	if o.PaymentID == "" {
		p = Payment{ID: paymentID, OrderID: o.ID, Buyer: buyer, Method: req.Method, Status: PaymentPending,
			Amount: o.Totals.Total, CreatedAt: now.UTC(), UpdatedAt: now.UTC()}
		o.PaymentID = p.ID
		if err := s.Store.CreatePayment(ctx, p, o); err != nil {
			if errors.Is(err, ErrStale) || errors.Is(err, ErrDuplicate) {
				return Payment{}, errs.E(errs.Conflict, "payment_in_progress", "este pedido já tem um pagamento em andamento")
			}
			return Payment{}, fmt.Errorf("pay: %w", err)
		}
		p.Version = 1
	}
	charge, err := s.PSP.Charge(ctx, psp.ChargeRequest{PaymentID: p.ID, Amount: p.Amount, Method: req.Method, CardToken: req.CardToken,
		Installments: req.Installments, ExpiresAt: o.ExpiresAt, Description: "Pedido " + o.ID})
	if err != nil {
		if errors.Is(err, psp.ErrUnavailable) {
			return Payment{}, errs.Wrap(errs.Unavailable, "service_unavailable",
				"o provedor de pagamentos não respondeu; tente novamente em instantes", err)
		}
		if errors.Is(err, psp.ErrInvalidToken) {
			return Payment{}, errs.Wrap(errs.Unprocessable, "invalid_payment_token",
				"o cartão não foi reconhecido pelo provedor de pagamentos; confira os dados ou use outro cartão", err)
		}
		if errors.Is(err, psp.ErrInstallments) {
			return Payment{}, errs.Wrap(errs.Unprocessable, "installments_not_offered",
				"este cartão não aceita esse número de parcelas; escolha menos parcelas ou pague à vista", err)
		}
		return Payment{}, fmt.Errorf("pay: %w", err)
	}
	now = s.at(now) // the provider may have taken a while
	p, err = s.recordCharge(ctx, p.ID, req.Method, charge, now)
	if err != nil {
		return Payment{}, err
	}
	if p.Status != PaymentPending {
		if _, err := s.completer().Complete(ctx, o.ID, now); err != nil {
			return Payment{}, err
		}
		return s.Store.GetPayment(ctx, p.ID)
	}
	if s.Completer != nil {
		// A workflow starts now and waits for the payment (the webhook's
		// callback, or the hold's expiry); the payment stands either way.
		if _, err := s.Completer.Complete(ctx, o.ID, now); err != nil {
			s.log().Warn("purchase workflow not started", "order", o.ID, "error", err.Error())
		}
	}
	return p, nil
}

// recordCharge saves the provider's answer on the payment. A webhook that
// arrived first has already set its status, which stands; the answer still
// adds what only it carries (the masked card, the Pix code, a specific
// decline reason).
func (s *Service) recordCharge(ctx context.Context, id string, m psp.Method, c psp.Charge, now time.Time) (Payment, error) {
	for range 5 {
		p, err := s.Store.GetPayment(ctx, id)
		if err != nil {
			return Payment{}, fmt.Errorf("pay: %w", err)
		}
		if p.Charged {
			if (p.Card != nil || c.Card == nil) && (p.Pix != nil || c.Pix == nil) && (p.Action != nil || c.Action == nil) {
				return p, nil
			}
			if p.Action == nil {
				p.Action = c.Action
			}
			if p.Card == nil {
				p.Card = c.Card
			}
			if p.Pix == nil {
				p.Pix = c.Pix
			}
			if p.Reference == "" {
				p.Reference = c.Reference
			}
			if p.Status == PaymentDeclined && c.DeclineReason != "" {
				p.FailureReason = c.DeclineReason
			}
			p.UpdatedAt = now.UTC()
		} else {
			p.Charged, p.Method, p.Reference, p.Pix, p.Card, p.Action, p.UpdatedAt = true, m, c.Reference, c.Pix, c.Card, c.Action, now.UTC()
			if p.Status == PaymentPending {
				p.Status = fromCharge(c.Status)
			}
			p.FailureReason = c.DeclineReason
		}
		err = s.Store.SavePayment(ctx, p)
		if errors.Is(err, ErrStale) {
			continue
		}
		if err != nil {
			return Payment{}, fmt.Errorf("pay: %w", err)
		}
		p.Version++
		return p, nil
	}
	return Payment{}, errs.E(errs.Unavailable, "service_unavailable", "o pagamento está sendo atualizado; tente novamente em instantes")
}

// GetPayment returns a payment of one of the buyer's orders.
func (s *Service) GetPayment(ctx context.Context, buyer, orderID, paymentID string, now time.Time) (Payment, error) {
	p, err := s.Store.GetPayment(ctx, paymentID)
	if err != nil {
		return Payment{}, fmt.Errorf("get payment: %w", err)
	}
	if p.Buyer != buyer || p.OrderID != orderID {
		return Payment{}, errs.NotFoundf("pagamento %s não encontrado", paymentID)
	}
	p.Status = p.StatusAt(now)
	return p, nil
}

// EventResult is what a provider event did.
type EventResult string

const (
	EventProcessed EventResult = "PROCESSED"
	EventDuplicate EventResult = "DUPLICATE"
	EventIgnored   EventResult = "IGNORED"
)

// HandleEvent applies a provider event, verified by the caller. An event
// seen before is a DUPLICATE and changes nothing; one for an unknown payment,
// with another amount, or that would move a payment backwards is IGNORED.
// Then the order's completion runs; it writes nothing when it is complete.
func (s *Service) HandleEvent(ctx context.Context, ev psp.Event, now time.Time) (EventResult, error) {
	seen, err := s.Store.PspEventSeen(ctx, ev.ID)
	if err != nil {
		return "", fmt.Errorf("psp event: %w", err)
	}
	result := EventIgnored
	if seen {
		result = EventDuplicate
	}
	var p Payment
	for range 5 {
		p, err = s.Store.GetPayment(ctx, ev.PaymentID)
		if errs.KindOf(err) == errs.NotFound {
			return EventIgnored, nil
		}
		if err != nil {
			return "", fmt.Errorf("psp event: %w", err)
		}
		if seen {
			break
		}
		if ev.Amount != p.Amount {
			s.log().Warn("psp event amount differs from the payment", "event", ev.ID, "payment", p.ID)
			return EventIgnored, nil
		}
		to, ok := p.Status.On(ev.Type)
		if !ok {
			break
		}
		p.Status, p.Charged, p.UpdatedAt = to, true, now.UTC()
		if p.Reference == "" {
			p.Reference = ev.Reference
		}
		if to == PaymentDeclined && p.FailureReason == "" {
			p.FailureReason = "Pagamento recusado."
		}
		if ev.Type == psp.EventChargedBack {
			p.FailureReason = ChargebackReason
		}
		err = s.Store.RecordPspEvent(ctx, ev.ID, p, now)
		if errors.Is(err, ErrStale) {
			continue
		}
		if errors.Is(err, ErrDuplicate) {
			result = EventDuplicate
			break
		}
		if err != nil {
			return "", fmt.Errorf("psp event: %w", err)
		}
		result = EventProcessed
		break
	}
	if _, err := s.completer().Complete(ctx, p.OrderID, now); err != nil {
		return "", err
	}
	return result, nil
}

// Complete runs the order's completion from what is stored until it is done
// or waits for the payment: decide, run the step, decide again. Every step
// is idempotent, so Complete may run any number of times, concurrently with
// itself, and resume after a crash anywhere.
func (s *Service) Complete(ctx context.Context, orderID string, now time.Time) (Order, error) {
	for range 16 {
		now = s.at(now)
		f, h, p, err := s.facts(ctx, orderID, now)
		if err != nil {
			return Order{}, err
		}
		step := Decide(f)
		if step == StepDone || step == StepWait {
			return f.Order, nil
		}
		err = s.run(ctx, step, f.Order, h, p, now)
		if errors.Is(err, ErrStale) {
			continue // someone else moved it: decide again
		}
		if err != nil {
			return Order{}, fmt.Errorf("complete order %s at %s: %w", orderID, step, err)
		}
	}
	return Order{}, errs.E(errs.Unavailable, "service_unavailable", "o pedido está sendo atualizado; tente novamente em instantes")
}

func (s *Service) facts(ctx context.Context, orderID string, now time.Time) (Facts, booking.Hold, Payment, error) {
	o, err := s.Store.GetOrder(ctx, orderID)
	if err != nil {
		return Facts{}, booking.Hold{}, Payment{}, fmt.Errorf("complete order: %w", err)
	}
	h, err := s.Store.ReadHold(ctx, o.HoldID)
	if err != nil {
		return Facts{}, booking.Hold{}, Payment{}, fmt.Errorf("complete order: %w", err)
	}
	f := Facts{Order: o, Hold: h.StatusAt(now), HoldOrder: h.OrderID, Now: now}
	var p Payment
	if o.PaymentID != "" {
		if p, err = s.Store.GetPayment(ctx, o.PaymentID); err != nil {
			return Facts{}, booking.Hold{}, Payment{}, fmt.Errorf("complete order: %w", err)
		}
		f.Payment = p.StatusAt(now)
		if !p.Charged && f.Payment == PaymentPending {
			f.Payment = "" // the provider never took it
		}
	}
	return f, h, p, nil
}

// run runs one step.
func (s *Service) run(ctx context.Context, step Step, o Order, h booking.Hold, p Payment, now time.Time) error {
	switch step {
	case StepConfirmSeats:
		err := s.Booking.Confirm(ctx, h.ID, o.ID, now)
		if e, ok := errs.As(err); ok && (e.Code == "showtime_cancelled" || e.Code == "showtime_changing") {
			// The showtime was cancelled, or is being moved, before the
			// seats were sold: they never will be. The order fails, and
			// the completion then frees its seats and refunds the payment
			// (docs/adr/0602).
			if err := o.apply(EventFailed); err != nil {
				return err
			}
			s.log().Warn("payment for a cancelled or moving showtime: order failed, payment to refund", "order", o.ID, "showtime", o.Showtime.ID, "code", e.Code)
			return s.Store.CloseOrder(ctx, o)
		}
		if e, ok := errs.As(err); ok && e.Kind == errs.Conflict {
			return ErrStale // the hold expired or changed: decide again
		}
		return err
	case StepIssueTickets:
		// The start the showtime has now: a reschedule may have moved it
		// after this order was built (its orders and tickets move with it,
		// docs/adr/0602), and the tickets must say when to come.
		st, _, err := s.Store.GetShowtimeRows(ctx, o.Showtime.ID, nil)
		if err != nil && errs.KindOf(err) != errs.NotFound {
			return err
		}
		if err == nil && !st.StartsAt.IsZero() && !st.StartsAt.Equal(o.Showtime.StartsAt) {
			o.Showtime.StartsAt, o.CancellableUntil = st.StartsAt.UTC(), st.StartsAt.UTC()
		}
		ts := s.issue(o, now)
		for i := range o.Tickets {
			o.Tickets[i].TicketID = ts[i].ID
		}
		if err := o.apply(EventPaid); err != nil {
			return err
		}
		o.PaidAt, o.PickupCode = now.UTC(), tickets.NewPickupCode()
		return s.Store.IssueTickets(ctx, o, ts)
	case StepReleaseSeats:
		return s.Store.ReleaseOrderedHold(ctx, h, o.ID, now)
	case StepFailOrder, StepExpireOrder:
		ev := EventFailed
		if step == StepExpireOrder {
			ev = EventExpired
			s.cancelCharge(ctx, p)
		}
		if err := o.apply(ev); err != nil {
			return err
		}
		return s.Store.CloseOrder(ctx, o)
	case StepRefund:
		if s.Pending != nil {
			// On the sweeper's list first (a payment approved after its order
			// was settled and unlisted, say), so a refund that fails below
			// is retried by the next sweep rather than forgotten.
			if err := s.Pending.RelistUnsettled(ctx, o); err != nil {
				return err
			}
		}
		if err := s.PSP.Refund(ctx, psp.RefundRequest{PaymentID: p.ID, Reference: p.Reference, Amount: p.Amount}); err != nil {
			if errors.Is(err, psp.ErrUnavailable) {
				return errs.Wrap(errs.Unavailable, "service_unavailable", "o provedor de pagamentos não respondeu; o estorno será feito em seguida", err)
			}
			return err
		}
		p.Status, p.UpdatedAt = PaymentRefunded, now.UTC()
		return s.Store.SavePayment(ctx, p)
	case StepVoidOrder:
		if err := o.apply(EventRefunded); err != nil {
			return err
		}
		// Told first: once the order is voided nothing runs for it again,
		// and a notice written twice is one notice.
		if err := s.noticeVoided(ctx, o, p, now); err != nil {
			return err
		}
		o.Refund, o.CancelledAt = p.Amount, now.UTC()
		err := s.Store.CancelOrder(ctx, o, h, true)
		if err == nil {
			s.log().Warn("payment refunded by the provider: order voided", "order", o.ID, "payment", p.ID)
		}
		return err
	case StepMarkRefunded:
		o.Refund = p.Amount
		if o.Status == Cancelled {
			if err := o.apply(EventRefunded); err != nil {
				return err
			}
		}
		return s.Store.SaveOrder(ctx, o)
	}
	return fmt.Errorf("unknown step %s", step)
}

// cancelCharge asks the provider to end a charge still waiting for the buyer
// (an unpaid Pix) once its hold expired. The charge's own expiry at the
// provider is the hold's, so this only closes it sooner: a failure is
// logged, and a payment that gets through anyway is refunded by the
// completion when its approval arrives.
func (s *Service) cancelCharge(ctx context.Context, p Payment) {
	if p.ID == "" || !p.Charged || p.Status != PaymentPending {
		return
	}
	if err := s.PSP.Cancel(ctx, psp.CancelRequest{PaymentID: p.ID, Reference: p.Reference}); err != nil {
		s.log().Warn("unpaid charge not cancelled at the provider", "payment", p.ID, "error", err.Error())
	}
}

// issue makes one signed ticket per seat of the order.
func (s *Service) issue(o Order, now time.Time) []tickets.Ticket {
	out := make([]tickets.Ticket, 0, len(o.Tickets))
	for _, l := range o.Tickets {
		t := tickets.Ticket{
			ID: tickets.ID(o.ID, l.SeatID), OrderID: o.ID, Buyer: o.Buyer, ShowtimeID: o.Showtime.ID,
			MovieTitle: o.Showtime.MovieTitle, CinemaName: o.Showtime.CinemaName, RoomName: o.Showtime.RoomName,
			StartsAt: o.Showtime.StartsAt, Format: o.Showtime.Format, Language: o.Showtime.Language,
			SeatID: l.SeatID, Row: l.Row, Number: l.Number, SeatType: l.SeatType, TicketType: l.TicketType, Meia: l.Meia,
			Status: tickets.Valid, IssuedAt: now.UTC(),
		}
		t.QR = s.Signer.Sign(tickets.Claims{TicketID: t.ID, ShowtimeID: t.ShowtimeID, SeatID: t.SeatID, TicketType: t.TicketType, IssuedAt: now})
		out = append(out, t)
	}
	return out
}

// Cancel cancels one of the buyer's paid orders until its cancellation
// window closes: the seats go back on sale, the tickets are voided and the
// payment is refunded through the provider; the order is CANCELLED, then
// REFUNDED. Cancelling a cancelled order returns it unchanged. When the
// provider cannot be reached the order stays CANCELLED and the refund is
// retried by the next completion run.
func (s *Service) Cancel(ctx context.Context, buyer, orderID string, now time.Time) (Order, error) {
	for range 5 {
		o, err := s.Get(ctx, buyer, orderID, now)
		if err != nil {
			return Order{}, err
		}
		switch {
		case o.Status == Cancelled || o.Status == Refunded:
			return o, nil
		case o.Status != Paid:
			return Order{}, errs.E(errs.Conflict, "order_not_cancellable", "só um pedido pago pode ser cancelado")
		case !now.Before(o.CancellableUntil):
			return Order{}, errs.E(errs.Conflict, "order_not_cancellable", fmt.Sprintf("o cancelamento era possível até %s",
				o.CancellableUntil.In(catalog.Zone).Format("15:04 de 02/01/2006")))
		}
		h, err := s.Store.ReadHold(ctx, o.HoldID)
		if err != nil {
			return Order{}, fmt.Errorf("cancel order: %w", err)
		}
		if err := o.apply(EventCancelled); err != nil {
			return Order{}, err
		}
		o.CancelledAt = now.UTC()
		err = s.Store.CancelOrder(ctx, o, h, false)
		if errors.Is(err, ErrStale) {
			continue
		}
		if e, ok := errs.As(err); ok && e.Code == "ticket_already_used" {
			return Order{}, errs.E(errs.Conflict, "order_not_cancellable", "um ingresso deste pedido já foi utilizado")
		}
		if err != nil {
			return Order{}, fmt.Errorf("cancel order: %w", err)
		}
		done, err := s.completer().Complete(ctx, o.ID, now)
		if err != nil {
			if errs.KindOf(err) != errs.Unavailable {
				return Order{}, err
			}
			s.log().Warn("refund deferred", "order", o.ID, "error", err.Error())
			return s.Get(ctx, buyer, orderID, now)
		}
		return done, nil
	}
	return Order{}, errs.E(errs.Unavailable, "service_unavailable", "o pedido está sendo atualizado; tente novamente em instantes")
}

// ConvenienceFee is the fee per ticket Build adds to an order, as the
// policy stands now: what listTicketTypes tells buyers before they order.
func (s *Service) ConvenienceFee() money.BRL { return s.policy().ConvenienceFee }

func (s *Service) policy() Policy {
	if s.Policy == (Policy{}) {
		return DefaultPolicy
	}
	return s.Policy
}

func (s *Service) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

// noticeVoided tells the buyer that their order was voided because the
// provider gave the money back (a refund the chain did not ask for, or a
// chargeback).
func (s *Service) noticeVoided(ctx context.Context, o Order, p Payment, now time.Time) error {
	if s.Notices == nil {
		return nil
	}
	why := "O pagamento do seu pedido foi estornado pelo provedor de pagamentos"
	if p.FailureReason == ChargebackReason {
		why = "O pagamento do seu pedido foi contestado junto ao emissor do cartão e o valor voltou para você"
	}
	msg := fmt.Sprintf("%s, por isso os ingressos de %s em %s, %s, foram cancelados e os assentos liberados. Se quiser assistir, faça uma nova compra.",
		why, o.Showtime.MovieTitle, o.Showtime.CinemaName, o.Showtime.StartsAt.In(catalog.Zone).Format("02/01 às 15:04"))
	if err := s.Notices.NotifyBuyer(ctx, o.Buyer, o.Showtime.ID, "ORDER_VOIDED", msg, now.UTC()); err != nil {
		return fmt.Errorf("notice of a voided order: %w", err)
	}
	return nil
}
