package sandbox

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/shopspring/decimal"
)

// Company sizes the generated sample company. Zero fields take the
// defaults of the bundled sample (DefaultCompany).
type Company struct {
	Warehouses     int `json:"warehouses"`      // standard warehouses (default 3)
	Vendors        int `json:"vendors"`         // default 4
	Stores         int `json:"stores"`          // default 3
	Products       int `json:"products"`        // default 40; every 20th is a group, every 25th a kit
	Orders         int `json:"orders"`          // default 120; every 9th has a line with no product (an unmapped listing)
	PurchaseOrders int `json:"purchase_orders"` // default 12
	Receipts       int `json:"receipts"`        // default 8
	Adjustments    int `json:"adjustments"`     // default 6
	Transfers      int `json:"transfers"`       // default 5
	// Epoch is the first order's date (default 2026-11-01T00:00:00Z);
	// documents follow it at regular steps.
	Epoch time.Time `json:"-"`
}

// DefaultCompany is the bundled sample company.
var DefaultCompany = Company{Warehouses: 3, Vendors: 4, Stores: 3, Products: 40, Orders: 120,
	PurchaseOrders: 12, Receipts: 8, Adjustments: 6, Transfers: 5}

func (c Company) withDefaults() Company {
	d := DefaultCompany
	set := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	set(&c.Warehouses, d.Warehouses)
	set(&c.Vendors, d.Vendors)
	set(&c.Stores, d.Stores)
	set(&c.Products, d.Products)
	set(&c.Orders, d.Orders)
	set(&c.PurchaseOrders, d.PurchaseOrders)
	set(&c.Receipts, d.Receipts)
	set(&c.Adjustments, d.Adjustments)
	set(&c.Transfers, d.Transfers)
	if c.Epoch.IsZero() {
		c.Epoch = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	}
	return c
}

var (
	warehouseNames = []string{"Main Warehouse", "East Coast DC", "West Coast DC", "Returns Center", "Overflow"}
	vendorNames    = []string{"Acme Supply Co", "Northwind Traders", "Globex Components", "Initech Parts", "Umbrella Goods"}
	storeDefs      = [][2]string{{"Amazon US", "amazon_seller_central_usa"}, {"Walmart Marketplace", "walmart_marketplace_usa"}, {"Shopify Store", "shopify"}, {"eBay", "ebay_usa"}}
	brands         = []string{"Northwind", "Contoso", "Fabrikam", "Tailspin"}
	categories     = []string{"Audio", "Cables", "Chargers", "Cases", "Lighting"}
	orderStatuses  = []string{"awaiting_confirmation", "ready_to_pick", "in_picking", "in_packing", "shipped", "shipped", "shipped", "canceled", "backorder", "ready_for_pickup"}
	poStatuses     = []string{"awaiting_receipt", "receiving", "received_partial", "received", "closed"}
)

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func money(amount decimal.Decimal, code string) map[string]any {
	return map[string]any{"amount": numDec(amount), "currency": map[string]any{"code": code, "exchange_rate": num("1")}}
}

func charge(amount decimal.Decimal, typ string) map[string]any {
	m := money(amount, "usd")
	m["type"] = typ
	return m
}

func quantity(n decimal.Decimal) map[string]any {
	return map[string]any{"amount": numDec(n), "measure": map[string]any{"amount": num("1"), "abbreviation": "ea"}}
}

func address(rng *rand.Rand, i int) map[string]any {
	cities := [][3]string{{"Columbus", "oh", "43004"}, {"Austin", "tx", "73301"}, {"Denver", "co", "80201"}, {"Portland", "or", "97201"}}
	c := cities[i%len(cities)]
	return map[string]any{"company": nil, "street1": fmt.Sprintf("%d Main St", 100+rng.IntN(900)), "street2": nil,
		"city": c[0], "state": c[1], "zip_code": c[2], "country_code": "us", "email": fmt.Sprintf("buyer%d@example.com", i),
		"phone": nil, "phone_extension": nil, "first_name": "Pat", "last_name": fmt.Sprintf("Buyer %d", i)}
}

func ref(rec map[string]any, keys ...string) map[string]any {
	out := map[string]any{}
	for _, k := range keys {
		out[k] = rec[k]
	}
	return out
}

// seed fills the store with the generated company.
func (s *Server) seed(c Company) {
	c = c.withDefaults()
	rng := rand.New(rand.NewPCG(14, 2026))
	at := func(i int, step time.Duration) time.Time { return c.Epoch.Add(time.Duration(i) * step) }

	var whs []map[string]any
	for i := range c.Warehouses {
		name := warehouseNames[i%len(warehouseNames)]
		if i >= len(warehouseNames) {
			name = fmt.Sprintf("%s %d", name, i)
		}
		w := map[string]any{"id": newUUID("warehouse", i), "name": name, "type": "standard",
			"settings": map[string]any{"allows_fulfilling_transfers_without_inventory": false, "allows_receiving_without_purchase_order": true, "uses_inventory_locations": i == 0},
			"address":  address(rng, i), "tags": []any{}}
		s.colls["warehouses"].put(w)
		whs = append(whs, w)
	}
	var vendors []map[string]any
	for i := range c.Vendors {
		v := map[string]any{"id": numInt(int64(101 + i)), "name": vendorNames[i%len(vendorNames)], "status": "active", "currency": "usd", "tags": []any{}, "notes": []any{}}
		if i >= len(vendorNames) {
			v["name"] = fmt.Sprintf("%s %d", vendorNames[i%len(vendorNames)], i)
		}
		s.colls["vendors"].put(v)
		vendors = append(vendors, v)
	}
	var stores []map[string]any
	for i := range c.Stores {
		d := storeDefs[i%len(storeDefs)]
		st := map[string]any{"id": numInt(int64(11 + i)), "name": d[0], "channel": d[1], "status": "active", "status_updated_at": ts(c.Epoch.Add(-30 * 24 * time.Hour)),
			"settings": map[string]any{"capture_funds": true, "currency": "usd",
				"imports": map[string]any{"listings": true, "orders": true, "store_fulfilled_orders": false}}}
		s.colls["stores"].put(st)
		stores = append(stores, st)
	}
	var products, stocked []map[string]any
	for i := range c.Products {
		id := int64(5001 + i)
		typ := "standard"
		switch {
		case i%20 == 19:
			typ = "group"
		case i%25 == 24:
			typ = "kit"
		}
		price := decimal.New(int64(999+rng.IntN(9000)), -2)
		cost := price.Mul(decimal.New(55, -2)).Round(2)
		p := map[string]any{"id": numInt(id), "type": typ, "item_number": fmt.Sprintf("GF-%04d", i+1), "status": "active", "tags": []any{},
			"children": []any{},
			"details": map[string]any{"name": fmt.Sprintf("%s %s item %d", brands[i%len(brands)], categories[i%len(categories)], i+1),
				"description": fmt.Sprintf("Sample product %d, with a comma", i+1), "purchase_name": nil, "brand": brands[i%len(brands)],
				"manufacturer": brands[(i+1)%len(brands)], "condition": "new", "category": categories[i%len(categories)], "is_perishable": false},
			"pricing":  map[string]any{"default_cost": numDec(cost), "default_price": numDec(price), "msrp": numDec(price.Add(decimal.NewFromInt(5))), "map": nil},
			"settings": map[string]any{"fulfillment_method": "warehouse", "is_purchasable": typ != "group", "is_sellable": true},
			"units_of_measure": map[string]any{"defaults": map[string]any{"purchasing": newUUID("uom", i), "sales": newUUID("uom", i), "shipping": newUUID("uom", i)},
				"all": []any{map[string]any{"id": newUUID("uom", i), "quantity": num("1"), "abbreviation": "ea", "description": "each"}}},
			"identifiers": []any{map[string]any{"type": "upc", "value": fmt.Sprintf("0%011d", 400000000+i*7), "unit_of_measure_id": newUUID("uom", i)}},
			"shipping": map[string]any{"weight": map[string]any{"measure": "ounces", "amount": num(fmt.Sprintf("%d.5", 1+i%30))},
				"dimensions":    map[string]any{"measure": "inches", "length": num("6"), "width": num("4"), "height": num("2.25")},
				"insured_value": nil},
			"customs": map[string]any{"description": nil, "declared_value": nil, "hts_tariff_code": nil, "country_of_origin": "cn"},
		}
		if typ != "standard" && len(stocked) >= 2 {
			p["children"] = []any{map[string]any{"product_id": stocked[0]["id"], "quantity": num("1")}, map[string]any{"product_id": stocked[1]["id"], "quantity": num("2")}}
		}
		s.colls["products"].put(p)
		products = append(products, p)
		if typ != "group" {
			stocked = append(stocked, p)
			for wi, w := range whs {
				s.stock[stockKey{id, w["id"].(string)}] = &level{onHand: decimal.NewFromInt(int64((i*7 + wi*3) % 40))}
			}
		}
	}
	// Listings: each store lists most products; a few listings are not
	// mapped to a product.
	for si, st := range stores {
		for i, p := range products {
			if (i+si)%4 == 3 {
				continue
			}
			l := map[string]any{"internal_id": newUUID("listing", si, i), "status": "active", "store": ref(st, "id", "name", "channel"),
				"store_provided_id": fmt.Sprintf("SP%d-%05d", si, i), "store_page_url": fmt.Sprintf("https://example.com/%d/item/%d", si, i),
				"sku": p["item_number"], "fulfillment_network_sku": nil, "title": lookup(p, "details.name"), "description": nil,
				"price":   map[string]any{"amount": lookup(p, "pricing.default_price"), "currency": map[string]any{"code": "usd"}},
				"product": map[string]any{"id": p["id"], "item_number": p["item_number"]}, "fulfilled_by": "merchant", "tags": []any{}, "notes": []any{}}
			if i%11 == 10 {
				l["product"] = nil
				l["sku"] = fmt.Sprintf("UNMAPPED-%d-%d", si, i)
			}
			s.colls["listings"].put(l)
		}
	}
	for i := range c.Orders {
		s.colls["orders"].put(s.genOrder(rng, i, at(i, 37*time.Minute), stores, whs, stocked))
	}
	s.nextID["orders"] = int64(900001 + c.Orders)
	for i := range c.PurchaseOrders {
		w, v := whs[i%len(whs)], vendors[i%len(vendors)]
		var lines []any
		total := decimal.Zero
		for k := range 1 + i%3 {
			p := stocked[(i*3+k)%len(stocked)]
			q := decimal.NewFromInt(int64(10 + (i+k)%15))
			price := decOf(lookup(p, "pricing.default_cost"))
			status := poStatuses[i%len(poStatuses)]
			received := decimal.Zero
			switch status {
			case "received", "closed":
				received = q
			case "received_partial", "receiving":
				received = q.Div(decimal.NewFromInt(2)).Floor()
			}
			total = total.Add(q.Mul(price))
			lines = append(lines, map[string]any{"id": numInt(int64(70001 + i*10 + k)), "product": ref(p, "id", "item_number"),
				"vendor_item_number": fmt.Sprintf("V-%s", p["item_number"]), "quantity": quantity(q), "price": money(price, "usd"), "units_received": numDec(received)})
			lines[len(lines)-1].(map[string]any)["product"].(map[string]any)["name"] = lookup(p, "details.name")
		}
		po := map[string]any{"id": numInt(int64(3001 + i)), "type": "standard", "purchase_order_number": fmt.Sprintf("PO-%05d", 1001+i),
			"date": ts(at(i, 29*time.Hour)), "status": poStatuses[i%len(poStatuses)], "warehouse": ref(w, "id", "name"), "vendor": ref(v, "id", "name"),
			"vendor_purchase_order": map[string]any{"purchase_order_number": nil, "is_submitted": i%2 == 0},
			"charges":               []any{charge(decimal.New(1500, -2), "shipping")},
			"shipment":              map[string]any{"expected_at": ts(at(i, 29*time.Hour).Add(72 * time.Hour)), "type": "ltl", "carrier": nil, "shipping_method": nil, "address": nil},
			"lines":                 lines, "tags": []any{}, "notes": []any{},
			"summary": map[string]any{"subtotal": money(total, "usd"), "total": money(total.Add(decimal.New(1500, -2)), "usd")},
			"meta":    map[string]any{"created": map[string]any{"at": ts(at(i, 29*time.Hour)), "by": map[string]any{"type": "user", "user": map[string]any{"username": "buyer"}}}}}
		s.colls["purchase-orders"].put(po)
	}
	s.nextID["purchase-orders"] = int64(3001 + c.PurchaseOrders)
	for i := range c.Receipts {
		w, v := whs[i%len(whs)], vendors[i%len(vendors)]
		var lines []any
		for k := range 1 + i%2 {
			p := stocked[(i*5+k)%len(stocked)]
			pr := ref(p, "id", "item_number")
			pr["name"] = lookup(p, "details.name")
			lines = append(lines, map[string]any{"id": newUUID("receipt-line", i, k), "product": pr, "description": lookup(p, "details.name"),
				"purchase_order": nil, "units_received": numInt(int64(5 + k)), "cost": money(decOf(lookup(p, "pricing.default_cost")), "usd"), "children": []any{}})
		}
		status := "completed"
		if i%4 == 3 {
			status = "draft"
		}
		s.colls["receipts"].put(map[string]any{"id": numInt(int64(4001 + i)), "reference_number": fmt.Sprintf("RCV-%04d", i+1), "date": ts(at(i, 31*time.Hour)),
			"status": status, "warehouse": ref(w, "id", "name"), "vendor": ref(v, "id", "name"), "lines": lines, "tags": []any{}, "notes": []any{},
			"meta": map[string]any{"created": map[string]any{"at": ts(at(i, 31*time.Hour)), "by": map[string]any{"type": "user", "user": map[string]any{"username": "receiver"}}}}})
	}
	for i := range c.Adjustments {
		w := whs[i%len(whs)]
		var lines []any
		for k := range 2 {
			p := stocked[(i*2+k)%len(stocked)]
			lines = append(lines, map[string]any{"product_id": p["id"], "product_description": lookup(p, "details.name"),
				"quantity": numInt(int64(k*2 - 1)), "cost": lookup(p, "pricing.default_cost"), "reason": "cycle count"})
		}
		s.colls["adjustments"].put(map[string]any{"id": numInt(int64(6001 + i)), "created_at": ts(at(i, 23*time.Hour)), "reference_number": fmt.Sprintf("ADJ-%04d", i+1),
			"warehouse": ref(w, "id", "name"), "tags": []any{}, "notes": []any{}, "lines": lines,
			"meta": map[string]any{"created": map[string]any{"at": ts(at(i, 23*time.Hour)), "by": map[string]any{"type": "user", "user": map[string]any{"username": "counter"}}}}})
	}
	s.nextID["adjustments"] = int64(6001 + c.Adjustments)
	for i := range c.Transfers {
		from, to := whs[i%len(whs)], whs[(i+1)%len(whs)]
		end := func(w map[string]any) map[string]any {
			e := ref(w, "id", "name", "type")
			e["external_id"] = nil
			e["address"] = w["address"]
			return e
		}
		var lines []any
		for k := range 2 {
			p := stocked[(i*3+k)%len(stocked)]
			pr := ref(p, "id", "item_number")
			pr["name"] = lookup(p, "details.name")
			lines = append(lines, map[string]any{"id": newUUID("transfer-line", i, k), "product": pr,
				"listing": nil, "quantity": quantity(decimal.NewFromInt(int64(3 + k))), "units_received": numInt(0), "units_reported_received": numInt(0),
				"expires_at": nil, "preparations": []any{}})
		}
		s.colls["transfers"].put(map[string]any{"id": numInt(int64(8001 + i)), "reference_number": fmt.Sprintf("TR-%04d", i+1), "external_id": nil,
			"date": ts(at(i, 41*time.Hour)), "status": []string{"ready_to_pick", "ready_to_ship", "shipped", "received"}[i%4],
			"warehouses": map[string]any{"from": end(from), "to": end(to)}, "lines": lines,
			"shipment":               map[string]any{"type": "small_parcel", "carrier": "ups", "shipping_method": "ups_ground", "shipped_at": nil, "cost": nil, "boxes": []any{}, "pallets": []any{}},
			"is_reserving_inventory": true, "tags": []any{}, "notes": []any{},
			"meta": map[string]any{"created": map[string]any{"at": ts(at(i, 41*time.Hour)), "by": map[string]any{"type": "user", "user": map[string]any{"username": "planner"}}}}})
	}
	s.nextID["products"] = int64(5001 + c.Products)
	s.nextID["reports"] = 1
}

// genOrder makes order number i, dated d.
func (s *Server) genOrder(rng *rand.Rand, i int, d time.Time, stores, whs, stocked []map[string]any) map[string]any {
	st, w := stores[i%len(stores)], whs[i%len(whs)]
	status := orderStatuses[i%len(orderStatuses)]
	var lines []any
	subtotal := decimal.Zero
	for k := range 1 + i%3 {
		p := stocked[(i*7+k*3)%len(stocked)]
		q := decimal.NewFromInt(int64(1 + (i+k)%4))
		price := decOf(lookup(p, "pricing.default_price"))
		var prod any = map[string]any{"id": p["id"], "item_number": p["item_number"], "name": lookup(p, "details.name"), "description": lookup(p, "details.description")}
		sku := p["item_number"]
		if i%9 == 8 && k == 0 {
			prod, sku = nil, fmt.Sprintf("UNMAPPED-%d", i)
		}
		charges := []any{charge(price, "price")}
		if i%5 == 0 {
			charges = append(charges, charge(decimal.New(-150, -2), "discount"))
		}
		lineTotal := price.Mul(q)
		subtotal = subtotal.Add(lineTotal)
		lines = append(lines, map[string]any{"id": newUUID("order-line", i, k), "product": prod,
			"listing":  map[string]any{"store_provided_id": fmt.Sprintf("SP-%d-%d", i, k), "sku": sku, "description": nil},
			"quantity": quantity(q), "charges": charges,
			"taxes":               []any{charge(lineTotal.Mul(decimal.New(7, -2)).Round(2), "price")},
			"costs":               []any{charge(decOf(lookup(p, "pricing.default_cost")), "cogs"), charge(lineTotal.Mul(decimal.New(15, -2)).Round(2), "commission")},
			"consumer_financials": []any{}, "children": []any{}, "customization": nil})
	}
	shipping := decimal.New(int64(499+rng.IntN(500)), -2)
	var shipment map[string]any
	if status == "shipped" {
		shipment = map[string]any{"type": "small_parcel", "carrier": "ups", "shipping_method": "ups_ground", "scac": nil, "shipped_at": ts(d.Add(20 * time.Hour)),
			"boxes": []any{map[string]any{"id": newUUID("box", i), "cost": money(shipping, "usd"), "tracking_number": fmt.Sprintf("1Z%016d", i),
				"weight":     map[string]any{"measure": "ounces", "amount": num("12.5")},
				"dimensions": map[string]any{"measure": "inches", "length": num("10"), "width": num("8"), "height": num("4")},
				"lines":      []any{map[string]any{"order_line_id": newUUID("order-line", i, 0), "quantity": numInt(1)}}}},
			"third_party_account": nil}
	} else {
		shipment = map[string]any{"type": "small_parcel", "carrier": nil, "shipping_method": nil, "scac": nil, "shipped_at": nil, "boxes": []any{}, "third_party_account": nil}
	}
	var billing any = address(rng, i)
	if i%13 == 12 {
		billing = nil
	}
	var invoice any
	if status == "shipped" {
		invoice = fmt.Sprintf("INV-%06d", i+1)
	}
	total := subtotal.Add(shipping)
	return map[string]any{"id": numInt(int64(900001 + i)), "order_number": fmt.Sprintf("%03d-%07d-%04d", 111+i%7, 1000000+i*13, i%10000),
		"date": ts(d), "status": status, "status_updated_at": ts(d.Add(time.Duration(1+i%5) * time.Hour)),
		"source": "channel", "fulfilled_by": "merchant", "store": ref(st, "id", "name", "channel"), "warehouse": ref(w, "id", "name"),
		"lines": lines, "shipping_address": address(rng, i+1), "billing_address": billing, "notes": []any{},
		"pick_list_number": nil, "invoice_number": invoice, "purchase_order_number": nil, "is_gift": i%17 == 0, "is_pii_removed": false,
		"is_reserving_inventory": status != "shipped" && status != "canceled", "shipment": shipment,
		"ship_dates": map[string]any{"earliest_ship": ts(d), "latest_ship": ts(d.Add(48 * time.Hour)), "earliest_delivery": nil, "latest_delivery": ts(d.Add(7 * 24 * time.Hour)),
			"store_provided_latest_ship": ts(d.Add(48 * time.Hour)), "store_provided_latest_delivery": nil},
		"tags": []any{}, "charges": []any{charge(shipping, "shipping")}, "taxes": []any{}, "costs": []any{charge(decimal.New(30, -2), "payment_fee")},
		"original_order_id": nil,
		"external_transactions": map[string]any{"store_shipment_notification": map[string]any{"sent_at": shipment["shipped_at"]},
			"store_invoice": map[string]any{"sent_at": nil}, "accounting_invoice": map[string]any{"sent_at": nil}},
		"summary": map[string]any{"subtotal": money(subtotal, "usd"), "total": money(total, "usd")}}
}
