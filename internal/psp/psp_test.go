package psp

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCRC16(t *testing.T) {
	t.Parallel()
	t.Run("matches the CRC-16/CCITT-FALSE check value", func(t *testing.T) {
		assert.Equal(t, uint16(0x29B1), CRC16("123456789"))
	})
	t.Run("matches the Banco Central's BR Code example", func(t *testing.T) {
		// Manual de Padrões para Iniciação do Pix, static BR Code example.
		example := "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***6304"
		assert.Equal(t, "1D3D", hex4(CRC16(example)))
	})
}

func hex4(v uint16) string {
	const digits = "0123456789ABCDEF"
	return string([]byte{digits[v>>12&0xF], digits[v>>8&0xF], digits[v>>4&0xF], digits[v&0xF]})
}

func TestBRCode(t *testing.T) {
	t.Parallel()
	p := BRCode{Key: "pix@bilhetagem.com.br", MerchantName: "Bilhetagem Paulista São", City: "São Paulo", Amount: 11190,
		TxID: "pay-01jq8m7a9c1e3g5j7m9p1r3t5v"}.Payload()
	t.Run("carries the fields of a single-use Pix charge", func(t *testing.T) {
		assert.True(t, strings.HasPrefix(p, "000201010212"), p)
		assert.Contains(t, p, "0014br.gov.bcb.pix0121pix@bilhetagem.com.br")
		assert.Contains(t, p, "5303986")
		assert.Contains(t, p, "5406111.90")
		assert.Contains(t, p, "5802BR")
		assert.Contains(t, p, "5923BILHETAGEM PAULISTA SAO", "accents dropped, upper case")
		assert.Contains(t, p, "6009SAO PAULO")
	})
	t.Run("ends with a CRC16 of everything before it", func(t *testing.T) {
		body, crc := p[:len(p)-4], p[len(p)-4:]
		assert.True(t, strings.HasSuffix(body, "6304"))
		assert.Equal(t, hex4(CRC16(body)), crc)
	})
	t.Run("keeps the txid within 25 letters and digits", func(t *testing.T) {
		assert.Contains(t, p, "62290525"+"1jq8m7a9c1e3g5j7m9p1r3t5v", "the last 25 letters and digits of the payment id")
	})
	t.Run("draws a PNG QR code", func(t *testing.T) {
		img, err := QRCodePNG(p)
		require.NoError(t, err)
		decoded, err := png.Decode(bytes.NewReader(img))
		require.NoError(t, err)
		assert.Equal(t, 256, decoded.Bounds().Dx())
	})
}

func TestSignature(t *testing.T) {
	t.Parallel()
	secret := []byte("segredo-compartilhado")
	body := []byte(`{"id":"evt_1"}`)
	sig := Sign(secret, body)
	t.Run("verifies its own signature", func(t *testing.T) { assert.True(t, Verify(secret, body, sig)) })
	t.Run("refuses a tampered body", func(t *testing.T) { assert.False(t, Verify(secret, []byte(`{"id":"evt_2"}`), sig)) })
	t.Run("refuses another secret", func(t *testing.T) { assert.False(t, Verify([]byte("outro"), body, sig)) })
	t.Run("refuses a missing or malformed signature", func(t *testing.T) {
		assert.False(t, Verify(secret, body, ""))
		assert.False(t, Verify(secret, body, strings.TrimPrefix(sig, "sha256=")))
		assert.False(t, Verify(secret, body, "sha256=zz"))
	})
	t.Run("refuses everything with no secret", func(t *testing.T) { assert.False(t, Verify(nil, body, Sign(nil, body))) })
}

type inbox struct {
	mu     sync.Mutex
	bodies [][]byte
	sigs   []string
}

func (b *inbox) Notify(_ context.Context, body []byte, sig string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.bodies, b.sigs = append(b.bodies, body), append(b.sigs, sig)
	return nil
}

func (b *inbox) types(t *testing.T) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, body := range b.bodies {
		var e struct{ Type string }
		require.NoError(t, json.Unmarshal(body, &e))
		out = append(out, e.Type)
	}
	return out
}

func TestSimulator(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 4, 20, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	ctx := context.Background()
	secret := []byte("segredo")
	newSim := func() (*Simulator, *inbox) {
		in := &inbox{}
		return NewSimulator(SimConfig{Secret: secret, Notifier: in, Now: clock}), in
	}
	card := func(id, number string) ChargeRequest {
		return ChargeRequest{PaymentID: id, Amount: 4000, Method: Card, CardToken: TokenPrefix + number, Installments: 1}
	}
	t.Run("an approving card is approved at once and notified", func(t *testing.T) {
		t.Parallel()
		s, in := newSim()
		c, err := s.Charge(ctx, card("pay-1", CardApproves))
		require.NoError(t, err)
		assert.Equal(t, Approved, c.Status)
		assert.Equal(t, &CardInfo{Brand: "VISA", Last4: "1111", Installments: 1}, c.Card)
		s.Flush()
		assert.Equal(t, []string{"payment.approved"}, in.types(t))
		assert.True(t, Verify(secret, in.bodies[0], in.sigs[0]), "webhooks are signed")
	})
	t.Run("a declining card is declined with a reason", func(t *testing.T) {
		t.Parallel()
		s, _ := newSim()
		c, err := s.Charge(ctx, card("pay-1", CardDeclines))
		require.NoError(t, err)
		assert.Equal(t, Declined, c.Status)
		assert.NotEmpty(t, c.DeclineReason)
		assert.Zero(t, s.Captures())
	})
	t.Run("a token the simulator never issued is refused, charges nothing and keeps nothing", func(t *testing.T) {
		t.Parallel()
		s, in := newSim()
		for _, token := range []string{TokenPrefix + "4242424242424242", "tok_4111111111111111", "4111111111111111", TokenPrefix} {
			_, err := s.Charge(ctx, ChargeRequest{PaymentID: "pay-1", Amount: 4000, Method: Card, CardToken: token, Installments: 1})
			assert.ErrorIs(t, err, ErrInvalidToken, token)
		}
		c, err := s.Charge(ctx, card("pay-1", CardApproves))
		require.NoError(t, err)
		assert.Equal(t, Approved, c.Status, "the same payment id is charged with a known token")
		assert.Equal(t, 1, s.Captures())
		s.Flush()
		assert.Equal(t, []string{"payment.approved"}, in.types(t), "no webhook for a refused token")
	})
	t.Run("a card that times out is pending until settled by webhook", func(t *testing.T) {
		t.Parallel()
		s, in := newSim()
		c, err := s.Charge(ctx, card("pay-1", CardTimesOut))
		require.NoError(t, err)
		assert.Equal(t, Pending, c.Status)
		require.NoError(t, s.Settle("pay-1", true))
		s.Flush()
		assert.Equal(t, []string{"payment.approved"}, in.types(t))
	})
	t.Run("charging again with the same payment id charges once", func(t *testing.T) {
		t.Parallel()
		s, _ := newSim()
		a, err := s.Charge(ctx, card("pay-1", CardApproves))
		require.NoError(t, err)
		b, err := s.Charge(ctx, card("pay-1", CardApproves))
		require.NoError(t, err)
		assert.Equal(t, a.Reference, b.Reference)
		assert.Equal(t, 1, s.Captures())
	})
	t.Run("an unreachable provider charges nothing", func(t *testing.T) {
		t.Parallel()
		s, _ := newSim()
		s.SetUnreachable(true)
		_, err := s.Charge(ctx, card("pay-1", CardApproves))
		assert.ErrorIs(t, err, ErrUnavailable)
		s.SetUnreachable(false)
		c, err := s.Charge(ctx, card("pay-1", CardApproves))
		require.NoError(t, err)
		assert.Equal(t, Approved, c.Status)
		assert.Equal(t, 1, s.Captures())
	})
	t.Run("a lost answer is asked again without a second charge", func(t *testing.T) {
		t.Parallel()
		s, _ := newSim()
		s.LoseNextResponse()
		_, err := s.Charge(ctx, card("pay-1", CardApproves))
		assert.ErrorIs(t, err, ErrUnavailable)
		c, err := s.Charge(ctx, card("pay-1", CardApproves))
		require.NoError(t, err)
		assert.Equal(t, Approved, c.Status)
		assert.Equal(t, 1, s.Captures())
	})
	t.Run("a Pix charge carries a BR Code and QR, never outlives its expiry, and is paid by webhook", func(t *testing.T) {
		t.Parallel()
		s, in := newSim()
		_, err := s.Charge(ctx, ChargeRequest{PaymentID: "pay-1", Amount: 4000, Method: Pix})
		assert.Error(t, err, "a Pix charge needs an expiry")
		c, err := s.Charge(ctx, ChargeRequest{PaymentID: "pay-2", Amount: 4000, Method: Pix, ExpiresAt: now.Add(5 * time.Minute)})
		require.NoError(t, err)
		assert.Equal(t, Pending, c.Status)
		require.NotNil(t, c.Pix)
		assert.Equal(t, now.Add(5*time.Minute), c.Pix.ExpiresAt)
		assert.Contains(t, c.Pix.CopyPaste, "540540.00")
		assert.NotEmpty(t, c.Pix.QRCodePNG)
		require.NoError(t, s.PayPix("pay-2"))
		assert.Error(t, s.PayPix("pay-2"), "paid once")
		require.NoError(t, s.Refund(ctx, RefundRequest{PaymentID: "pay-2", Amount: 4000}))
		require.NoError(t, s.Refund(ctx, RefundRequest{PaymentID: "pay-2", Amount: 4000}), "refunding again is a no-op")
		s.Flush()
		assert.ElementsMatch(t, []string{"payment.approved", "payment.refunded"}, in.types(t), "webhooks arrive in any order")
	})
	t.Run("a Pix charge past its expiry cannot be paid and expires", func(t *testing.T) {
		t.Parallel()
		later := now
		s := NewSimulator(SimConfig{Secret: secret, Now: func() time.Time { return later }})
		_, err := s.Charge(ctx, ChargeRequest{PaymentID: "pay-1", Amount: 4000, Method: Pix, ExpiresAt: now.Add(time.Minute)})
		require.NoError(t, err)
		later = now.Add(time.Minute)
		assert.Error(t, s.PayPix("pay-1"))
		assert.Equal(t, 1, s.ExpireDue())
	})
	t.Run("a refund of a charge never approved fails", func(t *testing.T) {
		t.Parallel()
		s, _ := newSim()
		_, err := s.Charge(ctx, card("pay-1", CardDeclines))
		require.NoError(t, err)
		assert.Error(t, s.Refund(ctx, RefundRequest{PaymentID: "pay-1", Amount: 4000}))
	})
	t.Run("a synchronous simulator delivers the webhook before the charge returns", func(t *testing.T) {
		t.Parallel()
		in := &inbox{}
		s := NewSimulator(SimConfig{Secret: secret, Notifier: in, Now: clock, Synchronous: true})
		_, err := s.Charge(ctx, card("pay-1", CardApproves))
		require.NoError(t, err)
		assert.Equal(t, []string{"payment.approved"}, in.types(t), "delivered already, with no Flush")
	})
	t.Run("two simulators on one ledger settle and refund each other's charges, with one event id per move", func(t *testing.T) {
		t.Parallel()
		ledger := NewMemoryLedger()
		inA, inB := &inbox{}, &inbox{}
		a := NewSimulator(SimConfig{Secret: secret, Notifier: inA, Now: clock, Ledger: ledger, Synchronous: true})
		b := NewSimulator(SimConfig{Secret: secret, Notifier: inB, Now: clock, Ledger: ledger, Synchronous: true})
		first, err := a.Charge(ctx, card("pay-1", CardTimesOut))
		require.NoError(t, err)
		again, err := b.Charge(ctx, card("pay-1", CardTimesOut))
		require.NoError(t, err)
		assert.Equal(t, first.Reference, again.Reference, "the other simulator answers with the same charge")
		require.NoError(t, b.Settle("pay-1", true))
		require.NoError(t, a.Refund(ctx, RefundRequest{PaymentID: "pay-1", Amount: 4000}))
		require.NoError(t, b.Refund(ctx, RefundRequest{PaymentID: "pay-1", Amount: 4000}), "refunded already: nothing to do")
		assert.Equal(t, []string{"payment.approved"}, inB.types(t))
		assert.Equal(t, []string{"payment.refunded"}, inA.types(t))
		var ids []string
		for _, body := range append(inA.bodies, inB.bodies...) {
			var e struct{ ID string }
			require.NoError(t, json.Unmarshal(body, &e))
			ids = append(ids, e.ID)
		}
		assert.Equal(t, []string{"evt_pay1_refunded", "evt_pay1_approved"}, ids, "distinct ids, whichever simulator sent them")
	})
	t.Run("cancelling an unpaid Pix expires it, once, and leaves any other charge as it is", func(t *testing.T) {
		t.Parallel()
		s, in := newSim()
		_, err := s.Charge(ctx, ChargeRequest{PaymentID: "pay-1", Amount: 4000, Method: Pix, ExpiresAt: now.Add(time.Minute)})
		require.NoError(t, err)
		_, err = s.Charge(ctx, card("pay-2", CardApproves))
		require.NoError(t, err)
		require.NoError(t, s.Cancel(ctx, CancelRequest{PaymentID: "pay-1"}))
		require.NoError(t, s.Cancel(ctx, CancelRequest{PaymentID: "pay-1"}), "cancelling again does nothing")
		require.NoError(t, s.Cancel(ctx, CancelRequest{PaymentID: "pay-2"}), "an approved card stays approved")
		require.NoError(t, s.Cancel(ctx, CancelRequest{PaymentID: "pay-9"}), "an unknown charge is no error")
		assert.Error(t, s.PayPix("pay-1"), "a cancelled Pix cannot be paid")
		require.NoError(t, s.Refund(ctx, RefundRequest{PaymentID: "pay-2", Amount: 4000}), "the card is still approved")
		s.Flush()
		assert.ElementsMatch(t, []string{"payment.expired", "payment.approved", "payment.refunded"}, in.types(t))
	})
}

func TestSimulatorWebhooks(t *testing.T) {
	t.Parallel()
	secret := []byte("segredo-compartilhado")
	w := SimulatorWebhooks{Secret: secret}
	at := time.Date(2026, 12, 4, 20, 0, 0, 0, time.UTC)
	sent := Event{ID: "evt_1", Type: EventApproved, OccurredAt: at, PaymentID: "pay-1", Reference: "ch_1", Amount: 4000}
	body, err := EncodeEvent(sent)
	require.NoError(t, err)
	headers := func(sig string) func(string) string {
		return func(name string) string {
			if name == "X-Signature" {
				return sig
			}
			return ""
		}
	}
	t.Run("reads a signed event as it was sent", func(t *testing.T) {
		got, err := w.Event(body, headers(Sign(secret, body)), at)
		require.NoError(t, err)
		assert.Equal(t, sent, got)
	})
	t.Run("refuses a missing or wrong signature", func(t *testing.T) {
		_, err := w.Event(body, headers(""), at)
		assert.ErrorIs(t, err, ErrSignature)
		_, err = w.Event(body, headers(Sign([]byte("outro-segredo"), body)), at)
		assert.ErrorIs(t, err, ErrSignature)
	})
	t.Run("refuses a well-signed event replayed too late", func(t *testing.T) {
		_, err := w.Event(body, headers(Sign(secret, body)), at.Add(WebhookTolerance))
		require.NoError(t, err, "a retry within the tolerance is read")
		_, err = w.Event(body, headers(Sign(secret, body)), at.Add(WebhookTolerance+time.Second))
		assert.ErrorIs(t, err, ErrSignature)
	})
	t.Run("refuses a signed body that is not an event", func(t *testing.T) {
		bad := []byte("not json")
		_, err := w.Event(bad, headers(Sign(secret, bad)), at)
		require.Error(t, err)
		assert.NotErrorIs(t, err, ErrSignature)
	})
}
