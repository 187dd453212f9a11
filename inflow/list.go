package inflow

import (
	"context"
	"encoding"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Entity is an inFlow record with a primary GUID.
type Entity interface {
	// EntityID returns the primary id (productId, customerId, ...), or ""
	// when not yet assigned.
	EntityID() string
}

// ListOptions shapes a list request. The zero value lists everything,
// 100 per request, sorted by the id property.
type ListOptions struct {
	// Filters become filter[name]=value. A value may be a string, a bool, an
	// integer or float, a Decimal, a time.Time or DateTime (RFC 3339), or
	// anything else JSON can encode (DateRange, maps, slices of statuses),
	// which is sent as JSON, e.g.
	// filter[lastModifiedDateTime]={"fromDate":"2024-01-01","toDate":"2024-02-01"}.
	Filters map[string]any
	// Include names related entities to embed, including nested paths
	// ("inventoryLines.location"); sent as include=a,b. inFlow answers 400 to
	// a name it does not know.
	Include []string
	// Sort is the property to sort by; the entity's id property when empty.
	// Keyset paging (after=) follows this order.
	Sort string
	// SortDesc sorts descending.
	SortDesc bool
	// Count is the page size, 1 to 100; 100 when 0 or more than 100.
	Count int
	// After resumes a list after this id (in the list's order).
	After string
}

// GetOptions shapes a get-by-id request.
type GetOptions struct {
	// Include names related entities to embed (see ListOptions.Include).
	Include []string
}

// DateRange is the JSON filter value inFlow takes for date ranges
// (lastModifiedDateTime on products, orderDate and others on orders).
// Either end may be empty.
type DateRange struct {
	FromDate string `json:"fromDate,omitempty"`
	ToDate   string `json:"toDate,omitempty"`
}

// DateRangeOf builds a DateRange from instants (RFC 3339, UTC); a zero
// time leaves that end open.
func DateRangeOf(from, to time.Time) DateRange {
	var r DateRange
	if !from.IsZero() {
		r.FromDate = from.UTC().Format(time.RFC3339)
	}
	if !to.IsZero() {
		r.ToDate = to.UTC().Format(time.RFC3339)
	}
	return r
}

// filterValue renders one filter value for the query string.
func filterValue(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case json.RawMessage:
		return string(x), nil
	case encoding.TextMarshaler: // uuid.UUID, time.Time, DateTime, Decimal
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
			return "", nil
		}
		b, err := x.MarshalText()
		return string(b), err
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String: // enum types such as ItemType
		return rv.String(), nil
	case reflect.Bool:
		return strconv.FormatBool(rv.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(rv.Uint(), 10), nil
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(rv.Float(), 'f', -1, 64), nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// query builds the list query (without after=).
func (o *ListOptions) query(idProp string) (url.Values, int, error) {
	q := url.Values{}
	count := MaxPageSize
	if o != nil && o.Count > 0 && o.Count < MaxPageSize {
		count = o.Count
	}
	q.Set("count", strconv.Itoa(count))
	sort := idProp
	if o != nil && o.Sort != "" {
		sort = o.Sort
	}
	q.Set("sort", sort)
	if o == nil {
		return q, count, nil
	}
	if o.SortDesc {
		q.Set("sortDesc", "true")
	}
	if inc := joinIncludes(o.Include); inc != "" {
		q.Set("include", inc)
	}
	for name, v := range o.Filters {
		s, err := filterValue(v)
		if err != nil {
			return nil, 0, fmt.Errorf("inflow: filter %s: %w", name, err)
		}
		q.Set("filter["+name+"]", s)
	}
	return q, count, nil
}

func joinIncludes(inc []string) string {
	parts := make([]string, 0, len(inc))
	for _, s := range inc {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ",")
}

// Collection is a listable inFlow endpoint, such as /team-members.
type Collection[T Entity] struct {
	c      *Client
	path   string // "/products"
	idProp string // "productId"
}

// Path returns the endpoint path below the company root, e.g. "/products".
func (l *Collection[T]) Path() string { return l.path }

// List returns an iterator over every entity matching opts. It requests
// pages of opts.Count (100 by default) with sort=<opts.Sort or the id
// property> and after=<last id of the previous page>, stops after a short
// page, and yields each id once even if pages overlap. Each page is one
// rate-limited request, made only as the iteration reaches it; breaking
// out of the loop stops the requests. An error is yielded once, last. If a
// full page brings only ids already seen, ErrPagingStalled ends the list.
func (l *Collection[T]) List(ctx context.Context, opts *ListOptions) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		q, count, err := opts.query(l.idProp)
		if err != nil {
			yield(zero, err)
			return
		}
		after := ""
		if opts != nil {
			after = opts.After
		}
		seen := map[string]struct{}{}
		for {
			if after != "" {
				q.Set("after", after)
			}
			var page []T
			if _, err := l.c.Do(ctx, Request{Method: http.MethodGet, Path: l.path, Query: q}, &page); err != nil {
				yield(zero, err)
				return
			}
			fresh := 0
			for _, item := range page {
				if id := item.EntityID(); id != "" {
					if _, dup := seen[id]; dup {
						continue
					}
					seen[id] = struct{}{}
				}
				fresh++
				if !yield(item, nil) {
					return
				}
			}
			if len(page) < count {
				return
			}
			last := page[len(page)-1].EntityID()
			if fresh == 0 || last == "" || last == after {
				yield(zero, fmt.Errorf("%w (GET %s after=%q)", ErrPagingStalled, l.path, after))
				return
			}
			after = last
		}
	}
}

// All collects List into a slice; it stops at the first error, returning
// what it had.
func (l *Collection[T]) All(ctx context.Context, opts *ListOptions) ([]T, error) {
	var out []T
	for v, err := range l.List(ctx, opts) {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Total asks inFlow how many entities match opts (Filters only), with one
// request of count=1&includeCount=true, reading the X-listCount header.
func (l *Collection[T]) Total(ctx context.Context, opts *ListOptions) (int, error) {
	var o ListOptions
	if opts != nil {
		o.Filters = opts.Filters
	}
	o.Count = 1
	q, _, err := o.query(l.idProp)
	if err != nil {
		return 0, err
	}
	q.Set("includeCount", "true")
	var page []json.RawMessage
	h, err := l.c.Do(ctx, Request{Method: http.MethodGet, Path: l.path, Query: q}, &page)
	if err != nil {
		return 0, err
	}
	v := h.Get("X-listCount")
	if v == "" {
		return 0, fmt.Errorf("inflow: GET %s: no X-listCount header in the answer", l.path)
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return 0, fmt.Errorf("inflow: GET %s: bad X-listCount %q", l.path, v)
	}
	return n, nil
}

// Resource is an endpoint that can also get one entity by id.
type Resource[T Entity] struct {
	Collection[T]
}

// Get fetches one entity by id, with optional includes. A missing entity
// is an *APIError with Status 404 (see StatusOf).
func (r *Resource[T]) Get(ctx context.Context, id string, opts *GetOptions) (*T, error) {
	if strings.TrimSpace(id) == "" {
		return nil, fmt.Errorf("%w: GET %s/{id}", ErrMissingID, r.path)
	}
	var q url.Values
	if opts != nil {
		if inc := joinIncludes(opts.Include); inc != "" {
			q = url.Values{"include": {inc}}
		}
	}
	out := new(T)
	if _, err := r.c.Do(ctx, Request{Method: http.MethodGet, Path: r.path + "/" + url.PathEscape(id), Query: q}, out); err != nil {
		return nil, err
	}
	return out, nil
}

// WritableResource is an endpoint that also upserts by PUT.
type WritableResource[T Entity] struct {
	Resource[T]
}

// Put inserts or updates v under its GUID (which the caller generates for
// a new entity) and returns the entity as inFlow stored it. Only the fields
// set in v are sent; inFlow leaves the others as they are (but a sent line
// array replaces the stored one). With v's Timestamp set, a concurrent change
// makes the write fail (see IsConflict). Without a valid GUID, Put fails with
// ErrMissingID or ErrInvalidID and sends nothing. A PUT with a GUID is
// idempotent, so it is retried on 5xx and dropped connections; an error with
// Attempts > 1 may follow an attempt that took effect.
func (r *WritableResource[T]) Put(ctx context.Context, v *T) (*T, error) {
	if v == nil {
		return nil, fmt.Errorf("%w: PUT %s: nil entity", ErrMissingID, r.path)
	}
	id := (*v).EntityID()
	if strings.TrimSpace(id) == "" {
		return nil, fmt.Errorf("%w: PUT %s", ErrMissingID, r.path)
	}
	if _, err := uuid.Parse(id); err != nil {
		return nil, fmt.Errorf("%w: PUT %s: %q", ErrInvalidID, r.path, id)
	}
	req := Request{Method: http.MethodPut, Path: r.path, Body: v, Idempotent: true}
	out := new(T)
	var raw json.RawMessage
	if _, err := r.c.Do(ctx, req, &raw); err != nil {
		return nil, err
	}
	if len(raw) == 0 || string(raw) == "null" {
		*out = *v
		return out, nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return nil, fmt.Errorf("inflow: PUT %s: decoding response: %w", r.path, err)
	}
	return out, nil
}
