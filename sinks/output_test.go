package sinks

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/etl-dev/etl/internal/s3test"
	"github.com/etl-dev/etl/pipeline"
)

// TestOutputNamesTheFileWritten: a file sink's Output is the file it
// really writes (templates and partitions applied), so the run can say
// where the rows went rather than repeat the path setting.
func TestOutputNamesTheFileWritten(t *testing.T) {
	t.Parallel()
	day := time.Date(2026, 11, 22, 3, 4, 5, 0, time.UTC)
	srv := s3test.Start(t, "etl")
	dir := t.TempDir()
	schema := pipeline.Schema{{Name: "sku", Type: pipeline.TypeString}}
	newConfig := func(typ string) pipeline.SinkConfig {
		st, ok := pipeline.LookupSink(typ)
		if !ok {
			t.Fatalf("no sink %q", typ)
		}
		return st.NewConfig()
	}
	csv := newConfig("csv").(*CSVConfig)
	csv.Path = "out/products-{date}.csv"
	pq := newConfig("parquet").(*ParquetConfig)
	pq.Path, pq.Partition = "out/products/data.parquet", "date"
	jl := newConfig("jsonl").(*JSONLConfig)
	jl.Path, jl.Partition = srv.URL("etl", "exports/p.jsonl"), "year/month"
	for _, tc := range []struct {
		cfg  pipeline.SinkConfig
		want string
	}{
		{csv, filepath.Join(dir, "out/products-2026-11-22.csv")},
		{pq, filepath.Join(dir, "out/products/date=2026-11-22/data.parquet")},
		{jl, "exports/year=2026/month=11/p.jsonl"},
	} {
		env := pipeline.Env{BaseDir: dir, Job: "t", Clock: func() time.Time { return day }}
		sink, err := tc.cfg.Open(context.Background(), env, schema)
		if err != nil {
			t.Fatal(err)
		}
		o, ok := sink.(pipeline.Outputter)
		if !ok {
			t.Fatalf("%T is not a pipeline.Outputter", sink)
		}
		got := o.Output()
		if err := sink.Abort(); err != nil {
			t.Fatal(err)
		}
		if got != tc.want && !(strings.HasPrefix(got, "s3://") && strings.Contains(got, tc.want)) {
			t.Errorf("%T: Output %q, want %q", tc.cfg, got, tc.want)
		}
	}
}
