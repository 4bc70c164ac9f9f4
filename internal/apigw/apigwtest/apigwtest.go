// Package apigwtest makes a test behave as a real client of the API when it
// meets a transient outage: a 503 service_unavailable is answered by waiting
// what its Retry-After says and sending the same request again (with the
// same Idempotency-Key where the operation has one), within a bounded total
// time, and then failing with a message that says so.
//
// Tests that call a service or the store directly meet the same outage as
// an error of kind Unavailable; they wait the Retry-After the API would have
// sent for that error, so both kinds of test keep the one contract.
//
// The bound is a safety net against a store that never recovers, not an
// assertion about speed: a slow machine only makes the test take longer.
package apigwtest

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/apigw"
	"bilhetagem/internal/errs"
)

// Budget is how long a test keeps asking again after a 503 before it fails.
const Budget = 3 * time.Minute

// Send calls send until its answer is not a 503 and returns that answer,
// waiting between tries what Retry-After asks. send must send the same
// request every time. When the budget runs out the test is marked failed
// (safe from any goroutine) and the last 503 is returned. what names the
// request in messages, e.g. "createHold buyer-7".
func Send(t testing.TB, what string, send func() events.APIGatewayV2HTTPResponse) events.APIGatewayV2HTTPResponse {
	t.Helper()
	var resp events.APIGatewayV2HTTPResponse
	retry(t, Budget, what, func() (time.Duration, string, bool) {
		resp = send()
		if resp.StatusCode != http.StatusServiceUnavailable {
			return 0, "", false
		}
		return retryAfter(resp.Headers), "503 " + resp.Body, true
	})
	return resp
}

// Do calls do until it returns anything but an Unavailable error and returns
// that, waiting between tries the Retry-After the API would send for the
// error. do must repeat the same operation, with the same idempotency key
// where it has one. When the budget runs out the test is marked failed and
// the last error is returned.
func Do(t testing.TB, what string, do func() error) error {
	t.Helper()
	var err error
	retry(t, Budget, what, func() (time.Duration, string, bool) {
		err = do()
		if errs.KindOf(err) != errs.Unavailable {
			return 0, "", false
		}
		return retryAfter(apigw.Problem(err, "", "").Headers), err.Error(), true
	})
	return err
}

// retry runs try until it says not to ask again or the budget is spent.
func retry(t testing.TB, budget time.Duration, what string, try func() (wait time.Duration, why string, again bool)) {
	t.Helper()
	start := time.Now()
	for attempt := 1; ; attempt++ {
		wait, why, again := try()
		if !again {
			return
		}
		// A little jitter on top of what was asked, never less, so the
		// many callers of a contention test do not return in one herd.
		wait += rand.N(wait/2 + time.Millisecond)
		if time.Since(start)+wait > budget {
			t.Errorf("%s: still unavailable after %d attempts in %s (Retry-After honoured, budget %s); last answer: %s",
				what, attempt, time.Since(start).Round(time.Second), budget, why)
			return
		}
		t.Logf("%s: unavailable (attempt %d, %s so far), asking again in %s",
			what, attempt, time.Since(start).Round(time.Millisecond), wait.Round(time.Millisecond))
		time.Sleep(wait)
	}
}

// retryAfter reads a Retry-After of delay-seconds, or an HTTP date; without
// one a client waits a second.
func retryAfter(headers map[string]string) time.Duration {
	for k, v := range headers {
		if !strings.EqualFold(k, "Retry-After") {
			continue
		}
		if secs, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && secs >= 0 {
			return time.Duration(secs) * time.Second
		}
		if at, err := http.ParseTime(v); err == nil {
			return max(time.Until(at), 0)
		}
	}
	return time.Second
}
