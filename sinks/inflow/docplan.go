package inflowsink

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptrace"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/inflow"
	"github.com/etl-dev/etl/internal/jsonval"
	"github.com/etl-dev/etl/pipeline"
	"github.com/etl-dev/etl/sinks/apisink"
)

// clientWriter is an API sink's real writer: one request through the
// client; a request that went out and got no answer is ErrUnanswered.
func clientWriter(c *inflow.Client) apisink.Writer {
	return apisink.WriterFunc(func(ctx context.Context, w apisink.Write, out any) error {
		var sent atomic.Bool
		tctx := httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { sent.Store(true) }})
		_, err := c.Do(tctx, inflow.Request{Method: w.Method, Path: w.Route, Header: w.Header, Body: w.Body, Idempotent: w.Idempotent}, out)
		var ae *inflow.APIError
		if err != nil && sent.Load() && !errors.As(err, &ae) {
			return apisink.Unanswered(err)
		}
		return err
	})
}

// lineWant is what the file says of one line.
type lineWant struct {
	l                *docLine
	qty              decimal.Decimal
	price, discount  *decimal.Decimal
	serials          []string
	hasSerials       bool
	sub, toSub       string
	hasSub, hasToSub bool
}

func (s *docSink) wantOf(l *docLine) lineWant {
	r := l.row
	w := lineWant{l: l}
	w.qty, _ = dec(r.vals["quantity"])
	if v, ok := dec(r.vals["unit_price"]); ok {
		w.price = &v
	}
	if v, ok := dec(r.vals["discount"]); ok {
		w.discount = &v
	}
	if v, ok := r.vals["serials"].([]string); ok {
		w.serials, w.hasSerials = v, true
	}
	subField, toField := "sublocation", "to_sublocation"
	if s.k == stockTransfers {
		subField = "from_sublocation"
	}
	if v, ok := r.vals[subField]; ok {
		w.sub, w.hasSub = strings.TrimSpace(docText(v)), true
	}
	if v, ok := r.vals[toField]; ok && s.k == stockTransfers {
		w.toSub, w.hasToSub = strings.TrimSpace(docText(v)), true
	}
	return w
}

func quantityOf(l record) (decimal.Decimal, []string) {
	q, _ := l["quantity"].(map[string]any)
	d, _ := dec(q["standardQuantity"])
	return d, stringsOf(q["serialNumbers"])
}

// stringsOf reads a JSON array of strings, blanks left out.
func stringsOf(v any) []string {
	arr, _ := v.([]any)
	var out []string
	for _, e := range arr {
		if s := strings.TrimSpace(str(e)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	x := append([]string(nil), a...)
	y := append([]string(nil), b...)
	sort.Strings(x)
	sort.Strings(y)
	for i := range x {
		if !strings.EqualFold(x[i], y[i]) {
			return false
		}
	}
	return true
}

func quantityBody(q decimal.Decimal, serials []string) record {
	out := record{"standardQuantity": q.String(), "uomQuantity": q.String()}
	if len(serials) > 0 {
		out["serialNumbers"] = serials
	}
	return out
}

// cloneDocLine copies an existing line for sending back whole: every
// property as answered except its row version and embedded entities.
func cloneDocLine(l record) record {
	out := make(record, len(l))
	for k, v := range l {
		switch k {
		case "timestamp", "product", "location", "taxCode", "subTotal":
			continue
		}
		out[k] = jsonval.Clone(v)
	}
	return out
}

// immutable says why inFlow will not let an existing document change, or
// "" when it will.
func (s *docSink) immutable(rec record) string {
	if rec["isCancelled"] == true {
		return "cancelled"
	}
	switch s.k {
	case salesOrders:
		if strings.EqualFold(str(rec["inventoryStatus"]), "fulfilled") {
			return "fulfilled"
		}
		if rec["isCompleted"] == true {
			return "completed"
		}
	case purchaseOrders:
		if strings.EqualFold(str(rec["inventoryStatus"]), "fulfilled") {
			return "received"
		}
		if rec["isCompleted"] == true {
			return "completed"
		}
	case stockTransfers:
		if strings.EqualFold(str(rec["status"]), "completed") {
			return "completed"
		}
	}
	return ""
}

// plan decides a document's outcome and builds its write: the whole
// document for a new one; for an existing one only what the file changes,
// with every line array it changes sent whole (inFlow replaces arrays),
// existing lines keeping their GUIDs.
func (s *docSink) plan(d *document, view *stockView) {
	d.hash = s.docHash(d)
	entry, inJournal := s.resumed[d.journalKey()]
	if d.rec == nil {
		d.create = true
		d.guid = newGUID()
		if inJournal && entry.GUID != "" {
			d.guid = entry.GUID // chosen by the interrupted run: never a second document
		}
	} else {
		d.guid = str(d.rec[s.k.idProp])
	}
	body := record{}
	change := func(field string, old, new any) {
		d.changes = append(d.changes, pipeline.FieldChange{Field: field, Old: display(old), New: display(new)})
	}

	// Header fields, in the mapping's order.
	names := make([]string, 0, len(d.header))
	for n := range d.header {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return s.fields[names[i]].index < s.fields[names[j]].index })
	addresses := map[string]record{}
	for _, n := range names {
		f := s.fields[n].def
		v := d.header[n]
		if f.prop == "" {
			continue // fulfill, receive: what to do, not a property
		}
		if obj, sub, ok := strings.Cut(f.prop, "."); ok {
			old, _ := oldOf(d.rec, obj).(map[string]any)
			if d.create || str(old[sub]) != docText(v) {
				if addresses[obj] == nil {
					addresses[obj] = record{}
					for k, ov := range old {
						addresses[obj][k] = ov
					}
				}
				addresses[obj][sub] = docText(v)
				if !d.create {
					change(n, old[sub], v)
				}
			}
			continue
		}
		var want any
		same := false
		switch {
		case f.ref != "" || f.party:
			want = d.ids[n]
			same = sameID(str(oldOf(d.rec, f.prop)), d.ids[n])
		case f.kind == kDate:
			dd := v.(docDate)
			want = dd.String()
			same = dd.equal(oldOf(d.rec, f.prop))
		case n == "status":
			want = statusValue(docText(v))
			same = strings.EqualFold(str(oldOf(d.rec, f.prop)), docText(v))
		default:
			want = jsonValue(v)
			same = str(oldOf(d.rec, f.prop)) == docText(v)
		}
		if d.create || !same {
			body[f.prop] = want
			if !d.create {
				old := oldOf(d.rec, f.prop)
				switch {
				case f.ref != "":
					old = s.refs[f.ref].name(str(old))
				case f.party:
					if p := s.parties.ByID(str(old)); p != nil {
						old = p["name"]
					}
				}
				change(n, old, v)
			}
		}
	}
	for obj, a := range addresses {
		body[obj] = a
	}
	location := d.ids["location"]
	if location == "" && d.rec != nil {
		location = str(d.rec["locationId"])
	}
	if location == "" {
		location = s.defaultLo
	}
	if d.create {
		switch s.k {
		case salesOrders:
			if _, ok := body["source"]; !ok {
				body["source"] = "etl"
			}
		case stockAdjustments:
			if _, ok := body["locationId"]; !ok && location != "" {
				body["locationId"] = location
			}
		case stockTransfers:
			if _, ok := body["status"]; !ok {
				body["status"] = statusValue(s.cfg.Status)
			}
		}
	} else if s.k == stockTransfers {
		if _, mapped := d.header["status"]; !mapped && s.cfg.statusSet && !strings.EqualFold(str(d.rec["status"]), s.cfg.Status) {
			body["status"] = statusValue(s.cfg.Status)
			change("status", d.rec["status"], s.cfg.Status)
		}
	}

	// Lines, matched by product (and sublocations) in order.
	wants := make([]lineWant, len(d.lines))
	for i, l := range d.lines {
		wants[i] = s.wantOf(l)
	}
	arr, linesChanged := s.diffLines(d, wants, change)
	if d.create || linesChanged {
		body["lines"] = arr
	}

	// Picks and receipts: the stock movements of orders.
	switch s.k {
	case salesOrders:
		if s.movesStock(d, "fulfill", s.cfg.Fulfill) {
			s.diffMoves(d, wants, "pickLines", "salesOrderPickLineId", "pickDate", location, body, change)
			if d.rec != nil && d.rec["showShipping"] == true {
				s.packAndShip(d, wants, body, change)
			}
		}
	case purchaseOrders:
		if s.movesStock(d, "receive", s.cfg.Receive) {
			s.diffMoves(d, wants, "receiveLines", "purchaseOrderReceiveLineId", "receiveDate", location, body, change)
		}
	}
	s.predict(d, wants, body, location, view)

	d.body = body
	changed := d.create || len(body) > 0
	switch {
	case d.create:
		d.outcome = pipeline.Created
	case !changed:
		d.outcome = pipeline.Unchanged
		if inJournal && sameID(entry.GUID, d.guid) {
			// The interrupted run wrote it; its confirmation may be lost.
			d.outcome = pipeline.Created
			if entry.Confirmed {
				d.outcome = outcomeOf(entry.Outcome)
			}
		}
	default:
		if why := s.immutable(d.rec); why != "" {
			var what []string
			for _, c := range d.changes {
				what = append(what, c.Field)
			}
			d.fail(nil, rowErr("", nil, "%s %s is %s in inFlow and cannot change any more: left alone (the file differs in %s)",
				s.k.singular, d.number, why, strings.Join(dedupe(what), ", ")))
			return
		}
		d.outcome = pipeline.Updated
	}
	if !changed {
		d.confirmed = true // nothing to send
	}
}

func dedupe(s []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

func statusValue(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "completed":
		return "Completed"
	case "", "open":
		return "Open"
	}
	return s
}

// movesStock tells whether the document's lines are to be picked (or
// received): its header field, else the sink's default.
func (s *docSink) movesStock(d *document, field string, def bool) bool {
	if v, ok := d.header[field].(bool); ok {
		return v
	}
	return def
}

func (w lineWant) matches(k *docKind, l record) bool {
	if !sameID(str(l["productId"]), w.l.productID) {
		return false
	}
	switch k {
	case stockAdjustments:
		return str(l["sublocation"]) == w.sub
	case stockTransfers:
		return str(l["fromSublocation"]) == w.sub && str(l["toSublocation"]) == w.toSub
	}
	return true
}

// diffLines matches the file's lines to the existing document's and
// builds the lines array to send.
func (s *docSink) diffLines(d *document, wants []lineWant, change func(string, any, any)) ([]any, bool) {
	var old []record
	if d.rec != nil {
		old = lines(d.rec["lines"])
	}
	used := make([]bool, len(old))
	var out []any
	changed := false
	for i, w := range wants {
		label := fmt.Sprintf("line %d (%s, %s)", i+1, w.l.sku, rowName(w.l.row.origin))
		m := -1
		for j, l := range old {
			if !used[j] && w.matches(s.k, l) {
				m = j
				break
			}
		}
		var line record
		if m < 0 {
			line = record{s.k.lineIDProp: lineGUID(d.guid, "lines", i), "productId": w.l.productID}
			if d.create {
				change(label, "", w.qty.String())
			} else {
				line[s.k.lineIDProp] = newGUID()
				change(label, "", "added: "+w.qty.String())
				changed = true
			}
		} else {
			used[m] = true
			line = cloneDocLine(old[m])
		}
		var prev record
		if m >= 0 {
			prev = old[m]
		}
		q, serials := quantityOf(prev)
		if m < 0 || !q.Equal(w.qty) || w.hasSerials && !sameSet(serials, w.serials) {
			if m >= 0 {
				change(label+" quantity", q.String(), w.qty.String())
				changed = true
			}
			sn := serials
			if w.hasSerials {
				sn = w.serials
			}
			line["quantity"] = quantityBody(w.qty, sn)
		}
		price := w.price
		if price == nil && m < 0 && s.k == purchaseOrders {
			price = s.vendorPrice(d, w.l.product)
		}
		if price != nil {
			if o, ok := dec(prev["unitPrice"]); m < 0 || !ok || !o.Equal(*price) {
				if m >= 0 {
					change(label+" unit_price", prev["unitPrice"], *price)
					changed = true
				}
				line["unitPrice"] = price.String()
			}
		}
		if w.discount != nil {
			od, _ := prev["discount"].(map[string]any)
			o, ok := dec(od["value"])
			if m < 0 || !ok || !o.Equal(*w.discount) || od["isPercent"] != true {
				if m >= 0 {
					change(label+" discount", od["value"], *w.discount)
					changed = true
				}
				line["discount"] = record{"isPercent": true, "value": w.discount.String()}
			}
		}
		switch s.k {
		case stockAdjustments:
			if w.sub != "" {
				line["sublocation"] = w.sub
			}
		case stockTransfers:
			if w.sub != "" {
				line["fromSublocation"] = w.sub
			}
			if w.toSub != "" {
				line["toSublocation"] = w.toSub
			}
		}
		out = append(out, line)
	}
	for j, l := range old {
		if used[j] {
			continue
		}
		if s.cfg.KeepUnlistedLines {
			out = append(out, cloneDocLine(l))
			continue
		}
		q, _ := quantityOf(l)
		change(fmt.Sprintf("line of %s", s.productLabel(str(l["productId"]))), q.String(), "removed")
		changed = true
	}
	return out, changed
}

func (s *docSink) productLabel(id string) string {
	if p := s.products.ByID(id); p != nil {
		if sku := str(p["sku"]); sku != "" {
			return sku
		}
		return str(p["name"])
	}
	return id
}

// vendorPrice is the product's cost from the order's vendor, if inFlow
// has one.
func (s *docSink) vendorPrice(d *document, p record) *decimal.Decimal {
	vendor := d.ids["vendor"]
	if vendor == "" && d.rec != nil {
		vendor = str(d.rec["vendorId"])
	}
	for _, vi := range lines(p["vendorItems"]) {
		if sameID(str(vi["vendorId"]), vendor) {
			if c, ok := dec(vi["cost"]); ok {
				return &c
			}
		}
	}
	return nil
}

// diffMoves makes the document's picks (or receipts) equal its lines:
// one per line at the document's location, matched to the existing ones
// by product in order (they keep their GUIDs). The array is sent whole
// when anything differs.
func (s *docSink) diffMoves(d *document, wants []lineWant, array, idProp, dateProp, location string, body record, change func(string, any, any)) {
	var old []record
	if d.rec != nil {
		old = lines(d.rec[array])
	}
	used := make([]bool, len(old))
	var out []any
	changed := d.create
	for i, w := range wants {
		m := -1
		for j, l := range old {
			if !used[j] && sameID(str(l["productId"]), w.l.productID) {
				m = j
				break
			}
		}
		if m < 0 {
			changed = true
			guid := lineGUID(d.guid, array, i)
			if !d.create {
				guid = newGUID()
			}
			out = append(out, record{idProp: guid, "productId": w.l.productID, "locationId": location,
				"quantity": quantityBody(w.qty, w.serials), dateProp: time.Now().UTC().Format(time.RFC3339)})
			continue
		}
		used[m] = true
		l := cloneDocLine(old[m])
		q, serials := quantityOf(old[m])
		if !q.Equal(w.qty) || w.hasSerials && !sameSet(serials, w.serials) {
			changed = true
			l["quantity"] = quantityBody(w.qty, w.serials)
		}
		out = append(out, l)
	}
	for j := range old {
		if !used[j] {
			changed = true
		}
	}
	if !changed {
		return
	}
	body[array] = out
	if !d.create {
		var done decimal.Decimal
		for _, l := range old {
			q, _ := quantityOf(l)
			done = done.Add(q)
		}
		var want decimal.Decimal
		for _, w := range wants {
			want = want.Add(w.qty)
		}
		change(strings.TrimSuffix(array, "Lines")+"ed", done.String(), want.String())
	}
}

// stockView is what is on hand per product and location as the products
// listing answered it, less what the documents planned so far take.
type stockView struct {
	taken map[[2]string]decimal.Decimal
}

func newStockView() *stockView { return &stockView{taken: map[[2]string]decimal.Decimal{}} }

// predict notes, in the document's changes, a decrease that would take a
// product's stock at a location below zero: inFlow refuses it with 422
// unless allow_negative_inventory (a dry run says so in its plan).
func (s *docSink) predict(d *document, wants []lineWant, body record, location string, v *stockView) {
	out := map[string]decimal.Decimal{} // product → decrease at loc
	loc := location
	switch s.k {
	case salesOrders:
		if _, sent := body["pickLines"]; !sent {
			return
		}
		for _, w := range wants {
			out[w.l.productID] = out[w.l.productID].Add(w.qty)
		}
		for _, l := range lines(oldOf(d.rec, "pickLines")) {
			q, _ := quantityOf(l)
			out[strings.ToLower(str(l["productId"]))] = out[strings.ToLower(str(l["productId"]))].Sub(q)
		}
	case stockAdjustments:
		for _, w := range wants {
			out[w.l.productID] = out[w.l.productID].Sub(w.qty)
		}
		for _, l := range lines(oldOf(d.rec, "lines")) {
			q, _ := quantityOf(l)
			out[strings.ToLower(str(l["productId"]))] = out[strings.ToLower(str(l["productId"]))].Add(q)
		}
	case stockTransfers:
		completed := strings.EqualFold(str(body["status"]), "completed") || body["status"] == nil && strings.EqualFold(str(oldOf(d.rec, "status")), "completed")
		if !completed || d.rec != nil && strings.EqualFold(str(d.rec["status"]), "completed") {
			return
		}
		loc = d.ids["from_location"]
		if loc == "" {
			loc = str(oldOf(d.rec, "fromLocationId"))
		}
		for _, w := range wants {
			out[w.l.productID] = out[w.l.productID].Add(w.qty)
		}
	default:
		return
	}
	for _, w := range wants {
		take, ok := out[w.l.productID]
		if !ok || !take.IsPositive() {
			continue
		}
		delete(out, w.l.productID)
		inv, known := w.l.product["inventoryLines"].([]any)
		if !known || w.l.product["trackSerials"] == true {
			continue
		}
		var have decimal.Decimal
		for _, l := range lines(inv) {
			if sameID(str(l["locationId"]), loc) {
				q, _ := dec(l["quantityOnHand"])
				have = have.Add(q)
			}
		}
		key := [2]string{strings.ToLower(w.l.productID), strings.ToLower(loc)}
		have = have.Sub(v.taken[key])
		v.taken[key] = v.taken[key].Add(take)
		if after := have.Sub(take); after.IsNegative() && !s.cfg.AllowNegativeInventory {
			d.changes = append(d.changes, pipeline.FieldChange{
				Field: fmt.Sprintf("stock of %s at %s", w.l.sku, s.refs[refLocation].name(loc)),
				Old:   have.String(),
				New:   after.String() + " (below zero: inFlow refuses it with 422 unless allow_negative_inventory)",
			})
		}
	}
}

// packAndShip packs every line into one box and ships it, for orders that
// show shipping (inFlow then calls an order fulfilled once it is shipped
// too); existing pack and ship lines that already say so are kept.
func (s *docSink) packAndShip(d *document, wants []lineWant, body record, change func(string, any, any)) {
	old := lines(d.rec["packLines"])
	used := make([]bool, len(old))
	var packs []any
	changed := false
	for _, w := range wants {
		m := -1
		for j, l := range old {
			if !used[j] && sameID(str(l["productId"]), w.l.productID) {
				m = j
				break
			}
		}
		if m >= 0 {
			used[m] = true
			if q, _ := quantityOf(old[m]); q.Equal(w.qty) {
				packs = append(packs, cloneDocLine(old[m]))
				continue
			}
		}
		changed = true
		packs = append(packs, record{"salesOrderPackLineId": newGUID(), "productId": w.l.productID, "quantity": quantityBody(w.qty, w.serials), "containerNumber": "1"})
	}
	for j := range old {
		if !used[j] {
			changed = true
		}
	}
	if changed {
		body["packLines"] = packs
		change("packed", len(old), len(packs))
	}
	if len(lines(d.rec["shipLines"])) == 0 {
		body["shipLines"] = []any{record{"salesOrderShipLineId": newGUID(), "containers": []string{"1"}, "shippedDate": time.Now().UTC().Format(time.RFC3339)}}
		change("shipped", "", "1 box")
	}
}
