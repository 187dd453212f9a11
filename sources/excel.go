package sources

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/internal/box"
	"github.com/etl-dev/etl/internal/suggest"
	"github.com/etl-dev/etl/mappings"
	"github.com/etl-dev/etl/pipeline"
)

func init() {
	pipeline.RegisterSource(pipeline.SourceType{
		Name: "xlsx",
		Doc:  "one sheet of an Excel workbook (.xlsx or .xlsm), streamed row by row; dates become ISO 8601 text",
		// .xls and .ods are not read, but opening one says what to do.
		Extensions: []string{".xlsx", ".xlsm", ".xls", ".ods"},
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
	// NumberSettings say how numbers stored as text are written (locale,
	// decimal_separator, thousands_separator); number cells are numbers.
	NumberSettings `yaml:",inline"`
}

var (
	_ pipeline.Validator       = (*XLSXConfig)(nil)
	_ mappings.NumberFormatter = (*XLSXConfig)(nil)
)

// Validate checks the settings without touching the file.
func (c *XLSXConfig) Validate() error {
	var errs pipeline.SettingErrors
	if c.Path == "" {
		errs = append(errs, &pipeline.SettingError{Setting: "path", Message: "path is required: set `path:` to the workbook to read"})
	}
	if c.HeaderRow < 0 {
		errs = append(errs, &pipeline.SettingError{Setting: "header_row", Message: fmt.Sprintf("header_row %d is not a row number: use 1 for the first row (the default)", c.HeaderRow)})
	}
	errs.Add(c.NumberSettings.validate())
	return errs.Err()
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
	if e := c.NumberSettings.validate(); e != nil {
		return nil, fmt.Errorf("xlsx source: %s", e.Message)
	}
	headerRow := c.HeaderRow
	if headerRow < 0 {
		return nil, fmt.Errorf("xlsx source: header_row %d is not a row number: use 1 for the first row (the default)", headerRow)
	}
	if headerRow == 0 {
		headerRow = 1
	}
	resolved := env.Path(c.Path)
	f, err := openInput(ctx, resolved) // a file, or an object (input.go)
	if err != nil {
		return nil, fmt.Errorf("xlsx source: %w", err)
	}
	s, err := openXLSX(f, c, env.Display(c.Path), resolved, headerRow, env)
	if err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

func openXLSX(f inputFile, c *XLSXConfig, name, resolved string, headerRow int, env pipeline.Env) (*xlsxSource, error) {
	book, err := checkedBook(f, name, resolved)
	if err != nil {
		return nil, err
	}
	sheet, note, err := pickSheet(c.Sheet, book, c.Path)
	if err != nil {
		return nil, err
	}
	if note != "" {
		env.Log().Info("xlsx: "+note, "path", name, "sheet", sheet.name)
	}
	if err := book.loadSharedStrings(); err != nil {
		return nil, fmt.Errorf("xlsx source: %s: %w", name, err)
	}
	rows, err := book.openSheet(sheet)
	if err != nil {
		return nil, fmt.Errorf("xlsx source: %s [%s]: %w", name, sheet.name, err)
	}
	s := &xlsxSource{
		file:     f,
		book:     book,
		rows:     rows,
		name:     name,
		sheet:    sheet.name,
		note:     note,
		log:      env.Log(),
		decimal:  c.NumberFormat().Decimal,
		date1904: book.date1904,
		info:     pipeline.FileInfo{Path: resolved, Format: "xlsx", Sheet: sheet.name, HeaderRow: headerRow},
	}
	if err := s.readHeader(headerRow); err != nil {
		rows.Close()
		return nil, err
	}
	return s, nil
}

// checkedBook opens the workbook in f, saying what the file really is when
// it is none.
func checkedBook(f inputFile, name, resolved string) (*xlsxBook, error) {
	if k := sniffFile(f); k != kindXLSX && k != kindZIP {
		return nil, fmt.Errorf("xlsx source: %s is not an .xlsx workbook: %s", name, k.advice("xlsx"))
	}
	book, err := openBook(f, f.Size())
	if err != nil {
		return nil, fmt.Errorf("xlsx source: %s is not a readable .xlsx workbook (%v): save it again from Excel as an Excel Workbook (.xlsx)", resolved, err)
	}
	return book, nil
}

// pickSheet resolves the sheet setting against the workbook's sheets: a
// name (Excel compares them case-insensitively), or a 1-based position.
// Left out, the first visible worksheet that holds data is read; note
// says so when that is not the first sheet.
func pickSheet(setting string, book *xlsxBook, path string) (xlsxSheet, string, error) {
	sheets := book.sheets
	var names []string
	for _, s := range sheets {
		names = append(names, s.name)
	}
	if len(sheets) == 0 {
		return xlsxSheet{}, "", fmt.Errorf("xlsx source: %s has no sheets", path)
	}
	usable := func(s xlsxSheet) (xlsxSheet, string, error) {
		if s.part == "" {
			return s, "", fmt.Errorf("xlsx source: sheet %q of %s is a chart, not a worksheet: name a worksheet (the sheets are %s)", s.name, path, quoteList(names))
		}
		return s, "", nil
	}
	if setting == "" {
		first := -1
		for i, s := range sheets {
			if s.part == "" || s.hidden {
				continue
			}
			if first < 0 {
				first = i
			}
			if book.hasData(s) {
				if i == 0 {
					return s, "", nil
				}
				var skipped []string
				for _, o := range sheets[:i] {
					why := "empty"
					switch {
					case o.hidden:
						why = "hidden"
					case o.part == "":
						why = "a chart"
					}
					skipped = append(skipped, fmt.Sprintf("%q (%s)", o.name, why))
				}
				return s, fmt.Sprintf("reading sheet %q, the first visible sheet with data; skipped %s: set sheet: to read another", s.name, strings.Join(skipped, ", ")), nil
			}
		}
		if first >= 0 {
			return sheets[first], "", nil
		}
		return usable(sheets[0])
	}
	for _, s := range sheets {
		if s.name == setting {
			return usable(s)
		}
	}
	for _, s := range sheets {
		if strings.EqualFold(s.name, setting) {
			return usable(s)
		}
	}
	if n, err := strconv.Atoi(strings.TrimSpace(setting)); err == nil {
		if n < 1 || n > len(sheets) {
			return xlsxSheet{}, "", fmt.Errorf("xlsx source: sheet %d is out of range: %s has %d sheets (%s); use a number from 1 to %d or a sheet name",
				n, path, len(sheets), quoteList(names), len(sheets))
		}
		return usable(sheets[n-1])
	}
	hint := suggest.Hint(setting, names)
	if hint != "" {
		hint += " "
	}
	return xlsxSheet{}, "", fmt.Errorf("xlsx source: sheet %q is not in %s: %sthe sheets are %s",
		setting, path, hint, quoteList(names))
}

// blank reports whether a cell holds nothing.
func (b *xlsxBook) blank(c xlsxCell) bool {
	if c.kind == cellShared {
		i, err := strconv.Atoi(strings.TrimSpace(c.value))
		return err == nil && i >= 0 && i < len(b.sst) && b.sst[i].text == "" && b.sst[i].tooLong == 0
	}
	return c.value == ""
}

// hasData reports whether a sheet has a cell with a value.
func (b *xlsxBook) hasData(s xlsxSheet) bool {
	rows, err := b.openSheet(s)
	if err != nil {
		return false
	}
	defer rows.Close()
	for range 1000 {
		_, cells, err := rows.next()
		if err != nil {
			return false
		}
		for _, c := range cells {
			if c.value != "" {
				return true
			}
		}
	}
	return true
}

// Dates in Excel are numbers with a date number format: the number
// formats of the cell styles say which numbers are dates (and of which
// kind), and Next turns those into ISO 8601 text.

// dateKind is what a number format shows of a number.
type dateKind byte

const (
	notDate      dateKind = 0
	kindDate     dateKind = 'D'
	kindDateTime dateKind = 'T'
	kindTime     dateKind = 'H'
	kindElapsed  dateKind = 'E'
)

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
	file     io.Closer
	book     *xlsxBook
	rows     *sheetStream
	name     string // path as the job names it
	sheet    string
	note     string // how the sheet was chosen, when it was not the first
	log      *slog.Logger
	arena    box.Arena // boxes the values of the records Next returns
	date1904 bool
	// decimal is the decimal separator the job declares for the sheet's
	// numbers: number cells are written with it, like the text cells.
	decimal string
	info    pipeline.FileInfo
	columns []pipeline.Column
	rowNum  int // the Excel row number of the row last read
	pending []xlsxCell
	pendRow int // the row number of pending, 0 when none
	eof     bool
	rounded map[string]int // Excel-rounded numbers seen, by column
	closed  bool
}

var (
	_ pipeline.BoxingSource = (*xlsxSource)(nil)
	_ pipeline.FileSource   = (*xlsxSource)(nil)
)

func (s *xlsxSource) Columns() []pipeline.Column { return s.columns }

func (s *xlsxSource) File() pipeline.FileInfo { return s.info }

// SheetNote says how the sheet was chosen when the job left it out and the
// first sheet was not read (hidden or empty); "" otherwise.
func (s *xlsxSource) SheetNote() string { return s.note }

// peek loads the next row element of the sheet and returns its number;
// 0 after the last.
func (s *xlsxSource) peek() (int, error) {
	if s.pendRow == 0 && !s.eof {
		row, cells, err := s.rows.next()
		switch {
		case err == io.EOF:
			s.eof = true
		case err != nil:
			return 0, fmt.Errorf("%s [%s] after row %d: %w", s.name, s.sheet, s.rowNum, err)
		case row <= s.rowNum:
			return 0, fmt.Errorf("%s [%s]: row %d comes after row %d: the file is damaged; save it again from Excel", s.name, s.sheet, row, s.rowNum)
		default:
			s.pending, s.pendRow = cells, row
		}
	}
	return s.pendRow, nil
}

// next returns the cells of the next row the sheet holds (rows it leaves
// out are blank: the row numbers jump over them); nil cells with io.EOF
// after the last.
func (s *xlsxSource) next() ([]xlsxCell, error) {
	row, err := s.peek()
	if err != nil {
		return nil, err
	}
	if row == 0 {
		return nil, io.EOF
	}
	cells := s.pending
	s.rowNum, s.pending, s.pendRow = row, nil, 0
	return cells, nil
}

func (s *xlsxSource) readHeader(headerRow int) error {
	for {
		row, err := s.peek()
		if err != nil {
			return fmt.Errorf("xlsx source: %w", err)
		}
		if row == 0 {
			return fmt.Errorf("xlsx source: header_row is %d but sheet %q of %s has only %d rows", headerRow, s.sheet, s.name, s.rowNum)
		}
		var cells []xlsxCell
		if row <= headerRow {
			cells, _ = s.next()
			if row < headerRow {
				continue
			}
		} else {
			s.rowNum = headerRow // the header row is blank
		}
		var texts []string
		for _, c := range cells {
			for len(texts) < c.col {
				texts = append(texts, "")
			}
			v, _, _ := s.convert(c)
			texts = append(texts, v)
		}
		for len(texts) > 0 && strings.TrimSpace(texts[len(texts)-1]) == "" {
			texts = texts[:len(texts)-1]
		}
		cols, err := headerColumns(texts, fmt.Sprintf("xlsx source: %s [%s] row %d", s.name, s.sheet, headerRow))
		if err != nil {
			return err
		}
		s.columns = cols
		return nil
	}
}

// Next returns the next row with a value. Blank rows are not data: they are
// skipped, though they count in the row numbers.
func (s *xlsxSource) Next(ctx context.Context) (pipeline.Record, error) {
	return s.NextIn(ctx, &s.arena)
}

// NextIn is Next with the record's values boxed from a (pipeline.BoxingSource).
func (s *xlsxSource) NextIn(ctx context.Context, a *box.Arena) (pipeline.Record, error) {
	if s.closed {
		return pipeline.Record{}, errClosed
	}
	for {
		if err := ctx.Err(); err != nil {
			return pipeline.Record{}, err
		}
		cells, err := s.next()
		if err != nil {
			if err == io.EOF {
				s.reportRounded()
			}
			return pipeline.Record{}, err
		}
		blank := true
		for _, c := range cells {
			if !s.book.blank(c) {
				blank = false
				break
			}
		}
		if blank {
			continue
		}
		return s.record(cells, a), nil
	}
}

// reportRounded warns, once per column, about long numbers Excel had
// already rounded to 15 digits when they were typed.
func (s *xlsxSource) reportRounded() {
	for col, n := range s.rounded {
		s.log.Warn(fmt.Sprintf("xlsx: %d numbers of column %q end in zeros after 15 digits: Excel keeps 15 significant digits, so longer numbers (barcodes, IDs) were rounded when they were typed; format the column as Text in Excel and enter them again", n, col),
			"path", s.name, "sheet", s.sheet)
	}
	s.rounded = nil
}

func (s *xlsxSource) record(cells []xlsxCell, a *box.Arena) pipeline.Record {
	origin := pipeline.Origin{File: s.name, Sheet: s.sheet, Row: s.rowNum}
	rowStr := strconv.Itoa(s.rowNum)
	n := len(s.columns)
	values := a.Values(n)
	for i := range values {
		values[i] = "" // Excel rows end at their last value
	}
	var problems []pipeline.Problem
	for _, c := range cells {
		if c.col >= n {
			if s.book.blank(c) {
				continue
			}
			v, _, _ := s.convert(c)
			ref := pipeline.ColumnLetters(c.col)
			problems = append(problems, pipeline.Problem{
				Origin: origin, Cell: ref + rowStr, Value: clip(v, 80), Rule: "ragged",
				Message: fmt.Sprintf("the row has a value in column %s, which has no header (the header row %d ends at column %s): add a header name in %s%d or clear the cell",
					ref, s.info.HeaderRow, pipeline.ColumnLetters(n-1), ref, s.info.HeaderRow),
			})
			continue
		}
		col := s.columns[c.col]
		v, rule, problem := s.convert(c)
		if rule == "rounded" {
			if s.rounded == nil {
				s.rounded = map[string]int{}
			}
			s.rounded[col.Name]++
			rule = ""
		}
		if problem != "" && rule != "" {
			p := pipeline.Problem{Origin: origin, Column: col.Name, Cell: col.Ref + rowStr, Value: clip(v, 80), Rule: rule, Message: problem}
			problems = append(problems, p)
			if rule == "excel_error" || rule == "too_long" {
				values[c.col] = nil
				continue
			}
		}
		values[c.col] = a.Strings.Box(v)
	}
	return pipeline.Record{Origin: origin, Values: values, Problems: problems}
}

// convert turns a stored cell into the text etl passes on: booleans as
// true/false, dates and times as ISO 8601, numbers as their stored digits.
// A non-empty rule and problem say why the cell holds no value etl can
// pass on; rule "rounded" (no problem) marks a long number Excel rounded.
func (s *xlsxSource) convert(c xlsxCell) (value, rule, problem string) {
	ref := ""
	if s.rowNum > 0 {
		ref = pipeline.ColumnLetters(c.col) + strconv.Itoa(s.rowNum)
	}
	switch c.kind {
	case cellShared:
		i, err := strconv.Atoi(strings.TrimSpace(c.value))
		if err != nil || i < 0 || i >= len(s.book.sst) {
			return c.value, "type", fmt.Sprintf("the cell refers to shared string %q, which the workbook does not have: the file is damaged; save it again from Excel", c.value)
		}
		ss := s.book.sst[i]
		if ss.tooLong > 0 {
			return "", "too_long", fmt.Sprintf("the cell holds %d characters, more than the %d an Excel cell can: the file was not written by Excel or is damaged", ss.tooLong, maxCellChars)
		}
		return ss.text, "", ""
	case cellBool:
		switch strings.TrimSpace(c.value) {
		case "1", "true":
			return "true", "", ""
		case "0", "false":
			return "false", "", ""
		}
		return c.value, "type", fmt.Sprintf("the cell is a yes/no cell holding %q: the file is damaged", c.value)
	case cellError:
		if c.formula {
			return c.value, "excel_error", fmt.Sprintf("the formula in %s returned %s: fix the formula (or wrap it in IFERROR) so that the cell holds a value", ref, c.value)
		}
		return c.value, "excel_error", fmt.Sprintf("the cell %s holds the error %s, not a value: enter the value it should have", ref, c.value)
	case cellText, cellISODate:
		if utf8.RuneCountInString(c.value) > maxCellChars {
			return "", "too_long", fmt.Sprintf("the cell holds more than the %d characters an Excel cell can: the file was not written by Excel or is damaged", maxCellChars)
		}
		return c.value, "", ""
	}
	// A number.
	v := strings.TrimSpace(c.value)
	if v == "" {
		return "", "", ""
	}
	if c.style >= 0 && c.style < len(s.book.xfKinds) {
		if kind := s.book.xfKinds[c.style]; kind != notDate {
			serial, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return v, "type", fmt.Sprintf("the cell is formatted as a date but holds %q, which is no number", v)
			}
			text, problem := excelDateText(serial, kind, s.date1904, v)
			if problem != "" {
				return text, "date", problem
			}
			return text, "", ""
		}
	}
	text, rounded, ok := numberText(v)
	if !ok {
		return v, "type", fmt.Sprintf("the cell is a number cell holding %q, which is no number: the file is damaged", v)
	}
	if s.decimal == "," {
		text = strings.Replace(text, ".", ",", 1)
	}
	if rounded {
		return text, "rounded", ""
	}
	return text, "", ""
}

// numberText writes a stored number as etl passes it on. Whole numbers
// keep every stored digit (a 17-digit barcode stays exact, where a float
// would round it); rounded reports one of more than 15 digits whose digits
// after the 15th are zeros, as Excel leaves a longer number typed into it.
// Fractions are rounded to 15 significant digits, as Excel shows them
// (0.1+0.2 is stored as 0.30000000000000004 and shown as 0.3).
func numberText(v string) (text string, rounded, ok bool) {
	d, err := decimal.NewFromString(v)
	if err != nil {
		return v, false, false
	}
	if d.IsInteger() {
		digits := strings.TrimLeft(d.Abs().String(), "0")
		if len(digits) > 15 && strings.Trim(digits[15:], "0") == "" {
			rounded = true
		}
		return d.String(), rounded, true
	}
	if n := d.NumDigits(); n > 15 {
		// Keep 15 significant digits.
		exp := int32(15 - n)
		d = d.Round(-d.Exponent() + exp)
	}
	return d.String(), false, true
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

// Close closes the sheet and the file. It is safe to call more than once.
func (s *xlsxSource) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	err := s.rows.Close()
	if ferr := s.file.Close(); err == nil {
		err = ferr
	}
	return err
}
