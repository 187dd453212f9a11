package sources

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/schema"
	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/pipeline"
)

// The Parquet source reads with Apache Arrow's Go Parquet reader
// (github.com/apache/arrow-go/v18/parquet/file), the port of the C++
// reader that pyarrow uses: parquet-go v0.32 decodes large LZ4_RAW pages
// into empty strings without an error (when the codec grows its own buffer,
// the page keeps the unfilled one), cannot read column chunk key-value
// metadata without a value, and fails on empty data pages v2. The reader
// here also checks every column of every row group against the rows the
// row group promises, so a damaged file fails the run naming file, column
// and row group instead of turning into nulls.

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
	// A data page v2 whose values are all null has no value bytes, and
	// writers (arrow-rs) leave such an empty section uncompressed even when
	// the column is compressed; Snappy and the others call zero bytes a
	// corrupt stream. The format says empty data must not be decompressed
	// (parquet-testing datapage_v2_empty_datapage.snappy.parquet), so each
	// codec is wrapped to return nothing for nothing.
	for _, c := range []compress.Compression{compress.Codecs.Snappy, compress.Codecs.Gzip,
		compress.Codecs.Brotli, compress.Codecs.Zstd, compress.Codecs.Lz4Raw} {
		if codec, err := compress.GetCodec(c); err == nil {
			compress.RegisterCodec(c, emptyInputCodec{codec})
		}
	}
}

// emptyInputCodec decodes empty input as empty output and leaves the rest to
// the codec it wraps.
type emptyInputCodec struct{ compress.Codec }

func (c emptyInputCodec) Decode(dst, src []byte) []byte {
	if len(src) == 0 {
		return dst[:0]
	}
	return c.Codec.Decode(dst, src)
}

func (c emptyInputCodec) DecodeWithError(dst, src []byte) ([]byte, error) {
	if len(src) == 0 {
		return dst[:0], nil
	}
	return compress.Decode(c.Codec, dst, src)
}

// ParquetConfig is the `source:` section of a job that reads a Parquet file.
type ParquetConfig struct {
	Path string `yaml:"path" json:"path" jsonschema:"required,description=The Parquet file to read. A relative path is relative to the job file."`
}

const (
	// parquetBatch is how many rows are decoded at a time.
	parquetBatch = 128
	// parquetBatchBytes bounds the uncompressed bytes decoded at a time
	// (estimated from the row group's size).
	parquetBatchBytes = 8 << 20
	// maxCellBytes is the largest value whose page statistics a page
	// header may hold.
	maxCellBytes = 32 << 20
	// maxPageHeader bounds a page header (Arrow's default is 4 MiB).
	maxPageHeader = 2*maxCellBytes + 1<<20
	// parquetBuffer is how much of a column chunk is read from the file
	// at a time: pages stream, a row group is never held whole.
	parquetBuffer = 1 << 20
)

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
	f, err := openInput(ctx, resolved) // a file, or an object read by ranges (input.go)
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

func openParquet(f inputFile, name, resolved string) (s *parquetSource, err error) {
	if k := sniffFile(f); k != kindParquet && k != kindUnknown {
		return nil, fmt.Errorf("parquet source: %s is not a Parquet file: %s", name, k.advice("parquet"))
	}
	// The reader panics on some malformed files; a bad file is an error.
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("parquet source: %s is not a readable Parquet file (it is damaged: %v)", resolved, r)
			if strings.Contains(fmt.Sprint(r), "invalid logical type") {
				s, err = nil, fmt.Errorf("parquet source: %s is not a readable Parquet file: a column has a logical type newer than etl's Parquet reader knows (%v): write the file again with that column cast to a common type", resolved, r)
			}
		}
	}()
	props := parquet.NewReaderProperties(memory.DefaultAllocator)
	props.BufferedStreamEnabled = true
	props.BufferSize = parquetBuffer
	rdr, err := file.NewParquetReader(f, file.WithReadProps(props))
	if err != nil {
		return nil, fmt.Errorf("parquet source: %s is not a readable Parquet file: %w", resolved, err)
	}
	sch := rdr.MetaData().Schema
	leaves := make([]parquetLeaf, 0, sch.NumColumns())
	for i := range sch.NumColumns() {
		col := sch.Column(i)
		l, err := newLeaf(i, col)
		if err != nil {
			return nil, fmt.Errorf("parquet source: %s: %w", name, err)
		}
		leaves = append(leaves, l)
	}
	if len(leaves) == 0 {
		return nil, fmt.Errorf("parquet source: %s has no columns", name)
	}
	for g := range rdr.NumRowGroups() {
		if n := rdr.MetaData().RowGroups[g].GetNumRows(); n < 0 {
			return nil, fmt.Errorf("parquet source: %s: row group %d claims %d rows: the file is damaged", name, g+1, n)
		}
	}
	cols := make([]pipeline.Column, len(leaves))
	for i, l := range leaves {
		cols[i] = pipeline.Column{Name: l.name, Type: l.typ, Precision: l.precision, Scale: l.scale}
	}
	return &parquetSource{
		file:    f,
		rdr:     rdr,
		leaves:  leaves,
		columns: cols,
		name:    name,
		info:    pipeline.FileInfo{Path: resolved, Format: "parquet"},
		size:    f.Size(),
		total:   rdr.NumRows(),

		groupStart: 1,
	}, nil
}

// parquetLeaf is one column of the file and how its values become etl
// values.
type parquetLeaf struct {
	name   string
	index  int // the leaf's column index in the file
	typ    pipeline.Type
	maxDef int16
	// precision and scale of DECIMAL columns
	precision, scale int
	// newReader makes the reader of one column chunk.
	newReader func(file.ColumnChunkReader) (chunkReader, error)
}

// chunkReader reads the next n rows of one column chunk into out (nil for
// null) and problems (why a value is not faithful, "" when it is).
type chunkReader func(n int, out []any, problems []string) (int, error)

// newLeaf describes a column of the file, or says why etl cannot read it.
func newLeaf(index int, col *schema.Column) (parquetLeaf, error) {
	name := col.Path()
	if col.MaxRepetitionLevel() > 0 {
		top, _, _ := strings.Cut(name, ".")
		return parquetLeaf{}, fmt.Errorf("column %q is a list or map (a repeated column): etl reads flat columns; flatten it or leave it out when writing the file (in DuckDB: COPY (SELECT * EXCLUDE (%s) ...) TO ...)", top, top)
	}
	l := parquetLeaf{name: name, index: index, maxDef: col.MaxDefinitionLevel()}
	lt := col.LogicalType()
	maxDef := l.maxDef
	switch col.PhysicalType() {
	case parquet.Types.Boolean:
		l.typ = pipeline.TypeBool
		l.newReader = typed(maxDef, func(v bool) (any, string) { return v, "" })
	case parquet.Types.Int32:
		l.typ, l.newReader = int32Leaf(lt, maxDef, &l)
	case parquet.Types.Int64:
		l.typ, l.newReader = int64Leaf(lt, maxDef, &l)
	case parquet.Types.Int96:
		l.typ = pipeline.TypeTimestamp
		l.newReader = typed(maxDef, func(v parquet.Int96) (any, string) { return int96Time(v), "" })
	case parquet.Types.Float:
		l.typ = pipeline.TypeFloat
		l.newReader = typed(maxDef, func(v float32) (any, string) { return float64(v), "" })
	case parquet.Types.Double:
		l.typ = pipeline.TypeFloat
		l.newReader = typed(maxDef, func(v float64) (any, string) { return v, "" })
	case parquet.Types.ByteArray:
		l.typ, l.newReader = bytesLeaf(lt, maxDef, &l, func(v parquet.ByteArray) []byte { return v })
	case parquet.Types.FixedLenByteArray:
		size := col.TypeLength()
		switch lt.(type) {
		case schema.UUIDLogicalType:
			if size == 16 {
				l.typ = pipeline.TypeString
				l.newReader = typed(maxDef, func(v parquet.FixedLenByteArray) (any, string) { return uuidText(v) })
				return l, nil
			}
		case schema.Float16LogicalType:
			if size == 2 {
				l.typ = pipeline.TypeFloat
				l.newReader = typed(maxDef, func(v parquet.FixedLenByteArray) (any, string) {
					if len(v) != 2 {
						return nil, fmt.Sprintf("a FLOAT16 value must have 2 bytes, not %d", len(v))
					}
					return float16(uint16(v[0]) | uint16(v[1])<<8), ""
				})
				return l, nil
			}
		}
		l.typ, l.newReader = bytesLeaf(lt, maxDef, &l, func(v parquet.FixedLenByteArray) []byte { return v })
	default:
		return parquetLeaf{}, fmt.Errorf("column %q has physical type %d, which the Parquet format does not define: the file is damaged", name, col.PhysicalType())
	}
	return l, nil
}

func int32Leaf(lt schema.LogicalType, maxDef int16, l *parquetLeaf) (pipeline.Type, func(file.ColumnChunkReader) (chunkReader, error)) {
	switch t := lt.(type) {
	case schema.DecimalLogicalType:
		l.precision, l.scale = int(t.Precision()), int(t.Scale())
		exp := -t.Scale()
		return pipeline.TypeDecimal, typed(maxDef, func(v int32) (any, string) { return decimal.New(int64(v), exp), "" })
	case schema.DateLogicalType:
		return pipeline.TypeDate, typed(maxDef, func(v int32) (any, string) {
			return time.Unix(int64(v)*86400, 0).UTC(), ""
		})
	case schema.TimeLogicalType:
		unit := unitOf(t.TimeUnit())
		return pipeline.TypeString, typed(maxDef, func(v int32) (any, string) { return timeOfDay(int64(v), unit) })
	case schema.IntLogicalType:
		if !t.IsSigned() {
			return pipeline.TypeInteger, typed(maxDef, func(v int32) (any, string) { return int64(uint32(v)), "" })
		}
	}
	return pipeline.TypeInteger, typed(maxDef, func(v int32) (any, string) { return int64(v), "" })
}

func int64Leaf(lt schema.LogicalType, maxDef int16, l *parquetLeaf) (pipeline.Type, func(file.ColumnChunkReader) (chunkReader, error)) {
	switch t := lt.(type) {
	case schema.DecimalLogicalType:
		l.precision, l.scale = int(t.Precision()), int(t.Scale())
		exp := -t.Scale()
		return pipeline.TypeDecimal, typed(maxDef, func(v int64) (any, string) { return decimal.New(v, exp), "" })
	case schema.TimestampLogicalType:
		switch t.TimeUnit() {
		case schema.TimeUnitMicros:
			return pipeline.TypeTimestamp, typed(maxDef, func(v int64) (any, string) { return time.UnixMicro(v).UTC(), "" })
		case schema.TimeUnitNanos:
			return pipeline.TypeTimestamp, typed(maxDef, func(v int64) (any, string) { return time.Unix(0, v).UTC(), "" })
		}
		return pipeline.TypeTimestamp, typed(maxDef, func(v int64) (any, string) { return time.UnixMilli(v).UTC(), "" })
	case schema.TimeLogicalType:
		unit := unitOf(t.TimeUnit())
		return pipeline.TypeString, typed(maxDef, func(v int64) (any, string) { return timeOfDay(v, unit) })
	case schema.IntLogicalType:
		if !t.IsSigned() {
			// An unsigned 64-bit integer may not fit an int64: it is exact
			// as a DECIMAL(20,0), which holds every one of them (DuckDB
			// reads the column as UBIGINT).
			l.precision, l.scale = 20, 0
			return pipeline.TypeDecimal, typed(maxDef, func(v int64) (any, string) { return decimal.NewFromUint64(uint64(v)), "" })
		}
	}
	return pipeline.TypeInteger, typed(maxDef, func(v int64) (any, string) { return v, "" })
}

// bytesLeaf maps BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY columns: text, decimal,
// else binary (as the format says, and DuckDB and Spark read it).
func bytesLeaf[T any](lt schema.LogicalType, maxDef int16, l *parquetLeaf, raw func(T) []byte) (pipeline.Type, func(file.ColumnChunkReader) (chunkReader, error)) {
	switch t := lt.(type) {
	case schema.StringLogicalType, schema.EnumLogicalType, schema.JSONLogicalType:
		return pipeline.TypeString, typed(maxDef, func(v T) (any, string) { return stringValue(raw(v)) })
	case schema.DecimalLogicalType:
		l.precision, l.scale = int(t.Precision()), int(t.Scale())
		exp := -t.Scale()
		return pipeline.TypeDecimal, typed(maxDef, func(v T) (any, string) { return bigDecimal(raw(v), exp), "" })
	}
	return pipeline.TypeBytes, typed(maxDef, func(v T) (any, string) { return append([]byte(nil), raw(v)...), "" })
}

func unitOf(u schema.TimeUnitType) time.Duration {
	switch u {
	case schema.TimeUnitMicros:
		return time.Microsecond
	case schema.TimeUnitNanos:
		return time.Nanosecond
	}
	return time.Millisecond
}

// timeOfDay formats a TIME value as DuckDB does: 15:04:05 with the
// fraction when there is one.
func timeOfDay(n int64, unit time.Duration) (any, string) {
	d := time.Duration(n) * unit
	if n < 0 || d > 24*time.Hour {
		return nil, fmt.Sprintf("%d is no time of day", n)
	}
	return time.Time{}.Add(d).Format("15:04:05.999999999"), ""
}

func stringValue(b []byte) (any, string) {
	if !utf8.Valid(b) {
		return strings.ToValidUTF8(string(b), "\uFFFD"), "the text is not valid UTF-8: the file was written with a wrong encoding"
	}
	return string(b), ""
}

func uuidText(b []byte) (any, string) {
	if len(b) != 16 {
		return nil, fmt.Sprintf("a UUID must have 16 bytes, not %d", len(b))
	}
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], ""
}

// bigDecimal reads an unscaled value stored as a big-endian two's
// complement integer.
func bigDecimal(b []byte, exp int32) decimal.Decimal {
	n := new(big.Int).SetBytes(b)
	if len(b) > 0 && b[0]&0x80 != 0 {
		n.Sub(n, new(big.Int).Lsh(big.NewInt(1), uint(len(b))*8))
	}
	return decimal.NewFromBigInt(n, exp)
}

// int96Time reads the legacy timestamps of Impala, Hive and older Spark:
// nanoseconds of the day, then the Julian day number. A value whose
// nanoseconds are not of one day is read as Spark reads it (in
// microseconds, in 64-bit arithmetic that wraps around), which is how
// Spark writes dates beyond the nanosecond range (parquet-testing
// int96_from_spark.parquet: the year 290000).
func int96Time(v parquet.Int96) time.Time {
	nanos := int64(binary.LittleEndian.Uint64(v[:8]))
	days := int64(int32(binary.LittleEndian.Uint32(v[8:]))) - 2440588
	if nanos >= 0 && nanos < 86400e9 {
		return time.Unix(days*86400, nanos).UTC()
	}
	return time.UnixMicro(days*86400e6 + nanos/1000).UTC()
}

// float16 converts an IEEE 754 half-precision number.
func float16(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp, frac := int(h>>10&0x1F), float64(h&0x3FF)
	switch exp {
	case 0:
		return sign * frac * math.Pow(2, -24)
	case 0x1F:
		if frac != 0 {
			return math.NaN()
		}
		return math.Inf(int(sign))
	}
	return sign * (1 + frac/1024) * math.Pow(2, float64(exp-15))
}

// batchReader is what every typed column chunk reader of arrow-go has.
type batchReader[T any] interface {
	HasNext() bool
	ReadBatchInPage(batchSize int64, values []T, defLvls, repLvls []int16) (int64, int, error)
}

// errColumnEnds reports a column chunk that holds fewer values than its row
// group's rows.
var errColumnEnds = errors.New("the column ends early")

// typed makes the reader of a column chunk of values of type T: it reads
// levels and values page by page, checks that the values present are as
// many as the definition levels say, and converts them.
func typed[T any](maxDef int16, conv func(T) (any, string)) func(file.ColumnChunkReader) (chunkReader, error) {
	return func(cr file.ColumnChunkReader) (chunkReader, error) {
		br, ok := cr.(batchReader[T])
		if !ok {
			return nil, fmt.Errorf("the column's reader is a %T, not one of the column's type", cr)
		}
		vals := make([]T, parquetBatch)
		var defs []int16
		if maxDef > 0 {
			defs = make([]int16, parquetBatch)
		}
		// Values of byte array columns point into the page they were
		// decoded from, which the next page may overwrite: each read is
		// converted before the next.
		return func(n int, out []any, problems []string) (int, error) {
			levels := 0
			for levels < n {
				if !br.HasNext() {
					if err := cr.Err(); err != nil {
						return levels, err
					}
					return levels, errColumnEnds
				}
				var d []int16
				if defs != nil {
					d = defs[:n-levels]
				}
				l, v, err := br.ReadBatchInPage(int64(n-levels), vals[:n-levels], d, nil)
				if err != nil {
					return levels, err
				}
				if l == 0 && v == 0 {
					return levels, errors.New("a page yields no values although its header promises more")
				}
				if defs == nil && int(l) != v {
					return levels, fmt.Errorf("a page holds %d values where its header promises %d", v, l)
				}
				j := 0
				for i := range int(l) {
					at := levels + i
					out[at], problems[at] = nil, ""
					if defs != nil && d[i] < maxDef {
						continue
					}
					if j >= v {
						return levels, fmt.Errorf("a page holds %d values where its definition levels promise more", v)
					}
					out[at], problems[at] = conv(vals[j])
					j++
				}
				if j != v {
					return levels, fmt.Errorf("a page holds %d values where its definition levels promise %d", v, j)
				}
				levels += int(l)
			}
			return n, nil
		}, nil
	}
}

// parquetSource streams the rows of a Parquet file, one row group at a
// time.
type parquetSource struct {
	file    inputFile
	rdr     *file.Reader
	leaves  []parquetLeaf
	columns []pipeline.Column
	name    string
	info    pipeline.FileInfo

	group    int   // row groups opened so far
	left     int64 // rows of the open row group not yet decoded
	groupRow int64 // rows decoded of the open row group
	batch    int   // rows decoded at a time in the open row group
	// groupStart is the file row (1-based) of the open row group's first
	// row, groupRows its rows.
	groupStart, groupRows int64
	readers               []chunkReader // of the open row group
	chunks                []file.ColumnChunkReader
	vals                  [][]any    // per leaf: the decoded batch
	probs                 [][]string // per leaf: problems of the batch
	n, pos                int        // rows in the batch, next one to return

	rowNum int64        // rows returned so far
	read   atomic.Int64 // rowNum, for Progress
	size   int64        // of the file
	total  int64        // rows of the file
	failed error        // a damaged file stays failed
	closed bool
}

var (
	_ pipeline.Source     = (*parquetSource)(nil)
	_ pipeline.FileSource = (*parquetSource)(nil)
	_ pipeline.Progresser = (*parquetSource)(nil)
)

// Progress estimates the bytes read so far from the share of the rows
// returned, and returns the file's size.
func (s *parquetSource) Progress() (done, total int64) {
	if s.total <= 0 || s.size <= 0 {
		return 0, s.size
	}
	return int64(float64(s.size) * float64(s.read.Load()) / float64(s.total)), s.size
}

func (s *parquetSource) Columns() []pipeline.Column { return s.columns }

func (s *parquetSource) File() pipeline.FileInfo { return s.info }

// Next returns the next row. Values are typed as the columns say; nulls are
// nil. A value the reader cannot decode, or a column that holds fewer
// values than its row group's rows, is an error naming the file, the
// column and the row group: never a null.
func (s *parquetSource) Next(ctx context.Context) (pipeline.Record, error) {
	if s.closed {
		return pipeline.Record{}, errClosed
	}
	if err := ctx.Err(); err != nil {
		return pipeline.Record{}, err
	}
	if s.failed != nil {
		return pipeline.Record{}, s.failed
	}
	for s.pos >= s.n {
		if err := s.fill(); err != nil {
			if err != io.EOF {
				s.failed = err
			}
			return pipeline.Record{}, err
		}
	}
	i := s.pos
	s.pos++
	s.rowNum++
	s.read.Store(s.rowNum)
	origin := pipeline.Origin{File: s.name, Row: int(s.rowNum)}
	values := make([]any, len(s.leaves))
	var problems []pipeline.Problem
	for c := range s.leaves {
		values[c] = s.vals[c][i]
		if msg := s.probs[c][i]; msg != "" {
			p := pipeline.Problem{Origin: origin, Column: s.leaves[c].name, Rule: "type", Message: msg}
			if str, ok := values[c].(string); ok {
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
	leaf := -1
	defer func() {
		if r := recover(); r != nil {
			err = s.damaged(leaf, fmt.Errorf("%v", r))
		}
	}()
	for s.left == 0 {
		if s.readers != nil {
			if err := s.endGroup(); err != nil {
				return err
			}
		}
		if s.group >= s.rdr.NumRowGroups() {
			return io.EOF
		}
		if err := s.openGroup(); err != nil {
			return err
		}
	}
	n := int(min(s.left, int64(s.batch)))
	if s.vals == nil {
		s.vals = make([][]any, len(s.leaves))
		s.probs = make([][]string, len(s.leaves))
		for c := range s.leaves {
			s.vals[c] = make([]any, parquetBatch)
			s.probs[c] = make([]string, parquetBatch)
		}
	}
	for c, read := range s.readers {
		leaf = c
		got, err := read(n, s.vals[c], s.probs[c])
		if errors.Is(err, errColumnEnds) {
			return s.damaged(c, fmt.Errorf("the column holds %d values where the row group has %d rows",
				s.groupRow+int64(got), s.groupRow+s.left))
		}
		if err != nil {
			return s.damaged(c, err)
		}
	}
	s.left -= int64(n)
	s.groupRow += int64(n)
	s.n, s.pos = n, 0
	return nil
}

func (s *parquetSource) openGroup() error {
	rg := s.rdr.RowGroup(s.group)
	s.group++
	s.groupStart += s.groupRows
	s.left, s.groupRow, s.groupRows = rg.NumRows(), 0, rg.NumRows()
	// Rows of big values are decoded fewer at a time, so that a batch
	// holds about parquetBatchBytes whatever the rows hold.
	s.batch = parquetBatch
	if n := rg.NumRows(); n > 0 {
		if perRow := rg.ByteSize() / n; perRow > 0 {
			s.batch = int(max(1, min(parquetBatch, parquetBatchBytes/perRow)))
		}
	}
	s.readers = make([]chunkReader, len(s.leaves))
	s.chunks = make([]file.ColumnChunkReader, len(s.leaves))
	for c, l := range s.leaves {
		pages, err := rg.GetColumnPageReader(l.index)
		if err != nil {
			return s.damaged(c, err)
		}
		// Writers that keep whole values as page statistics (parquet-go,
		// which etl's sinks use) write page headers as large as two
		// values; Arrow's default bound is 4 MiB.
		pages.SetMaxPageHeaderSize(maxPageHeader)
		cr := file.NewColumnReader(s.rdr.MetaData().Schema.Column(l.index), pages, memory.DefaultAllocator, s.rdr.BufferPool())
		r, err := l.newReader(cr)
		if err != nil {
			return s.damaged(c, err)
		}
		s.chunks[c], s.readers[c] = cr, r
	}
	return nil
}

// endGroup checks that no column of the finished row group holds more
// values than its rows.
func (s *parquetSource) endGroup() error {
	for c, cr := range s.chunks {
		if cr.HasNext() {
			return s.damaged(c, fmt.Errorf("the column holds more values than the row group's %d rows", s.groupRow))
		}
		if err := cr.Err(); err != nil {
			return s.damaged(c, err)
		}
	}
	s.readers, s.chunks = nil, nil
	return nil
}

// damaged is the error of a column the reader cannot decode.
func (s *parquetSource) damaged(leaf int, err error) error {
	col := ""
	if leaf >= 0 && leaf < len(s.leaves) {
		col = fmt.Sprintf("column %q, ", s.leaves[leaf].name)
	}
	return fmt.Errorf("%s: %srow group %d of %d (rows %d to %d of the file): cannot decode the values: %v: the file is damaged or uses a feature etl does not read (DuckDB's read_parquet tells which); the run stops here",
		s.name, col, s.group, s.rdr.NumRowGroups(), s.groupStart, s.groupStart+s.groupRows-1, err)
}

// Close closes the file. It is safe to call more than once.
func (s *parquetSource) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	return s.file.Close()
}
