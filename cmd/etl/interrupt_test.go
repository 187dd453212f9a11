package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/etl-dev/etl/internal/conformance"
	"github.com/etl-dev/etl/pipeline"
)

// The "interrupt-test" sink exists only in this test binary (which the
// golden scripts run as etl). It confirms rows as an API sink does
// (Created) and, at the row numbered interrupt_at, sends the process a
// SIGINT as a user's Ctrl-C would, waits for the run to be cancelled, and
// returns as a cut-short request does: that row's fate unknown, the rest of
// its batch never sent. testdata/script/interrupt.txtar checks what the
// summary and the journal then say.
func init() {
	pipeline.RegisterSink(pipeline.SinkType{
		Name: "interrupt-test", Doc: "test only: confirms rows, Ctrl-C at a row",
		NewConfig: func() pipeline.SinkConfig { return &interruptConfig{} },
	})
}

type interruptConfig struct {
	// InterruptAt is the 1-based number of the row whose write is cut
	// short; 0 never.
	InterruptAt int64 `yaml:"interrupt_at"`

	store *interruptStore // the destination; nil: a private one
}

// interruptStore is the sink's destination: the rows confirmed.
type interruptStore struct {
	mu   sync.Mutex
	rows []string
}

// OpenDryRun writes to a throwaway store: a dry run changes nothing.
func (c *interruptConfig) OpenDryRun(_ context.Context, _ pipeline.Env, schema pipeline.Schema) (pipeline.Sink, error) {
	return &interruptSink{cfg: c, schema: schema, store: &interruptStore{}}, nil
}

func (c *interruptConfig) Open(_ context.Context, _ pipeline.Env, schema pipeline.Schema) (pipeline.Sink, error) {
	st := c.store
	if st == nil {
		st = &interruptStore{}
	}
	return &interruptSink{cfg: c, schema: schema, store: st}, nil
}

type interruptSink struct {
	cfg    *interruptConfig
	schema pipeline.Schema
	store  *interruptStore
	closed bool
}

func (s *interruptSink) Write(ctx context.Context, rows []pipeline.Row) error {
	if s.closed {
		return fmt.Errorf("sink closed")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	failed := map[int]pipeline.Problem{}
	for i := range rows {
		if rows[i].Seq+1 == s.cfg.InterruptAt {
			if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
				return err
			}
			select {
			case <-ctx.Done():
			case <-time.After(30 * time.Second):
				return fmt.Errorf("the interrupt never cancelled the run")
			}
			rows[i].Outcome = pipeline.Unknown
			return fmt.Errorf("sending row %d: %w", rows[i].Seq+1, ctx.Err())
		}
		if p, bad := s.check(rows[i]); bad {
			failed[i] = p
			continue
		}
		s.store.mu.Lock()
		s.store.rows = append(s.store.rows, fmt.Sprint(rows[i].Values))
		s.store.mu.Unlock()
		rows[i].Outcome = pipeline.Created
	}
	if len(failed) > 0 {
		return &pipeline.BatchError{Failed: failed}
	}
	return nil
}

// check refuses what an API would: a row of the wrong width, a nil in a
// required field.
func (s *interruptSink) check(r pipeline.Row) (pipeline.Problem, bool) {
	if len(r.Values) != len(s.schema) {
		return pipeline.Problem{Origin: r.Origin, Rule: "type", Message: "wrong number of values"}, true
	}
	for j, f := range s.schema {
		if f.Required && r.Values[j] == nil {
			return pipeline.Problem{Origin: r.Origin, Field: f.Name, Rule: "required", Message: "required"}, true
		}
	}
	return pipeline.Problem{}, false
}

func (s *interruptSink) Close(context.Context) error {
	if s.closed {
		return fmt.Errorf("sink closed twice")
	}
	s.closed = true
	return nil
}

func (s *interruptSink) Abort() error { s.closed = true; return nil }

// Report makes the CLI treat it as an API sink: every row's outcome goes
// to the journal.
func (s *interruptSink) Report() *pipeline.ComponentReport { return &pipeline.ComponentReport{} }

func TestConformanceInterruptTestSink(t *testing.T) {
	t.Parallel()
	conformance.RunSink(t, conformance.SinkOptions{
		Type:      "interrupt-test",
		Immediate: true,
		New: func(t *testing.T) conformance.Destination {
			st := &interruptStore{}
			return conformance.Destination{
				Config: &interruptConfig{store: st},
				Snapshot: func() string {
					st.mu.Lock()
					defer st.mu.Unlock()
					return strings.Join(st.rows, "\n")
				},
			}
		},
	})
}
