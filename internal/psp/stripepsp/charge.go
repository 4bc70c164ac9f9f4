package stripepsp

import (
	"fmt"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v82"

	"bilhetagem/internal/psp"
)

// cardCharge is the answer to a card payment from its confirmed
// PaymentIntent.
func cardCharge(pi *stripe.PaymentIntent, installments int) (psp.Charge, error) {
	c := psp.Charge{Reference: pi.ID}
	switch pi.Status {
	case stripe.PaymentIntentStatusSucceeded:
		c.Status, c.Card = psp.Approved, cardInfo(pi.LatestCharge, installments)
	case stripe.PaymentIntentStatusRequiresAction:
		// 3-D Secure: the browser completes it with stripe.handleNextAction
		// and the payment_intent.succeeded (or payment_failed) webhook
		// settles the payment.
		c.Status, c.Action = psp.Pending, &psp.Action{ClientSecret: pi.ClientSecret}
	case stripe.PaymentIntentStatusProcessing, stripe.PaymentIntentStatusRequiresCapture:
		c.Status = psp.Pending // the issuer's answer comes by webhook
	case stripe.PaymentIntentStatusRequiresPaymentMethod:
		if pi.LastPaymentError == nil {
			return psp.Charge{}, fmt.Errorf("stripepsp: card payment %s was not attempted", pi.ID)
		}
		c.Status, c.DeclineReason = psp.Declined, declineReason(pi.LastPaymentError)
	default:
		return psp.Charge{}, fmt.Errorf("stripepsp: card payment %s is %s", pi.ID, pi.Status)
	}
	return c, nil
}

// declinedByError is the answer to a card the issuer refused: Stripe
// answers 402 with a card_error (it carries the PaymentIntent too, the one
// confirmed).
func declinedByError(se *stripe.Error, intent string) psp.Charge {
	return psp.Charge{Reference: intent, Status: psp.Declined, DeclineReason: declineReason(se)}
}

// cardInfo is what may be shown of the card that paid, from the charge's
// payment_method_details; nil when the charge is not at hand.
func cardInfo(ch *stripe.Charge, installments int) *psp.CardInfo {
	if ch == nil || ch.PaymentMethodDetails == nil || ch.PaymentMethodDetails.Card == nil {
		return nil
	}
	card := ch.PaymentMethodDetails.Card
	info := &psp.CardInfo{Brand: strings.ToUpper(string(card.Brand)), Last4: card.Last4, Installments: installments}
	if in := card.Installments; in != nil && in.Plan != nil && in.Plan.Count > 0 {
		info.Installments = int(in.Plan.Count)
	}
	return info
}

// declineReason tells the buyer, in pt-BR, why a card was refused. A card
// reported lost, stolen or fraudulent gets the generic reason, as Stripe
// advises: the buyer is not told what the issuer suspects.
func declineReason(se *stripe.Error) string {
	code := string(se.DeclineCode)
	if code == "" {
		code = string(se.Code)
	}
	switch code {
	case "insufficient_funds":
		return "Saldo insuficiente."
	case "expired_card":
		return "Cartão vencido."
	case "incorrect_cvc", "invalid_cvc":
		return "Código de segurança (CVV) incorreto."
	case "incorrect_number", "invalid_number":
		return "Número do cartão incorreto."
	case "invalid_expiry_month", "invalid_expiry_year":
		return "Data de validade do cartão incorreta."
	case "card_velocity_exceeded", "withdrawal_count_limit_exceeded":
		return "Limite do cartão excedido."
	case "authentication_required", "payment_intent_authentication_failure":
		return "A autenticação do cartão não foi concluída."
	case "card_not_supported", "transaction_not_allowed", "currency_not_supported", "invalid_account":
		return "Este cartão não aceita esta compra."
	case "processing_error", "issuer_not_available", "try_again_later", "reenter_transaction":
		return "O emissor do cartão não respondeu; tente novamente."
	}
	// generic_decline, do_not_honor, lost_card, stolen_card, pickup_card,
	// fraudulent and whatever Stripe adds next.
	return "Pagamento recusado pelo emissor do cartão."
}

// pixCharge is the answer to a Pix charge: the BR Code Stripe made, drawn
// here as a QR image (Stripe's image URL is not fetched).
func pixCharge(pi *stripe.PaymentIntent) (psp.Charge, error) {
	c := psp.Charge{Reference: pi.ID}
	switch pi.Status {
	case stripe.PaymentIntentStatusRequiresAction:
		if pi.NextAction == nil || pi.NextAction.PixDisplayQRCode == nil || pi.NextAction.PixDisplayQRCode.Data == "" {
			return psp.Charge{}, fmt.Errorf("stripepsp: Pix payment %s has no QR code", pi.ID)
		}
		qr := pi.NextAction.PixDisplayQRCode
		png, err := psp.QRCodePNG(qr.Data)
		if err != nil {
			return psp.Charge{}, fmt.Errorf("stripepsp: draw Pix QR code: %w", err)
		}
		c.Status = psp.Pending
		c.Pix = &psp.PixCharge{CopyPaste: qr.Data, QRCodePNG: png, ExpiresAt: time.Unix(qr.ExpiresAt, 0).UTC()}
	case stripe.PaymentIntentStatusSucceeded:
		c.Status = psp.Approved // asked again after the buyer paid
	case stripe.PaymentIntentStatusProcessing:
		c.Status = psp.Pending
	case stripe.PaymentIntentStatusCanceled:
		c.Status = psp.Expired
	case stripe.PaymentIntentStatusRequiresPaymentMethod:
		if pi.LastPaymentError == nil {
			return psp.Charge{}, fmt.Errorf("stripepsp: Pix payment %s was not attempted", pi.ID)
		}
		c.Status, c.DeclineReason = psp.Declined, "Não foi possível criar a cobrança Pix."
	default:
		return psp.Charge{}, fmt.Errorf("stripepsp: Pix payment %s is %s", pi.ID, pi.Status)
	}
	return c, nil
}
