package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"time"

	"golang.org/x/sync/errgroup"
)

// RunConfig is everything one run needs.
type RunConfig struct {
	Source Source
	Mapper Mapper
	// Check, when set, sees accepted rows in input order (uniqueness).
	Check OrderedCheck
	// Sink receives rows; nil means a dry run: rows are counted as they
	// would be written and nothing is written anywhere.
	Sink Sink
	// DryRun marks a run whose Sink only plans (see DryRunner): the result
	// says dry run and the source commits no bookmark.
	DryRun bool
	// BatchSize is the number of records mapped and written together
	// (default 1000).
	BatchSize int
	// Concurrency bounds the batches being mapped at once (default
	// GOMAXPROCS). Memory is bounded by about (2·Concurrency+2)·BatchSize
	// records whatever the input size.
	Concurrency int
	// ErrorBudget is the number of rejected rows tolerated: negative means
	// no limit, 0 stops at the first bad row. When a rejected row exceeds
	// the budget the run stops, Result.Aborted says why, and the sink is
	// aborted.
	ErrorBudget int64
	// OnProgress, when set, is called from a single goroutine after each
	// batch with the result so far. It must not keep the pointer.
	OnProgress func(*Result)
	// OnOutcomes, when set, receives every row's outcome in input order,
	// a batch at a time, from a single goroutine (for the run journal). It
	// must not keep the slice.
	OnOutcomes func([]RowOutcome)
}

// RowOutcome is what became of one input row.
type RowOutcome struct {
	Origin  Origin
	Outcome Outcome
	// Problem is the first reason a rejected row was rejected.
	Problem string
}

// ErrRowsRejected is returned (wrapped) by Run when the error policy
// stopped the run.
var ErrRowsRejected = errors.New("too many rejected rows")

type mappedItem struct {
	origin   Origin
	row      Row
	problems []Problem
	skip     bool
}

type mappedBatch struct {
	seq   int
	items []mappedItem
}

// Run streams every record of cfg.Source through cfg.Mapper into cfg.Sink.
// It reads in one goroutine, maps batches concurrently and writes in input
// order from one goroutine, with bounded channels between the stages so a
// slow sink holds back the reader.
//
// The returned Result is complete even when Run fails: every row that
// reached the writing stage has exactly one outcome. On any failure or
// cancellation the sink is aborted, so no partial output is left; on
// success the sink is closed and its output made visible.
func Run(ctx context.Context, cfg RunConfig) (*Result, error) {
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 1000
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = runtime.GOMAXPROCS(0)
	}
	res := &Result{Started: time.Now().UTC(), DryRun: cfg.Sink == nil || cfg.DryRun}
	sink := cfg.Sink
	if sink == nil {
		sink = discard{}
	}

	g, gctx := errgroup.WithContext(ctx)
	work := make(chan []Record, cfg.Concurrency)
	done := make(chan mappedBatch, cfg.Concurrency)

	g.Go(func() error {
		defer close(work)
		return readBatches(gctx, cfg.Source, cfg.BatchSize, work)
	})

	mappers, _ := errgroup.WithContext(gctx)
	mappers.SetLimit(cfg.Concurrency)
	g.Go(func() error {
		defer close(done)
		seq := 0
		for recs := range work {
			s := seq
			seq++
			mappers.Go(func() error {
				b := mappedBatch{seq: s, items: mapBatch(cfg.Mapper, recs)}
				select {
				case done <- b:
					return nil
				case <-gctx.Done():
					return gctx.Err()
				}
			})
		}
		return mappers.Wait()
	})

	g.Go(func() error {
		w := writer{cfg: cfg, sink: sink, res: res, pending: map[int][]mappedItem{}}
		for b := range done {
			if err := w.accept(gctx, b); err != nil {
				return err
			}
		}
		return nil
	})

	err := g.Wait()
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		if cerr := sink.Close(ctx); cerr != nil {
			err = fmt.Errorf("finishing output: %w", cerr)
		}
	}
	if c, ok := cfg.Source.(Committer); ok && err == nil && cfg.Sink != nil && !cfg.DryRun {
		if cerr := c.Commit(ctx); cerr != nil {
			err = fmt.Errorf("saving the source's bookmark (the output is complete): %w", cerr)
		}
	}
	collectReports(res, cfg.Source, cfg.Sink)
	if err != nil {
		_ = sink.Abort()
		if res.Aborted == "" {
			res.Aborted = err.Error()
			if errors.Is(err, context.Canceled) {
				res.Aborted = "cancelled: the output was discarded"
			}
		}
	}
	res.Finished = time.Now().UTC()
	return res, err
}

func readBatches(ctx context.Context, src Source, size int, out chan<- []Record) error {
	batch := make([]Record, 0, size)
	for {
		rec, err := src.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("reading: %w", err)
		}
		batch = append(batch, rec)
		if len(batch) == size {
			select {
			case out <- batch:
			case <-ctx.Done():
				return ctx.Err()
			}
			batch = make([]Record, 0, size)
		}
	}
	if len(batch) > 0 {
		select {
		case out <- batch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

func mapBatch(m Mapper, recs []Record) []mappedItem {
	items := make([]mappedItem, len(recs))
	for i, rec := range recs {
		if len(rec.Problems) > 0 {
			items[i] = mappedItem{origin: rec.Origin, problems: rec.Problems}
			continue
		}
		row, problems, skip := m.Map(rec)
		items[i] = mappedItem{origin: rec.Origin, row: row, problems: problems, skip: skip}
	}
	return items
}

// writer is the ordered stage: it puts mapped batches back in input order,
// runs the ordered check, writes to the sink and keeps the books.
type writer struct {
	cfg     RunConfig
	sink    Sink
	res     *Result
	next    int
	pending map[int][]mappedItem
	rows    []Row
	// outcomes collects the batch's row outcomes for OnOutcomes; rowAt
	// maps each row sent to the sink to its place there.
	outcomes []RowOutcome
	rowAt    []int
}

func (w *writer) accept(ctx context.Context, b mappedBatch) error {
	w.pending[b.seq] = b.items
	for {
		items, ok := w.pending[w.next]
		if !ok {
			return nil
		}
		delete(w.pending, w.next)
		w.next++
		err := w.write(ctx, items)
		if w.cfg.OnOutcomes != nil && len(w.outcomes) > 0 {
			w.cfg.OnOutcomes(w.outcomes)
		}
		if err != nil {
			return err
		}
		if w.cfg.OnProgress != nil {
			w.cfg.OnProgress(w.res)
		}
	}
}

func (w *writer) write(ctx context.Context, items []mappedItem) error {
	w.rows, w.outcomes, w.rowAt = w.rows[:0], w.outcomes[:0], w.rowAt[:0]
	// stop is set when the error budget is spent; the rows accepted before
	// that point are still written so that each has its outcome.
	var stop error
	for _, it := range items {
		w.res.RowsRead++
		switch {
		case it.skip:
			w.res.Counts[Skipped]++
			w.note(it.origin, Skipped, nil)
		case len(it.problems) > 0:
			stop = w.reject(it.problems)
			w.note(it.origin, Rejected, it.problems)
		default:
			if w.cfg.Check != nil {
				if problems := w.cfg.Check.Check(it.row); len(problems) > 0 {
					stop = w.reject(problems)
					w.note(it.origin, Rejected, problems)
					break
				}
			}
			w.rowAt = append(w.rowAt, len(w.outcomes))
			w.note(it.origin, Written, nil)
			w.rows = append(w.rows, it.row)
		}
		if stop != nil {
			break
		}
	}
	if err := w.flush(ctx); err != nil {
		return err
	}
	return stop
}

func (w *writer) flush(ctx context.Context) error {
	if len(w.rows) == 0 {
		return nil
	}
	err := w.sink.Write(ctx, w.rows)
	var batchErr *BatchError
	if err != nil && !errors.As(err, &batchErr) {
		// Rows of a failed batch still need an outcome: they are rejected
		// with the sink's error, and the run stops.
		for i, r := range w.rows {
			p := Problem{Origin: r.Origin, Rule: "sink", Message: err.Error()}
			w.res.Counts[Rejected]++
			w.res.addProblem(p)
			w.setOutcome(i, Rejected, p.Message)
		}
		return fmt.Errorf("writing: %w", err)
	}
	var stop error
	for i, r := range w.rows {
		if p, failed := batchErr.failed(i); failed {
			if loc, ok := w.cfg.Mapper.(ProblemLocator); ok {
				loc.Locate(&p)
			}
			if err := w.reject([]Problem{p}); err != nil && stop == nil {
				stop = err
			}
			w.setOutcome(i, Rejected, p.Message)
			continue
		}
		w.res.Counts[r.Outcome]++
		w.setOutcome(i, r.Outcome, "")
	}
	return stop
}

// note records a row's outcome for OnOutcomes.
func (w *writer) note(o Origin, outcome Outcome, problems []Problem) {
	if w.cfg.OnOutcomes == nil {
		return
	}
	ro := RowOutcome{Origin: o, Outcome: outcome}
	if len(problems) > 0 {
		ro.Problem = problems[0].Message
	}
	w.outcomes = append(w.outcomes, ro)
}

// setOutcome updates the outcome of the i-th row sent to the sink.
func (w *writer) setOutcome(i int, outcome Outcome, problem string) {
	if w.cfg.OnOutcomes == nil {
		return
	}
	ro := &w.outcomes[w.rowAt[i]]
	ro.Outcome, ro.Problem = outcome, problem
}

func (e *BatchError) failed(i int) (Problem, bool) {
	if e == nil {
		return Problem{}, false
	}
	p, ok := e.Failed[i]
	return p, ok
}

func (w *writer) reject(problems []Problem) error {
	w.res.Counts[Rejected]++
	for _, p := range problems {
		w.res.addProblem(p)
	}
	if budget := w.cfg.ErrorBudget; budget >= 0 && w.res.Counts[Rejected] > budget {
		w.res.Aborted = fmt.Sprintf("stopped at %s: %d rejected rows exceed the error budget of %d",
			problems[0].Origin, w.res.Counts[Rejected], budget)
		return fmt.Errorf("%w: %s", ErrRowsRejected, w.res.Aborted)
	}
	return nil
}

func (r *Result) addProblem(p Problem) {
	if len(r.Problems) < MaxProblems {
		r.Problems = append(r.Problems, p)
		return
	}
	r.ProblemsOmitted++
}

func collectReports(res *Result, src Source, sink Sink) {
	for name, c := range map[string]any{"source": src, "sink": sink} {
		if r, ok := c.(Reporter); ok {
			if res.Components == nil {
				res.Components = map[string]*ComponentReport{}
			}
			res.Components[name] = r.Report()
		}
	}
}

// discard is the sink of a dry run.
type discard struct{}

func (discard) Write(context.Context, []Row) error { return nil }
func (discard) Close(context.Context) error        { return nil }
func (discard) Abort() error                       { return nil }
