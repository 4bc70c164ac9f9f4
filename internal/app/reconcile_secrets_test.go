package app

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/psp"
	"bilhetagem/internal/psp/stripepsp"
)

func TestReconciliationReadsOnlyWhatItNeeds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	const stripeArn = "arn:aws:secretsmanager:sa-east-1:123456789012:secret:StripeKeys-AbCdEf"

	t.Run("in AWS on the simulator it reads no secret: it signs and verifies nothing", func(t *testing.T) {
		t.Parallel()
		store := &secretStore{}
		r, err := NewReconciliation(ctx, awsConfigWith(t, map[string]string{ProviderEnv: ProviderSimulator}), log, store, time.Now)
		require.NoError(t, err, "the shared keys that every other function needs are not given to it")
		assert.Empty(t, store.asked)
		assert.Equal(t, ProviderSimulator, r.Name, "the watermark is the simulator's")
		assert.IsType(t, &psp.Simulator{}, r.Provider)
	})
	t.Run("in AWS on Stripe it reads the Stripe keys alone", func(t *testing.T) {
		t.Parallel()
		store := &secretStore{values: map[string]string{stripeArn: `{"secretKey":"sk_test_x","webhookSecret":"whsec_x"}`}}
		r, err := NewReconciliation(ctx, awsConfigWith(t, map[string]string{ProviderEnv: ProviderStripe, StripeKeysSecretEnv: stripeArn}), log, store, time.Now)
		require.NoError(t, err)
		assert.Equal(t, []string{stripeArn}, store.asked)
		assert.Equal(t, ProviderStripe, r.Name)
		assert.IsType(t, &stripepsp.Provider{}, r.Provider)
	})
	t.Run("on Stripe without its keys it refuses to start", func(t *testing.T) {
		t.Parallel()
		_, err := NewReconciliation(ctx, awsConfigWith(t, map[string]string{ProviderEnv: ProviderStripe}), log, &secretStore{}, time.Now)
		assert.ErrorContains(t, err, StripeKeysSecretEnv)
	})
	t.Run("every other function still needs the shared keys in AWS", func(t *testing.T) {
		t.Parallel()
		cfg := awsConfigWith(t, map[string]string{ProviderEnv: ProviderSimulator})
		assert.ErrorContains(t, ResolveSecrets(ctx, &cfg, &secretStore{}), TicketSigningKeySecretEnv)
	})
}
