package inventorasink_test

import (
	"testing"
	"time"

	"github.com/etl-dev/etl/internal/apikit"

	"github.com/etl-dev/etl/internal/conformance"
	"github.com/etl-dev/etl/inventora/sandbox"
	"github.com/etl-dev/etl/pipeline"
	inventorasink "github.com/etl-dev/etl/sinks/inventora"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	schema := pipeline.Schema{{Name: "sku", Type: pipeline.TypeString}, {Name: "notes", Type: pipeline.TypeString}}
	seed := sandbox.DefaultSeed()
	conformance.RunSink(t, conformance.SinkOptions{
		Type:      "inventora",
		Schema:    schema,
		Immediate: true,
		Rows: func() []pipeline.Row {
			srv, _ := sandbox.New(sandbox.Options{Seed: seed})
			var rows []pipeline.Row
			for i, p := range srv.Snapshot("products")[:6] {
				rows = append(rows, pipeline.Row{Origin: pipeline.Origin{File: "rows", Row: i + 2}, Values: []any{p["sku"], "conformance note"}})
			}
			return rows
		},
		BadRows: func() []pipeline.Row {
			return []pipeline.Row{{Origin: pipeline.Origin{File: "rows", Row: 99}, Values: []any{"NO-SUCH-SKU", "x"}}}
		},
		New: func(t *testing.T) conformance.Destination {
			a := newAccount(t, sandbox.Options{Seed: seed})
			cfg := inventorasink.NewConfig()
			cfg.Entity, cfg.Sandbox, cfg.Getenv = "products", "never", a.env
			return conformance.Destination{
				Config:   cfg,
				Env:      pipeline.Env{Job: "conformance", APIs: apikit.NewRegistry(apikit.RegistryOptions{Clock: apikit.NewVirtualClock(time.Time{})})},
				Snapshot: a.srv.Dump,
				Writes:   func() int { return a.srv.Stats().Writes },
			}
		},
	})
}
