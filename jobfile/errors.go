package jobfile

import (
	"fmt"
	"strings"
)

// Error is one mistake in a job file, with its position.
type Error struct {
	File    string
	Line    int // 1-based; 0 when unknown
	Column  int // 1-based; 0 when unknown
	Message string
	Hint    string // e.g. `did you mean "source"?`; may be empty
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
	}
	b.WriteString(": ")
	b.WriteString(e.Message)
	if e.Hint != "" {
		b.WriteString(" (")
		b.WriteString(e.Hint)
		b.WriteString(")")
	}
	return b.String()
}

// before orders errors by position; those without one go last.
func (e *Error) before(o *Error) bool {
	switch {
	case e.Line == 0 || o.Line == 0:
		return e.Line != 0 && o.Line == 0
	case e.Line != o.Line:
		return e.Line < o.Line
	}
	return e.Column < o.Column
}

// Errors is every mistake found in a job file, in file order.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// err returns nil for no errors, so callers can return it directly.
func (es Errors) err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}
