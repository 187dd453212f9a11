package goflowsrc

import (
	"testing"

	"github.com/etl-dev/etl/goflow/sandbox"
	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/internal/conformance"
	"github.com/etl-dev/etl/pipeline"
)

func TestConformance(t *testing.T) {
	conformance.RunSource(t, conformance.SourceOptions{
		Type: "goflow",
		New: func(t *testing.T) conformance.Input {
			tn := newTenant(t, sandbox.Options{PageSize: 9})
			cfg := NewConfig()
			cfg.Entity, cfg.Table, cfg.getenv = "orders", "lines", tn.getenv
			n := 0
			for _, o := range tn.srv.Records("orders") {
				n += len(o["lines"].([]any))
			}
			return conformance.Input{Config: cfg, Env: pipeline.Env{APIs: apikit.NewRegistry(apikit.RegistryOptions{Clock: tn.clock})}, Records: n}
		},
	})
}
