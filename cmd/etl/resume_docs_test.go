package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/etl-dev/etl/inflow/sandbox"
)

// writeOrders writes n sales orders of two lines each, the lines of an
// order apart in the file, and a job that loads them.
func writeOrders(t *testing.T, dir string, n int) {
	t.Helper()
	var b strings.Builder
	b.WriteString("Order,Customer,SKU,Qty,Price\n")
	for _, sku := range []string{"TS-CRW-BLK-M", "GN-TOTE-NAT"} {
		for i := range n {
			fmt.Fprintf(&b, "KILL-SO-%04d,Blue Harbor Boutique,%s,%d,9.50\n", i, sku, 1+i%5)
		}
	}
	job := `source: {type: csv, path: orders.csv}
mapping:
  order_number: Order
  customer: Customer
  sku: SKU
  quantity: {from: Qty, type: decimal}
  unit_price: {from: Price, type: decimal}
sink:
  type: inflow
  entity: sales-orders
  sandbox: never
  concurrency: 2
`
	for name, data := range map[string]string{"orders.csv": b.String(), "job.yaml": job} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// orderViews lists the test's orders as number and lines, sorted.
func orderViews(srv *sandbox.Server) []string {
	var out []string
	for _, o := range srv.All("sales-orders") {
		n, _ := o["orderNumber"].(string)
		if !strings.HasPrefix(n, "KILL-SO-") {
			continue
		}
		var ls []string
		arr, _ := o["lines"].([]any)
		for _, l := range arr {
			m := l.(map[string]any)
			q, _ := m["quantity"].(map[string]any)
			ls = append(ls, fmt.Sprintf("%v×%v", m["productId"], q["standardQuantity"]))
		}
		out = append(out, n+" "+strings.Join(ls, " "))
	}
	sort.Strings(out)
	return out
}

// TestKillAndResumeSalesOrders kills etl (SIGKILL) while it writes sales
// orders, resumes, and compares with a clean run: the same orders and
// lines, no order twice.
func TestKillAndResumeSalesOrders(t *testing.T) {
	if testing.Short() {
		t.Skip("starts etl twice against an emulator")
	}
	t.Parallel()
	const n = 150
	run := func(base string, srv *sandbox.Server, dir string, args ...string) *exec.Cmd {
		return etlCommand(t, dir, []string{
			"INFLOW_BASE_URL=" + base, "INFLOW_COMPANY_ID=" + srv.CompanyID(), "INFLOW_API_KEY=" + srv.APIKey(),
			"INFLOW_RATE_PER_MINUTE=6000", "ETL_JOURNAL=" + filepath.Join(dir, "journal.db"),
		}, args...)
	}
	clean, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer clean.Close()
	cleanDir := t.TempDir()
	writeOrders(t, cleanDir, n)
	if out, err := run(clean.URL(), clean, cleanDir, "run", "job.yaml", "-q").CombinedOutput(); err != nil {
		t.Fatalf("clean run: %v\n%s", err, out)
	}
	want := orderViews(clean)
	if len(want) != n {
		t.Fatalf("clean run made %d orders, want %d", len(want), n)
	}

	// The run is killed while its n/3-th order write is held at a gate.
	srv, err := sandbox.New(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := newGate(srv.Handler(), n/3, writesTo(http.MethodPut, "/sales-orders"))
	front := httptest.NewServer(g)
	defer front.Close()
	defer g.release()
	dir := t.TempDir()
	writeOrders(t, dir, n)
	killAtGate(t, run(front.URL, srv, dir, "run", "job.yaml", "-q"), g)
	if got := len(orderViews(srv)); got == 0 || got >= n {
		t.Fatalf("after the kill the emulator has %d orders: the kill did not land mid-run", got)
	}
	out, err := run(front.URL, srv, dir, "run", "job.yaml", "--resume", "-q").CombinedOutput()
	if err != nil {
		t.Fatalf("resume: %v\n%s", err, out)
	}
	if got := orderViews(srv); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after resume:\n%v\nwant (as a clean run):\n%v", got, want)
	}
	if total := srv.Stats().ByRoute["PUT /sales-orders"]; total > n+2*2 {
		t.Errorf("%d order PUTs in all for %d orders", total, n)
	}
}
