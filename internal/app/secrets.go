package app

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// The keys every process of an environment must share come, in AWS, from
// Secrets Manager secrets the stack generates (docs/adr/0105): the stack
// passes their ARNs and the app reads them once at init, failing fast when
// it cannot. A random key per process is kept for local runs only.
const (
	TicketSigningKeySecretEnv      = "TICKET_SIGNING_KEY_SECRET_ARN"
	WebhookSecretSecretEnv         = "PSP_WEBHOOK_SECRET_ARN"
	WaitingRoomSigningKeySecretEnv = "WAITING_ROOM_SIGNING_KEY_SECRET_ARN"
	// StripeKeysSecretEnv is the secret of the Stripe keys, as JSON
	// {"secretKey": "sk_…", "webhookSecret": "whsec_…"}, which an engineer
	// puts in (docs/deploy.md); only the functions that call the provider
	// get it.
	StripeKeysSecretEnv = "STRIPE_KEYS_SECRET_ARN"
	// ProviderEnv names the payment provider: "simulator" (the default) or
	// "stripe".
	ProviderEnv = "PSP_PROVIDER"
	// WebhookURLEnv is where the simulated PSP posts its signed webhooks;
	// unset, it hands them to the webhook handler in its own process.
	WebhookURLEnv = "PSP_WEBHOOK_URL"
)

// SecretsConfig holds the ARNs of the shared keys' secrets.
type SecretsConfig struct {
	TicketSigningKey      string // TICKET_SIGNING_KEY_SECRET_ARN
	WebhookSecret         string // PSP_WEBHOOK_SECRET_ARN
	WaitingRoomSigningKey string // WAITING_ROOM_SIGNING_KEY_SECRET_ARN
	StripeKeys            string // STRIPE_KEYS_SECRET_ARN
}

func secretsConfigFrom(getenv func(string) string) (SecretsConfig, error) {
	c := SecretsConfig{TicketSigningKey: getenv(TicketSigningKeySecretEnv), WebhookSecret: getenv(WebhookSecretSecretEnv),
		WaitingRoomSigningKey: getenv(WaitingRoomSigningKeySecretEnv), StripeKeys: getenv(StripeKeysSecretEnv)}
	for _, s := range []struct{ env, arn, direct string }{
		{TicketSigningKeySecretEnv, c.TicketSigningKey, "TICKET_SIGNING_KEY"},
		{WebhookSecretSecretEnv, c.WebhookSecret, "PSP_WEBHOOK_SECRET"},
		{WaitingRoomSigningKeySecretEnv, c.WaitingRoomSigningKey, "WAITING_ROOM_SIGNING_KEY"},
		{StripeKeysSecretEnv, c.StripeKeys, "STRIPE_SECRET_KEY"},
	} {
		if s.arn == "" {
			continue
		}
		if !strings.HasPrefix(s.arn, "arn:") || !strings.Contains(s.arn, ":secretsmanager:") {
			return SecretsConfig{}, fmt.Errorf("config: %s must be a Secrets Manager secret ARN, got %q", s.env, s.arn)
		}
		if getenv(s.direct) != "" {
			return SecretsConfig{}, fmt.Errorf("config: set %s or %s, not both", s.direct, s.env)
		}
	}
	return c, nil
}

// SecretsAPI is the part of the Secrets Manager client the app calls;
// *secretsmanager.Client is one.
type SecretsAPI interface {
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, opts ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

// ResolveSecrets reads the secrets whose ARNs are set into cfg, through api
// (built from the Lambda's environment when nil and needed), all at once.
// In AWS (no DYNAMODB_ENDPOINT) every shared key must then be set, by value
// or by secret: a key made up per process would sign tickets and admissions
// that other functions reject, and webhooks nobody can send.
func ResolveSecrets(ctx context.Context, cfg *Config, api SecretsAPI) error {
	return resolveSecrets(ctx, cfg, api, true)
}

// resolveSecrets is ResolveSecrets; shared says whether the process must
// have the shared keys in AWS (the reconciliation signs and verifies
// nothing, so it is given none: only the Stripe keys, where they apply).
func resolveSecrets(ctx context.Context, cfg *Config, api SecretsAPI, shared bool) error {
	type fetch struct {
		env, arn string
		set      func(string) error
	}
	var fetches []fetch
	if arn := cfg.Secrets.TicketSigningKey; arn != "" {
		fetches = append(fetches, fetch{TicketSigningKeySecretEnv, arn, func(v string) error {
			cfg.Purchase.TicketSigningKey = seedFromSecret(v, "ticket-signing-key")
			return nil
		}})
	}
	if arn := cfg.Secrets.WebhookSecret; arn != "" {
		fetches = append(fetches, fetch{WebhookSecretSecretEnv, arn, func(v string) error {
			if len(v) < 16 {
				return errors.New("the secret must have at least 16 characters")
			}
			cfg.Purchase.WebhookSecret = []byte(v)
			return nil
		}})
	}
	if arn := cfg.Secrets.WaitingRoomSigningKey; arn != "" {
		fetches = append(fetches, fetch{WaitingRoomSigningKeySecretEnv, arn, func(v string) error {
			cfg.Premiere.SigningKey = seedFromSecret(v, "waiting-room-signing-key")
			return nil
		}})
	}
	if arn := cfg.Secrets.StripeKeys; arn != "" {
		fetches = append(fetches, fetch{StripeKeysSecretEnv, arn, func(v string) error {
			var keys struct {
				SecretKey     string `json:"secretKey"`
				WebhookSecret string `json:"webhookSecret"`
			}
			if err := json.Unmarshal([]byte(v), &keys); err != nil || keys.SecretKey == "" || keys.WebhookSecret == "" {
				return errors.New(`the secret must hold {"secretKey":"sk_…","webhookSecret":"whsec_…"}, ` +
					"put in by an engineer after the first deploy (docs/deploy.md)")
			}
			cfg.Purchase.Stripe.SecretKey, cfg.Purchase.Stripe.WebhookSecret = keys.SecretKey, keys.WebhookSecret
			return nil
		}})
	}
	if len(fetches) > 0 && api == nil {
		awsCfg, err := awsConfig()
		if err != nil {
			return err
		}
		api = secretsmanager.NewFromConfig(awsCfg)
	}
	values := make([]string, len(fetches))
	errs := make([]error, len(fetches))
	var wg sync.WaitGroup
	for i, f := range fetches {
		wg.Go(func() {
			out, err := api.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(f.arn)})
			switch {
			case err != nil:
				errs[i] = fmt.Errorf("secrets: %s: %w", f.env, err)
			case out.SecretString == nil || *out.SecretString == "":
				errs[i] = fmt.Errorf("secrets: %s: the secret has no string value", f.env)
			default:
				values[i] = *out.SecretString
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for i, f := range fetches {
		if err := f.set(values[i]); err != nil {
			return fmt.Errorf("secrets: %s: %w", f.env, err)
		}
	}
	if cfg.Endpoint != "" || !shared {
		return nil // local: a random key per process is fine
	}
	var missing []string
	if cfg.Purchase.TicketSigningKey == nil {
		missing = append(missing, TicketSigningKeySecretEnv)
	}
	if cfg.Purchase.WebhookSecret == nil {
		missing = append(missing, WebhookSecretSecretEnv)
	}
	if cfg.Premiere.SigningKey == nil {
		missing = append(missing, WaitingRoomSigningKeySecretEnv)
	}
	if len(missing) > 0 {
		return fmt.Errorf("secrets: in AWS every process must share its keys; set %s", strings.Join(missing, ", "))
	}
	return nil
}

// seedFromSecret turns a secret's value into a 32-byte Ed25519 seed: the
// value itself when it is the base64 of 32 bytes (as TICKET_SIGNING_KEY and
// WAITING_ROOM_SIGNING_KEY are given), or else SHA-256 of the purpose and
// the value (Secrets Manager generates printable passwords, not base64
// seeds). Every process derives the same seed from the same secret.
func seedFromSecret(value, purpose string) []byte {
	if seed, err := base64.StdEncoding.DecodeString(value); err == nil && len(seed) == 32 {
		return seed
	}
	sum := sha256.Sum256([]byte("bilhetagem/" + purpose + "\x00" + value))
	return sum[:]
}
