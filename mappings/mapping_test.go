package mappings

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/etl-dev/etl/pipeline"
)

// catalogRecord builds a record of catalogColumns from column → text.
func catalogRecord(row int, cells map[string]string) pipeline.Record {
	cols := catalogColumns()
	vals := make([]any, len(cols))
	for i, c := range cols {
		vals[i] = cells[c.Name]
	}
	return pipeline.Record{Origin: pipeline.Origin{File: "catalog.csv", Row: row, Line: row}, Values: vals}
}

func goodCells() map[string]string {
	return map[string]string{
		"SKU": "ab-100", "Product Name": "  Trail – Runner ", "Price": "$1,299.50", "Cost": "€ 800.12345",
		"Qty": " 12 ", "Active": "Yes", "Launch": "05/03/2024", "Updated": "2024-03-05 10:20:30",
		"Status": "active", "Category": "Footwear",
	}
}

func mustCompile(t testing.TB, spec Spec, cols []pipeline.Column) *Mapping {
	t.Helper()
	m, err := Compile(spec, cols)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return m
}

func TestMapValidRow(t *testing.T) {
	m := mustCompile(t, catalogSpec(), catalogColumns())
	row, probs, skip := m.Map(catalogRecord(2, goodCells()))
	if skip || len(probs) > 0 {
		t.Fatalf("skip=%v problems=%v", skip, probs)
	}
	want := []any{
		"AB-100", "Trail - Runner", dec("1299.50"), dec("800.1235"), int64(12), true,
		day(2024, 3, 5), time.Date(2024, 3, 5, 10, 20, 30, 0, time.UTC), "Footwear", dec("499.38"),
	}
	if row.Origin.Row != 2 || row.Origin.File != "catalog.csv" {
		t.Errorf("origin = %+v", row.Origin)
	}
	if len(row.Values) != len(want) {
		t.Fatalf("values = %v", row.Values)
	}
	for i, w := range want {
		if !sameValue(row.Values[i], w) {
			t.Errorf("%s = %#v, want %#v", m.Schema()[i].Name, row.Values[i], w)
		}
	}
}

func TestMapDefaults(t *testing.T) {
	m := mustCompile(t, catalogSpec(), catalogColumns())
	for _, in := range []string{"", "  ", "N/A", "-"} {
		cells := goodCells()
		cells["Product Name"] = in
		row, probs, _ := m.Map(catalogRecord(2, cells))
		if len(probs) > 0 {
			t.Fatalf("%q: %v", in, probs)
		}
		if row.Values[1] != "Misc" {
			t.Errorf("%q: name = %v, want the default", in, row.Values[1])
		}
	}
}

func TestMapCollectsEveryProblem(t *testing.T) {
	m := mustCompile(t, catalogSpec(), catalogColumns())
	cells := goodCells()
	cells["SKU"] = "ab"
	cells["Price"] = "12,5"
	cells["Qty"] = "1.5"
	cells["Active"] = "maybe"
	cells["Launch"] = "31/13/2024"
	cells["Category"] = "Widgets"
	_, probs, skip := m.Map(catalogRecord(7, cells))
	if skip {
		t.Fatal("skipped")
	}
	type p struct{ field, rule, cell, column, value string }
	want := []p{
		{"price", "type", "C7", "Price", "12,5"},
		{"qty", "type", "E7", "Qty", "1.5"},
		{"active", "type", "F7", "Active", "maybe"},
		{"launched", "type", "G7", "Launch", "31/13/2024"},
		{"sku", "pattern", "A7", "SKU", "ab"},
		{"category", "enum", "J7", "Category", "Widgets"},
	}
	if len(probs) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%s", len(probs), len(want), problemsText(probs))
	}
	for i, w := range want {
		g := probs[i]
		if g.Field != w.field || g.Rule != w.rule || g.Cell != w.cell || g.Column != w.column || g.Value != w.value || g.Origin.Row != 7 {
			t.Errorf("problem %d = %+v, want %+v", i, g, w)
		}
	}
	msgs := problemsText(probs)
	for _, s := range []string{
		`"12,5" is not a decimal: it is written with a decimal comma: set decimal_separator: ","`,
		`"1.5" is not a whole number`,
		`"maybe" is not a bool: use one of true, yes, y, 1, on or false, no, n, 0, off`,
		`"31/13/2024" is not a date in the formats "2006-01-02", "02/01/2006" or ISO 8601`,
		`value "AB" does not match the pattern ^[A-Z0-9][A-Z0-9-]{2,31}$`,
		`value "Widgets" is not one of Apparel, Footwear, Accessories`,
		`catalog.csv row 7, cell C7 (Price), field price: "12,5" is not a decimal`,
	} {
		if !strings.Contains(msgs, s) {
			t.Errorf("messages lack %q:\n%s", s, msgs)
		}
	}
}

func problemsText(probs []pipeline.Problem) string {
	var b strings.Builder
	for _, p := range probs {
		fmt.Fprintf(&b, "%s [%s]\n", p.Error(), p.Rule)
	}
	return b.String()
}

func TestMapSourceProblems(t *testing.T) {
	m := mustCompile(t, catalogSpec(), catalogColumns())
	rec := catalogRecord(3, goodCells())
	rec.Problems = []pipeline.Problem{{Origin: rec.Origin, Rule: "ragged", Message: "the row has 3 cells, the header 10"}}
	row, probs, skip := m.Map(rec)
	if skip || row.Values != nil || !reflect.DeepEqual(probs, rec.Problems) {
		t.Fatalf("Map = %v, %v, %v", row, probs, skip)
	}
}

func TestMapShortRecord(t *testing.T) {
	m := mustCompile(t, catalogSpec(), catalogColumns())
	rec := pipeline.Record{Origin: pipeline.Origin{Row: 4}, Values: []any{}}
	_, probs, _ := m.Map(rec)
	if len(probs) != 1 || probs[0].Rule != "required" || probs[0].Field != "sku" {
		t.Fatalf("problems:\n%s", problemsText(probs))
	}
}

// oneField compiles a mapping of one field f from column "in" (letter C)
// with the given rules.
func oneField(t testing.TB, f FieldSpec, rules ...RuleSpec) *Mapping {
	t.Helper()
	f.Name, f.From = "f", "in"
	cols := []pipeline.Column{{Name: "x", Ref: "A"}, {Name: "y", Ref: "B"}, {Name: "in", Ref: "C"}}
	return mustCompile(t, Spec{Fields: []FieldSpec{f}, Rules: rules}, cols)
}

func TestMapRules(t *testing.T) {
	str := FieldSpec{}
	tests := []struct {
		name  string
		field FieldSpec
		rule  RuleSpec
		in    any
		rule2 string // rule of the problem; "" means the row passes
		msg   string
	}{
		{"required ok", str, RuleSpec{Required: true}, "x", "", ""},
		{"required empty", str, RuleSpec{Required: true}, " ", "required", "f is required but empty: fill in the cell or give the field a default"},
		{"required nil", str, RuleSpec{Required: true}, nil, "required", "is required but empty"},
		{"required null_if", FieldSpec{NullIf: []string{"", "N/A"}}, RuleSpec{Required: true}, "N/A", "required", `"N/A" counts as empty (null_if)`},
		{"required with default", FieldSpec{Default: sc("d")}, RuleSpec{Required: true}, "", "", ""},
		{"pattern ok", str, RuleSpec{Pattern: `^[A-Z]{2}\d+$`}, "AB12", "", ""},
		{"pattern fail", str, RuleSpec{Pattern: `^[A-Z]{2}\d+$`}, "A-12", "pattern", `value "A-12" does not match the pattern ^[A-Z]{2}\d+$`},
		{"pattern case hint", str, RuleSpec{Pattern: `^[A-Z]{2}\d+$`}, "ab12", "pattern", "add case: upper"},
		{"pattern null passes", str, RuleSpec{Pattern: `^x$`}, "", "", ""},
		{"enum ok", str, RuleSpec{Enum: []Scalar{"Apparel", "Footwear"}}, "Footwear", "", ""},
		{"enum fail closest", str, RuleSpec{Enum: []Scalar{"Apparel", "Footwear", "Accessories"}}, "Footware", "enum",
			`value "Footware" is not one of Apparel, Footwear, Accessories (closest: "Footwear")`},
		{"enum case", str, RuleSpec{Enum: []Scalar{"Apparel", "Footwear"}}, "apparel", "enum", `did you mean "Apparel"? the values are case-sensitive`},
		{"enum far", str, RuleSpec{Enum: []Scalar{"Apparel", "Footwear"}}, "Widgets", "enum", `value "Widgets" is not one of Apparel, Footwear`},
		{"enum integer", FieldSpec{Type: "integer"}, RuleSpec{Enum: []Scalar{"1", "2", "3"}}, "2.0", "", ""},
		{"enum integer fail", FieldSpec{Type: "integer"}, RuleSpec{Enum: []Scalar{"1", "2", "3"}}, "4", "enum", `value "4" is not one of 1, 2, 3`},
		{"enum decimal", FieldSpec{Type: "decimal"}, RuleSpec{Enum: []Scalar{"0.5", "1"}}, "0.50", "", ""},
		{"min ok", FieldSpec{Type: "decimal"}, RuleSpec{Min: sc("0")}, "0", "", ""},
		{"min fail", FieldSpec{Type: "decimal"}, RuleSpec{Min: sc("0")}, "-0.01", "min", "value -0.01 is below the minimum 0"},
		{"max ok", FieldSpec{Type: "integer"}, RuleSpec{Max: sc("100000")}, "100000", "", ""},
		{"max fail", FieldSpec{Type: "integer"}, RuleSpec{Max: sc("100000")}, "100001", "max", "value 100001 is above the maximum 100000"},
		{"max fractional bound", FieldSpec{Type: "integer"}, RuleSpec{Max: sc("2.5")}, "3", "max", "above the maximum 2.5"},
		{"min float", FieldSpec{Type: "float"}, RuleSpec{Min: sc("1e-3")}, "0.0001", "min", "below the minimum 0.001"},
		{"huge bound exact", FieldSpec{Type: "decimal", Precision: ptr(40)}, RuleSpec{Max: sc("123456789012345678901234567890.12")}, "123456789012345678901234567890.13", "max", "above the maximum"},
		{"min date", FieldSpec{Type: "date"}, RuleSpec{Min: sc("2020-01-01")}, "2019-12-31", "min", "value 2019-12-31 is below the minimum 2020-01-01"},
		{"max date ok", FieldSpec{Type: "date"}, RuleSpec{Max: sc("2020-01-01")}, "2020-01-01T23:00:00Z", "", ""},
		{"max timestamp", FieldSpec{Type: "timestamp"}, RuleSpec{Max: sc("2020-01-01T00:00:00Z")}, "2020-01-01T00:00:01Z", "max", "above the maximum"},
		{"min_length ok", str, RuleSpec{MinLength: ptr(2)}, "äö", "", ""},
		{"min_length fail", str, RuleSpec{MinLength: ptr(3)}, "äö", "min_length", `value "äö" is 2 characters long; at least 3 are required`},
		{"max_length ok", str, RuleSpec{MaxLength: ptr(3)}, "abc", "", ""},
		{"max_length fail", str, RuleSpec{MaxLength: ptr(3)}, "abcd", "max_length", "value is 4 characters long; at most 3 are allowed"},
		{"message override", str, RuleSpec{Required: true, Message: "every product needs a name"}, "", "required", "every product needs a name"},
		{"bad type no rule problem", FieldSpec{Type: "integer"}, RuleSpec{Required: true, Min: sc("0")}, "x", "type", `"x" is not an integer`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.rule
			r.Field = "f"
			m := oneField(t, tc.field, r)
			rec := pipeline.Record{Origin: pipeline.Origin{File: "f.csv", Row: 9}, Values: []any{"", "", tc.in}}
			_, probs, _ := m.Map(rec)
			if tc.rule2 == "" {
				if len(probs) > 0 {
					t.Fatalf("unexpected problems:\n%s", problemsText(probs))
				}
				return
			}
			if len(probs) != 1 {
				t.Fatalf("got %d problems, want 1:\n%s", len(probs), problemsText(probs))
			}
			p := probs[0]
			if p.Rule != tc.rule2 || !strings.Contains(p.Message, tc.msg) {
				t.Fatalf("problem [%s] %q, want [%s] containing %q", p.Rule, p.Message, tc.rule2, tc.msg)
			}
			if p.Cell != "C9" || p.Column != "in" || p.Field != "f" {
				t.Fatalf("problem place = %+v", p)
			}
		})
	}
}

func TestMapComputedFields(t *testing.T) {
	cols := []pipeline.Column{{Name: "First", Ref: "A"}, {Name: "Last", Ref: "B"}, {Name: "Price", Ref: "C"}, {Name: "Cost", Ref: "D"}, {Name: "Qty", Ref: "E"}}
	spec := Spec{Fields: []FieldSpec{
		{Name: "price", From: "Price", Type: "decimal"},
		{Name: "cost", From: "Cost", Type: "decimal", Scale: ptr(4)},
		{Name: "qty", From: "Qty", Type: "integer", Default: sc("0")},
		{Name: "full", Expr: `src["First"] + " " + src.Last`, Case: "title"},
		{Name: "margin", Expr: "price - cost", Type: "decimal", Scale: ptr(2)},
		{Name: "value", Expr: "price * qty", Type: "decimal"},
		{Name: "big", Expr: "qty > 10", Type: "bool"},
		{Name: "label", Expr: `qty > 0 ? "in stock" : nil`, Default: sc("sold out")},
		{Name: "launch", Expr: `date("2024-03-05")`, Type: "date"},
		{Name: "n", Expr: `qty * 2`, Type: "integer"},
	}}
	m := mustCompile(t, spec, cols)
	rec := pipeline.Record{Origin: pipeline.Origin{Row: 2}, Values: []any{"ada", "LOVELACE", "19.99", "12.5", "11"}}
	row, probs, _ := m.Map(rec)
	if len(probs) > 0 {
		t.Fatal(problemsText(probs))
	}
	want := []any{dec("19.99"), dec("12.5000"), int64(11), "Ada Lovelace", dec("7.49"), dec("219.89"), true, "in stock", day(2024, 3, 5), int64(22)}
	for i, w := range want {
		if !sameValue(row.Values[i], w) {
			t.Errorf("%s = %#v, want %#v", spec.Fields[i].Name, row.Values[i], w)
		}
	}
	rec.Values = []any{"ada", "b", "1", "1", ""}
	row, probs, _ = m.Map(rec)
	if len(probs) > 0 {
		t.Fatal(problemsText(probs))
	}
	if row.Values[7] != "sold out" || row.Values[2] != int64(0) {
		t.Errorf("label = %v, qty = %v", row.Values[7], row.Values[2])
	}
}

func TestMapExpressionProblems(t *testing.T) {
	cols := []pipeline.Column{{Name: "Price", Ref: "A"}, {Name: "Cost", Ref: "B"}, {Name: "Code", Ref: "C"}}
	spec := Spec{
		Fields: []FieldSpec{
			{Name: "price", From: "Price", Type: "decimal"},
			{Name: "cost", From: "Cost", Type: "decimal"},
			{Name: "margin", Expr: "price - cost", Type: "decimal"},
			{Name: "code", Expr: `src["Code"]`, Type: "integer"},
		},
		Rules: []RuleSpec{
			{Expr: "price >= cost", Field: "price", Message: "price is below cost"},
			{Expr: "margin < 1000"},
		},
	}
	m := mustCompile(t, spec, cols)
	rec := func(vals ...any) pipeline.Record {
		return pipeline.Record{Origin: pipeline.Origin{File: "x.csv", Row: 5}, Values: vals}
	}

	// A null input makes the computed field and the rule fail at run time:
	// problems, not panics, naming the empty field.
	_, probs, _ := m.Map(rec("10", "", "7"))
	if len(probs) != 2 {
		t.Fatalf("problems:\n%s", problemsText(probs))
	}
	if p := probs[0]; p.Rule != "expr" || p.Field != "margin" || !strings.Contains(p.Message, "the expression could not be evaluated: invalid operation") ||
		!strings.Contains(p.Message, "(empty: cost; guard with cost == nil ? nil : … or give it a default)") {
		t.Errorf("computed problem = %+v", p)
	}
	if p := probs[1]; p.Rule != "expr" || p.Field != "price" || p.Cell != "A5" || p.Value != "10" || !strings.Contains(p.Message, "the rule could not be evaluated") || !strings.Contains(p.Message, "guard with cost == nil || …") {
		t.Errorf("rule problem = %+v", p)
	}

	// A failing rule blames its field; an expr rule without a field blames
	// the row.
	_, probs, _ = m.Map(rec("5", "6", "7"))
	if len(probs) != 1 || probs[0].Message != "price is below cost" || probs[0].Cell != "A5" {
		t.Fatalf("problems:\n%s", problemsText(probs))
	}
	_, probs, _ = m.Map(rec("5000", "6", "7"))
	if len(probs) != 1 || probs[0].Message != "the row breaks the rule margin < 1000" || probs[0].Field != "" || probs[0].Cell != "" {
		t.Fatalf("problems:\n%s", problemsText(probs))
	}

	// A computed result that does not fit the type.
	_, probs, _ = m.Map(rec("5", "4", "x7"))
	if len(probs) != 1 || probs[0].Rule != "type" || probs[0].Field != "code" || probs[0].Value != "x7" ||
		!strings.Contains(probs[0].Message, `the expression's result: "x7" is not an integer`) {
		t.Fatalf("problems:\n%s", problemsText(probs))
	}

	// A bad cell is reported once: the computed field and the rules that
	// use it stay quiet.
	_, probs, _ = m.Map(rec("abc", "4", "7"))
	if len(probs) != 1 || probs[0].Rule != "type" || probs[0].Field != "price" {
		t.Fatalf("problems:\n%s", problemsText(probs))
	}
}

func TestSkipIf(t *testing.T) {
	cols := []pipeline.Column{{Name: "Status", Ref: "A"}, {Name: "Qty", Ref: "B"}}
	fields := []FieldSpec{{Name: "qty", From: "Qty", Type: "integer"}}
	rules := []RuleSpec{{Field: "qty", Required: true}}
	rec := func(status, qty string) pipeline.Record {
		return pipeline.Record{Origin: pipeline.Origin{Row: 3}, Values: []any{status, qty}}
	}

	src := mustCompile(t, Spec{Fields: fields, Rules: rules, SkipIf: `src["Status"] == "discontinued"`}, cols)
	if !src.skipEarly {
		t.Error("a src-only skip_if is not tested first")
	}
	for _, tc := range []struct {
		status, qty string
		skip        bool
		probs       int
	}{
		{"discontinued", "bad", true, 0},
		{"discontinued", "", true, 0},
		{"active", "3", false, 0},
		{"active", "bad", false, 1},
		{"active", "", false, 1},
	} {
		_, probs, skip := src.Map(rec(tc.status, tc.qty))
		if skip != tc.skip || len(probs) != tc.probs {
			t.Errorf("%s/%s: skip=%v problems:\n%s", tc.status, tc.qty, skip, problemsText(probs))
		}
	}

	byField := mustCompile(t, Spec{Fields: fields, SkipIf: `qty == nil || qty == 0`}, cols)
	if byField.skipEarly {
		t.Error("a skip_if on fields is tested before mapping")
	}
	for qty, want := range map[string]bool{"0": true, "": true, "1": false, "x": true} {
		_, probs, skip := byField.Map(rec("", qty))
		if skip != want || (skip && len(probs) > 0) {
			t.Errorf("qty %q: skip = %v, problems %v", qty, skip, probs)
		}
	}

	failing := mustCompile(t, Spec{Fields: fields, SkipIf: `qty > 5`}, cols)
	_, probs, skip := failing.Map(rec("", ""))
	if skip || len(probs) != 1 || probs[0].Rule != "expr" || !strings.Contains(probs[0].Message, "skip_if could not be evaluated") {
		t.Fatalf("skip=%v problems:\n%s", skip, problemsText(probs))
	}
}

func TestUnique(t *testing.T) {
	cols := []pipeline.Column{{Name: "SKU", Ref: "A"}, {Name: "Email", Ref: "B"}}
	spec := Spec{
		Fields: []FieldSpec{{Name: "sku", From: "SKU"}, {Name: "email", From: "Email"}},
		Rules:  []RuleSpec{{Field: "sku", Unique: true}, {Field: "email", UniqueIgnoreCase: true}},
	}
	m := mustCompile(t, spec, cols)
	check := m.OrderedCheck()
	rows := [][2]string{
		{"A-1", "x@example.com"},
		{"A-2", ""},
		{"a-1", "X@Example.com"},
		{"A-1", ""},
		{"A-3", "y@example.com"},
		{"A-2", "x@example.COM"},
	}
	var got []string
	for i, r := range rows {
		row, probs, _ := m.Map(pipeline.Record{Origin: pipeline.Origin{File: "c.csv", Row: i + 2}, Values: []any{r[0], r[1]}})
		if len(probs) > 0 {
			t.Fatal(problemsText(probs))
		}
		for _, p := range check.Check(row) {
			got = append(got, fmt.Sprintf("%s %s %s %s", p.Cell, p.Rule, p.Field, p.Message))
		}
	}
	want := []string{
		`B4 unique email value "X@Example.com" already appeared in row 2 (ignoring case): each email must be unique`,
		`A5 unique sku value "A-1" already appeared in row 2: each sku must be unique`,
		`A7 unique sku value "A-2" already appeared in row 3: each sku must be unique`,
		`B7 unique email value "x@example.COM" already appeared in row 2 (ignoring case): each email must be unique`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// A new checker starts afresh.
	row, _, _ := m.Map(pipeline.Record{Origin: pipeline.Origin{Row: 2}, Values: []any{"A-1", ""}})
	if probs := m.OrderedCheck().Check(row); len(probs) > 0 {
		t.Fatalf("fresh checker: %v", probs)
	}
}

func TestUniqueTyped(t *testing.T) {
	m := oneField(t, FieldSpec{Type: "decimal", Round: "half_up"}, RuleSpec{Field: "f", Unique: true, Message: "duplicate price"})
	check := m.OrderedCheck()
	var n int
	for i, in := range []string{"1.5", "1.50", "1.499", "1.501", "2"} {
		row, probs, _ := m.Map(pipeline.Record{Origin: pipeline.Origin{Row: i + 1}, Values: []any{"", "", in}})
		if len(probs) > 0 {
			t.Fatal(problemsText(probs))
		}
		for _, p := range check.Check(row) {
			n++
			if p.Message != "duplicate price" || p.Value != "1.5" {
				t.Errorf("problem %+v", p)
			}
		}
	}
	if n != 3 { // 1.50, and 1.499 and 1.501 round to 1.50
		t.Fatalf("%d duplicates, want 3", n)
	}
}

func TestMapTypedSource(t *testing.T) {
	cols := []pipeline.Column{
		{Name: "id", Type: pipeline.TypeInteger}, {Name: "price", Type: pipeline.TypeFloat},
		{Name: "cost", Type: pipeline.TypeDecimal}, {Name: "active", Type: pipeline.TypeBool},
		{Name: "updated", Type: pipeline.TypeTimestamp}, {Name: "blob", Type: pipeline.TypeBytes},
	}
	spec := Spec{Fields: []FieldSpec{
		{Name: "id", From: "id", Type: "integer"},
		{Name: "id_text", From: "id"},
		{Name: "id_dec", From: "id", Type: "decimal"},
		{Name: "price", From: "price", Type: "decimal", Round: "half_up"},
		{Name: "price_f", From: "price", Type: "float"},
		{Name: "cost", From: "cost", Type: "decimal", Scale: ptr(3), Round: "half_up"},
		{Name: "cost_f", From: "cost", Type: "float"},
		{Name: "active", From: "active", Type: "bool"},
		{Name: "updated", From: "updated", Type: "timestamp"},
		{Name: "day", From: "updated", Type: "date"},
		{Name: "blob", From: "blob", Type: "bytes"},
		{Name: "per_unit", Expr: `src["price"] == nil ? nil : src["price"] / 2`, Type: "decimal", Round: "half_even"},
	}}
	m := mustCompile(t, spec, cols)
	ts := time.Date(2024, 3, 5, 22, 30, 0, 0, time.FixedZone("EST", -5*3600))
	row, probs, _ := m.Map(pipeline.Record{Values: []any{int64(42), 19.999, dec("1.23456"), true, ts, []byte{1, 2}}})
	if len(probs) > 0 {
		t.Fatal(problemsText(probs))
	}
	want := []any{int64(42), "42", dec("42.00"), dec("20.00"), 19.999, dec("1.235"), 1.23456, true,
		time.Date(2024, 3, 6, 3, 30, 0, 0, time.UTC), day(2024, 3, 5), []byte{1, 2}, dec("10.00")}
	for i, w := range want {
		if !sameValue(row.Values[i], w) {
			t.Errorf("%s = %#v, want %#v", spec.Fields[i].Name, row.Values[i], w)
		}
	}
	// nil is null whatever the type.
	row, probs, _ = m.Map(pipeline.Record{Values: make([]any, len(cols))})
	if len(probs) > 0 {
		t.Fatal(problemsText(probs))
	}
	for i, v := range row.Values {
		if v != nil {
			t.Errorf("%s = %#v, want nil", spec.Fields[i].Name, v)
		}
	}
}

func TestMapConcurrent(t *testing.T) {
	m := mustCompile(t, catalogSpec(), catalogColumns())
	var recs []pipeline.Record
	for i := range 200 {
		cells := goodCells()
		cells["SKU"] = fmt.Sprintf("sku-%d", i)
		switch i % 4 {
		case 1:
			cells["Price"] = "12,5"
		case 2:
			cells["Status"] = "discontinued"
		case 3:
			cells["Cost"] = "$5000"
		}
		recs = append(recs, catalogRecord(i+2, cells))
	}
	type result struct {
		row   pipeline.Row
		probs []pipeline.Problem
		skip  bool
	}
	want := make([]result, len(recs))
	for i, r := range recs {
		row, probs, skip := m.Map(r)
		want[i] = result{row, probs, skip}
	}
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range len(recs) {
				i := (k + g*13) % len(recs)
				row, probs, skip := m.Map(recs[i])
				if !reflect.DeepEqual(result{row, probs, skip}, want[i]) {
					errs <- fmt.Sprintf("record %d differs", i)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if !want[2].skip || len(want[1].probs) != 1 || len(want[3].probs) != 1 || want[3].probs[0].Message != "price is below cost" {
		t.Fatalf("unexpected results: %+v %+v %+v", want[1], want[2], want[3])
	}
}

func TestFieldNamedLikeBuiltin(t *testing.T) {
	cols := []pipeline.Column{{Name: "Count"}, {Name: "Date"}}
	m := mustCompile(t, Spec{
		Fields: []FieldSpec{
			{Name: "count", From: "Count", Type: "integer"},
			{Name: "date", From: "Date", Type: "date"},
			{Name: "next", Expr: "count + 1", Type: "integer"},
		},
		Rules: []RuleSpec{
			{Expr: `date == nil || date.Year() >= 2020`},
			{Field: "date", Enum: []Scalar{"2024-01-31", "2024-02-29"}},
		},
	}, cols)
	row, probs, _ := m.Map(pipeline.Record{Values: []any{"4", "2024-02-29"}})
	if len(probs) > 0 || row.Values[2] != int64(5) {
		t.Fatalf("row %v problems:\n%s", row.Values, problemsText(probs))
	}
	_, probs, _ = m.Map(pipeline.Record{Values: []any{"4", "2019-02-28"}})
	if len(probs) != 2 || probs[0].Rule != "expr" || probs[1].Rule != "enum" ||
		!strings.HasPrefix(probs[1].Message, `value "2019-02-28" is not one of 2024-01-31, 2024-02-29`) {
		t.Fatalf("problems:\n%s", problemsText(probs))
	}
}
