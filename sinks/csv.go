package sinks

import (
	"bufio"
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/pipeline"
)

func init() {
	pipeline.RegisterSink(pipeline.SinkType{
		Name:       "csv",
		Doc:        "Write a CSV file (UTF-8, one header line, RFC 4180 quoting).",
		Extensions: []string{".csv"},
		NewConfig:  func() pipeline.SinkConfig { return NewCSVConfig() },
	})
}

// CSVConfig is the `sink:` section of a job that writes CSV.
type CSVConfig struct {
	Path               string `yaml:"path" jsonschema:"description=The CSV file to write; relative to the job file. It may hold {date} and {time} (UTC at the start of the run) and {job}. It is replaced as a whole when the run succeeds."`
	Partition          string `yaml:"partition" jsonschema:"description=Hive-style partition directories inserted before the file name: date (date=2026-11-22/) or year/month/day (and hour) separated by /"`
	Delimiter          string `yaml:"delimiter" jsonschema:"description=The character between fields: one character such as ; or | or tab.,default=\\,"`
	Header             bool   `yaml:"header" jsonschema:"description=Write the field names as the first line.,default=true"`
	NeutralizeFormulas bool   `yaml:"neutralize_formulas" jsonschema:"description=Put an apostrophe before text that starts with = + - @ tab or carriage return so that spreadsheet apps do not run it as a formula. Numbers are never changed.,default=true"`
	BOM                bool   `yaml:"bom" jsonschema:"description=Start the file with a UTF-8 byte order mark which older Excel versions need to read non-ASCII text.,default=false"`
}

// NewCSVConfig returns a CSVConfig with its defaults.
func NewCSVConfig() *CSVConfig {
	return &CSVConfig{Delimiter: ",", Header: true, NeutralizeFormulas: true}
}

// delimiter returns the delimiter rune, accepting "tab" and `\t` for a tab
// (a YAML '\t' in single quotes is two characters).
func (c *CSVConfig) delimiter() (rune, error) {
	d := c.Delimiter
	switch strings.ToLower(d) {
	case "":
		return ',', nil
	case "tab", `\t`:
		return '\t', nil
	}
	r, n := utf8.DecodeRuneInString(d)
	if n != len(d) || r == utf8.RuneError || r == '"' || r == '\r' || r == '\n' || r == '\'' || (unicode.IsSpace(r) && r != '\t') {
		return 0, fmt.Errorf("delimiter %q cannot separate fields: use one character such as , ; | or tab", d)
	}
	return r, nil
}

// Open checks the settings and creates the temporary file.
func (c *CSVConfig) Open(ctx context.Context, env pipeline.Env, schema pipeline.Schema) (pipeline.Sink, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	delim, _ := c.delimiter() // checked by Validate
	if err := checkSchema(schema); err != nil {
		return nil, err
	}
	out, err := createOutput(env, c.Path, c.Partition)
	if err != nil {
		return nil, err
	}
	s := &csvSink{
		fileSink:   fileSink{format: "csv", out: out, env: env},
		w:          bufio.NewWriterSize(out.f, 64<<10),
		schema:     schema,
		delim:      delim,
		neutralize: c.NeutralizeFormulas,
	}
	if c.BOM {
		_, _ = s.w.WriteString("\uFEFF")
	}
	if c.Header {
		for i, f := range schema {
			if i > 0 {
				_, _ = s.w.WriteRune(delim)
			}
			s.writeText(f.Name)
		}
		s.endRecord()
	}
	return s, nil
}

type csvSink struct {
	fileSink
	w          *bufio.Writer
	schema     pipeline.Schema
	delim      rune
	neutralize bool
	buf        []byte // one cell's text
	rec        []byte // one record
}

var (
	_ pipeline.Sink      = (*csvSink)(nil)
	_ pipeline.Outputter = (*csvSink)(nil)
	_ pipeline.Copier    = (*csvSink)(nil)
)

// CopiesRows says that Write keeps nothing of the rows (it formats each
// row into its own buffer), so the runner may use their memory again
// (pipeline.Copier).
func (s *csvSink) CopiesRows() {}

// Write formats each row as one CSV record. A row that fails is not written.
func (s *csvSink) Write(ctx context.Context, rows []pipeline.Row) error {
	if err := checkWrite(ctx, s.closed); err != nil {
		return err
	}
	var failed failures
	for i := range rows {
		if p := s.record(&rows[i]); p != nil {
			failed.add(i, *p)
			continue
		}
		if _, err := s.w.Write(s.rec); err != nil {
			return fmt.Errorf("csv %s: %w", s.out.path, err)
		}
		s.written++
	}
	return failed.err()
}

// record formats row into s.rec, or returns the problem that keeps it out.
func (s *csvSink) record(row *pipeline.Row) *pipeline.Problem {
	s.rec = s.rec[:0]
	if len(row.Values) != len(s.schema) {
		p := widthProblem(row, s.schema)
		return &p
	}
	for j, v := range row.Values {
		f := &s.schema[j]
		if j > 0 {
			s.rec = utf8.AppendRune(s.rec, s.delim)
		}
		if v == nil {
			if f.Required {
				p := requiredProblem(row, f)
				return &p
			}
			if len(s.schema) == 1 {
				// A lone empty field would be a blank line, which CSV
				// readers skip: quote it so the row is kept.
				s.rec = append(s.rec, '"', '"')
			}
			continue
		}
		b, p := s.cell(s.buf[:0], row, f, v)
		if p != nil {
			return p
		}
		s.buf = b
		s.appendField(b, f.Type == pipeline.TypeString)
	}
	s.rec = append(s.rec, '\n')
	return nil
}

// cell appends the text of one value.
func (s *csvSink) cell(b []byte, row *pipeline.Row, f *pipeline.Field, v any) ([]byte, *pipeline.Problem) {
	ok := true
	switch f.Type {
	case pipeline.TypeString:
		var x string
		if x, ok = v.(string); ok {
			b = append(b, x...)
		}
	case pipeline.TypeInteger:
		var x int64
		if x, ok = v.(int64); ok {
			b = appendInt(b, x)
		}
	case pipeline.TypeFloat:
		var x float64
		if x, ok = v.(float64); ok {
			b = appendFloat(b, x)
		}
	case pipeline.TypeDecimal:
		var x decimal.Decimal
		if x, ok = v.(decimal.Decimal); ok {
			var fault decFault
			if b, fault = appendDecimal(b, x, f); fault != decOK {
				p := decimalProblem(row, f, x, fault, f.Precision)
				return b, &p
			}
		}
	case pipeline.TypeBool:
		var x bool
		if x, ok = v.(bool); ok {
			b = appendBool(b, x)
		}
	case pipeline.TypeDate:
		var x time.Time
		if x, ok = v.(time.Time); ok {
			b = appendDate(b, x)
		}
	case pipeline.TypeTimestamp:
		var x time.Time
		if x, ok = v.(time.Time); ok {
			b = appendTimestamp(b, x)
		}
	case pipeline.TypeBytes:
		var x []byte
		if x, ok = v.([]byte); ok {
			b = hex.AppendEncode(b, x)
		}
	}
	if !ok {
		p := typeProblem(row, f, v)
		return b, &p
	}
	return b, nil
}

// writeText writes one header cell straight to the file.
func (s *csvSink) writeText(text string) {
	s.rec = s.rec[:0]
	s.appendField([]byte(text), true)
	_, _ = s.w.Write(s.rec)
}

func (s *csvSink) endRecord() { _ = s.w.WriteByte('\n') }

// appendField appends one field to s.rec, neutralized if it is text that
// looks like a formula, and quoted if it needs to be.
func (s *csvSink) appendField(b []byte, text bool) {
	prefix := text && s.neutralize && formulaLike(b)
	if !prefix && !s.needsQuotes(b) {
		s.rec = append(s.rec, b...)
		return
	}
	if prefix && !s.needsQuotes(b) {
		s.rec = append(s.rec, '\'')
		s.rec = append(s.rec, b...)
		return
	}
	s.rec = append(s.rec, '"')
	if prefix {
		s.rec = append(s.rec, '\'')
	}
	for _, c := range b {
		if c == '"' {
			s.rec = append(s.rec, '"')
		}
		s.rec = append(s.rec, c)
	}
	s.rec = append(s.rec, '"')
}

// needsQuotes follows encoding/csv: quote fields holding the delimiter, a
// quote or a line break, or starting with a space.
func (s *csvSink) needsQuotes(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	if string(b) == `\.` {
		return true
	}
	if s.delim < utf8.RuneSelf {
		for _, c := range b {
			if c == '"' || c == '\r' || c == '\n' || c == byte(s.delim) {
				return true
			}
		}
	} else if strings.ContainsRune(string(b), s.delim) || strings.ContainsAny(string(b), "\"\r\n") {
		return true
	}
	r, _ := utf8.DecodeRune(b)
	return unicode.IsSpace(r)
}

// Close flushes the file and puts it in place.
func (s *csvSink) Close(ctx context.Context) error { return s.close(ctx, s.w.Flush) }
