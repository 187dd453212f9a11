package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

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
	srv, err := inventora.Start(inventora.Options{Seed: &inventora.Seed{Products: n, Materials: 4}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
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
	env := []string{"INVENTORA_BASE_URL=" + srv.URL(), "INVENTORA_API_KEY=" + srv.APIKey(),
		"INVENTORA_RATE_PER_MINUTE=1200", "ETL_JOURNAL=" + filepath.Join(dir, "journal.db")}
	posts := func() int { return srv.Stats().Requests["POST /products/{id}/stock-level-updates"] }

	cmd := etlCommand(t, dir, env, "run", "job.yaml", "-q")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for posts() < n/3 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the job never got a third of the way")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	var exitErr *exec.ExitError
	if err := cmd.Wait(); !errors.As(err, &exitErr) {
		t.Fatalf("killed etl: %v", err)
	}
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
