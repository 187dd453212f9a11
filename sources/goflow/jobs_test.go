package goflowsrc

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/etl-dev/etl/internal/apikit"
)

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

var exampleJobs = []string{"goflow-orders-nightly", "goflow-orders-full", "goflow-order-lines-nightly",
	"goflow-order-line-charges-nightly", "goflow-inventory-snapshot"}

// The example jobs run as they stand: without GOFLOW_API_TOKEN they read
// the embedded emulator. DuckDB reads every file they write, with the
// types the contract names.
func TestExampleJobsRun(t *testing.T) {
	t.Parallel()
	// No account in the environment: sandbox auto uses the emulator, on
	// the registry's (virtual) clock.
	tn := &tenant{clock: apikit.NewVirtualClock(time.Now().UTC()), env: map[string]string{}}
	root := t.TempDir()
	jobs := filepath.Join(root, "jobs")
	if err := os.MkdirAll(jobs, 0o755); err != nil {
		t.Fatal(err)
	}
	state := newMemState()
	for _, name := range exampleJobs {
		data, err := os.ReadFile(filepath.Join(repoRoot(), "jobs", name+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		r := tn.mustRun(t, jobs, string(data), state)
		if r.res.RowsRead == 0 {
			t.Errorf("%s: no rows", name)
		}
		if !strings.Contains(strings.Join(r.report.Notes, "\n"), "built-in emulator") {
			t.Errorf("%s: no note that the emulator was used: %v", name, r.report.Notes)
		}
	}
	files, _ := filepath.Glob(filepath.Join(root, "out", "goflow", "*", "date=*", "*.parquet"))
	if len(files) != len(exampleJobs) {
		t.Fatalf("outputs %v", files)
	}
	duckdbCheck(t, filepath.Join(root, "out"), map[string]string{
		"summary_total_amount": "DECIMAL(24,8)", "on_hand": "DECIMAL(24,8)", "quantity_amount": "DECIMAL(24,8)", "amount": "DECIMAL(24,8)",
		"status_updated_at": "TIMESTAMP WITH TIME ZONE", "original_order_id": "BIGINT", "order_id": "BIGINT", "product_id": "BIGINT",
		"warehouse_id": "VARCHAR", "line_id": "VARCHAR", "is_gift": "BOOLEAN",
	})
}

// duckdbCheck runs scripts/duckdb-check.mjs over dir when node and
// @duckdb/node-api are installed, and checks the types DuckDB reads.
func duckdbCheck(t *testing.T, dir string, want map[string]string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Log("DuckDB check skipped: node is not installed")
		return
	}
	scripts := filepath.Join(repoRoot(), "scripts")
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
	seen := map[string]bool{}
	for _, f := range doc.Files {
		if f.Rows == 0 {
			t.Errorf("%s: DuckDB read no rows", f.Path)
		}
		for _, c := range f.Columns {
			if w, ok := want[c.Name]; ok {
				seen[c.Name] = true
				if c.Type != w {
					t.Errorf("%s: DuckDB reads %s as %s, want %s", f.Path, c.Name, c.Type, w)
				}
			}
		}
	}
	if len(seen) != len(want) {
		t.Errorf("typed columns seen: %v of %v", seen, want)
	}
	t.Logf("DuckDB read %d files", len(doc.Files))
}
