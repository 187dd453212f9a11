package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/etl-dev/etl/internal/emulator"
)

// freeAddr returns a free loopback address.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// runSandbox runs `etl sandbox args...` until the emulator answers, and
// returns what it printed and a stop function.
func runSandbox(t *testing.T, args ...string) (string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := newSandboxCmd()
	out := newSyncBuffer()
	cmd.SetOut(out)
	cmd.SetErr(io.Discard)
	cmd.SetArgs(args)
	errc := make(chan error, 1)
	go func() { errc <- cmd.ExecuteContext(ctx) }()
	select {
	case <-out.ready:
	case err := <-errc:
		cancel()
		t.Fatalf("sandbox exited: %v\n%s", err, out.String())
	}
	return out.String(), func() error { cancel(); return <-errc }
}

func TestSandboxPrintsEveryVariable(t *testing.T) {
	addr := freeAddr(t)
	out, stop := runSandbox(t, "--addr", addr, "--rate", "30", "--rate-hour", "900", "--key", "k-1")
	for _, want := range []string{
		"export INFLOW_BASE_URL=http://" + addr + "\n",
		"export INFLOW_COMPANY_ID=",
		"export INFLOW_API_KEY=k-1\n",
		"export INFLOW_RATE_PER_MINUTE=30\n",
		"export INFLOW_RATE_PER_HOUR=900\n",
		"# rate limit: 30 requests/minute, 900 requests/hour; Ctrl-C stops it\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// The output is a sourceable file: exports and "# " comments only.
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if !strings.HasPrefix(line, "export ") && !strings.HasPrefix(line, "# ") {
			t.Errorf("line %q is neither an export nor a comment", line)
		}
	}
	resp, err := http.Get("http://" + addr + "/00000000-0000-0000-0000-000000000000/products")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unauthenticated request answered %d", resp.StatusCode)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

func TestSandboxByNameAndDefaults(t *testing.T) {
	out, stop := runSandbox(t, "inflow", "--addr", freeAddr(t))
	if !strings.Contains(out, "export INFLOW_RATE_PER_MINUTE=60\n") || !strings.Contains(out, "# inflow sandbox") {
		t.Errorf("the inflow emulator's default rate is not printed:\n%s", out)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	cmd := newSandboxCmd()
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SetArgs([]string{"nosuch"})
	if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), `no emulator "nosuch"`) {
		t.Fatalf("unknown emulator: %v", err)
	}
	cmd = newSandboxCmd()
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SetArgs([]string{"--faults", "boom=1"})
	if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), `unknown fault "boom"`) {
		t.Fatalf("bad faults: %v", err)
	}
	found := false
	for _, n := range emulator.Names() {
		found = found || n == "inflow"
	}
	if !found {
		t.Fatal("inflow is not registered")
	}
}

// syncBuffer is a buffer safe for a writer and a reader goroutine; ready
// is closed once the text holds "Ctrl-C" (the sandbox's last line).
type syncBuffer struct {
	mu    sync.Mutex
	b     bytes.Buffer
	ready chan struct{}
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{ready: make(chan struct{})} }

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	had := strings.Contains(s.b.String(), "Ctrl-C")
	n, err := s.b.Write(p)
	if !had && strings.Contains(s.b.String(), "Ctrl-C") {
		close(s.ready)
	}
	return n, err
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
