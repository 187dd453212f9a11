package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// MaxCount is the largest page a list answers ("Max 100 per request"); a
// larger count is refused with 400. DefaultCount is the page size when
// count is not sent (undocumented; the emulator uses the maximum).
const (
	MaxCount     = 100
	DefaultCount = 100
)

// filterMaker compiles the value of one filter[...] parameter. It runs with
// s.mu held, so the returned predicate may look other records up.
type filterMaker func(s *Server, raw string) (func(obj map[string]any) bool, *apiError)

func contains(hay any, needle string) bool {
	return strings.Contains(strings.ToLower(str(hay)), needle)
}

// textFilter matches when any of the properties contains the value,
// case-insensitively.
func textFilter(props ...string) filterMaker {
	return func(_ *Server, raw string) (func(map[string]any) bool, *apiError) {
		needle := strings.ToLower(strings.TrimSpace(raw))
		return func(obj map[string]any) bool {
			for _, p := range props {
				if contains(obj[p], needle) {
					return true
				}
			}
			return false
		}, nil
	}
}

func boolFilter(prop string) filterMaker {
	return func(_ *Server, raw string) (func(map[string]any) bool, *apiError) {
		b, err := strconv.ParseBool(strings.TrimSpace(raw))
		if err != nil {
			return nil, badRequest("filter[%s] must be true or false, not %q.", prop, raw)
		}
		return func(obj map[string]any) bool { return obj[prop] == b }, nil
	}
}

func uuidFilter(prop string) filterMaker {
	return func(_ *Server, raw string) (func(map[string]any) bool, *apiError) {
		id, err := uuid.Parse(strings.TrimSpace(raw))
		if err != nil {
			return nil, badRequest("filter[%s] must be a GUID, not %q.", prop, raw)
		}
		want := id.String()
		return func(obj map[string]any) bool { return str(obj[prop]) == want }, nil
	}
}

// listValues reads a filter value that may be a JSON array, a
// comma-separated list or one value.
func listValues(raw string) []string {
	raw = strings.TrimSpace(raw)
	var arr []string
	if strings.HasPrefix(raw, "[") && json.Unmarshal([]byte(raw), &arr) == nil {
		return arr
	}
	return strings.Split(raw, ",")
}

// enumFilter matches any of the given enum values, case-insensitively.
func enumFilter(prop string) filterMaker {
	return func(_ *Server, raw string) (func(map[string]any) bool, *apiError) {
		want := map[string]bool{}
		for _, v := range listValues(raw) {
			if v = strings.TrimSpace(v); v != "" {
				want[strings.ToLower(v)] = true
			}
		}
		return func(obj map[string]any) bool { return want[strings.ToLower(str(obj[prop]))] }, nil
	}
}

// rangeArg is the JSON object range filters take. The spec names the bounds
// fromDate and toDate, for number ranges too.
type rangeArg struct {
	From json.RawMessage `json:"fromDate"`
	To   json.RawMessage `json:"toDate"`
}

func parseRange(prop, raw string) (from, to string, e *apiError) {
	var r rangeArg
	dec := json.NewDecoder(strings.NewReader(raw))
	if err := dec.Decode(&r); err != nil {
		return "", "", badRequest(`filter[%s] must be a JSON object like {"fromDate":"2022-01-01","toDate":"2023-01-01"}: %v`, prop, err)
	}
	unq := func(m json.RawMessage) string {
		var v any
		if len(m) == 0 || json.Unmarshal(m, &v) != nil || v == nil {
			return ""
		}
		return strings.TrimSpace(fmt.Sprint(v))
	}
	return unq(r.From), unq(r.To), nil
}

// dateRangeFilter keeps records whose date-time lies in [fromDate, toDate].
// A bare toDate date includes that whole day.
func dateRangeFilter(prop string) filterMaker {
	return func(_ *Server, raw string) (func(map[string]any) bool, *apiError) {
		f, t, e := parseRange(prop, raw)
		if e != nil {
			return nil, e
		}
		var from, to time.Time
		var err error
		if f != "" {
			if from, err = parseTime(f); err != nil {
				return nil, badRequest("filter[%s]: fromDate %q is not a date.", prop, f)
			}
		}
		if t != "" {
			if to, err = parseTime(t); err != nil {
				return nil, badRequest("filter[%s]: toDate %q is not a date.", prop, t)
			}
			if len(t) == len("2006-01-02") {
				to = to.Add(24*time.Hour - time.Nanosecond)
			}
		}
		return func(obj map[string]any) bool {
			v, err := parseTime(str(obj[prop]))
			if err != nil {
				return false
			}
			return (f == "" || !v.Before(from)) && (t == "" || !v.After(to))
		}, nil
	}
}

// numberRangeFilter keeps records whose amount lies in [fromDate, toDate]
// (the spec's names for the bounds); a bare number matches exactly.
func numberRangeFilter(prop string) filterMaker {
	return func(_ *Server, raw string) (func(map[string]any) bool, *apiError) {
		f, t := "", ""
		if d, err := decimal.NewFromString(strings.TrimSpace(raw)); err == nil {
			f, t = d.String(), d.String()
		} else {
			var e *apiError
			if f, t, e = parseRange(prop, raw); e != nil {
				return nil, e
			}
		}
		from, errF := decimal.NewFromString(f)
		to, errT := decimal.NewFromString(t)
		if f != "" && errF != nil || t != "" && errT != nil {
			return nil, badRequest("filter[%s]: the bounds must be numbers.", prop)
		}
		return func(obj map[string]any) bool {
			v := dec(obj[prop])
			return (f == "" || !v.LessThan(from)) && (t == "" || !v.GreaterThan(to))
		}, nil
	}
}

// addressFilter matches any of a customer's or vendor's addresses.
func addressFilter(fields ...string) filterMaker {
	return func(_ *Server, raw string) (func(map[string]any) bool, *apiError) {
		needle := strings.ToLower(strings.TrimSpace(raw))
		return func(obj map[string]any) bool {
			for _, a := range items(obj["addresses"]) {
				addr, _ := a["address"].(map[string]any)
				for _, f := range fields {
					if addr != nil && contains(addr[f], needle) {
						return true
					}
				}
			}
			return false
		}, nil
	}
}

func barcodeFilter(_ *Server, raw string) (func(map[string]any) bool, *apiError) {
	needle := strings.ToLower(strings.TrimSpace(raw))
	return func(obj map[string]any) bool {
		for _, b := range items(obj["productBarcodes"]) {
			if contains(b["barcode"], needle) {
				return true
			}
		}
		return false
	}, nil
}

// productSmart searches name, description, category name, barcodes and SKU.
func productSmart(s *Server, raw string) (func(map[string]any) bool, *apiError) {
	needle := strings.ToLower(strings.TrimSpace(raw))
	bc, _ := barcodeFilter(s, raw)
	return func(obj map[string]any) bool {
		if contains(obj["name"], needle) || contains(obj["description"], needle) || contains(obj["sku"], needle) || bc(obj) {
			return true
		}
		c := s.lookup("categories", str(obj["categoryId"]))
		return c != nil && contains(c["name"], needle)
	}, nil
}

// orderSmart searches an order's number and its customer's or vendor's name.
func orderSmart(partyKind, partyID string) filterMaker {
	return func(s *Server, raw string) (func(map[string]any) bool, *apiError) {
		needle := strings.ToLower(strings.TrimSpace(raw))
		return func(obj map[string]any) bool {
			if contains(obj["orderNumber"], needle) {
				return true
			}
			p := s.lookup(partyKind, str(obj[partyID]))
			return p != nil && contains(p["name"], needle)
		}, nil
	}
}

// activeOrder: orders have no isActive property; active means not cancelled.
func activeOrder(_ *Server, raw string) (func(map[string]any) bool, *apiError) {
	b, err := strconv.ParseBool(strings.TrimSpace(raw))
	if err != nil {
		return nil, badRequest("filter[isActive] must be true or false, not %q.", raw)
	}
	return func(obj map[string]any) bool { return (obj["isCancelled"] != true) == b }, nil
}

// lastOrder keeps customers who ordered within the last N days.
func lastOrder(s *Server, raw string) (func(map[string]any) bool, *apiError) {
	n, err := strconv.Atoi(strings.TrimSpace(raw))
	if err != nil || n < 0 {
		return nil, badRequest("filter[lastOrder] must be a number of days, not %q.", raw)
	}
	since := s.now().Add(-time.Duration(n) * 24 * time.Hour)
	return func(obj map[string]any) bool {
		t, err := parseTime(str(s.lastOrderDate(str(obj["customerId"]))))
		return err == nil && !t.Before(since)
	}, nil
}

var productFilters = map[string]filterMaker{
	"name":                 textFilter("name"),
	"description":          textFilter("description"),
	"isActive":             boolFilter("isActive"),
	"barcode":              barcodeFilter,
	"itemType":             enumFilter("itemType"),
	"categoryId":           uuidFilter("categoryId"),
	"lastModifiedDateTime": dateRangeFilter("lastModifiedDateTime"),
	"smart":                productSmart,
	"trackSerials":         boolFilter("trackSerials"), // used by the serial-number guide
}

var partyFilters = map[string]filterMaker{
	"name":        textFilter("name"),
	"contactName": textFilter("contactName"),
	"phone":       textFilter("phone"),
	"email":       textFilter("email"),
	"website":     textFilter("website"),
	"address":     addressFilter("address1", "address2"),
	"city":        addressFilter("city"),
	"state":       addressFilter("state"),
	"postalCode":  addressFilter("postalCode"),
	"country":     addressFilter("country"),
	"isActive":    boolFilter("isActive"),
	"smart":       textFilter("name", "contactName"),
}

var customerFilters = withFilters(partyFilters, map[string]filterMaker{
	"pricingSchemeId":   uuidFilter("pricingSchemeId"),
	"defaultLocationId": uuidFilter("defaultLocationId"),
	"lastOrder":         lastOrder,
})

var vendorFilters = withFilters(partyFilters, nil)

var orderFilters = map[string]filterMaker{
	"orderNumber":     textFilter("orderNumber"),
	"inventoryStatus": enumFilter("inventoryStatus"),
	"paymentStatus":   enumFilter("paymentStatus"),
	"orderDate":       dateRangeFilter("orderDate"),
	"locationId":      uuidFilter("locationId"),
	"total":           numberRangeFilter("total"),
	"balance":         numberRangeFilter("balance"),
	"isActive":        activeOrder,
}

var salesOrderFilters = withFilters(orderFilters, map[string]filterMaker{
	"customerId":        uuidFilter("customerId"),
	"poNumber":          textFilter("poNumber"),
	"requestedShipDate": dateRangeFilter("requestedShipDate"),
	"invoicedDate":      dateRangeFilter("invoicedDate"),
	"smart":             orderSmart("customers", "customerId"),
})

var purchaseOrderFilters = withFilters(orderFilters, map[string]filterMaker{
	"vendorId":          uuidFilter("vendorId"),
	"vendorOrderNumber": textFilter("vendorOrderNumber"),
	"requestShipDate":   dateRangeFilter("requestShipDate"),
	"smart":             orderSmart("vendors", "vendorId"),
})

func withFilters(base, extra map[string]filterMaker) map[string]filterMaker {
	out := map[string]filterMaker{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// listQuery is a parsed GetCollectionRequest.
type listQuery struct {
	count         int
	skip          int
	after, before string
	start         string
	sort          string // property name; "" = the id property
	desc          bool
	includeCount  bool
	include       includeTree
	filters       []func(map[string]any) bool
}

func (s *Server) parseList(k *kind, r *http.Request) (*listQuery, *apiError) {
	q := r.URL.Query()
	lq := &listQuery{count: DefaultCount}
	one := func(name string) (string, bool) {
		v := queryValues(q, name)
		if len(v) == 0 {
			return "", false
		}
		return strings.TrimSpace(v[len(v)-1]), true
	}
	var e *apiError
	if lq.include, e = s.parseInclude(k, q); e != nil {
		return nil, e
	}
	if v, ok := one("count"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, badRequest("count must be a whole number from 0 to %d, not %q.", MaxCount, v)
		}
		if n > MaxCount {
			return nil, badRequest("count %d is too large: at most %d entities per request.", n, MaxCount)
		}
		lq.count = n
	}
	if v, ok := one("skip"); ok && v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, badRequest("skip must be a whole number, not %q.", v)
		}
		lq.skip = n
	}
	for _, b := range []struct {
		name string
		dst  *bool
	}{{"sortDesc", &lq.desc}, {"includeCount", &lq.includeCount}} {
		if v, ok := one(b.name); ok && v != "" {
			x, err := strconv.ParseBool(v)
			if err != nil {
				return nil, badRequest("%s must be true or false, not %q.", b.name, v)
			}
			*b.dst = x
		}
	}
	sc := s.m.schemas[k.schema]
	if v, ok := one("sort"); ok && v != "" {
		name, ok := sc.canon(v)
		if !ok || !sortable(sc.props[name]) {
			return nil, badRequest("Cannot sort %s by %q.", k.name, v)
		}
		lq.sort = name
	}
	for _, a := range []struct {
		name string
		dst  *string
	}{{"after", &lq.after}, {"before", &lq.before}, {"start", &lq.start}} {
		if v, ok := one(a.name); ok && v != "" {
			id, err := uuid.Parse(v)
			if err != nil {
				return nil, badRequest("%s must be the id of a %s, not %q.", a.name, k.schema, v)
			}
			*a.dst = id.String()
		}
	}
	for key, vals := range q {
		if !strings.HasPrefix(strings.ToLower(key), "filter[") || !strings.HasSuffix(key, "]") {
			continue
		}
		fname := key[len("filter[") : len(key)-1]
		var mk filterMaker
		for n, f := range k.filters {
			if strings.EqualFold(n, fname) {
				mk = f
			}
		}
		if mk == nil {
			return nil, badRequest("Unknown filter %q for %s.", fname, k.name)
		}
		for _, v := range vals {
			f, e := mk(s, v)
			if e != nil {
				return nil, e
			}
			lq.filters = append(lq.filters, f)
		}
	}
	return lq, nil
}

func sortable(p *prop) bool {
	switch p.Type {
	case "string", "uuid", "decimal", "date-time", "boolean", "integer", "number":
		return true
	}
	return false
}

// sortKey is the comparable form of a stored attribute value of type p:
// strings fold case (SQL Server's default collation), decimals parse.
func sortKey(p *prop, v any) any {
	if v == nil {
		return nil
	}
	switch p.Type {
	case "decimal":
		return dec(v)
	case "integer", "number", "boolean":
		return v
	}
	return strings.ToLower(str(v)) // strings, GUIDs, date-times (one UTC format)
}

// compareKeys orders two sort keys, nulls first.
func compareKeys(a, b any) int {
	if a == nil || b == nil {
		switch {
		case a == nil && b == nil:
			return 0
		case a == nil:
			return -1
		default:
			return 1
		}
	}
	switch x := a.(type) {
	case decimal.Decimal:
		return x.Cmp(b.(decimal.Decimal))
	case int64:
		return cmpOrdered(x, b.(int64))
	case float64:
		return cmpOrdered(x, b.(float64))
	case bool:
		y := b.(bool)
		switch {
		case x == y:
			return 0
		case !x:
			return -1
		default:
			return 1
		}
	case string:
		return strings.Compare(x, b.(string))
	}
	return 0
}

func cmpOrdered[T int64 | float64](x, y T) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

func (s *Server) handleList(r *http.Request, k *kind) (int, any, http.Header, *apiError) {
	if k.singleton {
		s.mu.Lock()
		defer s.mu.Unlock()
		obj := s.lookup(k.name, s.companyID)
		if obj == nil {
			obj = map[string]any{k.idProp: s.companyID}
		}
		return http.StatusOK, s.render(k.schema, obj, includeTree{}, owner{}), nil, nil
	}
	lq, e := s.parseListLocked(k, r)
	if e != nil {
		return 0, nil, nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sc := s.m.schemas[k.schema]
	sortProp := lq.sort
	if sortProp == "" {
		sortProp = k.idProp
	}
	p := sc.props[sortProp]
	type row struct {
		rec *record
		key any
	}
	cmp := func(a, b row) int {
		c := compareKeys(a.key, b.key)
		if c == 0 {
			c = strings.Compare(a.rec.id, b.rec.id)
		}
		if lq.desc {
			c = -c
		}
		return c
	}
	t := s.tables[k.name]
	var rows []row
	for _, rec := range t.rows {
		keep := true
		for _, f := range lq.filters {
			if !f(rec.obj) {
				keep = false
				break
			}
		}
		if keep {
			rows = append(rows, row{rec, sortKey(p, rec.obj[sortProp])})
		}
	}
	total := len(rows)
	slices.SortFunc(rows, cmp)
	for _, a := range []struct {
		name, id string
		keep     func(c int) bool
	}{
		{"after", lq.after, func(c int) bool { return c > 0 }},
		{"start", lq.start, func(c int) bool { return c >= 0 }},
		{"before", lq.before, func(c int) bool { return c < 0 }},
	} {
		if a.id == "" {
			continue
		}
		rec := t.rows[a.id]
		if rec == nil {
			return 0, nil, nil, badRequest("%s: there is no %s with id %s.", a.name, k.schema, a.id)
		}
		anchor := row{rec, sortKey(p, rec.obj[sortProp])}
		kept := rows[:0:0]
		for _, r := range rows {
			if a.keep(cmp(r, anchor)) {
				kept = append(kept, r)
			}
		}
		rows = kept
	}
	if lq.skip >= len(rows) {
		rows = nil
	} else {
		rows = rows[lq.skip:]
	}
	if len(rows) > lq.count {
		rows = rows[:lq.count]
	}
	out := make([]any, 0, len(rows))
	for _, r := range rows {
		out = append(out, s.render(k.schema, r.rec.obj, lq.include, owner{}))
	}
	var hdr http.Header
	if lq.includeCount {
		hdr = http.Header{"X-listCount": {strconv.Itoa(total)}} // inFlow's spelling
	}
	return http.StatusOK, out, hdr, nil
}

// parseListLocked parses a list request; filters may look records up, so
// it holds s.mu while compiling them.
func (s *Server) parseListLocked(k *kind, r *http.Request) (*listQuery, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.parseList(k, r)
}
