// Package autoscaling applies the scaling plan to AWS. Provisioned
// concurrency goes through Application Auto Scaling: one scheduled action per
// step change of a hot function's alias, in America/Sao_Paulo, kept in line
// with the plan on every run (new and changed steps put, stale ones deleted).
// The table's warm throughput is raised through DynamoDB's UpdateTable
// (TableWarmer), and each window under way gets its own CloudWatch alarms at
// its thresholds (WindowAlarms). Each adapts a small slice of an AWS client;
// the plan itself comes from internal/scaling, which knows nothing of AWS.
package autoscaling

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	aas "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/scaling"
)

// API is the part of the Application Auto Scaling client the applier uses
// (*applicationautoscaling.Client implements it).
type API interface {
	DescribeScalableTargets(ctx context.Context, in *aas.DescribeScalableTargetsInput, opts ...func(*aas.Options)) (*aas.DescribeScalableTargetsOutput, error)
	DescribeScheduledActions(ctx context.Context, in *aas.DescribeScheduledActionsInput, opts ...func(*aas.Options)) (*aas.DescribeScheduledActionsOutput, error)
	PutScheduledAction(ctx context.Context, in *aas.PutScheduledActionInput, opts ...func(*aas.Options)) (*aas.PutScheduledActionOutput, error)
	DeleteScheduledAction(ctx context.Context, in *aas.DeleteScheduledActionInput, opts ...func(*aas.Options)) (*aas.DeleteScheduledActionOutput, error)
}

// Target is a hot operation's scalable target: the provisioned concurrency
// of its function's alias, "function:<name>:<alias>".
type Target struct {
	Operation  string
	ResourceID string
}

const (
	// Prefix names every scheduled action the planner owns; actions
	// without it (made by hand) are never touched.
	Prefix = "plan-"
	// Lead is how far ahead of now an action must start to be scheduled;
	// a step due sooner is applied as the catch-up action instead.
	Lead = 2 * time.Minute
	// catchUp names the action that brings a target to the plan's level
	// now, when it is not there (a window already under way, a shortened
	// override).
	catchUp = "now"
)

var (
	namespace = types.ServiceNamespaceLambda
	dimension = types.ScalableDimensionLambdaFunctionProvisionedConcurrency
)

// Applier keeps the targets' scheduled actions in line with a plan
// (scaling.Capacity).
type Applier struct {
	Client  API
	Targets []Target
}

// desired is one scheduled action the plan wants.
type desired struct {
	name     string
	schedule string
	n        int32
}

// Apply makes each target's planner-owned scheduled actions exactly the
// plan's step changes after now + Lead (minimum = maximum = the step's
// concurrency, so 0 releases the provisioned environments), plus a
// catch-up step at now + Lead when the target's current capacity is not
// the plan's level at that moment. Operations of the plan without a target
// are an error: the stack and the planner disagree about the hot functions.
func (a *Applier) Apply(ctx context.Context, actions []scaling.Action, now time.Time) (scaling.Applied, error) {
	byOp := map[string][]scaling.Action{}
	for _, ac := range actions {
		if !slices.ContainsFunc(a.Targets, func(t Target) bool { return t.Operation == ac.Operation }) {
			return scaling.Applied{}, fmt.Errorf("apply scaling plan: no scalable target for %s", ac.Operation)
		}
		byOp[ac.Operation] = append(byOp[ac.Operation], ac)
	}
	current, err := a.capacities(ctx)
	if err != nil {
		return scaling.Applied{}, err
	}
	var res scaling.Applied
	for _, t := range a.Targets {
		want := plan(t.Operation, byOp[t.Operation], now)
		if level := levelAt(byOp[t.Operation], now.Add(Lead)); current[t.ResourceID] != level {
			want = append(want, desired{name: actionName(t.Operation, catchUp), schedule: scaling.AtExpression(now.Add(Lead)), n: level})
		}
		have, err := a.scheduled(ctx, t.ResourceID)
		if err != nil {
			return res, err
		}
		for _, d := range want {
			if h, ok := have[d.name]; ok && h == d {
				res.Unchanged++
				continue
			}
			_, err := a.Client.PutScheduledAction(ctx, &aas.PutScheduledActionInput{
				ServiceNamespace:     namespace,
				ScalableDimension:    dimension,
				ResourceId:           aws.String(t.ResourceID),
				ScheduledActionName:  aws.String(d.name),
				Schedule:             aws.String(d.schedule),
				Timezone:             aws.String(scaling.Timezone),
				ScalableTargetAction: &types.ScalableTargetAction{MinCapacity: aws.Int32(d.n), MaxCapacity: aws.Int32(d.n)},
			})
			if err != nil {
				return res, fmt.Errorf("put scheduled action %s on %s: %w", d.name, t.ResourceID, err)
			}
			res.Put++
		}
		var stale []string
		for name := range have {
			if !slices.ContainsFunc(want, func(d desired) bool { return d.name == name }) {
				stale = append(stale, name)
			}
		}
		sort.Strings(stale)
		for _, name := range stale {
			_, err := a.Client.DeleteScheduledAction(ctx, &aas.DeleteScheduledActionInput{
				ServiceNamespace:    namespace,
				ScalableDimension:   dimension,
				ResourceId:          aws.String(t.ResourceID),
				ScheduledActionName: aws.String(name),
			})
			if err != nil {
				return res, fmt.Errorf("delete scheduled action %s on %s: %w", name, t.ResourceID, err)
			}
			res.Deleted++
		}
	}
	return res, nil
}

// plan is an operation's step changes due after now + Lead as scheduled
// actions, named by operation and São Paulo start time.
func plan(op string, steps []scaling.Action, now time.Time) []desired {
	var out []desired
	for _, s := range steps {
		if !s.At.After(now.Add(Lead)) {
			continue
		}
		out = append(out, desired{name: actionName(op, s.At.In(catalog.Zone).Format("20060102T1504")),
			schedule: scaling.AtExpression(s.At), n: int32(s.Concurrency)})
	}
	return out
}

// levelAt is the concurrency the steps set by t: the last step at or before
// it, 0 before the first.
func levelAt(steps []scaling.Action, t time.Time) int32 {
	var n int32
	for _, s := range steps { // in time order (scaling.Plan.Actions)
		if !s.At.After(t) {
			n = int32(s.Concurrency)
		}
	}
	return n
}

var _ scaling.Capacity = (*Applier)(nil)

func actionName(op, suffix string) string { return Prefix + op + "-" + suffix }

// capacities are the targets' current capacities (their minimum, which the
// scheduled actions set equal to the maximum), by resource id; a target not
// registered yet reads as 0.
func (a *Applier) capacities(ctx context.Context) (map[string]int32, error) {
	ids := make([]string, 0, len(a.Targets))
	for _, t := range a.Targets {
		ids = append(ids, t.ResourceID)
	}
	out := map[string]int32{}
	var token *string
	for {
		page, err := a.Client.DescribeScalableTargets(ctx, &aas.DescribeScalableTargetsInput{
			ServiceNamespace: namespace, ScalableDimension: dimension, ResourceIds: ids, NextToken: token,
		})
		if err != nil {
			return nil, fmt.Errorf("describe scalable targets: %w", err)
		}
		for _, st := range page.ScalableTargets {
			out[aws.ToString(st.ResourceId)] = aws.ToInt32(st.MinCapacity)
		}
		if token = page.NextToken; token == nil {
			return out, nil
		}
	}
}

// scheduled are the planner-owned scheduled actions of a target, by name.
func (a *Applier) scheduled(ctx context.Context, resourceID string) (map[string]desired, error) {
	out := map[string]desired{}
	var token *string
	for {
		page, err := a.Client.DescribeScheduledActions(ctx, &aas.DescribeScheduledActionsInput{
			ServiceNamespace: namespace, ScalableDimension: dimension, ResourceId: aws.String(resourceID), NextToken: token,
		})
		if err != nil {
			return nil, fmt.Errorf("describe scheduled actions of %s: %w", resourceID, err)
		}
		for _, sa := range page.ScheduledActions {
			name := aws.ToString(sa.ScheduledActionName)
			if !strings.HasPrefix(name, Prefix) {
				continue
			}
			d := desired{name: name, schedule: aws.ToString(sa.Schedule), n: -1}
			if act := sa.ScalableTargetAction; act != nil && aws.ToInt32(act.MinCapacity) == aws.ToInt32(act.MaxCapacity) &&
				aws.ToString(sa.Timezone) == scaling.Timezone {
				d.n = aws.ToInt32(act.MinCapacity)
			}
			out[name] = d
		}
		if token = page.NextToken; token == nil {
			return out, nil
		}
	}
}
