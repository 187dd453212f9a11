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
	{str("sku"), []string{"sku", "itemcode", "productcode", "itemsku", "productsku", "itemnumber", "itemno",
		"productnumber", "productno", "partnumber", "partno", "stockcode", "code"}},
	{str("name"), []string{"name", "productname", "itemname", "product", "item", "title"}},
	{str("description"), []string{"description", "desc", "productdescription", "itemdescription", "longdescription"}},
	{str("category"), []string{"category", "productcategory", "itemcategory", "categorypath", "categoryname"}},
	{spec{field: "price", typ: pipeline.TypeDecimal, scale: 2, strip: true}, []string{"price", "unitprice",
		"saleprice", "salesprice", "sellingprice", "retailprice", "listprice", "defaultprice", "msrp"}},
	{spec{field: "cost", typ: pipeline.TypeDecimal, scale: 4, strip: true}, []string{"cost", "unitcost",
		"costprice", "purchaseprice", "purchasecost", "defaultcost", "averagecost", "avgcost"}},
	{str("barcode"), []string{"barcode", "upc", "ean", "ean13", "gtin", "upccode", "barcodenumber"}},
	{numeric("quantity"), []string{"quantity", "qty", "onhand", "quantityonhand", "qtyonhand", "stock",
		"instock", "stockonhand", "stocklevel"}},
	{str("location"), []string{"location", "warehouse", "defaultlocation", "locationname", "store"}},
	{str("sublocation"), []string{"sublocation", "bin", "binlocation", "shelf"}},
	{spec{field: "is_active", typ: pipeline.TypeBool}, []string{"active", "isactive", "enabled"}},
	{str("vendor"), []string{"vendor", "supplier", "vendorname", "suppliername", "preferredvendor", "lastvendor"}},
	{numeric("reorder_point"), []string{"reorderpoint", "reorderlevel", "minstock", "minimumstock", "minqty"}},
	{numeric("reorder_quantity"), []string{"reorderquantity", "reorderqty", "orderquantity"}},
	{str("uom"), []string{"uom", "unitofmeasure", "unit", "standarduom", "units"}},
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
	n := normHeader(header)
	for _, a := range table {
		for _, name := range a.names {
			if name == n {
				return a.spec, true
			}
		}
	}
	return spec{}, false
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
}

// StarterJob writes a starter job for the inspected file, to be saved at
// jobPath: it reads the file with its source type (paths relative to the
// job file's directory, as the job loader resolves them), maps every column
// to a snake_case field, typing the fields it recognises as inFlow product,
// customer or vendor fields and the others by their inferred type (marked
// TODO), requires the key (sku, else name) to be present and unique, and
// writes Parquet to out/<file name>.parquet, skipping bad rows. The job is
// commented for a first-time user. The output depends only on its inputs.
func StarterJob(r *Report, jobPath string) ([]byte, error) {
	if r == nil || len(r.Columns) == 0 {
		return nil, errors.New("inspect: starter job: the file has no columns")
	}
	if r.SourceType == "" {
		return nil, errors.New("inspect: starter job: the report names no source type")
	}
	base := strings.TrimSuffix(filepath.Base(r.Path), filepath.Ext(r.Path))
	name := base + "-to-parquet"
	if jobPath != "" {
		name = strings.TrimSuffix(filepath.Base(jobPath), filepath.Ext(jobPath))
	}
	srcPath, err := relPath(r.Path, jobPath)
	if err != nil {
		return nil, err
	}

	table := recognise(r.Columns)
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
		if ok && used[s.field] {
			e.notes = append(e.notes, fmt.Sprintf("%q also looks like %s, which an earlier column already fills.", c.Name, s.field))
			ok = false
		}
		var opts []string
		var typ pipeline.Type
		if ok {
			e.field = s.field
			typ = s.typ
			if s.numeric && (c.Suggested == pipeline.TypeDecimal || c.Suggested == pipeline.TypeFloat) {
				typ = pipeline.TypeDecimal
				opts = append(opts, "scale: "+strconv.Itoa(max(c.MaxScale, 1)))
			}
			if s.typ == pipeline.TypeDecimal {
				opts = append(opts, "scale: "+strconv.Itoa(s.scale))
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
				opts = append(opts, "scale: "+strconv.Itoa(c.MaxScale))
			case pipeline.TypeBytes:
				typ = pipeline.TypeString
			}
		}
		used[e.field] = true
		e.value = "{" + strings.Join(append([]string{"from: " + yamlScalar(c.Name), "type: " + typ.String()}, opts...), ", ") + "}"
		if n := misfitNote(c, typ, s.strip && ok); n != "" {
			e.notes = append(e.notes, n)
		}
		entries = append(entries, e)
	}

	var b bytes.Buffer
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	p("# A starter job for %s, written by inspecting the file.\n", filepath.ToSlash(r.Path))
	p("# It reads the file, maps every column to a field, checks the key and\n")
	p("# writes the rows to a Parquet file. Review each TODO, then run the job as\n")
	p("# a dry run first: nothing is written, and the report lists every row that\n")
	p("# would be rejected and why.\n\n")
	p("# name: what reports and logs call this job.\n")
	p("name: %s\n\n", yamlScalar(name))

	p("# source: the file to read. Relative paths are resolved against this job\n")
	p("# file's directory, so the job runs from anywhere.\n")
	src := []string{"type: " + yamlScalar(r.SourceType), "path: " + yamlScalar(srcPath)}
	if r.Sheet != "" {
		src = append(src, "sheet: "+yamlScalar(r.Sheet))
	}
	p("source: {%s}\n\n", strings.Join(src, ", "))

	p("# mapping: one line per output field, `field: {from: COLUMN HEADER, type: ...}`.\n")
	p("# Types: string, integer, decimal (with scale, the digits kept after the\n")
	p("# point), bool (yes/no, true/false, 1/0), date (yyyy-mm-dd), timestamp\n")
	p("# (read as UTC unless it has an offset or `timezone:` says otherwise), float.\n")
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
			line += strings.Repeat(" ", width-len(line)+2) + e.comment
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
		p("# No key column (SKU or name) was recognised: name the field that\n")
		p("# identifies a row, and uncomment.\n")
		p("# validate:\n")
		p("#   - field: FIELD\n")
		p("#     required: true\n")
		p("#     unique: true\n\n")
	}

	p("# sink: where the rows go. Parquet keeps the types, for DuckDB, Spark or\n")
	p("# pandas; the file appears only when the run succeeds.\n")
	p("sink: {type: parquet, path: %s}\n\n", yamlScalar("out/"+base+".parquet"))

	p("# options: on_error: skip leaves bad rows out and goes on; every one is\n")
	p("# counted and listed in the report. `abort` stops at the first one.\n")
	p("options: {on_error: skip}\n\n")

	p("# report: uncomment to keep a report of the run: HTML to read, JSON for\n")
	p("# tools, and a copy of the input with the bad cells highlighted.\n")
	p("# report: {html: out/report.html, json: out/report.json, annotated: %s}\n",
		yamlScalar("out/"+base+"-annotated.xlsx"))
	return b.Bytes(), nil
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
