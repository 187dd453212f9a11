package goflowsink

import (
	"fmt"
	"strings"
	"testing"

	"github.com/etl-dev/etl/goflow/sandbox"
)

// stockSheet sets n stocked products at Main Warehouse.
func stockSheet(tn *tenant, n int) string {
	var b strings.Builder
	b.WriteString("SKU,Warehouse,Qty\n")
	k := 0
	for _, p := range tn.srv.Records("products") {
		if p["type"] == "group" || k == n {
			continue
		}
		k++
		fmt.Fprintf(&b, "%s,Main Warehouse,%d\n", p["item_number"], 1000+k)
	}
	return b.String()
}

// More than 2,000 lines at one warehouse take one adjustment per 2,000,
// and the final stock equals the sheet.
func TestInventoryChunks(t *testing.T) {
	t.Parallel()
	tn := newTenant(t, sandbox.Options{Company: sandbox.Company{Products: 2300, Orders: 10}})
	tn.srv.ResetStats()
	sheet := stockSheet(tn, 2100)
	r := tn.mustRun(t, t.TempDir(), fmt.Sprintf(stockJob, ""), map[string]string{"stock.csv": sheet}, runOpts{})
	if c := counts(r.res); c["updated"] != 2100 {
		t.Fatalf("outcomes %v", c)
	}
	st := tn.srv.Stats()
	if st.Requests["POST /v1/inventory/adjustments"] != 2 || st.Requests["GET /v1/products"] != 23 {
		t.Fatalf("requests %v", st.Requests)
	}
	for _, a := range tn.srv.Records("adjustments") {
		if n := len(a["lines"].([]any)); n > 2000 {
			t.Fatalf("an adjustment of %d lines", n)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(sheet), "\n")[1:] {
		f := strings.Split(line, ",")
		if q, _ := tn.srv.OnHand(f[0], f[1]); q.String() != f[2] {
			t.Fatalf("%s: %s, want %s", f[0], q, f[2])
		}
	}
}

// BenchmarkFiveThousandProductStock gives the figure of docs/goflow.md: a
// stock update of 5,000 products at one warehouse, at Goflow's documented
// limits, in a catalog of 5,300 products (page size 100 assumed): the
// requests made and their time at the limits on the virtual clock.
//
//	go test -run '^$' -bench FiveThousandProductStock -benchtime 1x ./sinks/goflow
func BenchmarkFiveThousandProductStock(b *testing.B) {
	for range b.N {
		tn := newTenant(b, sandbox.Options{PageSize: 100, Company: sandbox.Company{Products: 5300, Orders: 10}})
		tn.env["GOFLOW_RATE_MULTIPLIER"] = "1"
		sheet := stockSheet(tn, 5000)
		tn.srv.ResetStats()
		start := tn.clock.Now()
		r := tn.mustRun(b, b.TempDir(), fmt.Sprintf(stockJob, ""), map[string]string{"stock.csv": sheet}, runOpts{})
		elapsed := tn.clock.Now().Sub(start)
		st := tn.srv.Stats()
		if c := counts(r.res); c["updated"] != 5000 || st.TooMany != 0 {
			b.Fatalf("outcomes %v, %d 429s", c, st.TooMany)
		}
		b.ReportMetric(float64(st.Total()), "requests")
		b.ReportMetric(float64(st.Requests["POST /v1/inventory/adjustments"]), "adjustments")
		b.ReportMetric(elapsed.Seconds(), "s_at_limits")
	}
}
