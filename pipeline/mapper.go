package pipeline

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
// in input order, for every row Map accepted.
type OrderedCheck interface {
	Check(row Row) []Problem
}

// ProblemLocator is implemented by mappers that can say which source column
// and cell a field came from. The runner uses it to complete the problems
// a sink reports, which name only fields.
type ProblemLocator interface {
	Locate(p *Problem)
}
