package inflowsink

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/etl-dev/etl/inflow"
	"github.com/etl-dev/etl/inflow/sandbox"
	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/pipeline"
	"github.com/etl-dev/etl/pipeline/journal"
	_ "github.com/etl-dev/etl/pipeline/journal/sqlite"
)

// genCatalog writes a catalog of n products (SKU, Name, Price, Quantity,
// Location) to a CSV file.
func genCatalog(t testing.TB, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("SKU,Name,Category,Price,Quantity,Location\n")
	cats := []string{"Clothing > Tshirts", "Clothing > Jackets", "Footwear > Boots", "Camping > Tents"}
	locs := []string{"Main Warehouse", "Showroom"}
	for i := range n {
		fmt.Fprintf(&b, "GEN-%05d,Generated product %05d,%s,%d.%02d,%d,%s\n", i, i, cats[i%len(cats)], 5+i%50, i%100, i%37, locs[i%2])
	}
	path := filepath.Join(t.TempDir(), "gen.csv")
	writeFile(t, path, b.String())
	return path
}

const genMapping = `
mapping:
  sku: SKU
  name: Name
  category: Category
  price: {from: Price, type: decimal}
  quantity: {from: Quantity, type: integer}
  location: Location
`

// TestRateStaysAtTheLimit counts, on the virtual clock, the moments the
// account's limiter lets the sink's requests go (4 writers at 600 a
// minute): never more than 10 in any second, one every 100 ms while work
// waits, and the emulator refuses none.
func TestRateStaysAtTheLimit(t *testing.T) {
	srv := startEmulator(t, sandbox.Options{RatePerMinute: 600})
	path := job(t, genCatalog(t, 55), "mapping:\n  sku: SKU\n  name: Name\n  price: {from: Price, type: decimal}\n",
		"entity: products\nsandbox: never\nrate_per_minute: 600\nconcurrency: 4\n")
	var (
		mu    sync.Mutex
		times []time.Time
	)
	kitOf(t).Observer = apikit.ObserverFuncs{Request: func(e apikit.RequestEvent) {
		mu.Lock()
		times = append(times, e.Time)
		mu.Unlock()
	}}
	if _, _, err := runJob(t, path, runOpts{batchSize: 20}); err != nil {
		t.Fatal(err)
	}
	if st := srv.Stats(); len(times) < 55 || st.Total != len(times) || st.TooMany != 0 {
		t.Fatalf("%d requests released, the emulator saw %d and refused %d", len(times), st.Total, st.TooMany)
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	most := 0
	for i := range times {
		n := 0
		for j := i; j < len(times) && times[j].Sub(times[i]) < time.Second; j++ {
			n++
		}
		most = max(most, n)
	}
	if most != 10 {
		t.Errorf("%d requests in the busiest second, want exactly the limit 10", most)
	}
	// Kept busy: every gap is one interval.
	for i := 1; i < len(times); i++ {
		if gap := times[i].Sub(times[i-1]); gap != 100*time.Millisecond {
			t.Fatalf("requests %d and %d are %v apart, want 100ms", i-1, i, gap)
		}
	}
}

func TestCustomersAndVendorsJobs(t *testing.T) {
	srv := startEmulator(t, sandbox.Options{})
	t.Setenv("INFLOW_RATE_PER_MINUTE", "100000")
	// An existing customer with two addresses: the import updates the one
	// that is the default and keeps the other.
	const cust, billing, other = "20000000-0000-4000-8000-000000000001", "20000000-0000-4000-8000-000000000002", "20000000-0000-4000-8000-000000000003"
	if err := srv.Put("customers", map[string]any{
		"customerId": cust, "name": "Pinecrest Outfitters", "remarks": "since 2019",
		"addresses": []any{
			map[string]any{"customerAddressId": billing, "name": "Store", "address": map[string]any{"address1": "1 Old Rd", "city": "Flagstaff", "state": "AZ", "country": "United States"}},
			map[string]any{"customerAddressId": other, "name": "Warehouse", "address": map[string]any{"address1": "9 Dock St", "city": "Flagstaff"}},
		},
		"defaultBillingAddressId": billing, "defaultShippingAddressId": other,
	}); err != nil {
		t.Fatal(err)
	}
	jobs := filepath.Join(repoRoot(t), "jobs")
	res, _, err := runJob(t, filepath.Join(jobs, "onboard-customers.yaml"), runOpts{})
	if err != nil {
		t.Fatal(err)
	}
	distributor := 0
	for _, r := range readCSV(t, filepath.Join(repoRoot(t), "samples", "customers.csv")) {
		if r["Pricing Scheme"] == "Distributor" && r["Name"] != "" && strings.Contains(r["Email"], "@") {
			distributor++
		}
	}
	if res.Count(pipeline.Created) != int64(50-2-distributor-1) || res.Count(pipeline.Updated) != 1 || res.Count(pipeline.Rejected) != int64(2+distributor) {
		t.Errorf("customers: %v (%d Distributor rows)", res.CountsByName(), distributor)
	}
	for _, p := range res.Problems {
		if p.Field == "pricing_scheme" && !strings.Contains(p.Message, `no pricing scheme named "Distributor" in inFlow`) {
			t.Errorf("problem: %s", p.Error())
		}
	}
	c, _ := srv.Entity("customers", cust)
	addrs := lines(c["addresses"])
	if len(addrs) != 2 || c["remarks"] != "since 2019" || c["defaultShippingAddressId"] != other {
		t.Fatalf("customer: %v", c)
	}
	for _, a := range addrs {
		addr := a["address"].(map[string]any)
		switch a["customerAddressId"] {
		case billing:
			if addr["address1"] != "1898 Mill St" || addr["postalCode"] != "86001" || a["name"] != "Store" {
				t.Errorf("billing address %v", a)
			}
		case other:
			if addr["address1"] != "9 Dock St" {
				t.Errorf("other address changed: %v", a)
			}
		default:
			t.Errorf("address GUID not kept: %v", a)
		}
	}
	if c["pricingSchemeId"] != retailPrice {
		t.Errorf("pricing scheme %v", c["pricingSchemeId"])
	}
	// A new customer gets its address as default billing and shipping.
	for _, cu := range srv.All("customers") {
		if cu["name"] == "Ridgeline Mountain Shop" {
			a := lines(cu["addresses"])
			if len(a) != 1 || cu["defaultBillingAddressId"] != a[0]["customerAddressId"] || cu["defaultShippingAddressId"] != a[0]["customerAddressId"] ||
				cu["pricingSchemeId"] != wholesale || cu["contactName"] != "Diego Haddad" {
				t.Errorf("new customer %v", cu)
			}
		}
	}

	res, _, err = runJob(t, filepath.Join(jobs, "onboard-vendors.yaml"), runOpts{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Count(pipeline.Created) != 18 || res.Count(pipeline.Rejected) != 2 {
		t.Errorf("vendors: %v %v", res.CountsByName(), res.Problems)
	}
	for _, v := range srv.All("vendors") {
		if v["name"] == "Northwind Textiles" && (v["leadTimeDays"] != int64(75) && fmt.Sprint(v["leadTimeDays"]) != "75" || v["website"] != "https://www.northwindtextiles.example") {
			t.Errorf("vendor %v", v)
		}
	}

	// Both again: nothing to write.
	srv.ResetStats()
	for _, j := range []string{"onboard-customers.yaml", "onboard-vendors.yaml"} {
		res, _, err := runJob(t, filepath.Join(jobs, j), runOpts{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Count(pipeline.Created)+res.Count(pipeline.Updated) != 0 {
			t.Errorf("%s re-run: %v", j, res.CountsByName())
		}
	}
	for route := range srv.Stats().ByRoute {
		if strings.HasPrefix(route, "PUT") {
			t.Errorf("re-run sent %s", route)
		}
	}
}

func TestProductJobsRunAgainstTheEmbeddedEmulator(t *testing.T) {
	t.Setenv("INFLOW_API_KEY", "")
	t.Setenv("INFLOW_COMPANY_ID", "")
	t.Setenv("INFLOW_BASE_URL", "")
	t.Setenv("INFLOW_RATE_PER_MINUTE", "")
	for _, name := range []string{"onboard-products-xlsx.yaml", "onboard-products-csv.yaml"} {
		res, rep, err := runJob(t, filepath.Join(repoRoot(t), "jobs", name), runOpts{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if res.Count(pipeline.Created) != 290 || res.Count(pipeline.Rejected) != 10 {
			t.Errorf("%s: %v", name, res.CountsByName())
		}
		if rep.RatePerMinute != inflow.DefaultSandboxRatePerMinute || !strings.Contains(strings.Join(rep.Notes, "\n"), "embedded inFlow emulator") {
			t.Errorf("%s: report %+v", name, rep)
		}
	}
}

func TestSerialsAndAddMode(t *testing.T) {
	srv := startEmulator(t, sandbox.Options{})
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "serial.csv")
	mapping := "mapping:\n  sku: SKU\n  name: Name\n  track_serials: {from: Serialised, type: bool}\n  serials: Serials\n  quantity: {from: Qty, type: integer}\n  location: Location\n  sublocation: Bin\n"
	path := job(t, csvPath, mapping, "entity: products\nsandbox: never\nrate_per_minute: 100000\n")
	writeFile(t, csvPath, "SKU,Name,Serialised,Serials,Qty,Location,Bin\nCAM-1,Trail camera,yes,\"SN-1, SN-2, SN-3\",,Main Warehouse,A1\nBOX-1,Box,no,,4,Showroom,\n")
	res, _, err := runJob(t, path, runOpts{})
	if err != nil || res.Count(pipeline.Created) != 2 {
		t.Fatalf("%v %v %v", err, res.CountsByName(), res.Problems)
	}
	serialsAt := func() []string {
		c := testClient(t, srv)
		for _, p := range srv.All("products") {
			if p["sku"] == "CAM-1" {
				got, err := c.Products().Get(context.Background(), str(p["productId"]), nil)
				if err != nil {
					t.Fatal(err)
				}
				full, err := c.Products().Get(context.Background(), got.ProductID, &getInventory)
				if err != nil {
					t.Fatal(err)
				}
				var out []string
				for _, l := range full.InventoryLines {
					if l.QuantityOnHand != nil && l.QuantityOnHand.IsPositive() {
						out = append(out, deref(l.Serial)+"@"+deref(l.Sublocation))
					}
				}
				sort.Strings(out)
				return out
			}
		}
		return nil
	}
	if got := strings.Join(serialsAt(), " "); got != "SN-1@A1 SN-2@A1 SN-3@A1" {
		t.Errorf("serials %s", got)
	}
	// Set mode: the sheet's serials are what is on hand; SN-3 left, SN-4 came.
	writeFile(t, csvPath, "SKU,Name,Serialised,Serials,Qty,Location,Bin\nCAM-1,Trail camera,yes,\"SN-1,SN-2,SN-4\",3,Main Warehouse,B2\nBOX-1,Box,no,,4,Showroom,\n")
	res, _, err = runJob(t, path, runOpts{})
	if err != nil || res.Count(pipeline.Updated) != 1 || res.Count(pipeline.Unchanged) != 1 {
		t.Fatalf("%v %v %v", err, res.CountsByName(), res.Problems)
	}
	if got := strings.Join(serialsAt(), " "); got != "SN-1@A1 SN-2@A1 SN-4@B2" {
		t.Errorf("serials %s", got)
	}
	// A serialised product without serials, and serials on a plain one.
	writeFile(t, csvPath, "SKU,Name,Serialised,Serials,Qty,Location,Bin\nCAM-2,Camera two,yes,,2,Main Warehouse,\nBOX-2,Box two,no,SN-9,1,Showroom,\n")
	res, _, _ = runJob(t, path, runOpts{})
	if res.Count(pipeline.Rejected) != 2 || !strings.Contains(res.Problems[0].Message, "list them in serials") ||
		!strings.Contains(res.Problems[1].Message, "does not track serials") {
		t.Errorf("%v %v", res.CountsByName(), res.Problems)
	}

	// Add mode adds the sheet's quantity to what is on hand, each run.
	addPath := job(t, csvPath, "mapping:\n  sku: SKU\n  name: Name\n  quantity: {from: Qty, type: integer}\n  location: Location\n",
		"entity: products\nsandbox: never\nrate_per_minute: 100000\nstock:\n  mode: add\n")
	writeFile(t, csvPath, "SKU,Name,Qty,Location\nBOX-1,Box,5,Showroom\n")
	for range 2 {
		if res, _, err := runJob(t, addPath, runOpts{}); err != nil || res.Count(pipeline.Updated) != 1 {
			t.Fatalf("%v %v", err, res.CountsByName())
		}
	}
	for _, p := range srv.All("products") {
		if p["sku"] == "BOX-1" {
			sum, err := testClient(t, srv).ProductSummary(context.Background(), str(p["productId"]), "")
			if err != nil {
				t.Fatal(err)
			}
			if sum.QuantityOnHand.String() != "14" {
				t.Errorf("on hand %v, want 4+5+5", sum.QuantityOnHand)
			}
		}
	}
}

func TestInterruptedRunResumesWithoutDuplicates(t *testing.T) {
	path := job(t, filepath.Join(repoRoot(t), "samples", "catalog.csv"), catalogMapping, catalogSink)

	clean := startEmulator(t, sandbox.Options{RatePerMinute: 6000})
	seedCatalogProducts(t, clean)
	cleanRes, _, err := runJob(t, path, runOpts{})
	if err != nil {
		t.Fatal(err)
	}
	want := snapshot(t, clean)

	srv := startEmulator(t, sandbox.Options{RatePerMinute: 6000})
	seedCatalogProducts(t, srv)
	j, err := journal.Open(filepath.Join(t.TempDir(), "journal.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	ctx := context.Background()
	run, err := j.StartRun(ctx, "test", path, "fp", false)
	if err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithCancel(ctx)
	var stopped atomic.Bool
	go func() {
		for !stopped.Load() {
			if srv.Stats().ByRoute["PUT /products"] >= 120 {
				cancel()
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	_, _, err = runJob(t, path, runOpts{ctx: cctx, env: func(e *pipeline.Env) { e.Journal = run }})
	stopped.Store(true)
	cancel()
	if err == nil {
		t.Fatal("the interrupted run succeeded")
	}
	first := srv.Stats().ByRoute["PUT /products"]
	entries, _ := run.Entries(ctx, "products")
	confirmed := 0
	for _, e := range entries {
		if e.Confirmed {
			confirmed++
		}
	}
	t.Logf("interrupted after %d product writes; journal: %d entries, %d confirmed", first, len(entries), confirmed)
	if first < 120 || first >= 289 || confirmed == 0 {
		t.Fatalf("interrupted at %d writes", first)
	}
	if reqs, err := j.Requests(ctx, run.ID(), 0); err != nil || len(reqs) < first {
		t.Errorf("journal logged %d requests (%v), at least %d were made", len(reqs), err, first)
	}

	resumed, err := j.Resume(ctx, run.ID(), "fp")
	if err != nil {
		t.Fatal(err)
	}
	res, _, err := runJob(t, path, runOpts{env: func(e *pipeline.Env) { e.Journal = resumed; e.Resume = true }})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(res.CountsByName()) != fmt.Sprint(cleanRes.CountsByName()) {
		t.Errorf("resumed run %v, clean run %v", res.CountsByName(), cleanRes.CountsByName())
	}
	total := srv.Stats().ByRoute["PUT /products"]
	if total > 289+DefaultConcurrency {
		t.Errorf("%d product writes in both runs; a clean run needs 289", total)
	}
	got := snapshot(t, srv)
	if len(got) != len(want) {
		t.Errorf("%d products after resume, %d after a clean run", len(got), len(want))
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s:\n got  %+v\n want %+v", k, got[k], w)
		}
	}
}

var getInventory = inflow.GetOptions{Include: []string{"inventoryLines"}}

// BenchmarkOnboard measures the sink's own cost per row (emulator over
// loopback, no rate limit): a first import of 1000 products with stock,
// then the unchanged re-run. bench/onboard.sh gives the request figures.
func BenchmarkOnboard(b *testing.B) {
	csvPath := genCatalog(b, 1000)
	for _, rerun := range []bool{false, true} {
		name := "create"
		if rerun {
			name = "unchanged"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				srv := startEmulator(b, sandbox.Options{})
				path := job(b, csvPath, genMapping, "entity: products\nsandbox: never\nrate_per_minute: 10000000\nconcurrency: 8\n")
				if rerun {
					if _, _, err := runJob(b, path, runOpts{}); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				res, _, err := runJob(b, path, runOpts{})
				if err != nil || res.Count(pipeline.Rejected) != 0 {
					b.Fatal(err, res.Problems)
				}
				b.StopTimer()
				srv.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1000, "ns/row")
		})
	}
}
