package main

import (
	"context"
	"io"
	"sync/atomic"

	"github.com/etl-dev/etl/internal/box"
	"github.com/etl-dev/etl/pipeline"
)

// countedSource is the job's source as a run reads it: it counts the
// records read as they are read (for progress lines while a batch is still
// being written) and, for `etl run --limit` and `etl preview`, stops after
// limit records (0: no limit). The rows past the limit are not read at
// all, so the counts still add up to the rows read. A limited run never
// commits the source's bookmark: a partial read must not advance an
// incremental job. Sources that keep bookmarks or tell their progress keep
// doing so through it; API sources keep reporting their requests.
type countedSource struct {
	pipeline.Source
	read  atomic.Int64
	limit int64
}

// countSource wraps src; see countedSource.
func countSource(src pipeline.Source, limit int64) *countedSource {
	return &countedSource{Source: src, limit: limit}
}

// source returns the wrapped source as the runner should see it: with
// Report when src reports requests.
func (s *countedSource) source() pipeline.Source {
	if r, ok := s.Source.(pipeline.Reporter); ok {
		return &countedReporter{countedSource: s, r: r}
	}
	return s
}

// Read is the number of records read so far; safe from any goroutine.
func (s *countedSource) Read() int64 { return s.read.Load() }

func (s *countedSource) Next(ctx context.Context) (pipeline.Record, error) {
	return s.NextIn(ctx, nil)
}

// NextIn passes a on when the source boxes its values in an arena (see
// pipeline.BoxingSource); a nil a means Next.
func (s *countedSource) NextIn(ctx context.Context, a *box.Arena) (pipeline.Record, error) {
	if s.limit > 0 && s.read.Load() >= s.limit {
		return pipeline.Record{}, io.EOF
	}
	var rec pipeline.Record
	var err error
	if b, ok := s.Source.(pipeline.BoxingSource); ok && a != nil {
		rec, err = b.NextIn(ctx, a)
	} else {
		rec, err = s.Source.Next(ctx)
	}
	if err == nil {
		s.read.Add(1)
	}
	return rec, err
}

// Commit commits the source's bookmark, unless the run was limited.
func (s *countedSource) Commit(ctx context.Context) error {
	if c, ok := s.Source.(pipeline.Committer); ok && s.limit == 0 {
		return c.Commit(ctx)
	}
	return nil
}

// Progress is the source's, when it can tell; 0, 0 otherwise.
func (s *countedSource) Progress() (done, total int64) {
	if p, ok := s.Source.(pipeline.Progresser); ok {
		return p.Progress()
	}
	return 0, 0
}

type countedReporter struct {
	*countedSource
	r pipeline.Reporter
}

func (s *countedReporter) Report() *pipeline.ComponentReport { return s.r.Report() }

var (
	_ pipeline.Committer    = (*countedSource)(nil)
	_ pipeline.BoxingSource = (*countedSource)(nil)
	_ pipeline.Progresser   = (*countedSource)(nil)
	_ pipeline.Reporter     = (*countedReporter)(nil)
)
