package mappings

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// fixedCases are patterns with whether they compile to a fixedPattern.
var fixedCases = []struct {
	pattern string
	fixed   bool
}{
	{`^SKU-[0-9]{7}$`, true},
	{`^[A-Z]{2}\d{6}$`, true},
	{`\A[a-f0-9]{8}\z`, true},
	{`^(?:SKU)-(\d{4})$`, true},
	{`^[[:alpha:]_]{3}$`, true},
	{`^\Q.*\E-x$`, true},
	{`^[\x00-\x7f]{2}$`, true},
	{`^$`, false}, // nothing to shortcut
	{`^[A-Z]`, true},
	{`^SKU-[0-9]{7}`, true},
	{`\ASKU-`, true},
	{`SKU-[0-9]{7}`, false},
	{`[0-9]{7}$`, false},
	{`^`, false},
	{`(?m)^SKU-[0-9]{7}$`, false},
	{`^[0-9]+$`, false},
	{`^x{2,3}$`, false},
	{`^(ab|cd)$`, false},
	{`^a$|^b$`, false},
	{`^a.b$`, false},
	{`^[^0-9]{2}$`, false},
	{`^\x{e9}$`, false},
	{`(?i)^sku-\d{3}$`, false},
	{`(?i)^[a-z]{3}$`, false}, // k folds to the Kelvin sign
	{`^\bab$`, false},
}

// TestFixedPatternMatchesRegexp checks the shortcut against the regexp it
// stands for, on texts near and far from matching, in ASCII, other UTF-8
// and invalid UTF-8.
func TestFixedPatternMatchesRegexp(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 9))
	alphabet := []string{"S", "K", "U", "-", "0", "7", "9", "a", "f", "z", "A", "Z", "_", ".", "*", "x", " ", "\n", "\x00", "\x7f", "é", "\u212a", "\xff", "\xc3"}
	for _, tc := range fixedCases {
		re := regexp.MustCompile(tc.pattern)
		f := compileFixed(tc.pattern)
		if (f != nil) != tc.fixed {
			t.Errorf("%s: fixed %t, want %t", tc.pattern, f != nil, tc.fixed)
			continue
		}
		if f == nil {
			continue
		}
		texts := []string{""}
		matched := 0
		for range 3000 {
			// A text of the pattern's length from its own sets, then
			// perhaps one position changed, or one character more or less.
			var b strings.Builder
			for _, set := range f.sets {
				var members []byte
				for c := range 128 {
					if set[c>>6]&(1<<(c&63)) != 0 {
						members = append(members, byte(c))
					}
				}
				b.WriteByte(members[rng.IntN(len(members))])
			}
			s := b.String()
			switch rng.IntN(4) {
			case 1:
				i := rng.IntN(len(s))
				s = s[:i] + alphabet[rng.IntN(len(alphabet))] + s[i+1:]
			case 2:
				s += alphabet[rng.IntN(len(alphabet))]
			case 3:
				s = s[:len(s)-1]
			}
			texts = append(texts, s)
			var r strings.Builder
			for range rng.IntN(12) {
				r.WriteString(alphabet[rng.IntN(len(alphabet))])
			}
			texts = append(texts, r.String())
		}
		for _, s := range texts {
			got, want := f.match(s), re.MatchString(s)
			if got != want {
				t.Fatalf("%s: %q: shortcut %t, regexp %t", tc.pattern, s, got, want)
			}
			if want {
				matched++
			}
		}
		if matched < 500 {
			t.Errorf("%s: only %d texts match: the test checks too little", tc.pattern, matched)
		}
	}
}

func FuzzFixedPattern(f *testing.F) {
	for _, s := range []string{"SKU-1234567", "AB123456", "deadbeef", "SKU-1234", "abc", ".*-x", "\x7f\x00", "SKU-12345é", "\xff"} {
		f.Add(s)
	}
	type pair struct {
		re    *regexp.Regexp
		fixed *fixedPattern
	}
	var pairs []pair
	for _, tc := range fixedCases {
		if tc.fixed {
			pairs = append(pairs, pair{regexp.MustCompile(tc.pattern), compileFixed(tc.pattern)})
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range pairs {
			if got, want := p.fixed.match(s), p.re.MatchString(s); got != want {
				t.Fatalf("%s: %q: shortcut %t, regexp %t", p.re, s, got, want)
			}
		}
	})
}
