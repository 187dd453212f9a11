package goflowsink

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/goflow/sandbox"
	"github.com/etl-dev/etl/pipeline"
)

const stockJob = `name: stock
source: {type: csv, path: stock.csv}
mapping:
  item_number: SKU
  warehouse: Warehouse
  quantity: {from: Qty, type: decimal}
sink: {type: goflow, entity: inventory%s}
`

// stockFile sets products 1..n at two warehouses; the first row of each
// warehouse keeps the stock it has.
func stockFile(t *testing.T, tn *tenant, n int) (string, map[[2]string]string) {
	var b strings.Builder
	b.WriteString("SKU,Warehouse,Qty\n")
	want := map[[2]string]string{}
	for _, wh := range []string{"Main Warehouse", "East Coast DC"} {
		for i := 1; i <= n; i++ {
			item := fmt.Sprintf("GF-%04d", i)
			if i%20 == 0 {
				continue // groups
			}
			q := fmt.Sprint(100 + i)
			if i == 1 {
				cur, _ := tn.srv.OnHand(item, wh)
				q = cur.String()
			}
			fmt.Fprintf(&b, "%s,%s,%s\n", item, wh, q)
			want[[2]string{item, wh}] = q
		}
	}
	return b.String(), want
}

// The final stock equals the file; bad names are rejected before any
// write, naming the closest; a re-run writes nothing.
func TestInventorySet(t *testing.T) {
	t.Parallel()
	tn := newTenant(t, sandbox.Options{PageSize: 10})
	file, want := stockFile(t, tn, 18)
	file += "GF-9999,Main Warehouse,5\nGF-0020,Main Warehouse,5\nGF-0002,Main Warehous,5\nGF-0003,Main Warehouse,-1\nGF-0004,Main Warehouse,7\n"
	dir := t.TempDir()
	tn.srv.ResetStats()
	r := tn.mustRun(t, dir, fmt.Sprintf(stockJob, ""), map[string]string{"stock.csv": file}, runOpts{})
	c := counts(r.res)
	if c["updated"] != int64(len(want)-2) || c["unchanged"] != 2 || c["rejected"] != 5 {
		t.Fatalf("outcomes %v", c)
	}
	for k, q := range want {
		got, _ := tn.srv.OnHand(k[0], k[1])
		if got.String() != q {
			t.Errorf("%s at %s: %s, want %s", k[0], k[1], got, q)
		}
	}
	msgs := ""
	for _, p := range r.res.Problems {
		msgs += p.Error() + "\n"
	}
	for _, w := range []string{`no product with item number "GF-9999"`, `group product`, `no warehouse named "Main Warehous" (did you mean "Main Warehouse"?)`, `negative`, `already on row`} {
		if !strings.Contains(msgs, w) {
			t.Errorf("no problem saying %q in:\n%s", w, msgs)
		}
	}
	st := tn.srv.Stats()
	// 40 products at 10 a page, one page of warehouses, one absolute
	// adjustment per warehouse and its read-back.
	if st.Requests["GET /v1/products"] != 4 || st.Requests["GET /v1/warehouses"] != 1 || st.Requests["POST /v1/inventory/adjustments"] != 2 || st.Requests["GET /v1/inventory/adjustments/{id}"] != 2 {
		t.Errorf("requests %v", st.Requests)
	}
	docs := len(tn.srv.Records("adjustments"))

	r2 := tn.mustRun(t, dir, fmt.Sprintf(stockJob, ""), nil, runOpts{})
	if c := counts(r2.res); c["unchanged"] != int64(len(want)) || c["updated"] != 0 {
		t.Fatalf("re-run outcomes %v", c)
	}
	if len(tn.srv.Records("adjustments")) != docs {
		t.Error("the re-run made an adjustment")
	}
}

// Relative adjustments are applied once: a repeated run finds the
// adjustment by its reference and applies nothing.
func TestInventoryAddOnce(t *testing.T) {
	t.Parallel()
	tn := newTenant(t, sandbox.Options{})
	before, _ := tn.srv.OnHand("GF-0005", "West Coast DC")
	file := "SKU,Warehouse,Qty\nGF-0005,West Coast DC,3\nGF-0006,West Coast DC,-2\n"
	dir := t.TempDir()
	job := fmt.Sprintf(stockJob, ", mode: add")
	r := tn.mustRun(t, dir, job, map[string]string{"stock.csv": file}, runOpts{})
	if c := counts(r.res); c["updated"] != 2 {
		t.Fatalf("outcomes %v", c)
	}
	r2 := tn.mustRun(t, dir, job, nil, runOpts{})
	if c := counts(r2.res); c["unchanged"] != 2 {
		t.Fatalf("repeated run %v", c)
	}
	got, _ := tn.srv.OnHand("GF-0005", "West Coast DC")
	if !got.Equal(before.Add(decimal.NewFromInt(3))) {
		t.Fatalf("stock %s, want %s + 3", got, before)
	}
	// A new reference applies the same rows again, on purpose.
	tn.mustRun(t, dir, fmt.Sprintf(stockJob, ", mode: add, reference: again"), nil, runOpts{})
	got, _ = tn.srv.OnHand("GF-0005", "West Coast DC")
	if !got.Equal(before.Add(decimal.NewFromInt(6))) {
		t.Fatalf("stock %s, want %s + 6", got, before)
	}
}

// A dry run reads, plans and sends no write.
func TestInventoryDryRun(t *testing.T) {
	t.Parallel()
	tn := newTenant(t, sandbox.Options{})
	file, _ := stockFile(t, tn, 10)
	tn.srv.ResetStats()
	r := tn.mustRun(t, t.TempDir(), fmt.Sprintf(stockJob, ""), map[string]string{"stock.csv": file}, runOpts{dry: true})
	if w := tn.srv.Stats().Writes; w != 0 {
		t.Fatalf("dry run sent %d writes", w)
	}
	p := r.report.Plan
	if p == nil || p.Writes != 2 || p.Reads != 2 || p.Updates != 20 {
		t.Fatalf("plan %+v", p)
	}
	if p.Duration <= 0 {
		t.Errorf("plan duration %v", p.Duration)
	}
	_ = pipeline.Updated
}
