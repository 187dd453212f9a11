package inflow

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestDecimalMarshalsAsString(t *testing.T) {
	b, err := json.Marshal(struct {
		A Decimal  `json:"a"`
		B *Decimal `json:"b,omitempty"`
		C *Decimal `json:"c,omitempty"`
	}{A: MustDecimal("19.99"), B: DecimalPtr("-0.00001")})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"a":"19.99","b":"-0.00001"}`; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}

func TestDecimalUnmarshalStringsAndNumbers(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`"19.99"`, "19.99"},
		{`19.99`, "19.99"},
		{`"1.00000"`, "1"},
		{`0.1`, "0.1"},
		{`12345678901234567890.123456789`, "12345678901234567890.123456789"},
		{`"  7 "`, "7"},
		{`""`, "0"},
		{`1e3`, "1000"},
	} {
		var d Decimal
		if err := json.Unmarshal([]byte(tc.in), &d); err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if !d.Equal(MustDecimal(tc.want)) {
			t.Errorf("%s: got %s, want %s", tc.in, d, tc.want)
		}
	}
	for _, bad := range []string{`"abc"`, `true`, `{}`, `"1,5"`} {
		var d Decimal
		if err := json.Unmarshal([]byte(bad), &d); err == nil {
			t.Errorf("%s: want error, got %s", bad, d)
		}
	}
	var v struct {
		P *Decimal `json:"p"`
	}
	if err := json.Unmarshal([]byte(`{"p":null}`), &v); err != nil || v.P != nil {
		t.Fatalf("null: %v %v", v.P, err)
	}
}

func TestDecimalExactArithmetic(t *testing.T) {
	var a, b Decimal
	_ = json.Unmarshal([]byte(`0.1`), &a)
	_ = json.Unmarshal([]byte(`"0.2"`), &b)
	if sum := (Decimal{a.Add(b.Decimal)}); !sum.Equal(MustDecimal("0.3")) {
		t.Fatalf("0.1+0.2 = %s", sum)
	}
}

func TestDateTimeForms(t *testing.T) {
	for _, in := range []string{
		`"2026-01-20T17:06:26.3122114+00:00"`,
		`"2026-01-20T17:06:26.3122114Z"`,
		`"2026-01-20T17:06:26.3122114"`,
	} {
		var d DateTime
		if err := json.Unmarshal([]byte(in), &d); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		want := time.Date(2026, 1, 20, 17, 6, 26, 312211400, time.UTC)
		if !d.Equal(want) {
			t.Errorf("%s: got %v", in, d.Time)
		}
	}
	var d DateTime
	if err := json.Unmarshal([]byte(`"2024-02-29"`), &d); err != nil || d.Day() != 29 {
		t.Fatalf("date only: %v %v", d, err)
	}
	if err := json.Unmarshal([]byte(`"yesterday"`), &d); err == nil {
		t.Fatal("want error")
	}
	b, _ := json.Marshal(DateTime{time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)})
	if string(b) != `"2024-05-01T08:00:00Z"` {
		t.Fatalf("marshal: %s", b)
	}
}

func TestProductPutBodySendsOnlyWhatIsSet(t *testing.T) {
	p := Product{ProductID: "9b2a4f0e-5d4c-4a8e-9a59-4b3c1d2e3f40", Description: new("")}
	b, _ := json.Marshal(p)
	if got, want := string(b), `{"productId":"9b2a4f0e-5d4c-4a8e-9a59-4b3c1d2e3f40","description":""}`; got != want {
		t.Fatalf("got %s\nwant %s", got, want)
	}
	// A nil slice is left out; an empty one is sent to clear the list.
	p = Product{ProductID: "x", ProductBarcodes: []ProductBarcode{}}
	b, _ = json.Marshal(p)
	if !strings.Contains(string(b), `"productBarcodes":[]`) || strings.Contains(string(b), "prices") {
		t.Fatalf("got %s", b)
	}
}

func TestProductDecodesSpecShapes(t *testing.T) {
	const body = `{
	  "productId":"a0000000-0000-0000-0000-000000000001","name":"Widget","itemType":"stockedProduct",
	  "trackSerials":true,"timestamp":"0000000000310AB6","totalQuantityOnHand":"3.00000",
	  "lastModifiedDateTime":"2026-01-20T17:06:26.3122114+00:00",
	  "prices":[{"productPriceId":"p1","priceType":"fixedPrice","unitPrice":"19.99"}],
	  "productBarcodes":[{"productBarcodeId":"b1","barcode":"0123456789012","lineNum":1}],
	  "vendorItems":[{"vendorItemId":"v1","vendorId":"v","cost":4.5,"leadTimeDays":null}],
	  "reorderSettings":[{"reorderSettingsId":"r1","locationId":"l","reorderMethod":"purchaseOrder","reorderPoint":"5"}],
	  "inventoryLines":[{"inventoryLineId":"i1","locationId":"l","serial":"SN-1","quantityOnHand":"1.00000","sublocation":""}],
	  "cost":{"productCostId":"c","cost":null},
	  "unknownFutureField":{"x":1}
	}`
	var p Product
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatal(err)
	}
	if *p.ItemType != StockedProduct || !p.Prices[0].PriceType.Is(FixedPrice) || *p.Prices[0].PriceType != FixedPrice {
		t.Errorf("enums: %v %v", *p.ItemType, *p.Prices[0].PriceType)
	}
	if !p.Prices[0].UnitPrice.Equal(MustDecimal("19.99")) || !p.VendorItems[0].Cost.Equal(MustDecimal("4.5")) {
		t.Errorf("decimals: %v %v", p.Prices[0].UnitPrice, p.VendorItems[0].Cost)
	}
	if *p.InventoryLines[0].Serial != "SN-1" || !p.InventoryLines[0].QuantityOnHand.Equal(DecimalFromInt(1)) {
		t.Errorf("inventory line: %+v", p.InventoryLines[0])
	}
	if p.Timestamp != "0000000000310AB6" || p.EntityID() != "a0000000-0000-0000-0000-000000000001" {
		t.Errorf("timestamp/id: %q %q", p.Timestamp, p.EntityID())
	}
	if *p.ReorderSettings[0].ReorderMethod != ReorderPurchaseOrder || p.Cost.Cost != nil || p.VendorItems[0].LeadTimeDays != nil {
		t.Errorf("reorder/cost: %+v %+v", p.ReorderSettings[0], p.Cost)
	}
}
