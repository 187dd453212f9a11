package goflowsink

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/goflow/sandbox"
	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/internal/conformance"
	"github.com/etl-dev/etl/pipeline"
)

// The inventory sink holds its rows until Close (adjustments are grouped
// per warehouse), so it runs the suite as a sink that publishes at Close.
func TestConformance(t *testing.T) {
	schema := pipeline.Schema{{Name: "item_number", Type: pipeline.TypeString, Required: true}, {Name: "warehouse", Type: pipeline.TypeString, Required: true},
		{Name: "quantity", Type: pipeline.TypeDecimal, Precision: 18, Scale: 2, Required: true}}
	conformance.RunSink(t, conformance.SinkOptions{
		Type:   "goflow",
		Schema: schema,
		Rows: func() []pipeline.Row {
			var rows []pipeline.Row
			for i := 1; i <= 6; i++ {
				rows = append(rows, pipeline.Row{Origin: pipeline.Origin{File: "stock.csv", Row: i + 1},
					Values: []any{fmt.Sprintf("GF-%04d", i), "Main Warehouse", decimal.NewFromInt(int64(300 + i))}})
			}
			return rows
		},
		New: func(t *testing.T) conformance.Destination {
			tn := newTenant(t, sandbox.Options{})
			cfg := &Config{Entity: EntityInventory, getenv: tn.getenv}
			return conformance.Destination{
				Config: cfg,
				Env:    pipeline.Env{APIs: apikit.NewRegistry(apikit.RegistryOptions{Clock: tn.clock})},
				Snapshot: func() string {
					var lines []string
					for _, p := range tn.srv.Records("products") {
						for _, w := range tn.srv.Records("warehouses") {
							q, _ := tn.srv.OnHand(p["item_number"].(string), w["name"].(string))
							lines = append(lines, fmt.Sprintf("%s %s %s", p["item_number"], w["name"], q))
						}
					}
					sort.Strings(lines)
					return strings.Join(lines, "\n")
				},
				Writes: func() int { return tn.srv.Stats().Writes },
			}
		},
	})
}
