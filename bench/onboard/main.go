// Command onboard benchmarks the inflow sink: it onboards a catalog CSV
// (as bench/gencatalog writes it) into a fresh embedded emulator at a
// scaled-up rate limit, runs the same import again, and reports requests
// per created product, requests per unchanged product on the re-run, the
// achieved request rate as a fraction of the limit, and 429s. Run it
// through bench/onboard.sh.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/etl-dev/etl/inflow/sandbox"
	"github.com/etl-dev/etl/jobfile"
	"github.com/etl-dev/etl/pipeline"
	_ "github.com/etl-dev/etl/sinks/inflow"
	_ "github.com/etl-dev/etl/sources"
)

const jobText = `name: bench-onboard
source:
  type: csv
  path: %s
mapping:
  sku: sku
  name: name
  description: description
  category: category
  price: {from: price, type: decimal, scale: 2}
%s  barcode: barcode
  quantity: {from: quantity, type: integer}
  is_active: {from: active, type: bool}
sink:
  type: inflow
  entity: products
  sandbox: never
  rate_per_minute: %d
  concurrency: %d
  stock:
    adjustment_reason: Opening balance
options:
  batch_size: %d
`

func main() {
	csvPath := flag.String("csv", "", "catalog CSV written by bench/gencatalog")
	rate := flag.Int("rate", 6000, "requests a minute, for the emulator and the sink")
	cost := flag.Bool("cost", true, "map the cost column (a product cost adjustment per new product)")
	conc := flag.Int("concurrency", 4, "sink concurrency")
	batch := flag.Int("batch", 1000, "rows per batch")
	flag.Parse()
	if err := run(*csvPath, *rate, *conc, *batch, *cost); err != nil {
		fmt.Fprintln(os.Stderr, "onboard:", err)
		os.Exit(1)
	}
}

type figures struct {
	res      *pipeline.Result
	rep      *pipeline.ComponentReport
	requests int
	tooMany  int
	span     time.Duration
	wall     time.Duration
}

func run(csvPath string, rate, conc, batch int, cost bool) error {
	abs, err := filepath.Abs(csvPath)
	if err != nil {
		return err
	}
	srv, err := sandbox.Start(sandbox.Options{RatePerMinute: rate})
	if err != nil {
		return err
	}
	defer srv.Close()
	for k, v := range map[string]string{"INFLOW_BASE_URL": srv.URL(), "INFLOW_COMPANY_ID": srv.CompanyID(), "INFLOW_API_KEY": srv.APIKey(), "INFLOW_RATE_PER_MINUTE": ""} {
		os.Setenv(k, v)
	}
	dir, err := os.MkdirTemp("", "bench-onboard")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	jobPath := filepath.Join(dir, "job.yaml")
	costLine := ""
	if cost {
		costLine = "  cost: {from: cost, type: decimal, scale: 2}\n"
	}
	if err := os.WriteFile(jobPath, fmt.Appendf(nil, jobText, abs, costLine, rate, conc, batch), 0o644); err != nil {
		return err
	}

	first, err := once(srv, jobPath)
	if err != nil {
		return err
	}
	second, err := once(srv, jobPath)
	if err != nil {
		return err
	}
	created := first.res.Count(pipeline.Created)
	unchanged := second.res.Count(pipeline.Unchanged)
	limit := float64(rate) / 60
	fmt.Printf("catalog: %d rows; rate limit %d/min (%.0f/s), concurrency %d, cost mapped: %t\n", first.res.RowsRead, rate, limit, conc, cost)
	fmt.Printf("first run:  %d created, %d rejected; %d requests (%d reads, %d writes) in %v\n",
		created, first.res.Count(pipeline.Rejected), first.requests, first.rep.Requests.Reads, first.rep.Requests.Writes, first.wall.Round(time.Millisecond))
	fmt.Printf("  requests per created product: %.3f\n", float64(first.requests)/float64(max(created, 1)))
	fmt.Printf("  achieved rate: %.1f/s = %.1f%% of the limit; 429s: %d; retries: %d\n",
		float64(first.requests-1)/first.span.Seconds(), 100*float64(first.requests-1)/first.span.Seconds()/limit, first.tooMany, first.rep.Requests.Retries)
	fmt.Printf("  at inFlow's 60 requests/min this import takes %v\n", (time.Duration(first.requests) * time.Second).Round(time.Minute))
	fmt.Printf("re-run:     %d unchanged, %d created, %d updated; %d requests (%d writes)\n",
		unchanged, second.res.Count(pipeline.Created), second.res.Count(pipeline.Updated), second.requests, second.rep.Requests.Writes)
	fmt.Printf("  requests per unchanged product: %.4f; 429s: %d\n", float64(second.requests)/float64(max(unchanged, 1)), second.tooMany)
	fmt.Printf("  at inFlow's 60 requests/min the re-run takes %v\n", time.Duration(second.requests)*time.Second)
	return nil
}

func once(srv *sandbox.Server, jobPath string) (*figures, error) {
	ctx := context.Background()
	srv.ResetStats()
	data, err := os.ReadFile(jobPath)
	if err != nil {
		return nil, err
	}
	j, err := jobfile.Parse(jobPath, data, nil)
	if err != nil {
		return nil, err
	}
	prep, err := j.Prepare(ctx)
	if err != nil {
		return nil, err
	}
	defer prep.Source.Close()
	start := time.Now()
	s, err := j.Sink.Open(ctx, j.Env, prep.Mapping.Schema())
	if err != nil {
		return nil, err
	}
	res, err := pipeline.Run(ctx, pipeline.RunConfig{
		Source: prep.Source, Mapper: prep.Mapping, Check: prep.Mapping.OrderedCheck(),
		Sink: s, BatchSize: j.Options.BatchSize, ErrorBudget: -1,
	})
	if err != nil {
		return nil, err
	}
	f := &figures{res: res, rep: res.Components["sink"], wall: time.Since(start)}
	reqs := srv.Requests()
	st := srv.Stats()
	f.requests, f.tooMany = st.Total, st.TooMany
	if len(reqs) > 1 {
		f.span = reqs[len(reqs)-1].Time.Sub(reqs[0].Time)
	}
	return f, nil
}
