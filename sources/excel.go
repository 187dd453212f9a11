package sources

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/etl-dev/etl/internal/suggest"
	"github.com/etl-dev/etl/pipeline"
)

func init() {
	pipeline.RegisterSource(pipeline.SourceType{
		Name:       "xlsx",
		Doc:        "one sheet of an Excel workbook (.xlsx or .xlsm), streamed row by row; dates become ISO 8601 text",
		Extensions: []string{".xlsx", ".xlsm"},
		NewConfig:  func() pipeline.SourceConfig { return NewXLSXConfig() },
		ForPath: func(path string) pipeline.SourceConfig {
			c := NewXLSXConfig()
			c.Path = path
			return c
		},
	})
}

// XLSXConfig is the `source:` section of a job that reads an Excel sheet.
type XLSXConfig struct {
	Path string `yaml:"path" json:"path" jsonschema:"required,description=The workbook to read (.xlsx or .xlsm). A relative path is relative to the job file."`
	// Sheet is a sheet name or a 1-based index; YAML integers decode into
	// it as their digits.
	Sheet     string `yaml:"sheet,omitempty" json:"sheet,omitempty" jsonschema:"oneof_type=string;integer,description=The sheet to read: its name or its position (1 is the first sheet). Left out the first sheet is read."`
	HeaderRow int    `yaml:"header_row,omitempty" json:"header_row,omitempty" jsonschema:"minimum=1,default=1,description=The row that holds the column names (the Excel row number). Rows above it are ignored."`
}

// NewXLSXConfig returns an xlsx config with its defaults set.
func NewXLSXConfig() *XLSXConfig { return &XLSXConfig{HeaderRow: 1} }

// Open checks the settings, opens the workbook, picks the sheet and reads
// the header row.
func (c *XLSXConfig) Open(ctx context.Context, env pipeline.Env) (pipeline.Source, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if c.Path == "" {
		return nil, errPathRequired("xlsx")
	}
	headerRow := c.HeaderRow
	if headerRow < 0 {
		return nil, fmt.Errorf("xlsx source: header_row %d is not a row number: use 1 for the first row (the default)", headerRow)
	}
	if headerRow == 0 {
		headerRow = 1
	}
	resolved := env.Path(c.Path)
	if _, err := os.Stat(resolved); err != nil {
		return nil, fmt.Errorf("xlsx source: %w", err)
	}
	f, err := excelize.OpenFile(resolved)
	if err != nil {
		return nil, fmt.Errorf("xlsx source: %s is not a readable .xlsx workbook (%v): a password-protected workbook must be saved without a password, an old .xls file as .xlsx", resolved, err)
	}
	s, err := openXLSX(f, c, env.Display(c.Path), resolved, headerRow)
	if err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

func openXLSX(f *excelize.File, c *XLSXConfig, name, resolved string, headerRow int) (*xlsxSource, error) {
	sheet, err := pickSheet(c.Sheet, f.GetSheetList(), c.Path)
	if err != nil {
		return nil, err
	}
	date1904 := false
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		date1904 = *props.Date1904
	}
	if err := tagDateFormats(f); err != nil {
		return nil, fmt.Errorf("xlsx source: %s: reading the number formats: %w", c.Path, err)
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("xlsx source: %s [%s]: %w", c.Path, sheet, err)
	}
	s := &xlsxSource{
		f:        f,
		rows:     rows,
		name:     name,
		sheet:    sheet,
		date1904: date1904,
		info:     pipeline.FileInfo{Path: resolved, Format: "xlsx", Sheet: sheet, HeaderRow: headerRow},
	}
	if err := s.readHeader(headerRow); err != nil {
		rows.Close()
		return nil, err
	}
	return s, nil
}

// pickSheet resolves the sheet setting against the workbook's sheets: a
// name (Excel compares them case-insensitively), or a 1-based position.
func pickSheet(setting string, sheets []string, path string) (string, error) {
	if len(sheets) == 0 {
		return "", fmt.Errorf("xlsx source: %s has no sheets", path)
	}
	if setting == "" {
		return sheets[0], nil
	}
	for _, s := range sheets {
		if s == setting {
			return s, nil
		}
	}
	for _, s := range sheets {
		if strings.EqualFold(s, setting) {
			return s, nil
		}
	}
	if n, err := strconv.Atoi(strings.TrimSpace(setting)); err == nil {
		if n < 1 || n > len(sheets) {
			return "", fmt.Errorf("xlsx source: sheet %d is out of range: %s has %d sheets (%s); use a number from 1 to %d or a sheet name",
				n, path, len(sheets), quoteList(sheets), len(sheets))
		}
		return sheets[n-1], nil
	}
	hint := suggest.Hint(setting, sheets)
	if hint != "" {
		hint += " "
	}
	return "", fmt.Errorf("xlsx source: sheet %q is not in %s: %sthe sheets are %s",
		setting, path, hint, quoteList(sheets))
}

// Dates in Excel are numbers with a date number format, and excelize's
// streaming reader (Rows) does not tell which style a cell has. So before
// streaming, every cell style (xf) of the in-memory style table is given a
// stand-in number format: date and time formats become a format that
// prints a tag naming the kind (date, date-time, time, elapsed time)
// followed by the serial number, which Next turns into ISO 8601 text; every
// other format becomes an undefined format id, for which excelize returns
// the cell's value unformatted (so "12.5", never "$12.50" or "1,234").
// Text cells are never formatted with a number format, so they come back as
// they are. The workbook is only read, never saved.
const (
	tagPrefix    = "\uE000etl:"   // a private-use character: never in real text
	tagNumFormat = `0.##########` // ten decimals of a day: about 10 µs
)

// dateKind is what a number format shows of a number; the tag letter
// follows tagPrefix in the stand-in formats.
type dateKind byte

const (
	notDate      dateKind = 0
	kindDate     dateKind = 'D'
	kindDateTime dateKind = 'T'
	kindTime     dateKind = 'H'
	kindElapsed  dateKind = 'E'
)

func tagDateFormats(f *excelize.File) error {
	if _, err := f.GetStyle(0); err != nil && f.Styles == nil {
		return err
	}
	if f.Styles == nil || f.Styles.CellXfs == nil || len(f.Styles.CellXfs.Xf) == 0 {
		return nil // no styles: every number is General
	}
	original := len(f.Styles.CellXfs.Xf)
	custom := map[int]string{}
	unused := 1000
	if f.Styles.NumFmts != nil {
		for _, nf := range f.Styles.NumFmts.NumFmt {
			code := nf.FormatCode
			if nf.FormatCode16 != "" {
				code = nf.FormatCode16
			}
			custom[nf.NumFmtID] = code
			unused = max(unused, nf.NumFmtID+1)
		}
	}
	tagFmt := map[dateKind]int{}
	for _, k := range []dateKind{kindDate, kindDateTime, kindTime, kindElapsed} {
		code := `"` + tagPrefix + string(rune(k)) + `"` + tagNumFormat
		id, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
		if err != nil {
			return err
		}
		nf := f.Styles.CellXfs.Xf[id].NumFmtID
		if nf == nil {
			return errors.New("excelize did not give the date format an id")
		}
		tagFmt[k] = *nf
		unused = max(unused, *nf+1)
	}
	for i := range original {
		xf := &f.Styles.CellXfs.Xf[i]
		id := 0
		if xf.NumFmtID != nil {
			id = *xf.NumFmtID
		}
		var kind dateKind
		if code, ok := custom[id]; ok {
			kind = formatKind(code)
		} else {
			kind = builtinKind(id)
		}
		target := unused
		if kind != notDate {
			target = tagFmt[kind]
		}
		xf.NumFmtID = &target
	}
	return nil
}

// builtinKind classifies the built-in number formats (ECMA-376 §18.8.30,
// with the East Asian ones).
func builtinKind(id int) dateKind {
	switch {
	case id >= 14 && id <= 17, id >= 27 && id <= 31, id == 36, id >= 50 && id <= 58:
		return kindDate
	case id == 22:
		return kindDateTime
	case id >= 18 && id <= 21, id >= 32 && id <= 35, id == 45, id == 47:
		return kindTime
	case id == 46:
		return kindElapsed
	}
	return notDate
}

// formatKind classifies a custom number format code by the date and time
// tokens of its first section, outside quoted text, escaped characters and
// brackets (colors, conditions, locales), except the elapsed-time brackets
// [h], [m] and [s].
func formatKind(code string) dateKind {
	var date, clock, month, elapsed bool
	lower := strings.ToLower(code)
scan:
	for i := 0; i < len(lower); i++ {
		switch ch := lower[i]; ch {
		case ';':
			break scan
		case '"':
			if j := strings.IndexByte(lower[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				break scan
			}
		case '\\', '_', '*':
			i++ // the next character is literal (or a width or fill)
			for i+1 < len(lower) && lower[i+1]&0xC0 == 0x80 {
				i++ // the rest of a multi-byte character
			}
		case '[':
			j := strings.IndexByte(lower[i+1:], ']')
			if j < 0 {
				break scan
			}
			in := lower[i+1 : i+1+j]
			if in != "" && strings.Trim(in, string(in[0])) == "" && strings.ContainsRune("hms", rune(in[0])) {
				elapsed, clock = true, true
			}
			i += j + 1
		case 'y', 'd':
			date = true
		case 'h', 's':
			clock = true
		case 'm':
			month = true
		case 'a':
			if strings.HasPrefix(lower[i:], "am/pm") || strings.HasPrefix(lower[i:], "a/p") {
				clock = true
			}
		}
	}
	if month && !clock {
		date = true
	}
	switch {
	case elapsed:
		return kindElapsed
	case date && clock:
		return kindDateTime
	case date:
		return kindDate
	case clock:
		return kindTime
	}
	return notDate
}

// xlsxSource streams the rows of one sheet.
type xlsxSource struct {
	f        *excelize.File
	rows     *excelize.Rows
	name     string // path as the job names it
	sheet    string
	date1904 bool
	info     pipeline.FileInfo
	columns  []pipeline.Column
	rowNum   int // the Excel row number of the row last read
	closed   bool
}

var (
	_ pipeline.Source     = (*xlsxSource)(nil)
	_ pipeline.FileSource = (*xlsxSource)(nil)
)

func (s *xlsxSource) Columns() []pipeline.Column { return s.columns }

func (s *xlsxSource) File() pipeline.FileInfo { return s.info }

// next reads the next row of the sheet, blank or not; nil cells with io.EOF
// after the last.
func (s *xlsxSource) next() ([]string, error) {
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return nil, fmt.Errorf("%s [%s] after row %d: %w", s.name, s.sheet, s.rowNum, err)
		}
		return nil, io.EOF
	}
	s.rowNum++
	cells, err := s.rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("%s [%s] row %d: %w", s.name, s.sheet, s.rowNum, err)
	}
	return cells, nil
}

func (s *xlsxSource) readHeader(headerRow int) error {
	for s.rowNum < headerRow {
		cells, err := s.next()
		if err == io.EOF {
			return fmt.Errorf("xlsx source: header_row is %d but sheet %q of %s has only %d rows", headerRow, s.sheet, s.name, s.rowNum)
		}
		if err != nil {
			return fmt.Errorf("xlsx source: %w", err)
		}
		if s.rowNum < headerRow {
			continue
		}
		for len(cells) > 0 && strings.TrimSpace(cells[len(cells)-1]) == "" {
			cells = cells[:len(cells)-1]
		}
		for i, c := range cells {
			if v, problem := s.convert(c); problem == "" {
				cells[i] = v
			}
		}
		cols, err := headerColumns(cells, fmt.Sprintf("xlsx source: %s [%s] row %d", s.name, s.sheet, s.rowNum))
		if err != nil {
			return err
		}
		s.columns = cols
	}
	return nil
}

// Next returns the next row with a value. Blank rows are not data: they are
// skipped, though they count in the row numbers.
func (s *xlsxSource) Next(ctx context.Context) (pipeline.Record, error) {
	if s.closed {
		return pipeline.Record{}, errClosed
	}
	for {
		if err := ctx.Err(); err != nil {
			return pipeline.Record{}, err
		}
		cells, err := s.next()
		if err != nil {
			return pipeline.Record{}, err
		}
		if allEmpty(cells) {
			continue
		}
		return s.record(cells), nil
	}
}

func (s *xlsxSource) record(cells []string) pipeline.Record {
	origin := pipeline.Origin{File: s.name, Sheet: s.sheet, Row: s.rowNum}
	rowStr := strconv.Itoa(s.rowNum)
	n := len(s.columns)
	values := make([]any, n)
	var problems []pipeline.Problem
	for i := range n {
		if i >= len(cells) {
			values[i] = "" // Excel rows end at their last value
			continue
		}
		v, problem := s.convert(cells[i])
		if problem != "" {
			problems = append(problems, pipeline.Problem{
				Origin: origin, Column: s.columns[i].Name, Cell: s.columns[i].Ref + rowStr, Value: v, Rule: "date", Message: problem,
			})
		}
		values[i] = v
	}
	for i := n; i < len(cells); i++ {
		if cells[i] == "" {
			continue
		}
		v, _ := s.convert(cells[i])
		ref := pipeline.ColumnLetters(i)
		problems = append(problems, pipeline.Problem{
			Origin: origin, Cell: ref + rowStr, Value: clip(v, 80), Rule: "ragged",
			Message: fmt.Sprintf("the row has a value in column %s, which has no header (the header row %d ends at column %s): add a header name in %s%d or clear the cell",
				ref, s.info.HeaderRow, pipeline.ColumnLetters(n-1), ref, s.info.HeaderRow),
		})
	}
	return pipeline.Record{Origin: origin, Values: values, Problems: problems}
}

// convert turns a cell as the tagged styles return it into the text etl
// passes on: booleans as true/false, dates and times as ISO 8601. A
// non-empty problem says why a date cell holds no date.
func (s *xlsxSource) convert(v string) (string, string) {
	switch v {
	case "TRUE":
		return "true", ""
	case "FALSE":
		return "false", ""
	}
	i := strings.Index(v, tagPrefix)
	if i < 0 || (i == 1 && v[0] != '-') || i > 1 || len(v) < i+len(tagPrefix)+2 {
		return v, ""
	}
	kind := dateKind(v[i+len(tagPrefix)])
	num := v[i+len(tagPrefix)+1:]
	serial, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return v, ""
	}
	if i == 1 {
		serial, num = -serial, "-"+num
	}
	return excelDateText(serial, kind, s.date1904, num)
}

// excelDateText formats an Excel serial date as ISO 8601 text as the kind
// of its format says: "2026-11-23", "2026-11-23T14:05:00", "14:05:00", or
// elapsed time "36:00:00". Fractions of a second appear only when there
// are some (to the millisecond). numText is the number as text, returned
// with a problem when the number is no date Excel could show.
func excelDateText(serial float64, kind dateKind, date1904 bool, numText string) (string, string) {
	if math.IsNaN(serial) || math.IsInf(serial, 0) || math.Abs(serial) > 1e7 {
		return numText, fmt.Sprintf("the cell is formatted as a date or time but holds %s, which is none (Excel shows #####): enter a date from 1900-01-01 to 9999-12-31", numText)
	}
	ms := int64(math.Round(serial * 86400000))
	if kind == kindElapsed {
		sign := ""
		if ms < 0 {
			sign, ms = "-", -ms
		}
		h, m, sec, frac := ms/3600000, ms/60000%60, ms/1000%60, ms%1000
		text := fmt.Sprintf("%s%d:%02d:%02d", sign, h, m, sec)
		if frac != 0 {
			text += strings.TrimRight(fmt.Sprintf(".%03d", frac), "0")
		}
		return text, ""
	}
	if ms < 0 {
		return numText, fmt.Sprintf("the cell is formatted as a date or time but holds %s, a negative number, which is none (Excel shows #####): enter a date from 1900-01-01 to 9999-12-31", numText)
	}
	days, rest := ms/86400000, ms%86400000
	clock := time.Duration(rest) * time.Millisecond
	if kind == kindTime {
		return time.Time{}.Add(clock).Format("15:04:05.999"), ""
	}
	var t time.Time
	switch {
	case date1904:
		t = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(days))
	case days == 0:
		return numText, fmt.Sprintf("the cell is formatted as a date but holds %s, a time of day without a date (Excel shows 1900-01-00): enter the date too, or format the column as a time", numText)
	case days < 60:
		t = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(days))
	case days == 60:
		return numText, "the cell holds 1900-02-29, a day that does not exist (a leftover of Lotus 1-2-3 that Excel keeps): enter a real date"
	default:
		t = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(days))
	}
	if t.Year() > 9999 {
		return numText, fmt.Sprintf("the cell is formatted as a date but holds %s, which is after 9999-12-31 (Excel shows #####): enter a real date", numText)
	}
	if kind == kindDate {
		return t.Format("2006-01-02"), ""
	}
	return t.Add(clock).Format("2006-01-02T15:04:05.999"), ""
}

// Close closes the sheet and the workbook, removing any temporary files
// excelize made. It is safe to call more than once.
func (s *xlsxSource) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	err := s.rows.Close()
	if ferr := s.f.Close(); err == nil {
		err = ferr
	}
	return err
}
