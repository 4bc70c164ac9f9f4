package app_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/app"
	"bilhetagem/internal/dynamo/dynamotest"
	"bilhetagem/internal/mail"
	"bilhetagem/internal/notify"
)

func TestMailConfigIsChecked(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	ok := map[string]string{app.MailTransportEnv: "ses", app.MailFromEnv: "Bilhetagem <ingressos@bilhetagem.example>",
		app.PublicURLEnv: "https://d111.cloudfront.net"}
	c, err := app.MailConfigFrom(env(ok))
	require.NoError(t, err)
	assert.Equal(t, "ingressos@bilhetagem.example", c.Support, "the sender's address answers when no support address is set")
	for name, change := range map[string][2]string{
		"no sender":                       {app.MailFromEnv, ""},
		"a sender that is not an address": {app.MailFromEnv, "ingressos"},
		"no public URL":                   {app.PublicURLEnv, ""},
		"a relative URL":                  {app.PublicURLEnv, "/conta"},
		"an unknown transport":            {app.MailTransportEnv, "pombo"},
		"smtp without an address":         {app.MailTransportEnv, "smtp"},
	} {
		t.Run(name, func(t *testing.T) {
			kv := map[string]string{}
			for k, v := range ok {
				kv[k] = v
			}
			kv[change[0]] = change[1]
			_, err := app.MailConfigFrom(env(kv))
			assert.Error(t, err)
		})
	}
}

// TestMailerLambdaHandlesStreamBatchesAndSESEvents sends the mailer Lambda
// the events AWS sends it, on DynamoDB Local: a stream batch answers the
// one record that failed (so only it is retried), and SES's bounce and
// complaint notifications suppress the addresses for good.
func TestMailerLambdaHandlesStreamBatchesAndSESEvents(t *testing.T) {
	store := dynamotest.NewStore(t)
	now := func() time.Time { return time.Date(2026, 12, 7, 22, 0, 0, 0, time.UTC) }
	m := &notify.Mailer{Store: store, Sender: mail.SMTP{Addr: "127.0.0.1:1", From: "x@bilhetagem.example"}, PublicURL: "https://x.example", Now: now}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx := context.Background()

	t.Run("a stream batch answers the failed record's sequence number", func(t *testing.T) {
		s := func(v string) events.DynamoDBAttributeValue { return events.NewStringAttribute(v) }
		batch := events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{
			{EventSource: "aws:dynamodb", EventName: "REMOVE", Change: events.DynamoDBStreamRecord{SequenceNumber: "100"}},
			{EventSource: "aws:dynamodb", EventName: "MODIFY", Change: events.DynamoDBStreamRecord{SequenceNumber: "200",
				NewImage: map[string]events.DynamoDBAttributeValue{"Type": s("ORDER"), "ID": s("ord-que-nao-existe"), "Status": s("PAID")},
				OldImage: map[string]events.DynamoDBAttributeValue{"Type": s("ORDER"), "Status": s("PENDING_PAYMENT")}}},
			{EventSource: "aws:dynamodb", EventName: "INSERT", Change: events.DynamoDBStreamRecord{SequenceNumber: "300",
				NewImage: map[string]events.DynamoDBAttributeValue{"Type": s("NOTICE"), "Buyer": s("ninguem"), "ShowtimeID": s("st-1"),
					"Kind": s("SHOWTIME_CANCELLED")}}},
		}}
		raw, err := json.Marshal(batch)
		require.NoError(t, err)
		out, err := app.HandleMailerEvent(ctx, m, log, raw)
		require.NoError(t, err)
		resp, ok := out.(events.DynamoDBEventResponse)
		require.True(t, ok)
		assert.Equal(t, []events.DynamoDBBatchItemFailure{{ItemIdentifier: "200"}}, resp.BatchItemFailures)
	})

	sns := func(messages ...string) json.RawMessage {
		ev := events.SNSEvent{}
		for _, msg := range messages {
			ev.Records = append(ev.Records, events.SNSEventRecord{EventSource: "aws:sns", SNS: events.SNSEntity{Message: msg}})
		}
		raw, err := json.Marshal(ev)
		require.NoError(t, err)
		return raw
	}
	t.Run("a permanent bounce and a complaint suppress their addresses; a transient bounce does not", func(t *testing.T) {
		_, err := app.HandleMailerEvent(ctx, m, log, sns(
			`{"eventType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"Sumiu@Exemplo.com.br"}]}}`,
			`{"eventType":"Complaint","complaint":{"complainedRecipients":[{"emailAddress":"reclamou@exemplo.com.br"}]}}`,
			`{"eventType":"Bounce","bounce":{"bounceType":"Transient","bouncedRecipients":[{"emailAddress":"cheia@exemplo.com.br"}]}}`,
			`{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"antigo@exemplo.com.br"}]}}`,
		))
		require.NoError(t, err)
		for addr, want := range map[string]bool{"sumiu@exemplo.com.br": true, "reclamou@exemplo.com.br": true,
			"cheia@exemplo.com.br": false, "antigo@exemplo.com.br": true} {
			got, err := store.Suppressed(ctx, addr)
			require.NoError(t, err)
			assert.Equal(t, want, got, addr)
		}
	})
	t.Run("an event of another source is refused", func(t *testing.T) {
		_, err := app.HandleMailerEvent(ctx, m, log, json.RawMessage(`{"Records":[{"eventSource":"aws:s3"}]}`))
		assert.Error(t, err)
		_, err = app.HandleMailerEvent(ctx, m, log, json.RawMessage(`{"detail-type":"Scheduled Event"}`))
		assert.Error(t, err)
	})
}
