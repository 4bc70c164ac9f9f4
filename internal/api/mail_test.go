package api_test

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/mail"
	"bilhetagem/internal/mail/mailpit"
	"bilhetagem/internal/notify"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/psp"
)

// countingSender counts sends and can be made to fail.
type countingSender struct {
	mail.Sender
	mu    sync.Mutex
	sends int
	fail  bool
}

func (c *countingSender) Send(ctx context.Context, m mail.Message) error {
	c.mu.Lock()
	c.sends++
	fail := c.fail
	c.mu.Unlock()
	if fail {
		return errors.New("smtp: the relay is down")
	}
	return c.Sender.Send(ctx, m)
}

// drain reads the table's stream until a pass reads nothing.
func drain(t *testing.T, r interface {
	Poll(context.Context) (int, error)
}) {
	t.Helper()
	for empty, passes := 0, 0; empty < 2; passes++ {
		require.Less(t, passes, 100, "the stream keeps yielding records: a record that always fails is read again and again")
		n, err := r.Poll(context.Background())
		require.NoError(t, err)
		if n == 0 {
			empty++
		} else {
			empty = 0
		}
	}
}

// TestNoticesAreEmailedOnceFromTheStream buys with bomboniere items, has
// staff cancel the showtime, and follows the table's stream on DynamoDB
// Local into a real Mailpit: the buyer gets the confirmation with the QR
// codes, the cancellation and the refund, each once, though the stream is
// read again from its start, the same change is handled by eight senders at
// once, and a failed send is retried.
func TestNoticesAreEmailedOnceFromTheStream(t *testing.T) {
	e := purchaseFixture(t)
	pit := mailpit.Start(t)
	ctx := context.Background()
	require.NoError(t, e.store.EnableStream(ctx))
	sender := &countingSender{Sender: mail.SMTP{Addr: pit.SMTPAddr, From: "Bilhetagem <ingressos@bilhetagem.example>"}}
	m := &notify.Mailer{Store: e.store, Sender: sender, PublicURL: "https://cinema.example", Support: "ajuda@bilhetagem.example", Now: e.clock.Now}
	handle := func(ctx context.Context, c notify.Change) error {
		_, err := m.Handle(ctx, c)
		if err != nil {
			t.Logf("%+v: %v", c, err)
		}
		return err
	}

	const email, name = "ana.mail@exemplo.com.br", "Ana Correio"
	ana := map[string]string{"sub": "google-ana-mail", "email": email, "name": name}
	hold := decode[gen.Hold](t, send(t, e.hs, request{op: operations.CreateHold, claims: ana, body: holdBody(e.showtime, "C4", "INTEIRA", "C5", "MEIA_ESTUDANTE")},
		key("ana-mail-hold-0001")), http.StatusCreated)
	o := decode[gen.Order](t, send(t, e.hs, request{op: operations.CreateOrder, claims: ana, body: orderBody(hold.ID,
		`{"productId":"pipoca-salgada","size":"G","quantity":1}`)}, key("ana-mail-order-0001")), http.StatusCreated)
	pay := decode[gen.Payment](t, send(t, e.hs, request{op: operations.CreatePayment, claims: ana, params: map[string]string{"orderId": o.ID},
		body: cardBody(psp.CardApproves)}, key("ana-mail-pay-0001")), http.StatusCreated)
	require.Equal(t, gen.PaymentStatusAPPROVED, pay.Status)

	t.Run("the same change handled by eight senders at once is sent once", func(t *testing.T) {
		var wg sync.WaitGroup
		results := make([]notify.Sent, 8)
		for i := range results {
			wg.Go(func() {
				s, err := m.Handle(ctx, notify.Change{Type: "ORDER", OrderID: o.ID, OldStatus: "PENDING_PAYMENT", NewStatus: "PAID"})
				assert.NoError(t, err)
				results[i] = s
			})
		}
		wg.Wait()
		sent := map[notify.Sent]int{}
		for _, s := range results {
			sent[s]++
		}
		assert.Equal(t, map[notify.Sent]int{notify.SentOne: 1, notify.SentBefore: 7}, sent)
		assert.Len(t, pit.Messages(t), 1)
	})

	reader, err := e.store.NewStreamReader(ctx, false, handle)
	require.NoError(t, err)
	drain(t, reader)

	t.Run("the stream's copy of that change sends nothing more; the confirmation has a QR code per ticket and the pickup code's", func(t *testing.T) {
		list := pit.Messages(t)
		require.Len(t, list, 1)
		msg := pit.Message(t, list[0].ID)
		assert.Equal(t, email, msg.To[0].Address)
		assert.Contains(t, msg.Subject, "Filme")
		paid := e.getOrderAs(t, ana, o.ID)
		require.NotNil(t, paid.PickupCode)
		assert.Contains(t, msg.Text, *paid.PickupCode)
		assert.Contains(t, msg.HTML, *paid.PickupCode)
		assert.Len(t, msg.Inline, 3, "two tickets and the pickup")
		for _, p := range msg.Inline {
			assert.Equal(t, "image/png", p.ContentType)
		}
		assert.Equal(t, []string{"ORDER_CONFIRMED." + o.ID}, msg.Headers[mail.NoticeHeader])
	})

	// Staff cancel the showtime; the relay is down at first.
	decode[gen.ShowtimeChangeResult](t, e.staff(t, operations.CancelShowtime, showtimeParam, cancelStBody), http.StatusOK)
	sender.fail = true
	_, err = reader.Poll(ctx)
	require.NoError(t, err)
	assert.Len(t, pit.Messages(t), 1, "nothing is sent while the relay is down")
	sender.fail = false
	drain(t, reader)

	t.Run("the cancellation and the refund arrive once each, after the relay is back", func(t *testing.T) {
		var subjects []string
		for _, s := range pit.Messages(t) {
			subjects = append(subjects, s.Subject)
		}
		sort.Strings(subjects)
		require.Len(t, subjects, 3, "%q", subjects)
		keys := map[string]bool{}
		for _, s := range pit.Messages(t) {
			for _, k := range pit.Message(t, s.ID).Headers[mail.NoticeHeader] {
				keys[strings.SplitN(k, ".", 2)[0]] = true
			}
		}
		assert.Equal(t, map[string]bool{"ORDER_CONFIRMED": true, "NOTICE": true, "REFUND_DONE": true}, keys)
	})

	t.Run("reading the whole stream again sends nothing more", func(t *testing.T) {
		again, err := e.store.NewStreamReader(ctx, false, handle)
		require.NoError(t, err)
		drain(t, again)
		assert.Len(t, pit.Messages(t), 3)
	})

	t.Run("marking the notice read sends nothing", func(t *testing.T) {
		decode[gen.NoticeList](t, call(t, e.hs, request{op: operations.MarkNoticesRead, claims: ana, body: `{}`}), http.StatusOK)
		drain(t, reader)
		assert.Len(t, pit.Messages(t), 3)
	})

	t.Run("a suppressed address and a deleted account get nothing", func(t *testing.T) {
		require.NoError(t, m.Bounced(ctx, strings.ToUpper(email), "Permanent"))
		s, err := m.Handle(ctx, notify.Change{Type: "ORDER", OrderID: o.ID, OldStatus: "CANCELLED", NewStatus: "REFUNDED"})
		require.NoError(t, err)
		assert.Equal(t, notify.SentSuppressed, s)
		require.Equal(t, http.StatusNoContent, call(t, e.hs, request{op: operations.DeleteMyAccount, claims: ana}).StatusCode)
		s, err = m.Handle(ctx, notify.Change{Type: "ORDER", OrderID: o.ID, OldStatus: "CANCELLED", NewStatus: "REFUNDED"})
		require.NoError(t, err)
		assert.Equal(t, notify.SentNoAddress, s)
	})
}

func (e *purchaseEnv) getOrderAs(t *testing.T, claims map[string]string, id string) gen.Order {
	t.Helper()
	return decode[gen.Order](t, call(t, e.hs, request{op: operations.GetOrder, claims: claims, params: map[string]string{"orderId": id}}), http.StatusOK)
}

// TestRescheduleAndChargebackAreEmailed follows the stream through a
// reschedule that keeps the tickets and a chargeback: each buyer gets the
// new time with the old one and their choice, and the charged-back buyer
// the voided tickets and the money back.
func TestRescheduleAndChargebackAreEmailed(t *testing.T) {
	e := purchaseFixture(t)
	pit := mailpit.Start(t)
	ctx := context.Background()
	require.NoError(t, e.store.EnableStream(ctx))
	m := &notify.Mailer{Store: e.store, Sender: mail.SMTP{Addr: pit.SMTPAddr, From: "ingressos@bilhetagem.example"},
		PublicURL: "https://cinema.example", Support: "ajuda@bilhetagem.example", Now: e.clock.Now}
	reader, err := e.store.NewStreamReader(ctx, false, func(ctx context.Context, c notify.Change) error {
		_, err := m.Handle(ctx, c)
		return err
	})
	require.NoError(t, err)

	// The mailer reads the stream as the writes happen (within a second in
	// AWS and locally), so the test drains it after each step: it tells the
	// present state, and an order voided before its confirmation went out
	// would get none.
	ana := e.buy(t, "user-ana", "A1")
	bruno := e.buy(t, "user-bruno", "A2")
	drain(t, reader)
	decode[gen.ShowtimeChangeResult](t, e.staff(t, operations.RescheduleShowtime, showtimeParam,
		rescheduleBody("2026-12-04T22:00:00-03:00", "KEEP_AND_NOTIFY")), http.StatusOK)
	drain(t, reader)
	stored, err := e.store.GetOrder(ctx, ana.ID)
	require.NoError(t, err)
	require.NoError(t, e.sim.Chargeback(stored.PaymentID))
	bodies, sigs := e.take(t, psp.EventChargedBack)
	require.Len(t, bodies, 1)
	decode[gen.PspEventAck](t, e.webhook(t, bodies[0], sigs[0]), http.StatusOK)
	require.Equal(t, gen.OrderStatusREFUNDED, e.getOrder(t, "user-ana", ana.ID).Status)
	drain(t, reader)

	byKey := map[string]mailpit.Message{}
	for _, s := range pit.Messages(t) {
		msg := pit.Message(t, s.ID)
		for _, k := range msg.Headers[mail.NoticeHeader] {
			byKey[k] = msg
		}
	}
	// A notice's key ends with its showtime and a hash of its message.
	var keys []string
	for k := range byKey {
		p := strings.Split(k, ".")
		if p[0] == "NOTICE" {
			p = p[:3]
		}
		keys = append(keys, strings.Join(p, "."))
	}
	sort.Strings(keys)
	want := []string{"NOTICE.user-ana.ORDER_VOIDED", "NOTICE.user-ana.SHOWTIME_RESCHEDULED", "NOTICE.user-bruno.SHOWTIME_RESCHEDULED",
		"ORDER_CONFIRMED." + ana.ID, "ORDER_CONFIRMED." + bruno.ID, "REFUND_DONE." + ana.ID}
	sort.Strings(want)
	assert.Equal(t, want, keys)
	for k, msg := range byKey {
		switch {
		case strings.Contains(k, "SHOWTIME_RESCHEDULED"):
			assert.Contains(t, msg.Text, "21:00", "the old time")
			assert.Contains(t, msg.Text, "22:00", "the new time")
			assert.Contains(t, msg.Text, "Atraso na entrega da cópia", "the staff's reason")
		case strings.Contains(k, "ORDER_VOIDED"):
			assert.Contains(t, msg.Text, "A1", "the voided seat")
			assert.Contains(t, msg.Text, "ajuda@bilhetagem.example")
		}
	}
}
