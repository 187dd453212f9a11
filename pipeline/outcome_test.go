package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"
)

// plain maps every record to a row of its number.
type plain struct{}

func (plain) Schema() Schema { return Schema{{Name: "n", Type: TypeInteger}} }
func (plain) Map(rec Record) (Row, []Problem, bool) {
	n, _ := strconv.Atoi(rec.Values[0].(string))
	return Row{Origin: rec.Origin, Values: []any{int64(n)}}, nil, false
}

// plainLocating is plain that knows every field came from column A.
type plainLocating struct{ plain }

func (plainLocating) Locate(p *Problem) { p.Column, p.Cell = "n", "A"+strconv.Itoa(p.Origin.Row) }

// apiSink confirms rows one by one as an API sink does (Created), and can
// cancel the run at a given row: that row's request is out with no answer
// (Unknown) and Write returns the context's error. At Close it can send
// deferred writes that fail for some rows.
type apiSink struct {
	cancel   func()
	cancelAt int64 // Seq at which Write cancels; -1 never
	// cancelAtClose cancels in Close, after which the deferred writes of
	// closeUnknown are unanswered.
	cancelAtClose bool
	closeFailed   []int64
	closeUnknown  []int64
	closeDecided  map[int64]Outcome
	confirmed     int
	closed        bool
	aborted       int
	// fileLike leaves outcomes Written (taken, visible at Close).
	fileLike bool
}

func (s *apiSink) Write(ctx context.Context, rows []Row) error {
	for i := range rows {
		if rows[i].Seq == s.cancelAt {
			s.cancel()
			if !s.fileLike {
				rows[i].Outcome = Unknown
			}
			return fmt.Errorf("sending row %d: %w", rows[i].Seq, ctx.Err())
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if !s.fileLike {
			rows[i].Outcome = Created
		}
		s.confirmed++
	}
	return nil
}

func (s *apiSink) Close(ctx context.Context) error {
	if s.closed {
		return errors.New("closed twice")
	}
	s.closed = true
	e := &RowErrors{Failed: map[int64]Problem{}, Unknown: map[int64]Problem{}}
	for _, seq := range s.closeFailed {
		e.Failed[seq] = Problem{Origin: Origin{File: "n.csv", Row: int(seq) + 2}, Rule: "sink", Message: "stock adjustment refused"}
	}
	if s.cancelAtClose {
		s.cancel()
		e.Err = ctx.Err()
	}
	for _, seq := range s.closeUnknown {
		e.Unknown[seq] = Problem{Origin: Origin{File: "n.csv", Row: int(seq) + 2}, Rule: "sink"}
	}
	for seq, o := range s.closeDecided {
		if e.Outcomes == nil {
			e.Outcomes = map[int64]RowOutcome{}
		}
		e.Outcomes[seq] = RowOutcome{Origin: Origin{File: "n.csv", Row: int(seq) + 2}, Outcome: o}
	}
	if len(e.Failed)+len(e.Unknown)+len(e.Outcomes) == 0 && e.Err == nil {
		return nil
	}
	return e
}

func (s *apiSink) Abort() error { s.aborted++; return nil }

// TestCancelledRowsTellTheTruth cancels runs at several points and checks
// that confirmed rows keep their outcome, the unanswered one is unknown,
// the others are not processed, none is rejected for the cancellation,
// and the counts add up to the rows read.
func TestCancelledRowsTellTheTruth(t *testing.T) {
	t.Parallel()
	const n, batch = 1000, 100
	type want struct {
		created, written, unknown, notProcessed, rejected int64
	}
	for _, tc := range []struct {
		name string
		sink *apiSink
		want want
	}{
		{"before any write", &apiSink{cancelAt: 0}, want{unknown: 1, notProcessed: batch - 1}},
		{"mid-batch", &apiSink{cancelAt: 237}, want{created: 237, unknown: 1, notProcessed: 300 - 238}},
		{"file sink mid-batch", &apiSink{cancelAt: 237, fileLike: true}, want{written: 200, notProcessed: 100}},
		{"during Close", &apiSink{cancelAt: -1, cancelAtClose: true, closeFailed: []int64{4}, closeUnknown: []int64{9, 10}},
			want{created: n - 3, unknown: 2, rejected: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			tc.sink.cancel = cancel
			var outcomes []RowOutcome
			res, err := Run(ctx, RunConfig{
				Source: &numbers{n: n}, Mapper: plain{}, Sink: tc.sink,
				BatchSize: batch, Concurrency: 2, ErrorBudget: -1,
				OnOutcomes: func(o []RowOutcome) { outcomes = append(outcomes, o...) },
			})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
			got := want{res.Count(Created), res.Count(Written), res.Count(Unknown), res.Count(NotProcessed), res.Count(Rejected)}
			if got != tc.want {
				t.Errorf("counts %v, want %+v", res.CountsByName(), tc.want)
			}
			if res.Accounted() != res.RowsRead {
				t.Errorf("accounted %d of %d rows read", res.Accounted(), res.RowsRead)
			}
			for _, p := range res.Problems {
				if errors.Is(err, context.Canceled) && p.Message != "stock adjustment refused" {
					t.Errorf("a problem of the cancellation: %v", p)
				}
			}
			if tc.sink.aborted == 0 {
				t.Error("the sink was not aborted")
			}
			// The journal's view agrees: the last outcome of each row.
			last := map[int64]Outcome{}
			for _, o := range outcomes {
				last[o.Seq] = o.Outcome
				if o.Outcome == Unknown && o.Problem == "" {
					t.Errorf("row %d unknown without a reason", o.Seq)
				}
			}
			var byOutcome [len(outcomeNames)]int64
			for _, o := range last {
				byOutcome[o]++
			}
			if int64(len(last)) != res.RowsRead || byOutcome != res.Counts {
				t.Errorf("journal outcomes %v for counts %v", byOutcome, res.Counts)
			}
		})
	}
}

// TestCloseRelabelsDeferredFailures: Close's RowErrors turn rows of past
// batches rejected or unknown; the run itself succeeds.
func TestCloseRelabelsDeferredFailures(t *testing.T) {
	t.Parallel()
	sink := &apiSink{cancelAt: -1, closeFailed: []int64{3, 250, 5000}, closeUnknown: []int64{7},
		closeDecided: map[int64]Outcome{8: Updated, 9: Unchanged, 10: Rejected, 11: Outcome(99)}}
	var outcomes []RowOutcome
	res, err := Run(context.Background(), RunConfig{
		Source: &numbers{n: 300}, Mapper: plainLocating{}, Sink: sink, BatchSize: 100, ErrorBudget: -1,
		OnOutcomes: func(o []RowOutcome) { outcomes = append(outcomes, o...) },
	})
	if err != nil {
		t.Fatal(err)
	}
	// Seq 5000 does not exist: it is ignored.
	// Outcomes Close may not give (Rejected without a problem, unknown
	// ones) are ignored.
	if res.Count(Created) != 295 || res.Count(Updated) != 1 || res.Count(Unchanged) != 1 || res.Count(Rejected) != 2 ||
		res.Count(Unknown) != 1 || res.Accounted() != 300 {
		t.Fatalf("counts %v", res.CountsByName())
	}
	if len(res.Problems) != 2 || res.Problems[0].Cell == "" {
		t.Errorf("problems %+v, want two, located", res.Problems)
	}
	tail := outcomes[300:]
	if len(tail) != 5 || tail[0].Seq != 3 || tail[0].Outcome != Rejected || tail[1].Seq != 7 || tail[1].Outcome != Unknown ||
		tail[2].Seq != 8 || tail[2].Outcome != Updated || tail[3].Seq != 9 || tail[4].Seq != 250 {
		t.Errorf("re-labelled outcomes %+v", tail)
	}
	if !sink.closed || sink.aborted != 0 {
		t.Errorf("closed %v aborted %d", sink.closed, sink.aborted)
	}
}

// planner is a sink config that plans in a dry run; fileCfg one that does
// not.
type planner struct{ real, dry int }

func (p *planner) Open(context.Context, Env, Schema) (Sink, error) {
	p.real++
	return &memSink{failAt: -1}, nil
}
func (p *planner) OpenDryRun(context.Context, Env, Schema) (Sink, error) {
	p.dry++
	return &memSink{failAt: -1}, nil
}

type fileCfg struct{ sink *memSink }

func (f *fileCfg) Open(context.Context, Env, Schema) (Sink, error) { return f.sink, nil }

func TestDryRunLayer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := &planner{}
	if _, err := OpenSink(ctx, p, Env{}, nil, true); err != nil || p.dry != 1 || p.real != 0 {
		t.Fatalf("a planning sink in a dry run: err %v, dry %d, real %d", err, p.dry, p.real)
	}
	if _, err := OpenSink(ctx, p, Env{}, nil, false); err != nil || p.real != 1 {
		t.Fatalf("a real run: err %v, real %d", err, p.real)
	}

	// A file sink is opened for real, gets every row, and is aborted.
	f := &fileCfg{sink: &memSink{failAt: -1}}
	sink, err := OpenSink(ctx, f, Env{}, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	src := &bookmarked{numbers: numbers{n: 100}}
	res, err := Run(ctx, RunConfig{Source: src, Mapper: parity{}, Sink: sink, DryRun: true, ErrorBudget: -1})
	if err != nil || !res.DryRun || res.Accounted() != 100 {
		t.Fatalf("err %v dry %v accounted %d", err, res.DryRun, res.Accounted())
	}
	if f.sink.closed || !f.sink.aborted || len(f.sink.got) == 0 {
		t.Fatalf("file sink in a dry run: closed %v aborted %v rows %d", f.sink.closed, f.sink.aborted, len(f.sink.got))
	}
	if src.commits != 0 {
		t.Fatal("a dry run committed the bookmark")
	}
	if err := sink.Close(ctx); err == nil {
		t.Error("second Close of the dry-run layer succeeded")
	}
	if err := sink.Write(ctx, nil); err == nil {
		t.Error("Write after Close succeeded")
	}
}

// reportingSink is a sink that reports, without a dry-run mode of its own.
type reportingSink struct{ memSink }

func (*reportingSink) Report() *ComponentReport { return &ComponentReport{Notes: []string{"hi"}} }

type reportingCfg struct{}

func (reportingCfg) Open(context.Context, Env, Schema) (Sink, error) {
	return &reportingSink{memSink{failAt: -1}}, nil
}

func TestDryRunLayerKeepsReports(t *testing.T) {
	t.Parallel()
	sink, err := OpenSink(context.Background(), reportingCfg{}, Env{}, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	r, ok := sink.(Reporter)
	if !ok || len(r.Report().Notes) != 1 {
		t.Fatalf("the dry-run layer hides the sink's report: %T", sink)
	}
	if err := sink.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if inner := sink.(*dryRunReporter).next.(*reportingSink); inner.closed || !inner.aborted {
		t.Errorf("closed %v aborted %v", inner.closed, inner.aborted)
	}
}

func TestRunWithoutSinkFails(t *testing.T) {
	t.Parallel()
	if _, err := Run(context.Background(), RunConfig{Source: &numbers{n: 1}, Mapper: parity{}}); err == nil {
		t.Fatal("a run without a sink succeeded")
	}
}

func TestOutcomeNames(t *testing.T) {
	t.Parallel()
	for _, o := range Outcomes() {
		if o.String() == "" || o.String()[0] == 'O' {
			t.Errorf("outcome %d has no name", o)
		}
	}
	if NotProcessed.String() != "not processed" || Unknown.String() != "unknown" || Outcome(99).String() != "Outcome(99)" {
		t.Error(NotProcessed, Unknown, Outcome(99))
	}
}

// badOutcomes sets outcomes a sink may not set.
type badOutcomes struct{ memSink }

func (s *badOutcomes) Write(_ context.Context, rows []Row) error {
	for i := range rows {
		rows[i].Outcome = []Outcome{Created, Skipped, Outcome(99), Rejected}[i%4]
		if i%4 == 0 && i > 0 {
			rows[i].Outcome = NotProcessed
		}
	}
	return nil
}

func TestSinkCannotSetAnyOutcome(t *testing.T) {
	t.Parallel()
	res, err := Run(context.Background(), RunConfig{Source: &numbers{n: 8}, Mapper: plain{}, Sink: &badOutcomes{}, ErrorBudget: -1})
	if err != nil {
		t.Fatal(err)
	}
	// rows 0..7: created, skipped, 99, rejected, not processed, skipped, 99, rejected
	if res.Count(Created) != 1 || res.Count(Skipped) != 2 || res.Count(Rejected) != 5 || res.Count(NotProcessed) != 0 ||
		res.Accounted() != 8 || len(res.Problems) != 5 {
		t.Fatalf("counts %v, problems %v", res.CountsByName(), res.Problems)
	}
}
