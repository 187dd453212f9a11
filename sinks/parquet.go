package sinks

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/big"
	"strings"
	"time"
	"unsafe"

	"github.com/parquet-go/parquet-go"
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
	codec := parquet.Compression(fastSnappy{})
	switch c.codecName() {
	case "zstd":
		codec = parquet.Compression(&parquet.Zstd)
	case "gzip":
		codec = parquet.Compression(&parquet.Gzip)
	case "none":
		codec = parquet.Compression(&parquet.Uncompressed)
	}
	if err := checkSchema(schema); err != nil {
		return nil, err
	}
	root, cols, err := parquetSchema(schema)
	if err != nil {
		return nil, err
	}
	cfg, err := parquet.NewWriterConfig(
		parquet.NewSchema("schema", root),
		codec,
		parquet.MaxRowsPerRowGroup(int64(c.RowGroupSize)),
		// Version 1 data pages and PLAIN encoding are read by every Parquet
		// reader, old ones included (parquet-go would write text as
		// DELTA_LENGTH_BYTE_ARRAY, which Spark reads only since 3.3).
		parquet.DataPageVersion(1),
		parquet.DefaultEncoding(&parquet.Plain),
	)
	if err != nil {
		return nil, fmt.Errorf("parquet writer: %w", err)
	}
	out, err := createOutput(env, c.Path, c.Partition)
	if err != nil {
		return nil, err
	}
	s := &parquetSink{
		fileSink:     fileSink{format: "parquet", out: out, env: env},
		w:            parquet.NewGenericWriter[any](out.f, cfg),
		schema:       schema,
		cols:         cols,
		rowGroupSize: c.RowGroupSize,
		vals:         make([][]parquet.Value, len(cols)),
	}
	for _, col := range cols {
		s.fixedPerRow += col.size
	}
	return s, nil
}

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
	def       int // definition level of a present value: 1 when optional
	precision int // of decimals, defaulted
	size      int // bytes of a fixed-length decimal
}

// parquetSchema maps the fields to Parquet columns, in schema order.
func parquetSchema(schema pipeline.Schema) (parquet.Node, []parquetColumn, error) {
	group := make(parquet.Group, len(schema))
	cols := make([]parquetColumn, len(schema))
	for i, f := range schema {
		var node parquet.Node
		col := &cols[i]
		switch f.Type {
		case pipeline.TypeString:
			node, col.kind = parquet.String(), pqString
		case pipeline.TypeInteger:
			node, col.kind = parquet.Leaf(parquet.Int64Type), pqInt64
		case pipeline.TypeFloat:
			node, col.kind = parquet.Leaf(parquet.DoubleType), pqDouble
		case pipeline.TypeBool:
			node, col.kind = parquet.Leaf(parquet.BooleanType), pqBool
		case pipeline.TypeDate:
			node, col.kind = parquet.Date(), pqDate
		case pipeline.TypeTimestamp:
			node, col.kind = parquet.Timestamp(parquet.Microsecond), pqTimestamp
		case pipeline.TypeBytes:
			node, col.kind = parquet.Leaf(parquet.ByteArrayType), pqBytes
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
			switch {
			case p <= 9:
				// INT32, as the Parquet spec advises for up to 9 digits
				// (it warns on INT64 below 10, and so does parquet-go).
				node, col.kind = parquet.Decimal(f.Scale, p, parquet.Int32Type), pqDecInt32
			case p <= 18:
				node, col.kind = parquet.Decimal(f.Scale, p, parquet.Int64Type), pqDecInt64
			default:
				col.size = decimalBytes(p)
				node, col.kind = parquet.Decimal(f.Scale, p, parquet.FixedLenByteArrayType(col.size)), pqDecFixed
			}
		}
		if !f.Required {
			node, col.def = parquet.Optional(node), 1
		}
		group[f.Name] = node
	}
	return newOrderedGroup(group, schema), cols, nil
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

// orderedGroup is a parquet.Group whose columns keep the schema's order
// (parquet.Group sorts them by name).
type orderedGroup struct {
	parquet.Group
	fields []parquet.Field
}

func newOrderedGroup(g parquet.Group, schema pipeline.Schema) orderedGroup {
	byName := make(map[string]parquet.Field, len(g))
	for _, f := range g.Fields() {
		byName[f.Name()] = f
	}
	fields := make([]parquet.Field, len(schema))
	for i, f := range schema {
		fields[i] = byName[f.Name]
	}
	return orderedGroup{Group: g, fields: fields}
}

func (g orderedGroup) Fields() []parquet.Field { return g.fields }

func (g orderedGroup) String() string {
	var b strings.Builder
	_ = parquet.PrintSchema(&b, "", g)
	return b.String()
}

type parquetSink struct {
	fileSink
	w            *parquet.GenericWriter[any]
	schema       pipeline.Schema
	cols         []parquetColumn
	fixedPerRow  int // bytes of fixed-length decimals per row
	rowGroupSize int
	groupRows    int // rows in the row group being written

	// Buffers reused from batch to batch: the batch's values column by
	// column (vals[j] holds column j of every row taken), and the bytes
	// of fixed-length decimals.
	vals  [][]parquet.Value
	fixed []byte
}

var (
	_ pipeline.Sink      = (*parquetSink)(nil)
	_ pipeline.Outputter = (*parquetSink)(nil)
)

// Write converts the batch to Parquet values, column by column, and hands
// each column's values to its column writer; a row group is written out
// as soon as it holds row_group_size rows.
func (s *parquetSink) Write(ctx context.Context, rows []pipeline.Row) error {
	if err := checkWrite(ctx, s.closed); err != nil {
		return err
	}
	// The buffers are sized up front so that appends never move them:
	// values of fixed-length decimals point into fixed.
	for j := range s.vals {
		if cap(s.vals[j]) < len(rows) {
			s.vals[j] = make([]parquet.Value, 0, len(rows))
		}
		s.vals[j] = s.vals[j][:0]
	}
	if need := len(rows) * s.fixedPerRow; cap(s.fixed) < need {
		s.fixed = make([]byte, 0, need)
	}
	fixed, taken := s.fixed[:0], 0
	var failed failures
	for i := range rows {
		fixedStart := len(fixed)
		var p *pipeline.Problem
		fixed, p = s.appendRow(fixed, &rows[i])
		if p != nil {
			failed.add(i, *p)
			for j := range s.vals {
				s.vals[j] = s.vals[j][:taken]
			}
			fixed = fixed[:fixedStart]
			continue
		}
		taken++
	}
	err := s.writeColumns(taken)
	// Drop the references to the batch's strings and bytes.
	for j := range s.vals {
		clear(s.vals[j])
	}
	if err != nil {
		return fmt.Errorf("parquet %s: %w", s.out.path, err)
	}
	s.written += int64(taken)
	return failed.err()
}

// maxRowsPerColumnWrite bounds the rows handed to a column writer at once:
// it checks its page size after each write, and a page cannot end inside
// a write.
const maxRowsPerColumnWrite = 512

// writeColumns hands the first n rows of vals to the column writers,
// cutting a row group every rowGroupSize rows.
func (s *parquetSink) writeColumns(n int) error {
	for start := 0; start < n; {
		end := min(n, start+maxRowsPerColumnWrite, start+s.rowGroupSize-s.groupRows)
		for j, cw := range s.w.ColumnWriters() {
			if _, err := cw.WriteRowValues(s.vals[j][start:end]); err != nil {
				return err
			}
		}
		s.groupRows += end - start
		if s.groupRows == s.rowGroupSize {
			if err := s.w.Flush(); err != nil {
				return err
			}
			s.groupRows = 0
		}
		start = end
	}
	return nil
}

// appendRow appends the Parquet values of one row to vals, column by
// column, or returns the problem that keeps it out (then some columns may
// have a value of the row appended: the caller truncates them).
func (s *parquetSink) appendRow(fixed []byte, row *pipeline.Row) ([]byte, *pipeline.Problem) {
	if len(row.Values) != len(s.cols) {
		p := widthProblem(row, s.schema)
		return fixed, &p
	}
	for j, v := range row.Values {
		col := &s.cols[j]
		f := &s.schema[j]
		if v == nil {
			if col.def == 0 {
				p := requiredProblem(row, f)
				return fixed, &p
			}
			s.vals[j] = append(s.vals[j], parquet.Value{}.Level(0, 0, j))
			continue
		}
		var pv parquet.Value
		ok := true
		switch col.kind {
		case pqString:
			var x string
			if x, ok = v.(string); ok {
				// No copy: the writer copies the bytes into its page
				// buffers before WriteRows returns, and never writes to them.
				pv = parquet.ByteArrayValue(unsafe.Slice(unsafe.StringData(x), len(x)))
			}
		case pqInt64:
			var x int64
			if x, ok = v.(int64); ok {
				pv = parquet.Int64Value(x)
			}
		case pqDouble:
			var x float64
			if x, ok = v.(float64); ok {
				pv = parquet.DoubleValue(x)
			}
		case pqBool:
			var x bool
			if x, ok = v.(bool); ok {
				pv = parquet.BooleanValue(x)
			}
		case pqDate:
			var x time.Time
			if x, ok = v.(time.Time); ok {
				pv = parquet.Int32Value(epochDays(x))
			}
		case pqTimestamp:
			var x time.Time
			if x, ok = v.(time.Time); ok {
				pv = parquet.Int64Value(x.UnixMicro())
			}
		case pqBytes:
			var x []byte
			if x, ok = v.([]byte); ok {
				pv = parquet.ByteArrayValue(x)
			}
		default: // decimals
			var d decimal.Decimal
			if d, ok = v.(decimal.Decimal); !ok {
				break
			}
			small, bigv, fault := unscaled(d, col.precision, f.Scale)
			if fault != decOK {
				p := decimalProblem(row, f, d, fault, col.precision)
				return fixed, &p
			}
			switch col.kind {
			case pqDecInt32:
				pv = parquet.Int32Value(int32(small))
			case pqDecInt64:
				pv = parquet.Int64Value(small)
			default:
				n := len(fixed)
				fixed = fixed[:n+col.size]
				b := fixed[n:]
				putTwosComplement(b, small, bigv)
				pv = parquet.FixedLenByteArrayValue(b)
			}
		}
		if !ok {
			p := typeProblem(row, f, v)
			return fixed, &p
		}
		s.vals[j] = append(s.vals[j], pv.Level(0, col.def, j))
	}
	return fixed, nil
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

// Close writes the last row group and the footer and puts the file in place.
// Close flushes the file and puts it in place.
func (s *parquetSink) Close(ctx context.Context) error { return s.close(ctx, s.w.Close) }
