package sinks

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"testing"

	"github.com/etl-dev/etl/internal/conformance"
	"github.com/etl-dev/etl/pipeline"

	_ "github.com/etl-dev/etl/sources" // the csv, xlsx and parquet sources read the files back
)

func TestConformanceCSV(t *testing.T) {
	t.Parallel()
	conformance.RunSink(t, conformance.SinkOptions{
		Type: "csv",
		New: func(t *testing.T) conformance.Destination {
			return conformance.File(t, ".csv", func(p string) pipeline.SinkConfig { c := NewCSVConfig(); c.Path = p; return c })
		},
		ReadBack: conformance.ThroughSource("csv"),
	})
}

func TestConformanceXLSX(t *testing.T) {
	t.Parallel()
	conformance.RunSink(t, conformance.SinkOptions{
		Type: "xlsx",
		New: func(t *testing.T) conformance.Destination {
			return conformance.File(t, ".xlsx", func(p string) pipeline.SinkConfig { c := NewXLSXConfig(); c.Path = p; return c })
		},
		ReadBack: conformance.ThroughSource("xlsx"),
	})
}

func TestConformanceParquet(t *testing.T) {
	t.Parallel()
	conformance.RunSink(t, conformance.SinkOptions{
		Type: "parquet",
		New: func(t *testing.T) conformance.Destination {
			return conformance.File(t, ".parquet", func(p string) pipeline.SinkConfig { c := NewParquetConfig(); c.Path = p; return c })
		},
		ReadBack: conformance.ThroughSource("parquet"),
	})
}

func TestConformanceJSONL(t *testing.T) {
	t.Parallel()
	conformance.RunSink(t, conformance.SinkOptions{
		Type: "jsonl",
		New: func(t *testing.T) conformance.Destination {
			return conformance.File(t, ".jsonl", func(p string) pipeline.SinkConfig { c := NewJSONLConfig(); c.Path = p; return c })
		},
		// No jsonl source exists: the lines are decoded as JSON, bytes
		// from base64 as the sink writes them.
		ReadBack: readJSONLines,
	})
}

func readJSONLines(t *testing.T, d conformance.Destination, schema pipeline.Schema) [][]string {
	t.Helper()
	f, err := os.Open(d.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return readJSONLinesFrom(t, f, schema)
}

// readJSONLinesFrom decodes the lines of r as the jsonl sink wrote them.
func readJSONLinesFrom(t *testing.T, r io.Reader, schema pipeline.Schema) [][]string {
	t.Helper()
	var out [][]string
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.UseNumber()
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil {
			t.Fatalf("line %d: %v", len(out)+1, err)
		}
		row := make([]string, len(schema))
		for j, fld := range schema {
			switch v := obj[fld.Name].(type) {
			case nil:
			case string:
				if fld.Type == pipeline.TypeBytes {
					b, err := base64.StdEncoding.DecodeString(v)
					if err != nil {
						t.Fatalf("field %s: %v", fld.Name, err)
					}
					row[j] = hex.EncodeToString(b)
					continue
				}
				row[j] = conformance.Text(fld, v)
			case json.Number:
				row[j] = conformance.Text(fld, v.String())
			case bool:
				row[j] = conformance.Text(fld, v)
			default:
				t.Fatalf("field %s: unexpected %T", fld.Name, v)
			}
		}
		out = append(out, row)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
