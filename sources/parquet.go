package sources

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"math/big"
	"os"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/pipeline"
)

func init() {
	pipeline.RegisterSource(pipeline.SourceType{
		Name:       "parquet",
		Doc:        "a Parquet file with typed columns, streamed row group by row group",
		Extensions: []string{".parquet"},
		NewConfig:  func() pipeline.SourceConfig { return &ParquetConfig{} },
		ForPath: func(path string) pipeline.SourceConfig {
			return &ParquetConfig{Path: path}
		},
	})
}

// ParquetConfig is the `source:` section of a job that reads a Parquet file.
type ParquetConfig struct {
	Path string `yaml:"path" json:"path" jsonschema:"required,description=The Parquet file to read. A relative path is relative to the job file."`
}

// parquetBatch is how many rows are decoded at a time.
const parquetBatch = 128

// Open opens the file and reads its schema. Columns inside (non-repeated)
// groups are read with dotted names ("address.city"); repeated columns
// (lists, maps) are refused.
func (c *ParquetConfig) Open(ctx context.Context, env pipeline.Env) (pipeline.Source, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if c.Path == "" {
		return nil, errPathRequired("parquet")
	}
	resolved := env.Path(c.Path)
	f, err := os.Open(resolved)
	if err != nil {
		return nil, fmt.Errorf("parquet source: %w", err)
	}
	s, err := openParquet(f, env.Display(c.Path), resolved)
	if err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

func openParquet(f *os.File, name, resolved string) (s *parquetSource, err error) {
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("parquet source: %w", err)
	}
	// parquet-go panics on some malformed schemas; a bad file is an error.
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("parquet source: %s is not a readable Parquet file: %v", resolved, r)
		}
	}()
	pf, err := parquet.OpenFile(f, st.Size(), parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return nil, fmt.Errorf("parquet source: %s is not a readable Parquet file: %w", resolved, err)
	}
	var leaves []parquetLeaf
	if err := collectLeaves(pf.Root(), "", &leaves); err != nil {
		return nil, fmt.Errorf("parquet source: %s: %w", name, err)
	}
	if len(leaves) == 0 {
		return nil, fmt.Errorf("parquet source: %s has no columns", name)
	}
	cols := make([]pipeline.Column, len(leaves))
	byIndex := make([]int, len(leaves))
	for i, l := range leaves {
		cols[i] = pipeline.Column{Name: l.name, Type: l.typ, Precision: l.precision, Scale: l.scale}
		if l.index < 0 || l.index >= len(leaves) {
			return nil, fmt.Errorf("parquet source: %s: column %q has index %d of %d", name, l.name, l.index, len(leaves))
		}
		byIndex[l.index] = i
	}
	return &parquetSource{
		file:    f,
		pf:      pf,
		groups:  pf.RowGroups(),
		leaves:  leaves,
		byIndex: byIndex,
		columns: cols,
		name:    name,
		info:    pipeline.FileInfo{Path: resolved, Format: "parquet"},
		buf:     make([]parquet.Row, parquetBatch),
		size:    st.Size(),
	}, nil
}

// parquetLeaf is one column of the file and how its values become etl
// values.
type parquetLeaf struct {
	name  string
	index int // the leaf's column index in the file
	typ   pipeline.Type
	// precision and scale of DECIMAL columns
	precision, scale int
	// conv turns a non-null value into the Go value of typ, or says why it
	// cannot.
	conv func(parquet.Value) (any, string)
}

func collectLeaves(c *parquet.Column, prefix string, out *[]parquetLeaf) error {
	for _, child := range c.Columns() {
		name := child.Name()
		if prefix != "" {
			name = prefix + "." + name
		}
		if child.Repeated() || isListOrMap(child) {
			return fmt.Errorf("column %q is a list or map (a repeated column): etl reads flat columns; flatten it or leave it out when writing the file (in DuckDB: COPY (SELECT ... EXCLUDE (%s)) ...)", name, child.Name())
		}
		if !child.Leaf() {
			if err := collectLeaves(child, name, out); err != nil {
				return err
			}
			continue
		}
		typ, conv := leafConverter(child.Type())
		leaf := parquetLeaf{name: name, index: child.Index(), typ: typ, conv: conv}
		if lt := child.Type().LogicalType(); lt != nil {
			if d, ok := lt.Value.(*format.DecimalType); ok {
				leaf.precision, leaf.scale = int(d.Precision), int(d.Scale)
			}
		}
		*out = append(*out, leaf)
	}
	return nil
}

func isListOrMap(c *parquet.Column) bool {
	lt := c.Type().LogicalType()
	if lt == nil {
		return false
	}
	switch lt.Value.(type) {
	case *format.ListType, *format.MapType:
		return true
	}
	return false
}

// leafConverter maps a Parquet column type to an etl type and the function
// that converts its values.
func leafConverter(t parquet.Type) (pipeline.Type, func(parquet.Value) (any, string)) {
	kind := t.Kind()
	if lt := t.LogicalType(); lt != nil {
		switch l := lt.Value.(type) {
		case *format.DecimalType:
			return pipeline.TypeDecimal, decimalConverter(kind, -l.Scale)
		case *format.DateType:
			return pipeline.TypeDate, func(v parquet.Value) (any, string) {
				return time.Unix(int64(v.Int32())*86400, 0).UTC(), ""
			}
		case *format.TimestampType:
			switch unitOf(l.Unit) {
			case time.Microsecond:
				return pipeline.TypeTimestamp, func(v parquet.Value) (any, string) { return time.UnixMicro(v.Int64()).UTC(), "" }
			case time.Nanosecond:
				return pipeline.TypeTimestamp, func(v parquet.Value) (any, string) { return time.Unix(0, v.Int64()).UTC(), "" }
			default:
				return pipeline.TypeTimestamp, func(v parquet.Value) (any, string) { return time.UnixMilli(v.Int64()).UTC(), "" }
			}
		case *format.TimeType:
			unit := unitOf(l.Unit)
			return pipeline.TypeString, func(v parquet.Value) (any, string) {
				n := v.Int64()
				if kind == parquet.Int32 {
					n = int64(v.Int32())
				}
				return time.Time{}.Add(time.Duration(n) * unit).Format("15:04:05.999999999"), ""
			}
		case *format.IntType:
			return intConverter(kind, l)
		case *format.StringType, *format.EnumType, *format.JsonType:
			return pipeline.TypeString, stringValue
		case *format.UUIDType:
			return pipeline.TypeString, func(v parquet.Value) (any, string) {
				b := v.ByteArray()
				if len(b) != 16 {
					return nil, fmt.Sprintf("a UUID must have 16 bytes, not %d", len(b))
				}
				h := hex.EncodeToString(b)
				return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], ""
			}
		}
	}
	switch kind {
	case parquet.Boolean:
		return pipeline.TypeBool, func(v parquet.Value) (any, string) { return v.Boolean(), "" }
	case parquet.Int32:
		return pipeline.TypeInteger, func(v parquet.Value) (any, string) { return int64(v.Int32()), "" }
	case parquet.Int64:
		return pipeline.TypeInteger, func(v parquet.Value) (any, string) { return v.Int64(), "" }
	case parquet.Int96:
		// The legacy timestamps of Impala, Hive and older Spark: nanoseconds
		// of the day, then the Julian day number.
		return pipeline.TypeTimestamp, func(v parquet.Value) (any, string) {
			i := v.Int96()
			nanos := int64(uint64(i[1])<<32 | uint64(i[0]))
			return time.Unix((int64(i[2])-2440588)*86400, nanos).UTC(), ""
		}
	case parquet.Float:
		return pipeline.TypeFloat, func(v parquet.Value) (any, string) { return float64(v.Float()), "" }
	case parquet.Double:
		return pipeline.TypeFloat, func(v parquet.Value) (any, string) { return v.Double(), "" }
	}
	// BYTE_ARRAY without a STRING annotation is binary, as the format says
	// (and DuckDB and Spark read it), like every other binary column.
	return pipeline.TypeBytes, func(v parquet.Value) (any, string) { return bytes.Clone(v.ByteArray()), "" }
}

func unitOf(u format.TimeUnit) time.Duration {
	if u.Value == nil {
		return time.Millisecond
	}
	return u.Value.Duration()
}

func stringValue(v parquet.Value) (any, string) {
	b := v.ByteArray()
	if !utf8.Valid(b) {
		return strings.ToValidUTF8(string(b), "\uFFFD"), "the text is not valid UTF-8: the file was written with a wrong encoding"
	}
	return string(b), ""
}

func intConverter(kind parquet.Kind, l *format.IntType) (pipeline.Type, func(parquet.Value) (any, string)) {
	switch {
	case l.IsSigned && kind == parquet.Int32:
		return pipeline.TypeInteger, func(v parquet.Value) (any, string) { return int64(v.Int32()), "" }
	case l.IsSigned:
		return pipeline.TypeInteger, func(v parquet.Value) (any, string) { return v.Int64(), "" }
	case kind == parquet.Int32:
		return pipeline.TypeInteger, func(v parquet.Value) (any, string) { return int64(uint32(v.Int32())), "" }
	default:
		// An unsigned 64-bit integer may not fit an int64: it is exact as a
		// decimal.
		return pipeline.TypeDecimal, func(v parquet.Value) (any, string) { return decimal.NewFromUint64(uint64(v.Int64())), "" }
	}
}

func decimalConverter(kind parquet.Kind, exp int32) func(parquet.Value) (any, string) {
	switch kind {
	case parquet.Int32:
		return func(v parquet.Value) (any, string) { return decimal.New(int64(v.Int32()), exp), "" }
	case parquet.Int64:
		return func(v parquet.Value) (any, string) { return decimal.New(v.Int64(), exp), "" }
	}
	// FIXED_LEN_BYTE_ARRAY and BYTE_ARRAY hold the unscaled value as a
	// big-endian two's complement integer.
	return func(v parquet.Value) (any, string) {
		b := v.ByteArray()
		n := new(big.Int).SetBytes(b)
		if len(b) > 0 && b[0]&0x80 != 0 {
			n.Sub(n, new(big.Int).Lsh(big.NewInt(1), uint(len(b))*8))
		}
		return decimal.NewFromBigInt(n, exp), ""
	}
}

// parquetSource streams the rows of a Parquet file, one row group at a
// time.
type parquetSource struct {
	file    *os.File
	pf      *parquet.File
	groups  []parquet.RowGroup
	group   int          // the next row group to open
	rows    parquet.Rows // the open row group, or nil
	leaves  []parquetLeaf
	byIndex []int // file column index → position in leaves
	columns []pipeline.Column
	name    string
	info    pipeline.FileInfo
	buf     []parquet.Row
	n, pos  int          // rows in buf, next one to return
	rowNum  int64        // rows returned so far
	read    atomic.Int64 // rowNum, for Progress
	size    int64        // of the file
	closed  bool
}

var (
	_ pipeline.Source     = (*parquetSource)(nil)
	_ pipeline.FileSource = (*parquetSource)(nil)
	_ pipeline.Progresser = (*parquetSource)(nil)
)

// Progress estimates the bytes read so far from the share of the rows
// returned, and returns the file's size.
func (s *parquetSource) Progress() (done, total int64) {
	rows := s.pf.NumRows()
	if rows <= 0 || s.size <= 0 {
		return 0, s.size
	}
	return int64(float64(s.size) * float64(s.read.Load()) / float64(rows)), s.size
}

func (s *parquetSource) Columns() []pipeline.Column { return s.columns }

func (s *parquetSource) File() pipeline.FileInfo { return s.info }

// Next returns the next row. Values are typed as the columns say; nulls are
// nil.
func (s *parquetSource) Next(ctx context.Context) (pipeline.Record, error) {
	if s.closed {
		return pipeline.Record{}, errClosed
	}
	if err := ctx.Err(); err != nil {
		return pipeline.Record{}, err
	}
	for s.pos >= s.n {
		if err := s.fill(); err != nil {
			return pipeline.Record{}, err
		}
	}
	row := s.buf[s.pos]
	s.pos++
	s.rowNum++
	s.read.Store(s.rowNum)
	origin := pipeline.Origin{File: s.name, Row: int(s.rowNum)}
	values := make([]any, len(s.leaves))
	var problems []pipeline.Problem
	for _, v := range row {
		c := v.Column()
		if c < 0 || c >= len(s.byIndex) || v.IsNull() {
			continue
		}
		i := s.byIndex[c]
		val, problem := s.leaves[i].conv(v)
		values[i] = val
		if problem != "" {
			p := pipeline.Problem{Origin: origin, Column: s.leaves[i].name, Rule: "type", Message: problem}
			if str, ok := val.(string); ok {
				p.Rule, p.Value = "encoding", clip(str, 80)
			}
			problems = append(problems, p)
		}
	}
	return pipeline.Record{Origin: origin, Values: values, Problems: problems}, nil
}

// fill decodes the next batch of rows, opening row groups as needed; io.EOF
// after the last.
func (s *parquetSource) fill() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: reading row %d: the file is damaged: %v", s.name, s.rowNum+1, r)
		}
	}()
	if s.rows == nil {
		if s.group >= len(s.groups) {
			return io.EOF
		}
		s.rows = s.groups[s.group].Rows()
		s.group++
	}
	n, err := s.rows.ReadRows(s.buf)
	s.n, s.pos = n, 0
	switch {
	case err == io.EOF:
		cerr := s.rows.Close()
		s.rows = nil
		if cerr != nil {
			return fmt.Errorf("%s: row group %d: %w", s.name, s.group, cerr)
		}
	case err != nil:
		return fmt.Errorf("%s: reading row %d (row group %d): %w", s.name, s.rowNum+1, s.group, err)
	case n == 0:
		return fmt.Errorf("%s: reading row %d (row group %d): no progress", s.name, s.rowNum+1, s.group)
	}
	return nil
}

// Close closes the file. It is safe to call more than once.
func (s *parquetSource) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	var err error
	if s.rows != nil {
		err = s.rows.Close()
		s.rows = nil
	}
	if ferr := s.file.Close(); err == nil {
		err = ferr
	}
	return err
}
