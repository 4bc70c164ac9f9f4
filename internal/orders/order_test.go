package orders

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/booking"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/money"
	"bilhetagem/internal/pricing"
	"bilhetagem/internal/psp"
)

func TestStatusTransitions(t *testing.T) {
	t.Parallel()
	allowed := map[Status]map[Event]Status{
		PendingPayment: {EventPaid: Paid, EventExpired: Expired, EventFailed: Failed},
		Paid:           {EventCancelled: Cancelled, EventRefunded: Refunded},
		Cancelled:      {EventRefunded: Refunded},
	}
	for _, from := range Statuses {
		for _, ev := range Events {
			want, ok := allowed[from][ev]
			name := fmt.Sprintf("%s on %s is refused", from, ev)
			if ok {
				name = fmt.Sprintf("%s on %s becomes %s", from, ev, want)
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				got, err := from.Next(ev)
				if ok {
					require.NoError(t, err)
					assert.Equal(t, want, got)
					return
				}
				assert.ErrorIs(t, err, ErrTransition)
				assert.Equal(t, from, got, "a refused event leaves the status as it was")
			})
		}
	}
	t.Run("refunded, expired and failed orders are final", func(t *testing.T) {
		t.Parallel()
		for _, s := range []Status{Refunded, Expired, Failed} {
			assert.True(t, s.Final(), s)
		}
		assert.False(t, Paid.Final())
	})
}

func TestOrderStatusAt(t *testing.T) {
	t.Parallel()
	exp := time.Date(2026, 12, 4, 20, 10, 0, 0, time.UTC)
	o := Order{Status: PendingPayment, ExpiresAt: exp}
	t.Run("a pending order before its expiry is pending", func(t *testing.T) {
		assert.Equal(t, PendingPayment, o.StatusAt(exp.Add(-time.Second)))
	})
	t.Run("a pending order at its expiry reads as expired without any write", func(t *testing.T) {
		assert.Equal(t, Expired, o.StatusAt(exp))
	})
	t.Run("a paid order stays paid after the hold's expiry", func(t *testing.T) {
		paid := o
		paid.Status = Paid
		assert.Equal(t, Paid, paid.StatusAt(exp.Add(time.Hour)))
	})
}

func TestPaymentEvents(t *testing.T) {
	t.Parallel()
	cases := []struct {
		from PaymentStatus
		ev   psp.EventType
		to   PaymentStatus
		ok   bool
	}{
		{PaymentPending, psp.EventApproved, PaymentApproved, true},
		{PaymentPending, psp.EventDeclined, PaymentDeclined, true},
		{PaymentPending, psp.EventExpired, PaymentExpired, true},
		{PaymentPending, psp.EventFailed, PaymentFailed, true},
		{PaymentPending, psp.EventRefunded, PaymentRefunded, true},
		{PaymentExpired, psp.EventRefunded, PaymentRefunded, true},
		{PaymentDeclined, psp.EventRefunded, PaymentDeclined, false},
		{PaymentExpired, psp.EventApproved, PaymentApproved, true},
		{PaymentFailed, psp.EventApproved, PaymentApproved, true},
		{PaymentApproved, psp.EventRefunded, PaymentRefunded, true},
		{PaymentApproved, psp.EventApproved, PaymentApproved, false},
		{PaymentApproved, psp.EventDeclined, PaymentApproved, false},
		{PaymentApproved, psp.EventExpired, PaymentApproved, false},
		{PaymentRefunded, psp.EventApproved, PaymentRefunded, false},
		{PaymentRefunded, psp.EventRefunded, PaymentRefunded, false},
		{PaymentDeclined, psp.EventApproved, PaymentDeclined, false},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s on %s gives %s (applied %v)", tc.from, tc.ev, tc.to, tc.ok), func(t *testing.T) {
			t.Parallel()
			got, ok := tc.from.On(tc.ev)
			assert.Equal(t, tc.to, got)
			assert.Equal(t, tc.ok, ok)
		})
	}
}

func TestDecide(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 4, 20, 5, 0, 0, time.UTC)
	pending := Order{ID: "ord-1", Status: PendingPayment, ExpiresAt: now.Add(5 * time.Minute)}
	lapsed := pending
	lapsed.ExpiresAt = now.Add(-time.Minute)
	with := func(o Order, s Status) Order { o.Status = s; return o }
	refunded := with(pending, Expired)
	refunded.Refund = 100
	cases := []struct {
		name string
		f    Facts
		want Step
	}{
		{"a pending order with no payment waits", Facts{Order: pending, Hold: booking.Ordered, HoldOrder: "ord-1"}, StepWait},
		{"a pending payment waits", Facts{Order: pending, Payment: PaymentPending, Hold: booking.Ordered, HoldOrder: "ord-1"}, StepWait},
		{"an unpaid order past its hold expires", Facts{Order: lapsed, Payment: PaymentPending, Hold: booking.Expired, HoldOrder: "ord-1"}, StepExpireOrder},
		{"an approval on a held hold sells the seats", Facts{Order: pending, Payment: PaymentApproved, Hold: booking.Ordered, HoldOrder: "ord-1"}, StepConfirmSeats},
		{"an approval on sold seats issues the tickets", Facts{Order: pending, Payment: PaymentApproved, Hold: booking.Confirmed, HoldOrder: "ord-1"}, StepIssueTickets},
		{"an approval after the hold expired expires the order", Facts{Order: lapsed, Payment: PaymentApproved, Hold: booking.Expired, HoldOrder: "ord-1"}, StepExpireOrder},
		{"an approval on a released hold fails the order", Facts{Order: pending, Payment: PaymentApproved, Hold: booking.Released, HoldOrder: "ord-1"}, StepFailOrder},
		{"a refund by the provider after the sale issues the tickets, to void them", Facts{Order: pending, Payment: PaymentRefunded, Hold: booking.Confirmed, HoldOrder: "ord-1"}, StepIssueTickets},
		{"a decline releases the seats first", Facts{Order: pending, Payment: PaymentDeclined, Hold: booking.Ordered, HoldOrder: "ord-1"}, StepReleaseSeats},
		{"a decline with the seats released fails the order", Facts{Order: pending, Payment: PaymentDeclined, Hold: booking.Released, HoldOrder: "ord-1"}, StepFailOrder},
		{"an expired Pix with the seats still held releases them", Facts{Order: pending, Payment: PaymentExpired, Hold: booking.Ordered, HoldOrder: "ord-1"}, StepReleaseSeats},
		{"an expired Pix expires the order", Facts{Order: lapsed, Payment: PaymentExpired, Hold: booking.Expired, HoldOrder: "ord-1"}, StepExpireOrder},
		{"a paid order is done", Facts{Order: with(pending, Paid), Payment: PaymentApproved, Hold: booking.Confirmed, HoldOrder: "ord-1"}, StepDone},
		{"a paid order whose payment the provider refunded is voided", Facts{Order: with(pending, Paid), Payment: PaymentRefunded, Hold: booking.Confirmed, HoldOrder: "ord-1"}, StepVoidOrder},
		{"a voided order is done", Facts{Order: with(pending, Refunded), Payment: PaymentRefunded, Hold: booking.Released, HoldOrder: "ord-1"}, StepDone},
		{"an expired order with a late approval is refunded", Facts{Order: with(lapsed, Expired), Payment: PaymentApproved, Hold: booking.Expired, HoldOrder: "ord-1"}, StepRefund},
		{"an expired order whose payment was refunded records the refund", Facts{Order: with(lapsed, Expired), Payment: PaymentRefunded, Hold: booking.Expired}, StepMarkRefunded},
		{"an expired order with its refund recorded is done", Facts{Order: refunded, Payment: PaymentRefunded, Hold: booking.Expired}, StepDone},
		{"a failed order whose seats are still held releases them", Facts{Order: with(pending, Failed), Payment: PaymentDeclined, Hold: booking.Ordered, HoldOrder: "ord-1"}, StepReleaseSeats},
		{"a failed order with an approved payment and its seats still held releases them before the refund", Facts{Order: with(pending, Failed), Payment: PaymentApproved, Hold: booking.Ordered, HoldOrder: "ord-1"}, StepReleaseSeats},
		{"a failed order with an approved payment and free seats is refunded", Facts{Order: with(pending, Failed), Payment: PaymentApproved, Hold: booking.Released, HoldOrder: "ord-1"}, StepRefund},
		{"a failed order with free seats is done", Facts{Order: with(pending, Failed), Payment: PaymentDeclined, Hold: booking.Released, HoldOrder: "ord-1"}, StepDone},
		{"a cancelled order is refunded", Facts{Order: with(pending, Cancelled), Payment: PaymentApproved, Hold: booking.Released, HoldOrder: "ord-1"}, StepRefund},
		{"a cancelled order whose payment was refunded becomes refunded", Facts{Order: with(pending, Cancelled), Payment: PaymentRefunded, Hold: booking.Released}, StepMarkRefunded},
		{"a refunded order is done", Facts{Order: with(pending, Refunded), Payment: PaymentRefunded}, StepDone},
		{"another order's hold is never confirmed for this one", Facts{Order: pending, Payment: PaymentApproved, Hold: booking.Ordered, HoldOrder: "ord-2"}, StepFailOrder},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.f.Now = now
			assert.Equal(t, tc.want, Decide(tc.f))
		})
	}
}

// menu is a small bomboniere: popcorn in sizes, a soda with flavours, a
// combo with two sodas, and a product off the menu.
var menu = []catalog.Product{
	{ID: "pipoca", Name: "Pipoca", Active: true, Sizes: []catalog.Size{{Code: "P", Price: 1900}, {Code: "G", Price: 2300}}},
	{ID: "refri", Name: "Refrigerante", Active: true, Flavours: []string{"Cola", "Guaraná"}, Sizes: []catalog.Size{{Code: "M", Price: 1600}}},
	{ID: "combo", Name: "Combo", Active: true, Sizes: []catalog.Size{{Code: "UN", Price: 4800}},
		ComboItems: []catalog.ComboItem{{ProductID: "pipoca", Size: "G", Quantity: 1}, {ProductID: "refri", Size: "M", Quantity: 2}}},
	{ID: "nachos", Name: "Nachos", Active: false, Sizes: []catalog.Size{{Code: "UN", Price: 2500}}},
}

func TestBuild(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 4, 20, 0, 0, 0, time.UTC)
	start := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	hold := booking.Hold{ID: "h-1", Holder: "ana", ShowtimeID: "st-1", ExpiresAt: now.Add(10 * time.Minute), Seats: []booking.HeldSeat{
		{Seat: catalog.Seat{ID: "F12", Row: "F", Number: 12, Type: catalog.SeatStandard}, TicketType: pricing.Inteira, Quote: pricing.Quote{Ticket: 3600, Total: 3600}},
		{Seat: catalog.Seat{ID: "F13", Row: "F", Number: 13, Type: catalog.SeatVIP}, TicketType: pricing.MeiaEstudante,
			Quote: pricing.Quote{Ticket: 1800, Surcharge: 1500, Total: 3300, Meia: true}},
	}}
	st := catalog.ShowtimeListing{Showtime: catalog.Showtime{ID: "st-1", StartsAt: start, Format: catalog.Format2D, Language: catalog.Dubbed},
		MovieTitle: "Filme", CinemaName: "Cinema", RoomName: "Sala 1"}

	t.Run("prices tickets from the hold, lines from the menu, a fee per ticket and the total", func(t *testing.T) {
		t.Parallel()
		o, err := Build("ord-1", hold, st, []LineRequest{
			{ProductID: "combo", Size: "UN", Quantity: 1, Flavours: []string{"Cola", "Guaraná"}},
			{ProductID: "pipoca", Size: "P", Quantity: 3},
		}, menu, DefaultPolicy, now)
		require.NoError(t, err)
		assert.Equal(t, Totals{Tickets: 6900, Concessions: 4800 + 3*1900, ConvenienceFee: 800, Total: 6900 + 4800 + 5700 + 800}, o.Totals)
		assert.Equal(t, PendingPayment, o.Status)
		assert.Equal(t, "ana", o.Buyer)
		assert.Equal(t, hold.ExpiresAt, o.ExpiresAt, "the order must be paid before its hold expires")
		assert.Equal(t, start.Add(-2*time.Hour), o.CancellableUntil)
		assert.Equal(t, money.BRL(3300), o.Tickets[1].Price, "the seat surcharge is in the ticket's price")
		assert.True(t, o.Tickets[1].Meia)
		assert.Equal(t, money.BRL(5700), o.Concessions[1].Total)
		assert.Equal(t, []string{}, o.Concessions[1].Flavours)
	})
	t.Run("a configured fee and cancellation window are used", func(t *testing.T) {
		t.Parallel()
		o, err := Build("ord-1", hold, st, nil, nil, Policy{ConvenienceFee: 250, CancelBefore: time.Hour}, now)
		require.NoError(t, err)
		assert.Equal(t, money.BRL(500), o.Totals.ConvenienceFee)
		assert.Equal(t, start.Add(-time.Hour), o.CancellableUntil)
		assert.Empty(t, o.Concessions)
	})
	bad := []struct {
		name  string
		lines []LineRequest
		kind  errs.Kind
		code  string
	}{
		{"quantity 0 is invalid", []LineRequest{{ProductID: "pipoca", Size: "P", Quantity: 0}}, errs.Invalid, "validation_failed"},
		{"quantity 21 is invalid", []LineRequest{{ProductID: "pipoca", Size: "P", Quantity: 21}}, errs.Invalid, "validation_failed"},
		{"a negative quantity is invalid", []LineRequest{{ProductID: "pipoca", Size: "P", Quantity: -1}}, errs.Invalid, "validation_failed"},
		{"an unknown product is unavailable", []LineRequest{{ProductID: "churros", Size: "UN", Quantity: 1}}, errs.Unprocessable, "product_unavailable"},
		{"a product off the menu is unavailable", []LineRequest{{ProductID: "nachos", Size: "UN", Quantity: 1}}, errs.Unprocessable, "product_unavailable"},
		{"a size the product lacks is unavailable", []LineRequest{{ProductID: "pipoca", Size: "M", Quantity: 1}}, errs.Unprocessable, "product_unavailable"},
		{"a flavour not offered is unavailable", []LineRequest{{ProductID: "refri", Size: "M", Quantity: 1, Flavours: []string{"Uva"}}}, errs.Unprocessable, "product_unavailable"},
		{"more flavours than the units take is unavailable", []LineRequest{{ProductID: "refri", Size: "M", Quantity: 1, Flavours: []string{"Cola", "Guaraná"}}}, errs.Unprocessable, "product_unavailable"},
		{"21 lines are invalid", make([]LineRequest, 21), errs.Invalid, "validation_failed"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Build("ord-1", hold, st, tc.lines, menu, DefaultPolicy, now)
			e, ok := errs.As(err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, tc.kind, e.Kind)
			assert.Equal(t, tc.code, e.Code)
			assert.NotEmpty(t, e.Fields)
		})
	}
	t.Run("a cancelled showtime takes no order", func(t *testing.T) {
		t.Parallel()
		cancelled := st
		cancelled.Status = catalog.ShowtimeCancelled
		_, err := Build("ord-1", hold, cancelled, nil, menu, DefaultPolicy, now)
		e, ok := errs.As(err)
		require.True(t, ok, "%v", err)
		assert.Equal(t, errs.Unprocessable, e.Kind)
		assert.Equal(t, "showtime_cancelled", e.Code)
	})
	t.Run("a refused transition wraps ErrTransition", func(t *testing.T) {
		t.Parallel()
		o := Order{Status: Expired}
		assert.True(t, errors.Is(o.apply(EventPaid), ErrTransition))
	})
}
