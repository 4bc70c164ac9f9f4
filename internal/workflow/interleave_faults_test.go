package workflow_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"bilhetagem/internal/booking"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/programming"
	"bilhetagem/internal/psp"
	"bilhetagem/internal/tickets"
)

// The interleaving test's faults: the store and the provider fail at a
// seeded choice of calls, either before the call ("the request never
// arrived") or after it ("it happened, and the answer was lost"), which is a
// crash between two steps of whoever called. Everything runs on the one
// scheduler goroutine, so the choices replay from the seed.

// errInjected is the failure a fault returns.
var errInjected = errors.New("injected fault")

// faults decides which calls fail.
type faults struct {
	rng *rand.Rand
	// rate is the chance that one call fails; zero turns faults off.
	rate float64
	// note records each fault in the run's schedule.
	note func(string)
}

// hit reports whether the call op fails, and whether before or after it
// reached the real store or provider; the caller notes the fault.
func (f *faults) hit(canFailAfter bool) (before, after bool) {
	if f.rate == 0 || f.rng.Float64() >= f.rate {
		return false, false
	}
	if canFailAfter && f.rng.IntN(2) == 0 {
		return false, true
	}
	return true, false
}

// call runs a write (or a provider call) with its fault: failed is the
// error a fault answers.
func (f *faults) call(op string, failed error, run func() error) error {
	before, after := f.hit(true)
	if before {
		f.note("fault: " + op + " failed before")
		return failed
	}
	err := run()
	if after && err == nil {
		f.note("fault: " + op + " done, its answer lost")
		return failed
	}
	return err
}

// write runs a store write with its fault.
func (f *faults) write(op string, run func() error) error {
	return f.call(op, fmt.Errorf("%s: %w", op, errInjected), run)
}

// read runs a read with its fault (before only: a read writes nothing).
func read[T any](f *faults, op string, call func() (T, error)) (T, error) {
	if before, _ := f.hit(false); before {
		f.note("fault: " + op + " failed")
		var zero T
		return zero, fmt.Errorf("%s: %w", op, errInjected)
	}
	return call()
}

// faultyStore is the real store whose orders, booking, door and sweeper
// calls fail at the faults' choice.
type faultyStore struct {
	*dynamo.Store
	f *faults
}

var (
	_ orders.Store         = faultyStore{}
	_ orders.PendingLister = faultyStore{}
	_ orders.Noticer       = faultyStore{}
	_ booking.Store        = faultyStore{}
	_ tickets.Store        = faultyStore{}
)

// CreateHold fails before (no hold) or after (a hold the buyer never hears
// of: its answer was lost, and the buyer finds it by listing its holds).
func (s faultyStore) CreateHold(ctx context.Context, h booking.Hold, meiaCap int, lim booking.BuyerLimits, now time.Time) (booking.Hold, error) {
	var out booking.Hold
	err := s.f.write("CreateHold", func() error {
		var err error
		out, err = s.Store.CreateHold(ctx, h, meiaCap, lim, now)
		return err
	})
	return out, err
}

func (s faultyStore) CheckIn(ctx context.Context, ticketID string, now time.Time) (tickets.Ticket, error) {
	var out tickets.Ticket
	err := s.f.write("CheckIn", func() error {
		var err error
		out, err = s.Store.CheckIn(ctx, ticketID, now)
		return err
	})
	return out, err
}

func (s faultyStore) NotifyBuyer(ctx context.Context, buyer, showtimeID, kind, message string, at time.Time) error {
	return s.f.write("NotifyBuyer", func() error { return s.Store.NotifyBuyer(ctx, buyer, showtimeID, kind, message, at) })
}

func (s faultyStore) ReadHold(ctx context.Context, id string) (booking.Hold, error) {
	return read(s.f, "ReadHold", func() (booking.Hold, error) { return s.Store.ReadHold(ctx, id) })
}

func (s faultyStore) GetHold(ctx context.Context, id string) (booking.Hold, error) {
	return read(s.f, "GetHold", func() (booking.Hold, error) { return s.Store.GetHold(ctx, id) })
}

func (s faultyStore) GetOrder(ctx context.Context, id string) (orders.Order, error) {
	return read(s.f, "GetOrder", func() (orders.Order, error) { return s.Store.GetOrder(ctx, id) })
}

func (s faultyStore) GetPayment(ctx context.Context, id string) (orders.Payment, error) {
	return read(s.f, "GetPayment", func() (orders.Payment, error) { return s.Store.GetPayment(ctx, id) })
}

func (s faultyStore) PspEventSeen(ctx context.Context, id string) (bool, error) {
	return read(s.f, "PspEventSeen", func() (bool, error) { return s.Store.PspEventSeen(ctx, id) })
}

func (s faultyStore) ReleaseHold(ctx context.Context, h booking.Hold, now time.Time) error {
	return s.f.write("ReleaseHold", func() error { return s.Store.ReleaseHold(ctx, h, now) })
}

func (s faultyStore) ConfirmHold(ctx context.Context, h booking.Hold, orderID string, now time.Time) error {
	return s.f.write("ConfirmHold", func() error { return s.Store.ConfirmHold(ctx, h, orderID, now) })
}

func (s faultyStore) CreateOrder(ctx context.Context, o orders.Order, now time.Time) error {
	return s.f.write("CreateOrder", func() error { return s.Store.CreateOrder(ctx, o, now) })
}

func (s faultyStore) SaveOrder(ctx context.Context, o orders.Order) error {
	return s.f.write("SaveOrder", func() error { return s.Store.SaveOrder(ctx, o) })
}

func (s faultyStore) CloseOrder(ctx context.Context, o orders.Order) error {
	return s.f.write("CloseOrder", func() error { return s.Store.CloseOrder(ctx, o) })
}

func (s faultyStore) CreatePayment(ctx context.Context, p orders.Payment, o orders.Order) error {
	return s.f.write("CreatePayment", func() error { return s.Store.CreatePayment(ctx, p, o) })
}

func (s faultyStore) SavePayment(ctx context.Context, p orders.Payment) error {
	return s.f.write("SavePayment", func() error { return s.Store.SavePayment(ctx, p) })
}

func (s faultyStore) RecordPspEvent(ctx context.Context, id string, p orders.Payment, now time.Time) error {
	return s.f.write("RecordPspEvent", func() error { return s.Store.RecordPspEvent(ctx, id, p, now) })
}

func (s faultyStore) IssueTickets(ctx context.Context, o orders.Order, ts []tickets.Ticket) error {
	return s.f.write("IssueTickets", func() error { return s.Store.IssueTickets(ctx, o, ts) })
}

func (s faultyStore) ReleaseOrderedHold(ctx context.Context, h booking.Hold, orderID string, now time.Time) error {
	return s.f.write("ReleaseOrderedHold", func() error { return s.Store.ReleaseOrderedHold(ctx, h, orderID, now) })
}

func (s faultyStore) CancelOrder(ctx context.Context, o orders.Order, h booking.Hold, usedToo bool) error {
	return s.f.write("CancelOrder", func() error { return s.Store.CancelOrder(ctx, o, h, usedToo) })
}

func (s faultyStore) ExpiredPendingOrders(ctx context.Context, before time.Time, page int, fn func(ids []string) error) error {
	if b, _ := s.f.hit(false); b {
		s.f.note("fault: ExpiredPendingOrders failed")
		return fmt.Errorf("ExpiredPendingOrders: %w", errInjected)
	}
	return s.Store.ExpiredPendingOrders(ctx, before, page, fn)
}

func (s faultyStore) UnlistSettled(ctx context.Context, o orders.Order) error {
	return s.f.write("UnlistSettled", func() error { return s.Store.UnlistSettled(ctx, o) })
}

func (s faultyStore) RelistUnsettled(ctx context.Context, o orders.Order) error {
	return s.f.write("RelistUnsettled", func() error { return s.Store.RelistUnsettled(ctx, o) })
}

// faultyPSP is the simulator whose charges and refunds fail at the faults'
// choice: unreachable before the call, or the answer lost after it (the
// charge or the refund happened at the provider).
type faultyPSP struct {
	sim *psp.Simulator
	f   *faults
}

func (p faultyPSP) Charge(ctx context.Context, r psp.ChargeRequest) (psp.Charge, error) {
	var c psp.Charge
	err := p.f.call("psp.Charge", psp.ErrUnavailable, func() error {
		var err error
		c, err = p.sim.Charge(ctx, r)
		return err
	})
	return c, err
}

func (p faultyPSP) Refund(ctx context.Context, r psp.RefundRequest) error {
	return p.f.call("psp.Refund", psp.ErrUnavailable, func() error { return p.sim.Refund(ctx, r) })
}

func (p faultyPSP) Cancel(ctx context.Context, r psp.CancelRequest) error {
	return p.f.call("psp.Cancel", psp.ErrUnavailable, func() error { return p.sim.Cancel(ctx, r) })
}

// faultyProgramming is the real store whose showtime changes (the reads and
// writes of CancelShowtime and RescheduleShowtime) fail at the faults'
// choice. recorded sees the orders a cancellation recorded to refund, when
// the write happened (its answer lost or not).
type faultyProgramming struct {
	*dynamo.Store
	f        *faults
	recorded func(showtimeID string, orderIDs []string)
}

var _ programming.Store = faultyProgramming{}

func (s faultyProgramming) GetShowtime(ctx context.Context, id string) (catalog.ShowtimeListing, []catalog.SeatClaim, error) {
	type got struct {
		st     catalog.ShowtimeListing
		claims []catalog.SeatClaim
	}
	g, err := read(s.f, "GetShowtime", func() (got, error) {
		st, claims, err := s.Store.GetShowtime(ctx, id)
		return got{st, claims}, err
	})
	return g.st, g.claims, err
}

func (s faultyProgramming) GetOrder(ctx context.Context, id string) (orders.Order, error) {
	return read(s.f, "GetOrder", func() (orders.Order, error) { return s.Store.GetOrder(ctx, id) })
}

func (s faultyProgramming) CancelShowtime(ctx context.Context, st catalog.ShowtimeListing, reason string, orderIDs []string, now time.Time) (catalog.ShowtimeListing, []string, error) {
	var out catalog.ShowtimeListing
	var ids []string
	err := s.f.write("CancelShowtime", func() error {
		var err error
		out, ids, err = s.Store.CancelShowtime(ctx, st, reason, orderIDs, now)
		if err == nil {
			s.recorded(st.ID, ids)
		}
		return err
	})
	return out, ids, err
}

func (s faultyProgramming) CloseSales(ctx context.Context, st catalog.ShowtimeListing, to time.Time) error {
	return s.f.write("CloseSales", func() error { return s.Store.CloseSales(ctx, st, to) })
}

func (s faultyProgramming) OpenSales(ctx context.Context, id string, to time.Time) error {
	return s.f.write("OpenSales", func() error { return s.Store.OpenSales(ctx, id, to) })
}

func (s faultyProgramming) RescheduleShowtime(ctx context.Context, from, next catalog.ShowtimeListing, at time.Time) error {
	return s.f.write("RescheduleShowtime", func() error { return s.Store.RescheduleShowtime(ctx, from, next, at) })
}

func (s faultyProgramming) Notify(ctx context.Context, n programming.Notice) error {
	return s.f.write("Notify", func() error { return s.Store.Notify(ctx, n) })
}
