package inflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestHeadersAndPath(t *testing.T) {
	srv := newScript(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 200, `{"productId":"a0000000-0000-0000-0000-000000000001","name":"Widget"}`)
	})
	c := newTestClient(t, srv.URL+"/", func(cfg *Config) { cfg.UserAgent = "etl-test" })
	p, err := c.Products().Get(context.Background(), "a0000000-0000-0000-0000-000000000001",
		&GetOptions{Include: []string{"inventoryLines.location", " defaultImage "}})
	if err != nil {
		t.Fatal(err)
	}
	if *p.Name != "Widget" {
		t.Fatalf("decoded %+v", p)
	}
	r := srv.requests()[0]
	if r.Method != "GET" || r.Path != "/"+testCompany+"/products/a0000000-0000-0000-0000-000000000001" {
		t.Errorf("request line: %s %s", r.Method, r.Path)
	}
	for k, want := range map[string]string{
		"Authorization": "Bearer " + testKey,
		"Accept":        "application/json;version=2025-06-24",
		"Content-Type":  "application/json",
		"User-Agent":    "etl-test",
	} {
		if got := r.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	q, _ := url.ParseQuery(r.RawQuery)
	if q.Get("include") != "inventoryLines.location,defaultImage" {
		t.Errorf("include = %q", q.Get("include"))
	}
}

func TestBaseURLWithPathPrefix(t *testing.T) {
	srv := newScript(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, `[]`) })
	c := newTestClient(t, srv.URL+"/proxy/inflow/", nil)
	if _, err := c.Categories().All(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if got := srv.requests()[0].Path; got != "/proxy/inflow/"+testCompany+"/categories" {
		t.Fatalf("path %s", got)
	}
}

func TestListQueryEncoding(t *testing.T) {
	srv := newScript(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, `[]`) })
	c := newTestClient(t, srv.URL, nil)
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	opts := &ListOptions{
		Filters: map[string]any{
			"name":                 "shirt & tie",
			"isActive":             true,
			"itemType":             StockedProduct,
			"categoryId":           uuid.MustParse("6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
			"lastModifiedDateTime": DateRange{FromDate: "2022-01-01", ToDate: "2023-01-01"},
			"orderDate":            DateRangeOf(from, time.Time{}),
			"inventoryStatus":      []InventoryStatus{InventoryStarted, InventoryUnfulfilled},
			"total":                MustDecimal("10.50"),
			"lastOrder":            30,
		},
		Include:  []string{"prices", "inventoryLines.location"},
		Sort:     "name",
		SortDesc: true,
		Count:    25,
	}
	for _, err := range c.Products().List(context.Background(), opts) {
		if err != nil {
			t.Fatal(err)
		}
	}
	q, err := url.ParseQuery(srv.requests()[0].RawQuery)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"count":                        "25",
		"sort":                         "name",
		"sortDesc":                     "true",
		"include":                      "prices,inventoryLines.location",
		"filter[name]":                 "shirt & tie",
		"filter[isActive]":             "true",
		"filter[itemType]":             "StockedProduct",
		"filter[categoryId]":           "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
		"filter[lastModifiedDateTime]": `{"fromDate":"2022-01-01","toDate":"2023-01-01"}`,
		"filter[orderDate]":            `{"fromDate":"2024-01-01T00:00:00Z"}`,
		"filter[inventoryStatus]":      `["Started","Unfulfilled"]`,
		"filter[total]":                "10.5",
		"filter[lastOrder]":            "30",
	}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, q.Get(k), v)
		}
	}
	if q.Has("after") || len(q) != len(want) {
		t.Errorf("unexpected params: %v", q)
	}
}

func TestListDefaultsSortByIDAndCount100(t *testing.T) {
	srv := newScript(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, `[]`) })
	c := newTestClient(t, srv.URL, nil)
	_, _ = c.Customers().All(context.Background(), &ListOptions{Count: 500})
	q, _ := url.ParseQuery(srv.requests()[0].RawQuery)
	if q.Get("count") != "100" || q.Get("sort") != "customerId" || q.Has("sortDesc") || q.Has("include") {
		t.Fatalf("query %v", q)
	}
}

// pagedServer serves n products sorted by id, honouring count and after.
// overlap > 0 makes each later page repeat that many rows of the previous
// page (a server that pages loosely).
func pagedServer(t *testing.T, n, overlap int) (*script, []string) {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("00000000-0000-0000-0000-%012d", i+1)
	}
	srv := newScript(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		q := r.URL.Query()
		count := 100
		fmt.Sscan(q.Get("count"), &count)
		start := 0
		if a := q.Get("after"); a != "" {
			for i, id := range ids {
				if id == a {
					start = max(i+1-overlap, 0)
				}
			}
		}
		end := min(start+count, n)
		var page []map[string]string
		for _, id := range ids[start:end] {
			page = append(page, map[string]string{"productId": id, "name": "P" + id[len(id)-4:]})
		}
		if page == nil {
			page = []map[string]string{}
		}
		b, _ := json.Marshal(page)
		writeJSON(w, 200, string(b))
	})
	return srv, ids
}

func TestListPagesWithAfterAndStopsOnShortPage(t *testing.T) {
	srv, ids := pagedServer(t, 250, 0)
	c := newTestClient(t, srv.URL, nil)
	got, err := c.Products().All(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 250 || got[0].ProductID != ids[0] || got[249].ProductID != ids[249] {
		t.Fatalf("got %d items", len(got))
	}
	reqs := srv.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3 (100+100+50)", len(reqs))
	}
	for i, wantAfter := range []string{"", ids[99], ids[199]} {
		q, _ := url.ParseQuery(reqs[i].RawQuery)
		if q.Get("after") != wantAfter || q.Get("count") != "100" || q.Get("sort") != "productId" {
			t.Errorf("request %d: %v", i, q)
		}
	}
}

func TestListExactMultipleCostsOneEmptyPage(t *testing.T) {
	srv, _ := pagedServer(t, 200, 0)
	c := newTestClient(t, srv.URL, nil)
	got, err := c.Products().All(context.Background(), nil)
	if err != nil || len(got) != 200 || srv.count() != 3 {
		t.Fatalf("got %d, %d requests, %v", len(got), srv.count(), err)
	}
}

func TestListDedupesOverlappingPages(t *testing.T) {
	srv, _ := pagedServer(t, 230, 5)
	c := newTestClient(t, srv.URL, nil)
	seen := map[string]bool{}
	for p, err := range c.Products().List(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		if seen[p.ProductID] {
			t.Fatalf("duplicate %s", p.ProductID)
		}
		seen[p.ProductID] = true
	}
	if len(seen) != 230 {
		t.Fatalf("got %d distinct, want 230", len(seen))
	}
}

func TestListStalledPagingIsAnError(t *testing.T) {
	// A server that ignores after= returns the same full page forever.
	srv := newScript(t, func(w http.ResponseWriter, r *http.Request, n int) {
		var page []map[string]string
		for i := range 3 {
			page = append(page, map[string]string{"productId": fmt.Sprintf("id-%d", i)})
		}
		b, _ := json.Marshal(page)
		writeJSON(w, 200, string(b))
	})
	c := newTestClient(t, srv.URL, nil)
	got, err := c.Products().All(context.Background(), &ListOptions{Count: 3})
	if !errors.Is(err, ErrPagingStalled) || len(got) != 3 || srv.count() != 2 {
		t.Fatalf("got %d items, %d requests, err %v", len(got), srv.count(), err)
	}
}

func TestListBreakStopsRequests(t *testing.T) {
	srv, _ := pagedServer(t, 1000, 0)
	c := newTestClient(t, srv.URL, nil)
	n := 0
	for _, err := range c.Products().List(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 150 {
			break
		}
	}
	if srv.count() != 2 {
		t.Fatalf("%d requests for 150 items", srv.count())
	}
}

func TestListResumesAfter(t *testing.T) {
	srv, ids := pagedServer(t, 120, 0)
	c := newTestClient(t, srv.URL, nil)
	got, err := c.Products().All(context.Background(), &ListOptions{After: ids[109]})
	if err != nil || len(got) != 10 || got[0].ProductID != ids[110] {
		t.Fatalf("got %d, %v", len(got), err)
	}
}

func TestTotalReadsListCount(t *testing.T) {
	srv := newScript(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("X-listCount", "1234")
		writeJSON(w, 200, `[{"customerId":"x"}]`)
	})
	c := newTestClient(t, srv.URL, nil)
	n, err := c.Customers().Total(context.Background(), &ListOptions{Filters: map[string]any{"isActive": true}})
	if err != nil || n != 1234 {
		t.Fatalf("%d %v", n, err)
	}
	q, _ := url.ParseQuery(srv.requests()[0].RawQuery)
	if q.Get("includeCount") != "true" || q.Get("count") != "1" || q.Get("filter[isActive]") != "true" {
		t.Fatalf("query %v", q)
	}
}

func TestPutSendsBodyAndReturnsStoredEntity(t *testing.T) {
	srv := newScript(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 200, `{"productId":"9b2a4f0e-5d4c-4a8e-9a59-4b3c1d2e3f40","name":"Widget","timestamp":"00000000000000AA"}`)
	})
	c := newTestClient(t, srv.URL, nil)
	in := &Product{ProductID: "9b2a4f0e-5d4c-4a8e-9a59-4b3c1d2e3f40", Name: new("Widget"), ItemType: new(StockedProduct),
		Prices: []ProductPrice{{ProductPriceID: "1b2a4f0e-5d4c-4a8e-9a59-4b3c1d2e3f40", UnitPrice: DecimalPtr("19.990")}}}
	out, err := c.Products().Put(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if out.Timestamp != "00000000000000AA" {
		t.Fatalf("returned %+v", out)
	}
	r := srv.requests()[0]
	if r.Method != "PUT" || r.Path != "/"+testCompany+"/products" || r.Header.Get("X-OverrideAllowNegativeInventory") != "" {
		t.Fatalf("%s %s %v", r.Method, r.Path, r.Header)
	}
	want := `{"productId":"9b2a4f0e-5d4c-4a8e-9a59-4b3c1d2e3f40","itemType":"StockedProduct","name":"Widget","prices":[{"productPriceId":"1b2a4f0e-5d4c-4a8e-9a59-4b3c1d2e3f40","unitPrice":"19.99"}]}`
	if string(r.Body) != want {
		t.Fatalf("body\n got %s\nwant %s", r.Body, want)
	}
}

// A request's extra headers are sent (the inflow sink's stock adjustments
// send the negative-inventory override this way).
func TestRequestHeaderIsSent(t *testing.T) {
	srv := newScript(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, `{}`) })
	c := newTestClient(t, srv.URL, nil)
	so := &SalesOrder{SalesOrderID: uuid.NewString(), CustomerID: new(uuid.NewString()), Source: new("etl")}
	if _, err := c.Do(context.Background(), Request{Method: http.MethodPut, Path: "/sales-orders", Body: so, Idempotent: true,
		Header: http.Header{"X-OverrideAllowNegativeInventory": {"true"}}}, nil); err != nil {
		t.Fatal(err)
	}
	if got := srv.requests()[0].Header.Get("X-OverrideAllowNegativeInventory"); got != "true" {
		t.Fatalf("header %q", got)
	}
}

func TestPutWithoutGUIDSendsNothing(t *testing.T) {
	srv := newScript(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, `{}`) })
	c := newTestClient(t, srv.URL, nil)
	ctx := context.Background()
	if _, err := c.Customers().Put(ctx, &Customer{Name: new("Acme")}); !errors.Is(err, ErrMissingID) {
		t.Errorf("empty id: %v", err)
	}
	if _, err := c.Customers().Put(ctx, &Customer{CustomerID: "ACME-1"}); !errors.Is(err, ErrInvalidID) {
		t.Errorf("bad id: %v", err)
	}
	if _, err := c.Customers().Put(ctx, nil); !errors.Is(err, ErrMissingID) {
		t.Errorf("nil: %v", err)
	}
	if _, err := c.Products().Get(ctx, "", nil); !errors.Is(err, ErrMissingID) {
		t.Errorf("get empty id: %v", err)
	}
	if srv.count() != 0 {
		t.Fatalf("%d requests sent", srv.count())
	}
}

func TestSummariesBatchesOf100InOrder(t *testing.T) {
	srv := newScript(t, func(w http.ResponseWriter, r *http.Request, n int) {
		var keys []struct {
			ProductID  string  `json:"productId"`
			LocationID *string `json:"locationId"`
		}
		if err := json.NewDecoder(r.Body).Decode(&keys); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		var out []map[string]any
		for _, k := range keys {
			out = append(out, map[string]any{"productId": k.ProductID, "locationId": k.LocationID, "quantityOnHand": "2.00000", "quantityAvailable": 1.5})
		}
		b, _ := json.Marshal(out)
		writeJSON(w, 200, string(b))
	})
	c := newTestClient(t, srv.URL, nil)
	pairs := make([]SummaryRequest, 250)
	for i := range pairs {
		pairs[i] = SummaryRequest{ProductID: fmt.Sprintf("p-%03d", i)}
		if i%2 == 0 {
			pairs[i].LocationID = "loc-1"
		}
	}
	got, err := c.ProductSummaries(context.Background(), pairs)
	if err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d POSTs, want 3", len(reqs))
	}
	for i, want := range []int{100, 100, 50} {
		var keys []map[string]any
		_ = json.Unmarshal(reqs[i].Body, &keys)
		if reqs[i].Method != "POST" || reqs[i].Path != "/"+testCompany+"/products/summary" || len(keys) != want {
			t.Errorf("POST %d: %s %s with %d pairs", i, reqs[i].Method, reqs[i].Path, len(keys))
		}
	}
	if !strings.Contains(string(reqs[0].Body), `{"productId":"p-001","locationId":null}`) {
		t.Errorf("null location not sent: %.200s", reqs[0].Body)
	}
	if len(got) != 250 {
		t.Fatalf("%d summaries", len(got))
	}
	for i, s := range got {
		if *s.ProductID != pairs[i].ProductID {
			t.Fatalf("summary %d is %s", i, *s.ProductID)
		}
	}
	if !got[0].QuantityOnHand.Equal(DecimalFromInt(2)) || !got[0].QuantityAvailable.Equal(MustDecimal("1.5")) {
		t.Fatalf("quantities %v %v", got[0].QuantityOnHand, got[0].QuantityAvailable)
	}
	if none, err := c.ProductSummaries(context.Background(), nil); err != nil || none != nil || srv.count() != 3 {
		t.Fatalf("empty input: %v %v", none, err)
	}
}

func TestSingleSummary(t *testing.T) {
	srv := newScript(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 200, `{"productId":"p","locationId":"l","quantityOnHand":"7.00000","quantityBuildable":null}`)
	})
	c := newTestClient(t, srv.URL, nil)
	s, err := c.ProductSummary(context.Background(), "p", "l")
	if err != nil || !s.QuantityOnHand.Equal(DecimalFromInt(7)) || s.QuantityBuildable != nil {
		t.Fatalf("%+v %v", s, err)
	}
	r := srv.requests()[0]
	if r.Path != "/"+testCompany+"/products/p/summary" || r.RawQuery != "locationId=l" {
		t.Fatalf("%s?%s", r.Path, r.RawQuery)
	}
}

func TestStatsCountRequestsByMethod(t *testing.T) {
	srv := newScript(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 0 {
			writeJSON(w, 503, `{"message":"busy"}`)
			return
		}
		writeJSON(w, 200, `[]`)
	})
	c := newTestClient(t, srv.URL, nil)
	_, _ = c.Locations().All(context.Background(), nil)
	_, _ = c.ProductSummaries(context.Background(), []SummaryRequest{{ProductID: "p"}})
	st := c.Stats()
	if st.Requests != 3 || st.Retries != 1 || st.ByMethod["GET"] != 2 || st.ByMethod["POST"] != 1 || st.Waited <= 0 {
		t.Fatalf("stats %+v", st)
	}
	c.ResetStats()
	if st := c.Stats(); st.Requests != 0 || len(st.ByMethod) != 0 {
		t.Fatalf("after reset %+v", st)
	}
}
