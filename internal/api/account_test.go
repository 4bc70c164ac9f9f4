package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/account"
	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/psp"
	"bilhetagem/internal/waitingroom"
)

// storedItem is one item of the table, with every string it holds.
type storedItem struct {
	Key     string
	Type    string
	TTL     bool
	Strings []string
}

func (it storedItem) mentions(s string) bool {
	return slices.ContainsFunc(it.Strings, func(v string) bool { return strings.Contains(v, s) })
}

// scanTable reads every item of the store's table.
func scanTable(t *testing.T, store *dynamo.Store) []storedItem {
	t.Helper()
	var out []storedItem
	p := awsdynamodb.NewScanPaginator(store.Client(), &awsdynamodb.ScanInput{TableName: aws.String(store.TableName()), ConsistentRead: aws.Bool(true)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		require.NoError(t, err)
		for _, av := range page.Items {
			it := storedItem{Key: strs(av[dynamo.Table.PartitionKey])[0] + " " + strs(av[dynamo.Table.SortKey])[0]}
			if ty := strs(av["Type"]); len(ty) > 0 {
				it.Type = ty[0]
			}
			_, it.TTL = av[dynamo.Table.TTLAttribute]
			for _, v := range av {
				it.Strings = append(it.Strings, strs(v)...)
			}
			slices.Sort(it.Strings)
			out = append(out, it)
		}
	}
	slices.SortFunc(out, func(a, b storedItem) int { return strings.Compare(a.Key, b.Key) })
	return out
}

func strs(v types.AttributeValue) []string {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		return []string{v.Value}
	case *types.AttributeValueMemberSS:
		return v.Value
	case *types.AttributeValueMemberL:
		var out []string
		for _, e := range v.Value {
			out = append(out, strs(e)...)
		}
		return out
	case *types.AttributeValueMemberM:
		var out []string
		for k, e := range v.Value {
			out = append(out, k)
			out = append(out, strs(e)...)
		}
		return out
	}
	return nil
}

// TestBuyerExportsAndDeletesTheirData runs a buyer's whole life on
// DynamoDB Local (a paid order with bomboniere items, an unpaid one, a
// waiting-room entry, a cancelled showtime's notice) and reads the table
// itself: every item that names the buyer is of a kind the privacy policy
// covers, the export has every exported kind the table holds for them, the
// deletion is refused while a seat or money is at stake, and once it is
// done no item holds the buyer's e-mail or name, and only items that expire
// hold their id.
func TestBuyerExportsAndDeletesTheirData(t *testing.T) {
	e := purchaseFixture(t)
	ctx := context.Background()
	const sub, email, name = "google-ana-lgpd", "ana.lgpd@exemplo.com.br", "Ana Beatriz Lgpd"
	ana := map[string]string{"sub": sub, "email": email, "name": name}
	as := func(r request) request { r.claims = ana; return r }

	hold := decode[gen.Hold](t, send(t, e.hs, as(request{op: operations.CreateHold, body: holdBody(e.showtime, "C4", "INTEIRA")}), key("ana-lgpd-hold-0001")), http.StatusCreated)
	paid := decode[gen.Order](t, send(t, e.hs, as(request{op: operations.CreateOrder, body: orderBody(hold.ID,
		`{"productId":"pipoca-salgada","size":"G","quantity":1}`)}), key("ana-lgpd-order-0001")), http.StatusCreated)
	pay := decode[gen.Payment](t, send(t, e.hs, as(request{op: operations.CreatePayment, params: map[string]string{"orderId": paid.ID},
		body: cardBody(psp.CardApproves)}), key("ana-lgpd-pay-0001")), http.StatusCreated)
	require.Equal(t, gen.PaymentStatusAPPROVED, pay.Status)
	hold2 := decode[gen.Hold](t, send(t, e.hs, as(request{op: operations.CreateHold, body: holdBody(e.showtime, "C6", "INTEIRA")}), key("ana-lgpd-hold-0002")), http.StatusCreated)
	open := decode[gen.Order](t, send(t, e.hs, as(request{op: operations.CreateOrder, body: orderBody(hold2.ID, "")}), key("ana-lgpd-order-0002")), http.StatusCreated)
	require.NoError(t, e.store.PutEntry(ctx, waitingroom.Entry{ID: "wr-ana-1", ShowtimeID: e.showtime, Holder: sub,
		EnteredAt: e.clock.Now().UTC(), Bypassed: true}, ""))
	// Another buyer, whose data must survive Ana's deletion untouched.
	other := e.paidWithConcessions(t, "user-bruno", "D4")

	export := func(t *testing.T) (gen.BuyerDataExport, map[string]json.RawMessage) {
		t.Helper()
		resp := call(t, e.hs, as(request{op: operations.ExportMyData}))
		out := decode[gen.BuyerDataExport](t, resp, http.StatusOK)
		assert.Contains(t, resp.Headers["Content-Disposition"], "attachment")
		var raw map[string]json.RawMessage
		require.NoError(t, json.Unmarshal([]byte(resp.Body), &raw))
		return out, raw
	}
	t.Run("every item that names the buyer is of a kind the policy covers, and the export carries each exported kind", func(t *testing.T) {
		items := scanTable(t, e.store)
		_, raw := export(t)
		kinds := map[string]bool{}
		for _, it := range items {
			if !it.mentions(sub) {
				continue
			}
			pol, ok := dynamo.Kinds[it.Type]
			require.True(t, ok, "item %s of kind %q names the buyer and no privacy policy covers it", it.Key, it.Type)
			assert.NotEqual(t, dynamo.NotPersonal, pol.Erasure, "item %s of kind %s names the buyer but is classed not personal", it.Key, it.Type)
			kinds[it.Type] = true
			if pol.Export != "" {
				section, ok := raw[pol.Export]
				require.True(t, ok, "the export has no %q section for %s", pol.Export, it.Type)
				assert.NotContains(t, []string{"[]", "null", `{"orders":0,"products":[]}`}, string(section),
					"the export's %q is empty though the table holds %s", pol.Export, it.Key)
			}
		}
		for _, k := range []string{"BUYER_PROFILE", "ORDER", "PAYMENT", "TICKET", "WR_ENTRY", "CONCESSION_HISTORY", "SEAT", "HOLD"} {
			assert.True(t, kinds[k], "the flow wrote no %s item for the buyer; the test no longer covers it", k)
		}
	})
	t.Run("exportMyData/200 has the profile, the consent and what the buyer did", func(t *testing.T) {
		out, _ := export(t)
		require.NotNil(t, out.Profile)
		assert.Equal(t, email, string(out.Profile.Email))
		assert.Equal(t, name, out.Profile.Name)
		require.NotNil(t, out.Consent)
		assert.Equal(t, account.TermsVersion, out.Consent.TermsVersion)
		assert.Equal(t, sub, out.Subject)
		assert.ElementsMatch(t, []string{paid.ID, open.ID}, ids(out.Orders, func(o gen.Order) string { return o.ID }))
		assert.Equal(t, []string{pay.ID}, ids(out.Payments, func(p gen.Payment) string { return p.ID }))
		require.Len(t, out.Tickets, 1)
		assert.Equal(t, "C4", out.Tickets[0].SeatID)
		assert.Equal(t, []string{"wr-ana-1"}, ids(out.WaitingRoomEntries, func(w gen.ExportedWaitingRoomEntry) string { return w.ID }))
		assert.Equal(t, 1, out.ConcessionHistory.Orders)
		assert.NotContains(t, ids(out.Orders, func(o gen.Order) string { return o.ID }), other.ID, "another buyer's order")
	})

	before := scanTable(t, e.store)
	t.Run("deleteMyAccount/409 account_has_open_order while an order waits for payment; nothing is written", func(t *testing.T) {
		decodeProblem(t, call(t, e.hs, as(request{op: operations.DeleteMyAccount})), http.StatusConflict, "account_has_open_order")
		assert.Equal(t, before, scanTable(t, e.store))
	})
	e.clock.Advance(open.ExpiresAt.Sub(e.clock.Now()) + time.Second) // the unpaid order expires
	t.Run("deleteMyAccount/409 account_has_future_tickets for a showtime to come; nothing is written", func(t *testing.T) {
		p := decodeProblem(t, call(t, e.hs, as(request{op: operations.DeleteMyAccount})), http.StatusConflict, "account_has_future_tickets")
		assert.Contains(t, p.Detail, paid.ID)
		assert.Equal(t, before, scanTable(t, e.store))
	})

	// Staff cancel the showtime: the order is refunded and Ana is told.
	decode[gen.ShowtimeChangeResult](t, e.staff(t, operations.CancelShowtime, showtimeParam, cancelStBody), http.StatusOK)
	t.Run("exportMyData/200 has the notice of the cancelled showtime", func(t *testing.T) {
		out, _ := export(t)
		require.Len(t, out.Notices, 1)
		assert.Equal(t, gen.NoticeKindSHOWTIMECANCELLED, out.Notices[0].Kind)
	})

	t.Run("deleteMyAccount/204 leaves no item with the e-mail or name, and the id only on items that expire", func(t *testing.T) {
		resp := call(t, e.hs, as(request{op: operations.DeleteMyAccount}))
		require.Equal(t, http.StatusNoContent, resp.StatusCode, resp.Body)
		for _, it := range scanTable(t, e.store) {
			assert.False(t, it.mentions(email), "%s still holds the e-mail", it.Key)
			assert.False(t, it.mentions(name), "%s still holds the name", it.Key)
			if it.mentions(sub) {
				pol := dynamo.Kinds[it.Type]
				assert.Equal(t, dynamo.Expiring, pol.Erasure, "%s (%s) still names the buyer", it.Key, it.Type)
				assert.True(t, it.TTL, "%s names the buyer and has no TTL", it.Key)
			}
		}
	})
	t.Run("the kept order is refunded, under an alias, and the other buyer's data is untouched", func(t *testing.T) {
		o, err := e.store.GetOrder(ctx, paid.ID)
		require.NoError(t, err)
		assert.NotEqual(t, sub, o.Buyer)
		assert.NotEmpty(t, o.Buyer)
		assert.Equal(t, gen.OrderStatusREFUNDED, gen.OrderStatus(o.Status))
		assert.Equal(t, other.ID, e.getOrder(t, "user-bruno", other.ID).ID)
	})
	t.Run("exportMyData/200 after deletion is empty; deleting again answers 204", func(t *testing.T) {
		out, _ := export(t)
		assert.Nil(t, out.Profile)
		assert.Nil(t, out.Consent)
		assert.Empty(t, out.Orders)
		assert.Empty(t, out.Tickets)
		assert.Empty(t, out.Notices)
		assert.Empty(t, out.WaitingRoomEntries)
		assert.Zero(t, out.ConcessionHistory.Orders)
		assert.Equal(t, http.StatusNoContent, call(t, e.hs, as(request{op: operations.DeleteMyAccount})).StatusCode)
	})
}

func ids[T any](xs []T, id func(T) string) []string {
	out := []string{}
	for _, x := range xs {
		out = append(out, id(x))
	}
	return out
}
