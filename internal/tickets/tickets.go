// Package tickets issues one ticket per sold seat and checks them in at the
// door. A ticket's QR carries a token signed with the chain's Ed25519 key, so
// a door app verifies it offline with the public key; the store then marks it
// used exactly once.
package tickets

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"time"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/pricing"
	"bilhetagem/internal/signedtoken"
)

// Status is where a ticket stands.
type Status string

const (
	Valid     Status = "VALID"     // can be checked in
	Used      Status = "USED"      // checked in
	Cancelled Status = "CANCELLED" // its order was cancelled or refunded
)

// Ticket is one seat of a paid order.
type Ticket struct {
	ID         string
	OrderID    string
	Buyer      string
	ShowtimeID string
	MovieTitle string
	CinemaName string
	RoomName   string
	StartsAt   time.Time
	Format     catalog.Format
	Language   catalog.Language
	SeatID     string
	Row        string
	Number     int
	SeatType   catalog.SeatType
	TicketType pricing.TicketType
	Meia       bool
	Status     Status
	QR         string
	IssuedAt   time.Time
	UsedAt     time.Time // zero until checked in
}

// Proof is what staff ask to see for a meia-entrada ticket; empty otherwise.
func (t Ticket) Proof() string {
	if !t.Meia {
		return ""
	}
	return t.TicketType.Proof()
}

// Claims are what a ticket's QR says.
type Claims struct {
	TicketID   string
	ShowtimeID string
	SeatID     string
	TicketType pricing.TicketType
	IssuedAt   time.Time
}

const (
	qrPrefix  = "BLT1."
	qrVersion = 1
)

// ErrInvalidQR says a QR is not a ticket signed by the chain.
var ErrInvalidQR = errors.New("not a ticket signed by the chain")

// Signer signs ticket QRs with the chain's Ed25519 key.
type Signer struct{ key signedtoken.Key }

// NewSigner makes a signer from a 32-byte Ed25519 seed.
func NewSigner(seed []byte) (*Signer, error) {
	k, err := signedtoken.NewKey(seed)
	if err != nil {
		return nil, fmt.Errorf("ticket signing key: %w", err)
	}
	return &Signer{key: k}, nil
}

// NewEphemeralSigner makes a signer with a random key, for local runs.
func NewEphemeralSigner() *Signer { return &Signer{key: signedtoken.EphemeralKey()} }

// PublicKey is the key door apps verify with.
func (s *Signer) PublicKey() ed25519.PublicKey { return s.key.Public() }

// qrClaims are a ticket QR's claims as encoded.
type qrClaims struct {
	V    int    `json:"v"`
	TID  string `json:"tid"`
	SID  string `json:"sid"`
	Seat string `json:"seat"`
	TT   string `json:"tt"`
	IAT  int64  `json:"iat"`
}

// Sign is the QR payload: "BLT1." + base64url(JSON claims) + "." +
// base64url(Ed25519 signature of the first two parts).
func (s *Signer) Sign(c Claims) string {
	tok, err := s.key.Seal(qrPrefix, qrClaims{V: qrVersion, TID: c.TicketID, SID: c.ShowtimeID, Seat: c.SeatID,
		TT: string(c.TicketType), IAT: c.IssuedAt.Unix()})
	if err != nil {
		panic(err) // plain strings and numbers always encode
	}
	return tok
}

// Verify checks a QR's signature with the public key, offline, and returns
// its claims.
func Verify(pub ed25519.PublicKey, qr string) (Claims, error) {
	var raw qrClaims
	if err := signedtoken.Open(pub, qrPrefix, qr, &raw); err != nil || raw.V != qrVersion || raw.TID == "" {
		return Claims{}, ErrInvalidQR
	}
	return Claims{TicketID: raw.TID, ShowtimeID: raw.SID, SeatID: raw.Seat, TicketType: pricing.TicketType(raw.TT),
		IssuedAt: time.Unix(raw.IAT, 0).UTC()}, nil
}

var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// ID is a ticket's id, derived from its order and seat so issuing again
// makes the same ticket.
func ID(orderID, seatID string) string {
	sum := sha256.Sum256([]byte(orderID + "\x00" + seatID))
	return "tkt-" + idEncoding.EncodeToString(sum[:16])
}

// pickupAlphabet leaves out 0/O and 1/I, which staff misread.
const pickupAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// NewPickupCode is a six-character code shown at the bomboniere to pick up
// an order's concessions.
func NewPickupCode() string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	for i := range b {
		b[i] = pickupAlphabet[int(b[i])%len(pickupAlphabet)]
	}
	return string(b)
}

// Store is what tickets need from persistence.
type Store interface {
	// CheckIn marks a valid ticket used at now with one conditional write.
	// A ticket used before fails with ticket_already_used (UsedAt set), a
	// cancelled one with ticket_not_valid, a missing one with not_found.
	CheckIn(ctx context.Context, ticketID string, now time.Time) (Ticket, error)
	// TicketsByBuyer pages a buyer's tickets, soonest showtime first, only
	// those of a status when one is given.
	TicketsByBuyer(ctx context.Context, buyer string, status Status, limit int, cursor string) ([]Ticket, string, error)
	// GetShowtimeRows reads a showtime and the claims on the seats of some
	// rows; with no rows, the showtime's own item alone. A showtime that is
	// not there fails with not_found.
	GetShowtimeRows(ctx context.Context, id string, rows []string) (catalog.ShowtimeListing, []catalog.SeatClaim, error)
}

// DefaultOpensBefore is how long before its showtime starts a ticket is
// first let in at the door.
const DefaultOpensBefore = time.Hour

// Service checks tickets in and lists a buyer's tickets.
type Service struct {
	Store Store
	// PublicKey verifies QRs.
	PublicKey ed25519.PublicKey
	// OpensBefore is how long before its showtime starts the door takes a
	// ticket (CHECK_IN_OPENS_BEFORE_MINUTES, DefaultOpensBefore when unset).
	OpensBefore time.Duration
}

// Window is when the door of a showtime takes its tickets: from Opens, on,
// until just before Closes.
type Window struct{ Opens, Closes time.Time }

// WindowOf is the door's window of a showtime: from opensBefore before its
// start until its end. The showtime's current times count, so a ticket of
// a rescheduled showtime is let in at the new time.
func WindowOf(st catalog.ShowtimeListing, opensBefore time.Duration) Window {
	return Window{Opens: st.StartsAt.Add(-opensBefore), Closes: st.EndsAt}
}

// Admit decides whether a ticket of showtime st is let in at the door of
// showtime door at now: the door must serve the ticket's own showtime, the
// showtime must be on, and now must be within its window. The refusals name
// the ticket's showtime and its start in São Paulo time.
func Admit(st catalog.ShowtimeListing, door string, opensBefore time.Duration, now time.Time) error {
	if door == "" {
		return errNoDoor()
	}
	if st.ID != door {
		return errs.E(errs.Conflict, "wrong_showtime", "este ingresso é de outra sessão: "+describe(st))
	}
	if st.Cancelled() {
		return errs.E(errs.Conflict, "ticket_not_valid", "a sessão deste ingresso foi cancelada: "+describe(st))
	}
	w := WindowOf(st, opensBefore)
	switch {
	case now.Before(w.Opens):
		return errs.E(errs.Unprocessable, "outside_check_in_window",
			fmt.Sprintf("a entrada da sessão de %s abre às %s", describe(st), timeOfDay(w.Opens, st.StartsAt)))
	case !now.Before(w.Closes):
		return errs.E(errs.Unprocessable, "outside_check_in_window",
			fmt.Sprintf("a sessão de %s terminou às %s; este ingresso não vale mais", describe(st), timeOfDay(w.Closes, st.StartsAt)))
	}
	return nil
}

// errNoDoor refuses a check-in that does not say which showtime's door it is.
func errNoDoor() error {
	return errs.InvalidFields(errs.FieldError{Field: "showtimeId", Message: "informe a sessão desta entrada"})
}

// describe names a showtime as the door knows it, with its São Paulo
// start: "Filme, Sala 1, Cinema, em 04/12/2026 às 21:00".
func describe(st catalog.ShowtimeListing) string {
	name := st.ID
	if st.MovieTitle != "" {
		name = st.MovieTitle
	}
	for _, part := range []string{st.RoomName, st.CinemaName} {
		if part != "" {
			name += ", " + part
		}
	}
	return name + ", em " + st.StartsAt.In(catalog.Zone).Format("02/01/2006 às 15:04")
}

// timeOfDay is t's São Paulo time, with its date when that is not the
// day of ref: "20:00", or "23:30 de 03/12/2026".
func timeOfDay(t, ref time.Time) string {
	t, ref = t.In(catalog.Zone), ref.In(catalog.Zone)
	if t.YearDay() == ref.YearDay() && t.Year() == ref.Year() {
		return t.Format("15:04")
	}
	return t.Format("15:04 de 02/01/2006")
}

// CheckIn verifies the QR offline, checks that the ticket is for the door's
// showtime and that the door takes it now (Admit), and marks it used
// exactly once.
func (s *Service) CheckIn(ctx context.Context, qr, showtimeID string, now time.Time) (Ticket, error) {
	c, err := Verify(s.PublicKey, qr)
	if err != nil {
		return Ticket{}, errs.Wrap(errs.Unprocessable, "invalid_ticket", "a assinatura do QR code não confere", err)
	}
	if showtimeID == "" {
		return Ticket{}, errNoDoor() // before reading the showtime
	}
	st, _, err := s.Store.GetShowtimeRows(ctx, c.ShowtimeID, nil)
	if err != nil {
		if errs.KindOf(err) == errs.NotFound {
			return Ticket{}, errs.Wrap(errs.Conflict, "ticket_not_valid", "a sessão deste ingresso não está na programação", err)
		}
		return Ticket{}, fmt.Errorf("check in: %w", err)
	}
	opensBefore := s.OpensBefore
	if opensBefore == 0 {
		opensBefore = DefaultOpensBefore
	}
	if err := Admit(st, showtimeID, opensBefore, now); err != nil {
		return Ticket{}, err
	}
	t, err := s.Store.CheckIn(ctx, c.TicketID, now)
	if err != nil {
		if errs.KindOf(err) == errs.NotFound {
			return Ticket{}, errs.Wrap(errs.Unprocessable, "invalid_ticket", "ingresso desconhecido", err)
		}
		return Ticket{}, fmt.Errorf("check in: %w", err)
	}
	return t, nil
}

// Mine pages a buyer's tickets, only those of a status when one is given.
func (s *Service) Mine(ctx context.Context, buyer string, status Status, limit int, cursor string) ([]Ticket, string, error) {
	ts, next, err := s.Store.TicketsByBuyer(ctx, buyer, status, limit, cursor)
	if err != nil {
		return nil, "", fmt.Errorf("list tickets: %w", err)
	}
	return ts, next, nil
}
