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
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// PlannerWorker names the scaling planner Lambda's bootstrap folder
// (cmd/planner, built by `make build` into bin/workers/planner).
const PlannerWorker = "planner"

// ScalingTargetTag tags the hot aliases' scalable targets with the stack's
// name; the planner may change the scheduled actions of those targets only.
const ScalingTargetTag = "bilhetagem:scaling-target"

// MaxProvisionedConcurrency is the hot aliases' registered ceiling; the
// planner's scheduled actions move minimum and maximum together below it.
const MaxProvisionedConcurrency = 500

// PlannerPeriod is how often the schedule runs the planner (the
// waiting-room lookahead of internal/scaling matches it).
const PlannerPeriod = 15

// PlannerAlarmPrefix starts the name of every CloudWatch alarm the planner
// puts for a window ("<prefix><window id>-p99"); its grant to put and delete
// alarms covers these names only, never the stack's own alarms.
func PlannerAlarmPrefix(env string) string { return "bilhetagem-" + env + "-premiere-" }

// ScalingProps configure the Scaling construct.
type ScalingProps struct {
	Api   *Api
	Table awsdynamodb.ITable
	// Indexes are the table's GSI names, which the planner queries.
	Indexes []string
	// PlannerDir holds the planner's bootstrap.
	PlannerDir string
	Settings   Settings
}

// Scaling is the predictive scaling of issue 9 in AWS: a scalable target on
// every hot operation's alias, and the planner Lambda that an EventBridge
// schedule runs to put the plan's provisioned concurrency as Application
// Auto Scaling scheduled actions, to raise the table's warm throughput, to
// keep each window's alarms at its thresholds and to switch the waiting
// room (docs/adr/0404).
type Scaling struct {
	constructs.Construct
	Planner awslambda.Function
	Role    awsiam.Role
	Rule    awsevents.Rule
	// Targets are the hot operations' scalable target resource ids,
	// "function:<name>:live", by operation id.
	Targets map[string]*string
}

// NewScaling builds the scalable targets, the planner and its schedule.
func NewScaling(scope constructs.Construct, id string, props ScalingProps) *Scaling {
	c := constructs.NewConstruct(scope, jsii.String(id))
	stack := awscdk.Stack_Of(c)
	s := props.Settings
	removal := awscdk.RemovalPolicy_DESTROY
	if s.Retain() {
		removal = awscdk.RemovalPolicy_RETAIN
	}
	out := &Scaling{Construct: c, Targets: map[string]*string{}}
	for _, f := range props.Api.Functions {
		if f.Alias == nil {
			continue
		}
		// Registered from 0: nothing is provisioned (nor paid) outside the
		// plan's windows.
		f.Alias.AddAutoScaling(&awslambda.AutoScalingOptions{MinCapacity: jsii.Number(0), MaxCapacity: jsii.Number(MaxProvisionedConcurrency)})
		awscdk.Tags_Of(f.Alias).Add(jsii.String(ScalingTargetTag), stack.StackName(), nil)
		out.Targets[f.Op.ID] = jsii.String("function:" + *f.Alias.FunctionName())
	}

	logs := awslogs.NewLogGroup(c, jsii.String("PlannerLogs"), &awslogs.LogGroupProps{
		Retention: retentionDays(s.LogRetentionDays), RemovalPolicy: removal,
	})
	role := awsiam.NewRole(c, jsii.String("PlannerRole"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		Description: jsii.String("the scaling planner: reads the catalog and the plan, writes the waiting-room settings, schedules provisioned concurrency, raises the table's warm throughput, keeps the windows' alarms"),
	})
	logs.GrantWrite(role)
	// The table: the reads of classification and planning, and PutItem for
	// the waiting-room settings (a conditional put over their version).
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings(append(append([]string{}, tableReadActions...), "dynamodb:PutItem")...),
		Resources: jsii.Strings(*props.Table.TableArn()),
	}))
	// Warm throughput: the planner reads the table's and raises it ahead of
	// a window (UpdateTable on this table only).
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings("dynamodb:DescribeTable", "dynamodb:UpdateTable"),
		Resources: jsii.Strings(*props.Table.TableArn()),
	}))
	// The windows' alarms: put and deleted under the planner's prefix only.
	prefix := PlannerAlarmPrefix(s.Env)
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions: jsii.Strings("cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms"),
		Resources: jsii.Strings(*awscdk.Fn_Sub(jsii.String(
			"arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:"+prefix+"*"), nil)),
	}))
	var indexArns []string
	for _, ix := range props.Indexes {
		indexArns = append(indexArns, *props.Table.TableArn()+"/index/"+ix)
	}
	if len(indexArns) > 0 {
		role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions: jsii.Strings("dynamodb:Query"), Resources: jsii.Strings(indexArns...),
		}))
	}
	// Scheduled actions of this stack's scalable targets only: their ARNs
	// carry an id CloudFormation does not return, so they are matched by
	// the tag every one of them carries.
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions: jsii.Strings("application-autoscaling:PutScheduledAction", "application-autoscaling:DeleteScheduledAction"),
		Resources: jsii.Strings(*awscdk.Fn_Sub(jsii.String(
			"arn:${AWS::Partition}:application-autoscaling:${AWS::Region}:${AWS::AccountId}:scalable-target/*"), nil)),
		Conditions: &map[string]any{"StringEquals": map[string]any{"aws:ResourceTag/" + ScalingTargetTag: stack.StackName()}},
	}))
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions: jsii.Strings("application-autoscaling:DescribeScalableTargets", "application-autoscaling:DescribeScheduledActions",
			"cloudwatch:DescribeAlarms"),
		Resources: jsii.Strings("*"),
	}))

	targets := map[string]any{}
	for op, rid := range out.Targets {
		targets[op] = rid
	}
	env := map[string]*string{
		"TABLE_NAME":      props.Table.TableName(),
		"LOG_LEVEL":       jsii.String(s.LogLevel),
		"SCALING_TARGETS": stack.ToJsonString(targets, nil),
		"PLAN_DAYS":       jsii.String(strconv.Itoa(14)),
		"API_ID":          props.Api.HttpApi.ApiId(),
		"ALARM_PREFIX":    jsii.String(prefix),
		// ALARM_TOPIC_ARN: AlarmTo, once the alarm topic exists.
	}
	fn := awslambda.NewFunction(c, jsii.String("Planner"), &awslambda.FunctionProps{
		Description:  jsii.String("scaling planner: applies the scaling plan (provisioned concurrency, warm throughput, window alarms, waiting room) every 15 minutes"),
		Runtime:      awslambda.Runtime_PROVIDED_AL2023(),
		Architecture: awslambda.Architecture_ARM_64(),
		Handler:      jsii.String("bootstrap"),
		Code:         awslambda.Code_FromAsset(jsii.String(props.PlannerDir), nil),
		MemorySize:   jsii.Number(256),
		Timeout:      awscdk.Duration_Seconds(jsii.Number(60)),
		// One run at a time: two would race on the same scheduled actions.
		ReservedConcurrentExecutions: jsii.Number(1),
		Environment:                  &env,
		LogGroup:                     logs,
		LoggingFormat:                awslambda.LoggingFormat_JSON,
		Role:                         role,
	})
	rule := awsevents.NewRule(c, jsii.String("Schedule"), &awsevents.RuleProps{
		Description: jsii.String("runs the scaling planner"),
		Schedule:    awsevents.Schedule_Rate(awscdk.Duration_Minutes(jsii.Number(PlannerPeriod))),
	})
	rule.AddTarget(awseventstargets.NewLambdaFunction(fn, &awseventstargets.LambdaFunctionProps{
		RetryAttempts: jsii.Number(2),
		MaxEventAge:   awscdk.Duration_Minutes(jsii.Number(PlannerPeriod)),
	}))
	out.Planner, out.Role, out.Rule = fn, role, rule
	if policy := role.Node().TryFindChild(jsii.String("DefaultPolicy")); policy != nil {
		nag(policy, "AwsSolutions-IAM5",
			"Application Auto Scaling's DescribeScalableTargets and DescribeScheduledActions support no resource-level "+
				"permissions (Service Authorization Reference, AWS Application Auto Scaling); they only read. CloudWatch's "+
				"DescribeAlarms lists by name prefix, which names no single alarm, so it is granted on \"*\"; it only reads. "+
				"Put/DeleteScheduledAction name the scalable-target ARN pattern of this account and region, because the target "+
				"ids inside those ARNs are generated and not returned by CloudFormation, and are narrowed by the "+
				"aws:ResourceTag condition to the targets this stack tags (the hot functions' live aliases). "+
				"PutMetricAlarm/DeleteAlarms name the alarms of this account and region whose names start with the planner's "+
				"own prefix ("+prefix+"): the planner makes those alarms per window and cannot touch any other.",
			"Resource::*",
			"Resource::arn:<AWS::Partition>:application-autoscaling:<AWS::Region>:<AWS::AccountId>:scalable-target/*",
			"Resource::arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:"+prefix+"*")
	}
	return out
}

// AlarmTo gives the planner the stack's alarm topic, which its window alarms
// notify (ALARM_TOPIC_ARN). The planner needs no publish right: CloudWatch
// publishes, as it does for the stack's own alarms.
func (s *Scaling) AlarmTo(topic awssns.ITopic) {
	s.Planner.AddEnvironment(jsii.String("ALARM_TOPIC_ARN"), topic.TopicArn(), nil)
}
