package sinks

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"time"

	pq "github.com/apache/arrow-go/v18/parquet"
	pqcompress "github.com/apache/arrow-go/v18/parquet/compress"
	pqschema "github.com/apache/arrow-go/v18/parquet/schema"
	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/pipeline"
)

func init() {
	pipeline.RegisterSink(pipeline.SinkType{
		Name:       "parquet",
		Doc:        "Write a typed Parquet file (for DuckDB, Spark, pandas).",
		Extensions: []string{".parquet"},
		NewConfig:  func() pipeline.SinkConfig { return NewParquetConfig() },
	})
}

// ParquetConfig is the `sink:` section of a job that writes Parquet.
type ParquetConfig struct {
	Path         string `yaml:"path" jsonschema:"description=The Parquet file to write; relative to the job file. It may hold {date} and {time} (UTC at the start of the run) and {job}. It is replaced as a whole when the run succeeds."`
	Partition    string `yaml:"partition" jsonschema:"description=Hive-style partition directories inserted before the file name: date (date=2026-11-22/) or year/month/day (and hour) separated by /"`
	RowGroupSize int    `yaml:"row_group_size" jsonschema:"description=Rows per row group. Each row group is written out as soon as it is full so a larger value means more memory and better compression.,default=100000,minimum=1"`
	Compression  string `yaml:"compression" jsonschema:"description=Compression codec of the column pages.,enum=snappy,enum=zstd,enum=gzip,enum=none,default=snappy"`
}

// NewParquetConfig returns a ParquetConfig with its defaults.
func NewParquetConfig() *ParquetConfig {
	return &ParquetConfig{RowGroupSize: 100_000, Compression: "snappy"}
}

// maxParquetPrecision is the largest decimal precision written: most
// readers (DuckDB, Spark, Arrow's decimal128) stop at 38 digits.
const maxParquetPrecision = 38

// defaultParquetPrecision is used for decimal fields without a precision.
const defaultParquetPrecision = 18

// Open checks the settings, builds the Parquet schema and creates the
// temporary file.
func (c *ParquetConfig) Open(ctx context.Context, env pipeline.Env, schema pipeline.Schema) (pipeline.Sink, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	codec := pqcompress.Codecs.Snappy
	switch c.codecName() {
	case "zstd":
		codec = pqcompress.Codecs.Zstd
	case "gzip":
		codec = pqcompress.Codecs.Gzip
	case "none":
		codec = pqcompress.Codecs.Uncompressed
	}
	if err := checkSchema(schema); err != nil {
		return nil, err
	}
	root, cols, err := parquetSchema(schema)
	if err != nil {
		return nil, err
	}
	props := pq.NewWriterProperties(
		pq.WithCompression(codec),
		// Version 1 data pages and PLAIN encoding are read by every Parquet
		// reader, old ones included.
		pq.WithDataPageVersion(pq.DataPageV1),
		pq.WithDictionaryDefault(false),
		pq.WithEncoding(pq.Encodings.Plain),
		pq.WithDataPageSize(parquetPageSize),
		// Column and offset indexes let readers skip pages, not only row
		// groups.
		pq.WithPageIndexEnabled(true),
	)
	out, err := createOutput(env, c.Path, c.Partition)
	if err != nil {
		return nil, err
	}
	enc, err := startParquetEncoder(out.f, root, props, cols)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("parquet %s: %w", out.path, err), out.abort())
	}
	return &parquetSink{
		fileSink:     fileSink{format: "parquet", out: out, env: env},
		enc:          enc,
		fill:         <-enc.free,
		schema:       schema,
		cols:         cols,
		rowGroupSize: c.RowGroupSize,
	}, nil
}

// parquetPageSize is the uncompressed size at which a data page is cut.
// Each column holds about three buffers of that size (values, page,
// compressed page); larger pages made files no smaller on the benchmark
// catalog and took more memory.
const parquetPageSize = 64 << 10

// parquetKind is how one field's values become Parquet values.
type parquetKind uint8

const (
	pqString parquetKind = iota
	pqInt64
	pqDouble
	pqDecInt32
	pqDecInt64
	pqDecFixed
	pqBool
	pqDate
	pqTimestamp
	pqBytes
)

type parquetColumn struct {
	kind      parquetKind
	optional  bool
	precision int // of decimals, defaulted
	size      int // bytes of a fixed-length decimal
}

// parquetSchema maps the fields to Parquet columns, in schema order.
func parquetSchema(schema pipeline.Schema) (*pqschema.GroupNode, []parquetColumn, error) {
	fields := make(pqschema.FieldList, len(schema))
	cols := make([]parquetColumn, len(schema))
	for i, f := range schema {
		col := &cols[i]
		col.optional = !f.Required
		rep := pq.Repetitions.Required
		if col.optional {
			rep = pq.Repetitions.Optional
		}
		var logical pqschema.LogicalType = pqschema.NoLogicalType{}
		physical, length := pq.Types.ByteArray, -1
		switch f.Type {
		case pipeline.TypeString:
			logical, col.kind = pqschema.StringLogicalType{}, pqString
		case pipeline.TypeInteger:
			logical, physical, col.kind = pqschema.NewIntLogicalType(64, true), pq.Types.Int64, pqInt64
		case pipeline.TypeFloat:
			physical, col.kind = pq.Types.Double, pqDouble
		case pipeline.TypeBool:
			physical, col.kind = pq.Types.Boolean, pqBool
		case pipeline.TypeDate:
			logical, physical, col.kind = pqschema.DateLogicalType{}, pq.Types.Int32, pqDate
		case pipeline.TypeTimestamp:
			logical, physical, col.kind = pqschema.NewTimestampLogicalType(true, pqschema.TimeUnitMicros), pq.Types.Int64, pqTimestamp
		case pipeline.TypeBytes:
			col.kind = pqBytes
		case pipeline.TypeDecimal:
			p := f.Precision
			if p == 0 {
				p = defaultParquetPrecision
			}
			if p > maxParquetPrecision {
				return nil, nil, fmt.Errorf("field %s: decimal precision %d is more than %d, the most Parquet readers (DuckDB, Spark, Arrow) support", f.Name, p, maxParquetPrecision)
			}
			if f.Scale > p {
				return nil, nil, fmt.Errorf("field %s: decimal scale %d is more than the precision %d Parquet uses for it: set the field's precision", f.Name, f.Scale, p)
			}
			col.precision = p
			logical = pqschema.NewDecimalLogicalType(int32(p), int32(f.Scale))
			switch {
			case p <= 9:
				// INT32, as the Parquet spec advises for up to 9 digits
				// (readers warn on INT64 below 10).
				physical, col.kind = pq.Types.Int32, pqDecInt32
			case p <= 18:
				physical, col.kind = pq.Types.Int64, pqDecInt64
			default:
				col.size = decimalBytes(p)
				physical, length, col.kind = pq.Types.FixedLenByteArray, col.size, pqDecFixed
			}
		}
		node, err := pqschema.NewPrimitiveNodeLogical(f.Name, rep, logical, physical, length, -1)
		if err != nil {
			return nil, nil, fmt.Errorf("field %s: %w", f.Name, err)
		}
		fields[i] = node
	}
	root, err := pqschema.NewGroupNode("schema", pq.Repetitions.Required, fields, -1)
	if err != nil {
		return nil, nil, err
	}
	return root, cols, nil
}

// decimalBytes is the size of the smallest two's complement integer that
// holds every value of p digits.
func decimalBytes(p int) int {
	limit := bigPow10(p)
	for n := 1; ; n++ {
		if new(big.Int).Lsh(big.NewInt(1), uint(8*n-1)).Cmp(limit) >= 0 {
			return n
		}
	}
}

// parquetSink converts rows into typed column chunks on the pipeline's
// writer goroutine and hands full chunks to a parquetEncoder, which
// encodes, compresses and writes them on its own goroutine.
type parquetSink struct {
	fileSink
	enc          *parquetEncoder
	fill         *pqChunk // the chunk Write appends to; nil after Close
	schema       pipeline.Schema
	cols         []parquetColumn
	rowGroupSize int
	groupRows    int // rows of the row group being written, fill's included
}

var (
	_ pipeline.Sink      = (*parquetSink)(nil)
	_ pipeline.Outputter = (*parquetSink)(nil)
	_ pipeline.Copier    = (*parquetSink)(nil)
)

// CopiesRows says that Write keeps nothing of the rows (it copies every
// value into its column buffers), so the runner may use their memory
// again (pipeline.Copier).
func (s *parquetSink) CopiesRows() {}

// Write appends the batch's rows to the chunk being filled, column by
// column, and hands each full chunk to the encoder; a row group is cut
// every row_group_size rows. An error of the encoder (a chunk handed over
// earlier) comes back from the next Write or from Close.
func (s *parquetSink) Write(ctx context.Context, rows []pipeline.Row) error {
	if err := checkWrite(ctx, s.closed); err != nil {
		return err
	}
	if err := s.enc.failure(); err != nil {
		return fmt.Errorf("parquet %s: %w", s.out.path, err)
	}
	var failed failures
	taken := 0
	for i := range rows {
		if j := s.appendRow(&rows[i]); j >= 0 {
			failed.add(i, s.problem(&rows[i], j))
			continue
		}
		taken++
		s.groupRows++
		if s.fill.rows >= pqChunkRows || s.fill.bytes >= pqChunkBytes || s.groupRows == s.rowGroupSize {
			if err := s.handOver(); err != nil {
				return fmt.Errorf("parquet %s: %w", s.out.path, err)
			}
		}
	}
	s.written += int64(taken)
	return failed.err()
}

// handOver sends the filled chunk to the encoder, ending the row group
// when it is full, and takes an empty chunk, waiting while the encoder is
// behind.
func (s *parquetSink) handOver() error {
	s.fill.endsGroup = s.groupRows == s.rowGroupSize
	if s.fill.endsGroup {
		s.groupRows = 0
	}
	s.enc.todo <- s.fill
	s.fill = <-s.enc.free
	return s.enc.failure()
}

// appendRow appends the values of one row to the chunk being filled and
// returns -1, or returns the index of the field that keeps the row out (the
// row's width when it has the wrong number of values) and leaves the chunk
// as it was; problem says why.
func (s *parquetSink) appendRow(row *pipeline.Row) int {
	if len(row.Values) != len(s.cols) {
		return len(row.Values)
	}
	c := s.fill
	for j, v := range row.Values {
		col := &s.cols[j]
		b := &c.cols[j]
		if v == nil {
			if !col.optional {
				c.dropRow(s.cols[:j])
				return j
			}
			b.def = append(b.def, 0)
			continue
		}
		ok := true
		switch col.kind {
		case pqString:
			var x string
			if x, ok = v.(string); ok {
				b.data = append(b.data, x...)
				b.ends = append(b.ends, len(b.data))
				c.bytes += len(x)
			}
		case pqBytes:
			var x []byte
			if x, ok = v.([]byte); ok {
				b.data = append(b.data, x...)
				b.ends = append(b.ends, len(b.data))
				c.bytes += len(x)
			}
		case pqInt64:
			var x int64
			if x, ok = v.(int64); ok {
				b.i64 = append(b.i64, x)
			}
		case pqDouble:
			var x float64
			if x, ok = v.(float64); ok {
				b.f64 = append(b.f64, x)
			}
		case pqBool:
			var x bool
			if x, ok = v.(bool); ok {
				b.bools = append(b.bools, x)
			}
		case pqDate:
			var x time.Time
			if x, ok = v.(time.Time); ok {
				b.i32 = append(b.i32, epochDays(x))
			}
		case pqTimestamp:
			var x time.Time
			if x, ok = v.(time.Time); ok {
				b.i64 = append(b.i64, x.UnixMicro())
			}
		default: // decimals
			var d decimal.Decimal
			if d, ok = v.(decimal.Decimal); !ok {
				break
			}
			small, bigv, fault := unscaled(d, col.precision, s.schema[j].Scale)
			if ok = fault == decOK; !ok {
				break
			}
			switch col.kind {
			case pqDecInt32:
				b.i32 = append(b.i32, int32(small))
			case pqDecInt64:
				b.i64 = append(b.i64, small)
			default:
				n := len(b.data)
				b.data = slices.Grow(b.data, col.size)[:n+col.size]
				putTwosComplement(b.data[n:], small, bigv)
				c.bytes += col.size
			}
		}
		if !ok {
			c.dropRow(s.cols[:j])
			return j
		}
		if col.optional {
			b.def = append(b.def, 1)
		}
	}
	c.rows++
	return -1
}

// problem says why appendRow kept the row out at field j. It is apart from
// appendRow so that the rare path costs the common one nothing.
func (s *parquetSink) problem(row *pipeline.Row, j int) pipeline.Problem {
	if len(row.Values) != len(s.cols) {
		return widthProblem(row, s.schema)
	}
	f, col, v := &s.schema[j], &s.cols[j], row.Values[j]
	if v == nil {
		return requiredProblem(row, f)
	}
	if d, ok := v.(decimal.Decimal); ok && f.Type == pipeline.TypeDecimal {
		if _, _, fault := unscaled(d, col.precision, f.Scale); fault != decOK {
			return decimalProblem(row, f, d, fault, col.precision)
		}
	}
	return typeProblem(row, f, v)
}

// epochDays is the number of days from 1970-01-01 to the calendar date of t.
func epochDays(t time.Time) int32 {
	y, m, d := t.Date()
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// putTwosComplement writes small (when bigv is nil) or bigv into b as a
// big-endian two's complement integer. The value fits b.
func putTwosComplement(b []byte, small int64, bigv *big.Int) {
	if bigv == nil {
		fill := byte(0)
		if small < 0 {
			fill = 0xff
		}
		for i := range b[:len(b)-8] {
			b[i] = fill
		}
		binary.BigEndian.PutUint64(b[len(b)-8:], uint64(small))
		return
	}
	if bigv.Sign() >= 0 {
		bigv.FillBytes(b)
		return
	}
	t := new(big.Int).Lsh(big.NewInt(1), uint(8*len(b)))
	t.Add(t, bigv)
	t.FillBytes(b)
}

// Close hands the last rows to the encoder, waits for it, writes the
// footer and puts the file in place.
func (s *parquetSink) Close(ctx context.Context) error {
	if !s.closed && ctx.Err() != nil {
		s.enc.stop() // the file is discarded: no need to encode the rest
	}
	return s.close(ctx, s.finish)
}

// finish writes what is left: the rows of the last chunk, the end of the
// last row group and the footer.
func (s *parquetSink) finish() error {
	if s.groupRows > 0 {
		s.fill.endsGroup = true
		s.enc.todo <- s.fill
	}
	s.fill = nil
	return s.enc.finish()
}

// Abort stops the encoder and removes the temporary file.
func (s *parquetSink) Abort() error {
	s.enc.stop()
	return s.fileSink.Abort()
}
