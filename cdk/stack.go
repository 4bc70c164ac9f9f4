package main

import (
	"fmt"
	"path/filepath"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"bilhetagem/internal/app"
	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/scaling"
	"bilhetagem/internal/workflow"
)

// StackProps configure the whole product's stack.
type StackProps struct {
	awscdk.StackProps
	Settings     Settings
	Operations   []operations.Operation
	Schema       dynamo.Schema
	FunctionsDir string
	// WorkerDir holds the purchase workflow's step worker bootstrap.
	WorkerDir string
	// PlannerDir holds the scaling planner's bootstrap; empty means the
	// PlannerWorker folder beside WorkerDir (bin/workers/planner).
	PlannerDir string
}

// Stack is bilhetagem in one stack: Data, Api, Workflow, Scaling, Web and Ops.
type Stack struct {
	awscdk.Stack
	Data     *Data
	Api      *Api
	Workflow *Workflow
	Sweeper  *Sweeper
	// Reconciliation is the daily payment reconciliation (docs/adr/0701),
	// in its own nested stack: with it the stack would pass the 450
	// resources at which ADR 0100 moves a feature out.
	Reconciliation      *Reconciliation
	ReconciliationStack awscdk.NestedStack
	// NoticeMail e-mails the buyers' notices through SES, from the table's
	// stream, in its own nested stack for the same reason.
	NoticeMail      *NoticeMail
	NoticeMailStack awscdk.NestedStack
	Secrets         *Secrets
	Scaling         *Scaling
	Web             *Web
	// Ops' alarm per API function is in a nested stack too,
	// Ops.FunctionAlarmsStack.
	Ops *Ops
}

// NewStack wires the constructs together.
func NewStack(scope constructs.Construct, id string, props StackProps) *Stack {
	sp := props.StackProps
	if sp.Description == nil {
		sp.Description = jsii.String("bilhetagem (" + props.Settings.Env + "): cinema ticketing for a São Paulo chain")
	}
	stack := awscdk.NewStack(scope, jsii.String(id), &sp)
	awscdk.Tags_Of(stack).Add(jsii.String("project"), jsii.String("bilhetagem"), nil)
	awscdk.Tags_Of(stack).Add(jsii.String("environment"), jsii.String(props.Settings.Env), nil)

	data := NewData(stack, "Data", DataProps{Schema: props.Schema, Retain: props.Settings.Retain()})
	var indexes []string
	for _, ix := range props.Schema.Indexes {
		indexes = append(indexes, ix.Name)
	}
	api := NewApi(stack, "Api", ApiProps{
		Indexes:      indexes,
		Operations:   props.Operations,
		FunctionsDir: props.FunctionsDir,
		Table:        data.Table,
		Settings:     props.Settings,
		// Provisioned concurrency needs an alias to scale (cdk/scaling.go).
		HotOperations: scaling.HotOperations,
	})
	wf := NewWorkflow(stack, "Workflow", WorkflowProps{
		Definition: workflow.PurchaseASL,
		WorkerDir:  props.WorkerDir,
		Table:      data.Table,
		Indexes:    indexes,
		Settings:   props.Settings,
	})
	wf.Drive(api.Functions)
	sweeper := NewSweeper(stack, "OrderSweeper", SweeperProps{
		Dir:   filepath.Join(filepath.Dir(props.WorkerDir), OrderSweeperWorker),
		Table: data.Table, Indexes: indexes, Settings: props.Settings,
	})
	nested := awscdk.NewNestedStack(stack, jsii.String("ReconciliationStack"), &awscdk.NestedStackProps{
		Description: jsii.String("bilhetagem (" + props.Settings.Env + "): the daily payment reconciliation"),
	})
	reconciliation := NewReconciliation(nested, "Reconciliation", ReconciliationProps{
		Dir:   filepath.Join(filepath.Dir(props.WorkerDir), ReconcileWorker),
		Table: data.Table, Indexes: indexes, Settings: props.Settings,
	})
	secrets := NewSecrets(stack, "Secrets", props.Settings)
	for _, f := range api.Functions {
		secrets.Share(f.Fn)
		secrets.SharePayments(f.Fn, f.Op.CallsProvider())
	}
	secrets.Share(wf.Worker)
	secrets.Share(sweeper.Function)
	secrets.SharePayments(wf.Worker, true)
	secrets.SharePayments(sweeper.Function, true)
	// It signs nothing: the provider's keys only, no shared key.
	secrets.SharePayments(reconciliation.Function, true)
	plannerDir := props.PlannerDir
	if plannerDir == "" {
		plannerDir = filepath.Join(filepath.Dir(props.WorkerDir), PlannerWorker)
	}
	sc := NewScaling(stack, "Scaling", ScalingProps{Api: api, Table: data.Table, Indexes: indexes, PlannerDir: plannerDir, Settings: props.Settings})
	web := NewWeb(stack, "Web", WebProps{APIDomain: api.Domain, Retain: props.Settings.Retain(), SPAConfig: props.Settings.SPAConfig()})
	if props.Settings.Payments == PaymentsSimulator {
		// The simulator's webhooks reach the API as a real provider's
		// do: signed, over HTTPS, through CloudFront, to the webhook's
		// own function. Only the functions that charge, refund or cancel
		// send them.
		webhook, _ := operations.ByID(operations.ReceivePspWebhook)
		url := jsii.String("https://" + *web.Distribution.DistributionDomainName() + "/api" + webhook.Path)
		senders := []awslambda.Function{wf.Worker, sweeper.Function}
		for _, f := range api.Functions {
			if f.Op.CallsProvider() {
				senders = append(senders, f.Fn)
			}
		}
		for _, fn := range senders {
			fn.AddEnvironment(jsii.String(app.WebhookURLEnv), url, nil)
		}
	}
	mailStack := awscdk.NewNestedStack(stack, jsii.String("NoticeMailStack"), &awscdk.NestedStackProps{
		Description: jsii.String("bilhetagem (" + props.Settings.Env + "): the buyers' notices by e-mail through SES"),
	})
	noticeMail := NewNoticeMail(mailStack, "NoticeMail", NoticeMailProps{
		Dir:   filepath.Join(filepath.Dir(props.WorkerDir), NoticeMailerWorker),
		Table: data.Table, Indexes: indexes, Settings: props.Settings,
		PublicURL: jsii.String("https://" + *web.Distribution.DistributionDomainName()),
	})
	ops := NewOps(stack, "Ops", OpsProps{Api: api, Table: data.Table, StateMachine: wf.StateMachine, Settings: props.Settings})
	ops.Alarms = append(ops.Alarms, NewPurchaseAlarms(stack, "PurchaseAlarms", PurchaseAlarmsProps{
		Workflow: wf, Sweeper: sweeper, Topic: ops.Topic, Settings: props.Settings})...)
	reconciliation.Alarms = reconciliation.AlarmTo(ops.Topic, props.Settings)
	noticeMail.Alarms = noticeMail.AlarmTo(ops.Topic)
	sc.AlarmTo(ops.Topic)

	out := func(id, value, description string) {
		awscdk.NewCfnOutput(stack, jsii.String(id), &awscdk.CfnOutputProps{Value: jsii.String(value), Description: jsii.String(description)})
	}
	outToken := func(id string, value *string, description string) {
		awscdk.NewCfnOutput(stack, jsii.String(id), &awscdk.CfnOutputProps{Value: value, Description: jsii.String(description)})
	}
	outToken("SiteUrl", jsii.String("https://"+*web.Distribution.DistributionDomainName()), "the SPA and, under /api, the API")
	outToken("ApiEndpoint", api.HttpApi.ApiEndpoint(), "the HTTP API without CloudFront (tests, SAM comparisons)")
	outToken("TableName", data.Table.TableName(), "TABLE_NAME for `make seed` against the real table")
	outToken("SiteBucketName", web.Bucket.BucketName(), "where the SPA build is uploaded")
	outToken("DistributionId", web.Distribution.DistributionId(), "for invalidations after an SPA upload")
	outToken("PurchaseStateMachineArn", wf.StateMachine.StateMachineArn(), "the purchase workflow")
	outToken("AlarmTopicArn", ops.Topic.TopicArn(), "subscribe on-call here")
	out("Environment", props.Settings.Env, "dev or prod")
	outToken("NoticeMailDeadLettersUrl", noticeMail.DeadLetters.QueueUrl(), "the notice mailer's dead letters (docs/deploy.md, E-mail)")
	if props.Settings.MailIdentityIsDomain() {
		// SES verifies the domain, and signs with DKIM, once these are in
		// its DNS.
		for i, r := range *noticeMail.Identity.DkimRecords() {
			outToken(fmt.Sprintf("MailDkimRecord%d", i+1), awscdk.Fn_Join(jsii.String(" "), jsii.Strings(*r.Name, "CNAME", *r.Value)),
				"a DNS record of "+props.Settings.MailIdentity+" for SES (docs/deploy.md, E-mail)")
		}
	}

	s := &Stack{Stack: stack, Data: data, Api: api, Workflow: wf, Sweeper: sweeper, Reconciliation: reconciliation, ReconciliationStack: nested,
		NoticeMail: noticeMail, NoticeMailStack: mailStack, Secrets: secrets, Scaling: sc, Web: web, Ops: ops}
	suppress(s)
	return s
}
