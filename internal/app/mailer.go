package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"

	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/mail"
	"bilhetagem/internal/notify"
)

// The notice mailer's settings (docs/adr/0613); the CDK sets them on the
// mailer Lambda, and cmd/local for Mailpit.
const (
	MailTransportEnv        = "MAIL_TRANSPORT" // ses or smtp
	MailFromEnv             = "MAIL_FROM"      // the sender: "ingressos@…" or "Bilhetagem <ingressos@…>"
	MailConfigurationSetEnv = "MAIL_CONFIGURATION_SET"
	MailSupportEnv          = "MAIL_SUPPORT" // whom buyers write to; MAIL_FROM's address when empty
	PublicURLEnv            = "PUBLIC_URL"   // where the SPA is, for links
	SMTPAddrEnv             = "SMTP_ADDR"    // host:port, for smtp
)

// MailConfig is the mailer's configuration.
type MailConfig struct {
	Transport        string
	From             string
	ConfigurationSet string
	Support          string
	PublicURL        string
	SMTPAddr         string
}

// MailConfigFrom reads and checks the mailer's settings.
func MailConfigFrom(getenv func(string) string) (MailConfig, error) {
	c := MailConfig{Transport: getenv(MailTransportEnv), From: getenv(MailFromEnv), ConfigurationSet: getenv(MailConfigurationSetEnv),
		Support: getenv(MailSupportEnv), PublicURL: getenv(PublicURLEnv), SMTPAddr: getenv(SMTPAddrEnv)}
	from, err := netmail.ParseAddress(c.From)
	if err != nil {
		return c, fmt.Errorf("config: %s %q is not an address", MailFromEnv, c.From)
	}
	if c.Support == "" {
		c.Support = from.Address
	}
	if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return c, fmt.Errorf("config: %s %q is not an http(s) URL", PublicURLEnv, c.PublicURL)
	}
	switch c.Transport {
	case "ses":
	case "smtp":
		if c.SMTPAddr == "" {
			return c, fmt.Errorf("config: %s=smtp needs %s", MailTransportEnv, SMTPAddrEnv)
		}
	default:
		return c, fmt.Errorf("config: %s must be ses or smtp, not %q", MailTransportEnv, c.Transport)
	}
	return c, nil
}

// NewMailer builds the notice mailer on the store, sending through SES or
// SMTP.
func NewMailer(ctx context.Context, mc MailConfig, store *dynamo.Store, region string, log *slog.Logger, now func() time.Time) (*notify.Mailer, error) {
	var sender mail.Sender
	switch mc.Transport {
	case "ses":
		opts := []func(*config.LoadOptions) error{}
		if region != "" {
			opts = append(opts, config.WithRegion(region))
		}
		awsCfg, err := config.LoadDefaultConfig(ctx, opts...)
		if err != nil {
			return nil, fmt.Errorf("mailer: %w", err)
		}
		sender = mail.SES{Client: sesv2.NewFromConfig(awsCfg), From: mc.From, ConfigurationSet: mc.ConfigurationSet, Now: now}
	default:
		sender = mail.SMTP{Addr: mc.SMTPAddr, From: mc.From, Now: now}
	}
	return &notify.Mailer{Store: store, Sender: sender, PublicURL: mc.PublicURL, Support: mc.Support, Now: now, Log: log}, nil
}

// StartNoticeMailer is the whole main of the notice mailer Lambda: the
// table's stream (filtered to orders and notices) and the SES bounce and
// complaint topic invoke it.
func StartNoticeMailer(getenv func(string) string) {
	cfg, err := ConfigFrom(getenv)
	if err == nil {
		var mc MailConfig
		if mc, err = MailConfigFrom(getenv); err == nil {
			log := NewLogger(cfg.LogLevel)
			now := cfg.Clock()
			var store *dynamo.Store
			if store, err = dynamo.Open(context.Background(), cfg.storeConfig()); err == nil {
				var m *notify.Mailer
				if m, err = NewMailer(context.Background(), mc, store, cfg.Region, log, now); err == nil {
					lambda.Start(func(ctx context.Context, raw json.RawMessage) (any, error) {
						return HandleMailerEvent(ctx, m, log, raw)
					})
					return
				}
			}
		}
	}
	slog.Error("notice mailer: bad configuration", "error", err.Error())
	os.Exit(1)
}

// HandleMailerEvent handles one invocation: a batch of the table's stream
// (answering the records that failed, so only those are retried) or SNS
// notifications of SES bounces and complaints.
func HandleMailerEvent(ctx context.Context, m *notify.Mailer, log *slog.Logger, raw json.RawMessage) (any, error) {
	var probe struct {
		Records []struct {
			Lower string `json:"eventSource"`
			Upper string `json:"EventSource"`
		}
	}
	if err := json.Unmarshal(raw, &probe); err != nil || len(probe.Records) == 0 {
		return nil, fmt.Errorf("mailer: an event that is neither a stream batch nor SNS: %v", err)
	}
	switch {
	case probe.Records[0].Lower == "aws:dynamodb":
		var ev events.DynamoDBEvent
		if err := json.Unmarshal(raw, &ev); err != nil {
			return nil, fmt.Errorf("mailer: stream batch: %w", err)
		}
		return streamBatch(ctx, m, log, ev), nil
	case probe.Records[0].Upper == "aws:sns":
		var ev events.SNSEvent
		if err := json.Unmarshal(raw, &ev); err != nil {
			return nil, fmt.Errorf("mailer: sns: %w", err)
		}
		return nil, sesEvents(ctx, m, ev)
	}
	return nil, errors.New("mailer: an event of an unknown source")
}

func streamBatch(ctx context.Context, m *notify.Mailer, log *slog.Logger, ev events.DynamoDBEvent) events.DynamoDBEventResponse {
	resp := events.DynamoDBEventResponse{BatchItemFailures: []events.DynamoDBBatchItemFailure{}}
	for _, r := range ev.Records {
		if r.EventName != "INSERT" && r.EventName != "MODIFY" {
			continue
		}
		attr := func(img map[string]events.DynamoDBAttributeValue) func(string) string {
			return func(name string) string {
				if v, ok := img[name]; ok && v.DataType() == events.DataTypeString {
					return v.String()
				}
				return ""
			}
		}
		c, ok := notify.ChangeOf(attr(r.Change.NewImage)("Type"), attr(r.Change.NewImage), attr(r.Change.OldImage))
		if !ok {
			continue
		}
		sent, err := m.Handle(ctx, c)
		if err != nil {
			log.Error("mailer: record failed", "sequence", r.Change.SequenceNumber, "type", c.Type, "error", err.Error())
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.DynamoDBBatchItemFailure{ItemIdentifier: r.Change.SequenceNumber})
			continue
		}
		if sent != notify.SentNone {
			log.Info("mailer: record", "type", c.Type, "sent", string(sent))
		}
	}
	return resp
}

// sesEvent is what SES publishes for a configuration set (eventType) or an
// identity (notificationType).
type sesEvent struct {
	EventType        string `json:"eventType"`
	NotificationType string `json:"notificationType"`
	Bounce           struct {
		BounceType        string `json:"bounceType"`
		BouncedRecipients []struct {
			EmailAddress string `json:"emailAddress"`
		} `json:"bouncedRecipients"`
	} `json:"bounce"`
	Complaint struct {
		ComplainedRecipients []struct {
			EmailAddress string `json:"emailAddress"`
		} `json:"complainedRecipients"`
	} `json:"complaint"`
}

// sesEvents suppresses each address that bounced for good or complained; a
// transient bounce is left to SES's own retries.
func sesEvents(ctx context.Context, m *notify.Mailer, ev events.SNSEvent) error {
	var errsSeen []error
	for _, r := range ev.Records {
		var e sesEvent
		if err := json.Unmarshal([]byte(r.SNS.Message), &e); err != nil {
			errsSeen = append(errsSeen, fmt.Errorf("ses event: %w", err))
			continue
		}
		kind := strings.ToLower(e.EventType + e.NotificationType)
		switch {
		case kind == "bounce" && e.Bounce.BounceType == "Permanent":
			for _, rcpt := range e.Bounce.BouncedRecipients {
				errsSeen = append(errsSeen, m.Bounced(ctx, rcpt.EmailAddress, "bounce"))
			}
		case kind == "complaint":
			for _, rcpt := range e.Complaint.ComplainedRecipients {
				errsSeen = append(errsSeen, m.Bounced(ctx, rcpt.EmailAddress, "complaint"))
			}
		}
	}
	return errors.Join(errsSeen...)
}
