package goflowsink

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/etl-dev/etl/goflow/sandbox"
	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/jobfile"
	"github.com/etl-dev/etl/pipeline"
	_ "github.com/etl-dev/etl/sources"
)

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
		"GOFLOW_API_TOKEN": srv.Token(), "GOFLOW_BASE_URL": srv.URL(), "GOFLOW_BETA_CONTACT": "ops@example.com",
	}}
}

func (tn *tenant) getenv(k string) string { return tn.env[k] }

type runOpts struct {
	dry     bool
	journal pipeline.Journal
	retry   apikit.RetryPolicy
}

type runResult struct {
	res    *pipeline.Result
	report *pipeline.ComponentReport
}

// run writes files (name → content) and job.yaml into dir and runs the
// job as `etl run` does, against the tenant.
func (tn *tenant) run(t testing.TB, dir, yaml string, files map[string]string, o runOpts) (*runResult, error) {
	t.Helper()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
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
	job.Env.Journal = o.journal
	job.Env.APIs = apikit.NewRegistry(apikit.RegistryOptions{Clock: tn.clock, Retry: o.retry})
	if c, ok := job.Sink.(*Config); ok {
		c.getenv = tn.getenv
	}
	ctx := context.Background()
	prep, err := job.Prepare(ctx)
	if err != nil {
		return nil, err
	}
	defer prep.Source.Close()
	sink, err := pipeline.OpenSink(ctx, job.Sink, job.Env, prep.Mapping.Schema(), o.dry)
	if err != nil {
		return nil, err
	}
	res, err := pipeline.Run(ctx, pipeline.RunConfig{Source: prep.Source, Mapper: prep.Mapping, Sink: sink, ErrorBudget: -1, DryRun: o.dry})
	out := &runResult{res: res}
	if rp, ok := sink.(pipeline.Reporter); ok {
		out.report = rp.Report()
	}
	return out, err
}

func (tn *tenant) mustRun(t testing.TB, dir, yaml string, files map[string]string, o runOpts) *runResult {
	t.Helper()
	r, err := tn.run(t, dir, yaml, files, o)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return r
}

// counts returns the result's outcome counts by name.
func counts(r *pipeline.Result) map[string]int64 {
	out := map[string]int64{}
	for _, o := range pipeline.Outcomes() {
		if n := r.Count(o); n > 0 {
			out[o.String()] = n
		}
	}
	return out
}
