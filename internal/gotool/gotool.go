// Package gotool finds, or installs with `go install`, the pinned tools the
// tests and the local run start as processes (stripe-mock, Mailpit), and
// ties such a process's life to its parent's.
package gotool

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// Tool is a binary built from a pinned module.
type Tool struct {
	Name   string // the binary's name: "mailpit"
	Module string // what `go install` takes: "github.com/axllent/mailpit@v1.33.1"
	BinEnv string // a variable naming a binary to use instead: "MAILPIT_BIN"
}

// Binary finds the tool: $BinEnv, PATH, then the Go bin folder (GOBIN, or
// GOPATH/bin); when there is none it runs `go install Module` and returns
// the installed binary. Several test binaries may install at once: each
// installs into a folder of its own beside the target and renames the
// binary into place, so none ever runs a binary another is still writing.
func (t Tool) Binary(ctx context.Context) (string, error) {
	if b := os.Getenv(t.BinEnv); t.BinEnv != "" && b != "" {
		if _, err := os.Stat(b); err != nil {
			return "", fmt.Errorf("%s=%s: %w", t.BinEnv, b, err)
		}
		return b, nil
	}
	if b, err := exec.LookPath(t.Name); err == nil {
		return b, nil
	}
	goBin, err := BinDir(ctx)
	if err != nil {
		return "", fmt.Errorf("%s: %w", t.Name, err)
	}
	b := filepath.Join(goBin, t.Name)
	if _, err := os.Stat(b); err == nil {
		return b, nil
	}
	if err := os.MkdirAll(goBin, 0o755); err != nil {
		return "", fmt.Errorf("%s: %w", t.Name, err)
	}
	tmp, err := os.MkdirTemp(goBin, "."+t.Name+"-install-")
	if err != nil {
		return "", fmt.Errorf("%s: %w", t.Name, err)
	}
	defer os.RemoveAll(tmp)
	install := exec.CommandContext(ctx, "go", "install", t.Module)
	install.Env = append(os.Environ(), "GOBIN="+tmp)
	if out, err := install.CombinedOutput(); err != nil {
		return "", fmt.Errorf("%s is not installed and `go install %s` failed: %w\n%s", t.Name, t.Module, err, out)
	}
	if err := os.Rename(filepath.Join(tmp, t.Name), b); err != nil {
		return "", fmt.Errorf("`go install %s` left no %s: %w", t.Module, t.Name, err)
	}
	return b, nil
}

// BinDir is where `go install` puts binaries: GOBIN, or GOPATH/bin.
func BinDir(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOBIN", "GOPATH").Output()
	if err != nil {
		return "", fmt.Errorf("go env: %w", err)
	}
	// One line per variable, the first empty when GOBIN is unset: trim
	// each line, never the whole output, or GOPATH would pass for GOBIN.
	lines := strings.Split(string(out), "\n")
	if len(lines) > 0 && strings.TrimSpace(lines[0]) != "" {
		return strings.TrimSpace(lines[0]), nil
	}
	if len(lines) < 2 || strings.TrimSpace(lines[1]) == "" {
		return "", errors.New("go env names no GOBIN or GOPATH")
	}
	return filepath.Join(strings.SplitN(strings.TrimSpace(lines[1]), string(os.PathListSeparator), 2)[0], "bin"), nil
}

// Output collects a started process's output, written from its own
// goroutines, for a log when something fails.
type Output struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.Write(p)
}

func (o *Output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.String()
}
