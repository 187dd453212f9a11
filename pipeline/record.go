package pipeline

import (
	"fmt"
	"strings"
)

// Type is the type of a column or field as etl understands it.
type Type int

// The types a value can have. Values of each type are carried as:
//
//	TypeString    string
//	TypeInteger   int64
//	TypeFloat     float64
//	TypeDecimal   decimal.Decimal (github.com/shopspring/decimal)
//	TypeBool      bool
//	TypeDate      time.Time at midnight UTC
//	TypeTimestamp time.Time in UTC
//	TypeBytes     []byte
//
// A nil value means null whatever the type.
const (
	TypeString Type = iota
	TypeInteger
	TypeFloat
	TypeDecimal
	TypeBool
	TypeDate
	TypeTimestamp
	TypeBytes
)

var typeNames = [...]string{"string", "integer", "float", "decimal", "bool", "date", "timestamp", "bytes"}

func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return fmt.Sprintf("Type(%d)", int(t))
}

// ParseType reads a type name as written in job files.
func ParseType(s string) (Type, bool) {
	for i, n := range typeNames {
		if strings.EqualFold(s, n) {
			return Type(i), true
		}
	}
	return 0, false
}

// MarshalText writes the type by name, so JSON reports say "decimal".
func (t Type) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText reads a type name.
func (t *Type) UnmarshalText(b []byte) error {
	v, ok := ParseType(string(b))
	if !ok {
		return fmt.Errorf("unknown type %q: use one of %s", b, strings.Join(typeNames[:], ", "))
	}
	*t = v
	return nil
}

// TypeNames lists the names ParseType accepts.
func TypeNames() []string { return append([]string(nil), typeNames[:]...) }

// Column describes one column of a source.
type Column struct {
	// Name is the header text (or the Parquet column path).
	Name string
	// Ref is how a spreadsheet user finds the column: the letter ("C") for
	// Excel and CSV, empty where it means nothing.
	Ref string
	// Type is the column's type. CSV and Excel columns are TypeString (Excel
	// dates already converted to ISO 8601 text); Parquet columns are typed.
	Type Type
	// Precision and Scale describe TypeDecimal columns when the source
	// knows them (Parquet DECIMAL, API decimals); 0 when unknown.
	Precision, Scale int
}

// Origin says where a record came from, as a user would look for it.
type Origin struct {
	File  string // path as the job names it
	Sheet string // Excel sheet name; empty for other sources
	Row   int    // 1-based row as a spreadsheet shows it (the header is usually row 1)
	Line  int    // 1-based physical line where a CSV record starts; 0 when it means nothing
}

// String formats the origin as "file [sheet] row N (line L)".
func (o Origin) String() string {
	var b strings.Builder
	b.WriteString(o.File)
	if o.Sheet != "" {
		fmt.Fprintf(&b, " [%s]", o.Sheet)
	}
	if o.Row > 0 {
		fmt.Fprintf(&b, " row %d", o.Row)
	}
	if o.Line > 0 && o.Line != o.Row {
		fmt.Fprintf(&b, " (line %d)", o.Line)
	}
	return b.String()
}

// Record is one input row as a source read it.
type Record struct {
	Origin Origin
	// Values holds one value per source column, in column order, typed as
	// described by Type. Short rows are padded with nil only when the
	// source reports the raggedness in Problems.
	Values []any
	// Problems, when not empty, say why the record could not be read
	// faithfully (ragged row, invalid text encoding). Such a record is
	// rejected without being mapped.
	Problems []Problem
}

// Field describes one field of the rows a mapping produces.
type Field struct {
	Name string
	Type Type
	// Precision and Scale apply to TypeDecimal.
	Precision int
	Scale     int
	// Required fields never hold nil in rows that reach a sink.
	Required bool
}

// Schema is the ordered list of fields of mapped rows.
type Schema []Field

// Index returns the position of the named field, or -1.
func (s Schema) Index(name string) int {
	for i, f := range s {
		if f.Name == name {
			return i
		}
	}
	return -1
}

// Row is a mapped and validated row on its way to a sink.
type Row struct {
	Origin Origin
	// Seq is the row's place in the input, 0 for the first record read,
	// set by the runner. A sink that reports rows after their batch (Close's
	// RowErrors) names them by it.
	Seq int64
	// Values holds one value per schema field, typed as the field says.
	Values []any
	// Outcome may be set by a sink's Write to Created, Updated, Unchanged
	// or Unknown (see Sink.Write); left zero it means Written.
	Outcome Outcome
}
