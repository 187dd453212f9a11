package sinks

import (
	"bufio"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	pq "github.com/apache/arrow-go/v18/parquet"
	pqfile "github.com/apache/arrow-go/v18/parquet/file"
	pqschema "github.com/apache/arrow-go/v18/parquet/schema"
)

// A chunk is handed to the encoder when it holds pqChunkRows rows or
// pqChunkBytes bytes of text, bytes and fixed-length decimals, whichever
// comes first, or when its row group is full.
const (
	pqChunkRows  = 1024
	pqChunkBytes = 4 << 20
)

// pqChunks is the number of chunks a sink has: one filled by Write, the
// others queued or being encoded. It bounds the memory of rows on their way
// to the file, and Write waits when the encoder is that far behind.
const pqChunks = 3

// pqChunk is a run of rows in the physical types of their columns.
type pqChunk struct {
	rows      int
	bytes     int  // of text, bytes and fixed-length decimals
	endsGroup bool // the encoder ends the row group after this chunk
	cols      []pqBuffer
}

// pqBuffer holds the values of one column of a chunk. Only the slice of the
// column's kind is used; nulls have no value, only a definition level.
type pqBuffer struct {
	def   []int16 // per row of an optional column: 1 for a value, 0 for null
	i32   []int32
	i64   []int64
	f64   []float64
	bools []bool
	// data holds text and bytes back to back, each ending at its entry of
	// ends, or the fixed-length decimals one after the other.
	data []byte
	ends []int
}

func newPQChunk(n int) *pqChunk { return &pqChunk{cols: make([]pqBuffer, n)} }

// reset empties the chunk, keeping its buffers.
func (c *pqChunk) reset() {
	c.rows, c.bytes, c.endsGroup = 0, 0, false
	for j := range c.cols {
		b := &c.cols[j]
		b.def, b.i32, b.i64, b.f64, b.bools = b.def[:0], b.i32[:0], b.i64[:0], b.f64[:0], b.bools[:0]
		b.data, b.ends = b.data[:0], b.ends[:0]
		if cap(b.data) > 2*pqChunkBytes {
			b.data = nil // a huge value: keep no buffer of its size
		}
	}
}

// dropRow removes the row being appended from the columns cols (the first
// columns of the chunk), which each hold one entry of it.
func (c *pqChunk) dropRow(cols []parquetColumn) {
	for j, col := range cols {
		b := &c.cols[j]
		if col.optional {
			last := b.def[len(b.def)-1]
			b.def = b.def[:len(b.def)-1]
			if last == 0 {
				continue
			}
		}
		switch col.kind {
		case pqString, pqBytes:
			b.ends = b.ends[:len(b.ends)-1]
			end := 0
			if len(b.ends) > 0 {
				end = b.ends[len(b.ends)-1]
			}
			c.bytes -= len(b.data) - end
			b.data = b.data[:end]
		case pqDecFixed:
			b.data = b.data[:len(b.data)-col.size]
			c.bytes -= col.size
		case pqInt64, pqTimestamp, pqDecInt64:
			b.i64 = b.i64[:len(b.i64)-1]
		case pqDecInt32, pqDate:
			b.i32 = b.i32[:len(b.i32)-1]
		case pqDouble:
			b.f64 = b.f64[:len(b.f64)-1]
		case pqBool:
			b.bools = b.bools[:len(b.bools)-1]
		}
	}
}

// parquetEncoder writes chunks to the Parquet file on its own goroutine,
// in the order they come, so that encoding and compression run beside the
// pipeline. It owns the file writer until finish or stop returns.
type parquetEncoder struct {
	buf  *bufio.Writer
	w    *pqfile.Writer
	cols []parquetColumn
	rg   pqfile.BufferedRowGroupWriter // nil between row groups

	todo chan *pqChunk // chunks to encode; never full, as there are pqChunks
	free chan *pqChunk // chunks encoded and emptied, for Write to fill
	done chan struct{} // closed when run returns

	closeTodo sync.Once
	quit      atomic.Bool // stop: skip the chunks still queued
	mu        sync.Mutex
	err       error // the first error of the encoder

	// Reused views of a chunk's data, as the column writers take them.
	byteArrays []pq.ByteArray
	fixed      []pq.FixedLenByteArray
}

// startParquetEncoder writes the file header to f and starts the encoder.
func startParquetEncoder(f io.Writer, root *pqschema.GroupNode, props *pq.WriterProperties, cols []parquetColumn) (*parquetEncoder, error) {
	// The buffer gathers the small writes of page indexes and footer;
	// column chunks, written whole, go past it.
	buf := bufio.NewWriterSize(f, 64<<10)
	w, err := pqfile.NewParquetWriterWithError(buf, root, pqfile.WithWriterProps(props))
	if err != nil {
		return nil, err
	}
	e := &parquetEncoder{
		buf:  buf,
		w:    w,
		cols: cols,
		todo: make(chan *pqChunk, pqChunks),
		free: make(chan *pqChunk, pqChunks),
		done: make(chan struct{}),
	}
	for range pqChunks {
		e.free <- newPQChunk(len(cols))
	}
	go e.run()
	return e, nil
}

func (e *parquetEncoder) run() {
	defer close(e.done)
	for c := range e.todo {
		if !e.quit.Load() && e.failure() == nil {
			if err := e.encode(c); err != nil {
				e.mu.Lock()
				e.err = err
				e.mu.Unlock()
			}
		}
		c.reset()
		e.free <- c
	}
}

// failure is the error that stopped the encoder, or nil.
func (e *parquetEncoder) failure() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.err
}

// encode writes the chunk's values to the column writers of the row group
// (starting one if needed) and ends the row group after the chunk's last
// row if it says so.
func (e *parquetEncoder) encode(c *pqChunk) (err error) {
	// arrow-go reports some write failures by panicking; on this goroutine
	// a panic would end the process rather than the run.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("parquet writer: %v", r)
		}
	}()
	if e.rg == nil {
		rg, err := e.w.AppendBufferedRowGroupChecked()
		if err != nil {
			return err
		}
		e.rg = rg
	}
	if c.rows > 0 {
		for j := range e.cols {
			cw, err := e.rg.Column(j)
			if err != nil {
				return err
			}
			if err := e.writeColumn(cw, &e.cols[j], &c.cols[j]); err != nil {
				return err
			}
		}
	}
	if c.endsGroup {
		rg := e.rg
		e.rg = nil
		return rg.Close()
	}
	return nil
}

// writeColumn hands one column of a chunk to its column writer.
func (e *parquetEncoder) writeColumn(cw pqfile.ColumnChunkWriter, col *parquetColumn, b *pqBuffer) error {
	var def []int16
	if col.optional {
		def = b.def
	}
	var err error
	switch col.kind {
	case pqString, pqBytes:
		views, start := e.byteArrays[:0], 0
		for _, end := range b.ends {
			views = append(views, b.data[start:end:end])
			start = end
		}
		_, err = cw.(*pqfile.ByteArrayColumnChunkWriter).WriteBatch(views, def, nil)
		clear(views) // no references to the chunk's data outlive it
		e.byteArrays = views[:0]
	case pqDecFixed:
		views := e.fixed[:0]
		for i := 0; i < len(b.data); i += col.size {
			views = append(views, b.data[i:i+col.size:i+col.size])
		}
		_, err = cw.(*pqfile.FixedLenByteArrayColumnChunkWriter).WriteBatch(views, def, nil)
		clear(views)
		e.fixed = views[:0]
	case pqInt64, pqTimestamp, pqDecInt64:
		_, err = cw.(*pqfile.Int64ColumnChunkWriter).WriteBatch(b.i64, def, nil)
	case pqDecInt32, pqDate:
		_, err = cw.(*pqfile.Int32ColumnChunkWriter).WriteBatch(b.i32, def, nil)
	case pqDouble:
		_, err = cw.(*pqfile.Float64ColumnChunkWriter).WriteBatch(b.f64, def, nil)
	case pqBool:
		_, err = cw.(*pqfile.BooleanColumnChunkWriter).WriteBatch(b.bools, def, nil)
	default:
		err = fmt.Errorf("column kind %d has no writer", col.kind)
	}
	return err
}

// finish waits for the chunks handed over, then writes the footer and
// flushes the file's buffer. The caller has sent its last chunk.
func (e *parquetEncoder) finish() error {
	e.closeTodo.Do(func() { close(e.todo) })
	<-e.done
	if err := e.failure(); err != nil {
		return err
	}
	if err := e.w.Close(); err != nil {
		return err
	}
	return e.buf.Flush()
}

// stop ends the encoder without writing what is queued. It returns once
// the encoder's goroutine has; it is safe to call more than once and after
// finish.
func (e *parquetEncoder) stop() {
	e.quit.Store(true)
	e.closeTodo.Do(func() { close(e.todo) })
	<-e.done
}
