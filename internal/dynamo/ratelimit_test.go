package dynamo_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/dynamo/dynamotest"
	"bilhetagem/internal/ratelimit"
)

// The store is the limiter's counter.
var _ ratelimit.Counter = (*dynamo.Store)(nil)

func TestTakeRateLimit(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 12, 3, 21, 0, 0, 0, time.UTC)
	expires := start.Add(2 * time.Minute)

	t.Run("a window counts up to the limit and then refuses, writing one item", func(t *testing.T) {
		t.Parallel()
		s := dynamotest.NewStore(t)
		for i := range 3 {
			ok, err := s.Take(t.Context(), "createHold", "user-ana", start, expires, 3)
			require.NoError(t, err)
			assert.True(t, ok, "request %d", i+1)
		}
		ok, err := s.Take(t.Context(), "createHold", "user-ana", start, expires, 3)
		require.NoError(t, err)
		assert.False(t, ok)
		n, err := s.CountItems(t.Context())
		require.NoError(t, err)
		assert.Equal(t, 1, n)
	})
	t.Run("windows, buyers and operations are counted apart", func(t *testing.T) {
		t.Parallel()
		s := dynamotest.NewStore(t)
		for _, c := range []struct {
			bucket, subject string
			start           time.Time
		}{
			{"createHold", "user-ana", start},
			{"createHold", "user-ana", start.Add(time.Minute)},
			{"createHold", "user-bruno", start},
			{"createOrder", "user-ana", start},
		} {
			ok, err := s.Take(t.Context(), c.bucket, c.subject, c.start, expires, 1)
			require.NoError(t, err)
			assert.True(t, ok, "%s %s %s", c.bucket, c.subject, c.start)
		}
	})
	t.Run("fifty concurrent requests against a limit of ten: exactly ten are counted", func(t *testing.T) {
		t.Parallel()
		s := dynamotest.NewStore(t)
		var counted atomic.Int32
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() {
				ok, err := s.Take(t.Context(), "createOrder", "user-ana", start, expires, 10)
				assert.NoError(t, err)
				if ok {
					counted.Add(1)
				}
			})
		}
		wg.Wait()
		assert.Equal(t, int32(10), counted.Load())
	})
}
