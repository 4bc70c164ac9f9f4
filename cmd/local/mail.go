package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/mail"
	"bilhetagem/internal/mail/mailpit"
	"bilhetagem/internal/notify"
)

// startMail sends the buyer e-mails of this run: it follows the table's
// stream, as the notice mailer Lambda does in AWS, and sends through SMTP,
// to a Mailpit it starts (whose inbox it answers, to link at start) or to
// the -mail server. With -mail off nothing is sent.
func startMail(ctx context.Context, log *slog.Logger, o options, store *dynamo.Store, now func() time.Time) (string, func(), error) {
	var addr, inbox string
	stop := func() {}
	switch {
	case o.mail == "off":
		return "off", stop, nil
	case o.mail == "mailpit":
		db := filepath.Join(o.dataDir, "mailpit.db")
		if o.inMemory {
			db = filepath.Join(os.TempDir(), fmt.Sprintf("bilhetagem-mailpit-%d.db", os.Getpid()))
		}
		log.Info("starting mailpit (the first run installs it with go install)")
		pit, err := mailpit.Run(ctx, db)
		if err != nil {
			return "", stop, fmt.Errorf("-mail mailpit: %w (run with -mail off to send no e-mail)", err)
		}
		stop = func() {
			pit.Stop()
			if o.inMemory {
				for _, suffix := range []string{"", "-shm", "-wal"} {
					_ = os.Remove(db + suffix)
				}
			}
		}
		addr, inbox = pit.SMTPAddr, pit.APIURL
	case strings.HasPrefix(o.mail, "smtp://"):
		u, err := url.Parse(o.mail)
		if err != nil || u.Host == "" {
			return "", stop, fmt.Errorf("-mail %q: want smtp://host:port", o.mail)
		}
		addr, inbox = u.Host, o.mail
	default:
		return "", stop, fmt.Errorf("-mail %q: want mailpit, smtp://host:port or off", o.mail)
	}
	m := &notify.Mailer{Store: store, Sender: mail.SMTP{Addr: addr, From: "Bilhetagem <ingressos@bilhetagem.local>", Now: now},
		PublicURL: o.publicURL, Support: "ajuda@bilhetagem.local", Now: now, Log: log}
	if err := store.EnableStream(ctx); err != nil {
		stop()
		return "", func() {}, fmt.Errorf("mail: %w", err)
	}
	// A change that keeps failing is given up after a few tries, as the
	// Lambda's event source does (to its dead-letter queue in AWS).
	tries := map[notify.Change]int{}
	reader, err := store.NewStreamReader(ctx, true, func(ctx context.Context, c notify.Change) error {
		_, err := m.Handle(ctx, c)
		if err != nil {
			if tries[c]++; tries[c] >= 5 {
				log.Error("mail: given up", "type", c.Type, "order", c.OrderID, "kind", c.Kind, "error", err.Error())
				delete(tries, c)
				return nil
			}
			return err
		}
		delete(tries, c)
		return nil
	})
	if err != nil {
		stop()
		return "", func() {}, fmt.Errorf("mail: %w", err)
	}
	go reader.Follow(ctx, time.Second, func(err error) { log.Warn("mail: stream", "error", err.Error()) })
	return inbox, stop, nil
}
