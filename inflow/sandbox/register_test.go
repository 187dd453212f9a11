package sandbox

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/internal/emulator"
)

// `etl sandbox inflow` builds the emulator through the registry: the key,
// the rate on the injected clock and the faults it is given hold.
func TestRegisteredForEtlSandbox(t *testing.T) {
	t.Parallel()
	spec, ok := emulator.Lookup("inflow")
	if !ok || spec.Env.RatePerMinute != "INFLOW_RATE_PER_MINUTE" || spec.DefaultRatePerMinute != DefaultRatePerMinute {
		t.Fatalf("spec %+v", spec)
	}
	clk := apikit.NewVirtualClock(time.Time{})
	inst, err := spec.New(emulator.Config{Key: "k-1", RatePerMinute: 1, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(inst.Handler())
	t.Cleanup(srv.Close)
	get := func() int {
		req, _ := http.NewRequest("GET", srv.URL+"/"+inst.Account()+"/currencies", nil)
		req.Header.Set("Authorization", "Bearer "+inst.Key())
		req.Header.Set("Accept", "application/json;version="+APIVersion)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := get(); got != 200 {
		t.Fatalf("first request %d", got)
	}
	if got := get(); got != 429 {
		t.Fatalf("second request within the minute %d, want 429", got)
	}
	clk.Advance(time.Minute)
	if got := get(); got != 200 {
		t.Fatalf("after a minute %d", got)
	}
	if _, err := spec.New(emulator.Config{SeedPath: "no/such/seed.json"}); err == nil {
		t.Fatal("a missing seed file was accepted")
	}
	if _, err := spec.New(emulator.Config{Faults: emulator.Faults{ErrorRate: 2}}); err == nil {
		t.Fatal("a bad fault rate was accepted")
	}
}
