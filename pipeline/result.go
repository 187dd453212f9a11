package pipeline

import "time"

// Result is what a run did, for reports and exit codes. The counts of all
// outcomes add up to RowsRead.
type Result struct {
	Job      string    `json:"job"`      // job name or file
	DryRun   bool      `json:"dry_run"`  // nothing was written to the sink
	Started  time.Time `json:"started"`  // UTC
	Finished time.Time `json:"finished"` // UTC
	Source   string    `json:"source"`   // what was read, e.g. "xlsx samples/catalog.xlsx [Products]"
	Sink     string    `json:"sink"`     // where rows went, e.g. "parquet out/catalog.parquet"
	RowsRead int64     `json:"rows_read"`
	// Counts holds the number of rows per outcome, indexed by Outcome.
	Counts [len(outcomeNames)]int64 `json:"-"`
	// Problems lists the problems of rejected rows in input order, at most
	// MaxProblems of them; ProblemsOmitted counts those left out.
	Problems        []Problem `json:"problems"`
	ProblemsOmitted int64     `json:"problems_omitted"`
	// Components holds what API sources and sinks reported (requests,
	// the dry run's plan), keyed "source" and "sink".
	Components map[string]*ComponentReport `json:"components,omitempty"`
	// Aborted is set when the run stopped early: the error policy's budget
	// was spent, the run was cancelled, or the sink failed.
	Aborted string `json:"aborted,omitempty"`
}

// MaxProblems bounds the problems a Result keeps in memory, so that a file
// of a million bad rows does not need a million problems in RAM.
const MaxProblems = 10000

// Count returns the number of rows that ended in outcome o.
func (r *Result) Count(o Outcome) int64 { return r.Counts[o] }

// Accounted is the sum of all outcome counts; it equals RowsRead.
func (r *Result) Accounted() int64 {
	var n int64
	for _, c := range r.Counts {
		n += c
	}
	return n
}

// Duration is how long the run took.
func (r *Result) Duration() time.Duration { return r.Finished.Sub(r.Started) }

// CountsByName returns the outcome counts keyed by outcome name.
func (r *Result) CountsByName() map[string]int64 {
	m := make(map[string]int64, len(r.Counts))
	for _, o := range Outcomes() {
		m[o.String()] = r.Counts[o]
	}
	return m
}
