package app

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/money"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestPurchaseConfig(t *testing.T) {
	t.Parallel()
	t.Run("defaults: R$ 4,00 per ticket, cancellation until 2 hours before, door open an hour before, ephemeral key and secret", func(t *testing.T) {
		c, err := purchaseConfigFrom(env(nil))
		require.NoError(t, err)
		assert.Equal(t, money.BRL(400), c.ConvenienceFee)
		assert.Equal(t, 2*time.Hour, c.CancelBefore)
		assert.Equal(t, time.Hour, c.CheckInOpensBefore)
		assert.Nil(t, c.TicketSigningKey)
		assert.Nil(t, c.WebhookSecret)
		assert.Equal(t, ProviderSimulator, c.Provider)
	})
	t.Run("reads every setting", func(t *testing.T) {
		seed := base64.StdEncoding.EncodeToString(make([]byte, 32))
		c, err := purchaseConfigFrom(env(map[string]string{"CONVENIENCE_FEE_CENTS": "350", "CANCEL_BEFORE_MINUTES": "60",
			"TICKET_SIGNING_KEY": seed, "PSP_WEBHOOK_SECRET": strings.Repeat("s", 32), "PSP_WEBHOOK_URL": "http://127.0.0.1:8080/api/webhooks/psp",
			"PSP_SIM_PIX_PAID_AFTER_SECONDS": "15", "CHECK_IN_OPENS_BEFORE_MINUTES": "45"}))
		require.NoError(t, err)
		assert.Equal(t, money.BRL(350), c.ConvenienceFee)
		assert.Equal(t, time.Hour, c.CancelBefore)
		assert.Len(t, c.TicketSigningKey, 32)
		assert.Equal(t, 15*time.Second, c.PixPaidAfter)
		assert.Equal(t, 45*time.Minute, c.CheckInOpensBefore)
	})
	for name, bad := range map[string]map[string]string{
		"a negative fee":               {"CONVENIENCE_FEE_CENTS": "-1"},
		"a fee that is not a number":   {"CONVENIENCE_FEE_CENTS": "4,00"},
		"a signing key of 16 bytes":    {"TICKET_SIGNING_KEY": base64.StdEncoding.EncodeToString(make([]byte, 16))},
		"a signing key not base64":     {"TICKET_SIGNING_KEY": "not base64!"},
		"a short webhook secret":       {"PSP_WEBHOOK_SECRET": "short"},
		"a negative window":            {"CANCEL_BEFORE_MINUTES": "-5"},
		"a door open zero minutes":     {"CHECK_IN_OPENS_BEFORE_MINUTES": "0"},
		"a door open for weeks":        {"CHECK_IN_OPENS_BEFORE_MINUTES": "20160"},
		"an unknown provider":          {"PSP_PROVIDER": "pagseguro"},
		"a Stripe API not on loopback": {"STRIPE_API_BASE": "https://api.example.com"},
	} {
		t.Run("fails fast on "+name, func(t *testing.T) {
			_, err := purchaseConfigFrom(env(bad))
			assert.Error(t, err)
		})
	}
}
