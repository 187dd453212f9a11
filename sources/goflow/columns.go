package goflowsrc

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/etl-dev/etl/goflow"
	"github.com/etl-dev/etl/pipeline"
)

// Decimal columns are DECIMAL(DecimalPrecision, DecimalScale): Goflow
// sends amounts and quantities as JSON numbers of no stated precision; 8
// decimals hold any price, weight or exchange rate seen in its docs, and
// 16 digits before the point hold its schema's extremes (±10,000,000). A
// value with more decimals is not rounded: the row is rejected, naming it.
const (
	DecimalPrecision = 24
	DecimalScale     = 8
)

// column is one output column over items of type T.
type column[T any] struct {
	pipeline.Column
	// Path is the value's JSON path in the item ("summary.total.amount"),
	// for tests and docs; "" for computed columns.
	Path string
	get  func(*T) any
}

var (
	decimalType = reflect.TypeFor[goflow.Decimal]()
	timeType    = reflect.TypeFor[goflow.Time]()
)

// flatten returns a column for every scalar field reachable from T
// through nested structs (not slices: those are child tables), named by
// the JSON path in snake case joined by "_" after prefix. The columns
// follow the type, so the schema is the same on every run.
func flatten[T any](prefix string) []column[T] {
	var out []column[T]
	var walk func(t reflect.Type, idx []int, name, path string)
	walk = func(t reflect.Type, idx []int, name, path string) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag := strings.Split(f.Tag.Get("json"), ",")[0]
			if tag == "" || tag == "-" {
				continue
			}
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			fidx := append(append([]int(nil), idx...), i)
			fname, fpath := name+tag, path+tag
			if typ, ok := columnType(ft); ok {
				c := column[T]{Column: pipeline.Column{Name: fname, Type: typ}, Path: fpath, get: getter[T](fidx)}
				if typ == pipeline.TypeDecimal {
					c.Precision, c.Scale = DecimalPrecision, DecimalScale
				}
				out = append(out, c)
				continue
			}
			if ft.Kind() == reflect.Struct {
				walk(ft, fidx, fname+"_", fpath+".")
			}
		}
	}
	walk(reflect.TypeFor[T](), nil, prefix, "")
	return out
}

func columnType(t reflect.Type) (pipeline.Type, bool) {
	switch {
	case t == decimalType:
		return pipeline.TypeDecimal, true
	case t == timeType:
		return pipeline.TypeTimestamp, true
	}
	switch t.Kind() {
	case reflect.String:
		return pipeline.TypeString, true
	case reflect.Int64, reflect.Int:
		return pipeline.TypeInteger, true
	case reflect.Bool:
		return pipeline.TypeBool, true
	}
	return 0, false
}

// getter reads the field at idx, nil when a pointer on the way is nil.
func getter[T any](idx []int) func(*T) any {
	return func(item *T) any {
		v := reflect.ValueOf(item).Elem()
		for _, i := range idx {
			for v.Kind() == reflect.Pointer {
				if v.IsNil() {
					return nil
				}
				v = v.Elem()
			}
			v = v.Field(i)
		}
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return nil
			}
			v = v.Elem()
		}
		switch x := v.Interface().(type) {
		case goflow.Decimal:
			return x.Decimal
		case goflow.Time:
			return x.Time.UTC().Truncate(time.Microsecond)
		case string:
			return x
		case int64:
			return x
		case int:
			return int64(x)
		case bool:
			return x
		}
		panic(fmt.Sprintf("goflowsrc: no column value for %T", v.Interface()))
	}
}

// sub lifts the columns of a part of T (a line of a parent) onto T.
func sub[T, P any](cols []column[P], part func(*T) *P, pathPrefix string) []column[T] {
	out := make([]column[T], len(cols))
	for i, c := range cols {
		get := c.get
		out[i] = column[T]{Column: c.Column, Path: pathPrefix + c.Path, get: func(t *T) any {
			p := part(t)
			if p == nil {
				return nil
			}
			return get(p)
		}}
	}
	return out
}

// computed is a column whose value is computed from the item.
func computed[T any](name string, typ pipeline.Type, get func(*T) any) column[T] {
	c := column[T]{Column: pipeline.Column{Name: name, Type: typ}, get: get}
	if typ == pipeline.TypeDecimal {
		c.Precision, c.Scale = DecimalPrecision, DecimalScale
	}
	return c
}

// pick keeps the named columns, in that order; it panics on a name that
// is not there (tables are built at init and a test builds them all).
func pick[T any](cols []column[T], names ...string) []column[T] {
	var out []column[T]
	for _, n := range names {
		found := false
		for _, c := range cols {
			if c.Name == n {
				out = append(out, c)
				found = true
				break
			}
		}
		if !found {
			panic("goflowsrc: no column " + n)
		}
	}
	return out
}

// rename renames columns (old → new).
func rename[T any](cols []column[T], names map[string]string) []column[T] {
	out := append([]column[T](nil), cols...)
	for i := range out {
		if n, ok := names[out[i].Name]; ok {
			out[i].Name = n
		}
	}
	return out
}

// values reads a record of T.
func values[T any](cols []column[T], item *T) []any {
	vals := make([]any, len(cols))
	for i, c := range cols {
		vals[i] = c.get(item)
	}
	return vals
}

func pipelineColumns[T any](cols []column[T]) []pipeline.Column {
	out := make([]pipeline.Column, len(cols))
	for i, c := range cols {
		out[i] = c.Column
	}
	return out
}
