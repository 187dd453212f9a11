// Package conformance is the test suite every source and sink type runs,
// in the spirit of rclone's fstests: one function per kind of component
// checks the engine's contracts (pipeline.Source, pipeline.Sink) on a real
// destination or input, so that each connector's own tests only say how to
// make one.
//
//	func TestConformance(t *testing.T) {
//		conformance.RunSink(t, conformance.SinkOptions{
//			Type: "csv",
//			New: func(t *testing.T) conformance.Destination {
//				return conformance.File(t, ".csv", func(p string) pipeline.SinkConfig {
//					c := sinks.NewCSVConfig(); c.Path = p; return c
//				})
//			},
//			ReadBack: conformance.ThroughSource("csv"),
//		})
//	}
//
// Every registered type must call RunSink or RunSource with its name as a
// string literal in SinkOptions.Type or SourceOptions.Type: a test of
// cmd/etl, which links every component, fails for a type that does not
// (see Calls).
package conformance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/etl-dev/etl/pipeline"
)

// SinkOptions describe a sink type to RunSink.
type SinkOptions struct {
	// Type is the sink's registered type name, written as a string
	// literal (the coverage test looks for it).
	Type string
	// New makes a fresh, empty destination and a config writing to it.
	// Each check calls it once.
	New func(t *testing.T) Destination
	// Schema is the layout of the rows the checks write; nil means
	// FileSchema.
	Schema pipeline.Schema
	// Rows returns good rows of Schema, a fresh copy on every call, at
	// least four of them; nil means FileRows.
	Rows func() []pipeline.Row
	// BadRows returns rows of Schema the sink must refuse on their own
	// through a *pipeline.BatchError while it takes the others; nil means
	// a row one value short and, when Schema has a required field, a row
	// with nil in it.
	BadRows func() []pipeline.Row
	// Immediate is set for sinks whose rows reach the destination in
	// Write (API sinks) rather than at Close: the checks that nothing is
	// visible before Close, and that Abort leaves the destination as it
	// was, are skipped.
	Immediate bool
	// ReadBack, when set, reads what a closed sink published, as the
	// canonical text of each value (Text) per row and field, for the round
	// trip. ThroughSource reads a file through a registered source.
	ReadBack func(t *testing.T, d Destination, schema pipeline.Schema) [][]string
}

// Destination is one place a sink writes to, fresh for one check.
type Destination struct {
	// Config is a sink config writing to this destination.
	Config pipeline.SinkConfig
	// Env is what the sink opens with; BaseDir defaults to a temporary
	// directory and Job to "conformance".
	Env pipeline.Env
	// Snapshot returns the destination's visible state as text that
	// changes when anything visible changes (file sinks: every file's
	// name and bytes; API sinks: the emulator's records).
	Snapshot func() string
	// Writes, for API sinks, returns the number of write requests the
	// destination has received so far (the emulator's counters); a dry
	// run must not move it. nil for file sinks.
	Writes func() int
	// Residue, when set, lists what a closed or aborted sink must not
	// leave behind (file sinks: temporary files and directories made for
	// an output that was discarded).
	Residue func() []string
	// Path is the file a file sink writes, for ReadBack.
	Path string
}

// File returns the destination of a file sink: a new temporary directory
// in which the sink writes out/data<ext> (out/ does not exist yet), with
// snapshots of the directory's files.
func File(t *testing.T, ext string, config func(path string) pipeline.SinkConfig) Destination {
	t.Helper()
	dir := t.TempDir()
	rel := filepath.Join("out", "data"+ext)
	return Destination{
		Config:   config(rel),
		Env:      pipeline.Env{BaseDir: dir, Job: "conformance"},
		Snapshot: func() string { return snapshotDir(t, dir) },
		Residue:  func() []string { return residue(t, dir) },
		Path:     filepath.Join(dir, rel),
	}
}

// snapshotDir describes the regular files under dir that a user sees
// (hidden temporary files aside) with their contents.
func snapshotDir(t *testing.T, dir string) string {
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || isTemp(e.Name()) {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(&b, "%s %d %x\n", rel, len(data), data)
		return nil
	})
	if err != nil {
		t.Fatalf("snapshot of %s: %v", dir, err)
	}
	return b.String()
}

// residue lists temporary files and empty directories under dir.
func residue(t *testing.T, dir string) []string {
	var out []string
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case !e.IsDir() && isTemp(e.Name()):
			out = append(out, rel)
		case e.IsDir():
			if es, err := os.ReadDir(p); err == nil && len(es) == 0 {
				out = append(out, rel+"/")
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("listing %s: %v", dir, err)
	}
	return out
}

func isTemp(name string) bool { return strings.HasPrefix(name, ".") && strings.HasSuffix(name, ".tmp") }

// RunSink runs every sink check as a subtest.
func RunSink(t *testing.T, opts SinkOptions) {
	t.Helper()
	if opts.Type == "" || opts.New == nil {
		t.Fatal("conformance: SinkOptions need Type and New")
	}
	if _, ok := pipeline.LookupSink(opts.Type); !ok {
		t.Fatalf("conformance: no sink type %q is registered", opts.Type)
	}
	if opts.Schema == nil {
		opts.Schema = FileSchema
	}
	if opts.Rows == nil {
		opts.Rows = FileRows
	}
	if opts.BadRows == nil {
		opts.BadRows = func() []pipeline.Row { return defaultBadRows(opts.Schema, opts.Rows()[0]) }
	}
	if n := len(opts.Rows()); n < 4 {
		t.Fatalf("conformance: Rows gives %d rows, at least 4 are needed", n)
	}
	s := &sinkSuite{opts: opts}
	checks := []struct {
		name string
		run  func(*testing.T)
	}{
		{"OneOutcomePerRow", s.oneOutcomePerRow},
		{"BatchErrorIndexes", s.batchErrorIndexes},
		{"CloseAbortIdempotent", s.closeAbortIdempotent},
		{"NothingVisibleBeforeClose", s.nothingVisibleBeforeClose},
		{"AbortLeavesNothing", s.abortLeavesNothing},
		{"Cancellation", s.cancellation},
		{"DryRun", s.dryRun},
		{"RoundTrip", s.roundTrip},
		{"ValidConfigValidates", s.validConfig},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.run(t)
		})
	}
}

type sinkSuite struct{ opts SinkOptions }

func (s *sinkSuite) dest(t *testing.T) Destination {
	t.Helper()
	d := s.opts.New(t)
	if d.Config == nil || d.Snapshot == nil {
		t.Fatal("conformance: a Destination needs Config and Snapshot")
	}
	if d.Env.BaseDir == "" {
		d.Env.BaseDir = t.TempDir()
	}
	if d.Env.Job == "" {
		d.Env.Job = "conformance"
	}
	return d
}

func (s *sinkSuite) open(t *testing.T, d Destination, dry bool) pipeline.Sink {
	t.Helper()
	sink, err := pipeline.OpenSink(context.Background(), d.Config, d.Env, s.opts.Schema, dry)
	if err != nil {
		t.Fatalf("open (dry run %v): %v", dry, err)
	}
	return sink
}

func writes(d Destination) int {
	if d.Writes == nil {
		return 0
	}
	return d.Writes()
}

func noResidue(t *testing.T, d Destination, when string) {
	t.Helper()
	if d.Residue == nil {
		return
	}
	if r := d.Residue(); len(r) > 0 {
		t.Errorf("%s, the destination holds leftovers: %v", when, r)
	}
}

// run moves rows through pipeline.Run with an identity mapper.
func (s *sinkSuite) run(ctx context.Context, sink pipeline.Sink, rows []pipeline.Row, dry bool, cancelAt int, cancel func()) (*pipeline.Result, map[int64]pipeline.Outcome, error) {
	outcomes := map[int64]pipeline.Outcome{}
	src := &rowSource{schema: s.opts.Schema, rows: rows, cancelAt: cancelAt, cancel: cancel}
	res, err := pipeline.Run(ctx, pipeline.RunConfig{
		Source: src, Mapper: identity{s.opts.Schema}, Sink: sink, DryRun: dry,
		BatchSize: 3, Concurrency: 2, ErrorBudget: -1,
		OnOutcomes: func(os []pipeline.RowOutcome) {
			for _, o := range os {
				outcomes[o.Seq] = o.Outcome
			}
		},
	})
	return res, outcomes, err
}

// checkBooks checks that every row read has exactly one outcome and the
// counts add up.
func checkBooks(t *testing.T, res *pipeline.Result, outcomes map[int64]pipeline.Outcome) {
	t.Helper()
	if res.Accounted() != res.RowsRead {
		t.Errorf("counts %v add up to %d, not the %d rows read", res.CountsByName(), res.Accounted(), res.RowsRead)
	}
	if int64(len(outcomes)) != res.RowsRead {
		t.Errorf("%d row outcomes for %d rows read", len(outcomes), res.RowsRead)
	}
	var counts [16]int64
	for seq, o := range outcomes {
		if seq < 0 || seq >= res.RowsRead {
			t.Errorf("an outcome for row %d of %d", seq, res.RowsRead)
		}
		counts[o]++
	}
	for _, o := range pipeline.Outcomes() {
		if counts[o] != res.Count(o) {
			t.Errorf("%d rows %s by their outcomes, %d by the counts", counts[o], o, res.Count(o))
		}
	}
}

func (s *sinkSuite) oneOutcomePerRow(t *testing.T) {
	d := s.dest(t)
	before := d.Snapshot()
	rows := s.opts.Rows()
	res, outcomes, err := s.run(context.Background(), s.open(t, d, false), rows, false, -1, nil)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if res.RowsRead != int64(len(rows)) {
		t.Errorf("read %d rows of %d", res.RowsRead, len(rows))
	}
	checkBooks(t, res, outcomes)
	for _, o := range []pipeline.Outcome{pipeline.Rejected, pipeline.Unknown, pipeline.NotProcessed, pipeline.Skipped} {
		if n := res.Count(o); n > 0 {
			t.Errorf("%d good rows ended %s: %v", n, o, res.Problems)
		}
	}
	if d.Snapshot() == before {
		t.Error("the run succeeded but the destination did not change")
	}
	noResidue(t, d, "after Close")
}

func defaultBadRows(schema pipeline.Schema, good pipeline.Row) []pipeline.Row {
	short := pipeline.Row{Origin: pipeline.Origin{File: "bad", Row: 1001}, Values: append([]any(nil), good.Values[:len(good.Values)-1]...)}
	bad := []pipeline.Row{short}
	for i, f := range schema {
		if f.Required {
			vals := append([]any(nil), good.Values...)
			vals[i] = nil
			bad = append(bad, pipeline.Row{Origin: pipeline.Origin{File: "bad", Row: 1002}, Values: vals})
			break
		}
	}
	return bad
}

func (s *sinkSuite) batchErrorIndexes(t *testing.T) {
	d := s.dest(t)
	sink := s.open(t, d, false)
	defer sink.Abort()
	good, bad := s.opts.Rows(), s.opts.BadRows()
	// Interleave: good, bad, good, bad, ..., then the other good rows.
	var batch []pipeline.Row
	wantBad := map[int]bool{}
	gi := 0
	for _, b := range bad {
		if gi < len(good) {
			batch = append(batch, good[gi])
			gi++
		}
		wantBad[len(batch)] = true
		batch = append(batch, b)
	}
	batch = append(batch, good[gi:]...)
	for i := range batch {
		batch[i].Seq = int64(i)
	}
	err := sink.Write(context.Background(), batch)
	var be *pipeline.BatchError
	if !errors.As(err, &be) {
		t.Fatalf("Write of %d rows with %d bad ones: %v, want a *pipeline.BatchError", len(batch), len(bad), err)
	}
	for i, p := range be.Failed {
		if i < 0 || i >= len(batch) {
			t.Errorf("BatchError names row %d of a batch of %d", i, len(batch))
			continue
		}
		if !wantBad[i] {
			t.Errorf("BatchError names good row %d: %v", i, p)
		}
		if p.Origin != batch[i].Origin {
			t.Errorf("row %d: the problem's origin is %v, not the row's %v", i, p.Origin, batch[i].Origin)
		}
		if p.Message == "" {
			t.Errorf("row %d: a problem without a message", i)
		}
	}
	for i := range wantBad {
		if _, ok := be.Failed[i]; !ok {
			t.Errorf("bad row %d (%v) was taken", i, batch[i].Values)
		}
	}
	if err := closeErr(sink.Close(context.Background())); err != nil {
		t.Fatalf("Close after a batch with bad rows: %v", err)
	}
	if s.opts.ReadBack != nil {
		want := texts(s.opts.Schema, good)
		if got := s.opts.ReadBack(t, d, s.opts.Schema); !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("after refusing the bad rows the destination holds\n%q\nwant the good rows\n%q", got, want)
		}
	}
}

func (s *sinkSuite) closeAbortIdempotent(t *testing.T) {
	ctx := context.Background()
	d := s.dest(t)
	before := d.Snapshot()
	sink := s.open(t, d, false)
	if err := sink.Write(ctx, s.opts.Rows()); err != nil {
		t.Fatalf("Write: %v", err)
	}
	if err := closeErr(sink.Close(ctx)); err != nil {
		t.Fatalf("Close: %v", err)
	}
	closed, w := d.Snapshot(), writes(d)
	if err := sink.Close(ctx); err == nil {
		t.Error("a second Close returned nil")
	}
	if err := sink.Write(ctx, s.opts.Rows()); err == nil {
		t.Error("Write after Close returned nil")
	}
	for i := 0; i < 2; i++ {
		if err := sink.Abort(); err != nil {
			t.Errorf("Abort %d after Close: %v", i+1, err)
		}
	}
	if d.Snapshot() != closed || writes(d) != w {
		t.Error("Close, Write or Abort after Close changed the destination")
	}
	noResidue(t, d, "after Close and Abort")

	d = s.dest(t)
	before = d.Snapshot()
	sink = s.open(t, d, false)
	if err := sink.Write(ctx, s.opts.Rows()); err != nil {
		t.Fatalf("Write: %v", err)
	}
	for i := 0; i < 2; i++ {
		if err := sink.Abort(); err != nil {
			t.Errorf("Abort %d: %v", i+1, err)
		}
	}
	if err := sink.Close(ctx); err == nil {
		t.Error("Close after Abort returned nil")
	}
	if !s.opts.Immediate && d.Snapshot() != before {
		t.Error("Close after Abort published the output")
	}
	noResidue(t, d, "after Abort")
}

func (s *sinkSuite) nothingVisibleBeforeClose(t *testing.T) {
	if s.opts.Immediate {
		t.Skip("the sink writes in Write")
	}
	ctx := context.Background()
	d := s.dest(t)
	before := d.Snapshot()
	sink := s.open(t, d, false)
	defer sink.Abort()
	if d.Snapshot() != before {
		t.Fatal("Open changed the destination")
	}
	rows := s.opts.Rows()
	for i := 0; i < len(rows); i += 2 {
		if err := sink.Write(ctx, rows[i:min(i+2, len(rows))]); err != nil {
			t.Fatalf("Write: %v", err)
		}
		if d.Snapshot() != before {
			t.Fatalf("rows are visible after Write, before Close")
		}
	}
	if err := closeErr(sink.Close(ctx)); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if d.Snapshot() == before {
		t.Error("Close did not publish the rows")
	}
}

func (s *sinkSuite) abortLeavesNothing(t *testing.T) {
	if s.opts.Immediate {
		t.Skip("the sink writes in Write")
	}
	d := s.dest(t)
	before := d.Snapshot()
	sink := s.open(t, d, false)
	if err := sink.Write(context.Background(), s.opts.Rows()); err != nil {
		t.Fatalf("Write: %v", err)
	}
	if err := sink.Abort(); err != nil {
		t.Fatalf("Abort: %v", err)
	}
	if d.Snapshot() != before {
		t.Error("Abort left output at the destination")
	}
	noResidue(t, d, "after Abort")
}

// cancelOnClose cancels the run's context when the runner closes the sink.
type cancelOnClose struct {
	pipeline.Sink
	cancel func()
}

func (c cancelOnClose) Close(ctx context.Context) error {
	c.cancel()
	return c.Sink.Close(ctx)
}

func (s *sinkSuite) cancellation(t *testing.T) {
	t.Run("Write", func(t *testing.T) {
		d := s.dest(t)
		before, w := d.Snapshot(), writes(d)
		sink := s.open(t, d, false)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := sink.Write(ctx, s.opts.Rows()); !errors.Is(err, context.Canceled) {
			t.Errorf("Write with a cancelled context: %v, want context.Canceled", err)
		}
		if writes(d) != w {
			t.Error("Write with a cancelled context sent writes")
		}
		if err := sink.Abort(); err != nil {
			t.Errorf("Abort: %v", err)
		}
		if !s.opts.Immediate && d.Snapshot() != before {
			t.Error("a cancelled sink changed the destination")
		}
		noResidue(t, d, "after a cancelled Write")
	})
	rows := len(s.opts.Rows())
	for _, at := range []struct {
		name  string
		row   int // the source cancels before reading this row; -1: at Close
		close bool
	}{
		{"BeforeAnyWrite", 3, false}, // the first batch read, none written
		{"MidRun", rows/2 + 1, false},
		{"DuringClose", -1, true},
	} {
		t.Run("Run"+at.name, func(t *testing.T) {
			d := s.dest(t)
			before := d.Snapshot()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var sink pipeline.Sink = s.open(t, d, false)
			if at.close {
				sink = cancelOnClose{Sink: sink, cancel: cancel}
			}
			res, outcomes, err := s.run(ctx, sink, s.opts.Rows(), false, at.row, cancel)
			checkBooks(t, res, outcomes)
			if res.Count(pipeline.Rejected) > 0 {
				t.Errorf("good rows rejected by the cancellation: %v", res.Problems)
			}
			if err == nil {
				if !at.close {
					t.Fatal("a cancelled run succeeded")
				}
				return // the sink had nothing left to do at Close
			}
			if !errors.Is(err, context.Canceled) {
				t.Errorf("run: %v, want context.Canceled", err)
			}
			if !s.opts.Immediate && d.Snapshot() != before {
				t.Error("a cancelled run left output at the destination")
			}
			noResidue(t, d, "after a cancelled run")
		})
	}
}

func (s *sinkSuite) dryRun(t *testing.T) {
	d := s.dest(t)
	before, w := d.Snapshot(), writes(d)
	rows := s.opts.Rows()
	res, outcomes, err := s.run(context.Background(), s.open(t, d, true), rows, true, -1, nil)
	if err != nil {
		t.Fatalf("dry run: %v", err)
	}
	if !res.DryRun || res.RowsRead != int64(len(rows)) {
		t.Errorf("dry run %v, %d rows read of %d", res.DryRun, res.RowsRead, len(rows))
	}
	checkBooks(t, res, outcomes)
	if d.Snapshot() != before {
		t.Error("a dry run changed the destination")
	}
	if n := writes(d) - w; n != 0 {
		t.Errorf("a dry run sent %d writes", n)
	}
	noResidue(t, d, "after a dry run")
}

func (s *sinkSuite) roundTrip(t *testing.T) {
	if s.opts.ReadBack == nil {
		t.Skip("no ReadBack")
	}
	d := s.dest(t)
	rows := s.opts.Rows()
	if _, _, err := s.run(context.Background(), s.open(t, d, false), rows, false, -1, nil); err != nil {
		t.Fatalf("run: %v", err)
	}
	got := s.opts.ReadBack(t, d, s.opts.Schema)
	want := texts(s.opts.Schema, rows)
	if len(got) != len(want) {
		t.Fatalf("read back %d rows, wrote %d:\n%q", len(got), len(want), got)
	}
	for i := range want {
		for j, f := range s.opts.Schema {
			var g string
			if j < len(got[i]) {
				g = got[i][j]
			}
			if g != want[i][j] {
				t.Errorf("row %d field %s (%s): read back %q, wrote %q", i, f.Name, f.Type, g, want[i][j])
			}
		}
	}
}

// closeErr is what Close's error says of good rows: nil for a successful
// Close, including a *pipeline.RowErrors that only gives rows the outcome
// Close decided (a sink writing documents at Close); else the error.
func closeErr(err error) error {
	var re *pipeline.RowErrors
	if errors.As(err, &re) && len(re.Failed) == 0 && len(re.Unknown) == 0 && re.Err == nil {
		return nil
	}
	return err
}

// validConfig: a config that writes fine passes its own Validate
// (pipeline.Validator), so the job loader does not refuse a good job.
func (s *sinkSuite) validConfig(t *testing.T) {
	d := s.dest(t)
	if err := pipeline.Validate(d.Config); err != nil {
		t.Errorf("Validate refuses a working config: %v", err)
	}
}

func texts(schema pipeline.Schema, rows []pipeline.Row) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = make([]string, len(schema))
		for j, f := range schema {
			out[i][j] = Text(f, r.Values[j])
		}
	}
	return out
}

// rowSource serves rows as records of their schema's columns, cancelling
// the run before the record cancelAt when set.
type rowSource struct {
	schema   pipeline.Schema
	rows     []pipeline.Row
	i        int
	cancelAt int
	cancel   func()
}

func (r *rowSource) Columns() []pipeline.Column {
	cols := make([]pipeline.Column, len(r.schema))
	for i, f := range r.schema {
		cols[i] = pipeline.Column{Name: f.Name, Type: f.Type, Precision: f.Precision, Scale: f.Scale}
	}
	return cols
}

func (r *rowSource) Next(ctx context.Context) (pipeline.Record, error) {
	if r.cancel != nil && r.i == r.cancelAt {
		r.cancel()
	}
	if err := ctx.Err(); err != nil {
		return pipeline.Record{}, err
	}
	if r.i >= len(r.rows) {
		return pipeline.Record{}, io.EOF
	}
	row := r.rows[r.i]
	r.i++
	// The record is the caller's (the mapping may reuse its values): the
	// rows stay as the suite wrote them.
	return pipeline.Record{Origin: row.Origin, Values: slices.Clone(row.Values)}, nil
}

func (r *rowSource) Close() error { return nil }

// identity maps each record to a row of the same values.
type identity struct{ schema pipeline.Schema }

func (m identity) Schema() pipeline.Schema { return m.schema }
func (m identity) Map(rec pipeline.Record) (pipeline.Row, []pipeline.Problem, bool) {
	return pipeline.Row{Origin: rec.Origin, Values: rec.Values}, nil, false
}
