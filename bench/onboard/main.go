// Command onboard benchmarks the inflow sink: it onboards a catalog CSV
// (as bench/gencatalog writes it) into a fresh embedded emulator at a
// scaled-up rate limit, runs the same import again, and reports requests
// per created product, requests per unchanged product on the re-run, the
// achieved request rate as a fraction of the limit, and 429s. Run it
// through bench/onboard.sh.
//
// With -rate-hour N the emulator and the sink also keep inFlow's hourly
// window of N requests, and with -virtual both run on one apikit
// VirtualClock (waits move virtual time, so hours of rate limiting take
// seconds); it then reports the busiest minute and hour against the limits
// and the share of the hourly budget used.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/etl-dev/etl/inflow/sandbox"
	"github.com/etl-dev/etl/internal/apikit"
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
  rate_per_hour: %d
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
	hour := flag.Int("rate-hour", 0, "requests an hour, for the emulator and the sink (0: no hourly window)")
	virtual := flag.Bool("virtual", false, "run the emulator and the sink on one virtual clock")
	flag.Parse()
	o := options{rate: *rate, hour: *hour, conc: *conc, batch: *batch, cost: *cost, virtual: *virtual}
	if err := run(*csvPath, o); err != nil {
		fmt.Fprintln(os.Stderr, "onboard:", err)
		os.Exit(1)
	}
}

type options struct {
	rate, hour, conc, batch int
	cost, virtual           bool
}

type figures struct {
	res      *pipeline.Result
	rep      *pipeline.ComponentReport
	requests int
	tooMany  int
	span     time.Duration
	wall     time.Duration
	reqs     []sandbox.RequestRecord
	released []time.Time // limiter release times of the sink's requests (with -virtual)
}

func run(csvPath string, o options) error {
	rate, conc, batch, cost := o.rate, o.conc, o.batch, o.cost
	abs, err := filepath.Abs(csvPath)
	if err != nil {
		return err
	}
	var clk apikit.Clock
	if o.virtual {
		clk = apikit.NewVirtualClock(time.Time{})
	}
	srv, err := sandbox.Start(sandbox.Options{RatePerMinute: rate, RatePerHour: o.hour, Clock: clk})
	if err != nil {
		return err
	}
	defer srv.Close()
	for k, v := range map[string]string{"INFLOW_BASE_URL": srv.URL(), "INFLOW_COMPANY_ID": srv.CompanyID(), "INFLOW_API_KEY": srv.APIKey(),
		"INFLOW_RATE_PER_MINUTE": "", "INFLOW_RATE_PER_HOUR": ""} {
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
	if err := os.WriteFile(jobPath, fmt.Appendf(nil, jobText, abs, costLine, rate, o.hour, conc, batch), 0o644); err != nil {
		return err
	}

	first, err := once(srv, jobPath, clk)
	if err != nil {
		return err
	}
	second, err := once(srv, jobPath, clk)
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
	fmt.Printf("  achieved rate: %.1f/s = %.1f%% of the per-minute limit; 429s: %d; retries: %d\n",
		float64(first.requests-1)/first.span.Seconds(), 100*float64(first.requests-1)/first.span.Seconds()/limit, first.tooMany, first.rep.Requests.Retries)
	if o.hour == 0 {
		fmt.Printf("  at inFlow's 60 requests/min this import takes %v\n", (time.Duration(first.requests) * time.Second).Round(time.Minute))
	} else {
		times, what := first.released, "limiter releases"
		if times == nil {
			times, what = make([]time.Time, len(first.reqs)), "emulator arrivals"
			for i, r := range first.reqs {
				times[i] = r.Time
			}
		}
		sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
		minute, hour, slowest := busiest(times, time.Minute), busiest(times, time.Hour), slowestHour(times)
		fmt.Printf("  hourly window %d/h, %s time, %d %s over %v: busiest minute %d (limit %d), busiest hour %d (limit %d)\n",
			o.hour, clockName(o.virtual), len(times), what, times[len(times)-1].Sub(times[0]).Round(time.Second), minute, rate, hour, o.hour)
		fmt.Printf("  slowest full hour %d requests = %.1f%% of the hourly budget; steady 429s (after the first request): %d\n",
			slowest, 100*float64(slowest)/float64(o.hour), steady429(first.reqs))
	}
	fmt.Printf("re-run:     %d unchanged, %d created, %d updated; %d requests (%d writes)\n",
		unchanged, second.res.Count(pipeline.Created), second.res.Count(pipeline.Updated), second.requests, second.rep.Requests.Writes)
	fmt.Printf("  requests per unchanged product: %.4f; 429s: %d\n", float64(second.requests)/float64(max(unchanged, 1)), second.tooMany)
	fmt.Printf("  at inFlow's 60 requests/min the re-run takes %v\n", time.Duration(second.requests)*time.Second)
	return nil
}

func clockName(virtual bool) string {
	if virtual {
		return "virtual"
	}
	return "wall-clock"
}

// busiest is the most requests in any window of length w; times are
// sorted.
func busiest(times []time.Time, w time.Duration) int {
	most, j := 0, 0
	for i := range times {
		for times[i].Sub(times[j]) >= w {
			j++
		}
		most = max(most, i-j+1)
	}
	return most
}

// slowestHour is the fewest requests in an hour that starts at a request
// and ends before the last one (the run's steady state); times are sorted.
func slowestHour(times []time.Time) int {
	least, j := -1, 0
	for i := range times {
		end := times[i].Add(time.Hour)
		if end.After(times[len(times)-1]) {
			break
		}
		for j < len(times) && times[j].Before(end) {
			j++
		}
		if n := j - i; least < 0 || n < least {
			least = n
		}
	}
	return max(least, 0)
}

// steady429 counts 429 answers after the first request: a limiter that
// keeps within the windows gets none.
func steady429(reqs []sandbox.RequestRecord) int {
	n := 0
	for i, r := range reqs {
		if i > 0 && r.Status == 429 {
			n++
		}
	}
	return n
}

func once(srv *sandbox.Server, jobPath string, clk apikit.Clock) (*figures, error) {
	var (
		mu       sync.Mutex
		released []time.Time
	)
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
	if clk != nil {
		j.Env.APIs = apikit.NewRegistry(apikit.RegistryOptions{Clock: clk, Observer: apikit.ObserverFuncs{Request: func(e apikit.RequestEvent) {
			mu.Lock()
			released = append(released, e.Time)
			mu.Unlock()
		}}})
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
	f.reqs = reqs
	f.released = released
	st := srv.Stats()
	f.requests, f.tooMany = st.Total, st.TooMany
	if len(reqs) > 1 {
		f.span = reqs[len(reqs)-1].Time.Sub(reqs[0].Time)
	}
	return f, nil
}
