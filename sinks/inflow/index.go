package inflowsink

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/etl-dev/etl/inflow"
)

// index is what the sink knows of the existing records: every record once
// the full listing has been read (complete), or those found by key
// lookups. It answers by id and by match key. It is safe for concurrent
// use.
type index struct {
	e       *entityKind
	client  *inflow.Client
	include string // include= for the child lines the diff needs
	keys    []string

	mu       sync.Mutex
	byID     map[string]record
	byKey    map[string]map[string][]string // key type → normKey(value) → ids
	looked   map[string]bool                // "type\x00value" already looked up
	total    int                            // records in the account (-1: not asked yet)
	after    string                         // keyset cursor of the listing
	pages    int                            // listing pages read
	complete bool
	lookups  int // lookup requests made
}

func newIndex(e *entityKind, c *inflow.Client, include []string, keys []string) *index {
	return &index{
		e: e, client: c, include: strings.Join(include, ","), keys: keys,
		byID: map[string]record{}, byKey: map[string]map[string][]string{}, looked: map[string]bool{}, total: -1,
	}
}

// keyValues returns a record's values for a key type (barcodes: all of
// them), normalised.
func (x *index) keyValues(rec record, key string) []string {
	var vals []string
	switch {
	case key == "barcode":
		for _, l := range lines(rec["productBarcodes"]) {
			vals = append(vals, normKey(str(l["barcode"])))
		}
	case strings.HasPrefix(key, "custom:"):
		cf, _ := rec["customFields"].(map[string]any)
		vals = append(vals, normKey(str(cf[matchField(key)])))
	default:
		vals = append(vals, normKey(str(rec[key])))
	}
	out := vals[:0]
	for _, v := range vals {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// put adds or replaces a record. Callers hold x.mu.
func (x *index) put(rec record) {
	id := strings.ToLower(str(rec[x.e.idProp]))
	if id == "" {
		return
	}
	if old := x.byID[id]; old != nil {
		for _, k := range x.allKeys() {
			for _, v := range x.keyValues(old, k) {
				ids := x.byKey[k][v]
				for i, o := range ids {
					if o == id {
						x.byKey[k][v] = append(ids[:i:i], ids[i+1:]...)
						break
					}
				}
			}
		}
	}
	x.byID[id] = rec
	for _, k := range x.allKeys() {
		if x.byKey[k] == nil {
			x.byKey[k] = map[string][]string{}
		}
		for _, v := range x.keyValues(rec, k) {
			x.byKey[k][v] = append(x.byKey[k][v], id)
		}
	}
}

// allKeys are the keys indexed: the match keys plus the unique ones.
func (x *index) allKeys() []string {
	out := append([]string(nil), x.keys...)
	for _, u := range x.e.unique {
		if !contains(out, u) {
			out = append(out, u)
		}
	}
	return out
}

// Store adds or replaces a record (after a write).
func (x *index) Store(rec record) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.put(rec)
}

// ByID returns the record with id, or nil.
func (x *index) ByID(id string) record {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.byID[strings.ToLower(id)]
}

// Find returns the records whose key equals value.
func (x *index) Find(key, value string) []record {
	x.mu.Lock()
	defer x.mu.Unlock()
	var out []record
	for _, id := range x.byKey[key][normKey(value)] {
		out = append(out, x.byID[id])
	}
	return out
}

// Known tells whether the index can answer for key=value without a
// request: the listing is complete, or the value was looked up.
func (x *index) Known(key, value string) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	v := normKey(value)
	// A unique key held by a record already read can only be that record.
	return x.complete || x.looked[key+"\x00"+v] || contains(x.e.unique, key) && len(x.byKey[key][v]) > 0
}

// Complete tells whether every record has been read.
func (x *index) Complete() bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.complete
}

// RemainingPages is the number of listing requests still needed to
// complete the index (the first page tells the total).
func (x *index) RemainingPages() int {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.complete {
		return 0
	}
	if x.total < 0 {
		return 1
	}
	return max(0, (x.total+inflow.MaxPageSize-1)/inflow.MaxPageSize-x.pages)
}

// lookupFilter is the list filter that finds a key's value, "" when none.
func (x *index) lookupFilter(key string) string {
	switch {
	case x.e == products && key == "sku":
		return "smart" // inFlow has no sku filter; smart searches SKUs too
	case key == "name":
		return "name"
	case x.e == products && key == "barcode":
		return "barcode"
	}
	return x.e.filters[key]
}

// Values lists the key's values of the records known, as inFlow holds
// them (for suggesting the closest ones).
func (x *index) Values(key string) []string {
	x.mu.Lock()
	defer x.mu.Unlock()
	var out []string
	for _, rec := range x.byID {
		if v := strings.TrimSpace(str(rec[key])); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// ReadPage reads the next page of the full listing; the first one also
// asks for the total (includeCount).
func (x *index) ReadPage(ctx context.Context) error {
	x.mu.Lock()
	if x.complete {
		x.mu.Unlock()
		return nil
	}
	q := url.Values{"count": {strconv.Itoa(inflow.MaxPageSize)}, "sort": {x.e.idProp}}
	if x.include != "" {
		q.Set("include", x.include)
	}
	if x.pages == 0 {
		q.Set("includeCount", "true")
	}
	if x.after != "" {
		q.Set("after", x.after)
	}
	x.mu.Unlock()

	var raw json.RawMessage
	h, err := x.client.Do(ctx, inflow.Request{Method: http.MethodGet, Path: "/" + x.e.name, Query: q}, &raw)
	if err != nil {
		return err
	}
	recs, err := decodeRecords(raw)
	if err != nil {
		return fmt.Errorf("GET /%s: decoding the answer: %w", x.e.name, err)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.pages++
	if v := h.Get("X-listCount"); v != "" {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
			x.total = n
		}
	}
	for _, r := range recs {
		x.put(r)
	}
	if len(recs) < inflow.MaxPageSize {
		x.complete = true
		return nil
	}
	// A server that ignores after= answers the same page again.
	last := str(recs[len(recs)-1][x.e.idProp])
	if last == "" || last == x.after {
		return fmt.Errorf("%w (GET /%s after=%q)", inflow.ErrPagingStalled, x.e.name, x.after)
	}
	x.after = last
	return nil
}

// ReadAll completes the listing.
func (x *index) ReadAll(ctx context.Context) error {
	for !x.Complete() {
		if err := x.ReadPage(ctx); err != nil {
			return err
		}
	}
	return nil
}

// Lookup queries the records whose key may equal value (the filter
// matches by containment; the index keeps them all, and Find compares
// exactly). It reports the requests made.
func (x *index) Lookup(ctx context.Context, key, value string) (int, error) {
	filter := x.lookupFilter(key)
	if filter == "" {
		return 0, fmt.Errorf("inFlow cannot look %s up by %s", x.e.name, key)
	}
	q := url.Values{"count": {strconv.Itoa(inflow.MaxPageSize)}, "sort": {x.e.idProp}, "filter[" + filter + "]": {strings.TrimSpace(value)}}
	if x.include != "" {
		q.Set("include", x.include)
	}
	requests := 0
	for {
		var raw json.RawMessage
		requests++
		if _, err := x.client.Do(ctx, inflow.Request{Method: http.MethodGet, Path: "/" + x.e.name, Query: q}, &raw); err != nil {
			return requests, err
		}
		recs, err := decodeRecords(raw)
		if err != nil {
			return requests, fmt.Errorf("GET /%s: decoding the answer: %w", x.e.name, err)
		}
		x.mu.Lock()
		for _, r := range recs {
			x.put(r)
		}
		x.lookups++
		x.mu.Unlock()
		if len(recs) < inflow.MaxPageSize {
			break
		}
		last := str(recs[len(recs)-1][x.e.idProp])
		if last == "" || last == q.Get("after") {
			break
		}
		q.Set("after", last)
	}
	x.mu.Lock()
	x.looked[key+"\x00"+normKey(value)] = true
	x.mu.Unlock()
	return requests, nil
}

// Get reads one record afresh (after a conflict).
func (x *index) Get(ctx context.Context, id string) (record, error) {
	var q url.Values
	if x.include != "" {
		q = url.Values{"include": {x.include}}
	}
	var raw json.RawMessage
	if _, err := x.client.Do(ctx, inflow.Request{Method: http.MethodGet, Path: "/" + x.e.name + "/" + url.PathEscape(id), Query: q}, &raw); err != nil {
		return nil, err
	}
	rec, err := decodeRecord(raw)
	if err != nil {
		return nil, fmt.Errorf("GET /%s/{id}: decoding the answer: %w", x.e.name, err)
	}
	x.Store(rec)
	return rec, nil
}

// Stats describes the reads for notes.
func (x *index) Stats() (total, pages, lookups int, complete bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.total, x.pages, x.lookups, x.complete
}
