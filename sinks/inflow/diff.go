package inflowsink

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/pipeline"
)

// convert turns a mapped value into the field's kind: string, []string,
// decimal.Decimal, int64 or bool. nil stays nil (the field is left as it
// is in inFlow); an empty string or list also counts as nil.
func convert(f *boundField, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch f.def.kind {
	case kText:
		switch x := v.(type) {
		case string:
			if strings.TrimSpace(x) == "" {
				return nil, nil
			}
			return x, nil
		case int64:
			return strconv.FormatInt(x, 10), nil
		case decimal.Decimal:
			return x.String(), nil
		}
	case kList:
		var s string
		switch x := v.(type) {
		case string:
			s = x
		case int64:
			s = strconv.FormatInt(x, 10)
		case decimal.Decimal:
			s = x.String()
		}
		var out []string
		seen := map[string]bool{}
		for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
			if p = strings.TrimSpace(p); p != "" {
				if seen[p] {
					return nil, fmt.Errorf("serial %q is listed twice", p)
				}
				seen[p] = true
				out = append(out, p)
			}
		}
		if len(out) == 0 {
			return nil, nil
		}
		return out, nil
	case kDecimal:
		switch x := v.(type) {
		case decimal.Decimal:
			return x, nil
		case int64:
			return decimal.NewFromInt(x), nil
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("%v is not a number inFlow can store", x)
			}
			return decimal.NewFromFloat(x), nil
		case string:
			if strings.TrimSpace(x) == "" {
				return nil, nil
			}
			d, err := decimal.NewFromString(strings.TrimSpace(x))
			if err != nil {
				return nil, fmt.Errorf("%q is not a number", x)
			}
			return d, nil
		}
	case kInteger:
		switch x := v.(type) {
		case int64:
			return x, nil
		case decimal.Decimal:
			if !x.IsInteger() {
				return nil, fmt.Errorf("%s is not a whole number", x)
			}
			return x.IntPart(), nil
		case string:
			if strings.TrimSpace(x) == "" {
				return nil, nil
			}
			n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("%q is not a whole number", x)
			}
			return n, nil
		}
	case kBool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case string:
			switch strings.ToLower(strings.TrimSpace(x)) {
			case "":
				return nil, nil
			case "true", "yes", "y", "1", "on":
				return true, nil
			case "false", "no", "n", "0", "off":
				return false, nil
			}
			return nil, fmt.Errorf("%q is neither yes nor no", x)
		}
	}
	return nil, fmt.Errorf("unexpected value of type %T", v)
}

// jsonValue is how a converted value is sent.
func jsonValue(v any) any {
	switch x := v.(type) {
	case decimal.Decimal:
		return x.String()
	}
	return v
}

// equalValue compares a stored property with a wanted value.
func equalValue(kind valueKind, old, want any) bool {
	switch kind {
	case kDecimal, kInteger:
		o, ok := dec(old)
		w, _ := dec(want)
		return ok && o.Equal(w)
	case kBool:
		b, ok := old.(bool)
		return ok && b == want
	}
	return str(old) == str(want)
}

// itemTypes maps how users write item types to inFlow's values.
var itemTypes = map[string]string{
	"stocked": "StockedProduct", "stockedproduct": "StockedProduct", "stocked product": "StockedProduct", "inventory": "StockedProduct",
	"nonstocked": "NonstockedProduct", "non-stocked": "NonstockedProduct", "nonstockedproduct": "NonstockedProduct", "non stocked": "NonstockedProduct", "non-stocked product": "NonstockedProduct",
	"service": "Service",
}

// rowError is a problem with one row: the field at fault (if one is) and
// what to do about it.
type rowError struct {
	field, value, msg string
}

func (e *rowError) Error() string { return e.msg }

func rowErr(field string, value any, format string, args ...any) *rowError {
	return &rowError{field: field, value: display(value), msg: fmt.Sprintf(format, args...)}
}

// differ computes what a row changes in a record and the PUT body that
// makes the change, keeping child-line GUIDs and the lines the mapping does
// not own.
type differ struct {
	e      *entityKind
	fields []*boundField // in schema order
	refs   refs
	// schemeIDs maps each price field to its pricing scheme id.
	schemeIDs map[string]string
	newID     func() string
}

// diffResult is what diff found.
type diffResult struct {
	body    record // properties to send (no id); empty: nothing to write
	changes []pipeline.FieldChange
}

func (r *diffResult) set(prop string, v any) { r.body[prop] = v }

func (r *diffResult) change(field string, old, new any) {
	r.changes = append(r.changes, pipeline.FieldChange{Field: field, Old: display(old), New: display(new)})
}

// diff compares row values (converted, nil left out) and resolved
// reference ids with rec (nil for a new record).
func (d *differ) diff(rec record, vals map[string]any, ids map[string]string) (*diffResult, *rowError) {
	r := &diffResult{body: record{}}
	var priceFields, vendorFields, reorderFields, addressFields, customFields []*boundField
	for _, f := range d.fields {
		v, ok := vals[f.def.name]
		if !ok {
			continue
		}
		switch f.def.apply {
		case aScalar:
			if rec == nil || !equalValue(f.def.kind, rec[f.def.prop], v) {
				r.set(f.def.prop, jsonValue(v))
				r.change(f.def.name, oldOf(rec, f.def.prop), v)
			}
		case aCreateOnly:
			want := v
			if f.def.prop == "itemType" {
				it, ok := itemTypes[strings.ToLower(strings.TrimSpace(str(v)))]
				if !ok {
					return nil, rowErr(f.def.name, v, "item_type %q is not stocked, nonstocked or service", str(v))
				}
				want = it
			}
			if rec == nil {
				r.set(f.def.prop, want)
				r.change(f.def.name, nil, want)
				continue
			}
			old := rec[f.def.prop]
			if f.def.prop == "itemType" && !strings.EqualFold(str(old), str(want)) ||
				f.def.prop == "trackSerials" && (old == true) != (want == true) {
				return nil, rowErr(f.def.name, v, "%s is %v in inFlow and cannot be changed once set (inFlow's rule): create a new %s instead", f.def.name, display(old), d.e.singular)
			}
		case aRef:
			id := ids[f.def.name]
			old := str(oldOf(rec, f.def.prop))
			if rec == nil || !sameID(old, id) {
				r.set(f.def.prop, id)
				t := d.refs[f.def.ref]
				r.change(f.def.name, t.name(old), t.name(id))
			}
		case aCustom:
			customFields = append(customFields, f)
		case aPrice:
			priceFields = append(priceFields, f)
		case aBarcode:
			d.diffBarcode(rec, str(v), r)
		case aTaxCode:
			d.diffTaxCode(rec, f.def.name, ids[f.def.name], r)
		case aVendor:
			if f.def.prop != "" { // vendor itself is the line's key
				vendorFields = append(vendorFields, f)
			}
		case aReorder:
			reorderFields = append(reorderFields, f)
		case aAddress:
			addressFields = append(addressFields, f)
		}
	}
	if len(customFields) > 0 {
		d.diffCustom(rec, vals, customFields, r)
	}
	if len(priceFields) > 0 {
		d.diffPrices(rec, vals, priceFields, r)
	}
	if id := ids["vendor"]; id != "" || len(vendorFields) > 0 {
		if id == "" {
			return nil, rowErr(vendorFields[0].def.name, vals[vendorFields[0].def.name], "%s needs a vendor: the row has no vendor", vendorFields[0].def.name)
		}
		d.diffVendorItem(rec, vals, id, vendorFields, r)
	}
	if len(reorderFields) > 0 {
		d.diffReorder(rec, vals, ids["location"], reorderFields, r)
	}
	if len(addressFields) > 0 {
		d.diffAddress(rec, vals, addressFields, r)
	}
	return r, nil
}

func oldOf(rec record, prop string) any {
	if rec == nil {
		return nil
	}
	return rec[prop]
}

func (d *differ) diffCustom(rec record, vals map[string]any, fields []*boundField, r *diffResult) {
	merged := record{}
	if old, ok := oldOf(rec, "customFields").(map[string]any); ok {
		for k, v := range old {
			merged[k] = v
		}
	}
	changed := false
	for _, f := range fields {
		v := vals[f.def.name]
		if str(merged[f.def.prop]) != str(v) {
			r.change(f.def.name, merged[f.def.prop], v)
			merged[f.def.prop] = v
			changed = true
		}
	}
	if changed {
		r.set("customFields", merged)
	}
}

func cloneLines(v any) []any {
	var out []any
	for _, l := range lines(v) {
		out = append(out, cloneLine(l))
	}
	return out
}

func (d *differ) diffPrices(rec record, vals map[string]any, fields []*boundField, r *diffResult) {
	pl := cloneLines(oldOf(rec, "prices"))
	changed := false
	for _, f := range fields {
		want := vals[f.def.name].(decimal.Decimal)
		scheme := d.schemeIDs[f.def.name]
		found := false
		for _, l := range pl {
			line := l.(record)
			if !sameID(str(line["pricingSchemeId"]), scheme) {
				continue
			}
			found = true
			old, ok := dec(line["unitPrice"])
			fixed := line["priceType"] == nil || strings.EqualFold(str(line["priceType"]), "FixedPrice")
			if !ok || !old.Equal(want) || !fixed {
				oldShown := any(line["unitPrice"])
				if !fixed {
					oldShown = fmt.Sprintf("%s markup %s%%", str(line["priceType"]), display(line["fixedMarkup"]))
				}
				r.change(f.def.name, oldShown, want)
				line["unitPrice"] = want.String()
				line["priceType"] = "FixedPrice"
				changed = true
			}
			break
		}
		if !found {
			pl = append(pl, record{"productPriceId": d.newID(), "pricingSchemeId": scheme, "priceType": "FixedPrice", "unitPrice": want.String()})
			r.change(f.def.name, nil, want)
			changed = true
		}
	}
	if changed {
		r.set("prices", pl)
	}
}

// diffTaxCode sets the product's tax code in the code's taxing scheme,
// keeping its codes in other schemes.
func (d *differ) diffTaxCode(rec record, field, codeID string, r *diffResult) {
	t := d.refs[refTaxCode]
	scheme := t.byID[strings.ToLower(codeID)].parent
	tl := cloneLines(oldOf(rec, "taxCodes"))
	for _, l := range tl {
		line := l.(record)
		if sameID(str(line["taxingSchemeId"]), scheme) {
			if sameID(str(line["taxCodeId"]), codeID) {
				return
			}
			r.change(field, t.name(str(line["taxCodeId"])), t.name(codeID))
			line["taxCodeId"] = codeID
			r.set("taxCodes", tl)
			return
		}
	}
	r.change(field, nil, t.name(codeID))
	r.set("taxCodes", append(tl, record{"productTaxCodeId": d.newID(), "taxingSchemeId": scheme, "taxCodeId": codeID}))
}

func (d *differ) diffBarcode(rec record, want string, r *diffResult) {
	bl := cloneLines(oldOf(rec, "productBarcodes"))
	first := -1
	for i, l := range bl {
		line := l.(record)
		if strings.TrimSpace(str(line["barcode"])) == strings.TrimSpace(want) {
			return // the product already has this barcode
		}
		if first < 0 || lineNum(line) < lineNum(bl[first].(record)) {
			first = i
		}
	}
	if first >= 0 {
		line := bl[first].(record)
		r.change("barcode", line["barcode"], want)
		line["barcode"] = want
	} else {
		bl = append(bl, record{"productBarcodeId": d.newID(), "barcode": want, "lineNum": 1})
		r.change("barcode", nil, want)
	}
	r.set("productBarcodes", bl)
}

// setLineFields sets the wanted fields on a line and records changes.
func setLineFields(line record, vals map[string]any, fields []*boundField, r *diffResult, isNew bool) bool {
	changed := false
	for _, f := range fields {
		v, ok := vals[f.def.name]
		if !ok {
			continue
		}
		if isNew || !equalValue(f.def.kind, line[f.def.prop], v) {
			if !isNew {
				r.change(f.def.name, line[f.def.prop], v)
			} else {
				r.change(f.def.name, nil, v)
			}
			line[f.def.prop] = jsonValue(v)
			changed = true
		}
	}
	return changed
}

func maxLineNum(ls []any) int {
	n := 0
	for _, l := range ls {
		n = max(n, lineNum(l.(record)))
	}
	return n
}

func (d *differ) diffVendorItem(rec record, vals map[string]any, vendorID string, fields []*boundField, r *diffResult) {
	vl := cloneLines(oldOf(rec, "vendorItems"))
	for _, l := range vl {
		line := l.(record)
		if sameID(str(line["vendorId"]), vendorID) {
			if setLineFields(line, vals, fields, r, false) {
				r.set("vendorItems", vl)
			}
			return
		}
	}
	line := record{"vendorItemId": d.newID(), "vendorId": vendorID, "lineNum": maxLineNum(vl) + 1}
	r.change("vendor", nil, d.refs[refVendor].name(vendorID))
	setLineFields(line, vals, fields, r, true)
	r.set("vendorItems", append(vl, line))
}

func (d *differ) diffReorder(rec record, vals map[string]any, locationID string, fields []*boundField, r *diffResult) {
	rl := cloneLines(oldOf(rec, "reorderSettings"))
	for _, l := range rl {
		line := l.(record)
		if sameID(str(line["locationId"]), locationID) {
			if setLineFields(line, vals, fields, r, false) {
				r.set("reorderSettings", rl)
			}
			return
		}
	}
	line := record{"reorderSettingsId": d.newID(), "locationId": locationID}
	setLineFields(line, vals, fields, r, true)
	r.set("reorderSettings", append(rl, line))
}

// diffAddress sets the row's address line: the one named address_name if
// mapped, else the default (billing) address, else the first, else a new
// line (named address_name or "Main", and made the default where none is).
func (d *differ) diffAddress(rec record, vals map[string]any, fields []*boundField, r *diffResult) {
	idProp := d.e.addressIDProp
	al := cloneLines(oldOf(rec, "addresses"))
	wantName, named := vals["address_name"].(string)
	target := -1
	if named {
		for i, l := range al {
			if normKey(str(l.(record)["name"])) == normKey(wantName) {
				target = i
				break
			}
		}
	} else if len(al) > 0 {
		target = 0
		def := str(oldOf(rec, d.e.addressDefaults[0]))
		for i, l := range al {
			if sameID(str(l.(record)[idProp]), def) {
				target = i
				break
			}
		}
	}
	isNew := target < 0
	var line record
	if isNew {
		name := "Main"
		if named {
			name = wantName
		}
		line = record{idProp: d.newID(), "name": name, "address": record{}}
		al = append(al, line)
		for _, p := range d.e.addressDefaults {
			if str(oldOf(rec, p)) == "" {
				r.set(p, line[idProp])
			}
		}
	} else {
		line = al[target].(record)
	}
	addr, _ := line["address"].(map[string]any)
	if addr == nil {
		addr = record{}
		line["address"] = addr
	}
	changed := isNew
	for _, f := range fields {
		v := vals[f.def.name]
		if f.def.prop == "name" {
			continue // chooses the line; set above for a new one
		}
		if f.def.prop == "addressType" {
			t := strings.ToLower(strings.TrimSpace(str(v)))
			switch t {
			case "commercial", "business":
				v = "Commercial"
			case "residential", "home":
				v = "Residential"
			}
			if strings.EqualFold(str(addr["addressType"]), str(v)) && !isNew {
				continue
			}
		} else if !isNew && str(addr[f.def.prop]) == str(v) {
			continue
		}
		if isNew {
			r.change(f.def.name, nil, v)
		} else {
			r.change(f.def.name, addr[f.def.prop], v)
		}
		addr[f.def.prop] = v
		changed = true
	}
	if changed {
		r.set("addresses", al)
	}
}

// sortedVals lists field=value pairs in name order, for hashing.
func sortedVals(vals map[string]any) string {
	names := make([]string, 0, len(vals))
	for n := range vals {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		v := vals[n]
		if l, ok := v.([]string); ok {
			v = strings.Join(l, ",")
		}
		fmt.Fprintf(&b, "%s=%s\x00", n, display(v))
	}
	return b.String()
}

func newGUID() string { return uuid.NewString() }
