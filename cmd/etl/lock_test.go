package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/etl-dev/etl/inflow/sandbox"
)

// writeStockCatalog writes n products with opening stock and a job that
// onboards them with `stock: mode: set`, the mode that two overlapping
// runs used to double (each read on-hand before the other wrote).
func writeStockCatalog(t *testing.T, dir string, n int) map[string]int {
	t.Helper()
	want := map[string]int{}
	var b strings.Builder
	b.WriteString("SKU,Name,Price,Quantity,Location\n")
	for i := range n {
		sku := fmt.Sprintf("LOCK-%03d", i)
		want[sku] = 5 + i%7
		fmt.Fprintf(&b, "%s,Lock Test Tee %03d,%d.50,%d,Main Warehouse\n", sku, i, 10+i%9, want[sku])
	}
	job := `name: lock-stock
source: {type: csv, path: catalog.csv}
mapping:
  sku: SKU
  name: Name
  price: {from: Price, type: decimal, scale: 2}
  quantity: {from: Quantity, type: integer}
  location: Location
sink:
  type: inflow
  entity: products
  sandbox: never
  stock:
    mode: set
    adjustment_reason: Opening balance
`
	for name, data := range map[string]string{"catalog.csv": b.String(), "job.yaml": job} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return want
}

// TestOverlappingRunsRefused starts a second run of a job while the first
// is mid-run: the second refuses at once naming the first, `etl runs`
// shows the first running, and the stock the first sets is not doubled.
func TestOverlappingRunsRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("starts etl three times against an emulator")
	}
	t.Parallel()
	emu, err := sandbox.New(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := newGate(emu.Handler(), 0, productPuts)
	srv := httptest.NewServer(g)
	defer srv.Close()
	defer g.release()

	dir := t.TempDir()
	want := writeStockCatalog(t, dir, 30)
	env := []string{
		"INFLOW_BASE_URL=" + srv.URL, "INFLOW_COMPANY_ID=" + emu.CompanyID(), "INFLOW_API_KEY=" + emu.APIKey(),
		"INFLOW_RATE_PER_MINUTE=100000", "ETL_JOURNAL=" + filepath.Join(dir, "journal.db"),
	}
	first := etlCommand(t, dir, env, "run", "job.yaml", "-q")
	var firstOut strings.Builder
	first.Stdout, first.Stderr = &firstOut, &firstOut
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-g.reached:
	case <-time.After(60 * time.Second):
		first.Process.Kill()
		t.Fatalf("the first run never wrote a product:\n%s", firstOut.String())
	}

	out, err := etlCommand(t, dir, env, "run", "job.yaml", "-q").CombinedOutput()
	if code := exitCode(err); code != exitFailed {
		t.Errorf("second run: exit %d, want %d\n%s", code, exitFailed, out)
	}
	pid := strconv.Itoa(first.Process.Pid)
	for _, s := range []string{"job lock-stock is already running", "run 1,", "pid " + pid} {
		if !strings.Contains(string(out), s) {
			t.Errorf("second run's message lacks %q:\n%s", s, out)
		}
	}
	runs, err := etlCommand(t, dir, env, "runs").CombinedOutput()
	if err != nil || !strings.Contains(string(runs), "running (pid "+pid+" on ") || strings.Count(string(runs), "lock-stock") != 1 {
		t.Errorf("etl runs while the first runs: %v\n%s", err, runs)
	}
	asJSON, err := etlCommand(t, dir, env, "runs", "--json").Output()
	var listed []struct {
		ID             int64
		Status, Holder string
	}
	if err == nil {
		err = json.Unmarshal(asJSON, &listed)
	}
	if err != nil || len(listed) != 1 || listed[0].ID != 1 || listed[0].Status != "running" || !strings.HasPrefix(listed[0].Holder, "pid "+pid+" on ") {
		t.Errorf("etl runs --json while the first runs: %v\n%s", err, asJSON)
	}

	g.release()
	if err := first.Wait(); err != nil {
		t.Fatalf("first run: %v\n%s", err, firstOut.String())
	}
	if got := onHand(t, srv.URL, emu); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("stock after the first run:\n%v\nwant\n%v", got, want)
	}
	// Once it finished, the job runs again: set leaves the stock as it is.
	if out, err := etlCommand(t, dir, env, "run", "job.yaml", "-q").CombinedOutput(); err != nil {
		t.Fatalf("third run: %v\n%s", err, out)
	}
	if got := onHand(t, srv.URL, emu); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("stock after a second run:\n%v\nwant\n%v", got, want)
	}
}

// onHand reads every LOCK- product's total on hand from the emulator, as
// a client would (GET /products/{id}?include=inventoryLines).
func onHand(t *testing.T, base string, emu *sandbox.Server) map[string]int {
	t.Helper()
	got := map[string]int{}
	for _, p := range emu.All("products") {
		sku, _ := p["sku"].(string)
		id, _ := p["productId"].(string)
		if !strings.HasPrefix(sku, "LOCK-") {
			continue
		}
		req, _ := http.NewRequest(http.MethodGet, base+"/"+emu.CompanyID()+"/products/"+id+"?include=inventoryLines", nil)
		req.Header.Set("Authorization", "Bearer "+emu.APIKey())
		req.Header.Set("Accept", "application/json;version=2025-06-24")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var prod struct {
			OnHand json.Number `json:"totalQuantityOnHand"`
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err == nil {
			err = json.Unmarshal(body, &prod)
		}
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("get product %s: %d %v\n%s", sku, resp.StatusCode, err, body)
		}
		n, err := strconv.ParseFloat(prod.OnHand.String(), 64)
		if err != nil {
			t.Fatalf("%s on hand %q", sku, prod.OnHand)
		}
		got[sku] = int(n)
	}
	return got
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(interface{ ExitCode() int }); ok {
		return ee.ExitCode()
	}
	return -1
}
