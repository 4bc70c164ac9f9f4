// Package app is the composition root: it turns configuration into a store,
// the domain services and every operation's wrapped handler. The Lambda
// mains under functions/ and the local server both build through it, so they
// run the same code.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"bilhetagem/internal/api"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/booking"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/concessions"
	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/programming"
	"bilhetagem/internal/psp"
	"bilhetagem/internal/reports"
	"bilhetagem/internal/stock"
	"bilhetagem/openapi"
)

// Config is everything the handlers need from outside.
type Config struct {
	Table           string        // TABLE_NAME
	Endpoint        string        // DYNAMODB_ENDPOINT: DynamoDB Local; empty in AWS
	Region          string        // AWS_REGION
	SalesCloseAfter time.Duration // SALES_CLOSE_AFTER_MINUTES
	HoldTTL         time.Duration // HOLD_TTL_MINUTES
	LogLevel        slog.Level    // LOG_LEVEL: debug, info, warn, error
	Cleaning        time.Duration // CLEANING_MINUTES: a room's cleaning after each showtime
	TestClockStart  time.Time     // TEST_CLOCK: local runs and tests only (see clock.go); zero in AWS

	Purchase PurchaseConfig // orders, payments and tickets; see purchaseConfigFrom
	Premiere PremiereConfig // release classes, scaling plan, waiting room; see premiereConfigFrom
	Access   AccessConfig   // per-buyer rate limits and the staff allow-list; see accessConfigFrom
	// BuyerLimits bound one buyer's holds across showtimes (HOLDS_PER_BUYER,
	// HELD_SEATS_PER_BUYER, HOLD_CHURN_*); see buyerLimitsFrom.
	BuyerLimits booking.BuyerLimits
	Secrets     SecretsConfig // the shared keys' Secrets Manager ARNs (*_SECRET_ARN); see secrets.go
}

// ConfigFrom reads and validates the configuration through getenv (os.Getenv
// in a main), failing fast on a bad value.
func ConfigFrom(getenv func(string) string) (Config, error) {
	c := Config{
		Table:           getenv("TABLE_NAME"),
		Endpoint:        getenv("DYNAMODB_ENDPOINT"),
		Region:          getenv("AWS_REGION"),
		SalesCloseAfter: catalog.DefaultSalesCloseAfter,
		HoldTTL:         booking.DefaultPolicy.TTL,
		BuyerLimits:     booking.DefaultBuyerLimits,
		Cleaning:        programming.DefaultCleaning,
	}
	if c.Table == "" {
		return Config{}, errors.New("config: TABLE_NAME is required")
	}
	if v := getenv("SALES_CLOSE_AFTER_MINUTES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 240 {
			return Config{}, fmt.Errorf("config: SALES_CLOSE_AFTER_MINUTES must be 0..240 minutes, got %q", v)
		}
		c.SalesCloseAfter = time.Duration(n) * time.Minute
	}
	if v := getenv("HOLD_TTL_MINUTES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 30 {
			return Config{}, fmt.Errorf("config: HOLD_TTL_MINUTES must be 1..30 minutes, got %q", v)
		}
		c.HoldTTL = time.Duration(n) * time.Minute
	}
	if v := getenv("CLEANING_MINUTES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 120 {
			return Config{}, fmt.Errorf("config: CLEANING_MINUTES must be 0..120 minutes, got %q", v)
		}
		c.Cleaning = time.Duration(n) * time.Minute
	}
	var err error
	if c.BuyerLimits, err = buyerLimitsFrom(getenv); err != nil {
		return Config{}, err
	}
	if c.TestClockStart, err = testClockFrom(getenv); err != nil {
		return Config{}, err
	}
	if v := getenv("LOG_LEVEL"); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			return Config{}, fmt.Errorf("config: LOG_LEVEL: %w", err)
		}
	}
	purchase, err := purchaseConfigFrom(getenv)
	if err != nil {
		return Config{}, err
	}
	c.Purchase = purchase
	if c.Premiere, err = premiereConfigFrom(getenv); err != nil {
		return Config{}, err
	}
	if c.Access, err = accessConfigFrom(getenv); err != nil {
		return Config{}, err
	}
	if c.Secrets, err = secretsConfigFrom(getenv); err != nil {
		return Config{}, err
	}
	return c, nil
}

// buyerLimitsFrom reads the per-buyer caps on holds: how many live holds
// (HOLDS_PER_BUYER, 1..10, default 2) and seats (HELD_SEATS_PER_BUYER,
// 1..100, default 20) one buyer has at once across showtimes, and how many
// holds of one showtime a buyer may make (HOLD_CHURN_PER_SHOWTIME, 0..100,
// default 6; 0 turns it off) per window (HOLD_CHURN_WINDOW_MINUTES,
// 1..1440, default 60).
func buyerLimitsFrom(getenv func(string) string) (booking.BuyerLimits, error) {
	l := booking.DefaultBuyerLimits
	window := int(l.ChurnWindow / time.Minute)
	for _, f := range []struct {
		env      string
		dst      *int
		min, max int
	}{
		{"HOLDS_PER_BUYER", &l.Holds, 1, 10},
		{"HELD_SEATS_PER_BUYER", &l.Seats, 1, 100},
		{"HOLD_CHURN_PER_SHOWTIME", &l.Churn, 0, 100},
		{"HOLD_CHURN_WINDOW_MINUTES", &window, 1, 1440},
	} {
		v := getenv(f.env)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < f.min || n > f.max {
			return booking.BuyerLimits{}, fmt.Errorf("config: %s must be %d..%d, got %q", f.env, f.min, f.max, v)
		}
		*f.dst = n
	}
	l.ChurnWindow = time.Duration(window) * time.Minute
	return l, nil
}

// App holds what was built once: the store and every handler.
type App struct {
	Store    *dynamo.Store
	Handlers map[string]apigw.Handler
	Log      *slog.Logger
	// PSP is the simulated payment provider; local runs pay its Pix charges
	// and settle its cards through it.
	PSP *psp.Simulator
	// Orders runs orders and their completion (the purchase-step worker
	// runs its steps).
	Orders *orders.Service
}

// New reads the shared keys' secrets (ResolveSecrets), opens the store and
// builds every handler.
func New(ctx context.Context, cfg Config, log *slog.Logger, now func() time.Time) (*App, error) {
	if err := ResolveSecrets(ctx, &cfg, nil); err != nil {
		return nil, err
	}
	store, err := dynamo.Open(ctx, cfg.storeConfig())
	if err != nil {
		return nil, err
	}
	doc, err := openapi.Parse()
	if err != nil {
		return nil, err
	}
	v, err := apigw.NewValidator(doc)
	if err != nil {
		return nil, err
	}
	policy := booking.DefaultPolicy
	policy.TTL, policy.SalesCloseAfter = cfg.HoldTTL, cfg.SalesCloseAfter
	if cfg.BuyerLimits.Holds > 0 {
		policy.Buyer = cfg.BuyerLimits
	}
	cache := &catalog.Cache{Store: store}
	deps := api.Deps{
		Catalog:     &catalog.Service{Store: store, SalesCloseAfter: cfg.SalesCloseAfter, Cache: cache},
		Booking:     &booking.Service{Store: store, Catalog: cache, Policy: policy},
		Concessions: &concessions.Service{Source: store, Ranker: concessions.NewRanker()},
		Store:       store,
		Now:         now,
		Log:         log,
		RateLimit:   cfg.Access.Limiter(store),
		StaffEmails: cfg.Access.Staff(),
		Prices:      &catalog.PriceAdmin{Store: store, Cache: cache},
		Menu:        &catalog.MenuAdmin{Store: store},
		Stock:       &stock.Service{Store: store},
		Reports:     &reports.Service{Store: store},
	}
	a := &App{Store: store, Log: log}
	if err := a.wirePurchase(&deps, cfg.Purchase, cfg.Endpoint != "", log, now); err != nil {
		return nil, err
	}
	deps.Programming = &programming.Service{Store: store, Cleaning: cfg.Cleaning, Log: log}
	if deps.Orders != nil {
		deps.Programming.Refunds = deps.Orders
	}
	if err := wirePremiere(&deps, store, cfg.Premiere, log); err != nil {
		return nil, err
	}
	a.Handlers = api.Build(deps, v)
	return a, nil
}

// localStoreTimeout bounds each call to DynamoDB Local. DynamoDB Local is
// one JVM on a developer's or CI's machine, and on a busy one a call may
// wait far longer than DynamoDB ever makes it; the store's default of a
// few seconds, right for AWS, would turn a busy laptop into 503s. In AWS
// (no endpoint) the default stays.
const localStoreTimeout = 30 * time.Second

// storeConfig is where the store of cfg is and how long a call may take.
func (c Config) storeConfig() dynamo.Config {
	sc := dynamo.Config{Table: c.Table, Endpoint: c.Endpoint, Region: c.Region}
	if c.Endpoint != "" {
		sc.Timeout = localStoreTimeout
	}
	return sc
}

// NewLogger is the JSON logger every process uses.
func NewLogger(level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}

// StartLambda is the whole main of an operation's Lambda: read the
// configuration (getenv is os.Getenv, passed by the main), build once at
// init, serve the one operation.
func StartLambda(opID string, getenv func(string) string) {
	cfg, err := ConfigFrom(getenv)
	if err != nil {
		slog.Error("bad configuration", "error", err.Error())
		os.Exit(1)
	}
	log := NewLogger(cfg.LogLevel)
	a, err := New(context.Background(), cfg, log, cfg.Clock())
	if err != nil {
		log.Error("init failed", "error", err.Error())
		os.Exit(1)
	}
	h, ok := a.Handlers[opID]
	if !ok {
		log.Error("unknown operation", "operation", opID)
		os.Exit(1)
	}
	lambda.Start(h.Handle)
}
