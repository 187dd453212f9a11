package inflowsink

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/inflow/sandbox"
	"github.com/etl-dev/etl/pipeline"
)

// TestMatchByCustomFieldLabel: match: [custom:Color] finds products by
// the custom field inFlow labels "Color" (custom1 in the sample company).
func TestMatchByCustomFieldLabel(t *testing.T) {
	srv := startEmulator(t, sandbox.Options{})
	if err := srv.Put("products", map[string]any{"productId": "00000000-0000-4000-8000-00000000c001", "name": "Label Tee", "customFields": map[string]any{"custom1": "CLR-77"}}); err != nil {
		t.Fatal(err)
	}
	in := csvFile(t, "Code,Name,Description\nCLR-77,Label Tee Renamed,matched by label\nCLR-78,Another Tee,new\n")
	mapping := "mapping:\n  custom1: Code\n  name: Name\n  description: Description\n"
	srv.ResetStats()
	res, _, err := runJob(t, job(t, in, mapping, "entity: products\nsandbox: never\nmatch: [custom:Color]\n"), runOpts{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Count(pipeline.Updated) != 1 || res.Count(pipeline.Created) != 1 || srv.Stats().ByRoute["GET /custom-field-definitions"] != 1 {
		t.Fatalf("outcomes %v, requests %v", res.CountsByName(), srv.Stats().ByRoute)
	}
	p, _ := srv.Entity("products", "00000000-0000-4000-8000-00000000c001")
	if p["name"] != "Label Tee Renamed" || p["description"] != "matched by label" {
		t.Errorf("matched product: %v", p)
	}
	_, _, err = runJob(t, job(t, in, mapping, "entity: products\nsandbox: never\nmatch: [custom:Colour]\n"), runOpts{})
	if err == nil || !strings.Contains(err.Error(), `no product custom field is labelled "Colour" in inFlow; closest: "Color"`) {
		t.Errorf("unknown label: %v", err)
	}
	// custom:customN needs no definitions.
	srv.ResetStats()
	if _, _, err := runJob(t, job(t, in, mapping, "entity: products\nsandbox: never\nmatch: [custom:custom1]\n"), runOpts{}); err != nil {
		t.Fatal(err)
	}
	if n := srv.Stats().ByRoute["GET /custom-field-definitions"]; n != 0 {
		t.Errorf("custom:custom1 read the definitions %d times", n)
	}
}

// TestOneProductAtSeveralLocations: with stock mapped, rows repeating a
// product at other locations give its stock there (one write of the
// product); a repeat at the same location, or with other values, is not
// sent. In one batch and across batches alike.
func TestOneProductAtSeveralLocations(t *testing.T) {
	in := csvFile(t, `
SKU,Name,Quantity,Location
NEW-1,New One,5,Main Warehouse
NEW-1,New One,3,Showroom
TS-CRW-BLK-M,Classic Crew Tee - Black - M,100,Main Warehouse
TS-CRW-BLK-M,Classic Crew Tee - Black - M,12,Showroom
NEW-1,Other Name,1,Overflow Storage
NEW-1,New One,9,Main Warehouse
`)
	mapping := "mapping:\n  sku: SKU\n  name: Name\n  quantity: {from: Quantity, type: integer}\n  location: Location\n"
	for _, batch := range []int{0, 1} {
		t.Run(fmt.Sprintf("batch size %d", batch), func(t *testing.T) {
			srv := startEmulator(t, sandbox.Options{})
			res, _, err := runJob(t, job(t, in, mapping, "entity: products\nsandbox: never\n"), runOpts{batchSize: batch})
			if err != nil {
				t.Fatal(err)
			}
			got := res.CountsByName()
			if got["created"] != 1 || got["updated"] != 2 || got["unchanged"] != 1 || got["rejected"] != 2 {
				t.Errorf("outcomes %v %v", got, res.Problems)
			}
			problems := outcomesByRow(t, res)
			if !strings.Contains(problems[6], "row 2 gives the same product (SKU \"NEW-1\") another name") ||
				!strings.Contains(problems[7], "same SKU as row 2 (\"NEW-1\"), at the same location") {
				t.Errorf("problems %v", problems)
			}
			var id string
			n := 0
			for _, p := range srv.All("products") {
				if p["sku"] == "NEW-1" {
					id, n = fmt.Sprint(p["productId"]), n+1
				}
			}
			if n != 1 {
				t.Fatalf("%d products NEW-1", n)
			}
			for loc, want := range map[string]int64{mainWarehouse: 5, showroom: 3, overflowStore: 0} {
				if got := srv.OnHand(id, loc); !got.Equal(decimal.NewFromInt(want)) {
					t.Errorf("NEW-1 at %s: %s, want %d", loc, got, want)
				}
			}
			if !srv.OnHand(teeBlack, mainWarehouse).Equal(decimal.NewFromInt(100)) || !srv.OnHand(teeBlack, showroom).Equal(decimal.NewFromInt(12)) {
				t.Errorf("TS-CRW-BLK-M: main %s, showroom %s", srv.OnHand(teeBlack, mainWarehouse), srv.OnHand(teeBlack, showroom))
			}
		})
	}
}
