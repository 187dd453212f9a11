package sources

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/etl-dev/etl/internal/conformance"
	"github.com/etl-dev/etl/pipeline"
	"github.com/etl-dev/etl/sinks"
)

// conformanceInput writes conformance.FileRows through a file sink and
// returns an Input reading the file with the source type typ.
func conformanceInput(t *testing.T, typ string, sink pipeline.SinkConfig, name string) conformance.Input {
	t.Helper()
	dir := t.TempDir()
	env := pipeline.Env{BaseDir: dir}
	ctx := context.Background()
	s, err := sink.Open(ctx, env, conformance.FileSchema)
	if err != nil {
		t.Fatal(err)
	}
	rows := conformance.FileRows()
	if err := s.Write(ctx, rows); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	st, _ := pipeline.LookupSource(typ)
	return conformance.Input{Config: st.ForPath(filepath.Join(dir, name)), Env: env, Records: len(rows)}
}

func TestConformanceCSV(t *testing.T) {
	t.Parallel()
	conformance.RunSource(t, conformance.SourceOptions{
		Type: "csv",
		New: func(t *testing.T) conformance.Input {
			c := sinks.NewCSVConfig()
			c.Path = "in.csv"
			return conformanceInput(t, "csv", c, "in.csv")
		},
	})
}

func TestConformanceXLSX(t *testing.T) {
	t.Parallel()
	conformance.RunSource(t, conformance.SourceOptions{
		Type: "xlsx",
		New: func(t *testing.T) conformance.Input {
			c := sinks.NewXLSXConfig()
			c.Path = "in.xlsx"
			return conformanceInput(t, "xlsx", c, "in.xlsx")
		},
	})
}

func TestConformanceParquet(t *testing.T) {
	t.Parallel()
	conformance.RunSource(t, conformance.SourceOptions{
		Type: "parquet",
		New: func(t *testing.T) conformance.Input {
			c := sinks.NewParquetConfig()
			c.Path = "in.parquet"
			return conformanceInput(t, "parquet", c, "in.parquet")
		},
	})
}
