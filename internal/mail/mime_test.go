package mail_test

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/mail"
)

const from = "Bilhetagem <ingressos@bilhetagem.example>"

// sentAt is when the examples are sent: an instant the test gives, never
// the clock's.
var sentAt = time.Date(2026, 12, 10, 15, 4, 5, 0, time.UTC)

// part is one leaf of a parsed MIME message, its body decoded.
type part struct {
	header map[string][]string
	typ    string
	body   []byte
}

// parse reads a built message back with the standard library's parsers,
// as a client would, checking each multipart's type on the way down.
func parse(t *testing.T, raw []byte) (*netmail.Message, string, []part) {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	require.NoError(t, err)
	top, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	require.NoError(t, err)
	var leaves []part
	var walk func(r io.Reader, typ string, params map[string]string)
	walk = func(r io.Reader, typ string, params map[string]string) {
		mr := multipart.NewReader(r, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return
			}
			require.NoError(t, err, "a part of %s", typ)
			ct, ps, err := mime.ParseMediaType(p.Header.Get("Content-Type"))
			require.NoError(t, err)
			if strings.HasPrefix(ct, "multipart/") {
				walk(p, ct, ps)
				continue
			}
			var body io.Reader = p
			switch p.Header.Get("Content-Transfer-Encoding") {
			case "quoted-printable":
				body = quotedprintable.NewReader(p)
			case "base64":
				body = base64.NewDecoder(base64.StdEncoding, p)
			default:
				t.Fatalf("part %s has no transfer encoding", ct)
			}
			b, err := io.ReadAll(body)
			require.NoError(t, err)
			leaves = append(leaves, part{header: p.Header, typ: p.Header.Get("Content-Type"), body: b})
		}
	}
	walk(msg.Body, top, params)
	return msg, top, leaves
}

// lf turns the CRLF line ends of a text part on the wire back into Go's.
func lf(b []byte) string { return strings.ReplaceAll(string(b), "\r\n", "\n") }

func TestBuildOrderConfirmed(t *testing.T) {
	m, err := mail.OrderConfirmed(orderConfirmed())
	require.NoError(t, err)
	raw, err := mail.Build(m, from, sentAt)
	require.NoError(t, err)

	msg, top, parts := parse(t, raw)
	assert.Equal(t, "multipart/related", top)
	_, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	assert.Equal(t, "multipart/alternative", params["type"])

	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	require.NoError(t, err)
	assert.Equal(t, m.Subject, subject)
	assert.True(t, strings.HasPrefix(msg.Header.Get("Subject"), "=?UTF-8?q?"), "a non-ASCII subject is an encoded word")
	to, err := msg.Header.AddressList("To")
	require.NoError(t, err)
	assert.Equal(t, []*netmail.Address{{Name: "Ana Souza", Address: "ana@example.com"}}, to)
	fromAddr, err := msg.Header.AddressList("From")
	require.NoError(t, err)
	assert.Equal(t, []*netmail.Address{{Name: "Bilhetagem", Address: "ingressos@bilhetagem.example"}}, fromAddr)
	date, err := msg.Header.Date()
	require.NoError(t, err)
	assert.True(t, date.Equal(sentAt))
	assert.Equal(t, "ORDER_CONFIRMED.ord-7f3a", msg.Header.Get(mail.NoticeHeader))
	assert.Equal(t, mail.MessageID("ORDER_CONFIRMED.ord-7f3a"), msg.Header.Get("Message-ID"))
	assert.Regexp(t, `^<[0-9a-f]{32}@bilhetagem>$`, msg.Header.Get("Message-ID"))
	assert.Equal(t, "1.0", msg.Header.Get("MIME-Version"))
	assert.Equal(t, "auto-generated", msg.Header.Get("Auto-Submitted"))

	// The text, the HTML, then the three QR codes.
	require.Len(t, parts, 5)
	assert.Equal(t, "text/plain; charset=UTF-8", parts[0].typ)
	assert.Equal(t, m.Text, lf(parts[0].body), "the text part, lines ending in CRLF on the wire")
	assert.Equal(t, "text/html; charset=UTF-8", parts[1].typ)
	assert.Equal(t, m.HTML, lf(parts[1].body), "the HTML part, lines ending in CRLF on the wire")
	for i, in := range m.Inline {
		p := parts[2+i]
		assert.Equal(t, "<"+in.ContentID+">", p.header["Content-Id"][0])
		ct, _, _ := mime.ParseMediaType(p.typ)
		assert.Equal(t, "image/png", ct)
		disp, dparams, err := mime.ParseMediaType(p.header["Content-Disposition"][0])
		require.NoError(t, err)
		assert.Equal(t, "inline", disp)
		assert.True(t, strings.HasSuffix(dparams["filename"], ".png"))
		assert.Equal(t, in.Data, p.body)
	}

	// Every line ends in CRLF and is short enough for any relay.
	for _, line := range strings.Split(strings.TrimSuffix(string(raw), "\r\n"), "\r\n") {
		assert.NotContains(t, line, "\n")
		assert.LessOrEqual(t, len(line), 998)
		assert.Regexp(t, `^[\t\x20-\x7e]*$`, line, "7-bit")
	}
}

func TestBuildWithoutImagesIsAlternativeOnly(t *testing.T) {
	m, err := mail.RefundDone(refundDone())
	require.NoError(t, err)
	raw, err := mail.Build(m, from, sentAt)
	require.NoError(t, err)
	_, top, parts := parse(t, raw)
	assert.Equal(t, "multipart/alternative", top)
	require.Len(t, parts, 2)
	assert.Equal(t, m.Text, lf(parts[0].body), "the text part, lines ending in CRLF on the wire")
	assert.Equal(t, m.HTML, lf(parts[1].body), "the HTML part, lines ending in CRLF on the wire")
}

// The same notice gives the same bytes, so a duplicate send is the same
// message with the same Message-ID; another notice gives another id.
func TestBuildIsIdempotentByKey(t *testing.T) {
	m, err := mail.OrderConfirmed(orderConfirmed())
	require.NoError(t, err)
	a, err := mail.Build(m, from, sentAt)
	require.NoError(t, err)
	b, err := mail.Build(m, from, sentAt)
	require.NoError(t, err)
	assert.Equal(t, a, b)

	other := m
	other.Key = "ORDER_CONFIRMED.ord-8b1c"
	c, err := mail.Build(other, from, sentAt)
	require.NoError(t, err)
	ma, _ := netmail.ReadMessage(bytes.NewReader(a))
	mc, _ := netmail.ReadMessage(bytes.NewReader(c))
	assert.NotEqual(t, ma.Header.Get("Message-ID"), mc.Header.Get("Message-ID"))
	assert.Equal(t, mail.MessageID("ORDER_CONFIRMED.ord-8b1c"), mc.Header.Get("Message-ID"))
}

func TestBuildASCIISubjectStaysAsItIs(t *testing.T) {
	m := mail.Message{To: "ana@example.com", Subject: "Pedido ord-7f3a", Text: "ok", HTML: "<p>ok</p>", Key: "k-1"}
	raw, err := mail.Build(m, from, sentAt)
	require.NoError(t, err)
	msg, _, _ := parse(t, raw)
	assert.Equal(t, "Pedido ord-7f3a", msg.Header.Get("Subject"))
}

// Nothing the caller gives can add a header or break the structure.
func TestBuildRefusesWhatWouldBreakTheMessage(t *testing.T) {
	ok := mail.Message{To: "ana@example.com", Subject: "Oi", Text: "t", HTML: "<p>h</p>", Key: "k-1",
		Inline: []mail.Inline{{ContentID: "a@bilhetagem", ContentType: "image/png", Data: []byte{1}}}}
	_, err := mail.Build(ok, from, sentAt)
	require.NoError(t, err)

	for name, change := range map[string]func(m *mail.Message){
		"a header in To":          func(m *mail.Message) { m.To = "ana@example.com\r\nBcc: x@example.com" },
		"no To":                   func(m *mail.Message) { m.To = "" },
		"a header in the subject": func(m *mail.Message) { m.Subject = "Oi\r\nBcc: x@example.com" },
		"no subject":              func(m *mail.Message) { m.Subject = " " },
		"a header in the key":     func(m *mail.Message) { m.Key = "k\r\nBcc: x@example.com" },
		"no key":                  func(m *mail.Message) { m.Key = "" },
		"a non-ASCII key":         func(m *mail.Message) { m.Key = "sessão" },
		"no text part":            func(m *mail.Message) { m.Text = "" },
		"no HTML part":            func(m *mail.Message) { m.HTML = "" },
		"a Content-ID with >":     func(m *mail.Message) { m.Inline[0].ContentID = "a>b" },
		"a Content-ID with space": func(m *mail.Message) { m.Inline[0].ContentID = "a b" },
		"no content type":         func(m *mail.Message) { m.Inline[0].ContentType = "" },
		"no image data":           func(m *mail.Message) { m.Inline[0].Data = nil },
		"two images, one id": func(m *mail.Message) {
			m.Inline = append(m.Inline, m.Inline[0])
		},
	} {
		m := ok
		m.Inline = append([]mail.Inline(nil), ok.Inline...)
		change(&m)
		_, err := mail.Build(m, from, sentAt)
		assert.Error(t, err, name)
	}
	_, err = mail.Build(ok, "not an address", sentAt)
	assert.Error(t, err, "a bad From")
}
