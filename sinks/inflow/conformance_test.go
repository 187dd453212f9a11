package inflowsink

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/inflow/sandbox"
	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/internal/conformance"
	"github.com/etl-dev/etl/pipeline"
)

// emulatorDestination is a fresh emulator and a sink config pointing at
// it (through the config's own environment, so the checks run in
// parallel).
func emulatorDestination(t *testing.T, cfg *Config) conformance.Destination {
	t.Helper()
	srv, err := sandbox.Start(sandbox.Options{Clock: testClock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	env := map[string]string{"INFLOW_BASE_URL": srv.URL(), "INFLOW_COMPANY_ID": srv.CompanyID(), "INFLOW_API_KEY": srv.APIKey()}
	cfg.Sandbox = "never"
	cfg.getenv = func(k string) string { return env[k] }
	return conformance.Destination{
		Config: cfg,
		// The virtual clock: the account's limiter waits cost no wall time.
		Env: pipeline.Env{APIs: apikit.NewRegistry(apikit.RegistryOptions{Clock: testClock})},
		Snapshot: func() string {
			var b strings.Builder
			for _, kind := range []string{"products", "sales-orders", "stock-adjustments", "product-cost-adjustments"} {
				recs := srv.All(kind)
				texts := make([]string, len(recs))
				for i, r := range recs {
					j, _ := json.Marshal(r)
					texts[i] = string(j)
				}
				sort.Strings(texts)
				fmt.Fprintf(&b, "%s %s\n", kind, strings.Join(texts, "\n"))
			}
			return b.String()
		},
		Writes: func() int { return srv.Stats().Writes },
	}
}

func TestConformanceProducts(t *testing.T) {
	t.Parallel()
	schema := pipeline.Schema{{Name: "sku", Type: pipeline.TypeString}, {Name: "name", Type: pipeline.TypeString},
		{Name: "price", Type: pipeline.TypeDecimal, Scale: 2}, {Name: "quantity", Type: pipeline.TypeInteger}}
	conformance.RunSink(t, conformance.SinkOptions{
		Type:      "inflow",
		Schema:    schema,
		Immediate: true,
		Rows: func() []pipeline.Row {
			var rows []pipeline.Row
			for i := range 7 {
				rows = append(rows, pipeline.Row{Origin: pipeline.Origin{File: "conformance.csv", Row: i + 2},
					Values: []any{fmt.Sprintf("CONF-%d", i), fmt.Sprintf("Conformance product %d", i), decimal.NewFromInt(int64(10 + i)), int64(i + 1)}})
			}
			return rows
		},
		BadRows: func() []pipeline.Row {
			return []pipeline.Row{
				{Origin: pipeline.Origin{File: "bad.csv", Row: 2}, Values: []any{nil, nil, decimal.NewFromInt(1), int64(1)}},                // nothing to match by
				{Origin: pipeline.Origin{File: "bad.csv", Row: 3}, Values: []any{"CONF-BAD", nil, decimal.NewFromInt(1), int64(1)}},         // a new product needs a name
				{Origin: pipeline.Origin{File: "bad.csv", Row: 4}, Values: []any{"CONF-NEG", "Negative", decimal.NewFromInt(1), int64(-3)}}, // stock below zero
			}
		},
		New: func(t *testing.T) conformance.Destination {
			return emulatorDestination(t, &Config{Entity: "products"})
		},
	})
}

func TestConformanceSalesOrders(t *testing.T) {
	t.Parallel()
	schema := pipeline.Schema{{Name: "order_number", Type: pipeline.TypeString}, {Name: "customer", Type: pipeline.TypeString},
		{Name: "sku", Type: pipeline.TypeString}, {Name: "quantity", Type: pipeline.TypeDecimal}}
	conformance.RunSink(t, conformance.SinkOptions{
		Type:   "inflow",
		Schema: schema,
		Rows: func() []pipeline.Row {
			var rows []pipeline.Row
			skus := []string{"TS-CRW-BLK-M", "GN-TOTE-NAT"}
			for i := range 8 {
				rows = append(rows, pipeline.Row{Origin: pipeline.Origin{File: "orders.csv", Row: i + 2},
					Values: []any{fmt.Sprintf("CONF-SO-%d", i%4), "Blue Harbor Boutique", skus[i/4], decimal.NewFromInt(int64(1 + i))}})
			}
			return rows
		},
		BadRows: func() []pipeline.Row {
			return []pipeline.Row{{Origin: pipeline.Origin{File: "bad.csv", Row: 2}, Values: []any{nil, "Blue Harbor Boutique", "TS-CRW-BLK-M", decimal.NewFromInt(1)}}}
		},
		New: func(t *testing.T) conformance.Destination {
			return emulatorDestination(t, &Config{Entity: "sales-orders"})
		},
	})
}
