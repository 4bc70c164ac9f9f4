package mail_test

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"github.com/skip2/go-qrcode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/mail"
)

// assertSays checks that both parts of m say each of the phrases: the HTML
// one as a reader sees it, without markup. Line breaks and colons do not
// count: a table's row reads "Sala Sala 3" where the text says "Sala: Sala 3".
func assertSays(t *testing.T, m mail.Message, phrases ...string) {
	t.Helper()
	norm := func(s string) string { return strings.Join(strings.Fields(strings.ReplaceAll(s, ":", " ")), " ") }
	html, text := norm(visibleText(m.HTML)), norm(m.Text)
	for _, p := range phrases {
		assert.Contains(t, html, norm(p), "the HTML part")
		assert.Contains(t, text, norm(p), "the text part")
	}
}

func qr(t *testing.T, payload string) []byte {
	t.Helper()
	b, err := qrcode.Encode(payload, qrcode.Medium, 256)
	require.NoError(t, err)
	return b
}

func TestOrderConfirmed(t *testing.T) {
	v := orderConfirmed()
	m, err := mail.OrderConfirmed(v)
	require.NoError(t, err)

	assert.Equal(t, v.To, m.To)
	assert.Equal(t, v.Key, m.Key)
	assert.Equal(t, "Seus ingressos para Duna: Parte Dois — sáb., 12/12 21:30", m.Subject)
	assertSays(t, m,
		"Olá, Ana!",
		"Filme Duna: Parte Dois", "Cinema Cine Paulista", "Sala Sala 3",
		"sábado, 12 de dezembro, 21:30",
		"Ingresso 1 de 2: assento F7", "Tipo: Inteira", "Preço: R$ 42,00", "Código do ingresso: TKT-F7-9QX2",
		"Ingresso 2 de 2: assento F8", "Tipo: Meia", "Preço: R$ 21,00", "Código do ingresso: TKT-F8-3MZ7",
		"Bomboniere", "2 × Pipoca grande, manteiga", "1 × Refrigerante 500 ml",
		"Código de retirada: K7P2Q9",
		"Recibo", "Pedido ord-7f3a",
		"Ingresso Inteira, assento F7", "Ingresso Meia, assento F8",
		"Pipoca grande, manteiga (R$ 29,90 cada)", "R$ 59,80", "R$ 12,90",
		"Taxa de conveniência", "R$ 6,30",
		"Total", "R$ 142,00",
		"Forma de pagamento", "Cartão Visa •••• 4242 em 2x",
		"Ver o recibo do pedido ord-7f3a",
	)
	assert.Contains(t, m.Text, v.ReceiptURL)
	assert.Contains(t, m.HTML, `<a href="https://ingressos.example.com/pedidos/ord-7f3a/recibo"`)
	assert.Contains(t, m.HTML, `<th scope="col"`)
	assert.Contains(t, m.HTML, `<th scope="row"`)

	// One QR code per ticket, then the pickup's, each shown by its cid:
	// and described by its alt text; a ticket without a QR payload draws
	// its code.
	require.Len(t, m.Inline, 3)
	want := []struct{ cid, alt, payload string }{
		{"ingresso-1@bilhetagem", "QR code do ingresso, assento F7", "bilhetagem:ticket:tkt-f7-9qx2"},
		{"ingresso-2@bilhetagem", "QR code do ingresso, assento F8", "TKT-F8-3MZ7"},
		{"retirada@bilhetagem", "QR code de retirada da bomboniere, código K7P2Q9", "K7P2Q9"},
	}
	for i, w := range want {
		in := m.Inline[i]
		assert.Equal(t, w.cid, in.ContentID)
		assert.Equal(t, "image/png", in.ContentType)
		assert.Equal(t, qr(t, w.payload), in.Data, "the QR code of %s", w.payload)
		img, err := png.Decode(bytes.NewReader(in.Data))
		if assert.NoError(t, err) {
			assert.Equal(t, 256, img.Bounds().Dx())
		}
		assert.Contains(t, m.HTML, `src="cid:`+w.cid+`" alt="`+w.alt+`"`)
	}
}

func TestOrderConfirmedWithoutConcessions(t *testing.T) {
	v := orderConfirmed()
	v.Concessions, v.PickupCode = nil, ""
	v.ConvenienceFee = 0
	v.Total = 4200 + 2100
	v.PaymentMethod = "Pix"
	m, err := mail.OrderConfirmed(v)
	require.NoError(t, err)

	require.Len(t, m.Inline, 2, "the tickets' QR codes only")
	for _, s := range []string{m.HTML, m.Text} {
		assert.NotContains(t, s, "Bomboniere")
		assert.NotContains(t, s, "retirada")
		assert.NotContains(t, s, "Taxa de conveniência", "no fee line when there is no fee")
	}
	assertSays(t, m, "Total", "R$ 63,00", "Forma de pagamento", "Pix")
}

func TestShowtimeCancelled(t *testing.T) {
	v := showtimeCancelled()
	m, err := mail.ShowtimeCancelled(v)
	require.NoError(t, err)
	assert.Equal(t, "Sessão cancelada: Duna: Parte Dois — sáb., 12/12 21:30", m.Subject)
	assertSays(t, m,
		"O cinema cancelou a sessão de Duna: Parte Dois de sábado, 12 de dezembro, 21:30",
		"o seu pedido ord-7f3a foi reembolsado",
		"Motivo do cancelamento: falha no projetor da sala",
		"Cinema Cine Paulista", "Sala Sala 3",
		"Valor reembolsado", "R$ 142,00",
		"Forma de reembolso", "Cartão Visa •••• 4242",
		"Os ingressos deste pedido não valem mais.",
		"Ver o pedido ord-7f3a",
	)
	assert.Contains(t, m.Text, v.OrderURL)
	assert.Empty(t, m.Inline)

	v.Reason = ""
	m, err = mail.ShowtimeCancelled(v)
	require.NoError(t, err)
	assert.NotContains(t, m.HTML+m.Text, "Motivo")
}

func TestShowtimeRescheduled(t *testing.T) {
	v := showtimeRescheduled()
	m, err := mail.ShowtimeRescheduled(v)
	require.NoError(t, err)
	assert.Equal(t, "Sessão remarcada: Duna: Parte Dois — agora dom., 13/12 20:00", m.Subject)
	assertSays(t, m,
		"agora ela começa domingo, 13 de dezembro, 20:00",
		"Motivo da mudança: manutenção do ar-condicionado",
		"Horário anterior sábado, 12 de dezembro, 21:30 (não vale mais)",
		"Novo horário domingo, 13 de dezembro, 20:00",
		"Manter os ingressos: você não precisa fazer nada.",
		"Cancelar e receber o reembolso: até domingo, 13 de dezembro, 20:00",
		"devolvemos R$ 142,00, o valor integral",
		"Ver o pedido ord-7f3a",
	)
	assert.Contains(t, m.Text, v.OrderURL)
	assert.Contains(t, m.HTML, `<a href="`+v.OrderURL+`"`)
}

func TestRefundDone(t *testing.T) {
	v := refundDone()
	m, err := mail.RefundDone(v)
	require.NoError(t, err)
	assert.Equal(t, "Reembolso de R$ 142,00 concluído — Duna: Parte Dois", m.Subject)
	assertSays(t, m,
		"Devolvemos R$ 142,00 do seu pedido ord-7f3a, de Duna: Parte Dois (sábado, 12 de dezembro, 21:30)",
		"Valor reembolsado", "Forma de reembolso", "Pix",
		"Cine Paulista, Sala 3",
		"Ver o pedido ord-7f3a",
	)
	assert.Contains(t, m.Text, v.OrderURL)
}

func TestTicketsVoided(t *testing.T) {
	v := ticketsVoided()
	m, err := mail.TicketsVoided(v)
	require.NoError(t, err)
	assert.Equal(t, "Ingressos cancelados: Duna: Parte Dois — sáb., 12/12 21:30", m.Subject)
	assertSays(t, m,
		"O pagamento do seu pedido ord-7f3a foi contestado junto ao emissor do cartão",
		"o valor de R$ 142,00 voltou para você",
		"os ingressos deste pedido foram cancelados",
		"Assento F7", "Assento F8",
		"O que isso significa",
		"não dão mais entrada na sessão",
		"fale com o emissor do seu cartão",
		"escreva para atendimento@bilhetagem.example",
		"Ver o pedido ord-7f3a",
	)
	assert.Contains(t, m.HTML, `href="mailto:atendimento@bilhetagem.example"`)
}

// A movie title, a seat or a label is data: the HTML part shows it as
// text, never as markup, wherever it stands.
func TestHTMLEscapesWhatTheCallerGives(t *testing.T) {
	const evil = `<script>alert("x")</script>`
	v := orderConfirmed()
	v.Showtime.Movie = "Duna " + evil
	v.Tickets[0].Seat = `F7" onerror="alert(1)`
	v.PaymentMethod = "Pix <b>"
	m, err := mail.OrderConfirmed(v)
	require.NoError(t, err)

	assert.NotContains(t, m.HTML, "<script")
	assert.NotContains(t, m.HTML, `" onerror="`)
	assert.NotContains(t, m.HTML, "<b>")
	assert.Contains(t, m.HTML, "<title>Seus ingressos para Duna &lt;script&gt;")
	assert.Contains(t, m.HTML, "Duna &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;")
	assert.Contains(t, visibleText(m.HTML), "Duna "+evil, "shown as the text it is")
	assert.Contains(t, m.HTML, `alt="QR code do ingresso, assento F7&#34; onerror=&#34;alert(1)"`)
	// The text part is plain text: it says the title as it is.
	assert.Contains(t, m.Text, "Duna "+evil)
	assert.Contains(t, m.Subject, "Duna "+evil)
}

// Links are the caller's: one that is not http(s) is refused, not rendered.
func TestRenderersRefuseIncompleteViews(t *testing.T) {
	t.Run("missing fields", func(t *testing.T) {
		_, err := mail.OrderConfirmed(mail.OrderConfirmedView{})
		require.Error(t, err)
		for _, f := range []string{"To", "Key", "OrderID", "Showtime.Movie", "Showtime.Start", "no Tickets", "PaymentMethod", "ReceiptURL"} {
			assert.Contains(t, err.Error(), f)
		}
		_, err = mail.ShowtimeCancelled(mail.ShowtimeCancelledView{})
		assert.ErrorContains(t, err, "Refund")
		_, err = mail.ShowtimeRescheduled(mail.ShowtimeRescheduledView{})
		assert.ErrorContains(t, err, "OldStart")
		_, err = mail.RefundDone(mail.RefundDoneView{})
		assert.ErrorContains(t, err, "Amount")
		_, err = mail.TicketsVoided(mail.TicketsVoidedView{})
		assert.ErrorContains(t, err, "SupportEmail")
	})
	t.Run("a receipt that does not add up", func(t *testing.T) {
		v := orderConfirmed()
		v.Total++
		_, err := mail.OrderConfirmed(v)
		assert.ErrorContains(t, err, "add up to R$ 142,00, not Total R$ 142,01")
	})
	t.Run("concessions without a pickup code", func(t *testing.T) {
		v := orderConfirmed()
		v.PickupCode = ""
		_, err := mail.OrderConfirmed(v)
		assert.ErrorContains(t, err, "PickupCode")
	})
	t.Run("a link that is not http(s)", func(t *testing.T) {
		v := orderConfirmed()
		v.ReceiptURL = "javascript:alert(1)"
		_, err := mail.OrderConfirmed(v)
		assert.ErrorContains(t, err, "ReceiptURL")
		c := showtimeCancelled()
		c.OrderURL = "/pedidos/ord-7f3a"
		_, err = mail.ShowtimeCancelled(c)
		assert.ErrorContains(t, err, "OrderURL")
	})
	t.Run("a support address with a name", func(t *testing.T) {
		v := ticketsVoided()
		v.SupportEmail = "Atendimento <atendimento@bilhetagem.example>"
		_, err := mail.TicketsVoided(v)
		assert.ErrorContains(t, err, "SupportEmail")
	})
}

// A line break in a title never reaches a subject: it would end the header.
func TestSubjectsAreOneLine(t *testing.T) {
	v := orderConfirmed()
	v.Showtime.Movie = "Duna:\r\nBcc: x@example.com"
	m, err := mail.OrderConfirmed(v)
	require.NoError(t, err)
	assert.Equal(t, "Seus ingressos para Duna: Bcc: x@example.com — sáb., 12/12 21:30", m.Subject)
}
