package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/scaling"
)

// The stack takes the planner's bootstrap from beside the step worker's
// (stubWorker); a placeholder is enough for the template.
func init() {
	dir := filepath.Join(os.TempDir(), "bilhetagem-cdk-test-workers", PlannerWorker)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		panic(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bootstrap"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		panic(err)
	}
}

// ref is the logical id a {"Ref": id} or {"Fn::GetAtt": [id, …]} names.
func ref(v any) string {
	m, _ := v.(map[string]any)
	if r, ok := m["Ref"].(string); ok {
		return r
	}
	if g, ok := m["Fn::GetAtt"].([]any); ok && len(g) > 0 {
		s, _ := g[0].(string)
		return s
	}
	return ""
}

func TestHotOperationsAreInvokedThroughTheirLiveAlias(t *testing.T) {
	s := synth(t, "dev")
	aliases := s.resources("AWS::Lambda::Alias")
	require.Len(t, aliases, len(scaling.HotOperations))
	for _, f := range s.stack.Api.Functions {
		hot := slices.Contains(scaling.HotOperations, f.Op.ID)
		if !hot {
			assert.Nil(t, f.Alias, f.Op.ID)
			continue
		}
		require.NotNil(t, f.Alias, f.Op.ID)
		aliasID := logicalID(t, s, f.Alias.Node().DefaultChild())
		a := props(aliases[aliasID])
		assert.Equal(t, LiveAlias, a["Name"], f.Op.ID)
		assert.Equal(t, FunctionLogicalID(f.Op), ref(a["FunctionName"]), f.Op.ID)
	}
	// The routes' integrations of hot operations call the alias.
	integrations := s.resources("AWS::ApiGatewayV2::Integration")
	calledAliases := 0
	for _, in := range integrations {
		if _, ok := aliases[ref(props(in)["IntegrationUri"])]; ok {
			calledAliases++
		}
	}
	assert.Equal(t, len(scaling.HotOperations), calledAliases)
}

func TestHotAliasesAreScalableTargetsFromZeroTaggedForThePlanner(t *testing.T) {
	s := synth(t, "dev")
	targets := s.resources("AWS::ApplicationAutoScaling::ScalableTarget")
	require.Len(t, targets, len(scaling.HotOperations))
	for id, tg := range targets {
		p := props(tg)
		assert.Equal(t, "lambda", p["ServiceNamespace"], id)
		assert.Equal(t, "lambda:function:ProvisionedConcurrency", p["ScalableDimension"], id)
		assert.EqualValues(t, 0, p["MinCapacity"], id)
		assert.EqualValues(t, MaxProvisionedConcurrency, p["MaxCapacity"], id)
		raw, _ := json.Marshal(p["Tags"])
		assert.Contains(t, string(raw), `"Key":"`+ScalingTargetTag+`","Value":"Bilhetagem-dev"`, id)
	}
}

func TestPlannerRunsEveryQuarterHourWithTheHotTargets(t *testing.T) {
	s := synth(t, "dev")
	plannerID := logicalID(t, s, s.stack.Scaling.Planner.Node().DefaultChild())
	fn := props(s.resources("AWS::Lambda::Function")[plannerID])
	assert.Equal(t, "provided.al2023", fn["Runtime"])
	assert.Equal(t, []any{"arm64"}, fn["Architectures"])
	assert.EqualValues(t, 1, fn["ReservedConcurrentExecutions"], "one run at a time")
	vars := fn["Environment"].(map[string]any)["Variables"].(map[string]any)
	raw, _ := json.Marshal(vars["SCALING_TARGETS"])
	for _, op := range scaling.HotOperations {
		assert.Contains(t, string(raw), `\"`+op+`\":\"function:`, op)
	}
	rules := s.resources("AWS::Events::Rule")
	var found bool
	for _, r := range rules {
		p := props(r)
		if p["ScheduleExpression"] != "rate(15 minutes)" {
			continue
		}
		for _, target := range p["Targets"].([]any) {
			if ref(target.(map[string]any)["Arn"]) == plannerID {
				found = true
			}
		}
	}
	assert.True(t, found, "a rate(15 minutes) rule targets the planner")
}

func TestPlannerMayScheduleOnlyTaggedTargetsWriteOnlyWithPutItemAndWarmOnlyItsTable(t *testing.T) {
	s := synth(t, "dev")
	roleID := logicalID(t, s, s.stack.Scaling.Role.Node().DefaultChild())
	var statements []map[string]any
	for _, p := range s.resources("AWS::IAM::Policy") {
		pp := props(p)
		for _, r := range pp["Roles"].([]any) {
			if ref(r) == roleID {
				for _, st := range pp["PolicyDocument"].(map[string]any)["Statement"].([]any) {
					statements = append(statements, st.(map[string]any))
				}
			}
		}
	}
	require.NotEmpty(t, statements)
	actionsOf := func(st map[string]any) []string {
		switch a := st["Action"].(type) {
		case string:
			return []string{a}
		case []any:
			var out []string
			for _, x := range a {
				out = append(out, x.(string))
			}
			return out
		}
		return nil
	}
	tableArn, _ := json.Marshal(map[string]any{"Fn::GetAtt": []any{logicalID(t, s, s.stack.Data.Table.Node().DefaultChild()), "Arn"}})
	var all []string
	updateTable, alarmWrites := 0, 0
	for _, st := range statements {
		acts := actionsOf(st)
		all = append(all, acts...)
		res, _ := json.Marshal(st["Resource"])
		cond, _ := json.Marshal(st["Condition"])
		switch {
		case slices.Contains(acts, "application-autoscaling:PutScheduledAction"):
			assert.ElementsMatch(t, []string{"application-autoscaling:PutScheduledAction", "application-autoscaling:DeleteScheduledAction"}, acts)
			assert.Contains(t, string(res), ":scalable-target/*")
			assert.Contains(t, string(cond), `"aws:ResourceTag/`+ScalingTargetTag+`":"Bilhetagem-dev"`)
		case slices.Contains(acts, "application-autoscaling:DescribeScheduledActions"):
			assert.ElementsMatch(t, []string{"application-autoscaling:DescribeScalableTargets", "application-autoscaling:DescribeScheduledActions",
				"cloudwatch:DescribeAlarms"}, acts)
			assert.Equal(t, `"*"`, string(res), "read-only actions without resource-level permissions")
		case slices.Contains(acts, "cloudwatch:PutMetricAlarm"):
			assert.ElementsMatch(t, []string{"cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms"}, acts)
			assert.Equal(t, `{"Fn::Sub":"arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:bilhetagem-dev-premiere-*"}`,
				string(res), "the planner's own alarms only")
			alarmWrites++
		case slices.Contains(acts, "dynamodb:UpdateTable"):
			assert.ElementsMatch(t, []string{"dynamodb:DescribeTable", "dynamodb:UpdateTable"}, acts)
			assert.Equal(t, string(tableArn), string(res), "warm throughput of this table only")
			updateTable++
		case slices.ContainsFunc(acts, func(a string) bool { return strings.HasPrefix(a, "dynamodb:") }):
			assert.NotEqual(t, `"*"`, string(res), "table access names the table")
		}
	}
	for _, a := range all {
		assert.False(t, strings.HasSuffix(a, ":*"), "no wildcard action: %s", a)
		assert.NotContains(t, []string{"dynamodb:DeleteItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem", "dynamodb:Scan",
			"application-autoscaling:RegisterScalableTarget", "application-autoscaling:DeregisterScalableTarget"}, a)
	}
	assert.Contains(t, all, "dynamodb:PutItem")
	assert.Equal(t, 1, updateTable, "one statement grants UpdateTable")
	assert.Equal(t, 1, alarmWrites, "one statement grants PutMetricAlarm and DeleteAlarms")
	for _, a := range all {
		if strings.HasPrefix(a, "cloudwatch:") {
			assert.Contains(t, []string{"cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms"}, a)
		}
	}
}

func TestPlannerKnowsItsAlarmPrefixTheApiAndTheAlarmTopic(t *testing.T) {
	s := synth(t, "dev")
	plannerID := logicalID(t, s, s.stack.Scaling.Planner.Node().DefaultChild())
	vars := props(s.resources("AWS::Lambda::Function")[plannerID])["Environment"].(map[string]any)["Variables"].(map[string]any)
	assert.Equal(t, "bilhetagem-dev-premiere-", vars["ALARM_PREFIX"])
	assert.Equal(t, logicalID(t, s, s.stack.Api.HttpApi.Node().DefaultChild()), ref(vars["API_ID"]))
	assert.Equal(t, logicalID(t, s, s.stack.Ops.Topic.Node().DefaultChild()), ref(vars["ALARM_TOPIC_ARN"]))
	// The stack's own alarms, its nested stacks' too, are outside the
	// planner's prefix.
	alarms := s.resources("AWS::CloudWatch::Alarm")
	for _, ns := range s.stack.nestedStacks() {
		for id, a := range s.nestedResources(ns, "AWS::CloudWatch::Alarm") {
			alarms[*ns.Node().Id()+"/"+id] = a
		}
	}
	for id, a := range alarms {
		if name, ok := props(a)["AlarmName"].(string); ok {
			assert.False(t, strings.HasPrefix(name, PlannerAlarmPrefix("dev")), id)
		}
	}
}
