package sfn_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/booking"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/psp"
	"bilhetagem/internal/sfn"
	"bilhetagem/internal/workflow"
)

const workerArn = "arn:aws:lambda:sa-east-1:123456789012:function:purchase-step"

// interpreter serves the Step Functions API from the local interpreter of
// the one definition (internal/workflow/purchase.asl.json), whose step
// worker is the purchase-step Lambda's code (workflow.Worker) keeping its
// tokens through sfn.Workflow in DynamoDB Local. StartExecution runs a
// named execution once, as Step Functions does; SendTaskSuccess answers
// the interpreter's token, TaskTimedOut when its task is over.
type interpreter struct {
	m      *workflow.Machine
	mu     sync.Mutex
	names  []string
	seen   map[string]bool
	ended  chan *workflow.Execution
	expire chan time.Time
}

func (i *interpreter) StartExecution(_ context.Context, in *sdk.StartExecutionInput, _ ...func(*sdk.Options)) (*sdk.StartExecutionOutput, error) {
	name := aws.ToString(in.Name)
	i.mu.Lock()
	if i.seen[name] {
		i.mu.Unlock()
		return nil, &types.ExecutionAlreadyExists{Message: aws.String("Execution Already Exists: '" + name + "'")}
	}
	i.seen[name] = true
	i.names = append(i.names, name)
	i.mu.Unlock()
	var input any
	if err := json.Unmarshal([]byte(aws.ToString(in.Input)), &input); err != nil {
		return nil, &types.InvalidExecutionInput{Message: aws.String(err.Error())}
	}
	go func() {
		ex, err := i.m.Run(context.Background(), input)
		if err != nil {
			ex = &workflow.Execution{Failed: &workflow.Error{Name: "runner", Cause: err.Error()}}
		}
		i.ended <- ex
	}()
	return &sdk.StartExecutionOutput{ExecutionArn: aws.String(machineArn + ":" + name)}, nil
}

func (i *interpreter) SendTaskSuccess(_ context.Context, in *sdk.SendTaskSuccessInput, _ ...func(*sdk.Options)) (*sdk.SendTaskSuccessOutput, error) {
	err := i.m.SendTaskSuccess(aws.ToString(in.TaskToken), json.RawMessage(aws.ToString(in.Output)))
	if errors.Is(err, workflow.ErrTaskTimedOut) {
		return nil, &types.TaskTimedOut{Message: aws.String("Provided task does not exist anymore")}
	}
	if err != nil {
		return nil, err
	}
	return &sdk.SendTaskSuccessOutput{}, nil
}

func (i *interpreter) started() []string {
	i.mu.Lock()
	defer i.mu.Unlock()
	return append([]string(nil), i.names...)
}

func (i *interpreter) execution(t *testing.T) *workflow.Execution {
	t.Helper()
	select {
	case ex := <-i.ended:
		return ex
	case <-time.After(30 * time.Second):
		t.Fatal("no execution ended")
		return nil
	}
}

// interpreted wires a fixture's orders to sfn.Workflow over the
// interpreter: orders start and answer executions exactly as the API
// functions do in AWS.
func interpreted(t *testing.T) (*fixture, *interpreter, *sfn.Workflow) {
	t.Helper()
	f := newFixture(t)
	def, err := workflow.Parse(workflow.PurchaseASL, map[string]string{workflow.StepFunctionArn: workerArn})
	require.NoError(t, err)
	i := &interpreter{seen: map[string]bool{}, ended: make(chan *workflow.Execution, 8), expire: make(chan time.Time, 1)}
	i.m = &workflow.Machine{Def: def,
		Sleep: func(context.Context, time.Duration) error { return nil },
		After: func(time.Duration) <-chan time.Time { return i.expire }}
	w := &sfn.Workflow{API: i, StateMachineArn: machineArn, Waits: f.store, Orders: f.orders, Store: f.store,
		Now: f.now, Wait: 20 * time.Second, Poll: 5 * time.Millisecond}
	worker := workflow.Worker{Orders: f.orders, Tokens: w, Now: f.now}
	i.m.Functions = map[string]workflow.Invoke{workerArn: worker.Invoke}
	f.orders.Completer = w
	return f, i, w
}

// parked waits until the order's execution keeps its payment wait's token
// in the table (the worker ran AwaitPayment).
func parked(t *testing.T, f *fixture, orderID string) string {
	t.Helper()
	for range 2000 {
		token, err := f.store.PaymentWait(context.Background(), orderID)
		require.NoError(t, err)
		if token != "" {
			return token
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("the execution never parked on the payment wait")
	return ""
}

var paidPath = []string{"AwaitPayment", "Decide", "Route", "ConfirmSeats", "Route", "IssueTickets", "Route", "Done"}

func TestTokenFlowThroughTheLocalInterpreter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("an approved card: the execution createOrder started parks on its token and the card's answer completes it before Pay returns", func(t *testing.T) {
		t.Parallel()
		f, i, _ := interpreted(t)
		o := f.create(t, "ord-int-card")
		parked(t, f, o.ID)
		p := f.pay(t, o.ID, psp.Card, psp.CardApproves)
		assert.Equal(t, orders.PaymentApproved, p.Status)
		got, h, _ := f.state(t, o.ID)
		assert.Equal(t, orders.Paid, got.Status, "PAID when Pay answers")
		assert.Equal(t, booking.Confirmed, h.StatusAt(f.now()))
		for _, l := range got.Tickets {
			assert.NotEmpty(t, l.TicketID)
		}
		ex := i.execution(t)
		assert.Equal(t, paidPath, ex.Visited)
		f.sim.Flush()
		assert.Equal(t, []string{o.ID}, i.started(), "one execution, named after the order")
		token, err := f.store.PaymentWait(ctx, o.ID)
		require.NoError(t, err)
		assert.Empty(t, token)
	})

	t.Run("a declined card: the execution releases the seat and fails the order", func(t *testing.T) {
		t.Parallel()
		f, i, _ := interpreted(t)
		o := f.create(t, "ord-int-declined")
		parked(t, f, o.ID)
		p := f.pay(t, o.ID, psp.Card, psp.CardDeclines)
		assert.Equal(t, orders.PaymentDeclined, p.Status)
		got, h, _ := f.state(t, o.ID)
		assert.Equal(t, orders.Failed, got.Status)
		assert.NotEqual(t, booking.Ordered, h.StatusAt(f.now()), "the seat is free")
		assert.NotEqual(t, booking.Confirmed, h.StatusAt(f.now()))
		assert.Nil(t, i.execution(t).Failed)
	})

	t.Run("Pix: the execution waits on the token the worker kept, and the webhook sends it", func(t *testing.T) {
		t.Parallel()
		f, i, _ := interpreted(t)
		o := f.create(t, "ord-int-pix")
		token := parked(t, f, o.ID)
		p := f.pay(t, o.ID, psp.Pix, "")
		assert.Equal(t, orders.PaymentPending, p.Status)
		still, err := f.store.PaymentWait(ctx, o.ID)
		require.NoError(t, err)
		assert.Equal(t, token, still, "a pending Pix leaves the execution waiting")

		require.NoError(t, f.sim.PayPix(p.ID))
		f.sim.Flush()
		ex := i.execution(t)
		assert.Equal(t, paidPath, ex.Visited)
		got, _, _ := f.state(t, o.ID)
		assert.Equal(t, orders.Paid, got.Status)
		assert.Equal(t, []string{o.ID}, i.started())
	})

	t.Run("never paid: the wait times out at the hold's expiry and the order EXPIRES with its seat free", func(t *testing.T) {
		t.Parallel()
		f, i, _ := interpreted(t)
		o := f.create(t, "ord-int-expired")
		parked(t, f, o.ID)
		f.set(o.ExpiresAt.Add(time.Second))
		i.expire <- f.now()
		ex := i.execution(t)
		assert.Nil(t, ex.Failed)
		assert.Equal(t, []string{"AwaitPayment", "Decide", "Route", "ExpireOrder", "Route", "Done"}, ex.Visited)
		got, h, _ := f.state(t, o.ID)
		assert.Equal(t, orders.Expired, got.Status)
		assert.Equal(t, booking.Expired, h.StatusAt(f.now()))
	})

	t.Run("a cancellation refunds through an execution of its own, answered at once by the worker", func(t *testing.T) {
		t.Parallel()
		f, i, _ := interpreted(t)
		o := f.create(t, "ord-int-cancel")
		parked(t, f, o.ID)
		f.pay(t, o.ID, psp.Card, psp.CardApproves)
		assert.Equal(t, paidPath, i.execution(t).Visited)
		f.sim.Flush()

		got, err := f.orders.Cancel(ctx, "user-ana", o.ID, f.now())
		require.NoError(t, err)
		assert.Equal(t, orders.Refunded, got.Status, "REFUNDED when Cancel answers")
		assert.Equal(t, got.Totals.Total, got.Refund)
		ex := i.execution(t)
		assert.Equal(t, []string{"AwaitPayment", "Decide", "Route", "RefundPayment", "Route", "MarkRefunded", "Route", "Done"}, ex.Visited)
		assert.Equal(t, []string{o.ID, o.ID + "-cancelled"}, i.started())
		_, _, p := f.state(t, o.ID)
		assert.Equal(t, orders.PaymentRefunded, p.Status)
		assert.Equal(t, 1, f.sim.Captures(), "charged once")
	})
}
