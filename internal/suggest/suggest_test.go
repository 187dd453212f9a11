package suggest

import "testing"

func TestClosest(t *testing.T) {
	keys := []string{"source", "sink", "mapping", "validate", "options", "report", "name"}
	for _, tc := range []struct{ in, want string }{
		{"sourc", "source"},
		{"Source", "source"},
		{"snk", "sink"},
		{"maping", "mapping"},
		{"validation", "validate"},
		{"xyzzy", ""},
		{"", ""},
	} {
		if got := Closest(tc.in, keys); got != tc.want {
			t.Errorf("Closest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	cols := []string{"SKU", "Product Name", "Unit Price", "Qty"}
	for _, tc := range []struct{ in, want string }{
		{"sku", "SKU"}, {"Product name", "Product Name"}, {"Name", "Product Name"}, {"Price", "Unit Price"}, {"Colour", ""},
	} {
		if got := Closest(tc.in, cols); got != tc.want {
			t.Errorf("Closest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if h := Hint("sourc", keys); h != `did you mean "source"?` {
		t.Errorf("Hint = %q", h)
	}
}
