package sinks

import (
	"bufio"
	"context"
	"encoding/base64"
	"fmt"
	"math"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/pipeline"
)

func init() {
	pipeline.RegisterSink(pipeline.SinkType{
		Name:       "jsonl",
		Doc:        "Write JSON Lines: one JSON object per row, keys in field order.",
		Extensions: []string{".jsonl", ".ndjson"},
		NewConfig:  func() pipeline.SinkConfig { return NewJSONLConfig() },
	})
}

// JSONLConfig is the `sink:` section of a job that writes JSON Lines.
type JSONLConfig struct {
	Path      string `yaml:"path" jsonschema:"description=The JSON Lines file to write; relative to the job file. It may hold {date} and {time} (UTC at the start of the run) and {job}. It is replaced as a whole when the run succeeds."`
	Partition string `yaml:"partition" jsonschema:"description=Hive-style partition directories inserted before the file name: date (date=2026-11-22/) or year/month/day (and hour) separated by /"`
}

// NewJSONLConfig returns a JSONLConfig with its defaults.
func NewJSONLConfig() *JSONLConfig { return &JSONLConfig{} }

// Open checks the settings and creates the temporary file.
func (c *JSONLConfig) Open(ctx context.Context, env pipeline.Env, schema pipeline.Schema) (pipeline.Sink, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if err := checkSchema(schema); err != nil {
		return nil, err
	}
	out, err := createOutput(env, c.Path, c.Partition)
	if err != nil {
		return nil, err
	}
	s := &jsonlSink{
		fileSink: fileSink{format: "jsonl", out: out, env: env},
		w:        bufio.NewWriterSize(out.f, 64<<10),
		schema:   schema,
		keys:     make([][]byte, len(schema)),
	}
	for i, f := range schema {
		k := []byte{','}
		if i == 0 {
			k[0] = '{'
		}
		k = appendJSONString(k, f.Name)
		s.keys[i] = append(k, ':')
	}
	return s, nil
}

type jsonlSink struct {
	fileSink
	w      *bufio.Writer
	schema pipeline.Schema
	keys   [][]byte // `{"name":` for the first field, `,"name":` after
	line   []byte
}

var (
	_ pipeline.Sink      = (*jsonlSink)(nil)
	_ pipeline.Outputter = (*jsonlSink)(nil)
	_ pipeline.Copier    = (*jsonlSink)(nil)
)

// CopiesRows says that Write keeps nothing of the rows (it encodes each
// row into its own buffer), so the runner may use their memory again
// (pipeline.Copier).
func (s *jsonlSink) CopiesRows() {}

// Write writes one line per row. A row that fails is not written.
func (s *jsonlSink) Write(ctx context.Context, rows []pipeline.Row) error {
	if err := checkWrite(ctx, s.closed); err != nil {
		return err
	}
	var failed failures
	for i := range rows {
		line, p := s.appendRow(s.line[:0], &rows[i])
		s.line = line
		if p != nil {
			failed.add(i, *p)
			continue
		}
		if _, err := s.w.Write(line); err != nil {
			return fmt.Errorf("jsonl %s: %w", s.out.path, err)
		}
		s.written++
	}
	return failed.err()
}

func (s *jsonlSink) appendRow(b []byte, row *pipeline.Row) ([]byte, *pipeline.Problem) {
	if len(row.Values) != len(s.schema) {
		p := widthProblem(row, s.schema)
		return b, &p
	}
	for j, v := range row.Values {
		f := &s.schema[j]
		b = append(b, s.keys[j]...)
		if v == nil {
			if f.Required {
				p := requiredProblem(row, f)
				return b, &p
			}
			b = append(b, "null"...)
			continue
		}
		ok := true
		switch f.Type {
		case pipeline.TypeString:
			var x string
			if x, ok = v.(string); ok {
				b = appendJSONString(b, x)
			}
		case pipeline.TypeInteger:
			var x int64
			if x, ok = v.(int64); ok {
				b = appendInt(b, x)
			}
		case pipeline.TypeFloat:
			var x float64
			if x, ok = v.(float64); ok {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					b = append(b, "null"...)
				} else {
					b = appendFloat(b, x)
				}
			}
		case pipeline.TypeDecimal:
			var x decimal.Decimal
			if x, ok = v.(decimal.Decimal); ok {
				var fault decFault
				b = append(b, '"')
				if b, fault = appendDecimal(b, x, f); fault != decOK {
					p := decimalProblem(row, f, x, fault, f.Precision)
					return b, &p
				}
				b = append(b, '"')
			}
		case pipeline.TypeBool:
			var x bool
			if x, ok = v.(bool); ok {
				b = appendBool(b, x)
			}
		case pipeline.TypeDate:
			var x time.Time
			if x, ok = v.(time.Time); ok {
				b = append(appendDate(append(b, '"'), x), '"')
			}
		case pipeline.TypeTimestamp:
			var x time.Time
			if x, ok = v.(time.Time); ok {
				b = append(appendTimestamp(append(b, '"'), x), '"')
			}
		case pipeline.TypeBytes:
			var x []byte
			if x, ok = v.([]byte); ok {
				b = append(base64.StdEncoding.AppendEncode(append(b, '"'), x), '"')
			}
		}
		if !ok {
			p := typeProblem(row, f, v)
			return b, &p
		}
	}
	return append(b, '}', '\n'), nil
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string. Like encoding/json it
// replaces invalid UTF-8 with U+FFFD and escapes U+2028 and U+2029; unlike
// it, it leaves <, > and & alone (no HTML here).
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// Close flushes the file and puts it in place.
func (s *jsonlSink) Close(ctx context.Context) error { return s.close(ctx, s.w.Flush) }
