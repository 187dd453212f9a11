package inventorasink_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/inventora/sandbox"
	"github.com/etl-dev/etl/jobfile"
	"github.com/etl-dev/etl/pipeline"
	"github.com/etl-dev/etl/sinks/apisink"

	_ "github.com/etl-dev/etl/sinks"
	_ "github.com/etl-dev/etl/sinks/inventora"
	_ "github.com/etl-dev/etl/sources"
)

// account is an emulator over loopback whose handler a test can swap
// (to switch faults on and off between runs).
type account struct {
	srv *sandbox.Server
	url string
	h   atomic.Value // http.Handler
}

func newAccount(t *testing.T, opts sandbox.Options) *account {
	t.Helper()
	srv, err := sandbox.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	a := &account{srv: srv}
	a.h.Store(srv.Handler())
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.h.Load().(http.Handler).ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	a.url = hs.URL
	return a
}

func (a *account) env(name string) string {
	switch name {
	case "INVENTORA_API_KEY":
		return a.srv.APIKey()
	case "INVENTORA_BASE_URL":
		return a.url
	}
	return ""
}

// product returns the emulator's product with the given SKU.
func (a *account) product(t *testing.T, sku string) map[string]any {
	t.Helper()
	for _, p := range a.srv.Snapshot("products") {
		if p["sku"] == sku {
			return p
		}
	}
	t.Fatalf("no product %s", sku)
	return nil
}

type runOpts struct {
	dry     bool
	journal pipeline.Journal
	state   pipeline.StateStore
	resume  bool
}

// run writes in.csv and job.yaml (the sink section gets the account) into
// dir and runs the job as `etl run` does, on a virtual clock.
func run(t *testing.T, a *account, dir, csv, mapping, sinkYAML string, o runOpts) *pipeline.Result {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "in.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	job := "name: inventora-test\nsource: {type: csv, path: in.csv}\nmapping:\n" + mapping + "sink:\n  type: inventora\n  sandbox: never\n" + sinkYAML
	path := filepath.Join(dir, "job.yaml")
	if err := os.WriteFile(path, []byte(job), 0o644); err != nil {
		t.Fatal(err)
	}
	j, err := jobfile.Load(path, nil)
	if err != nil {
		t.Fatalf("job: %v", err)
	}
	j.Env.Job = j.Name
	j.Env.APIs = apikit.NewRegistry(apikit.RegistryOptions{Clock: apikit.NewVirtualClock(time.Time{})})
	j.Env.Journal, j.Env.State, j.Env.Resume = o.journal, o.state, o.resume
	j.Sink.(interface{ SetGetenv(func(string) string) }).SetGetenv(a.env)
	ctx := context.Background()
	prep, err := j.Prepare(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer prep.Source.Close()
	layer := apisink.Direct
	if o.dry {
		layer = apisink.DryRun
	}
	sink, err := j.Sink.(apisink.Opener).OpenWith(ctx, j.Env, prep.Mapping.Schema(), layer)
	if err != nil {
		t.Fatalf("sink: %v", err)
	}
	res, err := pipeline.Run(ctx, pipeline.RunConfig{Source: prep.Source, Mapper: prep.Mapping, Sink: sink, DryRun: o.dry, ErrorBudget: -1})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if res.Accounted() != res.RowsRead {
		t.Fatalf("outcomes %v do not add up to %d rows", res.CountsByName(), res.RowsRead)
	}
	return res
}

const stockMapping = `  sku: SKU
  name: Name
  retail_price: {from: Retail, type: decimal}
  wholesale_price: {from: Wholesale, type: decimal}
  min_level: {from: Min, type: decimal}
  notes: Notes
  location: Location
  quantity: {from: Qty, type: decimal}
`

func TestSetFileFinalStateAndSecondRunWritesNothing(t *testing.T) {
	t.Parallel()
	a := newAccount(t, sandbox.Options{})
	// The sample products 1–6 as the file wants them: one row per product
	// and location, the SKU repeating across locations.
	var b strings.Builder
	b.WriteString("SKU,Name,Retail,Wholesale,Min,Notes,Location,Qty\n")
	type want struct{ name, retail, wholesale, min string }
	wants := map[string]want{}
	levels := map[string]string{}
	for i, p := range a.srv.Snapshot("products")[:8] {
		sku := p["sku"].(string)
		if p["unitType"] == "bundles" {
			continue
		}
		w := want{fmt.Sprintf("%s v2", p["name"]), fmt.Sprintf("%d.50", 20+i), fmt.Sprintf("%d.25", 10+i), "4"}
		if i%3 == 0 { // unchanged fields: only stock moves
			w = want{p["name"].(string), fmt.Sprint(p["retailPrice"]), fmt.Sprint(p["wholesalePrice"]), fmt.Sprint(p["minLevel"])}
		}
		wants[sku] = w
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,,Main Warehouse,%d\n", sku, w.name, w.retail, w.wholesale, w.min, 30+i)
		fmt.Fprintf(&b, "%s,,,,,,retail store,%d.5\n", sku, i) // location names compare case-insensitively
		levels[sku+"@Main Warehouse"] = fmt.Sprint(30 + i)
		levels[sku+"@Retail Store"] = fmt.Sprintf("%d.5", i)
	}
	dir := t.TempDir()
	res := run(t, a, dir, b.String(), stockMapping, "  entity: products\n", runOpts{})
	if res.Count(pipeline.Rejected) != 0 || res.Count(pipeline.Updated) == 0 {
		t.Fatalf("first run: %v %v", res.CountsByName(), res.Problems)
	}
	for sku, w := range wants {
		p := a.product(t, sku)
		for k, v := range map[string]string{"name": w.name, "retailPrice": w.retail, "wholesalePrice": w.wholesale, "minLevel": w.min} {
			if got := fmt.Sprint(p[k]); !decEq(got, v) {
				t.Errorf("%s %s = %s, want %s", sku, k, got, v)
			}
		}
		for _, loc := range []string{"Main Warehouse", "Retail Store"} {
			got := p["locationStockLevels"].(map[string]any)[loc]
			if !decEq(fmt.Sprint(got), levels[sku+"@"+loc]) {
				t.Errorf("%s at %s = %v, want %s", sku, loc, got, levels[sku+"@"+loc])
			}
		}
	}
	writes := a.srv.Stats().Writes
	res = run(t, a, dir, b.String(), stockMapping, "  entity: products\n", runOpts{})
	if got := a.srv.Stats().Writes - writes; got != 0 {
		t.Errorf("the second run made %d writes, want 0", got)
	}
	if res.Count(pipeline.Unchanged) != res.RowsRead {
		t.Errorf("second run: %v", res.CountsByName())
	}
	// Reads: one page of products and one of locations.
	if rep := res.Components["sink"]; rep.Requests.Reads != 2 || rep.Requests.Writes != 0 {
		t.Errorf("second run requests %+v, want 2 reads and no write", rep.Requests)
	}
}

func decEq(a, b string) bool {
	x, err1 := decimal.NewFromString(a)
	y, err2 := decimal.NewFromString(b)
	if err1 != nil || err2 != nil {
		return a == b
	}
	return x.Equal(y)
}

func TestRejectionsNameTheRowAndTheRunGoesOn(t *testing.T) {
	t.Parallel()
	a := newAccount(t, sandbox.Options{})
	prods := a.srv.Snapshot("products")
	var gift, tied, free map[string]any
	for i, p := range prods {
		switch {
		case p["unitType"] == "bundles":
			gift = p
		case i%3 == 0 && tied == nil:
			tied = p // the seed gives every third product stock history
		case i%3 != 0 && free == nil && p["unitType"] == "pieces":
			free = p
		}
	}
	csv := "SKU,Name,Unit,Cost,Location,Qty\n" +
		"NOPE-1,,,,,\n" + // no such product
		gift["sku"].(string) + ",,pieces,,,\n" + // from bundles
		free["sku"].(string) + ",,bundles,,,\n" + // to bundles
		free["sku"].(string) + ",,kilos,,,\n" + // not a unit type
		free["sku"].(string) + ",,,,Main Warehous,5\n" + // unknown location
		tied["sku"].(string) + ",,,99.99,,\n" + // unitPrice tied by stock history: Inventora refuses
		free["sku"].(string) + ",,cases,,,\n" + // fine
		free["sku"].(string) + ",,,,Retail Store,3\n" + // fine
		free["sku"].(string) + ",,,,retail store,4\n" // the same product and location again
	mapping := "  sku: SKU\n  name: Name\n  unit_type: Unit\n  unit_price: {from: Cost, type: decimal}\n  location: Location\n  quantity: {from: Qty, type: decimal}\n"
	writes := a.srv.Stats().Writes
	res := run(t, a, t.TempDir(), csv, mapping, "  entity: products\n", runOpts{})
	if res.Count(pipeline.Rejected) != 7 || res.Count(pipeline.Updated) != 2 {
		t.Fatalf("counts %v, problems %v", res.CountsByName(), res.Problems)
	}
	wantMsgs := []string{
		`Inventora's API cannot create products`,
		`cannot change a unit type from bundles`,
		`bundles is read-only`,
		`"kilos" is not an Inventora unit type`,
		`no location named "Main Warehous" (did you mean "Main Warehouse"?)`,
		`Cannot update unitPrice when resource has stock blocks tied to non-initial logs`,
		`at Retail Store was already set by`,
	}
	for i, w := range wantMsgs {
		p := res.Problems[i]
		row := i + 2
		if i == 6 {
			row = 10
		}
		if !strings.Contains(p.Message, w) || p.Origin.Row != row || !strings.HasSuffix(p.Origin.File, "in.csv") {
			t.Errorf("problem %d: %s (row %d), want %q at row %d", i, p.Error(), p.Origin.Row, w, row)
		}
	}
	// Only the refused unitPrice PATCH, the good row's PATCH and its audit
	// were sent: the other problems were caught before any request.
	if got := a.srv.Stats().Writes - writes; got != 3 {
		t.Errorf("%d writes, want 2", got)
	}
	if a.product(t, free["sku"].(string))["unitType"] != "cases" {
		t.Error("the good row was not applied")
	}
}

func TestDryRunPlansAndSendsNothing(t *testing.T) {
	t.Parallel()
	a := newAccount(t, sandbox.Options{})
	var b strings.Builder
	b.WriteString("SKU,Name,Retail,Wholesale,Min,Notes,Location,Qty\n")
	for i, p := range a.srv.Snapshot("products")[:5] {
		fmt.Fprintf(&b, "%s,,%d.99,,,,Main Warehouse,%d\n", p["sku"], 50+i, 100+i)
	}
	before := a.srv.Dump()
	dir := t.TempDir()
	res := run(t, a, dir, b.String(), stockMapping, "  entity: products\n", runOpts{dry: true})
	if a.srv.Dump() != before || a.srv.Stats().Writes != 0 {
		t.Fatalf("the dry run changed the account (%d writes)", a.srv.Stats().Writes)
	}
	plan := res.Components["sink"].Plan
	if plan == nil || plan.Updates != 5 || plan.Writes != 10 || plan.Reads != 2 {
		t.Fatalf("plan %+v, want 5 updates with 10 writes (a PATCH and an audit each) after 2 reads", plan)
	}
	if plan.Duration != 12*time.Second { // 12 requests at 60 a minute
		t.Errorf("plan duration %v, want 12s", plan.Duration)
	}
	res = run(t, a, dir, b.String(), stockMapping, "  entity: products\n", runOpts{})
	if got := a.srv.Stats().Writes; got != plan.Writes || res.Count(pipeline.Updated) != 5 {
		t.Errorf("the real run made %d writes (%v), the plan said %d", got, res.CountsByName(), plan.Writes)
	}
}

func TestTasksGroupedByName(t *testing.T) {
	t.Parallel()
	a := newAccount(t, sandbox.Options{})
	prods := a.srv.Snapshot("products")
	csv := "Task,SKU,Qty,Location,Due\n" +
		fmt.Sprintf("Market batch,%s,20,Production Floor,2026-03-15\n", prods[0]["sku"]) +
		fmt.Sprintf("Gift order,%s,5,,\n", prods[1]["sku"]) +
		fmt.Sprintf("Market batch,%s,10,,\n", prods[2]["sku"]) + // rows of one task need not be adjacent
		"Bad task,NOPE,1,,\n"
	mapping := "  task: Task\n  sku: SKU\n  quantity: {from: Qty, type: decimal}\n  location: Location\n  due: Due\n"
	before := len(a.srv.Snapshot("tasks"))
	dir := t.TempDir()
	res := run(t, a, dir, csv, mapping, "  entity: tasks\n", runOpts{dry: true})
	if plan := res.Components["sink"].Plan; plan == nil || plan.Creates != 2 || plan.Writes != 2 || a.srv.Stats().Writes != 0 {
		t.Fatalf("dry run: plan %+v, %d writes", plan, a.srv.Stats().Writes)
	}
	res = run(t, a, dir, csv, mapping, "  entity: tasks\n", runOpts{})
	if res.Count(pipeline.Rejected) != 1 || res.Count(pipeline.Created) != 3 || !strings.Contains(res.Problems[0].Message, `no product has SKU "NOPE"`) {
		t.Fatalf("counts %v problems %v", res.CountsByName(), res.Problems)
	}
	tasks := a.srv.Snapshot("tasks")
	if len(tasks) != before+2 {
		t.Fatalf("%d tasks, want %d", len(tasks), before+2)
	}
	var market map[string]any
	for _, tk := range tasks {
		if tk["name"] == "Market batch" {
			market = tk
		}
	}
	if market == nil || len(market["Items"].([]any)) != 2 || market["LocationId"] != "loc_791" || market["due"] != "2026-03-15T00:00:00Z" {
		t.Fatalf("Market batch: %v", market)
	}
	writes := a.srv.Stats().Writes
	res = run(t, a, dir, csv, mapping, "  entity: tasks\n", runOpts{})
	if got := a.srv.Stats().Writes - writes; got != 0 || res.Count(pipeline.Unchanged) != 3 {
		t.Errorf("the second run made %d writes: tasks are found by name", got)
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ yaml, want string }{
		{"entity: prodcts", `entity "prodcts" is not one of products, materials, tasks`},
		{"entity: products\nmatch: [sku, ean]", `match key "ean" is not one of sku, name, id`},
		{"entity: products\nstock: {mode: append}", `stock.mode "append" is not one of set, add, off`},
		{"entity: tasks\nstock: {mode: add}", `stock applies to products and materials`},
		{"entity: products\nrate_per_minute: -1", `rate_per_minute -1 must not be negative`},
	} {
		dir := t.TempDir()
		body := "source: {type: csv, path: in.csv}\nsink:\n  type: inventora\n  " + strings.ReplaceAll(tc.yaml, "\n", "\n  ") + "\n"
		path := filepath.Join(dir, "job.yaml")
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := jobfile.Load(path, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "job.yaml:") {
			t.Errorf("%q: err = %v, want %q at a position", tc.yaml, err, tc.want)
		}
	}
}

func sandbox0() sandbox.Options { return sandbox.Options{} }

// level is a product's stock at a location as the emulator has it now.
func (a *account) level(p map[string]any, loc string) decimal.Decimal {
	for _, q := range a.srv.Snapshot("products") {
		if q["id"] == p["id"] {
			if v, ok := q["locationStockLevels"].(map[string]any)[loc]; ok {
				return decimal.RequireFromString(fmt.Sprint(v))
			}
		}
	}
	return decimal.Zero
}

// openErr opens the job's sink for a real run without a journal and
// returns the error's text.
func openErr(t *testing.T, a *account, sinkYAML, mapping string) string {
	t.Helper()
	dir := t.TempDir()
	_ = os.WriteFile(filepath.Join(dir, "in.csv"), []byte("SKU,Location,Qty\nX,Main Warehouse,1\n"), 0o644)
	job := "source: {type: csv, path: in.csv}\nmapping:\n" + mapping + "sink:\n  type: inventora\n  sandbox: never\n" + sinkYAML
	path := filepath.Join(dir, "job.yaml")
	_ = os.WriteFile(path, []byte(job), 0o644)
	j, err := jobfile.Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	j.Sink.(interface{ SetGetenv(func(string) string) }).SetGetenv(a.env)
	prep, err := j.Prepare(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer prep.Source.Close()
	s, err := j.Sink.Open(context.Background(), j.Env, prep.Mapping.Schema())
	if err == nil {
		_ = s.Abort()
		return ""
	}
	return err.Error()
}

func TestMaterialsByNameWithReorderURLs(t *testing.T) {
	t.Parallel()
	a := newAccount(t, sandbox.Options{})
	m := a.srv.Snapshot("materials")[0]
	csv := "Name,URLs,Min\n" + fmt.Sprintf("%s,https://a.example/x https://b.example/y,25\n", m["name"])
	mapping := "  name: Name\n  reorder_urls: URLs\n  min_level: {from: Min, type: decimal}\n"
	res := run(t, a, t.TempDir(), csv, mapping, "  entity: materials\n  match: [name]\n", runOpts{})
	if res.Count(pipeline.Updated) != 1 {
		t.Fatalf("%v %v", res.CountsByName(), res.Problems)
	}
	for _, got := range a.srv.Snapshot("materials") {
		if got["id"] == m["id"] {
			if fmt.Sprint(got["reorderURLs"]) != "[https://a.example/x https://b.example/y]" || fmt.Sprint(got["minLevel"]) != "25" {
				t.Errorf("material after the update: %v %v", got["reorderURLs"], got["minLevel"])
			}
		}
	}
}

// Two rows that give one product different values are not both applied:
// they would undo each other on every run.
func TestRowsThatDisagreeOnAProduct(t *testing.T) {
	t.Parallel()
	a := newAccount(t, sandbox.Options{})
	p := a.srv.Snapshot("products")[1]
	csv := fmt.Sprintf("SKU,Retail\n%s,%v\n%s,99.99\n%s,%v0\n", p["sku"], p["retailPrice"], p["sku"], p["sku"], p["retailPrice"])
	res := run(t, a, t.TempDir(), csv, "  sku: SKU\n  retail_price: {from: Retail, type: decimal}\n", "  entity: products\n", runOpts{})
	if res.Count(pipeline.Unchanged) != 2 || res.Count(pipeline.Rejected) != 1 || !strings.Contains(res.Problems[0].Message, "keep one value per product") || res.Problems[0].Origin.Row != 3 {
		t.Fatalf("%v %v", res.CountsByName(), res.Problems)
	}
	if a.srv.Stats().Writes != 0 {
		t.Errorf("%d writes", a.srv.Stats().Writes)
	}
}
