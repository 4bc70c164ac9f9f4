package mail

import (
	"context"
	"fmt"
	netmail "net/mail"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"
)

// SESAPI is the part of the SES v2 client the sender uses.
type SESAPI interface {
	SendEmail(ctx context.Context, in *sesv2.SendEmailInput, opts ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error)
}

// SES sends through Amazon SES v2 as a raw MIME message (Build's bytes), in
// a configuration set whose bounce and complaint events reach the mailer.
type SES struct {
	Client           SESAPI
	From             string // the verified sender: "Bilhetagem <ingressos@…>"
	ConfigurationSet string
	Now              func() time.Time
}

// Send hands the message to SES.
func (s SES) Send(ctx context.Context, m Message) error {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	raw, err := Build(m, s.From, now())
	if err != nil {
		return err
	}
	to, err := netmail.ParseAddress(m.To)
	if err != nil {
		return fmt.Errorf("ses: recipient: %w", err)
	}
	from, err := netmail.ParseAddress(s.From)
	if err != nil {
		return fmt.Errorf("ses: sender: %w", err)
	}
	in := &sesv2.SendEmailInput{
		FromEmailAddress: aws.String(from.Address),
		Destination:      &types.Destination{ToAddresses: []string{to.Address}},
		Content:          &types.EmailContent{Raw: &types.RawMessage{Data: raw}},
		EmailTags:        []types.MessageTag{{Name: aws.String("kind"), Value: aws.String(tagValue(m.Key))}},
	}
	if s.ConfigurationSet != "" {
		in.ConfigurationSetName = aws.String(s.ConfigurationSet)
	}
	if _, err := s.Client.SendEmail(ctx, in); err != nil {
		return fmt.Errorf("ses: send: %w", err)
	}
	return nil
}

// tagValue is the key's kind (ORDER_CONFIRMED, NOTICE, …): SES tags allow
// letters, digits, _ and - only, and the kind names no one.
func tagValue(key string) string {
	out := []byte{}
	for i := 0; i < len(key) && key[i] != '.'; i++ {
		c := key[i]
		if c == '_' || c == '-' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return "other"
	}
	return string(out)
}
