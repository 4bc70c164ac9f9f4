package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/dynamo"
)

// mailStatement is one statement of a policy, its Action and Resource as
// lists.
type mailStatement struct {
	Actions   []string
	Resources []any
	Condition any
	Effect    any
}

func statementsOf(t *testing.T, tplPolicies map[string]map[string]any, roleID string) []mailStatement {
	t.Helper()
	var out []mailStatement
	for _, pol := range tplPolicies {
		pp := props(pol)
		if !containsRef(pp["Roles"], roleID) {
			continue
		}
		for _, raw := range pp["PolicyDocument"].(map[string]any)["Statement"].([]any) {
			st := raw.(map[string]any)
			ms := mailStatement{Condition: st["Condition"], Effect: st["Effect"]}
			switch a := st["Action"].(type) {
			case string:
				ms.Actions = []string{a}
			case []any:
				for _, x := range a {
					ms.Actions = append(ms.Actions, x.(string))
				}
			}
			switch r := st["Resource"].(type) {
			case []any:
				ms.Resources = r
			default:
				ms.Resources = []any{r}
			}
			out = append(out, ms)
		}
	}
	return out
}

// sesArn is how the nested template spells an SES ARN in sa-east-1.
func sesArn(resource string, name any) any {
	parts := []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":ses:sa-east-1:", map[string]any{"Ref": "AWS::AccountId"}, ":" + resource + "/"}
	if s, ok := name.(string); ok {
		parts[len(parts)-1] = parts[len(parts)-1].(string) + s
	} else {
		parts = append(parts, name)
	}
	return map[string]any{"Fn::Join": []any{"", parts}}
}

func mailIDs(t *testing.T, s *synthed) (fn, role, queue, topic, configSet, identity string) {
	t.Helper()
	ms, m := s.stack.NoticeMailStack, s.stack.NoticeMail
	return nestedID(t, ms, m.Function.Node().DefaultChild()),
		nestedID(t, ms, m.Function.Role().Node().DefaultChild()),
		nestedID(t, ms, m.DeadLetters.Node().DefaultChild()),
		nestedID(t, ms, m.Events.Node().DefaultChild()),
		nestedID(t, ms, m.ConfigurationSet.Node().DefaultChild()),
		nestedID(t, ms, m.Identity.Node().DefaultChild())
}

func TestTheTableStreamsNewAndOldImages(t *testing.T) {
	s := synth(t, "prod")
	tableID := logicalID(t, s, s.stack.Data.Table.Node().DefaultChild())
	assert.Equal(t, map[string]any{"StreamViewType": "NEW_AND_OLD_IMAGES"}, props(s.resources("AWS::DynamoDB::Table")[tableID])["StreamSpecification"])
	assert.Contains(t, s.resources("AWS::CloudFormation::Stack"), logicalID(t, s, s.stack.NoticeMailStack.NestedStackResource()),
		"the notice mail is a nested stack of its own")
	assert.Len(t, s.nestedResources(s.stack.NoticeMailStack, "AWS::Lambda::Function"), 1, "the notice mailer, and no CDK helper")
}

func TestNoticeMailerIsInvokedByNewNoticesAndOrdersOnTheStream(t *testing.T) {
	s := synth(t, "dev")
	ms := s.stack.NoticeMailStack
	fnID, _, queueID, _, _, _ := mailIDs(t, s)
	mappings := s.nestedResources(ms, "AWS::Lambda::EventSourceMapping")
	require.Len(t, mappings, 1)
	var p map[string]any
	for _, m := range mappings {
		p = props(m)
	}
	assert.Equal(t, map[string]any{"Ref": fnID}, p["FunctionName"])
	tableID := logicalID(t, s, s.stack.Data.Table.Node().DefaultChild())
	assert.Equal(t, map[string]any{"Fn::GetAtt": []any{tableID, "StreamArn"}}, parentValue(t, s, ms, p["EventSourceArn"]), "the table's stream")
	assert.Equal(t, "TRIM_HORIZON", p["StartingPosition"], "no notice written before the mapping polls is skipped")
	assert.EqualValues(t, 25, p["BatchSize"])
	assert.Equal(t, true, p["BisectBatchOnFunctionError"])
	assert.EqualValues(t, 5, p["MaximumRetryAttempts"])
	assert.EqualValues(t, 6*3600, p["MaximumRecordAgeInSeconds"])
	assert.Equal(t, []any{"ReportBatchItemFailures"}, p["FunctionResponseTypes"], "the mailer reports batchItemFailures")
	assert.Equal(t, map[string]any{"OnFailure": map[string]any{"Destination": map[string]any{"Fn::GetAtt": []any{queueID, "Arn"}}}},
		p["DestinationConfig"], "what fails every retry goes to the dead letters")

	filters := p["FilterCriteria"].(map[string]any)["Filters"].([]any)
	require.Len(t, filters, 1, "one pattern: a record matching none is dropped")
	var pattern any
	require.NoError(t, json.Unmarshal([]byte(filters[0].(map[string]any)["Pattern"].(string)), &pattern))
	var want any
	require.NoError(t, json.Unmarshal([]byte(`{"eventName":["INSERT","MODIFY"],"dynamodb":{"NewImage":{"Type":{"S":["NOTICE","ORDER"]}}}}`), &want))
	assert.Equal(t, want, pattern)
}

func TestNoticeMailerEnvironmentNamesTheSenderTheSetAndTheSite(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			s := synth(t, env)
			ms := s.stack.NoticeMailStack
			fnID, _, queueID, _, csID, _ := mailIDs(t, s)
			p := props(s.nestedResources(ms, "AWS::Lambda::Function")[fnID])
			require.NotNil(t, p)
			assert.Equal(t, "provided.al2023", p["Runtime"])
			assert.Equal(t, []any{"arm64"}, p["Architectures"])
			assert.EqualValues(t, 256, p["MemorySize"])
			assert.EqualValues(t, 30, p["Timeout"])
			assert.Equal(t, map[string]any{"Mode": "Active"}, p["TracingConfig"])
			logsID := nestedID(t, ms, s.stack.NoticeMail.Logs.Node().DefaultChild())
			assert.Equal(t, map[string]any{"Ref": logsID}, p["LoggingConfig"].(map[string]any)["LogGroup"])
			assert.EqualValues(t, 30, props(s.nestedResources(ms, "AWS::Logs::LogGroup")[logsID])["RetentionInDays"], "the configured retention")
			assert.Equal(t, map[string]any{"TargetArn": map[string]any{"Fn::GetAtt": []any{queueID, "Arn"}}}, p["DeadLetterConfig"],
				"an SES event that failed its retries is kept")

			vars := p["Environment"].(map[string]any)["Variables"].(map[string]any)
			tableID := logicalID(t, s, s.stack.Data.Table.Node().DefaultChild())
			assert.Equal(t, map[string]any{"Ref": tableID}, parentValue(t, s, ms, vars["TABLE_NAME"]), "as the other workers")
			assert.Equal(t, "info", vars["LOG_LEVEL"])
			assert.Equal(t, "ses", vars["MAIL_TRANSPORT"])
			mailFrom := cdkJSONEnvironment(env).MailFrom
			require.NotEmpty(t, mailFrom, "cdk.json gives %s a mailFrom", env)
			assert.Equal(t, mailFrom, vars["MAIL_FROM"], "cdk.json's mailFrom")
			assert.Equal(t, map[string]any{"Ref": csID}, vars["MAIL_CONFIGURATION_SET"], "the configuration set's (generated) name")
			url, _ := vars["PUBLIC_URL"].(map[string]any)["Fn::Join"].([]any)
			require.Len(t, url, 2, "PUBLIC_URL is https:// and the distribution's domain")
			parts := url[1].([]any)
			require.Len(t, parts, 2)
			assert.Equal(t, "https://", parts[0])
			distID := logicalID(t, s, s.stack.Web.Distribution.Node().DefaultChild())
			assert.Equal(t, map[string]any{"Fn::GetAtt": []any{distID, "DomainName"}}, parentValue(t, s, ms, parts[1]))
			for k := range vars {
				assert.NotRegexp(t, `SECRET|STRIPE|PSP_`, k, "it signs nothing and moves no money")
			}
		})
	}
}

func TestNoticeMailerHoldsLeastPrivilege(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			s := synth(t, env)
			ms := s.stack.NoticeMailStack
			_, roleID, queueID, _, csID, identityID := mailIDs(t, s)
			policies := s.nestedResources(ms, "AWS::IAM::Policy")
			stmts := statementsOf(t, policies, roleID)
			require.NotEmpty(t, stmts)
			tableID := logicalID(t, s, s.stack.Data.Table.Node().DefaultChild())
			tableArn := map[string]any{"Fn::GetAtt": []any{tableID, "Arn"}}

			var writes, reads, indexReads, sends []string
			var sesResources []any
			for _, st := range stmts {
				assert.Equal(t, "Allow", st.Effect)
				for _, a := range st.Actions {
					assert.NotContains(t, []string{"*", "dynamodb:*", "ses:*", "sqs:*", "sns:*"}, a, "no wildcard action")
					assert.NotEqual(t, "dynamodb:Scan", a)
					assert.NotEqual(t, "dynamodb:BatchWriteItem", a, "a batch write has no per-item leading key")
				}
				if slices.Contains(st.Resources, any("*")) {
					require.Len(t, st.Resources, 1)
					for _, a := range st.Actions {
						assert.Regexp(t, `^(xray:Put(TraceSegments|TelemetryRecords)|dynamodb:ListStreams)$`, a,
							"only X-Ray and ListStreams have no resource-level permissions (nag.go's reason)")
					}
					continue
				}
				var stWrites []string
				for _, a := range st.Actions {
					switch {
					case writeActions.MatchString(a):
						stWrites = append(stWrites, a)
					case strings.HasPrefix(a, "ses:"):
						sends = append(sends, a)
					}
				}
				if len(stWrites) > 0 {
					assert.Equal(t, st.Actions, stWrites, "writes alone in their statement")
					assert.Equal(t, map[string]any{"ForAllValues:StringLike": map[string]any{"dynamodb:LeadingKeys": []any{"EMAIL#*", "SUPPRESS#*"}}},
						st.Condition, "writes only the send claims and the suppressions")
					require.Len(t, st.Resources, 1)
					assert.Equal(t, tableArn, parentValue(t, s, ms, st.Resources[0]))
					writes = append(writes, stWrites...)
					continue
				}
				assert.Nil(t, st.Condition, "%v", st.Actions)
				if slices.ContainsFunc(st.Actions, func(a string) bool { return strings.HasPrefix(a, "ses:") }) {
					assert.ElementsMatch(t, []string{"ses:SendEmail", "ses:SendRawEmail"}, st.Actions, "SES: sending only")
					sesResources = append(sesResources, st.Resources...)
					continue
				}
				raw := mustJSON(t, st.Resources)
				switch {
				case slices.Contains(st.Actions, "dynamodb:GetRecords"):
					assert.ElementsMatch(t, []string{"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"}, st.Actions)
					require.Len(t, st.Resources, 1)
					assert.Equal(t, map[string]any{"Fn::GetAtt": []any{tableID, "StreamArn"}}, parentValue(t, s, ms, st.Resources[0]), "the table's stream")
				case strings.Contains(raw, "/index/"):
					assert.Equal(t, []string{"dynamodb:Query"}, st.Actions)
					require.Len(t, st.Resources, 1)
					join := st.Resources[0].(map[string]any)["Fn::Join"].([]any)[1].([]any)
					assert.Equal(t, tableArn, parentValue(t, s, ms, join[0]))
					assert.Equal(t, "/index/"+NoticeMailerIndex, join[1], "GSI1 and no other index")
					indexReads = append(indexReads, st.Actions...)
				case slices.ContainsFunc(st.Actions, func(a string) bool { return strings.HasPrefix(a, "dynamodb:") }):
					require.Len(t, st.Resources, 1)
					assert.Equal(t, tableArn, parentValue(t, s, ms, st.Resources[0]))
					reads = append(reads, st.Actions...)
				case slices.ContainsFunc(st.Actions, func(a string) bool { return strings.HasPrefix(a, "sqs:") }):
					assert.Equal(t, []any{map[string]any{"Fn::GetAtt": []any{queueID, "Arn"}}}, st.Resources, "the dead letters")
					for _, a := range st.Actions {
						assert.Contains(t, []string{"sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"}, a)
					}
				default:
					assert.Equal(t, []string{"logs:CreateLogStream", "logs:PutLogEvents"}, st.Actions, "its own log group: %s", raw)
				}
			}
			assert.ElementsMatch(t, []string{"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}, writes)
			assert.ElementsMatch(t, []string{"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"}, reads)
			assert.Equal(t, []string{"dynamodb:Query"}, indexReads)
			assert.ElementsMatch(t, []string{"ses:SendEmail", "ses:SendRawEmail"}, sends, "in one statement")
			mailFrom := cdkJSONEnvironment(env).MailFrom
			want := []any{sesArn("identity", map[string]any{"Ref": identityID}), sesArn("configuration-set", map[string]any{"Ref": csID})}
			if testSettings(env).MailIdentityIsDomain() {
				want = append(want, sesArn("identity", mailFrom))
			}
			assert.ElementsMatch(t, want, sesResources, "the sender's identity and the configuration set, nothing else")

			// No other role in the nested stack, and the nag suppression
			// names what Resource * is for.
			roles := s.nestedResources(ms, "AWS::IAM::Role")
			assert.Len(t, roles, 1, "the mailer's role only")
			md := mustJSON(t, policies)
			assert.Contains(t, md, "dynamodb:ListStreams, which the stream's event source mapping needs")
		})
	}
}

func TestNoticeMailSESIdentityConfigurationSetAndBounceEvents(t *testing.T) {
	s := synth(t, "prod")
	ms := s.stack.NoticeMailStack
	fnID, _, _, topicID, csID, identityID := mailIDs(t, s)

	id := props(s.nestedResources(ms, "AWS::SES::EmailIdentity")[identityID])
	require.NotNil(t, id)
	assert.Equal(t, cdkJSONEnvironment("prod").MailIdentity, id["EmailIdentity"], "cdk.json's mailIdentity")
	assert.Equal(t, map[string]any{"ConfigurationSetName": map[string]any{"Ref": csID}}, id["ConfigurationSetAttributes"],
		"the identity's default set: every send reports its bounces")

	cs := props(s.nestedResources(ms, "AWS::SES::ConfigurationSet")[csID])
	require.NotNil(t, cs)
	assert.NotContains(t, cs, "Name", "CloudFormation names it; the function gets the name")
	assert.Equal(t, map[string]any{"TlsPolicy": "REQUIRE"}, cs["DeliveryOptions"])
	assert.Equal(t, map[string]any{"ReputationMetricsEnabled": true}, cs["ReputationOptions"])
	assert.Equal(t, map[string]any{"SendingEnabled": true}, cs["SendingOptions"])
	assert.Equal(t, map[string]any{"SuppressedReasons": []any{"BOUNCE", "COMPLAINT"}}, cs["SuppressionOptions"])

	dests := s.nestedResources(ms, "AWS::SES::ConfigurationSetEventDestination")
	require.Len(t, dests, 1)
	for _, d := range dests {
		p := props(d)
		assert.Equal(t, map[string]any{"Ref": csID}, p["ConfigurationSetName"])
		ed := p["EventDestination"].(map[string]any)
		assert.Equal(t, true, ed["Enabled"])
		assert.ElementsMatch(t, []any{"bounce", "complaint", "reject"}, ed["MatchingEventTypes"])
		assert.Equal(t, map[string]any{"TopicARN": map[string]any{"Ref": topicID}}, ed["SnsDestination"])
	}

	topic := props(s.nestedResources(ms, "AWS::SNS::Topic")[topicID])
	require.NotNil(t, topic)
	keyID := nestedID(t, ms, s.stack.NoticeMail.EventsKey.Node().DefaultChild())
	assert.Equal(t, map[string]any{"Fn::GetAtt": []any{keyID, "Arn"}}, topic["KmsMasterKeyId"], "encrypted with a key SES may use")
	key := props(s.nestedResources(ms, "AWS::KMS::Key")[keyID])
	assert.Equal(t, true, key["EnableKeyRotation"])
	assert.Contains(t, mustJSON(t, key["KeyPolicy"]), `"Action":["kms:GenerateDataKey*","kms:Decrypt"],"Effect":"Allow","Principal":{"Service":"ses.amazonaws.com"}`)

	var sslOnly, sesPublish bool
	for _, tp := range s.nestedResources(ms, "AWS::SNS::TopicPolicy") {
		for _, raw := range props(tp)["PolicyDocument"].(map[string]any)["Statement"].([]any) {
			st := raw.(map[string]any)
			switch {
			case st["Effect"] == "Deny":
				sslOnly = assert.Equal(t, map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}, st["Condition"])
			case st["Effect"] == "Allow":
				assert.Equal(t, map[string]any{"Service": "ses.amazonaws.com"}, st["Principal"])
				assert.Equal(t, "sns:Publish", st["Action"])
				cond := st["Condition"].(map[string]any)["StringEquals"].(map[string]any)
				sesPublish = assert.Equal(t, sesArn("configuration-set", map[string]any{"Ref": csID}), cond["AWS:SourceArn"], "this set only")
			}
		}
	}
	assert.True(t, sslOnly, "the topic takes SSL only")
	assert.True(t, sesPublish, "SES may publish the set's events")

	subs := s.nestedResources(ms, "AWS::SNS::Subscription")
	require.Len(t, subs, 1)
	for _, sub := range subs {
		p := props(sub)
		assert.Equal(t, "lambda", p["Protocol"])
		assert.Equal(t, map[string]any{"Ref": topicID}, p["TopicArn"])
		assert.Equal(t, map[string]any{"Fn::GetAtt": []any{fnID, "Arn"}}, p["Endpoint"])
	}
	perms := s.nestedResources(ms, "AWS::Lambda::Permission")
	require.Len(t, perms, 1, "SNS may invoke the mailer, from this topic only")
	for _, perm := range perms {
		p := props(perm)
		assert.Equal(t, "sns.amazonaws.com", p["Principal"])
		assert.Equal(t, map[string]any{"Ref": topicID}, p["SourceArn"])
	}

	// The DKIM records for the domain are the parent's outputs.
	outputs := s.json["Outputs"].(map[string]any)
	for _, o := range []string{"MailDkimRecord1", "MailDkimRecord2", "MailDkimRecord3", "NoticeMailDeadLettersUrl"} {
		assert.Contains(t, outputs, o)
	}
	assert.Contains(t, mustJSON(t, outputs["MailDkimRecord1"]), "DkimDNSTokenName1")
}

func TestNoticeMailDeadLettersAreEncryptedSSLOnlyAndAlarm(t *testing.T) {
	s := synth(t, "dev")
	ms := s.stack.NoticeMailStack
	fnID, _, queueID, _, _, _ := mailIDs(t, s)
	q := props(s.nestedResources(ms, "AWS::SQS::Queue")[queueID])
	require.NotNil(t, q)
	assert.Equal(t, true, q["SqsManagedSseEnabled"])
	assert.EqualValues(t, 14*24*3600, q["MessageRetentionPeriod"])
	var sslOnly bool
	for _, qp := range s.nestedResources(ms, "AWS::SQS::QueuePolicy") {
		for _, raw := range props(qp)["PolicyDocument"].(map[string]any)["Statement"].([]any) {
			st := raw.(map[string]any)
			if st["Effect"] == "Deny" && mustJSON(t, st["Condition"]) == `{"Bool":{"aws:SecureTransport":"false"}}` {
				sslOnly = true
			}
		}
	}
	assert.True(t, sslOnly, "the queue takes SSL only")

	topic := map[string]any{"Ref": logicalID(t, s, s.stack.Ops.Topic.Node().DefaultChild())}
	alarms := s.nestedResources(ms, "AWS::CloudWatch::Alarm")
	assert.Len(t, alarms, 2)
	assert.Len(t, s.stack.NoticeMail.Alarms, 2)
	var failing, dead map[string]any
	for _, a := range alarms {
		p := props(a)
		dims := mustJSON(t, p["Dimensions"])
		switch {
		case p["MetricName"] == "Errors" && p["Namespace"] == "AWS/Lambda" && strings.Contains(dims, `{"Ref":"`+fnID+`"}`):
			failing = p
		case p["MetricName"] == "ApproximateNumberOfMessagesVisible" && p["Namespace"] == "AWS/SQS" && strings.Contains(dims, queueID):
			dead = p
		}
	}
	for name, a := range map[string]map[string]any{"failed invocation": failing, "dead letters": dead} {
		require.NotNil(t, a, "an alarm watches the mailer's %s", name)
		assert.EqualValues(t, 0, a["Threshold"], name)
		assert.Equal(t, "GreaterThanThreshold", a["ComparisonOperator"], name)
		assert.EqualValues(t, 1, a["EvaluationPeriods"], "%s: the first one alarms", name)
		require.Len(t, a["AlarmActions"], 1, name)
		assert.Equal(t, topic, parentValue(t, s, ms, a["AlarmActions"].([]any)[0]), "%s: to the ops topic", name)
		require.Len(t, a["OKActions"], 1, name)
		assert.Equal(t, topic, parentValue(t, s, ms, a["OKActions"].([]any)[0]), name)
	}
}

// TestNoticeMailWithAnAddressIdentity builds the construct alone (no nag,
// a second synth costs seconds) with the sender's address as the identity:
// no DKIM, and the role sends as that address only.
func TestNoticeMailWithAnAddressIdentity(t *testing.T) {
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
	stack := awscdk.NewStack(app, jsii.String("MailAlone"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("sa-east-1")}})
	table := awsdynamodb.NewTable(stack, jsii.String("Table"), &awsdynamodb.TableProps{
		PartitionKey: &awsdynamodb.Attribute{Name: jsii.String("PK"), Type: awsdynamodb.AttributeType_STRING},
		Stream:       awsdynamodb.StreamViewType_NEW_AND_OLD_IMAGES,
	})
	settings := testSettings("dev")
	settings.MailFrom, settings.MailIdentity = "ingressos@cinemas.example", "ingressos@cinemas.example"
	require.NoError(t, settings.Validate())
	var indexes []string
	for _, ix := range dynamo.Table.Indexes {
		indexes = append(indexes, ix.Name)
	}
	m := NewNoticeMail(stack, "NoticeMail", NoticeMailProps{
		Dir: stubWorker(t), Table: table, Indexes: indexes, Settings: settings, PublicURL: jsii.String("https://d111.cloudfront.net"),
	})
	var tpl map[string]any
	raw, err := json.Marshal(assertions.Template_FromStack(stack, nil).ToJSON())
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &tpl))
	res := tpl["Resources"].(map[string]any)
	identityID := *stack.GetLogicalId(m.Identity.Node().DefaultChild().(awscdk.CfnElement))
	csID := *stack.GetLogicalId(m.ConfigurationSet.Node().DefaultChild().(awscdk.CfnElement))
	assert.Equal(t, "ingressos@cinemas.example", props(res[identityID].(map[string]any))["EmailIdentity"])
	var sesResources []any
	for _, r := range res {
		rm := r.(map[string]any)
		if rm["Type"] != "AWS::IAM::Policy" {
			continue
		}
		for _, st := range props(rm)["PolicyDocument"].(map[string]any)["Statement"].([]any) {
			if strings.Contains(mustJSON(t, st.(map[string]any)["Action"]), "ses:") {
				sesResources = append(sesResources, st.(map[string]any)["Resource"].([]any)...)
			}
		}
	}
	assert.ElementsMatch(t, []any{sesArn("identity", map[string]any{"Ref": identityID}), sesArn("configuration-set", map[string]any{"Ref": csID})},
		sesResources, "the address is the identity: one identity ARN")
	assert.Panics(t, func() {
		NewNoticeMail(stack, "NoIndex", NoticeMailProps{Dir: stubWorker(t), Table: table, Indexes: []string{"GSI2"}, Settings: settings})
	}, "it queries GSI1, which the table must have")
}

func TestMailSettingsAreValidated(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		c := cdkJSONEnvironment(env)
		assert.NotEmpty(t, c.MailFrom, "cdk.json: %s.mailFrom", env)
		assert.NotEmpty(t, c.MailIdentity, "cdk.json: %s.mailIdentity", env)
	}
	with := func(from, identity string) error {
		s := testSettings("dev")
		s.MailFrom, s.MailIdentity = from, identity
		return s.Validate()
	}
	for _, ok := range [][2]string{
		{"ingressos@bilhetagem.example", "bilhetagem.example"},
		{"ingressos@mail.bilhetagem.example", "bilhetagem.example"},
		{"ingressos@bilhetagem.example", "ingressos@bilhetagem.example"},
		{"Ingressos@Bilhetagem.example", "bilhetagem.example"},
	} {
		assert.NoError(t, with(ok[0], ok[1]), "%v", ok)
	}
	for _, bad := range []struct{ from, identity, says string }{
		{"", "bilhetagem.example", "mailFrom (the notices' sender"},
		{"ingressos", "bilhetagem.example", "mailFrom must be a bare e-mail address"},
		{"Bilhetagem <ingressos@bilhetagem.example>", "bilhetagem.example", "mailFrom must be a bare e-mail address"},
		{"ingressos@localhost", "localhost", "mailFrom must be a bare e-mail address"},
		{"ingressos@bilhetagem.example", "", "mailIdentity (the domain"},
		{"ingressos@bilhetagem.example", "outro.example", "does not cover mailFrom"},
		{"ingressos@bilhetagem.example", "agem.example", "does not cover mailFrom"},
		{"ingressos@bilhetagem.example", "vendas@bilhetagem.example", "an address other than mailFrom"},
		{"ingressos@bilhetagem.example", "https://bilhetagem.example", "mailIdentity must be a domain"},
	} {
		err := with(bad.from, bad.identity)
		if assert.Error(t, err, "%q %q", bad.from, bad.identity) {
			assert.Contains(t, err.Error(), bad.says)
		}
	}
}
