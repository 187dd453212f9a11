package inflowsink

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/etl-dev/etl/inflow/sandbox"
	"github.com/etl-dev/etl/pipeline"
)

// TestCancelledRunKeepsConfirmedRows cancels an import after inFlow
// answered some writes: those rows stay created, none is rejected for the
// cancellation, and the counts add up (runJob checks that).
func TestCancelledRunKeepsConfirmedRows(t *testing.T) {
	srv := startEmulator(t, sandbox.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var answered atomic.Int64
	withHTTPClient(t, &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err == nil && r.Method == http.MethodPut && resp.StatusCode == http.StatusOK && answered.Add(1) == 12 {
			cancel() // the 12th answer arrives; the run is cancelled right after
		}
		return resp, err
	})})
	path := job(t, genCatalog(t, 60), "mapping:\n  sku: SKU\n  name: Name\n  price: {from: Price, type: decimal}\n",
		"entity: products\nsandbox: never\nconcurrency: 2\n")
	res, _, err := runJob(t, path, runOpts{ctx: ctx, batchSize: 20})
	if err == nil {
		t.Fatal("the cancelled run succeeded")
	}
	made := 0
	for _, p := range srv.All("products") {
		if strings.HasPrefix(p["sku"].(string), "GEN-") {
			made++
		}
	}
	if res.Count(pipeline.Rejected) != 0 {
		t.Errorf("%d rows rejected by the cancellation: %v", res.Count(pipeline.Rejected), res.Problems)
	}
	// Every created row is a product inFlow holds; a product more can
	// only be a row whose answer the cancellation cut off (unknown).
	if c := res.Count(pipeline.Created); c < 12 || int64(made) < c || int64(made) > c+res.Count(pipeline.Unknown) {
		t.Errorf("%d created and %d unknown rows, %d products in inFlow (%v)", c, res.Count(pipeline.Unknown), made, res.CountsByName())
	}
	if res.Count(pipeline.NotProcessed) == 0 {
		t.Errorf("no row was left unprocessed: %v", res.CountsByName())
	}
}
