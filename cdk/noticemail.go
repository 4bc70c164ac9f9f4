package main

import (
	"bilhetagem/internal/app"
	"bilhetagem/internal/dynamo"
	"fmt"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambdaeventsources"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsses"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// NoticeMailerWorker is the notice mailer's folder under the workers
// directory (cmd/notice-mailer, built by `make build`).
const NoticeMailerWorker = "notice-mailer"

// The notice mailer's environment, beside TABLE_NAME and LOG_LEVEL: the
// names the mailer reads (internal/app).
const (
	MailTransportEnv        = app.MailTransportEnv        // "ses" in AWS
	MailFromEnv             = app.MailFromEnv             // Settings.MailFrom
	MailConfigurationSetEnv = app.MailConfigurationSetEnv // the SES configuration set's name
	PublicURLEnv            = app.PublicURLEnv            // https://<the distribution's domain>, for links in the mails
	MailTransportSES        = "ses"
)

// NoticeMailerIndex is the one index the notice mailer queries.
const NoticeMailerIndex = "GSI1"

// NoticeMailerLeadingKeys are the only partitions the notice mailer writes:
// its send claims (idempotency) and the suppressed addresses.
var NoticeMailerLeadingKeys = []string{dynamo.EmailPrefix + "*", dynamo.SuppressPrefix + "*"}

// noticeMailerWriteActions are its writes, each under NoticeMailerLeadingKeys.
var noticeMailerWriteActions = []string{"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}

// NoticeStreamFilter is the Lambda event filter of the table's stream: only
// new or changed notices and orders invoke the mailer; every other write
// to the table (holds, seats, counters…) is dropped by Lambda unbilled.
var NoticeStreamFilter = map[string]any{
	"eventName": []string{"INSERT", "MODIFY"},
	"dynamodb": map[string]any{
		"NewImage": map[string]any{"Type": map[string]any{"S": []string{"NOTICE", "ORDER"}}},
	},
}

// NoticeMailProps configure the NoticeMail construct.
type NoticeMailProps struct {
	// Dir holds the notice mailer's bootstrap.
	Dir string
	// Table must have its stream on (cdk/data.go).
	Table   awsdynamodb.ITable
	Indexes []string
	// PublicURL is https:// and the CloudFront distribution's domain.
	PublicURL *string
	Settings  Settings
}

// NoticeMail e-mails the buyers their notices (a showtime cancelled or
// rescheduled, an order voided): the table's stream invokes the notice
// mailer, which sends through SES with a configuration set whose bounces,
// complaints and rejects come back to it through an SNS topic, so it
// suppresses those addresses.
type NoticeMail struct {
	constructs.Construct
	Function awslambda.Function
	Logs     awslogs.LogGroup
	// Identity is the sender's SES identity (Settings.MailIdentity).
	Identity         awsses.EmailIdentity
	ConfigurationSet awsses.ConfigurationSet
	EventDestination awsses.ConfigurationSetEventDestination
	// Events receives the configuration set's BOUNCE, COMPLAINT and
	// REJECT events; the function is subscribed to it.
	Events    awssns.Topic
	EventsKey awskms.Key
	// DeadLetters receives what failed every retry: a stream batch's
	// shard and sequence numbers (the mapping's on-failure destination),
	// and an SES event the function could not handle (its DLQ).
	DeadLetters awssqs.Queue
	// Stream is the event source mapping from the table's stream.
	Stream awslambdaeventsources.DynamoEventSource
	// Alarms are AlarmTo's: failed invocations, dead letters.
	Alarms []awscloudwatch.Alarm
}

// NewNoticeMail builds the mailer (arm64, provided.al2023, its own role
// and log group) with least privilege: it reads the table and its GSI1,
// writes only under the EMAIL# and SUPPRESS# leading keys, reads the
// stream, and sends only as the sender's identity with the configuration
// set. The SES side is the sender's identity (DKIM for a domain), the
// configuration set (TLS required, reputation metrics, suppression of
// bounces and complaints) and its event destination, an encrypted topic.
func NewNoticeMail(scope constructs.Construct, id string, props NoticeMailProps) *NoticeMail {
	if !slices.Contains(props.Indexes, NoticeMailerIndex) {
		panic(fmt.Sprintf("notice mail: the table has no index %s (it has %v)", NoticeMailerIndex, props.Indexes))
	}
	c := constructs.NewConstruct(scope, jsii.String(id))
	s := props.Settings
	stack := awscdk.Stack_Of(c)
	m := &NoticeMail{Construct: c}

	m.ConfigurationSet = awsses.NewConfigurationSet(c, jsii.String("ConfigurationSet"), &awsses.ConfigurationSetProps{
		ReputationMetrics:  jsii.Bool(true),
		SendingEnabled:     jsii.Bool(true),
		TlsPolicy:          awsses.ConfigurationSetTlsPolicy_REQUIRE,
		SuppressionReasons: awsses.SuppressionReasons_BOUNCES_AND_COMPLAINTS,
	})
	identity := awsses.Identity_Domain(jsii.String(s.MailIdentity))
	if !s.MailIdentityIsDomain() {
		identity = awsses.Identity_Email(jsii.String(s.MailIdentity))
	}
	m.Identity = awsses.NewEmailIdentity(c, jsii.String("Identity"), &awsses.EmailIdentityProps{
		Identity: identity,
		// The identity's default set: a send that names none still reports
		// its bounces and complaints.
		ConfigurationSet: m.ConfigurationSet,
	})

	// SES publishes to an encrypted topic only with a key it may use: the
	// AWS managed SNS key's policy admits no service.
	m.EventsKey = awskms.NewKey(c, jsii.String("EventsKey"), &awskms.KeyProps{
		Description:       jsii.String("bilhetagem " + s.Env + " SES bounce and complaint events"),
		EnableKeyRotation: jsii.Bool(true),
	})
	m.EventsKey.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("SESPublishesToTheEventsTopic"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("ses.amazonaws.com"), nil)},
		Actions:    jsii.Strings("kms:GenerateDataKey*", "kms:Decrypt"),
		Resources:  jsii.Strings("*"),
	}), nil)
	m.Events = awssns.NewTopic(c, jsii.String("Events"), &awssns.TopicProps{
		DisplayName: jsii.String("bilhetagem " + s.Env + " SES bounces and complaints"),
		MasterKey:   m.EventsKey,
		EnforceSSL:  jsii.Bool(true),
	})
	// Adds the topic policy that lets SES publish, for this configuration
	// set only (aws:SourceArn).
	m.EventDestination = awsses.NewConfigurationSetEventDestination(c, jsii.String("BouncesAndComplaints"), &awsses.ConfigurationSetEventDestinationProps{
		ConfigurationSet: m.ConfigurationSet,
		Destination:      awsses.EventDestination_SnsTopic(m.Events),
		Events: &[]awsses.EmailSendingEvent{
			awsses.EmailSendingEvent_BOUNCE, awsses.EmailSendingEvent_COMPLAINT, awsses.EmailSendingEvent_REJECT,
		},
	})

	m.DeadLetters = awssqs.NewQueue(c, jsii.String("DeadLetters"), &awssqs.QueueProps{
		Encryption:      awssqs.QueueEncryption_SQS_MANAGED,
		EnforceSSL:      jsii.Bool(true),
		RetentionPeriod: awscdk.Duration_Days(jsii.Number(14)),
	})

	// What the role may send: from the identity and, when the identity is
	// a domain, from the sender's address in it (SES checks the address's
	// identity ARN too), with the configuration set.
	senders := []string{*m.Identity.EmailIdentityArn()}
	if s.MailIdentityIsDomain() {
		senders = append(senders, *stack.FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("ses"), Resource: jsii.String("identity"), ResourceName: jsii.String(s.MailFrom),
		}))
	}
	configurationSetArn := stack.FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("ses"), Resource: jsii.String("configuration-set"), ResourceName: m.ConfigurationSet.ConfigurationSetName(),
	})
	tableArn := *props.Table.TableArn()
	fn, logs := newWorker(c, workerProps{
		Name:        "the notice mailer",
		Description: "notice mailer: e-mails the buyers' notices through SES, suppresses bounces and complaints (cmd/notice-mailer)",
		Dir:         props.Dir,
		// A batch of 25 notices, a read and a send each.
		Timeout: awscdk.Duration_Seconds(jsii.Number(30)),
		Env: map[string]*string{
			MailTransportEnv:        jsii.String(MailTransportSES),
			MailFromEnv:             jsii.String(s.MailFrom),
			MailConfigurationSetEnv: m.ConfigurationSet.ConfigurationSetName(),
			PublicURLEnv:            props.PublicURL,
		},
		Table:           props.Table,
		Settings:        s,
		DeadLetterQueue: m.DeadLetters,
		Grant: func(role awsiam.Role) {
			role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions:   jsii.Strings("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"),
				Resources: jsii.Strings(tableArn),
			}))
			role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions:   jsii.Strings("dynamodb:Query"),
				Resources: jsii.Strings(tableArn + "/index/" + NoticeMailerIndex),
			}))
			role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions:   jsii.Strings(noticeMailerWriteActions...),
				Resources: jsii.Strings(tableArn),
				Conditions: &map[string]any{
					"ForAllValues:StringLike": map[string]any{"dynamodb:LeadingKeys": NoticeMailerLeadingKeys},
				},
			}))
			role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions:   jsii.Strings("ses:SendEmail", "ses:SendRawEmail"),
				Resources: jsii.Strings(append(senders, *configurationSetArn)...),
			}))
		},
	})
	m.Function, m.Logs = fn, logs

	// TRIM_HORIZON, not LATEST: the stream and the mapping are created by
	// the same deployment, and the mapping starts polling some time after
	// the stream exists; LATEST would silently skip the notices written in
	// between (and those written while a replaced mapping was away).
	// Replaying up to the stream's 24 hours is harmless: the mailer claims
	// each send (EMAIL#) before it sends, and MaxRecordAge drops what is
	// too old to be worth a mail.
	m.Stream = awslambdaeventsources.NewDynamoEventSource(props.Table, &awslambdaeventsources.DynamoEventSourceProps{
		StartingPosition:        awslambda.StartingPosition_TRIM_HORIZON,
		BatchSize:               jsii.Number(25),
		BisectBatchOnError:      jsii.Bool(true),
		RetryAttempts:           jsii.Number(5),
		MaxRecordAge:            awscdk.Duration_Hours(jsii.Number(6)),
		ReportBatchItemFailures: jsii.Bool(true),
		OnFailure:               awslambdaeventsources.NewSqsDlq(m.DeadLetters),
		Filters:                 &[]*map[string]any{awslambda.FilterCriteria_Filter(&NoticeStreamFilter)},
	})
	fn.AddEventSource(m.Stream)
	m.Events.AddSubscription(awssnssubscriptions.NewLambdaSubscription(fn, nil))

	nag(fn.Role().Node().FindChild(jsii.String("DefaultPolicy")), "AwsSolutions-IAM5",
		"Two actions need Resource *: X-Ray's PutTraceSegments and PutTelemetryRecords (Tracing: ACTIVE), and "+
			"dynamodb:ListStreams, which the stream's event source mapping needs and which supports no resource-level "+
			"permissions. The stream's reads name the stream's ARN; the table's writes are under dynamodb:LeadingKeys "+
			"EMAIL#* and SUPPRESS#*; SES sends name the sender's identity and the configuration set.",
		"Resource::*")
	return m
}

// AlarmTo watches the notice mailer, publishing to topic (alarm and OK): an
// invocation that failed (a batch is then retried, bisected and at last
// sent to the dead letters), and anything in the dead letters, each a
// notice that may not have been mailed.
func (m *NoticeMail) AlarmTo(topic awssns.ITopic) []awscloudwatch.Alarm {
	five := awscdk.Duration_Minutes(jsii.Number(5))
	alarm := func(id, description string, metric awscloudwatch.IMetric) awscloudwatch.Alarm {
		return anyAlarm(m.Construct, topic, id, description, metric, 1)
	}
	return []awscloudwatch.Alarm{
		alarm("FailingAlarm", "The notice mailer failed an invocation (the table, SES or the mail's rendering): a stream batch "+
			"is retried and bisected, an SES bounce or complaint event retried twice; what still fails lands in its dead "+
			"letters. Its log says which notice or event.",
			m.Function.MetricErrors(&awscloudwatch.MetricOptions{Statistic: jsii.String("Sum"), Period: five})),
		alarm("DeadLettersAlarm", "The notice mailer gave up: its dead-letter queue holds a stream batch (shard and sequence "+
			"numbers of notices maybe never mailed; the stream keeps them 24 hours) or an SES event whose address was not "+
			"suppressed (docs/deploy.md, E-mail).",
			m.DeadLetters.MetricApproximateNumberOfMessagesVisible(&awscloudwatch.MetricOptions{Statistic: jsii.String("Maximum"), Period: five})),
	}
}
