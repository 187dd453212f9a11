package goflowsrc

import (
	"testing"

	"github.com/etl-dev/etl/goflow/sandbox"
)

// BenchmarkTenThousandOrders gives the figure of docs/goflow.md: an
// export of 10,000 orders at Goflow's documented limits (60 list requests
// a minute) and an assumed page size of 100 (the docs give none). It
// reports the requests made and the time they take at the limits,
// measured on the virtual clock the client's limiter and the emulator's
// limits share:
//
//	go test -run '^$' -bench TenThousandOrders -benchtime 1x ./sources/goflow
func BenchmarkTenThousandOrders(b *testing.B) {
	for range b.N {
		tn := newTenant(b, sandbox.Options{PageSize: 100, Company: sandbox.Company{Orders: 10_000}})
		tn.env["GOFLOW_RATE_MULTIPLIER"] = "1"
		start := tn.clock.Now()
		r := tn.mustRun(b, b.TempDir(), "source: {type: goflow, entity: orders}\nsink: {type: parquet, path: orders.parquet}\n", nil)
		elapsed := tn.clock.Now().Sub(start)
		st := tn.srv.Stats()
		if r.res.RowsRead != 10_000 || st.TooMany != 0 {
			b.Fatalf("%d orders, %d 429s", r.res.RowsRead, st.TooMany)
		}
		b.ReportMetric(float64(st.Requests["GET /v1/orders"]), "requests")
		b.ReportMetric(elapsed.Seconds(), "s_at_limits")
	}
}

// At the documented limits the export keeps within 60 requests a minute
// and never meets a 429: 1,000 orders, 10 requests, 9 seconds apart.
func TestOrdersAtTheLimits(t *testing.T) {
	t.Parallel()
	tn := newTenant(t, sandbox.Options{PageSize: 100, Company: sandbox.Company{Orders: 1000}})
	tn.env["GOFLOW_RATE_MULTIPLIER"] = "1"
	start := tn.clock.Now()
	tn.mustRun(t, t.TempDir(), "source: {type: goflow, entity: orders}\nsink: {type: parquet, path: orders.parquet}\n", nil)
	st := tn.srv.Stats()
	if got := tn.clock.Now().Sub(start); st.Requests["GET /v1/orders"] != 10 || st.TooMany != 0 || got.Seconds() != 9 {
		t.Fatalf("%d requests, %d 429s, %s", st.Requests["GET /v1/orders"], st.TooMany, got)
	}
}
