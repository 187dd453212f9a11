package sinks

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/etl-dev/etl/internal/blobio"
	"github.com/etl-dev/etl/internal/conformance"
	"github.com/etl-dev/etl/internal/s3test"
	"github.com/etl-dev/etl/pipeline"
)

// The file sinks write to object storage too: the same conformance suite,
// against an S3-compatible store on loopback (s3test).

func init() { s3test.SetEnv() } // the AWS SDK's credentials and region, before tests run

// objectDestination is a Destination in a fresh store's bucket "etl".
func objectDestination(t *testing.T, ext string, config func(path string) pipeline.SinkConfig) conformance.Destination {
	t.Helper()
	srv := s3test.Start(t, "etl")
	url := srv.URL("etl", "out/data"+ext)
	return conformance.Destination{
		Config: config(url),
		Env:    pipeline.Env{BaseDir: t.TempDir(), Job: "conformance"},
		Snapshot: func() string {
			var b strings.Builder
			for _, k := range srv.Keys(t, "etl") {
				data, _ := srv.Get(t, "etl", k)
				fmt.Fprintf(&b, "%s %d %x\n", k, len(data), data)
			}
			return b.String()
		},
		Path: url,
	}
}

func TestObjectConformanceCSV(t *testing.T) {
	t.Parallel()
	conformance.RunSink(t, conformance.SinkOptions{
		Type: "csv",
		New: func(t *testing.T) conformance.Destination {
			return objectDestination(t, ".csv", func(p string) pipeline.SinkConfig { c := NewCSVConfig(); c.Path = p; return c })
		},
		ReadBack: conformance.ThroughSource("csv"),
	})
}

func TestObjectConformanceXLSX(t *testing.T) {
	t.Parallel()
	conformance.RunSink(t, conformance.SinkOptions{
		Type: "xlsx",
		New: func(t *testing.T) conformance.Destination {
			return objectDestination(t, ".xlsx", func(p string) pipeline.SinkConfig { c := NewXLSXConfig(); c.Path = p; return c })
		},
		ReadBack: conformance.ThroughSource("xlsx"),
	})
}

func TestObjectConformanceParquet(t *testing.T) {
	t.Parallel()
	conformance.RunSink(t, conformance.SinkOptions{
		Type: "parquet",
		New: func(t *testing.T) conformance.Destination {
			return objectDestination(t, ".parquet", func(p string) pipeline.SinkConfig { c := NewParquetConfig(); c.Path = p; return c })
		},
		ReadBack: conformance.ThroughSource("parquet"),
	})
}

func TestObjectConformanceJSONL(t *testing.T) {
	t.Parallel()
	conformance.RunSink(t, conformance.SinkOptions{
		Type: "jsonl",
		New: func(t *testing.T) conformance.Destination {
			return objectDestination(t, ".jsonl", func(p string) pipeline.SinkConfig { c := NewJSONLConfig(); c.Path = p; return c })
		},
		ReadBack: func(t *testing.T, d conformance.Destination, schema pipeline.Schema) [][]string {
			o, err := blobio.Open(t.Context(), d.Path)
			if err != nil {
				t.Fatal(err)
			}
			defer o.Close()
			return readJSONLinesFrom(t, o, schema)
		},
	})
}

// TestObjectPathTemplates: {date} and partitions name the object's key as
// they name a file on disk.
func TestObjectPathTemplates(t *testing.T) {
	t.Parallel()
	day := time.Date(2026, 11, 22, 23, 30, 0, 0, time.UTC)
	env := pipeline.Env{Job: "nightly", BaseDir: "/jobs", Clock: func() time.Time { return day }}
	for _, tc := range []struct{ path, partition, want string }{
		{"s3://lake/exports/products-{date}.parquet?region=eu-west-1", "", "s3://lake/exports/products-2026-11-22.parquet?region=eu-west-1"},
		{"gs://lake/products/data.parquet", "year/month/day", "gs://lake/products/year=2026/month=11/day=22/data.parquet"},
		{"azblob://lake/{job}/data.csv", "date", "azblob://lake/nightly/date=2026-11-22/data.csv"},
	} {
		got, err := outputPath(env, tc.path, tc.partition)
		if err != nil || got != tc.want {
			t.Errorf("outputPath(%q, %q) = %q, %v; want %q", tc.path, tc.partition, got, err, tc.want)
		}
	}
	if _, err := createOutput(env, "s3://lake/", ""); err == nil || !strings.Contains(err.Error(), "names no object") {
		t.Errorf("a bucket without a key: %v", err)
	}
}
