package mail_test

import (
	"time"

	"bilhetagem/internal/mail"
)

// start is the showtime of the examples: Saturday 12 December 2026, 21:30
// in São Paulo, given in UTC.
var start = time.Date(2026, 12, 13, 0, 30, 0, 0, time.UTC)

func orderConfirmed() mail.OrderConfirmedView {
	return mail.OrderConfirmedView{
		To:      "Ana Souza <ana@example.com>",
		Key:     "ORDER_CONFIRMED.ord-7f3a",
		Name:    "Ana",
		OrderID: "ord-7f3a",
		Showtime: mail.Showtime{
			Movie:  "Duna: Parte Dois",
			Cinema: "Cine Paulista",
			Room:   "Sala 3",
			Start:  start,
		},
		Tickets: []mail.Ticket{
			{Seat: "F7", Type: "Inteira", Price: 4200, Code: "TKT-F7-9QX2", QR: "bilhetagem:ticket:tkt-f7-9qx2"},
			{Seat: "F8", Type: "Meia", Price: 2100, Code: "TKT-F8-3MZ7"},
		},
		Concessions: []mail.ConcessionLine{
			{Name: "Pipoca grande, manteiga", Quantity: 2, UnitPrice: 2990, Total: 5980},
			{Name: "Refrigerante 500 ml", Quantity: 1, UnitPrice: 1290, Total: 1290},
		},
		PickupCode:     "K7P2Q9",
		ConvenienceFee: 630,
		Total:          4200 + 2100 + 5980 + 1290 + 630,
		PaymentMethod:  "Cartão Visa •••• 4242 em 2x",
		ReceiptURL:     "https://ingressos.example.com/pedidos/ord-7f3a/recibo",
	}
}

// The other views share the order above.

func showtimeCancelled() mail.ShowtimeCancelledView {
	o := orderConfirmed()
	return mail.ShowtimeCancelledView{
		To: o.To, Key: "SHOWTIME_CANCELLED.st-42", Name: o.Name, OrderID: o.OrderID, Showtime: o.Showtime,
		Reason:        "falha no projetor da sala",
		Refund:        o.Total,
		PaymentMethod: "Cartão Visa •••• 4242",
		OrderURL:      "https://ingressos.example.com/pedidos/ord-7f3a",
	}
}

func showtimeRescheduled() mail.ShowtimeRescheduledView {
	o := orderConfirmed()
	moved := o.Showtime
	moved.Start = time.Date(2026, 12, 13, 23, 0, 0, 0, time.UTC) // domingo, 13 de dezembro, 20:00
	return mail.ShowtimeRescheduledView{
		To: o.To, Key: "SHOWTIME_RESCHEDULED.st-42", Name: o.Name, OrderID: o.OrderID, Showtime: moved,
		OldStart:    o.Showtime.Start,
		Reason:      "manutenção do ar-condicionado",
		CancelUntil: moved.Start,
		Refund:      o.Total,
		OrderURL:    "https://ingressos.example.com/pedidos/ord-7f3a",
	}
}

func refundDone() mail.RefundDoneView {
	o := orderConfirmed()
	return mail.RefundDoneView{
		To: o.To, Key: "REFUND_DONE.ord-7f3a", Name: o.Name, OrderID: o.OrderID, Showtime: o.Showtime,
		Amount:        o.Total,
		PaymentMethod: "Pix",
		OrderURL:      "https://ingressos.example.com/pedidos/ord-7f3a",
	}
}

func ticketsVoided() mail.TicketsVoidedView {
	o := orderConfirmed()
	return mail.TicketsVoidedView{
		To: o.To, Key: "ORDER_VOIDED.st-42", Name: o.Name, OrderID: o.OrderID, Showtime: o.Showtime,
		Seats:        []string{"F7", "F8"},
		Amount:       o.Total,
		SupportEmail: "atendimento@bilhetagem.example",
		OrderURL:     "https://ingressos.example.com/pedidos/ord-7f3a",
	}
}

// rendered is every e-mail, rendered from the views above.
func rendered() map[string]func() (mail.Message, error) {
	return map[string]func() (mail.Message, error){
		"OrderConfirmed":      func() (mail.Message, error) { return mail.OrderConfirmed(orderConfirmed()) },
		"ShowtimeCancelled":   func() (mail.Message, error) { return mail.ShowtimeCancelled(showtimeCancelled()) },
		"ShowtimeRescheduled": func() (mail.Message, error) { return mail.ShowtimeRescheduled(showtimeRescheduled()) },
		"RefundDone":          func() (mail.Message, error) { return mail.RefundDone(refundDone()) },
		"TicketsVoided":       func() (mail.Message, error) { return mail.TicketsVoided(ticketsVoided()) },
	}
}
