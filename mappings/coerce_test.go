package mappings

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/internal/box"
	"github.com/etl-dev/etl/pipeline"
)

func ptr[T any](v T) *T { return &v }

func sc(s string) *Scalar { v := Scalar(s); return &v }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// coercerFor compiles a one-field spec reading column "in" (of type
// colType) and returns the field's coercer.
func coercerFor(t testing.TB, fs FieldSpec, colType pipeline.Type) *coercer {
	t.Helper()
	fs.Name, fs.From = "f", "in"
	m, err := Compile(Spec{Fields: []FieldSpec{fs}}, []pipeline.Column{{Name: "in", Ref: "A", Type: colType}})
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	return m.fields[0].co
}

// sameValue compares coerced values: decimals by value and scale, times by
// instant and UTC location.
func sameValue(got, want any) bool {
	switch w := want.(type) {
	case decimal.Decimal:
		g, ok := got.(decimal.Decimal)
		return ok && g.Equal(w) && g.Exponent() == w.Exponent()
	case time.Time:
		g, ok := got.(time.Time)
		return ok && g.Equal(w) && g.Location() == time.UTC
	}
	return reflect.DeepEqual(got, want)
}

type coerceCase struct {
	name    string
	spec    FieldSpec
	colType pipeline.Type
	in      any
	want    any
	wantErr string // substring of the type problem; "" means success
}

func runCoerceCases(t *testing.T, cases []coerceCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := coercerFor(t, tc.spec, tc.colType)
			got, msg := c.coerce(tc.in, nil)
			// Boxed from an arena (MapBatch), the value is the same.
			if boxed, boxedMsg := c.coerce(tc.in, new(box.Arena)); boxedMsg != msg || !reflect.DeepEqual(boxed, got) {
				t.Fatalf("coerce(%#v) = %#v, %q; from an arena %#v, %q", tc.in, got, msg, boxed, boxedMsg)
			}
			if tc.wantErr != "" {
				if msg == "" {
					t.Fatalf("coerce(%#v) = %#v, want error containing %q", tc.in, got, tc.wantErr)
				}
				if !strings.Contains(msg, tc.wantErr) {
					t.Fatalf("coerce(%#v) error %q, want it to contain %q", tc.in, msg, tc.wantErr)
				}
				return
			}
			if msg != "" {
				t.Fatalf("coerce(%#v): unexpected error %q", tc.in, msg)
			}
			if !sameValue(got, tc.want) {
				t.Fatalf("coerce(%#v) = %#v (%T), want %#v (%T)", tc.in, got, got, tc.want, tc.want)
			}
		})
	}
}

func TestCoerceString(t *testing.T) {
	runCoerceCases(t, []coerceCase{
		{name: "plain", in: "Widget", want: "Widget"},
		{name: "trim", in: "  Widget \t", want: "Widget"},
		{name: "trim nbsp", in: "\u00a0Widget\u00a0", want: "Widget"},
		{name: "no trim", spec: FieldSpec{Trim: ptr(false)}, in: " Widget ", want: " Widget "},
		{name: "empty is null", in: "", want: nil},
		{name: "blank is null after trim", in: "   ", want: nil},
		{name: "no trim keeps blank", spec: FieldSpec{Trim: ptr(false)}, in: "  ", want: "  "},
		{name: "null_if", spec: FieldSpec{NullIf: []string{"", "N/A", "-"}}, in: " N/A ", want: nil},
		{name: "null_if exact case", spec: FieldSpec{NullIf: []string{"N/A"}}, in: "n/a", want: "n/a"},
		{name: "null_if replaces default", spec: FieldSpec{NullIf: []string{"N/A"}}, in: "", want: ""},
		{name: "null_if empty list", spec: FieldSpec{NullIf: []string{}}, in: "", want: ""},
		{name: "upper", spec: FieldSpec{Case: "upper"}, in: "ab-12", want: "AB-12"},
		{name: "lower", spec: FieldSpec{Case: "lower"}, in: "ÀB", want: "àb"},
		{name: "title", spec: FieldSpec{Case: "title"}, in: "hELLO wORLD-wide o'neil", want: "Hello World-Wide O'neil"},
		{name: "replace", spec: FieldSpec{Replace: Replacements{{"–", "-"}}}, in: "a–b", want: "a-b"},
		{name: "replace in the order written", spec: FieldSpec{Replace: Replacements{{"b", "c"}, {"a", "b"}}}, in: "ab", want: "bc"},
		{name: "replace thousands then decimal", spec: FieldSpec{Type: "decimal", Replace: Replacements{{".", ""}, {",", "."}}}, in: "1.299,50", want: dec("1299.50")},
		{name: "replace then case", spec: FieldSpec{Replace: Replacements{{"x", "y"}}, Case: "upper"}, in: "x", want: "Y"},
		{name: "int to string", colType: pipeline.TypeInteger, in: int64(-12), want: "-12"},
		{name: "float to string", colType: pipeline.TypeFloat, in: 12.5, want: "12.5"},
		{name: "decimal to string", colType: pipeline.TypeDecimal, in: dec("12.50"), want: "12.5"},
		{name: "bool to string", colType: pipeline.TypeBool, in: true, want: "true"},
		{name: "date to string", colType: pipeline.TypeDate, in: day(2024, 3, 5), want: "2024-03-05"},
		{name: "timestamp to string", colType: pipeline.TypeTimestamp, in: time.Date(2024, 3, 5, 10, 0, 0, 0, time.FixedZone("x", 3600)), want: "2024-03-05T09:00:00Z"},
		{name: "bytes to string", colType: pipeline.TypeBytes, in: []byte(" ab "), want: "ab"},
		{name: "invalid utf8 bytes", in: []byte{0xff}, wantErr: "not valid UTF-8"},
		{name: "nil", in: nil, want: nil},
	})
}

func TestCoerceInteger(t *testing.T) {
	i := FieldSpec{Type: "integer"}
	runCoerceCases(t, []coerceCase{
		{name: "plain", spec: i, in: "12", want: int64(12)},
		{name: "spaces", spec: i, in: "  12 ", want: int64(12)},
		{name: "spaces without trim", spec: FieldSpec{Type: "integer", Trim: ptr(false)}, in: " 12 ", want: int64(12)},
		{name: "negative", spec: i, in: "-7", want: int64(-7)},
		{name: "plus", spec: i, in: "+7", want: int64(7)},
		{name: "whole decimal", spec: i, in: "12.0", want: int64(12)},
		{name: "exponent", spec: i, in: "1e3", want: int64(1000)},
		{name: "fraction", spec: i, in: "12.5", wantErr: "not a whole number"},
		{name: "decimal comma", spec: i, in: "12,5", wantErr: "use type: decimal"},
		{name: "thousands", spec: i, in: "1,234", wantErr: `add strip: ","`},
		{name: "thousands stripped", spec: FieldSpec{Type: "integer", Strip: ","}, in: "1,234,567", want: int64(1234567)},
		{name: "max", spec: i, in: "9223372036854775807", want: int64(math.MaxInt64)},
		{name: "min", spec: i, in: "-9223372036854775808", want: int64(math.MinInt64)},
		{name: "overflow", spec: i, in: "9223372036854775808", wantErr: "out of the range"},
		{name: "huge exponent", spec: i, in: "1e400", wantErr: "out of the range"},
		{name: "tiny exponent", spec: i, in: "5e-99999", wantErr: "not a whole number"},
		{name: "zero tiny exponent", spec: i, in: "0e-99999", want: int64(0)},
		{name: "letters", spec: i, in: "12 pcs", wantErr: "contains letters"},
		{name: "word", spec: i, in: "many", wantErr: "null_if"},
		{name: "empty", spec: i, in: "", want: nil},
		{name: "blank", spec: i, in: "  ", want: nil},
		{name: "int64", spec: i, colType: pipeline.TypeInteger, in: int64(5), want: int64(5)},
		{name: "int", spec: i, colType: pipeline.TypeInteger, in: 5, want: int64(5)},
		{name: "uint64 big", spec: i, colType: pipeline.TypeInteger, in: uint64(math.MaxUint64), wantErr: "out of the range"},
		{name: "float whole", spec: i, colType: pipeline.TypeFloat, in: 3.0, want: int64(3)},
		{name: "float fraction", spec: i, colType: pipeline.TypeFloat, in: 3.5, wantErr: "not a whole number"},
		{name: "float nan", spec: i, colType: pipeline.TypeFloat, in: math.NaN(), wantErr: "not a whole number"},
		{name: "float huge", spec: i, colType: pipeline.TypeFloat, in: 1e30, wantErr: "out of the range"},
		{name: "decimal whole", spec: i, colType: pipeline.TypeDecimal, in: dec("42.00"), want: int64(42)},
		{name: "decimal fraction", spec: i, colType: pipeline.TypeDecimal, in: dec("42.01"), wantErr: "not a whole number"},
		{name: "bool", spec: i, colType: pipeline.TypeString, in: true, wantErr: "a bool value cannot become integer"},
	})
}

func TestCoerceDecimal(t *testing.T) {
	d := FieldSpec{Type: "decimal"}
	money := FieldSpec{Type: "decimal", Scale: ptr(2), Strip: "$€£, "}
	runCoerceCases(t, []coerceCase{
		{name: "plain", spec: d, in: "12.5", want: dec("12.50")},
		{name: "default scale 2", spec: d, in: "3", want: dec("3.00")},
		{name: "negative", spec: d, in: "-0.5", want: dec("-0.50")},
		{name: "leading dot", spec: d, in: ".5", want: dec("0.50")},
		{name: "exponent", spec: d, in: "1.5e2", want: dec("150.00")},
		{name: "negative exponent", spec: d, in: "15E-1", want: dec("1.50")},
		{name: "round half up", spec: FieldSpec{Type: "decimal", Round: "half_up"}, in: "2.345", want: dec("2.35")},
		{name: "round half away from zero", spec: FieldSpec{Type: "decimal", Round: "half_up"}, in: "-2.345", want: dec("-2.35")},
		{name: "round down", spec: FieldSpec{Type: "decimal", Round: "half_up"}, in: "2.344", want: dec("2.34")},
		{name: "no rounding without round", spec: FieldSpec{Type: "decimal", Scale: ptr(1)}, in: "0.25", wantErr: `"0.25" has more than 1 decimals (the field's scale): it would become 0.3; raise scale, or add round: half_even`},
		{name: "trailing zeros are no rounding", spec: FieldSpec{Type: "decimal", Scale: ptr(1)}, in: "1.50", want: dec("1.5")},
		{name: "round half even", spec: FieldSpec{Type: "decimal", Scale: ptr(1), Round: "half_even"}, in: "0.25", want: dec("0.2")},
		{name: "round half even odd", spec: FieldSpec{Type: "decimal", Scale: ptr(1), Round: "half_even"}, in: "0.35", want: dec("0.4")},
		{name: "round towards zero", spec: FieldSpec{Type: "decimal", Scale: ptr(1), Round: "down"}, in: "-0.29", want: dec("-0.2")},
		{name: "scale 4", spec: FieldSpec{Type: "decimal", Scale: ptr(4), Round: "half_up"}, in: "1.23456", want: dec("1.2346")},
		{name: "scale 0", spec: FieldSpec{Type: "decimal", Scale: ptr(0), Round: "half_up"}, in: "2.5", want: dec("3")},
		{name: "precision ok", spec: FieldSpec{Type: "decimal", Precision: ptr(5), Scale: ptr(2)}, in: "999.99", want: dec("999.99")},
		{name: "precision exceeded", spec: FieldSpec{Type: "decimal", Precision: ptr(5), Scale: ptr(2)}, in: "1000", wantErr: "too many digits for decimal(5,2)"},
		{name: "precision exceeded by rounding", spec: FieldSpec{Type: "decimal", Precision: ptr(5), Scale: ptr(2), Round: "half_up"}, in: "999.999", wantErr: "too many digits"},
		{name: "huge exponent", spec: d, in: "1e9999", wantErr: "too many digits"},
		{name: "tiny exponent", spec: FieldSpec{Type: "decimal", Round: "half_up"}, in: "1e-9999", want: dec("0.00")},
		{name: "tiny exponent without round", spec: d, in: "1e-9999", wantErr: "more than 2 decimals"},
		{name: "tinier exponent", spec: FieldSpec{Type: "decimal", Round: "half_up"}, in: "-9.5e-99999", want: dec("0.00")},
		{name: "too long", spec: d, in: strings.Repeat("9", 600), wantErr: "too long for a number (600 characters)"},
		{name: "decimal comma", spec: d, in: "12,5", wantErr: `"12,5" is not a decimal: it is written with a decimal comma: set decimal_separator: ","`},
		{name: "decimal comma european thousands", spec: d, in: "1.234,56", wantErr: `set decimal_separator: "," and thousands_separator: "." (or locale: de-DE)`},
		{name: "de-DE", spec: FieldSpec{Type: "decimal", Locale: "de-DE"}, in: "1.299,50", want: dec("1299.50")},
		{name: "de-DE plain", spec: FieldSpec{Type: "decimal", Locale: "de-DE"}, in: "24,99", want: dec("24.99")},
		{name: "de-DE negative", spec: FieldSpec{Type: "decimal", Locale: "de-DE", Strip: "€ "}, in: "-1.234.567,5 €", want: dec("-1234567.50")},
		{name: "de-DE misplaced thousands", spec: FieldSpec{Type: "decimal", Locale: "de-DE"}, in: "12.99", wantErr: `"12.99" is not a decimal written as 1.234.567,89 (decimal_separator ",", thousands_separator "."): a thousands separator must be followed by exactly three digits`},
		{name: "de-DE dot decimal", spec: FieldSpec{Type: "decimal", Locale: "de-DE"}, in: "1,299.50", wantErr: `"." appears after the decimal separator ","`},
		{name: "de-DE long first group", spec: FieldSpec{Type: "decimal", Locale: "de-DE"}, in: "1299.500,00", wantErr: "a thousands separator must sit between groups of three digits"},
		{name: "fr-FR", spec: FieldSpec{Type: "decimal", Locale: "fr-FR"}, in: "1\u202f299,5", want: dec("1299.50")},
		{name: "fr-FR nbsp", spec: FieldSpec{Type: "decimal", Locale: "fr-FR"}, in: "12\u00a0345,25", want: dec("12345.25")},
		{name: "decimal separator only", spec: FieldSpec{Type: "decimal", DecimalSeparator: ","}, in: "1.299,50", wantErr: `"." is neither the decimal separator "," nor the thousands separator (there is none)`},
		{name: "en-US", spec: FieldSpec{Type: "decimal", Locale: "en-US"}, in: "1,299.50", want: dec("1299.50")},
		{name: "de-CH", spec: FieldSpec{Type: "decimal", Locale: "de-CH"}, in: "1'299.50", want: dec("1299.50")},
		{name: "decimal comma via replace", spec: FieldSpec{Type: "decimal", Replace: Replacements{{",", "."}}}, in: "12,5", want: dec("12.50")},
		{name: "currency without strip", spec: d, in: "$1,234.50", wantErr: `add strip: "$,"`},
		{name: "currency with strip", spec: money, in: "$1,234.50", want: dec("1234.50")},
		{name: "euro with strip", spec: money, in: "€ 12", want: dec("12.00")},
		{name: "negative currency", spec: money, in: "-$5.5", want: dec("-5.50")},
		{name: "stripped comma is no decimal comma", spec: money, in: "12,5", wantErr: `"12,5" is not a decimal: it is written with a decimal comma: set decimal_separator: ","`},
		{name: "stripped comma before two digits", spec: money, in: "$1,23", wantErr: `set decimal_separator: ","`},
		{name: "stripped comma in bad group", spec: money, in: "1,234,5", wantErr: "no thousands separator"},
		{name: "stripped comma after point", spec: money, in: "1.234,567", wantErr: `set decimal_separator: "," and thousands_separator: "."`},
		{name: "stripped comma in fraction", spec: money, in: "1.234,567,890", wantErr: "no thousands separator"},
		{name: "stripped groups", spec: money, in: "$ 1,234,567.89", want: dec("1234567.89")},
		{name: "stripped space groups", spec: money, in: "1 234 567", want: dec("1234567.00")},
		{name: "stripped trailing symbol", spec: money, in: "12.50 €", want: dec("12.50")},
		{name: "strip incomplete", spec: FieldSpec{Type: "decimal", Strip: "$"}, in: "$1'000", wantErr: `add "'" to strip`},
		{name: "dots as thousands", spec: d, in: "1.234.567", wantErr: "several dots"},
		{name: "spaces", spec: d, in: "  12 ", want: dec("12.00")},
		{name: "empty", spec: d, in: "", want: nil},
		{name: "null_if", spec: FieldSpec{Type: "decimal", NullIf: []string{"N/A"}}, in: "N/A", want: nil},
		{name: "not a number", spec: d, in: "N/A", wantErr: "add it to null_if"},
		{name: "nan text", spec: d, in: "NaN", wantErr: "not a decimal"},
		{name: "inf text", spec: d, in: "Inf", wantErr: "not a decimal"},
		{name: "hex", spec: d, in: "0x10", wantErr: "not a decimal"},
		{name: "int64", spec: d, colType: pipeline.TypeInteger, in: int64(7), want: dec("7.00")},
		{name: "float exact", spec: d, colType: pipeline.TypeFloat, in: 0.1, want: dec("0.10")},
		{name: "float rounds", spec: FieldSpec{Type: "decimal", Round: "half_up"}, colType: pipeline.TypeFloat, in: 2.675, want: dec("2.68")},
		{name: "float has too many decimals", spec: d, colType: pipeline.TypeFloat, in: 2.675, wantErr: "more than 2 decimals"},
		{name: "float noise is no decimal", spec: d, colType: pipeline.TypeFloat, in: 0.1 + 0.2, want: dec("0.30")},
		{name: "float nan", spec: d, colType: pipeline.TypeFloat, in: math.NaN(), wantErr: "not a decimal"},
		{name: "float inf", spec: d, colType: pipeline.TypeFloat, in: math.Inf(1), wantErr: "not a decimal"},
		{name: "decimal", spec: FieldSpec{Type: "decimal", Round: "half_up"}, colType: pipeline.TypeDecimal, in: dec("1.005"), want: dec("1.01")},
		{name: "decimal pointer", spec: d, colType: pipeline.TypeDecimal, in: ptr(dec("1.5")), want: dec("1.50")},
		{name: "time", spec: d, colType: pipeline.TypeString, in: time.Now(), wantErr: "a time value cannot become decimal"},
	})
}

func TestCoerceFloat(t *testing.T) {
	f := FieldSpec{Type: "float"}
	runCoerceCases(t, []coerceCase{
		{name: "plain", spec: f, in: "1.25", want: 1.25},
		{name: "exponent", spec: f, in: "-1e-3", want: -0.001},
		{name: "strip", spec: FieldSpec{Type: "float", Strip: " "}, in: "1 000.5", want: 1000.5},
		{name: "overflow", spec: f, in: "1e400", wantErr: "out of the range"},
		{name: "inf", spec: f, in: "+Inf", wantErr: "not a number"},
		{name: "comma", spec: f, in: "0,5", wantErr: "decimal_separator"},
		{name: "comma with locale", spec: FieldSpec{Type: "float", Locale: "de-DE"}, in: "0,5", want: 0.5},
		{name: "int", spec: f, colType: pipeline.TypeInteger, in: int64(3), want: 3.0},
		{name: "decimal", spec: f, colType: pipeline.TypeDecimal, in: dec("0.25"), want: 0.25},
		{name: "float nan passes", spec: f, colType: pipeline.TypeFloat, in: float32(2.5), want: 2.5},
	})
}

func TestCoerceBool(t *testing.T) {
	b := FieldSpec{Type: "bool"}
	cases := []coerceCase{
		{name: "custom true", spec: FieldSpec{Type: "bool", TrueValues: []string{"ja", "x"}, FalseValues: []string{"nein", ""}}, in: "X", want: true},
		{name: "empty listed as false", spec: FieldSpec{Type: "bool", TrueValues: []string{"x"}, FalseValues: []string{""}}, in: "  ", want: false},
		{name: "custom false", spec: FieldSpec{Type: "bool", TrueValues: []string{"ja"}}, in: "no", want: false},
		{name: "custom replaces default true", spec: FieldSpec{Type: "bool", TrueValues: []string{"ja"}}, in: "yes", wantErr: "use one of ja or false, no, n, 0, off"},
		{name: "bad", spec: b, in: "maybe", wantErr: `"maybe" is not a bool`},
		{name: "empty", spec: b, in: "", want: nil},
		{name: "bool", spec: b, colType: pipeline.TypeBool, in: false, want: false},
		{name: "int 1", spec: b, colType: pipeline.TypeInteger, in: int64(1), want: true},
		{name: "int 2", spec: b, colType: pipeline.TypeInteger, in: int64(2), wantErr: "only 0 and 1"},
		{name: "float 0", spec: b, colType: pipeline.TypeFloat, in: 0.0, want: false},
		{name: "decimal 1", spec: b, colType: pipeline.TypeDecimal, in: dec("1.00"), want: true},
	}
	for _, s := range []string{"true", "TRUE", "Yes", "y", "1", "on", "ON"} {
		cases = append(cases, coerceCase{name: "true " + s, spec: b, in: s, want: true})
	}
	for _, s := range []string{"false", "False", "NO", "n", "0", "off", " Off "} {
		cases = append(cases, coerceCase{name: "false " + s, spec: b, in: s, want: false})
	}
	runCoerceCases(t, cases)
}

func TestCoerceDate(t *testing.T) {
	d := FieldSpec{Type: "date"}
	eu := FieldSpec{Type: "date", Formats: []string{"02/01/2006", "2.1.2006"}}
	runCoerceCases(t, []coerceCase{
		{name: "iso", spec: d, in: "2024-03-05", want: day(2024, 3, 5)},
		{name: "iso datetime takes date", spec: d, in: "2024-03-05T23:30:00Z", want: day(2024, 3, 5)},
		{name: "iso datetime with offset keeps written date", spec: d, in: "2024-03-05T23:30:00-05:00", want: day(2024, 3, 5)},
		{name: "iso datetime space", spec: d, in: "2024-03-05 08:00", want: day(2024, 3, 5)},
		{name: "invalid day", spec: d, in: "2024-02-30", wantErr: "not a date"},
		{name: "formats", spec: eu, in: "05/03/2024", want: day(2024, 3, 5)},
		{name: "second format", spec: eu, in: "5.3.2024", want: day(2024, 3, 5)},
		{name: "formats still take iso", spec: eu, in: "2024-03-05", want: day(2024, 3, 5)},
		{name: "guess day first", spec: d, in: "31/12/2024", wantErr: `add its Go layout to formats: "02/01/2006"`},
		{name: "guess month first", spec: d, in: "12/31/2024", wantErr: `"01/02/2006"`},
		{name: "guess ambiguous", spec: d, in: "1/2/2024", wantErr: `"2/1/2006" (day first) or "1/2/2006" (month first)`},
		{name: "guess with time", spec: d, in: "31.12.2024 10:00", wantErr: `"02.01.2006 15:04"`},
		{name: "serial", spec: d, in: "45000", wantErr: "serial number"},
		{name: "empty", spec: d, in: "", want: nil},
		{name: "typed date", spec: d, colType: pipeline.TypeDate, in: day(2024, 3, 5), want: day(2024, 3, 5)},
		{name: "typed timestamp", spec: d, colType: pipeline.TypeTimestamp, in: time.Date(2024, 3, 5, 23, 0, 0, 0, time.UTC), want: day(2024, 3, 5)},
		{name: "typed timestamp in zone", spec: FieldSpec{Type: "date", Timezone: "Asia/Tokyo"}, colType: pipeline.TypeTimestamp,
			in: time.Date(2024, 3, 5, 23, 0, 0, 0, time.UTC), want: day(2024, 3, 6)},
		{name: "int", spec: d, colType: pipeline.TypeString, in: int64(45000), wantErr: "an integer value cannot become date"},
	})
}

func TestCoerceTimestamp(t *testing.T) {
	ts := FieldSpec{Type: "timestamp"}
	ny := FieldSpec{Type: "timestamp", Timezone: "America/New_York"}
	at := func(h, m, s, ns int) time.Time { return time.Date(2024, 3, 5, h, m, s, ns, time.UTC) }
	runCoerceCases(t, []coerceCase{
		{name: "rfc3339 z", spec: ts, in: "2024-03-05T10:20:30Z", want: at(10, 20, 30, 0)},
		{name: "lower z", spec: ts, in: "2024-03-05t10:20:30z", want: at(10, 20, 30, 0)},
		{name: "offset", spec: ts, in: "2024-03-05T10:20:30+02:00", want: at(8, 20, 30, 0)},
		{name: "offset no colon", spec: ts, in: "2024-03-05T10:20:30-0130", want: at(11, 50, 30, 0)},
		{name: "offset hours", spec: ts, in: "2024-03-05T10:20:30+01", want: at(9, 20, 30, 0)},
		{name: "offset after space", spec: ts, in: "2024-03-05 10:20:30 +01:00", want: at(9, 20, 30, 0)},
		{name: "fraction", spec: ts, in: "2024-03-05T10:20:30.123456Z", want: at(10, 20, 30, 123456000)},
		{name: "no offset is utc", spec: ts, in: "2024-03-05T10:20:30", want: at(10, 20, 30, 0)},
		{name: "space no seconds", spec: ts, in: "2024-03-05 10:20", want: at(10, 20, 0, 0)},
		{name: "date only", spec: ts, in: "2024-03-05", want: at(0, 0, 0, 0)},
		{name: "timezone", spec: ny, in: "2024-03-05 10:20:30", want: at(15, 20, 30, 0)},
		{name: "timezone dst", spec: ny, in: "2024-07-05T10:00", want: time.Date(2024, 7, 5, 14, 0, 0, 0, time.UTC)},
		{name: "timezone ignored with offset", spec: ny, in: "2024-03-05T10:20:30Z", want: at(10, 20, 30, 0)},
		{name: "timezone date only", spec: ny, in: "2024-03-05", want: at(5, 0, 0, 0)},
		{name: "formats", spec: FieldSpec{Type: "timestamp", Formats: []string{"02/01/2006 15:04"}, Timezone: "Europe/Berlin"}, in: "05/03/2024 10:20", want: at(9, 20, 0, 0)},
		{name: "bad", spec: ts, in: "yesterday", wantErr: `"yesterday" is not a timestamp in ISO 8601`},
		{name: "bad offset", spec: ts, in: "2024-03-05T10:20:30+1", wantErr: "not a timestamp"},
		{name: "bad hour", spec: ts, in: "2024-03-05T25:20", wantErr: "not a timestamp"},
		{name: "typed", spec: ts, colType: pipeline.TypeTimestamp, in: time.Date(2024, 3, 5, 12, 0, 0, 0, time.FixedZone("x", 7200)), want: at(10, 0, 0, 0)},
		{name: "bool", spec: ts, colType: pipeline.TypeString, in: true, wantErr: "a bool value cannot become timestamp"},
	})
}

func TestCoerceBytes(t *testing.T) {
	b := FieldSpec{Type: "bytes"}
	runCoerceCases(t, []coerceCase{
		{name: "text", spec: b, in: " ab ", want: []byte("ab")},
		{name: "bytes", spec: b, colType: pipeline.TypeBytes, in: []byte{0xff, 0}, want: []byte{0xff, 0}},
		{name: "int", spec: b, colType: pipeline.TypeInteger, in: int64(3), want: []byte("3")},
	})
}

func TestDefaultCoercedAtCompile(t *testing.T) {
	m, err := Compile(Spec{Fields: []FieldSpec{{Name: "p", From: "in", Type: "decimal", Default: sc("$1,5"), Strip: "$", Replace: Replacements{{",", "."}}}}},
		[]pipeline.Column{{Name: "in"}})
	if err != nil {
		t.Fatal(err)
	}
	if d := m.fields[0].def.(decimal.Decimal); d.String() != "1.5" || d.Exponent() != -2 {
		t.Fatalf("default = %v", d)
	}
}

func TestTitleCase(t *testing.T) {
	for in, want := range map[string]string{"": "", "élan vital": "Élan Vital", "ACME co. (ltd)": "Acme Co. (Ltd)", "3d printer": "3d Printer", "rock’n’roll band": "Rock’n’roll Band"} {
		if got := titleCase(in); got != want {
			t.Errorf("titleCase(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsNumber(t *testing.T) {
	for s, want := range map[string]bool{
		"1": true, "-1": true, "+1.5": true, ".5": true, "5.": true, "1e5": true, "1E-5": true,
		"": false, "-": false, ".": false, "e5": false, "1e": false, "1e+": false, "1.2.3": false,
		"1_000": false, "0x1f": false, "1 2": false, "--1": false, "Inf": false,
	} {
		if got := isNumber(s); got != want {
			t.Errorf("isNumber(%q) = %v", s, got)
		}
	}
}

// FuzzCoerce feeds arbitrary text to every type's coercion: it must never
// panic, and must return either a value of the field's Go type, null, or a
// message.
func FuzzCoerce(f *testing.F) {
	for _, s := range []string{"", " 12 ", "-1.5e3", "12,5", "$1,234.50", "1e999999", "1e-99999", "yes", "2024-03-05",
		"2024-03-05T10:20:30.5+01:00", "31/12/2024", "9223372036854775808", "NaN", "\xff", "1.2.3", "2024-03-05 10:20 +0100"} {
		f.Add(s)
	}
	specs := []FieldSpec{
		{Type: "string", Case: "title", Replace: Replacements{{"a", "b"}}},
		{Type: "integer", Strip: "$, "},
		{Type: "decimal", Scale: ptr(2), Precision: ptr(10), Strip: "$€, "},
		{Type: "decimal", Scale: ptr(0), Precision: ptr(1)},
		{Type: "float"},
		{Type: "bool"},
		{Type: "date", Formats: []string{"02/01/2006"}},
		{Type: "timestamp", Timezone: "Europe/Berlin", Formats: []string{"2006-01-02 15:04"}},
		{Type: "bytes"},
	}
	coercers := make([]*coercer, len(specs))
	for i, s := range specs {
		coercers[i] = coercerFor(f, s, pipeline.TypeString)
	}
	f.Fuzz(func(t *testing.T, s string) {
		arena := new(box.Arena)
		for _, c := range coercers {
			v, msg := c.coerce(s, nil)
			if boxed, boxedMsg := c.coerce(s, arena); boxedMsg != msg || !reflect.DeepEqual(boxed, v) {
				t.Fatalf("%s: coerce(%q) = %#v, %q; from an arena %#v, %q", c.typ, s, v, msg, boxed, boxedMsg)
			}
			if msg != "" {
				if v != nil {
					t.Fatalf("%s: value %v with message %q", c.typ, v, msg)
				}
				continue
			}
			if v == nil {
				continue
			}
			var ok bool
			switch c.typ {
			case pipeline.TypeString:
				_, ok = v.(string)
			case pipeline.TypeInteger:
				_, ok = v.(int64)
			case pipeline.TypeFloat:
				_, ok = v.(float64)
			case pipeline.TypeDecimal:
				var d decimal.Decimal
				d, ok = v.(decimal.Decimal)
				ok = ok && d.Exponent() == -int32(c.scale) && (d.IsZero() || d.NumDigits() <= c.precision)
			case pipeline.TypeBool:
				_, ok = v.(bool)
			case pipeline.TypeDate:
				var tm time.Time
				tm, ok = v.(time.Time)
				ok = ok && tm.Equal(midnight(tm)) && tm.Location() == time.UTC
			case pipeline.TypeTimestamp:
				var tm time.Time
				tm, ok = v.(time.Time)
				ok = ok && tm.Location() == time.UTC
			case pipeline.TypeBytes:
				_, ok = v.([]byte)
			}
			if !ok {
				t.Fatalf("%s: coerce(%q) = %#v", c.typ, s, v)
			}
		}
	})
}
