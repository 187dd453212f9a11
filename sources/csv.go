package sources

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/etl-dev/etl/internal/box"
	"github.com/etl-dev/etl/mappings"
	"github.com/etl-dev/etl/pipeline"
)

func init() {
	pipeline.RegisterSource(pipeline.SourceType{
		Name:       "csv",
		Doc:        "a CSV or other delimited text file (comma, semicolon, tab or pipe), streamed row by row",
		Extensions: []string{".csv", ".tsv", ".txt"},
		NewConfig:  func() pipeline.SourceConfig { return NewCSVConfig() },
		ForPath: func(path string) pipeline.SourceConfig {
			c := NewCSVConfig()
			c.Path = path
			if strings.EqualFold(filepath.Ext(path), ".tsv") {
				c.Delimiter = "tab"
			}
			return c
		},
	})
}

// CSVConfig is the `source:` section of a job that reads a delimited text
// file.
type CSVConfig struct {
	Path      string `yaml:"path" json:"path" jsonschema:"required,description=The file to read. A relative path is relative to the job file."`
	Delimiter string `yaml:"delimiter,omitempty" json:"delimiter,omitempty" jsonschema:"description=The character between values: a comma or ; or tab (written \\t or tab) or |. Left out it is detected from the first lines of the file."`
	Encoding  string `yaml:"encoding,omitempty" json:"encoding,omitempty" jsonschema:"default=utf-8,description=The text encoding: utf-8 (the default) or windows-1252 or iso-8859-1 (latin1) or utf-16 or utf-16le or utf-16be. A byte order mark at the start of the file wins over this setting."`
	HeaderRow int    `yaml:"header_row,omitempty" json:"header_row,omitempty" jsonschema:"minimum=1,default=1,description=The row that holds the column names (1 is the first row as a spreadsheet shows it). Rows above it are ignored."`
	Comment   string `yaml:"comment,omitempty" json:"comment,omitempty" jsonschema:"description=A character that marks a line as a comment when it starts the line (such as #). Comment lines are skipped. None by default."`
	// NumberSettings say how the file writes numbers (locale,
	// decimal_separator, thousands_separator).
	NumberSettings `yaml:",inline"`
}

var (
	_ pipeline.Validator       = (*CSVConfig)(nil)
	_ mappings.NumberFormatter = (*CSVConfig)(nil)
)

// Validate checks the settings without touching the file.
func (c *CSVConfig) Validate() error {
	var errs pipeline.SettingErrors
	if c.Path == "" {
		errs = append(errs, &pipeline.SettingError{Setting: "path", Message: "path is required: set `path:` to the file to read"})
	}
	comma, err := parseDelimiter(c.Delimiter)
	if err != nil {
		errs = append(errs, &pipeline.SettingError{Setting: "delimiter", Message: strings.TrimPrefix(err.Error(), "csv source: ")})
	}
	if _, err := parseEncoding(c.Encoding); err != nil {
		errs = append(errs, &pipeline.SettingError{Setting: "encoding", Message: strings.TrimPrefix(err.Error(), "csv source: ")})
	}
	if _, err := parseComment(c.Comment, comma); err != nil {
		errs = append(errs, &pipeline.SettingError{Setting: "comment", Message: strings.TrimPrefix(err.Error(), "csv source: ")})
	}
	if c.HeaderRow < 0 {
		errs = append(errs, &pipeline.SettingError{Setting: "header_row", Message: fmt.Sprintf("header_row %d is not a row number: use 1 for the first row (the default)", c.HeaderRow)})
	}
	errs.Add(c.NumberSettings.validate())
	return errs.Err()
}

// NewCSVConfig returns a CSV config with its defaults set.
func NewCSVConfig() *CSVConfig {
	return &CSVConfig{Encoding: "utf-8", HeaderRow: 1}
}

const (
	// sniffSize is how much decoded text the delimiter detection looks at.
	sniffSize = 64 << 10
	// sniffRows is how many rows the delimiter detection compares.
	sniffRows = 50
	// maxRecordBytes bounds the text one record may span, so that an
	// unclosed quote cannot make the reader swallow a whole file into
	// memory.
	maxRecordBytes = 64 << 20
)

// textEncoding is a supported encoding of a CSV file.
type textEncoding int

const (
	encUTF8 textEncoding = iota
	encWindows1252
	encUTF16 // endianness from the byte order mark, or guessed
	encUTF16LE
	encUTF16BE
)

var encodingNames = [...]string{"utf-8", "windows-1252", "utf-16", "utf-16le", "utf-16be"}

func (e textEncoding) String() string { return encodingNames[e] }

func parseEncoding(s string) (textEncoding, error) {
	switch strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "_", "-") {
	case "", "utf-8", "utf8":
		return encUTF8, nil
	case "windows-1252", "windows1252", "cp1252", "cp-1252":
		return encWindows1252, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1":
		// Read as windows-1252, as browsers do (WHATWG): it agrees with
		// ISO-8859-1 on every printable character and also knows the
		// characters (€, curly quotes) such files really hold in 0x80-0x9F.
		return encWindows1252, nil
	case "utf-16", "utf16":
		return encUTF16, nil
	case "utf-16le", "utf16le":
		return encUTF16LE, nil
	case "utf-16be", "utf16be":
		return encUTF16BE, nil
	}
	return 0, fmt.Errorf("csv source: encoding %q is not supported: use utf-8, windows-1252, iso-8859-1 (latin1), utf-16, utf-16le or utf-16be", s)
}

// parseDelimiter reads the delimiter setting; 0 means detect it.
func parseDelimiter(s string) (rune, error) {
	switch strings.ToLower(s) {
	case "":
		return 0, nil
	case ",", "comma":
		return ',', nil
	case ";", "semicolon":
		return ';', nil
	case "\t", `\t`, "tab":
		return '\t', nil
	case "|", "pipe":
		return '|', nil
	}
	return 0, fmt.Errorf(`csv source: delimiter %q is not supported: use ",", ";", tab or "|", or leave delimiter out to detect it`, s)
}

func parseComment(s string, comma rune) (rune, error) {
	if s == "" {
		return 0, nil
	}
	r, size := utf8.DecodeRuneInString(s)
	if size != len(s) || r == utf8.RuneError || r == '"' || r == '\r' || r == '\n' {
		return 0, fmt.Errorf("csv source: comment %q must be a single character (such as #), not a quote or line break", s)
	}
	if r == comma {
		return 0, fmt.Errorf("csv source: comment %q is also the delimiter: choose another comment character or leave comment out", s)
	}
	return r, nil
}

func delimiterName(r rune) string {
	if r == '\t' {
		return "tab"
	}
	return strconv.QuoteRune(r)
}

// Open checks the settings, opens the file, detects what needs detecting and
// reads the header row.
func (c *CSVConfig) Open(ctx context.Context, env pipeline.Env) (pipeline.Source, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if c.Path == "" {
		return nil, errPathRequired("csv")
	}
	if e := c.NumberSettings.validate(); e != nil {
		return nil, fmt.Errorf("csv source: %s", e.Message)
	}
	comma, err := parseDelimiter(c.Delimiter)
	if err != nil {
		return nil, err
	}
	enc, err := parseEncoding(c.Encoding)
	if err != nil {
		return nil, err
	}
	comment, err := parseComment(c.Comment, comma)
	if err != nil {
		return nil, err
	}
	headerRow := c.HeaderRow
	if headerRow < 0 {
		return nil, fmt.Errorf("csv source: header_row %d is not a row number: use 1 for the first row (the default)", headerRow)
	}
	if headerRow == 0 {
		headerRow = 1
	}

	resolved := env.Path(c.Path)
	f, err := openInput(ctx, resolved) // a file, or an object (input.go)
	if err != nil {
		return nil, fmt.Errorf("csv source: %w", err)
	}
	s, err := openCSV(f, f.Size(), env.Display(c.Path), resolved, comma, enc, comment, headerRow, env)
	if err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

// openCSV sets up the decoding chain on an open file of the given size (0
// if unknown) and reads the header.
func openCSV(f io.ReadCloser, size int64, name, resolved string, comma rune, enc textEncoding, comment rune, headerRow int, env pipeline.Env) (*csvSource, error) {
	counter := &countingReader{r: f}
	raw := bufio.NewReaderSize(counter, sniffSize)
	head, err := raw.Peek(1024)
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("csv source: reading %s: %w", resolved, err)
	}

	switch k := sniffBytes(head); k {
	case kindText, kindUTF16, kindUnknown:
	default:
		return nil, fmt.Errorf("csv source: %s is not text: %s", name, k.advice("csv"))
	}

	// A byte order mark says what the file is, whatever the setting.
	bomEnc, bomLen := enc, 0
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		bomEnc, bomLen = encUTF8, 3
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		bomEnc, bomLen = encUTF16LE, 2
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		bomEnc, bomLen = encUTF16BE, 2
	}
	if bomLen > 0 {
		if bomEnc != enc && (enc != encUTF16 || bomEnc == encUTF8) {
			env.Log().Info("csv: the file's byte order mark decides its encoding",
				"path", name, "setting", enc.String(), "encoding", bomEnc.String())
		}
		enc = bomEnc
		head = head[bomLen:]
		if _, err := raw.Discard(bomLen); err != nil {
			return nil, fmt.Errorf("csv source: reading %s: %w", resolved, err)
		}
	}
	if enc == encUTF16 {
		enc = guessUTF16(head)
	}
	if enc == encUTF8 && looksUTF16(head) {
		return nil, fmt.Errorf("csv source: %s looks like UTF-16 text without a byte order mark: set encoding: utf-16le (or utf-16be)", name)
	}

	var text *bufio.Reader
	switch enc {
	case encUTF8:
		text = raw
	case encWindows1252:
		text = bufio.NewReaderSize(transform.NewReader(raw, charmap.Windows1252.NewDecoder()), sniffSize)
	case encUTF16LE:
		text = bufio.NewReaderSize(transform.NewReader(raw, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder()), sniffSize)
	case encUTF16BE:
		text = bufio.NewReaderSize(transform.NewReader(raw, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder()), sniffSize)
	}

	if comma == 0 {
		sample, err := text.Peek(sniffSize)
		complete := err != nil
		if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
			return nil, fmt.Errorf("csv source: reading %s: %w", resolved, err)
		}
		comma = sniffDelimiter(sample, complete, comment, headerRow)
		env.Log().Info("csv: detected the delimiter", "path", name, "delimiter", delimiterName(comma))
	}

	guard := &recordGuard{r: text, max: maxRecordBytes}
	scan := &utf8Scan{r: guard}
	r := csv.NewReader(scan)
	r.Comma = comma
	r.Comment = comment
	r.FieldsPerRecord = -1
	r.ReuseRecord = true

	s := &csvSource{
		file:      f,
		counter:   counter,
		size:      size,
		r:         r,
		guard:     guard,
		scan:      scan,
		name:      name,
		comma:     comma,
		checkUTF8: enc == encUTF8,
		info:      pipeline.FileInfo{Path: resolved, Format: "csv", HeaderRow: headerRow},
	}
	if err := s.readHeader(headerRow); err != nil {
		return nil, err
	}
	return s, nil
}

// guessUTF16 picks the byte order of UTF-16 text without a byte order mark:
// mostly-ASCII text has its zero bytes on the odd offsets in little endian.
func guessUTF16(head []byte) textEncoding {
	even, odd := 0, 0
	for i, b := range head {
		if b == 0 {
			if i%2 == 0 {
				even++
			} else {
				odd++
			}
		}
	}
	if even > odd {
		return encUTF16BE
	}
	return encUTF16LE
}

// looksUTF16 reports whether head has the zero bytes of UTF-16 text.
func looksUTF16(head []byte) bool {
	if len(head) < 4 {
		return false
	}
	return bytes.Count(head, []byte{0})*4 >= len(head)
}

// sniffDelimiter picks the candidate delimiter that splits the rows from the
// header on into the same number (more than one) of fields, quotes
// respected; ties go to the more fields, then to the order of candidates.
// complete says whether sample is the whole file; if not, its last record
// may be cut short and is left out.
func sniffDelimiter(sample []byte, complete bool, comment rune, headerRow int) rune {
	candidates := []rune{',', ';', '\t', '|'}
	if comment == ',' {
		candidates = candidates[1:]
	}
	best, bestShare, bestFields := candidates[0], -1.0, 0
	for _, cand := range candidates {
		if cand == comment {
			continue
		}
		r := csv.NewReader(bytes.NewReader(sample))
		r.Comma = cand
		r.Comment = comment
		r.FieldsPerRecord = -1
		r.LazyQuotes = true
		r.ReuseRecord = true
		var counts []int
		extra, cut := 0, false
		for len(counts) <= sniffRows {
			rec, err := r.Read()
			if err != nil {
				cut = !complete
				break
			}
			start, _ := r.FieldPos(0)
			lastStart, _ := r.FieldPos(len(rec) - 1)
			end := lastStart + strings.Count(rec[len(rec)-1], "\n")
			row := start - extra
			extra += end - start
			if row < headerRow || allEmpty(rec) {
				continue
			}
			counts = append(counts, len(rec))
		}
		if cut && len(counts) > 1 {
			// The sample ends inside the file: its last record may be cut.
			counts = counts[:len(counts)-1]
		}
		// The commonest field count, so that a title row above the
		// header (one field whatever the delimiter) does not decide.
		freq := map[int]int{}
		common := 0
		for _, n := range counts {
			freq[n]++
			if n >= 2 && (freq[n] > freq[common] || freq[n] == freq[common] && n > common) {
				common = n
			}
		}
		if common < 2 {
			continue
		}
		share := float64(freq[common]) / float64(len(counts))
		if share > bestShare || (share == bestShare && common > bestFields) {
			best, bestShare, bestFields = cand, share, common
		}
	}
	return best
}

// recordGuard limits how much text the csv reader may take for one record.
type recordGuard struct {
	r      io.Reader
	n, max int64
}

var errRecordTooLarge = errors.New("record too large")

func (g *recordGuard) reset() { g.n = 0 }

func (g *recordGuard) Read(p []byte) (int, error) {
	if g.n >= g.max {
		return 0, errRecordTooLarge
	}
	if rest := g.max - g.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := g.r.Read(p)
	g.n += int64(n)
	return n, err
}

// csvSource streams the records of a delimited text file.
type csvSource struct {
	file      io.Closer
	counter   *countingReader // bytes of the file read so far
	size      int64
	r         *csv.Reader
	guard     *recordGuard
	name      string // path as the job names it
	info      pipeline.FileInfo
	columns   []pipeline.Column
	comma     rune
	checkUTF8 bool
	scan      *utf8Scan // knows which records' text is valid UTF-8
	// arena boxes the values of the records Next returns (NextIn is
	// given one).
	arena box.Arena
	// extra counts the physical lines taken by records beyond their first
	// (values with line breaks), so that row = first line - extra: rows as
	// a spreadsheet shows them, blank and comment lines included.
	extra    int
	lastLine int
	closed   bool
}

var (
	_ pipeline.BoxingSource = (*csvSource)(nil)
	_ pipeline.FileSource   = (*csvSource)(nil)
	_ pipeline.Progresser   = (*csvSource)(nil)
)

// Progress returns the bytes of the file read so far and its size. The
// count runs ahead of the rows returned by up to the read buffers (64 KiB).
func (s *csvSource) Progress() (done, total int64) {
	return min(s.counter.n.Load(), max(s.size, 0)), s.size
}

// csvRecord is one record as read, before it becomes a pipeline.Record.
type csvRecord struct {
	fields    []string // only valid until the next read
	row, line int
	perr      *csv.ParseError // a malformed quote the reader got past
	validText bool            // all of the record's text is valid UTF-8
}

// read returns the next record. Malformed quotes the reader can get past
// come back in perr; an error means reading cannot go on.
func (s *csvSource) read() (csvRecord, error) {
	s.guard.reset()
	from := s.r.InputOffset()
	fields, err := s.r.Read()
	validText := s.scan.clean(from, s.r.InputOffset())
	if err != nil {
		return s.readFailed(fields, err, validText)
	}
	start, _ := s.r.FieldPos(0)
	last := len(fields) - 1
	lastStart, _ := s.r.FieldPos(last)
	end := lastStart + strings.Count(fields[last], "\n")
	row := s.account(start, end)
	return csvRecord{fields: fields, row: row, line: start, validText: validText}, nil
}

// readFailed is read when the reader returned err: a malformed quote it
// got past, or the end. It is apart from read because the ParseError it
// looks for escapes, and would cost every record an allocation.
func (s *csvSource) readFailed(fields []string, err error, validText bool) (csvRecord, error) {
	var perr *csv.ParseError
	switch {
	case err == io.EOF:
		return csvRecord{}, io.EOF
	case errors.As(err, &perr):
		if perr.Err == csv.ErrQuote && perr.Line > perr.StartLine {
			return csvRecord{}, fmt.Errorf("%s:%d:%d: a quoted value that starts on line %d is not closed properly (the reader was still inside it at line %d): look for a missing or stray \" there",
				s.name, perr.Line, perr.Column, perr.StartLine, perr.Line)
		}
		row := s.account(perr.StartLine, perr.Line)
		return csvRecord{fields: fields, row: row, line: perr.StartLine, perr: perr, validText: validText}, nil
	case errors.Is(err, errRecordTooLarge):
		return csvRecord{}, fmt.Errorf("%s:%d: the row starting here is larger than %d MiB: a quoted value is probably never closed; look for a stray \" near line %d",
			s.name, s.lastLine+1, maxRecordBytes>>20, s.lastLine+1)
	default:
		return csvRecord{}, fmt.Errorf("%s: reading after line %d: %w", s.name, s.lastLine, err)
	}
}

func (s *csvSource) account(start, end int) int {
	row := start - s.extra
	s.extra += end - start
	s.lastLine = end
	return row
}

func (s *csvSource) readHeader(headerRow int) error {
	for {
		rec, err := s.read()
		if err == io.EOF {
			if s.lastLine == 0 {
				return fmt.Errorf("csv source: %s is empty: it has no header row", s.name)
			}
			return fmt.Errorf("csv source: header_row is %d but %s has only %d rows", headerRow, s.name, s.lastLine-s.extra)
		}
		if err != nil {
			return err
		}
		if rec.row < headerRow {
			continue
		}
		if rec.row > headerRow {
			return fmt.Errorf("csv source: header_row is %d but row %d of %s is blank or inside a value that spans lines (the next row with values is %d): set header_row to the row with the column names",
				headerRow, headerRow, s.name, rec.row)
		}
		if rec.perr != nil {
			return fmt.Errorf("%s:%d:%d: the header row has a malformed quote: %v", s.name, rec.perr.Line, rec.perr.Column, rec.perr.Err)
		}
		for i, f := range rec.fields {
			if s.checkUTF8 && !utf8.ValidString(f) {
				return fmt.Errorf("csv source: %s row %d, cell %s%d: the header is not valid UTF-8 text: the file is probably windows-1252; set encoding: windows-1252",
					s.name, rec.row, pipeline.ColumnLetters(i), rec.row)
			}
		}
		cols, err := headerColumns(rec.fields, fmt.Sprintf("csv source: %s row %d", s.name, rec.row))
		if err != nil {
			return err
		}
		s.columns = cols
		return nil
	}
}

func (s *csvSource) Columns() []pipeline.Column { return s.columns }

func (s *csvSource) File() pipeline.FileInfo { return s.info }

// Next returns the next record. Records whose every value is empty (such as
// the ",,," rows spreadsheets leave behind) are not data and are skipped.
func (s *csvSource) Next(ctx context.Context) (pipeline.Record, error) {
	return s.NextIn(ctx, &s.arena)
}

// NextIn is Next with the record's values boxed from a (pipeline.BoxingSource).
func (s *csvSource) NextIn(ctx context.Context, a *box.Arena) (pipeline.Record, error) {
	if s.closed {
		return pipeline.Record{}, errClosed
	}
	for {
		if err := ctx.Err(); err != nil {
			return pipeline.Record{}, err
		}
		rec, err := s.read()
		if err != nil {
			return pipeline.Record{}, err
		}
		if rec.perr == nil && allEmpty(rec.fields) {
			continue
		}
		return s.record(rec, a), nil
	}
}

// record turns a csvRecord into a pipeline.Record: exactly one value per
// column, and Problems for a malformed quote, a field count that differs
// from the header's, or text that is not UTF-8.
func (s *csvSource) record(rec csvRecord, a *box.Arena) pipeline.Record {
	origin := pipeline.Origin{File: s.name, Row: rec.row, Line: rec.line}
	n := len(s.columns)
	values := a.Values(n)
	var problems []pipeline.Problem
	cell := func(col int) string { return pipeline.ColumnLetters(col) + strconv.Itoa(rec.row) }
	// The strings encoding/csv returns share one allocation per record and
	// are never overwritten (ReuseRecord only reuses the slice), so they are
	// safe to keep without copying.
	for i, f := range rec.fields {
		if i >= n {
			break
		}
		if s.checkUTF8 && !rec.validText && !utf8.ValidString(f) {
			f = strings.ToValidUTF8(f, "\uFFFD")
			problems = append(problems, pipeline.Problem{
				Origin: origin, Column: s.columns[i].Name, Cell: cell(i), Value: clip(f, 80), Rule: "encoding",
				Message: "the text is not valid UTF-8: the file is probably windows-1252 (or latin1); set encoding: windows-1252 in the source",
			})
		}
		values[i] = a.Strings.Box(f)
	}
	switch {
	case rec.perr != nil:
		p := pipeline.Problem{Origin: origin, Cell: cell(len(rec.fields)), Rule: "quote"}
		if len(rec.fields) < n {
			p.Column = s.columns[len(rec.fields)].Name
		}
		if rec.perr.Err == csv.ErrBareQuote {
			p.Message = fmt.Sprintf(`a " appears inside a value that is not quoted (line %d, column %d): put the whole value in quotes and double the quote inside it ("")`, rec.perr.Line, rec.perr.Column)
		} else {
			p.Message = fmt.Sprintf(`a quoted value has a stray " (line %d, column %d): a quote inside a quoted value must be doubled ("") and the closing quote must be followed by the delimiter`, rec.perr.Line, rec.perr.Column)
		}
		problems = append(problems, p)
	case len(rec.fields) > n:
		extra := rec.fields[n:]
		problems = append(problems, pipeline.Problem{
			Origin: origin, Cell: cell(n),
			Value: clip(strings.ToValidUTF8(strings.Join(extra, string(s.comma)), "\uFFFD"), 80),
			Rule:  "ragged",
			Message: fmt.Sprintf("row has %d fields, header has %d: a value probably contains an unquoted %s; put quotes around that value",
				len(rec.fields), n, delimiterName(s.comma)),
		})
	case len(rec.fields) < n:
		problems = append(problems, pipeline.Problem{
			Origin: origin, Cell: cell(len(rec.fields)), Rule: "ragged",
			Message: fmt.Sprintf("row has %d fields, header has %d: add the missing values (an empty value still needs its delimiter) or check for a line break inside an unquoted value",
				len(rec.fields), n),
		})
	}
	return pipeline.Record{Origin: origin, Values: values, Problems: problems}
}

// Close closes the file. It is safe to call more than once.
func (s *csvSource) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	return s.file.Close()
}
