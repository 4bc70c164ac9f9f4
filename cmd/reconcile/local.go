package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"bilhetagem/internal/app"
	"bilhetagem/internal/dynamo/dynamolocal"
)

type localOptions struct {
	endpoint, data, table string
	getenv                func(string) string
	out                   io.Writer
}

// runLocal runs one reconciliation against the local table, the same code
// as the Lambda's, and prints its summary as JSON; the log (stderr) has a
// line per mismatch. It returns the exit code: 1 when the run failed.
func runLocal(o localOptions) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := app.NewLogger(slog.LevelInfo)
	if o.endpoint == "" {
		o.endpoint = o.getenv("DYNAMODB_ENDPOINT")
	}
	if o.endpoint == "" {
		// make run's data, when make run is not running (with it running,
		// pass the endpoint it logged).
		db, err := dynamolocal.Start(ctx, dynamolocal.Options{DataDir: o.data})
		if err != nil {
			log.Error("reconcile: dynamodb local", "error", err.Error())
			return 1
		}
		defer db.Stop()
		o.endpoint = db.Endpoint
	}
	table := o.getenv("TABLE_NAME")
	if table == "" {
		table = o.table
	}
	cfg, err := app.ConfigFrom(func(k string) string {
		switch k {
		case "TABLE_NAME":
			return table
		case "DYNAMODB_ENDPOINT":
			return o.endpoint
		}
		return o.getenv(k)
	})
	if err != nil {
		log.Error("reconcile: bad configuration", "error", err.Error())
		return 1
	}
	now := cfg.Clock()
	r, err := app.NewReconciliation(ctx, cfg, log, nil, now)
	if err != nil {
		log.Error("reconcile: init failed", "error", err.Error())
		return 1
	}
	got, err := app.Reconcile(ctx, r, log, now())
	if err != nil {
		return 1
	}
	enc := json.NewEncoder(o.out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(got); err != nil {
		fmt.Fprintln(os.Stderr, "reconcile:", err)
		return 1
	}
	return 0
}
