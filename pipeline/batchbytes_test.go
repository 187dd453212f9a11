package pipeline

import (
	"context"
	"io"
	"strings"
	"testing"
)

// bigSource returns n records, each one string of size bytes; the strings
// are one string shared by all, as a workbook's shared string is.
type bigSource struct {
	n    int
	text string
}

func (s *bigSource) Columns() []Column { return []Column{{Name: "a"}} }
func (s *bigSource) Close() error      { return nil }
func (s *bigSource) Next(context.Context) (Record, error) {
	if s.n == 0 {
		return Record{}, io.EOF
	}
	s.n--
	return Record{Values: []any{s.text}}, nil
}

// TestBatchesBoundedByBytes: big records make small batches; small ones
// fill the batch size.
func TestBatchesBoundedByBytes(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		size, n, wantMax int
	}{
		{1 << 20, 100, 8}, // 1 MiB records: 8 a batch (8 MiB)
		{100, 3000, 1000}, // small records: the batch size decides
		{12 << 20, 3, 1},  // one record over the bound is a batch of its own
	} {
		out := make(chan recordBatch, 1000)
		if err := readBatches(context.Background(), &bigSource{n: tt.n, text: strings.Repeat("x", tt.size)}, 1000, newSpares(1), out); err != nil {
			t.Fatal(err)
		}
		close(out)
		total, biggest := 0, 0
		for b := range out {
			total += len(b.recs)
			biggest = max(biggest, len(b.recs))
		}
		if total != tt.n || biggest != tt.wantMax {
			t.Errorf("records of %d bytes: %d read, largest batch %d, want %d", tt.size, total, biggest, tt.wantMax)
		}
	}
}
