// Package convertbench benchmarks the CSV → Parquet path of
// bench/convert.yaml in process and reports allocations per row (issue
// 15). It holds only benchmarks and the test that keeps them honest:
//
//	go test -run XXX -bench . -benchtime 3x ./bench/convertbench
//	go test -run XXX -bench MapSink -cpuprofile cpu.out ./bench/convertbench
package convertbench

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/etl-dev/etl/bench/catalog"
	"github.com/etl-dev/etl/jobfile"
	"github.com/etl-dev/etl/pipeline"
	_ "github.com/etl-dev/etl/sinks"
	_ "github.com/etl-dev/etl/sources"
)

// benchRows is the size of the generated catalog of a benchmark run.
const benchRows = 100_000

// setup writes a catalog of n rows and bench/convert.yaml into a temporary
// directory and returns the job, parsed.
func setup(tb testing.TB, n int) (*jobfile.Job, string) {
	tb.Helper()
	dir := tb.TempDir()
	f, err := os.Create(filepath.Join(dir, "catalog.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	if err := catalog.Write(f, n); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	data, err := os.ReadFile("../convert.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	lookup := func(name string) (string, bool) {
		if name == "BENCH_DIR" {
			return dir, true
		}
		return "", false
	}
	job, err := jobfile.Parse(filepath.Join(dir, "convert.yaml"), data, lookup)
	if err != nil {
		tb.Fatal(err)
	}
	return job, dir
}

// replay is a source that returns records read before the benchmark. The
// mapping reuses a record's values for its row, so it hands out copies,
// which rewind restores without allocating.
type replay struct {
	cols []pipeline.Column
	recs []pipeline.Record // as read
	work []pipeline.Record // what Next returns
	next int
}

// rewind starts the replay again from the first record, as read.
func (r *replay) rewind() {
	if r.work == nil {
		r.work = make([]pipeline.Record, len(r.recs))
		for i, rec := range r.recs {
			rec.Values = make([]any, len(rec.Values))
			r.work[i] = rec
		}
	}
	for i := range r.recs {
		copy(r.work[i].Values, r.recs[i].Values)
	}
	r.next = 0
}

func (r *replay) Columns() []pipeline.Column { return r.cols }
func (r *replay) Close() error               { return nil }
func (r *replay) Next(ctx context.Context) (pipeline.Record, error) {
	if r.next == len(r.recs) {
		return pipeline.Record{}, io.EOF
	}
	r.next++
	return r.work[r.next-1], nil
}

// convert runs the job once, from src (the job's own source when nil).
func convert(tb testing.TB, job *jobfile.Job, src pipeline.Source) *pipeline.Result {
	tb.Helper()
	ctx := context.Background()
	prep, err := job.Prepare(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	defer prep.Source.Close()
	if src == nil {
		src = prep.Source
	}
	sink, err := job.Sink.Open(ctx, job.Env, prep.Mapping.Schema())
	if err != nil {
		tb.Fatal(err)
	}
	res, err := pipeline.Run(ctx, pipeline.RunConfig{
		Source: src, Mapper: prep.Mapping, Check: prep.Mapping.OrderedCheck(),
		Sink: sink, BatchSize: job.Options.BatchSize, Concurrency: job.Options.Concurrency, ErrorBudget: -1,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

// readAll reads every record of the job's source.
func readAll(tb testing.TB, job *jobfile.Job) *replay {
	tb.Helper()
	ctx := context.Background()
	prep, err := job.Prepare(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	defer prep.Source.Close()
	r := &replay{cols: prep.Source.Columns()}
	for {
		rec, err := prep.Source.Next(ctx)
		if err == io.EOF {
			return r
		}
		if err != nil {
			tb.Fatal(err)
		}
		r.recs = append(r.recs, rec)
	}
}

// measure runs fn b.N times and reports allocations and bytes per row.
func measure(b *testing.B, rows int, fn func()) {
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for range b.N {
		fn()
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	n := float64(rows) * float64(b.N)
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/n, "allocs/row")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/n, "B/row")
	b.ReportMetric(n/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkConvert is the whole job: CSV reading, mapping with the three
// rules, Parquet writing.
func BenchmarkConvert(b *testing.B) {
	job, _ := setup(b, benchRows)
	measure(b, benchRows, func() { convert(b, job, nil) })
}

// BenchmarkMapSink is the mapping and the Parquet sink alone: the records
// are read before the clock starts and replayed.
func BenchmarkMapSink(b *testing.B) {
	job, _ := setup(b, benchRows)
	src := readAll(b, job)
	src.rewind()
	measure(b, benchRows, func() {
		src.rewind()
		convert(b, job, src)
	})
}

// TestConvert checks what the benchmarks measure: every row of the
// catalog arrives in the Parquet file with its typed values.
func TestConvert(t *testing.T) {
	t.Parallel()
	const n = 30_000 // 15 batches: later ones reuse the memory of written ones
	job, dir := setup(t, n)
	res := convert(t, job, nil)
	if res.RowsRead != n || res.Count(pipeline.Written) != n {
		t.Fatalf("read %d rows, wrote %d; want %d and %d", res.RowsRead, res.Count(pipeline.Written), n, n)
	}
	f, err := os.Open(filepath.Join(dir, "catalog.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	if pf.NumRows() != n {
		t.Fatalf("the Parquet file has %d rows, want %d", pf.NumRows(), n)
	}
	csvText, err := os.ReadFile(filepath.Join(dir, "catalog.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// Every row against its CSV line (the description is quoted and holds
	// commas: count fields from the end).
	lines := strings.Split(strings.TrimSuffix(string(csvText), "\n"), "\n")[1:]
	rows := make([]parquet.Row, n)
	rr := parquet.NewReader(pf)
	if got, err := rr.ReadRows(rows); got != n && err != nil {
		t.Fatalf("read %d rows: %v", got, err)
	}
	for i, line := range lines {
		fields := strings.Split(line, ",")
		k := len(fields)
		price := strings.TrimLeft(strings.ReplaceAll(fields[k-6], ".", ""), "0")
		want := fmt.Sprint(fields[0], "|", price, "|", fields[k-3], "|", fields[k-2])
		r := rows[i]
		got := fmt.Sprint(r[0], "|", r[4].Int64(), "|", r[7].Int64(), "|", r[8].Boolean())
		if got != want {
			t.Fatalf("row %d in Parquet: %s; in the CSV %q: %s", i+1, got, line, want)
		}
	}
}
