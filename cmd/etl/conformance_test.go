package main

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/etl-dev/etl/internal/conformance"
	"github.com/etl-dev/etl/pipeline"
)

// pendingConformance lists the types whose conformance tests are being
// written (issue 8), with who writes them. Remove a type's line when its
// test lands: the test below fails for a listed type that has one, and for
// any other type that has none.
var pendingConformance = map[string]string{}

// TestEveryComponentRunsTheConformanceSuite fails when a source or sink
// type this binary registers has no conformance.RunSource or RunSink call
// naming it in the module's tests.
func TestEveryComponentRunsTheConformanceSuite(t *testing.T) {
	t.Parallel()
	_, file, _, _ := runtime.Caller(0)
	calls, err := conformance.Calls(filepath.Join(filepath.Dir(file), "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, st := range pipeline.SourceTypes() {
		types = append(types, "source "+st.Name)
	}
	for _, st := range pipeline.SinkTypes() {
		types = append(types, "sink "+st.Name)
	}
	if len(types) < 8 {
		t.Fatalf("only %d component types registered: %v", len(types), types)
	}
	for _, typ := range types {
		kind, name, _ := strings.Cut(typ, " ")
		_, tested := calls[typ]
		who, pending := pendingConformance[typ]
		switch {
		case !tested && !pending:
			fn := map[string]string{"source": "RunSource", "sink": "RunSink"}[kind]
			t.Errorf("%s has no conformance test: call conformance.%s with Type: %q in its package's tests (see internal/conformance)", typ, fn, name)
		case tested && pending:
			t.Errorf("%s has its conformance test (%s): remove it from pendingConformance (%s)", typ, calls[typ], who)
		}
	}
}
