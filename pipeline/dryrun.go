package pipeline

import (
	"context"
	"errors"
)

// OpenSink opens the sink of cfg as a run needs it. For a real run that is
// cfg.Open. For a dry run it is the dry-run layer, so that no sink reads a
// dry-run flag:
//
//   - a config that plans (DryRunner: the API sinks) opens its planning
//     sink, which reads the destination and records the writes it would
//     send instead of sending them;
//   - any other sink (the file sinks) is opened for real, so that its
//     settings, paths and schema are checked, and takes every row; its
//     Close aborts it, so the destination is left as it was.
func OpenSink(ctx context.Context, cfg SinkConfig, env Env, schema Schema, dryRun bool) (Sink, error) {
	if !dryRun {
		return cfg.Open(ctx, env, schema)
	}
	if dr, ok := cfg.(DryRunner); ok {
		return dr.OpenDryRun(ctx, env, schema)
	}
	s, err := cfg.Open(ctx, env, schema)
	if err != nil {
		return nil, err
	}
	d := &dryRunSink{next: s}
	if r, ok := s.(Reporter); ok {
		return &dryRunReporter{dryRunSink: d, r: r}, nil
	}
	return d, nil
}

// errDryRunClosed is returned by a dry-run sink's Write and Close after
// Close.
var errDryRunClosed = errors.New("sink already closed")

// dryRunSink passes rows to a sink opened for real and aborts it instead
// of closing it.
type dryRunSink struct {
	next   Sink
	closed bool
}

func (d *dryRunSink) Write(ctx context.Context, rows []Row) error {
	if d.closed {
		return errDryRunClosed
	}
	return d.next.Write(ctx, rows)
}

// Close discards what the sink was given: a dry run changes nothing.
func (d *dryRunSink) Close(ctx context.Context) error {
	if d.closed {
		return errDryRunClosed
	}
	d.closed = true
	if err := d.next.Abort(); err != nil {
		return err
	}
	return ctx.Err()
}

func (d *dryRunSink) Abort() error {
	d.closed = true
	return d.next.Abort()
}

type dryRunReporter struct {
	*dryRunSink
	r Reporter
}

func (d *dryRunReporter) Report() *ComponentReport { return d.r.Report() }

// copiesRows says whether s keeps nothing of the rows it is given (see
// Copier), looking through the dry-run layer, which keeps nothing either.
func copiesRows(s Sink) bool {
	switch d := s.(type) {
	case *dryRunSink:
		s = d.next
	case *dryRunReporter:
		s = d.next
	}
	_, ok := s.(Copier)
	return ok
}
