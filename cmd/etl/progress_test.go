package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/etl-dev/etl/pipeline"
)

// fakeAPISink is a sink that reports requests, as an API sink does.
type fakeAPISink struct {
	mu  sync.Mutex
	rep pipeline.ComponentReport
}

func (s *fakeAPISink) Write(context.Context, []pipeline.Row) error { return nil }
func (s *fakeAPISink) Close(context.Context) error                 { return nil }
func (s *fakeAPISink) Abort() error                                { return nil }
func (s *fakeAPISink) Report() *pipeline.ComponentReport {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.rep
	return &c
}
func (s *fakeAPISink) set(reads, writes, tooMany int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rep.Requests = pipeline.RequestStats{Reads: reads, Writes: writes, TooMany: tooMany}
}

// fakeFileSource tells how far through its input it is.
type progressSource struct {
	pipeline.Source
	done, total int64
}

func (s *progressSource) Progress() (int64, int64) { return s.done, s.total }

type nopSource struct{}

func (nopSource) Columns() []pipeline.Column                    { return nil }
func (nopSource) Next(context.Context) (pipeline.Record, error) { return pipeline.Record{}, nil }
func (nopSource) Close() error                                  { return nil }

// Without a terminal an API run logs a line on every tick, also when no
// batch finished in between (a run waiting for its rate limit), with rows,
// requests, 429s, the request rate and the ETA at the rate limit. The
// clock and the ticks are the test's: nothing waits.
func TestProgressLinesWithoutTerminal(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	now := start
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	ticks := make(chan time.Time)

	sink := &fakeAPISink{rep: pipeline.ComponentReport{RatePerMinute: 60}}
	src := &progressSource{Source: nopSource{}}
	out := &lineWriter{lines: make(chan string, 1)}
	p := newProgress(out, src, sink, false, progressClock{now: clock, ticks: ticks})
	var lines []string
	tick := func() { ticks <- now; lines = append(lines, strings.TrimSuffix(<-out.lines, "\n")) }

	res := &pipeline.Result{RowsRead: 100}
	res.Counts[pipeline.Created] = 40
	p.update(res)
	sink.set(10, 40, 2)
	advance(time.Minute)
	tick() // the input's size unknown yet: ETA for the rows read

	src.done, src.total = 25, 100 // a quarter of the input read
	advance(time.Minute)
	tick() // no batch finished since: a line all the same
	sink.set(10, 50, 2)
	advance(10 * time.Second)
	tick()
	p.finish()
	p.finish() // safe twice

	want := []string{
		"progress: 100 rows read, 40 done, 50 requests, 2 429s, 50 requests/min (limit 60), about 1 min 15 s left at the rate limit",
		"progress: 100 rows read, 40 done, 25% of the input, 50 requests, 2 429s, 25 requests/min (limit 60), about 7 min 30 s left at the rate limit",
		"progress: 100 rows read, 40 done, 25% of the input, 60 requests, 2 429s, 28 requests/min (limit 60), about 9 min left at the rate limit",
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), strings.Join(lines, "\n"))
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, lines[i], want[i])
		}
	}
}

// Rows read are counted as they are read, so a line during the first
// batch already says how far the source is; before any row is done the ETA
// is a lower bound of one request a row.
func TestProgressDuringFirstBatch(t *testing.T) {
	t.Parallel()
	ticks := make(chan time.Time)
	out := &lineWriter{lines: make(chan string, 1)}
	sink := &fakeAPISink{rep: pipeline.ComponentReport{RatePerMinute: 120}}
	src := countSource(&progressSource{Source: nopSource{}}, 0)
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	now := start
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	p := newProgress(out, src.source(), sink, false, progressClock{now: clock, ticks: ticks})
	for range 300 {
		if _, err := src.Next(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	sink.set(5, 18, 0)
	mu.Lock()
	now = start.Add(10 * time.Second)
	mu.Unlock()
	ticks <- now
	got := strings.TrimSpace(<-out.lines)
	p.finish()
	want := "progress: 300 rows read, 0 done, 23 requests, 0 429s, 138 requests/min (limit 120), at least 2 min 19 s left at the rate limit"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if eta := apiETA(300, 300, 0, 587, 120); eta != "every row sent; finishing (deferred writes such as stock and cost adjustments)" {
		t.Errorf("all done: %q", eta)
	}
}

// lineWriter hands each line written to the test.
type lineWriter struct{ lines chan string }

func (w *lineWriter) Write(b []byte) (int, error) { w.lines <- string(b); return len(b), nil }

// -q logs no progress lines at all.
func TestProgressQuiet(t *testing.T) {
	t.Parallel()
	ticks := make(chan time.Time, 1)
	var out bytes.Buffer
	p := newProgress(&out, nopSource{}, &fakeAPISink{}, true, progressClock{now: time.Now, ticks: ticks})
	ticks <- time.Now()
	p.finish()
	if out.Len() != 0 {
		t.Errorf("quiet progress printed %q", out.String())
	}
}
