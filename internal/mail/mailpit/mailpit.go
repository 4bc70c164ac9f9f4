// Package mailpit runs Mailpit, an e-mail catcher with an SMTP server and a
// REST API, for tests: what a test sends over SMTP is read back, parsed by
// a real MIME parser, through the API. The binary is looked up on PATH and
// in the Go bin folder, and installed with `go install` when it is missing.
// When it cannot be installed or started the test fails; it never skips.
package mailpit

import (
	"bilhetagem/internal/gotool"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Module is the Mailpit module installed when no binary is found. It is
// pinned, so that a new version is taken on purpose, not by a test run.
const Module = "github.com/axllent/mailpit@v1.33.1"

// BinEnv names a Mailpit binary to use instead of looking for one.
const BinEnv = "MAILPIT_BIN"

// Server is a running Mailpit that keeps its messages in a database of
// the test's own, removed with it.
type Server struct {
	SMTPAddr string // 127.0.0.1:PORT, for SMTP without authentication or TLS
	APIURL   string // http://127.0.0.1:PORT, the web UI and the REST API

	cmd  *exec.Cmd
	done chan struct{}
	log  *gotool.Output
	stop sync.Once
}

// Start runs a Mailpit on free loopback ports, waits until both its SMTP
// and its HTTP servers answer, and ends it when the test ends (or, on
// Linux, when the test process dies). It fails the test when it cannot.
func Start(t testing.TB) *Server {
	t.Helper()
	ctx := t.Context()
	bin, err := binary(ctx)
	if err != nil {
		t.Fatalf("mailpit: %v", err)
	}
	dir := t.TempDir()
	// Another process may take a port between its pick and Mailpit's bind:
	// a Mailpit that exits before it answers is started again, a few times.
	var last error
	for attempt := range 3 {
		s, err := start(ctx, bin, filepath.Join(dir, fmt.Sprintf("mailpit-%d.db", attempt)))
		if err == nil {
			t.Cleanup(func() {
				s.Stop()
				if t.Failed() {
					t.Logf("mailpit output:\n%s", s.log.String())
				}
			})
			return s
		}
		last = err
		if ctx.Err() != nil {
			break
		}
	}
	t.Fatalf("mailpit did not start: %v", last)
	return nil
}

func start(ctx context.Context, bin, db string) (*Server, error) {
	smtpAddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	httpAddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin,
		"--smtp", smtpAddr,
		"--listen", httpAddr,
		"--database", db,
		// Nothing leaves the machine: no update check, no reverse DNS
		// lookup of the SMTP client.
		"--disable-version-check",
		"--smtp-disable-rdns",
	)
	// Mailpit also reads its settings from MP_* variables: the test's
	// flags are the only ones it gets.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "MP_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	log := &gotool.Output{}
	cmd.Stdout, cmd.Stderr = log, log
	gotool.DieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	s := &Server{SMTPAddr: smtpAddr, APIURL: "http://" + httpAddr, cmd: cmd, done: make(chan struct{}), log: log}
	go func() {
		_ = cmd.Wait()
		close(s.done)
	}()
	if err := s.waitReady(ctx); err != nil {
		s.Stop()
		return nil, fmt.Errorf("%w\n%s", err, log.String())
	}
	return s, nil
}

// freeAddr is a loopback address whose port the system just gave out.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("mailpit: pick a port: %w", err)
	}
	addr := l.Addr().String()
	return addr, l.Close()
}

// waitReady polls until the HTTP server says it is ready and the SMTP
// server greets, for as long as Mailpit runs and ctx lasts.
func (s *Server) waitReady(ctx context.Context) error {
	client := &http.Client{}
	for {
		err := s.ready(ctx, client)
		if err == nil {
			return nil
		}
		select {
		case <-s.done:
			return fmt.Errorf("mailpit exited during start-up (%v)", err)
		case <-ctx.Done():
			return fmt.Errorf("mailpit did not answer: %w (%v)", ctx.Err(), err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (s *Server) ready(ctx context.Context, client *http.Client) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.APIURL+"/readyz", nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET /readyz: %s", resp.Status)
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.SMTPAddr)
	if err != nil {
		return err
	}
	defer conn.Close()
	greeting := make([]byte, 4)
	if _, err := io.ReadFull(conn, greeting); err != nil {
		return fmt.Errorf("SMTP greeting: %w", err)
	}
	if string(greeting[:3]) != "220" {
		return fmt.Errorf("SMTP greeting %q", greeting)
	}
	return nil
}

// Stop ends Mailpit and waits for it.
func (s *Server) Stop() {
	s.stop.Do(func() {
		if s.cmd.Process != nil {
			_ = s.cmd.Process.Kill()
		}
		<-s.done
	})
}

// Address is a mailbox as Mailpit reports it.
type Address struct {
	Name    string
	Address string
}

// Summary is a message as the message list shows it.
type Summary struct {
	ID          string
	MessageID   string
	From        Address
	To          []Address
	Subject     string
	Created     time.Time
	Size        int
	Attachments int
	Snippet     string
}

// Part is an inline image or an attachment of a message.
type Part struct {
	PartID      string
	FileName    string
	ContentType string
	ContentID   string
	Size        int
}

// Message is one message as Mailpit parsed it, with its headers.
type Message struct {
	ID          string
	MessageID   string
	From        Address
	To          []Address
	Subject     string
	Date        time.Time
	Text        string
	HTML        string
	Size        int
	Inline      []Part
	Attachments []Part
	// Headers are the message's headers, by their canonical name, with the
	// values as they were written (encoded words included).
	Headers map[string][]string `json:"-"`
}

// Messages lists the messages Mailpit holds, newest first
// (GET /api/v1/messages).
func (s *Server) Messages(t testing.TB) []Summary {
	t.Helper()
	var list struct {
		Total    int
		Messages []Summary
	}
	s.getJSON(t, "/api/v1/messages?limit=1000", &list)
	return list.Messages
}

// Message is one message with its text, its HTML, its parts
// (GET /api/v1/message/{ID}) and its headers
// (GET /api/v1/message/{ID}/headers).
func (s *Server) Message(t testing.TB, id string) Message {
	t.Helper()
	var m Message
	s.getJSON(t, "/api/v1/message/"+url.PathEscape(id), &m)
	s.getJSON(t, "/api/v1/message/"+url.PathEscape(id)+"/headers", &m.Headers)
	return m
}

// Part is the decoded content of one part of a message
// (GET /api/v1/message/{ID}/part/{PartID}).
func (s *Server) Part(t testing.TB, id, partID string) []byte {
	t.Helper()
	return s.get(t, "/api/v1/message/"+url.PathEscape(id)+"/part/"+url.PathEscape(partID))
}

// Raw is the message as Mailpit received it (GET /api/v1/message/{ID}/raw).
func (s *Server) Raw(t testing.TB, id string) []byte {
	t.Helper()
	return s.get(t, "/api/v1/message/"+url.PathEscape(id)+"/raw")
}

func (s *Server) getJSON(t testing.TB, path string, v any) {
	t.Helper()
	body := s.get(t, path)
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("mailpit: GET %s: %v\n%s", path, err, body)
	}
}

func (s *Server) get(t testing.TB, path string) []byte {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, s.APIURL+path, nil)
	if err != nil {
		t.Fatalf("mailpit: GET %s: %v", path, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("mailpit: GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("mailpit: GET %s: %v", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("mailpit: GET %s: %s\n%s", path, resp.Status, body)
	}
	return body
}

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// binary finds Mailpit once per test binary.
func binary(ctx context.Context) (string, error) {
	binOnce.Do(func() { binPath, binErr = Binary(ctx) })
	return binPath, binErr
}

// Binary finds Mailpit: $MAILPIT_BIN, PATH, then the Go bin folder; when
// there is none it installs Module there (internal/gotool).
func Binary(ctx context.Context) (string, error) {
	return gotool.Tool{Name: "mailpit", Module: Module, BinEnv: BinEnv}.Binary(ctx)
}

// Run starts a Mailpit outside a test, for a local run of the product
// (make run): on free loopback ports, keeping its messages in db, until
// Stop or the parent's death. It installs the binary when it is missing.
func Run(ctx context.Context, db string) (*Server, error) {
	bin, err := binary(ctx)
	if err != nil {
		return nil, err
	}
	return start(ctx, bin, db)
}
