package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"
	"testing"

	"github.com/etl-dev/etl/internal/box"
)

// numbers is a source of n records whose single value is the row number as
// text; rows listed in bad come with a read problem.
type numbers struct {
	n, i int
	bad  map[int]bool
	// cancelAt, when set, is called before the record with that index.
	cancelAt int
	cancel   func()
}

func (s *numbers) Columns() []Column { return []Column{{Name: "n", Ref: "A"}} }
func (s *numbers) Next(ctx context.Context) (Record, error) {
	if err := ctx.Err(); err != nil {
		return Record{}, err
	}
	if s.i >= s.n {
		return Record{}, io.EOF
	}
	s.i++
	if s.cancel != nil && s.i == s.cancelAt {
		s.cancel()
	}
	rec := Record{Origin: Origin{File: "n.csv", Row: s.i + 1}, Values: []any{strconv.Itoa(s.i)}}
	if s.bad[s.i] {
		rec.Problems = []Problem{{Origin: rec.Origin, Rule: "ragged", Message: "bad"}}
	}
	return rec, nil
}
func (s *numbers) Close() error { return nil }

// parity skips multiples of 5 and rejects multiples of 7.
type parity struct{}

func (parity) Schema() Schema { return Schema{{Name: "n", Type: TypeInteger}} }
func (parity) Map(rec Record) (Row, []Problem, bool) {
	n, _ := strconv.Atoi(rec.Values[0].(string))
	switch {
	case n%5 == 0:
		return Row{}, nil, true
	case n%7 == 0:
		return Row{}, []Problem{{Origin: rec.Origin, Rule: "min", Message: "multiple of 7"}}, false
	}
	return Row{Origin: rec.Origin, Values: []any{int64(n)}}, nil, false
}

// batchParity is parity through MapBatch.
type batchParity struct{ parity }

func (m batchParity) MapBatch(recs []Record, out []Mapped, _ *box.Arena) {
	for i, rec := range recs {
		if len(rec.Problems) > 0 {
			out[i] = Mapped{Problems: rec.Problems}
			continue
		}
		out[i].Row, out[i].Problems, out[i].Skip = m.Map(rec)
	}
}

// memSink records what it is given; rows divisible by 11 fail on their own,
// and rows divisible by 3 come back unchanged.
type memSink struct {
	mu      sync.Mutex
	got     []int64
	closed  bool
	aborted bool
	failAt  int64
}

func (s *memSink) Write(_ context.Context, rows []Row) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var be *BatchError
	for i := range rows {
		n := rows[i].Values[0].(int64)
		if n == s.failAt {
			return fmt.Errorf("disk full")
		}
		if n%11 == 0 {
			if be == nil {
				be = &BatchError{Failed: map[int]Problem{}}
			}
			be.Failed[i] = Problem{Origin: rows[i].Origin, Rule: "sink", Message: "refused"}
			continue
		}
		if n%3 == 0 {
			rows[i].Outcome = Unchanged
		}
		s.got = append(s.got, n)
	}
	if be != nil {
		return be
	}
	return nil
}
func (s *memSink) Close(context.Context) error { s.closed = true; return nil }
func (s *memSink) Abort() error                { s.aborted = true; return nil }

func expectedCounts(n int, bad map[int]bool) (written, unchanged, skipped, rejected int64) {
	for i := 1; i <= n; i++ {
		switch {
		case bad[i], i%5 != 0 && i%7 == 0, i%5 != 0 && i%11 == 0:
			rejected++
		case i%5 == 0:
			skipped++
		case i%3 == 0:
			unchanged++
		default:
			written++
		}
	}
	return
}

func TestRunAccountsForEveryRowInOrder(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		n, batch, conc int
		mapper         Mapper
	}{
		{0, 10, 2, parity{}}, {1, 10, 2, parity{}}, {1000, 7, 4, parity{}}, {10007, 100, 3, parity{}}, {500, 1, 8, parity{}},
		{1000, 7, 4, batchParity{}}, {10007, 100, 3, batchParity{}},
	} {
		t.Run(fmt.Sprintf("n=%d/batch=%d/conc=%d/%T", tc.n, tc.batch, tc.conc, tc.mapper), func(t *testing.T) {
			t.Parallel()
			bad := map[int]bool{2: true, 13: true}
			sink := &memSink{failAt: -1}
			var outcomes []RowOutcome
			res, err := Run(context.Background(), RunConfig{
				Source: &numbers{n: tc.n, bad: bad}, Mapper: tc.mapper, Sink: sink,
				BatchSize: tc.batch, Concurrency: tc.conc, ErrorBudget: -1,
				OnOutcomes: func(o []RowOutcome) { outcomes = append(outcomes, o...) },
			})
			if err != nil {
				t.Fatal(err)
			}
			if res.RowsRead != int64(tc.n) || res.Accounted() != res.RowsRead {
				t.Fatalf("read %d, accounted %d, want %d", res.RowsRead, res.Accounted(), tc.n)
			}
			w, u, s, r := expectedCounts(tc.n, bad)
			if res.Count(Written) != w || res.Count(Unchanged) != u || res.Count(Skipped) != s || res.Count(Rejected) != r {
				t.Fatalf("counts %v, want written %d unchanged %d skipped %d rejected %d", res.CountsByName(), w, u, s, r)
			}
			for i := 1; i < len(sink.got); i++ {
				if sink.got[i] <= sink.got[i-1] {
					t.Fatalf("rows out of order at %d: %d after %d", i, sink.got[i], sink.got[i-1])
				}
			}
			if int64(len(sink.got)) != w+u {
				t.Fatalf("the sink got %d rows, want %d", len(sink.got), w+u)
			}
			if !sink.closed || sink.aborted {
				t.Fatalf("closed %v aborted %v", sink.closed, sink.aborted)
			}
			if int64(len(res.Problems)) != r {
				t.Fatalf("%d problems for %d rejected rows", len(res.Problems), r)
			}
			// The journal's view: one outcome per row, in input order,
			// agreeing with the counts.
			var byOutcome [len(outcomeNames)]int64
			for i, o := range outcomes {
				if o.Origin.Row != i+2 {
					t.Fatalf("outcome %d is for row %d", i, o.Origin.Row)
				}
				if o.Seq != int64(i) {
					t.Fatalf("outcome %d has seq %d", i, o.Seq)
				}
				if (o.Outcome == Rejected) != (o.Problem != "") {
					t.Fatalf("row %d: outcome %v with problem %q", o.Origin.Row, o.Outcome, o.Problem)
				}
				byOutcome[o.Outcome]++
			}
			if int64(len(outcomes)) != res.RowsRead || byOutcome != res.Counts {
				t.Fatalf("outcomes %v, counts %v", byOutcome, res.Counts)
			}
		})
	}
}

func TestRunStopsWhenErrorBudgetIsSpent(t *testing.T) {
	t.Parallel()
	for _, budget := range []int64{0, 3} {
		sink := &memSink{failAt: -1}
		res, err := Run(context.Background(), RunConfig{
			Source: &numbers{n: 10000}, Mapper: parity{}, Sink: sink, BatchSize: 10, Concurrency: 4, ErrorBudget: budget,
		})
		if !errors.Is(err, ErrRowsRejected) {
			t.Fatalf("budget %d: err = %v, want ErrRowsRejected", budget, err)
		}
		if res.Count(Rejected) != budget+1 || res.Accounted() != res.RowsRead {
			t.Fatalf("budget %d: rejected %d, accounted %d of %d", budget, res.Count(Rejected), res.Accounted(), res.RowsRead)
		}
		if !sink.aborted || sink.closed {
			t.Fatalf("budget %d: sink closed %v aborted %v", budget, sink.closed, sink.aborted)
		}
		if res.Aborted == "" {
			t.Fatal("Aborted not set")
		}
	}
}

func TestRunSinkFailureRejectsTheBatchAndAborts(t *testing.T) {
	t.Parallel()
	sink := &memSink{failAt: 52}
	res, err := Run(context.Background(), RunConfig{
		Source: &numbers{n: 1000}, Mapper: parity{}, Sink: sink, BatchSize: 10, Concurrency: 2, ErrorBudget: -1,
	})
	if err == nil || !sink.aborted {
		t.Fatalf("err %v aborted %v", err, sink.aborted)
	}
	if res.Accounted() != res.RowsRead || res.RowsRead != 60 {
		t.Fatalf("read %d accounted %d, want 60", res.RowsRead, res.Accounted())
	}
}

func TestRunCancelledAbortsTheSink(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sink := &memSink{failAt: -1}
	res, err := Run(ctx, RunConfig{
		Source: &numbers{n: 100000, cancelAt: 5000, cancel: cancel}, Mapper: parity{}, Sink: sink,
		BatchSize: 100, Concurrency: 2, ErrorBudget: -1,
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if !sink.aborted || sink.closed || res.Accounted() != res.RowsRead || res.RowsRead >= 100000 {
		t.Fatalf("aborted %v closed %v accounted %d read %d", sink.aborted, sink.closed, res.Accounted(), res.RowsRead)
	}
}

func TestColumnLetters(t *testing.T) {
	t.Parallel()
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA", 16383: "XFD"} {
		if got := ColumnLetters(i); got != want {
			t.Errorf("ColumnLetters(%d) = %q, want %q", i, got, want)
		}
	}
}

// bookmarked is a source that counts its commits.
type bookmarked struct {
	numbers
	commits int
}

func (b *bookmarked) Commit(context.Context) error { b.commits++; return nil }

func TestCommitOnlyAfterTheOutputIsDurable(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		sink        *memSink
		dryRun      bool
		wantCommits int
	}{
		{"success", &memSink{failAt: -1}, false, 1},
		{"sink failure", &memSink{failAt: 52}, false, 0},
		{"dry run with a planning sink", &memSink{failAt: -1}, true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := &bookmarked{numbers: numbers{n: 100}}
			Run(context.Background(), RunConfig{Source: src, Mapper: parity{}, Sink: tc.sink, DryRun: tc.dryRun, BatchSize: 10, ErrorBudget: -1})
			if src.commits != tc.wantCommits {
				t.Fatalf("commits = %d, want %d", src.commits, tc.wantCommits)
			}
		})
	}
}

// locating is parity that knows every field came from column A.
type locating struct{ parity }

func (locating) Locate(p *Problem) { p.Column, p.Cell = "n", "A"+strconv.Itoa(p.Origin.Row) }

func TestSinkProblemsAreLocatedByTheMapper(t *testing.T) {
	t.Parallel()
	res, err := Run(context.Background(), RunConfig{
		Source: &numbers{n: 12}, Mapper: locating{}, Sink: &memSink{failAt: -1}, ErrorBudget: -1,
	})
	if err != nil {
		t.Fatal(err)
	}
	var sinkProblems int
	for _, p := range res.Problems {
		if p.Rule == "sink" {
			sinkProblems++
			if p.Column != "n" || p.Cell != "A"+strconv.Itoa(p.Origin.Row) {
				t.Errorf("sink problem not located: %+v", p)
			}
		}
	}
	if sinkProblems != 1 { // row 11 is refused by the sink
		t.Fatalf("%d sink problems, want 1", sinkProblems)
	}
}

// boxedNumbers is numbers boxing its values from the runner's arena.
type boxedNumbers struct{ numbers }

func (s *boxedNumbers) NextIn(ctx context.Context, a *box.Arena) (Record, error) {
	rec, err := s.Next(ctx)
	if err == nil {
		v := a.Values(1)
		v[0] = a.Strings.Box(rec.Values[0].(string))
		rec.Values = v
	}
	return rec, err
}

// boxedParity maps as parity does, with the rows' values (the number
// and its text) boxed from the batch's arena.
type boxedParity struct{}

func (boxedParity) Schema() Schema {
	return Schema{{Name: "n", Type: TypeInteger}, {Name: "text", Type: TypeString}}
}
func (boxedParity) Map(rec Record) (Row, []Problem, bool) {
	return boxedParity{}.mapIn(rec, new(box.Arena))
}
func (boxedParity) mapIn(rec Record, a *box.Arena) (Row, []Problem, bool) {
	row, probs, skip := parity{}.Map(rec)
	if row.Values != nil {
		v := a.Values(2)
		v[0], v[1] = a.Int64s.Box(row.Values[0].(int64)), rec.Values[0]
		row.Values = v
	}
	return row, probs, skip
}
func (m boxedParity) MapBatch(recs []Record, out []Mapped, a *box.Arena) {
	for i, rec := range recs {
		if len(rec.Problems) > 0 {
			out[i] = Mapped{Problems: rec.Problems}
			continue
		}
		out[i].Row, out[i].Problems, out[i].Skip = m.mapIn(rec, a)
	}
}

// keepingSink keeps every row it is given; copyingSink checks each row as
// it comes and keeps nothing (a Copier).
type keepingSink struct{ rows []Row }

func (s *keepingSink) Write(_ context.Context, rows []Row) error {
	s.rows = append(s.rows, rows...)
	return nil
}
func (s *keepingSink) Close(context.Context) error { return nil }
func (s *keepingSink) Abort() error                { return nil }

type copyingSink struct {
	n   int
	bad []string
}

func (s *copyingSink) CopiesRows() {}
func (s *copyingSink) Write(_ context.Context, rows []Row) error {
	for _, r := range rows {
		s.n++
		if err := checkBoxedRow(r); err != "" {
			s.bad = append(s.bad, err)
		}
	}
	return nil
}
func (s *copyingSink) Close(context.Context) error { return nil }
func (s *copyingSink) Abort() error                { return nil }

func checkBoxedRow(r Row) string {
	n, ok1 := r.Values[0].(int64)
	text, ok2 := r.Values[1].(string)
	if !ok1 || !ok2 || strconv.FormatInt(n, 10) != text || r.Origin.Row != int(n)+1 {
		return fmt.Sprintf("row %d holds %v and %v", r.Origin.Row, r.Values[0], r.Values[1])
	}
	return ""
}

// The memory of a written batch's values serves later batches only when
// the sink says it keeps nothing: a sink that keeps the rows finds every
// value as it was written.
func TestRunReusesValuesOnlyForSinksThatCopy(t *testing.T) {
	t.Parallel()
	const n = 20000
	for _, conc := range []int{1, 3} {
		copying := &copyingSink{}
		res, err := Run(context.Background(), RunConfig{
			Source: &boxedNumbers{numbers{n: n}}, Mapper: boxedParity{}, Sink: copying,
			BatchSize: 97, Concurrency: conc, ErrorBudget: -1,
		})
		if err != nil || res.Accounted() != n {
			t.Fatalf("run: %v, %d rows accounted", err, res.Accounted())
		}
		if len(copying.bad) > 0 || int64(copying.n) != res.Count(Written) {
			t.Fatalf("concurrency %d: the copying sink got %d rows (%d written), wrong ones: %v", conc, copying.n, res.Count(Written), copying.bad[:min(3, len(copying.bad))])
		}
		keeping := &keepingSink{}
		if _, err := Run(context.Background(), RunConfig{
			Source: &boxedNumbers{numbers{n: n}}, Mapper: boxedParity{}, Sink: keeping,
			BatchSize: 97, Concurrency: conc, ErrorBudget: -1,
		}); err != nil {
			t.Fatal(err)
		}
		if int64(len(keeping.rows)) != res.Count(Written) {
			t.Fatalf("the keeping sink has %d rows", len(keeping.rows))
		}
		for _, r := range keeping.rows {
			if err := checkBoxedRow(r); err != "" {
				t.Fatalf("concurrency %d: a kept row changed after it was written: %s", conc, err)
			}
		}
	}
}
