package jobfile

import (
	"strings"
	"testing"
)

func env(vars map[string]string) LookupEnv {
	return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
}

func TestExpand(t *testing.T) {
	t.Parallel()
	lookup := env(map[string]string{"HOME_DIR": "/home/a", "EMPTY": "", "N": "4"})
	for _, tc := range []struct{ in, want, err string }{
		{"plain", "plain", ""},
		{"${HOME_DIR}/x", "/home/a/x", ""},
		{"a${N}b${N}", "a4b4", ""},
		{"${MISSING:-fallback}", "fallback", ""},
		{"${MISSING:-}", "", ""},
		{"${EMPTY:-default}", "default", ""},
		{"${EMPTY}", "", ""},
		{"cost $$5", "cost $5", ""},
		{"$5 and $x", "$5 and $x", ""},
		{"${MISSING}", "", "environment variable MISSING is not set: set it, or write ${MISSING:-default}"},
		{"${OPEN", "", "unterminated"},
		{"${1BAD}", "", "not a valid variable reference"},
	} {
		got, err := expand(tc.in, lookup)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("expand(%q) error = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("expand(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}
