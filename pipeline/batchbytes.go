package pipeline

import "time"

// MaxBatchBytes bounds the text and bytes of the records of one batch, as
// BatchSize bounds their number: the runner hands a batch on when either
// is reached, so that memory stays bounded by bytes whatever the rows
// hold (a CSV row may be megabytes, a shared string used by every row of
// a sheet). With the batches in flight (see RunConfig.Concurrency) this
// keeps a run's records within about (2·Concurrency+3)·MaxBatchBytes.
const MaxBatchBytes = 8 << 20

// recordBytes estimates the memory of a record's values: the length of
// its texts and byte slices, and a word for every other value.
func recordBytes(rec Record) int {
	n := 64 + 16*len(rec.Values)
	for _, v := range rec.Values {
		switch v := v.(type) {
		case string:
			n += len(v)
		case []byte:
			n += len(v)
		case time.Time:
			n += 24
		}
	}
	for _, p := range rec.Problems {
		n += 128 + len(p.Message) + len(p.Value)
	}
	return n
}
