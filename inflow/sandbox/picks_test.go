package sandbox

import (
	"testing"

	"github.com/google/uuid"
)

// lineQty is the quantity of one inventory line of a product.
func lineQty(t *testing.T, c *tc, product, location, sub string) string {
	t.Helper()
	p := must(t, c.get("/products/"+product+q("include", "inventoryLines")), 200).obj(t)
	for _, l := range p["inventoryLines"].([]any) {
		m := l.(map[string]any)
		if m["locationId"] == location && m["sublocation"] == sub {
			return m["quantityOnHand"].(string)
		}
	}
	return "none"
}

func TestPicksWithoutSublocationTakeFromTheLocation(t *testing.T) {
	t.Parallel()
	c := start(t, Options{})
	id := ids(t, c.s)
	pid := uuid.NewString()
	must(t, c.put("products", map[string]any{"productId": pid, "name": "Scarf"}), 200)
	must(t, c.put("stock-adjustments", adjustment(id.main,
		map[string]any{"productId": pid, "quantity": quantity("4"), "sublocation": "B-02"},
		map[string]any{"productId": pid, "quantity": quantity("5"), "sublocation": "A-01"},
		map[string]any{"productId": pid, "quantity": quantity("1")},
	)), 200)

	// 8 picked with no sublocation: the location has 10, so inFlow's rule
	// (per location) lets it through; the unnamed bin goes first, then
	// A-01, then B-02.
	pick := map[string]any{"salesOrderPickLineId": uuid.NewString(), "productId": pid, "locationId": id.main, "quantity": quantity("8")}
	so := map[string]any{
		"salesOrderId": uuid.NewString(), "customerId": id.blueHarbor, "source": "etl tests", "locationId": id.main,
		"lines":     []any{map[string]any{"salesOrderLineId": uuid.NewString(), "productId": pid, "quantity": quantity("8"), "unitPrice": "5"}},
		"pickLines": []any{pick},
	}
	must(t, c.put("sales-orders", so), 200)
	for sub, want := range map[string]string{"": "0.00000", "A-01": "0.00000", "B-02": "2.00000"} {
		if got := lineQty(t, c, pid, id.main, sub); got != want {
			t.Errorf("after the pick, %q holds %s, want %s", sub, got, want)
		}
	}
	// Editing the pick undoes exactly what it took, then takes anew.
	pick["quantity"] = quantity("3")
	must(t, c.put("sales-orders", so), 200)
	for sub, want := range map[string]string{"": "0.00000", "A-01": "3.00000", "B-02": "4.00000"} {
		if got := lineQty(t, c, pid, id.main, sub); got != want {
			t.Errorf("after the edit, %q holds %s, want %s", sub, got, want)
		}
	}
	// More than the location holds is refused, and changes nothing.
	pick["quantity"] = quantity("11")
	must(t, c.put("sales-orders", so), 422)
	if got := onHand(t, c, pid, id.main); got != "7.00000" {
		t.Errorf("refused edit left %s on hand", got)
	}
	// A decrease naming a sublocation may leave that bin below zero while
	// the location as a whole stays at or above zero.
	must(t, c.put("stock-adjustments", adjustment(id.main, map[string]any{"productId": pid, "quantity": quantity("-5"), "sublocation": "A-01"})), 200)
	if got := lineQty(t, c, pid, id.main, "A-01"); got != "-2.00000" {
		t.Errorf("A-01 holds %s", got)
	}
	if got := onHand(t, c, pid, id.main); got != "2.00000" {
		t.Errorf("location holds %s", got)
	}
}

func TestCustomFieldLabelsAndOperationTypes(t *testing.T) {
	t.Parallel()
	c := start(t, Options{})
	defs := must(t, c.get("/custom-field-definitions"), 200).list(t)
	labels := map[string]string{}
	for _, d := range defs {
		labels[d["entityType"].(string)+"."+d["propertyName"].(string)] = d["label"].(string)
	}
	if labels["product.custom1"] != "Color" || labels["salesOrder.custom1"] != "Channel" {
		t.Errorf("definitions: %v", labels)
	}
	// A new definition is a PUT like any other entity.
	id := uuid.NewString()
	must(t, c.put("custom-field-definitions", map[string]any{"customFieldDefinitionId": id, "entityType": "Vendor", "propertyName": "custom4", "label": "Region", "customFieldType": "text"}), 200)
	if d, ok := c.s.Entity("custom-field-definitions", id); !ok || d["label"] != "Region" {
		t.Errorf("stored definition: %v", d)
	}
	// custom-fields is one object, keyed by the company id.
	cf := must(t, c.get("/custom-fields"), 200).obj(t)
	if cf["customFieldsId"] != c.s.CompanyID() || cf["salesOrderCustomFieldPrintLabels"].(map[string]any)["custom1Print"] != true {
		t.Errorf("custom-fields: %v", cf)
	}
	must(t, c.put("custom-fields", map[string]any{"purchaseOrderCustomFieldPrintLabels": map[string]any{"custom2Print": true}}), 200)
	cf = must(t, c.get("/custom-fields"), 200).obj(t)
	if cf["purchaseOrderCustomFieldPrintLabels"].(map[string]any)["custom2Print"] != true || cf["salesOrderCustomFieldPrintLabels"].(map[string]any)["custom1Print"] != true {
		t.Errorf("after PUT: %v", cf)
	}
	must(t, c.put("custom-fields", map[string]any{"customFieldsId": uuid.NewString()}), 400)
	ops := must(t, c.get("/operation-types"+q("sort", "name")), 200).list(t)
	if len(ops) != 3 || ops[0]["name"] != "Assembly" {
		t.Errorf("operation types: %v", ops)
	}
	must(t, c.get("/operation-types/"+ops[0]["operationTypeId"].(string)), 200)
	must(t, c.put("operation-types", map[string]any{"operationTypeId": uuid.NewString(), "name": "X"}), 405)
}
