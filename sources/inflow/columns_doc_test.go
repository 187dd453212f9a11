package inflowsrc

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/inflow-columns.md")

// columnsDoc renders every table's columns as Markdown.
func columnsDoc() string {
	var b strings.Builder
	b.WriteString("# inflow source: tables and columns\n\n")
	b.WriteString("Generated from `sources/inflow` by `go test ./sources/inflow -run TestColumnsDoc -update`; do not edit.\n")
	b.WriteString("Every table has these columns on every run, whatever the data. Decimals are DECIMAL(18,5),\n")
	b.WriteString("timestamps are UTC (Parquet TIMESTAMP(MICROS, UTC)). \"From\" is the inFlow API field\n")
	b.WriteString("(`parent.` for a line table's document or product, `line.` for the line itself).\n")
	for _, e := range Entities() {
		for _, name := range Tables(e) {
			t, _ := lookupTable(e, name)
			fmt.Fprintf(&b, "\n## %s / %s\n\n%s.", e, name, upperFirst(t.doc))
			if len(t.includes) > 0 {
				fmt.Fprintf(&b, " Requests include=%s.", strings.Join(t.includes, ","))
			}
			b.WriteString("\n\n| column | type | from |\n|---|---|---|\n")
			for i, c := range t.columns {
				typ := c.Type.String()
				if c.Scale > 0 || c.Precision > 0 {
					typ = fmt.Sprintf("decimal(%d,%d)", c.Precision, c.Scale)
				}
				from := "`" + t.paths[i] + "`"
				switch t.paths[i] {
				case "":
					from = "computed"
				case "n":
					from = "position of the line (1-based)"
				case "snapshotAt":
					from = "start of the run"
				case "path":
					from = "computed: category names from the root, joined by \" > \""
				case "depth":
					from = "computed: 0 for a root category"
				}
				if t.name == "serial_history" {
					from = "the document or line: see `go doc ./sources/inflow` (Serials)"
				}
				fmt.Fprintf(&b, "| %s | %s | %s |\n", c.Name, typ, from)
			}
		}
	}
	return b.String()
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// docs/inflow-columns.md matches the tables.
func TestColumnsDoc(t *testing.T) {
	path := filepath.Join(repoRoot(t), "docs", "inflow-columns.md")
	want := columnsDoc()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != want {
		t.Errorf("%s is out of date: run go test ./sources/inflow -run TestColumnsDoc -update", path)
	}
}
