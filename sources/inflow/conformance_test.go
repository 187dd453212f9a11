package inflowsrc

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/etl-dev/etl/inflow"
	"github.com/etl-dev/etl/inflow/sandbox"
	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/internal/conformance"
	"github.com/etl-dev/etl/pipeline"
)

// conformanceInput starts a fresh emulator on a virtual clock (the bundled
// seed plus 130 generated products, so product lists take two pages) and
// points cfg at it through its own environment, so the checks run in
// parallel. records counts the rows the table must yield, from the
// emulator's own state.
func conformanceInput(t *testing.T, cfg *Config, records func(srv *sandbox.Server) int) conformance.Input {
	t.Helper()
	clk := apikit.NewVirtualClock(time.Time{})
	srv, err := sandbox.Start(sandbox.Options{Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	for i := range 130 {
		if err := srv.Put("products", map[string]any{"productId": gid("conformance", i), "name": fmt.Sprintf("Conformance %03d", i),
			"sku": fmt.Sprintf("CONF-%03d", i), "itemType": "StockedProduct"}); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{"INFLOW_BASE_URL": srv.URL(), "INFLOW_COMPANY_ID": srv.CompanyID(), "INFLOW_API_KEY": srv.APIKey()}
	cfg.Sandbox = SandboxNever
	cfg.getenv = func(k string) string { return env[k] }
	return conformance.Input{
		Config:  cfg,
		Env:     pipeline.Env{APIs: apikit.NewRegistry(apikit.RegistryOptions{Clock: clk})},
		Records: records(srv),
	}
}

func TestConformance(t *testing.T) {
	t.Parallel()
	t.Run("products", func(t *testing.T) {
		t.Parallel()
		conformance.RunSource(t, conformance.SourceOptions{
			Type: "inflow",
			New: func(t *testing.T) conformance.Input {
				return conformanceInput(t, &Config{Entity: "products"}, func(srv *sandbox.Server) int {
					return len(srv.All("products"))
				})
			},
		})
	})
	t.Run("inventory", func(t *testing.T) {
		t.Parallel()
		conformance.RunSource(t, conformance.SourceOptions{
			Type: "inflow",
			New: func(t *testing.T) conformance.Input {
				// One row per stocked product and location.
				return conformanceInput(t, &Config{Entity: "products", Table: "inventory"}, func(srv *sandbox.Server) int {
					stocked := 0
					for _, p := range srv.All("products") {
						if strings.EqualFold(fmt.Sprint(p["itemType"]), "StockedProduct") {
							stocked++
						}
					}
					return stocked * len(srv.All("locations"))
				})
			},
		})
	})
	t.Run("sales-order lines", func(t *testing.T) {
		t.Parallel()
		conformance.RunSource(t, conformance.SourceOptions{
			Type: "inflow",
			New: func(t *testing.T) conformance.Input {
				return conformanceInput(t, &Config{Entity: "sales-orders", Table: "lines"}, func(srv *sandbox.Server) int {
					n := 0
					for _, o := range srv.All("sales-orders") {
						lines, _ := o["lines"].([]any)
						n += len(lines)
					}
					return n
				})
			},
		})
	})
}

// After the export failed, Next keeps returning the failure: never io.EOF,
// which would read as a complete export.
func TestNextAfterAFailureIsNotEOF(t *testing.T) {
	t.Parallel()
	in := conformanceInput(t, &Config{Entity: "products"}, func(*sandbox.Server) int { return 0 })
	cfg := in.Config.(*Config)
	env := cfg.getenv
	cfg.getenv = func(k string) string {
		if k == "INFLOW_API_KEY" {
			return "wrong-key"
		}
		return env(k)
	}
	src, err := cfg.Open(t.Context(), in.Env)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	_, first := src.Next(t.Context())
	if first == nil || errors.Is(first, io.EOF) || inflow.StatusOf(first) != http.StatusUnauthorized {
		t.Fatalf("Next with a wrong key: %v, want a 401", first)
	}
	for range 2 {
		if _, err := src.Next(t.Context()); err == nil || errors.Is(err, io.EOF) || err.Error() != first.Error() {
			t.Errorf("Next after the failure: %v, want %v again", err, first)
		}
	}
}
