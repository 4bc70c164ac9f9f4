package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsstepfunctions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"bilhetagem/internal/operations"
	"bilhetagem/internal/workflow"
)

// PurchaseStepWorker is the step worker's folder under the workers
// directory (cmd/purchase-step, built by `make build`).
const PurchaseStepWorker = "purchase-step"

// WorkflowProps configure the Workflow construct.
type WorkflowProps struct {
	// Definition is the ASL with its ${...} substitutions
	// (workflow.PurchaseASL): the same file the local run executes.
	Definition string
	// WorkerDir holds the step worker's bootstrap.
	WorkerDir string
	Table     awsdynamodb.ITable
	Indexes   []string
	Settings  Settings
}

// Workflow is the purchase state machine and its step worker Lambda.
type Workflow struct {
	constructs.Construct
	StateMachine awsstepfunctions.StateMachine
	Worker       awslambda.Function
	Logs         awslogs.LogGroup
}

// CheckWorkerDir reports a missing step worker bootstrap, so a synth before
// `make build` fails with a useful message.
func CheckWorkerDir(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, "bootstrap")); err != nil {
		return fmt.Errorf("no bootstrap in %s: run `make build` first", dir)
	}
	return nil
}

// NewWorkflow builds the purchase workflow: a STANDARD state machine (Express
// cannot wait for a task token) from the one ASL definition, with the step
// worker's ARN substituted, execution logs (ALL) in its own log group and
// X-Ray tracing; its role may invoke the step worker and nothing else. The
// worker reads and writes the table like a ReadWrite operation.
func NewWorkflow(scope constructs.Construct, id string, props WorkflowProps) *Workflow {
	c := constructs.NewConstruct(scope, jsii.String(id))
	s := props.Settings
	removal := awscdk.RemovalPolicy_DESTROY
	if s.Retain() {
		removal = awscdk.RemovalPolicy_RETAIN
	}
	retention := retentionDays(s.LogRetentionDays)

	workerLogs := awslogs.NewLogGroup(c, jsii.String("WorkerLogs"), &awslogs.LogGroupProps{Retention: retention, RemovalPolicy: removal})
	role := awsiam.NewRole(c, jsii.String("WorkerRole"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		Description: jsii.String("the purchase workflow's step worker"),
	})
	workerLogs.GrantWrite(role)
	grantTable(role, props.Table, props.Indexes, operations.ReadWrite)
	env := map[string]*string{
		"TABLE_NAME":                props.Table.TableName(),
		"SALES_CLOSE_AFTER_MINUTES": jsii.String(strconv.Itoa(s.SalesCloseAfterMinutes)),
		"LOG_LEVEL":                 jsii.String(s.LogLevel),
	}
	worker := awslambda.NewFunction(c, jsii.String("Worker"), &awslambda.FunctionProps{
		Description:   jsii.String("purchase workflow: runs one completion step for an order (cmd/purchase-step)"),
		Runtime:       awslambda.Runtime_PROVIDED_AL2023(),
		Architecture:  awslambda.Architecture_ARM_64(),
		Handler:       jsii.String("bootstrap"),
		Code:          awslambda.Code_FromAsset(jsii.String(props.WorkerDir), nil),
		MemorySize:    jsii.Number(256),
		Timeout:       awscdk.Duration_Seconds(jsii.Number(25)), // under the tasks' TimeoutSeconds
		Environment:   &env,
		LogGroup:      workerLogs,
		LoggingFormat: awslambda.LoggingFormat_JSON,
		Tracing:       awslambda.Tracing_ACTIVE,
		Role:          role,
	})

	logs := awslogs.NewLogGroup(c, jsii.String("Logs"), &awslogs.LogGroupProps{Retention: retention, RemovalPolicy: removal})
	sm := awsstepfunctions.NewStateMachine(c, jsii.String("StateMachine"), &awsstepfunctions.StateMachineProps{
		Comment:                 jsii.String("bilhetagem " + s.Env + ": purchase workflow (internal/workflow/purchase.asl.json)"),
		StateMachineType:        awsstepfunctions.StateMachineType_STANDARD,
		DefinitionBody:          awsstepfunctions.DefinitionBody_FromString(jsii.String(props.Definition)),
		DefinitionSubstitutions: &map[string]*string{workflow.StepFunctionArn: worker.FunctionArn()},
		Logs: &awsstepfunctions.LogOptions{
			Destination:          logs,
			Level:                awsstepfunctions.LogLevel_ALL,
			IncludeExecutionData: jsii.Bool(true), // order ids and step names, no buyer data
		},
		TracingEnabled: jsii.Bool(true),
	})
	// The definition invokes the unqualified function ARN only; grantInvoke
	// would add "<arn>:*" (every version and alias) as well.
	sm.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings("lambda:InvokeFunction"),
		Resources: jsii.Strings(*worker.FunctionArn()),
	}))
	// The worker answers a payment wait whose payment is decided already.
	// A policy of its own, not the role's default one: the function depends
	// on that, the state machine on the function, and this on the machine.
	awsiam.NewPolicy(c, jsii.String("WorkerTaskResponse"), &awsiam.PolicyProps{
		Roles:      &[]awsiam.IRole{role},
		Statements: &[]awsiam.PolicyStatement{taskStatement(sm, "states:SendTaskSuccess")},
	})
	return &Workflow{Construct: c, StateMachine: sm, Worker: worker, Logs: logs}
}

// PurchaseStateMachineEnv tells a function the purchase state machine; with
// it, internal/app completes orders through Step Functions (internal/sfn).
const PurchaseStateMachineEnv = "PURCHASE_STATE_MACHINE_ARN"

// WorkflowActions are the Step Functions calls each operation's function
// makes (internal/sfn): createOrder starts the order's execution; a
// payment's answer (createPayment, the PSP's webhook) and a cancellation end
// the execution's payment wait, or start the execution when none waits.
// SendTaskFailure is never called: a declined or late payment is a success
// of the wait, routed by Decide.
var WorkflowActions = map[string][]string{
	operations.CreateOrder:       {"states:StartExecution"},
	operations.CreatePayment:     {"states:StartExecution", "states:SendTaskSuccess"},
	operations.ReceivePspWebhook: {"states:StartExecution", "states:SendTaskSuccess"},
	operations.CancelOrder:       {"states:StartExecution", "states:SendTaskSuccess"},
}

// Drive gives the functions of WorkflowActions the state machine's ARN and
// their calls on it, on that machine only.
func (w *Workflow) Drive(fns []Function) {
	for _, f := range fns {
		actions, ok := WorkflowActions[f.Op.ID]
		if !ok {
			continue
		}
		f.Fn.AddEnvironment(jsii.String(PurchaseStateMachineEnv), w.StateMachine.StateMachineArn(), nil)
		f.Fn.AddToRolePolicy(taskStatement(w.StateMachine, actions...))
	}
}

// taskStatement allows Step Functions calls on one state machine. Task
// token calls are authorized against the machine whose execution issued
// the token (an AccessDenied names it), as CDK's grantTaskResponse scopes
// them.
func taskStatement(sm awsstepfunctions.StateMachine, actions ...string) awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings(actions...),
		Resources: jsii.Strings(*sm.StateMachineArn()),
	})
}
