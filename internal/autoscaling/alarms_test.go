package autoscaling_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/autoscaling"
	"bilhetagem/internal/releases"
	"bilhetagem/internal/scaling"
)

// fakeCloudWatch keeps alarms by name as PutMetricAlarm leaves them and
// records every call; DescribeAlarms answers in pages of two and, like a
// careless filter would, also lists an alarm outside the prefix. Nothing
// reaches AWS.
type fakeCloudWatch struct {
	alarms    map[string]cwtypes.MetricAlarm
	describes []*cloudwatch.DescribeAlarmsInput
	puts      []*cloudwatch.PutMetricAlarmInput
	deletes   []*cloudwatch.DeleteAlarmsInput
	putErr    error
}

func (f *fakeCloudWatch) DescribeAlarms(_ context.Context, in *cloudwatch.DescribeAlarmsInput, _ ...func(*cloudwatch.Options)) (*cloudwatch.DescribeAlarmsOutput, error) {
	f.describes = append(f.describes, in)
	names := sortedKeys(f.alarms)
	from := 0
	if in.NextToken != nil {
		fmt.Sscanf(*in.NextToken, "%d", &from)
	}
	out := &cloudwatch.DescribeAlarmsOutput{}
	for i := from; i < len(names) && i < from+2; i++ {
		out.MetricAlarms = append(out.MetricAlarms, f.alarms[names[i]])
	}
	if from+2 < len(names) {
		out.NextToken = aws.String(fmt.Sprint(from + 2))
	}
	return out, nil
}

func (f *fakeCloudWatch) PutMetricAlarm(_ context.Context, in *cloudwatch.PutMetricAlarmInput, _ ...func(*cloudwatch.Options)) (*cloudwatch.PutMetricAlarmOutput, error) {
	if f.putErr != nil {
		return nil, f.putErr
	}
	f.puts = append(f.puts, in)
	f.alarms[aws.ToString(in.AlarmName)] = cwtypes.MetricAlarm{AlarmName: in.AlarmName, AlarmDescription: in.AlarmDescription,
		ActionsEnabled: in.ActionsEnabled, AlarmActions: in.AlarmActions, OKActions: in.OKActions, ComparisonOperator: in.ComparisonOperator,
		Threshold: in.Threshold, EvaluationPeriods: in.EvaluationPeriods, DatapointsToAlarm: in.DatapointsToAlarm,
		TreatMissingData: in.TreatMissingData, Metrics: in.Metrics, MetricName: in.MetricName, Namespace: in.Namespace,
		Dimensions: in.Dimensions, ExtendedStatistic: in.ExtendedStatistic, Period: in.Period}
	return &cloudwatch.PutMetricAlarmOutput{}, nil
}

func (f *fakeCloudWatch) DeleteAlarms(_ context.Context, in *cloudwatch.DeleteAlarmsInput, _ ...func(*cloudwatch.Options)) (*cloudwatch.DeleteAlarmsOutput, error) {
	f.deletes = append(f.deletes, in)
	for _, n := range in.AlarmNames {
		delete(f.alarms, n)
	}
	return &cloudwatch.DeleteAlarmsOutput{}, nil
}

func sortedKeys(m map[string]cwtypes.MetricAlarm) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	for i := range out { // insertion sort: tiny maps
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

const (
	alarmPrefix = "bilhetagem-dev-premiere-"
	topicARN    = "arn:aws:sns:sa-east-1:111122223333:bilhetagem-dev-alarms"
	apiID       = "a1b2c3d4e5"
)

func windowAlarms(f *fakeCloudWatch) *autoscaling.WindowAlarms {
	return &autoscaling.WindowAlarms{Client: f, Prefix: alarmPrefix, TopicARN: topicARN, ApiID: apiID, Table: tableName,
		Functions: []string{"f-hold", "f-showtime"}}
}

func presaleWindow() scaling.Window {
	return scaling.Window{ID: "presale-mov-doomsday", Reason: scaling.PresaleOpening, Class: releases.Blockbuster,
		StartsAt: sp(2, 11, 30), EndsAt: sp(2, 18, 0), Alarms: scaling.AlarmsFor(releases.Blockbuster)}
}

func names(ins []*cloudwatch.PutMetricAlarmInput) []string {
	var out []string
	for _, in := range ins {
		out = append(out, aws.ToString(in.AlarmName))
	}
	return out
}

func TestWindowAlarmsPutsThreeAlarmsPerWindowAtItsThresholds(t *testing.T) {
	t.Parallel()
	f := &fakeCloudWatch{alarms: map[string]cwtypes.MetricAlarm{}}
	res, err := windowAlarms(f).Apply(context.Background(), []scaling.Window{presaleWindow()}, sp(2, 11, 20))
	require.NoError(t, err)
	assert.Equal(t, scaling.Applied{Put: 3}, res)
	require.Len(t, f.describes, 1)
	assert.Equal(t, &cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: aws.String(alarmPrefix),
		AlarmTypes: []cwtypes.AlarmType{cwtypes.AlarmTypeMetricAlarm}, MaxRecords: aws.Int32(100)}, f.describes[0])
	require.Equal(t, []string{alarmPrefix + "presale-mov-doomsday-errors", alarmPrefix + "presale-mov-doomsday-p99",
		alarmPrefix + "presale-mov-doomsday-throttles"}, names(f.puts))

	api := []cwtypes.Dimension{{Name: aws.String("ApiId"), Value: aws.String(apiID)}}
	stat := func(id, ns, metric string, dims []cwtypes.Dimension) cwtypes.MetricDataQuery {
		return cwtypes.MetricDataQuery{Id: aws.String(id), ReturnData: aws.Bool(false), MetricStat: &cwtypes.MetricStat{
			Metric: &cwtypes.Metric{Namespace: aws.String(ns), MetricName: aws.String(metric), Dimensions: dims},
			Period: aws.Int32(60), Stat: aws.String("Sum")}}
	}
	common := func(in *cloudwatch.PutMetricAlarmInput, threshold float64) {
		t.Helper()
		assert.Equal(t, []string{topicARN}, in.AlarmActions)
		assert.Equal(t, []string{topicARN}, in.OKActions)
		assert.True(t, aws.ToBool(in.ActionsEnabled))
		assert.Equal(t, cwtypes.ComparisonOperatorGreaterThanThreshold, in.ComparisonOperator)
		assert.Equal(t, threshold, aws.ToFloat64(in.Threshold))
		assert.EqualValues(t, 3, aws.ToInt32(in.EvaluationPeriods))
		assert.EqualValues(t, 3, aws.ToInt32(in.DatapointsToAlarm))
		assert.Equal(t, "notBreaching", aws.ToString(in.TreatMissingData))
		assert.Contains(t, aws.ToString(in.AlarmDescription), "presale-mov-doomsday (PRESALE_OPENING, BLOCKBUSTER, 2026-12-02 11:30 to 2026-12-02 18:00 São Paulo)")
	}
	errs, p99, thr := f.puts[0], f.puts[1], f.puts[2]
	common(errs, 1)
	assert.Equal(t, []cwtypes.MetricDataQuery{
		{Id: aws.String("rate"), Label: aws.String("API 5xx %"), ReturnData: aws.Bool(true),
			Expression: aws.String("IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)")},
		stat("errors", "AWS/ApiGateway", "5xx", api),
		stat("requests", "AWS/ApiGateway", "Count", api),
	}, errs.Metrics)
	assert.Nil(t, errs.MetricName)

	common(p99, 800)
	assert.Equal(t, "AWS/ApiGateway", aws.ToString(p99.Namespace))
	assert.Equal(t, "Latency", aws.ToString(p99.MetricName))
	assert.Equal(t, api, p99.Dimensions)
	assert.Equal(t, "p99", aws.ToString(p99.ExtendedStatistic))
	assert.EqualValues(t, 60, aws.ToInt32(p99.Period))

	common(thr, 100)
	table := []cwtypes.Dimension{{Name: aws.String("TableName"), Value: aws.String(tableName)}}
	assert.Equal(t, []cwtypes.MetricDataQuery{
		{Id: aws.String("throttled"), Label: aws.String("throttled requests"), ReturnData: aws.Bool(true), Expression: aws.String("SUM(METRICS())")},
		stat("reads", "AWS/DynamoDB", "ReadThrottleEvents", table),
		stat("writes", "AWS/DynamoDB", "WriteThrottleEvents", table),
		stat("fn0", "AWS/Lambda", "Throttles", []cwtypes.Dimension{{Name: aws.String("FunctionName"), Value: aws.String("f-hold")}}),
		stat("fn1", "AWS/Lambda", "Throttles", []cwtypes.Dimension{{Name: aws.String("FunctionName"), Value: aws.String("f-showtime")}}),
	}, thr.Metrics)
}

func TestWindowAlarmsAreIdempotentAndFollowThePlan(t *testing.T) {
	t.Parallel()
	f := &fakeCloudWatch{alarms: map[string]cwtypes.MetricAlarm{
		// The stack's own alarm and someone's by hand: not the planner's.
		"Bilhetagem-dev-OpsApiLatencyP99": {AlarmName: aws.String("Bilhetagem-dev-OpsApiLatencyP99"), Threshold: aws.Float64(1500)},
		"bilhetagem-dev-manual-p99":       {AlarmName: aws.String("bilhetagem-dev-manual-p99"), Threshold: aws.Float64(900)},
	}}
	a := windowAlarms(f)
	w := presaleWindow()
	_, err := a.Apply(context.Background(), []scaling.Window{w}, sp(2, 11, 20))
	require.NoError(t, err)
	require.Len(t, f.puts, 3)

	t.Run("the same windows again: nothing put, nothing deleted", func(t *testing.T) {
		f.puts, f.deletes = nil, nil
		res, err := a.Apply(context.Background(), []scaling.Window{w}, sp(2, 11, 35))
		require.NoError(t, err)
		assert.Equal(t, scaling.Applied{Unchanged: 3}, res)
		assert.Empty(t, f.puts)
		assert.Empty(t, f.deletes)
	})
	t.Run("a threshold changes: only that alarm is put again", func(t *testing.T) {
		f.puts, f.deletes = nil, nil
		changed := w
		changed.Alarms.P99LatencyMs = 1000
		res, err := a.Apply(context.Background(), []scaling.Window{changed}, sp(2, 11, 50))
		require.NoError(t, err)
		assert.Equal(t, scaling.Applied{Put: 1, Unchanged: 2}, res)
		require.Equal(t, []string{alarmPrefix + "presale-mov-doomsday-p99"}, names(f.puts))
		assert.Equal(t, 1000.0, aws.ToFloat64(f.puts[0].Threshold))
		assert.Contains(t, aws.ToString(f.puts[0].AlarmDescription), "above 1000 ms")
	})
	t.Run("a threshold changed by hand is put back", func(t *testing.T) {
		f.puts, f.deletes = nil, nil
		name := alarmPrefix + "presale-mov-doomsday-throttles"
		h := f.alarms[name]
		h.Threshold = aws.Float64(5000)
		f.alarms[name] = h
		res, err := a.Apply(context.Background(), []scaling.Window{w}, sp(2, 12, 5))
		require.NoError(t, err)
		assert.Equal(t, []string{alarmPrefix + "presale-mov-doomsday-p99", name}, names(f.puts), "p99 back at 800, throttles back at 100")
		assert.Equal(t, scaling.Applied{Put: 2, Unchanged: 1}, res)
	})
	t.Run("the window is over: its alarms are deleted, no one else's", func(t *testing.T) {
		f.puts, f.deletes = nil, nil
		res, err := a.Apply(context.Background(), nil, sp(2, 18, 5))
		require.NoError(t, err)
		assert.Empty(t, f.puts)
		assert.Equal(t, []*cloudwatch.DeleteAlarmsInput{{AlarmNames: []string{alarmPrefix + "presale-mov-doomsday-errors",
			alarmPrefix + "presale-mov-doomsday-p99", alarmPrefix + "presale-mov-doomsday-throttles"}}}, f.deletes)
		assert.Equal(t, scaling.Applied{Deleted: 3}, res)
		assert.Contains(t, f.alarms, "Bilhetagem-dev-OpsApiLatencyP99")
		assert.Contains(t, f.alarms, "bilhetagem-dev-manual-p99")
	})
}

func TestWindowAlarmsReplaceAWindowThatLeftThePlan(t *testing.T) {
	t.Parallel()
	f := &fakeCloudWatch{alarms: map[string]cwtypes.MetricAlarm{}}
	a := windowAlarms(f)
	old := presaleWindow()
	old.ID = "override-1"
	_, err := a.Apply(context.Background(), []scaling.Window{old, presaleWindow()}, sp(2, 11, 20))
	require.NoError(t, err)
	f.puts = nil
	res, err := a.Apply(context.Background(), []scaling.Window{presaleWindow()}, sp(2, 11, 35))
	require.NoError(t, err)
	assert.Empty(t, f.puts)
	assert.Equal(t, []*cloudwatch.DeleteAlarmsInput{{AlarmNames: []string{alarmPrefix + "override-1-errors",
		alarmPrefix + "override-1-p99", alarmPrefix + "override-1-throttles"}}}, f.deletes)
	assert.Equal(t, scaling.Applied{Deleted: 3, Unchanged: 3}, res)
}

func TestWindowAlarmsRefuseAnEmptyPrefixAndReportAFailedPut(t *testing.T) {
	t.Parallel()
	f := &fakeCloudWatch{alarms: map[string]cwtypes.MetricAlarm{
		"Bilhetagem-dev-OpsApiLatencyP99": {AlarmName: aws.String("Bilhetagem-dev-OpsApiLatencyP99")}}}
	a := windowAlarms(f)
	a.Prefix = ""
	_, err := a.Apply(context.Background(), nil, sp(2, 11, 20))
	assert.ErrorContains(t, err, "window alarms: missing Prefix")
	assert.Empty(t, f.describes, "without a prefix nothing is even listed")
	assert.Empty(t, f.deletes)

	f.putErr = errors.New("LimitExceeded")
	_, err = windowAlarms(f).Apply(context.Background(), []scaling.Window{presaleWindow()}, sp(2, 11, 20))
	assert.ErrorContains(t, err, "put alarm "+alarmPrefix+"presale-mov-doomsday-errors: LimitExceeded")
}
