// Package workflow is the purchase workflow's one definition and its local
// runner. purchase.asl.json is the Amazon States Language the CDK deploys as
// a Standard state machine (with ${StepFunctionArn} substituted); Machine
// runs the same definition in process, dispatching its Lambda tasks to Go
// (the Worker, which the purchase-step Lambda runs too), with task tokens
// answered in process.
package workflow

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// PurchaseASL is the purchase workflow, with its ${...} substitutions.
//
//go:embed purchase.asl.json
var PurchaseASL string

// StepFunctionArn is the substitution the definition uses for the step
// worker Lambda.
const StepFunctionArn = "StepFunctionArn"

// Definition is the subset of the Amazon States Language Machine runs.
type Definition struct {
	Comment        string            `json:"Comment,omitempty"`
	StartAt        string            `json:"StartAt"`
	TimeoutSeconds int               `json:"TimeoutSeconds,omitempty"`
	States         map[string]*State `json:"States"`
}

// State is one state of the subset: Task, Choice, Wait, Pass, Succeed, Fail.
type State struct {
	Type    string `json:"Type"`
	Comment string `json:"Comment,omitempty"`
	Next    string `json:"Next,omitempty"`
	End     bool   `json:"End,omitempty"`

	InputPath      *string         `json:"InputPath,omitempty"`
	OutputPath     *string         `json:"OutputPath,omitempty"`
	Parameters     json.RawMessage `json:"Parameters,omitempty"`
	ResultSelector json.RawMessage `json:"ResultSelector,omitempty"`
	// ResultPath is raw so that null (discard the result) differs from
	// absent ("$", replace the input).
	ResultPath json.RawMessage `json:"ResultPath,omitempty"`
	Result     json.RawMessage `json:"Result,omitempty"`

	Resource           string  `json:"Resource,omitempty"`
	TimeoutSeconds     int     `json:"TimeoutSeconds,omitempty"`
	TimeoutSecondsPath string  `json:"TimeoutSecondsPath,omitempty"`
	HeartbeatSeconds   int     `json:"HeartbeatSeconds,omitempty"`
	Retry              []Retry `json:"Retry,omitempty"`
	Catch              []Catch `json:"Catch,omitempty"`

	Choices []Choice `json:"Choices,omitempty"`
	Default string   `json:"Default,omitempty"`

	Seconds     int    `json:"Seconds,omitempty"`
	SecondsPath string `json:"SecondsPath,omitempty"`

	Error string `json:"Error,omitempty"`
	Cause string `json:"Cause,omitempty"`
}

// Retry is a retrier of a Task.
type Retry struct {
	ErrorEquals     []string `json:"ErrorEquals"`
	IntervalSeconds *float64 `json:"IntervalSeconds,omitempty"`
	MaxAttempts     *int     `json:"MaxAttempts,omitempty"`
	BackoffRate     *float64 `json:"BackoffRate,omitempty"`
	MaxDelaySeconds int      `json:"MaxDelaySeconds,omitempty"`
	JitterStrategy  string   `json:"JitterStrategy,omitempty"`
}

// Catch is a catcher of a Task.
type Catch struct {
	ErrorEquals []string        `json:"ErrorEquals"`
	ResultPath  json.RawMessage `json:"ResultPath,omitempty"`
	Next        string          `json:"Next"`
}

// Choice is one rule of a Choice state. Only StringEquals on a Variable is
// in the subset.
type Choice struct {
	Variable     string  `json:"Variable"`
	StringEquals *string `json:"StringEquals,omitempty"`
	Next         string  `json:"Next"`
}

// Lambda task resources the subset knows.
const (
	ResourceLambdaInvoke       = "arn:aws:states:::lambda:invoke"
	ResourceLambdaWaitForToken = "arn:aws:states:::lambda:invoke.waitForTaskToken"
)

// Parse reads a definition with its substitutions filled from subs (every
// ${name} must have a value) and checks it stays within the subset.
func Parse(asl string, subs map[string]string) (*Definition, error) {
	var missing []string
	filled := substRe(asl, func(name string) string {
		v, ok := subs[name]
		if !ok {
			missing = append(missing, name)
		}
		return v
	})
	if len(missing) > 0 {
		return nil, fmt.Errorf("parse workflow: no value for ${%s}", strings.Join(missing, "}, ${"))
	}
	dec := json.NewDecoder(strings.NewReader(filled))
	dec.DisallowUnknownFields() // a field outside the subset would be silently ignored here but not in AWS
	var d Definition
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("parse workflow: %w", err)
	}
	if err := d.check(); err != nil {
		return nil, fmt.Errorf("parse workflow: %w", err)
	}
	return &d, nil
}

// Substitutions lists the ${name} placeholders of a definition, sorted.
func Substitutions(asl string) []string {
	seen := map[string]bool{}
	substRe(asl, func(name string) string { seen[name] = true; return "" })
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// substRe replaces every ${name} with f(name).
func substRe(s string, f func(string) string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(f(s[i+2 : i+j]))
		s = s[i+j+1:]
	}
}

func (d *Definition) check() error {
	if _, ok := d.States[d.StartAt]; !ok {
		return fmt.Errorf("StartAt %q is not a state", d.StartAt)
	}
	for name, s := range d.States {
		for _, next := range s.targets() {
			if _, ok := d.States[next]; !ok {
				return fmt.Errorf("state %s goes to %q, which is not a state", name, next)
			}
		}
		switch s.Type {
		case "Task":
			if s.Resource != ResourceLambdaInvoke && s.Resource != ResourceLambdaWaitForToken {
				return fmt.Errorf("state %s: resource %q is outside the subset", name, s.Resource)
			}
		case "Choice":
			for _, c := range s.Choices {
				if c.StringEquals == nil || c.Variable == "" {
					return fmt.Errorf("state %s: only Variable + StringEquals choices are in the subset", name)
				}
			}
		case "Wait", "Pass", "Succeed", "Fail":
		default:
			return fmt.Errorf("state %s: type %q is outside the subset", name, s.Type)
		}
		if s.Type != "Choice" && s.Type != "Succeed" && s.Type != "Fail" && s.Next == "" && !s.End {
			return fmt.Errorf("state %s has neither Next nor End", name)
		}
	}
	return nil
}

// targets are the states a state may go to, as declared.
func (s *State) targets() []string {
	var out []string
	if s.Next != "" {
		out = append(out, s.Next)
	}
	for _, c := range s.Choices {
		out = append(out, c.Next)
	}
	if s.Default != "" {
		out = append(out, s.Default)
	}
	for _, c := range s.Catch {
		out = append(out, c.Next)
	}
	return out
}

// Transitions are the declared transitions of the definition, "From->To",
// sorted.
func (d *Definition) Transitions() []string {
	var out []string
	for name, s := range d.States {
		for _, to := range s.targets() {
			out = append(out, name+"->"+to)
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// Terminal reports whether a state ends the execution.
func (d *Definition) Terminal(name string) bool {
	s := d.States[name]
	return s != nil && (s.Type == "Succeed" || s.Type == "Fail" || s.End)
}
