package app

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	ticketArn  = "arn:aws:secretsmanager:sa-east-1:123456789012:secret:TicketSigningKey-AbCdEf"
	webhookArn = "arn:aws:secretsmanager:sa-east-1:123456789012:secret:PspWebhookSecret-AbCdEf"
	waitingArn = "arn:aws:secretsmanager:sa-east-1:123456789012:secret:WaitingRoomSigningKey-AbCdEf"
)

// secretStore answers GetSecretValue from a map and records the ids asked
// for; it stands for Secrets Manager to assert the exact calls.
type secretStore struct {
	mu     sync.Mutex
	values map[string]string
	fail   error
	asked  []string
}

func (s *secretStore) GetSecretValue(_ context.Context, in *secretsmanager.GetSecretValueInput, _ ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.asked = append(s.asked, aws.ToString(in.SecretId))
	if s.fail != nil {
		return nil, s.fail
	}
	v, ok := s.values[aws.ToString(in.SecretId)]
	if !ok {
		return nil, errors.New("ResourceNotFoundException: Secrets Manager can't find the specified secret")
	}
	return &secretsmanager.GetSecretValueOutput{SecretString: aws.String(v)}, nil
}

func awsConfigWith(t *testing.T, vars map[string]string) Config {
	t.Helper()
	all := map[string]string{"TABLE_NAME": "bilhetagem"}
	for k, v := range vars {
		all[k] = v
	}
	cfg, err := ConfigFrom(env(all))
	require.NoError(t, err)
	return cfg
}

func TestSecrets(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	arns := map[string]string{TicketSigningKeySecretEnv: ticketArn, WebhookSecretSecretEnv: webhookArn, WaitingRoomSigningKeySecretEnv: waitingArn}
	generated := map[string]string{ // what Secrets Manager generates: 64 printable characters
		ticketArn:  strings.Repeat("Tk9", 21) + "x",
		webhookArn: strings.Repeat("Wh7", 21) + "y",
		waitingArn: strings.Repeat("Wr5", 21) + "z",
	}

	t.Run("in AWS the three keys are read from their secrets, by ARN, once each", func(t *testing.T) {
		t.Parallel()
		cfg := awsConfigWith(t, arns)
		sm := &secretStore{values: generated}
		require.NoError(t, ResolveSecrets(ctx, &cfg, sm))
		assert.ElementsMatch(t, []string{ticketArn, webhookArn, waitingArn}, sm.asked)
		assert.Len(t, cfg.Purchase.TicketSigningKey, 32, "an Ed25519 seed")
		assert.Len(t, cfg.Premiere.SigningKey, 32)
		assert.Equal(t, []byte(generated[webhookArn]), cfg.Purchase.WebhookSecret, "the webhook secret is the value itself")

		// Another process (another function) derives the same keys.
		again := awsConfigWith(t, arns)
		require.NoError(t, ResolveSecrets(ctx, &again, &secretStore{values: generated}))
		assert.Equal(t, cfg.Purchase.TicketSigningKey, again.Purchase.TicketSigningKey)
		assert.Equal(t, cfg.Premiere.SigningKey, again.Premiere.SigningKey)
	})

	t.Run("a secret holding the base64 of a 32-byte seed is that seed", func(t *testing.T) {
		t.Parallel()
		seed := make([]byte, 32)
		for i := range seed {
			seed[i] = byte(i)
		}
		values := map[string]string{ticketArn: base64.StdEncoding.EncodeToString(seed), webhookArn: generated[webhookArn], waitingArn: generated[waitingArn]}
		cfg := awsConfigWith(t, arns)
		require.NoError(t, ResolveSecrets(ctx, &cfg, &secretStore{values: values}))
		assert.Equal(t, seed, cfg.Purchase.TicketSigningKey)
	})

	t.Run("the same value gives different keys for tickets and admissions", func(t *testing.T) {
		t.Parallel()
		same := map[string]string{ticketArn: generated[webhookArn], webhookArn: generated[webhookArn], waitingArn: generated[webhookArn]}
		cfg := awsConfigWith(t, arns)
		require.NoError(t, ResolveSecrets(ctx, &cfg, &secretStore{values: same}))
		assert.NotEqual(t, cfg.Purchase.TicketSigningKey, cfg.Premiere.SigningKey)
	})

	t.Run("in AWS a key with no secret fails fast, naming what to set", func(t *testing.T) {
		t.Parallel()
		cfg := awsConfigWith(t, map[string]string{WebhookSecretSecretEnv: webhookArn})
		err := ResolveSecrets(ctx, &cfg, &secretStore{values: generated})
		require.Error(t, err)
		assert.Contains(t, err.Error(), TicketSigningKeySecretEnv)
		assert.Contains(t, err.Error(), WaitingRoomSigningKeySecretEnv)
		assert.NotContains(t, err.Error(), WebhookSecretSecretEnv)
	})

	t.Run("a secret that cannot be read fails fast", func(t *testing.T) {
		t.Parallel()
		cfg := awsConfigWith(t, arns)
		err := ResolveSecrets(ctx, &cfg, &secretStore{fail: errors.New("AccessDeniedException: not authorized to perform secretsmanager:GetSecretValue")})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "AccessDeniedException")
	})

	t.Run("the Stripe keys are read from their secret as JSON; the placeholder the stack makes is refused", func(t *testing.T) {
		t.Parallel()
		const stripeArn = "arn:aws:secretsmanager:sa-east-1:123456789012:secret:StripeKeys-AbCdEf"
		withStripe := map[string]string{StripeKeysSecretEnv: stripeArn, ProviderEnv: "stripe"}
		for k, v := range arns {
			withStripe[k] = v
		}
		values := map[string]string{stripeArn: `{"secretKey":"sk_test_123","webhookSecret":"whsec_456"}`}
		for k, v := range generated {
			values[k] = v
		}
		cfg := awsConfigWith(t, withStripe)
		sm := &secretStore{values: values}
		require.NoError(t, ResolveSecrets(ctx, &cfg, sm))
		assert.Contains(t, sm.asked, stripeArn)
		assert.Equal(t, StripeConfig{SecretKey: "sk_test_123", WebhookSecret: "whsec_456"}, cfg.Purchase.Stripe)

		for _, bad := range []string{`{"secretKey":"","webhookSecret":"","placeholder":"Xy12"}`, `{"secretKey":"sk_test_123"}`, "sk_test_123"} {
			values[stripeArn] = bad
			cfg := awsConfigWith(t, withStripe)
			err := ResolveSecrets(ctx, &cfg, &secretStore{values: values})
			require.Error(t, err, bad)
			assert.ErrorContains(t, err, StripeKeysSecretEnv)
			assert.ErrorContains(t, err, "docs/deploy.md")
			assert.NotContains(t, err.Error(), "sk_test_123", "a key is never in an error")
		}
	})

	t.Run("a webhook secret shorter than 16 characters is refused", func(t *testing.T) {
		t.Parallel()
		short := map[string]string{ticketArn: generated[ticketArn], webhookArn: "curto", waitingArn: generated[waitingArn]}
		cfg := awsConfigWith(t, arns)
		assert.ErrorContains(t, ResolveSecrets(ctx, &cfg, &secretStore{values: short}), WebhookSecretSecretEnv)
	})

	t.Run("locally nothing is read and each process keeps a random key", func(t *testing.T) {
		t.Parallel()
		cfg := awsConfigWith(t, map[string]string{"DYNAMODB_ENDPOINT": "http://127.0.0.1:8000"})
		sm := &secretStore{}
		require.NoError(t, ResolveSecrets(ctx, &cfg, sm))
		assert.Empty(t, sm.asked)
		assert.Nil(t, cfg.Purchase.TicketSigningKey)
	})

	t.Run("in AWS keys given by value are enough", func(t *testing.T) {
		t.Parallel()
		seed := base64.StdEncoding.EncodeToString(make([]byte, 32))
		cfg := awsConfigWith(t, map[string]string{"TICKET_SIGNING_KEY": seed, "WAITING_ROOM_SIGNING_KEY": seed,
			"PSP_WEBHOOK_SECRET": strings.Repeat("s", 32)})
		sm := &secretStore{}
		require.NoError(t, ResolveSecrets(ctx, &cfg, sm))
		assert.Empty(t, sm.asked)
	})

	for name, bad := range map[string]map[string]string{
		"an ARN that is not a secret's": {TicketSigningKeySecretEnv: "arn:aws:ssm:sa-east-1:123456789012:parameter/key"},
		"a name instead of an ARN":      {WebhookSecretSecretEnv: "PspWebhookSecret"},
		"a key by value and by secret":  {"PSP_WEBHOOK_SECRET": strings.Repeat("s", 32), WebhookSecretSecretEnv: webhookArn},
	} {
		t.Run("config fails fast on "+name, func(t *testing.T) {
			t.Parallel()
			all := map[string]string{"TABLE_NAME": "bilhetagem"}
			for k, v := range bad {
				all[k] = v
			}
			_, err := ConfigFrom(env(all))
			assert.Error(t, err)
		})
	}
}
