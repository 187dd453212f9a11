package goflowsrc

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/etl-dev/etl/goflow"
	"github.com/etl-dev/etl/pipeline"
)

// StateKey is the key of the orders bookmark in the job's state.
const StateKey = "goflow.orders.status_updated_at"

// Bookmark is what an incremental orders export remembers: the upper
// bound of the last exported range. Every order whose status changed
// before Until was exported; the next run asks for status_updated_at from
// Until minus the overlap (a closed bound) to its own start (an open
// bound), sorted ascending, and the list yields each id once.
type Bookmark struct {
	Until time.Time `json:"until"`
}

// incremental is the bookmark work of one run.
type incremental struct {
	prev    *Bookmark
	next    Bookmark
	overlap time.Duration
	noState bool
	notef   func(string, ...any)
}

func (r *run) loadBookmark(ctx context.Context, env pipeline.Env) error {
	in := &incremental{overlap: DefaultOverlap, notef: r.notef}
	if r.cfg.Overlap != nil {
		in.overlap = r.cfg.Overlap.Duration
	}
	r.incr = in
	if env.State == nil {
		in.noState = true
		r.notef("incremental: this run keeps no state, so every order is exported and no bookmark is saved")
		return nil
	}
	v, ok, err := env.State.GetState(ctx, env.Job, StateKey)
	if err != nil {
		return fmt.Errorf("incremental: reading the bookmark: %w", err)
	}
	if ok && v != "" {
		var b Bookmark
		if err := json.Unmarshal([]byte(v), &b); err != nil || b.Until.IsZero() {
			return fmt.Errorf("incremental: the bookmark %q is not readable: reset it (etl state reset) to export every order once", v)
		}
		in.prev = &b
	}
	return nil
}

// start fixes the run's upper bound: the run's start, to the second.
func (in *incremental) start(now time.Time) {
	in.next.Until = now.UTC().Truncate(time.Second)
}

// apply sets the range and the ascending sort.
func (in *incremental) apply(o *goflow.ListOptions) {
	if in.prev != nil {
		o.Filters.Set("status_updated_at:gte", goflow.FormatTime(in.prev.Until.Add(-in.overlap)))
	}
	if !in.noState {
		o.Filters.Set("status_updated_at:lt", goflow.FormatTime(in.next.Until))
	}
	o.Sort, o.Desc = "status_updated_at", false
}

func (in *incremental) finish(n int) {
	switch {
	case in.noState:
		in.notef("incremental: %d orders exported (no state kept)", n)
	case in.prev == nil:
		in.notef("incremental: first run (no bookmark): %d orders whose status changed before %s; the bookmark is saved once the output is written", n, goflow.FormatTime(in.next.Until))
	default:
		in.notef("incremental: %d orders whose status changed from %s (the bookmark %s less %s overlap) to %s; the bookmark is saved once the output is written",
			n, goflow.FormatTime(in.prev.Until.Add(-in.overlap)), goflow.FormatTime(in.prev.Until), in.overlap, goflow.FormatTime(in.next.Until))
	}
}

func (in *incremental) commit(ctx context.Context, env pipeline.Env) error {
	if in.noState || env.State == nil || in.next.Until.IsZero() {
		return nil
	}
	b, err := json.Marshal(in.next)
	if err != nil {
		return err
	}
	return env.State.SetState(ctx, env.Job, StateKey, string(b))
}
