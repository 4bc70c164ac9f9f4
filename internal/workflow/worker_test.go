package workflow

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/orders"
)

func TestWorkerRunsOneNamedStep(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		req     StepRequest
		answers []orders.Step
		want    string
		calls   []string
		errName string
	}{
		{name: "DECIDE answers orders.Decide", req: StepRequest{Step: StepDecide, OrderID: "o1"},
			answers: []orders.Step{orders.StepConfirmSeats}, want: "CONFIRM_SEATS", calls: []string{"next"}},
		{name: "a completion step runs and answers the next", req: StepRequest{Step: "ISSUE_TICKETS", OrderID: "o1"},
			answers: []orders.Step{orders.StepDone}, want: "DONE", calls: []string{"ISSUE_TICKETS"}},
		{name: "COMPENSATE runs the compensation", req: StepRequest{Step: StepCompensate, OrderID: "o1"},
			answers: []orders.Step{orders.StepDone}, want: "DONE", calls: []string{"compensate"}},
		{name: "AWAIT_PAYMENT without a token is refused", req: StepRequest{Step: StepAwaitPayment, OrderID: "o1"},
			errName: "Purchase.BadRequest"},
		{name: "an unknown step is refused", req: StepRequest{Step: "SELL_POPCORN", OrderID: "o1"}, errName: "Purchase.UnknownStep"},
		{name: "WAIT_FOR_PAYMENT is not a step to run", req: StepRequest{Step: "WAIT_FOR_PAYMENT", OrderID: "o1"}, errName: "Purchase.UnknownStep"},
		{name: "an order id is required", req: StepRequest{Step: StepDecide}, errName: "Purchase.BadRequest"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sc := &script{decisions: tc.answers, failures: map[orders.Step]int{}}
			w := Worker{Orders: sc, Now: func() time.Time { return time.Unix(0, 0) }}
			payload, _ := json.Marshal(tc.req)
			out, err := w.Invoke(context.Background(), payload)
			if tc.errName != "" {
				var e *Error
				require.ErrorAs(t, err, &e)
				assert.Equal(t, tc.errName, e.Name)
				assert.Empty(t, sc.calls, "nothing ran")
				return
			}
			require.NoError(t, err)
			assert.JSONEq(t, `{"next":"`+tc.want+`"}`, string(out))
			assert.Equal(t, tc.calls, sc.calls)
		})
	}
}

func TestInputForWaitsUntilTheHoldExpires(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 4, 20, 0, 0, 0, time.UTC)
	o := orders.Order{ID: "o1", ExpiresAt: now.Add(7*time.Minute + 400*time.Millisecond)}
	assert.Equal(t, Input{OrderID: "o1", HoldSeconds: 420}, InputFor(o, now))
	assert.Equal(t, 1, InputFor(o, now.Add(time.Hour)).HoldSeconds, "at least a second: TimeoutSecondsPath must be positive")
}
