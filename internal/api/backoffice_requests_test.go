package api_test

import (
	"net/http"
	"net/url"

	"bilhetagem/internal/operations"
)

// Valid requests for the back-office operations on the ids of
// purchaseFixture (cinema cin-fixture, room room-fixture, movie mov-fixture,
// showtime st-fixture), shared by the authorization and mass-assignment
// tests.

const (
	movieBody = `{"title":"Ainda Estou Aqui","originalTitle":"Ainda Estou Aqui","synopsis":"Rio de Janeiro, 1971.",` +
		`"ageRating":"14","genres":["Drama"],"runtimeMinutes":137,"releaseDate":"2024-11-07",` +
		`"posterUrl":"https://img.bilhetagem.com.br/posters/ainda-estou-aqui.jpg",` +
		`"trailerUrl":"https://img.bilhetagem.com.br/trailers/ainda-estou-aqui.mp4","distributor":"Sony Pictures"}`
	roomBody      = `{"id":"sala-9","name":"Sala 9","formats":["2D"],"rows":["SSSS_SSSS","WC_SSSS_PP"]}`
	layoutBody    = `{"rows":["SSSX_SSSS","WC_SSSS_PP"]}`
	scheduleBody  = `{"movieId":"mov-fixture","cinemaId":"cin-fixture","roomIds":["room-fixture"],"from":"2026-12-05","to":"2026-12-06","times":["14:00","19:30"],"format":"2D","language":"DUBLADO"}`
	rescheduleBdy = `{"startsAt":"2026-12-04T22:00:00-03:00","ticketPlan":"KEEP_AND_NOTIFY","reason":"Atraso na entrega da cópia."}`
	cancelStBody  = `{"reason":"Falha no projetor da sala."}`
	blockBody     = `{"seatIds":["A2"],"reason":"Poltrona quebrada."}`
	pricesBody    = `{"rules":[{"format":"2D","weekdays":["SUN","MON","TUE","WED","THU","FRI","SAT"],"inteira":{"amount":3800,"currency":"BRL"}}],` +
		`"seatSurcharges":[{"seatType":"VIP","amount":{"amount":1500,"currency":"BRL"}}],"promoWeekdays":[]}`
	productBody = `{"name":"Pipoca doce","description":"Pipoca caramelizada.","category":"PIPOCA",` +
		`"sizes":[{"code":"M","label":"Média","price":{"amount":2800,"currency":"BRL"}}],"flavours":[],"serves":1,"active":true,"sortOrder":15}`
	stockBody = `{"items":[{"productId":"pipoca-salgada","size":"P","delta":100}],"reason":"Entrega do fornecedor."}`
)

var (
	cinemaParam   = map[string]string{"cinemaId": "cin-fixture"}
	roomParams    = map[string]string{"cinemaId": "cin-fixture", "roomId": "room-fixture"}
	showtimeParam = map[string]string{"showtimeId": "st-fixture"}
)

// backofficeRequests is a valid request for each back-office operation and
// the status staff get for it. The authorization test sends them on one
// fixture in the registry's order, so blockSeats finds st-fixture already
// cancelled by cancelShowtime (422 showtime_cancelled; TestBlockSeats has
// its 200).
func backofficeRequests() map[string]struct {
	r      request
	status int
} {
	type rs = struct {
		r      request
		status int
	}
	return map[string]rs{
		operations.ListAdminMovies:    {request{op: operations.ListAdminMovies}, http.StatusOK},
		operations.CreateMovie:        {request{op: operations.CreateMovie, body: movieBody}, http.StatusCreated},
		operations.UpdateMovie:        {request{op: operations.UpdateMovie, params: map[string]string{"movieId": "mov-fixture"}, body: movieBody}, http.StatusOK},
		operations.RetireMovie:        {request{op: operations.RetireMovie, params: map[string]string{"movieId": "mov-fixture"}}, http.StatusConflict},
		operations.ListRooms:          {request{op: operations.ListRooms, params: cinemaParam}, http.StatusOK},
		operations.CreateRoom:         {request{op: operations.CreateRoom, params: cinemaParam, body: roomBody}, http.StatusCreated},
		operations.CreateRoomLayout:   {request{op: operations.CreateRoomLayout, params: roomParams, body: layoutBody}, http.StatusCreated},
		operations.GetSchedule:        {request{op: operations.GetSchedule, params: cinemaParam, query: url.Values{"date": {"2026-12-04"}}}, http.StatusOK},
		operations.ScheduleShowtimes:  {request{op: operations.ScheduleShowtimes, body: scheduleBody}, http.StatusCreated},
		operations.RescheduleShowtime: {request{op: operations.RescheduleShowtime, params: showtimeParam, body: rescheduleBdy}, http.StatusOK},
		operations.CancelShowtime:     {request{op: operations.CancelShowtime, params: showtimeParam, body: cancelStBody}, http.StatusOK},
		operations.BlockSeats:         {request{op: operations.BlockSeats, params: showtimeParam, body: blockBody}, http.StatusUnprocessableEntity},
		operations.UnblockSeat:        {request{op: operations.UnblockSeat, params: map[string]string{"showtimeId": "st-fixture", "seatId": "A2"}}, http.StatusNoContent},
		operations.GetPriceTable:      {request{op: operations.GetPriceTable, params: cinemaParam}, http.StatusOK},
		operations.PutPriceTable:      {request{op: operations.PutPriceTable, params: cinemaParam, body: pricesBody}, http.StatusOK},
		operations.ListAdminProducts:  {request{op: operations.ListAdminProducts}, http.StatusOK},
		operations.PutProduct:         {request{op: operations.PutProduct, params: map[string]string{"productId": "pipoca-doce"}, body: productBody}, http.StatusOK},
		operations.GetStock:           {request{op: operations.GetStock, params: cinemaParam}, http.StatusOK},
		operations.AdjustStock:        {request{op: operations.AdjustStock, params: cinemaParam, body: stockBody}, http.StatusOK},
		operations.GetSalesReport:     {request{op: operations.GetSalesReport, query: url.Values{"from": {"2026-12-01"}, "to": {"2026-12-31"}}}, http.StatusOK},
	}
}

// backofficeMassCases adds, for each back-office operation with a body,
// fields the server owns; each must be refused with 400.
func backofficeMassCases() map[string]massCase {
	money := map[string]any{"amount": 1, "currency": "BRL"}
	when := "2026-12-04T00:00:00Z"
	out := map[string]massCase{}
	for id, f := range map[string]map[string]any{
		operations.CreateMovie:        {"id": "mov-x", "status": "NOW_SHOWING", "retired": true, "updatedAt": when},
		operations.UpdateMovie:        {"id": "mov-x", "retired": false, "retiredAt": when},
		operations.CreateRoom:         {"cinemaId": "outro", "layout": map[string]any{"version": 7}, "capacity": 10},
		operations.CreateRoomLayout:   {"version": 7, "capacity": 10, "seats": []any{}},
		operations.ScheduleShowtimes:  {"status": "CANCELLED", "layoutVersion": 3, "sold": 0, "id": "st-x"},
		operations.RescheduleShowtime: {"status": "SCHEDULED", "busyUntil": when, "roomId": "outra"},
		operations.CancelShowtime:     {"ordersRefunded": 0, "status": "SCHEDULED"},
		operations.BlockSeats:         {"blockedBy": "user-ana", "blockedAt": when},
		operations.PutPriceTable:      {"cinemaId": "outro", "updatedAt": when, "rules.0.inteira.cents": 1},
		operations.PutProduct:         {"id": "outro", "combo": map[string]any{"savings": money}, "sizes.0.cost": money},
		operations.AdjustStock:        {"available": 9, "items.0.reserved": 0, "items.0.available": 5},
	} {
		r := backofficeRequests()[id].r
		r.claims = staff
		out[id] = massCase{r: r, fields: f}
	}
	return out
}
