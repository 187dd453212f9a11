package goflowsink

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/etl-dev/etl/goflow/sandbox"
	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/internal/emulator"
)

// state is what the three writing jobs leave in Goflow, as text.
func state(tn *tenant) string {
	var lines []string
	seen := map[string]int{}
	for _, p := range tn.srv.Records("products") {
		seen["product "+p["item_number"].(string)]++
		lines = append(lines, fmt.Sprintf("product %s %v %v %v", p["item_number"], p["details"].(map[string]any)["name"], p["pricing"], p["identifiers"]))
	}
	for _, po := range tn.srv.Records("purchase-orders") {
		seen["po "+po["purchase_order_number"].(string)]++
		var ls []string
		for _, l := range po["lines"].([]any) {
			m := l.(map[string]any)
			ls = append(ls, fmt.Sprint(m["product"].(map[string]any)["item_number"], "x", m["quantity"].(map[string]any)["amount"]))
		}
		lines = append(lines, fmt.Sprintf("po %s %v %v %s", po["purchase_order_number"], po["vendor"].(map[string]any)["name"], po["warehouse"].(map[string]any)["name"], strings.Join(ls, ",")))
	}
	for _, p := range tn.srv.Records("products") {
		for _, w := range tn.srv.Records("warehouses") {
			q, _ := tn.srv.OnHand(p["item_number"].(string), w["name"].(string))
			lines = append(lines, fmt.Sprintf("stock %s %s %s", p["item_number"], w["name"], q))
		}
	}
	for k, n := range seen {
		if n > 1 {
			lines = append(lines, fmt.Sprintf("DUPLICATE %s ×%d", k, n))
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// Faults at 10% each (429s, 5xx, dropped connections, lost replies) give
// the same final state as a clean run, with no duplicate create.
func TestFaultsSameFinalState(t *testing.T) {
	t.Parallel()
	var products, pos, stock, add strings.Builder
	products.WriteString("SKU,Name,Brand,Price,Cost,UPC\n")
	for i := range 30 {
		fmt.Fprintf(&products, "FLT-%03d,Fault item %d,Acme,%d.99,,\n", i, i, 10+i)
	}
	for i := 1; i <= 8; i++ {
		fmt.Fprintf(&products, "GF-%04d,,,%d.25,,\n", i, 50+i) // pricing patches
	}
	pos.WriteString("PO,Vendor,Warehouse,SKU,Qty,Price\n")
	for i := range 12 {
		for k := range 2 {
			fmt.Fprintf(&pos, "FPO-%02d,Acme Supply Co,Main Warehouse,GF-%04d,%d,3.5\n", i, 1+k+i%5, 1+k)
		}
	}
	stock.WriteString("SKU,Warehouse,Qty\n")
	add.WriteString("SKU,Warehouse,Qty\n")
	for i := 1; i <= 15; i++ {
		fmt.Fprintf(&stock, "GF-%04d,East Coast DC,%d\n", i, 200+i)
		fmt.Fprintf(&add, "GF-%04d,West Coast DC,%d\n", i, i)
	}
	files := map[string]string{"products.csv": products.String(), "po.csv": pos.String(), "stock.csv": stock.String(), "add.csv": add.String()}
	addJob := strings.Replace(fmt.Sprintf(stockJob, ", mode: add"), "stock.csv", "add.csv", 1)
	run := func(tn *tenant) {
		dir := t.TempDir()
		o := runOpts{retry: apikit.RetryPolicy{MaxRetries: 12}}
		for i, job := range []string{productsJob, poJob, fmt.Sprintf(stockJob, ""), addJob} {
			var fs map[string]string
			if i == 0 {
				fs = files
			}
			r := tn.mustRun(t, dir, job, fs, o)
			if n := r.res.Count(4) + r.res.Count(6); n > 0 { // skipped, unknown
				t.Fatalf("job %d: outcomes %v %v", i, counts(r.res), r.res.Problems)
			}
			if r.res.Count(5) > 0 {
				t.Fatalf("job %d: rejected %v", i, r.res.Problems)
			}
		}
	}
	clean := newTenant(t, sandbox.Options{PageSize: 20})
	run(clean)
	faulty := newTenant(t, sandbox.Options{PageSize: 20, ConflictRate: 0.1,
		Faults: emulator.Faults{ErrorRate: 0.1, DropRate: 0.1, TooManyRate: 0.1, LostReplyRate: 0.1, Seed: 14}})
	run(faulty)
	want, got := state(clean), state(faulty)
	if strings.Contains(got, "DUPLICATE") || got != want {
		t.Fatalf("final state differs:\n%s", diff(want, got))
	}
	st := faulty.srv.Stats()
	if st.Faulted < 10 || st.Conflicts == 0 {
		t.Errorf("few faults: %+v", st)
	}
	t.Logf("faults: %d injected, %d conflicts, %d requests", st.Faulted, st.Conflicts, st.Total())
}

func diff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for i := 0; i < max(len(al), len(bl)); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			out = append(out, "- "+x, "+ "+y)
		}
		if len(out) > 20 {
			break
		}
	}
	return strings.Join(out, "\n")
}
