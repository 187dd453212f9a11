package pipeline

import "github.com/etl-dev/etl/internal/box"

// Mapper turns source records into rows of its Schema.
type Mapper interface {
	// Schema is the layout of the rows Map returns.
	Schema() Schema
	// Map maps and validates one record. It returns exactly one of: a row
	// (problems empty, skip false); the problems that reject the record
	// (every bad cell, not just the first); or skip true when the job's
	// filter leaves the record out. Map is safe for concurrent use and
	// keeps no state between calls.
	Map(rec Record) (row Row, problems []Problem, skip bool)
}

// OrderedCheck validates rows that need to see the rows before them (such
// as uniqueness within the input). The runner calls it from one goroutine,
// in input order, for every row Map accepted. It keeps copies of what it
// needs to remember, never the row's values themselves (their memory is
// used again for later rows).
type OrderedCheck interface {
	Check(row Row) []Problem
}

// ProblemLocator is implemented by mappers that can say which source column
// and cell a field came from. The runner uses it to complete the problems
// a sink reports, which name only fields.
type ProblemLocator interface {
	Locate(p *Problem)
}

// BatchMapper is a Mapper that also maps a batch of records in one call,
// so that the rows of the batch can share their allocations (one slab for
// the values of many rows, see internal/box). The runner prefers MapBatch
// to Map.
type BatchMapper interface {
	Mapper
	// MapBatch maps recs[i] into out[i] as Map(recs[i]) would (a record
	// that has Problems is rejected with them), boxing the rows' values
	// from a; out has the length of recs. A record is the caller's: its
	// Values may become the row's. It is safe for concurrent use (each
	// call works on its own batch and arena), and keeps no reference to a.
	MapBatch(recs []Record, out []Mapped, a *box.Arena)
}

// Mapped is what Map returns for one record.
type Mapped struct {
	Row      Row
	Problems []Problem
	Skip     bool
}
