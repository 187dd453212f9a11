package inflowsrc

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/etl-dev/etl/serials"
)

// repoRoot is the repository's root directory.
func repoRoot(t testing.TB) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

var exampleJobs = []string{
	"export-inventory-snapshot", "export-sales-orders", "export-sales-order-lines",
	"export-serials", "export-serial-history", "export-products-incremental",
}

// The example jobs run as they stand on a fresh clone: without
// INFLOW_API_KEY they read the built-in emulator. They are copied to a
// temporary jobs/ so that their ../out lands there.
func TestExampleJobsRun(t *testing.T) {
	t.Setenv("INFLOW_API_KEY", "")
	t.Setenv("INFLOW_RATE_PER_MINUTE", "100000")
	root := t.TempDir()
	jobs := filepath.Join(root, "jobs")
	if err := os.MkdirAll(jobs, 0o755); err != nil {
		t.Fatal(err)
	}
	state := newMemState()
	for _, name := range exampleJobs {
		data, err := os.ReadFile(filepath.Join(repoRoot(t), "jobs", name+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		res := mustRun(t, jobs, string(data), runOpts{state: state})
		if res.RowsRead == 0 {
			t.Errorf("%s: no rows", name)
		}
	}
	day := "date=" + time.Now().UTC().Format("2006-01-02")
	for _, want := range []string{"inventory/" + day + "/inventory.parquet", "sales_orders/" + day + "/sales_orders.parquet",
		"sales_order_lines/" + day + "/sales_order_lines.parquet", "serials/" + day + "/serials.parquet",
		"serial_history/" + day + "/serial_history.parquet"} {
		if _, err := os.Stat(filepath.Join(root, "out", "inflow", want)); err != nil {
			t.Errorf("missing output: %v", err)
		}
	}
	if m, _ := filepath.Glob(filepath.Join(root, "out/inflow/products_changes", day, "products-*.parquet")); len(m) != 1 {
		t.Errorf("incremental output: %v", m)
	}
	if _, ok, _ := state.GetState(context.Background(), "export-products-incremental", StateKey); !ok {
		t.Error("the incremental example saved no bookmark")
	}

	// The serial lookup answers from those files: the sample company's
	// speaker serials are on hand at the Main Warehouse.
	ans, err := serials.Find(context.Background(), []string{filepath.Join(root, "out")}, " spk-bt200-1001 ")
	if err != nil {
		t.Fatal(err)
	}
	if cur := ans.Current(); len(cur) != 1 || cur[0].LocationName != "Main Warehouse" || cur[0].Serial != "SPK-BT200-1001" {
		t.Errorf("SPK-BT200-1001: %+v", ans.Places)
	}
	duckdbCheck(t, filepath.Join(root, "out"))
}

// duckdbCheck runs scripts/duckdb-check.mjs over dir when node and the
// npm package @duckdb/node-api are installed (cd scripts && npm install), and
// checks the types DuckDB sees.
func duckdbCheck(t *testing.T, dir string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Log("DuckDB check skipped: node is not installed")
		return
	}
	scripts := filepath.Join(repoRoot(t), "scripts")
	if _, err := os.Stat(filepath.Join(scripts, "node_modules", "@duckdb", "node-api")); err != nil {
		t.Log("DuckDB check skipped: @duckdb/node-api is not installed (run npm install in scripts/)")
		return
	}
	cmd := exec.Command(node, filepath.Join(scripts, "duckdb-check.mjs"), "--json", dir)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("duckdb-check: %v\n%s", err, stderr.String())
	}
	var doc struct {
		Files []struct {
			Path    string
			Rows    int
			Columns []struct{ Name, Type string }
		}
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("duckdb-check output: %v\n%s", err, out)
	}
	if len(doc.Files) < len(exampleJobs) {
		t.Fatalf("DuckDB read %d files", len(doc.Files))
	}
	want := map[string]string{
		"snapshot_at": "TIMESTAMP WITH TIME ZONE", "order_date": "TIMESTAMP WITH TIME ZONE",
		"quantity_on_hand": "DECIMAL(18,5)", "unit_price": "DECIMAL(18,5)", "total": "DECIMAL(18,5)",
		"is_cancelled": "BOOLEAN", "on_hand": "BOOLEAN", "line_number": "BIGINT", "product_id": "VARCHAR",
	}
	seen := 0
	for _, f := range doc.Files {
		for _, c := range f.Columns {
			if w, ok := want[c.Name]; ok {
				seen++
				if c.Type != w {
					t.Errorf("%s: DuckDB reads %s as %s, want %s", f.Path, c.Name, c.Type, w)
				}
			}
		}
	}
	if seen < len(want) {
		t.Errorf("only %d typed columns checked", seen)
	}
	t.Logf("DuckDB read %d files", len(doc.Files))
}

// serial find answers from the exports of the generated company: a sold
// serial is on its sales order and not on hand, a transferred one is at
// its destination, a received one at the receiving location.
func TestSerialFindFromExports(t *testing.T) {
	c := newCompany(t, 110)
	dir := t.TempDir()
	mustRun(t, dir, "source: {type: inflow, entity: products, table: serials}\nsink: {type: parquet, path: out/serials/day1.parquet}\n", runOpts{})
	mustRun(t, dir, "source: {type: inflow, entity: products, table: serial_history}\nsink: {type: parquet, path: out/history/h.parquet}\n", runOpts{})
	mustRun(t, dir, "source: {type: inflow, entity: products}\nsink: {type: parquet, path: out/products.parquet}\n", runOpts{})
	calls := c.srv.Stats().Total
	out := filepath.Join(dir, "out")

	for sn, orders := range c.soOf {
		ans, err := serials.Find(context.Background(), []string{out}, strings.ToLower(sn))
		if err != nil {
			t.Fatal(err)
		}
		if len(ans.Current()) != 0 {
			t.Errorf("%s: sold but on hand at %+v", sn, ans.Current())
		}
		var got []string
		for _, m := range ans.Movements {
			if m.DocumentType == DocSalesOrder && m.LineType == "line" {
				got = append(got, m.DocumentNumber)
			}
		}
		if strings.Join(got, ",") != strings.Join(orders, ",") {
			t.Errorf("%s: on sales orders %v, want %v", sn, got, orders)
		}
	}
	for sn, where := range c.onHandAt {
		ans, err := serials.Find(context.Background(), []string{out}, sn)
		if err != nil {
			t.Fatal(err)
		}
		cur := ans.Current()
		if len(cur) != 1 || cur[0].LocationID != where[0] || cur[0].Sublocation != where[1] {
			t.Errorf("%s: on hand at %+v, want %v", sn, cur, where)
		}
	}
	ans, err := serials.Find(context.Background(), []string{out}, "SN-PO-1")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := ans.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "PO-T001") || !strings.Contains(b.String(), "on hand at") {
		t.Errorf("text answer:\n%s", b.String())
	}
	if ans, _ := serials.Find(context.Background(), []string{out}, "NO-SUCH-SERIAL"); ans == nil || ans.Found() {
		t.Errorf("unknown serial found: %+v", ans)
	}
	if c.srv.Stats().Total != calls {
		t.Error("serial find called the API")
	}
}
