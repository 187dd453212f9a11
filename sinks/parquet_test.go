package sinks

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/pipeline"
)

// openParquet opens a written Parquet file.
func openParquet(t testing.TB, path string) *parquet.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	pf, err := parquet.OpenFile(f, fi.Size())
	if err != nil {
		t.Fatalf("parquet.OpenFile: %v", err)
	}
	return pf
}

// describeNode renders a leaf's repetition, physical and logical type, e.g.
// "optional INT64 DECIMAL(12,2)", from the schema as read from the file.
func describeNode(n parquet.Node) string {
	rep := "required"
	if n.Optional() {
		rep = "optional"
	}
	typ := n.Type()
	s := rep + " " + typ.Kind().String()
	if typ.Kind() == parquet.FixedLenByteArray {
		s += "[" + strconv.Itoa(typ.Length()) + "]"
	}
	lt := typ.LogicalType()
	if lt == nil {
		return s
	}
	switch v := lt.Value.(type) {
	case *format.StringType:
		s += " STRING"
	case *format.DecimalType:
		s += fmt.Sprintf(" DECIMAL(%d,%d)", v.Precision, v.Scale)
	case *format.DateType:
		s += " DATE"
	case *format.TimestampType:
		unit := "?"
		switch v.Unit.Value.(type) {
		case *format.MilliSeconds:
			unit = "MILLIS"
		case *format.MicroSeconds:
			unit = "MICROS"
		case *format.NanoSeconds:
			unit = "NANOS"
		}
		s += fmt.Sprintf(" TIMESTAMP(%s,utc=%v)", unit, v.IsAdjustedToUTC)
	default:
		s += " " + lt.String()
	}
	return s
}

// checkParquetRows checks that the file at path holds rows, in order,
// value for value (testSchema).
func checkParquetRows(t *testing.T, path string, rows []pipeline.Row) {
	t.Helper()
	got := readParquet(t, path, testSchema)
	if len(got) != len(rows) {
		t.Fatalf("read %d rows, want %d", len(got), len(rows))
	}
	for i, r := range rows {
		for j, w := range r.Values {
			if !sameValue(w, got[i][j], &testSchema[j]) {
				t.Fatalf("row %d %s: got %v, want %v", i, testSchema[j].Name, got[i][j], w)
			}
		}
	}
}

// readParquet reads every row of the file back as etl values of schema.
func readParquet(t testing.TB, path string, schema pipeline.Schema) [][]any {
	t.Helper()
	pf := openParquet(t, path)
	var out [][]any
	for _, rg := range pf.RowGroups() {
		rows := rg.Rows()
		buf := make([]parquet.Row, 7)
		for {
			n, err := rows.ReadRows(buf)
			for _, r := range buf[:n] {
				vals := make([]any, len(schema))
				for _, v := range r {
					vals[v.Column()] = fromParquet(t, v, &schema[v.Column()])
				}
				out = append(out, vals)
			}
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		rows.Close()
	}
	if int64(len(out)) != pf.NumRows() {
		t.Fatalf("read %d rows, file says %d", len(out), pf.NumRows())
	}
	return out
}

func fromParquet(t testing.TB, v parquet.Value, f *pipeline.Field) any {
	if v.IsNull() {
		return nil
	}
	switch f.Type {
	case pipeline.TypeString:
		return string(v.ByteArray())
	case pipeline.TypeInteger:
		return v.Int64()
	case pipeline.TypeFloat:
		return v.Double()
	case pipeline.TypeBool:
		return v.Boolean()
	case pipeline.TypeDate:
		return time.Unix(int64(v.Int32())*86400, 0).UTC()
	case pipeline.TypeTimestamp:
		return time.UnixMicro(v.Int64()).UTC()
	case pipeline.TypeBytes:
		return bytes.Clone(v.ByteArray())
	case pipeline.TypeDecimal:
		exp := int32(-f.Scale)
		switch v.Kind() {
		case parquet.Int32:
			return decimal.New(int64(v.Int32()), exp)
		case parquet.Int64:
			return decimal.New(v.Int64(), exp)
		default:
			b := v.ByteArray()
			x := new(big.Int).SetBytes(b)
			if len(b) > 0 && b[0]&0x80 != 0 {
				x.Sub(x, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
			}
			return decimal.NewFromBigInt(x, exp)
		}
	}
	t.Fatalf("field %s: unexpected type", f.Name)
	return nil
}

// sameValue compares a written value with one read back.
func sameValue(want, got any, f *pipeline.Field) bool {
	if want == nil || got == nil {
		return want == nil && got == nil
	}
	switch w := want.(type) {
	case decimal.Decimal:
		g, ok := got.(decimal.Decimal)
		return ok && w.Equal(g)
	case time.Time:
		g, ok := got.(time.Time)
		if f.Type == pipeline.TypeTimestamp {
			w = w.Truncate(time.Microsecond)
		}
		return ok && w.Equal(g)
	case []byte:
		g, ok := got.([]byte)
		return ok && bytes.Equal(w, g)
	}
	return want == got
}

func TestParquetRoundTrip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := NewParquetConfig()
	cfg.Path = "out/items.parquet"
	rows := testRows()
	writeAll(t, openSink(t, cfg, dir, testSchema), rows, 3)
	path := filepath.Join(dir, "out/items.parquet")

	pf := openParquet(t, path)
	want := []string{
		"sku required BYTE_ARRAY STRING",
		"qty optional INT64 INT(64,true)",
		"weight optional DOUBLE",
		"price required INT64 DECIMAL(12,2)",
		"active optional BOOLEAN",
		"since optional INT32 DATE",
		"modified optional INT64 TIMESTAMP(MICROS,utc=true)",
		"blob optional BYTE_ARRAY",
		"big optional FIXED_LEN_BYTE_ARRAY[13] DECIMAL(30,4)",
		"cost optional INT32 DECIMAL(5,1)",
	}
	fields := pf.Schema().Fields()
	if len(fields) != len(want) {
		t.Fatalf("%d columns, want %d:\n%s", len(fields), len(want), pf.Schema())
	}
	for i, f := range fields {
		if got := f.Name() + " " + describeNode(f); got != want[i] {
			t.Errorf("column %d: %s, want %s", i, got, want[i])
		}
	}

	// PLAIN data pages (levels are RLE) that every reader knows.
	for _, col := range pf.Metadata().RowGroups[0].Columns {
		for _, enc := range col.MetaData.Encoding {
			if enc != format.Plain && enc != format.RLE {
				t.Errorf("column %v uses encoding %v", col.MetaData.PathInSchema, enc)
			}
		}
	}

	checkParquetRows(t, path, rows)
}

func TestParquetRowGroups(t *testing.T) {
	t.Parallel()
	schema := pipeline.Schema{
		{Name: "n", Type: pipeline.TypeInteger, Required: true},
		{Name: "s", Type: pipeline.TypeString},
	}
	var rows []pipeline.Row
	for i := range 10 {
		rows = append(rows, pipeline.Row{Values: []any{int64(i), strconv.Itoa(i)}})
	}
	for _, batch := range []int{1, 4, 10} {
		t.Run(fmt.Sprint("batch", batch), func(t *testing.T) {
			dir := t.TempDir()
			cfg := NewParquetConfig()
			cfg.Path = "rg.parquet"
			cfg.RowGroupSize = 3
			writeAll(t, openSink(t, cfg, dir, schema), rows, batch)
			path := filepath.Join(dir, "rg.parquet")
			var sizes []int64
			for _, rg := range openParquet(t, path).RowGroups() {
				sizes = append(sizes, rg.NumRows())
			}
			if fmt.Sprint(sizes) != "[3 3 3 1]" {
				t.Errorf("row groups %v, want [3 3 3 1]", sizes)
			}
			for i, r := range readParquet(t, path, schema) {
				if r[0] != int64(i) || r[1] != strconv.Itoa(i) {
					t.Errorf("row %d: %v", i, r)
				}
			}
		})
	}
}

func TestParquetSettings(t *testing.T) {
	t.Parallel()
	codecs := map[string]format.CompressionCodec{
		"snappy": format.Snappy, "zstd": format.Zstd, "gzip": format.Gzip, "none": format.Uncompressed, "ZSTD": format.Zstd,
	}
	for name, codec := range codecs {
		dir := t.TempDir()
		cfg := NewParquetConfig()
		cfg.Path = "c.parquet"
		cfg.Compression = name
		writeAll(t, openSink(t, cfg, dir, testSchema), testRows(), 10)
		path := filepath.Join(dir, "c.parquet")
		for _, col := range openParquet(t, path).Metadata().RowGroups[0].Columns {
			if col.MetaData.Codec != codec {
				t.Errorf("%s: column %v uses %v", name, col.MetaData.PathInSchema, col.MetaData.Codec)
			}
		}
		if got := readParquet(t, path, testSchema); len(got) != len(testRows()) {
			t.Errorf("%s: read %d rows", name, len(got))
		}
	}

	bad := []struct {
		cfg  ParquetConfig
		want string
	}{
		{ParquetConfig{Path: "x.parquet", RowGroupSize: 0, Compression: "snappy"}, "row_group_size must be at least 1"},
		{ParquetConfig{Path: "x.parquet", RowGroupSize: 10, Compression: "lzo"}, `compression "lzo" is not known`},
	}
	for _, b := range bad {
		_, err := b.cfg.Open(context.Background(), pipeline.Env{BaseDir: t.TempDir()}, testSchema)
		if err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%+v: error %v, want %q", b.cfg, err, b.want)
		}
	}
	_, err := (&ParquetConfig{Path: "x.parquet", RowGroupSize: 1}).Open(context.Background(), pipeline.Env{BaseDir: t.TempDir()},
		pipeline.Schema{{Name: "d", Type: pipeline.TypeDecimal, Precision: 39}})
	if err == nil || !strings.Contains(err.Error(), "precision 39") {
		t.Errorf("precision 39: %v", err)
	}
}

// TestParquetDecimals checks the physical type per precision and exact
// values at the limits of each.
func TestParquetDecimals(t *testing.T) {
	t.Parallel()
	cases := []struct {
		precision, scale int
		physical         string
		ok               []string
		fail             []string // precision or scale
	}{
		{0, 0, "INT64 DECIMAL(18,0)", []string{"999999999999999999", "-999999999999999999", "0", "12.000"}, []string{"1000000000000000000", "0.5"}},
		{9, 2, "INT32 DECIMAL(9,2)", []string{"9999999.99", "-9999999.99", "0.01", "1e2"}, []string{"10000000", "0.001"}},
		{18, 6, "INT64 DECIMAL(18,6)", []string{"999999999999.999999", "-0.000001", "123456789012.5"}, []string{"1000000000000", "1e-7"}},
		{19, 0, "FIXED_LEN_BYTE_ARRAY[9] DECIMAL(19,0)", []string{"9999999999999999999", "-9999999999999999999", "-1", "1"}, []string{"10000000000000000000"}},
		{38, 10, "FIXED_LEN_BYTE_ARRAY[16] DECIMAL(38,10)",
			[]string{"9999999999999999999999999999.9999999999", "-9999999999999999999999999999.9999999999", "-0.0000000001", "-5"},
			[]string{"10000000000000000000000000000", "0.00000000001"}},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("p%d_s%d", c.precision, c.scale), func(t *testing.T) {
			schema := pipeline.Schema{{Name: "d", Type: pipeline.TypeDecimal, Precision: c.precision, Scale: c.scale, Required: true}}
			var rows []pipeline.Row
			for i, s := range append(append([]string{}, c.ok...), c.fail...) {
				rows = append(rows, pipeline.Row{Origin: pipeline.Origin{Row: i + 2}, Values: []any{dec(s)}})
			}
			dir := t.TempDir()
			cfg := NewParquetConfig()
			cfg.Path = "d.parquet"
			s := openSink(t, cfg, dir, schema)
			err := s.Write(context.Background(), rows)
			var be *pipeline.BatchError
			if !errors.As(err, &be) || len(be.Failed) != len(c.fail) {
				t.Fatalf("Write: %v, want %d failed rows", err, len(c.fail))
			}
			for i := range c.fail {
				p := be.Failed[len(c.ok)+i]
				if p.Origin.Row != len(c.ok)+i+2 || p.Field != "d" || (p.Rule != "precision" && p.Rule != "scale") {
					t.Errorf("fail %s: problem %+v", c.fail[i], p)
				}
			}
			if err := s.Close(context.Background()); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, "d.parquet")
			if got := describeNode(openParquet(t, path).Schema().Fields()[0]); got != "required "+c.physical {
				t.Errorf("column %s, want %s", got, c.physical)
			}
			got := readParquet(t, path, schema)
			for i, s := range c.ok {
				if g := got[i][0].(decimal.Decimal); !g.Equal(dec(s)) {
					t.Errorf("read %s, wrote %s", g, s)
				}
			}
		})
	}
}

// readParquetText reads a file back as text, decimals at their scale.
func readParquetText(t *testing.T, path string, schema pipeline.Schema) [][]string {
	var out [][]string
	for _, r := range readParquet(t, path, schema) {
		var rec []string
		for j, v := range r {
			if d, ok := v.(decimal.Decimal); ok {
				rec = append(rec, d.StringFixed(int32(schema[j].Scale)))
			} else {
				rec = append(rec, fmt.Sprint(v))
			}
		}
		out = append(out, rec)
	}
	return out
}

// benchRows makes n rows of a 10-column schema like an inventory export.
func benchRows(n int) (pipeline.Schema, []pipeline.Row) {
	schema := pipeline.Schema{
		{Name: "product_id", Type: pipeline.TypeString, Required: true},
		{Name: "sku", Type: pipeline.TypeString},
		{Name: "name", Type: pipeline.TypeString},
		{Name: "unit_price", Type: pipeline.TypeDecimal, Precision: 18, Scale: 4},
		{Name: "quantity", Type: pipeline.TypeDecimal, Precision: 12, Scale: 2},
		{Name: "on_hand", Type: pipeline.TypeInteger},
		{Name: "reorder_point", Type: pipeline.TypeInteger},
		{Name: "active", Type: pipeline.TypeBool},
		{Name: "created", Type: pipeline.TypeTimestamp, Required: true},
		{Name: "modified", Type: pipeline.TypeTimestamp},
	}
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	rows := make([]pipeline.Row, n)
	for i := range rows {
		var modified any
		if i%7 != 0 {
			modified = base.Add(time.Duration(i) * time.Minute)
		}
		rows[i] = pipeline.Row{
			Origin: pipeline.Origin{File: "bench", Row: i + 2},
			Values: []any{
				fmt.Sprintf("8f2c1a7e-0000-4000-8000-%012d", i),
				fmt.Sprintf("SKU-%06d", i),
				fmt.Sprintf("Widget %d, size %d", i%977, i%13),
				decimal.New(int64(i%100000)*37+99, -4),
				decimal.New(int64(i%5000), -2),
				int64(i % 1000),
				int64(i % 50),
				i%3 != 0,
				base.Add(time.Duration(i) * time.Second),
				modified,
			},
		}
	}
	return schema, rows
}

// BenchmarkParquetSink writes 200k rows of 10 columns in batches of 1000.
func BenchmarkParquetSink(b *testing.B) {
	path := filepath.Join(b.TempDir(), "bench.parquet")
	cfg := NewParquetConfig()
	cfg.Path = path
	benchSink(b, cfg, path)
}

// benchSink writes 200k rows of 10 columns in batches of 1000 to the sink
// of cfg, whose path is absolute, and reports rows/s and the file size.
func benchSink(b *testing.B, cfg pipeline.SinkConfig, path string) {
	const n, batch = 200_000, 1000
	schema, rows := benchRows(n)
	ctx := context.Background()
	b.ReportAllocs()
	iters := 0
	for b.Loop() {
		iters++
		s, err := cfg.Open(ctx, pipeline.Env{}, schema)
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < n; i += batch {
			if err := s.Write(ctx, rows[i:i+batch]); err != nil {
				b.Fatal(err)
			}
		}
		if err := s.Close(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(iters)/b.Elapsed().Seconds(), "rows/s")
	if fi, err := os.Stat(path); err == nil {
		b.ReportMetric(float64(fi.Size()), "file-bytes")
	}
}

// manyRows makes n rows of testSchema with nulls in the optional fields
// and, at some rows, a value that the sink rejects at a field in the middle
// or at the end of the row (so earlier fields already took the row's
// values) or a row of the wrong width. It returns the rows and, for each,
// the rule it fails or "".
func manyRows(n int) ([]pipeline.Row, []string) {
	ts := time.Date(2026, 11, 23, 14, 5, 0, 0, time.UTC)
	rows := make([]pipeline.Row, n)
	fails := make([]string, n)
	for i := range rows {
		opt := func(k int, v any) any {
			if (i+k)%5 == 0 {
				return nil
			}
			return v
		}
		vals := []any{
			fmt.Sprintf("SKU-%06d", i), opt(1, int64(i*7-5000)), opt(2, float64(i)/8), decimal.New(int64(i), -2),
			opt(3, i%2 == 0), opt(4, day(2020, 1, 1+i%365)), opt(0, ts.Add(time.Duration(i)*time.Second)),
			opt(1, []byte(strconv.Itoa(i))), opt(2, decimal.New(int64(i)*1e9, -4)), opt(3, decimal.New(int64(i%9999), -1)),
		}
		switch {
		case i%97 == 3:
			vals[4], fails[i] = "yes", "type" // after four fields took the row
		case i%101 == 7:
			vals[9], fails[i] = dec("12345.6"), "precision" // the last field
		case i%89 == 11:
			vals[0], fails[i] = nil, "required"
		case i%113 == 13:
			vals, fails[i] = vals[:9], "type" // the width
		}
		rows[i] = pipeline.Row{Origin: pipeline.Origin{File: "in.csv", Row: i + 2}, Values: vals}
	}
	return rows, fails
}

// TestParquetManyRowGroups writes rows with nulls and rejected rows across
// chunks and row groups and reads them back, with the row groups' sizes and
// statistics.
func TestParquetManyRowGroups(t *testing.T) {
	t.Parallel()
	const n, rowGroup, batch = 12_000, 1500, 777
	rows, fails := manyRows(n)
	dir := t.TempDir()
	cfg := NewParquetConfig()
	cfg.Path = "many.parquet"
	cfg.RowGroupSize = rowGroup
	s := openSink(t, cfg, dir, testSchema)
	var kept []pipeline.Row
	for start := 0; start < n; start += batch {
		end := min(start+batch, n)
		err := s.Write(context.Background(), rows[start:end])
		var be *pipeline.BatchError
		if err != nil && !errors.As(err, &be) {
			t.Fatalf("Write: %v", err)
		}
		for i := start; i < end; i++ {
			p, failed := pipeline.Problem{}, false
			if be != nil {
				p, failed = be.Failed[i-start]
			}
			if failed != (fails[i] != "") || p.Rule != fails[i] || (failed && p.Origin.Row != i+2) {
				t.Fatalf("row %d: problem %+v, want rule %q", i, p, fails[i])
			}
			if !failed {
				kept = append(kept, rows[i])
			}
		}
	}
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "many.parquet")

	checkParquetRows(t, path, kept)

	// Row groups of row_group_size rows, each with the statistics of its
	// own rows (qty: INT64, nulls).
	md := openParquet(t, path).Metadata()
	first := 0
	for g, rg := range md.RowGroups {
		want := min(rowGroup, len(kept)-first)
		if rg.NumRows != int64(want) {
			t.Errorf("row group %d: %d rows, want %d", g, rg.NumRows, want)
		}
		var nulls int64
		lo, hi := int64(1<<63-1), int64(-1<<63)
		for _, r := range kept[first : first+want] {
			if v, ok := r.Values[1].(int64); ok {
				lo, hi = min(lo, v), max(hi, v)
			} else {
				nulls++
			}
		}
		st := rg.Columns[1].MetaData.Statistics
		gotLo, gotHi := int64(binary.LittleEndian.Uint64(st.MinValue)), int64(binary.LittleEndian.Uint64(st.MaxValue))
		if st.NullCount != nulls || gotLo != lo || gotHi != hi {
			t.Errorf("row group %d qty: nulls %d min %d max %d, want %d %d %d", g, st.NullCount, gotLo, gotHi, nulls, lo, hi)
		}
		first += want
	}
	if first != len(kept) {
		t.Errorf("row groups hold %d rows, want %d", first, len(kept))
	}
}

// TestParquetLargeValues writes values that fill chunks by their size
// rather than their number.
func TestParquetLargeValues(t *testing.T) {
	t.Parallel()
	schema := pipeline.Schema{
		{Name: "s", Type: pipeline.TypeString, Required: true},
		{Name: "b", Type: pipeline.TypeBytes},
	}
	var rows []pipeline.Row
	for i := range 12 {
		big := strings.Repeat(strconv.Itoa(i), 1<<20)
		var b any
		if i%3 != 0 {
			b = []byte(big[:1000+i])
		}
		rows = append(rows, pipeline.Row{Values: []any{big, b}})
	}
	dir := t.TempDir()
	cfg := NewParquetConfig()
	cfg.Path = "large.parquet"
	writeAll(t, openSink(t, cfg, dir, schema), rows, 5)
	got := readParquet(t, filepath.Join(dir, "large.parquet"), schema)
	if len(got) != len(rows) {
		t.Fatalf("read %d rows, want %d", len(got), len(rows))
	}
	for i, r := range rows {
		for j, w := range r.Values {
			if !sameValue(w, got[i][j], &schema[j]) {
				t.Errorf("row %d %s: read back differs", i, schema[j].Name)
			}
		}
	}
}

// encoderDone reports whether the sink's encoder goroutine has returned.
func encoderDone(s pipeline.Sink) bool {
	select {
	case <-s.(*parquetSink).enc.done:
		return true
	case <-time.After(5 * time.Second):
		return false
	}
}

// noFiles fails the test when dir holds any file.
func noFiles(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("left behind: %s", e.Name())
	}
}

// TestParquetEncoderError checks that a failure of the background encoder
// (here the file closed under it) comes back from Write, keeps coming back,
// and leaves nothing behind.
func TestParquetEncoderError(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := NewParquetConfig()
	cfg.Path = "broken.parquet"
	cfg.RowGroupSize = 1 // every row ends a row group and is written out
	s := openSink(t, cfg, dir, testSchema)
	ctx := context.Background()
	if err := s.Write(ctx, testRows()); err != nil {
		t.Fatal(err)
	}
	s.(*parquetSink).out.f.Close()
	rows, _ := manyRows(100)
	var err error
	for range 100 {
		var be *pipeline.BatchError
		if err = s.Write(ctx, rows); err != nil && !errors.As(err, &be) {
			break
		}
		err = nil
	}
	path := filepath.Join(dir, "broken.parquet")
	if err == nil || !strings.Contains(err.Error(), "parquet "+path) || !errors.Is(err, os.ErrClosed) {
		t.Fatalf("Write after the file failed: %v", err)
	}
	if err := s.Write(ctx, rows); err == nil {
		t.Error("Write after a failed Write: no error")
	}
	if err := s.Close(ctx); err == nil {
		t.Error("Close after a failed Write: no error")
	}
	if !encoderDone(s) {
		t.Error("the encoder goroutine is still running after Close")
	}
	if err := s.Abort(); err != nil {
		t.Error(err)
	}
	noFiles(t, dir)
}

// TestParquetCloseError checks that a failure of the encoder that no Write
// saw comes back from Close.
func TestParquetCloseError(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := NewParquetConfig()
	cfg.Path = "broken.parquet"
	s := openSink(t, cfg, dir, testSchema)
	if err := s.Write(context.Background(), testRows()); err != nil {
		t.Fatal(err)
	}
	s.(*parquetSink).out.f.Close()
	err := s.Close(context.Background())
	if err == nil || !strings.Contains(err.Error(), "parquet "+filepath.Join(dir, "broken.parquet")) {
		t.Fatalf("Close: %v", err)
	}
	if !encoderDone(s) {
		t.Error("the encoder goroutine is still running after Close")
	}
	noFiles(t, dir)
}

// TestParquetAbort stops the sink in the middle of a row group, by Abort
// and by Close with the run cancelled: no file, no goroutine left.
func TestParquetAbort(t *testing.T) {
	t.Parallel()
	for _, how := range []string{"abort", "cancelled close"} {
		t.Run(how, func(t *testing.T) {
			dir := t.TempDir()
			cfg := NewParquetConfig()
			cfg.Path = "out/aborted.parquet"
			s := openSink(t, cfg, dir, testSchema)
			rows, _ := manyRows(3 * pqChunkRows)
			if err := s.Write(context.Background(), rows); err == nil {
				t.Fatal("Write: no BatchError for the rejected rows")
			}
			if how == "abort" {
				if err := s.Abort(); err != nil {
					t.Fatal(err)
				}
			} else {
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				if err := s.Close(ctx); !errors.Is(err, context.Canceled) {
					t.Fatalf("Close: %v", err)
				}
			}
			if !encoderDone(s) {
				t.Error("the encoder goroutine is still running")
			}
			if err := s.Abort(); err != nil {
				t.Errorf("second Abort: %v", err)
			}
			if err := s.Close(context.Background()); err == nil {
				t.Error("Close after Abort: no error")
			}
			noFiles(t, dir)
		})
	}
}

// TestParquetAllNull writes an optional column without a single value, in
// whole chunks, and a file without rows.
func TestParquetAllNull(t *testing.T) {
	t.Parallel()
	schema := pipeline.Schema{
		{Name: "n", Type: pipeline.TypeInteger, Required: true},
		{Name: "s", Type: pipeline.TypeString},
		{Name: "d", Type: pipeline.TypeDecimal, Precision: 25, Scale: 2},
	}
	for _, n := range []int{0, 3*pqChunkRows + 5} {
		dir := t.TempDir()
		cfg := NewParquetConfig()
		cfg.Path = "nulls.parquet"
		cfg.RowGroupSize = 2 * pqChunkRows
		rows := make([]pipeline.Row, n)
		for i := range rows {
			rows[i].Values = []any{int64(i), nil, nil}
		}
		writeAll(t, openSink(t, cfg, dir, schema), rows, 1000)
		got := readParquet(t, filepath.Join(dir, "nulls.parquet"), schema)
		if len(got) != n {
			t.Fatalf("%d rows: read %d", n, len(got))
		}
		for i, r := range got {
			if r[0] != int64(i) || r[1] != nil || r[2] != nil {
				t.Fatalf("row %d: %v", i, r)
			}
		}
	}
}
