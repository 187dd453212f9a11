// Package inspect looks at an input file the way a person onboarding it
// would: which columns it has, what type each one holds, how many cells are
// empty, a few examples and the first rows. It also writes a starter job
// for the file (StarterJob), so that a first-time user begins from a job
// that already names every column.
//
// Inspect opens files through the source registry, so it reads whatever
// the sources package reads (csv, xlsx, parquet).
package inspect

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/etl-dev/etl/pipeline"
	"github.com/etl-dev/etl/sources"
)

// Defaults of Options.
const (
	// DefaultSampleRows is how many rows Report.Sample keeps when the
	// caller asks for 0.
	DefaultSampleRows = 10
	// DefaultMaxRows bounds the rows Inspect reads. Types are inferred from
	// every row read, not only the sample, so that a bad value deep in the
	// file shows up; the bound keeps inspecting a huge file quick. Memory
	// does not grow with the rows read either way.
	DefaultMaxRows = 1_000_000
	// MaxProblems bounds Report.Problems; Report.ProblemRows counts them all.
	MaxProblems = 20
)

// Report is what Inspect learned about one file.
type Report struct {
	// Path is the file as the caller named it.
	Path string `json:"path"`
	// Format is the file format: "csv", "xlsx", "parquet".
	Format string `json:"format"`
	// SourceType is the registered source type that reads it, the name a
	// job file uses in `source: {type: ...}`.
	SourceType string `json:"source_type"`
	// Sheet is the worksheet read, for spreadsheets.
	Sheet string `json:"sheet,omitempty"`
	// HeaderRow is the row holding the column names, where it applies.
	HeaderRow int `json:"header_row,omitempty"`
	// Encoding and Delimiter are the CSV settings the caller gave, for a
	// starter job to keep ("" when detected).
	Encoding  string `json:"encoding,omitempty"`
	Delimiter string `json:"delimiter,omitempty"`
	// Notes say what Inspect chose for the reader: a header found below
	// title rows, a hidden first sheet passed over.
	Notes []string `json:"notes,omitempty"`
	// Columns describes each column, in file order.
	Columns []ColumnInfo `json:"columns"`
	// Rows counts the data rows read (the header not included).
	Rows int `json:"rows"`
	// RowsCapped is set when reading stopped at the row limit: Rows is then
	// a lower bound and the types fit the rows read.
	RowsCapped bool `json:"rows_capped,omitempty"`
	// Sample holds the first rows as text, one string per column.
	Sample [][]string `json:"sample"`
	// SampleRows holds the spreadsheet row number of each Sample row.
	SampleRows []int `json:"sample_rows"`
	// ProblemRows counts rows the source could not read faithfully (ragged
	// rows, bad text encoding); Problems holds the first few problems. Such
	// rows are left out of the column statistics.
	ProblemRows int                `json:"problem_rows"`
	Problems    []pipeline.Problem `json:"problems,omitempty"`
}

// ColumnInfo describes one column of an inspected file.
type ColumnInfo struct {
	// Name is the header text.
	Name string `json:"name"`
	// Ref is the column letter in spreadsheets and CSV files.
	Ref string `json:"ref,omitempty"`
	// Type is the narrowest type that every non-empty value fits: integer,
	// decimal, float, bool, date, timestamp, else string. Typed sources
	// (Parquet) report their own type.
	Type pipeline.Type `json:"type"`
	// Suggested equals Type, except when a few values (at most 1 in 20)
	// keep a column of, say, decimals from being typed: Type is then string
	// and Suggested decimal, and Outliers shows the values that do not fit
	// (at most 3 of them; OutlierCount counts them all).
	Suggested    pipeline.Type `json:"suggested"`
	OutlierCount int           `json:"outlier_count,omitempty"`
	Outliers     []string      `json:"outliers,omitempty"`
	// Nullable is set when some cell is empty (blank or spaces only); Nulls
	// counts them.
	Nullable bool `json:"nullable"`
	Nulls    int  `json:"nulls"`
	// Examples are the first few distinct non-empty values, long ones cut.
	Examples []string `json:"examples"`
	// Distinct counts distinct non-empty values, exactly up to 10,000;
	// DistinctCapped says it stopped counting there.
	Distinct       int  `json:"distinct"`
	DistinctCapped bool `json:"distinct_capped,omitempty"`
	// MaxScale is the most digits after the decimal point seen, for
	// decimal columns.
	MaxScale int `json:"max_scale,omitempty"`
	// MaxLen is the length of the longest value, in characters.
	MaxLen int `json:"max_len"`
	// DecimalComma is set for a column of numbers written with a decimal
	// comma ("24,99", "1.299,50"); ThousandsSeparator is the grouping
	// they use ("." or " "), if any. Reading them needs
	// decimal_separator: "," (or a locale such as de-DE).
	DecimalComma       bool   `json:"decimal_comma,omitempty"`
	ThousandsSeparator string `json:"thousands_separator,omitempty"`
	// DateLayout is the Go layout of dates written day first
	// ("31.12.2025": "2.1.2006") or month first ("12/31/2025"), which a
	// date field reads with formats: [LAYOUT].
	DateLayout string `json:"date_layout,omitempty"`

	// miss holds, per kind, the values that do not fit it; StarterJob uses
	// it to warn about values a chosen type will reject. Not kept in JSON.
	miss [numKinds]misfits
	// euroFits says every value also reads with a decimal comma, and
	// euroWhole that they are then whole numbers with dots between
	// thousands ("1.000").
	euroFits, euroWhole bool
}

// Options tune Inspect; the zero value uses the defaults.
type Options struct {
	// Sheet is the worksheet of a workbook (a name or a 1-based
	// position); empty: the first visible sheet with data.
	Sheet string
	// HeaderRow is the row of the column names; 0 finds it: the first
	// row that looks like column names, below any title rows.
	HeaderRow int
	// Encoding and Delimiter are CSV settings (see sources.CSVConfig);
	// empty: utf-8 (a byte order mark wins) and detected.
	Encoding, Delimiter string
	// SampleRows is how many rows Report.Sample keeps: 0 means
	// DefaultSampleRows, a negative number none.
	SampleRows int
	// MaxRows bounds the rows read: 0 means DefaultMaxRows, a negative
	// number no bound.
	MaxRows int
}

// Inspect reads the file at path with the source type registered for its
// extension and reports its columns, their inferred types and its first
// sampleRows rows (0 means DefaultSampleRows). Types are inferred from
// every row up to DefaultMaxRows, in memory bounded by the number of
// columns, not rows.
func Inspect(ctx context.Context, path string, sampleRows int) (*Report, error) {
	return Options{SampleRows: sampleRows}.Inspect(ctx, path)
}

// Inspect is the package-level Inspect with these options.
func (o Options) Inspect(ctx context.Context, path string) (*Report, error) {
	t, err := pipeline.SourceForPath(path)
	if err != nil {
		return nil, err
	}
	cfg := t.ForPath(path)
	r := &Report{Path: path, Format: t.Name, SourceType: t.Name, Encoding: o.Encoding, Delimiter: o.Delimiter}
	if err := o.configure(ctx, cfg, r); err != nil {
		return nil, err
	}
	src, err := cfg.Open(ctx, pipeline.Env{})
	if err != nil {
		return nil, err
	}
	defer src.Close()
	if n, ok := src.(interface{ SheetNote() string }); ok && n.SheetNote() != "" {
		r.Notes = append(r.Notes, n.SheetNote())
	}
	if fs, ok := src.(pipeline.FileSource); ok {
		fi := fs.File()
		if fi.Format != "" {
			r.Format = fi.Format
		}
		r.Sheet, r.HeaderRow = fi.Sheet, fi.HeaderRow
	}
	if err := o.read(ctx, src, r); err != nil {
		return nil, err
	}
	return r, src.Close()
}

// configure applies the options to the source's settings, finding the
// header row when it is not given.
func (o Options) configure(ctx context.Context, cfg pipeline.SourceConfig, r *Report) error {
	switch c := cfg.(type) {
	case *sources.CSVConfig:
		if o.Sheet != "" {
			return fmt.Errorf("%s: --sheet applies to Excel workbooks, and this is a CSV file", r.Path)
		}
		if o.Encoding != "" {
			c.Encoding = o.Encoding
		}
		if o.Delimiter != "" {
			c.Delimiter = o.Delimiter
		}
		c.HeaderRow = o.HeaderRow
	case *sources.XLSXConfig:
		if o.Encoding != "" || o.Delimiter != "" {
			return fmt.Errorf("%s: --encoding and --delimiter apply to CSV files, and this is an Excel workbook", r.Path)
		}
		c.Sheet = o.Sheet
		c.HeaderRow = o.HeaderRow
	default:
		if o.Sheet != "" || o.HeaderRow != 0 || o.Encoding != "" || o.Delimiter != "" {
			return fmt.Errorf("%s: --sheet, --header-row, --encoding and --delimiter apply to CSV and Excel files", r.Path)
		}
		return nil
	}
	if o.HeaderRow != 0 {
		return nil
	}
	row, err := sources.DetectHeaderRow(ctx, cfg, pipeline.Env{})
	if err != nil {
		return err
	}
	if row > 1 {
		r.Notes = append(r.Notes, fmt.Sprintf("the column names are in row %d; the rows above look like a title: the job reads them with header_row: %d (--header-row N to choose another)", row, row))
	}
	switch c := cfg.(type) {
	case *sources.CSVConfig:
		c.HeaderRow = row
	case *sources.XLSXConfig:
		c.HeaderRow = row
	}
	return nil
}

// read fills r from src.
func (o Options) read(ctx context.Context, src pipeline.Source, r *Report) error {
	sample := o.SampleRows
	if sample == 0 {
		sample = DefaultSampleRows
	}
	limit := o.MaxRows
	if limit == 0 {
		limit = DefaultMaxRows
	}
	cols := src.Columns()
	stats := make([]*colStats, len(cols))
	for i := range stats {
		stats[i] = newColStats()
	}
	for {
		if limit > 0 && r.Rows >= limit {
			// Peek: is there more?
			if _, err := src.Next(ctx); err == nil {
				r.RowsCapped = true
			} else if !errors.Is(err, io.EOF) {
				return err
			}
			break
		}
		rec, err := src.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		r.Rows++
		texts := make([]string, len(cols))
		for i, c := range cols {
			if i < len(rec.Values) {
				texts[i] = format(rec.Values[i], c.Type)
			}
		}
		if len(r.Sample) < sample {
			r.Sample = append(r.Sample, texts)
			r.SampleRows = append(r.SampleRows, rec.Origin.Row)
		}
		if len(rec.Problems) > 0 {
			r.ProblemRows++
			for _, p := range rec.Problems {
				if len(r.Problems) < MaxProblems {
					r.Problems = append(r.Problems, p)
				}
			}
			continue
		}
		for i := range cols {
			if i < len(rec.Values) && rec.Values[i] == nil {
				stats[i].add("")
			} else {
				stats[i].add(texts[i])
			}
		}
	}
	r.Columns = make([]ColumnInfo, len(cols))
	for i, c := range cols {
		ci := &r.Columns[i]
		ci.Name, ci.Ref = c.Name, c.Ref
		if ci.Ref == "" && r.Format != "parquet" {
			ci.Ref = pipeline.ColumnLetters(i)
		}
		stats[i].result(ci)
		if c.Type != pipeline.TypeString {
			// A typed source knows better than text inference.
			ci.Type, ci.Suggested = c.Type, c.Type
			ci.Outliers, ci.OutlierCount = nil, 0
			if c.Type == pipeline.TypeDecimal {
				ci.MaxScale = stats[i].maxScale
			} else {
				ci.MaxScale = 0
			}
		}
	}
	return nil
}

// format renders a value of a record as text.
func format(v any, t pipeline.Type) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case []byte:
		return string(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case int:
		return strconv.Itoa(v)
	case int32:
		return strconv.FormatInt(int64(v), 10)
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return strconv.FormatFloat(v, 'g', -1, 64)
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(v), 'f', -1, 32)
	case bool:
		return strconv.FormatBool(v)
	case time.Time:
		if t == pipeline.TypeDate {
			return v.Format(time.DateOnly)
		}
		return v.Format(time.RFC3339Nano)
	case fmt.Stringer:
		return v.String()
	}
	return fmt.Sprint(v)
}
