package stripepsp

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/psp"
	"bilhetagem/internal/psp/stripepsp/stripemock"
)

// The reconciliation's lists (movements.go). stripe-mock checks that Stripe
// would accept every list request; it keeps no state, so the paging and the
// mapping are tested on a fake Stripe on loopback that answers Stripe-shaped
// lists in pages.

// expands reads an expand list however the SDK encodes it (expand[0]=…).
func expands(q url.Values) []string {
	var out []string
	for i := 0; ; i++ {
		v, ok := q["expand["+strconv.Itoa(i)+"]"]
		if !ok {
			return append(out, q["expand[]"]...)
		}
		out = append(out, v...)
	}
}

func TestMovementsListsAreAcceptedByStripeMock(t *testing.T) {
	t.Parallel()
	p, rec := newProvider(t, stripemock.URL(t))
	since := time.Date(2026, 3, 19, 7, 30, 0, 0, time.UTC)
	until := since.Add(24*time.Hour + 1500*time.Millisecond)
	_, err := p.Movements(context.Background(), since, until)
	require.NoError(t, err, "stripe-mock validates every request against Stripe's spec")

	calls := rec.all()
	require.Len(t, calls, 3, "one page each: stripe-mock's lists have no more")
	for i, path := range []string{"/v1/payment_intents", "/v1/refunds", "/v1/disputes"} {
		c := calls[i]
		assert.Equal(t, path, c.Path)
		assert.Equal(t, strconv.FormatInt(since.Unix(), 10), c.Form.Get("created[gte]"), path)
		assert.Equal(t, strconv.FormatInt(since.Unix()+24*3600+2, 10), c.Form.Get("created[lt]"), "%s: until rounded up to the second", path)
		assert.Equal(t, "100", c.Form.Get("limit"), path)
	}
	assert.Empty(t, expands(calls[0].Form), "a PaymentIntent carries our payment id itself")
	assert.Equal(t, []string{"data.payment_intent"}, expands(calls[1].Form), "a dashboard refund's payment id is its PaymentIntent's")
	assert.Equal(t, []string{"data.payment_intent"}, expands(calls[2].Form), "a dispute has no metadata")
}

// pagedStripe answers the three lists from pages of Stripe-shaped JSON,
// keyed by path and the starting_after cursor ("" for the first page).
func pagedStripe(t *testing.T, pages map[string]string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Path+"?"+r.URL.Query().Get("starting_after")]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"error":{"type":"invalid_request_error","message":"no such page"}}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestMovementsPageThroughStripesLists(t *testing.T) {
	t.Parallel()
	created := time.Date(2026, 3, 19, 20, 15, 0, 0, time.UTC)
	at := strconv.FormatInt(created.Unix(), 10)
	base := pagedStripe(t, map[string]string{
		"/v1/payment_intents?": `{"object":"list","url":"/v1/payment_intents","has_more":true,"data":[
			{"id":"pi_paid","object":"payment_intent","status":"succeeded","amount":4650,"amount_received":4650,"currency":"brl","created":` + at + `,"metadata":{"payment_id":"pay-1"}},
			{"id":"pi_unpaid","object":"payment_intent","status":"requires_payment_method","amount":3000,"amount_received":0,"currency":"brl","created":` + at + `,"metadata":{"payment_id":"pay-2"}}]}`,
		"/v1/payment_intents?pi_unpaid": `{"object":"list","url":"/v1/payment_intents","has_more":false,"data":[
			{"id":"pi_usd","object":"payment_intent","status":"succeeded","amount":999,"amount_received":999,"currency":"usd","created":` + at + `,"metadata":{"payment_id":"pay-3"}},
			{"id":"pi_pix","object":"payment_intent","status":"succeeded","amount":2500,"amount_received":2500,"currency":"brl","created":` + at + `,"metadata":{"payment_id":"pay-4"}},
			{"id":"pi_stranger","object":"payment_intent","status":"succeeded","amount":700,"amount_received":700,"currency":"brl","created":` + at + `,"metadata":{}}]}`,
		"/v1/refunds?": `{"object":"list","url":"/v1/refunds","has_more":false,"data":[
			{"id":"re_dashboard","object":"refund","status":"succeeded","amount":4650,"currency":"brl","created":` + at + `,"metadata":{},
			 "payment_intent":{"id":"pi_paid","object":"payment_intent","metadata":{"payment_id":"pay-1"}}},
			{"id":"re_ours","object":"refund","status":"pending","amount":2500,"currency":"brl","created":` + at + `,"metadata":{"payment_id":"pay-4"},"payment_intent":"pi_pix"},
			{"id":"re_failed","object":"refund","status":"failed","amount":2500,"currency":"brl","created":` + at + `,"metadata":{"payment_id":"pay-4"}}]}`,
		"/v1/disputes?": `{"object":"list","url":"/v1/disputes","has_more":false,"data":[
			{"id":"dp_open","object":"dispute","status":"needs_response","amount":4650,"currency":"brl","created":` + at + `,
			 "payment_intent":{"id":"pi_paid","object":"payment_intent","metadata":{"payment_id":"pay-1"}}},
			{"id":"dp_won","object":"dispute","status":"won","amount":4650,"currency":"brl","created":` + at + `,
			 "payment_intent":{"id":"pi_paid","object":"payment_intent","metadata":{"payment_id":"pay-1"}}},
			{"id":"dp_inquiry","object":"dispute","status":"warning_needs_response","amount":4650,"currency":"brl","created":` + at + `,
			 "payment_intent":{"id":"pi_paid","object":"payment_intent","metadata":{"payment_id":"pay-1"}}}]}`,
	})
	p, rec := newProvider(t, base)
	got, err := p.Movements(context.Background(), created.Add(-time.Hour), created.Add(time.Hour))
	require.NoError(t, err)

	assert.Equal(t, []psp.Movement{
		{Kind: psp.MovementCapture, PaymentID: "pay-1", Reference: "pi_paid", Amount: 4650, At: created},
		{Kind: psp.MovementCapture, PaymentID: "pay-4", Reference: "pi_pix", Amount: 2500, At: created},
		{Kind: psp.MovementCapture, PaymentID: "", Reference: "pi_stranger", Amount: 700, At: created},
		{Kind: psp.MovementRefund, PaymentID: "pay-1", Reference: "re_dashboard", Amount: 4650, At: created},
		{Kind: psp.MovementRefund, PaymentID: "pay-4", Reference: "re_ours", Amount: 2500, At: created},
		{Kind: psp.MovementDispute, PaymentID: "pay-1", Reference: "dp_open", Amount: 4650, At: created},
	}, got, "unpaid, foreign-currency, failed, won and inquiry objects moved none of our money")

	var paths []string
	for _, c := range rec.all() {
		paths = append(paths, c.Path+"?"+c.Form.Get("starting_after"))
	}
	assert.Equal(t, []string{"/v1/payment_intents?", "/v1/payment_intents?pi_unpaid", "/v1/refunds?", "/v1/disputes?"}, paths,
		"the second page starts after the first page's last object")
}

func TestMovementsFailWhenAListFails(t *testing.T) {
	t.Parallel()
	base := pagedStripe(t, map[string]string{
		"/v1/payment_intents?": `{"object":"list","url":"/v1/payment_intents","has_more":false,"data":[]}`,
	})
	p, _ := newProvider(t, base)
	_, err := p.Movements(context.Background(), time.Unix(0, 0), time.Unix(3600, 0))
	require.Error(t, err, "a list Stripe did not answer is no list: the run must not advance its watermark")
	assert.Contains(t, err.Error(), "list refunds")
}
