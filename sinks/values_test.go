package sinks

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/pipeline"
)

// unscaledRef is unscaled done the slow, obvious way.
func unscaledRef(d decimal.Decimal, precision, scale int) (*big.Int, decFault) {
	shifted := d.Shift(int32(scale))
	if !shifted.IsInteger() {
		return nil, decScale
	}
	v := shifted.BigInt()
	if precision > 0 && len(new(big.Int).Abs(v).String()) > precision && v.Sign() != 0 {
		return nil, decPrecision
	}
	return v, decOK
}

func TestUnscaled(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	coefficients := []string{"0", "1", "-1", "7", "999999999999999999", "-999999999999999999",
		"1000000000000000000", "9223372036854775807", "-9223372036854775808", "123456789012345678901234567890"}
	for range 2000 {
		coefficients = append(coefficients, fmt.Sprint(rng.Int64N(1<<62)-(1<<61)))
	}
	for _, cs := range coefficients {
		c, _ := new(big.Int).SetString(cs, 10)
		for exp := -25; exp <= 25; exp += 1 + rng.IntN(4) {
			d := decimal.NewFromBigInt(c, int32(exp))
			for _, ps := range [][2]int{{0, 0}, {0, 4}, {9, 2}, {18, 0}, {18, 6}, {19, 3}, {38, 10}, {5, 5}} {
				small, bigv, fault := unscaled(d, ps[0], ps[1])
				want, wantFault := unscaledRef(d, ps[0], ps[1])
				if fault != wantFault {
					t.Fatalf("unscaled(%s, %d, %d): fault %d, want %d", d, ps[0], ps[1], fault, wantFault)
				}
				if fault != decOK {
					continue
				}
				got := big.NewInt(small)
				if bigv != nil {
					got = bigv
					if bigv.IsInt64() {
						t.Errorf("unscaled(%s): big result %s fits int64", d, bigv)
					}
				}
				if got.Cmp(want) != 0 {
					t.Fatalf("unscaled(%s, %d, %d) = %s, want %s", d, ps[0], ps[1], got, want)
				}
				// The text form reads back as the same number.
				f := pipeline.Field{Precision: ps[0], Scale: ps[1]}
				text, tf := appendDecimal(nil, d, &f)
				if tf != decOK || !dec(string(text)).Equal(d) {
					t.Fatalf("appendDecimal(%s, %v) = %s, %d", d, ps, text, tf)
				}
			}
		}
	}
}

func TestAppendDecimal(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in       string
		prec, sc int
		want     string
	}{
		{"1.5", 10, 2, "1.50"},
		{"-0.05", 10, 2, "-0.05"},
		{"-0.5", 0, 3, "-0.500"},
		{"12.3400", 0, 0, "12.3400"}, // no precision nor scale: as it is
		{"1E+3", 0, 0, "1000"},
		{"-9223372036854775808", 0, 0, "-9223372036854775808"},
		{"123456789012345678901234.5", 30, 2, "123456789012345678901234.50"},
		{"0", 5, 5, "0.00000"},
	}
	for _, c := range cases {
		f := pipeline.Field{Precision: c.prec, Scale: c.sc}
		got, fault := appendDecimal(nil, dec(c.in), &f)
		if fault != decOK || string(got) != c.want {
			t.Errorf("appendDecimal(%s, %d, %d) = %q, %d; want %q", c.in, c.prec, c.sc, got, fault, c.want)
		}
	}
}

func TestMaxDecimal(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		p, s int
		want string
	}{{6, 2, "9999.99"}, {3, 0, "999"}, {2, 2, "0.99"}} {
		if got := maxDecimal(c.p, c.s); got != c.want {
			t.Errorf("maxDecimal(%d, %d) = %s", c.p, c.s, got)
		}
	}
}
