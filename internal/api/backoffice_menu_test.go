package api_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/api"
	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/booking"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/psp"
	"bilhetagem/internal/stock"
	"bilhetagem/internal/tickets"
)

// The back office's prices, menu and stock (issue 10), on DynamoDB Local
// through the API Gateway v2 events of the HTTP API. Like the purchase
// tests they are not parallel.

// menuEnv is the purchase fixture with the back office's price, menu and
// stock services wired, and the orders service the tests run completions
// with (what the purchase workflow runs when the hold's expiry comes).
type menuEnv struct {
	*purchaseEnv
	orders *orders.Service
}

func menuFixture(t *testing.T) *menuEnv {
	t.Helper()
	e := purchaseFixture(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	bs := &booking.Service{Store: e.store, Policy: booking.DefaultPolicy}
	ord := &orders.Service{Store: e.store, Booking: bs, PSP: e.sim, Signer: e.signer, Log: log}
	e.hs = api.Build(api.Deps{
		Catalog: &catalog.Service{Store: e.store}, Booking: bs, Store: e.store, Now: e.clock.Now, Log: log,
		Orders: ord, Tickets: &tickets.Service{Store: e.store, PublicKey: e.signer.PublicKey()}, Idempotency: e.store,
		Webhooks: psp.SimulatorWebhooks{Secret: e.secret},
		Prices:   &catalog.PriceAdmin{Store: e.store}, Menu: &catalog.MenuAdmin{Store: e.store}, Stock: &stock.Service{Store: e.store},
	}, specValidator(t))
	return &menuEnv{purchaseEnv: e, orders: ord}
}

func (e *menuEnv) staffCall(t *testing.T, op string, params map[string]string, body string) events.APIGatewayV2HTTPResponse {
	t.Helper()
	return call(t, e.hs, request{op: op, claims: staff, params: params, body: body})
}

func (e *menuEnv) putPrices(t *testing.T, body string) events.APIGatewayV2HTTPResponse {
	t.Helper()
	return e.staffCall(t, operations.PutPriceTable, cinemaParam, body)
}

func (e *menuEnv) putProduct(t *testing.T, id, body string) events.APIGatewayV2HTTPResponse {
	t.Helper()
	return e.staffCall(t, operations.PutProduct, map[string]string{"productId": id}, body)
}

func (e *menuEnv) adjust(t *testing.T, lines ...string) events.APIGatewayV2HTTPResponse {
	t.Helper()
	body := `{"items":[`
	for i, l := range lines {
		if i > 0 {
			body += ","
		}
		body += l
	}
	return e.staffCall(t, operations.AdjustStock, cinemaParam, body+`],"reason":"Contagem do estoque."}`)
}

func stockLine(product, size string, delta int) string {
	return fmt.Sprintf(`{"productId":%q,"size":%q,"delta":%d}`, product, size, delta)
}

// stockOf is the cinema's stock by "product size".
func (e *menuEnv) stockOf(t *testing.T) map[string]gen.StockLine {
	t.Helper()
	levels := decode[gen.StockLevels](t, e.staffCall(t, operations.GetStock, cinemaParam, ""), http.StatusOK)
	out := map[string]gen.StockLine{}
	for _, l := range levels.Items {
		out[l.ProductID+" "+l.Size] = l
	}
	return out
}

func everyDay(format string, amount int) string {
	return fmt.Sprintf(`{"format":%q,"weekdays":["SUN","MON","TUE","WED","THU","FRI","SAT"],"inteira":{"amount":%d,"currency":"BRL"}}`, format, amount)
}

func priceBody(rules ...string) string {
	body := `{"rules":[`
	for i, r := range rules {
		if i > 0 {
			body += ","
		}
		body += r
	}
	return body + `],"seatSurcharges":[{"seatType":"VIP","amount":{"amount":1500,"currency":"BRL"}}],"promoWeekdays":["TUE"]}`
}

func TestPriceTable(t *testing.T) {
	e := menuFixture(t)

	t.Run("getPriceTable/200 the seeded table", func(t *testing.T) {
		p := decode[gen.PriceTable](t, e.staffCall(t, operations.GetPriceTable, cinemaParam, ""), http.StatusOK)
		assert.Equal(t, "cin-fixture", p.CinemaID)
		require.Len(t, p.Rules, 1)
		assert.Equal(t, []gen.Weekday{"FRI"}, p.Rules[0].Weekdays)
		assert.Equal(t, 3600, p.Rules[0].Inteira.Amount)
		assert.Equal(t, []gen.SeatSurcharge{{SeatType: "VIP", Amount: gen.Money{Amount: 1500, Currency: "BRL"}}}, p.SeatSurcharges)
		assert.Nil(t, p.UpdatedAt)
	})
	t.Run("getPriceTable/404 for an unknown cinema", func(t *testing.T) {
		decodeProblem(t, e.staffCall(t, operations.GetPriceTable, map[string]string{"cinemaId": "cin-nenhum"}, ""), http.StatusNotFound, "not_found")
	})

	bad := []struct {
		name, body string
		status     int
		code       string
	}{
		{"putPriceTable/422 when a weekday of a projected format has no price",
			priceBody(`{"format":"2D","weekdays":["MON","TUE","WED","THU","FRI","SAT"],"inteira":{"amount":3800,"currency":"BRL"}}`),
			http.StatusUnprocessableEntity, "price_table_incomplete"},
		{"putPriceTable/422 when a weekday is priced twice for a format",
			priceBody(everyDay("2D", 3800), `{"format":"2D","weekdays":["TUE"],"inteira":{"amount":2000,"currency":"BRL"}}`),
			http.StatusUnprocessableEntity, "price_table_incomplete"},
		{"putPriceTable/422 when only another format is priced", priceBody(everyDay("3D", 4800)),
			http.StatusUnprocessableEntity, "price_table_incomplete"},
		{"putPriceTable/400 for a negative price", priceBody(everyDay("2D", -100)), http.StatusBadRequest, "validation_failed"},
		{"putPriceTable/400 for a negative surcharge",
			`{"rules":[` + everyDay("2D", 3800) + `],"seatSurcharges":[{"seatType":"VIP","amount":{"amount":-1,"currency":"BRL"}}],"promoWeekdays":[]}`,
			http.StatusBadRequest, "validation_failed"},
		{"putPriceTable/400 for a seat type with two surcharges",
			`{"rules":[` + everyDay("2D", 3800) + `],"seatSurcharges":[{"seatType":"VIP","amount":{"amount":1,"currency":"BRL"}},{"seatType":"VIP","amount":{"amount":2,"currency":"BRL"}}],"promoWeekdays":[]}`,
			http.StatusBadRequest, "validation_failed"},
	}
	for _, c := range bad {
		t.Run(c.name+" and writes nothing", func(t *testing.T) {
			before := e.items(t)
			decodeProblem(t, e.putPrices(t, c.body), c.status, c.code)
			assert.Equal(t, before, e.items(t))
			p := decode[gen.PriceTable](t, e.staffCall(t, operations.GetPriceTable, cinemaParam, ""), http.StatusOK)
			assert.Equal(t, 3600, p.Rules[0].Inteira.Amount, "the table is unchanged")
		})
	}
	t.Run("putPriceTable/404 for an unknown cinema", func(t *testing.T) {
		before := e.items(t)
		decodeProblem(t, e.staffCall(t, operations.PutPriceTable, map[string]string{"cinemaId": "cin-nenhum"}, priceBody(everyDay("2D", 3800))), http.StatusNotFound, "not_found")
		assert.Equal(t, before, e.items(t))
	})

	// A hold made before the change keeps its quote, and its order the
	// hold's prices; a hold made after it gets the new table.
	old := e.mustHold(t, "user-ana", "A1", "INTEIRA", "A2", "MEIA_ESTUDANTE")
	require.Equal(t, int64(3600+1800), old.Total.Amount)
	saved := decode[gen.PriceTable](t, e.putPrices(t, priceBody(everyDay("2D", 4000), everyDay("IMAX", 6000))), http.StatusOK)
	t.Run("putPriceTable/200 replaces the table, with rules for formats no room projects yet", func(t *testing.T) {
		assert.Len(t, saved.Rules, 2)
		require.NotNil(t, saved.UpdatedAt)
		assert.True(t, saved.UpdatedAt.Equal(e.clock.Now()))
		got := decode[gen.PriceTable](t, e.staffCall(t, operations.GetPriceTable, cinemaParam, ""), http.StatusOK)
		assert.Equal(t, saved, got)
	})
	t.Run("an order of a hold made before the change keeps the hold's prices", func(t *testing.T) {
		o := e.mustOrder(t, "user-ana", "ana-order-0001", orderBody(old.ID, ""))
		assert.Equal(t, int64(3600+1800), o.Totals.Tickets.Amount)
		assert.Equal(t, int64(3600), o.Tickets[0].Price.Amount)
		assert.Equal(t, int64(1800), o.Tickets[1].Price.Amount)
	})
	t.Run("a hold made after the change gets the new prices", func(t *testing.T) {
		h := e.mustHold(t, "user-bruno", "B1", "INTEIRA", "B2", "MEIA_ESTUDANTE")
		assert.Equal(t, int64(4000+2000), h.Total.Amount)
		o := e.mustOrder(t, "user-bruno", "bruno-order-0001", orderBody(h.ID, ""))
		assert.Equal(t, int64(4000+2000), o.Totals.Tickets.Amount)
	})
	t.Run("listTicketTypes/200 shows the new prices", func(t *testing.T) {
		tt := decode[gen.TicketTypeList](t, call(t, e.hs, request{op: operations.ListTicketTypes, params: map[string]string{"showtimeId": e.showtime}}), http.StatusOK)
		require.NotEmpty(t, tt.Items)
		assert.Equal(t, int64(4000), tt.Items[0].Price.Amount)
		st := decode[gen.ShowtimeDetail](t, call(t, e.hs, request{op: operations.GetShowtime, params: map[string]string{"showtimeId": e.showtime}}), http.StatusOK)
		assert.Equal(t, st.StartsAt.In(catalog.Zone).Weekday() == time.Tuesday, tt.Promo, "promo is the showtime's weekday in the table's promoWeekdays (TUE)")
		assert.Equal(t, int64(4000), tt.RegularPrice.Amount, "every day costs 4000, so that is the regular price")
		for _, it := range tt.Items {
			if it.Meia {
				assert.Equal(t, (tt.RegularPrice.Amount+1)/2, it.Price.Amount, it.Code)
			}
		}
	})
}

const (
	nachosBody = `{"name":"Nachos","description":"Com cheddar.","category":"SALGADO",` +
		`"sizes":[{"code":"UN","label":"Único","price":{"amount":2200,"currency":"BRL"}}],"flavours":[],"serves":1,"active":true,"sortOrder":4}`
	comboSoloBody = `{"name":"Combo Solo","description":"Pipoca P e refrigerante.","category":"COMBO",` +
		`"sizes":[{"code":"UN","label":"Único","price":{"amount":3000,"currency":"BRL"}}],"flavours":[],"serves":1,"active":true,"sortOrder":5,` +
		`"comboItems":[{"productId":"pipoca-salgada","size":"P","quantity":1},{"productId":"refrigerante","size":"M","quantity":1}]}`
)

func TestMenuAdmin(t *testing.T) {
	e := menuFixture(t)
	list := func(t *testing.T) map[string]gen.AdminProduct {
		t.Helper()
		l := decode[gen.AdminProductList](t, e.staffCall(t, operations.ListAdminProducts, nil, ""), http.StatusOK)
		out := map[string]gen.AdminProduct{}
		for _, p := range l.Items {
			out[p.ID] = p
		}
		return out
	}
	buyerMenu := func(t *testing.T) map[string]gen.Product {
		t.Helper()
		m := decode[gen.ConcessionsMenu](t, call(t, e.hs, request{op: operations.GetConcessionsMenu}), http.StatusOK)
		out := map[string]gen.Product{}
		for _, p := range m.Items {
			out[p.ID] = p
		}
		return out
	}

	t.Run("putProduct/200 creates a product", func(t *testing.T) {
		p := decode[gen.AdminProduct](t, e.putProduct(t, "nachos", nachosBody), http.StatusOK)
		assert.Equal(t, "nachos", p.ID)
		assert.True(t, p.Active)
		assert.Nil(t, p.Combo)
		assert.Contains(t, buyerMenu(t), "nachos")
	})
	t.Run("putProduct/200 creates a combo with its savings computed", func(t *testing.T) {
		p := decode[gen.AdminProduct](t, e.putProduct(t, "combo-solo", comboSoloBody), http.StatusOK)
		require.NotNil(t, p.Combo)
		assert.Equal(t, int64(1900+1600-3000), p.Combo.Savings.Amount)
		assert.Len(t, p.Combo.Items, 2)
		assert.Equal(t, int64(500), buyerMenu(t)["combo-solo"].Combo.Savings.Amount)
	})

	invalid := []struct {
		name, id, body string
		status         int
		code           string
	}{
		{"putProduct/422 combo_invalid for a product that is not a combo but lists items", "nachos-duplo",
			`{"name":"Nachos duplo","description":"","category":"SALGADO","sizes":[{"code":"UN","label":"Único","price":{"amount":3000,"currency":"BRL"}}],` +
				`"flavours":[],"serves":2,"active":true,"sortOrder":6,"comboItems":[{"productId":"nachos","size":"UN","quantity":2}]}`,
			http.StatusUnprocessableEntity, "combo_invalid"},
		{"putProduct/422 combo_invalid for a combo without items", "combo-vazio",
			`{"name":"Combo vazio","description":"","category":"COMBO","sizes":[{"code":"UN","label":"Único","price":{"amount":3000,"currency":"BRL"}}],` +
				`"flavours":[],"serves":1,"active":true,"sortOrder":6}`,
			http.StatusUnprocessableEntity, "combo_invalid"},
		{"putProduct/422 combo_invalid for a combo of a product not on the menu", "combo-churros",
			`{"name":"Combo churros","description":"","category":"COMBO","sizes":[{"code":"UN","label":"Único","price":{"amount":3000,"currency":"BRL"}}],` +
				`"flavours":[],"serves":1,"active":true,"sortOrder":6,"comboItems":[{"productId":"churros","size":"UN","quantity":1}]}`,
			http.StatusUnprocessableEntity, "combo_invalid"},
		{"putProduct/422 combo_invalid for a combo of a size the product lacks", "combo-m",
			`{"name":"Combo M","description":"","category":"COMBO","sizes":[{"code":"UN","label":"Único","price":{"amount":3000,"currency":"BRL"}}],` +
				`"flavours":[],"serves":1,"active":true,"sortOrder":6,"comboItems":[{"productId":"pipoca-salgada","size":"M","quantity":1}]}`,
			http.StatusUnprocessableEntity, "combo_invalid"},
		{"putProduct/422 combo_invalid for deactivating a product an active combo contains", "refrigerante",
			`{"name":"Refrigerante","description":"","category":"BEBIDA","sizes":[{"code":"M","label":"Médio","price":{"amount":1600,"currency":"BRL"}}],` +
				`"flavours":["Cola"],"serves":1,"active":false,"sortOrder":2}`,
			http.StatusUnprocessableEntity, "combo_invalid"},
		{"putProduct/400 for a negative price", "nachos",
			`{"name":"Nachos","description":"","category":"SALGADO","sizes":[{"code":"UN","label":"Único","price":{"amount":-1,"currency":"BRL"}}],` +
				`"flavours":[],"serves":1,"active":true,"sortOrder":4}`,
			http.StatusBadRequest, "validation_failed"},
		{"putProduct/400 for a size named twice", "nachos",
			`{"name":"Nachos","description":"","category":"SALGADO","sizes":[{"code":"UN","label":"Único","price":{"amount":1,"currency":"BRL"}},` +
				`{"code":"UN","label":"Outro","price":{"amount":2,"currency":"BRL"}}],"flavours":[],"serves":1,"active":true,"sortOrder":4}`,
			http.StatusBadRequest, "validation_failed"},
	}
	for _, c := range invalid {
		t.Run(c.name+" and writes nothing", func(t *testing.T) {
			before, menu := e.items(t), list(t)
			decodeProblem(t, e.putProduct(t, c.id, c.body), c.status, c.code)
			assert.Equal(t, before, e.items(t))
			assert.Equal(t, menu, list(t))
		})
	}

	// An order with nachos is made before the nachos are taken off the menu.
	h := e.mustHold(t, "user-ana", "A1", "INTEIRA")
	kept := e.mustOrder(t, "user-ana", "ana-order-0001", orderBody(h.ID, `{"productId":"nachos","size":"UN","quantity":2}`))
	off := decode[gen.AdminProduct](t, e.putProduct(t, "nachos", `{"name":"Nachos","description":"Com cheddar.","category":"SALGADO",`+
		`"sizes":[{"code":"UN","label":"Único","price":{"amount":2400,"currency":"BRL"}}],"flavours":[],"serves":1,"active":false,"sortOrder":4}`), http.StatusOK)
	t.Run("putProduct/200 replaces a product, inactive", func(t *testing.T) {
		assert.False(t, off.Active)
		assert.Equal(t, int64(2400), off.Sizes[0].Price.Amount)
	})
	t.Run("listAdminProducts/200 lists inactive products too, in menu order", func(t *testing.T) {
		l := decode[gen.AdminProductList](t, e.staffCall(t, operations.ListAdminProducts, nil, ""), http.StatusOK)
		var ids []string
		for _, p := range l.Items {
			ids = append(ids, p.ID)
		}
		assert.Equal(t, []string{"pipoca-salgada", "refrigerante", "combo-casal", "nachos", "combo-solo"}, ids)
		assert.False(t, list(t)["nachos"].Active)
	})
	t.Run("getConcessionsMenu/200 leaves the inactive product out", func(t *testing.T) {
		assert.NotContains(t, buyerMenu(t), "nachos")
	})
	t.Run("createOrder/422 product_unavailable for the inactive product", func(t *testing.T) {
		h := e.mustHold(t, "user-bruno", "B1", "INTEIRA")
		before := e.items(t)
		decodeProblem(t, e.order(t, "user-bruno", "bruno-order-0001", orderBody(h.ID, `{"productId":"nachos","size":"UN","quantity":1}`)),
			http.StatusUnprocessableEntity, "product_unavailable")
		assert.Equal(t, before, e.items(t))
	})
	t.Run("an order made before keeps the product at its price", func(t *testing.T) {
		got := e.getOrder(t, "user-ana", kept.ID)
		require.Len(t, got.Concessions, 1)
		assert.Equal(t, "nachos", got.Concessions[0].ProductID)
		assert.Equal(t, int64(2*2200), got.Totals.Concessions.Amount)
	})
}

func TestStockAdmin(t *testing.T) {
	e := menuFixture(t)

	t.Run("getStock/200 empty: no size is limited yet", func(t *testing.T) {
		assert.Empty(t, e.stockOf(t))
	})
	t.Run("adjustStock/200 counts deliveries in, creating lines", func(t *testing.T) {
		got := decode[gen.StockLevels](t, e.adjust(t, stockLine("pipoca-salgada", "P", 30), stockLine("refrigerante", "M", 12)), http.StatusOK)
		require.Len(t, got.Items, 2)
		assert.Equal(t, gen.StockLine{ProductID: "pipoca-salgada", Size: "P", Available: 30, Reserved: 0, UpdatedAt: got.Items[0].UpdatedAt}, got.Items[0])
		require.NotNil(t, got.Items[0].UpdatedAt)
		assert.True(t, got.Items[0].UpdatedAt.Equal(e.clock.Now()))
		assert.Equal(t, got.Items, decode[gen.StockLevels](t, e.staffCall(t, operations.GetStock, cinemaParam, ""), http.StatusOK).Items)
	})
	t.Run("adjustStock/200 writes off", func(t *testing.T) {
		decode[gen.StockLevels](t, e.adjust(t, stockLine("pipoca-salgada", "P", -10)), http.StatusOK)
		assert.Equal(t, 20, e.stockOf(t)["pipoca-salgada P"].Available)
	})

	bad := []struct {
		name   string
		lines  []string
		status int
		code   string
	}{
		{"adjustStock/409 stock_exhausted below zero, every line unchanged",
			[]string{stockLine("refrigerante", "M", 5), stockLine("pipoca-salgada", "P", -21)}, http.StatusConflict, "stock_exhausted"},
		{"adjustStock/409 stock_exhausted for a write-off of a size with no line",
			[]string{stockLine("pipoca-salgada", "G", -1)}, http.StatusConflict, "stock_exhausted"},
		{"adjustStock/422 product_unavailable for a product not on the menu",
			[]string{stockLine("refrigerante", "M", 5), stockLine("churros", "UN", 5)}, http.StatusUnprocessableEntity, "product_unavailable"},
		{"adjustStock/422 product_unavailable for a size the product lacks",
			[]string{stockLine("pipoca-salgada", "M", 5)}, http.StatusUnprocessableEntity, "product_unavailable"},
		{"adjustStock/422 product_unavailable for a combo, whose stock is its items'",
			[]string{stockLine("combo-casal", "UN", 5)}, http.StatusUnprocessableEntity, "product_unavailable"},
		{"adjustStock/400 for a line named twice",
			[]string{stockLine("refrigerante", "M", 5), stockLine("refrigerante", "M", 1)}, http.StatusBadRequest, "validation_failed"},
		{"adjustStock/400 for a zero delta", []string{stockLine("refrigerante", "M", 0)}, http.StatusBadRequest, "validation_failed"},
	}
	for _, c := range bad {
		t.Run(c.name+" and writes nothing", func(t *testing.T) {
			before, levels := e.items(t), e.stockOf(t)
			decodeProblem(t, e.adjust(t, c.lines...), c.status, c.code)
			assert.Equal(t, before, e.items(t))
			assert.Equal(t, levels, e.stockOf(t))
		})
	}
	t.Run("getStock/404 for an unknown cinema", func(t *testing.T) {
		decodeProblem(t, e.staffCall(t, operations.GetStock, map[string]string{"cinemaId": "cin-nenhum"}, ""), http.StatusNotFound, "not_found")
	})
}

// TestStockReservedByOrders follows the stock through an order's life: an
// order reserves its lines when it is created (a combo its items), a sale
// keeps them taken, and expiry, a declined payment and a cancellation give
// them back, once.
func TestStockReservedByOrders(t *testing.T) {
	e := menuFixture(t)
	decode[gen.StockLevels](t, e.adjust(t, stockLine("pipoca-salgada", "G", 10), stockLine("refrigerante", "M", 10)), http.StatusOK)
	level := func(t *testing.T, key string) (int, int) {
		t.Helper()
		l := e.stockOf(t)[key]
		return l.Available, l.Reserved
	}
	// A combo-casal is a pipoca G and two refrigerantes M.
	comboAndPopcorn := `{"productId":"combo-casal","size":"UN","quantity":1,"flavours":["Cola","Guaraná"]},{"productId":"pipoca-salgada","size":"G","quantity":2},{"productId":"pipoca-salgada","size":"P","quantity":3}`

	h := e.mustHold(t, "user-ana", "A1", "INTEIRA")
	paid := e.mustOrder(t, "user-ana", "ana-order-0001", orderBody(h.ID, comboAndPopcorn))
	t.Run("createOrder/201 reserves the lines, a combo's items included; a size with no line is not limited", func(t *testing.T) {
		a, r := level(t, "pipoca-salgada G")
		assert.Equal(t, [2]int{10 - 3, 3}, [2]int{a, r})
		a, r = level(t, "refrigerante M")
		assert.Equal(t, [2]int{10 - 2, 2}, [2]int{a, r})
		assert.NotContains(t, e.stockOf(t), "pipoca-salgada P")
	})
	t.Run("createPayment/201 a paid order's reservation becomes a sale", func(t *testing.T) {
		p := decode[gen.Payment](t, e.pay(t, "user-ana", paid.ID, "ana-pay-0001", cardBody(psp.CardApproves)), http.StatusCreated)
		require.Equal(t, gen.PaymentStatusAPPROVED, p.Status)
		require.Equal(t, gen.OrderStatusPAID, e.getOrder(t, "user-ana", paid.ID).Status)
		a, r := level(t, "pipoca-salgada G")
		assert.Equal(t, [2]int{7, 0}, [2]int{a, r})
		a, r = level(t, "refrigerante M")
		assert.Equal(t, [2]int{8, 0}, [2]int{a, r})
	})

	t.Run("createOrder/409 stock_exhausted when a line is short, writing nothing", func(t *testing.T) {
		h := e.mustHold(t, "user-bruno", "B1", "INTEIRA")
		before, levels := e.items(t), e.stockOf(t)
		p := decodeProblem(t, e.order(t, "user-bruno", "bruno-order-0001", orderBody(h.ID, `{"productId":"refrigerante","size":"M","quantity":9,"flavours":["Cola"]}`)),
			http.StatusConflict, "stock_exhausted")
		assert.Contains(t, p.Detail, "Refrigerante")
		assert.Equal(t, before, e.items(t))
		assert.Equal(t, levels, e.stockOf(t))
		got := decode[gen.Hold](t, call(t, e.hs, request{op: operations.GetHold, claims: buyerClaims("user-bruno"), params: map[string]string{"holdId": h.ID}}), http.StatusOK)
		assert.Equal(t, gen.HoldStatus("ACTIVE"), got.Status, "the hold is still the buyer's to order again")
		o := e.mustOrder(t, "user-bruno", "bruno-order-0002", orderBody(h.ID, `{"productId":"refrigerante","size":"M","quantity":8,"flavours":["Cola"]}`))
		a, r := level(t, "refrigerante M")
		assert.Equal(t, [2]int{0, 8}, [2]int{a, r})

		t.Run("a declined payment gives it back", func(t *testing.T) {
			p := decode[gen.Payment](t, e.pay(t, "user-bruno", o.ID, "bruno-pay-0001", cardBody(psp.CardDeclines)), http.StatusCreated)
			require.Equal(t, gen.PaymentStatusDECLINED, p.Status)
			require.Equal(t, gen.OrderStatusFAILED, e.getOrder(t, "user-bruno", o.ID).Status)
			a, r := level(t, "refrigerante M")
			assert.Equal(t, [2]int{8, 0}, [2]int{a, r})
		})
	})

	t.Run("an order that expires unpaid gives it back when its completion runs", func(t *testing.T) {
		h := e.mustHold(t, "user-carla", "C1", "INTEIRA")
		o := e.mustOrder(t, "user-carla", "carla-order-0001", orderBody(h.ID, `{"productId":"pipoca-salgada","size":"G","quantity":4}`))
		decode[gen.Payment](t, e.pay(t, "user-carla", o.ID, "carla-pay-0001", pixBody), http.StatusCreated)
		a, r := level(t, "pipoca-salgada G")
		require.Equal(t, [2]int{3, 4}, [2]int{a, r})
		e.clock.Advance(10*time.Minute + time.Second)
		done, err := e.orders.Complete(context.Background(), o.ID, e.clock.Now())
		require.NoError(t, err)
		require.Equal(t, orders.Expired, done.Status)
		a, r = level(t, "pipoca-salgada G")
		assert.Equal(t, [2]int{7, 0}, [2]int{a, r})

		t.Run("and running it again gives nothing more", func(t *testing.T) {
			before := e.items(t)
			_, err := e.orders.Complete(context.Background(), o.ID, e.clock.Now())
			require.NoError(t, err)
			a, r := level(t, "pipoca-salgada G")
			assert.Equal(t, [2]int{7, 0}, [2]int{a, r})
			assert.Equal(t, before, e.items(t))
		})
	})

	t.Run("cancelOrder/200 a cancelled paid order puts its stock back on sale, once", func(t *testing.T) {
		cancel := func() events.APIGatewayV2HTTPResponse {
			return call(t, e.hs, request{op: operations.CancelOrder, claims: buyerClaims("user-ana"), params: map[string]string{"orderId": paid.ID}, body: `{}`})
		}
		got := decode[gen.Order](t, cancel(), http.StatusOK)
		require.Contains(t, []gen.OrderStatus{gen.OrderStatusCANCELLED, gen.OrderStatusREFUNDED}, got.Status)
		a, r := level(t, "pipoca-salgada G")
		assert.Equal(t, [2]int{10, 0}, [2]int{a, r})
		a, r = level(t, "refrigerante M")
		assert.Equal(t, [2]int{10, 0}, [2]int{a, r})
		decode[gen.Order](t, cancel(), http.StatusOK)
		a, _ = level(t, "pipoca-salgada G")
		assert.Equal(t, 10, a, "a second cancel gives nothing more")
	})
}

// TestStockConcurrentOrders races buyers for the last units of a size on
// DynamoDB Local: exactly as many orders as there are units get them, the
// stock never goes below zero, and the units come back when those orders
// are cancelled or expire.
func TestStockConcurrentOrders(t *testing.T) {
	e := menuFixture(t)
	const buyers, units = 12, 5
	decode[gen.StockLevels](t, e.adjust(t, stockLine("pipoca-salgada", "P", units)), http.StatusOK)
	holds := make([]gen.Hold, buyers)
	for i := range buyers {
		holds[i] = e.mustHold(t, fmt.Sprintf("user-%02d", i), fmt.Sprintf("%c%d", 'A'+i/10, i%10+1), "INTEIRA")
	}

	results := make([]events.APIGatewayV2HTTPResponse, buyers)
	var wg sync.WaitGroup
	for i := range buyers {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sub := fmt.Sprintf("user-%02d", i)
			body := orderBody(holds[i].ID, `{"productId":"pipoca-salgada","size":"P","quantity":1}`)
			// A client retries a 503 with the same Idempotency-Key.
			for range 20 {
				results[i] = send(t, e.hs, request{op: operations.CreateOrder, claims: buyerClaims(sub), body: body}, key(fmt.Sprintf("race-key-%04d", i)))
				if results[i].StatusCode != http.StatusServiceUnavailable {
					return
				}
			}
		}(i)
	}
	wg.Wait()

	created := make([]gen.Order, buyers)
	var won []int
	for i, resp := range results {
		if resp.StatusCode == http.StatusCreated {
			created[i] = decode[gen.Order](t, resp, http.StatusCreated)
			won = append(won, i)
			continue
		}
		decodeProblem(t, resp, http.StatusConflict, "stock_exhausted")
	}
	t.Run("exactly as many orders as units succeed; the others are stock_exhausted", func(t *testing.T) {
		assert.Len(t, won, units)
		l := e.stockOf(t)["pipoca-salgada P"]
		assert.Equal(t, 0, l.Available)
		assert.Equal(t, units, l.Reserved)
	})
	require.Len(t, won, units)

	t.Run("a cancelled paid order and an expired one give their units back", func(t *testing.T) {
		first, second := won[0], won[1]
		sub := fmt.Sprintf("user-%02d", first)
		p := decode[gen.Payment](t, e.pay(t, sub, created[first].ID, "race-pay-0001", cardBody(psp.CardApproves)), http.StatusCreated)
		require.Equal(t, gen.PaymentStatusAPPROVED, p.Status)
		l := e.stockOf(t)["pipoca-salgada P"]
		assert.Equal(t, [2]int{0, units - 1}, [2]int{l.Available, l.Reserved})
		decode[gen.Order](t, call(t, e.hs, request{op: operations.CancelOrder, claims: buyerClaims(sub), params: map[string]string{"orderId": created[first].ID}, body: `{}`}), http.StatusOK)
		l = e.stockOf(t)["pipoca-salgada P"]
		assert.Equal(t, [2]int{1, units - 1}, [2]int{l.Available, l.Reserved})

		e.clock.Advance(10*time.Minute + time.Second)
		for _, i := range won[1:] {
			_, err := e.orders.Complete(context.Background(), created[i].ID, e.clock.Now())
			require.NoError(t, err)
		}
		l = e.stockOf(t)["pipoca-salgada P"]
		assert.Equal(t, [2]int{units, 0}, [2]int{l.Available, l.Reserved}, "order %s and the others expired", created[second].ID)
	})
}
