package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/shopspring/decimal"
)

// errs collects validation errors by field for a 422.
type errs map[string][]string

func (e errs) add(field, format string, args ...any) {
	e[field] = append(e[field], fmt.Sprintf(format, args...))
}

func str(v any) (string, bool) {
	s, ok := v.(string)
	return strings.TrimSpace(s), ok
}

// number reads a JSON number (or nil) from a decoded body.
func number(v any) (decimal.Decimal, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return decimal.Zero, false
	}
	d, err := decimal.NewFromString(string(n))
	return d, err == nil
}

var (
	minPrice = decimal.New(1, -2)
	maxPrice = decimal.NewFromInt(1_000_000)
)

// checkPrice validates a pricing field: absent, null, or a number in
// [0.01, 1,000,000].
func checkPrice(e errs, field string, v any, present bool) {
	if !present || v == nil {
		return
	}
	d, ok := number(v)
	if !ok {
		e.add(field, "The %s must be a number.", field)
		return
	}
	if d.LessThan(minPrice) || d.GreaterThan(maxPrice) {
		e.add(field, "The %s must be between 0.01 and 1000000.", field)
	}
}

var pricingFields = []string{"default_cost", "default_price", "msrp", "map"}

// createProduct is POST /products: item_number required (1..100
// characters) and unique, at most 25 identifiers and children.
func (s *Server) createProduct(w *response, r *http.Request) {
	var body map[string]any
	if err := decode(r, &body); err != nil || body == nil {
		w.invalid(errs{"body": {"The body must be a JSON object."}})
		return
	}
	e := errs{}
	item, _ := str(body["item_number"])
	switch {
	case item == "":
		e.add("item_number", "The item number field is required.")
	case len([]rune(item)) > 100:
		e.add("item_number", "The item number may not be greater than 100 characters.")
	default:
		for _, p := range s.colls["products"].recs {
			if strings.EqualFold(p["item_number"].(string), item) {
				e.add("item_number", "The item number has already been taken.")
				break
			}
		}
	}
	typ := "standard"
	if t, ok := body["type"]; ok && t != nil {
		typ, _ = str(t)
		if typ != "standard" && typ != "group" && typ != "kit" {
			e.add("type", "The selected type is invalid.")
		}
	}
	ids, _ := body["identifiers"].([]any)
	if len(ids) > 25 {
		e.add("identifiers", "The identifiers may not have more than 25 items.")
	}
	var identifiers []any
	for i, x := range ids {
		m, _ := x.(map[string]any)
		t, _ := str(m["type"])
		v, _ := str(m["value"])
		if t == "" || v == "" {
			e.add(fmt.Sprintf("identifiers.%d", i), "Each identifier needs a type and a value.")
			continue
		}
		identifiers = append(identifiers, map[string]any{"type": t, "value": v, "unit_of_measure_id": nil})
	}
	children, _ := body["children"].([]any)
	if len(children) > 25 {
		e.add("children", "The children may not have more than 25 items.")
	}
	pricing := map[string]any{"default_cost": nil, "default_price": nil, "msrp": nil, "map": nil}
	if p, ok := body["pricing"].(map[string]any); ok {
		for _, f := range pricingFields {
			v, present := p[f]
			checkPrice(e, "pricing."+f, v, present)
			if present {
				pricing[f] = v
			}
		}
	}
	details := map[string]any{"name": nil, "description": nil, "purchase_name": nil, "brand": nil, "manufacturer": nil, "condition": nil, "category": nil, "is_perishable": false}
	if d, ok := body["details"].(map[string]any); ok {
		for k := range details {
			if v, ok := d[k]; ok {
				if sv, isStr := v.(string); isStr {
					v = strings.TrimSpace(sv)
				}
				details[k] = v
			}
		}
	}
	if len(e) > 0 {
		w.invalid(e)
		return
	}
	if identifiers == nil {
		identifiers = []any{}
	}
	if children == nil {
		children = []any{}
	}
	id := s.newID("products")
	p := map[string]any{"id": numInt(id), "type": typ, "item_number": item, "status": "active", "tags": []any{}, "children": children,
		"details": details, "pricing": pricing,
		"settings":         map[string]any{"fulfillment_method": "warehouse", "is_purchasable": typ != "group", "is_sellable": true},
		"units_of_measure": map[string]any{"defaults": map[string]any{"purchasing": nil, "sales": nil, "shipping": nil}, "all": []any{}},
		"identifiers":      identifiers, "shipping": map[string]any{"weight": nil, "dimensions": nil, "insured_value": nil},
		"customs": map[string]any{"description": nil, "declared_value": nil, "hts_tariff_code": nil, "country_of_origin": nil}}
	s.colls["products"].put(p)
	s.stats.Creates["products"]++
	created(w, r, "/products", id)
}

// patchPricing is PATCH /products/{id}/pricing: a partial update, where
// an omitted field is left alone and null sets null; 204.
func (s *Server) patchPricing(w *response, r *http.Request) {
	p := s.colls["products"].get(r.PathValue("id"))
	if p == nil {
		w.fail(http.StatusNotFound, "The requested resource was not found.")
		return
	}
	var body map[string]any
	if err := decode(r, &body); err != nil || body == nil {
		w.invalid(errs{"body": {"The body must be a JSON object."}})
		return
	}
	e := errs{}
	for k, v := range body {
		found := false
		for _, f := range pricingFields {
			if f == k {
				found = true
			}
		}
		if !found {
			e.add(k, "The %s field is not a pricing field.", k)
			continue
		}
		checkPrice(e, k, v, true)
	}
	if len(e) > 0 {
		w.invalid(e)
		return
	}
	pricing, _ := p["pricing"].(map[string]any)
	if pricing == nil {
		pricing = map[string]any{}
		p["pricing"] = pricing
	}
	for k, v := range body {
		pricing[k] = v
	}
	s.stats.Creates["pricing"]++
	w.status = http.StatusNoContent
}

// createAdjustment is POST /inventory/adjustments: 1..2000 lines in one
// warehouse, absolute (replace on hand; unchanged lines ignored, 204 when
// every line is unchanged) or relative (add). The document stores the
// relative change made.
func (s *Server) createAdjustment(w *response, r *http.Request) {
	var body map[string]any
	if err := decode(r, &body); err != nil || body == nil {
		w.invalid(errs{"body": {"The body must be a JSON object."}})
		return
	}
	e := errs{}
	typ, _ := str(body["type"])
	if typ != "absolute" && typ != "relative" {
		e.add("type", "The type must be absolute or relative.")
	}
	whID, _ := str(body["warehouse_id"])
	wh := s.colls["warehouses"].get(whID)
	if wh == nil {
		e.add("warehouse_id", "The selected warehouse id is invalid.")
	}
	var ref any
	if v, ok := body["reference_number"]; ok && v != nil {
		rs, _ := str(v)
		ref = rs
	}
	lines, _ := body["lines"].([]any)
	if len(lines) < 1 || len(lines) > 2000 {
		e.add("lines", "The lines must have between 1 and 2000 items.")
	}
	type change struct {
		product map[string]any
		qty     decimal.Decimal
		line    map[string]any
	}
	var changes []change
	seen := map[int64]bool{}
	for i, x := range lines {
		m, _ := x.(map[string]any)
		field := fmt.Sprintf("lines.%d", i)
		pid, ok := number(m["product_id"])
		var p map[string]any
		if ok {
			p = s.colls["products"].get(pid.String())
		}
		switch {
		case p == nil:
			e.add(field+".product_id", "The selected product id is invalid.")
			continue
		case p["type"] == "group":
			e.add(field+".product_id", "Group products have no inventory of their own.")
			continue
		case seen[pid.IntPart()]:
			e.add(field+".product_id", "The product appears on more than one line.")
			continue
		}
		seen[pid.IntPart()] = true
		q, ok := number(m["quantity"])
		if !ok {
			e.add(field+".quantity", "The quantity must be a number.")
			continue
		}
		if typ == "absolute" && q.IsNegative() {
			e.add(field+".quantity", "An absolute quantity may not be negative.")
			continue
		}
		changes = append(changes, change{product: p, qty: q, line: m})
	}
	if len(e) > 0 {
		w.invalid(e)
		return
	}
	var stored []any
	for _, c := range changes {
		k := stockKey{intOf(c.product["id"]), whID}
		lv := s.stock[k]
		if lv == nil {
			lv = &level{}
			s.stock[k] = lv
		}
		delta := c.qty
		if typ == "absolute" {
			delta = c.qty.Sub(lv.onHand)
		}
		if delta.IsZero() {
			continue
		}
		lv.onHand = lv.onHand.Add(delta)
		reason := c.line["reason"]
		cost := c.line["cost"]
		if cost == nil {
			cost = lookup(c.product, "pricing.default_cost")
		}
		stored = append(stored, map[string]any{"product_id": c.product["id"], "product_description": lookup(c.product, "details.name"),
			"quantity": numDec(delta), "cost": cost, "reason": reason})
	}
	if len(stored) == 0 {
		w.status = http.StatusNoContent
		return
	}
	id := s.newID("adjustments")
	if ref == nil {
		ref = fmt.Sprintf("ADJ-%04d", id-6000)
	}
	now := ts(s.clock.Now())
	s.colls["adjustments"].put(map[string]any{"id": numInt(id), "created_at": now, "reference_number": ref,
		"warehouse": ref2(wh), "tags": []any{}, "notes": []any{}, "lines": stored,
		"meta": map[string]any{"created": map[string]any{"at": now, "by": map[string]any{"type": "api", "user": nil}}}})
	s.stats.Creates["adjustments"]++
	created(w, r, "/inventory/adjustments", id)
}

func ref2(wh map[string]any) map[string]any {
	return map[string]any{"id": wh["id"], "name": wh["name"]}
}

// createPurchaseOrder is POST /purchasing/purchase-orders with
// {purchase_order: {...}}. The docs do not say that purchase order numbers
// are unique, and the emulator does not make them so.
func (s *Server) createPurchaseOrder(w *response, r *http.Request) {
	var body map[string]any
	if err := decode(r, &body); err != nil || body == nil {
		w.invalid(errs{"body": {"The body must be a JSON object."}})
		return
	}
	po, _ := body["purchase_order"].(map[string]any)
	e := errs{}
	if po == nil {
		e.add("purchase_order", "The purchase order field is required.")
		w.invalid(e)
		return
	}
	poNumber, _ := str(po["purchase_order_number"])
	wh := s.colls["warehouses"].get(fmt.Sprint(lookup(po, "warehouse.id")))
	if wh == nil {
		e.add("purchase_order.warehouse.id", "The selected warehouse id is invalid.")
	}
	vendor := s.colls["vendors"].get(fmt.Sprint(lookup(po, "vendor.id")))
	if vendor == nil {
		e.add("purchase_order.vendor.id", "The selected vendor id is invalid.")
	}
	lines, _ := po["lines"].([]any)
	if len(lines) == 0 {
		e.add("purchase_order.lines", "The lines field is required.")
	}
	now := s.clock.Now()
	id := s.nextID["purchase-orders"]
	var stored []any
	subtotal := decimal.Zero
	for i, x := range lines {
		m, _ := x.(map[string]any)
		field := fmt.Sprintf("purchase_order.lines.%d", i)
		p := s.colls["products"].get(fmt.Sprint(lookup(m, "product.id")))
		if p == nil {
			e.add(field+".product.id", "The selected product id is invalid.")
			continue
		}
		if p["type"] == "group" {
			e.add(field+".product.id", "Group products cannot be purchased.")
			continue
		}
		q, ok := number(lookup(m, "quantity.amount"))
		if !ok || !q.IsPositive() {
			e.add(field+".quantity.amount", "The quantity must be at least 1.")
			continue
		}
		price, ok := number(lookup(m, "price.amount"))
		if !ok {
			price = decOf(lookup(p, "pricing.default_cost"))
		}
		subtotal = subtotal.Add(q.Mul(price))
		stored = append(stored, map[string]any{"id": numInt(id*100 + int64(i) + 1), "product": map[string]any{"id": p["id"], "item_number": p["item_number"], "name": lookup(p, "details.name")},
			"vendor_item_number": nil, "quantity": quantity(q), "price": money(price, "usd"), "units_received": numInt(0)})
	}
	if len(e) > 0 {
		w.invalid(e)
		return
	}
	s.newID("purchase-orders")
	if poNumber == "" {
		poNumber = fmt.Sprintf("PO-%05d", id)
	}
	date := ts(now)
	if d, ok := str(po["date"]); ok && d != "" {
		date = d
	}
	s.colls["purchase-orders"].put(map[string]any{"id": numInt(id), "type": "standard", "purchase_order_number": poNumber, "date": date,
		"status": "awaiting_receipt", "warehouse": ref2(wh), "vendor": map[string]any{"id": vendor["id"], "name": vendor["name"]},
		"vendor_purchase_order": map[string]any{"purchase_order_number": nil, "is_submitted": false}, "charges": []any{},
		"shipment": map[string]any{"expected_at": nil, "type": nil, "carrier": nil, "shipping_method": nil, "address": nil},
		"lines":    stored, "tags": []any{}, "notes": []any{},
		"summary": map[string]any{"subtotal": money(subtotal, "usd"), "total": money(subtotal, "usd")},
		"meta":    map[string]any{"created": map[string]any{"at": ts(now), "by": map[string]any{"type": "api", "user": nil}}}})
	s.stats.Creates["purchase-orders"]++
	created(w, r, "/purchasing/purchase-orders", id)
}

// splitOrder is POST /orders/{id}/splits: 2..100 chunks of the order's
// lines (every unit of every line in exactly one chunk). The original is
// deleted; each chunk becomes an order with a new id, the same
// order_number and original_order_id set, its status_updated_at now, and
// no invoice number.
func (s *Server) splitOrder(w *response, r *http.Request) {
	orders := s.colls["orders"]
	o := orders.get(r.PathValue("id"))
	if o == nil {
		w.fail(http.StatusNotFound, "The requested resource was not found.")
		return
	}
	if o["status"] == "shipped" || o["status"] == "canceled" {
		w.invalid(errs{"id": {fmt.Sprintf("An order that is %s cannot be split.", o["status"])}})
		return
	}
	var body struct {
		Chunks []struct {
			Lines []struct {
				ID       string      `json:"id"`
				Quantity json.Number `json:"quantity"`
			} `json:"lines"`
		} `json:"chunks"`
	}
	if err := decode(r, &body); err != nil {
		w.invalid(errs{"body": {"The body must be a JSON object."}})
		return
	}
	e := errs{}
	if len(body.Chunks) < 2 || len(body.Chunks) > 100 {
		e.add("chunks", "The chunks must have between 2 and 100 items.")
	}
	lines := map[string]map[string]any{}
	left := map[string]decimal.Decimal{}
	for _, l := range o["lines"].([]any) {
		m := l.(map[string]any)
		lines[m["id"].(string)] = m
		left[m["id"].(string)] = decOf(lookup(m, "quantity.amount"))
	}
	for ci, c := range body.Chunks {
		if len(c.Lines) == 0 {
			e.add(fmt.Sprintf("chunks.%d.lines", ci), "Each chunk needs at least one line.")
		}
		for li, l := range c.Lines {
			q, err := decimal.NewFromString(string(l.Quantity))
			if _, ok := lines[l.ID]; !ok || err != nil || !q.IsPositive() {
				e.add(fmt.Sprintf("chunks.%d.lines.%d", ci, li), "The line id or quantity is invalid.")
				continue
			}
			left[l.ID] = left[l.ID].Sub(q)
		}
	}
	for id, q := range left {
		if !q.IsZero() {
			e.add("chunks", "Line %s is not split in full: every unit must be in exactly one chunk.", id)
		}
	}
	if len(e) > 0 {
		w.invalid(e)
		return
	}
	now := ts(s.clock.Now())
	orders.remove(o)
	var out []any
	for ci, c := range body.Chunks {
		n := cloneJSON(o).(map[string]any)
		id := s.newID("orders")
		n["id"] = numInt(id)
		n["original_order_id"] = o["id"]
		n["status_updated_at"] = now
		n["invoice_number"] = nil
		var ls []any
		for _, l := range c.Lines {
			line := cloneJSON(lines[l.ID]).(map[string]any)
			line["id"] = newUUID("split", o["id"], ci, l.ID)
			line["quantity"].(map[string]any)["amount"] = l.Quantity
			ls = append(ls, line)
		}
		n["lines"] = ls
		orders.put(n)
		out = append(out, n)
	}
	w.json(http.StatusOK, map[string]any{"orders": out})
}

func cloneJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = cloneJSON(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = cloneJSON(e)
		}
		return l
	}
	return v
}
