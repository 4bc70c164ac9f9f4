package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/programming"
	"bilhetagem/internal/psp"
)

func (e *purchaseEnv) notices(t *testing.T, sub string) gen.NoticeList {
	t.Helper()
	return decode[gen.NoticeList](t, call(t, e.hs, request{op: operations.ListMyNotices, claims: buyerClaims(sub)}), http.StatusOK)
}

func (e *purchaseEnv) markRead(t *testing.T, sub, body string) gen.NoticeList {
	t.Helper()
	return decode[gen.NoticeList](t, call(t, e.hs, request{op: operations.MarkNoticesRead, claims: buyerClaims(sub), body: body}), http.StatusOK)
}

// TestABuyerReadsTheNoticeOfACancelledShowtime: staff cancel a showtime a
// buyer paid for; the buyer's inbox has one unread notice, naming the
// showtime and the reason, which stays read once marked, even when the
// completion writes it again; another buyer's inbox stays empty.
func TestABuyerReadsTheNoticeOfACancelledShowtime(t *testing.T) {
	e := purchaseFixture(t)
	h := e.mustHold(t, "user-ana", "A1", "INTEIRA")
	o := e.mustOrder(t, "user-ana", "order-key-ana", orderBody(h.ID, ""))
	require.Equal(t, gen.PaymentStatusAPPROVED, decode[gen.Payment](t, e.pay(t, "user-ana", o.ID, "pay-key-ana", cardBody(psp.CardApproves)), http.StatusCreated).Status)
	assert.Empty(t, e.notices(t, "user-ana").Items, "nothing to tell before the cancellation")

	cancelledAt := e.clock.Now()
	decode[gen.ShowtimeChangeResult](t, e.staff(t, operations.CancelShowtime, showtimeParam, cancelStBody), http.StatusOK)

	inbox := e.notices(t, "user-ana")
	require.Len(t, inbox.Items, 1)
	n := inbox.Items[0]
	assert.Equal(t, 1, inbox.Unread)
	assert.Equal(t, gen.NoticeKindSHOWTIMECANCELLED, n.Kind)
	assert.Equal(t, e.showtime, n.ShowtimeID)
	assert.Equal(t, "SHOWTIME_CANCELLED."+e.showtime, n.ID)
	assert.Contains(t, n.Message, "Falha no projetor")
	assert.True(t, cancelledAt.Equal(n.At))
	assert.Nil(t, n.ReadAt)
	assert.Empty(t, e.notices(t, "user-bruno").Items, "another buyer's inbox")

	e.clock.Advance(time.Minute)
	readAt := e.clock.Now()
	t.Run("markNoticesRead/200 by id: read now, nothing unread", func(t *testing.T) {
		got := e.markRead(t, "user-ana", `{"ids":["`+n.ID+`"]}`)
		assert.Zero(t, got.Unread)
		require.NotNil(t, got.Items[0].ReadAt)
		assert.True(t, readAt.Equal(*got.Items[0].ReadAt))
	})
	t.Run("another buyer marking that id changes nothing of hers", func(t *testing.T) {
		assert.Empty(t, e.markRead(t, "user-bruno", `{"ids":["`+n.ID+`"]}`).Items)
		assert.Empty(t, e.notices(t, "user-bruno").Items, "no notice appears for bruno")
	})
	e.clock.Advance(time.Minute)
	t.Run("the same notice written again keeps its readAt; marking all again keeps it too", func(t *testing.T) {
		again := programming.Notice{Buyer: "user-ana", ShowtimeID: e.showtime, Kind: "SHOWTIME_CANCELLED", Message: n.Message, At: e.clock.Now()}
		require.NoError(t, e.store.Notify(context.Background(), again))
		got := e.markRead(t, "user-ana", `{}`)
		require.Len(t, got.Items, 1)
		assert.True(t, readAt.Equal(*got.Items[0].ReadAt))
		assert.True(t, cancelledAt.Equal(got.Items[0].At), "the first writing stands")
	})
	t.Run("a new message for the same showtime and kind is unread again", func(t *testing.T) {
		changed := programming.Notice{Buyer: "user-ana", ShowtimeID: e.showtime, Kind: "SHOWTIME_CANCELLED", Message: "Outra mensagem.", At: e.clock.Now()}
		require.NoError(t, e.store.Notify(context.Background(), changed))
		got := e.notices(t, "user-ana")
		assert.Equal(t, 1, got.Unread)
		assert.Nil(t, got.Items[0].ReadAt)
	})
	t.Run("markNoticesRead/400 for a body with an unknown field, nothing written", func(t *testing.T) {
		decodeProblem(t, call(t, e.hs, request{op: operations.MarkNoticesRead, claims: buyerClaims("user-ana"), body: `{"readAt":"2026-12-01T00:00:00Z"}`}),
			http.StatusBadRequest, "validation_failed")
		assert.Equal(t, 1, e.notices(t, "user-ana").Unread)
	})
}
