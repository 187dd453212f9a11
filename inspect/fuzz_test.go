package inspect

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
)

// FuzzClassify checks that every kind classify claims really parses, and
// that the kinds nest as inference relies on.
func FuzzClassify(f *testing.F) {
	for _, s := range []string{"0", "-12", "1.5", "1e3", "007", "yes", "2024-02-29", "2024-02-29T10:00:00Z", "12,50", "+.5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		v = strings.TrimSpace(v)
		if v == "" {
			return
		}
		set, scale := classify(v)
		if set.has(kInteger) {
			if _, err := strconv.ParseInt(v, 10, 64); err != nil {
				t.Errorf("%q: integer but %v", v, err)
			}
			if !set.has(kDecimal) {
				t.Errorf("%q: integer but not decimal", v)
			}
		}
		if set.has(kDecimal) {
			if _, err := strconv.ParseFloat(v, 64); err != nil && !strings.Contains(err.Error(), "range") {
				t.Errorf("%q: decimal but %v", v, err)
			}
			if !set.has(kFloat) || strings.ContainsAny(v, "eE") {
				t.Errorf("%q: decimal kinds %b", v, set)
			}
			if _, frac, _ := strings.Cut(v, "."); len(frac) != scale {
				t.Errorf("%q: scale %d", v, scale)
			}
		}
		if set.has(kDate) {
			if _, err := time.Parse(time.DateOnly, v); err != nil || !set.has(kTimestamp) {
				t.Errorf("%q: date but %v, kinds %b", v, err, set)
			}
		}
	})
}

var ident = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// FuzzSnake checks that field names are identifiers job files accept.
func FuzzSnake(f *testing.F) {
	for _, s := range []string{"Launch Date", "UnitPrice", "Größe", "2024", "__", "Цена", "a-b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got := snake(s); got != "" && !ident.MatchString(got) {
			t.Errorf("snake(%q) = %q", s, got)
		}
	})
}

// FuzzYAMLScalar checks that a header written into a job reads back as
// itself, in block and in flow context.
func FuzzYAMLScalar(f *testing.F) {
	for _, s := range []string{"SKU", "Price: USD", "a #b", `"q"`, "yes", "", " x", "../a.csv", "[x]", "{y}", "a,b", "tab\there", "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		q := yamlScalar(s)
		for _, doc := range []string{"k: " + q + "\n", "k: {from: " + q + ", type: string}\n"} {
			var m map[string]any
			if err := yaml.Unmarshal([]byte(doc), &m); err != nil {
				t.Fatalf("%q → %s: %v", s, doc, err)
			}
			got := m["k"]
			if fm, ok := got.(map[string]any); ok {
				got = fm["from"]
			}
			if got != s && !(s == "" && got == nil) {
				t.Errorf("%q → %s → %#v", s, doc, got)
			}
		}
	})
}
