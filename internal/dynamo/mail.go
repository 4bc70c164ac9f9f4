package dynamo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/guregu/dynamo/v2"

	"bilhetagem/internal/account"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/tickets"
)

// The buyer e-mails' bookkeeping (internal/notify, docs/adr/0613): a claim
// per e-mail, so that one notice is sent once whatever the stream redelivers,
// and a suppression per address that bounced or complained, keyed by a hash
// of the address so the list keeps no address.
const (
	typeEmailSend   = "EMAIL_SEND"
	typeSuppression = "SUPPRESSION"
	// EmailPrefix and SuppressPrefix lead the only keys the mailer writes;
	// the CDK grants its writes on them alone.
	EmailPrefix    = "EMAIL#"
	SuppressPrefix = "SUPPRESS#"
	emailKeep      = 7 * 24 * time.Hour // longer than the stream keeps a record (24 h)
	emailSending   = "SENDING"
	emailSent      = "SENT"
)

func emailPK(key string) string { return EmailPrefix + key }
func suppressPK(address string) string {
	h := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(address))))
	return SuppressPrefix + hex.EncodeToString(h[:])
}

type emailItem struct {
	PK, SK  string
	Type    string
	Status  string
	LeaseMs int64
	SentAt  time.Time `dynamo:",omitempty"`
	TTL     int64     `dynamo:"ttl"`
}

// ClaimEmail takes the e-mail of key for one sender until now+lease: true
// when this caller is to send it; false when it was sent, or another sender
// holds a live claim.
func (s *Store) ClaimEmail(ctx context.Context, key string, now time.Time, lease time.Duration) (bool, error) {
	it := emailItem{PK: emailPK(key), SK: skMeta, Type: typeEmailSend, Status: emailSending,
		LeaseMs: now.Add(lease).UnixMilli(), TTL: now.Add(emailKeep).Unix()}
	err := s.table.Put(it).If("attribute_not_exists(PK) OR ($ = ? AND LeaseMs <= ?)", "Status", emailSending, now.UnixMilli()).
		Run(ctx)
	if dynamo.IsCondCheckFailed(err) {
		return false, nil
	}
	if err != nil {
		return false, translate("claim e-mail", err)
	}
	return true, nil
}

// EmailSent marks the claimed e-mail of key sent.
func (s *Store) EmailSent(ctx context.Context, key string, now time.Time) error {
	return translate("mark e-mail sent", s.table.Update(Table.PartitionKey, emailPK(key)).Range(Table.SortKey, skMeta).
		Set("Status", emailSent).Set("SentAt", now.UTC()).Run(ctx))
}

// ReleaseEmail gives a claim back after a failed send, so a retry sends.
func (s *Store) ReleaseEmail(ctx context.Context, key string) error {
	err := s.table.Delete(Table.PartitionKey, emailPK(key)).Range(Table.SortKey, skMeta).If("$ = ?", "Status", emailSending).Run(ctx)
	if dynamo.IsCondCheckFailed(err) {
		return nil
	}
	return translate("release e-mail", err)
}

type suppressionItem struct {
	PK, SK string
	Type   string
	Reason string
	At     time.Time
}

// Suppress stops e-mail to the address (a bounce or a complaint).
func (s *Store) Suppress(ctx context.Context, address, reason string, at time.Time) error {
	return translate("suppress address", s.table.Put(suppressionItem{PK: suppressPK(address), SK: skMeta,
		Type: typeSuppression, Reason: reason, At: at.UTC()}).Run(ctx))
}

// Suppressed says whether e-mail to the address is stopped.
func (s *Store) Suppressed(ctx context.Context, address string) (bool, error) {
	var it suppressionItem
	err := s.getOne(ctx, suppressPK(address), skMeta, &it)
	if errs.KindOf(err) == errs.NotFound {
		return false, nil
	}
	return err == nil, err
}

// Profile reads a buyer's profile; false when they have none.
func (s *Store) Profile(ctx context.Context, sub string) (account.Profile, bool, error) {
	var it profileItem
	err := s.getOne(ctx, buyerPK(sub), skProfile, &it)
	if errs.KindOf(err) == errs.NotFound {
		return account.Profile{}, false, nil
	}
	if err != nil {
		return account.Profile{}, false, err
	}
	return account.Profile{Subject: it.Subject, Email: it.Email, Name: it.Name, TermsVersion: it.TermsVersion,
		AcceptedAt: it.AcceptedAt.UTC(), UpdatedAt: it.UpdatedAt.UTC()}, true, nil
}

// OrderTickets reads an order's tickets through its buyer's list.
func (s *Store) OrderTickets(ctx context.Context, buyer, orderID string) ([]tickets.Ticket, error) {
	var items []ticketItem
	err := s.table.Get("GSI1PK", ticketsByBuyerPK(buyer)).Index(gsi1).Filter("OrderID = ?", orderID).All(ctx, &items)
	if err != nil {
		return nil, translate("read order tickets", err)
	}
	out := make([]tickets.Ticket, 0, len(items))
	for _, it := range items {
		out = append(out, it.ticket())
	}
	return out, nil
}
