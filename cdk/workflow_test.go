package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/orders"
	"bilhetagem/internal/workflow"
)

// stubWorker writes a placeholder step worker bootstrap, and one for the
// order sweeper and the reconciliation beside it, where the stack looks for
// them.
func stubWorker(t *testing.T) string {
	root := filepath.Join(os.TempDir(), "bilhetagem-cdk-test-workers")
	for _, w := range []string{PurchaseStepWorker, OrderSweeperWorker, ReconcileWorker, NoticeMailerWorker} {
		require.NoError(t, os.MkdirAll(filepath.Join(root, w), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(root, w, "bootstrap"), []byte("#!/bin/sh\n"), 0o755))
	}
	return filepath.Join(root, PurchaseStepWorker)
}

func TestStateMachineIsStandardWithLoggingAndTracing(t *testing.T) {
	s := synth(t, "dev")
	machines := s.resources("AWS::StepFunctions::StateMachine")
	require.Len(t, machines, 1)
	smID := logicalID(t, s, s.stack.Workflow.StateMachine.Node().DefaultChild())
	logsID := logicalID(t, s, s.stack.Workflow.Logs.Node().DefaultChild())
	workerID := logicalID(t, s, s.stack.Workflow.Worker.Node().DefaultChild())
	p := props(machines[smID])
	require.NotNil(t, p, "the state machine is Workflow's")
	assert.Equal(t, "STANDARD", p["StateMachineType"], "Express workflows cannot wait for a task token")
	assert.Equal(t, map[string]any{"Enabled": true}, p["TracingConfiguration"])
	logging := p["LoggingConfiguration"].(map[string]any)
	assert.Equal(t, "ALL", logging["Level"])
	raw, _ := json.Marshal(logging["Destinations"])
	assert.Contains(t, string(raw), logsID, "logs go to the workflow's log group")

	// The definition is the one file the local run executes, with the
	// worker's ARN substituted for every ${StepFunctionArn}.
	assert.Equal(t, workflow.PurchaseASL, p["DefinitionString"])
	subs := p["DefinitionSubstitutions"].(map[string]any)
	require.Len(t, subs, 1)
	assert.Equal(t, map[string]any{"Fn::GetAtt": []any{workerID, "Arn"}}, subs[workflow.StepFunctionArn])
}

func TestStateMachineMayInvokeOnlyTheStepWorker(t *testing.T) {
	s := synth(t, "dev")
	smRole := logicalID(t, s, s.stack.Workflow.StateMachine.Role().Node().DefaultChild())
	workerID := logicalID(t, s, s.stack.Workflow.Worker.Node().DefaultChild())
	var invokes []any
	for _, pol := range s.resources("AWS::IAM::Policy") {
		pp := props(pol)
		raw, _ := json.Marshal(pp["Roles"])
		for _, st := range pp["PolicyDocument"].(map[string]any)["Statement"].([]any) {
			stmt := st.(map[string]any)
			a, _ := json.Marshal(stmt["Action"])
			if strings.Contains(string(a), "lambda:") {
				assert.Contains(t, string(raw), smRole, "only the state machine may invoke")
				assert.Equal(t, "lambda:InvokeFunction", stmt["Action"])
				invokes = append(invokes, stmt["Resource"])
			}
		}
	}
	assert.Equal(t, []any{map[string]any{"Fn::GetAtt": []any{workerID, "Arn"}}}, invokes)
}

func TestStateMachineFailuresRaiseAnAlarm(t *testing.T) {
	s := synth(t, "dev")
	smID := logicalID(t, s, s.stack.Workflow.StateMachine.Node().DefaultChild())
	found := 0
	for _, a := range s.resources("AWS::CloudWatch::Alarm") {
		p := props(a)
		if p["MetricName"] != "ExecutionsFailed" {
			continue
		}
		found++
		assert.Equal(t, "AWS/States", p["Namespace"])
		raw, _ := json.Marshal(p["Dimensions"])
		assert.Contains(t, string(raw), smID)
		assert.EqualValues(t, 0, p["Threshold"])
		assert.Equal(t, "GreaterThanThreshold", p["ComparisonOperator"])
	}
	assert.Equal(t, 1, found)
}

func TestStepWorkerIsArm64OnAl2023WithTheTable(t *testing.T) {
	s := synth(t, "dev")
	workerID := logicalID(t, s, s.stack.Workflow.Worker.Node().DefaultChild())
	p := props(s.resources("AWS::Lambda::Function")[workerID])
	require.NotNil(t, p)
	assert.Equal(t, "provided.al2023", p["Runtime"])
	assert.Equal(t, []any{"arm64"}, p["Architectures"])
	assert.Equal(t, map[string]any{"Mode": "Active"}, p["TracingConfig"])
	env := p["Environment"].(map[string]any)["Variables"].(map[string]any)
	assert.Contains(t, env, "TABLE_NAME")
}

func TestCheckWorkerDirNamesTheMissingBootstrap(t *testing.T) {
	err := CheckWorkerDir(filepath.Join(t.TempDir(), PurchaseStepWorker))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "make build")
	assert.NoError(t, CheckWorkerDir(stubWorker(t)))
}

// statesGrants maps each role to the Step Functions actions its policies
// allow, checking that every one names the purchase state machine only.
func statesGrants(t *testing.T, s *synthed) map[string][]string {
	t.Helper()
	smID := logicalID(t, s, s.stack.Workflow.StateMachine.Node().DefaultChild())
	out := map[string][]string{}
	for _, pol := range s.resources("AWS::IAM::Policy") {
		pp := props(pol)
		for _, st := range pp["PolicyDocument"].(map[string]any)["Statement"].([]any) {
			stmt := st.(map[string]any)
			var acts []string
			switch a := stmt["Action"].(type) {
			case string:
				acts = []string{a}
			case []any:
				for _, x := range a {
					acts = append(acts, x.(string))
				}
			}
			for _, a := range acts {
				if !strings.HasPrefix(a, "states:") {
					continue
				}
				assert.Equal(t, map[string]any{"Ref": smID}, stmt["Resource"], "%s on the purchase state machine only", a)
				for _, r := range pp["Roles"].([]any) {
					role := r.(map[string]any)["Ref"].(string)
					out[role] = append(out[role], a)
				}
			}
		}
	}
	return out
}

func TestOnlyThePurchaseFunctionsDriveTheStateMachine(t *testing.T) {
	s := synth(t, "dev")
	smID := logicalID(t, s, s.stack.Workflow.StateMachine.Node().DefaultChild())
	grants := statesGrants(t, s)
	want := map[string][]string{}
	fns := s.resources("AWS::Lambda::Function")
	for _, f := range s.stack.Api.Functions {
		fnID := FunctionLogicalID(f.Op)
		roleID := logicalID(t, s, f.Fn.Role().Node().DefaultChild())
		vars := props(fns[fnID])["Environment"].(map[string]any)["Variables"].(map[string]any)
		actions, drives := WorkflowActions[f.Op.ID]
		if !drives {
			assert.NotContains(t, vars, PurchaseStateMachineEnv, f.Op.ID)
			continue
		}
		assert.Equal(t, map[string]any{"Ref": smID}, vars[PurchaseStateMachineEnv], f.Op.ID)
		want[roleID] = actions
	}
	// The step worker answers a wait whose payment was decided before it
	// kept the token; it starts nothing.
	want[logicalID(t, s, s.stack.Workflow.Worker.Role().Node().DefaultChild())] = []string{"states:SendTaskSuccess"}
	assert.Equal(t, want, grants)
	assert.Equal(t, []string{"states:StartExecution"}, WorkflowActions["createOrder"], "createOrder only starts")
	for _, acts := range grants {
		assert.NotContains(t, acts, "states:SendTaskFailure", "never called")
		assert.NotContains(t, acts, "states:SendTaskHeartbeat", "never called")
	}
}

func TestACompensationThatFailsAlarmsAtOnce(t *testing.T) {
	s := synth(t, "dev")
	logsID := logicalID(t, s, s.stack.Workflow.Logs.Node().DefaultChild())
	filters := s.resources("AWS::Logs::MetricFilter")
	var metric map[string]any
	for _, f := range filters {
		p := props(f)
		if p["LogGroupName"].(map[string]any)["Ref"] != logsID {
			continue
		}
		require.Nil(t, metric, "one filter on the execution log")
		assert.Equal(t, `{ ($.type = "ExecutionFailed") && ($.details.error = "Purchase.CompensationFailed") }`, p["FilterPattern"])
		transforms := p["MetricTransformations"].([]any)
		require.Len(t, transforms, 1)
		metric = transforms[0].(map[string]any)
	}
	require.NotNil(t, metric, "a metric filter counts the executions that ended in Purchase.CompensationFailed")
	assert.Equal(t, "Bilhetagem/dev", metric["MetricNamespace"])
	assert.Equal(t, "1", metric["MetricValue"])

	topic := logicalID(t, s, s.stack.Ops.Topic.Node().DefaultChild())
	sweeperFn := logicalID(t, s, s.stack.Sweeper.Function.Node().DefaultChild())
	var compensation, sweeper map[string]any
	for _, a := range s.resources("AWS::CloudWatch::Alarm") {
		p := props(a)
		switch {
		case p["MetricName"] == metric["MetricName"] && p["Namespace"] == metric["MetricNamespace"]:
			compensation = p
		case p["MetricName"] == "Errors" && strings.Contains(mustJSON(t, p["Dimensions"]), sweeperFn):
			sweeper = p
		}
	}
	require.NotNil(t, compensation, "an alarm watches the filter's metric")
	assert.Equal(t, "Sum", compensation["Statistic"])
	assert.EqualValues(t, 60, compensation["Period"])
	assert.EqualValues(t, 0, compensation["Threshold"])
	assert.Equal(t, "GreaterThanThreshold", compensation["ComparisonOperator"])
	assert.EqualValues(t, 1, compensation["EvaluationPeriods"], "the first one alarms")
	assert.Equal(t, []any{map[string]any{"Ref": topic}}, compensation["AlarmActions"])

	require.NotNil(t, sweeper, "an alarm watches the sweeper's errors")
	assert.EqualValues(t, 3, sweeper["EvaluationPeriods"], "three failed sweeps in a row")
	assert.Equal(t, []any{map[string]any{"Ref": topic}}, sweeper["AlarmActions"])
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	require.NoError(t, err)
	return string(raw)
}

func TestAnOrderTheSweeperCannotSettleAlarms(t *testing.T) {
	s := synth(t, "dev")
	logsID := logicalID(t, s, s.stack.Sweeper.Logs.Node().DefaultChild())
	var metric map[string]any
	for _, f := range s.resources("AWS::Logs::MetricFilter") {
		p := props(f)
		if p["LogGroupName"].(map[string]any)["Ref"] != logsID {
			continue
		}
		require.Nil(t, metric, "one filter on the sweeper's log")
		assert.Equal(t, `{ $.msg = "`+orders.StuckMessage+`" }`, p["FilterPattern"])
		transforms := p["MetricTransformations"].([]any)
		require.Len(t, transforms, 1)
		metric = transforms[0].(map[string]any)
	}
	require.NotNil(t, metric, "a metric filter counts the sweeper's stuck orders")
	assert.Equal(t, "Bilhetagem/dev", metric["MetricNamespace"])

	topic := logicalID(t, s, s.stack.Ops.Topic.Node().DefaultChild())
	var alarm map[string]any
	for _, a := range s.resources("AWS::CloudWatch::Alarm") {
		if p := props(a); p["MetricName"] == metric["MetricName"] && p["Namespace"] == metric["MetricNamespace"] {
			alarm = p
		}
	}
	require.NotNil(t, alarm, "an alarm watches the stuck orders")
	assert.EqualValues(t, 1, alarm["EvaluationPeriods"], "the first one alarms")
	assert.Equal(t, []any{map[string]any{"Ref": topic}}, alarm["AlarmActions"])
}
