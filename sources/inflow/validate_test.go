package inflowsrc

import (
	"slices"
	"testing"

	"github.com/etl-dev/etl/pipeline"
)

// Validate reports every bad setting at once, each under its setting, with
// no request (the job loader calls it before anything opens).
func TestValidateReportsEverySetting(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		cfg  Config
		want []string
	}{
		{Config{Entity: "prodcts", Sandbox: "sometimes", RatePerMinute: -1, RatePerHour: -1}, []string{"entity", "sandbox", "rate_per_minute", "rate_per_hour"}},
		{Config{Entity: "sales-orders", Table: "line"}, []string{"table"}},
		{Config{Entity: "products", Filters: map[string]any{"sku": "X"}, Locations: []string{"Main"}}, []string{"filters", "locations"}},
		{Config{Entity: "customers", Incremental: true}, []string{"incremental"}},
		{Config{Entity: "products", Table: "serials", Filters: map[string]any{"trackSerials": true}}, []string{"filters"}},
		{Config{Entity: "products", Incremental: true, Filters: map[string]any{"lastModifiedDateTime": "2026-01-01"}}, []string{"filters"}},
		{Config{Entity: "products", Table: "inventory", Locations: []string{"Anywhere"}, Sandbox: SandboxNever}, nil}, // names are checked at Open
		{Config{Entity: "products", Incremental: true, Filters: map[string]any{"isActive": true}}, nil},
	} {
		var got []string
		for _, se := range pipeline.SettingErrorsOf(tc.cfg.Validate()) {
			got = append(got, se.Setting)
			if se.Message == "" {
				t.Errorf("%+v: %s has no message", tc.cfg, se.Setting)
			}
		}
		if err := tc.cfg.Validate(); (err == nil) != (len(tc.want) == 0) || !slices.Equal(got, tc.want) {
			t.Errorf("%+v: Validate %v (settings %v), want %v", tc.cfg, err, got, tc.want)
		}
	}
}
