package inflowsink

import (
	"strings"
	"testing"

	"github.com/etl-dev/etl/jobfile"
	"github.com/etl-dev/etl/pipeline"
)

func TestValidateNamesEveryBadSetting(t *testing.T) {
	t.Parallel()
	cfg := &Config{Entity: "products", Mode: "upsrt", Reads: "lookups", Concurrency: 99, Match: []string{"sku", "skus"}, Stock: StockConfig{Mode: "replace", LinesPerAdjustment: 9000}}
	errs := pipeline.SettingErrorsOf(cfg.Validate())
	got := map[string]string{}
	for _, e := range errs {
		got[e.Setting] = e.Error()
	}
	for setting, want := range map[string]string{
		"mode":                       `mode "upsrt" is not one of upsert, insert, update (did you mean "upsert"?)`,
		"reads":                      `reads "lookups" is not one of auto, index, lookup (did you mean "lookup"?)`,
		"concurrency":                "concurrency must be between 1 and 64, not 99",
		"match[1]":                   `match "skus": products are matched by sku, name, barcode or custom:customN (did you mean "sku"?)`,
		"stock.mode":                 `stock.mode "replace" is not one of set, add, off`,
		"stock.lines_per_adjustment": "stock.lines_per_adjustment must be between 1 and 5000, not 9000",
	} {
		if !strings.HasPrefix(got[setting], want) {
			t.Errorf("%s: %q, want %q", setting, got[setting], want)
		}
	}
	if len(errs) != 6 {
		t.Errorf("%d errors: %v", len(errs), errs)
	}
	if err := (&Config{Entity: "customers"}).Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
}

func TestJobFileNamesTheLineOfABadMode(t *testing.T) {
	t.Parallel()
	text := "name: t\nsource:\n  type: csv\n  path: in.csv\nmapping:\n  sku: SKU\nsink:\n  type: inflow\n  entity: products\n  mode: upsrt\n"
	_, err := jobfile.Parse("job.yaml", []byte(text), nil)
	if err == nil || !strings.Contains(err.Error(), `job.yaml:10:9`) || !strings.Contains(err.Error(), `did you mean "upsert"?`) {
		t.Errorf("job with mode upsrt: %v", err)
	}
}
