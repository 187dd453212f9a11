package inventorasrc_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/inventora/sandbox"
	"github.com/etl-dev/etl/jobfile"
	"github.com/etl-dev/etl/pipeline"

	_ "github.com/etl-dev/etl/sinks"
	_ "github.com/etl-dev/etl/sources"
	_ "github.com/etl-dev/etl/sources/inventora"
)

// serve starts an emulator over loopback and points the environment at it
// (so these tests do not run in parallel with each other).
func serve(t *testing.T, opts sandbox.Options) *sandbox.Server {
	t.Helper()
	srv, err := sandbox.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	t.Setenv("INVENTORA_BASE_URL", hs.URL)
	t.Setenv("INVENTORA_API_KEY", srv.APIKey())
	t.Setenv("INVENTORA_RATE_PER_MINUTE", "")
	return srv
}

// runJob writes job.yaml into dir and runs it as `etl run` does, on a
// virtual clock.
func runJob(t *testing.T, dir, yaml string) (*pipeline.Result, error) {
	t.Helper()
	path := filepath.Join(dir, "job.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	job, err := jobfile.Load(path, nil)
	if err != nil {
		t.Fatalf("job: %v", err)
	}
	job.Env.Job = job.Name
	job.Env.APIs = apikit.NewRegistry(apikit.RegistryOptions{Clock: apikit.NewVirtualClock(time.Time{})})
	ctx := context.Background()
	prep, err := job.Prepare(ctx)
	if err != nil {
		return nil, err
	}
	defer prep.Source.Close()
	sink, err := job.Sink.Open(ctx, job.Env, prep.Mapping.Schema())
	if err != nil {
		t.Fatalf("sink: %v", err)
	}
	return pipeline.Run(ctx, pipeline.RunConfig{Source: prep.Source, Mapper: prep.Mapping, Sink: sink, ErrorBudget: -1})
}

// readBack reads a Parquet file through etl's parquet source: column
// names and types, and rows as typed values.
func readBack(t *testing.T, path string) ([]pipeline.Column, [][]any) {
	t.Helper()
	st, ok := pipeline.LookupSource("parquet")
	if !ok {
		t.Fatal("no parquet source")
	}
	src, err := st.ForPath(path).Open(context.Background(), pipeline.Env{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var rows [][]any
	for {
		rec, err := src.Next(context.Background())
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, rec.Values)
	}
	return src.Columns(), rows
}

// text renders a value as comparable text: decimals numerically.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return "<nil>"
	case decimal.Decimal:
		return x.String()
	case json.Number:
		return decimal.RequireFromString(x.String()).String()
	case time.Time:
		return x.UTC().Format(time.RFC3339)
	case string:
		if ts, err := time.Parse(time.RFC3339, x); err == nil {
			return ts.UTC().Format(time.RFC3339)
		}
	}
	return fmt.Sprint(v)
}

func export(t *testing.T, entity, table string) ([]pipeline.Column, [][]any, *pipeline.Result) {
	t.Helper()
	dir := t.TempDir()
	res, err := runJob(t, dir, fmt.Sprintf("source: {type: inventora, entity: %s, table: %s, sandbox: never}\nsink: {type: parquet, path: out.parquet}\n", entity, table))
	if err != nil {
		t.Fatalf("%s/%s: %v", entity, table, err)
	}
	cols, rows := readBack(t, filepath.Join(dir, "out.parquet"))
	return cols, rows, res
}

func index(cols []pipeline.Column) map[string]int {
	m := map[string]int{}
	for i, c := range cols {
		m[c.Name] = i
	}
	return m
}

func TestExportsEqualTheEmulator(t *testing.T) {
	srv := serve(t, sandbox.Options{Seed: &sandbox.Seed{Products: 1200, Materials: 30, Tasks: 4}})
	snap := map[string][]map[string]any{}
	for _, k := range []string{"products", "materials", "locations", "tasks"} {
		snap[k] = srv.Snapshot(k)
	}

	// products/items: one row per product, every field the API's.
	cols, rows, res := export(t, "products", "items")
	c := index(cols)
	if len(rows) != 1200 || res.RowsRead != 1200 {
		t.Fatalf("products: %d rows", len(rows))
	}
	if typ := cols[c["retail_price"]]; typ.Type != pipeline.TypeDecimal || typ.Precision != 18 || typ.Scale != 4 {
		t.Errorf("retail_price column %+v, want DECIMAL(18,4)", typ)
	}
	byID := map[string][]any{}
	for _, r := range rows {
		byID[r[c["id"]].(string)] = r
	}
	fields := map[string]string{"name": "name", "sku": "sku", "stock_level": "stockLevel", "unit_type": "unitType",
		"unit_price": "unitPrice", "min_level": "minLevel", "notes": "notes", "retail_price": "retailPrice",
		"wholesale_price": "wholesalePrice", "ean": "ean", "minimum_quantity": "minimumQuantity", "production_type": "productionType"}
	for _, p := range snap["products"] {
		r, ok := byID[p["id"].(string)]
		if !ok {
			t.Fatalf("product %v missing", p["id"])
		}
		for col, key := range fields {
			if g, w := text(r[c[col]]), text(p[key]); g != w {
				t.Errorf("product %v %s = %s, want %s", p["id"], col, g, w)
			}
		}
	}
	if got := srv.Stats().Requests["GET /products"]; got != 2 {
		t.Errorf("1200 products took %d list requests, want ceil(1200/1000) = 2", got)
	}

	// products/stock: one row per product × location of locationStockLevels.
	cols, rows, _ = export(t, "products", "stock")
	c = index(cols)
	if got := []string{cols[0].Name, cols[1].Name, cols[2].Name, cols[3].Name}; !slices.Equal(got, []string{"product_id", "sku", "location", "quantity"}) {
		t.Errorf("stock columns start %v", got)
	}
	want := map[string]string{}
	for _, p := range snap["products"] {
		for loc, q := range p["locationStockLevels"].(map[string]any) {
			want[p["id"].(string)+"@"+loc] = text(q)
		}
	}
	if len(rows) != len(want) {
		t.Errorf("stock: %d rows, want %d", len(rows), len(want))
	}
	for _, r := range rows {
		k := r[c["product_id"]].(string) + "@" + r[c["location"]].(string)
		if text(r[c["quantity"]]) != want[k] {
			t.Errorf("stock %s = %s, want %s", k, text(r[c["quantity"]]), want[k])
		}
		if r[c["location"]] == "Main Warehouse" && r[c["location_id"]] != "loc_789" {
			t.Errorf("stock %s: location_id %v, want loc_789", k, r[c["location_id"]])
		}
	}

	// products/materials: the bill of materials.
	cols, rows, _ = export(t, "products", "materials")
	c = index(cols)
	n := 0
	for _, p := range snap["products"] {
		n += len(p["materials"].([]any))
	}
	if len(rows) != n || cols[0].Name != "product_id" || cols[1].Name != "material_id" || cols[2].Name != "quantity_used" {
		t.Errorf("materials: %d rows (want %d), columns %v", len(rows), n, cols[:3])
	}

	// materials, locations, tasks and task items.
	for _, tc := range []struct {
		entity, table string
		want          int
	}{
		{"materials", "items", len(snap["materials"])},
		{"locations", "items", len(snap["locations"])},
		{"tasks", "tasks", len(snap["tasks"])},
		{"tasks", "items", len(snap["tasks"])},
		{"tasks", "batches", 1},
	} {
		_, rows, _ := export(t, tc.entity, tc.table)
		if len(rows) != tc.want {
			t.Errorf("%s/%s: %d rows, want %d", tc.entity, tc.table, len(rows), tc.want)
		}
	}
	if srv.Stats().QueryKey != 0 {
		t.Error("the source sent the key as a query parameter")
	}
	duckdbCheck(t, t.TempDir(), srv)
}

func TestUnstableOrderExportsEveryProductOnce(t *testing.T) {
	serve(t, sandbox.Options{Seed: &sandbox.Seed{Products: 2600}, UnstableOrder: 30, RandSeed: 11})
	cols, rows, res := export(t, "products", "items")
	c := index(cols)
	seen := map[string]int{}
	for _, r := range rows {
		seen[r[c["id"]].(string)]++
	}
	if len(seen) != 2600 || len(rows) != 2600 {
		t.Fatalf("%d rows, %d distinct products; want 2600 each", len(rows), len(seen))
	}
	notes := strings.Join(res.Components["source"].Notes, "\n")
	if !strings.Contains(notes, "moved while paging") {
		t.Errorf("the report does not say the list was re-read: %q", notes)
	}
}

func TestInconsistentListWritesNoFile(t *testing.T) {
	// Someone deletes tasks while the export pages through them.
	serve(t, sandbox.Options{Seed: &sandbox.Seed{Products: 2500, Tasks: 2500}, TaskChurn: 1})
	dir := t.TempDir()
	_, err := runJob(t, dir, "source: {type: inventora, entity: tasks, sandbox: never}\nsink: {type: parquet, path: out.parquet}\n")
	if err == nil || !strings.Contains(err.Error(), "changed while it was read") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "out.parquet")); !os.IsNotExist(err) {
		t.Errorf("a file was written: %v", err)
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		yaml, want string
	}{
		{"entity: prodcts", `entity "prodcts" is not one of`},
		{"entity: products\ntable: stok", `table "stok" is not a table of products`},
		{"entity: products\nstatus: done", "status applies to tasks only"},
		{"entity: tasks\nstatus: finished", `status "finished" is not one of`},
		{"entity: tasks\nsandbox: sometimes", `sandbox "sometimes"`},
	} {
		dir := t.TempDir()
		path := filepath.Join(dir, "job.yaml")
		body := "source:\n  type: inventora\n  " + strings.ReplaceAll(tc.yaml, "\n", "\n  ") + "\nsink: {type: csv, path: out.csv}\n"
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := jobfile.Load(path, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "job.yaml:") {
			t.Errorf("%q: err = %v, want %q with a position", tc.yaml, err, tc.want)
		}
	}
}

// duckdbCheck exports products and stock to dir and reads them with
// DuckDB (scripts/duckdb-check.mjs) when node and @duckdb/node-api are
// installed: the row counts and the DECIMAL(18,4) columns DuckDB sees.
func duckdbCheck(t *testing.T, dir string, srv *sandbox.Server) {
	t.Helper()
	node, err := exec.LookPath("node")
	_, file, _, _ := runtime.Caller(0)
	scripts := filepath.Join(filepath.Dir(file), "..", "..", "scripts")
	if err != nil {
		t.Log("DuckDB check skipped: node is not installed")
		return
	}
	if _, err := os.Stat(filepath.Join(scripts, "node_modules", "@duckdb", "node-api")); err != nil {
		t.Log("DuckDB check skipped: @duckdb/node-api is not installed (run npm install in scripts/)")
		return
	}
	for _, table := range []string{"items", "stock"} {
		if _, err := runJob(t, dir, fmt.Sprintf("source: {type: inventora, entity: products, table: %s, sandbox: never}\nsink: {type: parquet, path: %s.parquet}\n", table, table)); err != nil {
			t.Fatal(err)
		}
	}
	out, err := exec.Command(node, filepath.Join(scripts, "duckdb-check.mjs"), "--json", dir).Output()
	if err != nil {
		t.Fatalf("duckdb-check: %v", err)
	}
	var doc struct {
		Files []struct {
			Path    string
			Rows    int
			Columns []struct{ Name, Type string }
		}
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	for _, f := range doc.Files {
		if strings.HasSuffix(f.Path, "items.parquet") && f.Rows != len(srv.Snapshot("products")) {
			t.Errorf("DuckDB reads %d products", f.Rows)
		}
		for _, c := range f.Columns {
			if (c.Name == "quantity" || c.Name == "retail_price") && c.Type != "DECIMAL(18,4)" {
				t.Errorf("DuckDB sees %s as %s", c.Name, c.Type)
			}
		}
	}
}
