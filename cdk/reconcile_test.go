package main

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/app"
	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/orders"
)

// nestedTemplate is the template of one of the stack's nested stacks.
func (s *synthed) nestedTemplate(ns awscdk.NestedStack) map[string]any {
	tpl, ok := s.nested[*ns.Node().Path()]
	if !ok {
		panic("no template synthesized for the nested stack " + *ns.Node().Path())
	}
	return tpl
}

// nestedResources are a nested stack's resources of a type, by logical id.
func (s *synthed) nestedResources(ns awscdk.NestedStack, typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for id, r := range s.nestedTemplate(ns)["Resources"].(map[string]any) {
		if res := r.(map[string]any); res["Type"] == typ {
			out[id] = res
		}
	}
	return out
}

// nestedID is the logical id of an element of a nested stack.
func nestedID(t *testing.T, ns awscdk.NestedStack, c any) string {
	t.Helper()
	el, ok := c.(awscdk.CfnElement)
	require.True(t, ok, "not a CfnElement")
	return *ns.GetLogicalId(el)
}

// parentValue is what the parent stack passes to the nested stack ns for
// one of its parameters ({"Ref": "<parameter>"} in the nested template).
func parentValue(t *testing.T, s *synthed, ns awscdk.NestedStack, ref any) any {
	t.Helper()
	m, ok := ref.(map[string]any)
	require.True(t, ok, "%v is not a Ref", ref)
	name, _ := m["Ref"].(string)
	res := s.resources("AWS::CloudFormation::Stack")[logicalID(t, s, ns.NestedStackResource())]
	require.NotNil(t, res, "the parent holds the nested stack %s", *ns.Node().Path())
	if params, ok := props(res)["Parameters"].(map[string]any); ok {
		if v, ok := params[name]; ok {
			return v
		}
	}
	t.Fatalf("no parameter %s passed to the nested stack %s", name, *ns.Node().Path())
	return nil
}

func TestReconciliationIsANestedStack(t *testing.T) {
	s := synth(t, "dev")
	require.Len(t, s.resources("AWS::CloudFormation::Stack"), 3,
		"the reconciliation, the function alarms and the notice mail: the parent stays under ADR 0100's 450 resources")
	assert.Contains(t, s.resources("AWS::CloudFormation::Stack"), logicalID(t, s, s.stack.ReconciliationStack.NestedStackResource()))
	assert.Len(t, s.nestedResources(s.stack.ReconciliationStack, "AWS::Lambda::Function"), 1)
}

func TestReconciliationRunsDailyAtAQuietHourOnDemandToo(t *testing.T) {
	s := synth(t, "dev")
	rs := s.stack.ReconciliationStack
	fnID := nestedID(t, rs, s.stack.Reconciliation.Function.Node().DefaultChild())
	p := props(s.nestedResources(rs, "AWS::Lambda::Function")[fnID])
	require.NotNil(t, p, "the reconciliation is a function, which an operator invokes to run it now")
	assert.Equal(t, "provided.al2023", p["Runtime"])
	assert.Equal(t, []any{"arm64"}, p["Architectures"])
	assert.EqualValues(t, 600, p["Timeout"])

	ruleID := nestedID(t, rs, s.stack.Reconciliation.Rule.Node().DefaultChild())
	rule := props(s.nestedResources(rs, "AWS::Events::Rule")[ruleID])
	require.NotNil(t, rule)
	assert.Equal(t, "cron(30 7 * * ? *)", rule["ScheduleExpression"], "07:30 UTC is 04:30 in São Paulo, every day")
	assert.Equal(t, "ENABLED", rule["State"])
	targets := rule["Targets"].([]any)
	require.Len(t, targets, 1)
	target := targets[0].(map[string]any)
	assert.Equal(t, map[string]any{"Fn::GetAtt": []any{fnID, "Arn"}}, target["Arn"])
	assert.Equal(t, map[string]any{"MaximumRetryAttempts": float64(2), "MaximumEventAgeInSeconds": float64(3600)}, target["RetryPolicy"])
}

func TestReconciliationReadsTheTableAndWritesOnlyItsWatermark(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			s := synth(t, env)
			rs := s.stack.ReconciliationStack
			roleID := nestedID(t, rs, s.stack.Reconciliation.Function.Role().Node().DefaultChild())
			var actions []string
			var puts []map[string]any
			var secretReads []any
			for _, pol := range s.nestedResources(rs, "AWS::IAM::Policy") {
				pp := props(pol)
				if !containsRef(pp["Roles"], roleID) {
					continue
				}
				for _, raw := range pp["PolicyDocument"].(map[string]any)["Statement"].([]any) {
					st := raw.(map[string]any)
					var acts []string
					switch a := st["Action"].(type) {
					case string:
						acts = []string{a}
					case []any:
						for _, x := range a {
							acts = append(acts, x.(string))
						}
					}
					actions = append(actions, acts...)
					for _, a := range acts {
						switch a {
						case "dynamodb:PutItem":
							puts = append(puts, st)
						case "secretsmanager:GetSecretValue":
							secretReads = append(secretReads, st["Resource"])
						}
					}
				}
			}
			assert.Contains(t, actions, "dynamodb:GetItem")
			assert.Contains(t, actions, "dynamodb:Query", "the paid orders' index")
			for _, a := range []string{"dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:Scan", "dynamodb:*"} {
				assert.NotContains(t, actions, a)
			}
			require.Len(t, puts, 1, "one write")
			assert.Equal(t, "dynamodb:PutItem", puts[0]["Action"], "alone in its statement")
			assert.Equal(t, map[string]any{"ForAllValues:StringEquals": map[string]any{"dynamodb:LeadingKeys": []any{dynamo.ReconcilePK}}},
				puts[0]["Condition"], "only on the watermark's partition")

			fn := props(s.nestedResources(rs, "AWS::Lambda::Function")[nestedID(t, rs, s.stack.Reconciliation.Function.Node().DefaultChild())])
			vars := fn["Environment"].(map[string]any)["Variables"].(map[string]any)
			assert.Contains(t, vars, "TABLE_NAME")
			for _, shared := range []string{app.TicketSigningKeySecretEnv, app.WebhookSecretSecretEnv, app.WaitingRoomSigningKeySecretEnv} {
				assert.NotContains(t, vars, shared, "it signs and verifies nothing")
			}
			assert.Contains(t, vars, app.ProviderEnv)
			if s.stack.Secrets.StripeKeys == nil {
				assert.NotContains(t, vars, app.StripeKeysSecretEnv)
				assert.Empty(t, secretReads, "no secret to read on the simulator")
				return
			}
			stripe := map[string]any{"Ref": logicalID(t, s, s.stack.Secrets.StripeKeys.Node().DefaultChild())}
			assert.Equal(t, stripe, parentValue(t, s, rs, vars[app.StripeKeysSecretEnv]), "the Stripe keys' ARN")
			require.Len(t, secretReads, 1, "it reads the Stripe keys to list Stripe's movements, and no other secret")
			assert.Equal(t, stripe, parentValue(t, s, rs, secretReads[0]))
		})
	}
}

func TestAReconciliationMismatchOrFailureAlarms(t *testing.T) {
	s := synth(t, "dev")
	rs := s.stack.ReconciliationStack
	logsID := nestedID(t, rs, s.stack.Reconciliation.Logs.Node().DefaultChild())
	var metric map[string]any
	for _, f := range s.nestedResources(rs, "AWS::Logs::MetricFilter") {
		p := props(f)
		if p["LogGroupName"].(map[string]any)["Ref"] != logsID {
			continue
		}
		require.Nil(t, metric, "one filter on the reconciliation's log")
		assert.Equal(t, `{ $.msg = "`+orders.MismatchMessage+`" }`, p["FilterPattern"])
		transforms := p["MetricTransformations"].([]any)
		require.Len(t, transforms, 1)
		metric = transforms[0].(map[string]any)
	}
	require.NotNil(t, metric, "a metric filter counts the mismatches")
	assert.Equal(t, "Bilhetagem/dev", metric["MetricNamespace"])
	assert.Equal(t, "1", metric["MetricValue"])

	topic := map[string]any{"Ref": logicalID(t, s, s.stack.Ops.Topic.Node().DefaultChild())}
	fnID := nestedID(t, rs, s.stack.Reconciliation.Function.Node().DefaultChild())
	alarms := s.nestedResources(rs, "AWS::CloudWatch::Alarm")
	assert.Len(t, alarms, 2)
	var mismatch, failing map[string]any
	for _, a := range alarms {
		p := props(a)
		switch {
		case p["MetricName"] == metric["MetricName"] && p["Namespace"] == metric["MetricNamespace"]:
			mismatch = p
		case p["MetricName"] == "Errors" && strings.Contains(mustJSON(t, p["Dimensions"]), fnID):
			failing = p
		}
	}
	for name, a := range map[string]map[string]any{"mismatch": mismatch, "failed run": failing} {
		require.NotNil(t, a, "an alarm watches the reconciliation's %s", name)
		assert.EqualValues(t, 0, a["Threshold"], name)
		assert.Equal(t, "GreaterThanThreshold", a["ComparisonOperator"], name)
		assert.EqualValues(t, 1, a["EvaluationPeriods"], "%s: the first one alarms", name)
		require.Len(t, a["AlarmActions"], 1, name)
		assert.Equal(t, topic, parentValue(t, s, rs, a["AlarmActions"].([]any)[0]), "%s: to the ops topic", name)
		require.Len(t, a["OKActions"], 1, name)
		assert.Equal(t, topic, parentValue(t, s, rs, a["OKActions"].([]any)[0]), name)
	}
}
