package sinks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/invopop/jsonschema"
	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/pipeline"
)

// testSchema has one field of every type, required and optional.
var testSchema = pipeline.Schema{
	{Name: "sku", Type: pipeline.TypeString, Required: true},
	{Name: "qty", Type: pipeline.TypeInteger},
	{Name: "weight", Type: pipeline.TypeFloat},
	{Name: "price", Type: pipeline.TypeDecimal, Precision: 12, Scale: 2, Required: true},
	{Name: "active", Type: pipeline.TypeBool},
	{Name: "since", Type: pipeline.TypeDate},
	{Name: "modified", Type: pipeline.TypeTimestamp},
	{Name: "blob", Type: pipeline.TypeBytes},
	{Name: "big", Type: pipeline.TypeDecimal, Precision: 30, Scale: 4},
	{Name: "cost", Type: pipeline.TypeDecimal, Precision: 5, Scale: 1},
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// testRows are rows of testSchema: full, nulls in every optional field,
// negative and extreme values.
func testRows() []pipeline.Row {
	ts := time.Date(2026, 11, 23, 14, 5, 0, 0, time.UTC)
	return []pipeline.Row{
		{Origin: pipeline.Origin{File: "in.csv", Row: 2}, Values: []any{
			"A-1", int64(12), 1.5, dec("19.99"), true, day(2024, 2, 29), ts,
			[]byte{0, 1, 0xfe}, dec("12345678901234567890.1234"), dec("-1234.5"),
		}},
		{Origin: pipeline.Origin{File: "in.csv", Row: 3}, Values: []any{
			"", nil, nil, dec("0"), nil, nil, nil, nil, nil, nil,
		}},
		{Origin: pipeline.Origin{File: "in.csv", Row: 4}, Values: []any{
			"=cmd|' /C calc'!A0", int64(-9223372036854775808), -0.25, dec("-9999999999.99"), false,
			day(1969, 12, 31), time.Date(1960, 1, 2, 3, 4, 5, 123456789, time.UTC), []byte{},
			dec("-99999999999999999999999999.9999"), dec("1.0"),
		}},
		{Origin: pipeline.Origin{File: "in.csv", Row: 5}, Values: []any{
			"naïve “quotes”, commas\nand lines", int64(9223372036854775807), 1e300, dec("7"), true,
			day(2200, 1, 1), time.Date(2026, 1, 1, 0, 0, 0, 500000, time.UTC), []byte("x"),
			dec("-0.0001"), dec("0.10"),
		}},
	}
}

// openSink opens the sink of cfg for schema with the test directory as the
// job's directory.
func openSink(t *testing.T, cfg pipeline.SinkConfig, dir string, schema pipeline.Schema) pipeline.Sink {
	t.Helper()
	s, err := cfg.Open(context.Background(), pipeline.Env{BaseDir: dir}, schema)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

// writeAll writes rows in batches of batch and closes the sink.
func writeAll(t *testing.T, s pipeline.Sink, rows []pipeline.Row, batch int) {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < len(rows); i += batch {
		if err := s.Write(ctx, rows[i:min(i+batch, len(rows))]); err != nil {
			t.Fatalf("Write: %v", err)
		}
	}
	if err := s.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

// fileSinkType is a sink type of this package, with a config writing to the
// given relative path, for the file-specific tests (the conformance suite,
// conformance_test.go, checks the engine's contracts).
type fileSinkType struct {
	name string
	ext  string
	cfg  func(path string) pipeline.SinkConfig
}

// fileSinks is every sink type this package registers, from the registry
// (filled by init, so read once the tests run).
var fileSinks = sync.OnceValue(func() []fileSinkType {
	pkg := reflect.TypeFor[CSVConfig]().PkgPath()
	var out []fileSinkType
	for _, st := range pipeline.SinkTypes() {
		if reflect.TypeOf(st.NewConfig()).Elem().PkgPath() != pkg {
			continue
		}
		out = append(out, fileSinkType{name: st.Name, ext: st.Extensions[0], cfg: func(p string) pipeline.SinkConfig {
			c := st.NewConfig()
			reflect.ValueOf(c).Elem().FieldByName("Path").SetString(p)
			return c
		}})
	}
	return out
})

// dirEntries lists the names in dir.
func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestRegistered(t *testing.T) {
	t.Parallel()
	if len(fileSinks()) != 4 {
		t.Errorf("file sinks %v, want csv, jsonl, parquet and xlsx", fileSinks())
	}
	for _, fs := range fileSinks() {
		st, _ := pipeline.LookupSink(fs.name)
		if st.Doc == "" || len(st.Extensions) == 0 || st.Extensions[0] != "."+fs.name {
			t.Errorf("sink %s: doc %q, extensions %v", fs.name, st.Doc, st.Extensions)
		}
		if st.NewConfig() == st.NewConfig() {
			t.Errorf("sink %s: NewConfig returns a shared config", fs.name)
		}
	}
	if st, _ := pipeline.LookupSink("jsonl"); strings.Join(st.Extensions, " ") != ".jsonl .ndjson" {
		t.Errorf("jsonl extensions %v", st.Extensions)
	}
}

// TestAtomic checks for every file sink that nothing shows at the final
// path before Close, that an old file stays until then, that Close replaces
// it, and that Abort leaves nothing behind.
func TestAtomic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, fs := range fileSinks() {
		t.Run(fs.name, func(t *testing.T) {
			dir := t.TempDir()
			rel := filepath.Join("out", "sub", "data"+fs.ext) // directories made on Open
			final := filepath.Join(dir, rel)

			// A first run: nothing at the final path until Close.
			s := openSink(t, fs.cfg(rel), dir, testSchema)
			if err := s.Write(ctx, testRows()); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(final); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("final file exists before Close: %v", err)
			}
			if err := s.Close(ctx); err != nil {
				t.Fatal(err)
			}
			first, err := os.ReadFile(final)
			if err != nil {
				t.Fatal(err)
			}
			if fi, _ := os.Stat(final); fi.Mode().Perm() != 0o644 {
				t.Errorf("mode %v, want 0644", fi.Mode().Perm())
			}
			if err := s.Abort(); err != nil { // safe after Close
				t.Fatalf("Abort after Close: %v", err)
			}
			if _, err := os.Stat(final); err != nil {
				t.Fatalf("Abort after Close removed the file: %v", err)
			}
			if err := s.Write(ctx, testRows()); err == nil {
				t.Error("Write after Close succeeded")
			}

			// An aborted run leaves the old file and no temporary file.
			s = openSink(t, fs.cfg(rel), dir, testSchema)
			if err := s.Write(ctx, testRows()[:1]); err != nil {
				t.Fatal(err)
			}
			if got := dirEntries(t, filepath.Dir(final)); len(got) != 2 {
				t.Errorf("while writing, directory holds %v; want the old file and one temporary file", got)
			}
			if err := s.Abort(); err != nil {
				t.Fatal(err)
			}
			if err := s.Abort(); err != nil {
				t.Fatalf("second Abort: %v", err)
			}
			if got := dirEntries(t, filepath.Dir(final)); len(got) != 1 || got[0] != "data"+fs.ext {
				t.Errorf("after Abort, directory holds %v", got)
			}
			if b, _ := os.ReadFile(final); string(b) != string(first) {
				t.Error("Abort changed the old file")
			}

			// A second run replaces the file on Close, keeping its mode.
			if err := os.Chmod(final, 0o600); err != nil {
				t.Fatal(err)
			}
			s = openSink(t, fs.cfg(rel), dir, testSchema)
			if err := s.Write(ctx, testRows()[:1]); err != nil {
				t.Fatal(err)
			}
			if b, _ := os.ReadFile(final); string(b) != string(first) {
				t.Error("old file changed before Close")
			}
			if err := s.Close(ctx); err != nil {
				t.Fatal(err)
			}
			if b, _ := os.ReadFile(final); string(b) == string(first) {
				t.Error("Close did not replace the old file")
			}
			if fi, _ := os.Stat(final); fi.Mode().Perm() != 0o600 {
				t.Errorf("replaced file has mode %v, want the old 0600", fi.Mode().Perm())
			}
			if got := dirEntries(t, filepath.Dir(final)); len(got) != 1 {
				t.Errorf("after Close, directory holds %v", got)
			}

			// A cancelled run: Write fails, Abort cleans up.
			s = openSink(t, fs.cfg(rel), dir, testSchema)
			cctx, cancel := context.WithCancel(ctx)
			cancel()
			if err := s.Write(cctx, testRows()); !errors.Is(err, context.Canceled) {
				t.Errorf("Write with a cancelled context: %v", err)
			}
			if err := s.Abort(); err != nil {
				t.Fatal(err)
			}
			if got := dirEntries(t, filepath.Dir(final)); len(got) != 1 {
				t.Errorf("after a cancelled run, directory holds %v", got)
			}

			// Close with a cancelled context fails and publishes nothing.
			second, _ := os.ReadFile(final)
			s = openSink(t, fs.cfg(rel), dir, testSchema)
			if err := s.Write(ctx, testRows()[:2]); err != nil {
				t.Fatal(err)
			}
			if err := s.Close(cctx); !errors.Is(err, context.Canceled) {
				t.Errorf("Close with a cancelled context: %v", err)
			}
			if err := s.Abort(); err != nil {
				t.Fatal(err)
			}
			if got := dirEntries(t, filepath.Dir(final)); len(got) != 1 {
				t.Errorf("after a cancelled Close, directory holds %v", got)
			}
			if b, _ := os.ReadFile(final); string(b) != string(second) {
				t.Error("cancelled Close changed the file")
			}
		})
	}
}

// TestBadRows checks that rows a sink cannot take fail alone, named, and
// the others are written.
func TestBadRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	schema := pipeline.Schema{
		{Name: "id", Type: pipeline.TypeInteger, Required: true},
		{Name: "amount", Type: pipeline.TypeDecimal, Precision: 6, Scale: 2},
	}
	rows := []pipeline.Row{
		{Origin: pipeline.Origin{File: "in.xlsx", Sheet: "S", Row: 2}, Values: []any{int64(1), dec("9999.99")}},
		{Origin: pipeline.Origin{File: "in.xlsx", Sheet: "S", Row: 3}, Values: []any{int64(2), dec("10000")}},    // precision
		{Origin: pipeline.Origin{File: "in.xlsx", Sheet: "S", Row: 4}, Values: []any{int64(3), dec("1.005")}},    // scale
		{Origin: pipeline.Origin{File: "in.xlsx", Sheet: "S", Row: 5}, Values: []any{nil, dec("1")}},             // required
		{Origin: pipeline.Origin{File: "in.xlsx", Sheet: "S", Row: 6}, Values: []any{5, dec("1")}},               // int, not int64
		{Origin: pipeline.Origin{File: "in.xlsx", Sheet: "S", Row: 7}, Values: []any{int64(6)}},                  // short row
		{Origin: pipeline.Origin{File: "in.xlsx", Sheet: "S", Row: 8}, Values: []any{int64(7), dec("-1.500")}},   // fine
		{Origin: pipeline.Origin{File: "in.xlsx", Sheet: "S", Row: 9}, Values: []any{int64(8), dec("-9999.99")}}, // fine
	}
	want := map[int]string{1: "precision", 2: "scale", 3: "required", 4: "type", 5: "type"}
	for _, fs := range fileSinks() {
		t.Run(fs.name, func(t *testing.T) {
			dir := t.TempDir()
			s := openSink(t, fs.cfg("out"+fs.ext), dir, schema)
			err := s.Write(ctx, rows)
			var be *pipeline.BatchError
			if !errors.As(err, &be) {
				t.Fatalf("Write: %v, want a *pipeline.BatchError", err)
			}
			if len(be.Failed) != len(want) {
				t.Errorf("failed rows %v, want %v", be.Failed, want)
			}
			for i, rule := range want {
				p, ok := be.Failed[i]
				if !ok || p.Rule != rule || p.Origin != rows[i].Origin {
					t.Errorf("row %d: problem %+v, want rule %s", i, p, rule)
				}
			}
			if p := be.Failed[1]; p.Field != "amount" || p.Value != "10000" || !strings.Contains(p.Message, "9999.99") {
				t.Errorf("precision problem %+v", p)
			}
			if err := s.Close(ctx); err != nil {
				t.Fatal(err)
			}
			got := readBack(t, fs.name, filepath.Join(dir, "out"+fs.ext), schema)
			wantRows := [][]string{{"1", "9999.99"}, {"7", "-1.50"}, {"8", "-9999.99"}}
			if strings.Join(flat(got), "|") != strings.Join(flat(wantRows), "|") {
				t.Errorf("file holds %v, want %v", got, wantRows)
			}
		})
	}
}

func flat(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, strings.Join(r, ","))
	}
	return out
}

// readBack reads the data rows of a written file as text, decimals at the
// field's scale, for tests that check every sink the same way. Only the
// types TestBadRows uses are supported.
func readBack(t *testing.T, sink, path string, schema pipeline.Schema) [][]string {
	t.Helper()
	switch sink {
	case "parquet":
		return readParquetText(t, path, schema)
	case "csv":
		recs := readCSV(t, path, ',')
		return recs[1:]
	case "xlsx":
		rows := readXLSX(t, path, "Sheet1")[1:]
		for _, r := range rows {
			for j, f := range schema {
				if f.Type == pipeline.TypeDecimal && j < len(r) {
					r[j] = dec(r[j]).StringFixed(int32(f.Scale))
				}
			}
		}
		return rows
	case "jsonl":
		return readJSONLText(t, path, schema)
	}
	t.Fatalf("unknown sink %s", sink)
	return nil
}

func TestSchemaErrors(t *testing.T) {
	t.Parallel()
	bad := []struct {
		schema pipeline.Schema
		want   string
	}{
		{nil, "no fields"},
		{pipeline.Schema{{Name: ""}}, "no name"},
		{pipeline.Schema{{Name: "a"}, {Name: "a"}}, "twice"},
		{pipeline.Schema{{Name: "a", Type: 99}}, "unknown type"},
		{pipeline.Schema{{Name: "a", Type: pipeline.TypeDecimal, Precision: 4, Scale: 5}}, "scale 5"},
		{pipeline.Schema{{Name: "a", Type: pipeline.TypeDecimal, Precision: -1}}, "negative"},
	}
	for _, fs := range fileSinks() {
		for _, b := range bad {
			dir := t.TempDir()
			_, err := fs.cfg("x"+fs.ext).Open(context.Background(), pipeline.Env{BaseDir: dir}, b.schema)
			if err == nil || !strings.Contains(err.Error(), b.want) {
				t.Errorf("%s: schema %v: error %v, want %q", fs.name, b.schema, err, b.want)
			}
			if got := dirEntries(t, dir); len(got) != 0 {
				t.Errorf("%s: failed Open left %v", fs.name, got)
			}
		}
	}
}

func TestPathErrors(t *testing.T) {
	t.Parallel()
	for _, fs := range fileSinks() {
		dir := t.TempDir()
		_, err := fs.cfg("").Open(context.Background(), pipeline.Env{BaseDir: dir}, testSchema)
		if err == nil || !strings.Contains(err.Error(), "path is not set") {
			t.Errorf("%s: empty path: %v", fs.name, err)
		}
		if err := os.Mkdir(filepath.Join(dir, "d"+fs.ext), 0o755); err != nil {
			t.Fatal(err)
		}
		_, err = fs.cfg("d"+fs.ext).Open(context.Background(), pipeline.Env{BaseDir: dir}, testSchema)
		if err == nil || !strings.Contains(err.Error(), "is a directory") {
			t.Errorf("%s: directory path: %v", fs.name, err)
		}
	}
}

// TestDecodeConfig decodes job-file sections strictly, as the loader does,
// to check the yaml names and that defaults survive.
func TestDecodeConfig(t *testing.T) {
	t.Parallel()
	decode := func(t *testing.T, cfg any, src string) {
		t.Helper()
		if err := yaml.UnmarshalWithOptions([]byte(src), cfg, yaml.Strict()); err != nil {
			t.Fatalf("decode %q: %v", src, err)
		}
	}
	pq := NewParquetConfig()
	decode(t, pq, "path: out/p.parquet\ncompression: zstd\n")
	if *pq != (ParquetConfig{Path: "out/p.parquet", RowGroupSize: 100000, Compression: "zstd"}) {
		t.Errorf("parquet %+v", *pq)
	}
	cs := NewCSVConfig()
	decode(t, cs, "path: p.csv\ndelimiter: \";\"\nheader: false\nbom: true\n")
	if *cs != (CSVConfig{Path: "p.csv", Delimiter: ";", Header: false, NeutralizeFormulas: true, BOM: true}) {
		t.Errorf("csv %+v", *cs)
	}
	xl := NewXLSXConfig()
	decode(t, xl, "path: p.xlsx\nneutralize_formulas: false\n")
	if *xl != (XLSXConfig{Path: "p.xlsx", Sheet: "Sheet1", NeutralizeFormulas: false}) {
		t.Errorf("xlsx %+v", *xl)
	}
	jl := NewJSONLConfig()
	decode(t, jl, "path: p.jsonl\n")
	if jl.Path != "p.jsonl" {
		t.Errorf("jsonl %+v", *jl)
	}
	if err := yaml.UnmarshalWithOptions([]byte("path: x\nrow_group: 5\n"), NewParquetConfig(), yaml.Strict()); err == nil {
		t.Error("strict decoding accepted an unknown setting")
	}
}

// TestConfigSchema reflects each config as the job-file JSON Schema does,
// to check that every setting is documented and the tags parse (commas in
// jsonschema tags must be escaped).
func TestConfigSchema(t *testing.T) {
	t.Parallel()
	r := &jsonschema.Reflector{FieldNameTag: "yaml", DoNotReference: true, RequiredFromJSONSchemaTags: true}
	wantDefaults := map[string]map[string]any{
		"parquet": {"row_group_size": float64(100000), "compression": "snappy"},
		"csv":     {"delimiter": ",", "header": true, "neutralize_formulas": true, "bom": false},
		"xlsx":    {"sheet": "Sheet1", "neutralize_formulas": true},
		"jsonl":   {},
	}
	for _, fs := range fileSinks() {
		st, _ := pipeline.LookupSink(fs.name)
		s := r.Reflect(st.NewConfig())
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Properties map[string]struct {
				Description string `json:"description"`
				Default     any    `json:"default"`
				Enum        []any  `json:"enum"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		if _, ok := doc.Properties["path"]; !ok {
			t.Errorf("%s: no path setting in %s", fs.name, b)
		}
		for name, p := range doc.Properties {
			if p.Description == "" || strings.Contains(p.Description, "default=") {
				t.Errorf("%s.%s: description %q", fs.name, name, p.Description)
			}
			if name == "path" || name == "partition" {
				continue
			}
			if want, ok := wantDefaults[fs.name][name]; !ok || p.Default != want {
				t.Errorf("%s.%s: default %#v, want %#v", fs.name, name, p.Default, want)
			}
		}
		if fs.name == "parquet" && fmt.Sprint(doc.Properties["compression"].Enum) != "[snappy zstd gzip none]" {
			t.Errorf("parquet compression enum %v", doc.Properties["compression"].Enum)
		}
	}
}
