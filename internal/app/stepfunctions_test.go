package app_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/app"
	"bilhetagem/internal/dynamo/dynamotest"
	"bilhetagem/internal/sfn"
	"bilhetagem/internal/workflow"
)

func TestTheStateMachineArnChoosesStepFunctions(t *testing.T) {
	t.Parallel()
	store := dynamotest.NewStore(t)
	const arn = "arn:aws:states:sa-east-1:123456789012:stateMachine:PurchaseStateMachine"
	build := func(extra map[string]string) *app.App {
		t.Helper()
		vars := map[string]string{"TABLE_NAME": store.TableName(), "DYNAMODB_ENDPOINT": dynamotest.Endpoint(t),
			"AWS_REGION": "sa-east-1"}
		for k, v := range extra {
			vars[k] = v
		}
		cfg, err := app.ConfigFrom(func(k string) string { return vars[k] })
		require.NoError(t, err)
		a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), func() time.Time { return time.Unix(0, 0) })
		require.NoError(t, err)
		return a
	}

	t.Run("with PURCHASE_STATE_MACHINE_ARN orders start and answer executions of that machine", func(t *testing.T) {
		a := build(map[string]string{"PURCHASE_STATE_MACHINE_ARN": arn})
		w, ok := a.Orders.Completer.(*sfn.Workflow)
		require.True(t, ok, "Step Functions, not the in-process interpreter")
		assert.Equal(t, arn, w.StateMachineArn)
		assert.NotNil(t, w.API)
	})
	t.Run("without it, a local run keeps the in-process interpreter", func(t *testing.T) {
		a := build(nil)
		_, ok := a.Orders.Completer.(*workflow.Completer)
		assert.True(t, ok)
	})
	t.Run("a value that is not an ARN fails fast", func(t *testing.T) {
		_, err := app.ConfigFrom(func(k string) string {
			return map[string]string{"TABLE_NAME": "t", "PURCHASE_STATE_MACHINE_ARN": "PurchaseStateMachine"}[k]
		})
		assert.ErrorContains(t, err, "PURCHASE_STATE_MACHINE_ARN")
	})
}
