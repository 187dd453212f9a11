package goflowsrc

import (
	"context"
	"fmt"
	"io"
	"iter"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/etl-dev/etl/goflow"
	"github.com/etl-dev/etl/goflow/connect"
	"github.com/etl-dev/etl/pipeline"
)

// run is the state of one export.
type run struct {
	client  *goflow.Client
	cfg     *Config
	filters goflow.Filters
	notef   func(string, ...any)
	incr    *incremental
	rows    int
}

// listOptions are the list's filters (the job's, and the incremental
// range) and sort.
func (r *run) listOptions() goflow.ListOptions {
	o := goflow.ListOptions{Filters: goflow.Filters{}}
	maps.Copy(o.Filters, r.filters)
	if r.incr != nil {
		r.incr.apply(&o)
	}
	return o
}

// keep is called for every listed record.
func (r *run) keep(any) bool {
	r.rows++
	return true
}

// finish is called once the list was read to its end.
func (r *run) finish() {
	if r.incr != nil {
		r.incr.finish(r.rows)
	}
}

// source is the pipeline.Source of a Goflow export.
type source struct {
	cfg   *Config
	table *table
	env   pipeline.Env
	conn  *connect.Connection
	run   *run

	next    func() (pipeline.Record, error, bool)
	stop    func()
	n       int
	started bool
	done    bool
	failed  bool
	closed  bool

	mu    sync.Mutex
	notes []string
}

var (
	_ pipeline.Source    = (*source)(nil)
	_ pipeline.Reporter  = (*source)(nil)
	_ pipeline.Committer = (*source)(nil)
)

func (s *source) notef(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notes = append(s.notes, fmt.Sprintf(format, args...))
}

// Columns are the table's columns, fixed by the entity types.
func (s *source) Columns() []pipeline.Column { return slices.Clone(s.table.columns) }

// Next returns the next record. The first call starts the export with ctx.
func (s *source) Next(ctx context.Context) (pipeline.Record, error) {
	if s.closed {
		return pipeline.Record{}, fmt.Errorf("goflow source is closed")
	}
	if err := ctx.Err(); err != nil {
		return pipeline.Record{}, err
	}
	if s.done {
		return pipeline.Record{}, io.EOF
	}
	if !s.started {
		s.started = true
		if s.run.incr != nil {
			s.run.incr.start(s.conn.Client.Kit().Clock().Now())
		}
		var seq iter.Seq2[pipeline.Record, error] = s.table.rows(ctx, s.run)
		s.next, s.stop = iter.Pull2(seq)
	}
	rec, err, ok := s.next()
	if !ok {
		s.done = true
		return pipeline.Record{}, io.EOF
	}
	if err != nil {
		s.stop()
		s.done, s.failed = true, true
		if ctx.Err() != nil {
			return pipeline.Record{}, fmt.Errorf("goflow %s: %w", s.table.entity, ctx.Err())
		}
		return pipeline.Record{}, fmt.Errorf("goflow %s: %w", s.table.entity, err)
	}
	s.n++
	rec.Origin.Row = s.n
	return rec, nil
}

// Close stops the export and the embedded emulator. Safe to call twice.
func (s *source) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	if s.stop != nil {
		s.stop()
	}
	s.conn.Close()
	return nil
}

// Report counts the requests by endpoint.
func (s *source) Report() *pipeline.ComponentReport {
	st := s.conn.Client.Kit().Stats()
	rep := &pipeline.ComponentReport{
		Requests:      pipeline.RequestStats{Reads: st.Requests, Retries: st.Retries, TooMany: st.TooMany, Waited: st.Waited},
		RatePerMinute: s.conn.Client.Limits(s.table.ep).PerMinute,
		Account:       s.conn.Account,
	}
	s.mu.Lock()
	rep.Notes = slices.Clone(s.notes)
	s.mu.Unlock()
	byEP := s.conn.Client.Requests()
	keys := slices.Collect(maps.Keys(byEP))
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, byEP[k]))
	}
	if len(parts) > 0 {
		rep.Notes = append(rep.Notes, "requests: "+strings.Join(parts, ", "))
	}
	return rep
}

// Commit saves the incremental bookmark; the runner calls it only after
// the sink's Close succeeded. It does nothing unless the list was read to
// its end.
func (s *source) Commit(ctx context.Context) error {
	if s.run.incr == nil || !s.done || s.failed {
		return nil
	}
	return s.run.incr.commit(ctx, s.env)
}
