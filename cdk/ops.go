package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsstepfunctions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// OpsProps configure the Ops construct.
type OpsProps struct {
	Api   *Api
	Table awsdynamodb.Table
	// StateMachine, when set, gets a failed-executions alarm (the purchase
	// workflow).
	StateMachine awsstepfunctions.IStateMachine
	Settings     Settings
}

// Ops is the alarm topic, the alarms and the dashboard.
type Ops struct {
	constructs.Construct
	Topic awssns.Topic
	// Alarms are the parent stack's alarms: the API's, the table's, the
	// workflow's (and, from NewStack, the purchase alarms).
	Alarms []awscloudwatch.Alarm
	// FunctionAlarms are one alarm per API function, in
	// FunctionAlarmsStack: one per operation would push the parent past
	// the 450 resources at which ADR 0100 moves a feature out.
	FunctionAlarms      []awscloudwatch.Alarm
	FunctionAlarmsStack awscdk.NestedStack
	Dashboard           awscloudwatch.Dashboard
}

// dynamoOps are the table operations the store uses; a metric-math alarm
// takes at most ten metrics.
var dynamoOps = []awsdynamodb.Operation{
	awsdynamodb.Operation_GET_ITEM, awsdynamodb.Operation_BATCH_GET_ITEM,
	awsdynamodb.Operation_QUERY, awsdynamodb.Operation_PUT_ITEM,
	awsdynamodb.Operation_UPDATE_ITEM, awsdynamodb.Operation_DELETE_ITEM,
	awsdynamodb.Operation_BATCH_WRITE_ITEM, awsdynamodb.Operation_TRANSACT_WRITE_ITEMS,
	awsdynamodb.Operation_TRANSACT_GET_ITEMS,
}

// NewOps builds an encrypted SNS topic and the alarms that publish to it:
// API 5xx rate and p99 latency, table throttles and system errors, every
// function's errors and throttles, and the state machine's failures when
// there is one; plus one dashboard of the same signals. The per-function
// alarms live in a nested stack, FunctionAlarmsStack; the function names
// and the topic's ARN reach it as its parameters.
func NewOps(scope constructs.Construct, id string, props OpsProps) *Ops {
	c := constructs.NewConstruct(scope, jsii.String(id))
	s := props.Settings
	five := awscdk.Duration_Minutes(jsii.Number(5))
	one := awscdk.Duration_Minutes(jsii.Number(1))

	// CloudWatch cannot publish to a topic encrypted with the AWS managed
	// SNS key, so the topic has its own key that CloudWatch may use.
	key := awskms.NewKey(c, jsii.String("TopicKey"), &awskms.KeyProps{
		Description:       jsii.String("bilhetagem alarm topic"),
		EnableKeyRotation: jsii.Bool(true),
	})
	key.GrantEncryptDecrypt(awsiam.NewServicePrincipal(jsii.String("cloudwatch.amazonaws.com"), nil))
	topic := awssns.NewTopic(c, jsii.String("AlarmTopic"), &awssns.TopicProps{
		DisplayName: jsii.String("bilhetagem " + s.Env + " alarms"),
		MasterKey:   key,
		EnforceSSL:  jsii.Bool(true),
	})
	if s.AlarmEmail != "" {
		topic.AddSubscription(awssnssubscriptions.NewEmailSubscription(jsii.String(s.AlarmEmail), nil))
	}
	o := &Ops{Construct: c, Topic: topic}
	action := awscloudwatchactions.NewSnsAction(topic)
	newAlarm := func(scope constructs.Construct, id, description string, metric awscloudwatch.IMetric, threshold float64, periods float64) awscloudwatch.Alarm {
		a := awscloudwatch.NewAlarm(scope, jsii.String(id), &awscloudwatch.AlarmProps{
			AlarmDescription:   jsii.String(description),
			Metric:             metric,
			Threshold:          jsii.Number(threshold),
			EvaluationPeriods:  jsii.Number(periods),
			DatapointsToAlarm:  jsii.Number(periods),
			ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD,
			TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
		})
		a.AddAlarmAction(action)
		a.AddOkAction(action)
		return a
	}
	alarm := func(id, description string, metric awscloudwatch.IMetric, threshold float64, periods float64) awscloudwatch.Alarm {
		a := newAlarm(c, id, description, metric, threshold, periods)
		o.Alarms = append(o.Alarms, a)
		return a
	}

	api := props.Api.HttpApi
	fiveXXRate := awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
		Label:      jsii.String("API 5xx %"),
		Expression: jsii.String("IF(requests > 0, 100 * errors / requests, 0)"),
		UsingMetrics: &map[string]awscloudwatch.IMetric{
			"errors":   api.MetricServerError(&awscloudwatch.MetricOptions{Statistic: jsii.String("Sum"), Period: one}),
			"requests": api.MetricCount(&awscloudwatch.MetricOptions{Statistic: jsii.String("Sum"), Period: one}),
		},
		Period: one,
	})
	alarm("Api5xxRate", "More than 1% of API requests answered 5xx for 3 minutes in a row.", fiveXXRate, 1, 3)
	latency := api.MetricLatency(&awscloudwatch.MetricOptions{Statistic: jsii.String("p99"), Period: one})
	alarm("ApiLatencyP99", "API p99 latency above the threshold for 5 minutes in a row.", latency, s.LatencyP99Millis, 5)

	table := props.Table
	throttles := awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
		Label:      jsii.String("table throttle events"),
		Expression: jsii.String("reads + writes"),
		UsingMetrics: &map[string]awscloudwatch.IMetric{
			"reads":  table.Metric(jsii.String("ReadThrottleEvents"), &awscloudwatch.MetricOptions{Statistic: jsii.String("Sum"), Period: one}),
			"writes": table.Metric(jsii.String("WriteThrottleEvents"), &awscloudwatch.MetricOptions{Statistic: jsii.String("Sum"), Period: one}),
		},
		Period: one,
	})
	alarm("TableThrottles", "DynamoDB throttled reads or writes on the table (a hot partition, or a burst above the on-demand limits).", throttles, 0, 2)
	systemErrors := table.MetricSystemErrorsForOperations(&awsdynamodb.SystemErrorsForOperationsMetricOptions{
		Operations: &dynamoOps, Period: five, Statistic: jsii.String("Sum"),
	})
	alarm("TableSystemErrors", "DynamoDB answered 500s on the table.", systemErrors, 0, 1)

	if sm := props.StateMachine; sm != nil {
		alarm("PurchaseWorkflowFailed", "Purchase workflow executions failed, timed out or were aborted.",
			sm.MetricFailed(&awscloudwatch.MetricOptions{Statistic: jsii.String("Sum"), Period: five}), 0, 1)
	}

	o.FunctionAlarmsStack = awscdk.NewNestedStack(c, jsii.String("FunctionAlarmsStack"), &awscdk.NestedStackProps{
		Description: jsii.String("bilhetagem (" + s.Env + "): one alarm per API function"),
	})
	var fnErrors, fnThrottles, fnDuration []awscloudwatch.IMetric
	for _, f := range props.Api.Functions {
		name := pascal(f.Op.ID)
		errs := f.Fn.MetricErrors(&awscloudwatch.MetricOptions{Statistic: jsii.String("Sum"), Period: five, Label: jsii.String(f.Op.ID)})
		thr := f.Fn.MetricThrottles(&awscloudwatch.MetricOptions{Statistic: jsii.String("Sum"), Period: five, Label: jsii.String(f.Op.ID)})
		// One alarm per function on errors plus throttles: either is an
		// incident, and one alarm instead of two halves the alarms; they
		// are in the nested stack to keep the parent under CloudFormation's
		// resource limit (docs/adr/0100).
		a := newAlarm(o.FunctionAlarmsStack, name+"Failures", f.Op.ID+": the function returned errors (opaque 502s at the gateway) or was throttled (concurrency limit reached).",
			awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
				Label:        jsii.String(f.Op.ID + " errors + throttles"),
				Expression:   jsii.String("errors + throttles"),
				UsingMetrics: &map[string]awscloudwatch.IMetric{"errors": errs, "throttles": thr},
				Period:       five,
			}), 0, 1)
		o.FunctionAlarms = append(o.FunctionAlarms, a)
		fnErrors = append(fnErrors, errs)
		fnThrottles = append(fnThrottles, thr)
		fnDuration = append(fnDuration, f.Fn.MetricDuration(&awscloudwatch.MetricOptions{Statistic: jsii.String("p99"), Period: five, Label: jsii.String(f.Op.ID)}))
	}

	graph := func(title string, left ...awscloudwatch.IMetric) awscloudwatch.IWidget {
		return awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{
			Title: jsii.String(title), Left: &left, Width: jsii.Number(12), Height: jsii.Number(6),
		})
	}
	dash := awscloudwatch.NewDashboard(c, jsii.String("Dashboard"), &awscloudwatch.DashboardProps{
		DefaultInterval: awscdk.Duration_Hours(jsii.Number(3)),
	})
	dash.AddWidgets(
		graph("API requests", api.MetricCount(&awscloudwatch.MetricOptions{Statistic: jsii.String("Sum"), Period: one})),
		graph("API 5xx %", fiveXXRate),
	)
	dash.AddWidgets(
		graph("API latency p99 (ms)", latency),
		graph("Table throttles and system errors", throttles, systemErrors),
	)
	dash.AddWidgets(
		graph("Table consumed capacity",
			table.MetricConsumedReadCapacityUnits(&awscloudwatch.MetricOptions{Statistic: jsii.String("Sum"), Period: one}),
			table.MetricConsumedWriteCapacityUnits(&awscloudwatch.MetricOptions{Statistic: jsii.String("Sum"), Period: one})),
		graph("Function errors", fnErrors...),
	)
	dash.AddWidgets(
		graph("Function throttles", fnThrottles...),
		graph("Function duration p99 (ms)", fnDuration...),
	)
	o.Dashboard = dash
	return o
}
