package main

import (
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"bilhetagem/internal/operations"
)

// OrderSweeperWorker is the order sweeper's folder under the workers
// directory (cmd/order-sweeper, built by `make build`).
const OrderSweeperWorker = "order-sweeper"

// SweeperProps configure the Sweeper construct.
type SweeperProps struct {
	// Dir holds the order sweeper's bootstrap.
	Dir      string
	Table    awsdynamodb.ITable
	Indexes  []string
	Settings Settings
}

// Sweeper is the purchase workflow's safety net: a Lambda that an
// EventBridge rule runs every minute to settle the orders still unsettled
// after their hold expired (docs/adr/0105).
type Sweeper struct {
	constructs.Construct
	Function awslambda.Function
	Rule     awsevents.Rule
	Logs     awslogs.LogGroup
}

// NewSweeper builds the sweeper function (arm64, provided.al2023, its own
// role and log group, table access as a ReadWrite operation: it queries the
// index and completes orders) and its schedule. The rule does not retry a
// failed sweep: the next one starts a minute later anyway.
func NewSweeper(scope constructs.Construct, id string, props SweeperProps) *Sweeper {
	c := constructs.NewConstruct(scope, jsii.String(id))
	s := props.Settings
	removal := awscdk.RemovalPolicy_DESTROY
	if s.Retain() {
		removal = awscdk.RemovalPolicy_RETAIN
	}
	logs := awslogs.NewLogGroup(c, jsii.String("Logs"), &awslogs.LogGroupProps{Retention: retentionDays(s.LogRetentionDays), RemovalPolicy: removal})
	role := awsiam.NewRole(c, jsii.String("Role"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		Description: jsii.String("the order sweeper"),
	})
	logs.GrantWrite(role)
	grantTable(role, props.Table, props.Indexes, operations.ReadWrite)
	env := map[string]*string{
		"TABLE_NAME":                props.Table.TableName(),
		"SALES_CLOSE_AFTER_MINUTES": jsii.String(strconv.Itoa(s.SalesCloseAfterMinutes)),
		"LOG_LEVEL":                 jsii.String(s.LogLevel),
	}
	fn := awslambda.NewFunction(c, jsii.String("Function"), &awslambda.FunctionProps{
		Description:  jsii.String("order sweeper: settles unsettled orders whose hold expired (cmd/order-sweeper)"),
		Runtime:      awslambda.Runtime_PROVIDED_AL2023(),
		Architecture: awslambda.Architecture_ARM_64(),
		Handler:      jsii.String("bootstrap"),
		Code:         awslambda.Code_FromAsset(jsii.String(props.Dir), nil),
		MemorySize:   jsii.Number(256),
		// Under the one-minute schedule, so sweeps rarely overlap (they may:
		// every step is idempotent).
		Timeout:       awscdk.Duration_Seconds(jsii.Number(55)),
		Environment:   &env,
		LogGroup:      logs,
		LoggingFormat: awslambda.LoggingFormat_JSON,
		Tracing:       awslambda.Tracing_ACTIVE,
		Role:          role,
	})
	rule := awsevents.NewRule(c, jsii.String("Schedule"), &awsevents.RuleProps{
		Description: jsii.String("bilhetagem " + s.Env + ": run the order sweeper every minute"),
		Schedule:    awsevents.Schedule_Rate(awscdk.Duration_Minutes(jsii.Number(1))),
	})
	rule.AddTarget(awseventstargets.NewLambdaFunction(fn, &awseventstargets.LambdaFunctionProps{
		RetryAttempts: jsii.Number(0),
	}))
	if policy := role.Node().TryFindChild(jsii.String("DefaultPolicy")); policy != nil {
		nag(policy, "AwsSolutions-IAM5",
			"X-Ray's PutTraceSegments and PutTelemetryRecords support no resource-level permissions; the statement holds "+
				"only those two actions, added by Tracing: ACTIVE on the order sweeper. Table and log access name their resources.",
			"Resource::*")
	}
	return &Sweeper{Construct: c, Function: fn, Rule: rule, Logs: logs}
}
