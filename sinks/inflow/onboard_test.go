package inflowsink

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/inflow"
	"github.com/etl-dev/etl/inflow/sandbox"
	"github.com/etl-dev/etl/pipeline"
)

const (
	mainWarehouse = "52d36c9c-983b-481d-9648-681fc1dcc823"
	retailPrice   = "c66d6ac6-36e3-47e3-b68c-cf1f9b0344df"
	wholesale     = "5d439518-fc60-42e8-9acb-40526b5fe278"
	tshirts       = "852ff7ed-bea7-42f5-8820-bb41f9f3f75d"
	northwind     = "c869a4f8-316d-45d1-948d-dd6b4cf3923b"
)

// Fixed GUIDs of the products seeded before the import.
const (
	seedSame    = "00000000-0000-4000-8000-000000000001" // row 2, identical
	seedChanged = "00000000-0000-4000-8000-000000000002" // row 3, other price and description
	seedByName  = "00000000-0000-4000-8000-000000000003" // row 4, no SKU yet
	priceLineID = "00000000-0000-4000-8000-0000000000a1"
	wsLineID    = "00000000-0000-4000-8000-0000000000a2"
	barcodeID   = "00000000-0000-4000-8000-0000000000a3"
	vendorLine  = "00000000-0000-4000-8000-0000000000a4"
)

const catalogSink = `
entity: products
sandbox: never
rate_per_minute: 6000
stock:
  adjustment_reason: Opening balance
`

// seedCatalogProducts puts three of the catalog's products into the
// emulator before the import: one as the sheet has it (with its stock and
// cost), one with another price, description and cost and children the
// mapping does not own, and one without its SKU.
func seedCatalogProducts(t testing.TB, srv *sandbox.Server) {
	t.Helper()
	must := func(kind string, obj map[string]any) {
		if err := srv.Put(kind, obj); err != nil {
			t.Fatal(err)
		}
	}
	must("products", map[string]any{
		"productId": seedSame, "name": "Trailhead Cotton Tee - Black, S", "sku": "TEE-TRL-BLK-S",
		"description": "Soft organic cotton tee with a relaxed fit.", "categoryId": tshirts, "itemType": "StockedProduct", "isActive": true,
		"prices":          []any{map[string]any{"productPriceId": "00000000-0000-4000-8000-0000000000b1", "pricingSchemeId": retailPrice, "priceType": "FixedPrice", "unitPrice": "24.99"}},
		"productBarcodes": []any{map[string]any{"productBarcodeId": "00000000-0000-4000-8000-0000000000b2", "barcode": "0614141100019", "lineNum": 1}},
	})
	must("stock-adjustments", map[string]any{"stockAdjustmentId": "00000000-0000-4000-8000-0000000000b3", "locationId": mainWarehouse,
		"lines": []any{map[string]any{"stockAdjustmentLineId": "00000000-0000-4000-8000-0000000000b4", "productId": seedSame, "quantity": map[string]any{"standardQuantity": "51"}}}})
	must("product-cost-adjustments", map[string]any{"productCostAdjustmentId": "00000000-0000-4000-8000-0000000000b5", "productId": seedSame, "unitCost": "13.87"})

	must("products", map[string]any{
		"productId": seedChanged, "name": "Trailhead Cotton Tee - Black, M", "sku": "TEE-TRL-BLK-M",
		"description": "Old description", "categoryId": tshirts, "itemType": "StockedProduct", "isActive": true, "remarks": "keep me",
		"prices": []any{
			map[string]any{"productPriceId": priceLineID, "pricingSchemeId": retailPrice, "priceType": "FixedPrice", "unitPrice": "19.99"},
			map[string]any{"productPriceId": wsLineID, "pricingSchemeId": wholesale, "priceType": "FixedPrice", "unitPrice": "12.00"},
		},
		"productBarcodes": []any{map[string]any{"productBarcodeId": barcodeID, "barcode": "0614141100026", "lineNum": 1}},
		"vendorItems":     []any{map[string]any{"vendorItemId": vendorLine, "vendorId": northwind, "vendorItemCode": "NW-1", "cost": "5.00", "lineNum": 1}},
	})
	must("product-cost-adjustments", map[string]any{"productCostAdjustmentId": "00000000-0000-4000-8000-0000000000b6", "productId": seedChanged, "unitCost": "10.00"})

	must("products", map[string]any{
		"productId": seedByName, "name": "Trailhead Cotton Tee - Black, L", "itemType": "StockedProduct",
		"description": "Soft organic cotton tee with a relaxed fit.", "categoryId": tshirts, "isActive": true,
	})
}

// testClient is a client of the emulator for checks, outside the limits.
func testClient(t testing.TB, srv *sandbox.Server) *inflow.Client {
	t.Helper()
	c, err := inflow.New(inflow.Config{BaseURL: srv.URL(), CompanyID: srv.CompanyID(), APIKey: srv.APIKey(), RatePerMinute: 1_000_000})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// productState is what a product looks like, without GUIDs that differ
// between runs: for comparing runs and checking against the sheet.
type productState struct {
	Name, SKU, Description, Category, Price, Barcode, OnHand, Cost string
	Active                                                         bool
	Location                                                       string
}

// snapshot reads every product of the emulator by SKU (or name).
func snapshot(t testing.TB, srv *sandbox.Server) map[string]productState {
	t.Helper()
	ctx := context.Background()
	c := testClient(t, srv)
	prods, err := c.Products().All(ctx, &inflow.ListOptions{Include: []string{"prices", "productBarcodes", "cost", "inventoryLines", "category"}})
	if err != nil {
		t.Fatal(err)
	}
	locNames := map[string]string{}
	for _, l := range srv.All("locations") {
		locNames[fmt.Sprint(l["locationId"])] = fmt.Sprint(l["name"])
	}
	out := map[string]productState{}
	names, skus := map[string]bool{}, map[string]bool{}
	for _, p := range prods {
		st := productState{Name: deref(p.Name), SKU: deref(p.Sku), Description: deref(p.Description), Active: derefBool(p.IsActive)}
		if names[strings.ToLower(st.Name)] || st.SKU != "" && skus[strings.ToLower(st.SKU)] {
			t.Errorf("duplicate product %q / %q", st.Name, st.SKU)
		}
		names[strings.ToLower(st.Name)], skus[strings.ToLower(st.SKU)] = true, true
		if p.Category != nil {
			st.Category = deref(p.Category.Name)
		}
		for _, pr := range p.Prices {
			if deref(pr.PricingSchemeID) == retailPrice && pr.UnitPrice != nil {
				st.Price = pr.UnitPrice.String()
			}
		}
		if len(p.ProductBarcodes) > 0 {
			st.Barcode = deref(p.ProductBarcodes[0].Barcode)
		}
		if p.Cost != nil && p.Cost.Cost != nil {
			st.Cost = p.Cost.Cost.String()
		}
		total := decimal.Zero
		var locs []string
		for _, l := range p.InventoryLines {
			if l.QuantityOnHand != nil && !l.QuantityOnHand.IsZero() {
				total = total.Add(l.QuantityOnHand.Decimal)
				locs = append(locs, locNames[deref(l.LocationID)])
			}
		}
		st.OnHand = total.String()
		sort.Strings(locs)
		st.Location = strings.Join(locs, ",")
		key := st.SKU
		if key == "" {
			key = "name:" + st.Name
		}
		out[key] = st
	}
	return out
}

// expectedCatalog is the state the good rows of samples/catalog.csv ask
// for, by SKU.
func expectedCatalog(t testing.TB) map[string]productState {
	t.Helper()
	out := map[string]productState{}
	for _, r := range readCSV(t, filepath.Join(repoRoot(t), "samples", "catalog.csv")) {
		var row int
		fmt.Sscan(r["_row"], &row)
		if badCatalogRows[row] {
			continue
		}
		price := decimal.RequireFromString(strings.Trim(r["Price"], "$€£ "))
		cost := decimal.RequireFromString(r["Cost"])
		st := productState{
			Name: r["Name"], SKU: strings.ToUpper(r["SKU"]), Description: r["Description"],
			Category: r["Category"][strings.LastIndex(r["Category"], ">")+1:], Price: price.String(), Barcode: r["Barcode"],
			OnHand: decimal.RequireFromString(r["Quantity"]).String(), Cost: cost.Round(4).String(), Active: r["Active"] == "Yes",
		}
		st.Category = strings.TrimSpace(st.Category)
		if st.OnHand != "0" {
			st.Location = r["Location"]
		}
		out[st.SKU] = st
	}
	return out
}

func TestOnboardCatalogIntoACompanyThatHasSomeOfIt(t *testing.T) {
	srv := startEmulator(t, sandbox.Options{RatePerMinute: 6000})
	seedCatalogProducts(t, srv)
	path := job(t, filepath.Join(repoRoot(t), "samples", "catalog.csv"), catalogMapping, catalogSink)

	res, rep, err := runJob(t, path, runOpts{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"created": 287, "updated": 2, "unchanged": 1, "rejected": 10, "skipped": 0, "written": 0}
	for k, v := range want {
		if res.CountsByName()[k] != v {
			t.Errorf("%s = %d, want %d (all: %v)", k, res.CountsByName()[k], v, res.CountsByName())
		}
	}
	st := srv.Stats().ByRoute
	if st["PUT /products"] != 289 {
		t.Errorf("PUT /products = %d, want 289 (one per created or changed product)", st["PUT /products"])
	}
	if rep.Requests.Writes != st["PUT /products"]+st["PUT /stock-adjustments"]+st["PUT /product-cost-adjustments"] {
		t.Errorf("report writes %d, emulator %v", rep.Requests.Writes, st)
	}

	// Every product as the sheet says, and no duplicates (snapshot checks).
	got := snapshot(t, srv)
	for sku, w := range expectedCatalog(t) {
		if g := got[sku]; g != w {
			t.Errorf("%s:\n got  %+v\n want %+v", sku, g, w)
		}
	}
	if len(got) != 12+290 {
		t.Errorf("%d products in the emulator, want %d", len(got), 12+290)
	}

	// The changed product kept its GUIDs, its child GUIDs, its unmapped
	// wholesale price, vendor item and remarks.
	p, _ := srv.Entity("products", seedChanged)
	if p["remarks"] != "keep me" || p["description"] != "Soft organic cotton tee with a relaxed fit." {
		t.Errorf("changed product: %v", p)
	}
	prices := lines(p["prices"])
	if len(prices) != 2 {
		t.Fatalf("prices %v", prices)
	}
	for _, l := range prices {
		switch str(l["productPriceId"]) {
		case priceLineID:
			if d, _ := dec(l["unitPrice"]); !d.Equal(decimal.RequireFromString("24.99")) {
				t.Errorf("retail price %v", l)
			}
		case wsLineID:
			if d, _ := dec(l["unitPrice"]); !d.Equal(decimal.RequireFromString("12")) {
				t.Errorf("wholesale price changed: %v", l)
			}
		default:
			t.Errorf("price line GUID not kept: %v", l)
		}
	}
	if b := lines(p["productBarcodes"]); len(b) != 1 || b[0]["productBarcodeId"] != barcodeID {
		t.Errorf("barcodes %v", b)
	}
	if v := lines(p["vendorItems"]); len(v) != 1 || v[0]["vendorItemId"] != vendorLine || v[0]["vendorItemCode"] != "NW-1" {
		t.Errorf("vendor items %v", v)
	}
	byName, _ := srv.Entity("products", seedByName)
	if byName["sku"] != "TEE-TRL-BLK-L" {
		t.Errorf("product matched by name: sku %v", byName["sku"])
	}
	same, _ := srv.Entity("products", seedSame)
	if same["timestamp"] == nil {
		t.Error("no timestamp")
	}

	// Opening stock went in a few adjustments of many lines.
	if n := st["PUT /stock-adjustments"]; n != 2 {
		t.Errorf("PUT /stock-adjustments = %d, want 2 (one per location, 250 lines at most)", n)
	}
	if n := st["PUT /product-cost-adjustments"]; n != 289 {
		t.Errorf("PUT /product-cost-adjustments = %d, want 289 (new products and the two with another cost)", n)
	}

	// Run again: nothing changed, so only reads, and exactly the planned ones.
	srv.ResetStats()
	res, rep, err = runJob(t, path, runOpts{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Count(pipeline.Unchanged) != 290 || res.Count(pipeline.Rejected) != 10 {
		t.Errorf("re-run: %v", res.CountsByName())
	}
	again := srv.Stats().ByRoute
	wantReads := map[string]int{
		"GET /categories": 1, "GET /locations": 1, "GET /pricing-schemes": 1, "GET /adjustment-reasons": 1,
		"GET /products": 4, // 302 products with their stock, 100 a page
	}
	if fmt.Sprint(again) != fmt.Sprint(wantReads) {
		t.Errorf("re-run requests %v, want %v", again, wantReads)
	}
	if rep.Requests.Writes != 0 || rep.Requests.Reads != 8 {
		t.Errorf("re-run report %+v", rep.Requests)
	}
}

func TestDryRunPlansWhatTheRunThenDoes(t *testing.T) {
	srv := startEmulator(t, sandbox.Options{RatePerMinute: 6000})
	seedCatalogProducts(t, srv)
	path := job(t, filepath.Join(repoRoot(t), "samples", "catalog.csv"), catalogMapping, catalogSink)
	before := snapshot(t, srv)
	srv.ResetStats()

	res, rep, err := runJob(t, path, runOpts{dry: true})
	if err != nil {
		t.Fatal(err)
	}
	if !res.DryRun || rep == nil || rep.Plan == nil {
		t.Fatalf("no plan: %+v", rep)
	}
	for route := range srv.Stats().ByRoute {
		if !strings.HasPrefix(route, "GET ") && route != "POST /products/summary" {
			t.Errorf("dry run sent %s", route)
		}
	}
	dryReads := srv.Stats().Total
	if after := snapshot(t, srv); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Error("dry run changed the emulator")
	}
	plan := rep.Plan
	if plan.Creates != 287 || plan.Updates != 2 || plan.Unchanged != 1 {
		t.Errorf("plan %d/%d/%d", plan.Creates, plan.Updates, plan.Unchanged)
	}
	var changed *pipeline.Change
	for i, c := range plan.Changes {
		if c.Origin.Row == 3 {
			changed = &plan.Changes[i]
		}
	}
	if changed == nil || changed.Action != "update" {
		t.Fatalf("no update of row 3 in %d changes", len(plan.Changes))
	}
	fields := map[string]pipeline.FieldChange{}
	for _, f := range changed.Fields {
		fields[f.Field] = f
	}
	if f := fields["price"]; f.Old != "19.99" || f.New != "24.99" {
		t.Errorf("price change %+v", f)
	}
	if f := fields["description"]; f.Old != "Old description" {
		t.Errorf("description change %+v", f)
	}
	if f := fields["cost"]; f.Old != "10.0000" || f.New != "11.4000" { // the mapping's scale 4
		t.Errorf("cost change %+v", f)
	}
	if f := fields["quantity (Main Warehouse)"]; f.Old != "0" || f.New != "237" {
		t.Errorf("stock change %+v (all %+v)", f, changed.Fields)
	}
	if len(plan.Changes) != 289 {
		t.Errorf("%d changes, want 289", len(plan.Changes))
	}

	srv.ResetStats()
	res2, rep2, err := runJob(t, path, runOpts{})
	if err != nil {
		t.Fatal(err)
	}
	if res2.Count(pipeline.Created) != int64(plan.Creates) || res2.Count(pipeline.Updated) != int64(plan.Updates) || res2.Count(pipeline.Unchanged) != int64(plan.Unchanged) {
		t.Errorf("run %v, plan %+v", res2.CountsByName(), plan)
	}
	st := srv.Stats()
	puts := st.ByRoute["PUT /products"] + st.ByRoute["PUT /stock-adjustments"] + st.ByRoute["PUT /product-cost-adjustments"]
	if puts != plan.Writes || st.Total-puts != plan.Reads || plan.Reads != dryReads {
		t.Errorf("run made %d writes and %d reads; plan said %d and %d (dry run read %d)", puts, st.Total-puts, plan.Writes, plan.Reads, dryReads)
	}
	if rep2.Plan != nil {
		t.Error("a real run reports a plan")
	}
	if want := plan.Reads + plan.Writes; plan.Duration.Seconds() < float64(want)*60/6000*0.99 {
		t.Errorf("duration %v for %d requests at 6000/min", plan.Duration, want)
	}
}

func TestFaultsLeaveTheSameFinalState(t *testing.T) {
	fastRetries(t)
	path := job(t, filepath.Join(repoRoot(t), "samples", "catalog.csv"), catalogMapping, catalogSink)

	clean := startEmulator(t, sandbox.Options{RatePerMinute: 6000})
	seedCatalogProducts(t, clean)
	if _, _, err := runJob(t, path, runOpts{}); err != nil {
		t.Fatal(err)
	}
	want := snapshot(t, clean)

	faulty := startEmulator(t, sandbox.Options{RatePerMinute: 6000, Faults: sandbox.Faults{
		ErrorRate: 0.05, DropRate: 0.03, TooManyRate: 0.03, LostReplyRate: 0.03, RetryAfter: "0",
		Rand: rand.New(rand.NewPCG(4, 2)),
	}})
	seedCatalogProducts(t, faulty)
	res, rep, err := runJob(t, path, runOpts{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Count(pipeline.Created) != 287 || res.Count(pipeline.Updated) != 2 || res.Count(pipeline.Unchanged) != 1 {
		t.Errorf("counts %v", res.CountsByName())
	}
	st := faulty.Stats()
	if st.Faulted == 0 || st.TooMany == 0 {
		t.Fatalf("no faults injected: %+v", st)
	}
	if rep.Requests.Retries == 0 || rep.Requests.TooMany != st.TooMany {
		t.Errorf("report %+v; emulator faulted %d, 429 %d", rep.Requests, st.Faulted, st.TooMany)
	}
	t.Logf("faults: %d faulted, %d 429s; the report counts %d retries", st.Faulted, st.TooMany, rep.Requests.Retries)
	got := snapshot(t, faulty)
	if len(got) != len(want) {
		t.Errorf("%d products, want %d", len(got), len(want))
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s:\n got  %+v\n want %+v", k, got[k], w)
		}
	}
}

func TestReadsFollowTheCheaperPlan(t *testing.T) {
	srv := startEmulator(t, sandbox.Options{})
	for i := range 1000 {
		if err := srv.Put("products", map[string]any{"productId": fmt.Sprintf("10000000-0000-4000-8000-%012d", i),
			"name": fmt.Sprintf("Filler %04d", i), "sku": fmt.Sprintf("FILL-%04d", i), "itemType": "StockedProduct"}); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "few.csv")
	writeFile(t, csvPath, "SKU,Name,Price\nFILL-0999,Filler 0999,9.50\nNEW-1,Brand new,3\n")
	mapping := "mapping:\n  sku: SKU\n  name: Name\n  price: {from: Price, type: decimal}\n"
	path := job(t, csvPath, mapping, "entity: products\nsandbox: never\nrate_per_minute: 100000\n")
	res, _, err := runJob(t, path, runOpts{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Count(pipeline.Updated) != 1 || res.Count(pipeline.Created) != 1 {
		t.Fatalf("counts %v", res.CountsByName())
	}
	gets := srv.Stats().ByRoute["GET /products"]
	// One page (which tells the 1000), then the keys: FILL-0999 by SKU
	// (found), NEW-1 by SKU and by name: 4, not the 10 pages of the index.
	if gets != 4 {
		t.Errorf("GET /products = %d, want 4", gets)
	}
	p, _ := srv.Entity("products", "10000000-0000-4000-8000-000000000999")
	if len(lines(p["prices"])) != 1 {
		t.Errorf("FILL-0999 not updated: %v", p)
	}

	// With many rows the full listing is cheaper.
	var b strings.Builder
	b.WriteString("SKU,Name,Price\n")
	for i := 500; i < 540; i++ {
		fmt.Fprintf(&b, "FILL-%04d,Filler %04d,1\n", i, i)
	}
	writeFile(t, csvPath, b.String())
	srv.ResetStats()
	if _, _, err := runJob(t, path, runOpts{}); err != nil {
		t.Fatal(err)
	}
	if gets := srv.Stats().ByRoute["GET /products"]; gets != 11 {
		t.Errorf("GET /products = %d, want 11 (the listing of 1013 products)", gets)
	}
}

func TestRowProblems(t *testing.T) {
	srv := startEmulator(t, sandbox.Options{})
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "bad.csv")
	writeFile(t, csvPath, `SKU,Name,Category,Price,Quantity,Location
A-1,Alpha,Clothing > Tshirt,5,1,Main Warehouse
A-2,Beta,Clothing > Tshirts,5,2,Main Warehouse
A-2,Gamma,Clothing > Tshirts,5,3,Main Warehouse
A-3,Delta,Clothing > Tshirts,5,4,Backroom
TS-CRW-BLK-M,Classic Crew Tee - White - M,Clothing > Tshirts,5,,
A-5,Epsilon,Tshirts,5,7,Showroom
`)
	mapping := "mapping:\n  sku: SKU\n  name: Name\n  category: Category\n  price: {from: Price, type: decimal}\n  quantity: {from: Quantity, type: integer}\n  location: Location\n"
	path := job(t, csvPath, mapping, "entity: products\nsandbox: never\nrate_per_minute: 100000\n")
	res, _, err := runJob(t, path, runOpts{})
	if err != nil {
		t.Fatal(err)
	}
	byRow := map[int]string{}
	for _, p := range res.Problems {
		byRow[p.Origin.Row] = p.Field + ": " + p.Message
	}
	for row, want := range map[int][]string{
		2: {"category", `no category named "Clothing > Tshirt"`, `closest: "Clothing > Tshirts"`, "cannot create a category"},
		4: {"sku", "same SKU as row 3"},
		5: {"location", `no location named "Backroom"`, "cannot create a location"},
		6: {"name", `name "Classic Crew Tee - White - M" belongs to another product in inFlow (SKU "TS-CRW-WHT-M"`, `matched by SKU (SKU "TS-CRW-BLK-M"`},
	} {
		for _, w := range want {
			if !strings.Contains(byRow[row], w) {
				t.Errorf("row %d: %q lacks %q", row, byRow[row], w)
			}
		}
	}
	if res.Count(pipeline.Created) != 2 || res.Count(pipeline.Rejected) != 4 {
		t.Errorf("counts %v; problems %v", res.CountsByName(), byRow)
	}
	// A unique leaf name resolves; stock went to the named locations.
	ctx := context.Background()
	c := testClient(t, srv)
	for _, p := range srv.All("products") {
		switch p["sku"] {
		case "A-2", "A-5":
			if p["categoryId"] != tshirts {
				t.Errorf("%v: category %v", p["sku"], p["categoryId"])
			}
			sum, err := c.ProductSummary(ctx, str(p["productId"]), "")
			if err != nil {
				t.Fatal(err)
			}
			want := map[any]string{"A-2": "2", "A-5": "7"}[p["sku"]]
			if sum.QuantityOnHand.String() != want {
				t.Errorf("%v on hand %v, want %s", p["sku"], sum.QuantityOnHand, want)
			}
		}
	}
}

func TestOpenChecksFieldsAndSettings(t *testing.T) {
	startEmulator(t, sandbox.Options{})
	ctx := context.Background()
	schema := pipeline.Schema{{Name: "sku", Type: pipeline.TypeString}, {Name: "descripton", Type: pipeline.TypeString}, {Name: "price", Type: pipeline.TypeBool}}
	cfg := &Config{Entity: "products", Sandbox: "never", RatePerMinute: 100000}
	_, err := cfg.Open(ctx, pipeline.Env{}, schema)
	if err == nil || !strings.Contains(err.Error(), `"descripton" is not a product field (did you mean "description"?)`) ||
		!strings.Contains(err.Error(), `field "price": is mapped as bool`) {
		t.Errorf("Open: %v", err)
	}
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Entity: "product"}, `entity "product" is not one of products, customers, vendors, sales-orders, purchase-orders, stock-adjustments, stock-transfers (did you mean "products"?)`},
		{Config{Entity: "products", Match: []string{"skus"}}, `match "skus": products are matched by sku, name, barcode or custom:customN (did you mean "sku"?)`},
		{Config{Entity: "products", Stock: StockConfig{Mode: "replace"}}, `stock.mode "replace" is not one of set, add, off`},
		{Config{Entity: "products", Mode: "upsrt"}, `mode "upsrt" is not one of upsert, insert, update (did you mean "upsert"?)`},
		{Config{Entity: "customers", Match: []string{"custom:custom11"}}, "custom keys are custom:custom1"},
	} {
		if _, err := tc.cfg.check(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.cfg, err, tc.want)
		}
	}
	// A price field whose scheme inFlow lacks rejects the rows that give
	// it a value, with the schemes there are; the others go on.
	in := csvFile(t, "SKU,Name,Wholesale,Staff\nSTAFF-A,Alpha,5,4\nSTAFF-B,Beta,6,\n")
	res, _, err := runJob(t, job(t, in, "mapping:\n  sku: SKU\n  name: Name\n  price_wholesale: {from: Wholesale, type: decimal}\n  price_staff: {from: Staff, type: decimal}\n",
		"entity: products\nsandbox: never\n"), runOpts{})
	if err != nil {
		t.Fatal(err)
	}
	if p := outcomesByRow(t, res)[2]; res.Count(pipeline.Created) != 1 || !strings.Contains(p, `no single pricing scheme is called "staff"`) || !strings.Contains(p, "price_wholesale_price (Wholesale Price)") {
		t.Errorf("price_staff: %v %q", res.CountsByName(), p)
	}
	schema = pipeline.Schema{{Name: "sku", Type: pipeline.TypeString}, {Name: "quantity", Type: pipeline.TypeInteger}}
	_, err = (&Config{Entity: "products", Sandbox: "never", RatePerMinute: 100000, Stock: StockConfig{AdjustmentReason: "Opening balanc"}}).Open(ctx, pipeline.Env{}, schema)
	if err == nil || !strings.Contains(err.Error(), `stock.adjustment_reason: no adjustment reason named "Opening balanc" in inFlow; closest: "Opening balance"`) {
		t.Errorf("reason: %v", err)
	}
	t.Setenv("INFLOW_API_KEY", "")
	if _, err := (&Config{Entity: "products", Sandbox: "never"}).Open(ctx, pipeline.Env{}, schema); err == nil || !strings.Contains(err.Error(), "INFLOW_API_KEY is not set") {
		t.Errorf("no key: %v", err)
	}
}

func writeFile(t testing.TB, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
