package workflow

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"bilhetagem/internal/orders"
)

// Steps of the definition that are not completion steps of orders.
const (
	// StepDecide answers orders.Decide for the order.
	StepDecide = "DECIDE"
	// StepAwaitPayment receives the task token of the payment wait.
	StepAwaitPayment = "AWAIT_PAYMENT"
	// StepCompensate is the catch path (orders.Service.Compensate).
	StepCompensate = "COMPENSATE"
)

// StepRequest is the payload every task of the definition sends the step
// worker.
type StepRequest struct {
	Step      string `json:"step"`
	OrderID   string `json:"orderId"`
	TaskToken string `json:"taskToken,omitempty"`
}

// StepResult is the worker's answer: the next step, as orders.Decide sees
// it after the step ran.
type StepResult struct {
	Next string `json:"next"`
}

// Completion is what the worker needs from orders.Service.
type Completion interface {
	Next(ctx context.Context, orderID string, now time.Time) (orders.Step, error)
	RunStep(ctx context.Context, orderID string, step orders.Step, now time.Time) (orders.Step, error)
	Compensate(ctx context.Context, orderID string, now time.Time) (orders.Step, error)
}

// Tokens keeps the task token of an order waiting for its payment.
type Tokens interface {
	// Await is called with the token of an order's payment wait; next is
	// what Decide says now, so an order whose payment is already decided
	// can be answered at once.
	Await(ctx context.Context, orderID, token string, next orders.Step) error
}

// Worker runs one named step for an order: the purchase-step Lambda in AWS,
// the local Machine's functions in process.
type Worker struct {
	Orders Completion
	Tokens Tokens
	Now    func() time.Time
}

// completionSteps are the orders steps a task may name.
var completionSteps = map[string]orders.Step{}

func init() {
	for _, s := range []orders.Step{orders.StepConfirmSeats, orders.StepIssueTickets, orders.StepReleaseSeats,
		orders.StepFailOrder, orders.StepExpireOrder, orders.StepRefund, orders.StepMarkRefunded, orders.StepVoidOrder} {
		completionSteps[string(s)] = s
	}
}

// Handle runs the step of req.
func (w Worker) Handle(ctx context.Context, req StepRequest) (StepResult, error) {
	if req.OrderID == "" {
		return StepResult{}, &Error{Name: "Purchase.BadRequest", Cause: "orderId is empty"}
	}
	now := time.Now()
	if w.Now != nil {
		now = w.Now()
	}
	var next orders.Step
	var err error
	switch req.Step {
	case StepDecide:
		next, err = w.Orders.Next(ctx, req.OrderID, now)
	case StepCompensate:
		next, err = w.Orders.Compensate(ctx, req.OrderID, now)
	case StepAwaitPayment:
		if req.TaskToken == "" {
			return StepResult{}, &Error{Name: "Purchase.BadRequest", Cause: "AWAIT_PAYMENT needs taskToken"}
		}
		if next, err = w.Orders.Next(ctx, req.OrderID, now); err == nil && w.Tokens != nil {
			err = w.Tokens.Await(ctx, req.OrderID, req.TaskToken, next)
		}
	default:
		step, ok := completionSteps[req.Step]
		if !ok {
			return StepResult{}, &Error{Name: "Purchase.UnknownStep", Cause: fmt.Sprintf("no step %q", req.Step)}
		}
		next, err = w.Orders.RunStep(ctx, req.OrderID, step, now)
	}
	if err != nil {
		return StepResult{}, fmt.Errorf("purchase step %s for order %s: %w", req.Step, req.OrderID, err)
	}
	return StepResult{Next: string(next)}, nil
}

// Invoke is Handle as a Machine function (JSON in, JSON out).
func (w Worker) Invoke(ctx context.Context, payload json.RawMessage) (json.RawMessage, error) {
	var req StepRequest
	if err := json.Unmarshal(payload, &req); err != nil {
		return nil, &Error{Name: "Purchase.BadRequest", Cause: err.Error()}
	}
	res, err := w.Handle(ctx, req)
	if err != nil {
		return nil, err
	}
	return json.Marshal(res)
}
