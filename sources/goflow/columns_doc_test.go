package goflowsrc

import (
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/etl-dev/etl/goflow"
)

var update = flag.Bool("update", false, "rewrite docs/goflow-columns.md")

var kindNames = map[goflow.Kind]string{goflow.KindInt: "integer", goflow.KindString: "text", goflow.KindEnum: "enum",
	goflow.KindUUID: "uuid", goflow.KindTime: "date-time", goflow.KindBool: "bool"}

// referenceDoc renders every table's columns and every list's filters.
func referenceDoc() string {
	var b strings.Builder
	b.WriteString("# goflow source: tables, columns and filters\n\n")
	b.WriteString("Generated from `sources/goflow` by `go test ./sources/goflow -run TestReferenceDoc -update`; do not edit.\n")
	fmt.Fprintf(&b, "Every table has these columns on every run, whatever the data. Decimals are DECIMAL(%d,%d), timestamps\n", DecimalPrecision, DecimalScale)
	b.WriteString("UTC (Parquet TIMESTAMP(MICROS, UTC)), ids BIGINT or text (UUIDs). \"From\" is the Goflow field path\n")
	b.WriteString("(`parent.` for a line table's document). See docs/goflow.md for the rest.\n")
	fmt.Fprintf(&b, "With `header_columns: true` a line table also has its headers table's columns, after its own, each\nnamed with the prefix `%s` (`%sdate`, `%sstore_name`, ...).\n", HeaderPrefix, HeaderPrefix, HeaderPrefix)
	for _, e := range Entities() {
		for _, name := range Tables(e) {
			t, _ := lookupTable(e, name)
			fmt.Fprintf(&b, "\n## %s / %s\n\n%s%s.\n\n| column | type | from |\n|---|---|---|\n", e, name, strings.ToUpper(t.doc[:1]), t.doc[1:])
			for i, c := range t.columns {
				typ := c.Type.String()
				if c.Precision > 0 {
					typ = fmt.Sprintf("decimal(%d,%d)", c.Precision, c.Scale)
				}
				from := "`" + t.paths[i] + "`"
				if t.paths[i] == "" {
					from = "computed"
				}
				fmt.Fprintf(&b, "| %s | %s | %s |\n", c.Name, typ, from)
			}
		}
	}
	b.WriteString("\n## Filters of each list\n\nKeys of `filters:` (a field, or field:operator). The operators follow the field's type:\n")
	b.WriteString("integer and date-time take eq, not, gt, lt, gte, lte, exists; text eq, not, exists; enum and uuid eq, not; bool eq.\n")
	b.WriteString("The vendor's per-endpoint filter tables were lost in the copy etl is built from: these are the sort fields,\n")
	b.WriteString("the filters public code uses, and the entities' keys (a guess to check against a real account).\n\n")
	b.WriteString("| entity | endpoint | filters | sort fields |\n|---|---|---|---|\n")
	for _, e := range Entities() {
		t, _ := lookupTable(e, "")
		if t.ep.Filters == nil {
			continue
		}
		var fs []string
		for _, f := range slices.Sorted(maps.Keys(t.ep.Filters)) {
			fs = append(fs, fmt.Sprintf("`%s` (%s)", f, kindNames[t.ep.Filters[f]]))
		}
		fmt.Fprintf(&b, "| %s | %s %s | %s | %s |\n", e, t.ep.Method, t.ep.Route, strings.Join(fs, ", "), strings.Join(t.ep.Sorts, ", "))
	}
	return b.String()
}

// docs/goflow-columns.md is what the tables are.
func TestReferenceDoc(t *testing.T) {
	t.Parallel()
	path := filepath.Join(repoRoot(), "docs", "goflow-columns.md")
	want := referenceDoc()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != want {
		t.Fatalf("%s is stale (%v): run go test ./sources/goflow -run TestReferenceDoc -update", path, err)
	}
}
