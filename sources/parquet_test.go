package sources

import (
	"bytes"
	"context"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/pipeline"
)

// writeParquet writes rows (maps from dotted column path to value, a missing
// key meaning null) with schema to data.parquet in a fresh directory, one
// row group per groupSize rows, and returns the directory.
func writeParquet(t testing.TB, schema *parquet.Schema, rows []map[string]parquet.Value, groupSize int) string {
	t.Helper()
	dir := t.TempDir()
	var buf bytes.Buffer
	w := parquet.NewWriter(&buf, schema)
	for i, r := range rows {
		var row parquet.Row
		for _, path := range schema.Columns() {
			leaf, _ := schema.Lookup(path...)
			if v, ok := r[strings.Join(path, ".")]; ok {
				row = append(row, v.Level(0, leaf.MaxDefinitionLevel, leaf.ColumnIndex))
			} else {
				row = append(row, parquet.NullValue().Level(0, 0, leaf.ColumnIndex))
			}
		}
		sort.Slice(row, func(a, b int) bool { return row[a].Column() < row[b].Column() })
		if _, err := w.WriteRows([]parquet.Row{row}); err != nil {
			t.Fatal(err)
		}
		if groupSize > 0 && (i+1)%groupSize == 0 {
			must(t, w.Flush())
		}
	}
	must(t, w.Close())
	must(t, os.WriteFile(filepath.Join(dir, "data.parquet"), buf.Bytes(), 0o644))
	return dir
}

// twos returns n as a big-endian two's complement of size bytes.
func twos(n int64, size int) []byte {
	b := make([]byte, size)
	v := big.NewInt(n)
	if n < 0 {
		v.Add(v, new(big.Int).Lsh(big.NewInt(1), uint(size*8)))
	}
	v.FillBytes(b)
	return b
}

func TestParquetTypes(t *testing.T) {
	opt := parquet.Optional
	schema := parquet.NewSchema("row", parquet.Group{
		"bool":      opt(parquet.Leaf(parquet.BooleanType)),
		"int32":     opt(parquet.Leaf(parquet.Int32Type)),
		"int64":     opt(parquet.Leaf(parquet.Int64Type)),
		"int8":      opt(parquet.Int(8)),
		"uint32":    opt(parquet.Uint(32)),
		"uint64":    opt(parquet.Uint(64)),
		"float":     opt(parquet.Leaf(parquet.FloatType)),
		"double":    opt(parquet.Leaf(parquet.DoubleType)),
		"string":    opt(parquet.String()),
		"enum":      opt(parquet.Enum()),
		"json":      opt(parquet.JSON()),
		"bytes":     opt(parquet.Leaf(parquet.ByteArrayType)),
		"fixed":     opt(parquet.Leaf(parquet.FixedLenByteArrayType(3))),
		"uuid":      opt(parquet.UUID()),
		"dec32":     opt(parquet.Decimal(2, 9, parquet.Int32Type)),
		"dec64":     opt(parquet.Decimal(4, 18, parquet.Int64Type)),
		"decfixed":  opt(parquet.Decimal(10, 38, parquet.FixedLenByteArrayType(16))),
		"decbytes":  opt(parquet.Decimal(3, 30, parquet.ByteArrayType)),
		"date":      opt(parquet.Date()),
		"ts_millis": opt(parquet.Timestamp(parquet.Millisecond)),
		"ts_micros": opt(parquet.Timestamp(parquet.Microsecond)),
		"ts_nanos":  opt(parquet.Timestamp(parquet.Nanosecond)),
		"time":      opt(parquet.Time(parquet.Millisecond)),
		"int96":     opt(parquet.Leaf(parquet.Int96Type)),
		"address": opt(parquet.Group{
			"city": opt(parquet.String()),
			"zip":  opt(parquet.String()),
		}),
	})
	when := time.Date(2026, 11, 23, 14, 5, 0, 123456789, time.UTC)
	day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	julian := deprecated.Int96{}
	nanosOfDay := uint64(when.Sub(day))
	julian[0], julian[1], julian[2] = uint32(nanosOfDay), uint32(nanosOfDay>>32), uint32(day.Unix()/86400+2440588)
	full := map[string]parquet.Value{
		"bool":         parquet.BooleanValue(true),
		"int32":        parquet.Int32Value(-7),
		"int64":        parquet.Int64Value(1 << 40),
		"int8":         parquet.Int32Value(-100),
		"uint32":       parquet.Int32Value(-1), // 4294967295
		"uint64":       parquet.Int64Value(-1), // 18446744073709551615
		"float":        parquet.FloatValue(1.5),
		"double":       parquet.DoubleValue(math.Pi),
		"string":       parquet.ByteArrayValue([]byte("Café")),
		"enum":         parquet.ByteArrayValue([]byte("RED")),
		"json":         parquet.ByteArrayValue([]byte(`{"a":1}`)),
		"bytes":        parquet.ByteArrayValue([]byte{0, 1, 0xFF}),
		"fixed":        parquet.FixedLenByteArrayValue([]byte{1, 2, 3}),
		"uuid":         parquet.FixedLenByteArrayValue([]byte{0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0}),
		"dec32":        parquet.Int32Value(1250),                                  // 12.50
		"dec64":        parquet.Int64Value(-123456789),                            // -12345.6789
		"decfixed":     parquet.FixedLenByteArrayValue(twos(-12345678901234, 16)), // -1234.5678901234
		"decbytes":     parquet.ByteArrayValue(twos(99999, 3)),                    // 99.999
		"date":         parquet.Int32Value(int32(day.Unix() / 86400)),
		"ts_millis":    parquet.Int64Value(when.UnixMilli()),
		"ts_micros":    parquet.Int64Value(when.UnixMicro()),
		"ts_nanos":     parquet.Int64Value(when.UnixNano()),
		"time":         parquet.Int32Value(int32((14*3600 + 5*60) * 1000)),
		"int96":        parquet.Int96Value(julian),
		"address.city": parquet.ByteArrayValue([]byte("Oslo")),
		"address.zip":  parquet.ByteArrayValue([]byte("0150")),
	}
	dir := writeParquet(t, schema, []map[string]parquet.Value{full, {}, {"address.city": parquet.ByteArrayValue([]byte("Bergen"))}}, 2)

	src, recs := readAll(t, &ParquetConfig{Path: "data.parquet"}, dir)
	wantTypes := map[string]pipeline.Type{
		"bool": pipeline.TypeBool, "int32": pipeline.TypeInteger, "int64": pipeline.TypeInteger, "int8": pipeline.TypeInteger,
		"uint32": pipeline.TypeInteger, "uint64": pipeline.TypeDecimal, "float": pipeline.TypeFloat, "double": pipeline.TypeFloat,
		"string": pipeline.TypeString, "enum": pipeline.TypeString, "json": pipeline.TypeString, "bytes": pipeline.TypeBytes,
		"fixed": pipeline.TypeBytes, "uuid": pipeline.TypeString, "dec32": pipeline.TypeDecimal, "dec64": pipeline.TypeDecimal,
		"decfixed": pipeline.TypeDecimal, "decbytes": pipeline.TypeDecimal, "date": pipeline.TypeDate,
		"ts_millis": pipeline.TypeTimestamp, "ts_micros": pipeline.TypeTimestamp, "ts_nanos": pipeline.TypeTimestamp,
		"time": pipeline.TypeString, "int96": pipeline.TypeTimestamp, "address.city": pipeline.TypeString, "address.zip": pipeline.TypeString,
	}
	cols := src.Columns()
	if len(cols) != len(wantTypes) {
		t.Fatalf("columns %v", cols)
	}
	index := map[string]int{}
	for i, c := range cols {
		index[c.Name] = i
		if want, ok := wantTypes[c.Name]; !ok || c.Type != want || c.Ref != "" {
			t.Errorf("column %+v, want type %v", c, want)
		}
	}
	if len(recs) != 3 {
		t.Fatalf("read %d records", len(recs))
	}
	wantValues := map[string]any{
		"bool": true, "int32": int64(-7), "int64": int64(1 << 40), "int8": int64(-100), "uint32": int64(math.MaxUint32),
		"uint64": decimal.RequireFromString("18446744073709551615"), "float": 1.5, "double": math.Pi,
		"string": "Café", "enum": "RED", "json": `{"a":1}`, "bytes": []byte{0, 1, 0xFF}, "fixed": []byte{1, 2, 3},
		"uuid": "12345678-9abc-def0-1234-56789abcdef0", "dec32": decimal.RequireFromString("12.50"),
		"dec64": decimal.RequireFromString("-12345.6789"), "decfixed": decimal.RequireFromString("-1234.5678901234"),
		"decbytes": decimal.RequireFromString("99.999"), "date": day, "ts_millis": when.Truncate(time.Millisecond),
		"ts_micros": when.Truncate(time.Microsecond), "ts_nanos": when, "time": "14:05:00", "int96": when,
		"address.city": "Oslo", "address.zip": "0150",
	}
	got := recs[0].Values
	for name, want := range wantValues {
		v := got[index[name]]
		ok := false
		switch w := want.(type) {
		case decimal.Decimal:
			d, isDec := v.(decimal.Decimal)
			ok = isDec && d.Equal(w) && d.Exponent() <= w.Exponent()
		case time.Time:
			tv, isTime := v.(time.Time)
			ok = isTime && tv.Equal(w) && tv.Location() == time.UTC
		case []byte:
			b, isBytes := v.([]byte)
			ok = isBytes && bytes.Equal(b, w)
		default:
			ok = v == want
		}
		if !ok {
			t.Errorf("%s: got %#v (%T), want %#v", name, v, v, want)
		}
	}
	if d := got[index["dec32"]].(decimal.Decimal); d.String() != "12.5" || d.Exponent() != -2 {
		t.Errorf("dec32 lost its scale: %s exp %d", d, d.Exponent())
	}
	for i, v := range recs[1].Values {
		if v != nil {
			t.Errorf("null row: %s = %#v", cols[i].Name, v)
		}
	}
	if recs[2].Values[index["address.city"]] != "Bergen" || recs[2].Values[index["address.zip"]] != nil {
		t.Errorf("row 3: %v", recs[2].Values)
	}
	for i, r := range recs {
		if r.Origin != (pipeline.Origin{File: "data.parquet", Row: i + 1}) || len(r.Problems) != 0 {
			t.Errorf("record %d: %+v %v", i, r.Origin, r.Problems)
		}
	}
	if fi := src.(pipeline.FileSource).File(); fi.Format != "parquet" || fi.Path != filepath.Join(dir, "data.parquet") {
		t.Errorf("file info %+v", fi)
	}
}

func TestParquetRowGroups(t *testing.T) {
	schema := parquet.NewSchema("row", parquet.Group{"n": parquet.Leaf(parquet.Int64Type)})
	var rows []map[string]parquet.Value
	for i := range 1000 {
		rows = append(rows, map[string]parquet.Value{"n": parquet.Int64Value(int64(i))})
	}
	dir := writeParquet(t, schema, rows, 300)
	src, recs := readAll(t, &ParquetConfig{Path: "data.parquet"}, dir)
	if len(recs) != 1000 {
		t.Fatalf("read %d rows", len(recs))
	}
	if done, total := src.(pipeline.Progresser).Progress(); done != total || total <= 0 {
		t.Errorf("progress at the end: %d of %d", done, total)
	}
	for i, r := range recs {
		if r.Values[0] != int64(i) || r.Origin.Row != i+1 {
			t.Fatalf("row %d: %v %+v", i, r.Values, r.Origin)
		}
	}
}

func TestParquetInvalidUTF8(t *testing.T) {
	schema := parquet.NewSchema("row", parquet.Group{"s": parquet.String()})
	dir := writeParquet(t, schema, []map[string]parquet.Value{{"s": parquet.ByteArrayValue([]byte("caf\xe9"))}}, 0)
	_, recs := readAll(t, &ParquetConfig{Path: "data.parquet"}, dir)
	if len(recs) != 1 || len(recs[0].Problems) != 1 || recs[0].Problems[0].Rule != "encoding" || recs[0].Problems[0].Column != "s" {
		t.Fatalf("records %+v", recs)
	}
}

func TestParquetRejectsRepeated(t *testing.T) {
	for name, node := range map[string]parquet.Node{
		"repeated": parquet.Repeated(parquet.String()),
		"list":     parquet.List(parquet.String()),
		"map":      parquet.Map(parquet.String(), parquet.Leaf(parquet.Int64Type)),
	} {
		t.Run(name, func(t *testing.T) {
			schema := parquet.NewSchema("row", parquet.Group{"sku": parquet.String(), "tags": node})
			dir := writeParquet(t, schema, nil, 0)
			_, err := (&ParquetConfig{Path: "data.parquet"}).Open(context.Background(), pipeline.Env{BaseDir: dir})
			if err == nil || !strings.Contains(err.Error(), `column "tags" is a list or map`) {
				t.Fatalf("got %v", err)
			}
		})
	}
}

func TestParquetOpenErrors(t *testing.T) {
	dir := writeTemp(t, "data.parquet", []byte("sku,name\nA1,x\n"))
	for _, tt := range []struct{ path, want string }{
		{"data.parquet", "data.parquet is not a Parquet file: it is really a text file (CSV or similar): use type: csv"},
		{"missing.parquet", filepath.Join(dir, "missing.parquet")},
		{"", "path is required"},
	} {
		_, err := (&ParquetConfig{Path: tt.path}).Open(context.Background(), pipeline.Env{BaseDir: dir})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: got %v, want %q", tt.path, err, tt.want)
		}
	}
}

func TestParquetContextAndClose(t *testing.T) {
	schema := parquet.NewSchema("row", parquet.Group{"n": parquet.Leaf(parquet.Int64Type)})
	dir := writeParquet(t, schema, []map[string]parquet.Value{{"n": parquet.Int64Value(1)}}, 0)
	src, err := (&ParquetConfig{Path: "data.parquet"}).Open(context.Background(), pipeline.Env{BaseDir: dir})
	must(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := src.Next(ctx); err != context.Canceled {
		t.Errorf("cancelled: %v", err)
	}
	if _, err := src.Next(context.Background()); err != nil {
		t.Errorf("Next: %v", err)
	}
	must(t, src.Close())
	must(t, src.Close())
	if _, err := src.Next(context.Background()); err == nil {
		t.Error("Next after Close returned no error")
	}
}
