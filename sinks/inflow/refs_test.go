package inflowsink

import (
	"strings"
	"testing"
)

// TestNamesMatchExactlyFirst: a name resolves to the record of exactly that
// name before records that match it only ignoring case and spaces; a name
// that matches several records only loosely is ambiguous, with each named.
func TestNamesMatchExactlyFirst(t *testing.T) {
	t.Parallel()
	tbl := newRefTable(refLocation)
	tbl.add(refItem{id: "1", name: "Main"})
	tbl.add(refItem{id: "2", name: "MAIN"})
	tbl.add(refItem{id: "3", name: "Showroom"})
	for _, tc := range []struct{ name, id, err string }{
		{name: "Main", id: "1"},
		{name: "MAIN", id: "2"},
		{name: " showroom ", id: "3"},
		{name: "main", err: `"main" names 2 locations in inFlow ("MAIN", "Main")`},
		{name: "Mian", err: `closest: "MAIN", "Main"`},
	} {
		it, err := tbl.resolve(tc.name)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: got %v, %v; want an error with %s", tc.name, it.id, err, tc.err)
			}
		case err != nil:
			t.Errorf("%q: %v", tc.name, err)
		case it.id != tc.id:
			t.Errorf("%q: resolved to %s, want %s", tc.name, it.id, tc.id)
		}
	}
}
