// Package apisink is what every API sink (inflow, goflow, inventora) shares
// to keep planning apart from sending, in the spirit of restic's dryrun
// backend.
//
// An API sink is two halves. The planner reads the destination, decides for
// each row whether it creates, updates or leaves a record unchanged, and
// produces Writes. The Writer sends one Write. The runner decides where the
// writes go by the Layer it opens the sink with: Direct sends them, DryRun
// records them in a Plan and sends nothing. No component reads a dry-run
// flag; a sink only ever calls its (wrapped) writer.
//
//	w := apisink.WriterFunc(mySend)     // the sink's real writer
//	s.w = layer(w)                      // Direct or DryRun, chosen by the runner
//	err := s.w.Send(ctx, write, &resp)  // nil: confirmed (or, dry, recorded)
//	rep.Plan = apisink.PlanOf(s.w).Report(...)  // nil unless dry
package apisink

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/etl-dev/etl/pipeline"
)

// Action is what a write does to its record.
type Action string

// The actions a plan distinguishes.
const (
	Create Action = "create"
	Update Action = "update"
)

// Write is one write request an API sink wants sent: the request itself,
// and what the plan and the report need to know about it.
type Write struct {
	// Method is the HTTP method (PUT, POST, PATCH, DELETE).
	Method string
	// Route is the path below the account's API root, starting with "/",
	// e.g. "/sales-orders". It never holds credentials or a query string.
	Route string
	// Header holds extra headers (e.g. X-OverrideAllowNegativeInventory).
	Header http.Header
	// Body is sent as JSON.
	Body any
	// Idempotent says that sending the write twice has the effect of
	// sending it once (a PUT under a client-chosen id): the writer may
	// retry it after a lost answer.
	Idempotent bool

	// Kind is the record kind for the plan, e.g. "sales-orders".
	Kind string
	// Key names the record to a person: "order SO-1001", "SKU TEE-1".
	Key string
	// Action is Create or Update.
	Action Action
	// Rows are the input rows whose outcome depends on this write, in
	// input order (one for a product, every line's row for an order).
	Rows []pipeline.Origin
	// Fields are the changes the write makes, old → new, for the plan.
	Fields []pipeline.FieldChange
	// Deferred marks a write that belongs to its rows but is not the
	// write of their record (a stock or cost adjustment sent at Close):
	// the plan counts it as a write and does not list it as a change.
	Deferred bool
	// Journal lists what the Journaled layer records of the write.
	Journal []Entry
}

// Writer sends one write.
//
// Send sends w (with the retries its client makes for an idempotent write)
// and, when out is not nil and the destination answered with a body,
// decodes the answer into out. It returns nil when the destination
// confirmed the write. An error that wraps ErrUnanswered means the request
// went out and no answer came (a lost reply, a cancelled context after
// sending): the write may or may not have taken effect, and the rows it
// belongs to are unknown until a resumed run finds out. Any other error
// means the write did not take effect (the destination refused it, or it
// was never sent); the sink tells a row's own failure (a 4xx) from one
// that stops the run by the client's error predicates. Send is safe for
// concurrent use.
type Writer interface {
	Send(ctx context.Context, w Write, out any) error
}

// WriterFunc adapts a function to the Writer interface.
type WriterFunc func(ctx context.Context, w Write, out any) error

// Send calls f.
func (f WriterFunc) Send(ctx context.Context, w Write, out any) error { return f(ctx, w, out) }

// ErrUnanswered is wrapped by a Writer's error when the request was sent
// and its answer never came.
var ErrUnanswered = errors.New("sent, but no answer came: the write may have taken effect")

// Unanswered wraps err as ErrUnanswered.
func Unanswered(err error) error {
	if err == nil || errors.Is(err, ErrUnanswered) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrUnanswered, err)
}

// Layer wraps a sink's real writer; the runner chooses it (Direct or
// DryRun) when it opens an API sink.
type Layer func(Writer) Writer

// Direct is the layer of a real run: writes go out as they are.
func Direct(w Writer) Writer { return w }

// DryRun is the layer of a dry run: every write is checked (a method, a
// route, a body that encodes as JSON), recorded in a Plan and counted, and
// none is sent; Send returns nil and leaves out as it is, as if the
// destination had confirmed the write without a body. The wrapped writer
// is never called.
func DryRun(Writer) Writer {
	return &dryRun{plan: &Plan{}}
}

type dryRun struct {
	plan *Plan
}

func (d *dryRun) Send(ctx context.Context, w Write, _ any) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := Check(w); err != nil {
		return err
	}
	d.plan.Add(w)
	return nil
}

// Check tells whether w is a write that could be sent: a known method, a
// route below the API root, a body that encodes as JSON.
func Check(w Write) error {
	switch w.Method {
	case http.MethodPut, http.MethodPost, http.MethodPatch, http.MethodDelete:
	default:
		return fmt.Errorf("apisink: write %s: method %q is not a write", w.Key, w.Method)
	}
	if !strings.HasPrefix(w.Route, "/") || strings.ContainsAny(w.Route, "?#") {
		return fmt.Errorf("apisink: write %s: route %q must be a path starting with /", w.Key, w.Route)
	}
	if w.Body != nil {
		if _, err := json.Marshal(w.Body); err != nil {
			return fmt.Errorf("apisink: write %s: body: %w", w.Key, err)
		}
	}
	return nil
}

// PlanOf returns the plan a DryRun writer records, or nil when w is not
// one (a real run).
func PlanOf(w Writer) *Plan {
	if d, ok := w.(*dryRun); ok {
		return d.plan
	}
	return nil
}

// Opener is implemented by the sink configs of API sinks. The runner opens
// them with OpenWith instead of Open, passing Direct for a real run and
// DryRun for a dry run; Open(ctx, env, schema) must equal
// OpenWith(ctx, env, schema, Direct). At the end of a dry run the runner
// calls Close (the writes Close makes go through the layer too, so the
// plan counts them and nothing is sent).
type Opener interface {
	pipeline.SinkConfig
	OpenWith(ctx context.Context, env pipeline.Env, schema pipeline.Schema, layer Layer) (pipeline.Sink, error)
}

// Plan collects the writes of a dry run. It is safe for concurrent use.
type Plan struct {
	mu      sync.Mutex
	writes  int
	byKind  map[string]int
	changes []pipeline.Change
	omitted int
}

// Add records one write.
func (p *Plan) Add(w Write) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.writes++
	if p.byKind == nil {
		p.byKind = map[string]int{}
	}
	p.byKind[w.Kind]++
	if w.Deferred {
		return
	}
	if len(p.changes) >= pipeline.MaxProblems {
		p.omitted++
		return
	}
	c := pipeline.Change{Action: string(w.Action), Key: w.Key, Fields: append([]pipeline.FieldChange(nil), w.Fields...)}
	if len(w.Rows) > 0 {
		c.Origin = w.Rows[0]
	}
	p.changes = append(p.changes, c)
}

// Writes is the number of writes recorded.
func (p *Plan) Writes() int {
	if p == nil {
		return 0
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.writes
}

// WritesOf is the number of writes recorded for one kind.
func (p *Plan) WritesOf(kind string) int {
	if p == nil {
		return 0
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.byKind[kind]
}

// Counts are the outcomes a sink decided, for Report.
type Counts struct {
	Creates, Updates, Unchanged int
}

// Add counts one row's outcome; outcomes other than created, updated and
// unchanged are not part of a plan and are ignored.
func (c *Counts) Add(o pipeline.Outcome) {
	switch o {
	case pipeline.Created:
		c.Creates++
	case pipeline.Updated:
		c.Updates++
	case pipeline.Unchanged:
		c.Unchanged++
	}
}

// Report turns the plan into the run report's pipeline.Plan: the sink's
// counts, the reads it made, the writes recorded plus extra (writes the
// sink knows it would still make, e.g. deferred ones before Close), and
// the time all those requests take at the limits. A nil plan reports nil.
func (p *Plan) Report(c Counts, reads, extra int, rate Rate) *pipeline.Plan {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	writes := p.writes + extra
	return &pipeline.Plan{
		Creates: c.Creates, Updates: c.Updates, Unchanged: c.Unchanged,
		Reads: reads, Writes: writes,
		Duration:       rate.Duration(reads + writes),
		Changes:        sortedChanges(p.changes),
		ChangesOmitted: p.omitted,
	}
}

// Rate is an account's request limits; zero fields mean no such limit.
type Rate struct {
	PerMinute int
	PerHour   int
}

// Duration is the shortest time n requests take under both limits, the
// first minute's (and hour's) worth included: n requests at 60 a minute
// take n seconds.
func (r Rate) Duration(n int) time.Duration {
	var d time.Duration
	if r.PerMinute > 0 {
		d = time.Duration(float64(n) * float64(time.Minute) / float64(r.PerMinute))
	}
	if r.PerHour > 0 {
		d = max(d, time.Duration(float64(n)*float64(time.Hour)/float64(r.PerHour)))
	}
	return d
}

// Note records a change that has no write of its own (a product whose
// stock alone changes, carried by a deferred adjustment). A nil plan (a
// real run) ignores it.
func (p *Plan) Note(c pipeline.Change) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.changes) >= pipeline.MaxProblems {
		p.omitted++
		return
	}
	p.changes = append(p.changes, c)
}

// Entry is what a run journal records of a write: its intent (the GUID it
// carries, before it is sent, so that a retry or a resumed run reuses it
// and never creates the record twice) and its confirmation after.
type Entry struct {
	Kind, Key, GUID, Hash string
	// Outcome is recorded with the confirmation: "created", "updated".
	Outcome string
	// Intend records the entry before the write is sent (new records);
	// otherwise it is only confirmed.
	Intend bool
}

// Journal is what the Journaled layer needs of a run journal
// (*journal.Run has it). Both methods are durable when they return nil.
type Journal interface {
	Intend(ctx context.Context, kind, key, guid, payloadHash string) error
	Confirm(ctx context.Context, kind, key, guid, outcome, payloadHash string) error
}

// Journaled wraps next so that each write's Journal entries are intended
// before it is sent and confirmed once it is confirmed. With a nil journal
// it returns next. Put it below the runner's layer
// (layer(Journaled(real, j))): a dry run then journals nothing.
func Journaled(next Writer, j Journal) Writer {
	if j == nil {
		return next
	}
	return WriterFunc(func(ctx context.Context, w Write, out any) error {
		for _, e := range w.Journal {
			if e.Intend {
				if err := j.Intend(ctx, e.Kind, e.Key, e.GUID, e.Hash); err != nil {
					return fmt.Errorf("journal: recording %s before sending it: %w", w.Key, err)
				}
			}
		}
		if err := next.Send(ctx, w, out); err != nil {
			return err
		}
		for _, e := range w.Journal {
			if err := j.Confirm(context.WithoutCancel(ctx), e.Kind, e.Key, e.GUID, e.Outcome, e.Hash); err != nil {
				return fmt.Errorf("journal: confirming %s (the destination took it): %w", w.Key, err)
			}
		}
		return nil
	})
}

// sortedChanges orders changes by their first row, since writes go out
// concurrently.
func sortedChanges(cs []pipeline.Change) []pipeline.Change {
	out := append([]pipeline.Change(nil), cs...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Origin, out[j].Origin
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Sheet != b.Sheet {
			return a.Sheet < b.Sheet
		}
		return a.Row < b.Row
	})
	return out
}
