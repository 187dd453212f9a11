package inventorasink_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/inflow"
	inflowsandbox "github.com/etl-dev/etl/inflow/sandbox"
	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/inventora/sandbox"
	"github.com/etl-dev/etl/jobfile"
	"github.com/etl-dev/etl/pipeline"

	_ "github.com/etl-dev/etl/sinks/inflow"
	_ "github.com/etl-dev/etl/sources/inventora"
)

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// runExample runs jobs/NAME.yaml from a copy of jobs/ and samples/ in a
// temporary directory, as `etl run` does, on a virtual clock.
func runExample(t *testing.T, root, name string) *pipeline.Result {
	t.Helper()
	j, err := jobfile.Load(filepath.Join(root, "jobs", name+".yaml"), nil)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	j.Env.Job = j.Name
	j.Env.APIs = apikit.NewRegistry(apikit.RegistryOptions{Clock: apikit.NewVirtualClock(time.Time{})})
	ctx := context.Background()
	prep, err := j.Prepare(ctx)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer prep.Source.Close()
	sink, err := j.Sink.Open(ctx, j.Env, prep.Mapping.Schema())
	if err != nil {
		t.Fatalf("%s: sink: %v", name, err)
	}
	res, err := pipeline.Run(ctx, pipeline.RunConfig{Source: prep.Source, Mapper: prep.Mapping, Check: prep.Mapping.OrderedCheck(), Sink: sink, ErrorBudget: -1})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if res.Count(pipeline.Rejected) > 0 || res.RowsRead == 0 {
		t.Fatalf("%s: %v %v", name, res.CountsByName(), res.Problems)
	}
	return res
}

func copyTree(t *testing.T, dst string) {
	t.Helper()
	for _, sub := range []string{"jobs", "samples"} {
		src := filepath.Join(repoRoot(), sub)
		entries, err := os.ReadDir(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dst, sub), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.IsDir() || !(strings.Contains(e.Name(), "inventora") || sub == "samples" && strings.HasSuffix(e.Name(), ".csv")) {
				continue
			}
			b, err := os.ReadFile(filepath.Join(src, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dst, sub, e.Name()), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// The example jobs run as they stand: without keys against the embedded
// emulators.
func TestExampleJobsRunAsTheyStand(t *testing.T) {
	t.Setenv("INVENTORA_API_KEY", "")
	t.Setenv("INFLOW_API_KEY", "")
	root := t.TempDir()
	copyTree(t, root)
	for _, name := range []string{"inventora-products-to-parquet", "inventora-stock-to-parquet", "inventora-update-products",
		"inventora-to-inflow-products", "inventora-to-inflow-stock"} {
		res := runExample(t, root, name)
		var notes []string
		for _, c := range res.Components {
			notes = append(notes, c.Notes...)
		}
		if !strings.Contains(strings.Join(notes, " "), "emulator") {
			t.Errorf("%s: the report does not say it used an emulator", name)
		}
	}
}

// The migration against one Inventora account and one inFlow account that
// outlive the runs: inFlow ends with every Inventora product (SKU, name,
// prices in the two schemes, barcode), and a second run writes nothing.
func TestMigrationToInflow(t *testing.T) {
	inv := newAccount(t, sandbox.Options{})
	inf, err := inflowsandbox.Start(inflowsandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(inf.Close)
	t.Setenv("INVENTORA_API_KEY", inv.srv.APIKey())
	t.Setenv("INVENTORA_BASE_URL", inv.url)
	t.Setenv("INFLOW_API_KEY", inf.APIKey())
	t.Setenv("INFLOW_COMPANY_ID", inf.CompanyID())
	t.Setenv("INFLOW_BASE_URL", inf.URL())
	t.Setenv("INFLOW_RATE_PER_MINUTE", "")
	t.Setenv("INVENTORA_RATE_PER_MINUTE", "")
	root := t.TempDir()
	copyTree(t, root)

	res := runExample(t, root, "inventora-to-inflow-products")
	products := inv.srv.Snapshot("products")
	if res.RowsRead != int64(len(products)) {
		t.Fatalf("read %d products, Inventora has %d", res.RowsRead, len(products))
	}
	bySKU := map[string]map[string]any{}
	for _, p := range inf.All("products") {
		bySKU[fmt.Sprint(p["sku"])] = p
	}
	schemes := map[string]string{}
	for _, s := range inf.All("pricing-schemes") {
		schemes[fmt.Sprint(s["pricingSchemeId"])] = fmt.Sprint(s["name"])
	}
	for _, p := range products {
		got, ok := bySKU[p["sku"].(string)]
		if !ok {
			t.Errorf("inFlow lacks %s", p["sku"])
			continue
		}
		if got["name"] != p["name"] {
			t.Errorf("%s: name %v, want %v", p["sku"], got["name"], p["name"])
		}
		prices := map[string]string{}
		for _, line := range asList(got["prices"]) {
			m := line.(map[string]any)
			prices[schemes[fmt.Sprint(m["pricingSchemeId"])]] = fmt.Sprint(m["unitPrice"])
		}
		if !decEq(prices["Retail Price"], fmt.Sprint(p["retailPrice"])) {
			t.Errorf("%s: retail %v, want %v", p["sku"], prices, p["retailPrice"])
		}
		if p["wholesalePrice"] != nil && !decEq(prices["Wholesale Price"], fmt.Sprint(p["wholesalePrice"])) {
			t.Errorf("%s: wholesale %v, want %v", p["sku"], prices, p["wholesalePrice"])
		}
		var barcodes []string
		for _, b := range asList(got["productBarcodes"]) {
			barcodes = append(barcodes, fmt.Sprint(b.(map[string]any)["barcode"]))
		}
		if !strings.Contains(strings.Join(barcodes, ","), fmt.Sprint(p["ean"])) {
			t.Errorf("%s: barcodes %v, want %v", p["sku"], barcodes, p["ean"])
		}
	}
	writes := inf.Stats().Writes
	res = runExample(t, root, "inventora-to-inflow-products")
	if got := inf.Stats().Writes - writes; got != 0 || res.Count(pipeline.Unchanged) != res.RowsRead {
		t.Errorf("the second run made %d writes to inFlow (%v)", got, res.CountsByName())
	}

	// Step 2: stock per location becomes inFlow's on-hand, at the
	// locations the job maps the names to.
	runExample(t, root, "inventora-to-inflow-stock")
	mapped := map[string]string{"Main Warehouse": "Main Warehouse", "Retail Store": "Showroom", "Production Floor": "Overflow Storage"}
	onHand := inflowOnHand(t, inf)
	for _, p := range inv.srv.Snapshot("products") {
		for loc, q := range p["locationStockLevels"].(map[string]any) {
			if got := onHand[p["sku"].(string)+"@"+mapped[loc]]; !decEq(got.String(), fmt.Sprint(q)) {
				t.Errorf("%s at %s (%s in inFlow): on hand %s, want %v", p["sku"], loc, mapped[loc], got, q)
			}
		}
	}
	writes = inf.Stats().Writes
	res = runExample(t, root, "inventora-to-inflow-stock")
	if got := inf.Stats().Writes - writes; got != 0 {
		t.Errorf("the second stock run made %d writes to inFlow (%v)", got, res.CountsByName())
	}

}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// inflowOnHand reads inFlow's on-hand per SKU and location name through
// the inFlow client.
func inflowOnHand(t *testing.T, inf *inflowsandbox.Server) map[string]decimal.Decimal {
	t.Helper()
	c, err := inflow.New(inflow.Config{BaseURL: inf.URL(), CompanyID: inf.CompanyID(), APIKey: inf.APIKey(), RatePerMinute: 100000})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	locs, err := c.Locations().All(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, l := range locs {
		names[strings.ToLower(l.LocationID)] = *l.Name
	}
	out := map[string]decimal.Decimal{}
	for p, err := range c.Products().List(ctx, &inflow.ListOptions{Include: []string{"inventoryLines"}}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range p.InventoryLines {
			if l.LocationID == nil || l.QuantityOnHand == nil || p.Sku == nil {
				continue
			}
			k := *p.Sku + "@" + names[strings.ToLower(*l.LocationID)]
			out[k] = out[k].Add(l.QuantityOnHand.Decimal)
		}
	}
	return out
}

// An inFlow account without a wholesale pricing scheme rejects the rows
// that carry a wholesale price, naming the schemes it has; the others go.
func TestMigrationWithoutWholesaleScheme(t *testing.T) {
	inv := newAccount(t, sandbox.Options{})
	seed := inflowsandbox.DefaultSeed()
	for _, s := range seed.PricingSchemes {
		if s["name"] == "Wholesale Price" {
			s["name"] = "Trade"
		}
	}
	inf, err := inflowsandbox.Start(inflowsandbox.Options{Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(inf.Close)
	for k, v := range map[string]string{"INVENTORA_API_KEY": inv.srv.APIKey(), "INVENTORA_BASE_URL": inv.url,
		"INFLOW_API_KEY": inf.APIKey(), "INFLOW_COMPANY_ID": inf.CompanyID(), "INFLOW_BASE_URL": inf.URL(),
		"INFLOW_RATE_PER_MINUTE": "", "INVENTORA_RATE_PER_MINUTE": ""} {
		t.Setenv(k, v)
	}
	root := t.TempDir()
	copyTree(t, root)
	j, err := jobfile.Load(filepath.Join(root, "jobs", "inventora-to-inflow-products.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	j.Env.APIs = apikit.NewRegistry(apikit.RegistryOptions{Clock: apikit.NewVirtualClock(time.Time{})})
	ctx := context.Background()
	prep, err := j.Prepare(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer prep.Source.Close()
	sink, err := j.Sink.Open(ctx, j.Env, prep.Mapping.Schema())
	if err != nil {
		t.Fatal(err)
	}
	res, err := pipeline.Run(ctx, pipeline.RunConfig{Source: prep.Source, Mapper: prep.Mapping, Sink: sink, ErrorBudget: -1})
	if err != nil {
		t.Fatal(err)
	}
	withWholesale := 0
	for _, p := range inv.srv.Snapshot("products") {
		if p["wholesalePrice"] != nil {
			withWholesale++
		}
	}
	if res.Count(pipeline.Rejected) != int64(withWholesale) || res.Count(pipeline.Created) != res.RowsRead-int64(withWholesale) {
		t.Fatalf("counts %v, want %d rejected", res.CountsByName(), withWholesale)
	}
	if msg := res.Problems[0].Error(); !strings.Contains(msg, "Trade") || !strings.Contains(msg, "price_wholesale") {
		t.Errorf("problem %q does not name the schemes there are", msg)
	}
}
