package inflowsrc

import (
	"context"
	"fmt"
	"io"
	"iter"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/etl-dev/etl/inflow"
	"github.com/etl-dev/etl/inflow/sandbox"
	"github.com/etl-dev/etl/pipeline"
)

// run is the state of one export: the client, the resolved locations, the
// bookmark and counters.
type run struct {
	client  *inflow.Client
	cfg     *Config
	started time.Time // UTC, the snapshot_at of inventory and serials rows
	// locations are the chosen locations in the API's order (all when the
	// job names none); chosen indexes them by lower-case id.
	locations    []inflow.Location
	chosen       map[string]*inflow.Location
	cfgLocations bool // the job named locations
	incr         *incremental
	notef        func(format string, args ...any)

	summaryRequests atomic.Int64
}

// listOptions are the list options of the table: the job's filters, the
// table's includes and the job's.
func (r *run) listOptions(t *table) *inflow.ListOptions {
	o := &inflow.ListOptions{Filters: map[string]any{}}
	for k, v := range r.cfg.Filters {
		o.Filters[k] = v
	}
	for _, inc := range append(slices.Clone(t.includes), r.cfg.Include...) {
		if inc = strings.TrimSpace(inc); inc != "" && !slices.Contains(o.Include, inc) {
			o.Include = append(o.Include, inc)
		}
	}
	return o
}

// resolveLocations lists the locations (one request per 100) and picks
// those the job names, case-insensitively.
func (r *run) resolveLocations(ctx context.Context) error {
	all, err := r.client.Locations().All(ctx, nil)
	if err != nil {
		return fmt.Errorf("listing locations: %w", err)
	}
	r.chosen = map[string]*inflow.Location{}
	if len(r.cfg.Locations) == 0 {
		r.locations = all
	} else {
		r.cfgLocations = true
		var names []string
		for _, l := range all {
			names = append(names, deref(l.Name))
		}
		seen := map[string]bool{}
		for _, want := range r.cfg.Locations {
			w := strings.TrimSpace(want)
			i := slices.IndexFunc(all, func(l inflow.Location) bool { return strings.EqualFold(strings.TrimSpace(deref(l.Name)), w) })
			if i < 0 {
				return fmt.Errorf("locations: inFlow has no location named %q%s; its locations are %s", want, hint(w, names), strings.Join(names, ", "))
			}
			if !seen[all[i].LocationID] {
				seen[all[i].LocationID] = true
				r.locations = append(r.locations, all[i])
			}
		}
	}
	for i := range r.locations {
		r.chosen[strings.ToLower(r.locations[i].LocationID)] = &r.locations[i]
	}
	// Serial lines at a location the job did not name still need its name
	// when all are chosen; keep every location findable.
	if !r.cfgLocations {
		for i := range all {
			if _, ok := r.chosen[strings.ToLower(all[i].LocationID)]; !ok {
				r.chosen[strings.ToLower(all[i].LocationID)] = &all[i]
			}
		}
	}
	return nil
}

// source is the pipeline.Source of an inflow export.
type source struct {
	cfg    *Config
	table  *table
	env    pipeline.Env
	client *inflow.Client
	srv    *sandbox.Server // the emulator in sandbox mode
	// account names the account for reports (ComponentReport.Account).
	account string
	run     *run

	next    func() (pipeline.Record, error, bool)
	stop    func()
	rows    int
	done    bool // no more rows: read to the end, or failed
	failed  bool
	err     error // why the export failed: every later Next returns it, never io.EOF
	closed  bool
	mu      sync.Mutex
	notes   []string
	started bool
}

var (
	_ pipeline.Source    = (*source)(nil)
	_ pipeline.Reporter  = (*source)(nil)
	_ pipeline.Committer = (*source)(nil)
)

func (s *source) notef(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notes = append(s.notes, fmt.Sprintf(format, args...))
}

// Columns are the table's columns, fixed by the entity type: the same on
// every run whatever the data.
func (s *source) Columns() []pipeline.Column { return slices.Clone(s.table.columns) }

// Next returns the next row. The first call starts the export with ctx,
// which the later calls share (the runner passes one context).
func (s *source) Next(ctx context.Context) (pipeline.Record, error) {
	if s.closed {
		return pipeline.Record{}, fmt.Errorf("inflow source is closed")
	}
	if err := ctx.Err(); err != nil {
		return pipeline.Record{}, err
	}
	if s.failed {
		return pipeline.Record{}, s.err
	}
	if s.done {
		return pipeline.Record{}, io.EOF
	}
	if !s.started {
		s.started = true
		s.run.started = time.Now().UTC().Truncate(time.Microsecond)
		var seq iter.Seq2[pipeline.Record, error] = s.table.rows(ctx, s.run)
		s.next, s.stop = iter.Pull2(seq)
	}
	rec, err, ok := s.next()
	if !ok {
		s.done = true
		return pipeline.Record{}, io.EOF
	}
	if err != nil {
		s.stop()
		s.done, s.failed = true, true
		s.err = fmt.Errorf("inflow %s: %w", s.table.entity, err)
		return pipeline.Record{}, s.err
	}
	s.rows++
	rec.Origin.Row = s.rows
	return rec, nil
}

// Close stops the export and the emulator of sandbox mode.
func (s *source) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	if s.stop != nil {
		s.stop()
	}
	if s.srv != nil {
		s.srv.Close()
	}
	return nil
}

// Report counts the requests: GETs and summary POSTs are reads, 429s are
// TooMany.
func (s *source) Report() *pipeline.ComponentReport {
	st := s.client.Stats()
	rep := &pipeline.ComponentReport{
		Requests: pipeline.RequestStats{
			Reads:   st.ByMethod[http.MethodGet] + st.ByMethod[http.MethodPost],
			Retries: st.Retries,
			TooMany: st.TooMany,
			Waited:  st.Waited,
		},
		RatePerMinute: s.client.Limiter().PerMinute(),
		Account:       s.account,
	}
	s.mu.Lock()
	rep.Notes = slices.Clone(s.notes)
	s.mu.Unlock()
	if n := s.run.summaryRequests.Load(); n > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("inventory: %d POST /products/summary requests of up to %d pairs", n, inflow.MaxSummaryBatch))
	}
	return rep
}

// Commit saves the bookmark of an incremental export. The runner calls it
// only after the sink's Close succeeded, so the bookmark never runs ahead
// of the files; it does nothing unless the table was read to its end.
func (s *source) Commit(ctx context.Context) error {
	if s.run.incr == nil || !s.done || s.failed {
		return nil
	}
	return s.run.incr.commit(ctx, s.env)
}
