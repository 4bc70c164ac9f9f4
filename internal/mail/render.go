package mail

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	netmail "net/mail"
	"net/url"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/skip2/go-qrcode"
)

//go:embed templates
var templateFS embed.FS

var funcs = map[string]any{
	"brl":   BRL,
	"long":  LongTime,
	"short": ShortTime,
}

// emails are the templates of each e-mail: the layout plus its body, as
// HTML and as plain text.
var emails = map[string]struct {
	html *htmltemplate.Template
	text *texttemplate.Template
}{}

func init() {
	for _, name := range []string{"order_confirmed", "showtime_cancelled", "showtime_rescheduled", "refund_done", "tickets_voided"} {
		e := emails[name]
		e.html = htmltemplate.Must(htmltemplate.New(name).Funcs(funcs).Option("missingkey=error").
			ParseFS(templateFS, "templates/layout.html.tmpl", "templates/"+name+".html.tmpl"))
		e.text = texttemplate.Must(texttemplate.New(name).Funcs(funcs).Option("missingkey=error").
			ParseFS(templateFS, "templates/layout.txt.tmpl", "templates/"+name+".txt.tmpl"))
		emails[name] = e
	}
}

// page is what the layout shows around every e-mail's body.
type page struct {
	Title    string // the subject
	Heading  string
	Greeting string
}

func greeting(name string) string {
	if name = oneLine(name); name != "" {
		return "Olá, " + name + "!"
	}
	return "Olá!"
}

// render runs an e-mail's templates over data.
func render(name string, to, key, subject string, data any, inline []Inline) (Message, error) {
	e := emails[name]
	var h, t bytes.Buffer
	if err := e.html.ExecuteTemplate(&h, "layout", data); err != nil {
		return Message{}, fmt.Errorf("mail: %s: html: %w", name, err)
	}
	if err := e.text.ExecuteTemplate(&t, "layout", data); err != nil {
		return Message{}, fmt.Errorf("mail: %s: text: %w", name, err)
	}
	return Message{To: to, Key: key, Subject: subject, HTML: h.String(), Text: t.String(), Inline: inline}, nil
}

// oneLine folds every run of white space, line breaks included, into one
// space: what goes in a subject or a heading.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// qrPNG draws a payload as a QR code: a 256-pixel PNG with medium error
// correction, as the door and the counter scan them.
func qrPNG(payload string) ([]byte, error) {
	png, err := qrcode.Encode(payload, qrcode.Medium, 256)
	if err != nil {
		return nil, fmt.Errorf("mail: QR code: %w", err)
	}
	return png, nil
}

// checks gathers what is wrong with a view, to refuse it whole.
type checks []string

func (c *checks) need(ok bool, what string) {
	if !ok {
		*c = append(*c, what)
	}
}

func (c *checks) text(v, name string) { c.need(strings.TrimSpace(v) != "", name+" is empty") }

func (c *checks) time(v time.Time, name string) { c.need(!v.IsZero(), name+" is zero") }

func (c *checks) url(v, name string) {
	u, err := url.Parse(v)
	c.need(err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "", name+" is not an http(s) URL")
}

func (c *checks) envelope(to, key, orderID string) {
	c.text(to, "To")
	c.text(key, "Key")
	c.text(orderID, "OrderID")
}

func (c *checks) showtime(s Showtime) {
	c.text(s.Movie, "Showtime.Movie")
	c.text(s.Cinema, "Showtime.Cinema")
	c.text(s.Room, "Showtime.Room")
	c.time(s.Start, "Showtime.Start")
}

func (c checks) err(name string) error {
	if len(c) == 0 {
		return nil
	}
	return errors.New("mail: " + name + ": " + strings.Join(c, "; "))
}

// ticketPart is a ticket as the order e-mail shows it.
type ticketPart struct {
	Ticket
	N   int
	CID string
}

type orderConfirmedData struct {
	page
	OrderConfirmedView
	TicketParts []ticketPart
	PickupCID   string
}

// OrderConfirmed is the e-mail with a paid order's tickets: the showtime,
// one section per ticket with its QR code and its code as text, the
// bomboniere lines and their pickup code, and the itemized receipt.
func OrderConfirmed(v OrderConfirmedView) (Message, error) {
	var c checks
	c.envelope(v.To, v.Key, v.OrderID)
	c.showtime(v.Showtime)
	c.need(len(v.Tickets) > 0, "no Tickets")
	sum := v.ConvenienceFee
	for i, t := range v.Tickets {
		c.text(t.Seat, fmt.Sprintf("Tickets[%d].Seat", i))
		c.text(t.Type, fmt.Sprintf("Tickets[%d].Type", i))
		c.text(t.Code, fmt.Sprintf("Tickets[%d].Code", i))
		sum += t.Price
	}
	for i, l := range v.Concessions {
		c.text(l.Name, fmt.Sprintf("Concessions[%d].Name", i))
		c.need(l.Quantity > 0, fmt.Sprintf("Concessions[%d].Quantity is not positive", i))
		sum += l.Total
	}
	if len(v.Concessions) > 0 {
		c.text(v.PickupCode, "PickupCode (there are Concessions)")
	}
	c.need(sum == v.Total, fmt.Sprintf("the tickets, concessions and fee add up to %s, not Total %s", BRL(sum), BRL(v.Total)))
	c.text(v.PaymentMethod, "PaymentMethod")
	c.url(v.ReceiptURL, "ReceiptURL")
	if err := c.err("OrderConfirmed"); err != nil {
		return Message{}, err
	}

	movie := oneLine(v.Showtime.Movie)
	subject := fmt.Sprintf("Seus ingressos para %s — %s", movie, ShortTime(v.Showtime.Start))
	d := orderConfirmedData{
		page:               page{Title: subject, Heading: "Seus ingressos para " + movie, Greeting: greeting(v.Name)},
		OrderConfirmedView: v,
	}
	var inline []Inline
	for i, t := range v.Tickets {
		payload := t.QR
		if payload == "" {
			payload = t.Code
		}
		png, err := qrPNG(payload)
		if err != nil {
			return Message{}, err
		}
		cid := fmt.Sprintf("ingresso-%d@bilhetagem", i+1)
		inline = append(inline, Inline{ContentID: cid, ContentType: "image/png", Data: png})
		d.TicketParts = append(d.TicketParts, ticketPart{Ticket: t, N: i + 1, CID: cid})
	}
	if len(v.Concessions) > 0 {
		payload := v.PickupQR
		if payload == "" {
			payload = v.PickupCode
		}
		png, err := qrPNG(payload)
		if err != nil {
			return Message{}, err
		}
		d.PickupCID = "retirada@bilhetagem"
		inline = append(inline, Inline{ContentID: d.PickupCID, ContentType: "image/png", Data: png})
	}
	return render("order_confirmed", v.To, v.Key, subject, d, inline)
}

type showtimeCancelledData struct {
	page
	ShowtimeCancelledView
}

// ShowtimeCancelled tells the buyer that the cinema cancelled the showtime
// and their order was refunded.
func ShowtimeCancelled(v ShowtimeCancelledView) (Message, error) {
	var c checks
	c.envelope(v.To, v.Key, v.OrderID)
	c.showtime(v.Showtime)
	c.need(v.Refund > 0, "Refund is not positive")
	c.text(v.PaymentMethod, "PaymentMethod")
	c.url(v.OrderURL, "OrderURL")
	if err := c.err("ShowtimeCancelled"); err != nil {
		return Message{}, err
	}
	movie := oneLine(v.Showtime.Movie)
	subject := fmt.Sprintf("Sessão cancelada: %s — %s", movie, ShortTime(v.Showtime.Start))
	v.Reason = oneLine(v.Reason)
	d := showtimeCancelledData{
		page:                  page{Title: subject, Heading: "Sessão cancelada: " + movie, Greeting: greeting(v.Name)},
		ShowtimeCancelledView: v,
	}
	return render("showtime_cancelled", v.To, v.Key, subject, d, nil)
}

type showtimeRescheduledData struct {
	page
	ShowtimeRescheduledView
}

// ShowtimeRescheduled tells the buyer that their showtime moved, from when
// to when, and what they may do: keep the tickets, or cancel the order for
// a refund.
func ShowtimeRescheduled(v ShowtimeRescheduledView) (Message, error) {
	var c checks
	c.envelope(v.To, v.Key, v.OrderID)
	c.showtime(v.Showtime)
	c.time(v.OldStart, "OldStart")
	c.time(v.CancelUntil, "CancelUntil")
	c.need(v.Refund > 0, "Refund is not positive")
	c.url(v.OrderURL, "OrderURL")
	if err := c.err("ShowtimeRescheduled"); err != nil {
		return Message{}, err
	}
	movie := oneLine(v.Showtime.Movie)
	subject := fmt.Sprintf("Sessão remarcada: %s — agora %s", movie, ShortTime(v.Showtime.Start))
	v.Reason = oneLine(v.Reason)
	d := showtimeRescheduledData{
		page:                    page{Title: subject, Heading: "Sessão remarcada: " + movie, Greeting: greeting(v.Name)},
		ShowtimeRescheduledView: v,
	}
	return render("showtime_rescheduled", v.To, v.Key, subject, d, nil)
}

type refundDoneData struct {
	page
	RefundDoneView
}

// RefundDone tells the buyer that a refund was paid out: how much, where
// to, for which order.
func RefundDone(v RefundDoneView) (Message, error) {
	var c checks
	c.envelope(v.To, v.Key, v.OrderID)
	c.showtime(v.Showtime)
	c.need(v.Amount > 0, "Amount is not positive")
	c.text(v.PaymentMethod, "PaymentMethod")
	c.url(v.OrderURL, "OrderURL")
	if err := c.err("RefundDone"); err != nil {
		return Message{}, err
	}
	movie := oneLine(v.Showtime.Movie)
	subject := fmt.Sprintf("Reembolso de %s concluído — %s", BRL(v.Amount), movie)
	d := refundDoneData{
		page:           page{Title: subject, Heading: "Reembolso concluído", Greeting: greeting(v.Name)},
		RefundDoneView: v,
	}
	return render("refund_done", v.To, v.Key, subject, d, nil)
}

type ticketsVoidedData struct {
	page
	TicketsVoidedView
}

// TicketsVoided tells the buyer that their tickets were voided because the
// payment was disputed with the card's issuer, what that means, and whom
// to contact.
func TicketsVoided(v TicketsVoidedView) (Message, error) {
	var c checks
	c.envelope(v.To, v.Key, v.OrderID)
	c.showtime(v.Showtime)
	c.need(len(v.Seats) > 0, "no Seats")
	c.need(v.Amount > 0, "Amount is not positive")
	a, err := netmail.ParseAddress(v.SupportEmail)
	c.need(err == nil && a.Name == "" && a.Address == v.SupportEmail, "SupportEmail is not a bare address")
	c.url(v.OrderURL, "OrderURL")
	if err := c.err("TicketsVoided"); err != nil {
		return Message{}, err
	}
	movie := oneLine(v.Showtime.Movie)
	subject := fmt.Sprintf("Ingressos cancelados: %s — %s", movie, ShortTime(v.Showtime.Start))
	d := ticketsVoidedData{
		page:              page{Title: subject, Heading: "Ingressos cancelados: " + movie, Greeting: greeting(v.Name)},
		TicketsVoidedView: v,
	}
	return render("tickets_voided", v.To, v.Key, subject, d, nil)
}
