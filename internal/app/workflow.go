package app

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"bilhetagem/internal/workflow"
)

// StartPurchaseStep is the whole main of the purchase workflow's step
// worker Lambda: it runs the one step each task of
// internal/workflow/purchase.asl.json names ({"step", "orderId"}) and
// answers the next step ({"next"}). The payment wait's task token is not
// kept yet: the wait ends at the hold's expiry and the workflow decides from
// what is stored (the webhook completes the order in its own process).
func StartPurchaseStep(getenv func(string) string) {
	cfg, err := ConfigFrom(getenv)
	if err != nil {
		slog.Error("bad configuration", "error", err.Error())
		os.Exit(1)
	}
	log := NewLogger(cfg.LogLevel)
	a, err := New(context.Background(), cfg, log, time.Now)
	if err != nil {
		log.Error("init failed", "error", err.Error())
		os.Exit(1)
	}
	w := workflow.Worker{Orders: a.Orders, Now: time.Now}
	lambda.Start(func(ctx context.Context, req workflow.StepRequest) (workflow.StepResult, error) {
		res, err := w.Handle(ctx, req)
		if err != nil {
			log.Error("purchase step failed", "step", req.Step, "order", req.OrderID, "error", err.Error())
		}
		return res, err
	})
}
