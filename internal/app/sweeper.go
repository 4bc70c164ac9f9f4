package app

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"bilhetagem/internal/orders"
)

// StartOrderSweeper is the whole main of the order sweeper Lambda, which an
// EventBridge rule invokes every minute: it completes, in process and
// through orders.Decide, every unsettled order whose hold expired, and logs
// what it did. A sweep in which some completion failed returns an error, so
// the function's error alarm reaches an operator; those orders stay listed
// for the next sweep.
func StartOrderSweeper(getenv func(string) string) {
	cfg, err := ConfigFrom(getenv)
	if err != nil {
		slog.Error("bad configuration", "error", err.Error())
		os.Exit(1)
	}
	log := NewLogger(cfg.LogLevel)
	now := cfg.Clock()
	a, err := New(context.Background(), cfg, log, now)
	if err != nil {
		log.Error("init failed", "error", err.Error())
		os.Exit(1)
	}
	sw := orders.Sweeper{Orders: a.Orders, Pending: a.Store, Log: log}
	lambda.Start(func(ctx context.Context) (orders.Swept, error) {
		swept, err := sw.Sweep(ctx, now())
		log.Info("sweep", "found", swept.Found, "settled", swept.Settled, "pending", swept.Pending, "failed", swept.Failed)
		return swept, err
	})
}
