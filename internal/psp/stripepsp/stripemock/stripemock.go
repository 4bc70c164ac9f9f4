// Package stripemock runs Stripe's official mock server, stripe-mock, for
// tests: it answers every route of the Stripe API from Stripe's OpenAPI
// spec, refuses requests the spec does not allow, and keeps no state (its
// answers are fixtures). The binary is looked up on PATH and in the Go bin
// folder, and installed with `go install` when it is missing. When it cannot
// be installed or started the tests fail; they never skip.
package stripemock

import (
	"bilhetagem/internal/gotool"
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// Module is the stripe-mock module installed when no binary is found. It is
// pinned: its spec is what requests are validated against, so a new one is
// taken on purpose, not by a test run.
const Module = "github.com/stripe/stripe-mock@v0.203.0"

// BinEnv names a stripe-mock binary to use instead of looking for one.
const BinEnv = "STRIPE_MOCK_BIN"

// Instance is a running stripe-mock.
type Instance struct {
	URL      string // http://127.0.0.1:PORT, for stripe.BackendConfig.URL
	cmd      *exec.Cmd
	done     chan struct{}
	stopOnce sync.Once
}

// Start runs stripe-mock on loopback ports the system picks and waits until
// it answers. log receives its output; nil discards it.
func Start(ctx context.Context, log io.Writer) (*Instance, error) {
	bin, err := Binary(ctx)
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = io.Discard
	}
	// Both listeners are named: with only -http-addr, stripe-mock also opens
	// HTTPS on :12112 on every interface.
	cmd := exec.Command(bin, "-http-addr", "127.0.0.1:0", "-https-addr", "127.0.0.1:0")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = log
	gotool.DieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start stripe-mock: %w", err)
	}
	in := &Instance{cmd: cmd, done: make(chan struct{})}
	addr := make(chan string, 1)
	go func() {
		// It prints "Listening for HTTP at address: 127.0.0.1:PORT" once the
		// port is bound; the rest of its output goes to log.
		s := bufio.NewScanner(out)
		for s.Scan() {
			line := s.Text()
			if a, ok := strings.CutPrefix(line, "Listening for HTTP at address: "); ok {
				select {
				case addr <- a:
				default:
				}
			}
			fmt.Fprintln(log, line)
		}
		_, _ = io.Copy(log, out)
		_ = cmd.Wait()
		close(in.done)
	}()
	select {
	case a := <-addr:
		in.URL = "http://" + a
	case <-in.done:
		return nil, errors.New("stripe-mock exited before it listened")
	case <-ctx.Done():
		in.Stop()
		return nil, fmt.Errorf("stripe-mock did not listen: %w", ctx.Err())
	}
	if err := in.waitReady(ctx); err != nil {
		in.Stop()
		return nil, err
	}
	return in, nil
}

// waitReady polls until stripe-mock answers an HTTP request.
func (in *Instance) waitReady(ctx context.Context) error {
	client := &http.Client{Timeout: time.Second}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, in.URL+"/v1/balance", nil)
		if err != nil {
			return err
		}
		req.SetBasicAuth("sk_test_stripemock", "")
		resp, err := client.Do(req)
		if err == nil {
			_ = resp.Body.Close()
			return nil
		}
		select {
		case <-in.done:
			return errors.New("stripe-mock exited during start-up")
		case <-ctx.Done():
			return fmt.Errorf("stripe-mock did not answer: %w", err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Stop ends stripe-mock and waits for it.
func (in *Instance) Stop() {
	in.stopOnce.Do(func() {
		if in.cmd.Process != nil {
			_ = in.cmd.Process.Kill()
		}
		<-in.done
	})
}

// Binary finds stripe-mock: $STRIPE_MOCK_BIN, PATH, then the Go bin
// folder; when there is none it installs Module there (internal/gotool).
func Binary(ctx context.Context) (string, error) {
	return gotool.Tool{Name: "stripe-mock", Module: Module, BinEnv: BinEnv}.Binary(ctx)
}

var (
	mockURL  string
	startErr error
)

// Runner runs a package's tests: a *testing.M, or another helper's Main
// around one (dynamotest.Main, say).
type Runner interface{ Run() int }

// Main starts stripe-mock, runs the package's tests and stops it. Call it
// from TestMain: func TestMain(m *testing.M) { os.Exit(stripemock.Main(m)) }.
// Installing stripe-mock the first time builds it, hence the long bound.
func Main(m Runner) int {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	in, err := Start(ctx, nil)
	cancel()
	if err != nil {
		// Every test that asks for the URL fails with this reason.
		startErr = err
		fmt.Fprintln(os.Stderr, "stripemock: stripe-mock did not start:", err)
		return m.Run()
	}
	defer in.Stop()
	mockURL = in.URL
	return m.Run()
}

// URL is the running stripe-mock, failing the test if there is none.
func URL(t testing.TB) string {
	t.Helper()
	if startErr != nil {
		t.Fatalf("stripe-mock is required and did not start: %v", startErr)
	}
	if mockURL == "" {
		t.Fatal("stripemock.Main was not called from TestMain")
	}
	return mockURL
}
