package dynamo

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/guregu/dynamo/v2"

	"bilhetagem/internal/account"
	"bilhetagem/internal/errs"
)

// A buyer's profile (their e-mail and name, and the terms they accepted) is
// one item in the buyer's partition; it is the only item that holds them
// (docs/adr/0612).
const (
	typeProfile = "BUYER_PROFILE"
	skProfile   = "PROFILE"
)

// A buyer's waiting-room entries are found through GSI1, for their export
// and deletion (internal/dynamo/ops.go writes the keys).
func entriesByBuyerPK(sub string) string { return "BUYER#" + sub + "#WAITING" }

type profileItem struct {
	PK, SK       string
	Type         string
	Subject      string
	Email        string
	Name         string
	TermsVersion string
	AcceptedAt   time.Time
	UpdatedAt    time.Time
}

// PutProfile keeps the buyer's e-mail and name; AcceptedAt changes only
// when the terms version does.
func (s *Store) PutProfile(ctx context.Context, p account.Profile) error {
	_, err := s.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(s.name), Key: key(buyerPK(p.Subject), skProfile),
		UpdateExpression:         aws.String("SET Email = :e, #n = :n, UpdatedAt = :u"),
		ConditionExpression:      aws.String("TermsVersion = :v"),
		ExpressionAttributeNames: map[string]string{"#n": "Name"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":e": str(p.Email), ":n": str(p.Name), ":u": str(p.UpdatedAt.UTC().Format(time.RFC3339Nano)), ":v": str(p.TermsVersion),
		},
	})
	var ccf *types.ConditionalCheckFailedException
	if !errors.As(err, &ccf) {
		return translate("update profile", err)
	}
	// No profile yet, or one that accepted other terms.
	it := profileItem{PK: buyerPK(p.Subject), SK: skProfile, Type: typeProfile, Subject: p.Subject, Email: p.Email, Name: p.Name,
		TermsVersion: p.TermsVersion, AcceptedAt: p.AcceptedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC()}
	return translate("put profile", s.table.Put(it).Run(ctx))
}

// BuyerData reads every item the buyer owns: the profile, orders with
// their payments, tickets, notices, waiting-room entries and the
// bomboniere history.
func (s *Store) BuyerData(ctx context.Context, sub string) (account.Data, error) {
	var d account.Data
	var prof profileItem
	err := s.getOne(ctx, buyerPK(sub), skProfile, &prof)
	switch {
	case err == nil:
		d.HasProfile = true
		d.Profile = account.Profile{Subject: prof.Subject, Email: prof.Email, Name: prof.Name,
			TermsVersion: prof.TermsVersion, AcceptedAt: prof.AcceptedAt.UTC(), UpdatedAt: prof.UpdatedAt.UTC()}
	case errs.KindOf(err) != errs.NotFound:
		return d, err
	}
	var ords []orderItem
	if err := s.table.Get("GSI1PK", ordersByBuyerPK(sub)).Index(gsi1).All(ctx, &ords); err != nil {
		return d, translate("read buyer orders", err)
	}
	for _, it := range ords {
		o := it.order()
		d.Orders = append(d.Orders, o)
		if o.PaymentID == "" {
			continue
		}
		p, err := s.GetPayment(ctx, o.PaymentID)
		if errs.KindOf(err) == errs.NotFound {
			continue
		}
		if err != nil {
			return d, err
		}
		d.Payments = append(d.Payments, p)
	}
	var tks []ticketItem
	if err := s.table.Get("GSI1PK", ticketsByBuyerPK(sub)).Index(gsi1).All(ctx, &tks); err != nil {
		return d, translate("read buyer tickets", err)
	}
	for _, it := range tks {
		d.Tickets = append(d.Tickets, it.ticket())
	}
	if d.Notices, err = s.Notices(ctx, sub); err != nil {
		return d, err
	}
	var ents []entryItem
	if err := s.table.Get("GSI1PK", entriesByBuyerPK(sub)).Index(gsi1).All(ctx, &ents); err != nil {
		return d, translate("read buyer waiting-room entries", err)
	}
	for _, it := range ents {
		d.WaitingRoom = append(d.WaitingRoom, it.entry())
	}
	if d.Concessions, err = s.ReadHistory(ctx, sub); err != nil {
		return d, err
	}
	return d, nil
}

// EraseBuyer moves the records fiscal rules keep (orders, payments,
// tickets, and the seats and holds of orders) to alias, then
// deletes the rest: notices, waiting-room entries and their markers, the
// bomboniere history and the buyer's partition, the profile last. Each
// write is conditional on the item still naming the buyer, so a second
// run after a failure does only what is left.
func (s *Store) EraseBuyer(ctx context.Context, sub, alias string, d account.Data) error {
	move := func(what, pk, sk, attr, set string, vals map[string]types.AttributeValue) error {
		if vals == nil {
			vals = map[string]types.AttributeValue{}
		}
		vals[":sub"], vals[":alias"] = str(sub), str(alias)
		_, err := s.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName: aws.String(s.name), Key: key(pk, sk),
			UpdateExpression:          aws.String("SET " + attr + " = :alias" + set),
			ConditionExpression:       aws.String(attr + " = :sub"),
			ExpressionAttributeValues: vals,
		})
		var ccf *types.ConditionalCheckFailedException
		if errors.As(err, &ccf) {
			return nil // moved already, or never the buyer's
		}
		return translate("anonymize "+what, err)
	}
	for _, o := range d.Orders {
		if err := move("order", orderPK(o.ID), skMeta, "Buyer", ", GSI1PK = :g",
			map[string]types.AttributeValue{":g": str(ordersByBuyerPK(alias))}); err != nil {
			return err
		}
		if o.HoldID != "" {
			if err := move("hold", holdPK(o.HoldID), skMeta, "Holder", "", nil); err != nil {
				return err
			}
		}
		// The order's seats, sold or still held for it.
		for _, l := range o.Tickets {
			if err := move("seat", showtimePK(o.Showtime.ID), seatSK(l.SeatID), "Holder", "", nil); err != nil {
				return err
			}
		}
	}
	for _, p := range d.Payments {
		if err := move("payment", paymentPK(p.ID), skMeta, "Buyer", "", nil); err != nil {
			return err
		}
	}
	for _, t := range d.Tickets {
		if err := move("ticket", ticketPK(t.ID), skMeta, "Buyer", ", GSI1PK = :g",
			map[string]types.AttributeValue{":g": str(ticketsByBuyerPK(alias))}); err != nil {
			return err
		}
	}
	var keys []map[string]types.AttributeValue
	for _, n := range d.Notices {
		keys = append(keys, key(noticePK(sub), noticeSK(n.ShowtimeID, n.Kind)))
	}
	for _, e := range d.WaitingRoom {
		keys = append(keys, key(wrEntryPK(e.ID), skMeta), key(wrBuyerPK(e.ShowtimeID, sub), skMeta))
	}
	keys = append(keys, key(userPK(sub), historySK))
	var own []dynamo.Item
	if err := s.table.Get(Table.PartitionKey, buyerPK(sub)).Project(Table.PartitionKey, Table.SortKey).All(ctx, &own); err != nil {
		return translate("read buyer partition", err)
	}
	for _, it := range own {
		if sk, _ := it[Table.SortKey].(*types.AttributeValueMemberS); sk != nil && sk.Value != skProfile {
			keys = append(keys, key(buyerPK(sub), sk.Value))
		}
	}
	if d.HasProfile {
		keys = append(keys, key(suppressPK(d.Profile.Email), skMeta))
	}
	keys = append(keys, key(buyerPK(sub), skProfile)) // last: until it goes, the account exists
	for _, k := range keys {
		if _, err := s.client.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(s.name), Key: k}); err != nil {
			return translate("delete buyer item", err)
		}
	}
	return nil
}
