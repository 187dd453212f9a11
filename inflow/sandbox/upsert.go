package sandbox

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/internal/jsonval"
)

type writeOpts struct {
	checkTimestamp bool // a sent, stale timestamp is a conflict (HTTP); Put skips it
	allowNegative  bool // X-OverrideAllowNegativeInventory: true
}

// maxBody bounds a PUT or POST body.
const maxBody = 8 << 20

func (s *Server) readBody(r *http.Request) ([]byte, *apiError) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return nil, &apiError{status: http.StatusUnsupportedMediaType, msg: "Unsupported Content-Type " + ct + "; send application/json."}
		}
	} else {
		return nil, &apiError{status: http.StatusUnsupportedMediaType, msg: "Missing Content-Type; send application/json."}
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, badRequest("Cannot read the request body: %v", err)
	}
	if len(b) > maxBody {
		return nil, &apiError{status: http.StatusRequestEntityTooLarge, msg: "The request body is too large."}
	}
	return b, nil
}

func (s *Server) handlePut(r *http.Request, k *kind) (int, any, http.Header, *apiError) {
	b, e := s.readBody(r)
	if e != nil {
		return 0, nil, nil, e
	}
	body, err := decodeObject(b)
	if err != nil {
		return 0, nil, nil, badRequest("The request body is not a valid %s object: %v", k.schema, err)
	}
	inc, e := s.parseInclude(k, r.URL.Query())
	if e != nil {
		return 0, nil, nil, e
	}
	allowNeg := strings.EqualFold(strings.TrimSpace(r.Header.Get("X-OverrideAllowNegativeInventory")), "true")
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, e := s.upsert(k, body, writeOpts{checkTimestamp: true, allowNegative: allowNeg})
	if e != nil {
		return 0, nil, nil, e
	}
	// The answer carries the entity with its stored child arrays.
	full := includeTree{}
	sc := s.m.schemas[k.schema]
	for _, name := range sc.names {
		if _, many, ok := s.m.relation(sc.props[name]); ok && many && !computedArrays[sc.name+"."+name] {
			full[name] = includeTree{}
		}
	}
	for n, sub := range inc {
		full[n] = sub
	}
	return http.StatusOK, s.render(k.schema, rec.obj, full, owner{}), nil, nil
}

// upsert inserts or updates one entity from a decoded request body. Callers
// hold s.mu. Nothing changes unless it succeeds.
func (s *Server) upsert(k *kind, body map[string]any, o writeOpts) (*record, *apiError) {
	sc := s.m.schemas[k.schema]
	var rawID, rawTS any
	for key, v := range body {
		switch name, _ := sc.canon(key); name {
		case k.idProp:
			rawID = v
		case "timestamp":
			rawTS = v
		}
	}
	idStr, _ := rawID.(string)
	if k.singleton {
		if idStr == "" {
			idStr = s.companyID
		}
		if !strings.EqualFold(idStr, s.companyID) {
			return nil, badRequest("%s must be your companyId (%s), not %q.", k.idProp, s.companyID, idStr)
		}
	}
	uid, err := uuid.Parse(idStr)
	if err != nil || uid == uuid.Nil {
		return nil, badRequest("%s property is required, please generate a GUID when inserting.", k.idProp)
	}
	id := uid.String()
	t := s.tables[k.name]
	old := t.rows[id]
	if ts, _ := rawTS.(string); o.checkTimestamp && old != nil && ts != "" && !strings.EqualFold(ts, formatRowversion(old.ts)) {
		return nil, &apiError{status: http.StatusConflict, msg: fmt.Sprintf(
			"This %s has been modified since you loaded it: timestamp %s is no longer current. Fetch it again, or omit timestamp to overwrite.",
			k.schema, ts)}
	}
	var obj, oldObj map[string]any
	if old != nil {
		oldObj = old.obj
		obj = jsonval.Clone(old.obj).(map[string]any)
	} else {
		obj = s.defaultsFor(sc)
		s.kindDefaults(k, obj)
	}
	if e := s.normObject("$", sc, body, obj, k.idProp, id); e != nil {
		return nil, e
	}
	obj[k.idProp] = id
	number := s.counters[k.name]
	if k.numberProp != "" {
		if old == nil && isBlank(obj[k.numberProp]) {
			number++
			obj[k.numberProp] = fmt.Sprintf("%s%06d", k.numberPrefix, number)
		} else if n, err := strconv.Atoi(strings.TrimPrefix(str(obj[k.numberProp]), k.numberPrefix)); err == nil && n > number {
			number = n // keep automatic numbers after the ones sent
		}
	}
	if e := s.validate(k, obj, oldObj); e != nil {
		return nil, e
	}
	if e := s.checkReferences("$", sc, obj, k.idProp); e != nil {
		return nil, e
	}
	s.computeDerived(k, obj)
	if e := s.applyStock(k, oldObj, obj, o.allowNegative); e != nil {
		return nil, e
	}
	now := s.now()
	if _, ok := sc.props["lastModifiedById"]; ok {
		obj["lastModifiedById"] = s.defs.teamMember
	}
	for _, p := range []string{"lastModifiedDateTime", "lastModifiedDttm"} {
		if _, ok := sc.props[p]; ok {
			obj[p] = formatTime(now)
		}
	}
	rv := s.nextRowversion()
	if _, ok := sc.props["timestamp"]; ok {
		obj["timestamp"] = formatRowversion(rv)
	}
	rec := &record{id: id, obj: obj, ts: rv}
	if old != nil {
		rec.seq = old.seq
	} else {
		s.seq++
		rec.seq = s.seq
	}
	t.rows[id] = rec
	s.counters[k.name] = number
	if k.name == "products" {
		if oldObj != nil {
			delete(s.productNames, uniqueKey(oldObj["name"]))
			delete(s.productSKUs, uniqueKey(oldObj["sku"]))
		}
		s.productNames[uniqueKey(obj["name"])] = id
		if sku := uniqueKey(obj["sku"]); sku != "" {
			s.productSKUs[sku] = id
		}
	}
	if k.name == "product-cost-adjustments" {
		s.recomputeCost(fmt.Sprint(obj["productId"]))
	}
	return rec, nil
}

// kindDefaults fills defaults that depend on the company's settings.
func (s *Server) kindDefaults(k *kind, obj map[string]any) {
	now := formatTime(s.now())
	set := func(name string, v any) {
		if v == "" {
			v = nil
		}
		if _, ok := obj[name]; ok && obj[name] == nil {
			obj[name] = v
		}
	}
	switch k.name {
	case "products":
		set("categoryId", s.defs.category)
	case "customers":
		set("pricingSchemeId", s.defs.pricingScheme)
		set("taxingSchemeId", s.defs.taxingScheme)
	case "vendors":
		set("currencyId", s.defs.currency)
		set("taxingSchemeId", s.defs.taxingScheme)
	case "sales-orders":
		set("orderDate", now)
		set("currencyId", s.defs.currency)
		set("locationId", s.defs.location)
		set("pricingSchemeId", s.defs.pricingScheme)
		set("taxingSchemeId", s.defs.taxingScheme)
	case "purchase-orders":
		set("orderDate", now)
		set("currencyId", s.defs.currency)
		set("locationId", s.defs.location)
		set("taxingSchemeId", s.defs.taxingScheme)
	case "stock-adjustments":
		set("date", now)
	case "stock-transfers":
		set("transferDate", now)
	case "product-cost-adjustments":
		set("dateTime", now)
	}
}

// uniqueKey is how product names and SKUs compare for uniqueness: trimmed
// and case-insensitive.
func uniqueKey(v any) string { return strings.ToLower(strings.TrimSpace(str(v))) }

func isBlank(v any) bool {
	if v == nil {
		return true
	}
	str, ok := v.(string)
	return ok && strings.TrimSpace(str) == ""
}

func str(v any) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}

// validate applies the per-entity rules of the API.
func (s *Server) validate(k *kind, obj, old map[string]any) *apiError {
	required := func(name, why string) *apiError {
		if isBlank(obj[name]) {
			return badRequest("%s property is required, %s.", name, why)
		}
		return nil
	}
	switch k.name {
	case "products":
		if e := required("name", "an item name must be given"); e != nil {
			return e
		}
		self := str(obj["productId"])
		name, sku := uniqueKey(obj["name"]), uniqueKey(obj["sku"])
		if other, ok := s.productNames[name]; ok && other != self {
			return badRequest("A product with the name %q already exists (productId %s). Product names must be unique.",
				strings.TrimSpace(str(obj["name"])), other)
		}
		if other, ok := s.productSKUs[sku]; ok && sku != "" && other != self {
			return badRequest("A product with the SKU %q already exists (productId %s). SKUs must be unique.",
				strings.TrimSpace(str(obj["sku"])), other)
		}
		if old != nil {
			if !strings.EqualFold(str(old["itemType"]), str(obj["itemType"])) {
				return badRequest("itemType cannot be changed once set (it is %s).", old["itemType"])
			}
			if old["trackSerials"] != obj["trackSerials"] {
				return badRequest("trackSerials cannot be changed once set (it is %v).", old["trackSerials"])
			}
		}
		if obj["trackSerials"] == true && !strings.EqualFold(str(obj["itemType"]), "stockedProduct") {
			return badRequest("trackSerials is only possible for stocked products.")
		}
	case "customers", "vendors":
		return required("name", "a name must be given")
	case "sales-orders":
		if e := required("customerId", "which should be the primary identifier for a customer"); e != nil {
			return e
		}
		return required("source", "which should be where this order originated from, i.e. the name of your app")
	case "purchase-orders":
		return required("vendorId", "which should be the primary identifier for a vendor")
	case "stock-adjustments":
		return required("locationId", "please provide the location being adjusted")
	case "stock-transfers":
		if e := required("fromLocationId", "please provide the location the products will be transferred from"); e != nil {
			return e
		}
		if e := required("toLocationId", "please provide the location the products will be transferred to"); e != nil {
			return e
		}
	case "product-cost-adjustments":
		if e := required("productId", "which should be the primary identifier for a product"); e != nil {
			return e
		}
		return required("unitCost", "the new cost per standard unit")
	}
	return nil
}

// checkReferences verifies that every foreign key (a property xId beside a
// relationship x to an entity the emulator stores) names an existing record.
// Inside child lines the owner's own id (vendorId on a vendor's addresses)
// is skipped.
func (s *Server) checkReferences(path string, sc *schema, obj map[string]any, ownerID string) *apiError {
	for _, name := range sc.names {
		p := sc.props[name]
		v, present := obj[name]
		if !present || v == nil {
			continue
		}
		if target, many, ok := s.m.relation(p); ok {
			if !many {
				continue
			}
			items, _ := v.([]any)
			isc := s.m.schemas[target]
			for i, it := range items {
				if m, ok := it.(map[string]any); ok && isc != nil {
					if e := s.checkReferences(fmt.Sprintf("%s.%s[%d]", path, name, i), isc, m, ownerID); e != nil {
						return e
					}
				}
			}
			continue
		}
		if p.Type != "uuid" || !strings.HasSuffix(name, "Id") || name == "lastModifiedById" || path != "$" && name == ownerID {
			continue
		}
		rel := sc.props[strings.TrimSuffix(name, "Id")]
		if rel == nil || rel.Type != "object" {
			continue
		}
		k := kindForSchema[rel.Ref]
		if k == nil {
			continue
		}
		if s.lookup(k.name, str(v)) == nil {
			return badRequest("%s %s does not exist (%s.%s).", rel.Ref, v, path, name)
		}
	}
	return nil
}

// computeDerived fills what inFlow calculates: order totals and statuses.
func (s *Server) computeDerived(k *kind, obj map[string]any) {
	switch k.name {
	case "sales-orders", "purchase-orders":
	default:
		return
	}
	var sub, tax1, tax2 decimal.Decimal
	hundred := decimal.NewFromInt(100)
	ordered := map[string]decimal.Decimal{}
	for _, l := range items(obj["lines"]) {
		q := dec(qty(l, "uomQuantity"))
		price := dec(l["unitPrice"])
		line := q.Mul(price)
		if d, ok := l["discount"].(map[string]any); ok {
			v := dec(d["value"])
			if d["isPercent"] == true {
				line = line.Sub(line.Mul(v).Div(hundred))
			} else {
				line = line.Sub(v)
			}
		}
		line = line.Round(2)
		l["subTotal"] = formatDecimal(line)
		if tc := s.lookup("tax-codes", str(l["taxCodeId"])); tc != nil {
			l["tax1Rate"], l["tax2Rate"] = tc["tax1Rate"], tc["tax2Rate"]
		}
		tax1 = tax1.Add(line.Mul(dec(l["tax1Rate"])).Div(hundred))
		tax2 = tax2.Add(line.Mul(dec(l["tax2Rate"])).Div(hundred))
		sub = sub.Add(line)
		if pid := str(l["productId"]); pid != "" {
			ordered[pid] = ordered[pid].Add(dec(qty(l, "standardQuantity")))
		}
	}
	freight := dec(obj["orderFreight"])
	moveLines := "pickLines"
	if k.name == "purchase-orders" {
		freight = dec(obj["freight"])
		moveLines = "receiveLines"
	}
	var paid decimal.Decimal
	for _, l := range items(obj["paymentLines"]) {
		paid = paid.Add(dec(l["amount"]))
	}
	tax1, tax2 = tax1.Round(2), tax2.Round(2)
	total := sub.Add(tax1).Add(tax2).Add(freight)
	balance := total.Sub(paid)
	obj["subTotal"], obj["tax1"], obj["tax2"] = formatDecimal(sub), formatDecimal(tax1), formatDecimal(tax2)
	obj["total"], obj["amountPaid"], obj["balance"] = formatDecimal(total), formatDecimal(paid), formatDecimal(balance)

	moved := map[string]decimal.Decimal{}
	for _, l := range items(obj[moveLines]) {
		pid := str(l["productId"])
		moved[pid] = moved[pid].Add(dec(qty(l, "standardQuantity")))
	}
	some, all := false, len(ordered) > 0
	for pid, q := range ordered {
		if moved[pid].IsPositive() {
			some = true
		}
		if moved[pid].LessThan(q) {
			all = false
		}
	}
	status := "unfulfilled"
	switch {
	case obj["isQuote"] == true:
		status = "quote"
	case k.name == "sales-orders" && obj["needsConfirmation"] == true:
		status = "unconfirmed"
	case all:
		status = "fulfilled"
	case some:
		status = "started"
	}
	obj["inventoryStatus"] = status
	var pay string
	switch {
	case obj["isQuote"] == true:
		pay = "quote"
	case k.name == "sales-orders" && obj["isInvoiced"] != true:
		pay = "uninvoiced"
	case total.IsPositive() && !balance.IsPositive():
		pay = "paid"
	case paid.IsPositive():
		pay = "partial"
	case k.name == "sales-orders":
		pay = "owing"
	default:
		pay = "unpaid"
	}
	obj["paymentStatus"] = pay
}

// items returns the objects of a stored child array.
func items(v any) []map[string]any {
	arr, _ := v.([]any)
	out := make([]map[string]any, 0, len(arr))
	for _, e := range arr {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// qty reads one part of a line's QuantityWithUom.
func qty(line map[string]any, part string) any {
	q, _ := line["quantity"].(map[string]any)
	if q == nil {
		return nil
	}
	return q[part]
}

// recomputeCost sets a product's cost from its latest cost adjustment.
func (s *Server) recomputeCost(productID string) {
	var best *record
	for _, r := range s.tables["product-cost-adjustments"].rows {
		if str(r.obj["productId"]) != productID || r.obj["serial"] != "" && r.obj["serial"] != nil {
			continue
		}
		if best == nil || str(r.obj["dateTime"]) > str(best.obj["dateTime"]) ||
			str(r.obj["dateTime"]) == str(best.obj["dateTime"]) && r.ts > best.ts {
			best = r
		}
	}
	if best != nil {
		s.costs[productID] = str(best.obj["unitCost"])
	}
}
