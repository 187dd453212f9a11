package inflowsink

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/pipeline"
)

// docKind describes one kind of inFlow document the sink writes: sales
// orders, purchase orders, stock adjustments, stock transfers. Each input
// row is one line; rows are grouped into documents by the number field.
type docKind struct {
	name        string // "sales-orders": URL segment and journal kind
	singular    string // "sales order"
	label       string // "order", for keys: "order SO-1001"
	idProp      string // "salesOrderId"
	numberField string // "order_number"
	numberProp  string // "orderNumber"
	lineIDProp  string // "salesOrderLineId"
	// include names the child arrays a GET must answer for the diff.
	include []string
	fields  map[string]*docField
	// entity is how the index sees the documents: keyed by number.
	entity *entityKind
}

// docField is one field a mapping may produce for a document kind.
type docField struct {
	name string
	kind valueKind // kText, kDecimal, kBool, kList or kDate
	line bool      // a line field (else a header field, equal on every row)
	// prop is the inFlow property of the header or the line; for
	// addresses "billingAddress.city".
	prop string
	ref  refKind // header references resolved by name
	// party names the customer or vendor field (resolved through the
	// customers or vendors listing, not reference data).
	party bool
	doc   string
}

var (
	salesOrders = &docKind{name: "sales-orders", singular: "sales order", label: "order", idProp: "salesOrderId",
		numberField: "order_number", numberProp: "orderNumber", lineIDProp: "salesOrderLineId",
		include: []string{"lines", "pickLines", "packLines", "shipLines"}}
	purchaseOrders = &docKind{name: "purchase-orders", singular: "purchase order", label: "order", idProp: "purchaseOrderId",
		numberField: "order_number", numberProp: "orderNumber", lineIDProp: "purchaseOrderLineId",
		include: []string{"lines", "receiveLines"}}
	stockAdjustments = &docKind{name: "stock-adjustments", singular: "stock adjustment", label: "adjustment", idProp: "stockAdjustmentId",
		numberField: "adjustment_number", numberProp: "adjustmentNumber", lineIDProp: "stockAdjustmentLineId",
		include: []string{"lines"}}
	stockTransfers = &docKind{name: "stock-transfers", singular: "stock transfer", label: "transfer", idProp: "stockTransferId",
		numberField: "transfer_number", numberProp: "transferNumber", lineIDProp: "stockTransferLineId",
		include: []string{"lines"}}
	docKinds = map[string]*docKind{
		salesOrders.name: salesOrders, purchaseOrders.name: purchaseOrders,
		stockAdjustments.name: stockAdjustments, stockTransfers.name: stockTransfers,
	}
)

func init() {
	h := func(name string, kind valueKind, prop, doc string) *docField {
		return &docField{name: name, kind: kind, prop: prop, doc: doc}
	}
	l := func(name string, kind valueKind, prop, doc string) *docField {
		return &docField{name: name, kind: kind, prop: prop, line: true, doc: doc}
	}
	r := func(name, prop string, ref refKind, doc string) *docField {
		return &docField{name: name, kind: kText, prop: prop, ref: ref, doc: doc}
	}
	address := func(which, prop string) []*docField {
		var out []*docField
		for _, a := range [][2]string{{"address1", "address1"}, {"address2", "address2"}, {"city", "city"}, {"state", "state"}, {"postal_code", "postalCode"}, {"country", "country"}} {
			out = append(out, h(which+"_"+a[0], kText, prop+"."+a[1], "the "+which+" address's "+a[0]))
		}
		return out
	}
	sku := l("sku", kText, "productId", "the line's product: by SKU, then by name")
	qty := l("quantity", kDecimal, "quantity", "the line's quantity")
	serials := l("serials", kList, "serialNumbers", "serial numbers, comma-separated (one per unit)")

	addDoc(salesOrders,
		h("order_number", kText, "orderNumber", "the order's number: rows with the same number are one order"),
		&docField{name: "customer", kind: kText, prop: "customerId", party: true, doc: "the customer, by name"},
		h("order_date", kDate, "orderDate", "the order date (a date alone is that calendar date)"),
		r("location", "locationId", refLocation, "the location the order ships from (default: the company's)"),
		r("currency", "currencyId", refCurrency, "the currency, an ISO code"),
		r("pricing_scheme", "pricingSchemeId", refPricingScheme, "the pricing scheme, by name"),
		r("payment_terms", "paymentTermsId", refPaymentTerms, "the payment terms, by name"),
		h("sales_rep", kText, "salesRep", "the sales rep's name"),
		h("po_number", kText, "poNumber", "the customer's purchase order number"),
		h("requested_ship_date", kDate, "requestedShipDate", "the requested ship date"),
		h("remarks", kText, "orderRemarks", "remarks on the order"),
		h("source", kText, "source", `where the order came from (default "etl" on insert)`),
		h("fulfill", kBool, "", "true: pick (and pack and ship) every line; default: the sink's fulfill"),
		sku, qty,
		l("unit_price", kDecimal, "unitPrice", "the line's unit price (default: the pricing scheme's)"),
		l("discount", kDecimal, "discount", "the line's discount, a percentage"),
		serials,
	)
	addDoc(salesOrders, append(address("billing", "billingAddress"), address("shipping", "shippingAddress")...)...)
	addDoc(purchaseOrders,
		h("order_number", kText, "orderNumber", "the order's number: rows with the same number are one order"),
		&docField{name: "vendor", kind: kText, prop: "vendorId", party: true, doc: "the vendor, by name"},
		h("order_date", kDate, "orderDate", "the order date"),
		r("location", "locationId", refLocation, "the location receiving the goods (default: the company's)"),
		r("currency", "currencyId", refCurrency, "the currency, an ISO code"),
		r("payment_terms", "paymentTermsId", refPaymentTerms, "the payment terms, by name"),
		h("vendor_order_number", kText, "vendorOrderNumber", "the vendor's order number"),
		h("remarks", kText, "orderRemarks", "remarks on the order"),
		h("receive", kBool, "", "true: receive every line (stock goes up); default: the sink's receive"),
		sku, qty,
		l("unit_price", kDecimal, "unitPrice", "the line's unit price (default: the product's cost from this vendor)"),
		serials,
	)
	addDoc(stockAdjustments,
		h("adjustment_number", kText, "adjustmentNumber", "the adjustment's number: rows with the same number are one adjustment"),
		r("location", "locationId", refLocation, "the location adjusted (default: the company's)"),
		r("reason", "adjustmentReasonId", refReason, "the adjustment reason, by name"),
		h("date", kDate, "date", "the adjustment's date"),
		h("remarks", kText, "remarks", "remarks on the adjustment"),
		sku,
		l("quantity", kDecimal, "quantity", "the change of stock, signed: -3 takes three away"),
		l("sublocation", kText, "sublocation", "the sublocation adjusted"),
		serials,
	)
	addDoc(stockTransfers,
		h("transfer_number", kText, "transferNumber", "the transfer's number: rows with the same number are one transfer"),
		r("from_location", "fromLocationId", refLocation, "the location the stock leaves"),
		r("to_location", "toLocationId", refLocation, "the location the stock goes to"),
		h("status", kText, "status", "open or completed (completed moves the stock); default: the sink's status"),
		h("transfer_date", kDate, "transferDate", "the transfer's date"),
		h("remarks", kText, "remarks", "remarks on the transfer"),
		sku, qty,
		l("from_sublocation", kText, "fromSublocation", "the sublocation the stock leaves"),
		l("to_sublocation", kText, "toSublocation", "the sublocation the stock goes to"),
		serials,
	)
	for _, k := range docKinds {
		k.entity = &entityKind{name: k.name, singular: k.singular, idProp: k.idProp, filters: map[string]string{k.numberProp: k.numberProp}}
	}
}

func addDoc(k *docKind, fs ...*docField) {
	if k.fields == nil {
		k.fields = map[string]*docField{}
	}
	for _, f := range fs {
		k.fields[f.name] = f
	}
}

func (k *docKind) fieldNames() []string {
	out := make([]string, 0, len(k.fields))
	for n := range k.fields {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// docBound is a mapped field of a document kind.
type docBound struct {
	def   *docField
	index int
}

// bindDocSchema checks the mapped fields against the kind's fields.
func bindDocSchema(k *docKind, schema pipeline.Schema, ignore []string) (map[string]*docBound, error) {
	out := map[string]*docBound{}
	ignored := map[string]bool{}
	for _, n := range ignore {
		ignored[n] = true
	}
	var errs []string
	known := k.fieldNames()
	for i, f := range schema {
		if ignored[f.Name] {
			continue
		}
		def := k.fields[f.Name]
		if def == nil {
			msg := fmt.Sprintf("field %q is not a %s field", f.Name, k.singular)
			if c := closest(f.Name, known, 1); len(c) > 0 {
				msg += fmt.Sprintf(" (did you mean %q?)", c[0])
			}
			errs = append(errs, msg)
			continue
		}
		if def.kind == kDate {
			if f.Type != pipeline.TypeDate && f.Type != pipeline.TypeTimestamp && f.Type != pipeline.TypeString {
				errs = append(errs, fmt.Sprintf("field %q: is mapped as %s but inFlow takes a date here (set type: date or timestamp in the mapping)", f.Name, f.Type))
				continue
			}
		} else if msg := checkType(&fieldDef{kind: def.kind}, f.Type); msg != "" {
			errs = append(errs, fmt.Sprintf("field %q: %s", f.Name, msg))
			continue
		}
		out[f.Name] = &docBound{def: def, index: i}
	}
	for _, need := range []string{k.numberField, "sku", "quantity"} {
		if out[need] == nil && len(errs) == 0 {
			errs = append(errs, fmt.Sprintf("the mapping has no %s field: each row is a line of a %s and needs one", need, k.singular))
		}
	}
	if k == stockTransfers && len(errs) == 0 {
		for _, need := range []string{"from_location", "to_location"} {
			if out[need] == nil {
				errs = append(errs, fmt.Sprintf("the mapping has no %s field: a stock transfer needs both locations", need))
			}
		}
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return nil, fmt.Errorf("%s; the %s fields are: %s (list others under ignore)", strings.Join(errs, "; "), k.singular, strings.Join(known, ", "))
	}
	return out, nil
}

// docDate is a date as a document field holds it: a calendar date, or an
// instant with its offset.
type docDate struct {
	t       time.Time
	hasTime bool
}

// String is how the date is sent: "2025-03-01" for a calendar date
// (inFlow's default time of day applies), RFC 3339 with its offset else.
func (d docDate) String() string {
	if !d.hasTime {
		return d.t.Format(time.DateOnly)
	}
	return d.t.Format(time.RFC3339Nano)
}

// equal compares with a stored date-time: by calendar date (as written
// in the stored value's own offset) for a date, by instant otherwise.
func (d docDate) equal(stored any) bool {
	s := strings.TrimSpace(str(stored))
	if s == "" {
		return false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		if t, err = time.Parse(time.DateOnly, s); err != nil {
			return false
		}
	}
	if !d.hasTime {
		return t.Format(time.DateOnly) == d.t.Format(time.DateOnly)
	}
	return t.Equal(d.t)
}

// convertDoc converts a mapped value for a document field; nil (or blank
// text) is nil: a blank optional field sends nothing.
func convertDoc(f *docField, v any) (any, error) {
	if f.kind != kDate {
		return convert(&boundField{def: &fieldDef{kind: f.kind}}, v)
	}
	switch x := v.(type) {
	case nil:
		return nil, nil
	case time.Time:
		// A date column arrives at midnight UTC: that calendar date.
		date := x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 && x.Location() == time.UTC
		return docDate{t: x, hasTime: !date}, nil
	case string:
		s := strings.TrimSpace(x)
		if s == "" {
			return nil, nil
		}
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			return docDate{t: t}, nil
		}
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04:05Z07:00", "2006-01-02T15:04"} {
			if t, err := time.Parse(layout, s); err == nil {
				return docDate{t: t, hasTime: true}, nil
			}
		}
		return nil, fmt.Errorf("%q is not a date (write 2025-03-01, or 2025-03-01T14:30:00+02:00)", x)
	}
	return nil, fmt.Errorf("unexpected value of type %T", v)
}

// docText is a converted value as text, for comparing header cells and
// for messages.
func docText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case decimal.Decimal:
		return x.String()
	case docDate:
		return x.String()
	case []string:
		return strings.Join(x, ",")
	}
	return str(v)
}
