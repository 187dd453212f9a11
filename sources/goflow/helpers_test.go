package goflowsrc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/goflow/sandbox"
	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/jobfile"
	"github.com/etl-dev/etl/pipeline"
	_ "github.com/etl-dev/etl/sinks"
	"github.com/etl-dev/etl/sources"
)

// tenant is an emulator on a virtual clock that the client shares.
type tenant struct {
	srv   *sandbox.Server
	clock *apikit.VirtualClock
	env   map[string]string
}

func newTenant(t testing.TB, opts sandbox.Options) *tenant {
	t.Helper()
	clk := apikit.NewVirtualClock(time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC))
	opts.Clock = clk
	srv, err := sandbox.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return &tenant{srv: srv, clock: clk, env: map[string]string{
		"GOFLOW_API_TOKEN": srv.Token(), "GOFLOW_BASE_URL": srv.URL(), "GOFLOW_BETA_CONTACT": "data@example.com",
	}}
}

func (tn *tenant) getenv(k string) string { return tn.env[k] }

// memState is a map-backed pipeline.StateStore.
type memState struct {
	mu sync.Mutex
	m  map[string]string
}

func newMemState() *memState { return &memState{m: map[string]string{}} }

func (s *memState) GetState(_ context.Context, job, key string) (string, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[job+"\x00"+key]
	return v, ok, nil
}

func (s *memState) SetState(_ context.Context, job, key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[job+"\x00"+key] = value
	return nil
}

type runResult struct {
	res    *pipeline.Result
	report *pipeline.ComponentReport
	// sink is the sink's report (its plan in a dry run).
	sink *pipeline.ComponentReport
}

// runJob writes the job into dir and runs it as `etl run` does, with the
// tenant's environment and clock.
func (tn *tenant) runJob(t testing.TB, dir, yaml string, state pipeline.StateStore) (*runResult, error) {
	t.Helper()
	return tn.runJobMode(t, dir, yaml, state, false)
}

// runJobMode is runJob, as `etl run --dry-run` when dryRun.
func (tn *tenant) runJobMode(t testing.TB, dir, yaml string, state pipeline.StateStore, dryRun bool) (*runResult, error) {
	t.Helper()
	path := filepath.Join(dir, "job.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	job, err := jobfile.Load(path, nil)
	if err != nil {
		return nil, err
	}
	job.Env.Job = job.Name
	if job.Env.Job == "" {
		job.Env.Job = "test"
	}
	job.Env.State = state
	job.Env.APIs = apikit.NewRegistry(apikit.RegistryOptions{Clock: tn.clock})
	if c, ok := job.Source.(*Config); ok && tn != nil {
		c.getenv = tn.getenv
	}
	ctx := context.Background()
	prep, err := job.Prepare(ctx)
	if err != nil {
		return nil, err
	}
	defer prep.Source.Close()
	sink, err := pipeline.OpenSink(ctx, job.Sink, job.Env, prep.Mapping.Schema(), dryRun)
	if err != nil {
		t.Fatalf("sink: %v", err)
	}
	res, err := pipeline.Run(ctx, pipeline.RunConfig{Source: prep.Source, Mapper: prep.Mapping, Sink: sink, ErrorBudget: -1, DryRun: dryRun})
	out := &runResult{res: res}
	if rp, ok := sink.(pipeline.Reporter); ok {
		out.sink = rp.Report()
	}
	if rp, ok := prep.Source.(pipeline.Reporter); ok {
		out.report = rp.Report()
	}
	return out, err
}

func (tn *tenant) mustRun(t testing.TB, dir, yaml string, state pipeline.StateStore) *runResult {
	t.Helper()
	r, err := tn.runJob(t, dir, yaml, state)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if r.res.Count(pipeline.Rejected) > 0 {
		t.Fatalf("rejected rows: %v", r.res.Problems)
	}
	return r
}

// table is a Parquet file read back through the parquet source.
type ptable struct {
	cols []pipeline.Column
	rows [][]any
}

func (p *ptable) col(name string) int {
	for i, c := range p.cols {
		if c.Name == name {
			return i
		}
	}
	return -1
}

func readParquet(t testing.TB, path string) *ptable {
	t.Helper()
	cfg := &sources.ParquetConfig{Path: path}
	src, err := cfg.Open(context.Background(), pipeline.Env{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	out := &ptable{cols: src.Columns()}
	for {
		rec, err := src.Next(context.Background())
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out.rows = append(out.rows, rec.Values)
	}
}

// lookup reads a dotted path of a JSON object.
func lookup(obj map[string]any, path string) any {
	var v any = obj
	for _, p := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

// same compares a value read back from Parquet with the emulator's JSON
// value exactly: decimals numerically, times as instants, ids as numbers.
func same(got, want any) bool {
	if got == nil || want == nil {
		return got == nil && want == nil
	}
	switch g := got.(type) {
	case decimal.Decimal:
		w, err := decimal.NewFromString(fmt.Sprint(want))
		return err == nil && g.Equal(w)
	case time.Time:
		w, err := time.Parse(time.RFC3339Nano, fmt.Sprint(want))
		return err == nil && g.Equal(w)
	case int64:
		return fmt.Sprint(g) == fmt.Sprint(want)
	case bool:
		return g == want
	case string:
		return g == want
	}
	return fmt.Sprint(got) == fmt.Sprint(want)
}
