package api

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/idempotency"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/tickets"
)

// Conversions and the Idempotency-Key guard shared by the order, payment
// and ticket handlers.

func toOrder(o orders.Order) gen.Order {
	out := gen.Order{
		ID: o.ID, Status: gen.OrderStatus(o.Status), HoldID: o.HoldID,
		Showtime: gen.OrderShowtime{ID: o.Showtime.ID, MovieTitle: o.Showtime.MovieTitle, CinemaID: o.Showtime.CinemaID, CinemaName: o.Showtime.CinemaName,
			RoomName: o.Showtime.RoomName, StartsAt: o.Showtime.StartsAt.UTC(), Format: gen.Format(o.Showtime.Format),
			Language: gen.Language(o.Showtime.Language)},
		Tickets: make([]gen.OrderTicket, 0, len(o.Tickets)), Concessions: make([]gen.OrderConcession, 0, len(o.Concessions)),
		Totals: gen.OrderTotals{Tickets: toMoney(o.Totals.Tickets), Concessions: toMoney(o.Totals.Concessions),
			ConvenienceFee: toMoney(o.Totals.ConvenienceFee), Total: toMoney(o.Totals.Total)},
		CreatedAt: o.CreatedAt.UTC(), ExpiresAt: o.ExpiresAt.UTC(), CancellableUntil: o.CancellableUntil.UTC(),
	}
	for _, t := range o.Tickets {
		line := gen.OrderTicket{SeatID: t.SeatID, Row: t.Row, Number: t.Number, SeatType: gen.SeatType(t.SeatType),
			TicketType: gen.TicketTypeCode(t.TicketType), Meia: t.Meia, Price: toMoney(t.Price)}
		if t.TicketID != "" {
			id := t.TicketID
			line.TicketID = &id
		}
		out.Tickets = append(out.Tickets, line)
	}
	for _, c := range o.Concessions {
		out.Concessions = append(out.Concessions, gen.OrderConcession{ProductID: c.ProductID, Name: c.Name, Size: c.Size,
			Flavours: c.Flavours, Quantity: c.Quantity, UnitPrice: toMoney(c.UnitPrice), Total: toMoney(c.Total)})
	}
	if !o.PaidAt.IsZero() {
		t := o.PaidAt.UTC()
		out.PaidAt = &t
	}
	if !o.CancelledAt.IsZero() {
		t := o.CancelledAt.UTC()
		out.CancelledAt = &t
	}
	if o.PickupCode != "" {
		c := o.PickupCode
		out.PickupCode = &c
	}
	if o.Refund > 0 {
		m := toMoney(o.Refund)
		out.Refund = &m
	}
	return out
}

func toPayment(p orders.Payment) gen.Payment {
	out := gen.Payment{ID: p.ID, OrderID: p.OrderID, Method: gen.PaymentMethod(p.Method), Status: gen.PaymentStatus(p.Status),
		Amount: toMoney(p.Amount), CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC()}
	if p.Pix != nil {
		out.Pix = &gen.PixCharge{CopyPaste: p.Pix.CopyPaste, QrCodePng: p.Pix.QRCodePNG, ExpiresAt: p.Pix.ExpiresAt.UTC()}
	}
	if p.Card != nil {
		out.Card = &gen.CardCharge{Brand: p.Card.Brand, Last4: p.Card.Last4, Installments: p.Card.Installments}
	}
	if p.FailureReason != "" {
		r := p.FailureReason
		out.FailureReason = &r
	}
	if a := p.Action; a != nil && out.Status == gen.PaymentStatusPENDING {
		out.Action = &gen.PaymentAction{}
		if a.ClientSecret != "" {
			out.Action.ClientSecret = &a.ClientSecret
		}
		if a.RedirectURL != "" {
			out.Action.RedirectURL = &a.RedirectURL
		}
	}
	return out
}

func toTicket(t tickets.Ticket) gen.Ticket {
	out := gen.Ticket{ID: t.ID, OrderID: t.OrderID, ShowtimeID: t.ShowtimeID, MovieTitle: t.MovieTitle, CinemaName: t.CinemaName,
		RoomName: t.RoomName, StartsAt: t.StartsAt.UTC(), Format: gen.Format(t.Format), Language: gen.Language(t.Language),
		SeatID: t.SeatID, Row: t.Row, Number: t.Number, SeatType: gen.SeatType(t.SeatType), TicketType: gen.TicketTypeCode(t.TicketType),
		Meia: t.Meia, Status: gen.TicketStatus(t.Status), Qr: t.QR}
	if p := t.Proof(); p != "" {
		out.Proof = &p
	}
	if !t.UsedAt.IsZero() {
		u := t.UsedAt.UTC()
		out.UsedAt = &u
	}
	return out
}

// header reads a request header; API Gateway sends their names lowercase,
// other callers may not.
func header(req events.APIGatewayV2HTTPRequest, name string) string {
	if v, ok := req.Headers[strings.ToLower(name)]; ok {
		return v
	}
	for k, v := range req.Headers {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// pageParams reads the limit (default 20) and cursor of a list.
func pageParams(q map[string]string) (int, string) {
	limit := 20
	if n, err := strconv.Atoi(q["limit"]); err == nil && n >= 1 && n <= 50 {
		limit = n
	}
	return limit, q["cursor"]
}

var keyIDEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// keyedID is the id of what a keyed request creates, derived from the
// operation, the caller and the Idempotency-Key: a retry that runs again
// after a crash creates the same thing, which the store refuses to create
// twice.
func keyedID(prefix, op, subject, key string) string {
	sum := sha256.Sum256([]byte(op + "\x00" + subject + "\x00" + key))
	return prefix + "-" + keyIDEncoding.EncodeToString(sum[:16])
}

// idempotent runs a keyed request once. The first request with a key runs
// and its answer is kept for 24 hours; a retry with the same key and body
// gets that answer again with Idempotent-Replayed: true; the same key with
// another body answers 422 idempotency_key_reused; a duplicate that arrives
// while the first runs answers 409 request_in_progress. Only answers that
// changed something (2xx) are kept: a refused or failed request leaves no
// record, and its retry runs again against the state of then.
func idempotent(ctx context.Context, store idempotency.Store, req events.APIGatewayV2HTTPRequest, op, subject string, body []byte,
	now time.Time, run func() (events.APIGatewayV2HTTPResponse, error)) (events.APIGatewayV2HTTPResponse, error) {
	key := header(req, "Idempotency-Key")
	if key == "" {
		return events.APIGatewayV2HTTPResponse{}, errs.InvalidFields(errs.FieldError{Field: "Idempotency-Key", Message: "é obrigatório"})
	}
	scope := op + "#" + subject + "#" + key
	hash := idempotency.Hash(canonicalJSON(body))
	rec, claimed, err := store.Claim(ctx, scope, hash, now)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	if !claimed {
		switch {
		case rec.BodyHash != hash:
			return events.APIGatewayV2HTTPResponse{}, errs.E(errs.Unprocessable, "idempotency_key_reused",
				"esta Idempotency-Key já foi usada com outro conteúdo")
		case rec.Status != idempotency.Completed:
			return events.APIGatewayV2HTTPResponse{}, errs.E(errs.Conflict, "request_in_progress",
				"uma requisição com esta Idempotency-Key ainda está em andamento")
		}
		headers := map[string]string{}
		for k, v := range rec.Response.Headers {
			headers[k] = v
		}
		headers["Idempotent-Replayed"] = "true"
		return events.APIGatewayV2HTTPResponse{StatusCode: rec.Response.Status, Headers: headers, Body: rec.Response.Body}, nil
	}
	resp, err := run()
	if err != nil {
		// A refused or failed request changed nothing: its key is dropped,
		// so the request leaves no trace and a retry runs again.
		if ferr := store.Forget(ctx, scope); ferr != nil {
			return events.APIGatewayV2HTTPResponse{}, ferr
		}
		return events.APIGatewayV2HTTPResponse{}, err
	}
	if resp.Headers == nil {
		resp.Headers = map[string]string{}
	}
	stored := map[string]string{}
	for k, v := range resp.Headers {
		stored[k] = v
	}
	// A lost Complete leaves the record to its lease; the retry then runs
	// again and finds what the first run created by its keyed id.
	_ = store.Complete(ctx, scope, idempotency.Response{Status: resp.StatusCode, Body: resp.Body, Headers: stored}, now)
	resp.Headers["Idempotent-Replayed"] = "false"
	return resp, nil
}

// canonicalJSON re-encodes a JSON body with sorted keys and no spacing, so
// two bodies that say the same thing hash alike.
func canonicalJSON(body []byte) []byte {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return body
	}
	out, err := json.Marshal(v)
	if err != nil {
		return body
	}
	return out
}

func unauthorized() error {
	return errs.E(errs.Unauthorized, "unauthorized", "faça login para continuar")
}
