package main

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/orders"
)

// ReconcileWorker is the reconciliation's folder under the workers
// directory (cmd/reconcile, built by `make build`).
const ReconcileWorker = "reconcile"

// ReconcileSchedule runs the reconciliation daily at 04:30 in São Paulo
// (UTC-3 all year since 2019), when nobody buys: 07:30 UTC.
const ReconcileSchedule = "cron(30 7 * * ? *)"

// ReconciliationProps configure the Reconciliation construct.
type ReconciliationProps struct {
	// Dir holds the reconciliation's bootstrap.
	Dir      string
	Table    awsdynamodb.ITable
	Indexes  []string
	Settings Settings
}

// Reconciliation is the payment reconciliation (docs/adr/0701): a Lambda an
// EventBridge rule runs daily, and an operator invokes on demand, that
// compares the provider's money with the orders and logs every mismatch.
type Reconciliation struct {
	constructs.Construct
	Function awslambda.Function
	Rule     awsevents.Rule
	Logs     awslogs.LogGroup
	// Alarms are AlarmTo's: a mismatch, a failed run.
	Alarms []awscloudwatch.Alarm
}

// NewReconciliation builds the function (arm64, provided.al2023, its own
// role and log group) with least privilege on the table: it reads (items
// and the indexes' queries) and writes one item, its watermark, granted by
// PutItem on the RECONCILE leading key only. The provider's keys come from
// Secrets.SharePayments; it gets none of the shared keys. A failed
// scheduled run is retried twice by EventBridge within the hour.
func NewReconciliation(scope constructs.Construct, id string, props ReconciliationProps) *Reconciliation {
	c := constructs.NewConstruct(scope, jsii.String(id))
	s := props.Settings
	fn, logs := newWorker(c, workerProps{
		Name:        "the payment reconciliation",
		Description: "payment reconciliation: the provider's money against the orders (cmd/reconcile)",
		Dir:         props.Dir,
		// A day of Stripe's lists, 100 objects a page, and a read per
		// payment named.
		Timeout:  awscdk.Duration_Minutes(jsii.Number(10)),
		Table:    props.Table,
		Settings: s,
		Grant: func(role awsiam.Role) {
			grantTable(role, props.Table, props.Indexes, operations.ReadOnly)
			role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions:   jsii.Strings("dynamodb:PutItem"),
				Resources: jsii.Strings(*props.Table.TableArn()),
				Conditions: &map[string]any{
					"ForAllValues:StringEquals": map[string]any{"dynamodb:LeadingKeys": []string{dynamo.ReconcilePK}},
				},
			}))
		},
	})
	rule := awsevents.NewRule(c, jsii.String("Schedule"), &awsevents.RuleProps{
		Description: jsii.String("bilhetagem " + s.Env + ": reconcile the payment provider with the orders, daily at 04:30 São Paulo"),
		Schedule:    awsevents.Schedule_Expression(jsii.String(ReconcileSchedule)),
	})
	rule.AddTarget(awseventstargets.NewLambdaFunction(fn, &awseventstargets.LambdaFunctionProps{
		RetryAttempts: jsii.Number(2),
		MaxEventAge:   awscdk.Duration_Hours(jsii.Number(1)),
	}))
	return &Reconciliation{Construct: c, Function: fn, Rule: rule, Logs: logs}
}

// AlarmTo watches the reconciliation, publishing to topic (alarm and OK):
// every mismatch it logs (orders.MismatchMessage, counted by a metric
// filter on its log) alarms at once, and so does a run that failed.
func (r *Reconciliation) AlarmTo(topic awssns.ITopic, s Settings) []awscloudwatch.Alarm {
	filter := awslogs.NewMetricFilter(r.Construct, jsii.String("MismatchFilter"), &awslogs.MetricFilterProps{
		LogGroup:        r.Logs,
		FilterPattern:   awslogs.FilterPattern_StringValue(jsii.String("$.msg"), jsii.String("="), jsii.String(orders.MismatchMessage)),
		MetricNamespace: jsii.String("Bilhetagem/" + s.Env),
		MetricName:      jsii.String("ReconcileMismatch"),
		MetricValue:     jsii.String("1"),
	})
	hour := awscdk.Duration_Hours(jsii.Number(1))
	alarm := func(id, description string, metric awscloudwatch.IMetric) awscloudwatch.Alarm {
		return anyAlarm(r.Construct, topic, id, description, metric, 1)
	}
	return []awscloudwatch.Alarm{
		alarm("MismatchAlarm", fmt.Sprintf("The payment reconciliation found the provider's money and the orders disagreeing: each "+
			"log line %q names the order, the payment, the kind (money without a PAID order, a PAID order without money, a "+
			"refund owed) and the amounts (docs/adr/0701).", orders.MismatchMessage),
			filter.Metric(&awscloudwatch.MetricOptions{Statistic: jsii.String("Sum"), Period: hour})),
		alarm("FailingAlarm", "A payment reconciliation run failed (the provider or the table did not answer): its window is read "+
			"again by the next run; invoke the function to run it now.",
			r.Function.MetricErrors(&awscloudwatch.MetricOptions{Statistic: jsii.String("Sum"), Period: hour})),
	}
}
