package mail_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/mail"
	"bilhetagem/internal/mail/mailpit"
)

// TestSMTPDeliversToMailpit sends an order's tickets to a real Mailpit and
// reads the message back through its API, parsed by its own MIME parser.
func TestSMTPDeliversToMailpit(t *testing.T) {
	mp := mailpit.Start(t)
	m, err := mail.OrderConfirmed(orderConfirmed())
	require.NoError(t, err)
	var sender mail.Sender = mail.SMTP{Addr: mp.SMTPAddr, From: from, Now: func() time.Time { return sentAt }}
	require.NoError(t, sender.Send(t.Context(), m))

	list := mp.Messages(t)
	require.Len(t, list, 1)
	got := mp.Message(t, list[0].ID)

	assert.Equal(t, "Seus ingressos para Duna: Parte Dois — sáb., 12/12 21:30", got.Subject)
	assert.Equal(t, "ingressos@bilhetagem.example", got.From.Address)
	assert.Equal(t, "Bilhetagem", got.From.Name)
	require.Len(t, got.To, 1)
	assert.Equal(t, "ana@example.com", got.To[0].Address)
	assert.Equal(t, "Ana Souza", got.To[0].Name)
	assert.True(t, got.Date.Equal(sentAt), "dated by the sender's clock: %s", got.Date)

	// The text part as sent, and the HTML part with the tickets.
	assert.Equal(t, strings.TrimSpace(m.Text), strings.TrimSpace(lf([]byte(got.Text))))
	assert.Equal(t, strings.TrimSpace(m.HTML), strings.TrimSpace(lf([]byte(got.HTML))))
	assert.Contains(t, got.Text, "Código do ingresso: TKT-F7-9QX2")
	assert.Contains(t, got.Text, "Código de retirada: K7P2Q9")
	assert.Contains(t, got.HTML, `<html lang="pt-BR"`)
	assert.Contains(t, got.HTML, `alt="QR code do ingresso, assento F7"`)
	assert.Contains(t, got.HTML, `alt="QR code do ingresso, assento F8"`)
	assert.Contains(t, got.HTML, "R$ 142,00")
	assert.Contains(t, got.HTML, "Cartão Visa •••• 4242 em 2x")

	// Three inline PNGs, the ones rendered, each found by its Content-ID.
	require.Len(t, got.Inline, 3, "inline parts")
	assert.Empty(t, got.Attachments)
	for i, in := range m.Inline {
		p := got.Inline[i]
		assert.Equal(t, in.ContentID, p.ContentID)
		assert.Equal(t, "image/png", p.ContentType)
		assert.Contains(t, got.HTML, `src="cid:`+p.ContentID+`"`)
		assert.Equal(t, in.Data, mp.Part(t, got.ID, p.PartID), "the image of %s", in.ContentID)
	}

	// The idempotency key, and the Message-ID it fixes.
	assert.Equal(t, []string{"ORDER_CONFIRMED.ord-7f3a"}, got.Headers[mail.NoticeHeader])
	assert.Equal(t, strings.Trim(mail.MessageID(m.Key), "<>"), got.MessageID)

	// Sent again, it is the same message: Mailpit keeps both, with one
	// Message-ID.
	require.NoError(t, sender.Send(t.Context(), m))
	list = mp.Messages(t)
	require.Len(t, list, 2)
	assert.Equal(t, list[0].MessageID, list[1].MessageID)
}

func TestSMTPRefusesABadMessageBeforeConnecting(t *testing.T) {
	// Nothing listens there: a bad message fails before any dial.
	s := mail.SMTP{Addr: "127.0.0.1:1", From: from}
	err := s.Send(t.Context(), mail.Message{To: "ana@example.com\r\nBcc: x@example.com", Subject: "Oi", Text: "t", HTML: "h", Key: "k"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "to ")
}

// A server that never answers holds Send only until the context ends.
func TestSMTPStopsWhenTheContextEnds(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = l.Close() })
	ctx, cancel := context.WithCancel(t.Context())
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		accepted <- c
		// Connected and waiting for a greeting that never comes: now end it.
		cancel()
	}()
	m, err := mail.RefundDone(refundDone())
	require.NoError(t, err)
	err = mail.SMTP{Addr: l.Addr().String(), From: from}.Send(ctx, m)
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.Canceled), "%v", err)
	select {
	case c := <-accepted:
		_ = c.Close()
	default:
	}

	// A deadline already past ends it before it dials.
	past, stop := context.WithDeadline(t.Context(), time.Unix(0, 0))
	defer stop()
	err = mail.SMTP{Addr: l.Addr().String(), From: from}.Send(past, m)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)
}
