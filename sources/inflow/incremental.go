package inflowsrc

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"time"

	"github.com/etl-dev/etl/inflow"
	"github.com/etl-dev/etl/pipeline"
)

// StateKey is the key of the products bookmark in the job's state
// (pipeline.StateStore, kept per job).
const StateKey = "inflow.products.lastModifiedDateTime"

// Bookmark is what an incremental products export remembers between runs:
// the latest lastModifiedDateTime it exported, and the products exported
// with exactly that time (id → row version). The next run asks for
// products modified from Since on (a closed range, so a product saved in
// the same instant as the last exported one is not lost) and leaves out
// those AtSince names with the same row version, which it already wrote.
type Bookmark struct {
	Since   time.Time         `json:"since"`
	AtSince map[string]string `json:"at_since"`
}

// ParseBookmark reads a bookmark as stored in the state.
func ParseBookmark(s string) (*Bookmark, error) {
	var b Bookmark
	if err := json.Unmarshal([]byte(s), &b); err != nil || b.Since.IsZero() {
		return nil, fmt.Errorf("the bookmark %q is not readable: reset it (etl state reset) to export everything once", s)
	}
	return &b, nil
}

// incremental is the bookmark work of one run.
type incremental struct {
	prev    *Bookmark // nil on a first run
	next    Bookmark
	noState bool // nowhere to keep a bookmark: export everything
	changed bool // next differs from prev and is worth saving
	notef   func(string, ...any)

	kept, older, unchanged, undated int
}

func loadBookmark(ctx context.Context, env pipeline.Env, notef func(string, ...any)) (*incremental, error) {
	in := &incremental{notef: notef, next: Bookmark{AtSince: map[string]string{}}}
	if env.State == nil {
		in.noState = true
		msg := "incremental: this run keeps no state, so every product is exported and no bookmark is saved"
		env.Log().Warn("inflow source: " + msg)
		notef("%s", msg)
		return in, nil
	}
	v, ok, err := env.State.GetState(ctx, env.Job, StateKey)
	if err != nil {
		return nil, fmt.Errorf("incremental: reading the bookmark: %w", err)
	}
	if ok && v != "" {
		b, err := ParseBookmark(v)
		if err != nil {
			return nil, fmt.Errorf("incremental: %w", err)
		}
		in.prev = b
	}
	return in, nil
}

// apply asks for the products modified from the bookmark on. The filter is
// sent to the second (inFlow's documented form is a date); keep drops what
// the bookmark already covers, so a coarser filter only costs reads.
func (in *incremental) apply(opts *inflow.ListOptions) {
	if in.prev != nil {
		opts.Filters["lastModifiedDateTime"] = inflow.DateRangeOf(in.prev.Since, time.Time{})
	}
}

// keep decides whether a listed product is exported and moves the bookmark.
func (in *incremental) keep(p *inflow.Product) bool {
	if p.LastModifiedDateTime == nil || p.LastModifiedDateTime.IsZero() {
		in.undated++
		return true
	}
	lm := p.LastModifiedDateTime.Time
	if in.prev != nil {
		if lm.Before(in.prev.Since) {
			in.older++
			return false
		}
		if lm.Equal(in.prev.Since) {
			if rv, ok := in.prev.AtSince[p.ProductID]; ok && rv == p.Timestamp {
				in.unchanged++
				return false
			}
		}
	}
	switch {
	case in.next.Since.IsZero() || lm.After(in.next.Since):
		in.next.Since = lm
		in.next.AtSince = map[string]string{p.ProductID: p.Timestamp}
	case lm.Equal(in.next.Since):
		in.next.AtSince[p.ProductID] = p.Timestamp
	}
	in.kept++
	return true
}

// finish settles the new bookmark once every product was listed.
func (in *incremental) finish() {
	switch {
	case in.next.Since.IsZero():
		// Nothing dated was exported: the bookmark stays.
	case in.prev != nil && in.next.Since.Equal(in.prev.Since):
		merged := maps.Clone(in.prev.AtSince)
		maps.Copy(merged, in.next.AtSince)
		in.next.AtSince = merged
		in.changed = true
	default:
		in.changed = true
	}
	var msg string
	switch {
	case in.noState:
		msg = fmt.Sprintf("incremental: %d products exported (no state kept)", in.kept+in.undated)
	case in.prev == nil:
		msg = fmt.Sprintf("incremental: first run (no bookmark): all %d products exported", in.kept+in.undated)
	default:
		msg = fmt.Sprintf("incremental: %d products changed since %s", in.kept, in.prev.Since.UTC().Format(time.RFC3339Nano))
		if n := in.unchanged + in.older; n > 0 {
			msg += fmt.Sprintf(" (%d more re-read at the bookmark and left out as already exported)", n)
		}
	}
	if in.undated > 0 && !in.noState && in.prev != nil {
		msg += fmt.Sprintf("; %d without a modification date, always exported", in.undated)
	}
	if in.changed && !in.noState {
		msg += "; new bookmark " + in.next.Since.UTC().Format(time.RFC3339Nano) + " (saved once the output is written)"
	}
	in.notef("%s", msg)
}

// commit saves the new bookmark.
func (in *incremental) commit(ctx context.Context, env pipeline.Env) error {
	if in.noState || !in.changed || env.State == nil {
		return nil
	}
	b, err := json.Marshal(in.next)
	if err != nil {
		return err
	}
	return env.State.SetState(ctx, env.Job, StateKey, string(b))
}
