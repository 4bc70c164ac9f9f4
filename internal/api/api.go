// Package api holds one handler per operation of the contract: decode the
// request into generated types, call the domain, encode the answer. Every
// handler is wrapped by apigw.Wrap, which validates the request against the
// spec and enforces the registry's auth level first.
package api

import (
	"bilhetagem/internal/account"
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/apigw"
	"bilhetagem/internal/booking"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/concessions"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/idempotency"
	"bilhetagem/internal/notices"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/programming"
	"bilhetagem/internal/psp"
	"bilhetagem/internal/ratelimit"
	"bilhetagem/internal/releases"
	"bilhetagem/internal/reports"
	"bilhetagem/internal/scaling"
	"bilhetagem/internal/stock"
	"bilhetagem/internal/tickets"
	"bilhetagem/internal/waitingroom"
)

// Pinger reports whether the store answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Deps is what the handlers are built from, once per Lambda init or server
// start.
type Deps struct {
	Catalog *catalog.Service
	Booking *booking.Service
	// Concessions ranks the bomboniere for a hold.
	Concessions *concessions.Service
	Store       Pinger
	// Premiere readiness (ops and the waiting room); nil leaves those
	// operations answering 501 and createHold without a waiting room.
	Releases    *releases.Service
	Scaling     *scaling.Service
	WaitingRoom *waitingroom.Service
	Now         func() time.Time
	Log         *slog.Logger

	// Orders, Tickets, Idempotency and Webhooks serve the purchase:
	// orders, payments, the provider's webhook, tickets and check-in. Left
	// nil, those operations answer 501.
	Orders  *orders.Service
	Tickets *tickets.Service
	// Counter hands bomboniere pickups over; nil leaves getPickup and
	// redeemPickup unbuilt (501).
	Counter *orders.Counter
	// Notices is the buyer's inbox; nil leaves listMyNotices and
	// markNoticesRead unbuilt (501).
	Notices *notices.Service
	// Account keeps the buyer's profile when they order, and serves their
	// data export and account deletion; nil keeps no profile and leaves
	// exportMyData and deleteMyAccount unbuilt (501).
	Account     *account.Service
	Idempotency idempotency.Store
	// Webhooks reads the simulator's webhooks (receivePspWebhook) and
	// StripeWebhooks Stripe's (receiveStripeWebhook); the provider the
	// environment does not pay through is nil, and its webhook answers
	// 404 provider_not_configured.
	Webhooks       psp.Webhooks
	StripeWebhooks psp.Webhooks

	// RateLimit bounds how often one buyer may call the operations it has a
	// rule for (createHold, createOrder; docs/adr/0500). Nil limits nothing.
	RateLimit *ratelimit.Limiter
	// Reports builds the back office's sales reports; nil leaves
	// getSalesReport answering 501.
	Reports *reports.Service

	// StaffEmails makes the holders of these verified e-mails staff
	// (STAFF_EMAILS; docs/adr/0500). Empty, only the groups claim does.
	StaffEmails apigw.StaffEmails

	// Prices, Menu and Stock serve the back office's price tables, menu
	// and bomboniere stock (docs/adr/0600). Left nil, those operations
	// answer 501.
	Prices *catalog.PriceAdmin
	Menu   *catalog.MenuAdmin
	Stock  *stock.Service

	// Programming serves the back office's movies, rooms and schedule. Nil
	// builds it on Store when the store serves it, refunding through Orders
	// and with the default cleaning interval.
	Programming *programming.Service
}

// handlers maps every operation to its handler; those no issue has built yet
// answer 501 through apigw.NotImplemented.
func handlers(d Deps) map[string]apigw.Handler {
	built := map[string]apigw.Handler{
		operations.GetHealth:          GetHealth{Store: d.Store, Now: d.Now},
		operations.ListCinemas:        ListCinemas{Catalog: d.Catalog},
		operations.ListMovies:         ListMovies{Catalog: d.Catalog, Now: d.Now},
		operations.GetMovie:           GetMovie{Catalog: d.Catalog, Now: d.Now},
		operations.ListShowtimes:      ListShowtimes{Catalog: d.Catalog, Now: d.Now},
		operations.GetShowtime:        GetShowtime{Catalog: d.Catalog, Now: d.Now},
		operations.GetConcessionsMenu: GetConcessionsMenu{Catalog: d.Catalog},
		operations.ListTicketTypes:    ListTicketTypes{Catalog: d.Catalog, Orders: d.Orders},
		operations.CreateHold:         CreateHold{Booking: d.Booking, Idempotency: d.Idempotency, Now: d.Now},
		operations.GetHold:            GetHold{Booking: d.Booking, Now: d.Now},
		operations.ReleaseHold:        ReleaseHold{Booking: d.Booking, Now: d.Now},
		operations.ListMyHolds:        ListMyHolds{Booking: d.Booking, Now: d.Now},
		operations.ListHoldRecommendations: ListHoldRecommendations{Booking: d.Booking, Catalog: d.Catalog,
			Concessions: d.Concessions, Now: d.Now},
		operations.GetMe: GetMe{},
	}
	if d.Orders != nil && d.Tickets != nil && d.Idempotency != nil {
		built[operations.CreateOrder] = CreateOrder{Orders: d.Orders, Idempotency: d.Idempotency, Profiles: d.Account, Now: d.Now}
		built[operations.GetOrder] = GetOrder{Orders: d.Orders, Now: d.Now}
		built[operations.ListMyOrders] = ListMyOrders{Orders: d.Orders, Now: d.Now}
		built[operations.CancelOrder] = CancelOrder{Orders: d.Orders, Now: d.Now}
		built[operations.CreatePayment] = CreatePayment{Orders: d.Orders, Idempotency: d.Idempotency, Now: d.Now}
		built[operations.GetPayment] = GetPayment{Orders: d.Orders, Now: d.Now}
		built[operations.ReceivePspWebhook] = ReceivePspWebhook{Orders: d.Orders, Webhooks: d.Webhooks, Now: d.Now}
		built[operations.ReceiveStripeWebhook] = ReceivePspWebhook{Orders: d.Orders, Webhooks: d.StripeWebhooks, Now: d.Now}
		built[operations.ListMyTickets] = ListMyTickets{Tickets: d.Tickets}
		built[operations.CheckInTicket] = CheckInTicket{Tickets: d.Tickets, Now: d.Now}
	}
	if d.Notices != nil {
		built[operations.ListMyNotices] = ListMyNotices{Notices: d.Notices}
		built[operations.MarkNoticesRead] = MarkNoticesRead{Notices: d.Notices, Now: d.Now}
	}
	if d.Account != nil {
		built[operations.ExportMyData] = ExportMyData{Account: d.Account, Now: d.Now}
		built[operations.DeleteMyAccount] = DeleteMyAccount{Account: d.Account, Now: d.Now}
	}
	if d.Counter != nil {
		built[operations.GetPickup] = GetPickup{Counter: d.Counter}
		built[operations.RedeemPickup] = RedeemPickup{Counter: d.Counter, Now: d.Now}
	}
	if d.Reports != nil {
		built[operations.GetSalesReport] = GetSalesReport{Reports: d.Reports}
	}
	premiere(built, d)
	pricesMenuStock(built, d)
	backoffice(built, d)
	for _, op := range operations.All {
		if _, ok := built[op.ID]; !ok {
			built[op.ID] = apigw.NotImplemented(op)
		}
	}
	return built
}

// premiere registers the ops and waiting-room handlers whose services are
// wired, and puts the waiting room in front of createHold.
func premiere(built map[string]apigw.Handler, d Deps) {
	if d.Releases != nil {
		built[operations.ListReleaseClassifications] = ListReleaseClassifications{Releases: d.Releases, Now: d.Now}
	}
	if d.Scaling != nil {
		built[operations.GetScalingPlan] = GetScalingPlan{Scaling: d.Scaling, Now: d.Now}
		built[operations.OverrideScalingPlan] = OverrideScalingPlan{Scaling: d.Scaling, Now: d.Now}
	}
	if d.WaitingRoom != nil {
		built[operations.GetWaitingRoom] = GetWaitingRoom{WaitingRoom: d.WaitingRoom, Now: d.Now}
		built[operations.UpdateWaitingRoom] = UpdateWaitingRoom{WaitingRoom: d.WaitingRoom, Now: d.Now}
		built[operations.EnterWaitingRoom] = EnterWaitingRoom{WaitingRoom: d.WaitingRoom, Now: d.Now}
		built[operations.GetWaitingRoomEntry] = GetWaitingRoomEntry{WaitingRoom: d.WaitingRoom, Now: d.Now}
		if h, ok := built[operations.CreateHold].(CreateHold); ok {
			h.Gate = d.WaitingRoom
			built[operations.CreateHold] = h
		}
	}
}

// pricesMenuStock registers the back office's price, menu and stock
// handlers whose services are wired.
func pricesMenuStock(built map[string]apigw.Handler, d Deps) {
	if d.Prices != nil {
		built[operations.GetPriceTable] = GetPriceTable{Prices: d.Prices}
		built[operations.PutPriceTable] = PutPriceTable{Prices: d.Prices, Now: d.Now}
	}
	if d.Menu != nil {
		built[operations.ListAdminProducts] = ListAdminProducts{Menu: d.Menu}
		built[operations.PutProduct] = PutProduct{Menu: d.Menu}
	}
	if d.Stock != nil {
		built[operations.GetStock] = GetStock{Stock: d.Stock}
		built[operations.AdjustStock] = AdjustStock{Stock: d.Stock, Now: d.Now}
	}
}

// backoffice registers the movie, room and schedule operations.
func backoffice(built map[string]apigw.Handler, d Deps) {
	p := d.Programming
	if p == nil {
		store, ok := d.Store.(programming.Store)
		if !ok {
			return
		}
		p = &programming.Service{Store: store, Log: d.Log}
		if d.Orders != nil {
			p.Refunds = d.Orders
		}
	}
	built[operations.ListAdminMovies] = ListAdminMovies{Programming: p, Now: d.Now}
	built[operations.CreateMovie] = CreateMovie{Programming: p, Now: d.Now}
	built[operations.UpdateMovie] = UpdateMovie{Programming: p, Now: d.Now}
	built[operations.RetireMovie] = RetireMovie{Programming: p, Now: d.Now}
	built[operations.ListRooms] = ListRooms{Programming: p}
	built[operations.CreateRoom] = CreateRoom{Programming: p}
	built[operations.CreateRoomLayout] = CreateRoomLayout{Programming: p}
	built[operations.GetSchedule] = GetSchedule{Programming: p}
	built[operations.ScheduleShowtimes] = ScheduleShowtimes{Programming: p}
	built[operations.CancelShowtime] = CancelShowtime{Programming: p, Now: d.Now}
	built[operations.RescheduleShowtime] = RescheduleShowtime{Programming: p, Now: d.Now}
	built[operations.BlockSeats] = BlockSeats{Programming: p, Now: d.Now}
	built[operations.UnblockSeat] = UnblockSeat{Programming: p}
}

// Build returns every operation's handler, wrapped, by operationId.
func Build(d Deps, v *apigw.Validator) map[string]apigw.Handler {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	raw := handlers(d)
	out := make(map[string]apigw.Handler, len(raw))
	for _, op := range operations.All {
		h := raw[op.ID]
		if d.RateLimit.Limited(op.ID) {
			h = rateLimited(op.ID, d.RateLimit, d.Now, h)
		}
		out[op.ID] = apigw.WrapWithStaff(op, v, d.Log, d.StaffEmails, h)
	}
	return out
}

// rateLimited counts the request against the caller's budget for the
// operation before h runs; over budget it answers 429 rate_limited with
// Retry-After and h never runs. It sits inside apigw.Wrap, so the caller is
// authenticated and the request valid by the time it is counted.
func rateLimited(opID string, l *ratelimit.Limiter, now func() time.Time, h apigw.Handler) apigw.Handler {
	return apigw.HandlerFunc(func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		var subject string
		if p, ok := apigw.PrincipalFrom(ctx); ok {
			subject = p.Subject
		}
		d, err := l.Allow(ctx, opID, subject, now())
		if err != nil {
			return events.APIGatewayV2HTTPResponse{}, err
		}
		if !d.Allowed {
			secs := ratelimit.RetryAfterSeconds(d.RetryAfter)
			resp := apigw.Problem(errs.E(errs.TooManyRequests, "rate_limited",
				fmt.Sprintf("muitas tentativas em pouco tempo; tente novamente em %d s", secs)), req.RequestContext.RequestID, req.RawPath)
			resp.Headers["Retry-After"] = strconv.Itoa(secs)
			return resp, nil
		}
		return h.Handle(ctx, req)
	})
}

// Handler returns one operation's wrapped handler; a Lambda calls it at init.
func Handler(opID string, d Deps, v *apigw.Validator) (apigw.Handler, error) {
	h, ok := Build(d, v)[opID]
	if !ok {
		return nil, fmt.Errorf("no operation %s in the registry", opID)
	}
	return h, nil
}
