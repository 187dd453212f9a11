package sources

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	pgo "github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/mappings"
	"github.com/etl-dev/etl/pipeline"
)

const parquetFixtures = "testdata/parquet"

// parquetRefused lists the fixtures etl does not read, with what the error
// must say. Every other fixture must be read, and DuckDB must agree with
// every value.
var parquetRefused = map[string]string{
	// A corrupt schema (DuckDB: "TProtocolException: Invalid data").
	"bad-PARQUET-1481.parquet": `column "Handle" has physical type -7, which the Parquet format does not define`,
	// A required column holding nulls (DuckDB: "Out of buffer").
	"bad-ARROW-GH-47662.parquet": `column "flba_field", row group 1 of 1 (rows 1 to 1000 of the file): cannot decode the values`,
	// A negative dictionary size (DuckDB: "TProtocolException").
	"bad-ARROW-RS-GH-6229-DICTHEADER.parquet": `column "comment_col", row group 1 of 1`,
	// The deprecated Hadoop LZ4 codec (DuckDB: "Unsupported compression codec").
	"hadoop_lz4_compressed.parquet": `column "c0", row group 1 of 1 (rows 1 to 4 of the file): cannot decode the values: compression for LZ4 unimplemented`,
	// DuckDB reads these two; etl refuses them with a clear error: list
	// columns are not flat, and the Arrow reader refuses a logical type
	// newer than it knows.
	"list_columns.parquet":         `column "int64_list" is a list or map`,
	"unknown-logical-type.parquet": "is not a readable Parquet file: a column has a logical type newer than etl's Parquet reader knows (invalid logical type)",
}

// duckdbDiffers lists where DuckDB does not read what a fixture holds, and
// why; TestParquetIssueFiles checks those values against the file's own
// documentation instead.
var duckdbDiffers = map[string]struct {
	row    int // 0: the whole file
	reason string
}{
	"byte_stream_split_extended.gzip.parquet": {0, "DuckDB reads BYTE_STREAM_SPLIT only for FLOAT and DOUBLE columns"},
	"int96_from_spark.parquet":                {6, "DuckDB wraps the year 290000 around to 226414 BC"},
}

// fixtureTable is what a reader read from a Parquet file.
type fixtureTable struct {
	columns []pipeline.Column
	rows    [][]any
}

func readParquetFixture(path string) (*fixtureTable, error) {
	src, err := (&ParquetConfig{Path: path}).Open(context.Background(), pipeline.Env{})
	if err != nil {
		return nil, err
	}
	defer src.Close()
	tab := &fixtureTable{columns: src.Columns()}
	for {
		rec, err := src.Next(context.Background())
		if errors.Is(err, io.EOF) {
			return tab, nil
		}
		if err != nil {
			return nil, err
		}
		if len(rec.Problems) > 0 {
			return nil, fmt.Errorf("row %d: %v", rec.Origin.Row, rec.Problems)
		}
		tab.rows = append(tab.rows, rec.Values)
	}
}

func fixtureNames(t *testing.T) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(parquetFixtures, "*.parquet"))
	must(t, err)
	if len(names) < 30 {
		t.Fatalf("only %d fixtures in %s", len(names), parquetFixtures)
	}
	for i := range names {
		names[i] = filepath.Base(names[i])
	}
	sort.Strings(names)
	return names
}

// TestParquetFixtures reads every fixture: each is read without a problem
// or refused with its error.
func TestParquetFixtures(t *testing.T) {
	t.Parallel()
	for _, name := range fixtureNames(t) {
		tab, err := readParquetFixture(filepath.Join(parquetFixtures, name))
		want, refused := parquetRefused[name]
		switch {
		case refused && err == nil:
			t.Errorf("%s: read %d rows, want the error %q", name, len(tab.rows), want)
		case refused && !strings.Contains(err.Error(), want):
			t.Errorf("%s: got %v, want %q", name, err, want)
		case !refused && err != nil:
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestParquetIssueFiles checks the files of issue 11 value by value, DuckDB
// or not.
func TestParquetIssueFiles(t *testing.T) {
	t.Parallel()
	read := func(name string) *fixtureTable {
		t.Helper()
		tab, err := readParquetFixture(filepath.Join(parquetFixtures, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return tab
	}

	// LZ4_RAW, one 400 KB page: parquet-go read 10,000 empty strings.
	tab := read("lz4_raw_compressed_larger.parquet")
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	if len(tab.rows) != 10000 || tab.rows[0][0] != "c7ce6bef-d5b0-4863-b199-8ea8c7fb117b" {
		t.Fatalf("lz4_raw_compressed_larger: %d rows, first %v", len(tab.rows), tab.rows[0])
	}
	for i, r := range tab.rows {
		if s, _ := r[0].(string); !uuid.MatchString(s) {
			t.Fatalf("row %d: %q is no UUID", i+1, s)
		}
	}

	// UINT64 becomes an exact DECIMAL(20,0) (DuckDB: UBIGINT).
	tab = read("concatenated_gzip_members.parquet")
	if c := tab.columns[0]; c.Type != pipeline.TypeDecimal || c.Precision != 20 || c.Scale != 0 {
		t.Errorf("uint64 column: %+v", c)
	}
	if len(tab.rows) != 513 || !tab.rows[512][0].(decimal.Decimal).Equal(decimal.NewFromInt(513)) {
		t.Errorf("concatenated_gzip_members: %d rows, last %v", len(tab.rows), tab.rows[len(tab.rows)-1])
	}

	// FLOAT16 is a float.
	tab = read("float16_nonzeros_and_nans.parquet")
	if tab.columns[0].Type != pipeline.TypeFloat {
		t.Errorf("float16 column: %+v", tab.columns[0])
	}
	var got []string
	for _, r := range tab.rows {
		got = append(got, fmt.Sprint(r[0]))
	}
	if strings.Join(got, " ") != "<nil> 1 -2 NaN 0 -1 -0 2" {
		t.Errorf("float16 values: %v", got)
	}

	// An empty data page v2 is not decompressed.
	tab = read("datapage_v2_empty_datapage.snappy.parquet")
	if len(tab.rows) != 1 || tab.rows[0][0] != nil || tab.columns[0].Type != pipeline.TypeFloat {
		t.Errorf("datapage_v2_empty_datapage: %v %v", tab.columns, tab.rows)
	}

	// INT96 from Spark, as int96_from_spark.md gives them in µs: the last
	// one is beyond the nanosecond range.
	tab = read("int96_from_spark.parquet")
	for i, us := range []int64{1704141296123456, 1704070800000000, 253402225200000000, 1735599600000000, 0, 9089380393200000000} {
		v := tab.rows[i][0]
		if us == 0 {
			if v != nil {
				t.Errorf("int96 row %d: %v, want null", i+1, v)
			}
			continue
		}
		if tm, _ := v.(time.Time); !tm.Equal(time.UnixMicro(us)) {
			t.Errorf("int96 row %d: %v, want %v", i+1, v, time.UnixMicro(us).UTC())
		}
	}

	// BYTE_STREAM_SPLIT: each column has a PLAIN twin with the same values.
	tab = read("byte_stream_split_extended.gzip.parquet")
	pairs := 0
	for i, c := range tab.columns {
		twin, ok := strings.CutSuffix(c.Name, "_byte_stream_split")
		if !ok {
			continue
		}
		for j, p := range tab.columns {
			if p.Name != twin+"_plain" {
				continue
			}
			pairs++
			if p.Type != c.Type {
				t.Errorf("%s is %s, %s %s", c.Name, c.Type, p.Name, p.Type)
			}
			for r, row := range tab.rows {
				if fmt.Sprint(row[i]) != fmt.Sprint(row[j]) {
					t.Errorf("row %d: %s %v, %s %v", r+1, c.Name, row[i], p.Name, row[j])
					break
				}
			}
		}
	}
	if pairs != 7 || tab.columns[0].Type != pipeline.TypeFloat {
		t.Errorf("byte_stream_split_extended: %d column pairs, first column %+v", pairs, tab.columns[0])
	}

	// Column chunk key-value metadata without a value.
	tab = read("column_chunk_key_value_metadata.parquet")
	if len(tab.columns) != 2 || tab.columns[0].Name != "column1" || tab.columns[1].Type != pipeline.TypeInteger || len(tab.rows) != 0 {
		t.Errorf("column_chunk_key_value_metadata: %v %v", tab.columns, tab.rows)
	}
}

// duckdbRows runs scripts/duckdb-rows.mjs over paths, or skips the test
// when node or @duckdb/node-api is missing.
func duckdbRows(t *testing.T, paths []string) map[string]duckTable {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("DuckDB check skipped: node is not installed")
	}
	_, here, _, _ := runtime.Caller(0)
	scripts := filepath.Join(filepath.Dir(here), "..", "scripts")
	if _, err := os.Stat(filepath.Join(scripts, "node_modules", "@duckdb", "node-api")); err != nil {
		t.Skip("DuckDB check skipped: @duckdb/node-api is not installed (run npm install in scripts/)")
	}
	cmd := exec.Command(node, append([]string{filepath.Join(scripts, "duckdb-rows.mjs")}, paths...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("duckdb-rows: %v\n%s", err, stderr.String())
	}
	tables := map[string]duckTable{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var d duckTable
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			t.Fatalf("duckdb-rows output: %v", err)
		}
		tables[filepath.Base(d.Path)] = d
	}
	return tables
}

type duckTable struct {
	Path    string
	Columns []struct{ Name, Type string }
	Rows    [][]*string
	Error   string
}

// TestParquetFixturesAgreeWithDuckDB compares every value etl reads from
// every fixture with DuckDB's, and etl's column types with DuckDB's.
func TestParquetFixturesAgreeWithDuckDB(t *testing.T) {
	t.Parallel()
	names := fixtureNames(t)
	paths := make([]string, len(names))
	for i, n := range names {
		paths[i] = filepath.Join(parquetFixtures, n)
	}
	duck := duckdbRows(t, paths)
	for _, name := range names {
		d, ok := duck[name]
		if !ok {
			t.Errorf("%s: DuckDB said nothing", name)
			continue
		}
		if _, refused := parquetRefused[name]; refused {
			t.Logf("%s: etl refuses it; DuckDB: %s", name, orText(d.Error, "reads it"))
			continue
		}
		tab, err := readParquetFixture(filepath.Join(parquetFixtures, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		differs, known := duckdbDiffers[name]
		if known {
			t.Logf("%s: not compared (row %d): %s", name, differs.row, differs.reason)
		}
		if d.Error != "" {
			if !known || differs.row != 0 {
				t.Errorf("%s: etl reads it but DuckDB says %s", name, d.Error)
			}
			continue
		}
		compareWithDuckDB(t, name, tab, d, differs.row)
	}
}

func orText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// compareWithDuckDB compares every value but those of row skip (0: none).
func compareWithDuckDB(t *testing.T, name string, tab *fixtureTable, d duckTable, skip int) {
	t.Helper()
	if len(tab.columns) != len(d.Columns) {
		t.Errorf("%s: %d columns, DuckDB %d", name, len(tab.columns), len(d.Columns))
		return
	}
	for i, c := range tab.columns {
		dc := d.Columns[i]
		// DuckDB names an unnested struct field by its leaf, with _N when
		// two structs have a field of that name.
		leaf := c.Name[strings.LastIndexByte(c.Name, '.')+1:]
		if base, _, ok := strings.Cut(dc.Name, "_"); c.Name != dc.Name && leaf != dc.Name && !(ok && strings.HasPrefix(dc.Name, leaf+"_") && base != "") {
			t.Errorf("%s: column %d is %q, DuckDB %q", name, i, c.Name, dc.Name)
		}
		if !typeAgrees(c, dc.Type) {
			t.Errorf("%s: column %q is %s(%d,%d), DuckDB %s", name, c.Name, c.Type, c.Precision, c.Scale, dc.Type)
		}
	}
	if len(tab.rows) != len(d.Rows) {
		t.Errorf("%s: %d rows, DuckDB %d", name, len(tab.rows), len(d.Rows))
		return
	}
	bad := 0
	for r, row := range tab.rows {
		if r+1 == skip {
			continue
		}
		for c, v := range row {
			want := d.Rows[r][c]
			if !valueAgrees(v, tab.columns[c], d.Columns[c].Type, want) && bad < 5 {
				bad++
				w := "NULL"
				if want != nil {
					w = strconv.Quote(*want)
				}
				t.Errorf("%s: row %d, column %q: etl %#v, DuckDB %s", name, r+1, tab.columns[c].Name, v, w)
			}
		}
	}
}

// typeAgrees says whether an etl column type is the one for DuckDB's type.
func typeAgrees(c pipeline.Column, duck string) bool {
	switch {
	case duck == "BOOLEAN":
		return c.Type == pipeline.TypeBool
	case duck == "UBIGINT":
		return c.Type == pipeline.TypeDecimal && c.Precision == 20 && c.Scale == 0
	case strings.HasSuffix(duck, "INT") || duck == "INTEGER":
		return c.Type == pipeline.TypeInteger
	case duck == "FLOAT" || duck == "DOUBLE":
		return c.Type == pipeline.TypeFloat
	case strings.HasPrefix(duck, "DECIMAL("):
		return c.Type == pipeline.TypeDecimal && duck == fmt.Sprintf("DECIMAL(%d,%d)", c.Precision, c.Scale)
	case duck == "VARCHAR" || duck == "UUID" || duck == "JSON" || duck == "TIME":
		return c.Type == pipeline.TypeString
	case duck == "BLOB":
		return c.Type == pipeline.TypeBytes
	case duck == "DATE":
		return c.Type == pipeline.TypeDate
	case strings.HasPrefix(duck, "TIMESTAMP"):
		return c.Type == pipeline.TypeTimestamp
	}
	return false
}

// valueAgrees compares an etl value with DuckDB's text of it.
func valueAgrees(v any, c pipeline.Column, duck string, want *string) bool {
	if v == nil || want == nil {
		return v == nil && want == nil
	}
	w := *want
	switch v := v.(type) {
	case float64:
		f, err := strconv.ParseFloat(strings.NewReplacer("inf", "Inf", "-nan", "NaN").Replace(w), 64)
		if err != nil {
			return false
		}
		if duck == "FLOAT" {
			return math.Float32bits(float32(v)) == math.Float32bits(float32(f)) || math.IsNaN(v) && math.IsNaN(f)
		}
		return math.Float64bits(v) == math.Float64bits(f) || math.IsNaN(v) && math.IsNaN(f)
	case decimal.Decimal:
		return v.StringFixed(int32(c.Scale)) == w
	case time.Time:
		return duckTime(v, c.Type, duck) == w
	case []byte:
		return duckBlob(v) == w
	}
	return fmt.Sprint(v) == w
}

// duckTime writes a time as DuckDB casts it to text.
func duckTime(t time.Time, typ pipeline.Type, duck string) string {
	if typ == pipeline.TypeDate {
		return t.Format(time.DateOnly)
	}
	frac := t.Format(".999999")
	if duck == "TIMESTAMP_NS" {
		frac = t.Format(".999999999")
	}
	y := t.Year()
	s := fmt.Sprintf("%04d-%s%s", y, t.Format("01-02 15:04:05"), frac)
	if y < 1 {
		s = fmt.Sprintf("%04d-%s (BC) %s%s", 1-y, t.Format("01-02"), t.Format("15:04:05"), frac)
	}
	if strings.HasSuffix(duck, "WITH TIME ZONE") {
		s += "+00"
	}
	return s
}

// duckBlob writes bytes as DuckDB casts a BLOB to text.
func duckBlob(b []byte) string {
	var s strings.Builder
	for _, c := range b {
		if c >= 0x20 && c <= 0x7E && c != '\\' && c != '\'' && c != '"' {
			s.WriteByte(c)
		} else {
			fmt.Fprintf(&s, `\x%02X`, c)
		}
	}
	return s.String()
}

// patchPageHeader rewrites the header of the first data page of column col
// of a file written by writeParquet.
func patchPageHeader(t *testing.T, path string, col int, patch func(h *format.PageHeader)) {
	t.Helper()
	data, err := os.ReadFile(path)
	must(t, err)
	pf, err := pgo.OpenFile(bytes.NewReader(data), int64(len(data)))
	must(t, err)
	off := pf.Metadata().RowGroups[0].Columns[col].MetaData.DataPageOffset
	r := bytes.NewReader(data[off:])
	var h format.PageHeader
	must(t, thrift.NewDecoder(new(thrift.CompactProtocol).NewReader(r)).Decode(&h))
	oldLen := len(data[off:]) - r.Len()
	patch(&h)
	enc, err := thrift.Marshal(new(thrift.CompactProtocol), &h)
	must(t, err)
	if len(enc) != oldLen {
		t.Fatalf("patched header is %d bytes, was %d", len(enc), oldLen)
	}
	copy(data[off:], enc)
	must(t, os.WriteFile(path, data, 0o644))
}

// numValues sets the values a data page header promises.
func numValues(n int32) func(h *format.PageHeader) {
	return func(h *format.PageHeader) {
		h.DataPageHeader.V.NumValues = n
		h.DataPageHeaderV2.V.NumValues, h.DataPageHeaderV2.V.NumRows = n, n
	}
}

// TestParquetDamagedPages: a page that decodes to fewer values than its
// row group's rows, or that cannot be decompressed, fails the run naming
// the file, the column and the row group; no row of it becomes nulls.
func TestParquetDamagedPages(t *testing.T) {
	t.Parallel()
	schema := pgo.NewSchema("row", pgo.Group{
		"n": pgo.Leaf(pgo.Int64Type),
		"s": pgo.Optional(pgo.String()),
	})
	var rows []map[string]pgo.Value
	for i := range 10 {
		rows = append(rows, map[string]pgo.Value{"n": pgo.Int64Value(int64(i)), "s": pgo.ByteArrayValue([]byte(fmt.Sprintf("value %d", i)))})
	}
	for _, tt := range []struct {
		name  string
		col   int
		patch func(h *format.PageHeader)
		want  string
	}{
		{"required column short", 0, numValues(5),
			`data.parquet: column "n", row group 1 of 1 (rows 1 to 10 of the file): cannot decode the values: the column holds 5 values where the row group has 10 rows`},
		{"optional column short", 1, numValues(5),
			`data.parquet: column "s", row group 1 of 1 (rows 1 to 10 of the file): cannot decode the values`},
		// The rows are right; the values past them are the damage.
		{"required column long", 0, numValues(12),
			`data.parquet: column "n", row group 1 of 1 (rows 1 to 10 of the file): cannot decode the values: the column holds more values than the row group's 10 rows`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeParquet(t, schema, rows, 0)
			path := filepath.Join(dir, "data.parquet")
			patchPageHeader(t, path, tt.col, tt.patch)
			src, err := (&ParquetConfig{Path: "data.parquet"}).Open(context.Background(), pipeline.Env{BaseDir: dir})
			must(t, err)
			defer src.Close()
			n := 0
			for {
				rec, err := src.Next(context.Background())
				if err == nil {
					n++
					for _, v := range rec.Values {
						if v == nil {
							t.Fatalf("row %d has a null: %v", rec.Origin.Row, rec.Values)
						}
					}
					continue
				}
				if errors.Is(err, io.EOF) || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("after %d rows: %v, want %q", n, err, tt.want)
				}
				if _, again := src.Next(context.Background()); again == nil || again.Error() != err.Error() {
					t.Errorf("Next after the error: %v", again)
				}
				break
			}
			if want := map[bool]int{true: 10, false: 0}[strings.Contains(tt.name, "long")]; n != want {
				t.Errorf("%d rows passed before the error, want %d", n, want)
			}
		})
	}
}

// TestParquetUint64Identity: an unsigned 64-bit column passes through a
// job without a mapping as DECIMAL(20,0), values over 10^16 included
// (they were DECIMAL(18,2) and rejected).
func TestParquetUint64Identity(t *testing.T) {
	t.Parallel()
	schema := pgo.NewSchema("row", pgo.Group{"n": pgo.Uint(64)})
	dir := writeParquet(t, schema, []map[string]pgo.Value{{"n": pgo.Int64Value(-1)}, {"n": pgo.Int64Value(1 << 62)}}, 0)
	src, recs := readAll(t, &ParquetConfig{Path: "data.parquet"}, dir)
	m, err := mappings.Compile(mappings.Identity(src.Columns()), src.Columns())
	must(t, err)
	if f := m.Schema()[0]; f.Type != pipeline.TypeDecimal || f.Precision != 20 || f.Scale != 0 {
		t.Errorf("schema %+v", f)
	}
	var got []string
	for _, rec := range recs {
		row, probs, _ := m.Map(rec)
		if len(probs) > 0 {
			t.Fatalf("problems %v", probs)
		}
		got = append(got, fmt.Sprint(row.Values[0]))
	}
	if strings.Join(got, " ") != "18446744073709551615 4611686018427387904" {
		t.Errorf("values %v", got)
	}
}

// TestParquetBatchBoundedByBytes: rows of big values are decoded a few at
// a time; and the page headers parquet-go writes for them (with 2 MiB
// statistics, over Arrow's default 4 MiB bound) are read, as DuckDB reads
// them.
func TestParquetBatchBoundedByBytes(t *testing.T) {
	t.Parallel()
	schema := pgo.NewSchema("row", pgo.Group{"s": pgo.String()})
	var rows []map[string]pgo.Value
	for i := range 20 {
		rows = append(rows, map[string]pgo.Value{"s": pgo.ByteArrayValue([]byte(strings.Repeat(string(rune('a'+i)), 2<<20)))})
	}
	dir := writeParquet(t, schema, rows, 0)
	src, recs := readAll(t, &ParquetConfig{Path: "data.parquet"}, dir)
	if b := src.(*parquetSource).batch; b < 1 || b > 4 {
		t.Errorf("batch of %d rows of 2 MiB", b)
	}
	if len(recs) != 20 || recs[19].Values[0].(string)[:1] != "t" || len(recs[19].Values[0].(string)) != 2<<20 {
		t.Errorf("read %d rows", len(recs))
	}
}
