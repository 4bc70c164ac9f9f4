package workflow

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Error is a named failure as Step Functions sees it: States.Timeout,
// States.TaskFailed, or the name a task or a Fail state gives.
type Error struct {
	Name  string
	Cause string
}

func (e *Error) Error() string { return e.Name + ": " + e.Cause }

// Names of the States.* errors the runner raises.
const (
	ErrNameAll        = "States.ALL"
	ErrNameTimeout    = "States.Timeout"
	ErrNameTaskFailed = "States.TaskFailed"
	ErrNameRuntime    = "States.Runtime"
)

// ErrTaskTimedOut is SendTaskSuccess/Failure for a token whose task is over
// (timed out, or answered already): Step Functions' TaskTimedOut.
var ErrTaskTimedOut = errors.New("task timed out or already answered")

// Invoke runs a Lambda task's function with its payload; a returned *Error
// keeps its name, any other error is States.TaskFailed.
type Invoke func(ctx context.Context, payload json.RawMessage) (json.RawMessage, error)

// Machine runs a definition in process.
type Machine struct {
	Def *Definition
	// Functions are the Lambda tasks' functions by FunctionName (the value
	// substituted into the definition).
	Functions map[string]Invoke
	// After and Sleep are the clock: task-token timeouts and retry
	// back-offs. time.After and a context-aware sleep when nil.
	After func(time.Duration) <-chan time.Time
	Sleep func(context.Context, time.Duration) error

	mu     sync.Mutex
	tokens map[string]chan tokenAnswer
}

type tokenAnswer struct {
	output json.RawMessage
	err    *Error
}

// Execution is what a run did.
type Execution struct {
	ID string
	// Visited are the states entered, in order (a retried task once).
	Visited []string
	// Attempts counts the tries of each task state, retries included.
	Attempts map[string]int
	// Waits are the back-off delays slept between retries.
	Waits  []time.Duration
	Output any
	// Failed is the error a Fail state or an uncaught error ended with.
	Failed *Error
}

// Run executes the definition from StartAt with input until a terminal
// state; the returned error is for the runner itself (a cancelled context),
// a failed execution is in Execution.Failed.
func (m *Machine) Run(ctx context.Context, input any) (*Execution, error) {
	var in any
	raw, err := json.Marshal(input)
	if err != nil {
		return nil, fmt.Errorf("run workflow: %w", err)
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, fmt.Errorf("run workflow: %w", err)
	}
	ex := &Execution{ID: "local:" + randomHex(8), Attempts: map[string]int{}}
	name := m.Def.StartAt
	for {
		if err := ctx.Err(); err != nil {
			return ex, fmt.Errorf("run workflow: %w", err)
		}
		s, ok := m.Def.States[name]
		if !ok {
			return ex, fmt.Errorf("run workflow: no state %q", name)
		}
		ex.Visited = append(ex.Visited, name)
		next, out, failed, err := m.step(ctx, ex, name, s, in)
		if err != nil {
			return ex, err
		}
		if failed != nil {
			ex.Failed = failed
			return ex, nil
		}
		in = out
		if next == "" {
			ex.Output = out
			return ex, nil
		}
		name = next
	}
}

// step runs one state: its next state ("" at the end), its output, or the
// error that ends the execution.
func (m *Machine) step(ctx context.Context, ex *Execution, name string, s *State, in any) (string, any, *Error, error) {
	switch s.Type {
	case "Succeed":
		out, err := paths(s, in, nil, false)
		return "", out, asError(err), nil
	case "Fail":
		return "", nil, &Error{Name: s.Error, Cause: s.Cause}, nil
	case "Pass":
		var result any = nil
		hasResult := false
		if len(s.Result) > 0 {
			if err := json.Unmarshal(s.Result, &result); err != nil {
				return "", nil, &Error{Name: ErrNameRuntime, Cause: err.Error()}, nil
			}
			hasResult = true
		}
		out, err := paths(s, in, result, hasResult)
		if err != nil {
			return "", nil, asError(err), nil
		}
		return s.Next, out, nil, nil
	case "Wait":
		d := time.Duration(s.Seconds) * time.Second
		if s.SecondsPath != "" {
			n, err := seconds(in, s.SecondsPath)
			if err != nil {
				return "", nil, asError(err), nil
			}
			d = time.Duration(n) * time.Second
		}
		if err := m.sleep(ctx, d); err != nil {
			return "", nil, nil, err
		}
		out, err := paths(s, in, nil, false)
		return s.Next, out, asError(err), nil
	case "Choice":
		input, err := selectPath(s.InputPath, in)
		if err != nil {
			return "", nil, asError(err), nil
		}
		for _, c := range s.Choices {
			v, err := Get(input, c.Variable)
			if err == nil {
				if str, ok := v.(string); ok && str == *c.StringEquals {
					return c.Next, in, nil, nil
				}
			}
		}
		if s.Default == "" {
			return "", nil, &Error{Name: "States.NoChoiceMatched", Cause: "state " + name}, nil
		}
		return s.Default, in, nil, nil
	case "Task":
		return m.task(ctx, ex, name, s, in)
	}
	return "", nil, &Error{Name: ErrNameRuntime, Cause: "unknown state type " + s.Type}, nil
}

func (m *Machine) task(ctx context.Context, ex *Execution, name string, s *State, in any) (string, any, *Error, error) {
	retries := make([]int, len(s.Retry))
	for {
		ex.Attempts[name]++
		out, terr := m.attempt(ctx, ex, name, s, in)
		if terr == nil {
			next := s.Next
			if s.End {
				next = ""
			}
			return next, out, nil, nil
		}
		if err := ctx.Err(); err != nil {
			return "", nil, nil, fmt.Errorf("run workflow: %w", err)
		}
		if i := retrier(s.Retry, terr.Name); i >= 0 {
			r := s.Retry[i]
			max := 3
			if r.MaxAttempts != nil {
				max = *r.MaxAttempts
			}
			if retries[i] < max {
				interval, rate := 1.0, 2.0
				if r.IntervalSeconds != nil {
					interval = *r.IntervalSeconds
				}
				if r.BackoffRate != nil {
					rate = *r.BackoffRate
				}
				delay := interval * math.Pow(rate, float64(retries[i]))
				if r.MaxDelaySeconds > 0 && delay > float64(r.MaxDelaySeconds) {
					delay = float64(r.MaxDelaySeconds)
				}
				retries[i]++
				d := time.Duration(delay * float64(time.Second))
				ex.Waits = append(ex.Waits, d)
				if err := m.sleep(ctx, d); err != nil {
					return "", nil, nil, err
				}
				continue
			}
		}
		for _, c := range s.Catch {
			if matches(c.ErrorEquals, terr.Name) {
				out, err := setResult(c.ResultPath, in, map[string]any{"Error": terr.Name, "Cause": terr.Cause})
				if err != nil {
					return "", nil, asError(err), nil
				}
				return c.Next, out, nil, nil
			}
		}
		return "", nil, terr, nil
	}
}

// attempt is one try of a task: the effective input, the call, and the
// result filters.
func (m *Machine) attempt(ctx context.Context, ex *Execution, name string, s *State, in any) (any, *Error) {
	input, err := selectPath(s.InputPath, in)
	if err != nil {
		return nil, asError(err)
	}
	token := ""
	if s.Resource == ResourceLambdaWaitForToken {
		token = ex.ID + ":" + name + ":" + randomHex(8)
	}
	ctxObj := map[string]any{"Execution": map[string]any{"Id": ex.ID}, "State": map[string]any{"Name": name}}
	if token != "" {
		ctxObj["Task"] = map[string]any{"Token": token}
	}
	params := input
	if len(s.Parameters) > 0 {
		var tmpl any
		if err := json.Unmarshal(s.Parameters, &tmpl); err != nil {
			return nil, &Error{Name: ErrNameRuntime, Cause: err.Error()}
		}
		if params, err = fill(tmpl, input, ctxObj); err != nil {
			return nil, asError(err)
		}
	}
	p, _ := params.(map[string]any)
	fnName, _ := p["FunctionName"].(string)
	fn := m.Functions[fnName]
	if fn == nil {
		return nil, &Error{Name: ErrNameRuntime, Cause: fmt.Sprintf("no local function for %q", fnName)}
	}
	payload, err := json.Marshal(p["Payload"])
	if err != nil {
		return nil, &Error{Name: ErrNameRuntime, Cause: err.Error()}
	}

	var result any
	if token == "" {
		callCtx := ctx
		if s.TimeoutSeconds > 0 {
			var cancel context.CancelFunc
			callCtx, cancel = context.WithTimeout(ctx, time.Duration(s.TimeoutSeconds)*time.Second)
			defer cancel()
		}
		out, err := fn(callCtx, payload)
		if err != nil {
			if callCtx.Err() == context.DeadlineExceeded && ctx.Err() == nil {
				return nil, &Error{Name: ErrNameTimeout, Cause: "task " + name + " timed out"}
			}
			return nil, taskError(err)
		}
		var body any
		if len(out) > 0 {
			if err := json.Unmarshal(out, &body); err != nil {
				return nil, &Error{Name: ErrNameRuntime, Cause: "function output is not JSON: " + err.Error()}
			}
		}
		result = map[string]any{"StatusCode": float64(200), "Payload": body}
	} else {
		timeout := time.Duration(s.TimeoutSeconds) * time.Second
		if s.TimeoutSecondsPath != "" {
			n, err := seconds(in, s.TimeoutSecondsPath)
			if err != nil {
				return nil, asError(err)
			}
			timeout = time.Duration(n) * time.Second
		}
		answer := make(chan tokenAnswer, 1)
		m.mu.Lock()
		if m.tokens == nil {
			m.tokens = map[string]chan tokenAnswer{}
		}
		m.tokens[token] = answer
		m.mu.Unlock()
		defer m.forget(token)
		if _, err := fn(ctx, payload); err != nil {
			return nil, taskError(err)
		}
		var expired <-chan time.Time
		if timeout > 0 {
			expired = m.after(timeout)
		}
		select {
		case a := <-answer:
			if a.err != nil {
				return nil, a.err
			}
			if err := json.Unmarshal(a.output, &result); err != nil {
				return nil, &Error{Name: ErrNameRuntime, Cause: "task output is not JSON: " + err.Error()}
			}
		case <-expired:
			return nil, &Error{Name: ErrNameTimeout, Cause: "no answer to the task token of " + name + " in time"}
		case <-ctx.Done():
			return nil, &Error{Name: ErrNameRuntime, Cause: ctx.Err().Error()}
		}
	}
	if len(s.ResultSelector) > 0 {
		var tmpl any
		if err := json.Unmarshal(s.ResultSelector, &tmpl); err != nil {
			return nil, &Error{Name: ErrNameRuntime, Cause: err.Error()}
		}
		if result, err = fill(tmpl, result, ctxObj); err != nil {
			return nil, asError(err)
		}
	}
	out, err := setResult(s.ResultPath, in, result)
	if err != nil {
		return nil, asError(err)
	}
	out, err = selectPath(s.OutputPath, out)
	return out, asError(err)
}

// SendTaskSuccess answers a waiting task with its output (JSON).
func (m *Machine) SendTaskSuccess(token string, output json.RawMessage) error {
	if !json.Valid(output) {
		return fmt.Errorf("send task success: output is not JSON")
	}
	return m.answer(token, tokenAnswer{output: output})
}

// SendTaskFailure fails a waiting task with a named error.
func (m *Machine) SendTaskFailure(token, name, cause string) error {
	return m.answer(token, tokenAnswer{err: &Error{Name: name, Cause: cause}})
}

func (m *Machine) answer(token string, a tokenAnswer) error {
	m.mu.Lock()
	ch, ok := m.tokens[token]
	delete(m.tokens, token)
	m.mu.Unlock()
	if !ok {
		return ErrTaskTimedOut
	}
	ch <- a
	return nil
}

func (m *Machine) forget(token string) {
	m.mu.Lock()
	delete(m.tokens, token)
	m.mu.Unlock()
}

func (m *Machine) after(d time.Duration) <-chan time.Time {
	if m.After != nil {
		return m.After(d)
	}
	return time.After(d)
}

func (m *Machine) sleep(ctx context.Context, d time.Duration) error {
	if m.Sleep != nil {
		return m.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("run workflow: %w", ctx.Err())
	}
}

func taskError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Name: ErrNameTaskFailed, Cause: err.Error()}
}

func asError(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Name: ErrNameRuntime, Cause: err.Error()}
}

// retrier is the index of the first retrier matching the error, or -1.
func retrier(rs []Retry, name string) int {
	for i, r := range rs {
		if matches(r.ErrorEquals, name) {
			return i
		}
	}
	return -1
}

func matches(names []string, name string) bool {
	if slices.Contains(names, name) {
		return true
	}
	if name == ErrNameRuntime {
		return false // States.ALL does not catch runtime errors
	}
	if slices.Contains(names, ErrNameAll) {
		return true
	}
	return name != ErrNameTimeout && slices.Contains(names, ErrNameTaskFailed)
}

// paths applies InputPath, the result (Pass) and OutputPath.
func paths(s *State, in any, result any, hasResult bool) (any, error) {
	input, err := selectPath(s.InputPath, in)
	if err != nil {
		return nil, err
	}
	out := input
	if hasResult || len(s.Parameters) > 0 {
		if !hasResult {
			var tmpl any
			if err := json.Unmarshal(s.Parameters, &tmpl); err != nil {
				return nil, err
			}
			if result, err = fill(tmpl, input, nil); err != nil {
				return nil, err
			}
		}
		if out, err = setResult(s.ResultPath, in, result); err != nil {
			return nil, err
		}
	}
	return selectPath(s.OutputPath, out)
}

func selectPath(p *string, in any) (any, error) {
	if p == nil {
		return in, nil
	}
	return Get(in, *p)
}

// fill evaluates a Parameters or ResultSelector template: a "key.$" takes
// the value at its path ("$..." in data, "$$..." in the context object).
func fill(tmpl, data any, ctxObj map[string]any) (any, error) {
	switch t := tmpl.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, v := range t {
			if key, ok := strings.CutSuffix(k, ".$"); ok {
				path, _ := v.(string)
				var err error
				if rest, isCtx := strings.CutPrefix(path, "$$"); isCtx {
					out[key], err = Get(ctxObj, "$"+rest)
				} else {
					out[key], err = Get(data, path)
				}
				if err != nil {
					return nil, err
				}
				continue
			}
			f, err := fill(v, data, ctxObj)
			if err != nil {
				return nil, err
			}
			out[k] = f
		}
		return out, nil
	case []any:
		out := make([]any, len(t))
		for i, v := range t {
			f, err := fill(v, data, ctxObj)
			if err != nil {
				return nil, err
			}
			out[i] = f
		}
		return out, nil
	}
	return tmpl, nil
}

// Get reads a reference path: "$" or "$.a.b".
func Get(data any, path string) (any, error) {
	if path == "$" {
		return data, nil
	}
	rest, ok := strings.CutPrefix(path, "$.")
	if !ok {
		return nil, &Error{Name: ErrNameRuntime, Cause: "path " + path + " is outside the subset"}
	}
	cur := data
	for _, k := range strings.Split(rest, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, &Error{Name: ErrNameRuntime, Cause: "path " + path + " does not exist in the input"}
		}
		if cur, ok = m[k]; !ok {
			return nil, &Error{Name: ErrNameRuntime, Cause: "path " + path + " does not exist in the input"}
		}
	}
	return cur, nil
}

// setResult puts result into a copy of in at ResultPath: "$" (or absent)
// replaces, null discards the result, "$.a.b" sets a field.
func setResult(rp json.RawMessage, in, result any) (any, error) {
	if len(rp) == 0 {
		return result, nil
	}
	if string(rp) == "null" {
		return in, nil
	}
	var path string
	if err := json.Unmarshal(rp, &path); err != nil {
		return nil, err
	}
	if path == "$" {
		return result, nil
	}
	rest, ok := strings.CutPrefix(path, "$.")
	if !ok {
		return nil, &Error{Name: ErrNameRuntime, Cause: "ResultPath " + path + " is outside the subset"}
	}
	root, ok := clone(in).(map[string]any)
	if !ok {
		return nil, &Error{Name: ErrNameRuntime, Cause: "ResultPath " + path + " needs an object input"}
	}
	cur := root
	keys := strings.Split(rest, ".")
	for _, k := range keys[:len(keys)-1] {
		next, ok := cur[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			cur[k] = next
		}
		cur = next
	}
	cur[keys[len(keys)-1]] = result
	return root, nil
}

func clone(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = clone(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = clone(x)
		}
		return out
	}
	return v
}

func seconds(in any, path string) (int, error) {
	v, err := Get(in, path)
	if err != nil {
		return 0, err
	}
	switch n := v.(type) {
	case float64:
		if n >= 1 && n == math.Trunc(n) {
			return int(n), nil
		}
	case string:
		if i, err := strconv.Atoi(n); err == nil && i >= 1 {
			return i, nil
		}
	}
	return 0, &Error{Name: ErrNameRuntime, Cause: fmt.Sprintf("%s is %v, not a positive whole number of seconds", path, v)}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
