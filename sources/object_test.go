package sources

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/etl-dev/etl/internal/s3test"
	"github.com/etl-dev/etl/pipeline"
)

func init() { s3test.SetEnv() } // the AWS SDK's credentials and region, before tests run

// readAllRecords reads every record of the source cfg opens.
func readAllRecords(t *testing.T, cfg pipeline.SourceConfig) int {
	t.Helper()
	ctx := context.Background()
	src, err := cfg.Open(ctx, pipeline.Env{BaseDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	n := 0
	for {
		rec, err := src.Next(ctx)
		if errors.Is(err, io.EOF) {
			return n
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.Problems) > 0 {
			t.Fatalf("record %d: %v", n+1, rec.Problems)
		}
		n++
	}
}

// TestParquetFromObjectStorageByRanges: a Parquet source on s3:// reads
// the footer and the row groups by ranged reads, never the whole object.
func TestParquetFromObjectStorageByRanges(t *testing.T) {
	t.Parallel()
	type row struct {
		SKU string `parquet:"sku"`
		Qty int64  `parquet:"qty"`
	}
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[row](&buf, parquet.MaxRowsPerRowGroup(500))
	const n = 5000
	for i := range n {
		if _, err := w.Write([]row{{SKU: fmt.Sprintf("SKU-%05d", i), Qty: int64(i)}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	srv := s3test.Start(t, "lake")
	srv.Put(t, "lake", "inventory/date=2026-11-22/data.parquet", buf.Bytes())

	cfg := &ParquetConfig{Path: srv.URL("lake", "inventory/date=2026-11-22/data.parquet")}
	if got := readAllRecords(t, cfg); got != n {
		t.Fatalf("read %d records, want %d", got, n)
	}
	gets := srv.Gets()
	t.Logf("%d ranged reads of a %d-byte object with %d row groups", len(gets), buf.Len(), n/500)
	if len(gets) < 2 {
		t.Fatalf("%d reads: %+v", len(gets), gets)
	}
	for _, g := range gets {
		if g.Range == "" {
			t.Errorf("a whole-object read of %s: the source must read by ranges", g.Key)
		}
	}
}

// TestCSVFromObjectStorage: a CSV source on s3:// streams the object, and
// a missing object is named.
func TestCSVFromObjectStorage(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("SKU,Qty\n")
	for i := range 1000 {
		fmt.Fprintf(&b, "SKU-%04d,%d\n", i, i)
	}
	srv := s3test.Start(t, "lake")
	srv.Put(t, "lake", "in/catalog.csv", []byte(b.String()))
	if got := readAllRecords(t, &CSVConfig{Path: srv.URL("lake", "in/catalog.csv")}); got != 1000 {
		t.Fatalf("read %d records, want 1000", got)
	}
	_, err := (&CSVConfig{Path: srv.URL("lake", "in/missing.csv")}).Open(context.Background(), pipeline.Env{})
	if err == nil || !strings.Contains(err.Error(), "no such object") || !strings.Contains(err.Error(), "missing.csv") {
		t.Errorf("a missing object: %v", err)
	}
}
