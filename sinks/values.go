package sinks

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/pipeline"
)

// errClosed is returned by Write and Close after Close or Abort.
var errClosed = errors.New("sink already closed")

// checkSchema rejects schemas no file sink can write: no fields, empty or
// duplicate names, unknown types, impossible decimal sizes.
func checkSchema(schema pipeline.Schema) error {
	if len(schema) == 0 {
		return errors.New("the mapping gives no fields to write")
	}
	seen := make(map[string]bool, len(schema))
	for i, f := range schema {
		switch {
		case f.Name == "":
			return fmt.Errorf("field %d has no name", i+1)
		case seen[f.Name]:
			return fmt.Errorf("field %s appears twice: give each field its own name", f.Name)
		case f.Type < pipeline.TypeString || f.Type > pipeline.TypeBytes:
			return fmt.Errorf("field %s: unknown type %v", f.Name, f.Type)
		}
		seen[f.Name] = true
		if f.Type == pipeline.TypeDecimal {
			if f.Precision < 0 || f.Scale < 0 {
				return fmt.Errorf("field %s: decimal precision and scale cannot be negative (got %d, %d)", f.Name, f.Precision, f.Scale)
			}
			if f.Precision > 0 && f.Scale > f.Precision {
				return fmt.Errorf("field %s: decimal scale %d is more than its precision %d: a decimal(p, s) has p digits of which s after the point", f.Name, f.Scale, f.Precision)
			}
		}
	}
	return nil
}

// checkWrite is the common start of Write: the sink is open and ctx live.
func checkWrite(ctx context.Context, closed bool) error {
	if closed {
		return errClosed
	}
	return ctx.Err()
}

// goTypeOf names the Go type that carries values of t, for messages.
func goTypeOf(t pipeline.Type) string {
	switch t {
	case pipeline.TypeString:
		return "string"
	case pipeline.TypeInteger:
		return "int64"
	case pipeline.TypeFloat:
		return "float64"
	case pipeline.TypeDecimal:
		return "decimal.Decimal"
	case pipeline.TypeBool:
		return "bool"
	case pipeline.TypeDate, pipeline.TypeTimestamp:
		return "time.Time"
	case pipeline.TypeBytes:
		return "[]byte"
	}
	return t.String()
}

// valueText renders v for Problem.Value, cut to a readable length.
func valueText(v any) string {
	var s string
	switch v := v.(type) {
	case string:
		s = v
	case decimal.Decimal:
		s = v.String()
	case time.Time:
		s = v.Format(time.RFC3339Nano)
	default:
		s = fmt.Sprint(v)
	}
	const max = 200
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// failures collects the rows of a batch that fail on their own.
type failures map[int]pipeline.Problem

func (fs *failures) add(i int, p pipeline.Problem) {
	if *fs == nil {
		*fs = failures{}
	}
	(*fs)[i] = p
}

// err returns the *pipeline.BatchError for the collected rows, or nil.
func (fs failures) err() error {
	if len(fs) == 0 {
		return nil
	}
	return &pipeline.BatchError{Failed: fs}
}

func typeProblem(row *pipeline.Row, f *pipeline.Field, v any) pipeline.Problem {
	return pipeline.Problem{
		Origin: row.Origin, Field: f.Name, Value: valueText(v), Rule: "type",
		Message: fmt.Sprintf("the sink expects a %s field to hold a Go %s but got %T (a bug in the mapping, please report it)",
			f.Type, goTypeOf(f.Type), v),
	}
}

func requiredProblem(row *pipeline.Row, f *pipeline.Field) pipeline.Problem {
	return pipeline.Problem{
		Origin: row.Origin, Field: f.Name, Rule: "required",
		Message: "the field is required but the row has no value for it",
	}
}

func widthProblem(row *pipeline.Row, schema pipeline.Schema) pipeline.Problem {
	return pipeline.Problem{
		Origin: row.Origin, Rule: "type",
		Message: fmt.Sprintf("the row has %d values for %d fields (a bug in the mapping, please report it)",
			len(row.Values), len(schema)),
	}
}

// decFault says why a decimal does not fit a field.
type decFault uint8

const (
	decOK        decFault = iota
	decScale              // more decimal places than the scale
	decPrecision          // more digits than the precision
)

func decimalProblem(row *pipeline.Row, f *pipeline.Field, d decimal.Decimal, fault decFault, precision int) pipeline.Problem {
	p := pipeline.Problem{Origin: row.Origin, Field: f.Name, Value: d.String()}
	switch fault {
	case decScale:
		p.Rule = "scale"
		p.Message = fmt.Sprintf("the value has more than %d decimal places: round it in the mapping or raise the field's scale", f.Scale)
	default:
		p.Rule = "precision"
		p.Message = fmt.Sprintf("the value does not fit decimal(%d, %d), whose largest value is %s: raise the field's precision",
			precision, f.Scale, maxDecimal(precision, f.Scale))
	}
	return p
}

// maxDecimal is the largest value of decimal(p, s) as text.
func maxDecimal(p, s int) string {
	ip := strings.Repeat("9", p-s)
	if ip == "" {
		ip = "0"
	}
	if s == 0 {
		return ip
	}
	return ip + "." + strings.Repeat("9", s)
}

var pow10 = [...]int64{
	1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
	1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
}

// unscaled returns d × 10^scale as an integer, in small when it fits an
// int64 and big otherwise (big is nil then). The value must not need
// rounding (decScale) nor have more than precision digits (decPrecision);
// precision 0 means no limit. The common case (a coefficient of at most 18
// digits) allocates nothing.
func unscaled(d decimal.Decimal, precision, scale int) (small int64, bigv *big.Int, fault decFault) {
	exp := int(d.Exponent())
	shift := scale + exp // multiply the coefficient by 10^shift
	digits := d.NumDigits()
	if digits <= 18 {
		c := d.CoefficientInt64()
		switch {
		case c == 0:
			return 0, nil, decOK
		case shift < 0:
			k := -shift
			if k > 18 || c%pow10[k] != 0 {
				return 0, nil, decScale
			}
			c /= pow10[k]
		case shift > 0:
			if digits+shift > 18 {
				return unscaledBig(d, precision, shift, digits)
			}
			c *= pow10[shift]
		}
		if precision > 0 && precision <= 18 && (c >= pow10[precision] || c <= -pow10[precision]) {
			return 0, nil, decPrecision
		}
		return c, nil, decOK
	}
	return unscaledBig(d, precision, shift, digits)
}

func unscaledBig(d decimal.Decimal, precision, shift, digits int) (int64, *big.Int, decFault) {
	c := d.Coefficient()
	if c.Sign() == 0 {
		return 0, nil, decOK
	}
	switch {
	case shift < 0:
		k := -shift
		if k >= digits {
			return 0, nil, decScale
		}
		var r big.Int
		c.QuoRem(c, bigPow10(k), &r)
		if r.Sign() != 0 {
			return 0, nil, decScale
		}
	case shift > 0:
		if precision > 0 && digits+shift > precision {
			return 0, nil, decPrecision
		}
		c.Mul(c, bigPow10(shift))
	}
	if precision > 0 && c.CmpAbs(bigPow10(precision)) >= 0 {
		return 0, nil, decPrecision
	}
	if c.IsInt64() {
		return c.Int64(), nil, decOK
	}
	return 0, c, decOK
}

func bigPow10(n int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

// appendDecimal appends d as text with exactly f.Scale decimal places, or,
// when the field has neither precision nor scale, exactly as d is (no
// exponent, its own decimal places).
func appendDecimal(buf []byte, d decimal.Decimal, f *pipeline.Field) ([]byte, decFault) {
	scale := f.Scale
	if f.Precision == 0 && f.Scale == 0 {
		scale = max(0, -int(d.Exponent()))
	}
	small, bigv, fault := unscaled(d, f.Precision, scale)
	if fault != decOK {
		return buf, fault
	}
	if bigv != nil {
		return append(buf, d.StringFixed(int32(scale))...), decOK
	}
	return appendUnscaled(buf, small, scale), decOK
}

// appendUnscaled appends v × 10^-scale as text with scale decimal places.
func appendUnscaled(buf []byte, v int64, scale int) []byte {
	if scale == 0 {
		return strconv.AppendInt(buf, v, 10)
	}
	var tmp [24]byte
	digits := strconv.AppendUint(tmp[:0], absUint(v), 10)
	if v < 0 {
		buf = append(buf, '-')
	}
	if len(digits) <= scale {
		buf = append(buf, '0', '.')
		for range scale - len(digits) {
			buf = append(buf, '0')
		}
		return append(buf, digits...)
	}
	ip := len(digits) - scale
	buf = append(buf, digits[:ip]...)
	buf = append(buf, '.')
	return append(buf, digits[ip:]...)
}

func absUint(v int64) uint64 {
	if v < 0 {
		return uint64(-(v + 1)) + 1
	}
	return uint64(v)
}

const (
	dateLayout      = "2006-01-02"
	timestampLayout = "2006-01-02T15:04:05.999999Z07:00"
)

// appendDate appends the calendar date of t as YYYY-MM-DD.
func appendDate(buf []byte, t time.Time) []byte { return t.AppendFormat(buf, dateLayout) }

// appendTimestamp appends t in UTC as RFC 3339 with at most microseconds,
// trailing zeros (and a bare point) trimmed.
func appendTimestamp(buf []byte, t time.Time) []byte {
	return t.UTC().AppendFormat(buf, timestampLayout)
}

// appendFloat appends f in the shortest form that parses back to f, with
// an exponent only for very small or large magnitudes (as encoding/json).
func appendFloat(buf []byte, f float64) []byte {
	format := byte('f')
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	return strconv.AppendFloat(buf, f, format, -1, 64)
}

// formulaLike reports whether a spreadsheet app would take s, typed into a
// cell or read from a CSV file, as a formula.
func formulaLike[T string | []byte](s T) bool {
	if len(s) == 0 {
		return false
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

func appendInt(b []byte, v int64) []byte { return strconv.AppendInt(b, v, 10) }

func appendBool(b []byte, v bool) []byte { return strconv.AppendBool(b, v) }
