package app

import (
	"bilhetagem/internal/account"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api"
	"bilhetagem/internal/money"
	"bilhetagem/internal/notices"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/psp"
	"bilhetagem/internal/psp/stripepsp"
	"bilhetagem/internal/sfn"
	"bilhetagem/internal/tickets"
	"bilhetagem/internal/workflow"
)

// PurchaseConfig configures orders, payments and tickets.
type PurchaseConfig struct {
	ConvenienceFee money.BRL     // CONVENIENCE_FEE_CENTS, per ticket (default 400)
	CancelBefore   time.Duration // CANCEL_BEFORE_MINUTES before the showtime (default 120)
	// CheckInOpensBefore is how long before its showtime starts the door
	// takes a ticket (CHECK_IN_OPENS_BEFORE_MINUTES, default 60); it takes
	// it until the showtime ends.
	CheckInOpensBefore time.Duration
	// TicketSigningKey is the Ed25519 seed tickets are signed with
	// (TICKET_SIGNING_KEY, base64 of 32 bytes). When empty an ephemeral key
	// is made and its public key logged: fine for a local run, useless for
	// doors of a deployed environment, which must set it.
	TicketSigningKey []byte
	// WebhookSecret is the HMAC key shared with the PSP (PSP_WEBHOOK_SECRET);
	// a random one when empty, since the local simulator is the only PSP.
	WebhookSecret []byte
	// WebhookURL is where the simulated PSP posts its webhooks
	// (PSP_WEBHOOK_URL); when empty it hands them to the webhook handler in
	// the same process.
	WebhookURL string
	// PixPaidAfter, when positive, has the simulated PSP pay every Pix charge
	// after that long (PSP_SIM_PIX_PAID_AFTER_SECONDS), for local runs with no
	// bank app.
	PixPaidAfter time.Duration
	// StateMachineArn is the deployed purchase workflow
	// (PURCHASE_STATE_MACHINE_ARN, set by the CDK on the functions that
	// start executions or answer their payment wait): orders complete
	// through Step Functions when it is set.
	StateMachineArn string
	// Provider is the payment provider (PSP_PROVIDER): ProviderSimulator,
	// the default, or ProviderStripe.
	Provider string
	// Stripe holds the Stripe keys, when the provider is Stripe and this
	// process calls it (docs/adr/0700).
	Stripe StripeConfig
}

// StripeConfig is how the app reaches Stripe. In AWS the keys come from the
// StripeKeys secret (STRIPE_KEYS_SECRET_ARN), and only the functions that
// call the provider have them; a local run takes STRIPE_SECRET_KEY and
// STRIPE_WEBHOOK_SECRET, and STRIPE_API_BASE to talk to stripe-mock.
type StripeConfig struct {
	SecretKey     string
	WebhookSecret string
	APIBase       string
}

// The payment providers (PSP_PROVIDER).
const (
	ProviderSimulator = "simulator"
	ProviderStripe    = "stripe"
)

func purchaseConfigFrom(getenv func(string) string) (PurchaseConfig, error) {
	c := PurchaseConfig{ConvenienceFee: orders.DefaultPolicy.ConvenienceFee, CancelBefore: orders.DefaultPolicy.CancelBefore,
		CheckInOpensBefore: tickets.DefaultOpensBefore, WebhookURL: getenv(WebhookURLEnv), StateMachineArn: getenv("PURCHASE_STATE_MACHINE_ARN")}
	c.Stripe = StripeConfig{SecretKey: getenv("STRIPE_SECRET_KEY"), WebhookSecret: getenv("STRIPE_WEBHOOK_SECRET"), APIBase: getenv("STRIPE_API_BASE")}
	if c.Stripe.APIBase != "" && !strings.HasPrefix(c.Stripe.APIBase, "http://127.0.0.1:") && !strings.HasPrefix(c.Stripe.APIBase, "http://localhost:") {
		return PurchaseConfig{}, fmt.Errorf("config: STRIPE_API_BASE is for a local stripe-mock (http://127.0.0.1:PORT), got %q", c.Stripe.APIBase)
	}
	switch c.Provider = getenv(ProviderEnv); c.Provider {
	case "":
		c.Provider = ProviderSimulator
	case ProviderSimulator, ProviderStripe:
	default:
		return PurchaseConfig{}, fmt.Errorf("config: %s must be %q or %q, got %q", ProviderEnv, ProviderSimulator, ProviderStripe, c.Provider)
	}
	if c.StateMachineArn != "" && !strings.HasPrefix(c.StateMachineArn, "arn:") {
		return PurchaseConfig{}, fmt.Errorf("config: PURCHASE_STATE_MACHINE_ARN must be a state machine ARN, got %q", c.StateMachineArn)
	}
	if v := getenv("CONVENIENCE_FEE_CENTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 5000 {
			return PurchaseConfig{}, fmt.Errorf("config: CONVENIENCE_FEE_CENTS must be 0..5000 centavos, got %q", v)
		}
		c.ConvenienceFee = money.BRL(n)
	}
	if v := getenv("CANCEL_BEFORE_MINUTES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 7*24*60 {
			return PurchaseConfig{}, fmt.Errorf("config: CANCEL_BEFORE_MINUTES must be 0..10080 minutes, got %q", v)
		}
		c.CancelBefore = time.Duration(n) * time.Minute
	}
	if v := getenv("CHECK_IN_OPENS_BEFORE_MINUTES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 7*24*60 {
			return PurchaseConfig{}, fmt.Errorf("config: CHECK_IN_OPENS_BEFORE_MINUTES must be 1..10080 minutes, got %q", v)
		}
		c.CheckInOpensBefore = time.Duration(n) * time.Minute
	}
	if v := getenv("PSP_SIM_PIX_PAID_AFTER_SECONDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 3600 {
			return PurchaseConfig{}, fmt.Errorf("config: PSP_SIM_PIX_PAID_AFTER_SECONDS must be 0..3600, got %q", v)
		}
		c.PixPaidAfter = time.Duration(n) * time.Second
	}
	if v := getenv("TICKET_SIGNING_KEY"); v != "" {
		seed, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(seed) != ed25519.SeedSize {
			return PurchaseConfig{}, fmt.Errorf("config: TICKET_SIGNING_KEY must be the base64 of a %d-byte Ed25519 seed", ed25519.SeedSize)
		}
		c.TicketSigningKey = seed
	}
	if v := getenv("PSP_WEBHOOK_SECRET"); v != "" {
		if len(v) < 16 {
			return PurchaseConfig{}, fmt.Errorf("config: PSP_WEBHOOK_SECRET must have at least 16 characters")
		}
		c.WebhookSecret = []byte(v)
	}
	return c, nil
}

// wirePurchase builds the order and ticket services, the simulated PSP and
// the idempotency store into deps. With a state machine ARN (in AWS) orders
// complete through Step Functions executions (internal/sfn); run locally
// (DynamoDB Local), through the same definition run in process
// (internal/workflow.Completer); otherwise in process (Service.Complete).
func (a *App) wirePurchase(deps *api.Deps, cfg PurchaseConfig, local bool, log *slog.Logger, now func() time.Time) error {
	signer := tickets.NewEphemeralSigner()
	if cfg.TicketSigningKey != nil {
		s, err := tickets.NewSigner(cfg.TicketSigningKey)
		if err != nil {
			return err
		}
		signer = s
	} else {
		log.Warn("TICKET_SIGNING_KEY is not set: tickets are signed with an ephemeral key",
			"publicKey", base64.StdEncoding.EncodeToString(signer.PublicKey()))
	}
	secret := cfg.WebhookSecret
	if secret == nil {
		secret = make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			return fmt.Errorf("webhook secret: %w", err)
		}
	}
	provider, err := a.wireProvider(deps, cfg, secret, local, log, now)
	if err != nil {
		return err
	}
	deps.Orders = &orders.Service{Store: a.Store, Booking: deps.Booking, PSP: provider, Signer: signer, Log: log,
		Policy: orders.Policy{ConvenienceFee: cfg.ConvenienceFee, CancelBefore: cfg.CancelBefore}, Clock: now, Pending: a.Store, Notices: a.Store}
	a.Orders = deps.Orders
	switch {
	case cfg.StateMachineArn != "":
		api, err := stepFunctionsClient()
		if err != nil {
			return err
		}
		a.Orders.Completer = &sfn.Workflow{API: api, StateMachineArn: cfg.StateMachineArn, Waits: a.Store,
			Orders: a.Orders, Store: a.Store, Log: log}
	case local:
		c, err := workflow.NewCompleter(a.Orders, a.Store, log, now)
		if err != nil {
			return fmt.Errorf("purchase workflow: %w", err)
		}
		a.Orders.Completer = c
	}
	deps.Tickets = &tickets.Service{Store: a.Store, PublicKey: signer.PublicKey(), OpensBefore: cfg.CheckInOpensBefore}
	deps.Counter = &orders.Counter{Store: a.Store}
	deps.Notices = &notices.Service{Store: a.Store}
	deps.Account = &account.Service{Store: a.Store}
	deps.Idempotency = a.Store
	return nil
}

// wireProvider builds the environment's payment provider and the reader of
// its webhooks (the other provider's webhook answers 404).
func (a *App) wireProvider(deps *api.Deps, cfg PurchaseConfig, secret []byte, local bool, log *slog.Logger, now func() time.Time) (psp.Provider, error) {
	if cfg.Provider == ProviderStripe {
		if cfg.Stripe.SecretKey == "" {
			if local {
				return nil, fmt.Errorf("config: %s=stripe needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET", ProviderEnv)
			}
			// In AWS only the functions that call the provider read its
			// keys (cdk/secrets.go); this one never should.
			return noProvider{}, nil
		}
		p, err := stripepsp.New(stripepsp.Config{SecretKey: cfg.Stripe.SecretKey, WebhookSecret: cfg.Stripe.WebhookSecret,
			BackendURL: cfg.Stripe.APIBase, Now: now, Log: log})
		if err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
		deps.StripeWebhooks = p
		return p, nil
	}
	var notifier psp.Notifier = psp.HTTPNotifier{URL: cfg.WebhookURL}
	if cfg.WebhookURL == "" {
		// Straight into this process's webhook handler, with the same
		// signature check as over HTTP.
		notifier = psp.NotifierFunc(func(ctx context.Context, body []byte, signature string) error {
			return a.deliverWebhook(ctx, body, signature)
		})
	}
	// The charges live in the table, so any function of the stack settles,
	// reads or refunds a charge another one made; in a Lambda, webhooks go
	// out before the function answers, since it may be frozen then.
	a.PSP = psp.NewSimulator(psp.SimConfig{Secret: secret, Notifier: notifier, Now: now, Log: log,
		Ledger: a.Store.SimulatorLedger(), Synchronous: !local,
		SettleTimeoutsAfter: 20 * time.Second, PayPixAfter: cfg.PixPaidAfter})
	deps.Webhooks = psp.SimulatorWebhooks{Secret: secret}
	return a.PSP, nil
}

// noProvider is the provider of a function that has no access to it: every
// call fails as if the provider could not be reached, and says why.
type noProvider struct{}

var errNoProvider = fmt.Errorf("%w: this function has no access to the payment provider's keys", psp.ErrUnavailable)

func (noProvider) Charge(context.Context, psp.ChargeRequest) (psp.Charge, error) {
	return psp.Charge{}, errNoProvider
}
func (noProvider) Refund(context.Context, psp.RefundRequest) error { return errNoProvider }
func (noProvider) Cancel(context.Context, psp.CancelRequest) error { return errNoProvider }

// deliverWebhook sends a webhook body to the receivePspWebhook handler as the
// HTTP API would.
func (a *App) deliverWebhook(ctx context.Context, body []byte, signature string) error {
	op, _ := operations.ByID(operations.ReceivePspWebhook)
	h, ok := a.Handlers[op.ID]
	if !ok {
		return fmt.Errorf("no webhook handler")
	}
	resp, err := h.Handle(ctx, events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: op.Method + " /api" + op.Path, RawPath: "/api" + op.Path,
		Headers: map[string]string{"content-type": "application/json", "x-signature": signature}, Body: string(body),
		RequestContext: events.APIGatewayV2HTTPRequestContext{RequestID: "psp-" + strconv.FormatInt(time.Now().UnixNano(), 36),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: op.Method, Path: "/api" + op.Path}},
	})
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("webhook answered %d", resp.StatusCode)
	}
	return nil
}
