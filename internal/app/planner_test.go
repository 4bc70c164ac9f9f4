package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	aas "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/dynamo/dynamotest"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/scaling"
	"bilhetagem/internal/waitingroom"
	"bilhetagem/seed"
)

const targetsJSON = `{"createHold":"function:f-hold:live","getShowtime":"function:f-showtime:live",` +
	`"enterWaitingRoom":"function:f-enter:live","getWaitingRoomEntry":"function:f-entry:live",` +
	`"createOrder":"function:f-order:live","createPayment":"function:f-payment:live"}`

// plannerEnv is a complete planner configuration with some variables
// replaced (an empty value removes one).
func plannerEnv(over map[string]string) func(string) string {
	vars := map[string]string{"SCALING_TARGETS": targetsJSON, "ALARM_PREFIX": "bilhetagem-test-premiere-",
		"ALARM_TOPIC_ARN": "arn:aws:sns:sa-east-1:111122223333:alarms", "API_ID": "a1b2c3d4e5"}
	for k, v := range over {
		vars[k] = v
	}
	return func(k string) string { return vars[k] }
}

func TestPlannerConfig(t *testing.T) {
	t.Parallel()
	t.Run("every hot operation with its alias, 14 days by default, the alarms' prefix, topic and API", func(t *testing.T) {
		c, err := PlannerConfigFrom(plannerEnv(nil))
		require.NoError(t, err)
		assert.Len(t, c.Targets, len(scaling.HotOperations))
		assert.Equal(t, "function:f-hold:live", c.Targets[0].ResourceID)
		assert.Equal(t, 14, c.Days)
		assert.Equal(t, "bilhetagem-test-premiere-", c.AlarmPrefix)
		assert.Equal(t, "arn:aws:sns:sa-east-1:111122223333:alarms", c.AlarmTopic)
		assert.Equal(t, "a1b2c3d4e5", c.ApiID)
		assert.Equal(t, []string{"f-hold", "f-showtime", "f-enter", "f-entry", "f-order", "f-payment"}, c.Functions())
	})
	bad := map[string]map[string]string{
		"no targets":                    {"SCALING_TARGETS": ""},
		"targets that are not JSON":     {"SCALING_TARGETS": "createHold=x"},
		"a hot operation missing":       {"SCALING_TARGETS": `{"createHold":"function:f:live"}`},
		"a target that is no alias":     {"SCALING_TARGETS": strings.Replace(targetsJSON, "function:f-hold:live", "f-hold", 1)},
		"an operation that is not hot":  {"SCALING_TARGETS": strings.Replace(targetsJSON, "{", `{"listCinemas":"function:f:live",`, 1)},
		"a plan of 0 days":              {"PLAN_DAYS": "0"},
		"no alarm prefix":               {"ALARM_PREFIX": ""},
		"an alarm prefix without dash":  {"ALARM_PREFIX": "bilhetagem"},
		"no alarm topic":                {"ALARM_TOPIC_ARN": ""},
		"an alarm topic that is no ARN": {"ALARM_TOPIC_ARN": "alarms"},
		"no API id":                     {"API_ID": ""},
	}
	for name, vars := range bad {
		t.Run(name+" fails fast", func(t *testing.T) {
			_, err := PlannerConfigFrom(plannerEnv(vars))
			assert.Error(t, err)
		})
	}
}

// recordingAAS is an Application Auto Scaling client that has nothing
// scheduled and records the writes; nothing reaches AWS.
type recordingAAS struct {
	puts []*aas.PutScheduledActionInput
}

func (r *recordingAAS) DescribeScalableTargets(context.Context, *aas.DescribeScalableTargetsInput, ...func(*aas.Options)) (*aas.DescribeScalableTargetsOutput, error) {
	return &aas.DescribeScalableTargetsOutput{}, nil
}

func (r *recordingAAS) DescribeScheduledActions(context.Context, *aas.DescribeScheduledActionsInput, ...func(*aas.Options)) (*aas.DescribeScheduledActionsOutput, error) {
	return &aas.DescribeScheduledActionsOutput{}, nil
}

func (r *recordingAAS) PutScheduledAction(_ context.Context, in *aas.PutScheduledActionInput, _ ...func(*aas.Options)) (*aas.PutScheduledActionOutput, error) {
	r.puts = append(r.puts, in)
	return &aas.PutScheduledActionOutput{}, nil
}

func (r *recordingAAS) DeleteScheduledAction(context.Context, *aas.DeleteScheduledActionInput, ...func(*aas.Options)) (*aas.DeleteScheduledActionOutput, error) {
	return &aas.DeleteScheduledActionOutput{}, nil
}

// recordingTable is a DynamoDB control-plane client whose table has the
// on-demand floors of warm throughput; it records the updates.
type recordingTable struct {
	described int
	updates   []*dynamodb.UpdateTableInput
}

func (r *recordingTable) DescribeTable(context.Context, *dynamodb.DescribeTableInput, ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error) {
	r.described++
	return &dynamodb.DescribeTableOutput{Table: &ddbtypes.TableDescription{TableStatus: ddbtypes.TableStatusActive,
		WarmThroughput: &ddbtypes.TableWarmThroughputDescription{ReadUnitsPerSecond: aws.Int64(scaling.MinWarmRead),
			WriteUnitsPerSecond: aws.Int64(scaling.MinWarmWrite), Status: ddbtypes.TableStatusActive}}}, nil
}

func (r *recordingTable) UpdateTable(_ context.Context, in *dynamodb.UpdateTableInput, _ ...func(*dynamodb.Options)) (*dynamodb.UpdateTableOutput, error) {
	r.updates = append(r.updates, in)
	return &dynamodb.UpdateTableOutput{}, nil
}

// recordingCloudWatch has no alarms and records the ones put; nothing
// reaches AWS.
type recordingCloudWatch struct {
	puts []*cloudwatch.PutMetricAlarmInput
}

func (r *recordingCloudWatch) DescribeAlarms(context.Context, *cloudwatch.DescribeAlarmsInput, ...func(*cloudwatch.Options)) (*cloudwatch.DescribeAlarmsOutput, error) {
	return &cloudwatch.DescribeAlarmsOutput{}, nil
}

func (r *recordingCloudWatch) PutMetricAlarm(_ context.Context, in *cloudwatch.PutMetricAlarmInput, _ ...func(*cloudwatch.Options)) (*cloudwatch.PutMetricAlarmOutput, error) {
	r.puts = append(r.puts, in)
	return &cloudwatch.PutMetricAlarmOutput{}, nil
}

func (r *recordingCloudWatch) DeleteAlarms(context.Context, *cloudwatch.DeleteAlarmsInput, ...func(*cloudwatch.Options)) (*cloudwatch.DeleteAlarmsOutput, error) {
	return &cloudwatch.DeleteAlarmsOutput{}, nil
}

// TestPlannerRunOnTheSeed runs the planner Lambda's work on DynamoDB Local
// with the seed catalog, up to the Application Auto Scaling client.
func TestPlannerRunOnTheSeed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := dynamotest.NewStore(t)
	seedDay := catalog.Date{Year: 2026, Month: time.December, Day: 3}
	_, err := seed.Apply(ctx, store, seedDay)
	require.NoError(t, err)
	cfg, err := PlannerConfigFrom(plannerEnv(nil))
	require.NoError(t, err)
	client, table, cw := &recordingAAS{}, &recordingTable{}, &recordingCloudWatch{}
	p, err := NewPlanner(store, "bilhetagem-test", PlannerClients{AutoScaling: client, Table: table, CloudWatch: cw}, cfg, PremiereConfig{}, nil)
	require.NoError(t, err)

	// Ten minutes before the premiere-day windows of the seed's two big
	// releases (Thursday 2026-12-10, 10:00).
	at := seedDay.AddDays(7).At(9, 50)
	run, err := p.Run(ctx, at)
	require.NoError(t, err)

	t.Run("every step change after now goes to its function's alias, in São Paulo time", func(t *testing.T) {
		var want int
		for _, a := range run.Plan.Actions() {
			if a.At.After(at.Add(2 * time.Minute)) {
				want++
			}
		}
		require.NotZero(t, want)
		assert.Len(t, client.puts, want)
		assert.Equal(t, scaling.Applied{Put: want}, run.Applied)
		resource := map[string]string{}
		for _, tg := range cfg.Targets {
			resource[tg.ResourceID] = tg.Operation
		}
		for _, in := range client.puts {
			op := resource[aws.ToString(in.ResourceId)]
			require.NotEmpty(t, op, aws.ToString(in.ResourceId))
			assert.True(t, strings.HasPrefix(aws.ToString(in.ScheduledActionName), "plan-"+op+"-"))
			assert.Equal(t, "America/Sao_Paulo", aws.ToString(in.Timezone))
		}
		first := client.puts[0]
		assert.Equal(t, "function:f-hold:live", aws.ToString(first.ResourceId))
		assert.Equal(t, "at(2026-12-10T10:00:00)", aws.ToString(first.Schedule))
		assert.Equal(t, run.Plan.Windows[0].ConcurrencyOf(operations.CreateHold) > 0, aws.ToInt32(first.ScalableTargetAction.MinCapacity) > 0)
	})
	t.Run("the windows starting within the lookahead get their alarms, named under the prefix", func(t *testing.T) {
		windows := run.Plan.AlarmWindows(at)
		require.NotEmpty(t, windows)
		assert.Len(t, cw.puts, 3*len(windows))
		assert.Equal(t, scaling.Applied{Put: 3 * len(windows)}, run.Alarms)
		for _, in := range cw.puts {
			assert.True(t, strings.HasPrefix(aws.ToString(in.AlarmName), "bilhetagem-test-premiere-"+"premiere-"), aws.ToString(in.AlarmName))
			assert.Equal(t, []string{cfg.AlarmTopic}, in.AlarmActions)
		}
	})
	t.Run("no seeded window needs warm throughput above the floors: the table is left alone", func(t *testing.T) {
		assert.Nil(t, run.Plan.WarmBy(at))
		assert.Nil(t, run.Warm)
		assert.Zero(t, table.described)
		assert.Empty(t, table.updates)
	})
	t.Run("an override with warm throughput starting within 24 h is raised at once, then left alone", func(t *testing.T) {
		warm := scaling.Warm{Read: 30_000, Write: 8_000}
		require.NoError(t, store.PutScalingOverrides(ctx, scaling.Overrides{Items: []scaling.Override{{
			StartsAt: seedDay.AddDays(8).At(9, 0), EndsAt: seedDay.AddDays(8).At(23, 0), Reason: "segunda sessão de estreia", Warm: &warm}}}))
		run, err := p.Run(ctx, at)
		require.NoError(t, err)
		require.NotNil(t, run.Warm)
		assert.True(t, run.Warm.Raised)
		assert.Equal(t, []*dynamodb.UpdateTableInput{{TableName: aws.String("bilhetagem-test"),
			WarmThroughput: &ddbtypes.WarmThroughput{ReadUnitsPerSecond: aws.Int64(30_000), WriteUnitsPerSecond: aws.Int64(8_000)}}}, table.updates)
	})
	t.Run("the waiting room goes AUTO in the planner's name ahead of the queued window", func(t *testing.T) {
		assert.True(t, run.Switched)
		st, err := store.WaitingRoomSettings(ctx)
		require.NoError(t, err)
		assert.Equal(t, waitingroom.Auto, st.Mode)
		assert.Equal(t, scaling.PlannerName, st.UpdatedBy)
	})
}
