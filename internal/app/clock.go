package app

import (
	"fmt"
	"time"
)

// TestClockEnv names the test-only clock: an RFC 3339 instant at which the
// process's clock starts, running on at the real pace from there. It lets
// the same API checks run as if it were any day and hour (make
// test-calendar). make run never sets it, and a process in AWS (no
// DYNAMODB_ENDPOINT) refuses to start with it.
const TestClockEnv = "TEST_CLOCK"

// testClockFrom reads TEST_CLOCK: the zero time when unset.
func testClockFrom(getenv func(string) string) (time.Time, error) {
	v := getenv(TestClockEnv)
	if v == "" {
		return time.Time{}, nil
	}
	if getenv("DYNAMODB_ENDPOINT") == "" {
		return time.Time{}, fmt.Errorf("config: %s is for local runs and tests only; it is refused in AWS (no DYNAMODB_ENDPOINT)", TestClockEnv)
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("config: %s must be an RFC 3339 instant such as 2026-12-08T23:50:00-03:00, got %q", TestClockEnv, v)
	}
	return t, nil
}

// Clock is the process's clock: time.Now, or with TEST_CLOCK set, a clock
// that starts at that instant when Clock is called and runs on from there.
func (c Config) Clock() func() time.Time {
	return ShiftedClock(c.TestClockStart, time.Now)
}

// ShiftedClock returns real shifted so that it reads start now; real itself
// when start is zero.
func ShiftedClock(start time.Time, real func() time.Time) func() time.Time {
	if start.IsZero() {
		return real
	}
	offset := start.Sub(real())
	return func() time.Time { return real().Add(offset) }
}
