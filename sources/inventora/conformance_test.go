package inventorasrc_test

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/pipeline"

	"github.com/etl-dev/etl/internal/conformance"
	"github.com/etl-dev/etl/inventora/sandbox"
	inventorasrc "github.com/etl-dev/etl/sources/inventora"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	conformance.RunSource(t, conformance.SourceOptions{
		Type: "inventora",
		New: func(t *testing.T) conformance.Input {
			srv, err := sandbox.New(sandbox.Options{Seed: &sandbox.Seed{Products: 250, Materials: 8}})
			if err != nil {
				t.Fatal(err)
			}
			hs := httptest.NewServer(srv.Handler())
			t.Cleanup(hs.Close)
			cfg := inventorasrc.NewConfig()
			cfg.Entity, cfg.Table, cfg.Sandbox = "products", "stock", "never"
			cfg.Getenv = func(k string) string {
				return map[string]string{"INVENTORA_API_KEY": srv.APIKey(), "INVENTORA_BASE_URL": hs.URL}[k]
			}
			n := 0
			for _, p := range srv.Snapshot("products") {
				n += len(p["locationStockLevels"].(map[string]any))
			}
			env := pipeline.Env{Job: "conformance", APIs: apikit.NewRegistry(apikit.RegistryOptions{Clock: apikit.NewVirtualClock(time.Time{})})}
			return conformance.Input{Config: cfg, Env: env, Records: n}
		},
	})
}

func TestSandboxNeverNeedsTheKey(t *testing.T) {
	t.Parallel()
	cfg := inventorasrc.NewConfig()
	cfg.Entity, cfg.Sandbox = "products", "never"
	cfg.Getenv = func(string) string { return "" }
	_, err := cfg.Open(t.Context(), pipeline.Env{})
	if err == nil || !strings.Contains(err.Error(), "INVENTORA_API_KEY is not set") {
		t.Errorf("sandbox: never without a key: %v", err)
	}
	cfg.Getenv = func(k string) string {
		return map[string]string{"INVENTORA_API_KEY": "k", "INVENTORA_BASE_URL": "http://inventora.example.com/api"}[k]
	}
	if _, err := cfg.Open(t.Context(), pipeline.Env{}); err == nil || !strings.Contains(err.Error(), "http") {
		t.Errorf("plain http to a remote host: %v", err)
	}
}
