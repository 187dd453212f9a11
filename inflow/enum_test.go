package inflow

import (
	"encoding/json"
	"testing"
)

func TestEnumsCompareCaseInsensitively(t *testing.T) {
	if !EqualFold(ItemType("stockedProduct"), StockedProduct) || !ItemType("SERVICE").Is(ServiceItem) {
		t.Fatal("EqualFold")
	}
	if StockedProduct.Is(NonstockedProduct) {
		t.Fatal("different values compared equal")
	}
	var so struct {
		InventoryStatus *InventoryStatus `json:"inventoryStatus"`
		PaymentStatus   *PaymentStatus   `json:"paymentStatus"`
		Status          TransferStatus   `json:"status"`
		Other           ItemType         `json:"other"`
	}
	if err := json.Unmarshal([]byte(`{"inventoryStatus":"unfulfilled","paymentStatus":"PAID","status":"inTransit","other":"kitProduct"}`), &so); err != nil {
		t.Fatal(err)
	}
	if *so.InventoryStatus != InventoryUnfulfilled || *so.PaymentStatus != PaymentPaid || so.Status != TransferInTransit {
		t.Fatalf("normalised: %v %v %v", *so.InventoryStatus, *so.PaymentStatus, so.Status)
	}
	if so.Other != "kitProduct" { // unknown values survive as sent
		t.Fatalf("unknown: %q", so.Other)
	}
	b, _ := json.Marshal(so.Status)
	if string(b) != `"InTransit"` {
		t.Fatalf("marshal: %s", b)
	}
}
