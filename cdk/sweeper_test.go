package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOrderSweeperRunsEveryMinuteOnTheTable(t *testing.T) {
	s := synth(t, "dev")
	fnID := logicalID(t, s, s.stack.Sweeper.Function.Node().DefaultChild())
	p := props(s.resources("AWS::Lambda::Function")[fnID])
	require.NotNil(t, p, "the sweeper is a function")
	assert.Equal(t, "provided.al2023", p["Runtime"])
	assert.Equal(t, []any{"arm64"}, p["Architectures"])
	assert.Equal(t, map[string]any{"Mode": "Active"}, p["TracingConfig"])
	assert.EqualValues(t, 55, p["Timeout"], "under the one-minute schedule")
	vars := p["Environment"].(map[string]any)["Variables"].(map[string]any)
	assert.Contains(t, vars, "TABLE_NAME")
	assert.NotContains(t, vars, PurchaseStateMachineEnv, "it completes orders in process")

	ruleID := logicalID(t, s, s.stack.Sweeper.Rule.Node().DefaultChild())
	rule := props(s.resources("AWS::Events::Rule")[ruleID])
	require.NotNil(t, rule)
	assert.Equal(t, "rate(1 minute)", rule["ScheduleExpression"])
	assert.Equal(t, "ENABLED", rule["State"])
	targets := rule["Targets"].([]any)
	require.Len(t, targets, 1)
	target := targets[0].(map[string]any)
	assert.Equal(t, map[string]any{"Fn::GetAtt": []any{fnID, "Arn"}}, target["Arn"])
	assert.Equal(t, map[string]any{"MaximumRetryAttempts": float64(0)}, target["RetryPolicy"], "the next minute is the retry")

	// It queries the index (the unsettled-orders list) and writes orders;
	// it never scans.
	roleID := logicalID(t, s, s.stack.Sweeper.Function.Role().Node().DefaultChild())
	var actions []string
	for _, pol := range s.resources("AWS::IAM::Policy") {
		pp := props(pol)
		if !containsRef(pp["Roles"], roleID) {
			continue
		}
		for _, st := range pp["PolicyDocument"].(map[string]any)["Statement"].([]any) {
			switch a := st.(map[string]any)["Action"].(type) {
			case string:
				actions = append(actions, a)
			case []any:
				for _, x := range a {
					actions = append(actions, x.(string))
				}
			}
		}
	}
	assert.Contains(t, actions, "dynamodb:Query")
	assert.Contains(t, actions, "dynamodb:PutItem")
	assert.Contains(t, actions, "dynamodb:UpdateItem")
	assert.NotContains(t, actions, "dynamodb:Scan")
	for _, a := range actions {
		assert.NotRegexp(t, `^states:`, a, "the sweeper starts no executions")
	}
}

func containsRef(roles any, id string) bool {
	list, _ := roles.([]any)
	for _, r := range list {
		if m, ok := r.(map[string]any); ok && m["Ref"] == id {
			return true
		}
	}
	return false
}
