// Package lambda_test runs the real bootstraps of functions/ under the AWS
// Lambda Runtime Interface Emulator, the program `sam local` runs inside its
// container, with the API Gateway v2 events of events/. SAM itself needs
// Docker; the emulator needs nothing but the binary, so `make test-lambda`
// installs it and sets BILHETAGEM_RIE.
package lambda_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/app"
	"bilhetagem/internal/dynamo/dynamolocal"
	"bilhetagem/internal/gotool"
	"bilhetagem/internal/operations"
)

// RIEEnv names the emulator binary. Unset, the emulator tests skip and say
// how to run them; set to a missing file, they fail.
const RIEEnv = "BILHETAGEM_RIE"

func rieBinary(tb testing.TB) string {
	tb.Helper()
	p := os.Getenv(RIEEnv)
	if p == "" {
		tb.Skip("set " + RIEEnv + "=<path to aws-lambda-rie> to run every bootstrap under the Lambda Runtime Interface Emulator (`make test-lambda` installs it into bin/tools and sets it)")
	}
	if _, err := os.Stat(p); err != nil {
		tb.Fatalf("%s=%s: %v (`make rie` installs it)", RIEEnv, p, err)
	}
	return p
}

func repoRoot(tb testing.TB) string {
	tb.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(tb, err)
	return root
}

// buildBootstraps builds the named packages as Lambda bootstraps for this
// machine's architecture (`make build` builds the same code for arm64; the
// emulator here runs natively), with the flags of `make build`.
func buildBootstraps(tb testing.TB, dir string, pkgs ...string) {
	tb.Helper()
	args := append([]string{"build", "-tags", "lambda.norpc", "-trimpath", "-ldflags", "-s -w", "-o", dir + string(filepath.Separator)}, pkgs...)
	cmd := exec.Command("go", args...)
	cmd.Dir = repoRoot(tb)
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+runtime.GOARCH, "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	require.NoError(tb, err, "go build: %s", out)
}

// clock is where every function's clock starts (TEST_CLOCK) and the day the
// seed starts on: a Thursday evening in São Paulo, so that no answer depends
// on the day or hour of the run.
const clock = "2026-12-03T18:00:00-03:00"

// seededTable starts DynamoDB Local and fills a fresh table with the seed
// data of clock's day through the seed command. A missing DynamoDB Local
// fails the test.
func seededTable(tb testing.TB) (endpoint, table string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	db, err := dynamolocal.Start(ctx, dynamolocal.Options{})
	require.NoError(tb, err, "DynamoDB Local")
	tb.Cleanup(db.Stop)
	table = fmt.Sprintf("rie-%d", time.Now().UnixNano())
	cmd := exec.CommandContext(ctx, "go", "run", "./seed/cmd/seed", "-create-table", "-day", clock[:len(time.DateOnly)])
	cmd.Dir = repoRoot(tb)
	cmd.Env = append(os.Environ(), "TABLE_NAME="+table, "DYNAMODB_ENDPOINT="+db.Endpoint, "AWS_REGION=sa-east-1")
	out, err := cmd.CombinedOutput()
	require.NoError(tb, err, "seed: %s", out)
	return db.Endpoint, table
}

// emulator is one aws-lambda-rie process serving one bootstrap on loopback.
type emulator struct {
	invokeURL string
	out       *gotool.Output
}

func freePort(tb testing.TB) string {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(tb, err)
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

// startEmulator runs the bootstrap under the emulator with the environment a
// deployed function has (see cdk/api.go), stopped in t.Cleanup.
func startEmulator(tb testing.TB, rie, bootstrap string, env map[string]string) *emulator {
	tb.Helper()
	invokePort, apiPort := freePort(tb), freePort(tb)
	cmd := exec.Command(rie,
		"--runtime-interface-emulator-address", "127.0.0.1:"+invokePort,
		"--runtime-api-address", "127.0.0.1:"+apiPort,
		bootstrap)
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		// Nothing from the developer's AWS set-up leaks in.
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true",
	}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out := &gotool.Output{}
	cmd.Stdout, cmd.Stderr = out, out
	require.NoError(tb, cmd.Start())
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	tb.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+invokePort, 200*time.Millisecond)
		if err == nil {
			c.Close()
			break
		}
		select {
		case <-done:
			tb.Fatalf("the emulator exited at start:\n%s", out)
		default:
		}
		if time.Now().After(deadline) {
			tb.Fatalf("the emulator did not listen within 10 s:\n%s", out)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return &emulator{invokeURL: "http://127.0.0.1:" + invokePort + "/2015-03-31/functions/function/invocations", out: out}
}

// invoke sends one event and returns the function's response and the
// round-trip time as the caller saw it.
func (e *emulator) invoke(tb testing.TB, ev any) (events.APIGatewayV2HTTPResponse, time.Duration) {
	tb.Helper()
	payload, err := json.Marshal(ev)
	require.NoError(tb, err)
	start := time.Now()
	resp, err := http.Post(e.invokeURL, "application/json", bytes.NewReader(payload))
	require.NoError(tb, err)
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	elapsed := time.Since(start)
	require.NoError(tb, err)
	require.Equal(tb, http.StatusOK, resp.StatusCode, "emulator answered %s: %s\n%s", resp.Status, raw, e.out)
	var fnErr struct {
		ErrorType    string `json:"errorType"`
		ErrorMessage string `json:"errorMessage"`
	}
	_ = json.Unmarshal(raw, &fnErr)
	require.Empty(tb, fnErr.ErrorType, "the function failed: %s\n%s", raw, e.out)
	var out events.APIGatewayV2HTTPResponse
	require.NoError(tb, json.Unmarshal(raw, &out), "not an API Gateway v2 response: %s", raw)
	require.NotZero(tb, out.StatusCode, "no statusCode: %s", raw)
	return out, elapsed
}

// functionEnv is the environment a deployed function has (see cdk/api.go),
// on DynamoDB Local and with its clock starting at clock.
func functionEnv(op operations.Operation, endpoint, table string) map[string]string {
	return map[string]string{
		"TABLE_NAME":                      table,
		"DYNAMODB_ENDPOINT":               endpoint,
		"AWS_REGION":                      "sa-east-1",
		"SALES_CLOSE_AFTER_MINUTES":       "30",
		"LOG_LEVEL":                       "warn",
		"AWS_LAMBDA_FUNCTION_NAME":        op.Function(),
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": strconv.Itoa(op.MemoryMB()),
		"AWS_LAMBDA_FUNCTION_TIMEOUT":     "10",
		app.TestClockEnv:                  clock,
	}
}

type problem struct {
	Status int    `json:"status"`
	Code   string `json:"code"`
}

// TestFunctionsUnderTheRuntimeEmulator builds every function, starts each
// under the emulator against a seeded DynamoDB Local, and invokes it with its
// events/ fixture twice (cold, then warm). Every function must initialise
// and answer a well-formed API Gateway v2 response; a few answers are checked
// in full. Timings are logged, never asserted.
func TestFunctionsUnderTheRuntimeEmulator(t *testing.T) {
	rie := rieBinary(t)
	binDir := t.TempDir()
	start := time.Now()
	buildBootstraps(t, binDir, "./functions/...")
	t.Logf("built %d bootstraps (linux/%s) in %s", len(operations.All), runtime.GOARCH, time.Since(start).Round(time.Millisecond))
	endpoint, table := seededTable(t)

	for _, op := range operations.All {
		t.Run(op.Function(), func(t *testing.T) {
			bootstrap := filepath.Join(binDir, op.Function())
			st, err := os.Stat(bootstrap)
			require.NoError(t, err)
			em := startEmulator(t, rie, bootstrap, functionEnv(op, endpoint, table))
			ev := readEvent(t, op)

			cold, coldTime := em.invoke(t, ev)
			warm, warmTime := em.invoke(t, ev)
			t.Logf("%-27s %4.1f MB  status %d  cold %6.1f ms  warm %5.1f ms",
				op.ID, float64(st.Size())/1e6, cold.StatusCode, ms(coldTime), ms(warmTime))

			assert.Equal(t, cold.StatusCode, warm.StatusCode, "cold and warm answers differ")
			if cold.StatusCode == http.StatusNoContent {
				assert.Empty(t, cold.Body, "a 204 has no body")
			} else {
				assert.Regexp(t, `^application/(problem\+)?json`, cold.Headers["Content-Type"], "content type")
			}
			wellFormed := (cold.StatusCode >= 200 && cold.StatusCode < 500) || cold.StatusCode == http.StatusNotImplemented
			assert.True(t, wellFormed, "%s answered %d: %s\n%s", op.ID, cold.StatusCode, cold.Body, em.out)
			if cold.StatusCode == http.StatusNotImplemented {
				var p problem
				require.NoError(t, json.Unmarshal([]byte(cold.Body), &p))
				assert.Equal(t, "not_implemented", p.Code)
			}

			switch op.ID {
			case operations.GetHealth:
				assert.Equal(t, http.StatusOK, cold.StatusCode, cold.Body)
			case operations.ListCinemas:
				assert.Equal(t, http.StatusOK, cold.StatusCode, cold.Body)
				assert.Contains(t, cold.Body, `"cin-paulista"`, "the seeded cinemas are listed")
			case operations.GetMovie:
				assert.Equal(t, http.StatusOK, cold.StatusCode, cold.Body)
				assert.Contains(t, cold.Body, `"mov-guardioes-da-nebulosa-2"`)
			case operations.GetMe:
				assert.Equal(t, http.StatusOK, cold.StatusCode, cold.Body)
				assert.Contains(t, cold.Body, `"ana.souza@example.com"`, "the claims reach the handler")
				anonymous := ev
				anonymous.RequestContext.Authorizer = nil
				resp, _ := em.invoke(t, anonymous)
				assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "get-me/401 without claims: %s", resp.Body)
			case operations.ListReleaseClassifications:
				buyer := ev
				buyer.RequestContext.Authorizer.JWT.Claims = fixtureClaims(operations.Buyer)
				resp, _ := em.invoke(t, buyer)
				assert.Equal(t, http.StatusForbidden, resp.StatusCode, "staff operation/403 for a buyer: %s", resp.Body)
			case operations.GetScalingPlan, operations.GetWaitingRoom:
				// Premiere readiness is built: staff get the plan and the room.
				assert.Equal(t, http.StatusOK, cold.StatusCode, cold.Body)
				if op.ID == operations.GetScalingPlan {
					assert.Contains(t, cold.Body, `"from":"`+clock[:len(time.DateOnly)]+`"`, "the plan starts on the São Paulo day of TEST_CLOCK")
				}
			}
		})
	}
}

// TestMissingEmulatorFails proves the guard: a BILHETAGEM_RIE that names no
// file is an error, not a skip. It runs a copy of this test binary.
func TestMissingEmulatorFails(t *testing.T) {
	if os.Getenv("BILHETAGEM_RIE_GUARD_CHILD") == "1" {
		rieBinary(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestMissingEmulatorFails$", "-test.v")
	cmd.Env = append(os.Environ(), "BILHETAGEM_RIE_GUARD_CHILD=1", RIEEnv+"="+filepath.Join(t.TempDir(), "no-such-rie"))
	out, err := cmd.CombinedOutput()
	require.Error(t, err, "the child must fail:\n%s", out)
	assert.Contains(t, string(out), "--- FAIL")
	assert.True(t, strings.Contains(string(out), "no-such-rie"), "%s", out)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
