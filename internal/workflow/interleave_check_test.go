package workflow_test

import (
	"fmt"
	"strings"

	"bilhetagem/internal/booking"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/tickets"
)

// check reads the store after the quiescence and reports every invariant of
// issue 15 that does not hold, each with what it found.
func (w *world) check() {
	ctx, now := w.ctx, w.clock.Now()
	var broken []string
	bad := func(format string, args ...any) { broken = append(broken, fmt.Sprintf(format, args...)) }
	must := func(err error, what string) bool {
		if err != nil {
			w.t.Errorf("seed %d: read %s: %v", w.seed, what, err)
			return false
		}
		return true
	}

	byID := map[string]orders.Order{}
	var ids []string
	for _, o := range w.ordersL {
		got, err := w.store.GetOrder(ctx, o.id)
		if errs.KindOf(err) == errs.NotFound {
			continue // never created
		}
		if !must(err, "order "+o.id) {
			return
		}
		if _, seen := byID[o.id]; !seen {
			ids = append(ids, o.id)
		}
		byID[o.id] = got
	}
	pays := map[string]orders.Payment{}
	for _, id := range ids {
		if pid := byID[id].PaymentID; pid != "" {
			p, err := w.store.GetPayment(ctx, pid)
			if !must(err, "payment "+pid) {
				return
			}
			pays[pid] = p
		}
	}
	// A ticket used at the door still stands for its seat: live are the
	// VALID and USED tickets, by showtime/seat.
	live := map[string][]tickets.Ticket{}
	var all []tickets.Ticket
	for _, b := range ilBuyers {
		cursor := ""
		for {
			ts, next, err := w.store.TicketsByBuyer(ctx, b, "", 100, cursor)
			if !must(err, "tickets of "+b) {
				return
			}
			for _, tk := range ts {
				all = append(all, tk)
				if tk.Status == tickets.Valid || tk.Status == tickets.Used {
					k := tk.ShowtimeID + "/" + tk.SeatID
					live[k] = append(live[k], tk)
				}
			}
			if cursor = next; cursor == "" {
				break
			}
		}
	}
	sts := map[string]catalog.ShowtimeListing{}
	sold := map[string]catalog.SeatClaim{} // showtime/seat -> its SOLD claim
	for _, id := range ilShowtimes {
		st, claims, err := w.store.GetShowtime(ctx, id)
		if !must(err, "showtime "+id) {
			return
		}
		sts[id] = st
		meiaSold := 0
		for _, c := range claims {
			switch {
			case c.Status == catalog.SeatSold:
				sold[id+"/"+c.SeatID] = c
				if c.Meia {
					meiaSold++
				}
			case c.Status == catalog.SeatHeld && c.Active(now):
				bad("%s %s is HELD by %s after every hold expired and the sweep ran", id, c.SeatID, c.HoldID)
			}
		}
		// Meia: the sold ones fit under the cap, each has its live
		// ticket, and the counter still counts every one of them.
		meiaTickets := 0
		for k, ts := range live {
			if strings.HasPrefix(k, id+"/") {
				for _, tk := range ts {
					if tk.Meia {
						meiaTickets++
					}
				}
			}
		}
		if limit := catalog.MeiaCap(seatCount); meiaSold > limit {
			bad("%s: %d meia sold, over the cap of %d", id, meiaSold, limit)
		}
		if meiaSold != meiaTickets {
			bad("%s: %d meia seats sold but %d live (valid or used) meia tickets", id, meiaSold, meiaTickets)
		}
		counted, err := w.store.MeiaCounted(ctx, id)
		if !must(err, "meia of "+id) {
			return
		}
		if counted < meiaSold {
			bad("%s: the meia counter holds %d, fewer than the %d meia sold (given back twice)", id, counted, meiaSold)
		}
	}

	// A SOLD seat ⇔ exactly one live (VALID or USED) ticket ⇔ its order
	// PAID ⇔ that order's payment APPROVED and never refunded.
	for k, c := range sold {
		ts := live[k]
		if len(ts) != 1 {
			bad("%s is SOLD to %s with %d live tickets", k, c.OrderID, len(ts))
		} else if ts[0].OrderID != c.OrderID {
			bad("%s is SOLD to %s but its live ticket is %s's", k, c.OrderID, ts[0].OrderID)
		}
		if o, ok := byID[c.OrderID]; !ok || o.Status != orders.Paid {
			bad("%s is SOLD to %s, which is %s", k, c.OrderID, o.Status)
		}
	}
	for k, ts := range live {
		for _, tk := range ts {
			if c, ok := sold[k]; !ok || c.OrderID != tk.OrderID {
				bad("%s ticket %s of %s: its seat %s is not SOLD to that order", tk.Status, tk.ID, tk.OrderID, k)
			}
			// A reschedule moves the tickets with their orders.
			if st, ok := sts[tk.ShowtimeID]; ok && !tk.StartsAt.Equal(st.StartsAt) {
				bad("%s ticket %s says %s, its showtime %s starts %s", tk.Status, tk.ID, tk.StartsAt, st.ID, st.StartsAt)
			}
			if o, ok := byID[tk.OrderID]; ok && !o.Showtime.StartsAt.Equal(tk.StartsAt) {
				bad("%s ticket %s says %s, its order %s says %s", tk.Status, tk.ID, tk.StartsAt, o.ID, o.Showtime.StartsAt)
			}
		}
	}
	for _, id := range ids {
		o := byID[id]
		h, err := w.store.ReadHold(ctx, o.HoldID)
		if !must(err, "hold "+o.HoldID) {
			return
		}
		if h.Status == booking.Confirmed && h.OrderID == o.ID && o.Status != orders.Paid {
			bad("hold %s is CONFIRMED to %s, which is %s", h.ID, o.ID, o.Status)
		}
		if st := h.StatusAt(now); st == booking.Active || st == booking.Ordered {
			bad("hold %s of %s is still %s", h.ID, o.ID, st)
		}
		if o.Status != orders.Paid {
			continue
		}
		p := pays[o.PaymentID]
		if p.Status != orders.PaymentApproved || w.refunds[p.ID] != 0 {
			bad("%s is PAID, its payment %s is %s, refunded %d times at the provider", o.ID, p.ID, p.Status, w.refunds[p.ID])
		}
		for _, l := range o.Tickets {
			k := o.Showtime.ID + "/" + l.SeatID
			if c, ok := sold[k]; !ok || c.OrderID != o.ID {
				bad("%s is PAID but its seat %s is not SOLD to it", o.ID, k)
			}
			if ts := live[k]; len(ts) != 1 || ts[0].ID != l.TicketID {
				bad("%s is PAID but its ticket %q for %s is not the one live ticket", o.ID, l.TicketID, k)
			}
		}
		if st := sts[o.Showtime.ID]; st.Cancelled() {
			bad("%s is PAID for the cancelled showtime %s", o.ID, st.ID)
		}
	}

	// A ticket used at the door stays USED with its seat SOLD to its PAID
	// order (checked above), unless the money went back: the cinema
	// cancelled the showtime or moved it refunding everyone (used tickets
	// are refunded too, docs/adr/0006), or the provider voided the order.
	// Then the ticket is CANCELLED and its order REFUNDED. A buyer cannot
	// cancel an order with a used ticket.
	for _, tk := range all {
		if tk.UsedAt.IsZero() {
			if tk.Status == tickets.Used {
				bad("ticket %s of %s is USED with no time of use", tk.ID, tk.OrderID)
			}
			continue
		}
		o := byID[tk.OrderID]
		switch tk.Status {
		case tickets.Used:
		case tickets.Cancelled:
			cinema := sts[tk.ShowtimeID].Cancelled() || w.refundAll[tk.ShowtimeID]
			if o.Status != orders.Refunded || !(cinema || w.ownRefunds[o.PaymentID]) {
				bad("ticket %s was used at the door, then CANCELLED; its order %s is %s (showtime cancelled or refunded by staff %v, payment %s refunded by the provider on its own %v)",
					tk.ID, o.ID, o.Status, cinema, o.PaymentID, w.ownRefunds[o.PaymentID])
			}
		default:
			bad("ticket %s was used at the door at %s but is %s", tk.ID, tk.UsedAt, tk.Status)
		}
	}

	// No showtime is left closed for sale by a reschedule that nobody
	// will finish; a cancellation ends any reschedule under way.
	for _, id := range ilShowtimes {
		if st := sts[id]; st.Moving() {
			bad("%s is left closed for sale, moving to %s", id, st.MovingTo)
		}
	}

	// Buyers are told. An order the provider voided (its payment given back
	// without the chain asking, the order neither cancelled by its buyer nor
	// refunded by staff) has an ORDER_VOIDED notice; every paid order a
	// showtime's cancellation recorded has a SHOWTIME_CANCELLED one.
	notices := map[string]bool{} // buyer/showtime/kind
	for _, b := range ilBuyers {
		ns, err := w.store.Notices(ctx, b)
		if !must(err, "notices of "+b) {
			return
		}
		for _, n := range ns {
			notices[n.Buyer+"/"+n.ShowtimeID+"/"+n.Kind] = true
		}
	}
	for _, id := range ids {
		o := byID[id]
		st := o.Showtime.ID
		if o.Status == orders.Refunded && w.ownRefunds[o.PaymentID] && !w.cancelledBy[o.ID] && !sts[st].Cancelled() && !w.refundAll[st] &&
			!notices[o.Buyer+"/"+st+"/ORDER_VOIDED"] {
			bad("%s was voided by the provider (payment %s), but %s has no ORDER_VOIDED notice for %s", o.ID, o.PaymentID, o.Buyer, st)
		}
	}
	for st, rec := range w.recorded {
		for _, oid := range rec {
			o, ok := byID[oid]
			if !ok {
				bad("the cancellation of %s recorded %s, which is no order", st, oid)
				continue
			}
			if !o.PaidAt.IsZero() && !notices[o.Buyer+"/"+st+"/SHOWTIME_CANCELLED"] {
				bad("%s of %s was paid (%s now) and recorded by the cancellation of %s, but its buyer has no SHOWTIME_CANCELLED notice", oid, o.Buyer, o.Status, st)
			}
		}
	}

	// Every payment the provider captured either pays its order or was
	// refunded exactly once.
	for pid, amount := range w.approved {
		p, ok := pays[pid]
		if !ok {
			bad("payment %s was captured by the provider but is no order's payment", pid)
			continue
		}
		o := byID[p.OrderID]
		switch n := w.refunds[pid]; {
		case o.Status == orders.Paid:
		case n != 1:
			bad("payment %s captured for %s (%s) was refunded %d times", pid, o.ID, o.Status, n)
		case p.Status != orders.PaymentRefunded || o.Refund != amount:
			bad("payment %s of %s (%s) was refunded at the provider, but is %s with a refund of %s recorded", pid, o.ID, o.Status, p.Status, o.Refund)
		}
	}
	for pid, p := range pays {
		if _, ok := w.approved[pid]; !ok && (p.Status == orders.PaymentApproved || p.Status == orders.PaymentRefunded) {
			bad("payment %s is %s, but the provider never captured it", pid, p.Status)
		}
	}

	// Stock: what the shelf had is available, reserved or sold.
	lines, err := w.store.StockLines(ctx, "cin-il")
	if !must(err, "stock") {
		return
	}
	soldQty, reservedQty := 0, 0
	for _, id := range ids {
		o := byID[id]
		for _, l := range o.Concessions {
			switch o.Status {
			case orders.Paid:
				soldQty += l.Quantity
			case orders.PendingPayment:
				reservedQty += l.Quantity
			}
		}
	}
	for _, l := range lines {
		if l.Key != popcorn {
			continue
		}
		if l.Available+l.Reserved+soldQty != stocked || l.Reserved != reservedQty {
			bad("stock %s: %d available + %d reserved + %d sold ≠ %d stocked (%d reserved by pending orders)",
				l.Key, l.Available, l.Reserved, soldQty, stocked, reservedQty)
		}
	}

	// Nothing is left for anyone to do.
	for _, id := range ids {
		next, err := w.orders.Next(ctx, id, now)
		if !must(err, "next step of "+id) {
			return
		}
		if next != orders.StepDone {
			bad("%s (%s) still needs %s, and nothing will run it", id, byID[id].Status, next)
		}
	}
	explored.Lock()
	for _, id := range ids {
		explored.ends[byID[id].Status]++
	}
	for _, tk := range all {
		if !tk.UsedAt.IsZero() {
			explored.used++
		}
	}
	for k := range notices {
		explored.notices[k[strings.LastIndex(k, "/")+1:]]++
	}
	explored.Unlock()
	if len(broken) > 0 {
		w.t.Errorf("seed %d: %d invariants broken:\n  %s", w.seed, len(broken), strings.Join(broken, "\n  "))
	}
}
