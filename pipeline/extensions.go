package pipeline

import (
	"context"
	"time"
)

// Optional interfaces that components implement when they do more than
// move rows: API sinks that plan in a dry run and count requests, and API
// sources that keep bookmarks between runs.

// DryRunner is implemented by sink configs that plan in a dry run (the API
// sinks, with the dry-run layer of sinks/apisink around their writer): the
// sink it opens reads what it needs from the destination (to tell creates
// from updates from unchanged rows) and records its writes instead of
// sending them. Sinks without it are opened for real and aborted at the
// end of a dry run (see OpenSink).
type DryRunner interface {
	OpenDryRun(ctx context.Context, env Env, schema Schema) (Sink, error)
}

// Reporter is implemented by sinks (and sources) that have more to say
// than row counts: requests made, and in a dry run the plan. Report is
// safe to call from another goroutine while the run goes on (progress
// reads it) and returns a copy.
type Reporter interface {
	Report() *ComponentReport
}

// ComponentReport is what an API component tells the run report.
type ComponentReport struct {
	// Requests made so far, by kind.
	Requests RequestStats `json:"requests"`
	// Account names the API account the component talks to as a person
	// recognises it, e.g. "inFlow company 1b2c3d4e at
	// https://cloudapi.inflowinventory.com" or "the embedded inFlow
	// emulator"; never a secret. Empty when unknown.
	Account string `json:"account,omitempty"`
	// RatePerMinute is the account's request limit, 0 when none applies.
	RatePerMinute int `json:"rate_per_minute,omitempty"`
	// Plan is set by a dry run: what a real run would do.
	Plan *Plan `json:"plan,omitempty"`
	// Notes are short facts worth a line in the report.
	Notes []string `json:"notes,omitempty"`
}

// RequestStats counts API requests.
type RequestStats struct {
	Reads   int           `json:"reads"`
	Writes  int           `json:"writes"`
	Retries int           `json:"retries"`
	TooMany int           `json:"too_many"` // 429 answers
	Waited  time.Duration `json:"waited_ns"`
}

// Total is reads plus writes.
func (s RequestStats) Total() int { return s.Reads + s.Writes }

// Plan is what a real run would do, as found by a dry run.
type Plan struct {
	Creates   int `json:"creates"`
	Updates   int `json:"updates"`
	Unchanged int `json:"unchanged"`
	// Reads is the read requests the plan took (and a real run takes
	// again); Writes the write requests a real run needs on top.
	Reads  int `json:"reads"`
	Writes int `json:"writes"`
	// Duration is how long Reads+Writes take at the rate limit.
	Duration time.Duration `json:"duration_ns"`
	// Changes lists creates and updates with their field changes, at most
	// MaxProblems of them; ChangesOmitted counts the rest.
	Changes        []Change `json:"changes"`
	ChangesOmitted int      `json:"changes_omitted"`
}

// Change is one planned create or update.
type Change struct {
	Origin Origin        `json:"origin"`
	Action string        `json:"action"` // "create" or "update"
	Key    string        `json:"key"`    // what identifies the record, e.g. "SKU TEE-1"
	Fields []FieldChange `json:"fields,omitempty"`
}

// FieldChange is one field's old and new value, as text.
type FieldChange struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// Committer is implemented by sources that keep state between runs, such
// as the bookmark of an incremental export. The runner calls Commit only
// after the sink's Close succeeded, so the state never runs ahead of the
// output; never after a failed or dry run.
type Committer interface {
	Commit(ctx context.Context) error
}

// StateStore keeps small named values between runs (bookmarks), per job.
// Implementations make Set durable before returning.
type StateStore interface {
	GetState(ctx context.Context, job, key string) (value string, ok bool, err error)
	SetState(ctx context.Context, job, key, value string) error
}
