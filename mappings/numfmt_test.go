package mappings

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestParseNumberFormat(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		locale, dec, th string
		want            NumberFormat
		setting         string
	}{
		{"de-DE", "", "", NumberFormat{",", "."}, ""},
		{"de_de", "", "", NumberFormat{",", "."}, ""},
		{"fr-FR", "", "", NumberFormat{",", " "}, ""},
		{"de-DE", ".", ",", NumberFormat{".", ","}, ""},
		{"", ",", "space", NumberFormat{",", " "}, ""},
		{"xx-YY", "", "", NumberFormat{}, "locale"},
		{"", ";", "", NumberFormat{}, "decimal_separator"},
		{"", ",", ",", NumberFormat{}, "thousands_separator"},
		{"", "", ".", NumberFormat{}, "thousands_separator"}, // the default decimal point
	} {
		f, setting, err := ParseNumberFormat(tt.locale, tt.dec, tt.th)
		if setting != tt.setting || (tt.setting == "") != (err == nil) || (err == nil && f != tt.want) {
			t.Errorf("%q %q %q: %+v %q %v", tt.locale, tt.dec, tt.th, f, setting, err)
		}
	}
}

// FuzzNumberFormat: reading number text with separators never panics, and
// what it accepts is a number whose digits are the text's digits.
func FuzzNumberFormat(f *testing.F) {
	for _, s := range []string{"1.299,50", "24,99", "1 299,5", "-1.234.567,5", "12.99", "1,2,3", "1e5", ",5", "1.", "1'000.25", "", "٣"} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(1))
		f.Add(s, uint8(2))
	}
	formats := []NumberFormat{{",", "."}, {",", " "}, {".", "'"}}
	f.Fuzz(func(t *testing.T, s string, which uint8) {
		nf := formats[int(which)%len(formats)]
		out, why := nf.canonical(s)
		if why != "" {
			return
		}
		if !isNumber(out) {
			return // not a number at all: the parser refuses it
		}
		d, err := decimal.NewFromString(out)
		if err != nil {
			return // out of range
		}
		digits := func(x string) string {
			return strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return r
				}
				return -1
			}, x)
		}
		if digits(out) != digits(s) {
			t.Fatalf("%q read as %q (%v): digits changed", s, out, d)
		}
	})
}
