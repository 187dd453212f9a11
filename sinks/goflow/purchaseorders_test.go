package goflowsink

import (
	"fmt"
	"strings"
	"testing"

	"github.com/etl-dev/etl/goflow/sandbox"
)

const poJob = `name: pos
source: {type: csv, path: po.csv}
mapping:
  purchase_order_number: PO
  vendor: Vendor
  warehouse: Warehouse
  item_number: SKU
  quantity: {from: Qty, type: decimal}
  price: {from: Price, type: decimal}
sink: {type: goflow, entity: purchase-orders}
`

// Rows group into purchase orders by number (not only adjacent rows); a
// number Goflow has is left alone; unknown names fail their order.
func TestPurchaseOrders(t *testing.T) {
	t.Parallel()
	tn := newTenant(t, sandbox.Options{})
	file := "PO,Vendor,Warehouse,SKU,Qty,Price\n" +
		"NEW-PO-1,Acme Supply Co,Main Warehouse,GF-0001,10,4.50\n" +
		"NEW-PO-2,Northwind Traders,East Coast DC,GF-0002,5,\n" +
		"NEW-PO-1,Acme Supply Co,Main Warehouse,GF-0003,2,7\n" +
		"PO-01001,Acme Supply Co,Main Warehouse,GF-0001,1,1\n" + // exists in the sample company
		"NEW-PO-3,Acme Suply Co,Main Warehouse,GF-0001,1,1\n" // vendor typo
	dir := t.TempDir()
	tn.srv.ResetStats()
	r := tn.mustRun(t, dir, poJob, map[string]string{"po.csv": file}, runOpts{})
	c := counts(r.res)
	if c["created"] != 3 || c["unchanged"] != 1 || c["rejected"] != 1 {
		t.Fatalf("outcomes %v %v", c, r.res.Problems)
	}
	if p := r.res.Problems[0].Error(); !containsAll(p, `no vendor named "Acme Suply Co"`, `did you mean "Acme Supply Co"`) {
		t.Errorf("problem %s", p)
	}
	byNum := map[string][]map[string]any{}
	for _, po := range tn.srv.Records("purchase-orders") {
		byNum[po["purchase_order_number"].(string)] = append(byNum[po["purchase_order_number"].(string)], po)
	}
	if len(byNum["NEW-PO-1"]) != 1 || len(byNum["NEW-PO-1"][0]["lines"].([]any)) != 2 || len(byNum["NEW-PO-2"]) != 1 || len(byNum["PO-01001"]) != 1 {
		t.Fatalf("purchase orders: %d NEW-PO-1, %d NEW-PO-2, %d PO-01001", len(byNum["NEW-PO-1"]), len(byNum["NEW-PO-2"]), len(byNum["PO-01001"]))
	}
	if l := byNum["NEW-PO-1"][0]["lines"].([]any)[0].(map[string]any); fmt.Sprint(l["price"].(map[string]any)["amount"]) != "4.5" {
		t.Errorf("line %v", l)
	}
	st := tn.srv.Stats()
	if st.Requests["POST /v1/purchasing/purchase-orders"] != 2 || st.Requests["GET /v1/purchasing/purchase-orders"] != 1 {
		t.Errorf("requests %v", st.Requests)
	}
	r2 := tn.mustRun(t, dir, poJob, nil, runOpts{})
	if c := counts(r2.res); c["unchanged"] != 4 || c["created"] != 0 {
		t.Errorf("re-run %v", c)
	}
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
