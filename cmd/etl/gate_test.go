package main

import (
	"errors"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// gate holds the writes match selects, from the after-th on (the first
// when after is 0), until it is released, so a test can act while a run is
// surely mid-run: a held write has not reached the emulator yet. Waiting on
// reached replaces polling the emulator's counters on the wall clock.
type gate struct {
	reached chan struct{}
	open    chan struct{}
	after   int64
	match   func(*http.Request) bool
	seen    atomic.Int64
	once    sync.Once
	opened  sync.Once
	next    http.Handler
}

func newGate(next http.Handler, after int64, match func(*http.Request) bool) *gate {
	return &gate{reached: make(chan struct{}), open: make(chan struct{}), after: after, match: match, next: next}
}

func (g *gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if g.match(r) && g.seen.Add(1) >= g.after {
		g.once.Do(func() { close(g.reached) })
		<-g.open
	}
	g.next.ServeHTTP(w, r)
}

// release lets held writes through; safe to call more than once.
func (g *gate) release() { g.opened.Do(func() { close(g.open) }) }

// writesTo selects requests of method whose path ends with suffix.
func writesTo(method, suffix string) func(*http.Request) bool {
	return func(r *http.Request) bool { return r.Method == method && strings.HasSuffix(r.URL.Path, suffix) }
}

// productPuts selects inFlow product writes.
func productPuts(r *http.Request) bool {
	return r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/products")
}

// killAtGate starts cmd, kills it (SIGKILL) as soon as one of its writes
// is held at g, waits for it to die, and releases g: the held writes then
// reach the emulator with no one left to read the answer, as after a
// crash mid-request.
func killAtGate(t *testing.T, cmd *exec.Cmd, g *gate) {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-g.reached:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the run never got to the gate")
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	var exitErr *exec.ExitError
	if err := cmd.Wait(); !errors.As(err, &exitErr) {
		t.Fatalf("killed etl: %v", err)
	}
	g.release()
}
