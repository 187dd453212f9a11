package mappings

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/invopop/jsonschema"
)

// Spec is the mapping and validation part of a job file: the `mapping:`,
// `skip_if:` and `validate:` sections. It is plain data; Compile checks it
// and turns it into a Mapping.
type Spec struct {
	// Fields are the output fields, in output order. In a job file they
	// are a YAML mapping from field name to settings (or to a bare column
	// name, short for {from: COLUMN}); the job loader decodes that ordered
	// mapping, fills FieldSpec.Name and keeps the order. A plain YAML
	// decoder cannot decode `mapping:` into this slice by itself.
	Fields []FieldSpec `yaml:"mapping" jsonschema:"description=Output fields in output order: field name to a source column name or to field settings"`
	// SkipIf is an optional boolean expression; a record for which it is
	// true ends "skipped". See Compile for what expressions can use.
	SkipIf string `yaml:"skip_if,omitempty" jsonschema:"description=Boolean expression (expr-lang); matching rows end skipped. Example: src[\"Status\"] == \"discontinued\""`
	// Rules are the validation rules, checked after mapping.
	Rules []RuleSpec `yaml:"validate,omitempty" jsonschema:"description=Validation rules checked on every mapped row"`
	// Numbers is how the source writes numbers (see NumberFormatter), for
	// the numeric fields that do not say.
	Numbers NumberFormat `yaml:"-" jsonschema:"-"`
}

// FieldSpec configures one output field. Exactly one of From and Expr must
// be set. Text settings (Trim, NullIf, Replace, Case) apply to text input;
// the others apply to the field's type only, and Compile rejects them on a
// field of another type.
//
// Text input is processed in this order: trim, null_if, replace (in the
// order written, each seeing the result of the previous one), case, then
// the type's parsing (for numbers: strip, then the separators). Typed input (Parquet int64,
// float64, bool, time.Time, decimal.Decimal) is converted directly; it is
// turned into text only for string fields.
type FieldSpec struct {
	// Name is the output field name, a valid identifier
	// ([A-Za-z_][A-Za-z0-9_]*) so that expressions can use it. The loader
	// fills it from the mapping key.
	Name string `yaml:"-" jsonschema:"-"`
	// From is the source column name (the header text).
	From string `yaml:"from,omitempty" jsonschema:"description=Source column name (header text)"`
	// Expr computes the field from fields mapped before it and from
	// src["Column"], instead of reading a column.
	Expr string `yaml:"expr,omitempty" jsonschema:"description=Computed field: an expr-lang expression over fields mapped earlier and src[\"Column\"]"`
	// Type is the field type: string (default), integer, decimal, float,
	// bool, date, timestamp or bytes.
	Type string `yaml:"type,omitempty" jsonschema:"description=Field type (default string),enum=string,enum=integer,enum=decimal,enum=float,enum=bool,enum=date,enum=timestamp,enum=bytes"`
	// Trim strips surrounding white space (Unicode) from text input of
	// string and bytes fields; nil means true. Fields of other types always
	// ignore surrounding white space.
	Trim *bool `yaml:"trim,omitempty" jsonschema:"description=Strip surrounding whitespace of text input (default true)"`
	// Case converts text: upper, lower or title (first letter of every
	// word upper case, the rest lower case).
	Case string `yaml:"case,omitempty" jsonschema:"description=Change the case of text,enum=upper,enum=lower,enum=title"`
	// Replace holds literal replacements (old → new), applied one after
	// another in the order the job file writes them.
	Replace Replacements `yaml:"replace,omitempty" jsonschema:"description=Literal replacements (old: new) applied one after another in the order written"`
	// NullIf lists the (trimmed) input texts that mean null; nil means
	// [""]. An explicit list replaces the default, so include "" to keep
	// empty cells null in string fields. For fields of other types an
	// empty text is always null, except that a text a bool field lists in
	// true_values or false_values is never null (false_values: ["no", ""]
	// reads blank cells as false).
	NullIf []string `yaml:"null_if,omitempty" jsonschema:"description=Input values treated as null (default [\"\"])"`
	// Default is used when the value is null. It is text, processed like
	// input (Compile coerces it, so a bad default fails before any data
	// moves); null_if does not apply to it.
	Default *Scalar `yaml:"default,omitempty" jsonschema:"description=Value used when the input is null (text coerced like input)"`
	// Precision and Scale apply to decimal fields: at most Precision
	// significant digits, Scale of them after the decimal point. Defaults
	// 18 and 2; precision at most 100. A value with more decimals than
	// Scale is a problem of its row, unless Round says how to round it;
	// values with too many integer digits are rejected.
	Precision *int `yaml:"precision,omitempty" jsonschema:"description=Decimal fields: total number of digits (default 18),minimum=1,maximum=100"`
	Scale     *int `yaml:"scale,omitempty" jsonschema:"description=Decimal fields: digits after the decimal point (default 2); a value with more is rejected unless round is set,minimum=0"`
	// Round lets a decimal field round values with more decimals than
	// Scale: half_even (banker's rounding), half_up (half away from zero)
	// or down (towards zero). Left out, such a value rejects its row, so
	// that no amount is changed without the job saying so.
	Round string `yaml:"round,omitempty" jsonschema:"description=Decimal fields: round values with more decimals than scale (half_even or half_up or down); left out they are rejected,enum=half_even,enum=half_up,enum=down"`
	// DecimalSeparator and ThousandsSeparator say how numbers are written
	// in the text of integer, decimal and float fields: "1.299,50" has the
	// decimal separator "," and the thousands separator ".". Parsing is
	// strict: a thousands separator must sit between groups of three
	// digits of the integer part, and no other separator may appear.
	// Locale (de-DE, fr-FR, en-US, ...) sets both; the two settings
	// override it. A source may set them for all its columns.
	DecimalSeparator   string `yaml:"decimal_separator,omitempty" jsonschema:"description=Numeric fields: the decimal separator of the text (. or \\,),enum=.,enum=\\,"`
	ThousandsSeparator string `yaml:"thousands_separator,omitempty" jsonschema:"description=Numeric fields: the thousands separator of the text (. or \\, or a space or ' or _); strict: only between groups of three digits"`
	Locale             string `yaml:"locale,omitempty" jsonschema:"description=Numeric fields: a locale whose separators the text uses\\, e.g. de-DE (1.299\\,50) or fr-FR (1 299\\,50) or en-US (1\\,299.50)"`
	// Strip lists characters removed from numeric text before parsing
	// (integer, decimal, float), such as currency symbols and thousands
	// separators: "$€£, ".
	Strip string `yaml:"strip,omitempty" jsonschema:"description=Numeric fields: characters removed before parsing (currency symbols\\, thousands separators)"`
	// TrueValues and FalseValues replace the accepted spellings of bool
	// fields (compared case-insensitively). The defaults are true, yes, y,
	// 1, on and false, no, n, 0, off.
	TrueValues  []string `yaml:"true_values,omitempty" jsonschema:"description=Bool fields: texts meaning true (default true yes y 1 on; case-insensitive)"`
	FalseValues []string `yaml:"false_values,omitempty" jsonschema:"description=Bool fields: texts meaning false (default false no n 0 off; case-insensitive)"`
	// Formats are Go time layouts ("02/01/2006") for date and timestamp
	// fields, tried in order. ISO 8601 forms are always accepted as well:
	// a date (2006-01-02) and a date-time (RFC 3339 with or without
	// offset, T or space between date and time, optional seconds and
	// fraction); a date field takes the date of a date-time as written.
	Formats []string `yaml:"formats,omitempty" jsonschema:"description=Date and timestamp fields: Go time layouts tried in order (ISO 8601 is always accepted)"`
	// Timezone is the IANA zone (UTC, Europe/Berlin) of timestamps written
	// without an offset; default UTC. Timestamps are stored in UTC. A date
	// field takes the date of a typed (Parquet) time in this zone.
	Timezone string `yaml:"timezone,omitempty" jsonschema:"description=Date and timestamp fields: IANA time zone for values without an offset (default UTC)"`
}

// RuleSpec is one validation rule. A rule names a Field and any number of
// checks on it (Required, Pattern, Enum, Min, Max, MinLength, MaxLength,
// Unique, UniqueIgnoreCase), or is an Expr rule (Field then only says which
// cell is blamed). Checks other than Required pass on null values.
type RuleSpec struct {
	// Field is the output field checked (or blamed, for an Expr rule).
	Field string `yaml:"field,omitempty" jsonschema:"description=Output field checked (for an expr rule: the cell blamed)"`
	// Required rejects null values, and marks the field Required in the
	// schema.
	Required bool `yaml:"required,omitempty" jsonschema:"description=The field must not be null"`
	// Pattern is a regular expression (Go RE2 syntax) string values must
	// match; anchor it with ^ and $ to match the whole value.
	Pattern string `yaml:"pattern,omitempty" jsonschema:"description=Regular expression (RE2) that string values must match; use ^ and $ to anchor"`
	// Unique rejects a value seen in an earlier row of the input
	// (case-sensitive; UniqueIgnoreCase compares lower-cased text).
	Unique           bool `yaml:"unique,omitempty" jsonschema:"description=Values must be unique within the input (case-sensitive)"`
	UniqueIgnoreCase bool `yaml:"unique_ignore_case,omitempty" jsonschema:"description=Values must be unique within the input ignoring case"`
	// Min and Max bound numeric, date and timestamp fields (inclusive),
	// written as YAML numbers or strings ("2024-01-01" for dates).
	Min *Scalar `yaml:"min,omitempty" jsonschema:"description=Smallest allowed value (inclusive) of a number or date field"`
	Max *Scalar `yaml:"max,omitempty" jsonschema:"description=Largest allowed value (inclusive) of a number or date field"`
	// Enum lists the allowed values, coerced to the field type; strings are
	// compared exactly.
	Enum []Scalar `yaml:"enum,omitempty" jsonschema:"description=Allowed values (case-sensitive for strings)"`
	// MinLength and MaxLength bound the length of string values in
	// characters (Unicode code points).
	MinLength *int `yaml:"min_length,omitempty" jsonschema:"description=Minimum length of string values in characters,minimum=0"`
	MaxLength *int `yaml:"max_length,omitempty" jsonschema:"description=Maximum length of string values in characters,minimum=0"`
	// Expr is a boolean expression (expr-lang) that must be true.
	Expr string `yaml:"expr,omitempty" jsonschema:"description=Boolean expression (expr-lang) that must hold; a null-safe example: cost == nil || price >= cost"`
	// Message replaces the generated message of the rule's problems.
	Message string `yaml:"message,omitempty" jsonschema:"description=Message reported when the rule fails (replaces the generated one)"`
}

// Scalar is a setting written in a job file as any YAML scalar — string,
// number or bool — kept as its exact text, so that `min: 0.10`,
// `max: 123456789012345678901234567890` and `min: "2024-01-01"` lose
// nothing to float64. Compile interprets it according to the field type.
type Scalar string

// UnmarshalYAML keeps the scalar's source text exactly. It is the raw-bytes
// unmarshaler interface of github.com/goccy/go-yaml; other decoders use
// UnmarshalText.
func (s *Scalar) UnmarshalYAML(b []byte) error {
	v, err := scalarText(string(b))
	if err != nil {
		return err
	}
	*s = Scalar(v)
	return nil
}

// UnmarshalText takes the text as it is.
func (s *Scalar) UnmarshalText(b []byte) error {
	*s = Scalar(b)
	return nil
}

// MarshalText returns the text.
func (s Scalar) MarshalText() ([]byte, error) { return []byte(s), nil }

// String returns the text.
func (s Scalar) String() string { return string(s) }

// JSONSchema describes a Scalar as a string, number or boolean.
func (Scalar) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{OneOf: []*jsonschema.Schema{
		{Type: "string"}, {Type: "number"}, {Type: "boolean"},
	}}
}

// scalarText decodes one YAML scalar as written: a plain scalar stays as it
// is (so numbers keep every digit), a quoted one is unquoted.
func scalarText(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", nil
	}
	switch s[0] {
	case '\'':
		if len(s) < 2 || s[len(s)-1] != '\'' {
			return "", fmt.Errorf("unterminated single-quoted string %s", s)
		}
		return strings.ReplaceAll(s[1:len(s)-1], "''", "'"), nil
	case '"':
		v, err := strconv.Unquote(s)
		if err != nil {
			return "", fmt.Errorf("cannot read the double-quoted string %s: %w", s, err)
		}
		return v, nil
	case '|', '>', '[', '{', '&', '*', '!':
		return "", errors.New("expected a single-line value (a string, number or bool)")
	}
	switch s {
	case "~", "null", "Null", "NULL":
		return "", nil
	}
	return s, nil
}

// SpecError is one mistake in a Spec, found by Compile.
type SpecError struct {
	// Path names the setting at fault: "mapping.<field>.<key>" (for
	// example "mapping.price.from"), "mapping.<field>" for the field as a
	// whole (its name), "skip_if", or "validate[<i>].<key>" with a 0-based
	// rule index ("validate[<i>]" for the rule as a whole). A job loader
	// can turn it into file:line:column.
	Path string
	// Message says what is wrong.
	Message string
	// Hint, when not empty, suggests a fix: `did you mean "Price"?`.
	Hint string
}

// Error formats the error as "path: message; hint".
func (e *SpecError) Error() string {
	if e.Hint == "" {
		return e.Path + ": " + e.Message
	}
	return e.Path + ": " + e.Message + "; " + e.Hint
}

// SpecErrors is every mistake Compile found, in the order of the spec:
// fields, then skip_if, then rules.
type SpecErrors []*SpecError

// Error lists the errors, one a line.
func (es SpecErrors) Error() string {
	switch len(es) {
	case 0:
		return "no errors"
	case 1:
		return es[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d mistakes in the mapping:", len(es))
	for _, e := range es {
		b.WriteString("\n  ")
		b.WriteString(e.Error())
	}
	return b.String()
}
