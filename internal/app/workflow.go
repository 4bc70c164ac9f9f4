package app

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"bilhetagem/internal/sfn"
	"bilhetagem/internal/workflow"
)

// StartPurchaseStep is the whole main of the purchase workflow's step
// worker Lambda: it runs the one step each task of
// internal/workflow/purchase.asl.json names ({"step", "orderId"}) and
// answers the next step ({"next"}). In AWS it keeps the payment wait's task
// token in the table for the function that learns the payment's answer, and
// answers a payment decided already itself (internal/sfn); it needs no
// state machine ARN for that, only the token. Run against DynamoDB Local it
// keeps no token.
func StartPurchaseStep(getenv func(string) string) {
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
	w := workflow.Worker{Orders: a.Orders, Now: now}
	if cfg.Endpoint == "" {
		api, err := stepFunctionsClient()
		if err != nil {
			log.Error("init failed", "error", err.Error())
			os.Exit(1)
		}
		w.Tokens = &sfn.Workflow{API: api, Waits: a.Store, Orders: a.Orders, Store: a.Store, Now: now, Log: log}
	}
	lambda.Start(func(ctx context.Context, req workflow.StepRequest) (workflow.StepResult, error) {
		res, err := w.Handle(ctx, req)
		if err != nil {
			log.Error("purchase step failed", "step", req.Step, "order", req.OrderID, "error", err.Error())
		}
		return res, err
	})
}
