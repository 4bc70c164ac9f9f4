package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/orders"
)

// script is a completion whose answers are scripted: each Next, RunStep or
// Compensate call returns the next decision, and a step may fail.
type script struct {
	mu        sync.Mutex
	decisions []orders.Step
	// failures per step: n > 0 fails n times, -1 fails always.
	failures map[orders.Step]int
	calls    []string
}

func (s *script) pop(call string) (orders.Step, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, call)
	if len(s.decisions) == 0 {
		return "", errors.New("script exhausted at " + call)
	}
	d := s.decisions[0]
	s.decisions = s.decisions[1:]
	return d, nil
}

func (s *script) Next(context.Context, string, time.Time) (orders.Step, error) { return s.pop("next") }

func (s *script) RunStep(_ context.Context, _ string, step orders.Step, _ time.Time) (orders.Step, error) {
	s.mu.Lock()
	n := s.failures[step]
	if n != 0 {
		if n > 0 {
			s.failures[step] = n - 1
		}
		s.calls = append(s.calls, "fail "+string(step))
		s.mu.Unlock()
		return "", errors.New("dynamodb unavailable")
	}
	s.mu.Unlock()
	return s.pop(string(step))
}

func (s *script) Compensate(context.Context, string, time.Time) (orders.Step, error) {
	return s.pop("compensate")
}

// pathFromASL walks the definition's declared transitions, without running
// anything: Route takes the branch whose StringEquals is the next routed
// decision, a state listed in fails leaves through its Catch for that error,
// every other state through Next; it stops at a terminal state.
func pathFromASL(t *testing.T, def *Definition, routed []orders.Step, fails map[string]string) []string {
	t.Helper()
	var path []string
	name := def.StartAt
	for range 100 {
		path = append(path, name)
		s := def.States[name]
		if def.Terminal(name) {
			return path
		}
		switch {
		case s.Type == "Choice":
			require.NotEmpty(t, routed, "the walk reached %s with no decision left (path %v)", name, path)
			next := s.Default
			for _, c := range s.Choices {
				if *c.StringEquals == string(routed[0]) {
					next = c.Next
					break
				}
			}
			routed = routed[1:]
			name = next
		case fails[name] != "":
			caught := ""
			for _, c := range s.Catch {
				if slices.Contains(c.ErrorEquals, fails[name]) || slices.Contains(c.ErrorEquals, ErrNameAll) {
					caught = c.Next
					break
				}
			}
			require.NotEmpty(t, caught, "%s declares no catch for %s", name, fails[name])
			name = caught
		default:
			name = s.Next
		}
	}
	t.Fatalf("the walk did not end: %v", path)
	return nil
}

// instantTimeout fires the payment wait's timeout at once; never never does.
func instantTimeout(time.Duration) <-chan time.Time {
	c := make(chan time.Time, 1)
	c <- time.Now()
	return c
}

func never(time.Duration) <-chan time.Time { return nil }

func TestLocalRunTakesTheTransitionsTheDefinitionDeclares(t *testing.T) {
	t.Parallel()
	const C, I, R, F, E, P, M, W, D = orders.StepConfirmSeats, orders.StepIssueTickets, orders.StepReleaseSeats,
		orders.StepFailOrder, orders.StepExpireOrder, orders.StepRefund, orders.StepMarkRefunded, orders.StepWait, orders.StepDone
	cases := []struct {
		name string
		// answers of the scripted completion, in call order: the payment
		// wait's Decide, then DECIDE, then each step's next.
		answers  []orders.Step
		failures map[orders.Step]int
		// payLater: the payment wait is answered by PaymentSettled (a Pix
		// webhook) instead of at once; timeout: it times out instead.
		payLater, timeout bool
		routed            []orders.Step
		fails             map[string]string
		attempts          map[string]int
		waits             []time.Duration
		failed            string
	}{
		{name: "paid by a pix webhook: confirm seats, issue tickets",
			answers: []orders.Step{W, C, I, D}, payLater: true, routed: []orders.Step{C, I, D},
			attempts: map[string]int{"AwaitPayment": 1, "Decide": 1, "ConfirmSeats": 1, "IssueTickets": 1}},
		{name: "declined card: release seats, fail the order",
			answers: []orders.Step{R, R, F, D}, routed: []orders.Step{R, F, D},
			attempts: map[string]int{"ReleaseSeats": 1, "FailOrder": 1}},
		{name: "hold expired during payment, then a late payment: expire, refund, mark refunded",
			answers: []orders.Step{W, E, P, M, D}, timeout: true, routed: []orders.Step{E, P, M, D},
			fails: map[string]string{"AwaitPayment": ErrNameTimeout}, attempts: map[string]int{"AwaitPayment": 1, "ExpireOrder": 1}},
		{name: "a step failing twice then succeeding is retried with backoff",
			answers: []orders.Step{C, C, I, D}, failures: map[orders.Step]int{C: 2}, routed: []orders.Step{C, I, D},
			attempts: map[string]int{"ConfirmSeats": 3, "IssueTickets": 1}, waits: []time.Duration{2 * time.Second, 4 * time.Second}},
		{name: "a step failing always is caught and compensated",
			answers: []orders.Step{C, C, I, D}, failures: map[orders.Step]int{I: -1}, routed: []orders.Step{C, I},
			fails: map[string]string{"IssueTickets": ErrNameTaskFailed}, attempts: map[string]int{"IssueTickets": 4, "Compensate": 1},
			waits: []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second}, failed: "Purchase.StepFailed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sc := &script{decisions: tc.answers, failures: tc.failures}
			if sc.failures == nil {
				sc.failures = map[orders.Step]int{}
			}
			l, err := NewLocal(sc, func() time.Time { return time.Unix(0, 0) })
			require.NoError(t, err)
			l.Machine.After = never
			if tc.timeout {
				l.Machine.After = instantTimeout
			}
			l.Machine.Sleep = func(context.Context, time.Duration) error { return nil }
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()

			done := make(chan struct{})
			var ex *Execution
			var runErr error
			go func() { defer close(done); ex, runErr = l.Run(ctx, Input{OrderID: "o1", HoldSeconds: 600}) }()
			if tc.payLater {
				require.Eventually(t, func() bool { return l.Waiting("o1") }, 5*time.Second, time.Millisecond)
				ok, err := l.PaymentSettled("o1")
				require.NoError(t, err)
				assert.True(t, ok, "the waiting execution took the callback")
			}
			<-done
			require.NoError(t, runErr)

			want := pathFromASL(t, l.Machine.Def, tc.routed, tc.fails)
			assert.Equal(t, want, ex.Visited)
			transitions := l.Machine.Def.Transitions()
			for i := 1; i < len(ex.Visited); i++ {
				assert.Contains(t, transitions, ex.Visited[i-1]+"->"+ex.Visited[i], "a declared transition")
			}
			for state, n := range tc.attempts {
				assert.Equal(t, n, ex.Attempts[state], "tries of %s", state)
			}
			assert.Equal(t, tc.waits, ex.Waits, "retry back-off")
			if tc.failed == "" {
				assert.Nil(t, ex.Failed)
			} else if assert.NotNil(t, ex.Failed) {
				assert.Equal(t, tc.failed, ex.Failed.Name)
			}
			assert.Empty(t, sc.decisions, "every scripted answer was used")
			if tc.timeout {
				ok, err := l.PaymentSettled("o1")
				require.NoError(t, err)
				assert.False(t, ok, "a payment after the wait timed out finds no waiting task")
			}
		})
	}
}

func TestRouteHasABranchForEveryCompletionStep(t *testing.T) {
	t.Parallel()
	def, err := Parse(PurchaseASL, map[string]string{StepFunctionArn: LocalStepFunction})
	require.NoError(t, err)
	var values []string
	for _, c := range def.States["Route"].Choices {
		values = append(values, *c.StringEquals)
	}
	for _, s := range []orders.Step{orders.StepWait, orders.StepConfirmSeats, orders.StepIssueTickets, orders.StepReleaseSeats,
		orders.StepFailOrder, orders.StepExpireOrder, orders.StepRefund, orders.StepMarkRefunded, orders.StepVoidOrder, orders.StepDone} {
		assert.Contains(t, values, string(s))
		if s != orders.StepWait && s != orders.StepDone {
			assert.Contains(t, completionSteps, string(s), "the worker runs %s", s)
		}
	}
	for name, s := range def.States {
		if s.Type == "Task" && name != "Compensate" {
			assert.NotEmpty(t, s.Retry, "%s retries", name)
			if assert.NotEmpty(t, s.Catch, "%s has a catch path", name) {
				assert.Equal(t, "Compensate", s.Catch[len(s.Catch)-1].Next, "%s is compensated", name)
			}
		}
	}
	assert.Equal(t, []string{StepFunctionArn}, Substitutions(PurchaseASL))
}

func TestParseRefusesWhatTheRunnerCannotRun(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		asl  string
		subs map[string]string
	}{
		"a substitution without a value":  {PurchaseASL, nil},
		"a field outside the subset":      {`{"StartAt":"A","States":{"A":{"Type":"Pass","ItemsPath":"$","End":true}}}`, nil},
		"a state type outside the subset": {`{"StartAt":"A","States":{"A":{"Type":"Map","End":true}}}`, nil},
		"a transition to no state":        {`{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}`, nil},
		"a resource outside the subset":   {`{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","End":true}}}`, nil},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(tc.asl, tc.subs)
			assert.Error(t, err)
		})
	}
}

func TestMachineRunsPassWaitAndPaths(t *testing.T) {
	t.Parallel()
	def, err := Parse(`{"StartAt":"Seed","States":{
		"Seed":{"Type":"Pass","Result":{"n":2},"ResultPath":"$.seed","Next":"Pause"},
		"Pause":{"Type":"Wait","SecondsPath":"$.seed.n","Next":"Pick"},
		"Pick":{"Type":"Choice","Choices":[{"Variable":"$.kind","StringEquals":"a","Next":"Call"}],"Default":"Nope"},
		"Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f","Payload":{"x.$":"$.seed.n","id.$":"$$.Execution.Id"}},
			"ResultSelector":{"got.$":"$.Payload.x"},"ResultPath":"$.out","OutputPath":"$.out","End":true},
		"Nope":{"Type":"Fail","Error":"No","Cause":"no"}}}`, nil)
	require.NoError(t, err)
	var slept []time.Duration
	m := &Machine{Def: def, Sleep: func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil },
		Functions: map[string]Invoke{"f": func(_ context.Context, p json.RawMessage) (json.RawMessage, error) { return p, nil }}}
	ex, err := m.Run(context.Background(), map[string]any{"kind": "a"})
	require.NoError(t, err)
	assert.Equal(t, []string{"Seed", "Pause", "Pick", "Call"}, ex.Visited)
	assert.Equal(t, map[string]any{"got": float64(2)}, ex.Output)
	assert.Equal(t, []time.Duration{2 * time.Second}, slept)

	ex, err = m.Run(context.Background(), map[string]any{"kind": "b"})
	require.NoError(t, err)
	assert.Equal(t, []string{"Seed", "Pause", "Pick", "Nope"}, ex.Visited)
	require.NotNil(t, ex.Failed)
	assert.Equal(t, "No", ex.Failed.Name)
}
