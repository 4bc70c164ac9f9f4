package dynamo

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/guregu/dynamo/v2"

	"bilhetagem/internal/booking"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/concessions"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/idempotency"
	"bilhetagem/internal/money"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/pricing"
	"bilhetagem/internal/psp"
	"bilhetagem/internal/tickets"
)

const (
	typeOrder       = "ORDER"
	typePayment     = "PAYMENT"
	typePspEvent    = "PSP_EVENT"
	typeTicket      = "TICKET"
	typeIdempotency = "IDEMPOTENCY"
	// pspEventKeep is how long a provider event id is remembered: longer
	// than any provider retries a webhook.
	pspEventKeep = 30 * 24 * time.Hour
	txAttempts   = 4
)

type ticketLineAttr struct {
	SeatID     string `dynamo:"id"`
	Row        string `dynamo:"r"`
	Number     int    `dynamo:"n"`
	SeatType   string `dynamo:"st"`
	TicketType string `dynamo:"tt"`
	Meia       bool   `dynamo:"m"`
	Price      int64  `dynamo:"p"`
	TicketID   string `dynamo:"tid,omitempty"`
}

type concessionLineAttr struct {
	ProductID string   `dynamo:"id"`
	Name      string   `dynamo:"nm"`
	Size      string   `dynamo:"s"`
	Flavours  []string `dynamo:"f,omitempty"`
	Quantity  int      `dynamo:"q"`
	UnitPrice int64    `dynamo:"u"`
	Total     int64    `dynamo:"t"`
}

type orderItem struct {
	PK, SK           string
	GSI1PK, GSI1SK   string
	GSI2PK           string `dynamo:",omitempty"` // while unsettled (sweep.go) or PAID (reconcile.go)
	GSI2SK           string `dynamo:",omitempty"`
	Type             string
	ID               string
	Buyer            string
	HoldID           string
	Status           string
	ShowtimeID       string
	MovieTitle       string
	CinemaID         string `dynamo:",omitempty"` // absent on orders written before it was kept
	CinemaName       string
	RoomName         string
	StartsAt         time.Time
	Format           string
	Language         string
	Tickets          []ticketLineAttr
	Concessions      []concessionLineAttr `dynamo:",omitempty"`
	TicketsTotal     int64
	ConcessionsTotal int64
	ConvenienceFee   int64
	Total            int64
	CreatedAt        time.Time
	ExpiresAt        time.Time
	CancellableUntil time.Time
	PaidAt           time.Time `dynamo:",omitempty"`
	CancelledAt      time.Time `dynamo:",omitempty"`
	PickupCode       string    `dynamo:",omitempty"`
	Refund           int64     `dynamo:",omitempty"`
	PaymentID        string    `dynamo:",omitempty"`
	SweepAttempts    int       `dynamo:",omitempty"`
	RetryAt          time.Time `dynamo:",omitempty"`
	Version          int
}

func newOrderItem(o orders.Order, version int) orderItem {
	it := orderItem{
		PK: orderPK(o.ID), SK: skMeta, GSI1PK: ordersByBuyerPK(o.Buyer), GSI1SK: orderListSK(o.CreatedAt, o.ID), Type: typeOrder,
		ID: o.ID, Buyer: o.Buyer, HoldID: o.HoldID, Status: string(o.Status),
		ShowtimeID: o.Showtime.ID, MovieTitle: o.Showtime.MovieTitle, CinemaID: o.Showtime.CinemaID, CinemaName: o.Showtime.CinemaName, RoomName: o.Showtime.RoomName,
		StartsAt: o.Showtime.StartsAt.UTC(), Format: string(o.Showtime.Format), Language: string(o.Showtime.Language),
		TicketsTotal: int64(o.Totals.Tickets), ConcessionsTotal: int64(o.Totals.Concessions), ConvenienceFee: int64(o.Totals.ConvenienceFee),
		Total: int64(o.Totals.Total), CreatedAt: o.CreatedAt.UTC(), ExpiresAt: o.ExpiresAt.UTC(), CancellableUntil: o.CancellableUntil.UTC(),
		PaidAt: o.PaidAt.UTC(), CancelledAt: o.CancelledAt.UTC(), PickupCode: o.PickupCode, Refund: int64(o.Refund),
		PaymentID: o.PaymentID, SweepAttempts: o.SweepAttempts, RetryAt: o.RetryAt.UTC(), Version: version,
	}
	switch {
	case o.Unsettled(): // the sweeper's list (sweep.go)
		it.GSI2PK, it.GSI2SK = pendingOrdersPK(pendingShard(o.ID)), sweepSK(o)
	case o.Status == orders.Paid && !o.PaidAt.IsZero(): // the reconciliation's (reconcile.go)
		it.GSI2PK, it.GSI2SK = paidOrdersPK(o.PaidAt, pendingShard(o.ID)), orderListSK(o.PaidAt, o.ID)
	}
	if o.PaidAt.IsZero() {
		it.PaidAt = time.Time{}
	}
	if o.CancelledAt.IsZero() {
		it.CancelledAt = time.Time{}
	}
	for _, t := range o.Tickets {
		it.Tickets = append(it.Tickets, ticketLineAttr{t.SeatID, t.Row, t.Number, string(t.SeatType), string(t.TicketType), t.Meia, int64(t.Price), t.TicketID})
	}
	for _, c := range o.Concessions {
		it.Concessions = append(it.Concessions, concessionLineAttr{c.ProductID, c.Name, c.Size, c.Flavours, c.Quantity, int64(c.UnitPrice), int64(c.Total)})
	}
	return it
}

func (it orderItem) order() orders.Order {
	o := orders.Order{
		ID: it.ID, Buyer: it.Buyer, HoldID: it.HoldID, Status: orders.Status(it.Status),
		Showtime: orders.Showtime{ID: it.ShowtimeID, MovieTitle: it.MovieTitle, CinemaID: it.CinemaID, CinemaName: it.CinemaName, RoomName: it.RoomName,
			StartsAt: it.StartsAt.UTC(), Format: catalog.Format(it.Format), Language: catalog.Language(it.Language)},
		Totals: orders.Totals{Tickets: money.BRL(it.TicketsTotal), Concessions: money.BRL(it.ConcessionsTotal),
			ConvenienceFee: money.BRL(it.ConvenienceFee), Total: money.BRL(it.Total)},
		CreatedAt: it.CreatedAt.UTC(), ExpiresAt: it.ExpiresAt.UTC(), CancellableUntil: it.CancellableUntil.UTC(),
		PickupCode: it.PickupCode, Refund: money.BRL(it.Refund), PaymentID: it.PaymentID, Version: it.Version,
		SweepAttempts: it.SweepAttempts,
	}
	if !it.RetryAt.IsZero() {
		o.RetryAt = it.RetryAt.UTC()
	}
	if !it.PaidAt.IsZero() {
		o.PaidAt = it.PaidAt.UTC()
	}
	if !it.CancelledAt.IsZero() {
		o.CancelledAt = it.CancelledAt.UTC()
	}
	for _, t := range it.Tickets {
		o.Tickets = append(o.Tickets, orders.TicketLine{SeatID: t.SeatID, Row: t.Row, Number: t.Number, SeatType: catalog.SeatType(t.SeatType),
			TicketType: pricing.TicketType(t.TicketType), Meia: t.Meia, Price: money.BRL(t.Price), TicketID: t.TicketID})
	}
	for _, c := range it.Concessions {
		flavours := c.Flavours
		if flavours == nil {
			flavours = []string{}
		}
		o.Concessions = append(o.Concessions, orders.ConcessionLine{ProductID: c.ProductID, Name: c.Name, Size: c.Size, Flavours: flavours,
			Quantity: c.Quantity, UnitPrice: money.BRL(c.UnitPrice), Total: money.BRL(c.Total)})
	}
	return o
}

type paymentItem struct {
	PK, SK       string
	Type         string
	ID           string
	OrderID      string
	Buyer        string
	Method       string
	Status       string
	Amount       int64
	Charged      bool
	Reference    string    `dynamo:",omitempty"`
	PixCopyPaste string    `dynamo:",omitempty"`
	PixQRCodePNG []byte    `dynamo:",omitempty"`
	PixExpiresAt time.Time `dynamo:",omitempty"`
	CardBrand    string    `dynamo:",omitempty"`
	CardLast4    string    `dynamo:",omitempty"`
	Installments int       `dynamo:",omitempty"`
	// What the buyer must still do at the provider (3-D Secure).
	ActionClientSecret string `dynamo:",omitempty"`
	ActionRedirectURL  string `dynamo:",omitempty"`
	FailureReason      string `dynamo:",omitempty"`
	CreatedAt          time.Time
	UpdatedAt          time.Time
	Version            int
}

func newPaymentItem(p orders.Payment, version int) paymentItem {
	it := paymentItem{PK: paymentPK(p.ID), SK: skMeta, Type: typePayment, ID: p.ID, OrderID: p.OrderID, Buyer: p.Buyer,
		Method: string(p.Method), Status: string(p.Status), Amount: int64(p.Amount), Charged: p.Charged, Reference: p.Reference,
		FailureReason: p.FailureReason, CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC(), Version: version}
	if p.Pix != nil {
		it.PixCopyPaste, it.PixQRCodePNG, it.PixExpiresAt = p.Pix.CopyPaste, p.Pix.QRCodePNG, p.Pix.ExpiresAt.UTC()
	}
	if p.Card != nil {
		it.CardBrand, it.CardLast4, it.Installments = p.Card.Brand, p.Card.Last4, p.Card.Installments
	}
	if p.Action != nil {
		it.ActionClientSecret, it.ActionRedirectURL = p.Action.ClientSecret, p.Action.RedirectURL
	}
	return it
}

func (it paymentItem) payment() orders.Payment {
	p := orders.Payment{ID: it.ID, OrderID: it.OrderID, Buyer: it.Buyer, Method: psp.Method(it.Method), Status: orders.PaymentStatus(it.Status),
		Amount: money.BRL(it.Amount), Charged: it.Charged, Reference: it.Reference, FailureReason: it.FailureReason,
		CreatedAt: it.CreatedAt.UTC(), UpdatedAt: it.UpdatedAt.UTC(), Version: it.Version}
	if it.PixCopyPaste != "" {
		p.Pix = &psp.PixCharge{CopyPaste: it.PixCopyPaste, QRCodePNG: it.PixQRCodePNG, ExpiresAt: it.PixExpiresAt.UTC()}
	}
	if it.ActionClientSecret != "" || it.ActionRedirectURL != "" {
		p.Action = &psp.Action{ClientSecret: it.ActionClientSecret, RedirectURL: it.ActionRedirectURL}
	}
	if it.CardLast4 != "" {
		p.Card = &psp.CardInfo{Brand: it.CardBrand, Last4: it.CardLast4, Installments: it.Installments}
	}
	return p
}

type pspEventItem struct {
	PK, SK     string
	Type       string
	PaymentID  string
	ReceivedAt time.Time
	TTL        int64 `dynamo:"ttl"`
}

type ticketItem struct {
	PK, SK         string
	GSI1PK, GSI1SK string
	Type           string
	ID             string
	OrderID        string
	Buyer          string
	ShowtimeID     string
	MovieTitle     string
	CinemaName     string
	RoomName       string
	StartsAt       time.Time
	Format         string
	Language       string
	SeatID         string
	Row            string
	Number         int
	SeatType       string
	TicketType     string
	Meia           bool
	Status         string
	QR             string
	IssuedAt       time.Time
	UsedAt         time.Time `dynamo:",omitempty"`
}

func newTicketItem(t tickets.Ticket) ticketItem {
	return ticketItem{
		PK: ticketPK(t.ID), SK: skMeta, GSI1PK: ticketsByBuyerPK(t.Buyer), GSI1SK: ticketListSK(t.StartsAt, t.ID), Type: typeTicket,
		ID: t.ID, OrderID: t.OrderID, Buyer: t.Buyer, ShowtimeID: t.ShowtimeID, MovieTitle: t.MovieTitle, CinemaName: t.CinemaName,
		RoomName: t.RoomName, StartsAt: t.StartsAt.UTC(), Format: string(t.Format), Language: string(t.Language), SeatID: t.SeatID,
		Row: t.Row, Number: t.Number, SeatType: string(t.SeatType), TicketType: string(t.TicketType), Meia: t.Meia,
		Status: string(t.Status), QR: t.QR, IssuedAt: t.IssuedAt.UTC(), UsedAt: t.UsedAt,
	}
}

func (it ticketItem) ticket() tickets.Ticket {
	t := tickets.Ticket{ID: it.ID, OrderID: it.OrderID, Buyer: it.Buyer, ShowtimeID: it.ShowtimeID, MovieTitle: it.MovieTitle,
		CinemaName: it.CinemaName, RoomName: it.RoomName, StartsAt: it.StartsAt.UTC(), Format: catalog.Format(it.Format),
		Language: catalog.Language(it.Language), SeatID: it.SeatID, Row: it.Row, Number: it.Number, SeatType: catalog.SeatType(it.SeatType),
		TicketType: pricing.TicketType(it.TicketType), Meia: it.Meia, Status: tickets.Status(it.Status), QR: it.QR, IssuedAt: it.IssuedAt.UTC()}
	if !it.UsedAt.IsZero() {
		t.UsedAt = it.UsedAt.UTC()
	}
	return t
}

type idempotencyItem struct {
	PK, SK      string
	Type        string
	Status      string
	BodyHash    string
	RespStatus  int               `dynamo:",omitempty"`
	RespBody    string            `dynamo:",omitempty"`
	RespHeaders map[string]string `dynamo:",omitempty"`
	LeaseMs     int64
	ExpMs       int64
	TTL         int64 `dynamo:"ttl"`
}

// ReadHold reads a hold with a strongly consistent read: the purchase
// completion decides from it right after writing it.
func (s *Store) ReadHold(ctx context.Context, id string) (booking.Hold, error) {
	var it holdItem
	if err := s.getConsistent(ctx, holdPK(id), &it); err != nil {
		return booking.Hold{}, notFoundAs(err, "reserva", id)
	}
	return it.hold(), nil
}

// CreateOrder writes the order and marks its hold ORDERED in one
// transaction: the hold's update is conditioned on it being the buyer's,
// ACTIVE and unexpired, and the order's Put on it not existing.
func (s *Store) CreateOrder(ctx context.Context, o orders.Order, now time.Time) error {
	av, err := dynamo.MarshalItem(newOrderItem(o, 1))
	if err != nil {
		return fmt.Errorf("marshal order: %w", err)
	}
	items := []types.TransactWriteItem{
		{Update: &types.Update{
			TableName:                aws.String(s.name),
			Key:                      key(holdPK(o.HoldID), skMeta),
			UpdateExpression:         aws.String("SET #st = :ordered, OrderID = :order"),
			ConditionExpression:      aws.String("#st = :active AND ExpMs > :now AND Holder = :buyer"),
			ExpressionAttributeNames: map[string]string{"#st": "Status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":ordered": str(string(booking.Ordered)), ":active": str(string(booking.Active)), ":order": str(o.ID),
				":buyer": str(o.Buyer), ":now": num64(now.UnixMilli()),
			},
		}},
		{Put: &types.Put{TableName: aws.String(s.name), Item: av, ConditionExpression: aws.String("attribute_not_exists(PK)")}},
	}
	reserve, stockKeys, err := s.stockReserve(ctx, o) // bomboniere stock (internal/dynamo/stock.go)
	if err != nil {
		return err
	}
	items = append(items, reserve...)
	reasons, err := s.transact(ctx, "create order", items)
	if err != nil || reasons == nil {
		return err
	}
	switch {
	case failed(reasons, 1):
		return fmt.Errorf("create order %s: %w", o.ID, orders.ErrDuplicate)
	case failed(reasons, 0):
		h, err := s.ReadHold(ctx, o.HoldID)
		if err != nil {
			return err
		}
		if h.StatusAt(now) == booking.Expired {
			return errs.E(errs.Conflict, "hold_expired", "a reserva expirou")
		}
		return errs.E(errs.Conflict, "hold_not_active", "esta reserva já virou um pedido ou foi liberada")
	}
	if err := stockShort(reasons, 2, stockKeys, o); err != nil {
		return err
	}
	return busy("create order")
}

// GetOrder reads an order, strongly consistent.
func (s *Store) GetOrder(ctx context.Context, id string) (orders.Order, error) {
	var it orderItem
	if err := s.getConsistent(ctx, orderPK(id), &it); err != nil {
		return orders.Order{}, notFoundAs(err, "pedido", id)
	}
	return it.order(), nil
}

// OrdersByBuyer pages a buyer's orders, newest first.
func (s *Store) OrdersByBuyer(ctx context.Context, buyer string, status orders.Status, limit int, cursor string) ([]orders.Order, string, error) {
	q := s.table.Get("GSI1PK", ordersByBuyerPK(buyer)).Index(gsi1).Order(dynamo.Descending).Limit(limit)
	if status != "" {
		q = q.Filter("$ = ?", "Status", string(status))
	}
	var items []orderItem
	next, err := s.page(ctx, q, ordersByBuyerPK(buyer), cursor, &items)
	if err != nil {
		return nil, "", err
	}
	out := make([]orders.Order, 0, len(items))
	for _, it := range items {
		out = append(out, it.order())
	}
	return out, next, nil
}

// SaveOrder writes an order over the version it was read at.
func (s *Store) SaveOrder(ctx context.Context, o orders.Order) error {
	settle, err := s.stockSettle(ctx, o) // an expired or failed order gives its stock back
	if err != nil {
		return err
	}
	if len(settle) > 0 {
		return s.saveOrderSettling(ctx, o, settle)
	}
	err = s.table.Put(newOrderItem(o, o.Version+1)).If("Version = ?", o.Version).Run(ctx)
	if dynamo.IsCondCheckFailed(err) {
		return fmt.Errorf("save order %s: %w", o.ID, orders.ErrStale)
	}
	return translate("save order", err)
}

// MoveOrder saves a paid order moved to its showtime's new start, over the
// version it was read at, and gives each of its tickets that start, in one
// transaction: the buyer's ticket list sorts by it.
func (s *Store) MoveOrder(ctx context.Context, o orders.Order) error {
	put, err := s.versionedPut(newOrderItem(o, o.Version+1), o.Version)
	if err != nil {
		return err
	}
	items := []types.TransactWriteItem{put}
	start, err := dynamo.Marshal(o.Showtime.StartsAt.UTC())
	if err != nil {
		return fmt.Errorf("move order: %w", err)
	}
	for _, l := range o.Tickets {
		if l.TicketID == "" {
			continue
		}
		items = append(items, types.TransactWriteItem{Update: &types.Update{
			TableName: aws.String(s.name), Key: key(ticketPK(l.TicketID), skMeta),
			UpdateExpression:    aws.String("SET StartsAt = :s, GSI1SK = :sk"),
			ConditionExpression: aws.String("attribute_exists(PK)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":s": start, ":sk": str(ticketListSK(o.Showtime.StartsAt, l.TicketID)),
			},
		}})
	}
	reasons, err := s.transact(ctx, "move order", items)
	if err != nil || reasons == nil {
		return err
	}
	return fmt.Errorf("move order %s: %w", o.ID, orders.ErrStale)
}

// CloseOrder saves an order that moved from PENDING_PAYMENT to EXPIRED or
// FAILED, over the version it was read at and only while its hold is not
// CONFIRMED to it: paired with ConfirmHold's condition on the order, of a
// sale and a close only the first to commit happens (docs/adr/0006). Either
// failed condition is ErrStale: the caller decides again.
func (s *Store) CloseOrder(ctx context.Context, o orders.Order) error {
	settle, err := s.stockSettle(ctx, o) // an expired or failed order gives its stock back
	if err != nil {
		return err
	}
	notSold := types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
		TableName: aws.String(s.name), Key: key(holdPK(o.HoldID), skMeta),
		ConditionExpression:      aws.String("NOT (#st = :confirmed AND OrderID = :order)"),
		ExpressionAttributeNames: map[string]string{"#st": "Status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":confirmed": str(string(booking.Confirmed)), ":order": str(o.ID),
		},
	}}
	return s.saveOrderSettling(ctx, o, append([]types.TransactWriteItem{notSold}, settle...))
}

// CreatePayment writes a new payment and the order that points at it.
func (s *Store) CreatePayment(ctx context.Context, p orders.Payment, o orders.Order) error {
	pay, err := dynamo.MarshalItem(newPaymentItem(p, 1))
	if err != nil {
		return fmt.Errorf("marshal payment: %w", err)
	}
	items := []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String(s.name), Item: pay, ConditionExpression: aws.String("attribute_not_exists(PK)")}},
	}
	put, err := s.versionedPut(newOrderItem(o, o.Version+1), o.Version)
	if err != nil {
		return err
	}
	items = append(items, put)
	reasons, err := s.transact(ctx, "create payment", items)
	if err != nil || reasons == nil {
		return err
	}
	switch {
	case failed(reasons, 0):
		return fmt.Errorf("create payment %s: %w", p.ID, orders.ErrDuplicate)
	case failed(reasons, 1):
		return fmt.Errorf("create payment %s: %w", p.ID, orders.ErrStale)
	}
	return busy("create payment")
}

// GetPayment reads a payment, strongly consistent.
func (s *Store) GetPayment(ctx context.Context, id string) (orders.Payment, error) {
	var it paymentItem
	if err := s.getConsistent(ctx, paymentPK(id), &it); err != nil {
		return orders.Payment{}, notFoundAs(err, "pagamento", id)
	}
	return it.payment(), nil
}

// SavePayment writes a payment over the version it was read at.
func (s *Store) SavePayment(ctx context.Context, p orders.Payment) error {
	err := s.table.Put(newPaymentItem(p, p.Version+1)).If("Version = ?", p.Version).Run(ctx)
	if dynamo.IsCondCheckFailed(err) {
		return fmt.Errorf("save payment %s: %w", p.ID, orders.ErrStale)
	}
	return translate("save payment", err)
}

// PspEventSeen reports whether a provider event was recorded.
func (s *Store) PspEventSeen(ctx context.Context, eventID string) (bool, error) {
	var it pspEventItem
	err := s.getConsistent(ctx, pspEventPK(eventID), &it)
	if errs.KindOf(err) == errs.NotFound {
		return false, nil
	}
	return err == nil, err
}

// RecordPspEvent records a provider event and the payment it moved, in one
// transaction.
func (s *Store) RecordPspEvent(ctx context.Context, eventID string, p orders.Payment, now time.Time) error {
	ev, err := dynamo.MarshalItem(pspEventItem{PK: pspEventPK(eventID), SK: skMeta, Type: typePspEvent, PaymentID: p.ID,
		ReceivedAt: now.UTC(), TTL: now.Add(pspEventKeep).Unix()})
	if err != nil {
		return fmt.Errorf("marshal psp event: %w", err)
	}
	put, err := s.versionedPut(newPaymentItem(p, p.Version+1), p.Version)
	if err != nil {
		return err
	}
	items := []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String(s.name), Item: ev, ConditionExpression: aws.String("attribute_not_exists(PK)")}},
		put,
	}
	reasons, err := s.transact(ctx, "record psp event", items)
	if err != nil || reasons == nil {
		return err
	}
	switch {
	case failed(reasons, 0):
		return fmt.Errorf("psp event %s: %w", eventID, orders.ErrDuplicate)
	case failed(reasons, 1):
		return fmt.Errorf("psp event %s: %w", eventID, orders.ErrStale)
	}
	return busy("record psp event")
}

// IssueTickets writes the tickets and the paid order in one transaction,
// with the attach counters the concessions ranking learns from (ADR 0202):
// the order's version condition makes them count exactly once.
func (s *Store) IssueTickets(ctx context.Context, o orders.Order, ts []tickets.Ticket) error {
	put, err := s.versionedPut(newOrderItem(o, o.Version+1), o.Version)
	if err != nil {
		return err
	}
	// The counters below all need the order's showtime: read it once. A
	// showtime gone from the catalog must not block a payment; the order
	// then counts in no segment, movie or cinema-day.
	st, known, err := s.orderShowtime(ctx, o)
	if err != nil {
		return err
	}
	attach, err := s.attachForOrder(ctx, o, st, known)
	if err != nil {
		return err
	}
	items := append([]types.TransactWriteItem{put}, attach...)
	if known {
		items = append(items, s.salesWrites(o, st.MovieID)...) // presale velocity (internal/dynamo/sales.go)
	}
	settle, err := s.stockSettle(ctx, o) // the reserved stock is sold
	if err != nil {
		return err
	}
	items = append(items, settle...)
	if known {
		items = append(items, s.reportWrites(o, st, 1)...) // sales report (internal/dynamo/reports.go)
	}
	if len(o.Concessions) > 0 {
		// The counter finds the order by its pickup code. A code taken by
		// another order fails the transaction, and the completion decides
		// again with a new one.
		items = append(items, s.pickupPut(o))
	}
	for _, t := range ts {
		av, err := dynamo.MarshalItem(newTicketItem(t))
		if err != nil {
			return fmt.Errorf("marshal ticket: %w", err)
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: aws.String(s.name), Item: av,
			ConditionExpression: aws.String("attribute_not_exists(PK)")}})
	}
	reasons, err := s.transact(ctx, "issue tickets", items)
	if err != nil || reasons == nil {
		return err
	}
	// The order moved, or a ticket exists because another run issued it:
	// either way the caller decides again from what is stored.
	return fmt.Errorf("issue tickets for %s: %w", o.ID, orders.ErrStale)
}

// ReleaseOrderedHold frees the seats, marker, slot and meia count of a hold that
// is ORDERED for orderID and unexpired. An expired or released hold is left
// as it is: its seats are free already.
func (s *Store) ReleaseOrderedHold(ctx context.Context, h booking.Hold, orderID string, now time.Time) error {
	items := []types.TransactWriteItem{{Update: &types.Update{
		TableName:                aws.String(s.name),
		Key:                      key(holdPK(h.ID), skMeta),
		UpdateExpression:         aws.String("SET #st = :released, Reclaimed = :t"),
		ConditionExpression:      aws.String("#st = :ordered AND OrderID = :order AND ExpMs > :now AND attribute_not_exists(Reclaimed)"),
		ExpressionAttributeNames: map[string]string{"#st": "Status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":released": str(string(booking.Released)), ":ordered": str(string(booking.Ordered)), ":order": str(orderID),
			":t": &types.AttributeValueMemberBOOL{Value: true}, ":now": num64(now.UnixMilli()),
		},
	}}}
	items = append(items, s.ownedDeletes(h)...)
	items = append(items, s.meiaGiveBack(h.ShowtimeID, h.MeiaShards)...)
	reasons, err := s.transact(ctx, "release ordered hold", items)
	if err != nil || reasons == nil {
		return err
	}
	if conflicted(reasons) {
		return fmt.Errorf("release hold %s: %w", h.ID, orders.ErrStale)
	}
	return nil
}

// CancelOrder writes the cancelled order, releases its confirmed hold, puts
// its sold seats back on sale, gives its meia back and cancels its valid
// tickets, in one transaction.
//
// A buyer's cancellation needs every ticket VALID (ticket_already_used
// otherwise); the cinema's (usedToo, a cancelled showtime) cancels a ticket
// used at the door too: the show did not happen, so it is refunded all the
// same (docs/adr/0006).
func (s *Store) CancelOrder(ctx context.Context, o orders.Order, h booking.Hold, usedToo bool) error {
	put, err := s.versionedPut(newOrderItem(o, o.Version+1), o.Version)
	if err != nil {
		return err
	}
	items := []types.TransactWriteItem{put, {Update: &types.Update{
		TableName:                aws.String(s.name),
		Key:                      key(holdPK(h.ID), skMeta),
		UpdateExpression:         aws.String("SET #st = :released, Reclaimed = :t"),
		ConditionExpression:      aws.String("#st = :confirmed AND OrderID = :order"),
		ExpressionAttributeNames: map[string]string{"#st": "Status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":released": str(string(booking.Released)), ":confirmed": str(string(booking.Confirmed)), ":order": str(o.ID),
			":t": &types.AttributeValueMemberBOOL{Value: true},
		},
	}}}
	for _, hs := range h.Seats {
		items = append(items, types.TransactWriteItem{Delete: &types.Delete{
			TableName: aws.String(s.name), Key: key(showtimePK(h.ShowtimeID), seatSK(hs.Seat.ID)),
			ConditionExpression:      aws.String("OrderID = :order AND #st = :sold"),
			ExpressionAttributeNames: map[string]string{"#st": "Status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":order": str(o.ID), ":sold": str(string(catalog.SeatSold)),
			},
		}})
	}
	firstTicket := len(items)
	cancellable := "#st = :valid"
	values := map[string]types.AttributeValue{
		":cancelled": str(string(tickets.Cancelled)), ":valid": str(string(tickets.Valid)),
	}
	if usedToo {
		cancellable = "#st IN (:valid, :used)"
		values[":used"] = str(string(tickets.Used))
	}
	for _, l := range o.Tickets {
		if l.TicketID == "" {
			continue
		}
		items = append(items, types.TransactWriteItem{Update: &types.Update{
			TableName:                 aws.String(s.name),
			Key:                       key(ticketPK(l.TicketID), skMeta),
			UpdateExpression:          aws.String("SET #st = :cancelled"),
			ConditionExpression:       aws.String(cancellable),
			ExpressionAttributeNames:  map[string]string{"#st": "Status"},
			ExpressionAttributeValues: values,
		}})
	}
	lastTicket := len(items)
	items = append(items, s.meiaGiveBack(h.ShowtimeID, h.MeiaShards)...)
	settle, err := s.stockSettle(ctx, o) // the sold stock goes back on sale
	if err != nil {
		return err
	}
	items = append(items, settle...)
	st, known, err := s.orderShowtime(ctx, o)
	if err != nil {
		return err
	}
	if known {
		items = append(items, s.reportWrites(o, st, -1)...) // the sales report takes the order back
	}
	reasons, err := s.transact(ctx, "cancel order", items)
	if err != nil || reasons == nil {
		return err
	}
	for i := firstTicket; i < lastTicket; i++ {
		if failed(reasons, i) {
			return errs.E(errs.Conflict, "ticket_already_used", "um ingresso deste pedido já foi utilizado")
		}
	}
	return fmt.Errorf("cancel order %s: %w", o.ID, orders.ErrStale)
}

// CheckIn marks a valid ticket used with one conditional update, so a
// ticket is used exactly once however many doors scan it at once.
func (s *Store) CheckIn(ctx context.Context, ticketID string, now time.Time) (tickets.Ticket, error) {
	var it ticketItem
	err := s.table.Update(Table.PartitionKey, ticketPK(ticketID)).Range(Table.SortKey, skMeta).
		Set("Status", string(tickets.Used)).Set("UsedAt", now.UTC()).
		If("$ = ?", "Status", string(tickets.Valid)).Value(ctx, &it)
	if err == nil {
		return it.ticket(), nil
	}
	if !dynamo.IsCondCheckFailed(err) {
		return tickets.Ticket{}, translate("check in", err)
	}
	if err := s.getConsistent(ctx, ticketPK(ticketID), &it); err != nil {
		return tickets.Ticket{}, notFoundAs(err, "ingresso", ticketID)
	}
	t := it.ticket()
	switch t.Status {
	case tickets.Used:
		e := errs.E(errs.Conflict, "ticket_already_used", fmt.Sprintf("este ingresso já foi utilizado às %s",
			t.UsedAt.In(catalog.Zone).Format("15:04 de 02/01/2006")))
		e.UsedAt = t.UsedAt
		return tickets.Ticket{}, e
	case tickets.Cancelled:
		return tickets.Ticket{}, errs.E(errs.Conflict, "ticket_not_valid", "este ingresso foi cancelado")
	}
	// A ticket that exists only from a condition failure was not there when
	// the update ran: it is unknown.
	return tickets.Ticket{}, errs.NotFoundf("ingresso %s não encontrado", ticketID)
}

// TicketsByBuyer pages a buyer's tickets, soonest showtime first, only
// those of a status when one is given.
func (s *Store) TicketsByBuyer(ctx context.Context, buyer string, status tickets.Status, limit int, cursor string) ([]tickets.Ticket, string, error) {
	q := s.table.Get("GSI1PK", ticketsByBuyerPK(buyer)).Index(gsi1).Limit(limit)
	if status != "" {
		q = q.Filter("$ = ?", "Status", string(status))
	}
	var items []ticketItem
	next, err := s.page(ctx, q, ticketsByBuyerPK(buyer), cursor, &items)
	if err != nil {
		return nil, "", err
	}
	out := make([]tickets.Ticket, 0, len(items))
	for _, it := range items {
		out = append(out, it.ticket())
	}
	return out, next, nil
}

// Claim starts a keyed request; see idempotency.Store.
func (s *Store) Claim(ctx context.Context, scope, bodyHash string, now time.Time) (idempotency.Record, bool, error) {
	it := idempotencyItem{PK: idempotencyPK(scope), SK: skMeta, Type: typeIdempotency, Status: string(idempotency.InProgress),
		BodyHash: bodyHash, LeaseMs: now.Add(idempotency.Lease).UnixMilli(), ExpMs: now.Add(idempotency.Keep).UnixMilli(),
		TTL: now.Add(idempotency.Keep).Unix()}
	for range 3 {
		err := s.table.Put(it).If("attribute_not_exists($) OR ExpMs <= ? OR ($ = ? AND LeaseMs <= ? AND BodyHash = ?)",
			Table.PartitionKey, now.UnixMilli(), "Status", string(idempotency.InProgress), now.UnixMilli(), bodyHash).Run(ctx)
		if err == nil {
			return idempotency.Record{Scope: scope, BodyHash: bodyHash, Status: idempotency.InProgress}, true, nil
		}
		if !dynamo.IsCondCheckFailed(err) {
			return idempotency.Record{}, false, translate("claim idempotency key", err)
		}
		var old idempotencyItem
		err = s.getConsistent(ctx, idempotencyPK(scope), &old)
		if errs.KindOf(err) == errs.NotFound {
			continue // it went between the write and the read: claim again
		}
		if err != nil {
			return idempotency.Record{}, false, err
		}
		return idempotency.Record{Scope: scope, BodyHash: old.BodyHash, Status: idempotency.Status(old.Status),
			Response: idempotency.Response{Status: old.RespStatus, Body: old.RespBody, Headers: old.RespHeaders}}, false, nil
	}
	return idempotency.Record{}, false, busy("claim idempotency key")
}

// Complete stores a claimed request's answer.
func (s *Store) Complete(ctx context.Context, scope string, resp idempotency.Response, _ time.Time) error {
	u := s.table.Update(Table.PartitionKey, idempotencyPK(scope)).Range(Table.SortKey, skMeta).
		Set("Status", string(idempotency.Completed)).Set("RespStatus", resp.Status).Set("RespBody", resp.Body)
	if len(resp.Headers) > 0 {
		u = u.Set("RespHeaders", resp.Headers)
	}
	return translate("complete idempotency key", u.If("attribute_exists($)", Table.PartitionKey).Run(ctx))
}

// Forget drops a claimed request's record.
func (s *Store) Forget(ctx context.Context, scope string) error {
	return translate("forget idempotency key", s.table.Delete(Table.PartitionKey, idempotencyPK(scope)).Range(Table.SortKey, skMeta).Run(ctx))
}

// versionedPut is a transaction's Put of an item over the version it was
// read at.
func (s *Store) versionedPut(item any, version int) (types.TransactWriteItem, error) {
	av, err := dynamo.MarshalItem(item)
	if err != nil {
		return types.TransactWriteItem{}, fmt.Errorf("marshal item: %w", err)
	}
	return types.TransactWriteItem{Put: &types.Put{
		TableName: aws.String(s.name), Item: av, ConditionExpression: aws.String("Version = :v"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":v": num(version)},
	}}, nil
}

// transact runs a transaction, retrying while another transaction holds its
// items. It returns the cancellation reasons (in request order) of a
// transaction cancelled by a condition, nil reasons when it was written.
func (s *Store) transact(ctx context.Context, op string, items []types.TransactWriteItem) ([]types.CancellationReason, error) {
	for attempt := range txAttempts {
		_, err := s.client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
		if err == nil {
			return nil, nil
		}
		var tce *types.TransactionCanceledException
		if !errors.As(err, &tce) {
			return nil, translate(op, err)
		}
		if conflicted(tce.CancellationReasons) && !anyFailed(tce.CancellationReasons) && attempt < txAttempts-1 {
			time.Sleep(time.Duration(10*(attempt+1)) * time.Millisecond)
			continue
		}
		return tce.CancellationReasons, nil
	}
	return nil, busy(op)
}

func failed(reasons []types.CancellationReason, i int) bool {
	return i < len(reasons) && aws.ToString(reasons[i].Code) == "ConditionalCheckFailed"
}

func anyFailed(reasons []types.CancellationReason) bool {
	for i := range reasons {
		if failed(reasons, i) {
			return true
		}
	}
	return false
}

func conflicted(reasons []types.CancellationReason) bool {
	for _, r := range reasons {
		if aws.ToString(r.Code) == "TransactionConflict" {
			return true
		}
	}
	return false
}

func busy(op string) error {
	return errs.E(errs.Unavailable, "service_unavailable", "muita procura agora; tente novamente em instantes ("+op+")")
}

// getConsistent reads one META item with a strongly consistent read.
func (s *Store) getConsistent(ctx context.Context, pk string, out any) error {
	err := s.table.Get(Table.PartitionKey, pk).Range(Table.SortKey, dynamo.Equal, skMeta).Consistent(true).One(ctx, out)
	return translate("get item", err)
}

// cursorKey is what a page cursor carries: the last item's keys. The index
// partition is never read from it, so a cursor cannot open another buyer's
// list.
type cursorKey struct {
	PK     string `json:"p"`
	GSI1SK string `json:"s"`
}

// page runs a query of a buyer's GSI1 partition from a cursor and returns
// the cursor of the next page ("" on the last).
func (s *Store) page(ctx context.Context, q *dynamo.Query, gsiPK, cursor string, out any) (string, error) {
	if cursor != "" {
		raw, err := base64.RawURLEncoding.DecodeString(cursor)
		var c cursorKey
		if err == nil {
			err = json.Unmarshal(raw, &c)
		}
		if err != nil || c.PK == "" {
			return "", errs.InvalidFields(errs.FieldError{Field: "cursor", Message: "cursor inválido"})
		}
		q = q.StartFrom(dynamo.PagingKey{
			Table.PartitionKey: str(c.PK), Table.SortKey: str(skMeta), "GSI1PK": str(gsiPK), "GSI1SK": str(c.GSI1SK),
		})
	}
	last, err := q.AllWithLastEvaluatedKey(ctx, out)
	if err != nil {
		return "", translate("list page", err)
	}
	if len(last) == 0 {
		return "", nil
	}
	pk, _ := last[Table.PartitionKey].(*types.AttributeValueMemberS)
	sk, _ := last["GSI1SK"].(*types.AttributeValueMemberS)
	if pk == nil || sk == nil {
		return "", nil
	}
	raw, _ := json.Marshal(cursorKey{PK: pk.Value, GSI1SK: sk.Value})
	return base64.RawURLEncoding.EncodeToString(raw), nil
}

var (
	_ orders.Store      = (*Store)(nil)
	_ idempotency.Store = (*Store)(nil)
)

// orderShowtime reads the showtime of an order for its counters; known is
// false when it is no longer in the catalog.
func (s *Store) orderShowtime(ctx context.Context, o orders.Order) (st catalog.ShowtimeListing, known bool, err error) {
	st, _, err = s.GetShowtimeRows(ctx, o.Showtime.ID, nil)
	if errs.KindOf(err) == errs.NotFound {
		return catalog.ShowtimeListing{}, false, nil
	}
	if err != nil {
		return catalog.ShowtimeListing{}, false, fmt.Errorf("showtime of order %s: %w", o.ID, err)
	}
	return st, true, nil
}

// attachForOrder builds the attach counter increments of a paid order: its
// segment (from the party, the movie and the showtime st, as the ranking
// computes it) and the products it bought.
func (s *Store) attachForOrder(ctx context.Context, o orders.Order, st catalog.ShowtimeListing, known bool) ([]types.TransactWriteItem, error) {
	// A showtime or movie gone from the catalog must not block a payment:
	// the order then counts for every order and the buyer, in no segment.
	segment := concessions.SegmentAll
	var movie catalog.Movie
	if known {
		m, err := s.GetMovie(ctx, st.MovieID)
		if err != nil && errs.KindOf(err) != errs.NotFound {
			return nil, fmt.Errorf("attach counters: %w", err)
		}
		movie, known = m, err == nil
	}
	var party concessions.Party
	for _, t := range o.Tickets {
		party.Tickets = append(party.Tickets, concessions.Ticket{Type: string(t.TicketType), Meia: t.Meia})
		if t.SeatType == catalog.SeatCouple {
			party.CoupleSeats++
		}
	}
	var bought []catalog.Product
	if len(o.Concessions) > 0 {
		menu, err := s.ListProducts(ctx)
		if err != nil {
			return nil, fmt.Errorf("attach counters: %w", err)
		}
		byID := map[string]catalog.Product{}
		for _, p := range menu {
			byID[p.ID] = p
		}
		for _, l := range o.Concessions {
			if p, ok := byID[l.ProductID]; ok {
				bought = append(bought, p)
			}
		}
	}
	if known {
		segment = concessions.SegmentOf(party, movie, st.Showtime)
	}
	return s.AttachWrites(o.ID, o.Buyer, segment, bought), nil
}
