package stripepsp

import (
	"bytes"
	"encoding/json"
	"image/png"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/stripe/stripe-go/v82"

	"bilhetagem/internal/psp"
)

// The PaymentIntents below are shaped as Stripe's API reference documents
// them, with the states stripe-mock's fixture never takes.

func intent(t *testing.T, js string) *stripe.PaymentIntent {
	t.Helper()
	var pi stripe.PaymentIntent
	require.NoError(t, json.Unmarshal([]byte(js), &pi))
	return &pi
}

func TestCardPaymentIntentStatuses(t *testing.T) {
	t.Parallel()

	t.Run("succeeded is approved, with the card the latest charge shows", func(t *testing.T) {
		t.Parallel()
		pi := intent(t, `{"id": "pi_3Q1", "object": "payment_intent", "amount": 12000, "currency": "brl", "status": "succeeded",
			"client_secret": "pi_3Q1_secret_abc", "payment_method_types": ["card"], "metadata": {"payment_id": "pay-1"},
			"latest_charge": {"id": "ch_3Q1", "object": "charge", "amount": 12000, "currency": "brl", "payment_intent": "pi_3Q1",
				"payment_method_details": {"type": "card", "card": {"brand": "mastercard", "last4": "4444", "exp_month": 12, "exp_year": 2030,
					"installments": {"plan": {"count": 3, "interval": "month", "type": "fixed_count"}}}}}}`)
		c, err := cardCharge(pi, 1) // the plan the charge took counts, not the one asked
		require.NoError(t, err)
		assert.Equal(t, psp.Charge{Reference: "pi_3Q1", Status: psp.Approved,
			Card: &psp.CardInfo{Brand: "MASTERCARD", Last4: "4444", Installments: 3}}, c)
	})

	t.Run("succeeded without installments counts one", func(t *testing.T) {
		t.Parallel()
		pi := intent(t, `{"id": "pi_3Q2", "object": "payment_intent", "status": "succeeded",
			"latest_charge": {"id": "ch_3Q2", "payment_method_details": {"type": "card", "card": {"brand": "visa", "last4": "4242", "installments": null}}}}`)
		c, err := cardCharge(pi, 1)
		require.NoError(t, err)
		assert.Equal(t, &psp.CardInfo{Brand: "VISA", Last4: "4242", Installments: 1}, c.Card)
	})

	t.Run("succeeded with the charge not expanded is approved without card details", func(t *testing.T) {
		t.Parallel()
		c, err := cardCharge(intent(t, `{"id": "pi_3Q3", "status": "succeeded", "latest_charge": "ch_3Q3"}`), 1)
		require.NoError(t, err)
		assert.Equal(t, psp.Approved, c.Status)
		assert.Nil(t, c.Card)
	})

	t.Run("requires_action is pending with the client secret for handleNextAction", func(t *testing.T) {
		t.Parallel()
		pi := intent(t, `{"id": "pi_3Q4", "object": "payment_intent", "status": "requires_action", "client_secret": "pi_3Q4_secret_xyz",
			"next_action": {"type": "use_stripe_sdk", "use_stripe_sdk": {"type": "three_d_secure_redirect"}}}`)
		c, err := cardCharge(pi, 1)
		require.NoError(t, err)
		assert.Equal(t, psp.Charge{Reference: "pi_3Q4", Status: psp.Pending, Action: &psp.Action{ClientSecret: "pi_3Q4_secret_xyz"}}, c)
	})

	t.Run("processing is pending, settled by a webhook", func(t *testing.T) {
		t.Parallel()
		c, err := cardCharge(intent(t, `{"id": "pi_3Q5", "status": "processing"}`), 1)
		require.NoError(t, err)
		assert.Equal(t, psp.Charge{Reference: "pi_3Q5", Status: psp.Pending}, c)
	})

	t.Run("requires_payment_method after an attempt is declined, with the reason of its error", func(t *testing.T) {
		t.Parallel()
		pi := intent(t, `{"id": "pi_3Q6", "object": "payment_intent", "status": "requires_payment_method",
			"last_payment_error": {"type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds",
				"message": "Your card has insufficient funds."}}`)
		c, err := cardCharge(pi, 1)
		require.NoError(t, err)
		assert.Equal(t, psp.Charge{Reference: "pi_3Q6", Status: psp.Declined, DeclineReason: "Saldo insuficiente."}, c)
	})

	t.Run("requires_payment_method without an attempt, or canceled, is an error", func(t *testing.T) {
		t.Parallel()
		for _, js := range []string{`{"id": "pi_3Q7", "status": "requires_payment_method"}`, `{"id": "pi_3Q8", "status": "canceled"}`} {
			_, err := cardCharge(intent(t, js), 1)
			assert.Error(t, err, js)
		}
	})
}

func TestDeclineReasons(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ decline, code, reason string }{
		{"insufficient_funds", "card_declined", "Saldo insuficiente."},
		{"", "expired_card", "Cartão vencido."},
		{"", "incorrect_cvc", "Código de segurança (CVV) incorreto."},
		{"", "incorrect_number", "Número do cartão incorreto."},
		{"card_velocity_exceeded", "card_declined", "Limite do cartão excedido."},
		{"", "payment_intent_authentication_failure", "A autenticação do cartão não foi concluída."},
		{"transaction_not_allowed", "card_declined", "Este cartão não aceita esta compra."},
		{"try_again_later", "card_declined", "O emissor do cartão não respondeu; tente novamente."},
		// What the issuer suspects is not told to the buyer.
		{"lost_card", "card_declined", "Pagamento recusado pelo emissor do cartão."},
		{"stolen_card", "card_declined", "Pagamento recusado pelo emissor do cartão."},
		{"fraudulent", "card_declined", "Pagamento recusado pelo emissor do cartão."},
		{"generic_decline", "card_declined", "Pagamento recusado pelo emissor do cartão."},
		{"", "", "Pagamento recusado pelo emissor do cartão."},
	} {
		se := &stripe.Error{Type: stripe.ErrorTypeCard, Code: stripe.ErrorCode(tc.code), DeclineCode: stripe.DeclineCode(tc.decline)}
		assert.Equal(t, tc.reason, declineReason(se), "%s/%s", tc.code, tc.decline)
	}
}

func TestPixPaymentIntentStatuses(t *testing.T) {
	t.Parallel()

	t.Run("requires_action gives the BR Code to copy and its QR image, drawn here", func(t *testing.T) {
		t.Parallel()
		code := psp.BRCode{Key: "chave@example.com", MerchantName: "BILHETAGEM", City: "SAO PAULO", Amount: 3890, TxID: "pi3Q9"}.Payload()
		expires := t0.Add(10 * time.Minute)
		js, err := json.Marshal(map[string]any{"id": "pi_3Q9", "object": "payment_intent", "amount": 3890, "currency": "brl",
			"status": "requires_action", "payment_method_types": []string{"pix"},
			"next_action": map[string]any{"type": "pix_display_qr_code",
				"pix_display_qr_code": map[string]any{"data": code, "expires_at": expires.Unix()}}})
		require.NoError(t, err)
		c, err := pixCharge(intent(t, string(js)))
		require.NoError(t, err)
		assert.Equal(t, psp.Pending, c.Status)
		assert.Equal(t, "pi_3Q9", c.Reference)
		require.NotNil(t, c.Pix)
		assert.Equal(t, code, c.Pix.CopyPaste)
		assert.True(t, expires.Equal(c.Pix.ExpiresAt), c.Pix.ExpiresAt)
		_, err = png.Decode(bytes.NewReader(c.Pix.QRCodePNG))
		assert.NoError(t, err, "a PNG")
	})

	t.Run("requires_action without a QR code is an error", func(t *testing.T) {
		t.Parallel()
		_, err := pixCharge(intent(t, `{"id": "pi_3QA", "status": "requires_action", "next_action": {"type": "pix_display_qr_code"}}`))
		assert.Error(t, err)
	})

	t.Run("a Pix already paid is approved, one cancelled expired", func(t *testing.T) {
		t.Parallel()
		c, err := pixCharge(intent(t, `{"id": "pi_3QB", "status": "succeeded"}`))
		require.NoError(t, err)
		assert.Equal(t, psp.Approved, c.Status)
		c, err = pixCharge(intent(t, `{"id": "pi_3QC", "status": "canceled"}`))
		require.NoError(t, err)
		assert.Equal(t, psp.Expired, c.Status)
	})
}
