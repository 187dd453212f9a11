package mappings

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/expr-lang/expr/vm"
	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/internal/box"
	"github.com/etl-dev/etl/internal/suggest"
	"github.com/etl-dev/etl/pipeline"
)

// Mapping is a compiled Spec. It is immutable: Map is safe for concurrent
// use, and one Mapping serves any number of runs over sources with the
// columns it was compiled for.
type Mapping struct {
	columns   []pipeline.Column
	schema    pipeline.Schema
	fields    []*field
	rules     []*rule
	unique    []*rule
	skipIf    *program
	skipEarly bool // skip_if uses src only: test it before mapping
	usesSrc   bool // some expression reads src
	needEnv   bool // some expression reads fields
}

var _ pipeline.BatchMapper = (*Mapping)(nil)

type field struct {
	name     string
	index    int
	col      int // source column; -1 for a computed field
	column   string
	ref      string
	co       *coercer
	prog     *program // computed fields
	def      any
	hasDef   bool
	required bool
}

type rule struct {
	index      int
	field      int // -1: none
	required   bool
	pattern    *regexp.Regexp
	fixed      *fixedPattern   // pattern's shortcut, nil when it has none
	enum       map[string]bool // by valueKey
	enumList   []string
	min, max   any // decimal.Decimal or time.Time
	minAt      any // min at a decimal field's scale (atScale)
	maxAt      any
	minLen     int // -1: unset
	maxLen     int
	unique     bool
	ignoreCase bool
	prog       *program
	message    string
}

// program is a compiled expression with the fields it uses.
type program struct {
	prog *vm.Program
	src  string
	deps []int
}

var vms = sync.Pool{New: func() any { return new(vm.VM) }}

// run evaluates the program; expr-lang turns panics into errors.
func (p *program) run(env map[string]any) (any, error) {
	m := vms.Get().(*vm.VM)
	out, err := m.Run(p.prog, env)
	vms.Put(m)
	return out, err
}

func (p *program) test(env map[string]any) (bool, error) {
	out, err := p.run(env)
	if err != nil {
		return false, err
	}
	b, ok := out.(bool)
	if !ok {
		return false, fmt.Errorf("the expression gave %v, not true or false", out)
	}
	return b, nil
}

// Schema is the layout of mapped rows: the fields in spec order. Decimal
// fields carry their precision and scale (defaults 18 and 2); a field is
// Required when a `required: true` rule targets it.
func (m *Mapping) Schema() pipeline.Schema { return append(pipeline.Schema(nil), m.schema...) }

// Map maps and validates one record (see pipeline.Mapper). A record that
// already has Problems is rejected with them, unmapped. Otherwise:
//
//  1. skip_if is tested first when it only reads src;
//  2. every field is read and coerced, or computed, in spec order; a value
//     that cannot be coerced is a "type" problem, an expression that fails
//     an "expr" problem, and the field is null for what follows; a computed
//     field that uses a field in error is left null without a problem of
//     its own; a null value takes the field's default;
//  3. skip_if, when it reads fields, is tested now: a matching record is
//     skipped even if some of its cells were bad;
//  4. every rule is checked (except unique, see OrderedCheck); rules on a
//     field in error, and expr rules using one, are not checked, so each
//     bad cell is reported once.
//
// All problems of the record are returned, each naming origin, column,
// cell (column letter + row, e.g. "C12"), field, raw value, rule and a
// message with a fix.
func (m *Mapping) Map(rec pipeline.Record) (pipeline.Row, []pipeline.Problem, bool) {
	values := make([]any, len(m.fields))
	if problems, skip := m.mapRecord(&rec, nil, values); len(problems) > 0 || skip {
		return pipeline.Row{}, problems, skip
	}
	return pipeline.Row{Origin: rec.Origin, Values: values}, nil, false
}

// MapBatch maps recs[i] into out[i] exactly as Map(recs[i]) would (see
// pipeline.BatchMapper). The batch's rows box their values from a (a new
// arena when nil), and a row's values take the place of its record's when
// they fit (the record is the caller's, and done with once mapped), so
// that a good row costs no allocation of its own. It is safe for
// concurrent use as long as each call has its own arena.
func (m *Mapping) MapBatch(recs []pipeline.Record, out []pipeline.Mapped, a *box.Arena) {
	if a == nil {
		a = new(box.Arena)
	}
	n := len(m.fields)
	// The row is built aside, then moved in: the record's values are read
	// until the row is complete. On the stack when it fits, the scratch
	// row costs the collector nothing to write to.
	var stack [32]any
	scratch := stack[:0]
	if n > len(stack) {
		scratch = make([]any, n)
	}
	scratch = scratch[:n]
	for i := range recs {
		rec, o := &recs[i], &out[i]
		o.Problems, o.Skip = m.mapRecord(rec, a, scratch)
		if len(o.Problems) == 0 && !o.Skip {
			var dst []any
			if len(rec.Values) >= n {
				dst = rec.Values[:n:n]
			} else {
				dst = a.Values(n)
			}
			copy(dst, scratch)
			o.Row = pipeline.Row{Origin: rec.Origin, Values: dst}
		}
		clear(scratch)
	}
}

// mapRecord maps rec into values (zeroed, one per field), boxing them from
// a (nil: one allocation each), and returns the problems that reject the
// record or skip true when the filter leaves it out; values is a row only
// when neither. It does not change rec, and keeps no reference to values.
func (m *Mapping) mapRecord(rec *pipeline.Record, a *box.Arena, values []any) ([]pipeline.Problem, bool) {
	if len(rec.Problems) > 0 {
		return rec.Problems, false
	}
	var env map[string]any
	if m.needEnv || m.skipIf != nil {
		env = make(map[string]any, len(m.fields)+1)
		if m.usesSrc {
			env["src"] = m.srcEnv(rec.Values)
		}
	}
	var probs []pipeline.Problem
	if m.skipIf != nil && m.skipEarly {
		skip, err := m.skipIf.test(env)
		if err != nil {
			probs = append(probs, m.exprProblem(rec, nil, nil, "skip_if could not be evaluated", m.skipIf, env, err))
		} else if skip {
			return nil, true
		}
	}
	var bad []bool
	isBad := func(deps []int) bool {
		for _, d := range deps {
			if bad != nil && bad[d] {
				return true
			}
		}
		return false
	}
	markBad := func(i int) {
		if bad == nil {
			bad = make([]bool, len(m.fields))
		}
		bad[i] = true
	}
	for i, f := range m.fields {
		var v any
		switch {
		case f.prog == nil:
			raw := rawAt(rec.Values, f.col)
			var msg string
			if v, msg = f.co.coerce(raw, a); msg != "" {
				probs = append(probs, m.problem(rec, f, nil, "type", msg))
				markBad(i)
				v = nil
			}
		case isBad(f.prog.deps):
			markBad(i)
		default:
			out, err := f.prog.run(env)
			if err != nil {
				probs = append(probs, m.exprProblem(rec, f, nil, "the expression could not be evaluated", f.prog, env, err))
				markBad(i)
				break
			}
			var msg string
			if v, msg = f.co.coerce(out, a); msg != "" {
				probs = append(probs, m.problem(rec, f, out, "type", "the expression's result: "+msg))
				markBad(i)
				v = nil
			}
		}
		if v == nil && f.hasDef && (bad == nil || !bad[i]) {
			v = f.def
		}
		values[i] = v
		if env != nil {
			env[f.name] = exprValue(v)
		}
	}
	if m.skipIf != nil && !m.skipEarly {
		skip, err := m.skipIf.test(env)
		if err != nil {
			probs = append(probs, m.exprProblem(rec, nil, nil, "skip_if could not be evaluated", m.skipIf, env, err))
		} else if skip {
			return nil, true
		}
	}
	for _, r := range m.rules {
		var f *field
		if r.field >= 0 {
			f = m.fields[r.field]
			if bad != nil && bad[r.field] {
				continue
			}
			probs = m.checkField(probs, rec, r, f, values[r.field])
		}
		if r.prog != nil && !isBad(r.prog.deps) {
			ok, err := r.prog.test(env)
			var v any
			if f != nil {
				v = values[r.field]
			}
			switch {
			case err != nil:
				probs = append(probs, m.exprProblem(rec, f, v, "the rule could not be evaluated", r.prog, env, err))
			case !ok:
				msg := r.message
				if msg == "" {
					msg = "the row breaks the rule " + r.prog.src
				}
				probs = append(probs, m.problem(rec, f, v, "expr", msg))
			}
		}
	}
	if len(probs) > 0 {
		return probs, false
	}
	return nil, false
}

func rawAt(values []any, i int) any {
	if i < 0 || i >= len(values) {
		return nil
	}
	return values[i]
}

// srcEnv is src for expressions: raw values by column name (the first
// column of a name), exposed like fields.
func (m *Mapping) srcEnv(values []any) map[string]any {
	src := make(map[string]any, len(m.columns))
	for i, c := range m.columns {
		if _, dup := src[c.Name]; !dup {
			src[c.Name] = exprValue(normalize(rawAt(values, i)))
		}
	}
	return src
}

// exprValue is how expressions see a value: integers as int, decimals as
// float64, bytes as string.
func exprValue(v any) any {
	switch v := v.(type) {
	case int64:
		return int(v)
	case decimal.Decimal:
		return v.InexactFloat64()
	case []byte:
		return string(v)
	}
	return v
}

// checkField applies the field checks of r to the value v.
func (m *Mapping) checkField(probs []pipeline.Problem, rec *pipeline.Record, r *rule, f *field, v any) []pipeline.Problem {
	add := func(ruleName, msg string) {
		if r.message != "" {
			msg = r.message
		}
		probs = append(probs, m.problem(rec, f, v, ruleName, msg))
	}
	if v == nil {
		if r.required {
			msg := fmt.Sprintf("%s is required but empty: fill in the cell or give the field a default", f.name)
			if f.col >= 0 {
				if s, ok := rawAt(rec.Values, f.col).(string); ok && strings.TrimSpace(s) != "" {
					msg = fmt.Sprintf("%s is required, and %s counts as empty (null_if): fill in the cell or give the field a default", f.name, qs(strings.TrimSpace(s)))
				}
			}
			add("required", msg)
		}
		return probs
	}
	if s, ok := v.(string); ok {
		if r.pattern != nil && !r.matches(s) {
			msg := fmt.Sprintf("value %s does not match the pattern %s", qs(s), r.pattern)
			switch {
			case r.pattern.MatchString(strings.ToUpper(s)):
				msg += ` (it would in upper case: add case: upper to the field)`
			case r.pattern.MatchString(strings.ToLower(s)):
				msg += ` (it would in lower case: add case: lower to the field)`
			case r.pattern.MatchString(strings.TrimSpace(s)):
				msg += ` (it would without the surrounding spaces: remove trim: false)`
			}
			add("pattern", msg)
		}
		if r.minLen >= 0 || r.maxLen >= 0 {
			n := utf8.RuneCountInString(s)
			if r.minLen >= 0 && n < r.minLen {
				add("min_length", fmt.Sprintf("value %s is %d characters long; at least %d are required", qs(s), n, r.minLen))
			}
			if r.maxLen >= 0 && n > r.maxLen {
				add("max_length", fmt.Sprintf("value is %d characters long; at most %d are allowed: shorten it", n, r.maxLen))
			}
		}
	}
	if r.enum != nil && !r.enum[valueKey(v)] {
		shown := formatValue(v)
		msg := fmt.Sprintf("value %s is not one of %s", qs(shown), enumText(r.enumList))
		if c := suggest.Closest(shown, r.enumList); c != "" && len(shown) < 200 {
			if strings.EqualFold(c, shown) {
				msg += fmt.Sprintf(" (did you mean %q? the values are case-sensitive)", c)
			} else {
				msg += fmt.Sprintf(" (closest: %q)", c)
			}
		}
		add("enum", msg)
	}
	if r.min != nil || r.max != nil {
		lo, hi := r.min, r.max
		if d, ok := v.(decimal.Decimal); ok && f.co.typ == pipeline.TypeDecimal && d.Exponent() == -int32(f.co.scale) {
			lo, hi = r.minAt, r.maxAt // the same numbers, compared without rescaling
		}
		if below, above, ok := outside(v, lo, hi); ok {
			if below {
				add("min", fmt.Sprintf("value %s is below the minimum %s", formatValue(v), formatValue(r.min)))
			}
			if above {
				add("max", fmt.Sprintf("value %s is above the maximum %s", formatValue(v), formatValue(r.max)))
			}
		}
	}
	return probs
}

// matches reports whether s matches the rule's pattern.
func (r *rule) matches(s string) bool {
	if r.fixed != nil {
		return r.fixed.match(s)
	}
	return r.pattern.MatchString(s)
}

// outside compares v with the bounds (nil when unset).
func outside(v, lo, hi any) (below, above, ok bool) {
	switch v := v.(type) {
	case time.Time:
		if lo != nil && v.Before(lo.(time.Time)) {
			below = true
		}
		if hi != nil && v.After(hi.(time.Time)) {
			above = true
		}
		return below, above, true
	}
	var d decimal.Decimal
	switch n := v.(type) {
	case int64:
		d = decimal.NewFromInt(n)
	case float64:
		switch {
		case math.IsNaN(n):
			return false, false, false
		case math.IsInf(n, 1):
			return false, hi != nil, true
		case math.IsInf(n, -1):
			return lo != nil, false, true
		}
		d = decimal.NewFromFloat(n)
	case decimal.Decimal:
		d = n
	default:
		return false, false, false
	}
	if lo != nil && d.LessThan(lo.(decimal.Decimal)) {
		below = true
	}
	if hi != nil && d.GreaterThan(hi.(decimal.Decimal)) {
		above = true
	}
	return below, above, true
}

func enumText(list []string) string {
	const max = 20
	if len(list) <= max {
		return strings.Join(list, ", ")
	}
	return strings.Join(list[:max], ", ") + fmt.Sprintf(", … (%d more)", len(list)-max)
}

// problem builds a problem about field f (nil: the row as a whole). The
// value shown is the raw cell of a column field, or v for a computed one.
func (m *Mapping) problem(rec *pipeline.Record, f *field, v any, ruleName, msg string) pipeline.Problem {
	p := pipeline.Problem{Origin: rec.Origin, Rule: ruleName, Message: msg}
	if f == nil {
		return p
	}
	p.Field = f.name
	if f.col >= 0 {
		p.Column = f.column
		if f.ref != "" && rec.Origin.Row > 0 {
			p.Cell = f.ref + strconv.Itoa(rec.Origin.Row)
		}
		p.Value = formatValue(rawAt(rec.Values, f.col))
	} else if v != nil {
		p.Value = formatValue(v)
	}
	return p
}

// exprProblem reports an expression that failed to run, naming the fields
// it uses that are null, the usual cause.
func (m *Mapping) exprProblem(rec *pipeline.Record, f *field, v any, what string, p *program, env map[string]any, err error) pipeline.Problem {
	msg := fmt.Sprintf("%s: %s", what, runtimeErr(err))
	var nulls []string
	for _, d := range p.deps {
		if env[m.fields[d].name] == nil {
			nulls = append(nulls, m.fields[d].name)
		}
	}
	if len(nulls) > 0 {
		guard := fmt.Sprintf("%s == nil || …", nulls[0])
		if f != nil && f.prog == p {
			guard = fmt.Sprintf("%s == nil ? nil : …", nulls[0])
		}
		msg += fmt.Sprintf(" (empty: %s; guard with %s or give it a default)", strings.Join(nulls, ", "), guard)
	} else if strings.Contains(msg, "<nil>") {
		msg += ` (a value is empty; guard with == nil)`
	}
	return m.problem(rec, f, v, "expr", msg)
}

func runtimeErr(err error) string {
	s := fileErrMessage(err)
	if s == "" {
		s = err.Error()
	}
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// valueKey is the identity of a value for enum and unique: equal values of
// one field have equal keys.
func valueKey(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case decimal.Decimal:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	case time.Time:
		if v.Equal(midnight(v)) && v.Location() == time.UTC {
			return v.Format(time.DateOnly)
		}
		return v.UTC().Format(time.RFC3339Nano)
	case []byte:
		return string(v)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// formatValue is a value as text for messages and Problem.Value.
func formatValue(v any) string { return valueKey(normalize(v)) }

// OrderedCheck returns a new checker of the rules that need the rows before
// them — unique and unique_ignore_case — or nil when there are none. It
// must be called in input order with the rows Map accepted (see
// pipeline.OrderedCheck); a rejected row's values are not remembered.
// Null values are never duplicates. Each call returns a fresh checker, so
// a Mapping can serve several runs.
//
// Memory: the checker keeps every distinct value of each unique field, as
// an exact string (lower-cased for unique_ignore_case) with the row where
// it first appeared — no hashing, so no false duplicates — about 50 bytes
// plus the value's length per distinct value and rule, e.g. 60 MB for a
// million 12-character SKUs.
func (m *Mapping) OrderedCheck() pipeline.OrderedCheck {
	if len(m.unique) == 0 {
		return nil
	}
	u := &uniqueCheck{m: m, seen: make([]map[string]int, len(m.unique))}
	for i := range u.seen {
		u.seen[i] = map[string]int{}
	}
	return u
}

type uniqueCheck struct {
	m    *Mapping
	seen []map[string]int // per unique rule: value key → row first seen
}

// Check reports values of unique fields that appeared in an earlier row.
func (u *uniqueCheck) Check(row pipeline.Row) []pipeline.Problem {
	var probs []pipeline.Problem
	for i, r := range u.m.unique {
		if r.field >= len(row.Values) {
			continue
		}
		v := row.Values[r.field]
		if v == nil {
			continue
		}
		k := valueKey(v)
		if r.ignoreCase {
			k = strings.ToLower(k)
		}
		first, dup := u.seen[i][k]
		if !dup {
			u.seen[i][strings.Clone(k)] = row.Origin.Row
			continue
		}
		f := u.m.fields[r.field]
		where := "an earlier row"
		if first > 0 {
			where = "row " + strconv.Itoa(first)
		}
		msg := fmt.Sprintf("value %s already appeared in %s: each %s must be unique", qs(formatValue(v)), where, f.name)
		if r.ignoreCase {
			msg = fmt.Sprintf("value %s already appeared in %s (ignoring case): each %s must be unique", qs(formatValue(v)), where, f.name)
		}
		if r.message != "" {
			msg = r.message
		}
		p := pipeline.Problem{Origin: row.Origin, Field: f.name, Value: formatValue(v), Rule: "unique", Message: msg}
		if f.col >= 0 {
			p.Column = f.column
			if f.ref != "" && row.Origin.Row > 0 {
				p.Cell = f.ref + strconv.Itoa(row.Origin.Row)
			}
		}
		probs = append(probs, p)
	}
	return probs
}

// Locate fills in the source column and cell of a problem that names only
// a field, as a sink's problems do (a sink sees fields, not columns).
func (m *Mapping) Locate(p *pipeline.Problem) {
	if p.Field == "" || p.Column != "" {
		return
	}
	for _, f := range m.fields {
		if f.name != p.Field || f.col < 0 {
			continue
		}
		p.Column = f.column
		if f.ref != "" && p.Origin.Row > 0 {
			p.Cell = f.ref + strconv.Itoa(p.Origin.Row)
		}
		return
	}
}
