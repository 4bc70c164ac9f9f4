package main

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"bilhetagem/internal/orders"
)

// CompensationFailedError is the Fail state the purchase workflow ends in
// when even its compensation failed (internal/workflow/purchase.asl.json):
// an order an operator has to look at.
const CompensationFailedError = "Purchase.CompensationFailed"

// PurchaseAlarmsProps configure NewPurchaseAlarms.
type PurchaseAlarmsProps struct {
	Workflow *Workflow
	Sweeper  *Sweeper
	Topic    awssns.ITopic
	Settings Settings
}

// NewPurchaseAlarms watches what the purchase workflow cannot settle by
// itself, beside Ops' alarm on every failed execution: an execution that
// ended in Purchase.CompensationFailed, counted by a metric filter on the
// state machine's execution log (the ExecutionFailed event names the
// error), alarms at once; an order sweeper that failed three minutes in a
// row alarms too; and so does an order the sweeper failed to settle
// orders.AlarmAfterAttempts times in a row (it backs off between tries, so
// the sweeper's errors alone would not show it), counted by a metric
// filter on the sweeper's log. All publish to the ops topic, alarm and OK.
func NewPurchaseAlarms(scope constructs.Construct, id string, props PurchaseAlarmsProps) []awscloudwatch.Alarm {
	c := constructs.NewConstruct(scope, jsii.String(id))
	filter := awslogs.NewMetricFilter(c, jsii.String("CompensationFailedFilter"), &awslogs.MetricFilterProps{
		LogGroup: props.Workflow.Logs,
		FilterPattern: awslogs.FilterPattern_All(
			awslogs.FilterPattern_StringValue(jsii.String("$.type"), jsii.String("="), jsii.String("ExecutionFailed")),
			awslogs.FilterPattern_StringValue(jsii.String("$.details.error"), jsii.String("="), jsii.String(CompensationFailedError)),
		),
		MetricNamespace: jsii.String("Bilhetagem/" + props.Settings.Env),
		MetricName:      jsii.String("PurchaseCompensationFailed"),
		MetricValue:     jsii.String("1"),
	})
	stuck := awslogs.NewMetricFilter(c, jsii.String("OrderStuckFilter"), &awslogs.MetricFilterProps{
		LogGroup:        props.Sweeper.Logs,
		FilterPattern:   awslogs.FilterPattern_StringValue(jsii.String("$.msg"), jsii.String("="), jsii.String(orders.StuckMessage)),
		MetricNamespace: jsii.String("Bilhetagem/" + props.Settings.Env),
		MetricName:      jsii.String("OrderSweepStuck"),
		MetricValue:     jsii.String("1"),
	})
	one := awscdk.Duration_Minutes(jsii.Number(1))
	alarm := func(id, description string, metric awscloudwatch.IMetric, periods float64) awscloudwatch.Alarm {
		return anyAlarm(c, props.Topic, id, description, metric, periods)
	}
	return []awscloudwatch.Alarm{
		alarm("CompensationFailed", "A purchase execution ended in "+CompensationFailedError+": its order needs an operator "+
			"(docs/adr/0104 and 0105). The order sweeper retries it every minute; look at the execution's history.",
			filter.Metric(&awscloudwatch.MetricOptions{Statistic: jsii.String("Sum"), Period: one}), 1),
		alarm("OrderSweeperFailing", "The order sweeper failed three minutes in a row: some order's completion keeps failing "+
			"(its logs name the order).",
			props.Sweeper.Function.MetricErrors(&awscloudwatch.MetricOptions{Statistic: jsii.String("Sum"), Period: one}), 3),
		alarm("OrderSweepStuck", fmt.Sprintf("The order sweeper failed to settle an order %d times in a row, backing off up to "+
			"an hour between tries (a refund the provider keeps refusing, say): its log line %q names the order.",
			orders.AlarmAfterAttempts, orders.StuckMessage),
			stuck.Metric(&awscloudwatch.MetricOptions{Statistic: jsii.String("Sum"), Period: one}), 1),
	}
}
