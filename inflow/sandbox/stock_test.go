package sandbox

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"
)

func quantity(q string, serials ...string) map[string]any {
	m := map[string]any{"standardQuantity": q}
	if serials != nil {
		m["serialNumbers"] = serials
	}
	return m
}

func adjustment(loc string, lines ...map[string]any) map[string]any {
	var ls []any
	for _, l := range lines {
		l["stockAdjustmentLineId"] = uuid.NewString()
		ls = append(ls, l)
	}
	return map[string]any{"stockAdjustmentId": uuid.NewString(), "locationId": loc, "lines": ls}
}

// onHand reads quantityOnHand from a summary ("" location = all).
func onHand(t *testing.T, c *tc, product, location string) string {
	t.Helper()
	path := "/products/" + product + "/summary"
	if location != "" {
		path += q("locationId", location)
	}
	return must(t, c.get(path), 200).obj(t)["quantityOnHand"].(string)
}

func TestStockMovements(t *testing.T) {
	c := start(t, Options{})
	id := ids(t, c.s)
	pid := uuid.NewString()
	must(t, c.put("products", map[string]any{"productId": pid, "name": "Beanie"}), 200)

	// Adjustments add a delta at the header location and sublocation.
	adj := adjustment(id.showroom, map[string]any{"productId": pid, "quantity": quantity("10"), "sublocation": "Bin 3"})
	a := must(t, c.put("stock-adjustments", adj), 200).obj(t)
	if a["adjustmentNumber"] != "ADJ-000002" {
		t.Errorf("adjustmentNumber = %v", a["adjustmentNumber"])
	}
	if got := onHand(t, c, pid, id.showroom); got != "10.00000" {
		t.Fatalf("after adjustment: %s", got)
	}
	p := must(t, c.get("/products/"+pid+q("include", "inventoryLines")), 200).obj(t)
	line := p["inventoryLines"].([]any)[0].(map[string]any)
	if line["sublocation"] != "Bin 3" || line["quantityOnHand"] != "10.00000" || p["totalQuantityOnHand"] != "10.00000" {
		t.Errorf("inventory line: %v", line)
	}

	// Editing the adjustment replaces its effect; cancelling removes it.
	adj["lines"].([]any)[0].(map[string]any)["quantity"] = quantity("12")
	must(t, c.put("stock-adjustments", adj), 200)
	if got := onHand(t, c, pid, ""); got != "12.00000" {
		t.Fatalf("after edit: %s", got)
	}
	must(t, c.put("stock-adjustments", map[string]any{"stockAdjustmentId": adj["stockAdjustmentId"], "isCancelled": true}), 200)
	if got := onHand(t, c, pid, ""); got != "0.00000" {
		t.Fatalf("after cancel: %s", got)
	}
	must(t, c.put("stock-adjustments", map[string]any{"stockAdjustmentId": adj["stockAdjustmentId"], "isCancelled": false}), 200)

	// Transfers: Open reserves, InTransit takes out, Completed moves.
	tr := map[string]any{
		"stockTransferId": uuid.NewString(), "fromLocationId": id.showroom, "toLocationId": id.main, "status": "open",
		"lines": []any{map[string]any{"stockTransferLineId": uuid.NewString(), "productId": pid, "fromSublocation": "Bin 3", "quantity": quantity("4")}},
	}
	must(t, c.put("stock-transfers", tr), 200)
	s := must(t, c.get("/products/"+pid+"/summary"+q("locationId", id.showroom)), 200).obj(t)
	if s["quantityReservedForTransfers"] != "4.00000" || s["quantityAvailable"] != "8.00000" {
		t.Errorf("open transfer summary: %v", s)
	}
	tr["status"] = "InTransit"
	must(t, c.put("stock-transfers", tr), 200)
	s = must(t, c.get("/products/"+pid+"/summary"+q("locationId", id.main)), 200).obj(t)
	if s["quantityInTransit"] != "4.00000" || s["quantityOnHand"] != "0.00000" {
		t.Errorf("in-transit summary: %v", s)
	}
	tr["status"] = "completed"
	must(t, c.put("stock-transfers", tr), 200)
	if a, b := onHand(t, c, pid, id.showroom), onHand(t, c, pid, id.main); a != "8.00000" || b != "4.00000" {
		t.Fatalf("after transfer: showroom %s main %s", a, b)
	}
	// A transfer of more than there is goes negative: 422.
	tr2 := map[string]any{
		"stockTransferId": uuid.NewString(), "fromLocationId": id.main, "toLocationId": id.overflow, "status": "Completed",
		"lines": []any{map[string]any{"stockTransferLineId": uuid.NewString(), "productId": pid, "quantity": quantity("5")}},
	}
	must(t, c.put("stock-transfers", tr2), 422)

	// Sales order picks: 422 Negative Inventory unless overridden.
	so := map[string]any{
		"salesOrderId": uuid.NewString(), "customerId": id.blueHarbor, "source": "etl tests", "locationId": id.main,
		"lines":     []any{map[string]any{"salesOrderLineId": uuid.NewString(), "productId": pid, "quantity": quantity("6"), "unitPrice": "5"}},
		"pickLines": []any{map[string]any{"salesOrderPickLineId": uuid.NewString(), "productId": pid, "locationId": id.main, "quantity": quantity("6")}},
	}
	r := must(t, c.put("sales-orders", so), 422)
	if !strings.Contains(string(r.body), "Negative Inventory") {
		t.Errorf("422 message: %s", r.body)
	}
	if _, ok := c.s.Entity("sales-orders", so["salesOrderId"].(string)); ok {
		t.Fatal("a refused order was stored")
	}
	if got := onHand(t, c, pid, id.main); got != "4.00000" {
		t.Fatalf("refused pick changed stock: %s", got)
	}
	c.hdr = map[string][]string{"X-Overrideallownegativeinventory": {"TRUE"}}
	o := must(t, c.put("sales-orders", so), 200).obj(t)
	c.hdr = nil
	if got := onHand(t, c, pid, id.main); got != "-2.00000" {
		t.Fatalf("override pick: %s", got)
	}
	if o["inventoryStatus"] != "fulfilled" || o["total"] != "30.00000" {
		t.Errorf("order: status %v total %v", o["inventoryStatus"], o["total"])
	}
	// Restocking the pick returns the stock.
	so["restockLines"] = []any{map[string]any{"salesOrderRestockLineId": uuid.NewString(), "productId": pid, "locationId": id.main, "quantity": quantity("6")}}
	must(t, c.put("sales-orders", so), 200)
	if got := onHand(t, c, pid, id.main); got != "4.00000" {
		t.Fatalf("after restock: %s", got)
	}

	// Purchase order receipts add stock; open quantities show as on order.
	po := map[string]any{
		"purchaseOrderId": uuid.NewString(), "vendorId": id.northwind, "locationId": id.main,
		"lines":        []any{map[string]any{"purchaseOrderLineId": uuid.NewString(), "productId": pid, "quantity": quantity("20"), "unitPrice": 2}},
		"receiveLines": []any{map[string]any{"purchaseOrderReceiveLineId": uuid.NewString(), "productId": pid, "quantity": quantity("15")}},
	}
	must(t, c.put("purchase-orders", po), 200)
	s = must(t, c.get("/products/"+pid+"/summary"), 200).obj(t)
	if s["quantityOnHand"] != "27.00000" || s["quantityOnPurchaseOrder"] != "5.00000" || s["quantityOnOrder"] != "5.00000" {
		t.Errorf("after receipt: %v", s)
	}
	// A non-stocked product moves no stock.
	svc := uuid.NewString()
	must(t, c.put("products", map[string]any{"productId": svc, "name": "Alterations", "itemType": "service"}), 200)
	must(t, c.put("stock-adjustments", adjustment(id.main, map[string]any{"productId": svc, "quantity": quantity("-3")})), 200)
	if got := onHand(t, c, svc, ""); got != "0.00000" {
		t.Errorf("service stock: %s", got)
	}
	// Adjustments that go negative are refused too.
	must(t, c.put("stock-adjustments", adjustment(id.overflow, map[string]any{"productId": pid, "quantity": quantity("-1")})), 422)
	must(t, c.put("stock-adjustments", adjustment(id.overflow, map[string]any{"productId": uuid.NewString(), "quantity": quantity("1")})), 400)
}

func TestSummaries(t *testing.T) {
	c := start(t, Options{})
	id := ids(t, c.s)

	// The seed's open sales order reserves two speakers at Main Warehouse.
	s := must(t, c.get("/products/"+id.speaker+"/summary"+q("locationId", id.main)), 200).obj(t)
	want := map[string]any{
		"productId": id.speaker, "locationId": id.main, "quantityOnHand": "3.00000", "quantityReserved": "2.00000",
		"quantityReservedForSales": "2.00000", "quantityAvailable": "1.00000", "quantityOnTransferOrder": "0.00000",
	}
	for k, v := range want {
		if s[k] != v {
			t.Errorf("%s = %v, want %v", k, s[k], v)
		}
	}
	all := must(t, c.get("/products/"+id.speaker+"/summary"), 200).obj(t)
	if all["locationId"] != nil || all["quantityOnTransferOrder"] != nil || all["quantityOnHand"] != "3.00000" {
		t.Errorf("all-locations summary: %v", all)
	}
	// Every field of the spec's ProductSummaryResponseModel is answered.
	for name := range c.s.m.schemas["ProductSummaryResponseModel"].props {
		if _, ok := s[name]; !ok {
			t.Errorf("summary lacks %s", name)
		}
	}
	must(t, c.get("/products/"+uuid.NewString()+"/summary"), 404)
	must(t, c.get("/products/"+id.speaker+"/summary"+q("locationId", uuid.NewString())), 400)

	// Batches.
	body := []map[string]any{
		{"productId": id.teeBlack, "locationId": id.main},
		{"productId": id.teeBlack, "locationId": nil},
		{"productId": id.speaker, "locationId": id.showroom},
	}
	got := must(t, c.do("POST", "/products/summary", body), 200).list(t)
	if len(got) != 3 || got[0]["quantityOnHand"] != "168.00000" || got[1]["quantityOnHand"] != "180.00000" || got[2]["quantityOnHand"] != "0.00000" {
		t.Errorf("batch: %v", got)
	}
	if got[0]["quantityOnPurchaseOrder"] != "0.00000" {
		t.Errorf("received PO line still on order: %v", got[0]["quantityOnPurchaseOrder"])
	}
	ids := seedProducts(t, c.s, 101, id.tshirts)
	var big []map[string]any
	for _, p := range ids {
		big = append(big, map[string]any{"productId": p, "locationId": id.main})
	}
	must(t, c.do("POST", "/products/summary", big[:100]), 200)
	r := must(t, c.do("POST", "/products/summary", big), 400)
	if !strings.Contains(string(r.body), "100") {
		t.Errorf("over-100 message: %s", r.body)
	}
	if n := len(must(t, c.do("POST", "/products/summary", []any{}), 200).list(t)); n != 0 {
		t.Errorf("empty batch: %d", n)
	}
	must(t, c.do("POST", "/products/summary", []map[string]any{{"productId": uuid.NewString()}}), 400)
	must(t, c.do("POST", "/products/summary", map[string]any{"productId": id.speaker}), 400)
}

func TestSerials(t *testing.T) {
	c := start(t, Options{})
	id := ids(t, c.s)
	inStock := func() []string {
		p := must(t, c.get("/products/"+id.speaker+q("include", "inventoryLines")), 200).obj(t)
		var out []string
		for _, l := range p["inventoryLines"].([]any) {
			m := l.(map[string]any)
			if m["quantityOnHand"] == "1.00000" {
				out = append(out, fmt.Sprint(m["serial"], "@", m["locationId"]))
			}
		}
		return out
	}
	if got := inStock(); len(got) != 3 {
		t.Fatalf("seed serials in stock: %v", got)
	}
	// Serial lines stay at zero after the serial leaves.
	lines := must(t, c.get("/products/"+id.speaker+q("include", "inventoryLines")), 200).obj(t)["inventoryLines"].([]any)
	if len(lines) != 5 {
		t.Errorf("%d serial lines, want 5 (history kept)", len(lines))
	}

	// Take one out, bring a new one in.
	must(t, c.put("stock-adjustments", adjustment(id.main,
		map[string]any{"productId": id.speaker, "quantity": quantity("-1", "SPK-BT200-1001")},
		map[string]any{"productId": id.speaker, "quantity": quantity("1", "SPK-BT200-2001")})), 200)
	got := inStock()
	if len(got) != 3 || !contains(strings.Join(got, " "), "spk-bt200-2001") || contains(strings.Join(got, " "), "spk-bt200-1001") {
		t.Errorf("after adjustment: %v", got)
	}
	// Bad serial movements.
	for name, adj := range map[string]map[string]any{
		"already in stock": adjustment(id.showroom, map[string]any{"productId": id.speaker, "quantity": quantity("1", "SPK-BT200-1002")}),
		"count mismatch":   adjustment(id.main, map[string]any{"productId": id.speaker, "quantity": quantity("2", "SPK-X")}),
		"no serials":       adjustment(id.main, map[string]any{"productId": id.speaker, "quantity": quantity("1")}),
		"duplicate":        adjustment(id.main, map[string]any{"productId": id.speaker, "quantity": quantity("2", "A", "a")}),
	} {
		if r := c.put("stock-adjustments", adj); r.status != 400 {
			t.Errorf("%s: status %d: %s", name, r.status, r.body)
		}
	}
	// Removing a serial that is not there is negative inventory, override or not.
	c.hdr = map[string][]string{"X-OverrideAllowNegativeInventory": {"true"}}
	r := c.put("stock-adjustments", adjustment(id.showroom, map[string]any{"productId": id.speaker, "quantity": quantity("-1", "SPK-BT200-1003")}))
	c.hdr = nil
	if r.status != 422 {
		t.Errorf("serial not in stock: %d %s", r.status, r.body)
	}
	// Selling a serial with a pick line.
	so := map[string]any{
		"salesOrderId": uuid.NewString(), "customerId": id.blueHarbor, "source": "etl tests",
		"lines":     []any{map[string]any{"salesOrderLineId": uuid.NewString(), "productId": id.speaker, "quantity": quantity("1", "SPK-BT200-1003")}},
		"pickLines": []any{map[string]any{"salesOrderPickLineId": uuid.NewString(), "productId": id.speaker, "locationId": id.main, "quantity": quantity("1", "SPK-BT200-1003")}},
	}
	must(t, c.put("sales-orders", so), 200)
	got = inStock()
	if len(got) != 2 {
		t.Errorf("after sale: %v", got)
	}
	// The serial shows on the order's lines.
	o := must(t, c.get("/sales-orders/"+so["salesOrderId"].(string)+q("include", "lines")), 200).obj(t)
	sn := o["lines"].([]any)[0].(map[string]any)["quantity"].(map[string]any)["serialNumbers"].([]any)
	if len(sn) != 1 || sn[0] != "SPK-BT200-1003" {
		t.Errorf("serialNumbers on the line: %v", sn)
	}
}
