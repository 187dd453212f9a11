package inflowsink

import (
	"context"
	"encoding/csv"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/etl-dev/etl/inflow/sandbox"
	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/jobfile"
	"github.com/etl-dev/etl/pipeline"
	_ "github.com/etl-dev/etl/sources"
)

// repoRoot is the repository root, for samples/.
func repoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// testClock is the virtual clock of every emulator and run of these tests:
// rate limits and retry waits cost no wall time, and the emulators' rate
// windows see the same time as the clients' limiters.
var testClock = apikit.NewVirtualClock(time.Time{})

// kitOptions holds, per test, the API registry options of its runs (an
// HTTP client wrapping the transport, retry bounds).
var kitOptions sync.Map // testing.TB → *apikit.RegistryOptions

// kitOf returns t's registry options, to adjust before runJob.
func kitOf(t testing.TB) *apikit.RegistryOptions {
	v, loaded := kitOptions.LoadOrStore(t, &apikit.RegistryOptions{})
	if !loaded {
		t.Cleanup(func() { kitOptions.Delete(t) })
	}
	return v.(*apikit.RegistryOptions)
}

// fastRetries allows more retries, for fault tests.
func fastRetries(t testing.TB) {
	t.Helper()
	kitOf(t).Retry = apikit.RetryPolicy{MinDelay: 5 * time.Millisecond, MaxDelay: 50 * time.Millisecond, MaxRetries: 8}
}

// withHTTPClient makes t's runs send through hc.
func withHTTPClient(t testing.TB, hc *http.Client) { kitOf(t).HTTPClient = hc }

// startEmulator starts an emulator and points the environment at it.
func startEmulator(t testing.TB, opts sandbox.Options) *sandbox.Server {
	t.Helper()
	if opts.Clock == nil {
		opts.Clock = testClock
	}
	srv, err := sandbox.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	t.Setenv("INFLOW_BASE_URL", srv.URL())
	t.Setenv("INFLOW_COMPANY_ID", srv.CompanyID())
	t.Setenv("INFLOW_API_KEY", srv.APIKey())
	t.Setenv("INFLOW_RATE_PER_MINUTE", "")
	t.Setenv("INFLOW_RATE_PER_HOUR", "")
	return srv
}

// catalogMapping maps samples/catalog.csv as jobs/onboard-products-csv.yaml
// does.
const catalogMapping = `
mapping:
  sku: {from: SKU, case: upper}
  name: Name
  description: Description
  category: Category
  price: {from: Price, type: decimal, scale: 2, strip: "$€£ "}
  cost: {from: Cost, type: decimal, scale: 4, strip: "$€£ "}
  barcode: Barcode
  quantity: {from: Quantity, type: integer}
  location: Location
  is_active: {from: Active, type: bool}
validate:
  - field: sku
    required: true
    unique_ignore_case: true
  - field: name
    required: true
    max_length: 120
  - field: price
    required: true
    min: 0
  - field: quantity
    min: 0
  - field: barcode
    pattern: '^[0-9]{13}$'
  - field: barcode
    expr: 'barcode == nil || !(barcode matches "^[0-9]{13}$") || reduce(split(barcode, ""), #acc + int(#) * (#index % 2 == 0 ? 1 : 3), 0) % 10 == 0'
  - field: cost
    expr: 'cost == nil || price == nil || cost <= price'
`

// badCatalogRows are the rows of samples/catalog.csv the mapping above
// rejects (see samples/README.md).
var badCatalogRows = map[int]bool{9: true, 17: true, 34: true, 52: true, 71: true, 105: true, 127: true, 149: true, 176: true, 203: true}

// job writes a job file around a source file, a mapping and a sink
// section, in a temporary directory.
func job(t testing.TB, source, mapping, sinkYAML string) string {
	t.Helper()
	dir := t.TempDir()
	typ := strings.TrimPrefix(filepath.Ext(source), ".")
	text := "name: test\nsource:\n  type: " + typ + "\n  path: " + source + "\n" + mapping + "\nsink:\n  type: inflow\n" + indent(sinkYAML) + "options:\n  on_error: skip\n"
	path := filepath.Join(dir, "job.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func indent(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		b.WriteString("  " + l + "\n")
	}
	return b.String()
}

type runOpts struct {
	dry       bool
	env       func(*pipeline.Env)
	batchSize int
	ctx       context.Context
}

// runJob runs a job file through the real pipeline and returns the result
// and the sink's report.
func runJob(t testing.TB, path string, o runOpts) (*pipeline.Result, *pipeline.ComponentReport, error) {
	t.Helper()
	ctx := o.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	j, err := jobfile.Parse(path, data, nil)
	if err != nil {
		t.Fatalf("job: %v", err)
	}
	j.Env.Job = j.Name
	ko := *kitOf(t)
	ko.Clock = testClock
	j.Env.APIs = apikit.NewRegistry(ko)
	if o.env != nil {
		o.env(&j.Env)
	}
	prep, err := j.Prepare(ctx)
	if err != nil {
		t.Fatalf("prepare: %v", err)
	}
	defer prep.Source.Close()
	var s pipeline.Sink
	if o.dry {
		s, err = j.Sink.(pipeline.DryRunner).OpenDryRun(ctx, j.Env, prep.Mapping.Schema())
	} else {
		s, err = j.Sink.Open(ctx, j.Env, prep.Mapping.Schema())
	}
	if err != nil {
		return nil, nil, err
	}
	res, err := pipeline.Run(ctx, pipeline.RunConfig{
		Source: prep.Source, Mapper: prep.Mapping, Check: prep.Mapping.OrderedCheck(),
		Sink: s, DryRun: o.dry, BatchSize: o.batchSize, ErrorBudget: -1,
	})
	if res != nil && res.Accounted() != res.RowsRead {
		t.Errorf("outcomes add up to %d, %d rows read", res.Accounted(), res.RowsRead)
	}
	return res, res.Components["sink"], err
}

// readCSV reads a CSV file as maps by header, with the spreadsheet row
// number.
func readCSV(t testing.TB, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for i, r := range recs[1:] {
		m := map[string]string{"_row": strconv.Itoa(i + 2)}
		for j, h := range recs[0] {
			m[h] = r[j]
		}
		out = append(out, m)
	}
	return out
}
