package sandbox

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// kind is the type of a filterable or sortable field, which decides the
// operators it takes and how values compare.
type kind int

const (
	kInt    kind = iota // int64 ids and numbers: eq, not, gt, lt, gte, lte, exists
	kString             // free text: eq, not, exists
	kEnum               // enumerations: eq, not
	kUUID               // UUID ids: eq, not
	kTime               // date-times: eq, not, gt, lt, gte, lte, exists
	kBool               // booleans: eq
)

var operators = map[kind][]string{
	kInt:    {"eq", "not", "gt", "lt", "gte", "lte", "exists"},
	kString: {"eq", "not", "exists"},
	kEnum:   {"eq", "not"},
	kUUID:   {"eq", "not"},
	kTime:   {"eq", "not", "gt", "lt", "gte", "lte", "exists"},
	kBool:   {"eq"},
}

// listSpec is what a list endpoint accepts: its filters (field → kind),
// its sort fields, and the field that breaks ties (the record's key).
type listSpec struct {
	filters map[string]kind
	sorts   []string
	key     string // "id" or "internal_id"
	keyKind kind
}

// condition is one filters[field:op] key with its values (repeated keys
// OR together).
type condition struct {
	field, op string
	kind      kind
	values    []string
}

// query is a parsed list request.
type query struct {
	conds []condition
	sort  string
	desc  bool
	after *cursor
}

// cursor is the opaque position a next link carries: the sort key and the
// record key of the last record of the page, and the query it belongs to.
type cursor struct {
	Sort  any    `json:"s"`
	Key   any    `json:"k"`
	Query string `json:"q"` // canonical filters+sort the cursor was made for
	At    int64  `json:"t"` // unix seconds when issued
}

// parseQuery checks a list request's query against spec. Errors come back
// as field → messages, for a 422.
func parseQuery(q url.Values, spec *listSpec, secret []byte, now time.Time) (*query, map[string][]string) {
	errs := map[string][]string{}
	out := &query{sort: spec.key}
	for k, vs := range q {
		switch {
		case k == "sort":
			s := vs[0]
			if !slices.Contains(spec.sorts, s) {
				errs["sort"] = append(errs["sort"], fmt.Sprintf("The selected sort is invalid: use one of %s.", strings.Join(spec.sorts, ", ")))
				continue
			}
			out.sort = s
		case k == "sort_direction":
			switch vs[0] {
			case "asc":
			case "desc":
				out.desc = true
			default:
				errs["sort_direction"] = append(errs["sort_direction"], "The selected sort direction is invalid: use asc or desc.")
			}
		case k == "cursor":
			// checked below, once the filters are known
		case strings.HasPrefix(k, "filters[") && strings.HasSuffix(k, "]"):
			inner := k[len("filters[") : len(k)-1]
			field, op, hasOp := strings.Cut(inner, ":")
			if !hasOp {
				op = "eq"
			}
			kd, ok := spec.filters[field]
			if !ok {
				errs[k] = append(errs[k], fmt.Sprintf("Filtering by %q is not supported on this endpoint.", field))
				continue
			}
			if !slices.Contains(operators[kd], op) {
				errs[k] = append(errs[k], fmt.Sprintf("The %q operator is not supported for %q: use %s.", op, field, strings.Join(operators[kd], ", ")))
				continue
			}
			vals := make([]string, len(vs))
			for i, v := range vs {
				vals[i] = strings.TrimSpace(v)
				if msg := checkValue(kd, op, vals[i]); msg != "" {
					errs[k] = append(errs[k], msg)
				}
			}
			out.conds = append(out.conds, condition{field: field, op: op, kind: kd, values: vals})
		default:
			errs[k] = append(errs[k], fmt.Sprintf("Unknown query parameter %q: filters go in filters[field] or filters[field:operator].", k))
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	sort.Slice(out.conds, func(i, j int) bool {
		if out.conds[i].field != out.conds[j].field {
			return out.conds[i].field < out.conds[j].field
		}
		return out.conds[i].op < out.conds[j].op
	})
	if c := q.Get("cursor"); c != "" {
		cur, err := openCursor(c, secret)
		switch {
		case err != nil:
			errs["cursor"] = []string{"The cursor is invalid: start again from the first page."}
		case cur.Query != out.canonical():
			errs["cursor"] = []string{"The cursor belongs to another query: start again from the first page."}
		case now.Sub(time.Unix(cur.At, 0)) > cursorTTL:
			errs["cursor"] = []string{"The cursor has expired: start again from the first page."}
		default:
			out.after = cur
		}
		if len(errs) > 0 {
			return nil, errs
		}
	}
	return out, nil
}

// cursorTTL is how long a next link stays valid.
const cursorTTL = time.Hour

func checkValue(kd kind, op, v string) string {
	if op == "exists" {
		if v != "true" && v != "false" {
			return fmt.Sprintf("The exists operator takes true or false, not %q.", v)
		}
		return ""
	}
	switch kd {
	case kInt:
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return fmt.Sprintf("%q is not an integer.", v)
		}
	case kTime:
		if _, err := time.Parse(time.RFC3339Nano, v); err != nil {
			return fmt.Sprintf("%q is not an ISO 8601 date-time such as 2025-01-31T18:30:20Z.", v)
		}
	case kBool:
		if v != "true" && v != "false" {
			return fmt.Sprintf("%q is not true or false.", v)
		}
	}
	return ""
}

// canonical is the filters and sort of q as one string, so a cursor can
// only be used with the query it was made for.
func (q *query) canonical() string {
	var b strings.Builder
	for _, c := range q.conds {
		fmt.Fprintf(&b, "%s:%s=%s&", c.field, c.op, strings.Join(c.values, "|"))
	}
	fmt.Fprintf(&b, "sort=%s&desc=%t", q.sort, q.desc)
	return b.String()
}

func sealCursor(c cursor, secret []byte) string {
	data, _ := json.Marshal(c)
	mac := hmac.New(sha256.New, secret)
	mac.Write(data)
	return base64.RawURLEncoding.EncodeToString(append(mac.Sum(nil)[:12], data...))
}

func openCursor(s string, secret []byte) (*cursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(raw) < 13 {
		return nil, fmt.Errorf("bad cursor")
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write(raw[12:])
	if !hmac.Equal(mac.Sum(nil)[:12], raw[:12]) {
		return nil, fmt.Errorf("bad cursor")
	}
	var c cursor
	dec := json.NewDecoder(strings.NewReader(string(raw[12:])))
	dec.UseNumber()
	if err := dec.Decode(&c); err != nil {
		return nil, err
	}
	return &c, nil
}

// lookup returns the value at a dotted path of a JSON object, nil when any
// step is missing or null.
func lookup(obj map[string]any, path string) any {
	var v any = obj
	for _, p := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

// match tells whether rec passes every condition.
func (q *query) match(rec map[string]any) bool {
	for _, c := range q.conds {
		if !c.match(lookup(rec, c.field)) {
			return false
		}
	}
	return true
}

func (c condition) match(v any) bool {
	if c.op == "exists" {
		want := c.values[0] == "true"
		return (v != nil && v != "") == want
	}
	if c.op == "not" {
		for _, w := range c.values {
			if v != nil && compare(c.kind, v, w) == 0 {
				return false
			}
		}
		return true
	}
	if v == nil {
		return false
	}
	for _, w := range c.values { // repeated keys: OR
		r := compare(c.kind, v, w)
		ok := false
		switch c.op {
		case "eq":
			ok = r == 0
		case "gt":
			ok = r > 0
		case "lt":
			ok = r < 0
		case "gte":
			ok = r >= 0
		case "lte":
			ok = r <= 0
		}
		if ok {
			return true
		}
	}
	return false
}

// compare compares a stored value with a filter value of kind kd.
func compare(kd kind, v any, w string) int {
	switch kd {
	case kInt:
		a, _ := decimal.NewFromString(fmt.Sprint(v))
		b, _ := decimal.NewFromString(w)
		return a.Cmp(b)
	case kTime:
		a, _ := time.Parse(time.RFC3339Nano, fmt.Sprint(v))
		b, _ := time.Parse(time.RFC3339Nano, w)
		return a.Compare(b)
	case kBool:
		return strings.Compare(fmt.Sprint(v), w)
	case kString:
		return strings.Compare(fmt.Sprint(v), w)
	default: // enums and UUIDs compare case-insensitively
		return strings.Compare(strings.ToLower(fmt.Sprint(v)), strings.ToLower(w))
	}
}

// sortKey is a value made ready to compare: numbers as numbers (integers
// fast), date-times as instants, the rest as text; nulls first.
type sortKey struct {
	kind int // 0 null, 1 int, 2 decimal, 3 time, 4 text
	i    int64
	d    decimal.Decimal
	t    time.Time
	s    string
}

func keyOf(v any) sortKey {
	switch x := v.(type) {
	case nil:
		return sortKey{}
	case json.Number:
		if n, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return sortKey{kind: 1, i: n}
		}
		d, _ := decimal.NewFromString(string(x))
		return sortKey{kind: 2, d: d}
	case string:
		if len(x) >= 20 && x[4] == '-' && x[10] == 'T' {
			if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
				return sortKey{kind: 3, t: t}
			}
		}
		return sortKey{kind: 4, s: x}
	}
	return sortKey{kind: 4, s: fmt.Sprint(v)}
}

func (a sortKey) cmp(b sortKey) int {
	if a.kind == 1 && b.kind == 2 {
		return decimal.NewFromInt(a.i).Cmp(b.d)
	}
	if a.kind == 2 && b.kind == 1 {
		return a.d.Cmp(decimal.NewFromInt(b.i))
	}
	if a.kind != b.kind {
		return a.kind - b.kind
	}
	switch a.kind {
	case 1:
		switch {
		case a.i < b.i:
			return -1
		case a.i > b.i:
			return 1
		}
		return 0
	case 2:
		return a.d.Cmp(b.d)
	case 3:
		return a.t.Compare(b.t)
	case 4:
		return strings.Compare(a.s, b.s)
	}
	return 0
}

// cmpValues compares two stored values.
func cmpValues(a, b any) int { return keyOf(a).cmp(keyOf(b)) }

// page sorts recs (given in key order) by the query's sort, ties by key,
// skips to the cursor and returns at most size records, and whether more
// follow.
func (q *query) page(recs []map[string]any, spec *listSpec, size int) ([]map[string]any, bool) {
	type item struct {
		rec       map[string]any
		sort, key sortKey
	}
	items := make([]item, len(recs))
	for i, r := range recs {
		items[i] = item{rec: r, sort: keyOf(lookup(r, q.sort)), key: keyOf(r[spec.key])}
	}
	cmp := func(a, b item) int {
		r := a.sort.cmp(b.sort)
		if r == 0 {
			r = a.key.cmp(b.key)
		}
		if q.desc {
			r = -r
		}
		return r
	}
	if q.sort != spec.key || q.desc {
		slices.SortStableFunc(items, cmp)
	}
	start := 0
	if q.after != nil {
		anchor := item{sort: keyOf(q.after.Sort), key: keyOf(q.after.Key)}
		start = sort.Search(len(items), func(i int) bool { return cmp(items[i], anchor) > 0 })
	}
	end := min(start+size, len(items))
	out := make([]map[string]any, 0, end-start)
	for _, it := range items[start:end] {
		out = append(out, it.rec)
	}
	return out, end < len(items)
}
