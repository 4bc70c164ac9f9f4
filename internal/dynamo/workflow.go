package dynamo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/guregu/dynamo/v2"
)

// The purchase workflow's payment wait (internal/sfn): the step worker keeps
// the task token of an execution waiting for an order's payment, and the
// function that learns the payment's answer (createPayment, the PSP
// webhook) reads it to end the wait. The token lives in its own item of the
// order's partition, not on the order: orders are written whole over their
// version (SaveOrder), which would drop an attribute written beside them.

const typePaymentWait = "PAYMENT_WAIT"

// paymentWaitKeep is how long a token is kept: the execution times its wait
// out at the hold's expiry (30 minutes at most), after which the token
// answers TaskTimedOut; TTL only cleans it up.
const paymentWaitKeep = 24 * time.Hour

type paymentWaitItem struct {
	PK, SK   string
	Type     string
	Token    string
	StoredAt time.Time
	TTL      int64 `dynamo:"ttl"`
}

// PutPaymentWait keeps the task token of the execution waiting for the
// order's payment, replacing an earlier one: an order's payment is waited
// for by one execution at a time.
func (s *Store) PutPaymentWait(ctx context.Context, orderID, token string, now time.Time) error {
	it := paymentWaitItem{PK: orderPK(orderID), SK: skPaymentWait, Type: typePaymentWait, Token: token,
		StoredAt: now.UTC(), TTL: now.Add(paymentWaitKeep).Unix()}
	return translate("put payment wait", s.table.Put(it).Run(ctx))
}

// PaymentWait is the task token waiting for the order's payment; "" when
// none waits.
func (s *Store) PaymentWait(ctx context.Context, orderID string) (string, error) {
	var it paymentWaitItem
	err := s.table.Get(Table.PartitionKey, orderPK(orderID)).Range(Table.SortKey, dynamo.Equal, skPaymentWait).
		Consistent(true).One(ctx, &it)
	if errors.Is(err, dynamo.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", translate("get payment wait", err)
	}
	return it.Token, nil
}

// DeletePaymentWait forgets an answered token, unless a newer wait of the
// order replaced it.
func (s *Store) DeletePaymentWait(ctx context.Context, orderID, token string) error {
	err := s.table.Delete(Table.PartitionKey, orderPK(orderID)).Range(Table.SortKey, skPaymentWait).
		If("$ = ?", "Token", token).Run(ctx)
	if dynamo.IsCondCheckFailed(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("delete payment wait: %w", translate("delete payment wait", err))
	}
	return nil
}
