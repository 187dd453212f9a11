package inventorasink

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/internal/suggest"
	"github.com/etl-dev/etl/inventora"
	"github.com/etl-dev/etl/pipeline"
)

// kind is the kind of value a field takes.
type kind int

const (
	kText kind = iota
	kDecimal
	kList // whitespace-separated (reorder_urls)
	kTime
)

type fieldDef struct {
	name string
	kind kind
	doc  string
}

// resourceFields are the fields of products and materials: the API's
// names in snake_case, plus location and quantity for stock.
var resourceFields = []fieldDef{
	{"id", kText, "the record's id (a match key only; ids cannot change)"},
	{"sku", kText, "SKU"},
	{"name", kText, "name"},
	{"unit_type", kText, "unit type: pieces, cases, weight.kg, ... (bundles is read-only)"},
	{"unit_price", kDecimal, "unit price (cost); Inventora refuses it once stock history ties it"},
	{"retail_price", kDecimal, "retail price"},
	{"wholesale_price", kDecimal, "wholesale price"},
	{"ean", kText, "EAN barcode"},
	{"min_level", kDecimal, "minimum stock level"},
	{"minimum_quantity", kDecimal, "minimum order quantity"},
	{"notes", kText, "notes"},
	{"reorder_urls", kList, "reorder URLs, separated by spaces or line breaks"},
	{"location", kText, "location name of the row's stock"},
	{"quantity", kDecimal, "stock at the location (stock.mode set) or to add (add)"},
}

// taskFields are the fields of entity tasks: one row per task item, rows
// grouped into tasks by task.
var taskFields = []fieldDef{
	{"task", kText, "task name: rows with the same task name make one task (required)"},
	{"sku", kText, "SKU of the product to produce (required)"},
	{"quantity", kDecimal, "quantity to produce, > 0 (required)"},
	{"unit_type", kText, "unit type of the item (default pieces)"},
	{"location", kText, "location name where the task is done"},
	{"assignee", kText, "user id or e-mail address"},
	{"due", kTime, "due date (ISO 8601)"},
	{"notes", kText, "task notes"},
	{"status", kText, "pending (default), in-progress or done"},
}

// bound is a schema field the sink uses.
type bound struct {
	def   fieldDef
	index int
}

// bindFields checks the mapping's fields against the entity's: an unknown
// field is an error naming the closest known one, a type that cannot feed
// the field names the type to map.
func bindFields(defs []fieldDef, schema pipeline.Schema, entity string) (map[string]bound, error) {
	var names []string
	for _, d := range defs {
		names = append(names, d.name)
	}
	out := map[string]bound{}
	var errs []string
	for i, f := range schema {
		j := slices.IndexFunc(defs, func(d fieldDef) bool { return d.name == f.Name })
		if j < 0 {
			errs = append(errs, fmt.Sprintf("field %q is not a field of Inventora %s%s; the fields are %s", f.Name, entity, hint(f.Name, names), strings.Join(names, ", ")))
			continue
		}
		d := defs[j]
		switch {
		case d.kind == kDecimal && f.Type != pipeline.TypeDecimal && f.Type != pipeline.TypeInteger && f.Type != pipeline.TypeString && f.Type != pipeline.TypeFloat:
			errs = append(errs, fmt.Sprintf("field %s takes a number: map it as decimal, not %s", f.Name, f.Type))
		case d.kind == kTime && f.Type != pipeline.TypeTimestamp && f.Type != pipeline.TypeDate && f.Type != pipeline.TypeString:
			errs = append(errs, fmt.Sprintf("field %s takes a date: map it as timestamp, date or string, not %s", f.Name, f.Type))
		case (d.kind == kText || d.kind == kList) && f.Type == pipeline.TypeBytes:
			errs = append(errs, fmt.Sprintf("field %s takes text, not bytes", f.Name))
		}
		out[f.Name] = bound{def: d, index: i}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("inventora sink: %s", strings.Join(errs, "; "))
	}
	return out, nil
}

func hint(name string, names []string) string {
	if h := suggest.Hint(name, names); h != "" {
		return " (" + h + ")"
	}
	return ""
}

// cells reads a row's bound values: nil for an empty cell (which leaves the
// stored value alone), and a problem for a cell that cannot be a value of
// its field.
type cells struct {
	row      *pipeline.Row
	fields   map[string]bound
	problems []pipeline.Problem
}

func (c *cells) bad(field, value, msg string) {
	c.problems = append(c.problems, pipeline.Problem{Origin: c.row.Origin, Field: field, Value: value, Rule: "inventora", Message: msg})
}

func (c *cells) raw(name string) any {
	b, ok := c.fields[name]
	if !ok || b.index >= len(c.row.Values) {
		return nil
	}
	return c.row.Values[b.index]
}

// text returns a trimmed text cell, nil when empty.
func (c *cells) text(name string) *string {
	v := c.raw(name)
	var s string
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		s = x
	case decimal.Decimal:
		s = x.String()
	case int64:
		s = strconv.FormatInt(x, 10)
	case float64:
		s = strconv.FormatFloat(x, 'f', -1, 64)
	default:
		s = fmt.Sprint(x)
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	return &s
}

// number returns a decimal cell, nil when empty.
func (c *cells) number(name string) *inventora.Decimal {
	v := c.raw(name)
	switch x := v.(type) {
	case nil:
		return nil
	case decimal.Decimal:
		d := inventora.NewDecimal(x)
		return &d
	case int64:
		d := inventora.DecimalFromInt(x)
		return &d
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			c.bad(name, fmt.Sprint(x), name+" must be a number")
			return nil
		}
		d := inventora.NewDecimal(decimal.NewFromFloat(x))
		return &d
	case string:
		s := strings.TrimSpace(x)
		if s == "" {
			return nil
		}
		d, err := inventora.ParseDecimal(strings.ReplaceAll(s, ",", ""))
		if err != nil {
			c.bad(name, s, fmt.Sprintf("%s must be a number, not %q", name, s))
			return nil
		}
		return &d
	}
	c.bad(name, fmt.Sprint(v), name+" must be a number")
	return nil
}

// list returns a whitespace-separated list cell, nil when empty.
func (c *cells) list(name string) []string {
	s := c.text(name)
	if s == nil {
		return nil
	}
	return strings.Fields(*s)
}

// when returns a date cell, nil when empty.
func (c *cells) when(name string) *time.Time {
	switch x := c.raw(name).(type) {
	case nil:
		return nil
	case time.Time:
		t := x.UTC()
		return &t
	}
	s := c.text(name)
	if s == nil {
		return nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, *s); err == nil {
			t = t.UTC()
			return &t
		}
	}
	c.bad(name, *s, fmt.Sprintf("%s must be an ISO 8601 date such as 2026-03-15 or 2026-03-15T10:00:00Z, not %q", name, *s))
	return nil
}
