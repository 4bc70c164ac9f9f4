package sfn_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/orders"
	"bilhetagem/internal/psp"
	"bilhetagem/internal/sfn"
)

const machineArn = "arn:aws:states:sa-east-1:123456789012:stateMachine:Purchase"

// recorder is the Step Functions API as far as these tests need it: it
// records every input, refuses a second execution of a name as Step
// Functions does, answers a token a second time with TaskTimedOut (the task
// is over) and SendTaskSuccess with sendErr when set. It
// exists to assert the exact calls; the flow itself is proven against the
// local interpreter (machine_test.go).
type recorder struct {
	mu       sync.Mutex
	starts   []*sdk.StartExecutionInput
	sends    []*sdk.SendTaskSuccessInput
	names    map[string]bool
	answered map[string]bool
	sendErr  error
}

func (r *recorder) StartExecution(_ context.Context, in *sdk.StartExecutionInput, _ ...func(*sdk.Options)) (*sdk.StartExecutionOutput, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.starts = append(r.starts, in)
	if r.names == nil {
		r.names = map[string]bool{}
	}
	if r.names[*in.Name] {
		return nil, &types.ExecutionAlreadyExists{Message: aws.String("Execution Already Exists: '" + *in.Name + "'")}
	}
	r.names[*in.Name] = true
	return &sdk.StartExecutionOutput{ExecutionArn: aws.String(machineArn + ":" + *in.Name)}, nil
}

func (r *recorder) SendTaskSuccess(_ context.Context, in *sdk.SendTaskSuccessInput, _ ...func(*sdk.Options)) (*sdk.SendTaskSuccessOutput, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sends = append(r.sends, in)
	if r.sendErr != nil {
		return nil, r.sendErr
	}
	if r.answered == nil {
		r.answered = map[string]bool{}
	}
	if r.answered[*in.TaskToken] {
		return nil, &types.TaskTimedOut{Message: aws.String("Provided task does not exist anymore")}
	}
	r.answered[*in.TaskToken] = true
	return &sdk.SendTaskSuccessOutput{}, nil
}

func (r *recorder) calls() ([]*sdk.StartExecutionInput, []*sdk.SendTaskSuccessInput) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*sdk.StartExecutionInput(nil), r.starts...), append([]*sdk.SendTaskSuccessInput(nil), r.sends...)
}

// recorded wires a fixture's orders to the Step Functions workflow over a
// recorder; Complete does not wait, since no execution runs.
func recorded(t *testing.T) (*fixture, *recorder, *sfn.Workflow) {
	f := newFixture(t)
	rec := &recorder{}
	w := &sfn.Workflow{API: rec, StateMachineArn: machineArn, Waits: f.store, Orders: f.orders, Store: f.store, Now: f.now, Wait: -1}
	f.orders.Completer = w
	return f, rec, w
}

func output(t *testing.T, in *sdk.SendTaskSuccessInput) map[string]any {
	t.Helper()
	var out map[string]any
	require.NoError(t, json.Unmarshal([]byte(aws.ToString(in.Output)), &out))
	return out
}

func TestStepFunctionsCalls(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("createOrder starts one execution of the machine, named after the order, waiting until the hold expires", func(t *testing.T) {
		t.Parallel()
		f, rec, _ := recorded(t)
		o := f.create(t, "ord-sfn-start")
		starts, sends := rec.calls()
		require.Len(t, starts, 1)
		assert.Equal(t, machineArn, aws.ToString(starts[0].StateMachineArn))
		assert.Equal(t, o.ID, aws.ToString(starts[0].Name))
		assert.JSONEq(t, `{"orderId":"ord-sfn-start","holdSeconds":600}`, aws.ToString(starts[0].Input))
		assert.Empty(t, sends)
	})

	t.Run("a retried createOrder starts again under the same name, and ExecutionAlreadyExists is success", func(t *testing.T) {
		t.Parallel()
		f, rec, _ := recorded(t)
		first := f.create(t, "ord-sfn-retry")
		again := f.create(t, "ord-sfn-retry")
		assert.Equal(t, first.ID, again.ID)
		starts, _ := rec.calls()
		require.Len(t, starts, 2)
		assert.Equal(t, aws.ToString(starts[0].Name), aws.ToString(starts[1].Name))
		assert.Equal(t, orders.PendingPayment, again.Status)
	})

	t.Run("the worker keeps the wait's token; the card's answer sends that token back and forgets it", func(t *testing.T) {
		t.Parallel()
		f, rec, w := recorded(t)
		o := f.create(t, "ord-sfn-card")
		require.NoError(t, w.Await(ctx, o.ID, "token-of-the-wait", orders.StepWait))
		kept, err := f.store.PaymentWait(ctx, o.ID)
		require.NoError(t, err)
		assert.Equal(t, "token-of-the-wait", kept)
		_, sends := rec.calls()
		assert.Empty(t, sends, "no payment yet: the execution keeps waiting")

		p := f.pay(t, o.ID, psp.Card, psp.CardApproves)
		assert.Equal(t, orders.PaymentApproved, p.Status)
		f.sim.Flush() // the PSP's webhook for the card may race Pay's answer: a second send is TaskTimedOut
		starts, sends := rec.calls()
		require.NotEmpty(t, sends)
		for _, s := range sends {
			assert.Equal(t, "token-of-the-wait", aws.ToString(s.TaskToken))
			assert.Equal(t, map[string]any{"next": string(orders.StepConfirmSeats)}, output(t, s))
		}
		for _, s := range starts {
			assert.Equal(t, o.ID, aws.ToString(s.Name), "any later start names the running execution")
		}
		kept, err = f.store.PaymentWait(ctx, o.ID)
		require.NoError(t, err)
		assert.Empty(t, kept, "an answered token is forgotten")
	})

	t.Run("a payment decided before the worker got its token is answered by the worker at once", func(t *testing.T) {
		t.Parallel()
		f, rec, w := recorded(t)
		o := f.create(t, "ord-sfn-early")
		f.pay(t, o.ID, psp.Card, psp.CardApproves)
		f.sim.Flush()
		next, err := f.orders.Next(ctx, o.ID, f.now())
		require.NoError(t, err)
		require.NoError(t, w.Await(ctx, o.ID, "token-late", next))
		_, sends := rec.calls()
		require.Len(t, sends, 1)
		assert.Equal(t, "token-late", aws.ToString(sends[0].TaskToken))
		kept, err := f.store.PaymentWait(ctx, o.ID)
		require.NoError(t, err)
		assert.Empty(t, kept, "nothing kept for a wait answered at once")
	})

	t.Run("a payment recorded while the worker kept its token, which found no token, is answered by the worker", func(t *testing.T) {
		t.Parallel()
		f, rec, w := recorded(t)
		o := f.create(t, "ord-sfn-race")
		f.pay(t, o.ID, psp.Card, psp.CardApproves) // finds no token: starts (exists already)
		f.sim.Flush()
		// The worker had decided WAIT before the payment was recorded.
		require.NoError(t, w.Await(ctx, o.ID, "token-raced", orders.StepWait))
		_, sends := rec.calls()
		require.Len(t, sends, 1)
		assert.Equal(t, "token-raced", aws.ToString(sends[0].TaskToken))
		assert.Equal(t, map[string]any{"next": string(orders.StepConfirmSeats)}, output(t, sends[0]))
		kept, err := f.store.PaymentWait(ctx, o.ID)
		require.NoError(t, err)
		assert.Empty(t, kept)
	})

	t.Run("a token whose wait timed out is forgotten and the order's execution is started again", func(t *testing.T) {
		t.Parallel()
		f, rec, w := recorded(t)
		o := f.create(t, "ord-sfn-stale")
		require.NoError(t, w.Await(ctx, o.ID, "token-timed-out", orders.StepWait))
		rec.mu.Lock()
		rec.sendErr = &types.TaskTimedOut{Message: aws.String("Task Timed Out")}
		rec.mu.Unlock()
		f.pay(t, o.ID, psp.Card, psp.CardApproves)
		f.sim.Flush()
		starts, sends := rec.calls()
		require.NotEmpty(t, sends)
		for _, s := range sends {
			assert.Equal(t, "token-timed-out", aws.ToString(s.TaskToken))
		}
		require.GreaterOrEqual(t, len(starts), 2, "createOrder's start, then the one after the stale token")
		assert.Equal(t, o.ID, aws.ToString(starts[1].Name))
		kept, err := f.store.PaymentWait(ctx, o.ID)
		require.NoError(t, err)
		assert.Empty(t, kept)
	})

	t.Run("any other SendTaskSuccess error is the caller's: the token is kept for a retry", func(t *testing.T) {
		t.Parallel()
		f, rec, w := recorded(t)
		o := f.create(t, "ord-sfn-throttled")
		require.NoError(t, w.Await(ctx, o.ID, "token-kept", orders.StepWait))
		rec.mu.Lock()
		rec.sendErr = errors.New("ThrottlingException: rate exceeded")
		rec.mu.Unlock()
		_, err := f.orders.Pay(ctx, "user-ana", o.ID, "pay-"+o.ID, orders.PayRequest{Method: psp.Card,
			CardToken: psp.TokenPrefix + psp.CardApproves, Installments: 1}, f.now())
		require.Error(t, err, "the caller retries (the PSP its webhook, the buyer the payment)")
		f.sim.Flush()
		assert.Contains(t, err.Error(), "ThrottlingException")
		p, err := f.store.GetPayment(ctx, "pay-"+o.ID)
		require.NoError(t, err)
		assert.Equal(t, orders.PaymentApproved, p.Status, "the payment's answer is recorded")
		kept, err := f.store.PaymentWait(ctx, o.ID)
		require.NoError(t, err)
		assert.Equal(t, "token-kept", kept)
	})

	t.Run("a cancellation's refund runs in an execution of its own name", func(t *testing.T) {
		t.Parallel()
		o := orders.Order{ID: "ord-x", Status: orders.Cancelled}
		assert.Equal(t, "ord-x-cancelled", sfn.ExecutionName(o))
		o.Status = orders.PendingPayment
		assert.Equal(t, "ord-x", sfn.ExecutionName(o))
		o.ID = "ord:with/odd chars"
		assert.Equal(t, "ord_with_odd_chars", sfn.ExecutionName(o))
	})
}
