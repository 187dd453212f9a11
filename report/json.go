package report

import (
	"encoding/json"
	"io"
	"time"

	"github.com/etl-dev/etl/pipeline"
)

// JSONVersion is the version of the JSON report's layout. It changes only
// when a key is removed or changes meaning; new keys may appear without it.
const JSONVersion = 1

// JSONReport is the layout of the JSON report. Every key is always present,
// so that consumers need no special cases.
type JSONReport struct {
	Version    int       `json:"version"`
	Job        string    `json:"job"`
	DryRun     bool      `json:"dry_run"`
	Started    time.Time `json:"started"`
	Finished   time.Time `json:"finished"`
	DurationMS int64     `json:"duration_ms"`
	Source     string    `json:"source"`
	Sink       string    `json:"sink"`
	RowsRead   int64     `json:"rows_read"`
	// Counts holds the rows per outcome by name (written, created, updated,
	// unchanged, skipped, rejected); they add up to RowsRead.
	Counts          map[string]int64 `json:"counts"`
	Aborted         string           `json:"aborted"` // empty when the run finished
	Problems        []JSONProblem    `json:"problems"`
	ProblemsOmitted int64            `json:"problems_omitted"`
	Groups          []JSONGroup      `json:"groups"` // largest first
	// Components holds what API sources and sinks reported: requests, and
	// a dry run's plan. Absent for file-only jobs.
	Components map[string]*pipeline.ComponentReport `json:"components,omitempty"`
}

// JSONProblem is one problem of a rejected row.
type JSONProblem struct {
	File    string `json:"file"`
	Sheet   string `json:"sheet"`
	Row     int    `json:"row"`
	Line    int    `json:"line"`
	Column  string `json:"column"`
	Cell    string `json:"cell"`
	Field   string `json:"field"`
	Value   string `json:"value"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// JSONGroup is a group of problems of one kind (see Group).
type JSONGroup struct {
	Rule    string `json:"rule"`
	Field   string `json:"field"`
	Column  string `json:"column"`
	Message string `json:"message"`
	Count   int    `json:"count"`
}

// NewJSONReport builds the JSON report of a run.
func NewJSONReport(r *pipeline.Result) *JSONReport {
	j := &JSONReport{
		Version:         JSONVersion,
		Job:             r.Job,
		DryRun:          r.DryRun,
		Started:         r.Started,
		Finished:        r.Finished,
		Source:          r.Source,
		Sink:            r.Sink,
		RowsRead:        r.RowsRead,
		Counts:          r.CountsByName(),
		Aborted:         r.Aborted,
		Problems:        make([]JSONProblem, 0, len(r.Problems)),
		ProblemsOmitted: r.ProblemsOmitted,
		Groups:          []JSONGroup{},
		Components:      r.Components,
	}
	if !r.Started.IsZero() && !r.Finished.IsZero() {
		j.DurationMS = r.Duration().Milliseconds()
	}
	for _, p := range r.Problems {
		j.Problems = append(j.Problems, JSONProblem{
			File: p.Origin.File, Sheet: p.Origin.Sheet, Row: p.Origin.Row, Line: p.Origin.Line,
			Column: p.Column, Cell: p.Cell, Field: p.Field, Value: p.Value,
			Rule: p.Rule, Message: p.Message,
		})
	}
	for _, g := range GroupProblems(r.Problems) {
		j.Groups = append(j.Groups, JSONGroup{Rule: g.Rule, Field: g.Field, Column: g.Column, Message: g.Message, Count: g.Count()})
	}
	return j
}

// WriteJSON writes the run report as indented JSON with stable snake_case
// keys (see JSONReport).
func WriteJSON(w io.Writer, r *pipeline.Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(NewJSONReport(r))
}
