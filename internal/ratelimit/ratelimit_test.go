package ratelimit_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/ratelimit"
)

// memCounter is a Counter in memory, to test the limiter's arithmetic; the
// DynamoDB counter is tested in internal/dynamo against DynamoDB Local.
type memCounter struct {
	mu   sync.Mutex
	n    map[string]int
	fail error
}

func (c *memCounter) Take(_ context.Context, bucket, subject string, start, _ time.Time, limit int) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fail != nil {
		return false, c.fail
	}
	k := bucket + "|" + subject + "|" + start.String()
	if c.n[k] >= limit {
		return false, nil
	}
	c.n[k]++
	return true, nil
}

func TestLimiter(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 3, 21, 0, 15, 0, time.UTC)
	newLimiter := func() *ratelimit.Limiter {
		return &ratelimit.Limiter{Counter: &memCounter{n: map[string]int{}},
			Rules: map[string]ratelimit.Rule{"createHold": {Limit: 3, Window: time.Minute}}}
	}

	t.Run("the first Limit requests of a window are allowed and the next is refused until the window ends", func(t *testing.T) {
		t.Parallel()
		l := newLimiter()
		for range 3 {
			d, err := l.Allow(t.Context(), "createHold", "user-ana", at)
			require.NoError(t, err)
			assert.True(t, d.Allowed)
		}
		d, err := l.Allow(t.Context(), "createHold", "user-ana", at)
		require.NoError(t, err)
		assert.False(t, d.Allowed)
		assert.Equal(t, 45*time.Second, d.RetryAfter)
	})
	t.Run("another buyer has a budget of their own", func(t *testing.T) {
		t.Parallel()
		l := newLimiter()
		for range 3 {
			_, err := l.Allow(t.Context(), "createHold", "user-ana", at)
			require.NoError(t, err)
		}
		d, err := l.Allow(t.Context(), "createHold", "user-bruno", at)
		require.NoError(t, err)
		assert.True(t, d.Allowed)
	})
	t.Run("the next window starts from zero", func(t *testing.T) {
		t.Parallel()
		l := newLimiter()
		for range 4 {
			_, err := l.Allow(t.Context(), "createHold", "user-ana", at)
			require.NoError(t, err)
		}
		d, err := l.Allow(t.Context(), "createHold", "user-ana", at.Add(45*time.Second))
		require.NoError(t, err)
		assert.True(t, d.Allowed)
	})
	t.Run("an operation without a rule is always allowed", func(t *testing.T) {
		t.Parallel()
		l := newLimiter()
		assert.False(t, l.Limited("getHold"))
		assert.True(t, l.Limited("createHold"))
		d, err := l.Allow(t.Context(), "getHold", "", at)
		require.NoError(t, err)
		assert.True(t, d.Allowed)
	})
	t.Run("a request without a subject is an error, never a free pass", func(t *testing.T) {
		t.Parallel()
		_, err := newLimiter().Allow(t.Context(), "createHold", "", at)
		assert.ErrorIs(t, err, ratelimit.ErrNoSubject)
	})
	t.Run("a counter failure is returned, never allowed", func(t *testing.T) {
		t.Parallel()
		boom := errors.New("boom")
		l := &ratelimit.Limiter{Counter: &memCounter{fail: boom}, Rules: map[string]ratelimit.Rule{"createHold": {Limit: 1, Window: time.Minute}}}
		d, err := l.Allow(t.Context(), "createHold", "user-ana", at)
		assert.ErrorIs(t, err, boom)
		assert.False(t, d.Allowed)
	})
	t.Run("a nil limiter limits nothing", func(t *testing.T) {
		t.Parallel()
		var l *ratelimit.Limiter
		assert.False(t, l.Limited("createHold"))
	})
}

func TestWindow(t *testing.T) {
	t.Parallel()
	rule := ratelimit.Rule{Limit: 1, Window: time.Minute}
	cases := []struct {
		name       string
		now        time.Time
		start, end time.Time
	}{
		{"a time inside a minute falls in that minute", time.Date(2026, 12, 3, 21, 0, 59, 999, time.UTC),
			time.Date(2026, 12, 3, 21, 0, 0, 0, time.UTC), time.Date(2026, 12, 3, 21, 1, 0, 0, time.UTC)},
		{"the first instant of a minute opens a new window", time.Date(2026, 12, 3, 21, 1, 0, 0, time.UTC),
			time.Date(2026, 12, 3, 21, 1, 0, 0, time.UTC), time.Date(2026, 12, 3, 21, 2, 0, 0, time.UTC)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, e := ratelimit.Window(rule, tc.now)
			assert.Equal(t, tc.start, s)
			assert.Equal(t, tc.end, e)
		})
	}
}

func TestRuleAndRetryAfter(t *testing.T) {
	t.Parallel()
	t.Run("a rule needs a limit and a window of at least a second", func(t *testing.T) {
		t.Parallel()
		assert.NoError(t, ratelimit.Rule{Limit: 10, Window: time.Minute}.Validate())
		assert.Error(t, ratelimit.Rule{Limit: 0, Window: time.Minute}.Validate())
		assert.Error(t, ratelimit.Rule{Limit: 1, Window: time.Millisecond}.Validate())
	})
	t.Run("Retry-After rounds up and is never zero", func(t *testing.T) {
		t.Parallel()
		assert.Equal(t, 45, ratelimit.RetryAfterSeconds(44*time.Second+time.Millisecond))
		assert.Equal(t, 1, ratelimit.RetryAfterSeconds(0))
		assert.Equal(t, 60, ratelimit.RetryAfterSeconds(time.Minute))
	})
}
