package goflowsrc

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/etl-dev/etl/goflow/sandbox"
	"github.com/etl-dev/etl/pipeline"
)

// Columns returns the columns of an entity's table ("" for the default).
func Columns(entity, name string) ([]pipeline.Column, error) {
	t, err := lookupTable(entity, name)
	if err != nil {
		return nil, err
	}
	return append([]pipeline.Column(nil), t.columns...), nil
}

// Paths returns the JSON paths the columns of a table read (in the
// entity, or "parent." + a path in the parent of a line), "" for computed
// columns.
func Paths(entity, name string) ([]string, error) {
	t, err := lookupTable(entity, name)
	if err != nil {
		return nil, err
	}
	return append([]string(nil), t.paths...), nil
}

// resource names the emulator's collection behind an entity.
var resource = map[string]string{"orders": "orders", "purchase-orders": "purchase-orders", "receipts": "receipts",
	"adjustments": "adjustments", "transfers": "transfers", "products": "products", "warehouses": "warehouses",
	"vendors": "vendors", "stores": "stores", "listings": "listings"}

var listRoute = map[string]string{"orders": "GET /v1/orders", "purchase-orders": "GET /v1/purchasing/purchase-orders",
	"receipts": "GET /v1/purchasing/receipts", "adjustments": "GET /v1/inventory/adjustments", "transfers": "GET /v1/transfers",
	"products": "GET /v1/products", "warehouses": "GET /v1/warehouses", "vendors": "GET /v1/vendors", "stores": "GET /v1/stores",
	"listings": "GET /v1/listings"}

// Every header and line table read back from Parquet equals the
// emulator's records field by field, and costs ceil(N / page size) list
// requests.
func TestExportsEqualTheEmulator(t *testing.T) {
	t.Parallel()
	const pageSize = 7
	tn := newTenant(t, sandbox.Options{PageSize: pageSize})
	for _, entity := range Entities() {
		if entity == "inventory" {
			continue
		}
		for _, name := range Tables(entity) {
			if name == "line_charges" {
				continue
			}
			t.Run(entity+"/"+name, func(t *testing.T) {
				raw := tn.srv.Records(resource[entity])
				before := tn.srv.Stats().Requests[listRoute[entity]]
				dir := t.TempDir()
				tn.mustRun(t, dir, fmt.Sprintf("source: {type: goflow, entity: %s, table: %s}\nsink: {type: parquet, path: out.parquet}\n", entity, name), nil)
				if got, want := tn.srv.Stats().Requests[listRoute[entity]]-before, (len(raw)+pageSize-1)/pageSize; got != want {
					t.Errorf("%d list requests for %d records, want %d", got, len(raw), want)
				}
				pq := readParquet(t, filepath.Join(dir, "out.parquet"))
				paths, _ := Paths(entity, name)
				cols, _ := Columns(entity, name)
				if len(pq.cols) != len(cols) {
					t.Fatalf("%d columns, want %d", len(pq.cols), len(cols))
				}
				var want [][]any
				for _, r := range raw {
					if name == "lines" || name == "boxes" {
						lines, _ := lookup(r, map[string]string{"lines": "lines", "boxes": "shipment.boxes"}[name]).([]any)
						for i, l := range lines {
							want = append(want, expected(paths, r, l.(map[string]any), i+1))
						}
						continue
					}
					want = append(want, expected(paths, r, r, 0))
				}
				if len(pq.rows) != len(want) || len(want) == 0 {
					t.Fatalf("%d rows, want %d", len(pq.rows), len(want))
				}
				for i, row := range pq.rows {
					for j, c := range pq.cols {
						if !same(row[j], want[i][j]) {
							t.Fatalf("row %d column %s (%s): got %v (%T), want %v", i+1, c.Name, paths[j], row[j], row[j], want[i][j])
						}
					}
				}
			})
		}
	}
}

// expected reads the values a row should hold from the raw parent and
// item.
func expected(paths []string, parent, item map[string]any, n int) []any {
	out := make([]any, len(paths))
	for j, p := range paths {
		switch {
		case p == "":
			out[j] = int64(n) // line_number
		case strings.HasPrefix(p, "parent."):
			out[j] = lookup(parent, strings.TrimPrefix(p, "parent."))
		default:
			out[j] = lookup(item, p)
		}
	}
	return out
}

// Order lines of an unmapped listing are kept with null product columns;
// line charges hold one row per charge, tax and cost.
func TestOrderLinesAndCharges(t *testing.T) {
	t.Parallel()
	tn := newTenant(t, sandbox.Options{PageSize: 50})
	dir := t.TempDir()
	tn.mustRun(t, dir, "source: {type: goflow, entity: orders, table: lines}\nsink: {type: parquet, path: lines.parquet}\n", nil)
	tn.mustRun(t, dir, "source: {type: goflow, entity: orders, table: line_charges}\nsink: {type: parquet, path: charges.parquet}\n", nil)
	lines := readParquet(t, filepath.Join(dir, "lines.parquet"))
	nulls := 0
	for _, r := range lines.rows {
		if r[lines.col("product_id")] == nil {
			nulls++
			if r[lines.col("listing_sku")] == nil || r[lines.col("order_id")] == nil {
				t.Errorf("unmapped line without listing or order: %v", r)
			}
		}
	}
	if nulls == 0 {
		t.Error("no line of an unmapped listing")
	}
	charges := readParquet(t, filepath.Join(dir, "charges.parquet"))
	want := 0
	kinds := map[string]int{}
	for _, o := range tn.srv.Records("orders") {
		for _, l := range o["lines"].([]any) {
			m := l.(map[string]any)
			for _, k := range []string{"charges", "taxes", "costs"} {
				want += len(m[k].([]any))
			}
		}
	}
	for _, r := range charges.rows {
		kinds[r[charges.col("kind")].(string)]++
	}
	if len(charges.rows) != want || kinds["charge"] == 0 || kinds["tax"] == 0 || kinds["cost"] == 0 {
		t.Errorf("%d charge rows (%v), want %d", len(charges.rows), kinds, want)
	}
	names := []string{}
	for _, c := range charges.cols {
		names = append(names, c.Name)
	}
	if strings.Join(names, ",") != "order_id,order_number,line_id,kind,type,amount,currency_code" {
		t.Errorf("line_charges columns %v", names)
	}
	if c := charges.cols[charges.col("amount")]; c.Type != pipeline.TypeDecimal {
		t.Errorf("amount is %v", c.Type)
	}
}
