package goflow

import (
	"encoding/json"
	"strings"
	"testing"
)

// Filter keys and values come from job files: checking them never panics,
// and a key it accepts names a documented field.
func FuzzCheckFilters(f *testing.F) {
	for _, s := range []string{"status", "date:gte", "store.id", "status:gt", ":", "id:exists", "x:y:z"} {
		f.Add(s, "2025-01-01T00:00:00Z")
		f.Add(s, "shipped")
	}
	f.Fuzz(func(t *testing.T, key, value string) {
		err := EpOrders.CheckFilters(Filters{key: {value}})
		field, _, _ := strings.Cut(key, ":")
		if _, ok := EpOrders.Filters[field]; err == nil && !ok {
			t.Fatalf("%q accepted", key)
		}
	})
}

// Decimals and times decode from API answers without panics, and a
// decimal that decodes writes back the same number.
func FuzzDecimalAndTime(f *testing.F) {
	for _, s := range []string{`12.50`, `"1e3"`, `-0.000001`, `null`, `"x"`, `"2025-01-31T18:30:20Z"`, `"2025-01-31T18:30:20.5+02:00"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var d Decimal
		if json.Unmarshal([]byte(s), &d) == nil {
			out, err := json.Marshal(d)
			var back Decimal
			if err != nil || json.Unmarshal(out, &back) != nil || !back.Equal(d) {
				t.Fatalf("%s → %s", s, out)
			}
		}
		var tm Time
		_ = json.Unmarshal([]byte(s), &tm)
	})
}
