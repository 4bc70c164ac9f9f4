package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"bilhetagem/internal/orders"
)

// LocalStepFunction is the FunctionName the local run substitutes for
// ${StepFunctionArn}.
const LocalStepFunction = "local:purchase-step"

// Input is the execution input of the purchase workflow.
type Input struct {
	OrderID string `json:"orderId"`
	// HoldSeconds is how long the payment wait lasts: the seconds left
	// until the hold expires, at least 1.
	HoldSeconds int `json:"holdSeconds"`
}

// InputFor is the execution input for an order at now.
func InputFor(o orders.Order, now time.Time) Input {
	secs := int(o.ExpiresAt.Sub(now).Round(time.Second) / time.Second)
	return Input{OrderID: o.ID, HoldSeconds: max(secs, 1)}
}

// Local runs the purchase definition in process: its tasks go to a Worker
// over completion, and the payment wait is answered by PaymentSettled.
type Local struct {
	Machine *Machine
	Worker  Worker

	mu      sync.Mutex
	waiting map[string]string // order id -> task token
}

// NewLocal builds the local run of PurchaseASL over completion.
func NewLocal(completion Completion, now func() time.Time) (*Local, error) {
	def, err := Parse(PurchaseASL, map[string]string{StepFunctionArn: LocalStepFunction})
	if err != nil {
		return nil, err
	}
	l := &Local{Machine: &Machine{Def: def}, waiting: map[string]string{}}
	l.Worker = Worker{Orders: completion, Tokens: l, Now: now}
	l.Machine.Functions = map[string]Invoke{LocalStepFunction: l.Worker.Invoke}
	return l, nil
}

// Run executes the workflow for an order until it ends.
func (l *Local) Run(ctx context.Context, in Input) (*Execution, error) {
	return l.Machine.Run(ctx, in)
}

// Await answers the payment wait at once when the payment is already
// decided, and keeps the token for PaymentSettled otherwise.
func (l *Local) Await(_ context.Context, orderID, token string, next orders.Step) error {
	if next != orders.StepWait {
		return l.Machine.SendTaskSuccess(token, mustJSON(StepResult{Next: string(next)}))
	}
	l.mu.Lock()
	l.waiting[orderID] = token
	l.mu.Unlock()
	return nil
}

// PaymentSettled ends an order's payment wait (the webhook's callback);
// false when no execution waits for that order (none started, or its wait
// timed out: the workflow decides from what is stored anyway).
func (l *Local) PaymentSettled(orderID string) (bool, error) {
	l.mu.Lock()
	token, ok := l.waiting[orderID]
	delete(l.waiting, orderID)
	l.mu.Unlock()
	if !ok {
		return false, nil
	}
	err := l.Machine.SendTaskSuccess(token, json.RawMessage(`{}`))
	if errors.Is(err, ErrTaskTimedOut) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("payment settled: %w", err)
	}
	return true, nil
}

// Waiting reports whether an execution waits for the order's payment.
func (l *Local) Waiting(orderID string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.waiting[orderID]
	return ok
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
