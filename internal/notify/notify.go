// Package notify e-mails the buyer what happened to their orders: the order
// confirmed with its tickets, a showtime cancelled or rescheduled, a refund
// done, tickets voided after a chargeback (docs/adr/0613).
//
// It runs after the fact, from the table's stream (in AWS, a Lambda on the
// DynamoDB Stream; locally, a poller of DynamoDB Local's stream), never
// inside the buyer's request. Each e-mail has a key; a claim on the key
// makes one notice one e-mail, whatever the stream redelivers or however
// many senders race.
package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"strings"
	"time"

	"bilhetagem/internal/account"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/mail"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/programming"
	"bilhetagem/internal/tickets"
)

// Change is one write of the table the mailer may act on, read from a
// stream record: the item's kind, and for an order its status before and
// after; for a notice, whose and which.
type Change struct {
	Type       string // ORDER or NOTICE
	OrderID    string
	OldStatus  string
	NewStatus  string
	Buyer      string
	ShowtimeID string
	Kind       string
}

// Store is what the mailer reads, and its claims.
type Store interface {
	GetOrder(ctx context.Context, id string) (orders.Order, error)
	GetPayment(ctx context.Context, id string) (orders.Payment, error)
	OrderTickets(ctx context.Context, buyer, orderID string) ([]tickets.Ticket, error)
	OrdersByBuyer(ctx context.Context, buyer string, status orders.Status, limit int, cursor string) ([]orders.Order, string, error)
	GetNotice(ctx context.Context, buyer, showtimeID, kind string) (programming.Notice, error)
	Profile(ctx context.Context, sub string) (account.Profile, bool, error)
	Suppressed(ctx context.Context, address string) (bool, error)
	Suppress(ctx context.Context, address, reason string, at time.Time) error
	ClaimEmail(ctx context.Context, key string, now time.Time, lease time.Duration) (bool, error)
	EmailSent(ctx context.Context, key string, now time.Time) error
	ReleaseEmail(ctx context.Context, key string) error
}

// Lease is how long a claim keeps other senders off an e-mail: longer than
// one send takes.
const Lease = 2 * time.Minute

// Mailer renders and sends the e-mails.
type Mailer struct {
	Store  Store
	Sender mail.Sender
	// PublicURL is where the SPA is served ("https://d1234.cloudfront.net"),
	// for the links in e-mails.
	PublicURL string
	// Support is the address buyers write to about an order.
	Support string
	Now     func() time.Time
	Log     *slog.Logger
}

// Sent says what Handle did with one change.
type Sent string

const (
	SentNone       Sent = ""           // nothing to send for this change
	SentOne        Sent = "sent"       // an e-mail went out
	SentBefore     Sent = "duplicate"  // sent before, or being sent by another
	SentNoAddress  Sent = "no_address" // the buyer has no profile (or deleted it)
	SentSuppressed Sent = "suppressed" // the address bounced or complained
)

// Handle sends the e-mail a change calls for, once.
func (m *Mailer) Handle(ctx context.Context, c Change) (Sent, error) {
	switch c.Type {
	case "ORDER":
		switch {
		case c.NewStatus == string(orders.Paid) && c.OldStatus != string(orders.Paid):
			return m.orderConfirmed(ctx, c.OrderID)
		case c.NewStatus == string(orders.Refunded) && c.OldStatus != string(orders.Refunded):
			return m.refundDone(ctx, c.OrderID)
		}
	case "NOTICE":
		return m.notice(ctx, c)
	}
	return SentNone, nil
}

// send claims key, renders and sends the e-mail to the buyer, and marks it
// sent; a failed send gives the claim back for the stream's retry.
func (m *Mailer) send(ctx context.Context, buyer, key string, render func(to, key string, p account.Profile) (mail.Message, error)) (Sent, error) {
	p, ok, err := m.Store.Profile(ctx, buyer)
	if err != nil {
		return SentNone, err
	}
	if !ok || p.Email == "" {
		return SentNoAddress, nil
	}
	if off, err := m.Store.Suppressed(ctx, p.Email); err != nil || off {
		return SentSuppressed, err
	}
	now := m.Now()
	claimed, err := m.Store.ClaimEmail(ctx, key, now, Lease)
	if err != nil || !claimed {
		return SentBefore, err
	}
	to := (&netmail.Address{Name: p.Name, Address: p.Email}).String()
	msg, err := render(to, key, p)
	if err == nil {
		msg.Key = key
		err = m.Sender.Send(ctx, msg)
	}
	if err != nil {
		if rerr := m.Store.ReleaseEmail(ctx, key); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return SentNone, fmt.Errorf("e-mail %s: %w", key, err)
	}
	if err := m.Store.EmailSent(ctx, key, m.Now()); err != nil {
		// Sent: a retry finds the claim still held until its lease ends,
		// and may send again after it. Logged, not failed.
		m.log().Warn("e-mail sent but not marked", "key", key, "error", err.Error())
	}
	m.log().Info("e-mail sent", "key", key)
	return SentOne, nil
}

func (m *Mailer) orderConfirmed(ctx context.Context, id string) (Sent, error) {
	o, err := m.Store.GetOrder(ctx, id)
	if err != nil {
		return SentNone, err
	}
	if o.Status != orders.Paid {
		return SentNone, nil // refunded or voided since: its own e-mail says so
	}
	return m.send(ctx, o.Buyer, "ORDER_CONFIRMED."+o.ID, func(to, key string, p account.Profile) (mail.Message, error) {
		tks, err := m.Store.OrderTickets(ctx, o.Buyer, o.ID)
		if err != nil {
			return mail.Message{}, err
		}
		byID := map[string]tickets.Ticket{}
		for _, t := range tks {
			byID[t.ID] = t
		}
		v := mail.OrderConfirmedView{To: to, Key: key, Name: p.Name, OrderID: o.ID, Showtime: showtime(o),
			PickupCode: o.PickupCode, ConvenienceFee: int64(o.Totals.ConvenienceFee), Total: int64(o.Totals.Total),
			PaymentMethod: m.paymentLabel(ctx, o), ReceiptURL: m.url("/conta/pedidos/" + o.ID + "/recibo")}
		for _, l := range o.Tickets {
			t, ok := byID[l.TicketID]
			if !ok {
				return mail.Message{}, fmt.Errorf("order %s: ticket %s of seat %s not issued", o.ID, l.TicketID, l.SeatID)
			}
			v.Tickets = append(v.Tickets, mail.Ticket{Seat: l.SeatID, Type: l.TicketType.Label(), Price: int64(l.Price),
				Code: t.ID, QR: t.QR})
		}
		for _, l := range o.Concessions {
			name := l.Name
			if l.Size != "" {
				name += " " + l.Size
			}
			if len(l.Flavours) > 0 {
				name += " (" + strings.Join(l.Flavours, ", ") + ")"
			}
			v.Concessions = append(v.Concessions, mail.ConcessionLine{Name: name, Quantity: l.Quantity,
				UnitPrice: int64(l.UnitPrice), Total: int64(l.Total)})
		}
		return mail.OrderConfirmed(v)
	})
}

func (m *Mailer) refundDone(ctx context.Context, id string) (Sent, error) {
	o, err := m.Store.GetOrder(ctx, id)
	if err != nil {
		return SentNone, err
	}
	amount := o.Refund
	if amount == 0 {
		amount = o.Totals.Total
	}
	return m.send(ctx, o.Buyer, "REFUND_DONE."+o.ID, func(to, key string, p account.Profile) (mail.Message, error) {
		return mail.RefundDone(mail.RefundDoneView{To: to, Key: key, Name: p.Name, OrderID: o.ID, Showtime: showtime(o),
			Amount: int64(amount), PaymentMethod: m.paymentLabel(ctx, o), OrderURL: m.orderURL(o.ID)})
	})
}

// notice e-mails a notice once per message: marking it read (a write of
// the same item) sends nothing; a new message is a new e-mail.
func (m *Mailer) notice(ctx context.Context, c Change) (Sent, error) {
	n, err := m.Store.GetNotice(ctx, c.Buyer, c.ShowtimeID, c.Kind)
	if errs.KindOf(err) == errs.NotFound {
		return SentNone, nil // deleted with the account since
	}
	if err != nil {
		return SentNone, err
	}
	o, found, err := m.orderOf(ctx, n.Buyer, n.ShowtimeID)
	if err != nil || !found {
		return SentNone, err
	}
	sum := sha256.Sum256([]byte(n.Message))
	key := "NOTICE." + n.Buyer + "." + n.Kind + "." + n.ShowtimeID + "." + hex.EncodeToString(sum[:4])
	var render func(to, key string, p account.Profile) (mail.Message, error)
	switch n.Kind {
	case "SHOWTIME_CANCELLED":
		render = func(to, key string, p account.Profile) (mail.Message, error) {
			return mail.ShowtimeCancelled(mail.ShowtimeCancelledView{To: to, Key: key, Name: p.Name, OrderID: o.ID, Showtime: showtime(o),
				Reason: n.Reason, Refund: int64(o.Totals.Total), PaymentMethod: m.paymentLabel(ctx, o), OrderURL: m.orderURL(o.ID)})
		}
	case "SHOWTIME_RESCHEDULED":
		if o.Status != orders.Paid || n.Previous.IsZero() {
			// Refunded with the move: the refund's e-mail tells the money,
			// the app's notice the move.
			return SentNone, nil
		}
		render = func(to, key string, p account.Profile) (mail.Message, error) {
			return mail.ShowtimeRescheduled(mail.ShowtimeRescheduledView{To: to, Key: key, Name: p.Name, OrderID: o.ID, Showtime: showtime(o),
				OldStart: n.Previous, Reason: n.Reason, CancelUntil: o.Showtime.StartsAt, Refund: int64(o.Totals.Total),
				OrderURL: m.orderURL(o.ID)})
		}
	case "ORDER_VOIDED":
		render = func(to, key string, p account.Profile) (mail.Message, error) {
			v := mail.TicketsVoidedView{To: to, Key: key, Name: p.Name, OrderID: o.ID, Showtime: showtime(o), Amount: int64(o.Totals.Total),
				SupportEmail: m.Support, OrderURL: m.orderURL(o.ID)}
			for _, l := range o.Tickets {
				v.Seats = append(v.Seats, l.SeatID)
			}
			return mail.TicketsVoided(v)
		}
	default:
		return SentNone, nil
	}
	return m.send(ctx, n.Buyer, key, render)
}

// orderOf is the buyer's latest order of the showtime that was paid (a
// notice is about one).
func (m *Mailer) orderOf(ctx context.Context, buyer, showtimeID string) (orders.Order, bool, error) {
	cursor := ""
	for {
		os, next, err := m.Store.OrdersByBuyer(ctx, buyer, "", 50, cursor)
		if err != nil {
			return orders.Order{}, false, err
		}
		for _, o := range os {
			if o.Showtime.ID == showtimeID && !o.PaidAt.IsZero() {
				return o, true, nil
			}
		}
		if next == "" {
			return orders.Order{}, false, nil
		}
		cursor = next
	}
}

// Bounced stops e-mail to an address that bounced for good or complained.
func (m *Mailer) Bounced(ctx context.Context, address, reason string) error {
	if err := m.Store.Suppress(ctx, address, reason, m.Now()); err != nil {
		return err
	}
	m.log().Info("address suppressed", "reason", reason)
	return nil
}

func (m *Mailer) paymentLabel(ctx context.Context, o orders.Order) string {
	if o.PaymentID == "" {
		return "Pagamento"
	}
	p, err := m.Store.GetPayment(ctx, o.PaymentID)
	if err != nil {
		return "Pagamento"
	}
	return PaymentLabel(p)
}

// PaymentLabel says how an order was paid, as the receipt says it.
func PaymentLabel(p orders.Payment) string {
	if c := p.Card; c != nil {
		label := "Cartão " + brandName(c.Brand)
		if c.Last4 != "" {
			label += " •••• " + c.Last4
		}
		if c.Installments > 1 {
			label += fmt.Sprintf(" em %dx", c.Installments)
		}
		return label
	}
	if p.Method == "PIX" {
		return "Pix"
	}
	return "Pagamento"
}

func brandName(b string) string {
	switch strings.ToUpper(b) {
	case "VISA":
		return "Visa"
	case "MASTERCARD":
		return "Mastercard"
	case "ELO":
		return "Elo"
	case "AMEX":
		return "American Express"
	case "":
		return ""
	}
	return b
}

func showtime(o orders.Order) mail.Showtime {
	return mail.Showtime{Movie: o.Showtime.MovieTitle, Cinema: o.Showtime.CinemaName, Room: o.Showtime.RoomName, Start: o.Showtime.StartsAt}
}

func (m *Mailer) url(path string) string    { return strings.TrimRight(m.PublicURL, "/") + path }
func (m *Mailer) orderURL(id string) string { return m.url("/conta/pedidos/" + id + "/recibo") }

func (m *Mailer) log() *slog.Logger {
	if m.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return m.Log
}

// ChangeOf reads a Change from a stream record's item type and its new and
// old images' string attributes; false for an item the mailer ignores.
func ChangeOf(itemType string, newAttr, oldAttr func(string) string) (Change, bool) {
	switch itemType {
	case "ORDER":
		return Change{Type: itemType, OrderID: newAttr("ID"), NewStatus: newAttr("Status"), OldStatus: oldAttr("Status"),
			Buyer: newAttr("Buyer")}, true
	case "NOTICE":
		return Change{Type: itemType, Buyer: newAttr("Buyer"), ShowtimeID: newAttr("ShowtimeID"), Kind: newAttr("Kind")}, true
	}
	return Change{}, false
}
