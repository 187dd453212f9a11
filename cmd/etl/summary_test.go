package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/etl-dev/etl/pipeline"
)

func result(counts map[pipeline.Outcome]int64) *pipeline.Result {
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	r := &pipeline.Result{Job: "j", Started: start, Finished: start.Add(6867 * time.Millisecond)}
	for o, n := range counts {
		r.Counts[o] = n
		r.RowsRead += n
	}
	return r
}

// Counts have thousands separators and the duration reads like a person
// wrote it; the output line says where the rows went and how big it is.
func TestSummaryCountsAndOutput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "catalog.parquet")
	if err := os.WriteFile(out, bytes.Repeat([]byte("x"), 1_234_567), 0o644); err != nil {
		t.Fatal(err)
	}
	res := result(map[pipeline.Outcome]int64{pipeline.Written: 12_345, pipeline.Rejected: 1_002})
	var b bytes.Buffer
	summary{res: res, output: fileOutput("out/catalog.parquet", out, res.Count(pipeline.Written)), reports: []string{"out/r.html"}, html: "out/r.html"}.print(&b)
	want := "13,347 rows read: 12,345 written, 1,002 rejected in 6.9 s\n" +
		"wrote out/catalog.parquet (12,345 rows, 1.2 MB)\n" +
		"report: out/r.html\n"
	if b.String() != want {
		t.Errorf("summary:\n%s\nwant:\n%s", b.String(), want)
	}

	c := &pipeline.ComponentReport{Account: "inFlow company 1b2c3d4e at https://cloudapi.inflowinventory.com",
		Requests: pipeline.RequestStats{Reads: 8, Writes: 1_290}}
	api := result(map[pipeline.Outcome]int64{pipeline.Created: 1_200, pipeline.Updated: 90, pipeline.Unchanged: 3})
	if got, want := apiOutput(api, c, "products"), "products: 1,200 created, 90 updated, 3 unchanged in inFlow company 1b2c3d4e at https://cloudapi.inflowinventory.com; 1,290 write and 8 read requests"; got != want {
		t.Errorf("apiOutput:\n got %s\nwant %s", got, want)
	}
}

// Interrupted: rows never sent are "not processed", not rejected, and the
// "more problems" hint names a report only when one was written.
func TestSummaryInterrupted(t *testing.T) {
	t.Parallel()
	res := result(map[pipeline.Outcome]int64{pipeline.Created: 40, pipeline.NotProcessed: 2_060, pipeline.Unknown: 2, pipeline.Rejected: 25})
	res.Aborted = "interrupted"
	for i := range 25 {
		res.Problems = append(res.Problems, pipeline.Problem{Origin: pipeline.Origin{File: "c.csv", Row: i + 2}, Rule: "type", Message: "bad"})
	}
	var b bytes.Buffer
	summary{res: res}.print(&b)
	got := b.String()
	for _, want := range []string{
		"2,127 rows read: 40 created, 25 rejected, 2 unknown, 2,060 not processed in 6.9 s\n",
		"not processed: 2,060 rows were read but never sent\n",
		"unknown: 2 rows were sent without an answer; `etl run --resume` finds out what became of them\n",
		"... and 5 more problems; --report-html FILE lists them all\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "see ") || strings.Contains(got, "context canceled") {
		t.Errorf("summary points at a report that was not written, or says context canceled:\n%s", got)
	}
	b.Reset()
	summary{res: res, html: "out/r.html", reports: []string{"out/r.html"}}.print(&b)
	if !strings.Contains(b.String(), "... and 5 more problems: see out/r.html\n") {
		t.Errorf("with a report:\n%s", b.String())
	}
}

// Warnings are sentences; attributes follow in parentheses; no colour
// unless on a terminal without NO_COLOR; JSON for machines.
func TestLogger(t *testing.T) {
	t.Parallel()
	env := func(vars ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(vars); i += 2 {
				if vars[i] == k {
					return vars[i+1]
				}
			}
			return ""
		}
	}
	var b bytes.Buffer
	l := newLogger(&b, outputFlags{logFormat: "text"}, env())
	l.Info("not shown by default")
	l.Warn("the journal could not record row outcomes", "error", "disk full", "waited", 1500*time.Millisecond)
	l.Error("the sink failed")
	want := "warning: the journal could not record row outcomes (error: disk full, waited: 1.5 s)\nerror: the sink failed\n"
	if b.String() != want {
		t.Errorf("text log:\n%q\nwant\n%q", b.String(), want)
	}
	b.Reset()
	newLogger(&b, outputFlags{logFormat: "text", verbose: true}, env()).Info("reading the source")
	if b.String() != "reading the source\n" {
		t.Errorf("-v: %q", b.String())
	}
	b.Reset()
	newLogger(&b, outputFlags{logFormat: "text", quiet: true}, env()).Warn("hidden")
	if b.Len() != 0 {
		t.Errorf("-q printed a warning: %q", b.String())
	}
	b.Reset()
	newLogger(&b, outputFlags{logFormat: "json"}, env()).Warn("w", "n", 3)
	if !strings.Contains(b.String(), `"level":"WARN","msg":"w","n":3`) {
		t.Errorf("json: %q", b.String())
	}
	// A pipe is never coloured; NO_COLOR wins even on a terminal.
	if useColor(&b, env()) {
		t.Error("colour on a buffer")
	}
	if tty, err := os.Open("/dev/tty"); err == nil {
		defer tty.Close()
		if useColor(tty, env("NO_COLOR", "1")) {
			t.Error("colour with NO_COLOR set")
		}
	}
}
