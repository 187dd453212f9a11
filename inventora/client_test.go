package inventora_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/internal/emulator"
	"github.com/etl-dev/etl/inventora"
	"github.com/etl-dev/etl/inventora/sandbox"
)

// start serves an emulator over loopback and returns a client of it on a
// virtual clock.
func start(t *testing.T, opts sandbox.Options, cfg inventora.Config) (*sandbox.Server, *inventora.Client) {
	t.Helper()
	srv, err := sandbox.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	cfg.BaseURL = hs.URL
	cfg.APIKey = apikit.NewSecret(srv.APIKey())
	cfg.Registry = apikit.NewRegistry(apikit.RegistryOptions{Clock: apikit.NewVirtualClock(time.Time{})})
	c, err := inventora.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func TestListEqualsEmulatorAndCostsCeilNOver1000(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 999, 1000, 2500} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			srv, c := start(t, sandbox.Options{Seed: &sandbox.Seed{Products: n, Materials: 8}}, inventora.Config{})
			res, err := c.Products(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			want := max(1, (n+999)/1000)
			if got := srv.Stats().Requests["GET /products"]; got != want || res.Requests != want || res.Reads != 1 {
				t.Errorf("%d products took %d requests (%d reads), want %d", n, got, res.Reads, want)
			}
			snap := srv.Snapshot("products")
			if len(res.Items) != len(snap) {
				t.Fatalf("got %d products, the emulator has %d", len(res.Items), len(snap))
			}
			byID := map[string]map[string]any{}
			for _, p := range snap {
				byID[p["id"].(string)] = p
			}
			for _, p := range res.Items {
				b, _ := json.Marshal(p)
				var got map[string]any
				dec := json.NewDecoder(strings.NewReader(string(b)))
				dec.UseNumber()
				if err := dec.Decode(&got); err != nil {
					t.Fatal(err)
				}
				if g, w := canon(got), canon(byID[p.ID]); g != w {
					t.Fatalf("product %s:\n got %s\nwant %s", p.ID, g, w)
				}
			}
			if st := srv.Stats(); st.QueryKey != 0 || st.Unauthorized != 0 {
				t.Errorf("query-key requests %d, unauthorized %d: want 0", st.QueryKey, st.Unauthorized)
			}
		})
	}
}

// canon renders generic JSON with numbers normalised (5.50 == 5.5).
func canon(v any) string {
	switch x := v.(type) {
	case map[string]any:
		var parts []string
		for k, e := range x {
			parts = append(parts, k+"="+canon(e))
		}
		slices.Sort(parts)
		return "{" + strings.Join(parts, ",") + "}"
	case []any:
		var parts []string
		for _, e := range x {
			parts = append(parts, canon(e))
		}
		return "[" + strings.Join(parts, ",") + "]"
	case json.Number:
		d := mustDec(x.String())
		return d.String()
	default:
		return fmt.Sprint(x)
	}
}

func TestUnstableOrderEveryProductOnce(t *testing.T) {
	t.Parallel()
	srv, c := start(t, sandbox.Options{Seed: &sandbox.Seed{Products: 2200}, UnstableOrder: 40, RandSeed: 7}, inventora.Config{})
	res, err := c.Products(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, p := range res.Items {
		seen[p.ID]++
	}
	for _, p := range srv.Snapshot("products") {
		if seen[p["id"].(string)] != 1 {
			t.Errorf("product %v exported %d times", p["id"], seen[p["id"].(string)])
		}
	}
	if len(res.Items) != 2200 {
		t.Errorf("exported %d products, want 2200", len(res.Items))
	}
	if res.Reads < 2 || res.Moved == 0 {
		t.Errorf("reads %d, moved %d: the unstable order should have forced a re-read", res.Reads, res.Moved)
	}
}

func TestInconsistentListFails(t *testing.T) {
	t.Parallel()
	_, c := start(t, sandbox.Options{Seed: &sandbox.Seed{Products: 2100}, UnstableOrder: 700, RandSeed: 3}, inventora.Config{MaxReads: 2})
	_, err := c.Products(context.Background())
	if !errors.Is(err, inventora.ErrInconsistent) {
		t.Fatalf("err = %v, want ErrInconsistent", err)
	}
}

func TestAuth(t *testing.T) {
	t.Parallel()
	srv, err := sandbox.New(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	for _, tc := range []struct {
		header, query string
		status        int
		msg           string
	}{
		{"", "", 401, "API key missing"},
		{"wrong", "", 401, "Invalid API key"},
		{srv.APIKey(), "", 200, ""},
		{"", srv.APIKey(), 200, ""},
	} {
		req, _ := http.NewRequest("GET", hs.URL+"/locations?x-inventora-api-key="+tc.query, nil)
		if tc.query == "" {
			req, _ = http.NewRequest("GET", hs.URL+"/locations", nil)
		}
		if tc.header != "" {
			req.Header.Set("X-Inventora-API-Key", tc.header)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || (tc.msg != "" && body["error"] != tc.msg) {
			t.Errorf("header %q query %q: %d %v, want %d %q", tc.header, tc.query, resp.StatusCode, body, tc.status, tc.msg)
		}
	}
	if st := srv.Stats(); st.QueryKey != 1 || st.Unauthorized != 2 {
		t.Errorf("stats %+v: want 1 query-key request and 2 unauthorized", st)
	}
	if _, err := inventora.New(inventora.Config{BaseURL: "http://example.com/api", APIKey: apikit.NewSecret("k")}); err == nil {
		t.Error("plain http to a remote host was accepted")
	}
	if _, err := inventora.New(inventora.Config{}); err == nil || !strings.Contains(err.Error(), inventora.EnvAPIKey) {
		t.Errorf("missing key: %v", err)
	}
}

func TestStockArithmetic(t *testing.T) {
	t.Parallel()
	srv, c := start(t, sandbox.Options{}, inventora.Config{})
	ctx := context.Background()
	p := srv.Snapshot("products")[1]["id"].(string)
	before, err := c.Resource(ctx, "products", p)
	if err != nil {
		t.Fatal(err)
	}
	main := before.LevelAt("Main Warehouse")
	retail := before.LevelAt("Retail Store")
	dec := mustDec
	steps := []struct {
		typ    string
		qty    string
		status *int64
		want   inventora.Decimal
	}{
		{inventora.UpdateAudit, "10", nil, dec("10")},
		{inventora.UpdateAudit, "10", nil, dec("10")},
		{inventora.UpdateRestock, "2.5", nil, dec("12.5")},
		{inventora.UpdateLoss, "3", nil, dec("9.5")},
		{inventora.UpdateCustom, "1", ptr(int64(1)), dec("8.5")},
		{inventora.UpdateCustom, "4", ptr(int64(2)), dec("12.5")},
	}
	for _, s := range steps {
		r, err := c.UpdateStock(ctx, "products", p, inventora.StockLevelUpdate{Quantity: dec(s.qty), LocationName: "Main Warehouse", UpdateType: s.typ, CustomStatusID: s.status})
		if err != nil {
			t.Fatal(err)
		}
		if got := r.LevelAt("Main Warehouse"); !got.Equal(s.want) {
			t.Errorf("%s %s: Main Warehouse %s, want %s (was %s)", s.typ, s.qty, got, s.want, main)
		}
		if total := s.want.Add(retail.Decimal); !r.StockLevel.Decimal.Equal(total) {
			t.Errorf("%s: stockLevel %s, want the sum %s", s.typ, r.StockLevel, total)
		}
	}
	_, err = c.UpdateStock(ctx, "products", p, inventora.StockLevelUpdate{Quantity: dec("1"), LocationName: "Main Warehous", UpdateType: inventora.UpdateAudit})
	if inventora.StatusOf(err) != 404 || inventora.MessageOf(err) != "Location not found" {
		t.Errorf("unknown location: %v", err)
	}
	_, err = c.UpdateStock(ctx, "products", p, inventora.StockLevelUpdate{Quantity: dec("1"), LocationName: "Main Warehouse", UpdateType: inventora.UpdateCustom})
	if inventora.StatusOf(err) != 400 {
		t.Errorf("custom without a status: %v", err)
	}
	// The stock history now ties unitPrice.
	_, err = c.Update(ctx, "products", p, &inventora.Patch{UnitPrice: ptr(dec("99"))})
	if inventora.StatusOf(err) != 400 || !strings.Contains(inventora.MessageOf(err), "unitPrice") {
		t.Errorf("unitPrice after stock history: %v", err)
	}
	r, err := c.Update(ctx, "products", p, &inventora.Patch{Name: ptr("Renamed"), MinLevel: ptr(dec("7"))})
	if err != nil || r.Name != "Renamed" || !r.MinLevel.Equal(dec("7")) || r.SKU != before.SKU {
		t.Errorf("patch: %v %+v", err, r)
	}
}

func TestBundleRules(t *testing.T) {
	t.Parallel()
	srv, c := start(t, sandbox.Options{}, inventora.Config{})
	ctx := context.Background()
	var bundle, plain string
	for _, p := range srv.Snapshot("products") {
		if p["unitType"] == "bundles" {
			bundle = p["id"].(string)
		} else if plain == "" {
			plain = p["id"].(string)
		}
	}
	if _, err := c.Update(ctx, "products", bundle, &inventora.Patch{UnitType: ptr("pieces")}); inventora.StatusOf(err) != 400 {
		t.Errorf("bundle to pieces: %v", err)
	}
	if _, err := c.Update(ctx, "products", plain, &inventora.Patch{UnitType: ptr("bundles")}); inventora.StatusOf(err) != 400 {
		t.Errorf("pieces to bundles: %v", err)
	}
	if _, err := c.Update(ctx, "products", plain, &inventora.Patch{UnitType: ptr("cases")}); err != nil {
		t.Errorf("pieces to cases: %v", err)
	}
}

func TestTasksAndBatches(t *testing.T) {
	t.Parallel()
	srv, c := start(t, sandbox.Options{}, inventora.Config{})
	ctx := context.Background()
	products := srv.Snapshot("products")
	p := products[2]["id"].(string)
	before, _ := c.Resource(ctx, "products", p)
	task, err := c.CreateTask(ctx, &inventora.NewTask{Name: "Produce 10", Assignee: "maker@example.com", LocationID: "loc_789",
		Items: []inventora.NewTaskItem{{ProductID: p, Quantity: mustDec("10")}}})
	if err != nil {
		t.Fatal(err)
	}
	if task.UserID == nil || *task.UserID != "user_456" || len(task.Items) != 1 || task.Items[0].ResourceID != p || task.Items[0].UnitType != "pieces" {
		t.Fatalf("task %+v", task)
	}
	if _, err := c.CreateTask(ctx, &inventora.NewTask{Name: "Empty"}); inventora.StatusOf(err) != 400 {
		t.Errorf("task without items: %v", err)
	}
	all, err := c.Tasks(ctx, "")
	if err != nil || len(all.Items) != 4 {
		t.Fatalf("tasks: %v, %d", err, len(all.Items))
	}
	// A batch produces at the task's location and deleting it reverses that.
	body := strings.NewReader(`{"quantity": 4}`)
	req, _ := http.NewRequest("POST", c.BaseURL()+fmt.Sprintf("/tasks/%s/items/%d/batches", task.ID, task.Items[0].ID), body)
	req.Header.Set("X-Inventora-API-Key", srv.APIKey())
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("batch: %v %v", err, resp.Status)
	}
	var b map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&b)
	resp.Body.Close()
	after, _ := c.Resource(ctx, "products", p)
	if got, want := after.LevelAt("Main Warehouse"), before.LevelAt("Main Warehouse").Add(mustDec("4").Decimal); !got.Decimal.Equal(want) {
		t.Errorf("after a batch of 4: %s, want %s", got, want)
	}
	req, _ = http.NewRequest("DELETE", c.BaseURL()+fmt.Sprintf("/task-batches/%v", b["id"]), nil)
	req.Header.Set("X-Inventora-API-Key", srv.APIKey())
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 204 {
		t.Fatalf("delete batch: %v %v", err, resp.Status)
	}
	resp.Body.Close()
	undone, _ := c.Resource(ctx, "products", p)
	if !undone.LevelAt("Main Warehouse").Equal(before.LevelAt("Main Warehouse")) {
		t.Errorf("after deleting the batch: %s, want %s", undone.LevelAt("Main Warehouse"), before.LevelAt("Main Warehouse"))
	}
}

// 429s (Inventora documents none, but a proxy may send them) are waited out
// on the shared limiter and retried; the export is still complete.
func TestTooManyRequestsAreWaitedOut(t *testing.T) {
	t.Parallel()
	srv, c := start(t, sandbox.Options{Seed: &sandbox.Seed{Products: 2500}, Faults: emulator.Faults{TooManyRate: 0.5, Seed: 1}}, inventora.Config{})
	res, err := c.Products(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 2500 {
		t.Fatalf("%d products", len(res.Items))
	}
	st := c.Stats()
	if st.TooMany == 0 || st.TooMany != srv.Harness().Stats().TooMany {
		t.Errorf("client saw %d 429s, the emulator sent %d", st.TooMany, srv.Harness().Stats().TooMany)
	}
}

// The key never appears in an error, even when the server echoes it.
func TestKeyNeverInErrors(t *testing.T) {
	t.Parallel()
	const key = "very-secret-key-123"
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("x-inventora-api-key") != "" {
			t.Error("the key was sent as a query parameter")
		}
		w.WriteHeader(400)
		_, _ = w.Write([]byte(`{"error": "bad key ` + r.Header.Get("X-Inventora-API-Key") + `"}`))
	}))
	t.Cleanup(hs.Close)
	c, err := inventora.New(inventora.Config{BaseURL: hs.URL, APIKey: apikit.NewSecret(key)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Resource(context.Background(), "products", "x")
	if err == nil || strings.Contains(err.Error(), key) || strings.Contains(fmt.Sprintf("%+v %#v", err, c), key) {
		t.Errorf("error %v leaks the key", err)
	}
}

// BenchmarkList10k lists 10,000 products (10 requests of 1000) over
// loopback: the client's decoding and dedupe, not the pace (virtual clock).
func BenchmarkList10k(b *testing.B) {
	srv, err := sandbox.New(sandbox.Options{Seed: &sandbox.Seed{Products: 10000, Materials: 8}})
	if err != nil {
		b.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	c, err := inventora.New(inventora.Config{BaseURL: hs.URL, APIKey: apikit.NewSecret(srv.APIKey()),
		Registry: apikit.NewRegistry(apikit.RegistryOptions{Clock: apikit.NewVirtualClock(time.Time{})})})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		res, err := c.Products(context.Background())
		if err != nil || len(res.Items) != 10000 {
			b.Fatalf("%v %d", err, len(res.Items))
		}
	}
}

func mustDec(s string) inventora.Decimal {
	d, err := inventora.ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

func ptr[T any](v T) *T { return &v }
