package inflowsrc

import (
	"fmt"
	"reflect"
	"strings"
	"time"
	"unicode"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/inflow"
	"github.com/etl-dev/etl/pipeline"
)

// Decimal columns are DECIMAL(DecimalPrecision, DecimalScale): inFlow answers
// every money and quantity value with five decimal places ("19.99000"), and
// 18 digits keep the values in a Parquet INT64 with 13 digits before the
// point.
const (
	DecimalPrecision = 18
	DecimalScale     = 5
)

// column is one output column of a table over items of type T: its name and
// type, and how to read its value from an item.
type column[T any] struct {
	pipeline.Column
	// jsonPath is the JSON path the value is read from; "" for computed
	// columns.
	jsonPath string
	// get returns the value (typed as Column.Type says, or nil) or a
	// problem that keeps the record out.
	get func(*T) (any, string)
}

// cols builds the column list of a table over T. Columns named by a JSON
// path ("billingAddress.city") take their type from the Go type of the
// field in package inflow, so the schema follows the entity type and never
// the data.
type cols[T any] struct {
	list []column[T]
}

// path adds a column read from a JSON path of T (json tag names, dotted
// through nested structs and pointers). It panics on a path that does not
// exist or a field type that has no column type: the tables are fixed at
// init and a test builds every one of them.
func (c *cols[T]) path(name, jsonPath string) *cols[T] {
	t := reflect.TypeFor[T]()
	idx, ft := resolvePath(t, jsonPath)
	typ, conv := converter(ft)
	if conv == nil {
		panic(fmt.Sprintf("inflowsrc: %s.%s has type %s, which has no column type", t.Name(), jsonPath, ft))
	}
	c.add(name, typ, func(item *T) (any, string) {
		v := reflect.ValueOf(item).Elem()
		for _, i := range idx {
			for v.Kind() == reflect.Pointer {
				if v.IsNil() {
					return nil, ""
				}
				v = v.Elem()
			}
			v = v.Field(i)
		}
		return conv(v)
	})
	c.list[len(c.list)-1].jsonPath = jsonPath
	return c
}

// paths adds one column per path, named after the path's last segment in
// snake_case with prefix before it ("billing_" + "postalCode" →
// billing_postal_code).
func (c *cols[T]) paths(prefix, base string, fields ...string) *cols[T] {
	for _, f := range fields {
		p := f
		if base != "" {
			p = base + "." + f
		}
		c.path(prefix+snake(f), p)
	}
	return c
}

// address adds the eight columns of an inflow.Address at jsonPath:
// address1, address2, city, state, postal_code, country, address_type and
// address_remarks, each after prefix.
func (c *cols[T]) address(prefix, jsonPath string) *cols[T] {
	c.paths(prefix, jsonPath, "address1", "address2", "city", "state", "postalCode", "country", "addressType")
	return c.path(prefix+"address_remarks", jsonPath+".remarks")
}

// custom adds custom1 ... custom10 from the customFields at jsonPath.
func (c *cols[T]) custom(jsonPath string) *cols[T] {
	for i := 1; i <= 10; i++ {
		c.path(fmt.Sprintf("custom%d", i), fmt.Sprintf("%s.custom%d", jsonPath, i))
	}
	return c
}

// quantity adds the columns of a QuantityWithUom: the quantity in the
// product's standard unit, the unit shown on the document and the quantity
// in it, and the serial numbers.
func (c *cols[T]) quantity(prefix, jsonPath string) *cols[T] {
	c.path(prefix+"quantity", jsonPath+".standardQuantity")
	c.path(prefix+"uom", jsonPath+".uom")
	c.path(prefix+"uom_quantity", jsonPath+".uomQuantity")
	c.path(prefix+"serial_numbers", jsonPath+".serialNumbers")
	return c
}

// discount adds <prefix>_is_percent and <prefix>_value of a
// PercentOrFixedAmount.
func (c *cols[T]) discount(prefix, jsonPath string) *cols[T] {
	c.path(prefix+"_is_percent", jsonPath+".isPercent")
	c.path(prefix+"_value", jsonPath+".value")
	return c
}

// fn adds a computed column.
func (c *cols[T]) fn(name string, typ pipeline.Type, get func(*T) any) *cols[T] {
	c.add(name, typ, func(item *T) (any, string) {
		v := get(item)
		if d, ok := v.(decimal.Decimal); ok {
			return checkDecimal(d)
		}
		return v, ""
	})
	return c
}

func (c *cols[T]) add(name string, typ pipeline.Type, get func(*T) (any, string)) {
	for _, x := range c.list {
		if x.Name == name {
			panic("inflowsrc: column " + name + " appears twice")
		}
	}
	col := pipeline.Column{Name: name, Type: typ}
	if typ == pipeline.TypeDecimal {
		col.Precision, col.Scale = DecimalPrecision, DecimalScale
	}
	c.list = append(c.list, column[T]{Column: col, get: get})
}

// columns returns the pipeline columns.
func (c *cols[T]) columns() []pipeline.Column {
	out := make([]pipeline.Column, len(c.list))
	for i, x := range c.list {
		out[i] = x.Column
	}
	return out
}

// jsonPaths returns each column's JSON path ("" for computed columns).
func (c *cols[T]) jsonPaths() []string {
	out := make([]string, len(c.list))
	for i, x := range c.list {
		out[i] = x.jsonPath
	}
	return out
}

// values reads one item. Problems name the column and the value.
func (c *cols[T]) values(item *T, origin pipeline.Origin) ([]any, []pipeline.Problem) {
	vals := make([]any, len(c.list))
	var problems []pipeline.Problem
	for i, x := range c.list {
		v, why := x.get(item)
		if why != "" {
			problems = append(problems, pipeline.Problem{Origin: origin, Column: x.Name, Rule: "type", Message: why})
			continue
		}
		vals[i] = v
	}
	return vals, problems
}

// resolvePath finds the field indexes of a dotted JSON path in t.
func resolvePath(t reflect.Type, jsonPath string) ([]int, reflect.Type) {
	var idx []int
	ft := t
	for _, seg := range strings.Split(jsonPath, ".") {
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() != reflect.Struct {
			panic(fmt.Sprintf("inflowsrc: %s: %q is not inside a struct", t.Name(), jsonPath))
		}
		found := false
		for i := 0; i < ft.NumField(); i++ {
			f := ft.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == seg {
				idx = append(idx, i)
				ft = f.Type
				found = true
				break
			}
		}
		if !found {
			panic(fmt.Sprintf("inflowsrc: %s has no field %q (in %q)", t.Name(), seg, jsonPath))
		}
	}
	return idx, ft
}

var (
	decimalType  = reflect.TypeFor[inflow.Decimal]()
	dateTimeType = reflect.TypeFor[inflow.DateTime]()
	timeType     = reflect.TypeFor[time.Time]()
)

// converter returns the column type of values of Go type t and how to read
// them; conv is nil when t has no column type.
func converter(t reflect.Type) (pipeline.Type, func(reflect.Value) (any, string)) {
	ptr := t.Kind() == reflect.Pointer
	base := t
	if ptr {
		base = t.Elem()
	}
	deref := func(f func(reflect.Value) (any, string)) func(reflect.Value) (any, string) {
		if !ptr {
			return f
		}
		return func(v reflect.Value) (any, string) {
			if v.IsNil() {
				return nil, ""
			}
			return f(v.Elem())
		}
	}
	switch {
	case base == decimalType:
		return pipeline.TypeDecimal, deref(func(v reflect.Value) (any, string) {
			return checkDecimal(v.Interface().(inflow.Decimal).Decimal)
		})
	case base == dateTimeType:
		return pipeline.TypeTimestamp, deref(func(v reflect.Value) (any, string) {
			t := v.Interface().(inflow.DateTime).Time
			if t.IsZero() {
				return nil, ""
			}
			return t.UTC(), ""
		})
	case base == timeType:
		return pipeline.TypeTimestamp, deref(func(v reflect.Value) (any, string) {
			t := v.Interface().(time.Time)
			if t.IsZero() {
				return nil, ""
			}
			return t.UTC(), ""
		})
	case base.Kind() == reflect.String:
		// Plain strings (ids, row versions) are null when empty: inFlow
		// leaves them out rather than sending "". Optional text (*string)
		// keeps "" as it was sent. Enums come normalised by the client.
		return pipeline.TypeString, deref(func(v reflect.Value) (any, string) {
			s := v.String()
			if !ptr && s == "" {
				return nil, ""
			}
			return s, ""
		})
	case base.Kind() == reflect.Bool:
		return pipeline.TypeBool, deref(func(v reflect.Value) (any, string) { return v.Bool(), "" })
	case base.Kind() >= reflect.Int && base.Kind() <= reflect.Int64:
		return pipeline.TypeInteger, deref(func(v reflect.Value) (any, string) { return v.Int(), "" })
	case base.Kind() == reflect.Slice && base.Elem().Kind() == reflect.String && !ptr:
		// Serial numbers: one text value, in the document's order.
		return pipeline.TypeString, func(v reflect.Value) (any, string) {
			if v.Len() == 0 {
				return nil, ""
			}
			return strings.Join(v.Interface().([]string), SerialSeparator), ""
		}
	}
	return 0, nil
}

// SerialSeparator joins the serial numbers of one line in the
// serial_numbers column of line tables. The serial_history table has one
// row per serial.
const SerialSeparator = ", "

// maxUnscaled is the largest unscaled value of DECIMAL(18, 5).
var maxUnscaled = decimal.New(1, DecimalPrecision)

// checkDecimal returns d when DECIMAL(18,5) holds it exactly, else says
// why not: a value is never rounded on its way out.
func checkDecimal(d decimal.Decimal) (any, string) {
	if d.Exponent() < -DecimalScale {
		if r := d.Round(DecimalScale); !r.Equal(d) {
			return nil, fmt.Sprintf("%s has more than %d decimal places, more than DECIMAL(%d,%d) holds; it is not rounded", d, DecimalScale, DecimalPrecision, DecimalScale)
		}
		d = d.Round(DecimalScale)
	}
	if d.Shift(DecimalScale).Abs().Cmp(maxUnscaled) >= 0 {
		return nil, fmt.Sprintf("%s has more than %d digits before the decimal point, more than DECIMAL(%d,%d) holds", d, DecimalPrecision-DecimalScale, DecimalPrecision, DecimalScale)
	}
	return d, ""
}

// snake turns a JSON property name into a column name: postalCode →
// postal_code, tax1Rate → tax1_rate, hsTariffNumber → hs_tariff_number.
func snake(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if unicode.IsUpper(r) {
			if i > 0 && (unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]) ||
				(i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1]))) {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
