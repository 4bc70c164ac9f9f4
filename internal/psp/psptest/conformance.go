package psptest

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/money"
	"bilhetagem/internal/psp"
)

// Behaviour is one thing every provider does the same way, as the
// application sees it: the answer to its call and the events the webhooks
// that follow carry.
type Behaviour string

// The behaviours of Conformance.
const (
	CardApproved            Behaviour = "a card approved at once"
	CardDeclined            Behaviour = "a card declined by the issuer"
	CardPendingThenApproved Behaviour = "a card pending, then approved"
	PixPaid                 Behaviour = "a Pix paid"
	PixExpired              Behaviour = "a Pix unpaid at its expiry"
	PixCancelled            Behaviour = "a Pix cancelled when its hold ends"
	Refund                  Behaviour = "a refund of an approved card"
	DuplicateWebhook        Behaviour = "a webhook delivered twice"
	Chargeback              Behaviour = "a chargeback"
	BadSignature            Behaviour = "a tampered or wrongly signed webhook"
	LateReplay              Behaviour = "a webhook replayed long after it was signed"
)

// Act is the world outside the application acting on a payment's charge.
type Act string

const (
	// Authenticate approves a pending card charge: the buyer completes 3-D
	// Secure, or the issuer answers a charge that timed out.
	Authenticate Act = "authenticate"
	PayPix       Act = "pay pix"   // the buyer pays the Pix in a bank app
	PixDue       Act = "pix due"   // the clock reaches the Pix charge's expiry, unpaid
	Dispute      Act = "dispute"   // the issuer takes an approved charge's money back
	DropAcks     Act = "drop acks" // each webhook sent until Sent is next called is answered 5xx once, so it is sent again
)

// Delivery is one webhook request as the provider sent it.
type Delivery struct {
	Body   []byte
	Header http.Header
	At     time.Time // when it arrived: the now it is read at
}

// Harness runs one provider under Conformance.
type Harness interface {
	// Start makes a new provider, with nothing charged, whose clock reads
	// start.
	Start(t *testing.T, start time.Time) Session
	// Unsupported lists the behaviours the provider cannot express; the
	// suite names each in the log, and every other behaviour must pass.
	Unsupported() []Behaviour
}

// Session is one provider and the world around it.
type Session interface {
	Provider() psp.Provider
	Webhooks() psp.Webhooks
	// CardToken is a test card whose charge is Approved, Declined or
	// Pending (until Authenticate).
	CardToken(outcome psp.Status) string
	Do(t *testing.T, a Act, paymentID string)
	// Sent is the webhook requests sent since it was last called, in order.
	Sent(t *testing.T) []Delivery
}

// start is when every behaviour begins.
var start = time.Date(2026, 3, 19, 22, 0, 0, 0, time.UTC)

const amount money.BRL = 4650

// Conformance checks that a provider behaves as the application expects
// of every provider. Each behaviour runs on a new Session: the provider
// acts, through its own calls or the harness's Acts, and the suite reads the
// webhooks it sent through its own psp.Webhooks, as the application does,
// dropping those that are psp.ErrIgnored. The checks are the same for every
// provider: the charge's answer, and the events' types, payment, amount and
// reference.
func Conformance(t *testing.T, h Harness) {
	unsupported := map[Behaviour]bool{}
	for _, b := range h.Unsupported() {
		require.True(t, slices.ContainsFunc(behaviours, func(c check) bool { return c.name == b }), "%q is no behaviour of the suite", b)
		unsupported[b] = true
	}
	for _, c := range behaviours {
		t.Run(string(c.name), func(t *testing.T) {
			if unsupported[c.name] {
				t.Logf("not run: the harness says its provider cannot express %q", c.name)
				return
			}
			t.Parallel()
			c.run(&run{t: t, s: h.Start(t, start), ids: map[string]psp.Event{}})
		})
	}
}

type check struct {
	name Behaviour
	run  func(r *run)
}

var behaviours = []check{
	{CardApproved, func(r *run) {
		req := r.card("pay-conf-approved", psp.Approved)
		c := r.charge(req)
		assert.Equal(r.t, psp.Approved, c.Status)
		if assert.NotNil(r.t, c.Card) {
			assert.NotEmpty(r.t, c.Card.Brand)
			assert.Regexp(r.t, `^\d{4}$`, c.Card.Last4)
			assert.Equal(r.t, 3, c.Card.Installments)
		}
		r.expect(req, c.Reference, psp.EventApproved)

		again := r.charge(req)
		assert.Equal(r.t, c, again, "charging the payment again answers the first charge")
		r.expect(req, c.Reference)
	}},
	{CardDeclined, func(r *run) {
		req := r.card("pay-conf-declined", psp.Declined)
		c := r.charge(req)
		assert.Equal(r.t, psp.Declined, c.Status)
		assert.Equal(r.t, "Pagamento recusado pelo emissor do cartão.", c.DeclineReason)
		r.expect(req, c.Reference, psp.EventDeclined)
	}},
	{CardPendingThenApproved, func(r *run) {
		req := r.card("pay-conf-pending", psp.Pending)
		c := r.charge(req)
		assert.Equal(r.t, psp.Pending, c.Status)
		r.expect(req, c.Reference)
		r.s.Do(r.t, Authenticate, req.PaymentID)
		r.expect(req, c.Reference, psp.EventApproved)
	}},
	{PixPaid, func(r *run) {
		req := r.pix("pay-conf-pix-paid")
		c := r.charge(req)
		assert.Equal(r.t, psp.Pending, c.Status)
		if assert.NotNil(r.t, c.Pix) {
			assert.NotEmpty(r.t, c.Pix.CopyPaste)
			assert.NotEmpty(r.t, c.Pix.QRCodePNG)
			assert.True(r.t, req.ExpiresAt.Equal(c.Pix.ExpiresAt), "the Pix expires with the hold: %s", c.Pix.ExpiresAt)
		}
		r.expect(req, c.Reference)
		r.s.Do(r.t, PayPix, req.PaymentID)
		r.expect(req, c.Reference, psp.EventApproved)

		r.cancel(req, c.Reference)
		r.expect(req, c.Reference) // a paid charge is left as it is
	}},
	{PixExpired, func(r *run) {
		req := r.pix("pay-conf-pix-due")
		c := r.charge(req)
		r.expect(req, c.Reference)
		r.s.Do(r.t, PixDue, req.PaymentID)
		r.expect(req, c.Reference, psp.EventExpired)
	}},
	{PixCancelled, func(r *run) {
		req := r.pix("pay-conf-pix-cancelled")
		c := r.charge(req)
		r.expect(req, c.Reference)
		r.cancel(req, c.Reference)
		r.expect(req, c.Reference, psp.EventExpired)
		r.cancel(req, c.Reference)
		r.expect(req, c.Reference) // cancelling again does nothing
	}},
	{Refund, func(r *run) {
		req, c := r.approved("pay-conf-refund")
		r.refund(req, c.Reference)
		r.expect(req, c.Reference, psp.EventRefunded)
		r.refund(req, c.Reference)
		r.expect(req, c.Reference) // refunding again does nothing
	}},
	{DuplicateWebhook, func(r *run) {
		r.s.Do(r.t, DropAcks, "")
		req := r.card("pay-conf-twice", psp.Approved)
		c := r.charge(req)
		got := r.expect(req, c.Reference, psp.EventApproved, psp.EventApproved)
		assert.Equal(r.t, got[0], got[1], "sent again, it is the same event, with the same id")
	}},
	{Chargeback, func(r *run) {
		req, c := r.approved("pay-conf-chargeback")
		r.s.Do(r.t, Dispute, req.PaymentID)
		r.expect(req, c.Reference, psp.EventChargedBack)
		r.refund(req, c.Reference)
		r.expect(req, c.Reference) // the issuer gave the money back already
	}},
	{BadSignature, func(r *run) {
		req := r.card("pay-conf-signed", psp.Approved)
		r.charge(req)
		d := r.acted()
		other := r.card("pay-conf-other", psp.Declined)
		r.charge(other)
		o := r.acted()
		for name, bad := range map[string]Delivery{
			"the event moved to another payment": {bytes.ReplaceAll(d.Body, []byte(req.PaymentID), []byte(other.PaymentID)), d.Header, d.At},
			"a byte added to the body":           {append(bytes.Clone(d.Body), ' '), d.Header, d.At},
			"another event's signature":          {d.Body, o.Header, d.At},
			"no signature":                       {d.Body, http.Header{}, d.At},
		} {
			_, err := r.read(bad)
			assert.ErrorIs(r.t, err, psp.ErrSignature, name)
		}
	}},
	{LateReplay, func(r *run) {
		req := r.card("pay-conf-replayed", psp.Approved)
		r.charge(req)
		d := r.acted()
		d.At = d.At.Add(24 * time.Hour)
		_, err := r.read(d)
		assert.ErrorIs(r.t, err, psp.ErrSignature)
	}},
}

// run is one behaviour on one session.
type run struct {
	t   *testing.T
	s   Session
	ids map[string]psp.Event // every event read, by id
}

func (r *run) card(paymentID string, outcome psp.Status) psp.ChargeRequest {
	return psp.ChargeRequest{PaymentID: paymentID, Amount: amount, Method: psp.Card, CardToken: r.s.CardToken(outcome),
		Installments: 3, Description: "Pedido " + paymentID}
}

func (r *run) pix(paymentID string) psp.ChargeRequest {
	return psp.ChargeRequest{PaymentID: paymentID, Amount: amount, Method: psp.Pix, ExpiresAt: start.Add(10 * time.Minute),
		Description: "Pedido " + paymentID}
}

func (r *run) charge(req psp.ChargeRequest) psp.Charge {
	r.t.Helper()
	c, err := r.s.Provider().Charge(context.Background(), req)
	require.NoError(r.t, err)
	require.NotEmpty(r.t, c.Reference)
	return c
}

// approved is a card charge approved, and its approval read.
func (r *run) approved(paymentID string) (psp.ChargeRequest, psp.Charge) {
	r.t.Helper()
	req := r.card(paymentID, psp.Approved)
	c := r.charge(req)
	require.Equal(r.t, psp.Approved, c.Status)
	r.expect(req, c.Reference, psp.EventApproved)
	return req, c
}

func (r *run) refund(req psp.ChargeRequest, reference string) {
	r.t.Helper()
	err := r.s.Provider().Refund(context.Background(), psp.RefundRequest{PaymentID: req.PaymentID, Reference: reference, Amount: req.Amount})
	require.NoError(r.t, err)
}

func (r *run) cancel(req psp.ChargeRequest, reference string) {
	r.t.Helper()
	require.NoError(r.t, r.s.Provider().Cancel(context.Background(), psp.CancelRequest{PaymentID: req.PaymentID, Reference: reference}))
}

func (r *run) read(d Delivery) (psp.Event, error) {
	return r.s.Webhooks().Event(d.Body, d.Header.Get, d.At)
}

// events reads the webhooks sent since the last read, as the application
// does: one it does not act on is acknowledged and dropped.
func (r *run) events() []psp.Event {
	r.t.Helper()
	var out []psp.Event
	for _, d := range r.s.Sent(r.t) {
		e, err := r.read(d)
		if errors.Is(err, psp.ErrIgnored) {
			continue
		}
		require.NoError(r.t, err, "%s", d.Body)
		if seen, ok := r.ids[e.ID]; ok {
			require.Equal(r.t, seen, e, "an event id names one event")
		}
		r.ids[e.ID] = e
		out = append(out, e)
	}
	return out
}

// expect reads the webhooks sent since the last read and checks that their
// events are of the types given, in order, each for the payment and amount
// of req and the charge's reference.
func (r *run) expect(req psp.ChargeRequest, reference string, types ...psp.EventType) []psp.Event {
	r.t.Helper()
	got := r.events()
	var gotTypes []psp.EventType
	for _, e := range got {
		gotTypes = append(gotTypes, e.Type)
	}
	require.Equal(r.t, types, gotTypes)
	for _, e := range got {
		assert.NotEmpty(r.t, e.ID)
		assert.Equal(r.t, req.PaymentID, e.PaymentID, e.ID)
		assert.Equal(r.t, req.Amount, e.Amount, e.ID)
		assert.Equal(r.t, reference, e.Reference, e.ID)
		assert.False(r.t, e.OccurredAt.IsZero(), e.ID)
	}
	return got
}

// acted is the one webhook sent since the last read that the application
// acts on.
func (r *run) acted() Delivery {
	r.t.Helper()
	var out []Delivery
	for _, d := range r.s.Sent(r.t) {
		_, err := r.read(d)
		if errors.Is(err, psp.ErrIgnored) {
			continue
		}
		require.NoError(r.t, err)
		out = append(out, d)
	}
	require.Len(r.t, out, 1)
	return out[0]
}
