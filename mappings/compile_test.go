package mappings

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/invopop/jsonschema"

	"github.com/etl-dev/etl/pipeline"
)

// catalogColumns are the columns of a typical catalog spreadsheet.
func catalogColumns() []pipeline.Column {
	names := []string{"SKU", "Product Name", "Price", "Cost", "Qty", "Active", "Launch", "Updated", "Status", "Category"}
	cols := make([]pipeline.Column, len(names))
	for i, n := range names {
		cols[i] = pipeline.Column{Name: n, Ref: pipeline.ColumnLetters(i)}
	}
	return cols
}

// catalogSpec is the job file example of the design.
func catalogSpec() Spec {
	return Spec{
		Fields: []FieldSpec{
			{Name: "sku", From: "SKU", Case: "upper"},
			{Name: "name", From: "Product Name", Replace: Replacements{{"–", "-"}}, NullIf: []string{"", "N/A", "-"}, Default: sc("Misc")},
			{Name: "price", From: "Price", Type: "decimal", Scale: ptr(2), Precision: ptr(18), Strip: "$€£, "},
			{Name: "cost", From: "Cost", Type: "decimal", Scale: ptr(4), Strip: "$€£, ", Round: "half_up"},
			{Name: "qty", From: "Qty", Type: "integer"},
			{Name: "active", From: "Active", Type: "bool"},
			{Name: "launched", From: "Launch", Type: "date", Formats: []string{"2006-01-02", "02/01/2006"}},
			{Name: "updated", From: "Updated", Type: "timestamp", Timezone: "UTC"},
			{Name: "category", From: "Category"},
			{Name: "margin", Expr: "price == nil || cost == nil ? nil : price - cost", Type: "decimal", Scale: ptr(2), Round: "half_up"},
		},
		SkipIf: `src["Status"] == "discontinued"`,
		Rules: []RuleSpec{
			{Field: "sku", Required: true, Pattern: `^[A-Z0-9][A-Z0-9-]{2,31}$`, Unique: true},
			{Field: "price", Min: sc("0"), Max: sc("100000")},
			{Field: "category", Enum: []Scalar{"Apparel", "Footwear", "Accessories"}},
			{Field: "name", MinLength: ptr(1), MaxLength: ptr(120)},
			{Expr: "cost == nil || price == nil || price >= cost", Field: "price", Message: "price is below cost"},
		},
	}
}

func TestCompileCatalog(t *testing.T) {
	m, err := Compile(catalogSpec(), catalogColumns())
	if err != nil {
		t.Fatal(err)
	}
	want := pipeline.Schema{
		{Name: "sku", Type: pipeline.TypeString, Required: true},
		{Name: "name", Type: pipeline.TypeString},
		{Name: "price", Type: pipeline.TypeDecimal, Precision: 18, Scale: 2},
		{Name: "cost", Type: pipeline.TypeDecimal, Precision: 18, Scale: 4},
		{Name: "qty", Type: pipeline.TypeInteger},
		{Name: "active", Type: pipeline.TypeBool},
		{Name: "launched", Type: pipeline.TypeDate},
		{Name: "updated", Type: pipeline.TypeTimestamp},
		{Name: "category", Type: pipeline.TypeString},
		{Name: "margin", Type: pipeline.TypeDecimal, Precision: 18, Scale: 2},
	}
	got := m.Schema()
	if len(got) != len(want) {
		t.Fatalf("schema has %d fields, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("field %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	got[0].Name = "changed"
	if m.Schema()[0].Name != "sku" {
		t.Error("Schema returns the mapping's own slice")
	}
	if m.OrderedCheck() == nil {
		t.Error("OrderedCheck is nil with a unique rule")
	}
}

func TestOrderedCheckNilWithoutUnique(t *testing.T) {
	m, err := Compile(Spec{Fields: []FieldSpec{{Name: "a", From: "A"}}}, []pipeline.Column{{Name: "A"}})
	if err != nil {
		t.Fatal(err)
	}
	if oc := m.OrderedCheck(); oc != nil {
		t.Fatalf("OrderedCheck = %#v, want nil", oc)
	}
}

type wantErr struct{ path, msg, hint string }

func TestCompileErrors(t *testing.T) {
	cols := catalogColumns()
	field := func(fs ...FieldSpec) Spec { return Spec{Fields: fs} }
	base := []FieldSpec{
		{Name: "sku", From: "SKU"},
		{Name: "name", From: "Product Name"},
		{Name: "price", From: "Price", Type: "decimal"},
		{Name: "qty", From: "Qty", Type: "integer"},
		{Name: "launched", From: "Launch", Type: "date"},
	}
	withRules := func(rs ...RuleSpec) Spec { return Spec{Fields: base, Rules: rs} }
	withFields := func(fs ...FieldSpec) Spec { return Spec{Fields: append(append([]FieldSpec(nil), base...), fs...)} }
	typed := []pipeline.Column{{Name: "Flag", Type: pipeline.TypeBool}, {Name: "N", Type: pipeline.TypeInteger}, {Name: "When", Type: pipeline.TypeTimestamp}}

	tests := []struct {
		name string
		spec Spec
		cols []pipeline.Column
		want []wantErr
	}{
		{"unknown column", field(FieldSpec{Name: "price", From: "Prce"}), cols,
			[]wantErr{{"mapping.price.from", `no column "Prce" in the source`, `did you mean "Price"?`}}},
		{"column case", field(FieldSpec{Name: "name", From: "product name"}), cols,
			[]wantErr{{"mapping.name.from", `no column "product name"`, `did you mean "Product Name"?`}}},
		{"column typo in long name", field(FieldSpec{Name: "name", From: "ProductName"}), cols,
			[]wantErr{{"mapping.name.from", "", `did you mean "Product Name"?`}}},
		{"column far off", field(FieldSpec{Name: "x", From: "Zebra"}), cols,
			[]wantErr{{"mapping.x.from", `no column "Zebra"`, `the columns are: "SKU", "Product Name"`}}},
		{"duplicate source column", field(FieldSpec{Name: "x", From: "Notes"}), []pipeline.Column{{Name: "Notes", Ref: "A"}, {Name: "Notes", Ref: "B"}},
			[]wantErr{{"mapping.x.from", `2 columns are named "Notes"`, "rename one"}}},
		{"unknown type synonym", field(FieldSpec{Name: "qty", From: "Qty", Type: "int"}), cols,
			[]wantErr{{"mapping.qty.type", `unknown type "int"`, `did you mean "integer"?`}}},
		{"unknown type typo", field(FieldSpec{Name: "price", From: "Price", Type: "decmal"}), cols,
			[]wantErr{{"mapping.price.type", `unknown type "decmal"`, `did you mean "decimal"?`}}},
		{"unknown case", field(FieldSpec{Name: "sku", From: "SKU", Case: "uper"}), cols,
			[]wantErr{{"mapping.sku.case", `unknown case "uper"`, `did you mean "upper"?`}}},
		{"neither from nor expr", field(FieldSpec{Name: "x"}), cols,
			[]wantErr{{"mapping.x", "neither from nor expr", "add from:"}}},
		{"both from and expr", field(FieldSpec{Name: "x", From: "SKU", Expr: "1"}), cols,
			[]wantErr{{"mapping.x.expr", "both from and expr", ""}}},
		{"duplicate field", field(FieldSpec{Name: "sku", From: "SKU"}, FieldSpec{Name: "sku", From: "Qty"}), cols,
			[]wantErr{{"mapping.sku", `field "sku" is mapped twice`, ""}}},
		{"not an identifier", field(FieldSpec{Name: "Product Name", From: "Product Name"}), cols,
			[]wantErr{{"mapping.Product Name", "is not an identifier", `name it like "product_name"`}}},
		{"starts with digit", field(FieldSpec{Name: "2nd", From: "SKU"}), cols,
			[]wantErr{{"mapping.2nd", "is not an identifier", `"f_2nd"`}}},
		{"reserved", field(FieldSpec{Name: "in", From: "SKU"}), cols,
			[]wantErr{{"mapping.in", "reserved", `"in_value"`}}},
		{"src reserved", field(FieldSpec{Name: "src", From: "SKU"}), cols,
			[]wantErr{{"mapping.src", "reserved", ""}}},
		{"unknown timezone", field(FieldSpec{Name: "u", From: "Updated", Type: "timestamp", Timezone: "Mars/Olympus"}), cols,
			[]wantErr{{"mapping.u.timezone", `unknown timezone "Mars/Olympus"`, "IANA"}}},
		{"local timezone", field(FieldSpec{Name: "u", From: "Updated", Type: "timestamp", Timezone: "Local"}), cols,
			[]wantErr{{"mapping.u.timezone", "unknown timezone", ""}}},
		{"bad default", field(FieldSpec{Name: "qty", From: "Qty", Type: "integer", Default: sc("none")}), cols,
			[]wantErr{{"mapping.qty.default", `bad default: "none" is not an integer`, ""}}},
		{"bad decimal default", field(FieldSpec{Name: "p", From: "Price", Type: "decimal", Default: sc("1,5")}), cols,
			[]wantErr{{"mapping.p.default", `set decimal_separator: ","`, ""}}},
		{"scale on string", field(FieldSpec{Name: "s", From: "SKU", Scale: ptr(2)}), cols,
			[]wantErr{{"mapping.s.scale", "scale applies to decimal fields, not to string", ""}}},
		{"precision on integer", field(FieldSpec{Name: "q", From: "Qty", Type: "integer", Precision: ptr(5)}), cols,
			[]wantErr{{"mapping.q.precision", "precision applies to decimal fields", ""}}},
		{"scale above precision", field(FieldSpec{Name: "p", From: "Price", Type: "decimal", Precision: ptr(4), Scale: ptr(6)}), cols,
			[]wantErr{{"mapping.p.scale", "scale 6 exceeds precision 4", ""}}},
		{"default scale above precision", field(FieldSpec{Name: "p", From: "Price", Type: "decimal", Precision: ptr(1)}), cols,
			[]wantErr{{"mapping.p.precision", "scale 2 exceeds precision 1", ""}}},
		{"negative scale", field(FieldSpec{Name: "p", From: "Price", Type: "decimal", Scale: ptr(-1)}), cols,
			[]wantErr{{"mapping.p.scale", "must not be negative", ""}}},
		{"zero precision", field(FieldSpec{Name: "p", From: "Price", Type: "decimal", Precision: ptr(0)}), cols,
			[]wantErr{{"mapping.p.precision", "between 1 and 100", ""}}},
		{"strip on string", field(FieldSpec{Name: "s", From: "SKU", Strip: "$"}), cols,
			[]wantErr{{"mapping.s.strip", "strip applies to integer, decimal and float fields", "use replace"}}},
		{"strip digits", field(FieldSpec{Name: "p", From: "Price", Type: "decimal", Strip: "0"}), cols,
			[]wantErr{{"mapping.p.strip", "must not contain digits", ""}}},
		{"true_values on string", field(FieldSpec{Name: "s", From: "SKU", TrueValues: []string{"x"}}), cols,
			[]wantErr{{"mapping.s.true_values", "true_values applies to bool fields", ""}}},
		{"overlapping bools", field(FieldSpec{Name: "a", From: "Active", Type: "bool", TrueValues: []string{"Yes", "No"}}), cols,
			[]wantErr{{"mapping.a.true_values", `"No" is both a true and a false value`, ""}}},
		{"formats on integer", field(FieldSpec{Name: "q", From: "Qty", Type: "integer", Formats: []string{"2006"}}), cols,
			[]wantErr{{"mapping.q.formats", "formats applies to date and timestamp fields", ""}}},
		{"timezone on string", field(FieldSpec{Name: "s", From: "SKU", Timezone: "UTC"}), cols,
			[]wantErr{{"mapping.s.timezone", "timezone applies to date and timestamp fields", ""}}},
		{"strftime layout", field(FieldSpec{Name: "d", From: "Launch", Type: "date", Formats: []string{"DD/MM/YYYY"}}), cols,
			[]wantErr{{"mapping.d.formats", `"DD/MM/YYYY" is not a Go time layout`, `did you mean "02/01/2006"?`}}},
		{"percent layout", field(FieldSpec{Name: "d", From: "Launch", Type: "date", Formats: []string{"%Y-%m-%d %H:%M"}}), cols,
			[]wantErr{{"mapping.d.formats", "not a Go time layout", `"2006-01-02 15:04"`}}},
		{"layout without day", field(FieldSpec{Name: "d", From: "Launch", Type: "date", Formats: []string{"01/2006"}}), cols,
			[]wantErr{{"mapping.d.formats", "with a year, month and day", "reference time"}}},
		{"typed column cannot convert", field(FieldSpec{Name: "d", From: "Flag", Type: "date"}), typed,
			[]wantErr{{"mapping.d.type", `column "Flag" holds bool values, which cannot become date`, "use type: bool"}}},
		{"typed time to integer", field(FieldSpec{Name: "d", From: "When", Type: "integer"}), typed,
			[]wantErr{{"mapping.d.type", "holds timestamp values", ""}}},
		{"expr syntax", withFields(FieldSpec{Name: "m", Expr: "price -", Type: "decimal"}), cols,
			[]wantErr{{"mapping.m.expr", "bad expression: unexpected token EOF", ""}}},
		{"expr unknown name", withFields(FieldSpec{Name: "m", Expr: "prise * 2", Type: "decimal"}), cols,
			[]wantErr{{"mapping.m.expr", "bad expression: unknown name prise (at 1:1 in the expression)", `did you mean "price"?`}}},
		{"expr later field", Spec{Fields: []FieldSpec{{Name: "m", Expr: "price * 2", Type: "decimal"}, {Name: "price", From: "Price", Type: "decimal"}}}, cols,
			[]wantErr{{"mapping.m.expr", "unknown name price", `field "price" is mapped after "m"`}}},
		{"expr self", withFields(FieldSpec{Name: "m", Expr: "m + 1", Type: "integer"}), cols,
			[]wantErr{{"mapping.m.expr", "unknown name m", "mapped after"}}},
		{"expr column as name", withFields(FieldSpec{Name: "m", Expr: "Qty * 2", Type: "integer"}), cols,
			[]wantErr{{"mapping.m.expr", "unknown name Qty", `did you mean "qty"? (to read the column, write src["Qty"])`}}},
		{"expr column only", withFields(FieldSpec{Name: "m", Expr: "Status", Type: "string"}), cols,
			[]wantErr{{"mapping.m.expr", "unknown name Status", `write src["Status"]`}}},
		{"expr type error", withFields(FieldSpec{Name: "m", Expr: "name + 1"}), cols,
			[]wantErr{{"mapping.m.expr", "mismatched types string and int", ""}}},
		{"expr unknown src column", withFields(FieldSpec{Name: "m", Expr: `src["Stauts"]`}), cols,
			[]wantErr{{"mapping.m.expr", `no column "Stauts" in the source`, `did you mean "Status"?`}}},
		{"expr unknown src member", withFields(FieldSpec{Name: "m", Expr: `src.Categry`}), cols,
			[]wantErr{{"mapping.m.expr", `no column "Categry"`, `did you mean "Category"?`}}},
		{"expr result type", withFields(FieldSpec{Name: "m", Expr: "qty > 0", Type: "date"}), cols,
			[]wantErr{{"mapping.m.expr", "the expression gives bool values, which cannot become date", "use type: bool"}}},
		{"skip_if src", Spec{Fields: base, SkipIf: `src["status"] == "x"`}, cols,
			[]wantErr{{"skip_if", `no column "status"`, `did you mean "Status"?`}}},
		{"skip_if not bool", Spec{Fields: base, SkipIf: `qty + 1`}, cols,
			[]wantErr{{"skip_if", "bad expression", "must be true or false"}}},
		{"skip_if syntax", Spec{Fields: base, SkipIf: `qty >`}, cols,
			[]wantErr{{"skip_if", "bad expression", ""}}},
		{"rule unknown field", withRules(RuleSpec{Field: "skus", Required: true}), cols,
			[]wantErr{{"validate[0].field", `no field "skus" in the mapping`, `did you mean "sku"?`}}},
		{"rule on invalid field reports the field only", Spec{Fields: []FieldSpec{{Name: "a b", From: "SKU"}}, Rules: []RuleSpec{{Field: "a b", Required: true}}}, cols,
			[]wantErr{{"mapping.a b", "not an identifier", ""}}},
		{"rule nothing", withRules(RuleSpec{Field: "sku"}), cols,
			[]wantErr{{"validate[0]", "the rule checks nothing", "add required"}}},
		{"rule empty", withRules(RuleSpec{}), cols,
			[]wantErr{{"validate[0]", "neither a field nor an expr", ""}}},
		{"rule checks without field", withRules(RuleSpec{Required: true}), cols,
			[]wantErr{{"validate[0].field", "the rule's checks need a field", ""}}},
		{"bad regexp", withRules(RuleSpec{Field: "sku", Pattern: "^[A-Z"}), cols,
			[]wantErr{{"validate[0].pattern", "bad regular expression: missing closing ]", ""}}},
		{"lookahead", withRules(RuleSpec{Field: "sku", Pattern: "^(?=A)"}), cols,
			[]wantErr{{"validate[0].pattern", "bad regular expression", "RE2"}}},
		{"pattern on number", withRules(RuleSpec{Field: "qty", Pattern: "^1"}), cols,
			[]wantErr{{"validate[0].pattern", `pattern applies to string fields; "qty" is integer`, "matches"}}},
		{"min on string", withRules(RuleSpec{Field: "name", Min: sc("1")}), cols,
			[]wantErr{{"validate[0].min", `min applies to numbers and dates; "name" is string`, "min_length"}}},
		{"min not a number", withRules(RuleSpec{Field: "price", Min: sc("zero")}), cols,
			[]wantErr{{"validate[0].min", `min "zero" is not a number`, ""}}},
		{"max below min", withRules(RuleSpec{Field: "price", Min: sc("10"), Max: sc("9.99")}), cols,
			[]wantErr{{"validate[0].max", "max 9.99 is below min 10", "swap"}}},
		{"date bound", withRules(RuleSpec{Field: "launched", Min: sc("01/01/2020")}), cols,
			[]wantErr{{"validate[0].min", `min: "01/01/2020" is not a date`, "2024-01-31"}}},
		{"length on integer", withRules(RuleSpec{Field: "qty", MaxLength: ptr(3)}), cols,
			[]wantErr{{"validate[0].max_length", "max_length applies to string fields", ""}}},
		{"negative length", withRules(RuleSpec{Field: "name", MinLength: ptr(-1)}), cols,
			[]wantErr{{"validate[0].min_length", "must not be negative", ""}}},
		{"lengths crossed", withRules(RuleSpec{Field: "name", MinLength: ptr(5), MaxLength: ptr(2)}), cols,
			[]wantErr{{"validate[0].max_length", "max_length 2 is below min_length 5", ""}}},
		{"enum value of wrong type", withRules(RuleSpec{Field: "qty", Enum: []Scalar{"1", "two"}}), cols,
			[]wantErr{{"validate[0].enum", `enum value "two" does not fit the field: "two" is not an integer`, ""}}},
		{"rule expr unknown name", withRules(RuleSpec{Expr: "cots > 0"}), cols,
			[]wantErr{{"validate[0].expr", "unknown name cots", ""}}},
		{"rule expr not bool", withRules(RuleSpec{Expr: "price"}), cols,
			[]wantErr{{"validate[0].expr", "bad expression", "true or false"}}},
		{"rule index", withRules(RuleSpec{Field: "sku", Required: true}, RuleSpec{Field: "nme", Required: true}), cols,
			[]wantErr{{"validate[1].field", "", `did you mean "name"?`}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Compile(tc.spec, tc.cols)
			if err == nil {
				t.Fatalf("Compile succeeded (%d fields), want errors", len(m.fields))
			}
			var errs SpecErrors
			if !errors.As(err, &errs) {
				t.Fatalf("error %T is not SpecErrors", err)
			}
			if len(errs) != len(tc.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(errs), len(tc.want), err)
			}
			for i, w := range tc.want {
				e := errs[i]
				if e.Path != w.path || !strings.Contains(e.Message, w.msg) || !strings.Contains(e.Hint, w.hint) {
					t.Errorf("error %d = {%q, %q, %q}, want {%q, ~%q, ~%q}", i, e.Path, e.Message, e.Hint, w.path, w.msg, w.hint)
				}
			}
		})
	}
}

func TestCompileReportsEveryError(t *testing.T) {
	spec := Spec{
		Fields: []FieldSpec{
			{Name: "sku", From: "SKUU"},
			{Name: "qty", From: "Qty", Type: "number"},
			{Name: "m", Expr: "qty +"},
		},
		SkipIf: `src["Nope"] == 1`,
		Rules:  []RuleSpec{{Field: "sku", Pattern: "("}, {Field: "price", Required: true}},
	}
	_, err := Compile(spec, catalogColumns())
	var errs SpecErrors
	if !errors.As(err, &errs) {
		t.Fatalf("err = %v", err)
	}
	var paths []string
	for _, e := range errs {
		paths = append(paths, e.Path)
	}
	want := "mapping.sku.from mapping.qty.type mapping.m.expr skip_if validate[0].pattern validate[1].field"
	if got := strings.Join(paths, " "); got != want {
		t.Fatalf("paths = %s\nwant    %s", got, want)
	}
	text := err.Error()
	if !strings.HasPrefix(text, "6 mistakes in the mapping:\n  mapping.sku.from: no column \"SKUU\" in the source; did you mean \"SKU\"?\n") {
		t.Fatalf("Error() = %s", text)
	}
}

func TestSpecErrorText(t *testing.T) {
	e := &SpecError{Path: "mapping.price.from", Message: `no column "Prce" in the source`, Hint: `did you mean "Price"?`}
	if got, want := e.Error(), `mapping.price.from: no column "Prce" in the source; did you mean "Price"?`; got != want {
		t.Fatalf("Error() = %s", got)
	}
	if got := (&SpecError{Path: "skip_if", Message: "bad"}).Error(); got != "skip_if: bad" {
		t.Fatalf("Error() = %s", got)
	}
	if got := (SpecErrors{e}).Error(); got != e.Error() {
		t.Fatalf("one error: %s", got)
	}
}

func TestScalarYAML(t *testing.T) {
	doc := `
field: price
min: 0.10
max: 123456789012345678901234567890.123
enum: [1.50, 'it''s', "a\tb", yes, 2024-01-02]
message: too big
`
	var r RuleSpec
	if err := yaml.Unmarshal([]byte(doc), &r); err != nil {
		t.Fatal(err)
	}
	if *r.Min != "0.10" || *r.Max != "123456789012345678901234567890.123" {
		t.Errorf("min, max = %q, %q", *r.Min, *r.Max)
	}
	want := []Scalar{"1.50", "it's", "a\tb", "yes", "2024-01-02"}
	if len(r.Enum) != len(want) {
		t.Fatalf("enum = %q", r.Enum)
	}
	for i := range want {
		if r.Enum[i] != want[i] {
			t.Errorf("enum[%d] = %q, want %q", i, r.Enum[i], want[i])
		}
	}
	var f FieldSpec
	if err := yaml.Unmarshal([]byte("from: Price\ntype: decimal\nscale: 0\ndefault: \"\"\nnull_if: []\ntrim: false\nreplace: {\"–\": \"-\"}\n"), &f); err != nil {
		t.Fatal(err)
	}
	if f.Default == nil || *f.Default != "" || f.Scale == nil || *f.Scale != 0 || f.NullIf == nil || len(f.NullIf) != 0 || *f.Trim || len(f.Replace) != 1 || f.Replace[0] != (Replacement{"–", "-"}) {
		t.Errorf("decoded %+v", f)
	}
	var s Scalar
	if err := s.UnmarshalText([]byte("007")); err != nil || s != "007" {
		t.Errorf("UnmarshalText: %q %v", s, err)
	}
	if err := s.UnmarshalYAML([]byte("|\n  a\n")); err == nil {
		t.Error("block scalar accepted")
	}
}

func TestJSONSchema(t *testing.T) {
	r := &jsonschema.Reflector{FieldNameTag: "yaml", DoNotReference: true}
	b, err := json.Marshal(r.Reflect(&Spec{}))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{
		`"strip":{"type":"string","description":"Numeric fields: characters removed before parsing (currency symbols, thousands separators)"}`,
		`"skip_if":{"type":"string","description":"Boolean expression (expr-lang); matching rows end skipped. Example: src[\"Status\"] == \"discontinued\""}`,
		`"enum":["upper","lower","title"]`,
		`"unique_ignore_case"`,
		`{"type":"number"}`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("schema lacks %s\n%s", want, s)
		}
	}
	if strings.Contains(s, `"Name"`) {
		t.Errorf("schema shows Name: %s", s)
	}
}
