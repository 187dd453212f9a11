package main

import (
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/etl-dev/etl/inflow/sandbox"
)

// etlCommand returns a command that runs this test binary as etl (through
// the "etl" command testscript.Main registers), in dir, with env added.
func etlCommand(t *testing.T, dir string, env []string, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "etl")
	if err := os.Symlink(exe, link); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(link, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

// writeCatalog writes a clean catalog of n products and a job that
// onboards it into the inFlow account the environment names.
func writeCatalog(t *testing.T, dir string, n int) {
	t.Helper()
	var b strings.Builder
	b.WriteString("SKU,Name,Price,Category\n")
	for i := range n {
		fmt.Fprintf(&b, "KILL-%04d,Crash Test Tee %04d,%d.99,Clothing > Tshirts\n", i, i, 10+i%40)
	}
	job := `source: {type: csv, path: catalog.csv}
mapping:
  sku: SKU
  name: Name
  price: {from: Price, type: decimal, scale: 2}
  category: Category
sink:
  type: inflow
  entity: products
  sandbox: never
  concurrency: 2
`
	for name, data := range map[string]string{"catalog.csv": b.String(), "job.yaml": job} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

type productView struct{ sku, name, price string }

func products(srv *sandbox.Server) []productView {
	var out []productView
	for _, p := range srv.All("products") {
		sku, _ := p["sku"].(string)
		if !strings.HasPrefix(sku, "KILL-") {
			continue
		}
		name, _ := p["name"].(string)
		var price string
		if prices, ok := p["prices"].([]any); ok && len(prices) > 0 {
			if first, ok := prices[0].(map[string]any); ok {
				price = fmt.Sprint(first["unitPrice"])
			}
		}
		out = append(out, productView{sku, name, price})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].sku < out[j].sku })
	return out
}

// TestKillAndResume kills etl (SIGKILL) in the middle of an import, resumes
// it, and compares the emulator with one that got a clean run: the same
// products, none twice.
func TestKillAndResume(t *testing.T) {
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
	writeCatalog(t, cleanDir, n)
	if out, err := run(clean.URL(), clean, cleanDir, "run", "job.yaml", "-q").CombinedOutput(); err != nil {
		t.Fatalf("clean run: %v\n%s", err, out)
	}
	want := products(clean)
	if len(want) != n {
		t.Fatalf("clean run made %d products, want %d", len(want), n)
	}

	// The run is killed while its n/3-th product write is held at a gate.
	srv, err := sandbox.New(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := newGate(srv.Handler(), n/3, productPuts)
	front := httptest.NewServer(g)
	defer front.Close()
	defer g.release()
	dir := t.TempDir()
	writeCatalog(t, dir, n)
	killAtGate(t, run(front.URL, srv, dir, "run", "job.yaml", "-q"), g)
	puts := srv.Stats().ByRoute["PUT /products"]
	if got := len(products(srv)); got == 0 || got >= n {
		t.Fatalf("after the kill the emulator has %d products: the kill did not land mid-run", got)
	}

	out, err := run(front.URL, srv, dir, "run", "job.yaml", "--resume", "-q").CombinedOutput()
	if err != nil {
		t.Fatalf("resume: %v\n%s", err, out)
	}
	got := products(srv)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after resume:\n%v\nwant (as a clean run):\n%v", got, want)
	}
	if total := srv.Stats().ByRoute["PUT /products"]; total > n+2*2 {
		// Resuming resends at most the writes in flight at the kill
		// (concurrency 2), never the confirmed ones.
		t.Errorf("%d product PUTs in all (%d before the kill) for %d products", total, puts, n)
	}
	runs, err := etlCommand(t, dir, []string{"ETL_JOURNAL=" + filepath.Join(dir, "journal.db")}, "runs").Output()
	if err != nil || !strings.Contains(string(runs), "succeeded (resumed 1×)") {
		t.Errorf("etl runs after the resume: %v\n%s", err, runs)
	}
}
