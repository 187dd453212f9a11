package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/etl-dev/etl/internal/apikit"
)

type tclient struct {
	t   *testing.T
	srv *Server
	hc  *http.Client
}

func start(t *testing.T, opts Options) (*tclient, *apikit.VirtualClock) {
	t.Helper()
	clk := apikit.NewVirtualClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	if opts.Clock == nil {
		opts.Clock = clk
	}
	srv, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return &tclient{t: t, srv: srv, hc: &http.Client{}}, clk
}

// do sends a request with the token and the beta header and decodes the
// answer with exact numbers.
func (c *tclient) do(method, target string, body any, out any) (int, http.Header) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	if !strings.HasPrefix(target, "http") {
		target = c.srv.URL() + target
	}
	req, _ := http.NewRequest(method, target, rd)
	req.Header.Set("Authorization", "Bearer "+c.srv.Token())
	req.Header.Set("X-Beta-Contact", "ops@example.com")
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && len(data) > 0 {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(out); err != nil {
			c.t.Fatalf("%s %s: %v: %s", method, target, err, data)
		}
	}
	return resp.StatusCode, resp.Header
}

type page struct {
	Data []map[string]any `json:"data"`
	Next *string          `json:"next"`
}

func TestPagingKeepsFiltersAndSort(t *testing.T) {
	t.Parallel()
	c, _ := start(t, Options{PageSize: 7, NoLimits: true})
	q := url.Values{"filters[status]": {"shipped", "canceled"}, "sort": {"status_updated_at"}, "sort_direction": {"desc"}}
	target := "/orders?" + q.Encode()
	var all []map[string]any
	pages := 0
	for target != "" {
		var p page
		if st, _ := c.do("GET", target, nil, &p); st != 200 {
			t.Fatalf("status %d", st)
		}
		pages++
		if len(p.Data) > 7 {
			t.Fatalf("page of %d", len(p.Data))
		}
		all = append(all, p.Data...)
		target = ""
		if p.Next != nil {
			target = *p.Next
			u, _ := url.Parse(target)
			if u.Query().Get("filters[status]") == "" || u.Query().Get("sort") != "status_updated_at" {
				t.Fatalf("next link lost the query: %s", target)
			}
		}
	}
	want := 0
	for _, o := range c.srv.Records("orders") {
		if o["status"] == "shipped" || o["status"] == "canceled" {
			want++
		}
	}
	if len(all) != want || pages != (want+6)/7 {
		t.Fatalf("%d orders in %d pages, want %d in %d", len(all), pages, want, (want+6)/7)
	}
	seen := map[string]bool{}
	for i, o := range all {
		id := fmt.Sprint(o["id"])
		if seen[id] {
			t.Fatalf("order %s twice", id)
		}
		seen[id] = true
		if i > 0 && fmt.Sprint(all[i-1]["status_updated_at"]) < fmt.Sprint(o["status_updated_at"]) {
			t.Fatalf("not sorted descending at %d", i)
		}
	}
}

func TestUnknownFiltersAndTamperedCursors(t *testing.T) {
	t.Parallel()
	c, _ := start(t, Options{PageSize: 5, NoLimits: true})
	var body struct {
		Message string              `json:"message"`
		Errors  map[string][]string `json:"errors"`
	}
	for _, q := range []string{"filters[stauts]=shipped", "filters[status:gt]=shipped", "filter[store.id]=1", "sort=total", "filters[date:gte]=yesterday"} {
		if st, _ := c.do("GET", "/orders?"+q, nil, &body); st != 422 || body.Message != "The given data is invalid" || len(body.Errors) == 0 {
			t.Errorf("%s: %d %+v", q, st, body)
		}
	}
	var p page
	c.do("GET", "/products", nil, &p)
	next, _ := url.Parse(*p.Next)
	v := next.Query()
	v.Set("filters[status]", "active")
	next.RawQuery = v.Encode()
	if st, _ := c.do("GET", next.String(), nil, &body); st != 422 || body.Errors["cursor"] == nil {
		t.Errorf("a cursor reused with other filters: %d %+v", st, body)
	}
	v = next.Query()
	v.Del("filters[status]")
	v.Set("cursor", v.Get("cursor")+"x")
	next.RawQuery = v.Encode()
	if st, _ := c.do("GET", next.String(), nil, &body); st != 422 {
		t.Errorf("tampered cursor: %d", st)
	}
}

func TestAuthBetaAndLimits(t *testing.T) {
	t.Parallel()
	c, _ := start(t, Options{})
	req, _ := http.NewRequest("GET", c.srv.URL()+"/orders", nil)
	req.Header.Set("X-Beta-Contact", "a@b.c")
	resp, _ := http.DefaultClient.Do(req)
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("no token: %d", resp.StatusCode)
	}
	req, _ = http.NewRequest("GET", c.srv.URL()+"/orders", nil)
	req.Header.Set("Authorization", "Bearer "+c.srv.Token())
	resp, _ = http.DefaultClient.Do(req)
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("no beta contact: %d", resp.StatusCode)
	}
	// POST /reports/inventory/counts: 6 an hour.
	body := map[string]any{"columns": []string{"product_id"}, "limit": 1}
	for i := range 6 {
		if st, _ := c.do("POST", "/reports/inventory/counts", body, nil); st != 202 {
			t.Fatalf("report %d: %d", i, st)
		}
	}
	var tooMany struct {
		RetryAfterSeconds json.Number `json:"retry_after_seconds"`
	}
	st, h := c.do("POST", "/reports/inventory/counts", body, &tooMany)
	if st != 429 || h.Get("Retry-After") == "" || tooMany.RetryAfterSeconds == "" {
		t.Fatalf("7th report in an hour: %d %v %+v", st, h, tooMany)
	}
	// An hourly limit of 6: the next slot is about ten minutes away.
	if ra, _ := strconv.Atoi(h.Get("Retry-After")); ra < 500 || ra > 600 {
		t.Errorf("Retry-After %s for an hourly limit of 6", h.Get("Retry-After"))
	}
}

func TestAbsoluteAdjustmentsAnd204(t *testing.T) {
	t.Parallel()
	c, _ := start(t, Options{NoLimits: true})
	wh := c.srv.Records("warehouses")[0]
	p := c.srv.Records("products")[0]
	body := map[string]any{"type": "absolute", "warehouse_id": wh["id"], "lines": []any{map[string]any{"product_id": p["id"], "quantity": 17}}}
	var created struct{ ID json.Number }
	if st, _ := c.do("POST", "/inventory/adjustments", body, &created); st != 201 || created.ID == "" {
		t.Fatalf("first: %d", st)
	}
	if q, _ := c.srv.OnHand(p["item_number"].(string), wh["name"].(string)); q.String() != "17" {
		t.Fatalf("on hand %s", q)
	}
	if st, _ := c.do("POST", "/inventory/adjustments", body, nil); st != 204 {
		t.Fatalf("repeat: %d, want 204", st)
	}
	var e struct{ Errors map[string][]string }
	bad := map[string]any{"type": "absolute", "warehouse_id": wh["id"], "lines": []any{map[string]any{"product_id": 1, "quantity": 1}}}
	if st, _ := c.do("POST", "/inventory/adjustments", bad, &e); st != 422 || e.Errors["lines.0.product_id"] == nil {
		t.Fatalf("unknown product: %d %+v", st, e)
	}
}

func TestReportLifecycleRedirectAndExpiry(t *testing.T) {
	t.Parallel()
	c, clk := start(t, Options{NoLimits: true, Quotas: map[string]int64{"inventory_counts": 100}})
	body := map[string]any{"columns": []string{"product_id", "warehouse_name", "on_hand"}, "format": "jsonl", "options": map[string]any{"include_zeros": true}}
	var sub struct {
		ID       json.Number
		Location string
	}
	if st, _ := c.do("POST", "/reports/inventory/counts", body, &sub); st != 202 {
		t.Fatalf("submit %d", st)
	}
	var rep struct {
		Status    string
		Completed *struct {
			RecordsCount json.Number `json:"records_count"`
			FileURL      string      `json:"file_url"`
		}
	}
	c.do("GET", sub.Location, nil, &rep)
	if rep.Status != "queued" || rep.Completed != nil {
		t.Fatalf("just submitted: %+v", rep)
	}
	clk.Advance(3 * time.Second)
	c.do("GET", sub.Location, nil, &rep)
	if rep.Status != "processing" {
		t.Fatalf("after 3s: %s", rep.Status)
	}
	clk.Advance(3 * time.Second)
	c.do("GET", sub.Location, nil, &rep)
	if rep.Status != "completed" || rep.Completed == nil {
		t.Fatalf("after 6s: %+v", rep)
	}
	// The file URL redirects to another host; the client must not send the
	// token there.
	resp, err := http.Get(rep.Completed.FileURL)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	lines := strings.Count(string(data), "\n")
	want := 0
	for _, p := range c.srv.Records("products") {
		if p["type"] != "group" {
			want += len(c.srv.Records("warehouses"))
		}
	}
	if resp.StatusCode != 200 || lines != want || fmt.Sprint(rep.Completed.RecordsCount) != fmt.Sprint(want) {
		t.Fatalf("download: %d, %d lines, want %d", resp.StatusCode, lines, want)
	}
	st := c.srv.Stats()
	if st.Downloads != 1 || st.LeakedAuth != 0 {
		t.Fatalf("stats %+v", st)
	}
	// Over quota (100 a day, the report made more): the next one waits
	// two days.
	c.do("POST", "/reports/inventory/counts", body, &sub)
	clk.Advance(time.Hour)
	c.do("GET", sub.Location, nil, &rep)
	if rep.Status != "queued" {
		t.Fatalf("over quota: %s", rep.Status)
	}
	var q struct{ Available json.Number }
	c.do("GET", "/reports/quotas/inventory_counts", nil, &q)
	if q.Available != "0" {
		t.Fatalf("quota available %s", q.Available)
	}
	clk.Advance(13 * time.Hour)
	if st, _ := c.do("GET", "/reports/1", nil, nil); st != 404 {
		t.Fatalf("expired report: %d", st)
	}
}

func TestSplitSharesOrderNumber(t *testing.T) {
	t.Parallel()
	c, _ := start(t, Options{NoLimits: true})
	var o map[string]any
	for _, r := range c.srv.Records("orders") {
		if r["status"] == "ready_to_pick" && len(r["lines"].([]any)) >= 2 {
			o = r
			break
		}
	}
	lines := o["lines"].([]any)
	chunk := func(l any) map[string]any {
		m := l.(map[string]any)
		return map[string]any{"lines": []any{map[string]any{"id": m["id"], "quantity": m["quantity"].(map[string]any)["amount"]}}}
	}
	chunks := []any{chunk(lines[0])}
	rest := map[string]any{"lines": []any{}}
	for _, l := range lines[1:] {
		rest["lines"] = append(rest["lines"].([]any), chunk(l)["lines"].([]any)...)
	}
	chunks = append(chunks, rest)
	var out struct{ Orders []map[string]any }
	if st, _ := c.do("POST", fmt.Sprintf("/orders/%v/splits", o["id"]), map[string]any{"chunks": chunks}, &out); st != 200 || len(out.Orders) != 2 {
		t.Fatalf("split: %d %d", st, len(out.Orders))
	}
	if st, _ := c.do("GET", fmt.Sprintf("/orders/%v", o["id"]), nil, nil); st != 404 {
		t.Errorf("original still there: %d", st)
	}
	for _, n := range out.Orders {
		if n["order_number"] != o["order_number"] || fmt.Sprint(n["original_order_id"]) != fmt.Sprint(o["id"]) {
			t.Errorf("split order %v", n)
		}
	}
}
