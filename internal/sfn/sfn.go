// Package sfn runs the purchase workflow on AWS Step Functions: it starts
// the deployed state machine's execution for an order and ends the
// execution's payment wait with the task token the step worker kept. It is
// orders.Completer (and orders.Starter) for the API functions, and
// workflow.Tokens for the step worker; the local server runs the same
// definition in process instead (internal/workflow.Completer).
package sfn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"bilhetagem/internal/orders"
	"bilhetagem/internal/workflow"
)

// API is the part of the Step Functions client the purchase calls;
// *github.com/aws/aws-sdk-go-v2/service/sfn.Client is one.
type API interface {
	StartExecution(ctx context.Context, in *sdk.StartExecutionInput, opts ...func(*sdk.Options)) (*sdk.StartExecutionOutput, error)
	SendTaskSuccess(ctx context.Context, in *sdk.SendTaskSuccessInput, opts ...func(*sdk.Options)) (*sdk.SendTaskSuccessOutput, error)
}

// Waits keeps the task token of the execution waiting for an order's
// payment (internal/dynamo.Store).
type Waits interface {
	PutPaymentWait(ctx context.Context, orderID, token string, now time.Time) error
	// PaymentWait is the token, "" when no execution waits.
	PaymentWait(ctx context.Context, orderID string) (string, error)
	// DeletePaymentWait forgets token, unless a newer one replaced it.
	DeletePaymentWait(ctx context.Context, orderID, token string) error
}

// Orders is what the workflow reads of orders: the next completion step
// (orders.Service.Next) and the order as stored.
type Orders interface {
	Next(ctx context.Context, orderID string, now time.Time) (orders.Step, error)
}

// OrderReader reads an order as stored.
type OrderReader interface {
	GetOrder(ctx context.Context, id string) (orders.Order, error)
}

// Workflow is the purchase workflow on Step Functions.
type Workflow struct {
	API API
	// StateMachineArn is the deployed purchase state machine
	// (PURCHASE_STATE_MACHINE_ARN); the step worker, which only answers
	// tokens, leaves it empty.
	StateMachineArn string
	Waits           Waits
	Orders          Orders
	Store           OrderReader
	// Wait bounds how long Complete waits for the execution to finish the
	// order or park on its payment wait (default 5s; negative: not at all),
	// polling what is stored every Poll (default 200ms).
	Wait time.Duration
	Poll time.Duration
	// Now is the step worker's clock (time.Now when nil).
	Now func() time.Time
	Log *slog.Logger
}

var (
	_ orders.Completer = (*Workflow)(nil)
	_ orders.Starter   = (*Workflow)(nil)
	_ workflow.Tokens  = (*Workflow)(nil)
)

// ExecutionName names the execution that completes an order at its current
// stage: the order's id while it waits for payment (so a start retried by
// createOrder, createPayment or the webhook finds the running execution),
// and the id with the status after it, e.g. "<id>-cancelled" for the refund
// of a cancellation: Step Functions keeps a Standard execution's name taken
// for 90 days after it ends.
func ExecutionName(o orders.Order) string {
	name := o.ID
	if o.Status != orders.PendingPayment {
		name += "-" + strings.ToLower(string(o.Status))
	}
	name = invalidNameChars.ReplaceAllString(name, "_")
	if len(name) > 80 {
		name = name[:80]
	}
	return name
}

var invalidNameChars = regexp.MustCompile(`[^A-Za-z0-9_-]`)

// Start starts the execution for the order. Starting an execution that
// exists (running, or ended) is success: the start is idempotent by name.
func (w *Workflow) Start(ctx context.Context, o orders.Order, now time.Time) error {
	if w.StateMachineArn == "" {
		return errors.New("start purchase workflow: no state machine")
	}
	in, err := json.Marshal(workflow.InputFor(o, now))
	if err != nil {
		return fmt.Errorf("start purchase workflow: %w", err)
	}
	_, err = w.API.StartExecution(ctx, &sdk.StartExecutionInput{
		StateMachineArn: aws.String(w.StateMachineArn),
		Name:            aws.String(ExecutionName(o)),
		Input:           aws.String(string(in)),
	})
	var exists *types.ExecutionAlreadyExists
	if errors.As(err, &exists) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("start purchase workflow for order %s: %w", o.ID, err)
	}
	return nil
}

// Complete moves the order's completion on: a decided payment ends the
// execution's payment wait (SendTaskSuccess with the kept token); with no
// execution waiting, one is started (a no-op when it runs already). Then it
// waits, at most Wait, until the execution finishes the order or parks on
// the payment wait, and reads the order.
func (w *Workflow) Complete(ctx context.Context, orderID string, now time.Time) (orders.Order, error) {
	// The order is read before deciding, so that an execution started below
	// is named for the stage that decision saw, or an earlier one (which
	// exists: a no-op), never a later one.
	o, err := w.Store.GetOrder(ctx, orderID)
	if err != nil {
		return orders.Order{}, fmt.Errorf("complete order %s: %w", orderID, err)
	}
	next, err := w.Orders.Next(ctx, orderID, now)
	if err != nil {
		return orders.Order{}, err
	}
	if next == orders.StepDone {
		return w.read(ctx, orderID)
	}
	answered := false
	if next != orders.StepWait {
		if answered, err = w.answer(ctx, orderID, next); err != nil {
			return orders.Order{}, err
		}
	}
	if !answered {
		if err := w.Start(ctx, o, now); err != nil {
			return orders.Order{}, err
		}
	}
	if err := w.await(ctx, orderID, now); err != nil {
		return orders.Order{}, err
	}
	return w.read(ctx, orderID)
}

func (w *Workflow) read(ctx context.Context, orderID string) (orders.Order, error) {
	o, err := w.Store.GetOrder(ctx, orderID)
	if err != nil {
		return orders.Order{}, fmt.Errorf("complete order %s: %w", orderID, err)
	}
	return o, nil
}

// Await is the step worker's side of the payment wait (workflow.Tokens): a
// payment decided already is answered at once; otherwise the token is kept
// for the function that learns the answer. The order is read again after
// the token is kept, so an answer recorded meanwhile (which found no token)
// still ends the wait.
func (w *Workflow) Await(ctx context.Context, orderID, token string, next orders.Step) error {
	if next != orders.StepWait {
		if err := w.send(ctx, token, next); err != nil && !errors.Is(err, errStaleToken) {
			return err
		}
		return nil // answered, or the wait is over already
	}
	now := w.now()
	if err := w.Waits.PutPaymentWait(ctx, orderID, token, now); err != nil {
		return fmt.Errorf("keep payment wait of order %s: %w", orderID, err)
	}
	again, err := w.Orders.Next(ctx, orderID, now)
	if err != nil {
		return err
	}
	if again != orders.StepWait {
		_, err = w.answer(ctx, orderID, again)
	}
	return err
}

// answer ends the order's payment wait, if an execution waits; false when
// none does (no token, or a token whose wait ended already).
func (w *Workflow) answer(ctx context.Context, orderID string, next orders.Step) (bool, error) {
	token, err := w.Waits.PaymentWait(ctx, orderID)
	if err != nil || token == "" {
		return false, err
	}
	err = w.send(ctx, token, next)
	stale := errors.Is(err, errStaleToken)
	if err != nil && !stale {
		return false, err
	}
	if err := w.Waits.DeletePaymentWait(ctx, orderID, token); err != nil {
		w.log().Warn("payment wait not forgotten", "order", orderID, "error", err.Error())
	}
	return !stale, nil
}

var errStaleToken = errors.New("the task of this token is over")

// send answers a task token with the step Decide chose; the execution's
// Decide state reads what is stored anyway (the wait's ResultPath is null),
// so the output only documents why the wait ended.
func (w *Workflow) send(ctx context.Context, token string, next orders.Step) error {
	out, err := json.Marshal(workflow.StepResult{Next: string(next)})
	if err != nil {
		return err
	}
	_, err = w.API.SendTaskSuccess(ctx, &sdk.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(string(out))})
	var timedOut *types.TaskTimedOut
	var gone *types.TaskDoesNotExist
	var invalid *types.InvalidToken
	if errors.As(err, &timedOut) || errors.As(err, &gone) || errors.As(err, &invalid) {
		return fmt.Errorf("send task success: %w: %w", errStaleToken, err)
	}
	if err != nil {
		return fmt.Errorf("send task success: %w", err)
	}
	return nil
}

// await polls the order until its execution finished it or parks on the
// payment wait, at most Wait.
func (w *Workflow) await(ctx context.Context, orderID string, now time.Time) error {
	wait, poll := w.Wait, w.Poll
	if wait == 0 {
		wait = 5 * time.Second
	}
	if poll <= 0 {
		poll = 200 * time.Millisecond
	}
	if wait < 0 {
		return nil
	}
	deadline := time.Now().Add(wait)
	for {
		next, err := w.Orders.Next(ctx, orderID, now)
		if err != nil {
			return err
		}
		if next == orders.StepDone || next == orders.StepWait {
			return nil
		}
		if !time.Now().Before(deadline) {
			w.log().Warn("purchase workflow still running", "order", orderID, "next", string(next), "after", wait.String())
			return nil
		}
		t := time.NewTimer(poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

func (w *Workflow) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

func (w *Workflow) log() *slog.Logger {
	if w.Log != nil {
		return w.Log
	}
	return slog.Default()
}
