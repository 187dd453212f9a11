package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// invKey identifies one inventory line: stock of a product at a location
// and sublocation, per serial number for serialised products.
type invKey struct{ product, location, sublocation, serial string }

type invLine struct {
	id  string
	qty decimal.Decimal
	ts  uint64
}

var invNamespace = uuid.MustParse("6f1d2c3e-8a4b-4c5d-9e6f-7a8b9c0d1e2f")

func (k invKey) lineID() string {
	return uuid.NewSHA1(invNamespace, []byte(k.product+"|"+k.location+"|"+k.sublocation+"|"+k.serial)).String()
}

// movement is a change of stock caused by a document. choose marks a
// decrease that names no sublocation: applyStock decides which
// sublocations it takes from.
type movement struct {
	key    invKey
	delta  decimal.Decimal
	choose bool
}

func stockKind(k *kind) bool {
	switch k.name {
	case "stock-adjustments", "stock-transfers", "sales-orders", "purchase-orders":
		return true
	}
	return false
}

// movements lists the stock changes a stored or candidate document makes.
func (s *Server) movements(k *kind, obj map[string]any) ([]movement, *apiError) {
	if obj == nil || obj["isCancelled"] == true {
		return nil, nil
	}
	var out []movement
	add := func(path string, line map[string]any, location, sublocation string, sign int64) *apiError {
		pid := str(line["productId"])
		p := s.lookup("products", pid)
		if p == nil || !strings.EqualFold(str(p["itemType"]), "stockedProduct") {
			return nil // services and non-stocked products carry no inventory
		}
		if location == "" {
			return badRequest("%s: a location is required to move stock.", path)
		}
		q := dec(qty(line, "standardQuantity")).Mul(decimal.NewFromInt(sign))
		if p["trackSerials"] != true {
			if !q.IsZero() {
				out = append(out, movement{key: invKey{pid, location, sublocation, ""}, delta: q, choose: q.IsNegative() && sublocation == ""})
			}
			return nil
		}
		serials, _ := qty(line, "serialNumbers").([]any)
		if !q.Abs().Equal(decimal.NewFromInt(int64(len(serials)))) {
			return badRequest("%s: %s tracks serial numbers, so a quantity of %s needs exactly that many serial numbers (got %d).",
				path, p["name"], q.Abs().String(), len(serials))
		}
		seen := map[string]bool{}
		one := decimal.NewFromInt(1)
		if q.IsNegative() {
			one = one.Neg()
		}
		for _, sn := range serials {
			serial := strings.TrimSpace(str(sn))
			if serial == "" || seen[strings.ToLower(serial)] {
				return badRequest("%s: serial numbers must be non-empty and distinct (%q).", path, serial)
			}
			seen[strings.ToLower(serial)] = true
			out = append(out, movement{key: invKey{pid, location, sublocation, serial}, delta: one})
		}
		return nil
	}
	loop := func(arr string, loc func(map[string]any) string, sub string, sign int64) *apiError {
		for i, l := range items(obj[arr]) {
			if e := add(fmt.Sprintf("%s[%d]", arr, i), l, loc(l), str(l[sub]), sign); e != nil {
				return e
			}
		}
		return nil
	}
	header := func(name string) func(map[string]any) string {
		return func(map[string]any) string { return str(obj[name]) }
	}
	lineOr := func(l map[string]any) string {
		if v := str(l["locationId"]); v != "" {
			return v
		}
		return str(obj["locationId"])
	}
	var e *apiError
	switch k.name {
	case "stock-adjustments":
		e = loop("lines", header("locationId"), "sublocation", 1)
	case "stock-transfers":
		switch strings.ToLower(str(obj["status"])) {
		case "intransit":
			e = loop("lines", header("fromLocationId"), "fromSublocation", -1)
		case "completed":
			if e = loop("lines", header("fromLocationId"), "fromSublocation", -1); e == nil {
				e = loop("lines", header("toLocationId"), "toSublocation", 1)
			}
		}
	case "sales-orders":
		if e = loop("pickLines", lineOr, "sublocation", -1); e == nil {
			e = loop("restockLines", lineOr, "sublocation", 1)
		}
	case "purchase-orders":
		if e = loop("receiveLines", lineOr, "sublocation", 1); e == nil {
			e = loop("unstockLines", lineOr, "sublocation", -1)
		}
	}
	return out, e
}

// applyStock replaces the stock effect of a document's old version by that
// of its new version, refusing results that inFlow refuses. The effect a
// version had is remembered (by document), so that an edit undoes exactly
// what the old version did, wherever its picks were taken from. Callers
// hold s.mu.
func (s *Server) applyStock(k *kind, oldObj, newObj map[string]any, allowNegative bool) *apiError {
	if !stockKind(k) {
		return nil
	}
	docKey := k.name + "/" + str(newObj[k.idProp])
	oldM, applied := s.effects[docKey]
	if !applied {
		oldM, _ = s.movements(k, oldObj)
	}
	newM, e := s.movements(k, newObj)
	if e != nil {
		return e
	}
	delta := map[invKey]decimal.Decimal{}
	var order []invKey
	bump := func(key invKey, d decimal.Decimal) {
		if _, ok := delta[key]; !ok {
			order = append(order, key)
		}
		delta[key] = delta[key].Add(d)
	}
	for _, m := range oldM {
		bump(m.key, m.delta.Neg())
	}
	newM = s.chooseSublocations(newM, delta)
	for _, m := range newM {
		bump(m.key, m.delta)
	}
	ps := func(k invKey) [2]string { return [2]string{k.product, strings.ToLower(k.serial)} }
	touched := map[[2]string]bool{}
	// The rule is per location: a decrease may not take the location's
	// stock of the product below zero (inFlow: "would make inventory
	// levels in that location go into a negative quantity").
	decreased := map[pl]bool{}
	var places []pl
	for _, key := range order {
		d := delta[key]
		if d.IsZero() {
			continue
		}
		cur := decimal.Zero
		if l := s.inv[key]; l != nil {
			cur = l.qty
		}
		if key.serial != "" {
			if cur.Add(d).IsNegative() {
				return &apiError{status: http.StatusUnprocessableEntity, msg: fmt.Sprintf(
					"Negative Inventory: serial number %s of %s is not in stock at %s%s.",
					key.serial, s.productName(key.product), s.locationName(key.location), subText(key.sublocation))}
			}
			touched[ps(key)] = true
			continue
		}
		if p := (pl{key.product, key.location}); d.IsNegative() && !decreased[p] {
			decreased[p] = true
			places = append(places, p)
		}
	}
	if !allowNegative {
		for _, p := range places {
			cur, change := decimal.Zero, decimal.Zero
			for key, l := range s.inv {
				if key.product == p.product && key.location == p.location && key.serial == "" {
					cur = cur.Add(l.qty)
				}
			}
			for key, d := range delta {
				if key.product == p.product && key.location == p.location && key.serial == "" {
					change = change.Add(d)
				}
			}
			if next := cur.Add(change); change.IsNegative() && next.IsNegative() {
				return &apiError{status: http.StatusUnprocessableEntity, msg: fmt.Sprintf(
					"Negative Inventory: this would leave %s of %s at %s (on hand %s). Send X-OverrideAllowNegativeInventory: TRUE to allow it.",
					next.String(), s.productName(p.product), s.locationName(p.location), cur.String())}
			}
		}
	}
	// A serial number is in stock at most once across locations.
	if len(touched) > 0 {
		totals := map[[2]string]decimal.Decimal{}
		for key, l := range s.inv {
			if key.serial != "" && touched[ps(key)] {
				totals[ps(key)] = totals[ps(key)].Add(l.qty)
			}
		}
		for key, d := range delta {
			if key.serial != "" && touched[ps(key)] {
				totals[ps(key)] = totals[ps(key)].Add(d)
			}
		}
		for k, t := range totals {
			if t.GreaterThan(decimal.NewFromInt(1)) {
				return badRequest("Serial number %s of %s is already in stock.", k[1], s.productName(k[0]))
			}
		}
	}
	for _, key := range order {
		d := delta[key]
		if d.IsZero() {
			continue
		}
		s.addStock(key, d)
	}
	if len(newM) == 0 {
		delete(s.effects, docKey)
	} else {
		s.effects[docKey] = newM
	}
	return nil
}

// chooseSublocations decides where decreases that name no sublocation
// take their stock from, given the changes already pending (the old
// version's effect undone): from the unnamed sublocation first, then from
// the others in name order, each as far as its stock goes; what none of
// them holds is taken from the unnamed sublocation (below zero, which the
// per-location rule then judges). Other movements pass unchanged.
func (s *Server) chooseSublocations(ms []movement, pending map[invKey]decimal.Decimal) []movement {
	var out []movement
	taken := map[invKey]decimal.Decimal{}
	for _, m := range ms {
		if !m.choose {
			out = append(out, m)
			continue
		}
		var subs []string
		for key := range s.inv {
			if key.product == m.key.product && key.location == m.key.location && key.serial == "" && key.sublocation != "" {
				subs = append(subs, key.sublocation)
			}
		}
		sort.Strings(subs)
		need := m.delta.Neg()
		for _, sub := range append([]string{""}, subs...) {
			if !need.IsPositive() {
				break
			}
			key := invKey{m.key.product, m.key.location, sub, ""}
			have := pending[key].Sub(taken[key])
			if l := s.inv[key]; l != nil {
				have = have.Add(l.qty)
			}
			if !have.IsPositive() {
				continue
			}
			q := decimal.Min(have, need)
			taken[key] = taken[key].Add(q)
			out = append(out, movement{key: key, delta: q.Neg()})
			need = need.Sub(q)
		}
		if need.IsPositive() {
			out = append(out, movement{key: m.key, delta: need.Neg()})
		}
	}
	return out
}

// addStock changes one inventory line; callers hold s.mu.
func (s *Server) addStock(key invKey, d decimal.Decimal) {
	l := s.inv[key]
	if l == nil {
		l = &invLine{id: key.lineID()}
		s.inv[key] = l
	}
	l.qty = l.qty.Add(d)
	l.ts = s.nextRowversion()
}

func subText(sub string) string {
	if sub == "" {
		return ""
	}
	return " (" + sub + ")"
}

func (s *Server) productName(id string) string {
	if p := s.lookup("products", id); p != nil {
		return fmt.Sprintf("%q", str(p["name"]))
	}
	return id
}

func (s *Server) locationName(id string) string {
	if l := s.lookup("locations", id); l != nil {
		return fmt.Sprintf("%q", str(l["name"]))
	}
	return id
}

// inventoryLines renders a product's inventory lines (serial lines stay,
// at zero, once a serial has left).
func (s *Server) inventoryLines(productID string) ([]any, decimal.Decimal) {
	var keys []invKey
	for k := range s.inv {
		if k.product == productID {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.location != b.location {
			return a.location < b.location
		}
		if a.sublocation != b.sublocation {
			return a.sublocation < b.sublocation
		}
		return a.serial < b.serial
	})
	total := decimal.Zero
	out := make([]any, 0, len(keys))
	for _, k := range keys {
		l := s.inv[k]
		total = total.Add(l.qty)
		out = append(out, map[string]any{
			"inventoryLineId": l.id,
			"productId":       k.product,
			"locationId":      k.location,
			"sublocation":     k.sublocation,
			"serial":          k.serial,
			"quantityOnHand":  formatDecimal(l.qty),
			"timestamp":       formatRowversion(l.ts),
		})
	}
	return out, total
}

// pl is a (product, location) pair.
type pl struct{ product, location string }

// openQuantities are the quantities committed by open documents, per
// product and location.
type openQuantities struct {
	reservedSales, picked, onPO, reservedTransfers, onTransferOrder, inTransit map[pl]decimal.Decimal
}

func (s *Server) openQuantities() *openQuantities {
	o := &openQuantities{
		reservedSales: map[pl]decimal.Decimal{}, picked: map[pl]decimal.Decimal{}, onPO: map[pl]decimal.Decimal{},
		reservedTransfers: map[pl]decimal.Decimal{}, onTransferOrder: map[pl]decimal.Decimal{}, inTransit: map[pl]decimal.Decimal{},
	}
	add := func(m map[pl]decimal.Decimal, p, l string, q decimal.Decimal) { m[pl{p, l}] = m[pl{p, l}].Add(q) }
	open := func(obj map[string]any) bool {
		return obj["isCancelled"] != true && obj["isCompleted"] != true && obj["isQuote"] != true
	}
	outstanding := func(obj map[string]any, moved string, dst map[pl]decimal.Decimal) {
		ordered, done := map[string]decimal.Decimal{}, map[string]decimal.Decimal{}
		for _, l := range items(obj["lines"]) {
			ordered[str(l["productId"])] = ordered[str(l["productId"])].Add(dec(qty(l, "standardQuantity")))
		}
		for _, l := range items(obj[moved]) {
			done[str(l["productId"])] = done[str(l["productId"])].Add(dec(qty(l, "standardQuantity")))
		}
		for p, q := range ordered {
			if rest := q.Sub(done[p]); rest.IsPositive() {
				add(dst, p, str(obj["locationId"]), rest)
			}
		}
	}
	for _, r := range s.tables["sales-orders"].rows {
		if !open(r.obj) {
			continue
		}
		outstanding(r.obj, "pickLines", o.reservedSales)
		for _, l := range items(r.obj["pickLines"]) {
			loc := str(l["locationId"])
			if loc == "" {
				loc = str(r.obj["locationId"])
			}
			add(o.picked, str(l["productId"]), loc, dec(qty(l, "standardQuantity")))
		}
	}
	for _, r := range s.tables["purchase-orders"].rows {
		if open(r.obj) {
			outstanding(r.obj, "receiveLines", o.onPO)
		}
	}
	for _, r := range s.tables["stock-transfers"].rows {
		if r.obj["isCancelled"] == true {
			continue
		}
		from, to := str(r.obj["fromLocationId"]), str(r.obj["toLocationId"])
		for _, l := range items(r.obj["lines"]) {
			p, q := str(l["productId"]), dec(qty(l, "standardQuantity"))
			switch strings.ToLower(str(r.obj["status"])) {
			case "open":
				add(o.reservedTransfers, p, from, q)
				add(o.onTransferOrder, p, to, q)
			case "intransit":
				add(o.inTransit, p, to, q)
				add(o.onTransferOrder, p, to, q)
			}
		}
	}
	return o
}

func sumFor(m map[pl]decimal.Decimal, product, location string) decimal.Decimal {
	if location != "" {
		return m[pl{product, location}]
	}
	t := decimal.Zero
	for k, v := range m {
		if k.product == product {
			t = t.Add(v)
		}
	}
	return t
}

// summary is a ProductSummaryResponseModel. Quantities are decimal strings,
// as the live API answers (the spec says numbers). location "" means all
// locations.
func (s *Server) summary(o *openQuantities, product, location string) map[string]any {
	onHand := decimal.Zero
	for k, l := range s.inv {
		if k.product == product && (location == "" || k.location == location) {
			onHand = onHand.Add(l.qty)
		}
	}
	zero := decimal.Zero
	sales := sumFor(o.reservedSales, product, location)
	onPO := sumFor(o.onPO, product, location)
	var transfersReserved, onTransfer decimal.Decimal
	var onTransferOut any
	if location != "" {
		transfersReserved = sumFor(o.reservedTransfers, product, location)
		onTransfer = sumFor(o.onTransferOrder, product, location)
		onTransferOut = formatDecimal(onTransfer)
	}
	reserved := sales.Add(transfersReserved)
	available := onHand.Sub(reserved)
	var loc any
	if location != "" {
		loc = location
	}
	return map[string]any{
		"productId":                        product,
		"locationId":                       loc,
		"imageSmallUrl":                    nil,
		"quantityOnHand":                   formatDecimal(onHand),
		"quantityOnOrder":                  formatDecimal(onPO.Add(onTransfer)),
		"quantityOnPurchaseOrder":          formatDecimal(onPO),
		"quantityOnWorkOrder":              formatDecimal(zero),
		"quantityOnTransferOrder":          onTransferOut,
		"quantityReserved":                 formatDecimal(reserved),
		"quantityReservedForSales":         formatDecimal(sales),
		"quantityReservedForManufacturing": formatDecimal(zero),
		"quantityReservedForTransfers":     formatDecimal(transfersReserved),
		"quantityReservedForBuilds":        formatDecimal(zero),
		"quantityAvailable":                formatDecimal(available),
		"rawQuantityAvailable":             formatDecimal(available),
		"quantityPicked":                   formatDecimal(sumFor(o.picked, product, location)),
		"quantityInTransit":                formatDecimal(sumFor(o.inTransit, product, location)),
		"quantityBuildable":                formatDecimal(zero),
	}
}

func (s *Server) handleSummary(r *http.Request, productID string) (int, any, http.Header, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pid := canonicalID(productID)
	if s.lookup("products", pid) == nil {
		return 0, nil, nil, &apiError{status: http.StatusNotFound, msg: "Product " + productID + " does not exist."}
	}
	loc := ""
	if v := strings.TrimSpace(r.URL.Query().Get("locationId")); v != "" {
		id, err := uuid.Parse(v)
		if err != nil || s.lookup("locations", id.String()) == nil {
			return 0, nil, nil, badRequest("Location %s does not exist.", v)
		}
		loc = id.String()
	}
	return http.StatusOK, s.summary(s.openQuantities(), pid, loc), nil, nil
}

// MaxSummaryKeys is the most (product, location) pairs POST
// /products/summary takes at once.
const MaxSummaryKeys = 100

func (s *Server) handleSummaries(r *http.Request) (int, any, http.Header, *apiError) {
	b, e := s.readBody(r)
	if e != nil {
		return 0, nil, nil, e
	}
	var keys []map[string]any
	if err := json.Unmarshal(b, &keys); err != nil {
		return 0, nil, nil, badRequest("The body must be a JSON array of {productId, locationId}: %v", err)
	}
	if len(keys) > MaxSummaryKeys {
		return 0, nil, nil, badRequest("Too many product summaries requested: %d (up to %d at a time).", len(keys), MaxSummaryKeys)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.openQuantities()
	out := make([]any, 0, len(keys))
	for i, k := range keys {
		var pid, loc string
		for name, v := range k {
			switch strings.ToLower(name) {
			case "productid":
				pid = str(v)
			case "locationid":
				loc = str(v)
			}
		}
		id, err := uuid.Parse(pid)
		if err != nil || s.lookup("products", id.String()) == nil {
			return 0, nil, nil, badRequest("Product %q does not exist ($[%d].productId).", pid, i)
		}
		pid = id.String()
		if strings.TrimSpace(loc) != "" {
			lid, err := uuid.Parse(loc)
			if err != nil || s.lookup("locations", lid.String()) == nil {
				return 0, nil, nil, badRequest("Location %q does not exist ($[%d].locationId).", loc, i)
			}
			loc = lid.String()
		}
		out = append(out, s.summary(o, pid, loc))
	}
	return http.StatusOK, out, nil, nil
}
