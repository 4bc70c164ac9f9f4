package mail

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"net/textproto"
	"strings"
	"time"
	"unicode/utf8"
)

// NoticeHeader carries a Message's Key.
const NoticeHeader = "X-Bilhetagem-Notice"

// MessageID is the Message-ID of the message with the given key, angle
// brackets included: the same key always gives the same id.
func MessageID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "<" + hex.EncodeToString(sum[:16]) + "@bilhetagem>"
}

// Build writes m, from from, dated now, as a MIME message ready for SMTP's
// DATA or a raw send: multipart/related holding a multipart/alternative
// (text/plain, then text/html, both quoted-printable UTF-8) and the inline
// images (base64, with their Content-ID), or the multipart/alternative
// alone when there are no images. The subject is an encoded word when it
// is not ASCII. Lines end in CRLF. The same message, sender and instant
// give the same bytes: the boundaries come from the key.
func Build(m Message, from string, now time.Time) ([]byte, error) {
	fromAddr, err := netmail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("mail: from %q: %w", from, err)
	}
	toAddr, err := netmail.ParseAddress(m.To)
	if err != nil {
		return nil, fmt.Errorf("mail: to %q: %w", m.To, err)
	}
	if err := checkKey(m.Key); err != nil {
		return nil, err
	}
	if strings.TrimSpace(m.Subject) == "" || strings.ContainsAny(m.Subject, "\r\n") || !utf8.ValidString(m.Subject) {
		return nil, fmt.Errorf("mail: subject %q is empty, not UTF-8 or more than one line", m.Subject)
	}
	if m.Text == "" || m.HTML == "" {
		return nil, errors.New("mail: a message has both a text and an HTML part")
	}
	if !utf8.ValidString(m.Text) || !utf8.ValidString(m.HTML) {
		return nil, errors.New("mail: the text or the HTML part is not UTF-8")
	}
	seen := map[string]bool{}
	for _, in := range m.Inline {
		if err := checkInline(in); err != nil {
			return nil, err
		}
		if seen[in.ContentID] {
			return nil, fmt.Errorf("mail: two inline parts have Content-ID %q", in.ContentID)
		}
		seen[in.ContentID] = true
	}

	sum := sha256.Sum256([]byte(m.Key))
	tag := hex.EncodeToString(sum[16:28])
	// "=_" can be in neither a quoted-printable nor a base64 body, so no
	// part can contain the boundaries.
	altBoundary, relBoundary := "=_alt_"+tag, "=_rel_"+tag

	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("MIME-Version", "1.0")
	header("Date", now.UTC().Format(time.RFC1123Z))
	header("From", fromAddr.String())
	header("To", toAddr.String())
	header("Subject", encodeSubject(m.Subject))
	header("Message-ID", MessageID(m.Key))
	header(NoticeHeader, m.Key)
	header("Auto-Submitted", "auto-generated")

	if len(m.Inline) == 0 {
		header("Content-Type", fold(mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": altBoundary})))
		b.WriteString("\r\n")
		if err := writeAlternative(&b, altBoundary, m); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}

	header("Content-Type", fold(mime.FormatMediaType("multipart/related", map[string]string{"boundary": relBoundary, "type": "multipart/alternative"})))
	b.WriteString("\r\n")
	rel := multipart.NewWriter(&b)
	if err := rel.SetBoundary(relBoundary); err != nil {
		return nil, err
	}
	alt, err := rel.CreatePart(textproto.MIMEHeader{
		"Content-Type": {fold(mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": altBoundary}))},
	})
	if err != nil {
		return nil, err
	}
	if err := writeAlternative(alt, altBoundary, m); err != nil {
		return nil, err
	}
	for _, in := range m.Inline {
		name := inlineFileName(in)
		w, err := rel.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {mime.FormatMediaType(in.ContentType, map[string]string{"name": name})},
			"Content-Transfer-Encoding": {"base64"},
			"Content-ID":                {"<" + in.ContentID + ">"},
			"Content-Disposition":       {mime.FormatMediaType("inline", map[string]string{"filename": name})},
		})
		if err != nil {
			return nil, err
		}
		if err := writeBase64(w, in.Data); err != nil {
			return nil, err
		}
	}
	if err := rel.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeAlternative writes the text and the HTML part as a
// multipart/alternative body, the plainer one first.
func writeAlternative(w io.Writer, boundary string, m Message) error {
	alt := multipart.NewWriter(w)
	if err := alt.SetBoundary(boundary); err != nil {
		return err
	}
	for _, p := range []struct{ typ, body string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		pw, err := alt.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {mime.FormatMediaType(p.typ, map[string]string{"charset": "UTF-8"})},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return err
		}
		qp := quotedprintable.NewWriter(pw)
		if _, err := io.WriteString(qp, p.body); err != nil {
			return err
		}
		if err := qp.Close(); err != nil {
			return err
		}
	}
	return alt.Close()
}

// writeBase64 writes data as base64 in lines of 76 characters.
func writeBase64(w io.Writer, data []byte) error {
	enc := base64.StdEncoding.EncodeToString(data)
	for len(enc) > 0 {
		n := min(76, len(enc))
		if _, err := io.WriteString(w, enc[:n]+"\r\n"); err != nil {
			return err
		}
		enc = enc[n:]
	}
	return nil
}

// fold puts each parameter of a header value on a line of its own, to keep
// lines short.
func fold(v string) string { return strings.ReplaceAll(v, "; ", ";\r\n\t") }

// encodeSubject leaves an ASCII subject as it is and writes any other as
// UTF-8 encoded words, one per folded line.
func encodeSubject(s string) string {
	enc := mime.QEncoding.Encode("UTF-8", s)
	return strings.ReplaceAll(enc, "?= =?UTF-8?q?", "?=\r\n =?UTF-8?q?")
}

// checkKey accepts a key that can stand in a header as it is: printable
// ASCII, at most 200 characters.
func checkKey(k string) error {
	if strings.TrimSpace(k) == "" || len(k) > 200 {
		return fmt.Errorf("mail: key %q is empty or longer than 200 characters", k)
	}
	for _, r := range k {
		if r < 0x20 || r > 0x7e {
			return fmt.Errorf("mail: key %q has a character other than printable ASCII", k)
		}
	}
	return nil
}

// checkInline accepts an image with a Content-ID that can be written
// between angle brackets and used in a cid: URL as it is.
func checkInline(in Inline) error {
	if in.ContentID == "" || strings.ContainsFunc(in.ContentID, func(r rune) bool {
		return r <= 0x20 || r >= 0x7f || strings.ContainsRune(`<>"()[]\,;:%`, r)
	}) {
		return fmt.Errorf("mail: inline Content-ID %q is empty or has a character a cid: URL would have to escape", in.ContentID)
	}
	if _, _, err := mime.ParseMediaType(in.ContentType); err != nil || !strings.Contains(in.ContentType, "/") {
		return fmt.Errorf("mail: inline %s: content type %q: %v", in.ContentID, in.ContentType, err)
	}
	if len(in.Data) == 0 {
		return fmt.Errorf("mail: inline %s has no data", in.ContentID)
	}
	return nil
}

// inlineFileName names an inline image after its Content-ID, for the
// clients that show it as an attachment too.
func inlineFileName(in Inline) string {
	name, _, _ := strings.Cut(in.ContentID, "@")
	ext := map[string]string{"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp"}
	mt, _, _ := mime.ParseMediaType(in.ContentType)
	return name + ext[mt]
}
