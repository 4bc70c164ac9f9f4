package mail

import (
	"context"
	"fmt"
	"net"
	netmail "net/mail"
	"net/smtp"
	"time"
)

// SMTP sends messages to an SMTP server with neither authentication nor
// TLS: a local catcher such as Mailpit, not a relay on the internet.
type SMTP struct {
	Addr string // host:port
	From string // "Bilhetagem <ingressos@bilhetagem.example>"
	// Now dates the messages; nil means time.Now.
	Now func() time.Time
}

var _ Sender = SMTP{}

// Send builds m and hands it to the server in one SMTP session. The
// context's deadline bounds the whole session, and cancelling the context
// ends it.
func (s SMTP) Send(ctx context.Context, m Message) (err error) {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	data, err := Build(m, s.From, now())
	if err != nil {
		return err
	}
	// Build parsed both already.
	from, _ := netmail.ParseAddress(s.From)
	to, _ := netmail.ParseAddress(m.To)

	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("mail: smtp %s: %w", s.Addr, err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		if err := conn.SetDeadline(dl); err != nil {
			return fmt.Errorf("mail: smtp %s: %w", s.Addr, err)
		}
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	defer func() {
		if err != nil && ctx.Err() != nil {
			err = fmt.Errorf("%w: %w", err, ctx.Err())
		}
	}()

	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return fmt.Errorf("mail: smtp address %q: %w", s.Addr, err)
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return fmt.Errorf("mail: smtp %s: %w", s.Addr, err)
	}
	defer c.Close()
	if err := c.Mail(from.Address); err != nil {
		return fmt.Errorf("mail: smtp %s: MAIL FROM: %w", s.Addr, err)
	}
	if err := c.Rcpt(to.Address); err != nil {
		return fmt.Errorf("mail: smtp %s: RCPT TO: %w", s.Addr, err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("mail: smtp %s: DATA: %w", s.Addr, err)
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("mail: smtp %s: DATA: %w", s.Addr, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("mail: smtp %s: end of DATA: %w", s.Addr, err)
	}
	// The server took the message when it answered the end of DATA: a
	// failed QUIT must not make the caller send it again.
	_ = c.Quit()
	return nil
}
