package pipeline

import (
	"fmt"
	"strings"
)

// Problem is one reason a row was rejected, naming the cell as precisely as
// is known: where the row came from, which source column and which target
// field, the offending value, the rule that failed and a message that says
// what would fix it.
type Problem struct {
	Origin  Origin `json:"origin"`
	Column  string `json:"column,omitempty"` // source column name
	Cell    string `json:"cell,omitempty"`   // spreadsheet cell reference, e.g. "C12"
	Field   string `json:"field,omitempty"`  // target field
	Value   string `json:"value,omitempty"`  // the offending value as text
	Rule    string `json:"rule"`             // e.g. "required", "type", "pattern", "ragged", "encoding"
	Message string `json:"message"`          // what is wrong and what would fix it
}

// Error formats the problem on one line: where, then what.
func (p Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.Origin.String())
	switch {
	case p.Cell != "" && p.Column != "":
		fmt.Fprintf(&b, ", cell %s (%s)", p.Cell, p.Column)
	case p.Column != "":
		fmt.Fprintf(&b, ", column %q", p.Column)
	case p.Cell != "":
		fmt.Fprintf(&b, ", cell %s", p.Cell)
	}
	if p.Field != "" {
		fmt.Fprintf(&b, ", field %s", p.Field)
	}
	fmt.Fprintf(&b, ": %s", p.Message)
	if p.Value != "" && !strings.Contains(p.Message, p.Value) {
		fmt.Fprintf(&b, " (value %q)", p.Value)
	}
	return b.String()
}

// ColumnLetters returns the spreadsheet letters of the 0-based column index
// i: 0 → "A", 25 → "Z", 26 → "AA".
func ColumnLetters(i int) string {
	var buf [8]byte
	n := len(buf)
	for i++; i > 0; i = (i - 1) / 26 {
		n--
		buf[n] = byte('A' + (i-1)%26)
	}
	return string(buf[n:])
}

// BatchError reports rows of a batch that a sink could not write while the
// rest were written. Failed maps the index in the batch to the problem; the
// runner counts those rows as rejected.
type BatchError struct {
	Failed map[int]Problem
}

func (e *BatchError) Error() string {
	return fmt.Sprintf("%d rows of the batch failed", len(e.Failed))
}
