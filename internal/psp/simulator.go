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
	Secret       []byte   // the webhook secret shared with the application
	Notifier     Notifier // where webhooks go; nil sends none
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
	Log      *slog.Logger
}

// Simulator is a local payment provider. It keeps its charges in memory.
type Simulator struct {
	cfg         SimConfig
	mu          sync.Mutex
	charges     map[string]*simCharge
	seq         atomic.Int64
	unreachable atomic.Bool
	loseNext    atomic.Bool
	captures    atomic.Int64
	deliveries  sync.WaitGroup
}

type simCharge struct {
	req       ChargeRequest
	charge    Charge
	expiresAt time.Time
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
	return &Simulator{cfg: cfg, charges: map[string]*simCharge{}}
}

// SetUnreachable makes every call fail with ErrUnavailable, as if the
// provider could not be reached, until it is set back.
func (s *Simulator) SetUnreachable(down bool) { s.unreachable.Store(down) }

// LoseNextResponse makes the next charge happen at the provider but its
// answer never arrive: the caller sees ErrUnavailable and must ask again.
func (s *Simulator) LoseNextResponse() { s.loseNext.Store(true) }

// Captures is how many charges captured money, ever.
func (s *Simulator) Captures() int { return int(s.captures.Load()) }

// Flush waits until every webhook sent so far was delivered or given up.
func (s *Simulator) Flush() { s.deliveries.Wait() }

// Charge creates a charge, or returns the one made for the PaymentID.
func (s *Simulator) Charge(_ context.Context, r ChargeRequest) (Charge, error) {
	if s.unreachable.Load() {
		return Charge{}, ErrUnavailable
	}
	if r.PaymentID == "" || r.Amount <= 0 {
		return Charge{}, errors.New("psp: a charge needs a payment id and a positive amount")
	}
	now := s.cfg.Now()
	s.mu.Lock()
	if c, ok := s.charges[r.PaymentID]; ok {
		out := c.charge
		s.mu.Unlock()
		return out, nil
	}
	c := &simCharge{req: r}
	var events []Event
	switch r.Method {
	case Pix:
		if r.ExpiresAt.IsZero() || !r.ExpiresAt.After(now) {
			s.mu.Unlock()
			return Charge{}, errors.New("psp: a Pix charge needs an expiry in the future")
		}
		code := BRCode{Key: s.cfg.PixKey, MerchantName: s.cfg.MerchantName, City: s.cfg.City, Amount: r.Amount, TxID: r.PaymentID}
		payload := code.Payload()
		png, err := QRCodePNG(payload)
		if err != nil {
			s.mu.Unlock()
			return Charge{}, fmt.Errorf("psp: draw QR code: %w", err)
		}
		c.expiresAt = r.ExpiresAt
		if d := s.cfg.PayPixAfter; d > 0 {
			id := r.PaymentID
			time.AfterFunc(d, func() { _ = s.PayPix(id) })
		}
		c.charge = Charge{Reference: "E" + randomHex(16), Status: Pending,
			Pix: &PixCharge{CopyPaste: payload, QRCodePNG: png, ExpiresAt: r.ExpiresAt}}
	case Card:
		number, ok := strings.CutPrefix(r.CardToken, TokenPrefix)
		if !ok || !knownCard(number) {
			// A real provider refuses a token it never issued before any
			// charge: nothing is kept, so the payment id stays free.
			s.mu.Unlock()
			return Charge{}, ErrInvalidToken
		}
		inst := max(r.Installments, 1)
		c.charge = Charge{Reference: "ch_" + randomHex(12), Card: &CardInfo{Brand: brand(number), Last4: last4(number), Installments: inst}}
		switch number {
		case CardApproves, CardApprovesMastercard:
			c.charge.Status = Approved
			s.captures.Add(1)
			events = append(events, s.event(EventApproved, r, c.charge.Reference, now))
		case CardTimesOut:
			c.charge.Status = Pending
			if d := s.cfg.SettleTimeoutsAfter; d > 0 {
				id := r.PaymentID
				time.AfterFunc(d, func() { _ = s.Settle(id, true) })
			}
		case CardDeclines:
			c.charge.Status = Declined
			c.charge.DeclineReason = "Pagamento recusado pelo emissor do cartão."
			events = append(events, s.event(EventDeclined, r, c.charge.Reference, now))
		}
	default:
		s.mu.Unlock()
		return Charge{}, fmt.Errorf("psp: unknown method %q", r.Method)
	}
	s.charges[r.PaymentID] = c
	out := c.charge
	s.mu.Unlock()
	for _, e := range events {
		s.send(e)
	}
	if s.loseNext.CompareAndSwap(true, false) {
		return Charge{}, ErrUnavailable
	}
	return out, nil
}

// Refund gives an approved charge's money back, once.
func (s *Simulator) Refund(_ context.Context, r RefundRequest) error {
	if s.unreachable.Load() {
		return ErrUnavailable
	}
	return s.giveBack(r.PaymentID, EventRefunded, func(c *simCharge) (bool, error) {
		if c.charge.Status == Refunded {
			return true, nil // refunding again does nothing
		}
		if c.charge.Status == Approved && r.Amount != c.req.Amount {
			return false, fmt.Errorf("psp: refund of %s for a charge of %s", r.Amount, c.req.Amount)
		}
		return false, nil
	})
}

// Cancel expires a Pix charge that is still unpaid, with its payment.expired
// event; any other charge is left as it is.
func (s *Simulator) Cancel(_ context.Context, r CancelRequest) error {
	if s.unreachable.Load() {
		return ErrUnavailable
	}
	s.mu.Lock()
	c, ok := s.charges[r.PaymentID]
	if !ok || c.req.Method != Pix || c.charge.Status != Pending {
		s.mu.Unlock()
		return nil
	}
	c.charge.Status = Expired
	e := s.event(EventExpired, c.req, c.charge.Reference, s.cfg.Now())
	s.mu.Unlock()
	s.send(e)
	return nil
}

// Chargeback is the card's issuer taking back the money of an approved
// charge after a dispute: the charge counts as refunded (refunding it again
// does nothing) and a payment.charged_back webhook is sent.
func (s *Simulator) Chargeback(paymentID string) error {
	return s.giveBack(paymentID, EventChargedBack, func(*simCharge) (bool, error) { return false, nil })
}

// giveBack moves an approved charge to Refunded and sends t, once check
// lets it: check says the charge needs nothing more (done) or refuses.
func (s *Simulator) giveBack(paymentID string, t EventType, check func(*simCharge) (done bool, err error)) error {
	s.mu.Lock()
	c, ok := s.charges[paymentID]
	if !ok {
		s.mu.Unlock()
		return fmt.Errorf("psp: no charge %s", paymentID)
	}
	if done, err := check(c); done || err != nil {
		s.mu.Unlock()
		return err
	}
	if c.charge.Status != Approved {
		s.mu.Unlock()
		return fmt.Errorf("psp: charge %s is %s, not approved", paymentID, c.charge.Status)
	}
	c.charge.Status = Refunded
	e := s.event(t, c.req, c.charge.Reference, s.cfg.Now())
	s.mu.Unlock()
	s.send(e)
	return nil
}

// PayPix is the buyer paying a Pix charge in a bank app: the charge is
// approved and the approval is sent by webhook. A charge past its expiry
// cannot be paid.
func (s *Simulator) PayPix(paymentID string) error {
	now := s.cfg.Now()
	s.mu.Lock()
	c, ok := s.charges[paymentID]
	switch {
	case !ok || c.req.Method != Pix:
		s.mu.Unlock()
		return fmt.Errorf("psp: no Pix charge %s", paymentID)
	case c.charge.Status != Pending:
		s.mu.Unlock()
		return fmt.Errorf("psp: Pix charge %s is %s", paymentID, c.charge.Status)
	case !now.Before(c.expiresAt):
		s.mu.Unlock()
		return fmt.Errorf("psp: Pix charge %s expired", paymentID)
	}
	c.charge.Status = Approved
	s.captures.Add(1)
	e := s.event(EventApproved, c.req, c.charge.Reference, now)
	s.mu.Unlock()
	s.send(e)
	return nil
}

// Settle answers a card charge that timed out, by webhook.
func (s *Simulator) Settle(paymentID string, approve bool) error {
	now := s.cfg.Now()
	s.mu.Lock()
	c, ok := s.charges[paymentID]
	if !ok || c.req.Method != Card || c.charge.Status != Pending {
		s.mu.Unlock()
		return fmt.Errorf("psp: no pending card charge %s", paymentID)
	}
	typ := EventDeclined
	c.charge.Status = Declined
	if approve {
		typ = EventApproved
		c.charge.Status = Approved
		s.captures.Add(1)
	}
	e := s.event(typ, c.req, c.charge.Reference, now)
	s.mu.Unlock()
	s.send(e)
	return nil
}

// ExpireDue expires the Pix charges past their expiry and sends their
// payment.expired events; it returns how many expired.
func (s *Simulator) ExpireDue() int {
	now := s.cfg.Now()
	var events []Event
	s.mu.Lock()
	for _, c := range s.charges {
		if c.req.Method == Pix && c.charge.Status == Pending && !now.Before(c.expiresAt) {
			c.charge.Status = Expired
			events = append(events, s.event(EventExpired, c.req, c.charge.Reference, now))
		}
	}
	s.mu.Unlock()
	for _, e := range events {
		s.send(e)
	}
	return len(events)
}

func (s *Simulator) event(t EventType, r ChargeRequest, ref string, now time.Time) Event {
	return Event{ID: fmt.Sprintf("evt_%s_%d", strings.ReplaceAll(r.PaymentID, "-", ""), s.seq.Add(1)), Type: t,
		OccurredAt: now.UTC(), PaymentID: r.PaymentID, Reference: ref, Amount: r.Amount}
}

// send delivers an event asynchronously, retrying with backoff.
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
	s.deliveries.Add(1)
	go func() {
		defer s.deliveries.Done()
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

var _ Provider = (*Simulator)(nil)
