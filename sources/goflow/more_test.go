package goflowsrc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/goflow/sandbox"
	"github.com/etl-dev/etl/pipeline"
)

// The inventory snapshot equals the emulator's stock for every product ×
// warehouse, zeros included, groups left out, in one submit, a few polls
// and one download (plus one list of group products).
func TestInventorySnapshot(t *testing.T) {
	t.Parallel()
	tn := newTenant(t, sandbox.Options{})
	dir := t.TempDir()
	r := tn.mustRun(t, dir, "source: {type: goflow, entity: inventory}\nsink: {type: parquet, path: inv.parquet}\n", nil)
	pq := readParquet(t, filepath.Join(dir, "inv.parquet"))
	var names []string
	for _, c := range pq.cols {
		names = append(names, c.Name+":"+c.Type.String())
	}
	if got := strings.Join(names, ","); got != "product_id:integer,product_item_number:string,product_name:string,warehouse_name:string,on_hand:decimal,available:decimal,on_purchase_order:decimal" {
		t.Fatalf("columns %s", got)
	}
	products, whs := tn.srv.Records("products"), tn.srv.Records("warehouses")
	groups := map[string]bool{}
	stocked := 0
	for _, p := range products {
		if p["type"] == "group" {
			groups[p["item_number"].(string)] = true
		} else {
			stocked++
		}
	}
	if len(pq.rows) != stocked*len(whs) {
		t.Fatalf("%d rows, want %d products × %d warehouses", len(pq.rows), stocked, len(whs))
	}
	zeros := 0
	for _, row := range pq.rows {
		item, wh := row[1].(string), row[3].(string)
		if groups[item] {
			t.Fatalf("group %s in the snapshot", item)
		}
		want, ok := tn.srv.OnHand(item, wh)
		if !ok || !row[4].(decimal.Decimal).Equal(want) {
			t.Fatalf("%s at %s: on hand %v, want %v", item, wh, row[4], want)
		}
		if want.IsZero() {
			zeros++
		}
	}
	if zeros == 0 {
		t.Error("no zero rows: include_zeros was not asked for")
	}
	st := tn.srv.Stats()
	if st.Requests["POST /v1/reports/inventory/counts"] != 1 || st.Requests["GET /v1/reports/{id}"] < 2 || st.Downloads != 1 || st.LeakedAuth != 0 {
		t.Errorf("report requests %v, downloads %d, leaked %d", st.Requests, st.Downloads, st.LeakedAuth)
	}
	if st.Requests["GET /v1/products"] != 1 {
		t.Errorf("group listing: %d requests", st.Requests["GET /v1/products"])
	}
	if !strings.Contains(strings.Join(r.report.Notes, "\n"), "1 submit") {
		t.Errorf("notes %v", r.report.Notes)
	}
}

// A report stuck in the queue (the daily quota used up) fails the run
// with the quota's state.
func TestInventoryQueuedPastTheDeadline(t *testing.T) {
	t.Parallel()
	tn := newTenant(t, sandbox.Options{Quotas: map[string]int64{"inventory_counts": 10}})
	dir := t.TempDir()
	tn.mustRun(t, dir, "source: {type: goflow, entity: inventory}\nsink: {type: parquet, path: a.parquet}\n", nil)
	_, err := tn.runJob(t, dir, "source: {type: goflow, entity: inventory, report_timeout: 10m}\nsink: {type: parquet, path: b.parquet}\n", nil)
	if err == nil || !strings.Contains(err.Error(), "still queued") || !strings.Contains(err.Error(), "replenished at") {
		t.Fatalf("err = %v", err)
	}
}

// Incremental orders: a first run exports everything before its start; a
// second one only the orders whose status changed since (and the orders
// a split made), each once; an edit that leaves the status alone is not
// seen. The bookmark is saved after the output.
func TestIncrementalOrders(t *testing.T) {
	t.Parallel()
	tn := newTenant(t, sandbox.Options{PageSize: 10})
	state := newMemState()
	dir := t.TempDir()
	job := "name: nightly\nsource: {type: goflow, entity: orders, incremental: true}\nsink: {type: parquet, path: %s}\n"
	r1 := tn.mustRun(t, dir, fmt.Sprintf(job, "run1.parquet"), state)
	all := tn.srv.Records("orders")
	if r1.res.RowsRead != int64(len(all)) {
		t.Fatalf("first run: %d orders, want %d", r1.res.RowsRead, len(all))
	}
	v, ok, _ := state.GetState(context.Background(), "nightly", StateKey)
	var b Bookmark
	if !ok || json.Unmarshal([]byte(v), &b) != nil || b.Until.IsZero() {
		t.Fatalf("bookmark %q", v)
	}

	tn.clock.Advance(time.Hour)
	changed := []int64{900003, 900010}
	for _, id := range changed {
		if err := tn.srv.SetOrderStatus(id, "in_packing"); err != nil {
			t.Fatal(err)
		}
	}
	tn.srv.EditOrder(900020, func(o map[string]any) { o["invoice_number"] = "EDITED" })
	// Split an order that is not shipped: two new ids share its number.
	var split map[string]any
	for _, o := range all {
		if o["status"] == "ready_to_pick" && len(o["lines"].([]any)) == 2 {
			split = o
			break
		}
	}
	splitOrder(t, tn, split)
	tn.clock.Advance(time.Hour)
	tn.mustRun(t, dir, fmt.Sprintf(job, "run2.parquet"), state)
	pq := readParquet(t, filepath.Join(dir, "run2.parquet"))
	got := map[int64]string{}
	for _, row := range pq.rows {
		id := row[pq.col("id")].(int64)
		if _, dup := got[id]; dup {
			t.Fatalf("order %d twice", id)
		}
		got[id] = row[pq.col("order_number")].(string)
	}
	if len(got) != 4 || got[900003] == "" || got[900010] == "" {
		t.Fatalf("second run exported %v", got)
	}
	if _, ok := got[900020]; ok {
		t.Error("an edit without a status change was exported")
	}
	shared := 0
	for _, n := range got {
		if n == split["order_number"] {
			shared++
		}
	}
	if shared != 2 {
		t.Errorf("split orders: %d share the number %v", shared, split["order_number"])
	}
	// The second run asked for the closed range from the bookmark less the
	// overlap to its start, sorted ascending.
	var q string
	for _, rec := range tn.srv.Requests() {
		if rec.Path == "/v1/orders" {
			q = rec.Query
		}
	}
	from := b.Until.Add(-5 * time.Minute).Format(time.RFC3339)
	if !strings.Contains(q, "status_updated_at%3Agte%5D="+strings.ReplaceAll(from, ":", "%3A")) || !strings.Contains(q, "sort=status_updated_at") {
		t.Errorf("query %s, want gte %s", q, from)
	}
}

func splitOrder(t *testing.T, tn *tenant, o map[string]any) {
	t.Helper()
	var chunks []any
	for _, l := range o["lines"].([]any) {
		m := l.(map[string]any)
		chunks = append(chunks, map[string]any{"lines": []any{map[string]any{"id": m["id"], "quantity": lookup(m, "quantity.amount")}}})
	}
	body, _ := json.Marshal(map[string]any{"chunks": chunks})
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/orders/%v/splits", tn.srv.URL(), o["id"]), strings.NewReader(string(body)))
	req.Header.Set("Authorization", "Bearer "+tn.srv.Token())
	req.Header.Set("X-Beta-Contact", "t@example.com")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("split: %v %v", err, resp)
	}
	resp.Body.Close()
}

// Settings are checked before any request: unknown filters and operators
// name themselves and the closest valid name.
func TestValidate(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{Entity: "order"}, `entity "order" is not known (did you mean "orders"?)`},
		{Config{Entity: "orders", Table: "lnes"}, `did you mean "lines"?`},
		{Config{Entity: "orders", Filters: map[string]any{"stauts": "shipped"}}, `/orders has no filter "stauts" (did you mean "status"?)`},
		{Config{Entity: "orders", Filters: map[string]any{"status:gt": "shipped"}}, `takes the operators eq, not, not "gt"`},
		{Config{Entity: "orders", Filters: map[string]any{"date:gte": "2025-01-01"}}, `not a date-time`},
		{Config{Entity: "products", Incremental: true}, `incremental applies to orders only`},
		{Config{Entity: "orders", Incremental: true, Filters: map[string]any{"status_updated_at:gte": "2025-01-01T00:00:00Z"}}, `incremental sets status_updated_at itself`},
		{Config{Entity: "orders", Sandbox: "sometimes"}, `sandbox "sometimes" is not one of`},
		{Config{Entity: "inventory", Filters: map[string]any{"status": "x"}}, `takes no list filters`},
	} {
		err := c.cfg.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.cfg, err, c.want)
		}
		var se pipeline.SettingErrors
		if !errors.As(err, &se) {
			t.Errorf("%+v: not SettingErrors: %T", c.cfg, err)
		}
	}
	ok := Config{Entity: "orders", Table: "lines", Filters: map[string]any{"status": []any{"shipped", "ready_for_pickup"}, "date:gte": time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), "store.id": 123}}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid config: %v", err)
	}
}

// A wrong token fails naming the 401; plain http off loopback is refused
// before any request.
func TestConnectionErrors(t *testing.T) {
	t.Parallel()
	tn := newTenant(t, sandbox.Options{})
	tn.env["GOFLOW_API_TOKEN"] = "tok-bad-123"
	_, err := tn.runJob(t, t.TempDir(), "source: {type: goflow, entity: vendors, sandbox: never}\nsink: {type: parquet, path: v.parquet}\n", nil)
	if err == nil || !strings.Contains(err.Error(), "401") || strings.Contains(err.Error(), "tok-bad-123") {
		t.Errorf("wrong token: %v", err)
	}
	tn2 := newTenant(t, sandbox.Options{})
	tn2.env["GOFLOW_BASE_URL"] = "http://goflow.example.com/v1"
	before := tn2.srv.Stats().Requests
	_, err = tn2.runJob(t, t.TempDir(), "source: {type: goflow, entity: vendors, sandbox: never}\nsink: {type: parquet, path: v.parquet}\n", nil)
	if err == nil || !strings.Contains(err.Error(), "https") {
		t.Errorf("plain http: %v", err)
	}
	if len(before) != 0 || len(tn2.srv.Stats().Requests) != 0 {
		t.Error("requests were sent")
	}
	tn3 := newTenant(t, sandbox.Options{})
	delete(tn3.env, "GOFLOW_BETA_CONTACT")
	_, err = tn3.runJob(t, t.TempDir(), "source: {type: goflow, entity: vendors}\nsink: {type: parquet, path: v.parquet}\n", nil)
	if err == nil || !strings.Contains(err.Error(), "GOFLOW_BETA_CONTACT") {
		t.Errorf("no beta contact: %v", err)
	}
}

// The bookmark moves only after a run whose output was written: a run
// that fails keeps the old one.
func TestBookmarkKeptOnFailure(t *testing.T) {
	t.Parallel()
	state := newMemState()
	job := "name: nightly\nsource: {type: goflow, entity: orders, incremental: true}\nsink: {type: parquet, path: out.parquet}\n"
	tn := newTenant(t, sandbox.Options{})
	tn.mustRun(t, t.TempDir(), job, state)
	before, _, _ := state.GetState(context.Background(), "nightly", StateKey)
	down := newTenant(t, sandbox.Options{Maintenance: true})
	down.clock.Advance(24 * time.Hour)
	if _, err := down.runJob(t, t.TempDir(), job, state); err == nil || !strings.Contains(err.Error(), "503") {
		t.Fatalf("run against a Goflow in maintenance: %v", err)
	}
	if after, _, _ := state.GetState(context.Background(), "nightly", StateKey); after != before || before == "" {
		t.Fatalf("bookmark %q became %q", before, after)
	}
}
