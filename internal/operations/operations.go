// Package operations is the one registry of the API's operations.
//
// Every operation of openapi/openapi.yaml is listed here exactly once with its
// method, path, who may call it and what it may do to the table. The local
// server routes from this list, the CDK builds its routes and IAM grants from
// it, and a test keeps it, the spec and functions/ in step.
package operations

import (
	"strings"
	"unicode"
)

// Auth says who may call an operation.
type Auth int

const (
	// Public operations need no token.
	Public Auth = iota + 1
	// Buyer operations need a valid token from the configured OIDC issuer.
	Buyer
	// Staff operations need a valid token that carries the staff group.
	Staff
	// Signed operations are called by a payment provider and carry an HMAC
	// signature instead of a token.
	Signed
)

func (a Auth) String() string {
	switch a {
	case Public:
		return "public"
	case Buyer:
		return "buyer"
	case Staff:
		return "staff"
	case Signed:
		return "signed"
	}
	return "unknown"
}

// TableAccess says what an operation may do to the single table. The CDK turns
// it into a least-privilege grant.
type TableAccess int

const (
	// NoTable operations never touch the table.
	NoTable TableAccess = iota + 1
	// ReadOnly operations may read, never write.
	ReadOnly
	// ReadWrite operations may read and write.
	ReadWrite
)

func (t TableAccess) String() string {
	switch t {
	case NoTable:
		return "none"
	case ReadOnly:
		return "read"
	case ReadWrite:
		return "read-write"
	}
	return "unknown"
}

// Operation is one entry of the registry.
type Operation struct {
	ID     string // operationId in the spec, camelCase
	Method string
	Path   string // as in the spec, relative to the /api server prefix
	Auth   Auth
	Table  TableAccess
}

// Function is the operation's folder under functions/: the operationId in
// kebab-case.
func (o Operation) Function() string {
	var b strings.Builder
	for i, r := range o.ID {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('-')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// BackOffice reports whether the operation belongs to the chain's back
// office (paths under /admin): staff-only, low-traffic operations that the
// CDK gives shared roles.
func (o Operation) BackOffice() bool { return strings.HasPrefix(o.Path, "/admin/") }

// CallsProvider reports whether the operation may call the payment provider:
// it charges, or runs an order's completion in process (refunds, a Pix
// cancelled), or reads the provider to map its webhooks. Only these get the
// provider's keys (cdk/secrets.go); the purchase-step worker and the order
// sweeper get them too.
func (o Operation) CallsProvider() bool {
	switch o.ID {
	case CreatePayment, CancelOrder, ReceivePspWebhook, ReceiveStripeWebhook, CancelShowtime, RescheduleShowtime:
		return true
	}
	return false
}

// Operation ids, so code refers to them by name and a typo fails to compile.
const (
	GetHealth                  = "getHealth"
	ListCinemas                = "listCinemas"
	ListMovies                 = "listMovies"
	GetMovie                   = "getMovie"
	ListShowtimes              = "listShowtimes"
	GetShowtime                = "getShowtime"
	ListTicketTypes            = "listTicketTypes"
	GetConcessionsMenu         = "getConcessionsMenu"
	CreateHold                 = "createHold"
	GetHold                    = "getHold"
	ReleaseHold                = "releaseHold"
	ListHoldRecommendations    = "listHoldRecommendations"
	ListMyHolds                = "listMyHolds"
	CreateOrder                = "createOrder"
	GetOrder                   = "getOrder"
	ListMyOrders               = "listMyOrders"
	CancelOrder                = "cancelOrder"
	CreatePayment              = "createPayment"
	GetPayment                 = "getPayment"
	ReceivePspWebhook          = "receivePspWebhook"
	ReceiveStripeWebhook       = "receiveStripeWebhook"
	ListMyTickets              = "listMyTickets"
	CheckInTicket              = "checkInTicket"
	GetPickup                  = "getPickup"
	ListMyNotices              = "listMyNotices"
	MarkNoticesRead            = "markNoticesRead"
	RedeemPickup               = "redeemPickup"
	GetMe                      = "getMe"
	DeleteMyAccount            = "deleteMyAccount"
	ExportMyData               = "exportMyData"
	ListReleaseClassifications = "listReleaseClassifications"
	GetScalingPlan             = "getScalingPlan"
	OverrideScalingPlan        = "overrideScalingPlan"
	GetWaitingRoom             = "getWaitingRoom"
	UpdateWaitingRoom          = "updateWaitingRoom"
	EnterWaitingRoom           = "enterWaitingRoom"
	GetWaitingRoomEntry        = "getWaitingRoomEntry"

	// Back office (staff).
	ListAdminMovies    = "listAdminMovies"
	CreateMovie        = "createMovie"
	UpdateMovie        = "updateMovie"
	RetireMovie        = "retireMovie"
	ListRooms          = "listRooms"
	CreateRoom         = "createRoom"
	CreateRoomLayout   = "createRoomLayout"
	GetSchedule        = "getSchedule"
	ScheduleShowtimes  = "scheduleShowtimes"
	RescheduleShowtime = "rescheduleShowtime"
	CancelShowtime     = "cancelShowtime"
	BlockSeats         = "blockSeats"
	UnblockSeat        = "unblockSeat"
	GetPriceTable      = "getPriceTable"
	PutPriceTable      = "putPriceTable"
	ListAdminProducts  = "listAdminProducts"
	PutProduct         = "putProduct"
	GetStock           = "getStock"
	AdjustStock        = "adjustStock"
	GetSalesReport     = "getSalesReport"
)

// All is the registry, in the order of the spec.
var All = []Operation{
	{GetHealth, "GET", "/health", Public, ReadOnly},

	{ListCinemas, "GET", "/cinemas", Public, ReadOnly},
	{ListMovies, "GET", "/movies", Public, ReadOnly},
	{GetMovie, "GET", "/movies/{movieId}", Public, ReadOnly},
	{ListShowtimes, "GET", "/showtimes", Public, ReadOnly},
	{GetShowtime, "GET", "/showtimes/{showtimeId}", Public, ReadOnly},
	{ListTicketTypes, "GET", "/showtimes/{showtimeId}/ticket-types", Public, ReadOnly},
	{GetConcessionsMenu, "GET", "/concessions", Public, ReadOnly},

	{CreateHold, "POST", "/holds", Buyer, ReadWrite},
	{GetHold, "GET", "/holds/{holdId}", Buyer, ReadOnly},
	{ReleaseHold, "DELETE", "/holds/{holdId}", Buyer, ReadWrite},
	{ListHoldRecommendations, "GET", "/holds/{holdId}/recommendations", Buyer, ReadOnly},
	{ListMyHolds, "GET", "/me/holds", Buyer, ReadOnly},

	{CreateOrder, "POST", "/orders", Buyer, ReadWrite},
	{GetOrder, "GET", "/orders/{orderId}", Buyer, ReadOnly},
	{ListMyOrders, "GET", "/me/orders", Buyer, ReadOnly},
	{CancelOrder, "POST", "/orders/{orderId}/cancel", Buyer, ReadWrite},

	{CreatePayment, "POST", "/orders/{orderId}/payments", Buyer, ReadWrite},
	{GetPayment, "GET", "/orders/{orderId}/payments/{paymentId}", Buyer, ReadOnly},
	{ReceivePspWebhook, "POST", "/webhooks/psp", Signed, ReadWrite},
	{ReceiveStripeWebhook, "POST", "/webhooks/stripe", Signed, ReadWrite},

	{ListMyTickets, "GET", "/me/tickets", Buyer, ReadOnly},
	{ListMyNotices, "GET", "/me/notices", Buyer, ReadOnly},
	{MarkNoticesRead, "POST", "/me/notices/read", Buyer, ReadWrite},
	{CheckInTicket, "POST", "/checkins", Staff, ReadWrite},
	{GetPickup, "GET", "/pickups/{code}", Staff, ReadOnly},
	{RedeemPickup, "POST", "/pickups/{code}/redemptions", Staff, ReadWrite},

	{GetMe, "GET", "/me", Buyer, NoTable},
	{DeleteMyAccount, "DELETE", "/me", Buyer, ReadWrite},
	{ExportMyData, "GET", "/me/data", Buyer, ReadOnly},

	{ListReleaseClassifications, "GET", "/ops/releases", Staff, ReadOnly},
	{GetScalingPlan, "GET", "/ops/scaling-plan", Staff, ReadOnly},
	{OverrideScalingPlan, "PUT", "/ops/scaling-plan/overrides", Staff, ReadWrite},
	{GetWaitingRoom, "GET", "/ops/waiting-room", Staff, ReadOnly},
	{UpdateWaitingRoom, "PUT", "/ops/waiting-room", Staff, ReadWrite},
	{EnterWaitingRoom, "POST", "/waiting-room/entries", Buyer, ReadWrite},
	{GetWaitingRoomEntry, "GET", "/waiting-room/entries/{entryId}", Buyer, ReadOnly},

	{ListAdminMovies, "GET", "/admin/movies", Staff, ReadOnly},
	{CreateMovie, "POST", "/admin/movies", Staff, ReadWrite},
	{UpdateMovie, "PUT", "/admin/movies/{movieId}", Staff, ReadWrite},
	{RetireMovie, "POST", "/admin/movies/{movieId}/retire", Staff, ReadWrite},
	{ListRooms, "GET", "/admin/cinemas/{cinemaId}/rooms", Staff, ReadOnly},
	{CreateRoom, "POST", "/admin/cinemas/{cinemaId}/rooms", Staff, ReadWrite},
	{CreateRoomLayout, "POST", "/admin/cinemas/{cinemaId}/rooms/{roomId}/layouts", Staff, ReadWrite},
	{GetSchedule, "GET", "/admin/cinemas/{cinemaId}/schedule", Staff, ReadOnly},
	{ScheduleShowtimes, "POST", "/admin/showtimes", Staff, ReadWrite},
	{RescheduleShowtime, "POST", "/admin/showtimes/{showtimeId}/reschedule", Staff, ReadWrite},
	{CancelShowtime, "POST", "/admin/showtimes/{showtimeId}/cancel", Staff, ReadWrite},
	{BlockSeats, "POST", "/admin/showtimes/{showtimeId}/blocks", Staff, ReadWrite},
	{UnblockSeat, "DELETE", "/admin/showtimes/{showtimeId}/blocks/{seatId}", Staff, ReadWrite},
	{GetPriceTable, "GET", "/admin/cinemas/{cinemaId}/prices", Staff, ReadOnly},
	{PutPriceTable, "PUT", "/admin/cinemas/{cinemaId}/prices", Staff, ReadWrite},
	{ListAdminProducts, "GET", "/admin/concessions", Staff, ReadOnly},
	{PutProduct, "PUT", "/admin/concessions/{productId}", Staff, ReadWrite},
	{GetStock, "GET", "/admin/cinemas/{cinemaId}/stock", Staff, ReadOnly},
	{AdjustStock, "PATCH", "/admin/cinemas/{cinemaId}/stock", Staff, ReadWrite},
	{GetSalesReport, "GET", "/admin/reports/sales", Staff, ReadOnly},
}

// ByID returns the operation with that operationId.
func ByID(id string) (Operation, bool) {
	for _, op := range All {
		if op.ID == id {
			return op, true
		}
	}
	return Operation{}, false
}
