package inspect

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/etl-dev/etl/pipeline"
)

// currencyStrip is what the starter job strips from money columns: currency
// symbols and spaces, not commas (stripping "," would read the European
// "12,50" as 1250 instead of rejecting it).
const currencyStrip = "$€£¥ "

// spec is an inFlow field a column can be recognised as.
type spec struct {
	field string
	// typ is the field's type; numeric fields (typ TypeInteger with
	// numeric set) become decimal when the column holds decimals.
	typ     pipeline.Type
	numeric bool
	scale   int  // decimals
	strip   bool // strip currency symbols
}

// alias lists header spellings (lower case, letters and digits only) of a
// field.
type alias struct {
	spec
	names []string
}

// str is a text field; numeric a count that is integer or decimal as the
// column holds.
func str(f string) spec     { return spec{field: f, typ: pipeline.TypeString} }
func numeric(f string) spec { return spec{field: f, typ: pipeline.TypeInteger, numeric: true} }

// productFields are inFlow product fields. Order matters only for reading.
var productFields = []alias{
	// Names after "|" are fallbacks: a column of such a name fills the
	// field only when no column has one of the names before it (Shopify's
	// Handle after its Variant SKU, WooCommerce's Sale price after its
	// Regular price); among equals the first column wins. WooCommerce's
	// "In stock?" is a yes/no flag, not the quantity ("Stock").
	{str("sku"), []string{"sku", "variantsku", "itemcode", "productcode", "itemsku", "productsku", "itemnumber", "itemno",
		"productnumber", "productno", "partnumber", "partno", "stockcode", "code", "articlenumber", "artikelnummer", "|", "handle"}},
	{str("name"), []string{"name", "productname", "itemname", "title", "product", "item", "bezeichnung", "artikel"}},
	{str("description"), []string{"description", "desc", "productdescription", "itemdescription", "longdescription",
		"bodyhtml", "beschreibung", "|", "shortdescription"}},
	{str("category"), []string{"category", "productcategory", "itemcategory", "categorypath", "categoryname", "categories",
		"kategorie", "|", "type", "producttype"}},
	{spec{field: "price", typ: pipeline.TypeDecimal, scale: 2, strip: true}, []string{"price", "unitprice", "regularprice",
		"variantprice", "defaultprice", "sellingprice", "retailprice", "listprice", "preis", "prix", "|", "salesprice", "saleprice", "msrp"}},
	{spec{field: "cost", typ: pipeline.TypeDecimal, scale: 4, strip: true}, []string{"cost", "unitcost", "costperitem",
		"costprice", "purchaseprice", "purchasecost", "defaultcost", "averagecost", "avgcost", "einkaufspreis"}},
	{str("barcode"), []string{"barcode", "upc", "ean", "ean13", "gtin", "upccode", "barcodenumber", "variantbarcode",
		"gtinupceanorisbn", "isbn"}},
	{numeric("quantity"), []string{"quantity", "qty", "onhand", "quantityonhand", "qtyonhand", "stock", "variantinventoryqty",
		"stockonhand", "stocklevel", "inventory", "bestand", "menge"}},
	{str("location"), []string{"location", "warehouse", "defaultlocation", "locationname", "store"}},
	{str("sublocation"), []string{"sublocation", "bin", "binlocation", "shelf", "defaultsublocation"}},
	{spec{field: "is_active", typ: pipeline.TypeBool}, []string{"active", "isactive", "enabled"}},
	{str("vendor"), []string{"vendor", "supplier", "vendorname", "suppliername", "preferredvendor", "lastvendor"}},
	{numeric("reorder_point"), []string{"reorderpoint", "reorderlevel", "minstock", "minimumstock", "minqty", "lowstockamount"}},
	{numeric("reorder_quantity"), []string{"reorderquantity", "reorderqty", "orderquantity"}},
	{str("uom"), []string{"uom", "unitofmeasure", "unit", "standarduom", "units"}},
	{str("item_type"), []string{"itemtype"}},
	{numeric("weight"), []string{"weight", "weightkg", "weightlbs", "weightlb"}},
	{str("remarks"), []string{"remarks", "notes", "note", "comments"}},
}

// contactFields are fields of inFlow customers and vendors.
var contactFields = []alias{
	{str("name"), []string{"name", "customername", "customer", "vendorname", "vendor", "suppliername",
		"supplier", "companyname", "company", "businessname", "accountname"}},
	{str("contact_name"), []string{"contact", "contactname", "contactperson", "attention", "attn"}},
	{str("email"), []string{"email", "emailaddress", "mail"}},
	{str("phone"), []string{"phone", "phonenumber", "telephone", "tel", "mobile", "cell"}},
	{str("fax"), []string{"fax", "faxnumber"}},
	{str("website"), []string{"website", "web", "url", "homepage", "webaddress"}},
	{str("address1"), []string{"address", "address1", "street", "streetaddress", "addressline1", "street1"}},
	{str("address2"), []string{"address2", "addressline2", "street2"}},
	{str("city"), []string{"city", "town"}},
	{str("state"), []string{"state", "province", "region", "stateregion", "stateprovince", "provincestate"}},
	{str("postal_code"), []string{"postalcode", "zip", "zipcode", "postcode", "zippostalcode", "postalzip"}},
	{str("country"), []string{"country", "countryname"}},
	{str("pricing_scheme"), []string{"pricingscheme", "pricelevel", "pricelist", "pricingtier"}},
	{str("payment_terms"), []string{"paymentterms", "terms"}},
	{str("taxing_scheme"), []string{"taxingscheme", "taxscheme", "taxcode"}},
	{str("currency"), []string{"currency", "currencycode"}},
	{spec{field: "discount", typ: pipeline.TypeDecimal, scale: 2}, []string{"discount", "defaultdiscount"}},
	{numeric("lead_time_days"), []string{"leadtime", "leadtimedays"}},
	{spec{field: "is_active", typ: pipeline.TypeBool}, []string{"active", "isactive", "enabled"}},
	{str("remarks"), []string{"remarks", "notes", "note", "comments"}},
}

// productMarkers are fields only a product file has.
var productMarkers = map[string]bool{"sku": true, "price": true, "cost": true, "barcode": true, "quantity": true}

// normHeader reduces a header to lower-case letters and digits: "Item Code"
// and "item_code" both become "itemcode".
func normHeader(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func lookup(table []alias, header string) (spec, bool) {
	s, _, ok := lookupRank(table, header)
	return s, ok
}

// lookupRank is lookup with the rank of the name in its field's list:
// the lower, the better the column fits the field.
func lookupRank(table []alias, header string) (spec, int, bool) {
	n := normHeader(header)
	for _, a := range table {
		rank := 0
		for _, name := range a.names {
			if name == "|" {
				rank = 1
			}
			if name == n {
				return a.spec, rank, true
			}
		}
	}
	return spec{}, 0, false
}

// recognise picks the field table for a file: products when a column looks
// like a product field (SKU, price, cost, barcode, quantity), else
// customers and vendors when one looks like a contact field, else
// products (the commonest onboarding).
func recognise(cols []ColumnInfo) []alias {
	contact := false
	for _, c := range cols {
		if s, ok := lookup(productFields, c.Name); ok && productMarkers[s.field] {
			return productFields
		}
		if s, ok := lookup(contactFields, c.Name); ok && s.field != "name" && s.field != "remarks" && s.field != "is_active" {
			contact = true
		}
	}
	if contact {
		return contactFields
	}
	return productFields
}

// snake makes a field name of a header, an identifier as job files want
// them ([a-z_][a-z0-9_]*): "Launch Date" → launch_date, "UnitPrice" →
// unit_price, "Lead Time (days)" → lead_time_days, "Größe" → grosse.
// Accents are dropped; other characters separate words. It returns "" when
// nothing is left.
func snake(s string) string {
	var rs []rune
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue // a combining accent
		}
		if f, ok := fold[r]; ok {
			rs = append(rs, []rune(f)...)
			continue
		}
		rs = append(rs, r)
	}
	var b strings.Builder
	sep := false
	for i, r := range rs {
		if r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			sep = true
			continue
		}
		if unicode.IsUpper(r) && i > 0 && !sep {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || unicode.IsUpper(prev) && nextLower {
				sep = true
			}
		}
		if sep && b.Len() > 0 {
			b.WriteByte('_')
		}
		sep = false
		b.WriteRune(unicode.ToLower(r))
	}
	out := b.String()
	if out != "" && out[0] >= '0' && out[0] <= '9' {
		out = "col_" + out
	}
	return out
}

// fold spells letters that have no decomposition in ASCII.
var fold = map[rune]string{
	'ß': "ss", 'æ': "ae", 'Æ': "Ae", 'ø': "o", 'Ø': "O", 'œ': "oe", 'Œ': "Oe",
	'ł': "l", 'Ł': "L", 'đ': "d", 'Đ': "D", 'þ': "th", 'Þ': "Th", 'ı': "i",
}

// entry is one line of the mapping.
type entry struct {
	field, value, comment string
	notes                 []string // comment lines above the entry
	off                   bool     // written commented out
}

// StarterOptions say where a starter job sends the rows.
type StarterOptions struct {
	// Sink is the sink type: parquet (the default), csv, jsonl, xlsx, or
	// an API sink such as inflow.
	Sink string
	// Entity is what an API sink writes: products, customers, vendors.
	// Left out, it is what the columns look like.
	Entity string
}

// inflowFields are the fields the inflow sink takes, per entity (see
// sinks/inflow): a starter job for inFlow maps only these.
var inflowFields = map[string][]string{
	"products": {"name", "sku", "description", "category", "item_type", "track_serials", "is_active", "barcode", "price",
		"cost", "vendor", "vendor_item_code", "vendor_cost", "vendor_lead_time_days", "reorder_point", "reorder_quantity",
		"location", "sublocation", "quantity", "serials", "tax_code", "uom", "weight", "length", "width", "height",
		"remarks", "hs_tariff_number", "origin_country"},
	"customers": {"name", "contact_name", "email", "phone", "fax", "website", "remarks", "discount", "is_active",
		"taxing_scheme", "payment_terms", "payment_method", "carrier", "address_name", "address1", "address2", "city",
		"state", "postal_code", "country", "address_type", "address_remarks", "pricing_scheme", "tax_exempt_number",
		"location", "sales_rep"},
	"vendors": {"name", "contact_name", "email", "phone", "fax", "website", "remarks", "discount", "is_active",
		"taxing_scheme", "payment_terms", "payment_method", "carrier", "address_name", "address1", "address2", "city",
		"state", "postal_code", "country", "address_type", "address_remarks", "currency"},
}

// fileSinks are the sinks that write a file, with its extension.
var fileSinks = map[string]string{"parquet": ".parquet", "csv": ".csv", "jsonl": ".jsonl", "xlsx": ".xlsx"}

// exportKind names a known export by its headers.
func exportKind(cols []ColumnInfo) string {
	has := map[string]bool{}
	for _, c := range cols {
		has[normHeader(c.Name)] = true
	}
	switch {
	case has["handle"] && has["variantsku"]:
		return "a Shopify product export"
	case has["regularprice"] && has["instock"]:
		return "a WooCommerce product export"
	case has["itemtype"] && has["name"] && (has["defaultlocation"] || has["lastvendor"] || has["reorderpoint"]):
		return "an inFlow product export"
	}
	return ""
}

// StarterJob writes a starter job for the inspected file into a Parquet
// file; see StarterJobFor.
func StarterJob(r *Report, jobPath string) ([]byte, error) {
	return StarterJobFor(r, jobPath, StarterOptions{})
}

// StarterJobFor writes a starter job for the inspected file, to be saved
// at jobPath: it reads the file with its source type and the settings
// Inspect found (header row, sheet, separators; paths relative to the job
// file's directory, as the job loader resolves them), maps every column
// to a snake_case field, typing the fields it recognises as inFlow
// product, customer or vendor fields (the headers of Shopify, WooCommerce
// and inFlow exports among them; barcodes and SKUs always text) and the
// others by their inferred type (marked TODO), requires the key (sku,
// else name) to be present and unique, and writes to the sink o names,
// skipping bad rows. The job is commented for a first-time user. The
// output depends only on its inputs.
func StarterJobFor(r *Report, jobPath string, o StarterOptions) ([]byte, error) {
	if r == nil || len(r.Columns) == 0 {
		return nil, errors.New("inspect: starter job: the file has no columns")
	}
	if r.SourceType == "" {
		return nil, errors.New("inspect: starter job: the report names no source type")
	}
	sink := o.Sink
	if sink == "" {
		sink = "parquet"
	}
	_, fileSink := fileSinks[sink]
	base := strings.TrimSuffix(filepath.Base(r.Path), filepath.Ext(r.Path))
	name := base + "-to-" + sink
	if jobPath != "" {
		name = strings.TrimSuffix(filepath.Base(jobPath), filepath.Ext(jobPath))
	}
	srcPath, err := relPath(r.Path, jobPath)
	if err != nil {
		return nil, err
	}

	table := recognise(r.Columns)
	entity := o.Entity
	switch entity {
	case "":
		entity = "products"
		if &table[0] == &contactFields[0] {
			entity = "customers"
		}
	case "products":
		table = productFields
	case "customers", "vendors":
		table = contactFields
	}
	var allowed map[string]bool
	if sink == "inflow" {
		list, ok := inflowFields[entity]
		if !ok {
			return nil, fmt.Errorf("inspect: starter job: the inflow sink writes products, customers or vendors, not %q", entity)
		}
		allowed = map[string]bool{}
		for _, f := range list {
			allowed[f] = true
		}
	}

	// The column that fits each field best: the lowest rank, then the
	// first.
	best := map[string]int{}
	bestRank := map[string]int{}
	for i := range r.Columns {
		if s, rank, ok := lookupRank(table, r.Columns[i].Name); ok {
			if b, seen := bestRank[s.field]; !seen || rank < b {
				best[s.field], bestRank[s.field] = i, rank
			}
		}
	}
	has := map[string]bool{}
	for _, c := range r.Columns {
		has[normHeader(c.Name)] = true
	}

	// Numbers written with a decimal comma are read with the source's
	// separators when no column writes decimals with a point.
	srcNumbers, commas, points := "", 0, 0
	thousands := map[string]bool{}
	for _, c := range r.Columns {
		switch {
		case c.DecimalComma:
			commas++
			thousands[c.ThousandsSeparator] = true
		case c.Suggested == pipeline.TypeDecimal && c.MaxScale > 0 && !c.euroFits:
			points++
		}
	}
	if commas > 0 && points == 0 && len(thousands) == 1 {
		switch {
		case thousands["."]:
			srcNumbers = "locale: de-DE"
		case thousands[" "]:
			srcNumbers = "locale: fr-FR"
		default:
			srcNumbers = `decimal_separator: ","`
		}
	}

	used := map[string]bool{}
	var entries []entry
	key := ""
	for i := range r.Columns {
		c := &r.Columns[i]
		if strings.TrimSpace(c.Name) == "" {
			entries = append(entries, entry{notes: []string{
				fmt.Sprintf("Column %s has no header, so it cannot be mapped by name; it is left out.", c.Ref)}})
			continue
		}
		e := entry{}
		s, ok := lookup(table, c.Name)
		if ok && best[s.field] != i {
			e.notes = append(e.notes, fmt.Sprintf("%q also looks like %s, which %q fills better.", c.Name, s.field, r.Columns[best[s.field]].Name))
			ok = false
		}
		var opts []string
		var typ pipeline.Type
		if srcNumbers == "locale: de-DE" && c.euroWhole {
			// "1.000" under de-DE is a thousand.
			c = &ColumnInfo{}
			*c = r.Columns[i]
			c.Type, c.Suggested, c.MaxScale = pipeline.TypeInteger, pipeline.TypeInteger, 0
			c.miss = [numKinds]misfits{}
		}
		if ok {
			e.field = s.field
			typ = s.typ
			if s.numeric && (c.Suggested == pipeline.TypeDecimal || c.Suggested == pipeline.TypeFloat) {
				typ = pipeline.TypeDecimal
				opts = append(opts, "scale: "+strconv.Itoa(generousScale(c.MaxScale, 0)))
			}
			if s.typ == pipeline.TypeDecimal {
				opts = append(opts, "scale: "+strconv.Itoa(generousScale(c.MaxScale, s.scale)))
			}
			if s.strip {
				opts = append(opts, "strip: "+yamlScalar(currencyStrip))
			}
			if s.field == "sku" || s.field == "name" && key == "" {
				key = s.field
			}
		} else {
			e.field = unique(used, fieldName(c))
			e.comment = "# TODO: not recognised"
			typ = c.Suggested
			switch typ {
			case pipeline.TypeDecimal:
				opts = append(opts, "scale: "+strconv.Itoa(generousScale(c.MaxScale, 0)))
			case pipeline.TypeBytes:
				typ = pipeline.TypeString
			}
			if allowed != nil {
				e.off = true
				e.comment = fmt.Sprintf("# TODO: not an inFlow %s field: rename it to one, or delete the line", entity)
			}
		}
		if allowed != nil && ok && !allowed[e.field] {
			e.off = true
			e.comment = fmt.Sprintf("# TODO: inFlow %s have no %s field", entity, e.field)
		}
		used[e.field] = true
		from := "from: " + yamlScalar(c.Name)
		if e.field == "sku" && normHeader(c.Name) == "variantsku" && has["handle"] {
			// Shopify: a product without variants may leave Variant SKU
			// empty; its Handle then names it.
			handle := "Handle"
			for _, o := range r.Columns {
				if normHeader(o.Name) == "handle" {
					handle = o.Name
				}
			}
			from = "expr: " + yamlScalar(fmt.Sprintf(`src[%q] != "" ? src[%q] : src[%q]`, c.Name, c.Name, handle))
			e.notes = append(e.notes, "Shopify: the key is Variant SKU, or the Handle where a product has no SKU.")
		}
		if c.DecimalComma && srcNumbers == "" {
			opts = append(opts, `decimal_separator: ","`)
			if c.ThousandsSeparator != "" {
				opts = append(opts, "thousands_separator: "+strconv.Quote(c.ThousandsSeparator))
			}
		}
		if c.DateLayout != "" && (typ == pipeline.TypeDate || typ == pipeline.TypeTimestamp) {
			opts = append(opts, "formats: ["+strconv.Quote(c.DateLayout)+"]")
		}
		e.value = "{" + strings.Join(append([]string{from, "type: " + typ.String()}, opts...), ", ") + "}"
		if n := misfitNote(c, typ, s.strip && ok); n != "" && !c.DecimalComma && c.DateLayout == "" {
			e.notes = append(e.notes, n)
		}
		entries = append(entries, e)
	}

	var b bytes.Buffer
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	p("# A starter job for %s, written by inspecting the file.\n", filepath.ToSlash(r.Path))
	if k := exportKind(r.Columns); k != "" {
		p("# The headers are those of %s; its columns are mapped to %s fields.\n", k, entity)
	}
	p("# It reads the file, maps every column to a field, checks the key and\n")
	switch {
	case sink == "inflow":
		p("# upserts the rows as inFlow %s (matched by %s).\n", entity, map[bool]string{true: "SKU, then name", false: "name"}[entity == "products"])
	case fileSink:
		p("# writes the rows to a %s file.\n", strings.ToUpper(sink[:1])+sink[1:])
	default:
		p("# writes the rows with the %s sink.\n", sink)
	}
	p("#\n")
	p("# Lines marked TODO need your decision: a column etl did not recognise is\n")
	p("# mapped under a field named after its header, typed by its values; rename\n")
	p("# the field to the one you mean, or delete the line.")
	if allowed != nil {
		p(" For inFlow such lines\n# are commented out: inFlow only takes its own fields (etl validate lists\n# them).")
	}
	p("\n# Then run the job as a dry run first (etl run JOB --dry-run): nothing is\n")
	p("# written, and the report lists every row that would be rejected and why.\n\n")
	p("# name: what reports and logs call this job.\n")
	p("name: %s\n\n", yamlScalar(name))

	p("# source: the file to read. Relative paths are resolved against this job\n")
	p("# file's directory, so the job runs from anywhere.\n")
	for _, n := range r.Notes {
		p("# Inspect: %s.\n", strings.TrimSuffix(n, "."))
	}
	src := []string{"type: " + yamlScalar(r.SourceType), "path: " + yamlScalar(srcPath)}
	if r.Sheet != "" {
		src = append(src, "sheet: "+yamlScalar(r.Sheet))
	}
	if r.HeaderRow > 1 {
		src = append(src, "header_row: "+strconv.Itoa(r.HeaderRow))
	}
	if r.Encoding != "" {
		src = append(src, "encoding: "+yamlScalar(r.Encoding))
	}
	if r.Delimiter != "" {
		src = append(src, "delimiter: "+strconv.Quote(r.Delimiter))
	}
	if srcNumbers != "" {
		p("# The file writes numbers with a decimal comma: %s reads them.\n", srcNumbers)
		src = append(src, srcNumbers)
	}
	p("source: {%s}\n\n", strings.Join(src, ", "))

	p("# mapping: one line per output field, `field: {from: COLUMN HEADER, type: ...}`.\n")
	p("# Types: string, integer, decimal (with scale, the digits kept after the\n")
	p("# point: a value with more is rejected, not rounded, unless you add\n")
	p("# round: half_even), bool (yes/no, true/false, 1/0), date (yyyy-mm-dd, or\n")
	p("# the layouts in formats), timestamp (read as UTC unless it has an offset\n")
	p("# or `timezone:` says otherwise), float.\n")
	p("# `strip` removes those characters before converting (currency symbols).\n")
	p("# A cell that does not convert rejects its row, naming the cell and why.\n")
	p("# A bare header (`name: Name`) is short for {from: Name, type: string}.\n")
	p("# Delete the lines of columns you do not want; rename fields freely.\n")
	p("mapping:\n")
	width := 0
	for _, e := range entries {
		if e.comment != "" && e.field != "" {
			width = max(width, len(yamlScalar(e.field))+2+len(e.value))
		}
	}
	for _, e := range entries {
		for _, n := range e.notes {
			p("  # %s\n", n)
		}
		if e.field == "" {
			continue
		}
		line := yamlScalar(e.field) + ": " + e.value
		if e.comment != "" {
			line += strings.Repeat(" ", max(0, width-len(line))+2) + e.comment
		}
		if e.off {
			line = "# " + line
		}
		p("  %s\n", line)
	}
	p("\n")

	p("# validate: rules checked after mapping. `required` rejects rows where the\n")
	p("# field is empty; `unique` rejects rows repeating an earlier row's value.\n")
	if key != "" {
		p("validate:\n")
		p("  - field: %s\n", key)
		p("    required: true\n")
		p("    unique: true\n")
		if used["email"] {
			p("  # Uncomment to reject malformed email addresses:\n")
			p("  # - field: email\n")
			p("  #   pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'\n")
		}
		p("\n")
	} else {
		p("# TODO: no key column (SKU or name) was recognised: name the field that\n")
		p("# identifies a row, and uncomment.\n")
		p("# validate:\n")
		p("#   - field: FIELD\n")
		p("#     required: true\n")
		p("#     unique: true\n\n")
	}

	switch {
	case sink == "parquet":
		p("# sink: where the rows go. Parquet keeps the types, for DuckDB, Spark or\n")
		p("# pandas; the file appears only when the run succeeds.\n")
		p("sink: {type: parquet, path: %s}\n\n", yamlScalar("out/"+base+".parquet"))
	case fileSink:
		p("# sink: where the rows go; the file appears only when the run succeeds.\n")
		p("sink: {type: %s, path: %s}\n\n", sink, yamlScalar("out/"+base+fileSinks[sink]))
	case sink == "inflow":
		p("# sink: inFlow, through its API (INFLOW_API_KEY and INFLOW_COMPANY_ID from\n")
		p("# the environment, or `etl sandbox inflow` to try it locally). A row that\n")
		p("# matches a record updates it; a new one is created; an unchanged one\n")
		p("# costs no request.\n")
		match := "[name]"
		if entity == "products" {
			match = "[sku, name]"
		}
		p("sink: {type: inflow, entity: %s, match: %s}\n", entity, match)
		if entity == "products" && used["quantity"] {
			p("# To set the sheet's quantities as the stock on hand, add to the sink:\n")
			p("#   stock: {mode: set, adjustment_reason: Opening balance}\n")
		}
		p("\n")
	default:
		p("# sink: where the rows go. TODO: add the %s sink's settings (etl validate\n", sink)
		p("# names the missing ones).\n")
		p("sink: {type: %s, entity: %s}\n\n", yamlScalar(sink), entity)
	}

	p("# options: on_error: skip leaves bad rows out and goes on; every one is\n")
	p("# counted and listed in the report. `abort` stops at the first one.\n")
	p("options: {on_error: skip}\n\n")

	p("# report: uncomment to keep a report of the run: HTML to read, JSON for\n")
	p("# tools, and a copy of the input with the bad cells highlighted.\n")
	p("# report: {html: out/report.html, json: out/report.json, annotated: %s}\n",
		yamlScalar("out/"+base+"-annotated.xlsx"))
	return b.Bytes(), nil
}

// generousScale is the scale a starter job gives a decimal column: the
// field's usual one or the most decimals seen, plus room for later rows
// that have more (which would otherwise be rejected, since values are
// never rounded without round:).
func generousScale(seen, usual int) int {
	return min(max(seen, usual)+2, 10)
}

// misfitNote warns about the values of a column that the chosen type will
// reject, when the report knows them (a report read back from JSON does
// not).
func misfitNote(c *ColumnInfo, t pipeline.Type, stripped bool) string {
	k, ok := kindOf(t)
	if !ok {
		return ""
	}
	m := c.miss[k]
	vals, n := m.some, m.n
	if stripped {
		// Values that only need the currency symbols stripped are fine;
		// only the values kept can be checked.
		vals = nil
		for _, v := range m.some {
			s := strings.TrimSpace(strings.Map(func(r rune) rune {
				if strings.ContainsRune(currencyStrip, r) {
					return -1
				}
				return r
			}, v))
			if set, _ := classify(s); s == "" || !set.has(k) {
				vals = append(vals, v)
			}
		}
		if m.n > len(m.some) {
			n = -1 // unknown
		} else {
			n = len(vals)
		}
	}
	if len(vals) == 0 {
		return ""
	}
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = strconv.Quote(v)
	}
	if n < 0 || n > len(vals) {
		return fmt.Sprintf("Some values of %q do not read as %s, such as %s: their rows will be rejected.",
			c.Name, noun(t), strings.Join(q, ", "))
	}
	return fmt.Sprintf("%d %s of %q %s not read as %s (%s): %s will be rejected.", n, plural(n, "value", "values"),
		c.Name, plural(n, "does", "do"), noun(t), strings.Join(q, ", "), plural(n, "that row", "those rows"))
}

// noun names a value of type t in a sentence.
func noun(t pipeline.Type) string {
	switch t {
	case pipeline.TypeInteger:
		return "a whole number"
	case pipeline.TypeDecimal:
		return "a decimal number"
	case pipeline.TypeFloat:
		return "a number"
	case pipeline.TypeBool:
		return "yes or no"
	case pipeline.TypeDate:
		return "a date (yyyy-mm-dd)"
	case pipeline.TypeTimestamp:
		return "a date and time"
	}
	return "a " + t.String()
}

// fieldName is the snake_case field for an unrecognised column.
func fieldName(c *ColumnInfo) string {
	if f := snake(c.Name); f != "" {
		return f
	}
	return "column_" + strings.ToLower(c.Ref)
}

// unique returns f, or f_2, f_3... when f is taken.
func unique(used map[string]bool, f string) string {
	if !used[f] {
		return f
	}
	for i := 2; ; i++ {
		if g := f + "_" + strconv.Itoa(i); !used[g] {
			return g
		}
	}
}

// relPath is the file's path relative to the job file's directory, with
// forward slashes, or absolute when there is no relative path.
func relPath(file, jobPath string) (string, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return "", err
	}
	if jobPath == "" {
		jobPath = "job.yaml"
	}
	jobAbs, err := filepath.Abs(jobPath)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(filepath.Dir(jobAbs), abs)
	if err != nil {
		return filepath.ToSlash(abs), nil
	}
	return filepath.ToSlash(rel), nil
}

// yamlScalar writes s as a YAML scalar that reads back as the same string,
// fit for block and flow context: plain when it is safe (letters, digits
// and a few punctuation marks, starting with a letter or, for paths, "."
// or "/", and not a word YAML reads as a bool or null), double-quoted
// otherwise.
func yamlScalar(s string) string {
	if plainSafe(s) {
		return s
	}
	// Go's escapes (\n, \t, \", \\, \xXX, \uXXXX, \UXXXXXXXX) are all valid
	// in a YAML double-quoted scalar.
	return strconv.Quote(s)
}

func plainSafe(s string) bool {
	if s == "" || s[len(s)-1] == ' ' {
		return false
	}
	switch strings.ToLower(s) {
	case "y", "n", "yes", "no", "true", "false", "on", "off", "null", "nan", "inf":
		return false
	}
	if strings.Trim(s, ".") == "" {
		return false
	}
	for i, r := range s {
		switch {
		case unicode.IsLetter(r) || r == '_':
		case i == 0 && (r == '/' || strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../")):
			// a path: "../samples/catalog.csv", "/data/x.csv" (not ".5")
		case i == 0:
			return false
		case unicode.IsDigit(r), r == '-', r == '.', r == '/', r == '(', r == ')':
		case r == ' ':
			if s[i-1] == ' ' {
				return false
			}
		default:
			return false
		}
	}
	return true
}
