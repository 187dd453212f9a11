package inflowsrc

import (
	"fmt"
	"testing"
	"time"

	"github.com/etl-dev/etl/inflow/sandbox"
)

// BenchmarkInventorySnapshot10k measures the inventory snapshot of 10,000
// stocked products in the emulator's 3 locations, at an unlimited rate, and
// reports the requests it takes and how long they would take at inFlow's
// 60 requests a minute:
//
//	go test ./sources/inflow -run '^$' -bench InventorySnapshot10k -benchtime 1x
func BenchmarkInventorySnapshot10k(b *testing.B) {
	const n = 10_000
	srv, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	cats := srv.All("categories")
	for i := range n {
		if err := srv.Put("products", map[string]any{
			"productId": gid("bench", i), "name": fmt.Sprintf("Bench %05d", i), "sku": fmt.Sprintf("B-%05d", i),
			"itemType": "StockedProduct", "categoryId": cats[i%len(cats)]["categoryId"],
		}); err != nil {
			b.Fatal(err)
		}
	}
	stocked := 0
	for _, p := range srv.All("products") {
		if p["itemType"] == "stockedProduct" {
			stocked++
		}
	}
	locations := len(srv.All("locations"))
	b.Setenv("INFLOW_API_KEY", srv.APIKey())
	b.Setenv("INFLOW_COMPANY_ID", srv.CompanyID())
	b.Setenv("INFLOW_BASE_URL", srv.URL())
	b.Setenv("INFLOW_RATE_PER_MINUTE", "100000000")
	dir := b.TempDir()
	b.ResetTimer()
	for range b.N {
		srv.ResetStats()
		start := time.Now()
		res := mustRun(b, dir, "source: {type: inflow, entity: products, table: inventory}\nsink: {type: parquet, path: out/inv.parquet}\n", runOpts{})
		elapsed := time.Since(start)
		st := srv.Stats()
		b.ReportMetric(float64(st.Total), "requests/op")
		b.ReportMetric(float64(st.ByRoute["POST /products/summary"]), "summaries/op")
		b.ReportMetric(float64(st.Total)/60, "minutes@60/min")
		b.ReportMetric(float64(res.RowsRead), "rows/op")
		b.Logf("%d products (%d stocked) × %d locations: %d rows; %d requests (%d GET /products, %d POST /products/summary, %d GET /locations) in %v; at 60/min %.1f minutes",
			len(srv.All("products")), stocked, locations, res.RowsRead, st.Total, st.ByRoute["GET /products"],
			st.ByRoute["POST /products/summary"], st.ByRoute["GET /locations"], elapsed.Round(time.Millisecond), float64(st.Total)/60)
	}
}
