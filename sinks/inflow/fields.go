package inflowsink

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/etl-dev/etl/pipeline"
)

// valueKind is the kind of value a target field takes.
type valueKind int

const (
	kText    valueKind = iota // string (integers and decimals are written as text)
	kDecimal                  // exact number
	kInteger                  // whole number
	kBool                     // true/false (text yes/no accepted)
	kList                     // comma-separated text (serials)
	kDate                     // a date or a date-time (document dates)
)

// applyKind says where a target field lands in inFlow.
type applyKind int

const (
	aScalar     applyKind = iota // a top-level property
	aRef                         // a top-level id property, resolved from a name
	aCustom                      // customFields.customN
	aPrice                       // prices[] line of one pricing scheme
	aBarcode                     // the primary productBarcodes[] line
	aVendor                      // vendorItems[] line of the row's vendor
	aReorder                     // reorderSettings[] line of the row's location
	aAddress                     // the row's addresses[] line
	aStock                       // opening stock (stock adjustments at Close)
	aCost                        // product cost adjustment at Close
	aCreateOnly                  // set on insert, cannot change (itemType, trackSerials)
	aTaxCode                     // taxCodes[] line of the tax code's taxing scheme
)

// refKind names a kind of reference data resolved by name.
type refKind string

const (
	refCategory      refKind = "category"
	refLocation      refKind = "location"
	refPricingScheme refKind = "pricing scheme"
	refTaxingScheme  refKind = "taxing scheme"
	refPaymentTerms  refKind = "payment terms"
	refCurrency      refKind = "currency"
	refVendor        refKind = "vendor"
	refReason        refKind = "adjustment reason"
	refTaxCode       refKind = "tax code"
)

// fieldDef is one field a mapping may produce for an entity.
type fieldDef struct {
	name  string
	kind  valueKind
	apply applyKind
	// prop is the inFlow property: top-level for aScalar, aRef and
	// aCreateOnly; inside the line for aPrice, aVendor, aReorder; inside
	// the Address object for aAddress ("name" is the line's own name).
	prop string
	ref  refKind
	doc  string
}

// entityKind describes one entity the sink writes.
type entityKind struct {
	name     string // "products": the URL segment and journal kind
	singular string // "product"
	idProp   string // "productId"
	// defaultMatch is the match order when the job gives none.
	defaultMatch []string
	// matchKeys are the keys match may name (custom:customN aside).
	matchKeys []string
	// unique are the keys inFlow keeps unique (duplicates in the input are
	// rejected on these and on the match keys).
	unique []string
	fields map[string]*fieldDef
	// addressDefaults names the properties pointing at the default
	// address lines ("defaultBillingAddressId", ...).
	addressDefaults []string
	addressIDProp   string // "customerAddressId"
	// hints explain fields that look right but do not exist in inFlow.
	hints map[string]string
	// filters names the list filter of keys the index can look up beyond
	// name, SKU and barcode (a document's number).
	filters map[string]string
}

var (
	products  = &entityKind{name: "products", singular: "product", idProp: "productId"}
	customers = &entityKind{name: "customers", singular: "customer", idProp: "customerId"}
	vendors   = &entityKind{name: "vendors", singular: "vendor", idProp: "vendorId"}
	entities  = map[string]*entityKind{"products": products, "customers": customers, "vendors": vendors}
)

func add(e *entityKind, defs ...*fieldDef) {
	if e.fields == nil {
		e.fields = map[string]*fieldDef{}
	}
	for _, d := range defs {
		e.fields[d.name] = d
	}
}

func text(name, prop, doc string) *fieldDef {
	return &fieldDef{name: name, kind: kText, apply: aScalar, prop: prop, doc: doc}
}
func decimalField(name, prop, doc string) *fieldDef {
	return &fieldDef{name: name, kind: kDecimal, apply: aScalar, prop: prop, doc: doc}
}
func boolField(name, prop, doc string) *fieldDef {
	return &fieldDef{name: name, kind: kBool, apply: aScalar, prop: prop, doc: doc}
}
func ref(name, prop string, r refKind, doc string) *fieldDef {
	return &fieldDef{name: name, kind: kText, apply: aRef, prop: prop, ref: r, doc: doc}
}

func init() {
	add(products,
		text("name", "name", "Product name; unique in inFlow; needed to create a product"),
		text("sku", "sku", "SKU; unique in inFlow when set"),
		text("description", "description", "Description"),
		ref("category", "categoryId", refCategory, `Category name or path, e.g. "Clothing > Tshirts"; must exist in inFlow`),
		&fieldDef{name: "item_type", kind: kText, apply: aCreateOnly, prop: "itemType", doc: "stocked (default for new products), nonstocked or service; cannot change once set"},
		&fieldDef{name: "track_serials", kind: kBool, apply: aCreateOnly, prop: "trackSerials", doc: "Whether the product tracks serial numbers (stocked products only); cannot change once set"},
		boolField("is_active", "isActive", "false deactivates the product"),
		&fieldDef{name: "barcode", kind: kText, apply: aBarcode, prop: "barcode", doc: "Primary barcode (the first of productBarcodes; other barcodes are kept)"},
		&fieldDef{name: "price", kind: kDecimal, apply: aPrice, prop: "unitPrice", doc: "Fixed price in the default pricing scheme"},
		&fieldDef{name: "cost", kind: kDecimal, apply: aCost, doc: "Inventory unit cost: a product cost adjustment when it differs (one request per product)"},
		&fieldDef{name: "vendor", kind: kText, apply: aVendor, ref: refVendor, doc: "Vendor name; adds or updates that vendor's vendor item line"},
		&fieldDef{name: "vendor_item_code", kind: kText, apply: aVendor, prop: "vendorItemCode", doc: "The vendor's code for the product (needs vendor)"},
		&fieldDef{name: "vendor_cost", kind: kDecimal, apply: aVendor, prop: "cost", doc: "The vendor's price per purchasing unit (needs vendor)"},
		&fieldDef{name: "vendor_lead_time_days", kind: kInteger, apply: aVendor, prop: "leadTimeDays", doc: "The vendor's lead time in days (needs vendor)"},
		&fieldDef{name: "reorder_point", kind: kDecimal, apply: aReorder, prop: "reorderPoint", doc: "Reorder point at the row's location"},
		&fieldDef{name: "reorder_quantity", kind: kDecimal, apply: aReorder, prop: "reorderQuantity", doc: "Reorder quantity at the row's location"},
		&fieldDef{name: "location", kind: kText, apply: aStock, ref: refLocation, doc: "Location of the opening stock and reorder settings (default: stock.location, else the company's default location)"},
		&fieldDef{name: "sublocation", kind: kText, apply: aStock, doc: "Sublocation (bin) the stock adjustment lines go to"},
		&fieldDef{name: "quantity", kind: kDecimal, apply: aStock, doc: "Quantity on hand at the location (stock.mode set) or to add (stock.mode add)"},
		&fieldDef{name: "serials", kind: kList, apply: aStock, doc: "Serial numbers on hand at the location, comma-separated (serialised products)"},
		&fieldDef{name: "tax_code", kind: kText, apply: aTaxCode, ref: refTaxCode, doc: `Tax code name, or "Taxing scheme > Tax code"; sets the product's tax code in that scheme`},
		text("uom", "standardUomName", "Standard unit of measure name"),
		decimalField("weight", "weight", "Weight"),
		decimalField("length", "length", "Length"),
		decimalField("width", "width", "Width"),
		decimalField("height", "height", "Height"),
		text("remarks", "remarks", "Remarks"),
		text("hs_tariff_number", "hsTariffNumber", "Harmonized tariff code"),
		text("origin_country", "originCountry", "2-letter country of origin"),
	)
	products.defaultMatch = []string{"sku", "name"}
	products.matchKeys = []string{"sku", "name", "barcode"}
	products.unique = []string{"sku", "name"}

	party := func(e *entityKind) {
		add(e,
			text("name", "name", "Name; needed to create a record"),
			text("contact_name", "contactName", "Primary contact"),
			text("email", "email", "Email"),
			text("phone", "phone", "Phone"),
			text("fax", "fax", "Fax"),
			text("website", "website", "Website"),
			text("remarks", "remarks", "Remarks"),
			decimalField("discount", "discount", "Default discount in percent"),
			boolField("is_active", "isActive", "false deactivates the record"),
			ref("taxing_scheme", "taxingSchemeId", refTaxingScheme, "Taxing scheme name; must exist in inFlow"),
			ref("payment_terms", "defaultPaymentTermsId", refPaymentTerms, `Payment terms name, e.g. "Net 30"; must exist in inFlow`),
			text("payment_method", "defaultPaymentMethod", "Default payment method"),
			text("carrier", "defaultCarrier", "Default carrier"),
			&fieldDef{name: "address_name", kind: kText, apply: aAddress, prop: "name", doc: `Name of the address line to set (default: the default address, else "Main")`},
			&fieldDef{name: "address1", kind: kText, apply: aAddress, prop: "address1", doc: "Street address, first line"},
			&fieldDef{name: "address2", kind: kText, apply: aAddress, prop: "address2", doc: "Street address, second line"},
			&fieldDef{name: "city", kind: kText, apply: aAddress, prop: "city", doc: "City"},
			&fieldDef{name: "state", kind: kText, apply: aAddress, prop: "state", doc: "State or province"},
			&fieldDef{name: "postal_code", kind: kText, apply: aAddress, prop: "postalCode", doc: "Postal or ZIP code"},
			&fieldDef{name: "country", kind: kText, apply: aAddress, prop: "country", doc: "Country"},
			&fieldDef{name: "address_type", kind: kText, apply: aAddress, prop: "addressType", doc: "commercial or residential"},
			&fieldDef{name: "address_remarks", kind: kText, apply: aAddress, prop: "remarks", doc: "Remarks on the address"},
		)
		e.defaultMatch = []string{"name"}
		e.matchKeys = []string{"name"}
		e.unique = nil
	}
	party(customers)
	add(customers,
		ref("pricing_scheme", "pricingSchemeId", refPricingScheme, "Pricing scheme name; must exist in inFlow"),
		text("tax_exempt_number", "taxExemptNumber", "Tax exemption number"),
		ref("location", "defaultLocationId", refLocation, "Default location name; must exist in inFlow"),
		text("sales_rep", "defaultSalesRep", "Default sales rep (free text)"),
	)
	customers.addressDefaults = []string{"defaultBillingAddressId", "defaultShippingAddressId"}
	customers.hints = map[string]string{"currency": "inFlow customers have no currency: their pricing scheme's currency applies (map pricing_scheme)"}
	products.hints = map[string]string{"quantity_on_hand": "map it as quantity", "on_hand": "map it as quantity", "stock": "map it as quantity"}
	customers.addressIDProp = "customerAddressId"
	party(vendors)
	add(vendors,
		ref("currency", "currencyId", refCurrency, "Currency ISO code or name, e.g. EUR; must exist in inFlow"),
		boolField("tax_inclusive", "isTaxInclusivePricing", "Whether the vendor's prices include tax"),
		&fieldDef{name: "lead_time_days", kind: kInteger, apply: aScalar, prop: "leadTimeDays", doc: "Typical lead time in days"},
	)
	vendors.addressDefaults = []string{"defaultAddressId"}
	vendors.addressIDProp = "vendorAddressId"

	for _, e := range entities {
		for n := 1; n <= 10; n++ {
			name := fmt.Sprintf("custom%d", n)
			add(e, &fieldDef{name: name, kind: kText, apply: aCustom, prop: name, doc: fmt.Sprintf("Custom field %d (labels are set in inFlow)", n)})
		}
	}
}

// fieldNames lists an entity's fixed field names, sorted.
func (e *entityKind) fieldNames() []string {
	out := make([]string, 0, len(e.fields))
	for n := range e.fields {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// boundField is a schema field the sink uses, with its definition.
type boundField struct {
	def    *fieldDef
	index  int           // position in the row
	typ    pipeline.Type // the mapped type
	scheme string        // aPrice: the pricing scheme's name as configured ("" = default)
	scale  int           // decimal places the mapping gives (0: as they come), for plans
}

var priceFieldRE = regexp.MustCompile(`^price_[a-z0-9_]+$`)

// bindSchema checks the mapped fields against the entity's catalog. Price
// fields of named schemes (price_<scheme>, or the prices setting) are bound
// with their scheme name, resolved against inFlow later.
func bindSchema(e *entityKind, schema pipeline.Schema, prices map[string]string, ignore []string) (map[string]*boundField, error) {
	bound := map[string]*boundField{}
	var errs []string
	ignored := map[string]bool{}
	for _, n := range ignore {
		ignored[n] = true
	}
	known := e.fieldNames()
	for i, f := range schema {
		if ignored[f.Name] {
			continue
		}
		def := e.fields[f.Name]
		scheme := ""
		if s, ok := prices[f.Name]; ok && e == products {
			def = &fieldDef{name: f.Name, kind: kDecimal, apply: aPrice, prop: "unitPrice", doc: "Fixed price in pricing scheme " + s}
			scheme = s
		} else if def == nil && e == products && priceFieldRE.MatchString(f.Name) {
			def = &fieldDef{name: f.Name, kind: kDecimal, apply: aPrice, prop: "unitPrice"}
			scheme = "\x00" + strings.TrimPrefix(f.Name, "price_") // resolved by normalised name
		}
		if def == nil {
			msg := fmt.Sprintf("field %q is not a %s field", f.Name, e.singular)
			if h, ok := e.hints[f.Name]; ok {
				msg += " (" + h + ")"
			} else if c := closest(f.Name, known, 1); len(c) > 0 {
				msg += fmt.Sprintf(" (did you mean %q?)", c[0])
			}
			errs = append(errs, msg)
			continue
		}
		if err := checkType(def, f.Type); err != "" {
			errs = append(errs, fmt.Sprintf("field %q: %s", f.Name, err))
			continue
		}
		bound[f.Name] = &boundField{def: def, index: i, typ: f.Type, scheme: scheme, scale: f.Scale}
	}
	for n := range prices {
		if schema.Index(n) < 0 {
			errs = append(errs, fmt.Sprintf("prices: field %q is not in the mapping", n))
		}
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return nil, fmt.Errorf("%s; the %s fields are: %s (list others under ignore)", strings.Join(errs, "; "), e.singular, strings.Join(known, ", "))
	}
	return bound, nil
}

// checkType says why a mapped type cannot feed a field, or "".
func checkType(def *fieldDef, t pipeline.Type) string {
	ok := false
	switch def.kind {
	case kText, kList:
		ok = t == pipeline.TypeString || t == pipeline.TypeInteger || t == pipeline.TypeDecimal
	case kDecimal:
		ok = t == pipeline.TypeDecimal || t == pipeline.TypeInteger || t == pipeline.TypeFloat || t == pipeline.TypeString
	case kInteger:
		ok = t == pipeline.TypeInteger || t == pipeline.TypeDecimal || t == pipeline.TypeString
	case kBool:
		ok = t == pipeline.TypeBool || t == pipeline.TypeString
	}
	if ok {
		return ""
	}
	want := map[valueKind]string{kText: "string", kList: "string", kDecimal: "decimal", kInteger: "integer", kBool: "bool"}[def.kind]
	return fmt.Sprintf("is mapped as %s but inFlow takes %s here (set type: %s in the mapping)", t, want, want)
}

// normKey is how match keys compare: trimmed and case-insensitive, as
// inFlow compares names and SKUs for uniqueness.
func normKey(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// normSchemeName turns "Wholesale Price" into "wholesale_price" for
// price_<scheme> fields.
func normSchemeName(s string) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			under = false
			b.WriteRune(r)
			continue
		}
		under = true
	}
	return b.String()
}
