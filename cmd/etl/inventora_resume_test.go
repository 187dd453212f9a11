package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	inventora "github.com/etl-dev/etl/inventora/sandbox"
)

// TestInventoraAddKilledAndResumed kills etl (SIGKILL) in the middle of an
// Inventora stock: {mode: add} job, resumes it, and checks that every row
// was applied exactly once: the levels are the starting levels plus the
// file's quantities. A repeated run of the same file then sends nothing.
func TestInventoraAddKilledAndResumed(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts etl three times against an emulator")
	}
	const n = 60
	srv, err := inventora.New(inventora.Options{Seed: &inventora.Seed{Products: n, Materials: 4}})
	if err != nil {
		t.Fatal(err)
	}
	// The run is killed while its n/3-th stock-level update is held at a gate.
	g := newGate(srv.Handler(), n/3, writesTo(http.MethodPost, "/stock-level-updates"))
	front := httptest.NewServer(g)
	defer front.Close()
	defer g.release()
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("SKU,Location,Qty\n")
	want := map[string]decimal.Decimal{}
	level := func(p map[string]any, loc string) decimal.Decimal {
		if v, ok := p["locationStockLevels"].(map[string]any)[loc]; ok {
			return decimal.RequireFromString(fmt.Sprint(v))
		}
		return decimal.Zero
	}
	for i, p := range srv.Snapshot("products") {
		q := decimal.NewFromInt(int64(i%7 + 1))
		if i%5 == 4 {
			q = q.Neg()
		}
		fmt.Fprintf(&b, "%s,Main Warehouse,%s\n", p["sku"], q)
		want[p["sku"].(string)] = level(p, "Main Warehouse").Add(q)
	}
	job := `name: inventora-add
source: {type: csv, path: delivery.csv}
mapping:
  sku: SKU
  location: Location
  quantity: {from: Qty, type: decimal}
sink:
  type: inventora
  entity: products
  sandbox: never
  stock: {mode: add}
`
	for name, data := range map[string]string{"delivery.csv": b.String(), "job.yaml": job} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{"INVENTORA_BASE_URL=" + front.URL, "INVENTORA_API_KEY=" + srv.APIKey(),
		"INVENTORA_RATE_PER_MINUTE=1200", "ETL_JOURNAL=" + filepath.Join(dir, "journal.db")}
	posts := func() int { return srv.Stats().Requests["POST /products/{id}/stock-level-updates"] }

	killAtGate(t, etlCommand(t, dir, env, "run", "job.yaml", "-q"), g)
	if got := posts(); got >= n {
		t.Fatalf("the kill landed after every row (%d updates)", got)
	}

	if out, err := etlCommand(t, dir, env, "run", "job.yaml", "--resume", "-q").CombinedOutput(); err != nil {
		t.Fatalf("resume: %v\n%s", err, out)
	}
	check := func(when string) {
		for _, p := range srv.Snapshot("products") {
			if got, w := level(p, "Main Warehouse"), want[p["sku"].(string)]; !got.Equal(w) {
				t.Errorf("%s: %s at Main Warehouse = %s, want %s (each row once)", when, p["sku"], got, w)
			}
		}
	}
	check("after the resume")
	if total := posts(); total > n+1 {
		t.Errorf("%d stock updates for %d rows", total, n)
	}

	before := srv.Stats().Writes
	if out, err := etlCommand(t, dir, env, "run", "job.yaml", "-q").CombinedOutput(); err != nil {
		t.Fatalf("repeated run: %v\n%s", err, out)
	}
	if got := srv.Stats().Writes - before; got != 0 {
		t.Errorf("the repeated run sent %d writes", got)
	}
	check("after the repeated run")
}
