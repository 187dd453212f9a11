package sinks

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/etl-dev/etl/pipeline"
)

// clock returns a clock stopped at at, for pipeline.Env.Clock.
func clock(at time.Time) func() time.Time { return func() time.Time { return at } }

func TestOutputPath(t *testing.T) {
	t.Parallel()
	// 20:30 in New York is already the next day in UTC: templates use UTC.
	env := pipeline.Env{BaseDir: "/jobs", Job: "nightly/inventory",
		Clock: clock(time.Date(2026, 11, 21, 20, 30, 5, 0, time.FixedZone("EST", -5*3600)))}
	cases := []struct{ path, partition, want, err string }{
		{"out/products.parquet", "", "/jobs/out/products.parquet", ""},
		{"out/products-{date}.parquet", "", "/jobs/out/products-2026-11-22.parquet", ""},
		{"out/{job}/{date}T{time}.csv", "", "/jobs/out/nightly_inventory/2026-11-22T013005.csv", ""},
		{"out/a{{b}}.csv", "", "/jobs/out/a{b}.csv", ""},
		{"/abs/products.parquet", "date", "/abs/date=2026-11-22/products.parquet", ""},
		{"out/products/data.parquet", "date", "/jobs/out/products/date=2026-11-22/data.parquet", ""},
		{"out/p.parquet", "year/month/day", "/jobs/out/year=2026/month=11/day=22/p.parquet", ""},
		{"out/p.parquet", " Year / Month / Day / Hour ", "/jobs/out/year=2026/month=11/day=22/hour=01/p.parquet", ""},
		{"p.parquet", "date", "/jobs/date=2026-11-22/p.parquet", ""},
		{"out/{day}.csv", "", "", "{day} is not a template"},
		{"out/{date.csv", "", "", "a { without its }"},
		{"out/p.csv", "week", "", `"week" is not a partition key`},
		{"out/p.csv", "date/date", "", "names date twice"},
	}
	for _, c := range cases {
		got, err := outputPath(env, c.path, c.partition)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s [%s]: error %v, want %q", c.path, c.partition, err, c.err)
			}
			continue
		}
		if err != nil || got != filepath.FromSlash(c.want) {
			t.Errorf("%s [%s] = %q, %v; want %q", c.path, c.partition, got, err, c.want)
		}
	}
	if _, err := outputPath(pipeline.Env{}, "out/{job}.csv", ""); err == nil || !strings.Contains(err.Error(), "{job} needs the job's name") {
		t.Errorf("{job} without a job: %v", err)
	}
}

// Every file sink takes templates and partitions, writes atomically into
// the partition directory, and a re-run the same day replaces the file.
func TestPartitionedOutputIsAtomic(t *testing.T) {
	t.Parallel()
	at := clock(time.Date(2026, 11, 22, 1, 2, 3, 0, time.UTC))
	schema := pipeline.Schema{{Name: "sku", Type: pipeline.TypeString}}
	for _, fs := range fileSinks() {
		t.Run(fs.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			env := pipeline.Env{BaseDir: dir, Job: "j", Clock: at}
			cfg := fs.cfg("out/items-{time}" + fs.ext)
			setPartition(t, cfg, "date")
			ctx := context.Background()
			final := filepath.Join(dir, "out", "date=2026-11-22", "items-010203"+fs.ext)
			for run := 0; run < 2; run++ {
				sink, err := cfg.Open(ctx, env, schema)
				if err != nil {
					t.Fatal(err)
				}
				if err := sink.Write(ctx, []pipeline.Row{{Values: []any{"A-1"}}}); err != nil {
					t.Fatal(err)
				}
				if _, err := os.Stat(final); run == 0 && err == nil {
					t.Fatal("the file is visible before Close")
				}
				if err := sink.Close(ctx); err != nil {
					t.Fatal(err)
				}
			}
			entries, _ := os.ReadDir(filepath.Join(dir, "out", "date=2026-11-22"))
			if len(entries) != 1 || entries[0].Name() != filepath.Base(final) {
				t.Errorf("partition holds %v", entries)
			}
			// An aborted run leaves the partition as it was.
			sink, err := cfg.Open(ctx, env, schema)
			if err != nil {
				t.Fatal(err)
			}
			before, _ := os.ReadFile(final)
			_ = sink.Write(ctx, []pipeline.Row{{Values: []any{"B-2"}}, {Values: []any{"C-3"}}})
			if err := sink.Abort(); err != nil {
				t.Fatal(err)
			}
			after, _ := os.ReadFile(final)
			entries, _ = os.ReadDir(filepath.Join(dir, "out", "date=2026-11-22"))
			if string(before) != string(after) || len(entries) != 1 {
				t.Errorf("abort changed the partition: %v", entries)
			}
		})
	}
}

func setPartition(t *testing.T, cfg pipeline.SinkConfig, p string) {
	t.Helper()
	switch c := cfg.(type) {
	case *ParquetConfig:
		c.Partition = p
	case *CSVConfig:
		c.Partition = p
	case *XLSXConfig:
		c.Partition = p
	case *JSONLConfig:
		c.Partition = p
	default:
		t.Fatalf("%T", cfg)
	}
}
