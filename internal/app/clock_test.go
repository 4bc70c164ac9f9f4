package app_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/app"
)

func TestTestClock(t *testing.T) {
	t.Parallel()
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}

	t.Run("without TEST_CLOCK the process keeps the real clock", func(t *testing.T) {
		cfg, err := app.ConfigFrom(env(map[string]string{"TABLE_NAME": "t", "DYNAMODB_ENDPOINT": "http://127.0.0.1:8000"}))
		require.NoError(t, err)
		assert.True(t, cfg.TestClockStart.IsZero())
		before := time.Now()
		got := cfg.Clock()()
		assert.False(t, got.Before(before), "the clock reads the real time")
	})

	t.Run("against DynamoDB Local the clock starts at TEST_CLOCK and runs on", func(t *testing.T) {
		cfg, err := app.ConfigFrom(env(map[string]string{"TABLE_NAME": "t", "DYNAMODB_ENDPOINT": "http://127.0.0.1:8000",
			"TEST_CLOCK": "2026-12-08T23:50:00-03:00"}))
		require.NoError(t, err)
		start := time.Date(2026, 12, 9, 2, 50, 0, 0, time.UTC)
		assert.True(t, cfg.TestClockStart.Equal(start))

		real := time.Date(2031, 5, 1, 12, 0, 0, 0, time.UTC)
		clock := app.ShiftedClock(cfg.TestClockStart, func() time.Time { return real })
		assert.True(t, clock().Equal(start), "reads the start instant at once")
		real = real.Add(90 * time.Second)
		assert.True(t, clock().Equal(start.Add(90*time.Second)), "then runs at the real pace")
	})

	t.Run("in AWS (no DYNAMODB_ENDPOINT) TEST_CLOCK stops the process at init", func(t *testing.T) {
		_, err := app.ConfigFrom(env(map[string]string{"TABLE_NAME": "t", "TEST_CLOCK": "2026-12-08T23:50:00-03:00"}))
		assert.ErrorContains(t, err, "refused in AWS")
	})

	t.Run("a TEST_CLOCK that is not an RFC 3339 instant is refused", func(t *testing.T) {
		for _, v := range []string{"2026-12-08", "amanhã", "2026-12-08 23:50"} {
			_, err := app.ConfigFrom(env(map[string]string{"TABLE_NAME": "t", "DYNAMODB_ENDPOINT": "http://127.0.0.1:8000", "TEST_CLOCK": v}))
			assert.ErrorContains(t, err, "RFC 3339", v)
		}
	})
}
