package report

import (
	"encoding/json"
	"io"
	"time"

	"github.com/etl-dev/etl/pipeline"
)

// JSONVersion is the version of the JSON report's layout. It changes only
// when a key is removed or changes meaning; new keys may appear without it.
// Version 2: every key is snake_case (plan changes' origins too),
// durations are milliseconds, groups carry their reason, values and cells.
const JSONVersion = 2

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
	// a dry run's plan, keyed "source" and "sink". Absent for file-only
	// jobs.
	Components map[string]*JSONComponent `json:"components,omitempty"`
}

// JSONComponent is what an API source or sink reported.
type JSONComponent struct {
	Account       string       `json:"account,omitempty"`
	Requests      JSONRequests `json:"requests"`
	RatePerMinute int          `json:"rate_per_minute,omitempty"`
	Plan          *JSONPlan    `json:"plan,omitempty"`
	Notes         []string     `json:"notes,omitempty"`
}

// JSONRequests counts a component's requests.
type JSONRequests struct {
	Reads    int   `json:"reads"`
	Writes   int   `json:"writes"`
	Retries  int   `json:"retries"`
	TooMany  int   `json:"too_many"` // 429 answers
	WaitedMS int64 `json:"waited_ms"`
}

// JSONPlan is a dry run's plan (see pipeline.Plan).
type JSONPlan struct {
	Creates        int          `json:"creates"`
	Updates        int          `json:"updates"`
	Unchanged      int          `json:"unchanged"`
	Reads          int          `json:"reads"`
	Writes         int          `json:"writes"`
	DurationMS     int64        `json:"duration_ms"`
	Changes        []JSONChange `json:"changes"`
	ChangesOmitted int          `json:"changes_omitted"`
}

// JSONChange is one planned create or update.
type JSONChange struct {
	Origin JSONOrigin             `json:"origin"`
	Action string                 `json:"action"`
	Key    string                 `json:"key"`
	Fields []pipeline.FieldChange `json:"fields"`
}

// JSONOrigin says where a row came from.
type JSONOrigin struct {
	File  string `json:"file"`
	Sheet string `json:"sheet"`
	Row   int    `json:"row"`
	Line  int    `json:"line"`
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
	Rule   string `json:"rule"`
	Field  string `json:"field"`
	Column string `json:"column"`
	// Message is the reason the group's problems share, without their
	// values (Group.Reason).
	Message string   `json:"message"`
	Count   int      `json:"count"`
	Values  []string `json:"values"` // the first few distinct values
	Cells   []string `json:"cells"`  // where the first few are
}

// How many values and cells a group lists.
const (
	groupValues = 5
	groupCells  = 20
)

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
		Components:      jsonComponents(r.Components),
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
		j.Groups = append(j.Groups, JSONGroup{Rule: g.Rule, Field: g.Field, Column: g.Column, Message: g.Reason, Count: g.Count(),
			Values: nonNil(g.Values(groupValues)), Cells: nonNil(g.Cells(groupCells))})
	}
	return j
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func jsonComponents(cs map[string]*pipeline.ComponentReport) map[string]*JSONComponent {
	if len(cs) == 0 {
		return nil
	}
	out := make(map[string]*JSONComponent, len(cs))
	for name, c := range cs {
		if c == nil {
			continue
		}
		jc := &JSONComponent{
			Account: c.Account,
			Requests: JSONRequests{Reads: c.Requests.Reads, Writes: c.Requests.Writes, Retries: c.Requests.Retries,
				TooMany: c.Requests.TooMany, WaitedMS: c.Requests.Waited.Milliseconds()},
			RatePerMinute: c.RatePerMinute,
			Notes:         c.Notes,
		}
		if p := c.Plan; p != nil {
			jp := &JSONPlan{Creates: p.Creates, Updates: p.Updates, Unchanged: p.Unchanged, Reads: p.Reads, Writes: p.Writes,
				DurationMS: p.Duration.Milliseconds(), Changes: make([]JSONChange, 0, len(p.Changes)), ChangesOmitted: p.ChangesOmitted}
			for _, ch := range p.Changes {
				o := ch.Origin
				jp.Changes = append(jp.Changes, JSONChange{Origin: JSONOrigin{File: o.File, Sheet: o.Sheet, Row: o.Row, Line: o.Line},
					Action: ch.Action, Key: ch.Key, Fields: nonNilFields(ch.Fields)})
			}
			jc.Plan = jp
		}
		out[name] = jc
	}
	return out
}

func nonNilFields(f []pipeline.FieldChange) []pipeline.FieldChange {
	if f == nil {
		return []pipeline.FieldChange{}
	}
	return f
}

// WriteJSON writes the run report as indented JSON with stable snake_case
// keys (see JSONReport).
func WriteJSON(w io.Writer, r *pipeline.Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(NewJSONReport(r))
}
