package psp

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Test card numbers of the simulator. A card token is "sim_" followed by the
// number, as the simulator's client-side tokenization would give it; any
// other token is unknown to the simulator (ErrInvalidToken).
const (
	CardApproves           = "4111111111111111" // VISA, approved at once
	CardApprovesMastercard = "5555555555554444" // MASTERCARD, approved at once
	CardDeclines           = "4000000000000002" // declined by the issuer
	CardTimesOut           = "4000000000000119" // no answer in time: PENDING, settled later by webhook
	TokenPrefix            = "sim_"
)

// Notifier delivers a signed webhook body to the application.
type Notifier interface {
	Notify(ctx context.Context, body []byte, signature string) error
}

// NotifierFunc delivers webhooks through a function, e.g. straight into the
// webhook handler of the same process.
type NotifierFunc func(ctx context.Context, body []byte, signature string) error

// Notify calls f.
func (f NotifierFunc) Notify(ctx context.Context, body []byte, signature string) error {
	return f(ctx, body, signature)
}

// HTTPNotifier posts webhooks to a callback URL with the X-Signature header,
// as a real provider does.
type HTTPNotifier struct {
	URL    string
	Client *http.Client
}

// Notify posts the body; any answer but a 2xx is an error, so it is retried.
func (n HTTPNotifier) Notify(ctx context.Context, body []byte, signature string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, n.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature", signature)
	c := n.Client
	if c == nil {
		c = &http.Client{Timeout: 5 * time.Second}
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("webhook answered %d", resp.StatusCode)
	}
	return nil
}

// SimConfig configures the simulator.
type SimConfig struct {
	Secret   []byte   // the webhook secret shared with the application
	Notifier Notifier // where webhooks go; nil sends none
	// Ledger keeps the charges; nil keeps them in this process's memory.
	// Give every function of a stack the same table-backed ledger and any
	// of them settles, reads or refunds a charge another one made.
	Ledger       Ledger
	Now          func() time.Time
	PixKey       string // the receiver's Pix key in BR Codes
	MerchantName string
	City         string
	// SettleTimeoutsAfter, when positive, approves a card that timed out
	// after this delay (by webhook); otherwise Settle decides it.
	SettleTimeoutsAfter time.Duration
	// PayPixAfter, when positive, pays every Pix charge after this delay, as
	// a buyer would in a bank app; otherwise PayPix does.
	PayPixAfter time.Duration
	// Attempts and Backoff govern webhook redelivery (default 5 and 200 ms).
	Attempts int
	Backoff  time.Duration
	// Synchronous delivers each webhook before the call that caused it
	// returns. A Lambda function may be frozen as soon as it answers, so
	// work left running after the answer might never happen.
	Synchronous bool
	Log         *slog.Logger
}

// Simulator is a local payment provider. Its charges live in its Ledger.
type Simulator struct {
	cfg         SimConfig
	ledger      Ledger
	unreachable atomic.Bool
	loseNext    atomic.Bool
	captures    atomic.Int64
	deliveries  sync.WaitGroup
}

// NewSimulator makes a simulator.
func NewSimulator(cfg SimConfig) *Simulator {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.PixKey == "" {
		cfg.PixKey = "pix@bilhetagem.com.br"
	}
	if cfg.MerchantName == "" {
		cfg.MerchantName = "BILHETAGEM"
	}
	if cfg.City == "" {
		cfg.City = "SAO PAULO"
	}
	if cfg.Attempts == 0 {
		cfg.Attempts = 5
	}
	if cfg.Backoff == 0 {
		cfg.Backoff = 200 * time.Millisecond
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	ledger := cfg.Ledger
	if ledger == nil {
		ledger = NewMemoryLedger()
	}
	return &Simulator{cfg: cfg, ledger: ledger}
}

// SetUnreachable makes every call fail with ErrUnavailable, as if the
// provider could not be reached, until it is set back.
func (s *Simulator) SetUnreachable(down bool) { s.unreachable.Store(down) }

// LoseNextResponse makes the next charge happen at the provider but its
// answer never arrive: the caller sees ErrUnavailable and must ask again.
func (s *Simulator) LoseNextResponse() { s.loseNext.Store(true) }

// Captures is how many charges this simulator captured money for, ever
// (counted in this process, whatever the ledger).
func (s *Simulator) Captures() int { return int(s.captures.Load()) }

// Flush waits until every webhook sent so far was delivered or given up.
func (s *Simulator) Flush() { s.deliveries.Wait() }

// unavailable is a failure of the simulator's own ledger: to the caller,
// the provider did not answer.
func unavailable(err error) error { return fmt.Errorf("%w: %v", ErrUnavailable, err) }

// Charge creates a charge, or returns the one made for the PaymentID.
func (s *Simulator) Charge(ctx context.Context, r ChargeRequest) (Charge, error) {
	if s.unreachable.Load() {
		return Charge{}, ErrUnavailable
	}
	if r.PaymentID == "" || r.Amount <= 0 {
		return Charge{}, errors.New("psp: a charge needs a payment id and a positive amount")
	}
	switch old, err := s.ledger.Charge(ctx, r.PaymentID); {
	case err == nil:
		return s.answer(old)
	case !errors.Is(err, ErrNoCharge):
		return Charge{}, unavailable(err)
	}
	now := s.cfg.Now()
	c := SimCharge{PaymentID: r.PaymentID, Method: r.Method, Amount: r.Amount, CreatedAt: now.UTC(), MovedAt: now.UTC()}
	var event EventType
	switch r.Method {
	case Pix:
		if r.ExpiresAt.IsZero() || !r.ExpiresAt.After(now) {
			return Charge{}, errors.New("psp: a Pix charge needs an expiry in the future")
		}
		code := BRCode{Key: s.cfg.PixKey, MerchantName: s.cfg.MerchantName, City: s.cfg.City, Amount: r.Amount, TxID: r.PaymentID}
		c.Reference, c.Status, c.PixCopyPaste, c.ExpiresAt = "E"+randomHex(16), Pending, code.Payload(), r.ExpiresAt.UTC()
	case Card:
		number, ok := strings.CutPrefix(r.CardToken, TokenPrefix)
		if !ok || !knownCard(number) {
			// A real provider refuses a token it never issued before any
			// charge: nothing is kept, so the payment id stays free.
			return Charge{}, ErrInvalidToken
		}
		c.Reference = "ch_" + randomHex(12)
		c.Card = &CardInfo{Brand: brand(number), Last4: last4(number), Installments: max(r.Installments, 1)}
		switch number {
		case CardApproves, CardApprovesMastercard:
			c.Status, c.CapturedAt, event = Approved, now.UTC(), EventApproved
		case CardTimesOut:
			c.Status = Pending
		case CardDeclines:
			c.Status, event = Declined, EventDeclined
			c.DeclineReason = "Pagamento recusado pelo emissor do cartão."
		}
	default:
		return Charge{}, fmt.Errorf("psp: unknown method %q", r.Method)
	}
	if err := s.ledger.Record(ctx, c); err != nil {
		if !errors.Is(err, ErrChargeExists) {
			return Charge{}, unavailable(err)
		}
		// Charged by a concurrent call with the same payment id.
		old, err := s.ledger.Charge(ctx, r.PaymentID)
		if err != nil {
			return Charge{}, unavailable(err)
		}
		return s.answer(old)
	}
	if event == EventApproved {
		s.captures.Add(1)
	}
	if event != "" {
		s.send(s.event(event, c, now))
	}
	id := r.PaymentID
	if d := s.cfg.PayPixAfter; d > 0 && r.Method == Pix {
		time.AfterFunc(d, func() { _ = s.PayPix(id) })
	}
	if d := s.cfg.SettleTimeoutsAfter; d > 0 && c.Method == Card && c.Status == Pending {
		time.AfterFunc(d, func() { _ = s.Settle(id, true) })
	}
	if s.loseNext.CompareAndSwap(true, false) {
		return Charge{}, ErrUnavailable
	}
	return s.answer(c)
}

// answer is the provider's answer for a recorded charge.
func (s *Simulator) answer(c SimCharge) (Charge, error) {
	out := Charge{Reference: c.Reference, Status: c.Status, Card: c.Card, DeclineReason: c.DeclineReason}
	if c.Method == Pix {
		png, err := QRCodePNG(c.PixCopyPaste)
		if err != nil {
			return Charge{}, fmt.Errorf("psp: draw QR code: %w", err)
		}
		out.Pix = &PixCharge{CopyPaste: c.PixCopyPaste, QRCodePNG: png, ExpiresAt: c.ExpiresAt}
	}
	return out, nil
}

// move changes the recorded charge of a payment and sends the event the
// change returns (none when it returns ""), reading again when another
// writer (another function of the stack, say) moved the charge first.
func (s *Simulator) move(ctx context.Context, paymentID string, change func(c *SimCharge, now time.Time) (EventType, error)) error {
	for range 5 {
		c, err := s.ledger.Charge(ctx, paymentID)
		if errors.Is(err, ErrNoCharge) {
			return fmt.Errorf("psp: charge %s: %w", paymentID, ErrNoCharge)
		}
		if err != nil {
			return unavailable(err)
		}
		now := s.cfg.Now()
		t, err := change(&c, now)
		if err != nil || t == "" {
			return err
		}
		c.MovedAt = now.UTC()
		if t == EventApproved {
			c.CapturedAt = now.UTC()
		}
		err = s.ledger.Move(ctx, c)
		if errors.Is(err, ErrChargeMoved) {
			continue
		}
		if err != nil {
			return unavailable(err)
		}
		if t == EventApproved {
			s.captures.Add(1)
		}
		s.send(s.event(t, c, now))
		return nil
	}
	return unavailable(fmt.Errorf("charge %s keeps changing", paymentID))
}

// Refund gives an approved charge's money back, once.
func (s *Simulator) Refund(ctx context.Context, r RefundRequest) error {
	if s.unreachable.Load() {
		return ErrUnavailable
	}
	return s.move(ctx, r.PaymentID, func(c *SimCharge, _ time.Time) (EventType, error) {
		switch {
		case c.Status == Refunded:
			return "", nil // refunding again does nothing
		case c.Status != Approved:
			return "", fmt.Errorf("psp: charge %s is %s, not approved", c.PaymentID, c.Status)
		case r.Amount != c.Amount:
			return "", fmt.Errorf("psp: refund of %s for a charge of %s", r.Amount, c.Amount)
		}
		c.Status = Refunded
		return EventRefunded, nil
	})
}

// Cancel expires a Pix charge that is still unpaid, with its payment.expired
// event; any other charge, or none, is left as it is.
func (s *Simulator) Cancel(ctx context.Context, r CancelRequest) error {
	if s.unreachable.Load() {
		return ErrUnavailable
	}
	err := s.move(ctx, r.PaymentID, func(c *SimCharge, _ time.Time) (EventType, error) {
		if c.Method != Pix || c.Status != Pending {
			return "", nil
		}
		c.Status = Expired
		return EventExpired, nil
	})
	if errors.Is(err, ErrNoCharge) {
		return nil // nothing to cancel
	}
	return err
}

// Chargeback is the card's issuer taking back the money of an approved
// charge after a dispute: the charge counts as refunded (refunding it again
// does nothing) and a payment.charged_back webhook is sent.
func (s *Simulator) Chargeback(paymentID string) error {
	return s.move(context.Background(), paymentID, func(c *SimCharge, _ time.Time) (EventType, error) {
		if c.Status != Approved {
			return "", fmt.Errorf("psp: charge %s is %s, not approved", paymentID, c.Status)
		}
		c.Status, c.ChargedBack = Refunded, true
		return EventChargedBack, nil
	})
}

// Movements lists the money the simulator's charges moved: for each
// charge that took money and last moved in [since, until) (its ledger's
// TookMoney), its capture, and its refund or chargeback when it has one.
// A capture is dated when it took the money, which may be before since
// when the charge was refunded in the window.
func (s *Simulator) Movements(ctx context.Context, since, until time.Time) ([]Movement, error) {
	if s.unreachable.Load() {
		return nil, ErrUnavailable
	}
	charges, err := s.ledger.TookMoney(ctx, since, until)
	if err != nil {
		return nil, unavailable(err)
	}
	var out []Movement
	for _, c := range charges {
		captured := c.CapturedAt
		if captured.IsZero() {
			captured = c.CreatedAt
		}
		out = append(out, Movement{Kind: MovementCapture, PaymentID: c.PaymentID, Reference: c.Reference, Amount: c.Amount, At: captured})
		if c.Status == Refunded {
			kind := MovementRefund
			if c.ChargedBack {
				kind = MovementDispute
			}
			out = append(out, Movement{Kind: kind, PaymentID: c.PaymentID, Reference: c.Reference, Amount: c.Amount, At: c.LastMove()})
		}
	}
	return out, nil
}

// ErrNotPix is PayPix's answer for a charge that is not a Pix.
var ErrNotPix = errors.New("psp: not a Pix charge")

// PayPix is the buyer paying a Pix charge in a bank app: the charge is
// approved and the approval is sent by webhook. A charge past its expiry
// cannot be paid.
func (s *Simulator) PayPix(paymentID string) error {
	return s.move(context.Background(), paymentID, func(c *SimCharge, now time.Time) (EventType, error) {
		switch {
		case c.Method != Pix:
			return "", fmt.Errorf("psp: charge %s: %w", paymentID, ErrNotPix)
		case c.Status != Pending:
			return "", fmt.Errorf("psp: Pix charge %s is %s", paymentID, c.Status)
		case !now.Before(c.ExpiresAt):
			return "", fmt.Errorf("psp: Pix charge %s expired", paymentID)
		}
		c.Status = Approved
		return EventApproved, nil
	})
}

// Settle answers a card charge that timed out, by webhook.
func (s *Simulator) Settle(paymentID string, approve bool) error {
	return s.move(context.Background(), paymentID, func(c *SimCharge, _ time.Time) (EventType, error) {
		if c.Method != Card || c.Status != Pending {
			return "", fmt.Errorf("psp: no pending card charge %s", paymentID)
		}
		if approve {
			c.Status = Approved
			return EventApproved, nil
		}
		c.Status = Declined
		return EventDeclined, nil
	})
}

// ExpireDue expires the Pix charges past their expiry and sends their
// payment.expired events; it returns how many expired.
func (s *Simulator) ExpireDue() int {
	ctx := context.Background()
	due, err := s.ledger.PendingPix(ctx, s.cfg.Now())
	if err != nil {
		s.cfg.Log.Error("psp simulator: list pending Pix", "error", err.Error())
		return 0
	}
	n := 0
	for _, c := range due {
		expired := false
		err := s.move(ctx, c.PaymentID, func(c *SimCharge, now time.Time) (EventType, error) {
			expired = c.Method == Pix && c.Status == Pending && !now.Before(c.ExpiresAt)
			if !expired {
				return "", nil
			}
			c.Status = Expired
			return EventExpired, nil
		})
		switch {
		case err != nil:
			s.cfg.Log.Error("psp simulator: expire Pix", "payment", c.PaymentID, "error", err.Error())
		case expired:
			n++
		}
	}
	return n
}

// event is the event of a charge's move. Its id is the payment's and the
// event type's: a charge moves to each state at most once, so the id is
// unique, and the same whichever function of a stack sent it.
func (s *Simulator) event(t EventType, c SimCharge, now time.Time) Event {
	return Event{ID: "evt_" + strings.ReplaceAll(c.PaymentID, "-", "") + "_" + strings.TrimPrefix(string(t), "payment."), Type: t,
		OccurredAt: now.UTC(), PaymentID: c.PaymentID, Reference: c.Reference, Amount: c.Amount}
}

// send delivers an event, retrying with backoff: in the background, or
// before it returns when the simulator is Synchronous.
func (s *Simulator) send(e Event) {
	if s.cfg.Notifier == nil {
		return
	}
	body, err := EncodeEvent(e)
	if err != nil {
		s.cfg.Log.Error("psp simulator: encode event", "error", err.Error())
		return
	}
	sig := Sign(s.cfg.Secret, body)
	deliver := func() {
		for attempt := range s.cfg.Attempts {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err := s.cfg.Notifier.Notify(ctx, body, sig)
			cancel()
			if err == nil {
				return
			}
			s.cfg.Log.Warn("psp simulator: webhook not delivered", "event", e.ID, "attempt", attempt+1, "error", err.Error())
			time.Sleep(s.cfg.Backoff << attempt)
		}
	}
	if s.cfg.Synchronous {
		deliver()
		return
	}
	s.deliveries.Add(1)
	go func() {
		defer s.deliveries.Done()
		deliver()
	}()
}

// knownCard reports whether number is one of the simulator's test cards.
func knownCard(number string) bool {
	switch number {
	case CardApproves, CardApprovesMastercard, CardDeclines, CardTimesOut:
		return true
	}
	return false
}

func brand(number string) string {
	switch {
	case strings.HasPrefix(number, "4"):
		return "VISA"
	case strings.HasPrefix(number, "5"):
		return "MASTERCARD"
	case strings.HasPrefix(number, "34"), strings.HasPrefix(number, "37"):
		return "AMEX"
	}
	return "ELO"
}

func last4(number string) string {
	if len(number) < 4 {
		return "0000"
	}
	l := number[len(number)-4:]
	for _, r := range l {
		if r < '0' || r > '9' {
			return "0000"
		}
	}
	return l
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

var (
	_ Provider   = (*Simulator)(nil)
	_ Reconciler = (*Simulator)(nil)
)
