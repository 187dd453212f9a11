package sandbox

import (
	"os"
	"path/filepath"

	"encoding/json"
	"github.com/etl-dev/etl/internal/emulator"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func call(t *testing.T, h http.Handler, method, target, body string) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	req.Header.Set("X-Inventora-API-Key", DefaultAPIKey)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	return rec.Code, out
}

func TestDocumentedBehaviour(t *testing.T) {
	t.Parallel()
	s, err := New(Options{Seed: &Seed{Products: 1500, Materials: 3, Tasks: 2}})
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	// limit above 1000 is clamped; the default is 100.
	if code, out := call(t, h, "GET", "/products?limit=5000", ""); code != 200 || len(out["data"].([]any)) != 1000 || out["pagination"].(map[string]any)["totalCount"] != float64(1500) {
		t.Errorf("limit=5000: %d %v", code, out["pagination"])
	}
	if _, out := call(t, h, "GET", "/products", ""); len(out["data"].([]any)) != 100 {
		t.Errorf("default page: %d", len(out["data"].([]any)))
	}
	if code, _ := call(t, h, "GET", "/products?limit=-1", ""); code != 400 {
		t.Errorf("limit=-1: %d", code)
	}
	id := "prod_00002" // no stock history in the seed
	// audit is absolute (the prose), not the example's restock arithmetic.
	_, p := call(t, h, "POST", "/products/"+id+"/stock-level-updates", `{"quantity": 10, "locationName": "Main Warehouse", "updateType": "audit"}`)
	if lv := p["locationStockLevels"].(map[string]any)["Main Warehouse"]; lv != float64(10) {
		t.Errorf("audit 10: %v", lv)
	}
	for _, tc := range []struct {
		method, path, body string
		code               int
		msg                string
	}{
		{"POST", "/products/" + id + "/stock-level-updates", `{"quantity": 1, "locationName": "Attic", "updateType": "audit"}`, 404, "Location not found"},
		{"POST", "/products/" + id + "/stock-level-updates", `{"locationName": "Main Warehouse", "updateType": "audit"}`, 400, "quantity is required"},
		{"POST", "/products/" + id + "/stock-level-updates", `{"quantity": 1, "locationName": "Main Warehouse", "updateType": "count"}`, 400, "updateType must be one of: audit, restock, loss, custom"},
		{"POST", "/products/" + id + "/stock-level-updates", `{"quantity": 1, "locationName": "Main Warehouse", "updateType": "custom"}`, 400, "customStatusId is required when updateType is custom"},
		{"PATCH", "/products/" + id, `{"productionType": "single"}`, 400, "productionType cannot be updated"},
		{"PATCH", "/products/" + id, `{"unitPrice": 1.23}`, 400, msgUnitPriceLocked}, // the audit above tied it
		{"PATCH", "/products/" + id, `{"name": ""}`, 400, "name must be a non-empty string"},
		{"PATCH", "/products/nope", `{"name": "x"}`, 404, "Resource not found"},
		{"POST", "/tasks", `{"name": "x", "Items": []}`, 400, "Items cannot be empty"},
		{"GET", "/tasks/task_999", "", 404, "Task not found"},
	} {
		code, out := call(t, h, tc.method, tc.path, tc.body)
		if code != tc.code || out["error"] != tc.msg {
			t.Errorf("%s %s %s: %d %v, want %d %q", tc.method, tc.path, tc.body, code, out, tc.code, tc.msg)
		}
	}
	// A refused PATCH changes nothing.
	before := s.Dump()
	call(t, h, "PATCH", "/products/"+id, `{"name": "Renamed", "unitPrice": 9}`)
	if s.Dump() != before {
		t.Error("a refused PATCH changed the record")
	}
	// A deleted task is hidden.
	code, _ := call(t, h, "DELETE", "/tasks/task_1", "")
	if code != 204 {
		t.Errorf("delete task: %d", code)
	}
	if code, _ := call(t, h, "GET", "/tasks/task_1", ""); code != 404 {
		t.Errorf("deleted task: %d", code)
	}
	if st := s.Stats(); st.Writes == 0 || st.Reads == 0 || st.QueryKey != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestRegisteredForEtlSandbox(t *testing.T) {
	t.Parallel()
	spec, ok := emulator.Lookup("inventora")
	if !ok || spec.Env.Key != "INVENTORA_API_KEY" {
		t.Fatalf("emulator inventora: %v %+v", ok, spec.Env)
	}
	seed := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(seed, []byte(`{"products": 1200, "unstable_order": 5}`), 0o644); err != nil {
		t.Fatal(err)
	}
	inst, err := spec.New(emulator.Config{SeedPath: seed, Key: "k"})
	if err != nil {
		t.Fatal(err)
	}
	s := inst.(*Server)
	if inst.Key() != "k" || len(s.Snapshot("products")) != 1200 || s.opts.UnstableOrder != 5 || len(s.Snapshot("materials")) != 8 {
		t.Errorf("instance: key %q, %d products, unstable %d", inst.Key(), len(s.Snapshot("products")), s.opts.UnstableOrder)
	}
	if err := os.WriteFile(seed, []byte(`{"prodcts": 1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := spec.New(emulator.Config{SeedPath: seed}); err == nil || !strings.Contains(err.Error(), "prodcts") {
		t.Errorf("bad seed: %v", err)
	}
}
