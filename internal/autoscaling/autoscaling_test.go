package autoscaling_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	aas "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/autoscaling"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/scaling"
)

// fakeAAS answers the describes from fixed state and records every write;
// nothing reaches AWS.
type fakeAAS struct {
	targets   []types.ScalableTarget
	scheduled map[string][]types.ScheduledAction // by resource id
	described []*aas.DescribeScalableTargetsInput
	puts      []*aas.PutScheduledActionInput
	deletes   []*aas.DeleteScheduledActionInput
	putErr    error
}

func (f *fakeAAS) DescribeScalableTargets(_ context.Context, in *aas.DescribeScalableTargetsInput, _ ...func(*aas.Options)) (*aas.DescribeScalableTargetsOutput, error) {
	f.described = append(f.described, in)
	return &aas.DescribeScalableTargetsOutput{ScalableTargets: f.targets}, nil
}

func (f *fakeAAS) DescribeScheduledActions(_ context.Context, in *aas.DescribeScheduledActionsInput, _ ...func(*aas.Options)) (*aas.DescribeScheduledActionsOutput, error) {
	all := f.scheduled[aws.ToString(in.ResourceId)]
	// Two pages, to follow NextToken.
	if in.NextToken == nil && len(all) > 1 {
		return &aas.DescribeScheduledActionsOutput{ScheduledActions: all[:1], NextToken: aws.String("page-2")}, nil
	}
	if in.NextToken != nil {
		return &aas.DescribeScheduledActionsOutput{ScheduledActions: all[1:]}, nil
	}
	return &aas.DescribeScheduledActionsOutput{ScheduledActions: all}, nil
}

func (f *fakeAAS) PutScheduledAction(_ context.Context, in *aas.PutScheduledActionInput, _ ...func(*aas.Options)) (*aas.PutScheduledActionOutput, error) {
	if f.putErr != nil {
		return nil, f.putErr
	}
	f.puts = append(f.puts, in)
	return &aas.PutScheduledActionOutput{}, nil
}

func (f *fakeAAS) DeleteScheduledAction(_ context.Context, in *aas.DeleteScheduledActionInput, _ ...func(*aas.Options)) (*aas.DeleteScheduledActionOutput, error) {
	f.deletes = append(f.deletes, in)
	return &aas.DeleteScheduledActionOutput{}, nil
}

const (
	holdTarget    = "function:bilhetagem-CreateHoldFunction:live"
	showtimeTgt   = "function:bilhetagem-GetShowtimeFunction:live"
	pcDimension   = types.ScalableDimensionLambdaFunctionProvisionedConcurrency
	lambdaService = types.ServiceNamespaceLambda
)

func sp(day, h, m int) time.Time {
	return time.Date(2026, time.December, day, h, m, 0, 0, catalog.Zone)
}

func scheduled(name, schedule string, n int32) types.ScheduledAction {
	return types.ScheduledAction{ScheduledActionName: aws.String(name), Schedule: aws.String(schedule), Timezone: aws.String("America/Sao_Paulo"),
		ScalableTargetAction: &types.ScalableTargetAction{MinCapacity: aws.Int32(n), MaxCapacity: aws.Int32(n)}}
}

func put(resource, name, schedule string, n int32) *aas.PutScheduledActionInput {
	return &aas.PutScheduledActionInput{ServiceNamespace: lambdaService, ScalableDimension: pcDimension, ResourceId: aws.String(resource),
		ScheduledActionName: aws.String(name), Schedule: aws.String(schedule), Timezone: aws.String("America/Sao_Paulo"),
		ScalableTargetAction: &types.ScalableTargetAction{MinCapacity: aws.Int32(n), MaxCapacity: aws.Int32(n)}}
}

func TestApplyPutsThePlanAsScheduledActions(t *testing.T) {
	t.Parallel()
	now := sp(2, 10, 0)
	// A presale window 2026-12-02 11:30–18:00 and the premiere day after.
	actions := []scaling.Action{
		{Operation: operations.CreateHold, At: sp(2, 11, 30), Concurrency: 12},
		{Operation: operations.GetShowtime, At: sp(2, 11, 30), Concurrency: 113},
		{Operation: operations.CreateHold, At: sp(2, 18, 0), Concurrency: 0},
		{Operation: operations.GetShowtime, At: sp(2, 18, 0), Concurrency: 0},
		{Operation: operations.CreateHold, At: sp(3, 10, 0), Concurrency: 6},
		{Operation: operations.CreateHold, At: sp(4, 0, 0), Concurrency: 0},
	}
	f := &fakeAAS{
		targets: []types.ScalableTarget{
			{ResourceId: aws.String(holdTarget), MinCapacity: aws.Int32(0), MaxCapacity: aws.Int32(0)},
			{ResourceId: aws.String(showtimeTgt), MinCapacity: aws.Int32(0), MaxCapacity: aws.Int32(0)},
		},
		scheduled: map[string][]types.ScheduledAction{
			holdTarget: {
				scheduled("plan-createHold-20261202T1130", "at(2026-12-02T11:30:00)", 12), // as planned: kept
				scheduled("plan-createHold-20261202T1800", "at(2026-12-02T18:00:00)", 5),  // another value: put again
				scheduled("plan-createHold-20261201T1000", "at(2026-12-01T10:00:00)", 4),  // no longer planned: deleted
				scheduled("black-friday-by-hand", "at(2026-11-27T08:00:00)", 50),          // not the planner's: left alone
			},
		},
	}
	a := &autoscaling.Applier{Client: f, Targets: []autoscaling.Target{
		{Operation: operations.CreateHold, ResourceID: holdTarget},
		{Operation: operations.GetShowtime, ResourceID: showtimeTgt},
	}}
	res, err := a.Apply(context.Background(), actions, now)
	require.NoError(t, err)

	assert.Equal(t, []*aas.DescribeScalableTargetsInput{{ServiceNamespace: lambdaService, ScalableDimension: pcDimension,
		ResourceIds: []string{holdTarget, showtimeTgt}}}, f.described)
	assert.Equal(t, []*aas.PutScheduledActionInput{
		put(holdTarget, "plan-createHold-20261202T1800", "at(2026-12-02T18:00:00)", 0),
		put(holdTarget, "plan-createHold-20261203T1000", "at(2026-12-03T10:00:00)", 6),
		put(holdTarget, "plan-createHold-20261204T0000", "at(2026-12-04T00:00:00)", 0),
		put(showtimeTgt, "plan-getShowtime-20261202T1130", "at(2026-12-02T11:30:00)", 113),
		put(showtimeTgt, "plan-getShowtime-20261202T1800", "at(2026-12-02T18:00:00)", 0),
	}, f.puts)
	assert.Equal(t, []*aas.DeleteScheduledActionInput{{ServiceNamespace: lambdaService, ScalableDimension: pcDimension,
		ResourceId: aws.String(holdTarget), ScheduledActionName: aws.String("plan-createHold-20261201T1000")}}, f.deletes)
	assert.Equal(t, scaling.Applied{Put: 5, Deleted: 1, Unchanged: 1}, res)
}

func TestApplyCatchesUpAWindowAlreadyUnderWay(t *testing.T) {
	t.Parallel()
	// 13:00, inside a window that raised createHold to 12 at 11:30; the
	// target was left at 0 (an override added late).
	now := sp(2, 13, 0)
	actions := []scaling.Action{
		{Operation: operations.CreateHold, At: sp(2, 11, 30), Concurrency: 12},
		{Operation: operations.CreateHold, At: sp(2, 18, 0), Concurrency: 0},
	}
	f := &fakeAAS{targets: []types.ScalableTarget{{ResourceId: aws.String(holdTarget), MinCapacity: aws.Int32(0), MaxCapacity: aws.Int32(0)}}}
	a := &autoscaling.Applier{Client: f, Targets: []autoscaling.Target{{Operation: operations.CreateHold, ResourceID: holdTarget}}}
	_, err := a.Apply(context.Background(), actions, now)
	require.NoError(t, err)
	assert.Equal(t, []*aas.PutScheduledActionInput{
		put(holdTarget, "plan-createHold-20261202T1800", "at(2026-12-02T18:00:00)", 0),
		put(holdTarget, "plan-createHold-now", "at(2026-12-02T13:02:00)", 12),
	}, f.puts)

	t.Run("once the target is at the plan's level, the catch-up action goes", func(t *testing.T) {
		f.targets[0].MinCapacity, f.targets[0].MaxCapacity = aws.Int32(12), aws.Int32(12)
		f.scheduled = map[string][]types.ScheduledAction{holdTarget: {
			scheduled("plan-createHold-20261202T1800", "at(2026-12-02T18:00:00)", 0),
			scheduled("plan-createHold-now", "at(2026-12-02T13:02:00)", 12),
		}}
		f.puts, f.deletes = nil, nil
		res, err := a.Apply(context.Background(), actions, now.Add(15*time.Minute))
		require.NoError(t, err)
		assert.Empty(t, f.puts)
		require.Len(t, f.deletes, 1)
		assert.Equal(t, "plan-createHold-now", aws.ToString(f.deletes[0].ScheduledActionName))
		assert.Equal(t, scaling.Applied{Deleted: 1, Unchanged: 1}, res)
	})
}

func TestApplyRefusesAnOperationWithoutTarget(t *testing.T) {
	t.Parallel()
	f := &fakeAAS{}
	a := &autoscaling.Applier{Client: f, Targets: []autoscaling.Target{{Operation: operations.CreateHold, ResourceID: holdTarget}}}
	_, err := a.Apply(context.Background(), []scaling.Action{{Operation: operations.CreateOrder, At: sp(2, 11, 30), Concurrency: 2}}, sp(2, 10, 0))
	assert.ErrorContains(t, err, "no scalable target for createOrder")
	assert.Empty(t, f.puts)
	assert.Empty(t, f.described, "nothing is read or written before the mismatch is reported")
}

func TestApplyStopsAtTheFirstFailedWrite(t *testing.T) {
	t.Parallel()
	f := &fakeAAS{putErr: errors.New("throttled")}
	a := &autoscaling.Applier{Client: f, Targets: []autoscaling.Target{{Operation: operations.CreateHold, ResourceID: holdTarget}}}
	_, err := a.Apply(context.Background(), []scaling.Action{{Operation: operations.CreateHold, At: sp(2, 11, 30), Concurrency: 12}}, sp(2, 10, 0))
	assert.ErrorContains(t, err, "put scheduled action plan-createHold-20261202T1130 on "+holdTarget+": throttled")
}
