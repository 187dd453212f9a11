package inflowsink

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/etl-dev/etl/inflow/sandbox"
	"github.com/etl-dev/etl/pipeline"
)

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// A record changed by someone else between the sink's read and its write:
// the write fails on the stale timestamp, the sink reads the record again
// and merges, so the other change (a new price line, remarks) survives.
func TestConcurrentChangeIsMergedNotOverwritten(t *testing.T) {
	srv := startEmulator(t, sandbox.Options{})
	const id = "30000000-0000-4000-8000-000000000001"
	base := map[string]any{"productId": id, "name": "Lantern", "sku": "LAN-1", "itemType": "StockedProduct",
		"prices": []any{map[string]any{"productPriceId": "30000000-0000-4000-8000-0000000000a1", "pricingSchemeId": retailPrice, "priceType": "FixedPrice", "unitPrice": "10"}}}
	if err := srv.Put("products", base); err != nil {
		t.Fatal(err)
	}
	var meddled atomic.Bool
	withHTTPClient(t, &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Method == http.MethodPut && meddled.CompareAndSwap(false, true) {
			other := map[string]any{"productId": id, "remarks": "edited in inFlow meanwhile",
				"prices": []any{
					map[string]any{"productPriceId": "30000000-0000-4000-8000-0000000000a1", "pricingSchemeId": retailPrice, "priceType": "FixedPrice", "unitPrice": "10"},
					map[string]any{"productPriceId": "30000000-0000-4000-8000-0000000000a2", "pricingSchemeId": wholesale, "priceType": "FixedPrice", "unitPrice": "6"},
				}}
			if err := srv.Put("products", other); err != nil {
				t.Error(err)
			}
		}
		return http.DefaultTransport.RoundTrip(r)
	})})
	csvPath := filepath.Join(t.TempDir(), "p.csv")
	writeFile(t, csvPath, "SKU,Name,Price\nLAN-1,Lantern,12\n")
	path := job(t, csvPath, "mapping:\n  sku: SKU\n  name: Name\n  price: {from: Price, type: decimal}\n", "entity: products\nsandbox: never\nrate_per_minute: 100000\n")
	res, _, err := runJob(t, path, runOpts{})
	if err != nil || res.Count(pipeline.Updated) != 1 {
		t.Fatalf("%v %v %v", err, res.CountsByName(), res.Problems)
	}
	st := srv.Stats().ByRoute
	if st["PUT /products"] != 2 || st["GET /products/{productId}"] != 1 {
		t.Errorf("requests %v", st)
	}
	p, _ := srv.Entity("products", id)
	if p["remarks"] != "edited in inFlow meanwhile" {
		t.Errorf("remarks %v", p["remarks"])
	}
	got := map[string]string{}
	for _, l := range lines(p["prices"]) {
		got[str(l["productPriceId"])] = display(l["unitPrice"])
	}
	if got["30000000-0000-4000-8000-0000000000a1"] != "12" || got["30000000-0000-4000-8000-0000000000a2"] != "6" || len(got) != 2 {
		t.Errorf("prices %v", got)
	}
}

func TestInsertAndUpdateModes(t *testing.T) {
	startEmulator(t, sandbox.Options{})
	csvPath := filepath.Join(t.TempDir(), "p.csv")
	writeFile(t, csvPath, "SKU,Name,Price\nTS-CRW-BLK-M,Classic Crew Tee - Black - M,21\nNEW-9,Brand new nine,3\n")
	mapping := "mapping:\n  sku: SKU\n  name: Name\n  price: {from: Price, type: decimal}\n"
	res, _, err := runJob(t, job(t, csvPath, mapping, "entity: products\nmode: update\nsandbox: never\nrate_per_minute: 100000\n"), runOpts{})
	if err != nil || res.Count(pipeline.Updated) != 1 || res.Count(pipeline.Rejected) != 1 ||
		res.Problems[0].Message != `no product in inFlow has SKU "NEW-9" or name "Brand new nine" (mode update creates nothing)` {
		t.Errorf("update: %v %v %v", err, res.CountsByName(), res.Problems)
	}
	res, _, err = runJob(t, job(t, csvPath, mapping, "entity: products\nmode: insert\nsandbox: never\nrate_per_minute: 100000\n"), runOpts{})
	if err != nil || res.Count(pipeline.Created) != 1 || res.Count(pipeline.Skipped) != 1 {
		t.Errorf("insert: %v %v %v", err, res.CountsByName(), res.Problems)
	}
}

// When records come without their inventory lines (an API that ignores
// the include), what is on hand is read through POST /products/summary,
// 100 products a request.
func TestStockFromSummariesWhenLinesAreMissing(t *testing.T) {
	srv := startEmulator(t, sandbox.Options{})
	withHTTPClient(t, &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err != nil || r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, "/products") {
			return resp, err
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		recs, err := decodeRecords(body)
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			delete(rec, "inventoryLines")
		}
		body, _ = json.Marshal(recs)
		resp.Body = io.NopCloser(bytes.NewReader(body))
		resp.ContentLength = int64(len(body))
		resp.Header.Del("Content-Length")
		return resp, nil
	})})
	path := job(t, genCatalog(t, 150), genMapping, "entity: products\nsandbox: never\nrate_per_minute: 100000\n")
	if _, _, err := runJob(t, path, runOpts{}); err != nil {
		t.Fatal(err)
	}
	// Change two quantities and run again.
	data, _ := os.ReadFile(path)
	csvPath := strings.TrimSpace(strings.SplitN(strings.SplitN(string(data), "path: ", 2)[1], "\n", 2)[0])
	text, _ := os.ReadFile(csvPath)
	text = bytes.Replace(text, []byte("GEN-00001,Generated product 00001,Clothing > Jackets,6.01,1,"), []byte("GEN-00001,Generated product 00001,Clothing > Jackets,6.01,40,"), 1)
	text = bytes.Replace(text, []byte("GEN-00002,Generated product 00002,Footwear > Boots,7.02,2,"), []byte("GEN-00002,Generated product 00002,Footwear > Boots,7.02,0,"), 1)
	writeFile(t, csvPath, string(text))
	srv.ResetStats()
	res, _, err := runJob(t, path, runOpts{})
	if err != nil || res.Count(pipeline.Updated) != 2 || res.Count(pipeline.Unchanged) != 148 {
		t.Fatalf("%v %v %v", err, res.CountsByName(), res.Problems)
	}
	st := srv.Stats().ByRoute
	if st["POST /products/summary"] != 2 || st["PUT /stock-adjustments"] != 2 || // one per location
		st["PUT /products"] != 0 {
		t.Errorf("requests %v", st)
	}
	got := snapshot(t, srv)
	if got["GEN-00001"].OnHand != "40" || got["GEN-00002"].OnHand != "0" || got["GEN-00003"].OnHand != "3" {
		t.Errorf("on hand %v %v %v", got["GEN-00001"], got["GEN-00002"], got["GEN-00003"])
	}
}

// Child lines the mapping owns are set by their natural key (pricing
// scheme, tax scheme, vendor, location); the others, and every GUID, stay.
func TestChildLinesKeepTheirGUIDs(t *testing.T) {
	srv := startEmulator(t, sandbox.Options{})
	const (
		id      = "40000000-0000-4000-8000-000000000001"
		taxLine = "40000000-0000-4000-8000-0000000000a1"
		roLine  = "40000000-0000-4000-8000-0000000000a2"
		ohio    = "319fdc3a-3b5b-4fb0-b404-b4db9ad6557f"
		taxable = "da3d0f6d-5f73-410f-8cbf-56523255f11c"
		nontax  = "dfbc120d-130b-4c88-aa9a-f734ded52dee"
		show    = "13b5ffb7-fa2f-4892-9327-fae32c824dfc"
	)
	if err := srv.Put("products", map[string]any{"productId": id, "name": "Stove", "sku": "STV-1", "itemType": "StockedProduct",
		"taxCodes":        []any{map[string]any{"productTaxCodeId": taxLine, "taxingSchemeId": ohio, "taxCodeId": taxable}},
		"reorderSettings": []any{map[string]any{"reorderSettingsId": roLine, "locationId": show, "reorderPoint": "2", "reorderQuantity": "5"}},
	}); err != nil {
		t.Fatal(err)
	}
	csvPath := filepath.Join(t.TempDir(), "p.csv")
	writeFile(t, csvPath, "SKU,Tax,Vendor,VCode,VCost,Reorder,ReorderQty,Wholesale\nSTV-1,Ohio Sales Tax > Non-taxable,Northwind Apparel Co.,NW-STV,20.5,3,10,33\n")
	mapping := "mapping:\n  sku: SKU\n  tax_code: Tax\n  vendor: Vendor\n  vendor_item_code: VCode\n  vendor_cost: {from: VCost, type: decimal}\n" +
		"  reorder_point: {from: Reorder, type: decimal}\n  reorder_quantity: {from: ReorderQty, type: decimal}\n  price_wholesale: {from: Wholesale, type: decimal}\n"
	path := job(t, csvPath, mapping, "entity: products\nsandbox: never\nrate_per_minute: 100000\n")
	for run := range 2 {
		res, _, err := runJob(t, path, runOpts{})
		want := []pipeline.Outcome{pipeline.Updated, pipeline.Unchanged}[run]
		if err != nil || res.Count(want) != 1 {
			t.Fatalf("run %d: %v %v %v", run, err, res.CountsByName(), res.Problems)
		}
	}
	p, _ := srv.Entity("products", id)
	tl := lines(p["taxCodes"])
	if len(tl) != 1 || tl[0]["productTaxCodeId"] != taxLine || tl[0]["taxCodeId"] != nontax {
		t.Errorf("tax codes %v", tl)
	}
	ro := lines(p["reorderSettings"])
	if len(ro) != 2 {
		t.Fatalf("reorder settings %v", ro)
	}
	for _, l := range ro {
		switch l["locationId"] {
		case show:
			if l["reorderSettingsId"] != roLine || display(l["reorderPoint"]) != "2" {
				t.Errorf("showroom line changed: %v", l)
			}
		case mainWarehouse:
			if display(l["reorderPoint"]) != "3" || display(l["reorderQuantity"]) != "10" {
				t.Errorf("main warehouse line %v", l)
			}
		}
	}
	vi := lines(p["vendorItems"])
	if len(vi) != 1 || vi[0]["vendorId"] != northwind || vi[0]["vendorItemCode"] != "NW-STV" || display(vi[0]["cost"]) != "20.5" {
		t.Errorf("vendor items %v", vi)
	}
	pr := lines(p["prices"])
	if len(pr) != 1 || pr[0]["pricingSchemeId"] != wholesale || display(pr[0]["unitPrice"]) != "33" {
		t.Errorf("prices %v", pr)
	}
}
