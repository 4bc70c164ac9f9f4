// Package ratelimit bounds how often one buyer may call an operation: a
// fixed window per buyer and operation, counted in the single table with one
// conditional update (see docs/adr/0500).
//
// The limiter decides; the store counts. A request over the limit is refused
// before the operation runs, and the caller learns when the window reopens.
package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Rule allows Limit requests per Window for each subject.
type Rule struct {
	Limit  int
	Window time.Duration
}

// Validate rejects a rule that would never allow or never reset.
func (r Rule) Validate() error {
	if r.Limit < 1 {
		return fmt.Errorf("rate limit: limit must be at least 1, got %d", r.Limit)
	}
	if r.Window < time.Second {
		return fmt.Errorf("rate limit: window must be at least a second, got %s", r.Window)
	}
	return nil
}

// Counter counts requests in a window, atomically. Take adds one request of
// subject to bucket's window that starts at start, unless limit requests are
// already counted there; it reports whether the request was counted. The
// window's record may be forgotten after expires.
type Counter interface {
	Take(ctx context.Context, bucket, subject string, start, expires time.Time, limit int) (bool, error)
}

// Decision is the limiter's answer for one request.
type Decision struct {
	Allowed bool
	// RetryAfter is how long until the window reopens; zero when allowed.
	RetryAfter time.Duration
}

// Limiter applies a rule per bucket (an operation id) through a Counter.
type Limiter struct {
	Counter Counter
	Rules   map[string]Rule
}

// ErrNoSubject is returned for a request without a subject: the limit is per
// buyer, and an anonymous request never reaches a limited operation.
var ErrNoSubject = errors.New("rate limit: no subject")

// Limited reports whether bucket has a rule.
func (l *Limiter) Limited(bucket string) bool {
	if l == nil {
		return false
	}
	_, ok := l.Rules[bucket]
	return ok
}

// Allow counts one request of subject in bucket at now. Buckets without a
// rule are always allowed and cost nothing.
func (l *Limiter) Allow(ctx context.Context, bucket, subject string, now time.Time) (Decision, error) {
	rule, ok := l.Rules[bucket]
	if !ok {
		return Decision{Allowed: true}, nil
	}
	if subject == "" {
		return Decision{}, ErrNoSubject
	}
	start, end := Window(rule, now)
	// Keep the record a window past its end: it only matters until then, and
	// DynamoDB's TTL deletes within days anyway.
	counted, err := l.Counter.Take(ctx, bucket, subject, start, end.Add(rule.Window), rule.Limit)
	if err != nil {
		return Decision{}, fmt.Errorf("rate limit %s: %w", bucket, err)
	}
	if counted {
		return Decision{Allowed: true}, nil
	}
	return Decision{RetryAfter: end.Sub(now)}, nil
}

// Window is the fixed window of rule that holds now: windows are aligned to
// multiples of the rule's length since the Unix epoch, so every Lambda agrees
// on them without talking to each other.
func Window(rule Rule, now time.Time) (start, end time.Time) {
	w := rule.Window.Nanoseconds()
	ns := now.UnixNano()
	s := ns - ns%w
	start = time.Unix(0, s).UTC()
	return start, start.Add(rule.Window)
}

// RetryAfterSeconds is d rounded up to whole seconds, at least 1: the value
// of a Retry-After header.
func RetryAfterSeconds(d time.Duration) int {
	s := int((d + time.Second - 1) / time.Second)
	return max(s, 1)
}
