package sandbox

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestAuthVersionAndRouting(t *testing.T) {
	c := start(t, Options{})
	path := "/" + c.s.CompanyID() + "/products?count=1"
	good := c.headers()

	cases := []struct {
		name   string
		path   string
		edit   func(h http.Header)
		status int
	}{
		{"ok", path, func(http.Header) {}, 200},
		{"no auth", path, func(h http.Header) { h.Del("Authorization") }, 401},
		{"wrong key", path, func(h http.Header) { h.Set("Authorization", "Bearer nope") }, 401},
		{"not bearer", path, func(h http.Header) { h.Set("Authorization", "Basic "+c.s.APIKey()) }, 401},
		{"unknown company", "/" + uuid.NewString() + "/products", func(http.Header) {}, 404},
		{"company not a guid", "/acme/products", func(http.Header) {}, 404},
		{"no version", path, func(h http.Header) { h.Set("Accept", "application/json") }, 400},
		{"no accept", path, func(h http.Header) { h.Del("Accept") }, 400},
		{"old version", path, func(h http.Header) { h.Set("Accept", "application/json;version=2024-03-12") }, 400},
		{"version among others", path, func(h http.Header) { h.Set("Accept", "text/plain, application/json; version=2025-06-24") }, 200},
		{"unknown route", "/" + c.s.CompanyID() + "/widgets", func(http.Header) {}, 404},
		{"no get by id for team members", "/" + c.s.CompanyID() + "/team-members/" + uuid.NewString(), func(http.Header) {}, 404},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			h := good.Clone()
			tt.edit(h)
			r, err := c.raw("GET", tt.path, nil, h)
			if err != nil {
				t.Fatal(err)
			}
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if r.status == 401 && r.header.Get("WWW-Authenticate") != "Bearer" {
				t.Error("401 without WWW-Authenticate: Bearer")
			}
			if r.status >= 400 && !strings.Contains(string(r.body), `"message"`) {
				t.Errorf("error body without message: %s", r.body)
			}
		})
	}

	// Methods.
	must(t, c.put("locations", map[string]any{"locationId": uuid.NewString(), "name": "X"}), 405)
	must(t, c.put("categories", map[string]any{"categoryId": uuid.NewString(), "name": "X"}), 405)
	r := must(t, c.do("POST", "/products", map[string]any{}), 405)
	if r.header.Get("Allow") != "GET, PUT" {
		t.Errorf("Allow = %q", r.header.Get("Allow"))
	}
	must(t, c.do("DELETE", "/customers/"+uuid.NewString(), nil), 405)
	must(t, c.get("/products/summary"), 405)
	must(t, c.get("/products/"+uuid.NewString()), 404)
	must(t, c.get("/products/not-a-guid"), 400)

	// Content-Type on writes.
	h := good.Clone()
	h.Set("Content-Type", "text/plain")
	r, err := c.raw("PUT", "/"+c.s.CompanyID()+"/products", []byte(`{}`), h)
	if err != nil || r.status != http.StatusUnsupportedMediaType {
		t.Fatalf("text/plain PUT: %v %d", err, r.status)
	}
}

func TestEveryKindListsAndGets(t *testing.T) {
	c := start(t, Options{})
	for _, k := range kindList {
		if k.singleton {
			if got := must(t, c.get("/"+k.name), 200).obj(t); got[k.idProp] != c.s.CompanyID() {
				t.Errorf("%s: %v", k.name, got)
			}
			continue
		}
		rows := must(t, c.get("/"+k.name), 200).list(t)
		if len(rows) == 0 {
			t.Errorf("%s: the bundled seed has none", k.name)
			continue
		}
		id := fmt.Sprint(rows[0][k.idProp])
		if !k.byID {
			continue
		}
		got := must(t, c.get("/"+k.name+"/"+strings.ToUpper(id)), 200).obj(t)
		if got[k.idProp] != id {
			t.Errorf("%s: got %v", k.name, got[k.idProp])
		}
	}
}

func TestIncludes(t *testing.T) {
	c := start(t, Options{})
	id := ids(t, c.s)

	p := must(t, c.get("/products/"+id.teeBlack), 200).obj(t)
	for _, rel := range []string{"prices", "inventoryLines", "category", "vendorItems"} {
		if _, ok := p[rel]; ok {
			t.Errorf("%s answered without include", rel)
		}
	}
	if p["totalQuantityOnHand"] != nil {
		t.Errorf("totalQuantityOnHand = %v without inventoryLines", p["totalQuantityOnHand"])
	}

	p = must(t, c.get("/products/"+id.teeBlack+q("include", "inventoryLines.location,prices.pricingScheme,category.parentCategory,vendorItems.vendor,cost,defaultPrice")), 200).obj(t)
	lines := p["inventoryLines"].([]any)
	if len(lines) == 0 || lines[0].(map[string]any)["location"].(map[string]any)["name"] == nil {
		t.Fatalf("inventoryLines.location not included: %v", p["inventoryLines"])
	}
	if p["totalQuantityOnHand"] == nil {
		t.Error("totalQuantityOnHand empty with inventoryLines")
	}
	cat := p["category"].(map[string]any)
	if cat["name"] != "Tshirts" || cat["parentCategory"].(map[string]any)["name"] != "Clothing" {
		t.Errorf("category path: %v", cat)
	}
	if p["prices"].([]any)[0].(map[string]any)["pricingScheme"] == nil {
		t.Error("prices.pricingScheme missing")
	}
	if p["cost"].(map[string]any)["cost"] != "6.20000" {
		t.Errorf("cost = %v", p["cost"])
	}
	if p["defaultPrice"].(map[string]any)["unitPrice"] != "19.99000" {
		t.Errorf("defaultPrice = %v", p["defaultPrice"])
	}
	if p["vendorItems"].([]any)[0].(map[string]any)["vendor"].(map[string]any)["name"] != "Northwind Apparel Co." {
		t.Errorf("vendorItems.vendor: %v", p["vendorItems"])
	}

	// Case-insensitive names; customers' default addresses resolve inside the customer.
	cu := must(t, c.get("/customers/"+id.blueHarbor+q("include", "ADDRESSES,defaultBillingAddress,pricingScheme,orderHistory")), 200).obj(t)
	if cu["defaultBillingAddress"].(map[string]any)["name"] != "Store" || cu["pricingScheme"].(map[string]any)["name"] != "Wholesale Price" {
		t.Errorf("customer includes: %v", cu)
	}
	if cu["orderHistory"].(map[string]any)["lastOrderDate"] == nil {
		t.Errorf("orderHistory: %v", cu["orderHistory"])
	}

	for _, bad := range []string{"stock", "inventory", "items", "inventoryLines.warehouse", "name", "prices.pricingScheme.nope"} {
		r := must(t, c.get("/products"+q("include", bad)), 400)
		if !strings.Contains(string(r.body), "include") {
			t.Errorf("include=%s: %s", bad, r.body)
		}
	}
	must(t, c.get("/sales-orders"+q("include", "items")), 400)
	so := must(t, c.get("/sales-orders"+q("include", "lines.product,pickLines,customer")), 200).list(t)
	if len(so) == 0 || so[0]["lines"] == nil || so[0]["customer"] == nil {
		t.Fatalf("sales order includes: %v", so)
	}
	must(t, c.get("/stock-transfers"+q("include", "customFields")), 400)
	must(t, c.get("/stock-adjustments"+q("include", "customFields")), 400)
	must(t, c.get("/products"+q("include", "customFields")), 200)
	must(t, c.get("/stock-adjustments"+q("include", "lines.product,location,adjustmentReason")), 200)
	ts := must(t, c.get("/taxing-schemes"+q("include", "taxCodes,defaultTaxCode")), 200).list(t)
	for _, s := range ts {
		if len(s["taxCodes"].([]any)) == 0 || s["defaultTaxCode"] == nil {
			t.Errorf("taxing scheme includes: %v", s)
		}
	}
}

// seedProducts adds n products named "Bulk NNN" with a sku and varied
// categories and activity.
func seedProducts(t *testing.T, s *Server, n int, cat string) []string {
	t.Helper()
	var out []string
	for i := range n {
		id := uuid.NewString()
		err := s.Put("products", map[string]any{
			"productId": id, "name": fmt.Sprintf("Bulk %03d", i), "sku": fmt.Sprintf("BULK-%03d", i),
			"categoryId": cat, "isActive": i%5 != 0, "description": fmt.Sprintf("group %d", i%3),
		})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, id)
	}
	return out
}

func pageAll(t *testing.T, c *tc, base string, extra ...string) []string {
	t.Helper()
	var got []string
	after := ""
	for range 100 {
		args := append([]string{"count", "100"}, extra...)
		if after != "" {
			args = append(args, "after", after)
		}
		page := must(t, c.get(base+q(args...)), 200).list(t)
		for _, p := range page {
			got = append(got, p["productId"].(string))
		}
		if len(page) < 100 {
			return got
		}
		after = got[len(got)-1]
	}
	t.Fatal("paging does not end")
	return nil
}

func TestListPaging(t *testing.T) {
	c := start(t, Options{})
	id := ids(t, c.s)
	seedProducts(t, c.s, 250, id.tshirts)
	all := c.s.All("products")
	total := len(all)
	if total != 262 {
		t.Fatalf("%d products", total)
	}
	var byID []string
	for _, p := range all {
		byID = append(byID, p["productId"].(string))
	}
	if !slices.IsSorted(byID) {
		t.Error("All is not in id order")
	}

	// Default sort (by id) with after=.
	got := pageAll(t, c, "/products")
	if !slices.Equal(got, byID) {
		t.Fatalf("default paging: %d ids, want %d in id order", len(got), len(byID))
	}
	// Explicit sort, both directions.
	byName := slices.Clone(all)
	slices.SortFunc(byName, func(a, b map[string]any) int {
		return strings.Compare(strings.ToLower(a["name"].(string)), strings.ToLower(b["name"].(string)))
	})
	var names []string
	for _, p := range byName {
		names = append(names, p["productId"].(string))
	}
	if got := pageAll(t, c, "/products", "sort", "name"); !slices.Equal(got, names) {
		t.Fatal("sort=name paging differs")
	}
	desc := slices.Clone(names)
	slices.Reverse(desc)
	if got := pageAll(t, c, "/products", "sort", "Name", "sortDesc", "true"); !slices.Equal(got, desc) {
		t.Fatal("sortDesc paging differs")
	}
	// Sorting by a property with many ties stays stable (ties by id).
	a := pageAll(t, c, "/products", "sort", "isActive")
	b := pageAll(t, c, "/products", "sort", "isActive")
	if len(a) != total || !slices.Equal(a, b) {
		t.Fatal("sort=isActive paging unstable")
	}
	if len(uniq(a)) != total {
		t.Fatal("sort=isActive paging repeats rows")
	}

	// includeCount, skip, start, before.
	r := must(t, c.get("/products"+q("count", "5", "includeCount", "true", "filter[isActive]", "true")), 200)
	if r.header.Get("X-listCount") != strconv.Itoa(countActive(all)) {
		t.Errorf("X-listCount = %q", r.header.Get("X-listCount"))
	}
	if len(r.list(t)) != 5 {
		t.Error("count=5 ignored")
	}
	page := must(t, c.get("/products"+q("skip", "10", "count", "3")), 200).list(t)
	if page[0]["productId"] != byID[10] || len(page) != 3 {
		t.Error("skip")
	}
	page = must(t, c.get("/products"+q("start", byID[20], "count", "2")), 200).list(t)
	if page[0]["productId"] != byID[20] || page[1]["productId"] != byID[21] {
		t.Error("start does not include its anchor")
	}
	page = must(t, c.get("/products"+q("after", byID[20], "count", "1")), 200).list(t)
	if page[0]["productId"] != byID[21] {
		t.Error("after")
	}
	page = must(t, c.get("/products"+q("before", byID[3])), 200).list(t)
	if len(page) != 3 || page[2]["productId"] != byID[2] {
		t.Errorf("before: %d rows", len(page))
	}
	page = must(t, c.get("/products"+q("after", byID[3], "before", byID[7])), 200).list(t)
	if len(page) != 3 {
		t.Errorf("after+before: %d rows", len(page))
	}
	if n := len(must(t, c.get("/products"), 200).list(t)); n != DefaultCount {
		t.Errorf("default count answered %d", n)
	}
	if n := len(must(t, c.get("/products"+q("count", "0")), 200).list(t)); n != 0 {
		t.Errorf("count=0 answered %d", n)
	}
	for _, bad := range [][]string{
		{"count", "101"}, {"count", "-1"}, {"count", "x"}, {"skip", "-2"}, {"sort", "nope"}, {"sort", "prices"},
		{"sortDesc", "maybe"}, {"after", "not-a-guid"}, {"after", uuid.NewString()}, {"includeCount", "yes please"},
	} {
		must(t, c.get("/products"+q(bad...)), 400)
	}
	// Unknown parameters are ignored, like top=.
	must(t, c.get("/products"+q("top", "5")), 200)
}

func uniq(s []string) map[string]bool {
	m := map[string]bool{}
	for _, v := range s {
		m[v] = true
	}
	return m
}

func countActive(all []map[string]any) int {
	n := 0
	for _, p := range all {
		if p["isActive"] == true {
			n++
		}
	}
	return n
}

func TestFilters(t *testing.T) {
	clk := newClock()
	c := start(t, Options{Now: clk.Now})
	id := ids(t, c.s)
	names := func(r resp) []string {
		var out []string
		for _, p := range r.list(t) {
			out = append(out, p["name"].(string))
		}
		slices.Sort(out)
		return out
	}

	if got := names(must(t, c.get("/products"+q("filter[name]", "HOODIE")), 200)); len(got) != 2 {
		t.Errorf("name contains: %v", got)
	}
	if got := names(must(t, c.get("/products"+q("filter[itemType]", "Service")), 200)); !slices.Equal(got, []string{"Gift Wrapping"}) {
		t.Errorf("itemType: %v", got)
	}
	if got := names(must(t, c.get("/products"+q("filter[categoryId]", id.tshirts)), 200)); len(got) != 4 {
		t.Errorf("categoryId: %v", got)
	}
	if got := names(must(t, c.get("/products"+q("filter[barcode]", "0812345000080")), 200)); !slices.Equal(got, []string{"Bluetooth Speaker BT-200"}) {
		t.Errorf("barcode: %v", got)
	}
	if got := names(must(t, c.get("/products"+q("filter[smart]", "audio")), 200)); len(got) != 2 {
		t.Errorf("smart by category: %v", got)
	}
	if got := names(must(t, c.get("/products"+q("filter[smart]", "ts-crw")), 200)); len(got) != 2 {
		t.Errorf("smart by sku: %v", got)
	}
	if got := names(must(t, c.get("/products"+q("filter[description]", "fleece", "filter[name]", "zip")), 200)); len(got) != 1 {
		t.Errorf("two filters: %v", got)
	}
	if got := names(must(t, c.get("/products"+q("filter[trackSerials]", "true")), 200)); len(got) != 1 {
		t.Errorf("trackSerials: %v", got)
	}

	// lastModifiedDateTime range: the seed was written at clk's start.
	clk.Add(48 * time.Hour) // 2025-06-03
	must(t, c.put("products", map[string]any{"productId": id.tote, "remarks": "touched"}), 200)
	clk.Add(48 * time.Hour) // 2025-06-05
	newID := uuid.NewString()
	must(t, c.put("products", map[string]any{"productId": newID, "name": "Late Product"}), 200)
	rng := func(from, to string) []string {
		return names(must(t, c.get("/products"+q("filter[lastModifiedDateTime]", fmt.Sprintf(`{"fromDate":%q,"toDate":%q}`, from, to))), 200))
	}
	if got := rng("2025-06-02", "2025-06-04"); !slices.Equal(got, []string{"Canvas Tote Bag"}) {
		t.Errorf("range: %v", got)
	}
	if got := rng("2025-06-03", "2025-06-05"); len(got) != 2 {
		t.Errorf("inclusive range: %v", got)
	}
	if got := names(must(t, c.get("/products"+q("filter[lastModifiedDateTime]", `{"fromDate":"2025-06-04T00:00:00Z"}`)), 200)); !slices.Equal(got, []string{"Late Product"}) {
		t.Errorf("open range: %v", got)
	}
	if got := rng("2025-06-01", "2025-06-01"); len(got) != 11 {
		t.Errorf("seed day: %d products", len(got))
	}

	// Customers, vendors and orders.
	if got := names(must(t, c.get("/customers"+q("filter[city]", "westfield")), 200)); len(got) != 1 {
		t.Errorf("customer city: %v", got)
	}
	if got := names(must(t, c.get("/customers"+q("filter[smart]", "dana")), 200)); len(got) != 1 {
		t.Errorf("customer smart: %v", got)
	}
	if got := names(must(t, c.get("/customers"+q("filter[pricingSchemeId]", id.wholesale)), 200)); len(got) != 2 {
		t.Errorf("customer pricingSchemeId: %v", got)
	}
	if got := names(must(t, c.get("/vendors"+q("filter[state]", "IL")), 200)); len(got) != 1 {
		t.Errorf("vendor state: %v", got)
	}
	so := func(args ...string) int { return len(must(t, c.get("/sales-orders"+q(args...)), 200).list(t)) }
	if n := so("filter[customerId]", id.blueHarbor); n != 1 {
		t.Errorf("customerId: %d", n)
	}
	if n := so("filter[orderDate]", `{"fromDate":"2025-05-01","toDate":"2025-05-31"}`); n != 1 {
		t.Errorf("orderDate: %d", n)
	}
	if n := so("filter[inventoryStatus]", `["Started","Fulfilled"]`); n != 2 {
		t.Errorf("inventoryStatus: %d", n)
	}
	if n := so("filter[paymentStatus]", "owing,partial"); n != 1 {
		t.Errorf("paymentStatus: %d", n)
	}
	if n := so("filter[smart]", "blue harbor"); n != 1 {
		t.Errorf("order smart: %d", n)
	}
	if n := so("filter[total]", `{"fromDate":100}`); n != 1 {
		t.Errorf("total range: %d", n)
	}
	if n := so("filter[isActive]", "true"); n != 2 {
		t.Errorf("isActive: %d", n)
	}
	if n := len(must(t, c.get("/purchase-orders"+q("filter[vendorOrderNumber]", "nw-88")), 200).list(t)); n != 1 {
		t.Errorf("vendorOrderNumber: %d", n)
	}
	if n := len(must(t, c.get("/stock-adjustments"+q("filter[adjustmentNumber]", "ADJ-000001")), 200).list(t)); n != 1 {
		t.Errorf("adjustmentNumber: %d", n)
	}

	for _, bad := range [][]string{
		{"filter[sku]", "X"}, {"filter[isActive]", "sometimes"}, {"filter[categoryId]", "tshirts"},
		{"filter[lastModifiedDateTime]", "2025-01-01"}, {"filter[lastModifiedDateTime]", `{"fromDate":"soon"}`},
	} {
		must(t, c.get("/products"+q(bad...)), 400)
	}
	must(t, c.get("/locations"+q("filter[name]", "Main")), 400)
}

func TestUpsert(t *testing.T) {
	clk := newClock()
	c := start(t, Options{Now: clk.Now})
	id := ids(t, c.s)
	pid := uuid.NewString()

	// Insert: missing properties take defaults; decimals as numbers; enum in any case.
	r := must(t, c.put("products", map[string]any{
		"productId": pid, "name": "Rain Jacket", "itemType": "STOCKEDPRODUCT", "weight": 1.25,
		"prices": []any{map[string]any{"productPriceId": uuid.NewString(), "pricingSchemeId": id.retail, "unitPrice": 89, "priceType": "fixedprice"}},
	}), 200).obj(t)
	for k, want := range map[string]any{
		"isActive": true, "itemType": "stockedProduct", "trackSerials": false, "weight": "1.25000", "sku": "",
		"lastModifiedDateTime": "2025-06-01T12:00:00.0000000+00:00",
	} {
		if r[k] != want {
			t.Errorf("%s = %v, want %v", k, r[k], want)
		}
	}
	if r["categoryId"] == nil || r["timestamp"] == nil || len(r["timestamp"].(string)) != 16 {
		t.Errorf("defaults: categoryId %v timestamp %v", r["categoryId"], r["timestamp"])
	}
	price := r["prices"].([]any)[0].(map[string]any)
	if price["unitPrice"] != "89.00000" || price["priceType"] != "fixedPrice" || price["productId"] != pid {
		t.Errorf("price line: %v", price)
	}
	ts1 := r["timestamp"]

	// Update: what is left out stays; PascalCase property names work.
	clk.Add(time.Hour)
	r = must(t, c.put("products", map[string]any{"ProductId": strings.ToUpper(pid), "Description": "Waterproof"}), 200).obj(t)
	if r["name"] != "Rain Jacket" || r["description"] != "Waterproof" || r["weight"] != "1.25000" {
		t.Errorf("update lost data: %v", r)
	}
	if len(r["prices"].([]any)) != 1 {
		t.Error("update without prices dropped them")
	}
	if r["timestamp"] == ts1 || r["lastModifiedDateTime"] != "2025-06-01T13:00:00.0000000+00:00" {
		t.Errorf("timestamp %v / lastModifiedDateTime %v not updated", r["timestamp"], r["lastModifiedDateTime"])
	}
	// Read-only properties are ignored.
	r = must(t, c.put("products", map[string]any{"productId": pid, "lastModifiedDateTime": "2000-01-01", "totalQuantityOnHand": 5}), 200).obj(t)
	if r["lastModifiedDateTime"] == "2000-01-01T00:00:00.0000000+00:00" {
		t.Error("lastModifiedDateTime was settable")
	}
	got, _ := c.s.Entity("products", pid)
	if got["description"] != "Waterproof" {
		t.Errorf("Entity: %v", got)
	}

	// Customers: lastModifiedDttm.
	cid := uuid.NewString()
	cu := must(t, c.put("customers", map[string]any{"customerId": cid, "name": "New Customer", "discount": "2.5"}), 200).obj(t)
	if cu["lastModifiedDttm"] == nil || cu["discount"] != "2.50000" || cu["isActive"] != true {
		t.Errorf("customer: %v", cu)
	}

	// Bad bodies.
	for _, body := range []any{
		map[string]any{"name": "No id"},
		map[string]any{"productId": "123", "name": "Bad id"},
		map[string]any{"productId": uuid.Nil.String(), "name": "Nil id"},
		map[string]any{"productId": uuid.NewString()}, // no name on insert
		map[string]any{"productId": uuid.NewString(), "name": "Bad weight", "weight": "heavy"},
		map[string]any{"productId": uuid.NewString(), "name": "Bad type", "itemType": "Gadget"},
		map[string]any{"productId": uuid.NewString(), "name": "Bad bool", "isActive": "yes"},
		map[string]any{"productId": uuid.NewString(), "name": "Bad category", "categoryId": uuid.NewString()},
		map[string]any{"productId": uuid.NewString(), "name": "Line without id", "prices": []any{map[string]any{"pricingSchemeId": id.retail}}},
		map[string]any{"productId": uuid.NewString(), "name": "Services have no serials", "itemType": "Service", "trackSerials": true},
		[]any{map[string]any{"productId": uuid.NewString(), "name": "Bulk"}},
	} {
		must(t, c.put("products", body), 400)
	}
	must(t, c.put("sales-orders", map[string]any{"salesOrderId": uuid.NewString(), "customerId": id.blueHarbor}), 400) // no source
	must(t, c.put("sales-orders", map[string]any{"salesOrderId": uuid.NewString(), "source": "test"}), 400)            // no customer
	must(t, c.put("purchase-orders", map[string]any{"purchaseOrderId": uuid.NewString()}), 400)
	must(t, c.put("stock-transfers", map[string]any{"stockTransferId": uuid.NewString(), "fromLocationId": id.main}), 400)

	// Document numbers are assigned after the seed's.
	so := must(t, c.put("sales-orders", map[string]any{"salesOrderId": uuid.NewString(), "customerId": id.blueHarbor, "source": "test"}), 200).obj(t)
	if so["orderNumber"] != "SO-000003" || so["inventoryStatus"] != "unfulfilled" {
		t.Errorf("new order: %v %v", so["orderNumber"], so["inventoryStatus"])
	}
}

func TestUniquenessAndImmutables(t *testing.T) {
	c := start(t, Options{})
	id := ids(t, c.s)
	a, b := uuid.NewString(), uuid.NewString()
	must(t, c.put("products", map[string]any{"productId": a, "name": "Alpha", "sku": "AL-1"}), 200)
	r := must(t, c.put("products", map[string]any{"productId": b, "name": " alpha "}), 400)
	if !strings.Contains(string(r.body), "unique") {
		t.Errorf("name clash message: %s", r.body)
	}
	must(t, c.put("products", map[string]any{"productId": b, "name": "Beta", "sku": "al-1"}), 400)
	must(t, c.put("products", map[string]any{"productId": b, "name": "Beta"}), 200)
	must(t, c.put("products", map[string]any{"productId": uuid.NewString(), "name": "Gamma"}), 200) // empty SKUs may repeat
	must(t, c.put("products", map[string]any{"productId": b, "name": "Alpha"}), 400)                // rename onto a taken name
	must(t, c.put("products", map[string]any{"productId": a, "name": "ALPHA", "sku": "AL-1"}), 200) // own name and sku are fine

	r = must(t, c.put("products", map[string]any{"productId": a, "itemType": "Service"}), 400)
	if !strings.Contains(string(r.body), "itemType") {
		t.Errorf("itemType message: %s", r.body)
	}
	must(t, c.put("products", map[string]any{"productId": a, "itemType": "stockedproduct"}), 200) // same value, other case
	must(t, c.put("products", map[string]any{"productId": a, "trackSerials": true}), 400)
	must(t, c.put("products", map[string]any{"productId": id.speaker, "trackSerials": false}), 400)
}

func TestTimestampConflict(t *testing.T) {
	c := start(t, Options{})
	id := ids(t, c.s)
	p := must(t, c.get("/products/"+id.tote+q("include", "prices")), 200).obj(t)
	ts := p["timestamp"].(string)

	p["description"] = "first writer"
	r := must(t, c.put("products", p), 200).obj(t)
	if r["timestamp"] == ts {
		t.Fatal("timestamp unchanged by a write")
	}
	p["description"] = "second writer, stale"
	r2 := must(t, c.put("products", p), 409)
	if !strings.Contains(string(r2.body), "timestamp") {
		t.Errorf("conflict message: %s", r2.body)
	}
	delete(p, "timestamp")
	must(t, c.put("products", p), 409) // the price lines still carry stale timestamps
	delete(p, "prices")
	must(t, c.put("products", p), 200) // blind write
	p["timestamp"] = ""
	must(t, c.put("products", p), 200) // empty timestamp = none

	// A stale timestamp on a child line conflicts too.
	prices := r["prices"].([]any)
	line := prices[0].(map[string]any)
	line["timestamp"] = "0000000000000001"
	must(t, c.put("products", map[string]any{"productId": id.tote, "prices": prices}), 409)
	// An unchanged write still gets a new timestamp.
	a := must(t, c.put("customers", map[string]any{"customerId": id.blueHarbor}), 200).obj(t)
	b := must(t, c.put("customers", map[string]any{"customerId": id.blueHarbor}), 200).obj(t)
	if a["timestamp"] == b["timestamp"] {
		t.Error("rowversion not bumped")
	}
}

func TestLineArraysReplaced(t *testing.T) {
	c := start(t, Options{})
	id := ids(t, c.s)
	p := must(t, c.get("/products/"+id.teeBlack+q("include", "prices,vendorItems,productBarcodes")), 200).obj(t)
	if len(p["prices"].([]any)) != 2 {
		t.Fatalf("seed prices: %v", p["prices"])
	}
	keep := p["prices"].([]any)[0].(map[string]any)
	r := must(t, c.put("products", map[string]any{"productId": id.teeBlack, "prices": []any{keep}}), 200).obj(t)
	if n := len(r["prices"].([]any)); n != 1 {
		t.Fatalf("prices after replace: %d", n)
	}
	if len(r["vendorItems"].([]any)) != 1 || len(r["productBarcodes"].([]any)) != 1 {
		t.Error("arrays not sent were changed")
	}
	// A line that leaves a property out loses it.
	vi := p["vendorItems"].([]any)[0].(map[string]any)
	r = must(t, c.put("products", map[string]any{"productId": id.teeBlack, "vendorItems": []any{
		map[string]any{"vendorItemId": vi["vendorItemId"], "vendorId": vi["vendorId"]},
	}}), 200).obj(t)
	if got := r["vendorItems"].([]any)[0].(map[string]any); got["cost"] != nil || got["vendorItemCode"] != "" {
		t.Errorf("partial line kept old fields: %v", got)
	}
	// An empty array clears; null keeps.
	must(t, c.put("products", map[string]any{"productId": id.teeBlack, "productBarcodes": nil}), 200)
	got, _ := c.s.Entity("products", id.teeBlack)
	if len(got["productBarcodes"].([]any)) != 1 {
		t.Error("null cleared the array")
	}
	must(t, c.put("products", map[string]any{"productId": id.teeBlack, "productBarcodes": []any{}}), 200)
	got, _ = c.s.Entity("products", id.teeBlack)
	if len(got["productBarcodes"].([]any)) != 0 {
		t.Error("[] did not clear the array")
	}
	// Duplicate line ids.
	line := map[string]any{"productPriceId": uuid.NewString(), "pricingSchemeId": id.retail}
	must(t, c.put("products", map[string]any{"productId": id.teeBlack, "prices": []any{line, line}}), 400)
}
