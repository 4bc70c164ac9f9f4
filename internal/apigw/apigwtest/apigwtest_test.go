package apigwtest

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/errs"
)

// recorder keeps what a helper reports as a failure instead of failing.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func TestSend(t *testing.T) {
	t.Parallel()
	t.Run("a 503 is sent again after its Retry-After, and the first other answer returned", func(t *testing.T) {
		t.Parallel()
		sent := 0
		resp := Send(t, "createHold", func() events.APIGatewayV2HTTPResponse {
			sent++
			if sent < 3 {
				return events.APIGatewayV2HTTPResponse{StatusCode: http.StatusServiceUnavailable, Headers: map[string]string{"retry-after": "0"}}
			}
			return events.APIGatewayV2HTTPResponse{StatusCode: http.StatusConflict}
		})
		assert.Equal(t, 3, sent)
		assert.Equal(t, http.StatusConflict, resp.StatusCode)
	})
	t.Run("an answer other than 503 is never sent again", func(t *testing.T) {
		t.Parallel()
		for _, status := range []int{http.StatusCreated, http.StatusConflict, http.StatusInternalServerError, http.StatusTooManyRequests} {
			sent := 0
			resp := Send(t, "op", func() events.APIGatewayV2HTTPResponse {
				sent++
				return events.APIGatewayV2HTTPResponse{StatusCode: status}
			})
			assert.Equal(t, 1, sent, "status %d", status)
			assert.Equal(t, status, resp.StatusCode)
		}
	})
}

func TestDo(t *testing.T) {
	t.Parallel()
	t.Run("an Unavailable error is tried again after the API's Retry-After; another error ends it", func(t *testing.T) {
		t.Parallel()
		tries := 0
		start := time.Now()
		err := Do(t, "enter", func() error {
			tries++
			if tries == 1 {
				return errs.E(errs.Unavailable, "service_unavailable", "busy")
			}
			return errs.E(errs.Conflict, "entry_exists", "taken")
		})
		assert.Equal(t, 2, tries)
		assert.Equal(t, errs.Conflict, errs.KindOf(err))
		// The API answers 503 with Retry-After: 2; the test waited it.
		assert.GreaterOrEqual(t, time.Since(start), 2*time.Second)
	})
	t.Run("success is never tried again", func(t *testing.T) {
		t.Parallel()
		tries := 0
		require.NoError(t, Do(t, "read", func() error { tries++; return nil }))
		assert.Equal(t, 1, tries)
	})
}

func TestRetryFailsPastTheBudget(t *testing.T) {
	t.Parallel()
	rec := &recorder{TB: t}
	tries := 0
	retry(rec, time.Second, "createHold buyer-1", func() (time.Duration, string, bool) {
		tries++
		return 100 * time.Millisecond, "503 busy", true
	})
	require.Len(t, rec.errors, 1, "the test is failed once, when the budget is spent")
	assert.Contains(t, rec.errors[0], "createHold buyer-1: still unavailable after")
	assert.Contains(t, rec.errors[0], "last answer: 503 busy")
	assert.GreaterOrEqual(t, tries, 2, "it asked again within the budget")
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		headers map[string]string
		want    time.Duration
	}{
		{"delay-seconds", map[string]string{"Retry-After": "2"}, 2 * time.Second},
		{"any case of the header name", map[string]string{"retry-after": " 5 "}, 5 * time.Second},
		{"no header: a second", map[string]string{"Content-Type": "application/problem+json"}, time.Second},
		{"garbage: a second", map[string]string{"Retry-After": "soon"}, time.Second},
		{"a date in the past: at once", map[string]string{"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, retryAfter(tc.headers))
		})
	}
	t.Run("a date ahead: until then", func(t *testing.T) {
		at := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
		got := retryAfter(map[string]string{"Retry-After": at})
		assert.LessOrEqual(t, got, time.Hour)
		assert.Greater(t, got, 59*time.Minute)
	})
}
