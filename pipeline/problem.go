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

// RowErrors is returned by Sink.Close when deferred writes (sent at Close
// on behalf of rows written before, such as stock adjustments) failed for
// some rows while the rest of the output is complete. Rows are named by
// Row.Seq; each Problem's Origin says where the row came from.
type RowErrors struct {
	// Failed rows end Rejected with their problem.
	Failed map[int64]Problem
	// Unknown rows end Unknown: the deferred write was sent and its answer
	// never came. The problem says which write.
	Unknown map[int64]Problem
	// Outcomes are rows whose outcome only Close could decide (Created,
	// Updated or Unchanged): a sink that writes documents grouped from
	// rows anywhere in the input writes them at Close, and returns a
	// *RowErrors with Err nil even when nothing failed. Origin is set;
	// other outcomes are ignored.
	Outcomes map[int64]RowOutcome
	// Err, when not nil, is a failure of the output as a whole besides
	// those rows: the run fails with it.
	Err error
}

func (e *RowErrors) Error() string {
	var parts []string
	if len(e.Failed) > 0 {
		parts = append(parts, fmt.Sprintf("deferred writes failed for %d rows", len(e.Failed)))
	}
	if len(e.Unknown) > 0 {
		parts = append(parts, fmt.Sprintf("%d rows unknown", len(e.Unknown)))
	}
	if len(e.Outcomes) > 0 {
		parts = append(parts, fmt.Sprintf("%d rows decided at close", len(e.Outcomes)))
	}
	msg := strings.Join(parts, ", ")
	if e.Err != nil {
		if msg == "" {
			return e.Err.Error()
		}
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *RowErrors) Unwrap() error { return e.Err }
