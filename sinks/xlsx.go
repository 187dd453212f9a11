package sinks

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/etl-dev/etl/pipeline"
)

func init() {
	pipeline.RegisterSink(pipeline.SinkType{
		Name:       "xlsx",
		Doc:        "Write an Excel workbook of one sheet: bold frozen header, typed cells.",
		Extensions: []string{".xlsx"},
		NewConfig:  func() pipeline.SinkConfig { return NewXLSXConfig() },
	})
}

// XLSXConfig is the `sink:` section of a job that writes an Excel workbook.
type XLSXConfig struct {
	Path               string `yaml:"path" jsonschema:"description=The .xlsx file to write; relative to the job file. It may hold {date} and {time} (UTC at the start of the run) and {job}. It is replaced as a whole when the run succeeds."`
	Partition          string `yaml:"partition" jsonschema:"description=Hive-style partition directories inserted before the file name: date (date=2026-11-22/) or year/month/day (and hour) separated by /"`
	Sheet              string `yaml:"sheet" jsonschema:"description=Name of the one sheet of the workbook (at most 31 characters and none of : \\ / ? * [ ]).,default=Sheet1"`
	NeutralizeFormulas bool   `yaml:"neutralize_formulas" jsonschema:"description=Mark text that starts with = + - @ tab or carriage return with Excel's quote prefix so that Excel keeps it as text even when the cell is edited. The text itself is not changed and formulas are never written.,default=true"`

	// maxRows is the number of data rows a sheet holds under its header;
	// 0 means Excel's limit (tests lower it).
	maxRows int
}

// NewXLSXConfig returns an XLSXConfig with its defaults.
func NewXLSXConfig() *XLSXConfig {
	return &XLSXConfig{Sheet: "Sheet1", NeutralizeFormulas: true}
}

// xlsxMaxRows is the number of data rows a sheet holds under its header.
const xlsxMaxRows = excelize.TotalRows - 1

const (
	// xlsxSampleRows is how many rows are looked at to size the columns
	// before the first row is written (widths must come first).
	xlsxSampleRows = 100
	// excelDigits is the number of significant digits Excel keeps in a
	// number; integers and decimals with more are written as text.
	excelDigits = 15
)

// Open checks the settings, prepares the workbook and creates the
// temporary file.
func (c *XLSXConfig) Open(ctx context.Context, env pipeline.Env, schema pipeline.Schema) (pipeline.Sink, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	sheet := c.Sheet
	if sheet == "" {
		sheet = "Sheet1"
	}
	if err := checkSchema(schema); err != nil {
		return nil, err
	}
	if len(schema) > excelize.MaxColumns {
		return nil, fmt.Errorf("the mapping gives %d fields but an Excel sheet holds at most %d columns: write csv or parquet instead", len(schema), excelize.MaxColumns)
	}
	wb := excelize.NewFile()
	if err := wb.SetSheetName("Sheet1", sheet); err != nil {
		_ = wb.Close()
		return nil, fmt.Errorf("sheet %q: %v", sheet, err)
	}
	s := &xlsxSink{
		wb:         wb,
		schema:     schema,
		neutralize: c.NeutralizeFormulas,
		widths:     make([]int, len(schema)),
		cells:      make([]any, len(schema)),
		decStyles:  map[int]int{},
		env:        env,
		maxRows:    c.maxRows,
	}
	if s.maxRows <= 0 {
		s.maxRows = xlsxMaxRows
	}
	if err := s.makeStyles(); err != nil {
		_ = wb.Close()
		return nil, fmt.Errorf("xlsx styles: %w", err)
	}
	sw, err := wb.NewStreamWriter(sheet)
	if err != nil {
		_ = wb.Close()
		return nil, fmt.Errorf("sheet %q: %w", sheet, err)
	}
	s.sw = sw
	for i, f := range schema {
		s.widths[i] = utf8.RuneCountInString(f.Name) + 2 // bold
	}
	out, err := createOutput(env, c.Path, c.Partition)
	if err != nil {
		_ = wb.Close()
		return nil, err
	}
	s.out = out
	return s, nil
}

type xlsxSink struct {
	out        *outputFile
	wb         *excelize.File
	sw         *excelize.StreamWriter
	schema     pipeline.Schema
	neutralize bool

	// Styles.
	header, headerQuoted, quoted, integer, date, timestamp int
	decStyles                                              map[int]int // by scale

	// Until the columns are sized, rows wait in pending (at most
	// xlsxSampleRows of them) and widths grows to fit them.
	started bool
	pending [][]any
	widths  []int

	cells   []any
	buf     []byte
	rows    int // data rows written or pending
	closed  bool
	env     pipeline.Env
	written int64
	maxRows int
}

var (
	_ pipeline.Sink      = (*xlsxSink)(nil)
	_ pipeline.Outputter = (*xlsxSink)(nil)
)

// Output is the final path or object URL of the workbook.
func (s *xlsxSink) Output() string { return s.out.path }

func (s *xlsxSink) makeStyles() error {
	var err error
	style := func(st *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = s.wb.NewStyle(st)
		return id
	}
	fmtOf := func(f string) *excelize.Style { return &excelize.Style{CustomNumFmt: &f} }
	s.header = style(&excelize.Style{Font: &excelize.Font{Bold: true}})
	s.integer = style(&excelize.Style{NumFmt: 1}) // 0
	s.date = style(fmtOf("yyyy-mm-dd"))
	s.timestamp = style(fmtOf("yyyy-mm-dd hh:mm:ss"))
	for _, f := range s.schema {
		if f.Type != pipeline.TypeDecimal || (f.Precision == 0 && f.Scale == 0) {
			continue
		}
		if _, ok := s.decStyles[f.Scale]; !ok {
			nf := "#,##0"
			if f.Scale > 0 {
				nf += "." + zeros(f.Scale)
			}
			s.decStyles[f.Scale] = style(fmtOf(nf))
		}
	}
	if err != nil {
		return err
	}
	// The text number format (49, "@") keeps these two styles apart from
	// any other, so setting the quote prefix on them touches nothing else.
	if s.quoted, err = s.quotePrefixStyle(&excelize.Style{NumFmt: 49}); err != nil {
		return err
	}
	s.headerQuoted, err = s.quotePrefixStyle(&excelize.Style{NumFmt: 49, Font: &excelize.Font{Bold: true}})
	return err
}

// quotePrefixStyle makes a cell style with Excel's quotePrefix flag, which
// is what Excel stores when a user types an apostrophe before a value:
// the cell is text, shown without the apostrophe, and stays text when
// edited. excelize.Style has no field for it, so it is set on the cell
// format excelize made for the style.
func (s *xlsxSink) quotePrefixStyle(st *excelize.Style) (int, error) {
	id, err := s.wb.NewStyle(st)
	if err != nil {
		return 0, err
	}
	if s.wb.Styles == nil || s.wb.Styles.CellXfs == nil || id < 0 || id >= len(s.wb.Styles.CellXfs.Xf) {
		return 0, errors.New("cannot find the cell format of a new style")
	}
	on := true
	s.wb.Styles.CellXfs.Xf[id].QuotePrefix = &on
	return id, nil
}

func zeros(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = '0'
	}
	return string(b)
}

// Write converts each row to cells and streams it to the sheet. A row that
// fails is not written.
func (s *xlsxSink) Write(ctx context.Context, rows []pipeline.Row) error {
	if err := checkWrite(ctx, s.closed); err != nil {
		return err
	}
	var failed failures
	for i := range rows {
		if p := s.convert(&rows[i]); p != nil {
			failed.add(i, *p)
			continue
		}
		if s.rows == s.maxRows {
			return fmt.Errorf("xlsx %s: more than %d rows, the most an Excel sheet holds: write csv or parquet instead", s.out.path, s.maxRows)
		}
		s.rows++
		if !s.started {
			s.measure()
			s.pending = append(s.pending, append([]any(nil), s.cells...))
			if len(s.pending) < xlsxSampleRows {
				continue
			}
			if err := s.start(); err != nil {
				return err
			}
			continue
		}
		if err := s.setRow(s.rows+1, s.cells); err != nil {
			return err
		}
	}
	return failed.err()
}

// convert fills s.cells with the cells of row, or returns the problem that
// keeps it out.
func (s *xlsxSink) convert(row *pipeline.Row) *pipeline.Problem {
	if len(row.Values) != len(s.schema) {
		p := widthProblem(row, s.schema)
		return &p
	}
	for j, v := range row.Values {
		f := &s.schema[j]
		s.cells[j] = nil
		if v == nil {
			if f.Required {
				p := requiredProblem(row, f)
				return &p
			}
			continue
		}
		ok := true
		switch f.Type {
		case pipeline.TypeString:
			var x string
			if x, ok = v.(string); ok {
				if utf16Len(x) > excelize.TotalCellChars {
					return &pipeline.Problem{
						Origin: row.Origin, Field: f.Name, Value: valueText(x), Rule: "length",
						Message: fmt.Sprintf("the text is longer than %d characters, the most an Excel cell holds: shorten it in the mapping or write csv or parquet", excelize.TotalCellChars),
					}
				}
				s.cells[j] = s.text(x, s.quoted)
			}
		case pipeline.TypeInteger:
			var x int64
			if x, ok = v.(int64); ok {
				if x < pow10[excelDigits] && x > -pow10[excelDigits] {
					s.cells[j] = excelize.Cell{StyleID: s.integer, Value: x}
				} else {
					s.cells[j] = strconv.FormatInt(x, 10) // exact, as text
				}
			}
		case pipeline.TypeFloat:
			var x float64
			if x, ok = v.(float64); ok {
				s.cells[j] = x
			}
		case pipeline.TypeDecimal:
			var x decimal.Decimal
			if x, ok = v.(decimal.Decimal); ok {
				cell, p := s.decimalCell(row, f, x)
				if p != nil {
					return p
				}
				s.cells[j] = cell
			}
		case pipeline.TypeBool:
			var x bool
			if x, ok = v.(bool); ok {
				s.cells[j] = x
			}
		case pipeline.TypeDate:
			var x time.Time
			if x, ok = v.(time.Time); ok {
				y, m, d := x.Date()
				s.cells[j] = excelize.Cell{StyleID: s.date, Value: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
			}
		case pipeline.TypeTimestamp:
			var x time.Time
			if x, ok = v.(time.Time); ok {
				s.cells[j] = excelize.Cell{StyleID: s.timestamp, Value: x.UTC()}
			}
		case pipeline.TypeBytes:
			var x []byte
			if x, ok = v.([]byte); ok {
				s.cells[j] = hex.EncodeToString(x)
			}
		}
		if !ok {
			p := typeProblem(row, f, v)
			return &p
		}
	}
	return nil
}

// text is a string cell, with the quote-prefix style when it looks like a
// formula and neutralization is on. Strings are always written as inline
// text, never as formulas.
func (s *xlsxSink) text(x string, quoted int) any {
	if s.neutralize && formulaLike(x) {
		return excelize.Cell{StyleID: quoted, Value: x}
	}
	return x
}

// decimalCell is a number formatted with the field's scale when Excel can
// hold it exactly (at most 15 significant digits), otherwise exact text.
func (s *xlsxSink) decimalCell(row *pipeline.Row, f *pipeline.Field, d decimal.Decimal) (any, *pipeline.Problem) {
	b, fault := appendDecimal(s.buf[:0], d, f)
	s.buf = b
	if fault != decOK {
		p := decimalProblem(row, f, d, fault, f.Precision)
		return nil, &p
	}
	if significantDigits(b) > excelDigits {
		return string(b), nil
	}
	x, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return string(b), nil
	}
	style, ok := s.decStyles[f.Scale]
	if !ok || (f.Precision == 0 && f.Scale == 0) {
		return x, nil
	}
	return excelize.Cell{StyleID: style, Value: x}, nil
}

// significantDigits counts the digits of a decimal text from the first
// non-zero one to the last non-zero one.
func significantDigits(b []byte) int {
	first, last, n := -1, -1, 0
	for _, c := range b {
		if c < '0' || c > '9' {
			continue
		}
		if c != '0' {
			if first < 0 {
				first = n
			}
			last = n
		}
		n++
	}
	if first < 0 {
		return 0
	}
	return last - first + 1
}

func utf16Len(s string) int {
	if len(s) <= excelize.TotalCellChars/2 {
		return len(s) // at most one UTF-16 unit per byte
	}
	n := 0
	for _, r := range s {
		n += max(1, utf16.RuneLen(r))
	}
	return n
}

// measure widens the columns to fit the cells in s.cells.
func (s *xlsxSink) measure() {
	for j, c := range s.cells {
		if c == nil {
			continue
		}
		var n int
		if cell, ok := c.(excelize.Cell); ok {
			c = cell.Value
		}
		switch x := c.(type) {
		case string:
			n = utf8.RuneCountInString(x)
		case int64:
			n = len(strconv.FormatInt(x, 10)) * 4 / 3 // with separators
		case float64:
			n = len(strconv.FormatFloat(x, 'g', -1, 64))
			if f := s.schema[j]; f.Type == pipeline.TypeDecimal {
				n = n*4/3 + f.Scale
			}
		case bool:
			n = 5
		case time.Time:
			n = 10
			if s.schema[j].Type == pipeline.TypeTimestamp {
				n = 19
			}
		}
		s.widths[j] = max(s.widths[j], n+1)
	}
}

// start sizes the columns, freezes and writes the header, and writes the
// pending rows.
func (s *xlsxSink) start() error {
	s.started = true
	for j, w := range s.widths {
		if err := s.sw.SetColWidth(j+1, j+1, float64(min(max(w, 8), 60))); err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
	}
	if err := s.sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	header := make([]any, len(s.schema))
	for j, f := range s.schema {
		if c, ok := s.text(f.Name, s.headerQuoted).(excelize.Cell); ok {
			header[j] = c
		} else {
			header[j] = excelize.Cell{StyleID: s.header, Value: f.Name}
		}
	}
	if err := s.setRow(1, header); err != nil {
		return err
	}
	for i, cells := range s.pending {
		if err := s.setRow(i+2, cells); err != nil {
			return err
		}
	}
	s.pending = nil
	return nil
}

func (s *xlsxSink) setRow(n int, cells []any) error {
	if err := s.sw.SetRow("A"+strconv.Itoa(n), cells); err != nil {
		return fmt.Errorf("xlsx %s: row %d: %w", s.out.path, n, err)
	}
	if n > 1 {
		s.written++
	}
	return nil
}

// Close finishes the sheet, writes the workbook and puts it in place.
func (s *xlsxSink) Close(ctx context.Context) error {
	if s.closed {
		return errClosed
	}
	s.closed = true
	err := ctx.Err()
	if err == nil && !s.started {
		err = s.start()
	}
	if err == nil {
		err = s.sw.Flush()
	}
	if err == nil {
		err = s.wb.Write(s.out.f)
	}
	if cerr := s.wb.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if ctx.Err() == nil {
			err = fmt.Errorf("xlsx %s: %w", s.out.path, err)
		}
		return errors.Join(err, s.out.abort())
	}
	if err := s.out.commit(); err != nil {
		return err
	}
	s.env.Log().Debug("xlsx file written", "path", s.out.path, "rows", s.written)
	return nil
}

// Abort removes the temporary file; the final path is left as it was.
func (s *xlsxSink) Abort() error {
	if !s.closed {
		_ = s.wb.Close() // the workbook is discarded: only its temporary files go
	}
	s.closed = true
	return s.out.abort()
}
