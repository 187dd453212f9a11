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
					v, ok := c.fastDecimal(n)
					if !ok {
						continue
					}
					got := decimal.New(v, -int32(scale))
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
		if v, ok := c.fastDecimal(n); ok {
			t.Errorf("decimal(18,2): fast path accepted %q as %d", n, v)
		}
	}
}

// TestCoerceDecimalEdges covers the edges of the fast path through coerce,
// with and without an arena (runCoerceCases checks both).
func TestCoerceDecimalEdges(t *testing.T) {
	d := FieldSpec{Type: "decimal"}
	big := FieldSpec{Type: "decimal", Precision: ptr(30), Scale: ptr(10)}
	runCoerceCases(t, []coerceCase{
		{name: "largest", spec: d, in: "9999999999999999.99", want: dec("9999999999999999.99")},
		{name: "smallest", spec: d, in: "-9999999999999999.99", want: dec("-9999999999999999.99")},
		{name: "one digit too many", spec: d, in: "99999999999999999.99", wantErr: "has too many digits for decimal(18,2): at most 16 before the decimal point; raise precision"},
		{name: "negative too many", spec: d, in: "-12345678901234567", wantErr: "too many digits for decimal(18,2)"},
		{name: "leading zeros", spec: d, in: "0000000000000000000000001.5", want: dec("1.50")},
		{name: "plus", spec: d, in: "+7.1", want: dec("7.10")},
		{name: "negative zero", spec: d, in: "-0.00", want: dec("0.00")},
		{name: "zero", spec: d, in: "0", want: dec("0.00")},
		{name: "trailing zero beyond scale", spec: d, in: "12.340", want: dec("12.34")},
		{name: "beyond scale", spec: d, in: "12.345", wantErr: `"12.345" has more than 2 decimals (the field's scale): it would become 12.35; raise scale`},
		{name: "half even down", spec: FieldSpec{Type: "decimal", Round: "half_even"}, in: "12.345", want: dec("12.34")},
		{name: "half even up", spec: FieldSpec{Type: "decimal", Round: "half_even"}, in: "-12.355", want: dec("-12.36")},
		{name: "half up", spec: FieldSpec{Type: "decimal", Round: "half_up"}, in: "-12.345", want: dec("-12.35")},
		{name: "down", spec: FieldSpec{Type: "decimal", Round: "down"}, in: "12.349", want: dec("12.34")},
		{name: "down in scale", spec: FieldSpec{Type: "decimal", Round: "down"}, in: "-12.3", want: dec("-12.3")},
		{name: "rounding overflows precision", spec: FieldSpec{Type: "decimal", Precision: ptr(4), Round: "half_up"}, in: "99.995", wantErr: "too many digits for decimal(4,2)"},
		{name: "scale 0", spec: FieldSpec{Type: "decimal", Precision: ptr(18), Scale: ptr(0)}, in: "999999999999999999", want: dec("999999999999999999")},
		{name: "scale 18", spec: FieldSpec{Type: "decimal", Precision: ptr(18), Scale: ptr(18)}, in: "-0.123456789012345678", want: dec("-0.123456789012345678")},
		{name: "many digits", spec: big, in: "12345678901234567890.1234567890", want: dec("12345678901234567890.1234567890")},
		{name: "many digits negative", spec: big, in: "-1.5", want: dec("-1.5000000000")},
		{name: "precision 30 overflow", spec: big, in: "123456789012345678901", wantErr: "too many digits for decimal(30,10)"},
		{name: "replace leaves spaces", spec: FieldSpec{Type: "decimal", Replace: Replacements{{"_", " "}}}, in: " _12.5_ ", want: dec("12.50")},
		{name: "replace leaves blank", spec: FieldSpec{Type: "decimal", Replace: Replacements{{"-", " "}}}, in: "-", want: nil},
		{name: "case leaves spaces", spec: FieldSpec{Type: "integer", Case: "upper", Replace: Replacements{{"x", " "}}}, in: "x7x", want: int64(7)},
		{name: "dot only", spec: d, in: ".", wantErr: "not a decimal"},
		{name: "sign only", spec: d, in: "-", wantErr: "not a decimal"},
		{name: "two signs", spec: d, in: "--1", wantErr: "not a decimal"},
	})
}
