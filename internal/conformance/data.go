package conformance

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/pipeline"
)

// FileSchema has a field of every type, required and optional: what file
// sinks are checked with.
var FileSchema = pipeline.Schema{
	{Name: "sku", Type: pipeline.TypeString, Required: true},
	{Name: "qty", Type: pipeline.TypeInteger},
	{Name: "weight", Type: pipeline.TypeFloat},
	{Name: "price", Type: pipeline.TypeDecimal, Precision: 12, Scale: 2, Required: true},
	{Name: "active", Type: pipeline.TypeBool},
	{Name: "since", Type: pipeline.TypeDate},
	{Name: "modified", Type: pipeline.TypeTimestamp},
	{Name: "blob", Type: pipeline.TypeBytes},
	{Name: "big", Type: pipeline.TypeDecimal, Precision: 30, Scale: 4},
}

// FileRows returns rows of FileSchema that every file format holds
// exactly: full rows, nulls in every optional field, negative and large
// values, text that needs quoting. Timestamps are whole seconds (Excel
// keeps no more) and no text looks like a formula (csv neutralizes it).
func FileRows() []pipeline.Row {
	d := decimal.RequireFromString
	day := func(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) }
	o := func(row int) pipeline.Origin { return pipeline.Origin{File: "conformance.csv", Row: row, Line: row} }
	return []pipeline.Row{
		{Origin: o(2), Values: []any{"A-1", int64(12), 1.5, d("19.99"), true, day(2024, 2, 29),
			time.Date(2026, 11, 23, 14, 5, 0, 0, time.UTC), []byte{0, 1, 0xfe}, d("12345678901.1234")}},
		{Origin: o(3), Values: []any{"B-2", nil, nil, d("0"), nil, nil, nil, nil, nil}},
		{Origin: o(4), Values: []any{"C, \"3\"", int64(-42), -0.25, d("-9999999.99"), false, day(1969, 12, 31),
			time.Date(1960, 1, 2, 3, 4, 5, 0, time.UTC), []byte("x"), d("-0.0001")}},
		{Origin: o(5), Values: []any{"naïve “quotes”\nand lines", int64(9007199254740993), 1e300, d("7"), true,
			day(2200, 1, 1), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), []byte{}, d("1.5")}},
		{Origin: o(6), Values: []any{"E-5", int64(0), 0.0, d("0.01"), false, day(2000, 1, 1),
			time.Date(2000, 1, 1, 23, 59, 59, 0, time.UTC), []byte{0xff}, d("100")}},
	}
}

// Text is the canonical text of a value of field f, for comparing what a
// sink wrote with what a source read back: null is "", decimals as
// shopspring's String (no trailing zeros), floats in the shortest form,
// dates YYYY-MM-DD, timestamps RFC 3339 in UTC, bytes lowercase hex.
// Text of a string read back from a text format parses it by f's type
// first, so "19.990" and "19.99" are the same decimal.
func Text(f pipeline.Field, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return parseText(f, x)
	case int64:
		return strconv.FormatInt(x, 10) // a decimal's integer value reads the same
	case int32:
		return Text(f, int64(x))
	case float64:
		if f.Type == pipeline.TypeDecimal {
			return decimal.NewFromFloat(x).String()
		}
		return formatFloat(x)
	case decimal.Decimal:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		if f.Type == pipeline.TypeDate {
			return x.UTC().Format("2006-01-02")
		}
		return x.UTC().Format(time.RFC3339Nano)
	case []byte:
		if f.Type == pipeline.TypeString {
			return string(x)
		}
		return hex.EncodeToString(x)
	}
	return fmt.Sprint(v)
}

func formatFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// parseText reads s as a text format writes a value of f's type.
func parseText(f pipeline.Field, s string) string {
	if s == "" && f.Type != pipeline.TypeString {
		return ""
	}
	switch f.Type {
	case pipeline.TypeInteger:
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return strconv.FormatInt(n, 10)
		}
	case pipeline.TypeFloat:
		if x, err := strconv.ParseFloat(s, 64); err == nil {
			return formatFloat(x)
		}
	case pipeline.TypeDecimal:
		if d, err := decimal.NewFromString(strings.ReplaceAll(s, ",", "")); err == nil {
			return d.String()
		}
	case pipeline.TypeBool:
		if b, err := strconv.ParseBool(s); err == nil {
			return strconv.FormatBool(b)
		}
	case pipeline.TypeDate:
		for _, layout := range []string{"2006-01-02", time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
			if t, err := time.Parse(layout, s); err == nil {
				return t.Format("2006-01-02")
			}
		}
	case pipeline.TypeTimestamp:
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02T15:04:05.999999999"} {
			if t, err := time.Parse(layout, s); err == nil {
				return t.UTC().Format(time.RFC3339Nano)
			}
		}
	case pipeline.TypeBytes:
		return strings.ToLower(s)
	}
	return s
}

// ThroughSource returns a ReadBack that reads the destination's file with
// the registered source of type typ (its ForPath config) and returns the
// canonical text of every value.
func ThroughSource(typ string) func(t *testing.T, d Destination, schema pipeline.Schema) [][]string {
	return func(t *testing.T, d Destination, schema pipeline.Schema) [][]string {
		t.Helper()
		st, ok := pipeline.LookupSource(typ)
		if !ok || st.ForPath == nil {
			t.Fatalf("conformance: no file source %q is registered (import its package in the test)", typ)
		}
		ctx := context.Background()
		src, err := st.ForPath(d.Path).Open(ctx, pipeline.Env{})
		if err != nil {
			t.Fatalf("reading back %s with the %s source: %v", d.Path, typ, err)
		}
		defer src.Close()
		cols := src.Columns()
		if len(cols) != len(schema) {
			t.Fatalf("read back %d columns %v, wrote %d fields", len(cols), cols, len(schema))
		}
		for i, c := range cols {
			if c.Name != schema[i].Name {
				t.Errorf("column %d reads back as %q, was written as %q", i, c.Name, schema[i].Name)
			}
		}
		var out [][]string
		for {
			rec, err := src.Next(ctx)
			if errors.Is(err, io.EOF) {
				return out
			}
			if err != nil {
				t.Fatalf("reading back: %v", err)
			}
			if len(rec.Problems) > 0 {
				t.Fatalf("reading back %v: %v", rec.Origin, rec.Problems)
			}
			row := make([]string, len(schema))
			for j, f := range schema {
				if j < len(rec.Values) {
					row[j] = Text(f, rec.Values[j])
				}
			}
			out = append(out, row)
		}
	}
}
