package mappings

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// TestFastDecimalMatchesExactPath checks that the int64 fast path of
// parseDecimal gives exactly the value (digits and exponent) of the exact
// path for every text it accepts, and that it declines what it must leave
// to the exact path (rounding, too many digits, exponents, odd shapes).
func TestFastDecimalMatchesExactPath(t *testing.T) {
	t.Parallel()
	fixed := []string{"", ".", "5.", ".5", "+", "-", "-0", "+0", "00.00", "0", "0.0", "1e3", "1E-2", "12.3.4", "12,5", " 1",
		"999999999999999999", "9999999999999999.99", "99999999999999999.9", "1234567890123456789", "0000000000000000000000001.5",
		"-0.001", "12.345", "12.340", "-99.99", "100", "1_000", "0x10", "١٢"}
	rng := rand.New(rand.NewPCG(7, 15))
	random := func() string {
		var b strings.Builder
		switch rng.IntN(4) {
		case 0:
			b.WriteByte('-')
		case 1:
			b.WriteByte('+')
		}
		for range rng.IntN(3) {
			b.WriteByte('0')
		}
		for range rng.IntN(21) {
			b.WriteByte(byte('0' + rng.IntN(10)))
		}
		if rng.IntN(3) > 0 {
			b.WriteByte('.')
			for range rng.IntN(6) {
				b.WriteByte(byte('0' + rng.IntN(10)))
			}
		}
		return b.String()
	}
	accepted := 0
	for _, prec := range []int{1, 4, 9, 18, 19, 30} {
		for scale := 0; scale <= 5; scale++ {
			for _, round := range []roundMode{roundNever, roundHalfEven, roundHalfUp, roundDown} {
				c := newCoercer(0)
				c.precision, c.scale, c.round = prec, scale, round
				texts := append([]string(nil), fixed...)
				for range 300 {
					texts = append(texts, random())
				}
				for _, n := range texts {
					got, ok := c.fastDecimal(n)
					if !ok {
						continue
					}
					accepted++
					if !isNumber(n) {
						t.Fatalf("decimal(%d,%d): fast path accepted %q, which is not a number", prec, scale, n)
					}
					d, tiny, err := parseDec(n)
					if err != nil || tiny {
						t.Fatalf("decimal(%d,%d): fast path accepted %q, the exact path fails (%v, tiny %t)", prec, scale, n, err, tiny)
					}
					want, msg := c.fitDecimal(d, n)
					if msg != "" {
						t.Fatalf("decimal(%d,%d) round %v: fast path accepted %q as %s; the exact path says %s", prec, scale, round, n, got, msg)
					}
					w := want.(decimal.Decimal)
					if !got.Equal(w) || got.Exponent() != w.Exponent() || got.String() != w.String() || got.Coefficient().Cmp(w.Coefficient()) != 0 {
						t.Fatalf("decimal(%d,%d) round %v: %q: fast path %s (exp %d), exact path %s (exp %d)", prec, scale, round, n, got, got.Exponent(), w, w.Exponent())
					}
				}
			}
		}
	}
	if accepted < 1000 {
		t.Fatalf("the fast path accepted only %d texts: the test checks too little", accepted)
	}
	// What the fast path must leave to the exact path.
	c := newCoercer(0)
	c.precision, c.scale = 18, 2
	for _, n := range []string{"12.345", "1e3", ".5", "5.", "1234567890123456789", "12345678901234567.5", "--1", "1 "} {
		if d, ok := c.fastDecimal(n); ok {
			t.Errorf("decimal(18,2): fast path accepted %q as %s", n, d)
		}
	}
}
