package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/psp"
	"bilhetagem/internal/psp/stripepsp"
)

// NewReconciliation builds the payment reconciliation (docs/adr/0701) and
// nothing else: the store, and the environment's provider as a lister of
// its movements (the simulator reads its charges in the table; Stripe
// needs its keys, from STRIPE_KEYS_SECRET_ARN in AWS). It reads no shared
// key: it signs and verifies nothing. api reads the secrets; nil builds a
// Secrets Manager client when one is needed.
func NewReconciliation(ctx context.Context, cfg Config, log *slog.Logger, api SecretsAPI, now func() time.Time) (orders.Reconciliation, error) {
	if err := resolveSecrets(ctx, &cfg, api, false); err != nil {
		return orders.Reconciliation{}, err
	}
	store, err := dynamo.Open(ctx, cfg.storeConfig())
	if err != nil {
		return orders.Reconciliation{}, err
	}
	r := orders.Reconciliation{Store: store, Name: cfg.Purchase.Provider, Log: log}
	switch cfg.Purchase.Provider {
	case ProviderStripe:
		s := cfg.Purchase.Stripe
		if s.SecretKey == "" {
			return orders.Reconciliation{}, fmt.Errorf("config: %s=stripe: the reconciliation needs the Stripe keys (%s in AWS, STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET locally)",
				ProviderEnv, StripeKeysSecretEnv)
		}
		p, err := stripepsp.New(stripepsp.Config{SecretKey: s.SecretKey, WebhookSecret: s.WebhookSecret, BackendURL: s.APIBase, Now: now, Log: log})
		if err != nil {
			return orders.Reconciliation{}, fmt.Errorf("config: %w", err)
		}
		r.Provider = p
	default:
		// Listing sends no webhook: no notifier and no secret.
		r.Provider = psp.NewSimulator(psp.SimConfig{Ledger: store.SimulatorLedger(), Now: now, Log: log})
	}
	return r, nil
}

// Reconcile runs one reconciliation and logs its summary; the mismatches
// are logged by the run itself.
func Reconcile(ctx context.Context, r orders.Reconciliation, log *slog.Logger, now time.Time) (orders.Reconciled, error) {
	got, err := r.Run(ctx, now)
	attrs := []any{"provider", r.Name, "from", got.From, "to", got.To, "movementsFrom", got.MovementsFrom, "movements", got.Movements,
		"paidOrders", got.PaidOrders, "payments", got.Payments, "mismatches", len(got.Mismatches)}
	if err != nil {
		log.Error("reconcile: run failed", append(attrs, "error", err.Error())...)
		return got, err
	}
	log.Info("reconcile: done", attrs...)
	return got, nil
}

// StartReconciler is the whole main of the reconciliation Lambda, which an
// EventBridge rule invokes daily and an operator on demand (any payload):
// it reconciles from the last complete run to now and answers the summary.
// A run that fails answers an error, leaves the watermark, and the next
// run reads its window again.
func StartReconciler(getenv func(string) string) {
	cfg, err := ConfigFrom(getenv)
	if err != nil {
		slog.Error("bad configuration", "error", err.Error())
		os.Exit(1)
	}
	log := NewLogger(cfg.LogLevel)
	now := cfg.Clock()
	r, err := NewReconciliation(context.Background(), cfg, log, nil, now)
	if err != nil {
		log.Error("init failed", "error", err.Error())
		os.Exit(1)
	}
	lambda.Start(func(ctx context.Context) (orders.Reconciled, error) {
		return Reconcile(ctx, r, log, now())
	})
}
