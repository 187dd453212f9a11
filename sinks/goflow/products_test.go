package goflowsink

import (
	"fmt"
	"strings"
	"testing"

	"github.com/etl-dev/etl/goflow/sandbox"
)

const productsJob = `name: products
source: {type: csv, path: products.csv}
mapping:
  item_number: SKU
  name: Name
  brand: Brand
  default_price: {from: Price, type: decimal}
  default_cost: {from: Cost, type: decimal}
  upc: UPC
sink: {type: goflow, entity: products}
`

func productBy(tn *tenant, item string) map[string]any {
	for _, p := range tn.srv.Records("products") {
		if p["item_number"] == item {
			return p
		}
	}
	return nil
}

// New item numbers are created, existing ones get a pricing PATCH only
// where a price differs, unchanged rows cost nothing, and a row that would
// change what Goflow cannot update is rejected, saying so.
func TestProducts(t *testing.T) {
	t.Parallel()
	tn := newTenant(t, sandbox.Options{})
	p1, p2 := productBy(tn, "GF-0001"), productBy(tn, "GF-0002")
	name1 := p1["details"].(map[string]any)["name"]
	price1 := p1["pricing"].(map[string]any)["default_price"]
	file := fmt.Sprintf("SKU,Name,Brand,Price,Cost,UPC\n"+
		"GF-0001,%s,,%s,,\n"+ // unchanged
		"GF-0002,,,123.45,,\n"+ // pricing patch
		"GF-0003,A New Name,,,,\n"+ // cannot change the name
		"NEW-001,New Widget,Acme,19.99,8.50,012345678905\n"+ // created
		"NEW-002,,,2000000,,\n"+ // out of range
		"NEW-001,,,19.99,,\n", // the product just created: unchanged
		name1, price1)
	tn.srv.ResetStats()
	dir := t.TempDir()
	r := tn.mustRun(t, dir, productsJob, map[string]string{"products.csv": file}, runOpts{})
	c := counts(r.res)
	if c["created"] != 1 || c["updated"] != 1 || c["unchanged"] != 2 || c["rejected"] != 2 {
		t.Fatalf("outcomes %v %v", c, r.res.Problems)
	}
	st := tn.srv.Stats()
	if st.Requests["POST /v1/products"] != 1 || st.Requests["PATCH /v1/products/{id}/pricing"] != 1 || st.Requests["GET /v1/products"] != 1 {
		t.Errorf("requests %v", st.Requests)
	}
	n := productBy(tn, "NEW-001")
	if n == nil || n["details"].(map[string]any)["name"] != "New Widget" || fmt.Sprint(n["pricing"].(map[string]any)["default_cost"]) != "8.5" ||
		n["identifiers"].([]any)[0].(map[string]any)["value"] != "012345678905" {
		t.Fatalf("created %v", n)
	}
	if got := fmt.Sprint(productBy(tn, "GF-0002")["pricing"].(map[string]any)["default_price"]); got != "123.45" {
		t.Errorf("GF-0002 price %s", got)
	}
	if fmt.Sprint(productBy(tn, "GF-0002")["pricing"].(map[string]any)["default_cost"]) != fmt.Sprint(p2["pricing"].(map[string]any)["default_cost"]) {
		t.Error("the patch changed a price the row did not set")
	}
	msgs := ""
	for _, p := range r.res.Problems {
		msgs += p.Error() + "\n"
	}
	if !strings.Contains(msgs, "can update only its pricing: name is") || !strings.Contains(msgs, "0.01 to 1,000,000") {
		t.Errorf("problems:\n%s", msgs)
	}
	// A re-run of the same file writes nothing.
	tn.srv.ResetStats()
	r2 := tn.mustRun(t, dir, productsJob, nil, runOpts{})
	if c := counts(r2.res); c["unchanged"] != 4 || c["rejected"] != 2 || tn.srv.Stats().Writes != 0 {
		t.Errorf("re-run %v, %d writes", c, tn.srv.Stats().Writes)
	}
}
