package inflowsink

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/etl-dev/etl/inflow/sandbox"
	"github.com/etl-dev/etl/pipeline"
)

// TestThousandSalesOrdersAtSixtyAMinute measures the request economy of
// the figure: 1,000 sales orders of 3 lines into an account
// limited to 60 requests a minute (on the virtual clock: no wall time).
// A first import costs the reference reads plus one PUT per order; the
// same file again costs the reads alone, the existing orders listed 100 a
// request (cheaper than 1,000 lookups by number).
func TestThousandSalesOrdersAtSixtyAMinute(t *testing.T) {
	if testing.Short() {
		t.Skip("3,000 rows")
	}
	srv := startEmulator(t, sandbox.Options{RatePerMinute: 60})
	skus := []string{"TS-CRW-BLK-M", "TS-CRW-WHT-M", "TS-VN-HGR-L", "HD-PUL-CHR-L", "GN-TOTE-NAT", "EL-CBL-USBC-2M"}
	who := []string{"Blue Harbor Boutique", "Maria Gonzalez", "Westfield College Campus Store"}
	var b strings.Builder
	b.WriteString("Order,Customer,SKU,Qty,Price\n")
	for i := range 1000 {
		for l := range 3 {
			fmt.Fprintf(&b, "WEB-%05d,%s,%s,%d,9.99\n", i, who[i%3], skus[(i+l)%len(skus)], 1+l)
		}
	}
	path := job(t, csvFile(t, b.String()), "mapping:\n  order_number: Order\n  customer: Customer\n  sku: SKU\n  quantity: {from: Qty, type: decimal}\n  unit_price: {from: Price, type: decimal}\n",
		"entity: sales-orders\nsandbox: never\nrate_per_minute: 60\n")

	_, drep, err := runJob(t, path, runOpts{dry: true})
	if err != nil {
		t.Fatal(err)
	}
	plan := drep.Plan
	t.Logf("dry run of a first import: %d reads + %d writes = %d requests, %s at 60 a minute", plan.Reads, plan.Writes, plan.Reads+plan.Writes, plan.Duration)
	if plan.Writes != 1000 || plan.Reads > 5 || plan.Duration != time.Duration(plan.Reads+plan.Writes)*time.Second {
		t.Errorf("plan %d reads, %d writes, %s", plan.Reads, plan.Writes, plan.Duration)
	}

	srv.ResetStats()
	start := testClock.Now()
	res, _, err := runJob(t, path, runOpts{})
	if err != nil {
		t.Fatal(err)
	}
	took := testClock.Now().Sub(start)
	st := srv.Stats()
	t.Logf("first import: %d requests (%d PUT /sales-orders), %s on the virtual clock, %d 429s", st.Total, st.ByRoute["PUT /sales-orders"], took.Round(time.Second), st.TooMany)
	if res.Count(pipeline.Created) != 3000 || st.ByRoute["PUT /sales-orders"] != 1000 || st.Total != plan.Reads+plan.Writes || st.TooMany != 0 {
		t.Errorf("run %v: %v", res.CountsByName(), st.ByRoute)
	}
	// The limiter keeps to the limit: the requests take at least their
	// count in seconds (the first minute's burst aside), never much more.
	if took < time.Duration(st.Total-60)*time.Second || took > time.Duration(st.Total+60)*time.Second {
		t.Errorf("%d requests took %s at 60 a minute", st.Total, took)
	}

	srv.ResetStats()
	res, _, err = runJob(t, path, runOpts{})
	if err != nil {
		t.Fatal(err)
	}
	st = srv.Stats()
	t.Logf("the same file again: %d requests (%v), 0 writes", st.Total, st.ByRoute)
	if res.Count(pipeline.Unchanged) != 3000 || st.Writes != 0 || st.ByRoute["GET /sales-orders"] != 11 {
		t.Errorf("re-run %v: %v", res.CountsByName(), st.ByRoute)
	}
}
