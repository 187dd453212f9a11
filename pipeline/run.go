package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sort"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/etl-dev/etl/internal/box"
)

// RunConfig is everything one run needs.
type RunConfig struct {
	Source Source
	Mapper Mapper
	// Check, when set, sees accepted rows in input order (uniqueness).
	Check OrderedCheck
	// Sink receives rows. For a dry run it is the dry-run layer OpenSink
	// returns, which leaves the destination as it was.
	Sink Sink
	// DryRun marks a run whose Sink is a dry-run layer: the result says
	// dry run and the source commits no bookmark.
	DryRun bool
	// BatchSize is the number of records mapped and written together
	// (default 1000).
	BatchSize int
	// Concurrency bounds the batches being mapped at once (default
	// GOMAXPROCS). Memory is bounded by about (2·Concurrency+3)·BatchSize
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
	// must not keep the slice. A row whose outcome Close changed (see
	// RowErrors) comes again, with the same Seq and its final outcome,
	// after all others.
	OnOutcomes func([]RowOutcome)
}

// RowOutcome is what became of one input row.
type RowOutcome struct {
	// Seq is the row's place in the input (Row.Seq).
	Seq     int64
	Origin  Origin
	Outcome Outcome
	// Problem is the first reason a rejected row was rejected, or why an
	// unknown row is unknown.
	Problem string
}

// unknownMessage says what an Unknown row means, when the sink said no
// more.
const unknownMessage = "the write was sent but no answer came: it may have reached the destination; etl run --resume finds out"

// ErrRowsRejected is returned (wrapped) by Run when the error policy
// stopped the run.
var ErrRowsRejected = errors.New("too many rejected rows")

// recordBatch is a batch of records as read; their values (when the source
// is a BoxingSource) and the rows mapped from them are boxed from arena.
type recordBatch struct {
	recs  []Record
	arena *box.Arena
}

// mappedBatch is a batch of records once mapped: items[i] is what became
// of the record read at origins[i].
type mappedBatch struct {
	seq     int
	origins []Origin
	items   []Mapped
	arena   *box.Arena // of the batch's values
}

// freeList keeps things a stage is done with, up to its capacity, for a
// stage that would otherwise make new ones.
type freeList[T any] chan T

// get returns a kept thing, or ok false when there is none.
func (f freeList[T]) get() (v T, ok bool) {
	select {
	case v = <-f:
		return v, true
	default:
		return v, false
	}
}

// put keeps v, unless the list is full.
func (f freeList[T]) put(v T) {
	select {
	case f <- v:
	default:
	}
}

// spares hands the slices and arenas of finished batches back to the
// stages that fill them (records once mapped, mapped rows once written),
// so that a run allocates a few batches' worth of them rather than one per
// batch.
type spares struct {
	records freeList[[]Record]
	mapped  freeList[mappedBatch]
	arenas  freeList[*box.Arena]
}

func newSpares(n int) *spares {
	return &spares{records: make(freeList[[]Record], n), mapped: make(freeList[mappedBatch], n), arenas: make(freeList[*box.Arena], n)}
}

func (s *spares) getArena() *box.Arena {
	if a, ok := s.arenas.get(); ok {
		return a
	}
	return new(box.Arena)
}

// putArena takes back the arena of a batch nothing refers to any more.
func (s *spares) putArena(a *box.Arena) {
	a.Reset()
	s.arenas.put(a)
}

func (s *spares) getRecords(size int) []Record {
	if b, ok := s.records.get(); ok {
		return b
	}
	return make([]Record, 0, size)
}

// putRecords takes back a batch of records no stage uses any more.
func (s *spares) putRecords(b []Record) {
	clear(b) // let the values go
	s.records.put(b[:0])
}

func (s *spares) getMapped(seq, n int) mappedBatch {
	if b, ok := s.mapped.get(); ok && cap(b.items) >= n {
		return mappedBatch{seq: seq, origins: b.origins[:n], items: b.items[:n]}
	}
	return mappedBatch{seq: seq, origins: make([]Origin, n), items: make([]Mapped, n)}
}

// putMapped takes back a batch the writer is done with.
func (s *spares) putMapped(b mappedBatch) {
	clear(b.origins)
	clear(b.items)
	s.mapped.put(b)
}

// Run streams every record of cfg.Source through cfg.Mapper into cfg.Sink.
// It reads in one goroutine, maps batches concurrently and writes in input
// order from one goroutine, with bounded channels between the stages so a
// slow sink holds back the reader.
//
// The returned Result is complete even when Run fails: every row that
// reached the writing stage has exactly one outcome, and rows a cancelled
// run never sent are NotProcessed, not Rejected. On any failure or
// cancellation the sink is aborted, so no partial file is left (writes an
// API sink already had confirmed keep their outcomes); on success the sink
// is closed and its output made visible, and what Close says of single
// rows (RowErrors) changes their outcomes.
func Run(ctx context.Context, cfg RunConfig) (*Result, error) {
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 1000
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = runtime.GOMAXPROCS(0)
	}
	res := &Result{Started: time.Now().UTC(), DryRun: cfg.DryRun}
	sink := cfg.Sink
	if sink == nil {
		res.Finished = res.Started
		return res, errors.New("pipeline: the run has no sink")
	}
	spare := newSpares(2*cfg.Concurrency + 3)
	w := &writer{cfg: cfg, sink: sink, res: res, pending: map[int]mappedBatch{}, spare: spare, reuse: copiesRows(sink)}

	g, gctx := errgroup.WithContext(ctx)
	// One batch waits between stages: the mappers are kept busy, and
	// fewer batches in flight leave the collector less to scan.
	work := make(chan recordBatch, 1)
	done := make(chan mappedBatch, 1)

	g.Go(func() error {
		defer close(work)
		return readBatches(gctx, cfg.Source, cfg.BatchSize, spare, work)
	})

	mappers, _ := errgroup.WithContext(gctx)
	mappers.SetLimit(cfg.Concurrency)
	g.Go(func() error {
		defer close(done)
		seq := 0
		for rb := range work {
			s := seq
			seq++
			mappers.Go(func() error {
				b := spare.getMapped(s, len(rb.recs))
				b.arena = rb.arena
				mapBatch(cfg.Mapper, rb.recs, b)
				spare.putRecords(rb.recs)
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
		cerr := sink.Close(ctx)
		var rowErrs *RowErrors
		if errors.As(cerr, &rowErrs) {
			w.relabel(rowErrs)
			cerr = rowErrs.Err
		}
		if cerr != nil {
			err = fmt.Errorf("finishing output: %w", cerr)
		}
	}
	if c, ok := cfg.Source.(Committer); ok && err == nil && !cfg.DryRun {
		if cerr := c.Commit(ctx); cerr != nil {
			err = fmt.Errorf("saving the source's bookmark (the output is complete): %w", cerr)
		}
	}
	collectReports(res, cfg.Source, cfg.Sink)
	if err != nil {
		if res.Aborted == "" {
			res.Aborted = err.Error()
			if errors.Is(err, context.Canceled) {
				res.Aborted = "cancelled: rows not sent yet are counted as not processed; file output is discarded, records an API already confirmed stay"
			}
		}
		if aerr := sink.Abort(); aerr != nil {
			// The run's own error says what went wrong; a failed clean-up
			// (a temporary file left behind) is worth saying too.
			res.Aborted += "; discarding the output failed: " + aerr.Error()
		}
	}
	res.Finished = time.Now().UTC()
	return res, err
}

func readBatches(ctx context.Context, src Source, size int, spare *spares, out chan<- recordBatch) error {
	boxing, _ := src.(BoxingSource)
	batch, arena := spare.getRecords(size), spare.getArena()
	bytes := 0 // of the batch's records; a batch is bounded by MaxBatchBytes too
	for {
		var rec Record
		var err error
		if boxing != nil {
			rec, err = boxing.NextIn(ctx, arena)
		} else {
			rec, err = src.Next(ctx)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("reading: %w", err)
		}
		batch = append(batch, rec)
		bytes += recordBytes(rec)
		if len(batch) == size || bytes >= MaxBatchBytes {
			select {
			case out <- recordBatch{batch, arena}:
			case <-ctx.Done():
				return ctx.Err()
			}
			batch, arena, bytes = spare.getRecords(size), spare.getArena(), 0
		}
	}
	if len(batch) > 0 {
		select {
		case out <- recordBatch{batch, arena}:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// mapBatch maps recs into b, which has their length.
func mapBatch(m Mapper, recs []Record, b mappedBatch) {
	for i, rec := range recs {
		b.origins[i] = rec.Origin
	}
	if bm, ok := m.(BatchMapper); ok {
		bm.MapBatch(recs, b.items, b.arena)
		return
	}
	for i, rec := range recs {
		it := &b.items[i]
		if len(rec.Problems) > 0 {
			it.Problems = rec.Problems
			continue
		}
		it.Row, it.Problems, it.Skip = m.Map(rec)
	}
}

// writer is the ordered stage: it puts mapped batches back in input order,
// runs the ordered check, writes to the sink and keeps the books.
type writer struct {
	cfg     RunConfig
	sink    Sink
	res     *Result
	next    int
	pending map[int]mappedBatch
	spare   *spares
	// reuse says that the sink keeps nothing of the rows it wrote, so the
	// memory of a written batch's values serves a later batch.
	reuse bool
	rows  []Row
	// outcomes collects the batch's row outcomes for OnOutcomes; rowAt
	// maps each row sent to the sink to its place there.
	outcomes []RowOutcome
	rowAt    []int
	// bySeq is every row's outcome so far, by Row.Seq, so that Close can
	// change the outcome of rows of past batches (RowErrors).
	bySeq outcomeLog
}

func (w *writer) accept(ctx context.Context, b mappedBatch) error {
	w.pending[b.seq] = b
	for {
		b, ok := w.pending[w.next]
		if !ok {
			return nil
		}
		delete(w.pending, w.next)
		w.next++
		err := w.write(ctx, b)
		if w.cfg.OnOutcomes != nil && len(w.outcomes) > 0 {
			w.cfg.OnOutcomes(w.outcomes)
		}
		w.spare.putMapped(b)
		if w.reuse && err == nil {
			clear(w.rows) // the values are about to be used again
			w.spare.putArena(b.arena)
		}
		if err != nil {
			return err
		}
		if w.cfg.OnProgress != nil {
			w.cfg.OnProgress(w.res)
		}
	}
}

func (w *writer) write(ctx context.Context, b mappedBatch) error {
	w.rows, w.outcomes, w.rowAt = w.rows[:0], w.outcomes[:0], w.rowAt[:0]
	// stop is set when the error budget is spent; the rows accepted before
	// that point are still written so that each has its outcome.
	var stop error
	for i := range b.items {
		it, origin := &b.items[i], b.origins[i]
		seq := w.res.RowsRead
		w.res.RowsRead++
		w.bySeq.add()
		switch {
		case it.Skip:
			w.count(seq, Skipped)
			w.note(seq, origin, Skipped, nil)
		case len(it.Problems) > 0:
			stop = w.reject(seq, it.Problems)
			w.note(seq, origin, Rejected, it.Problems)
		default:
			if w.cfg.Check != nil {
				if problems := w.cfg.Check.Check(it.Row); len(problems) > 0 {
					stop = w.reject(seq, problems)
					w.note(seq, origin, Rejected, problems)
					break
				}
			}
			w.rowAt = append(w.rowAt, len(w.outcomes))
			w.note(seq, origin, Written, nil)
			row := it.Row
			row.Seq = seq
			w.rows = append(w.rows, row)
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
	if err := ctx.Err(); err != nil {
		// Cancelled before the batch was sent: none of it was processed.
		for i, r := range w.rows {
			w.count(r.Seq, NotProcessed)
			w.setOutcome(i, NotProcessed, "")
		}
		return err
	}
	err := w.sink.Write(ctx, w.rows)
	var batchErr *BatchError
	if err != nil && !errors.As(err, &batchErr) {
		// The sink cannot go on. Rows it settled keep their outcome;
		// the others were never sent when the run was cancelled, else
		// they are rejected with the sink's error.
		cancelled := ctx.Err() != nil
		for i, r := range w.rows {
			switch {
			case r.Outcome.decided():
				w.taken(i, r)
			case cancelled:
				w.count(r.Seq, NotProcessed)
				w.setOutcome(i, NotProcessed, "")
			default:
				p := Problem{Origin: r.Origin, Rule: "sink", Message: err.Error()}
				w.count(r.Seq, Rejected)
				w.res.addProblem(p)
				w.setOutcome(i, Rejected, p.Message)
			}
		}
		return fmt.Errorf("writing: %w", err)
	}
	var stop error
	for i, r := range w.rows {
		if _, failed := batchErr.failed(i); failed {
			p := batchErr.Failed[i] // declared here: it escapes, so it costs an allocation
			w.locate(&p)
			if err := w.reject(r.Seq, []Problem{p}); err != nil && stop == nil {
				stop = err
			}
			w.setOutcome(i, Rejected, p.Message)
			continue
		}
		w.taken(i, r)
	}
	return stop
}

// taken books a row the sink took with the outcome it set.
func (w *writer) taken(i int, r Row) {
	switch r.Outcome {
	case Written, Created, Updated, Unchanged, Skipped, Unknown:
	default:
		// Rejected (without a BatchError's problem), NotProcessed or no
		// outcome at all are not a sink's to set: say so on the row
		// rather than miscount (or index out of range).
		p := Problem{Origin: r.Origin, Rule: "sink",
			Message: fmt.Sprintf("the sink gave the row the outcome %v, which a sink cannot set (a bug in the sink, please report it)", r.Outcome)}
		w.count(r.Seq, Rejected)
		w.res.addProblem(p)
		w.setOutcome(i, Rejected, p.Message)
		return
	}
	w.count(r.Seq, r.Outcome)
	msg := ""
	if r.Outcome == Unknown {
		msg = unknownMessage
	}
	w.setOutcome(i, r.Outcome, msg)
}

// count books row seq under outcome o.
func (w *writer) count(seq int64, o Outcome) {
	w.res.Counts[o]++
	w.bySeq.set(seq, o)
}

func (w *writer) locate(p *Problem) {
	if loc, ok := w.cfg.Mapper.(ProblemLocator); ok {
		loc.Locate(p)
	}
}

// relabel applies what Close said of rows of past batches: failed deferred
// writes reject their rows, unanswered ones make them unknown. Rows the
// runner did not send (unknown Seq, or rows already rejected or never
// processed) are left as they are.
func (w *writer) relabel(e *RowErrors) {
	var changed []RowOutcome
	apply := func(m map[int64]Problem, to Outcome) {
		for seq, p := range m {
			if seq < 0 || seq >= w.bySeq.len() {
				continue
			}
			switch from := w.bySeq.get(seq); from {
			case Rejected, Skipped, NotProcessed:
				continue
			default:
				w.res.Counts[from]--
			}
			w.bySeq.set(seq, to)
			w.res.Counts[to]++
			w.locate(&p)
			msg := p.Message
			if to == Rejected {
				w.res.addProblem(p)
			} else if msg == "" {
				msg = unknownMessage
			}
			changed = append(changed, RowOutcome{Seq: seq, Origin: p.Origin, Outcome: to, Problem: msg})
		}
	}
	apply(e.Unknown, Unknown)
	apply(e.Failed, Rejected)
	for seq, ro := range e.Outcomes {
		if seq < 0 || seq >= w.bySeq.len() || !(ro.Outcome == Written || ro.Outcome == Created || ro.Outcome == Updated || ro.Outcome == Unchanged) {
			continue
		}
		switch from := w.bySeq.get(seq); from {
		case Rejected, Skipped, NotProcessed:
			continue
		default:
			w.res.Counts[from]--
		}
		w.bySeq.set(seq, ro.Outcome)
		w.res.Counts[ro.Outcome]++
		ro.Seq = seq
		changed = append(changed, ro)
	}
	if len(changed) == 0 || w.cfg.OnOutcomes == nil {
		return
	}
	sort.Slice(changed, func(a, b int) bool { return changed[a].Seq < changed[b].Seq })
	w.cfg.OnOutcomes(changed)
}

// note records a row's outcome for OnOutcomes.
func (w *writer) note(seq int64, o Origin, outcome Outcome, problems []Problem) {
	if w.cfg.OnOutcomes == nil {
		return
	}
	ro := RowOutcome{Seq: seq, Origin: o, Outcome: outcome}
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

func (w *writer) reject(seq int64, problems []Problem) error {
	w.count(seq, Rejected)
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
