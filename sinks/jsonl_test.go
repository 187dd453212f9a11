package sinks

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/etl-dev/etl/pipeline"
)

func writeJSONL(t *testing.T, schema pipeline.Schema, rows []pipeline.Row) string {
	t.Helper()
	dir := t.TempDir()
	cfg := NewJSONLConfig()
	cfg.Path = "out.jsonl"
	writeAll(t, openSink(t, cfg, dir, schema), rows, 2)
	return filepath.Join(dir, "out.jsonl")
}

// readJSONL decodes each line, checking that its keys follow the schema.
func readJSONL(t *testing.T, path string, schema pipeline.Schema) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.UseNumber()
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		// Keys in schema order.
		tok := json.NewDecoder(bytes.NewReader(line))
		tok.Token() // {
		for i := 0; tok.More(); i++ {
			k, _ := tok.Token()
			if k != schema[i].Name {
				t.Errorf("key %d is %v, want %s", i, k, schema[i].Name)
			}
			var skip json.RawMessage
			if err := tok.Decode(&skip); err != nil {
				t.Fatal(err)
			}
		}
		out = append(out, m)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestJSONLRoundTrip(t *testing.T) {
	t.Parallel()
	path := writeJSONL(t, testSchema, testRows())
	got := readJSONL(t, path, testSchema)
	want := []map[string]any{
		{"sku": "A-1", "qty": json.Number("12"), "weight": json.Number("1.5"), "price": "19.99", "active": true,
			"since": "2024-02-29", "modified": "2026-11-23T14:05:00Z", "blob": "AAH+",
			"big": "12345678901234567890.1234", "cost": "-1234.5"},
		{"sku": "", "qty": nil, "weight": nil, "price": "0.00", "active": nil, "since": nil, "modified": nil,
			"blob": nil, "big": nil, "cost": nil},
		{"sku": "=cmd|' /C calc'!A0", "qty": json.Number("-9223372036854775808"), "weight": json.Number("-0.25"),
			"price": "-9999999999.99", "active": false, "since": "1969-12-31", "modified": "1960-01-02T03:04:05.123456Z",
			"blob": "", "big": "-99999999999999999999999999.9999", "cost": "1.0"},
		{"sku": "naïve “quotes”, commas\nand lines", "qty": json.Number("9223372036854775807"), "weight": json.Number("1e+300"),
			"price": "7.00", "active": true, "since": "2200-01-01", "modified": "2026-01-01T00:00:00.0005Z", "blob": "eA==",
			"big": "-0.0001", "cost": "0.1"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d lines, want %d", len(got), len(want))
	}
	for i := range want {
		if fmt.Sprint(got[i]) != fmt.Sprint(want[i]) {
			t.Errorf("line %d:\n got %v\nwant %v", i, got[i], want[i])
		}
	}
}

func TestJSONLFloats(t *testing.T) {
	t.Parallel()
	schema := pipeline.Schema{{Name: "f", Type: pipeline.TypeFloat}}
	var rows []pipeline.Row
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), 123456789, 1e21, 1e-7, 0.1} {
		rows = append(rows, pipeline.Row{Values: []any{f}})
	}
	b, err := os.ReadFile(writeJSONL(t, schema, rows))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"f":null}
{"f":null}
{"f":null}
{"f":123456789}
{"f":1e+21}
{"f":1e-07}
{"f":0.1}
`
	if string(b) != want {
		t.Errorf("got\n%s\nwant\n%s", b, want)
	}
}

// readJSONLText reads lines as text rows in schema order.
func readJSONLText(t *testing.T, path string, schema pipeline.Schema) [][]string {
	var out [][]string
	for _, m := range readJSONL(t, path, schema) {
		var rec []string
		for _, f := range schema {
			rec = append(rec, fmt.Sprint(m[f.Name]))
		}
		out = append(out, rec)
	}
	return out
}

// FuzzJSONString checks the string encoder against encoding/json.
func FuzzJSONString(f *testing.F) {
	for _, s := range []string{"", "a", `"\`, "\x00\x1f\x7f", "\u2028\u2029", "\xff\xfe", "é<>&", "\t\n\r\b\f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		mine := appendJSONString(nil, s)
		var got string
		if err := json.Unmarshal(mine, &got); err != nil {
			t.Fatalf("%q encodes as invalid JSON %s: %v", s, mine, err)
		}
		std, _ := json.Marshal(s)
		var want string
		_ = json.Unmarshal(std, &want)
		if got != want {
			t.Errorf("%q: decodes as %q, encoding/json gives %q", s, got, want)
		}
		if strings.ContainsAny(string(mine), "\u2028\u2029\n") {
			t.Errorf("%q: raw line separator in %s", s, mine)
		}
	})
}

func BenchmarkJSONLSink(b *testing.B) {
	path := filepath.Join(b.TempDir(), "bench.jsonl")
	cfg := NewJSONLConfig()
	cfg.Path = path
	benchSink(b, cfg, path)
}
