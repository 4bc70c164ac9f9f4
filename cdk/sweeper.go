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
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
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
	fn, logs := newWorker(c, workerProps{
		Name:        "the order sweeper",
		Description: "order sweeper: settles unsettled orders whose hold expired (cmd/order-sweeper)",
		Dir:         props.Dir,
		// Under the one-minute schedule, so sweeps rarely overlap (they may:
		// every step is idempotent).
		Timeout:  awscdk.Duration_Seconds(jsii.Number(55)),
		Env:      map[string]*string{"SALES_CLOSE_AFTER_MINUTES": jsii.String(strconv.Itoa(s.SalesCloseAfterMinutes))},
		Table:    props.Table,
		Settings: s,
		Grant:    func(role awsiam.Role) { grantTable(role, props.Table, props.Indexes, operations.ReadWrite) },
	})
	rule := awsevents.NewRule(c, jsii.String("Schedule"), &awsevents.RuleProps{
		Description: jsii.String("bilhetagem " + s.Env + ": run the order sweeper every minute"),
		Schedule:    awsevents.Schedule_Rate(awscdk.Duration_Minutes(jsii.Number(1))),
	})
	rule.AddTarget(awseventstargets.NewLambdaFunction(fn, &awseventstargets.LambdaFunctionProps{
		RetryAttempts: jsii.Number(0),
	}))
	return &Sweeper{Construct: c, Function: fn, Rule: rule, Logs: logs}
}

// workerProps is what differs between the scheduled workers' functions.
type workerProps struct {
	Name        string // "the order sweeper": the role's description and the nag's reason
	Description string // the function's
	Dir         string // the bootstrap's folder
	Timeout     awscdk.Duration
	Env         map[string]*string // beside TABLE_NAME and LOG_LEVEL
	Table       awsdynamodb.ITable
	Settings    Settings
	// Grant gives the role its table access.
	Grant func(awsiam.Role)
	// DeadLetterQueue, when set, receives the asynchronous invocations
	// that failed every retry (the notice mailer's SES events).
	DeadLetterQueue awssqs.IQueue
}

// newWorker is a scheduled worker's function under c: arm64,
// provided.al2023, 256 MB, X-Ray, JSON logs in its own log group, and a
// role of its own that writes only those logs and holds what Grant gives.
func newWorker(c constructs.Construct, p workerProps) (awslambda.Function, awslogs.LogGroup) {
	s := p.Settings
	removal := awscdk.RemovalPolicy_DESTROY
	if s.Retain() {
		removal = awscdk.RemovalPolicy_RETAIN
	}
	logs := awslogs.NewLogGroup(c, jsii.String("Logs"), &awslogs.LogGroupProps{Retention: retentionDays(s.LogRetentionDays), RemovalPolicy: removal})
	role := awsiam.NewRole(c, jsii.String("Role"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		Description: jsii.String(p.Name),
	})
	logs.GrantWrite(role)
	p.Grant(role)
	env := map[string]*string{"TABLE_NAME": p.Table.TableName(), "LOG_LEVEL": jsii.String(s.LogLevel)}
	for k, v := range p.Env {
		env[k] = v
	}
	fn := awslambda.NewFunction(c, jsii.String("Function"), &awslambda.FunctionProps{
		Description:   jsii.String(p.Description),
		Runtime:       awslambda.Runtime_PROVIDED_AL2023(),
		Architecture:  awslambda.Architecture_ARM_64(),
		Handler:       jsii.String("bootstrap"),
		Code:          awslambda.Code_FromAsset(jsii.String(p.Dir), nil),
		MemorySize:    jsii.Number(256),
		Timeout:       p.Timeout,
		Environment:   &env,
		LogGroup:      logs,
		LoggingFormat: awslambda.LoggingFormat_JSON,
		Tracing:       awslambda.Tracing_ACTIVE,
		Role:          role,
		// nil but for the notice mailer.
		DeadLetterQueue: p.DeadLetterQueue,
	})
	if policy := role.Node().TryFindChild(jsii.String("DefaultPolicy")); policy != nil {
		nag(policy, "AwsSolutions-IAM5",
			"X-Ray's PutTraceSegments and PutTelemetryRecords support no resource-level permissions; the statement holds "+
				"only those two actions, added by Tracing: ACTIVE on "+p.Name+". Table and log access name their resources.",
			"Resource::*")
	}
	return fn, logs
}
