package workflow

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"bilhetagem/internal/orders"
)

// OrderReader reads an order as stored.
type OrderReader interface {
	GetOrder(ctx context.Context, id string) (orders.Order, error)
}

// Completer is orders.Completer through the purchase workflow run locally:
// Complete starts an execution of the definition for the order (one at a
// time per order), hands a decided payment to an execution waiting for it
// through the task-token callback, and waits until the execution ends or
// waits for the payment, at most Wait; then it reads the order. The AWS
// path would start a Step Functions execution and call SendTaskSuccess in
// the same places.
type Completer struct {
	Local  *Local
	Orders OrderReader
	// Wait bounds how long Complete waits for the execution (default 10s):
	// past it the execution goes on and the order is read as it stands.
	Wait time.Duration
	Log  *slog.Logger
	// Base is the context executions run under: they outlive the request
	// that started them, as a Step Functions execution does.
	Base context.Context
	// Ended, when set, is told of every execution that ended (tests).
	Ended func(orderID string, ex *Execution, err error)

	mu   sync.Mutex
	runs map[string]*Run
}

// Run is an execution the Completer started.
type Run struct {
	done chan struct{}
	Ex   *Execution
	Err  error
}

// Done is closed when the execution has ended.
func (r *Run) Done() <-chan struct{} { return r.done }

// NewCompleter runs the purchase workflow over completion in process.
func NewCompleter(completion Completion, store OrderReader, log *slog.Logger, now func() time.Time) (*Completer, error) {
	l, err := NewLocal(completion, now)
	if err != nil {
		return nil, err
	}
	return &Completer{Local: l, Orders: store, Log: log}, nil
}

var _ orders.Completer = (*Completer)(nil)

// Complete runs the order's completion through the workflow.
func (c *Completer) Complete(ctx context.Context, orderID string, now time.Time) (orders.Order, error) {
	r, err := c.Start(ctx, orderID, now)
	if err != nil {
		return orders.Order{}, err
	}
	if r != nil {
		if err := c.await(ctx, r, orderID, now); err != nil {
			return orders.Order{}, err
		}
	}
	o, err := c.Orders.GetOrder(ctx, orderID)
	if err != nil {
		return orders.Order{}, fmt.Errorf("complete order %s: %w", orderID, err)
	}
	return o, nil
}

// Start returns the order's running execution, or starts one; nil when the
// order's completion is done and none runs.
func (c *Completer) Start(ctx context.Context, orderID string, now time.Time) (*Run, error) {
	c.mu.Lock()
	r := c.runs[orderID]
	c.mu.Unlock()
	if r != nil {
		return r, nil
	}
	next, err := c.Local.Worker.Orders.Next(ctx, orderID, now)
	if err != nil {
		return nil, fmt.Errorf("complete order %s: %w", orderID, err)
	}
	if next == orders.StepDone {
		return nil, nil
	}
	o, err := c.Orders.GetOrder(ctx, orderID)
	if err != nil {
		return nil, fmt.Errorf("complete order %s: %w", orderID, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if r := c.runs[orderID]; r != nil {
		return r, nil
	}
	if c.runs == nil {
		c.runs = map[string]*Run{}
	}
	r = &Run{done: make(chan struct{})}
	c.runs[orderID] = r
	base := c.Base
	if base == nil {
		base = context.Background()
	}
	in := InputFor(o, now)
	go func() {
		r.Ex, r.Err = c.Local.Run(base, in)
		c.mu.Lock()
		delete(c.runs, orderID)
		c.mu.Unlock()
		switch {
		case r.Err != nil:
			c.log().Error("purchase workflow stopped", "order", orderID, "error", r.Err.Error())
		case r.Ex.Failed != nil:
			c.log().Error("purchase workflow failed", "order", orderID, "execution", r.Ex.ID,
				"error", r.Ex.Failed.Name, "visited", r.Ex.Visited)
		}
		if c.Ended != nil {
			c.Ended(orderID, r.Ex, r.Err)
		}
		close(r.done)
	}()
	return r, nil
}

// await waits for r to end, or to wait for a payment that is not decided
// yet; a decided payment is handed to the waiting execution.
func (c *Completer) await(ctx context.Context, r *Run, orderID string, now time.Time) error {
	wait := c.Wait
	if wait <= 0 {
		wait = 10 * time.Second
	}
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for {
		if c.Local.Waiting(orderID) {
			next, err := c.Local.Worker.Orders.Next(ctx, orderID, now)
			if err != nil {
				return fmt.Errorf("complete order %s: %w", orderID, err)
			}
			if next == orders.StepWait {
				return nil // waits for the webhook or the hold's expiry
			}
			if _, err := c.Local.PaymentSettled(orderID); err != nil {
				return fmt.Errorf("complete order %s: %w", orderID, err)
			}
		}
		select {
		case <-r.done:
			if r.Err != nil {
				return fmt.Errorf("complete order %s: %w", orderID, r.Err)
			}
			return nil
		case <-deadline.C:
			c.log().Warn("purchase workflow still running", "order", orderID, "after", wait.String())
			return nil
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

func (c *Completer) log() *slog.Logger {
	if c.Log != nil {
		return c.Log
	}
	return slog.Default()
}
