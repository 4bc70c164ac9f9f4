package psptest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"bilhetagem/internal/psp"
)

// Simulator is the Harness of psp.Simulator, on a memory ledger. Its
// webhooks go through its HTTPNotifier, synchronously, to a receiver on
// loopback that keeps them.
type Simulator struct{}

// Unsupported: the X-Signature is an HMAC of the body alone, with no time
// in it, so a replay cannot be told from a first delivery.
func (Simulator) Unsupported() []Behaviour { return []Behaviour{LateReplay} }

// Start makes a simulator whose clock reads start until PixDue moves it.
func (Simulator) Start(t *testing.T, start time.Time) Session {
	s := &simSession{now: start, ledger: psp.NewMemoryLedger(), dropped: map[string]bool{}}
	srv := httptest.NewServer(http.HandlerFunc(s.receive))
	t.Cleanup(srv.Close)
	s.sim = psp.NewSimulator(psp.SimConfig{Secret: simSecret, Notifier: psp.HTTPNotifier{URL: srv.URL}, Ledger: s.ledger,
		Now: s.clock, Backoff: time.Nanosecond, Synchronous: true, Log: slog.New(slog.DiscardHandler)})
	return s
}

var simSecret = []byte("segredo-da-conformidade")

type simSession struct {
	sim    *psp.Simulator
	ledger *psp.MemoryLedger

	mu       sync.Mutex
	now      time.Time
	dropAcks bool
	dropped  map[string]bool // bodies answered 5xx once
	sent     []Delivery
}

func (s *simSession) clock() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now
}

// receive keeps a webhook and acknowledges it, but for the first delivery
// of each body while acknowledgements are dropped.
func (s *simSession) receive(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, Delivery{Body: body, Header: r.Header.Clone(), At: s.now})
	if s.dropAcks && !s.dropped[string(body)] {
		s.dropped[string(body)] = true
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *simSession) Provider() psp.Provider { return s.sim }

func (s *simSession) Webhooks() psp.Webhooks { return psp.SimulatorWebhooks{Secret: simSecret} }

func (s *simSession) CardToken(outcome psp.Status) string {
	number := map[psp.Status]string{psp.Approved: psp.CardApproves, psp.Declined: psp.CardDeclines, psp.Pending: psp.CardTimesOut}[outcome]
	return psp.TokenPrefix + number
}

func (s *simSession) Do(t *testing.T, a Act, paymentID string) {
	t.Helper()
	switch a {
	case Authenticate:
		require.NoError(t, s.sim.Settle(paymentID, true))
	case PayPix:
		require.NoError(t, s.sim.PayPix(paymentID))
	case PixDue:
		c, err := s.ledger.Charge(context.Background(), paymentID)
		require.NoError(t, err)
		s.mu.Lock()
		s.now = c.ExpiresAt
		s.mu.Unlock()
		require.Equal(t, 1, s.sim.ExpireDue())
	case Dispute:
		require.NoError(t, s.sim.Chargeback(paymentID))
	case DropAcks:
		s.mu.Lock()
		s.dropAcks = true
		s.mu.Unlock()
	default:
		t.Fatalf("the simulator does not %s", a)
	}
}

func (s *simSession) Sent(*testing.T) []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.sent
	s.sent, s.dropAcks = nil, false
	return out
}
