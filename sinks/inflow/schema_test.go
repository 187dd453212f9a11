package inflowsink

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/etl-dev/etl/jobfile"
)

func TestJobSchemaDescribesTheSink(t *testing.T) {
	b, err := jobfile.Schema()
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, w := range []string{`"const": "inflow"`, `"entity"`, `"allow_negative_inventory"`, `"lines_per_adjustment"`,
		`Keys that find the existing record, tried in order: products sku, name, barcode (default [sku, name])`,
		`"enum": [`, `"set"`, `"lookup"`} {
		if !strings.Contains(s, w) {
			t.Errorf("schema lacks %s", w)
		}
	}
	if strings.Contains(s, "matchDefaulted") {
		t.Error("schema shows an unexported field")
	}
}
