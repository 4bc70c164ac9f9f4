// Package mail renders the e-mails a buyer receives, in pt-BR, and sends
// them.
//
// Each renderer (OrderConfirmed, ShowtimeCancelled, ShowtimeRescheduled,
// RefundDone, TicketsVoided) takes a view: a plain struct the caller fills
// from its own domain, with amounts in centavos and instants in any zone.
// It returns a Message with a short subject, an accessible HTML part, a
// plain-text part that says everything the HTML one says, and the inline
// images (QR codes) the HTML refers to as cid:<ContentID>.
//
// Build turns a Message into the bytes of a MIME message, the same bytes
// for the same message, sender and instant; SMTP sends them. A Message's
// Key (the caller's notice id) is written as the X-Bilhetagem-Notice header
// and fixes its Message-ID, so a message sent twice is recognisable as one.
package mail

import "context"

// Message is one e-mail to one recipient.
type Message struct {
	// To is the recipient: "ana@example.com" or "Ana Souza <ana@example.com>".
	To      string
	Subject string
	// Text is the plain-text part and HTML the HTML part; both are always
	// sent, as alternatives.
	Text string
	HTML string
	// Inline are the images the HTML refers to as cid:<ContentID>.
	Inline []Inline
	// Key identifies what the message is about (the notice id): it is
	// written as the NoticeHeader header and fixes the Message-ID, so that
	// sending the same notice twice yields the same Message-ID.
	Key string
}

// Inline is an image carried in the message and shown by the HTML part.
type Inline struct {
	ContentID   string // without angle brackets: "ingresso-1@bilhetagem"
	ContentType string // "image/png"
	Data        []byte
}

// Sender delivers a message.
type Sender interface {
	Send(ctx context.Context, m Message) error
}
