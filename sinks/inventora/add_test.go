package inventorasink_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/internal/emulator"
	"github.com/etl-dev/etl/pipeline"
	"github.com/etl-dev/etl/pipeline/journal"

	_ "github.com/etl-dev/etl/pipeline/journal/sqlite"
)

// Stock mode add is applied exactly once per row: across lost answers and
// --resume, and across a repeated run of the same file.
func TestAddAppliedOnceAcrossLostAnswersResumeAndRepeat(t *testing.T) {
	t.Parallel()
	a := newAccount(t, sandbox0())
	ctx := context.Background()
	jr, err := journal.Open(filepath.Join(t.TempDir(), "journal.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer jr.Close()

	prods := a.srv.Snapshot("products")
	var b strings.Builder
	b.WriteString("SKU,Location,Qty\n")
	want := map[string]decimal.Decimal{}
	for i, p := range prods[:12] {
		q := decimal.NewFromInt(int64(i%5 + 1))
		if i%4 == 3 {
			q = q.Neg() // a loss
		}
		loc := []string{"Main Warehouse", "Retail Store"}[i%2]
		fmt.Fprintf(&b, "%s,%s,%s\n", p["sku"], loc, q)
		was := a.level(p, loc)
		want[p["sku"].(string)+"@"+loc] = was.Add(q)
	}
	mapping := "  sku: SKU\n  location: Location\n  quantity: {from: Qty, type: decimal}\n"
	sinkYAML := "  entity: products\n  stock: {mode: add}\n"
	dir := t.TempDir()

	// Run 1: half the answers are lost after Inventora applied the update.
	lossy, err := a.srv.WithFaults(emulator.Faults{LostReplyRate: 0.5, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	a.h.Store(lossy)
	run1, err := jr.StartRun(ctx, "inventora-test", "job.yaml", "fp", false)
	if err != nil {
		t.Fatal(err)
	}
	res := run(t, a, dir, b.String(), mapping, sinkYAML, runOpts{journal: run1, state: jr})
	if res.Count(pipeline.Unknown) == 0 {
		t.Fatalf("no answer was lost (%v): the test proves nothing", res.CountsByName())
	}
	if reqs, err := jr.Requests(ctx, run1.ID(), 0); err != nil || len(reqs) < 12 {
		t.Errorf("the journal logged %d requests (%v)", len(reqs), err)
	} else {
		for _, r := range reqs {
			if strings.Contains(r.Path, a.srv.APIKey()) || strings.Contains(r.Path, "?") {
				t.Errorf("logged path %q", r.Path)
			}
		}
	}
	if err := run1.Finish(ctx, journal.StatusFailed, nil, 0, "answers lost"); err != nil {
		t.Fatal(err)
	}

	// Resume without faults: the lost ones are found applied, not resent.
	a.h.Store(a.srv.Handler())
	resumed, err := jr.Resume(ctx, run1.ID(), "fp")
	if err != nil {
		t.Fatal(err)
	}
	res = run(t, a, dir, b.String(), mapping, sinkYAML, runOpts{journal: resumed, state: jr, resume: true})
	if res.Count(pipeline.Updated) != 12 {
		t.Fatalf("resume: %v %v", res.CountsByName(), res.Problems)
	}
	check := func(when string) {
		for _, p := range a.srv.Snapshot("products")[:12] {
			for _, loc := range []string{"Main Warehouse", "Retail Store"} {
				if w, ok := want[p["sku"].(string)+"@"+loc]; ok && !a.level(p, loc).Equal(w) {
					t.Errorf("%s: %s at %s = %s, want %s", when, p["sku"], loc, a.level(p, loc), w)
				}
			}
		}
	}
	check("after the resume")
	if err := resumed.Finish(ctx, journal.StatusSucceeded, nil, 0, ""); err != nil {
		t.Fatal(err)
	}

	// A repeated run of the same file applies nothing again.
	writes := a.srv.Stats().Writes
	run2, err := jr.StartRun(ctx, "inventora-test", "job.yaml", "fp", false)
	if err != nil {
		t.Fatal(err)
	}
	res = run(t, a, dir, b.String(), mapping, sinkYAML, runOpts{journal: run2, state: jr})
	if got := a.srv.Stats().Writes - writes; got != 0 || res.Count(pipeline.Unchanged) != 12 {
		t.Errorf("the repeated run made %d writes (%v)", got, res.CountsByName())
	}
	check("after the repeat")
	_ = run2.Finish(ctx, journal.StatusSucceeded, nil, 0, "")

	// A dry run plans no write either: it reads what earlier runs applied.
	res = run(t, a, dir, b.String(), mapping, sinkYAML, runOpts{dry: true, state: jr})
	if plan := res.Components["sink"].Plan; plan == nil || plan.Writes != 0 {
		t.Errorf("dry run after the repeat: plan %+v", plan)
	}
	// Another file (other content) is other rows: planned again.
	res = run(t, a, dir, b.String()+"\n", mapping, sinkYAML, runOpts{dry: true, state: jr})
	if plan := res.Components["sink"].Plan; plan == nil || plan.Writes != 12 {
		t.Errorf("dry run of another file: plan %+v", plan)
	}

	// Without a journal, mode add refuses to start.
	if !strings.Contains(openErr(t, a, sinkYAML, mapping), "needs the run journal") {
		t.Error("mode add ran without a journal")
	}
}
