// Package sources holds the source types that read local files: csv, xlsx
// and parquet. Each registers itself with pipeline.RegisterSource from init,
// so importing the package (for its side effects) makes them available to
// job files.
//
// Every file source streams with bounded memory, reports rows it cannot read
// faithfully as records with Problems (never as errors), and names the file,
// sheet, row, line and column of everything it reports.
package sources

import (
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/etl-dev/etl/mappings"
	"github.com/etl-dev/etl/pipeline"
)

// errClosed is returned by Next after Close.
var errClosed = fmt.Errorf("source is closed: %w", fs.ErrClosed)

// headerColumns turns the cells of a header row into columns: names are
// trimmed, an empty name becomes "column_<letter>", and a name used twice is
// an error naming both columns. what describes the header for messages, e.g.
// `catalog.csv row 1`.
func headerColumns(cells []string, what string) ([]pipeline.Column, error) {
	cols := make([]pipeline.Column, len(cells))
	seen := make(map[string]int, len(cells))
	empty := true
	for i, c := range cells {
		ref := pipeline.ColumnLetters(i)
		name := strings.TrimSpace(c)
		if name != "" {
			empty = false
		} else {
			name = "column_" + ref
		}
		if j, dup := seen[name]; dup {
			return nil, fmt.Errorf("%s: the header %q appears twice, in columns %s and %s: rename one of them so every column has its own name",
				what, name, pipeline.ColumnLetters(j), ref)
		}
		seen[name] = i
		cols[i] = pipeline.Column{Name: name, Ref: ref, Type: pipeline.TypeString}
	}
	if empty {
		return nil, fmt.Errorf("%s: the header row is empty: set header_row to the row that holds the column names", what)
	}
	return cols, nil
}

// allEmpty reports whether every cell is the empty string.
func allEmpty(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return false
		}
	}
	return true
}

// clip shortens s for messages.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// quoteList formats names as "a", "b", "c".
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// NumberSettings are the settings of a text source that say how its
// numbers are written; they apply to every integer, decimal and float
// field read from it that does not set its own (see mappings.FieldSpec).
type NumberSettings struct {
	Locale             string `yaml:"locale,omitempty" json:"locale,omitempty" jsonschema:"description=How the file writes numbers\\, as a locale: de-DE reads 1.299\\,50 and fr-FR 1 299\\,50 (en-US 1\\,299.50). Applies to every numeric field that does not set its own."`
	DecimalSeparator   string `yaml:"decimal_separator,omitempty" json:"decimal_separator,omitempty" jsonschema:"description=The decimal separator of the file's numbers (. or \\,); overrides locale."`
	ThousandsSeparator string `yaml:"thousands_separator,omitempty" json:"thousands_separator,omitempty" jsonschema:"description=The thousands separator of the file's numbers (. or \\, or a space or ' or _); overrides locale. Strict: only between groups of three digits."`
}

// NumberFormat is the format the settings give (mappings.NumberFormatter).
func (n NumberSettings) NumberFormat() mappings.NumberFormat {
	f, _, _ := mappings.ParseNumberFormat(n.Locale, n.DecimalSeparator, n.ThousandsSeparator)
	return f
}

// validate reports a bad number setting.
func (n NumberSettings) validate() *pipeline.SettingError {
	if _, setting, err := mappings.ParseNumberFormat(n.Locale, n.DecimalSeparator, n.ThousandsSeparator); err != nil {
		return &pipeline.SettingError{Setting: setting, Message: err.Error()}
	}
	return nil
}

// errPathRequired is the error of a config without a path.
func errPathRequired(typ string) error {
	return fmt.Errorf("%s source: path is required: set `path:` to the file to read", typ)
}

// countingReader counts the bytes read through it, for Progress, which may
// be called from another goroutine.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
