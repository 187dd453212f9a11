package mappings

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	_ "time/tzdata" // timezone names must work on machines without a zoneinfo database (Windows)

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/internal/suggest"
	"github.com/etl-dev/etl/pipeline"
)

// Compile checks spec against the source columns and compiles it. Nothing
// is read yet: every mistake that can be found before data moves is found
// here, and all of them are returned together as SpecErrors (in spec
// order), each with the path of the setting at fault and, where one can be
// guessed, a hint. Checked:
//
//   - field names: valid identifiers, not reserved words of the expression
//     language (and, in, not, matches, src, …), not duplicated;
//   - exactly one of from and expr; from names an existing, unambiguous
//     column; a typed (Parquet) column can be converted to the field type;
//   - type, case, timezone and formats (Go layouts) are valid; settings of
//     another type (scale on a string, formats on a number…) are rejected;
//     precision ≥ 1, 0 ≤ scale ≤ precision; true/false values do not
//     overlap;
//   - the default coerces to the field type;
//   - expressions compile against a typed environment, so unknown names
//     and type errors fail here; src["Column"] (or src.Column) names an
//     existing column; a computed field may only use fields mapped before
//     it, and its result type must be convertible to the field type;
//   - rules: the field exists, every check fits the field type (min/max on
//     numbers, dates and timestamps; pattern and lengths on strings),
//     patterns compile (RE2), bounds and enum values coerce, min ≤ max.
//
// Expressions are expr-lang (github.com/expr-lang/expr). Their environment
// holds the fields by name, typed: string → string, integer → int, float
// and decimal → float64 (decimals are exposed as float64), bool → bool,
// date and timestamp → time.Time (UTC), bytes → string; a null value is
// nil, so compare with nil before using a field that may be empty. src is
// a map[string]any of the record's raw values by column name (text for CSV
// and Excel, typed values for Parquet, exposed like fields). date() and
// now() work in UTC. Built-in functions of the same name as a field are
// hidden by it.
func Compile(spec Spec, columns []pipeline.Column) (*Mapping, error) {
	c := &compiler{columns: columns, colIndex: map[string]int{}, colDup: map[string]bool{}, numbers: spec.Numbers}
	for i, col := range columns {
		if _, dup := c.colIndex[col.Name]; dup {
			c.colDup[col.Name] = true
			continue
		}
		c.colIndex[col.Name] = i
		c.colNames = append(c.colNames, col.Name)
	}
	m := &Mapping{columns: columns}
	c.m = m
	c.fieldIndex = map[string]int{}
	for _, fs := range spec.Fields {
		c.allNames = append(c.allNames, fs.Name)
	}
	for i := range spec.Fields {
		c.compileField(i, spec.Fields[i])
	}
	c.compileSkipIf(spec.SkipIf)
	for i, rs := range spec.Rules {
		c.compileRule(i, rs)
	}
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	m.schema = make(pipeline.Schema, len(m.fields))
	for i, f := range m.fields {
		sf := pipeline.Field{Name: f.name, Type: f.co.typ, Required: f.required}
		if f.co.typ == pipeline.TypeDecimal {
			sf.Precision, sf.Scale = f.co.precision, f.co.scale
		}
		m.schema[i] = sf
	}
	return m, nil
}

type compiler struct {
	columns    []pipeline.Column
	colIndex   map[string]int  // first column of each name
	colDup     map[string]bool // names of more than one column
	colNames   []string
	allNames   []string       // field names as written, for "mapped later" hints
	fieldIndex map[string]int // fields compiled so far
	m          *Mapping
	errs       SpecErrors
	numbers    NumberFormat // the source's, for numeric fields that do not say
}

func (c *compiler) fail(path, hint, format string, args ...any) {
	c.errs = append(c.errs, &SpecError{Path: path, Message: fmt.Sprintf(format, args...), Hint: hint})
}

func (c *compiler) fieldNames() []string {
	names := make([]string, len(c.m.fields))
	for i, f := range c.m.fields {
		names[i] = f.name
	}
	return names
}

// typeSynonyms maps names people write to the type they mean.
var typeSynonyms = map[string]string{
	"int": "integer", "int64": "integer", "long": "integer", "number": "decimal",
	"numeric": "decimal", "money": "decimal", "currency": "decimal", "double": "float",
	"real": "float", "float64": "float", "boolean": "bool", "text": "string", "str": "string",
	"varchar": "string", "datetime": "timestamp", "time": "timestamp", "date_time": "timestamp",
	"binary": "bytes", "blob": "bytes",
}

func (c *compiler) compileField(i int, fs FieldSpec) {
	name := fs.Name
	p := func(key string) string { return "mapping." + name + "." + key }
	f := &field{name: name, col: -1, index: len(c.m.fields)}
	ok := true
	switch {
	case !isIdent(name):
		c.fail("mapping."+name, fmt.Sprintf("name it like %q", identFor(name)),
			"field name %q is not an identifier (letters, digits and _, not starting with a digit), so expressions could not use it", name)
		ok = false
	case reservedNames[name]:
		c.fail("mapping."+name, fmt.Sprintf("name it like %q", name+"_value"),
			"field name %q is reserved in expressions", name)
		ok = false
	}
	if _, dup := c.fieldIndex[name]; dup {
		c.fail("mapping."+name, "give each field its own name", "field %q is mapped twice", name)
		ok = false
	}

	// Type.
	typ := pipeline.TypeString
	if fs.Type != "" {
		t, known := pipeline.ParseType(strings.TrimSpace(fs.Type))
		if !known {
			hint := ""
			if s, syn := typeSynonyms[strings.ToLower(fs.Type)]; syn {
				hint = fmt.Sprintf("did you mean %q?", s)
			} else {
				hint = didYouMean(fs.Type, pipeline.TypeNames(), "types")
			}
			c.fail(p("type"), hint, "unknown type %q", fs.Type)
		} else {
			typ = t
		}
	}
	co := newCoercer(typ)
	f.co = co
	c.configure(fs, co, p)

	// Source.
	switch {
	case fs.From == "" && fs.Expr == "":
		c.fail("mapping."+name, `add from: COLUMN to read a column, or expr: to compute the field`, "field %q has neither from nor expr", name)
	case fs.From != "" && fs.Expr != "":
		c.fail(p("expr"), "remove one of them", "field %q has both from and expr", name)
	case fs.From != "":
		if idx, found := c.colIndex[fs.From]; !found {
			c.fail(p("from"), didYouMean(fs.From, c.colNames, "the columns are"), "no column %q in the source", fs.From)
		} else {
			col := c.columns[idx]
			if c.colDup[fs.From] {
				c.fail(p("from"), "rename one of the columns in the source", "%d columns are named %q", c.countCols(fs.From), fs.From)
			}
			f.col, f.column, f.ref = idx, col.Name, col.Ref
			co.srcType = col.Type
			if !canConvert(col.Type, typ) {
				c.fail(p("type"), fmt.Sprintf("use type: %s, or convert with an expr", col.Type),
					"column %q holds %s values, which cannot become %s", col.Name, col.Type, typ)
			}
		}
	case fs.Expr != "":
		env := c.env(c.m.fields)
		prog, deps, usesSrc := c.compileExpr(p("expr"), fs.Expr, env, false, name)
		if prog != nil {
			f.prog = &program{prog: prog, src: fs.Expr, deps: deps}
			c.m.usesSrc = c.m.usesSrc || usesSrc
			c.m.needEnv = true
			if rt := prog.Node().Type(); rt != nil {
				if from, known := goType(rt); known && !canConvert(from, typ) {
					c.fail(p("expr"), fmt.Sprintf("use type: %s, or change the expression", from),
						"the expression gives %s values, which cannot become %s", from, typ)
				}
			}
		}
	}

	// Default.
	if fs.Default != nil {
		v, msg := co.fromText(string(*fs.Default), false, nil)
		if msg != "" {
			c.fail(p("default"), "write the default as the field's input would be written", "bad default: %s", msg)
		} else {
			f.def, f.hasDef = v, v != nil
		}
	}
	if ok {
		c.fieldIndex[name] = f.index
		c.m.fields = append(c.m.fields, f)
	}
}

func (c *compiler) countCols(name string) int {
	n := 0
	for _, col := range c.columns {
		if col.Name == name {
			n++
		}
	}
	return n
}

// configure applies the settings of fs to co, rejecting those that do not
// fit the type.
func (c *compiler) configure(fs FieldSpec, co *coercer, p func(string) string) {
	typ := co.typ
	isNum := typ == pipeline.TypeInteger || typ == pipeline.TypeDecimal || typ == pipeline.TypeFloat
	isTime := typ == pipeline.TypeDate || typ == pipeline.TypeTimestamp
	only := func(key, kinds string) {
		c.fail(p(key), "remove it, or change the type", "%s applies to %s fields, not to %s", key, kinds, typ)
	}
	if fs.Trim != nil {
		co.trim = *fs.Trim
		if typ != pipeline.TypeString && typ != pipeline.TypeBytes {
			co.trim = true // surrounding space never means anything in a number or date
		}
	}
	switch strings.ToLower(fs.Case) {
	case "":
	case "upper":
		co.caseMode = caseUpper
	case "lower":
		co.caseMode = caseLower
	case "title":
		co.caseMode = caseTitle
	default:
		c.fail(p("case"), didYouMean(fs.Case, []string{"upper", "lower", "title"}, "cases"), "unknown case %q", fs.Case)
	}
	for _, r := range fs.Replace {
		if r.Old == "" {
			c.fail(p("replace"), "remove the empty key", "replace has an empty key")
			continue
		}
		co.replace = append(co.replace, r)
	}
	if fs.NullIf != nil {
		co.nullIf = fs.NullIf
		if co.trim {
			co.nullIf = make([]string, len(fs.NullIf))
			for i, s := range fs.NullIf {
				co.nullIf[i] = strings.TrimSpace(s)
			}
		}
	}
	if fs.Precision != nil || fs.Scale != nil {
		if typ != pipeline.TypeDecimal {
			key := "scale"
			if fs.Precision != nil {
				key = "precision"
			}
			only(key, "decimal")
		} else {
			if fs.Precision != nil {
				co.precision = *fs.Precision
			}
			if fs.Scale != nil {
				co.scale = *fs.Scale
			}
			switch {
			case co.precision < 1 || co.precision > maxPrecision:
				c.fail(p("precision"), "18 holds amounts up to 10 quadrillion with 2 decimals", "precision must be between 1 and %d, not %d", maxPrecision, co.precision)
			case co.scale < 0:
				c.fail(p("scale"), "use 0 for whole numbers", "scale must not be negative")
			case co.scale > co.precision:
				path := "scale"
				if fs.Scale == nil {
					path = "precision"
				}
				c.fail(p(path), "raise precision or lower scale", "scale %d exceeds precision %d", co.scale, co.precision)
			}
		}
	}
	if fs.Round != "" {
		if typ != pipeline.TypeDecimal {
			only("round", "decimal")
		}
		switch strings.ToLower(fs.Round) {
		case "half_even", "bankers", "banker":
			co.round = roundHalfEven
		case "half_up", "half_away_from_zero":
			co.round = roundHalfUp
		case "down", "truncate", "towards_zero":
			co.round = roundDown
		default:
			c.fail(p("round"), didYouMean(fs.Round, []string{"half_even", "half_up", "down"}, "use one of"), "unknown rounding %q", fs.Round)
		}
	}
	if fs.Locale != "" || fs.DecimalSeparator != "" || fs.ThousandsSeparator != "" {
		if !isNum {
			key := "locale"
			if fs.DecimalSeparator != "" {
				key = "decimal_separator"
			} else if fs.ThousandsSeparator != "" {
				key = "thousands_separator"
			}
			only(key, "integer, decimal and float")
		}
		nf, key, err := ParseNumberFormat(fs.Locale, fs.DecimalSeparator, fs.ThousandsSeparator)
		if err != nil {
			c.fail(p(key), "", "%v", err)
		}
		co.numbers = nf
	} else if isNum {
		co.numbers = c.numbers
	}
	if fs.Strip != "" {
		if !isNum {
			c.fail(p("strip"), "use replace to remove characters from text", "strip applies to integer, decimal and float fields, not to %s", typ)
		}
		if strings.ContainsAny(fs.Strip, "0123456789") {
			c.fail(p("strip"), "strip lists characters to remove, like \"$,\"", "strip must not contain digits")
		}
		co.strip = fs.Strip
	}
	if fs.TrueValues != nil || fs.FalseValues != nil {
		if typ != pipeline.TypeBool {
			key := "false_values"
			if fs.TrueValues != nil {
				key = "true_values"
			}
			only(key, "bool")
		}
		if fs.TrueValues != nil {
			co.trueVals = trimmedList(fs.TrueValues)
		}
		if fs.FalseValues != nil {
			co.falseVals = trimmedList(fs.FalseValues)
		}
		for _, t := range co.trueVals {
			for _, f := range co.falseVals {
				if strings.EqualFold(t, f) {
					key := "false_values"
					if fs.TrueValues != nil {
						key = "true_values"
					}
					c.fail(p(key), "a text can only mean one of true and false", "%q is both a true and a false value", t)
				}
			}
		}
	}
	if len(fs.Formats) > 0 {
		if !isTime {
			only("formats", "date and timestamp")
		}
		for _, l := range fs.Formats {
			if !isTime {
				break
			}
			if err := checkLayout(l); err != "" {
				c.fail(p("formats"), layoutHint(l), "%s", err)
			}
		}
		co.formats = fs.Formats
	}
	if fs.Timezone != "" {
		if !isTime {
			only("timezone", "date and timestamp")
		}
		loc, err := time.LoadLocation(fs.Timezone)
		switch {
		case err != nil || fs.Timezone == "Local":
			c.fail(p("timezone"), `use an IANA name such as "UTC", "America/New_York" or "Europe/Berlin"`, "unknown timezone %q", fs.Timezone)
		default:
			co.loc, co.zoneSet = loc, true
		}
	}
}

func trimmedList(l []string) []string {
	out := make([]string, len(l))
	for i, s := range l {
		out[i] = strings.TrimSpace(s)
	}
	return out
}

// checkLayout makes sure a Go layout holds a year, month and day, which a
// layout written in another convention ("YYYY-MM-DD") does not.
func checkLayout(l string) string {
	ref := time.Date(1987, 11, 23, 19, 47, 31, 0, time.UTC)
	t, err := time.Parse(l, ref.Format(l))
	if err != nil || t.Year() != 1987 || t.Month() != 11 || t.Day() != 23 {
		return fmt.Sprintf("%q is not a Go time layout with a year, month and day", l)
	}
	return ""
}

// layoutHint translates common date pattern conventions into a Go layout.
func layoutHint(l string) string {
	r := strings.NewReplacer(
		"YYYY", "2006", "yyyy", "2006", "%Y", "2006", "YY", "06", "yy", "06", "%y", "06",
		"MM", "01", "%m", "01", "DD", "02", "dd", "02", "%d", "02",
		"HH", "15", "hh", "03", "%H", "15", "mm", "04", "%M", "04", "ss", "05", "%S", "05",
	)
	g := r.Replace(l)
	if g != l && checkLayout(g) == "" {
		return fmt.Sprintf("Go layouts are written with the reference time Mon Jan 2 15:04:05 2006: did you mean %q?", g)
	}
	return `Go layouts are written with the reference time Mon Jan 2 15:04:05 2006, e.g. "02/01/2006" for day/month/year`
}

// canConvert says whether values of type from can become type to.
func canConvert(from, to pipeline.Type) bool {
	switch {
	case to == pipeline.TypeString || to == pipeline.TypeBytes,
		from == pipeline.TypeString || from == pipeline.TypeBytes:
		return true
	}
	switch from {
	case pipeline.TypeInteger, pipeline.TypeFloat, pipeline.TypeDecimal:
		return to == pipeline.TypeInteger || to == pipeline.TypeFloat || to == pipeline.TypeDecimal || to == pipeline.TypeBool
	case pipeline.TypeBool:
		return to == pipeline.TypeBool
	case pipeline.TypeDate, pipeline.TypeTimestamp:
		return to == pipeline.TypeDate || to == pipeline.TypeTimestamp
	}
	return false
}

var timeType = reflect.TypeFor[time.Time]()

// goType is the etl type of values of Go type t, when it is known.
func goType(t reflect.Type) (pipeline.Type, bool) {
	if t == timeType {
		return pipeline.TypeTimestamp, true
	}
	switch t.Kind() {
	case reflect.Bool:
		return pipeline.TypeBool, true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return pipeline.TypeInteger, true
	case reflect.Float32, reflect.Float64:
		return pipeline.TypeFloat, true
	case reflect.String:
		return pipeline.TypeString, true
	}
	return 0, false
}

// exprZero is the value that declares the type of a field in the
// expression environment.
func exprZero(t pipeline.Type) any {
	switch t {
	case pipeline.TypeInteger:
		return 0
	case pipeline.TypeFloat, pipeline.TypeDecimal:
		return 0.0
	case pipeline.TypeBool:
		return false
	case pipeline.TypeDate, pipeline.TypeTimestamp:
		return time.Time{}
	}
	return ""
}

// env is the typed environment of an expression that can use fields.
func (c *compiler) env(fields []*field) map[string]any {
	env := make(map[string]any, len(fields)+1)
	for _, f := range fields {
		env[f.name] = exprZero(f.co.typ)
	}
	env["src"] = map[string]any{}
	return env
}

// compileExpr compiles an expression at path. For a computed field, self
// is its name (to explain references to fields mapped later). It returns
// a nil program after reporting errors; deps are the indexes of the
// fields the expression uses.
func (c *compiler) compileExpr(path, code string, env map[string]any, asBool bool, self string) (*vm.Program, []int, bool) {
	tree, err := parser.Parse(code)
	if err != nil {
		c.fail(path, "", "bad expression: %s", exprErr(err))
		return nil, nil, false
	}
	var deps []int
	usesSrc, badSrc := false, false
	ast.Find(tree.Node, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.IdentifierNode:
			if n.Value == "src" {
				usesSrc = true
			} else if i, ok := c.fieldIndex[n.Value]; ok && env[n.Value] != nil && !slices.Contains(deps, i) {
				deps = append(deps, i)
			}
		case *ast.MemberNode:
			id, isIdent := n.Node.(*ast.IdentifierNode)
			key, isStr := n.Property.(*ast.StringNode)
			if isIdent && isStr && id.Value == "src" {
				if _, found := c.colIndex[key.Value]; !found {
					c.fail(path, didYouMean(key.Value, c.colNames, "the columns are"), "no column %q in the source", key.Value)
					badSrc = true
				}
			}
		}
		return false
	})
	opts := []expr.Option{expr.Env(env), expr.Timezone("UTC")}
	if asBool {
		opts = append(opts, expr.AsBool())
	}
	prog, err := expr.Compile(code, opts...)
	if err != nil {
		msg := exprErr(err)
		hint := ""
		if unknown, found := strings.CutPrefix(fileErrMessage(err), "unknown name "); found {
			if slices.Contains(c.allNames, unknown) && env[unknown] == nil {
				if self != "" {
					hint = fmt.Sprintf("field %q is mapped after %q (or is invalid); move it before %q to use it", unknown, self, self)
				} else {
					hint = fmt.Sprintf("field %q is invalid; fix it first", unknown)
				}
			} else {
				var names []string
				for k := range env {
					names = append(names, k)
				}
				sort.Strings(names)
				hint = didYouMean(unknown, names, "the names are")
				if _, isCol := c.colIndex[unknown]; isCol {
					srcHint := fmt.Sprintf("to read the column, write src[%q]", unknown)
					if best := suggest.Closest(unknown, names); best != "" && strings.EqualFold(best, unknown) {
						hint = fmt.Sprintf("did you mean %q? (%s)", best, srcHint)
					} else {
						hint = srcHint
					}
				}
			}
		} else if asBool && strings.Contains(msg, "expected bool") {
			hint = "the expression must be true or false, e.g. price >= 0"
		}
		c.fail(path, hint, "bad expression: %s", msg)
		return nil, nil, false
	}
	if badSrc {
		return nil, nil, false
	}
	return prog, deps, usesSrc
}

// fileErrMessage is the bare message of an expr error.
func fileErrMessage(err error) string {
	var fe *file.Error
	if errors.As(err, &fe) {
		return fe.Message
	}
	return err.Error()
}

// exprErr formats an expr error on one line: its message and, for compile
// errors, the position in the expression.
func exprErr(err error) string {
	var fe *file.Error
	if errors.As(err, &fe) {
		if fe.Line > 0 && fe.Column >= 0 && fe.Snippet != "" {
			return fmt.Sprintf("%s (at %d:%d in the expression)", fe.Message, fe.Line, fe.Column+1)
		}
		return fe.Message
	}
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

func (c *compiler) compileSkipIf(code string) {
	if strings.TrimSpace(code) == "" {
		return
	}
	prog, deps, usesSrc := c.compileExpr("skip_if", code, c.env(c.m.fields), true, "")
	if prog == nil {
		return
	}
	c.m.skipIf = &program{prog: prog, src: code, deps: deps}
	c.m.skipEarly = len(deps) == 0
	c.m.usesSrc = c.m.usesSrc || usesSrc
	c.m.needEnv = c.m.needEnv || !c.m.skipEarly
}

func (c *compiler) compileRule(i int, rs RuleSpec) {
	p := func(key string) string { return fmt.Sprintf("validate[%d].%s", i, key) }
	whole := fmt.Sprintf("validate[%d]", i)
	r := &rule{index: i, field: -1, minLen: -1, maxLen: -1, message: rs.Message}
	checks := rs.Required || rs.Pattern != "" || rs.Unique || rs.UniqueIgnoreCase || rs.Min != nil ||
		rs.Max != nil || len(rs.Enum) > 0 || rs.MinLength != nil || rs.MaxLength != nil
	nErr := len(c.errs)
	var f *field
	switch {
	case rs.Field == "" && checks:
		c.fail(p("field"), "add field: NAME", "the rule's checks need a field")
		return
	case rs.Field == "" && rs.Expr == "":
		c.fail(whole, "add field: with checks such as required, or expr:", "the rule names neither a field nor an expr")
		return
	case rs.Field != "":
		idx, found := c.fieldIndex[rs.Field]
		if !found {
			if slices.Contains(c.allNames, rs.Field) {
				return // the field itself is in error
			}
			c.fail(p("field"), didYouMean(rs.Field, c.fieldNames(), "the fields are"), "no field %q in the mapping", rs.Field)
			return
		}
		f = c.m.fields[idx]
		r.field = idx
		if !checks && rs.Expr == "" {
			c.fail(whole, "add required, pattern, enum, min, max, min_length, max_length, unique or expr", "the rule checks nothing")
		}
	}
	if f != nil {
		c.fieldChecks(r, rs, f, p)
	}
	if rs.Expr != "" {
		prog, deps, usesSrc := c.compileExpr(p("expr"), rs.Expr, c.env(c.m.fields), true, "")
		if prog != nil {
			r.prog = &program{prog: prog, src: rs.Expr, deps: deps}
			c.m.usesSrc = c.m.usesSrc || usesSrc
			c.m.needEnv = true
		}
	}
	if len(c.errs) > nErr {
		return
	}
	if r.required {
		f.required = true
	}
	c.m.rules = append(c.m.rules, r)
	if r.unique {
		c.m.unique = append(c.m.unique, r)
	}
}

func (c *compiler) fieldChecks(r *rule, rs RuleSpec, f *field, p func(string) string) {
	typ := f.co.typ
	isNum := typ == pipeline.TypeInteger || typ == pipeline.TypeDecimal || typ == pipeline.TypeFloat
	isTime := typ == pipeline.TypeDate || typ == pipeline.TypeTimestamp
	r.required = rs.Required
	r.unique = rs.Unique || rs.UniqueIgnoreCase
	r.ignoreCase = rs.UniqueIgnoreCase
	if rs.Pattern != "" {
		if typ != pipeline.TypeString {
			c.fail(p("pattern"), "to check the source text, use an expr rule on src[...] with matches", "pattern applies to string fields; %q is %s", f.name, typ)
		} else if re, err := regexp.Compile(rs.Pattern); err != nil {
			hint := ""
			if strings.Contains(rs.Pattern, "(?=") || strings.Contains(rs.Pattern, "(?!") || strings.Contains(rs.Pattern, "(?<") {
				hint = "patterns use RE2 syntax, which has no lookahead, lookbehind or backreferences"
			}
			c.fail(p("pattern"), hint, "bad regular expression: %s", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		} else {
			r.pattern, r.fixed = re, compileFixed(rs.Pattern)
		}
	}
	for _, l := range []struct {
		key string
		n   *int
	}{{"min_length", rs.MinLength}, {"max_length", rs.MaxLength}} {
		key, n := l.key, l.n
		if n == nil {
			continue
		}
		switch {
		case typ != pipeline.TypeString:
			c.fail(p(key), "use min and max for numbers and dates", "%s applies to string fields; %q is %s", key, f.name, typ)
		case *n < 0:
			c.fail(p(key), "", "%s must not be negative", key)
		case key == "min_length":
			r.minLen = *n
		default:
			r.maxLen = *n
		}
	}
	if r.minLen >= 0 && r.maxLen >= 0 && r.minLen > r.maxLen {
		c.fail(p("max_length"), "", "max_length %d is below min_length %d", r.maxLen, r.minLen)
	}
	bound := func(key string, s *Scalar) any {
		if s == nil {
			return nil
		}
		text := strings.TrimSpace(string(*s))
		switch {
		case isNum:
			d, err := decimal.NewFromString(text)
			if err != nil || !isNumber(text) {
				c.fail(p(key), "write a number, e.g. 0 or 19.99", "%s %q is not a number", key, text)
				return nil
			}
			return d
		case isTime:
			var v any
			var msg string
			if typ == pipeline.TypeDate {
				v, msg = f.co.parseDate(text, nil)
			} else {
				v, msg = f.co.parseTimestamp(text, nil)
			}
			if msg != "" {
				c.fail(p(key), "write it like 2024-01-31 (or 2024-01-31T12:00:00Z)", "%s: %s", key, msg)
				return nil
			}
			return v
		}
		hint := "min and max apply to integer, decimal, float, date and timestamp fields"
		if typ == pipeline.TypeString {
			hint = "for the length of text use min_length and max_length"
		}
		c.fail(p(key), hint, "%s applies to numbers and dates; %q is %s", key, f.name, typ)
		return nil
	}
	r.min, r.max = bound("min", rs.Min), bound("max", rs.Max)
	r.minAt, r.maxAt = atScale(r.min, f.co.scale), atScale(r.max, f.co.scale)
	if r.min != nil && r.max != nil && compare(r.min, r.max) > 0 {
		c.fail(p("max"), "swap min and max", "max %s is below min %s", rs.Max, rs.Min)
	}
	if len(rs.Enum) > 0 {
		r.enum = make(map[string]bool, len(rs.Enum))
		set := *f.co
		set.replace, set.caseMode, set.nullIf = nil, caseNone, nil
		for _, e := range rs.Enum {
			v, msg := set.fromText(string(e), false, nil)
			if msg != "" || v == nil {
				if msg == "" {
					msg = "it is empty"
				}
				c.fail(p("enum"), "", "enum value %q does not fit the field: %s", e, msg)
				continue
			}
			k := valueKey(v)
			if !r.enum[k] {
				r.enum[k] = true
				r.enumList = append(r.enumList, k)
			}
		}
	}
}

// atScale is a bound with the exponent -scale when that is exact, so that
// comparing it with a decimal of that exponent (as a field's values are)
// needs no big-number arithmetic; otherwise, or when the bound is not a
// decimal, the bound as it is.
func atScale(bound any, scale int) any {
	d, ok := bound.(decimal.Decimal)
	if !ok {
		return bound
	}
	if s := d.Round(int32(scale)); s.Equal(d) && s.Exponent() == -int32(scale) {
		return s
	}
	return bound
}

// compare orders two bounds or values of the same kind: decimal.Decimal or
// time.Time.
func compare(a, b any) int {
	switch a := a.(type) {
	case decimal.Decimal:
		return a.Cmp(b.(decimal.Decimal))
	case time.Time:
		return a.Compare(b.(time.Time))
	}
	return 0
}
