package apisink

import (
	"context"
	"errors"
	"math"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/etl-dev/etl/pipeline"
)

func TestDryRunSendsNothingAndPlansEveryWrite(t *testing.T) {
	t.Parallel()
	var sent atomic.Int64
	real := WriterFunc(func(context.Context, Write, any) error { sent.Add(1); return nil })
	w := DryRun(real)
	ctx := context.Background()
	row := pipeline.Origin{File: "orders.csv", Row: 2}
	writes := []Write{
		{Method: http.MethodPut, Route: "/sales-orders", Body: map[string]any{"orderNumber": "SO-1"}, Kind: "sales-orders", Key: "order SO-1", Action: Create, Rows: []pipeline.Origin{row}},
		{Method: http.MethodPut, Route: "/sales-orders", Body: map[string]any{"orderNumber": "SO-2"}, Kind: "sales-orders", Key: "order SO-2", Action: Update, Rows: []pipeline.Origin{{File: "orders.csv", Row: 3}},
			Fields: []pipeline.FieldChange{{Field: "po_number", Old: "A", New: "B"}}},
		{Method: http.MethodPut, Route: "/stock-adjustments", Body: map[string]any{}, Kind: "stock-adjustments", Deferred: true},
	}
	for _, wr := range writes {
		out := map[string]any{"kept": true}
		if err := w.Send(ctx, wr, &out); err != nil {
			t.Fatal(err)
		}
		if len(out) != 1 || out["kept"] != true {
			t.Errorf("dry run touched the answer: %v", out)
		}
	}
	if sent.Load() != 0 {
		t.Fatalf("dry run sent %d writes", sent.Load())
	}
	p := PlanOf(w)
	if p.Writes() != 3 || p.WritesOf("sales-orders") != 2 || p.WritesOf("stock-adjustments") != 1 {
		t.Errorf("writes %d (%d orders, %d adjustments)", p.Writes(), p.WritesOf("sales-orders"), p.WritesOf("stock-adjustments"))
	}
	rep := p.Report(Counts{Creates: 1, Updates: 1}, 7, 2, Rate{PerMinute: 60})
	if rep.Writes != 5 || rep.Reads != 7 || rep.Duration != 12*time.Second {
		t.Errorf("plan: %d writes, %d reads, %s", rep.Writes, rep.Reads, rep.Duration)
	}
	if len(rep.Changes) != 2 || rep.Changes[0].Action != "create" || rep.Changes[0].Origin != row || rep.Changes[1].Fields[0].New != "B" {
		t.Errorf("changes: %+v", rep.Changes)
	}
}

func TestDryRunChecksWhatItCan(t *testing.T) {
	t.Parallel()
	w := DryRun(nil)
	ctx := context.Background()
	for name, wr := range map[string]Write{
		"GET is no write":     {Method: http.MethodGet, Route: "/x"},
		"route without slash": {Method: http.MethodPut, Route: "x"},
		"query in route":      {Method: http.MethodPut, Route: "/x?key=1"},
		"body not JSON":       {Method: http.MethodPut, Route: "/x", Body: math.Inf(1)},
	} {
		if err := w.Send(ctx, wr, nil); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if PlanOf(w).Writes() != 0 {
		t.Error("refused writes were planned")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := w.Send(cctx, Write{Method: http.MethodPut, Route: "/x"}, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestDirectIsTheWriterAndHasNoPlan(t *testing.T) {
	t.Parallel()
	var n int
	w := Direct(WriterFunc(func(context.Context, Write, any) error { n++; return nil }))
	if err := w.Send(context.Background(), Write{Method: http.MethodPut, Route: "/x"}, nil); err != nil || n != 1 {
		t.Fatalf("direct: %v, %d sent", err, n)
	}
	if PlanOf(w) != nil || PlanOf(w).Report(Counts{}, 0, 0, Rate{}) != nil || PlanOf(w).Writes() != 0 {
		t.Error("a real run has a plan")
	}
}

func TestUnanswered(t *testing.T) {
	t.Parallel()
	base := errors.New("connection reset")
	err := Unanswered(base)
	if !errors.Is(err, ErrUnanswered) || !errors.Is(err, base) || Unanswered(err) != err || Unanswered(nil) != nil {
		t.Errorf("Unanswered: %v", err)
	}
}

func TestRateDuration(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		r    Rate
		n    int
		want time.Duration
	}{
		{Rate{PerMinute: 60}, 3100, 3100 * time.Second},
		{Rate{PerMinute: 60, PerHour: 1000}, 2000, 2 * time.Hour},
		{Rate{}, 50, 0},
	} {
		if got := c.r.Duration(c.n); got != c.want {
			t.Errorf("%+v %d: %s, want %s", c.r, c.n, got, c.want)
		}
	}
}

func TestCountsAddOnlyPlanOutcomes(t *testing.T) {
	var c Counts
	for _, o := range []pipeline.Outcome{pipeline.Created, pipeline.Created, pipeline.Updated, pipeline.Unchanged, pipeline.Rejected, pipeline.Written, pipeline.Unknown} {
		c.Add(o)
	}
	if c != (Counts{Creates: 2, Updates: 1, Unchanged: 1}) {
		t.Errorf("got %+v", c)
	}
}
