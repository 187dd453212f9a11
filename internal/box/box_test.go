package box

import (
	"fmt"
	"math"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"github.com/shopspring/decimal"
)

type sku string

func TestSlabBoxesLikeAny(t *testing.T) {
	var a Arena
	var names Slab[sku]
	ts := time.Date(2026, 12, 1, 10, 30, 0, 5000, time.UTC)
	d := decimal.RequireFromString("-1234.5678")
	cases := []struct{ got, want any }{
		{a.Strings.Box("SKU-0000001"), "SKU-0000001"},
		{a.Strings.Box(""), ""},
		{a.Int64s.Box(-42), int64(-42)},
		{a.Int64s.Box(math.MaxInt64), int64(math.MaxInt64)},
		{a.Float64s.Box(2.5), 2.5},
		{a.Times.Box(ts), ts},
		{a.Decimals.Box(d), d},
		{names.Box("A-1"), sku("A-1")},
	}
	for _, c := range cases {
		if fmt.Sprintf("%T %v", c.got, c.got) != fmt.Sprintf("%T %v", c.want, c.want) {
			t.Errorf("boxed %T %v, want %T %v", c.got, c.got, c.want, c.want)
		}
		if _, isDecimal := c.want.(decimal.Decimal); !isDecimal && c.got != c.want {
			t.Errorf("boxed %v != any(%v)", c.got, c.want)
		}
	}
	if got, ok := cases[5].got.(time.Time); !ok || !got.Equal(ts) {
		t.Errorf("a time switches back to %v, %v", got, ok)
	}
	if got, ok := cases[6].got.(decimal.Decimal); !ok || !got.Equal(d) {
		t.Errorf("a decimal switches back to %v, %v", got, ok)
	}
}

// The values stay what they were boxed as across garbage collections and
// across later boxes (no slab element is ever reused).
func TestSlabValuesSurviveCollections(t *testing.T) {
	var a Arena
	const n = 5 * slabBytes / 16
	boxed := make([]any, n)
	for i := range n {
		boxed[i] = a.Strings.Box(fmt.Sprintf("value-%d", i))
		if i%97 == 0 {
			runtime.GC()
		}
	}
	runtime.GC()
	for i, v := range boxed {
		if want := fmt.Sprintf("value-%d", i); v != want {
			t.Fatalf("value %d is %v, want %s", i, v, want)
		}
	}
}

func TestSlabAllocatesOncePerSlab(t *testing.T) {
	var a Arena
	s := "text"
	allocs := testing.AllocsPerRun(10*slabBytes/16, func() { _ = a.Strings.Box(s) })
	if allocs > 2.0/(slabBytes/16) {
		t.Errorf("%.3f allocations a value, want one a slab", allocs)
	}
	allocs = testing.AllocsPerRun(10*slabBytes/16, func() { _ = a.Decimal(123456, -2) })
	if allocs > 3.0/(slabBytes/16) {
		t.Errorf("Decimal: %.3f allocations a value, want a few a slab", allocs)
	}
}

func TestValuesDoNotOverlap(t *testing.T) {
	var a Arena
	first := a.Values(3)
	second := a.Values(3)
	first = append(first, "moved")
	first[0] = "a"
	if second[0] != nil || len(second) != 3 {
		t.Fatalf("the next row's values changed: %v", second)
	}
	if wide := a.Values(1000); len(wide) != 1000 || cap(wide) != 1000 {
		t.Fatalf("Values(1000) has %d elements (capacity %d)", len(wide), cap(wide))
	}
}

func TestDecimalEqualsDecimalNew(t *testing.T) {
	if !decimalLayoutKnown {
		t.Fatal("decimal.Decimal's layout changed (a new shopspring/decimal?): update decimalLayout, or Arena.Decimal allocates as decimal.New does")
	}
	var a Arena
	for _, u := range []int64{0, 1, -1, 123456, -123456, math.MaxInt64, math.MinInt64} {
		for _, exp := range []int32{0, -2, -8, 3} {
			got, want := a.Decimal(u, exp), decimal.New(u, exp)
			if !got.Equal(want) || got.String() != want.String() || got.Exponent() != want.Exponent() {
				t.Errorf("Decimal(%d, %d) = %s (exp %d), want %s", u, exp, got, got.Exponent(), want)
			}
			// Arithmetic leaves the arena's value alone.
			sum := got.Add(decimal.New(1, exp))
			if !got.Equal(want) || !sum.Equal(want.Add(decimal.New(1, exp))) {
				t.Errorf("Decimal(%d, %d) changed by arithmetic: %s, sum %s", u, exp, got, sum)
			}
		}
	}
}

// After Reset the arena hands out the same memory: a batch of rows costs
// no allocation once the arena has served one like it.
func TestResetReusesTheSlabs(t *testing.T) {
	var a Arena
	batch := func() []any {
		var rows []any
		for i := range 3000 {
			v := a.Values(3)
			v[0] = a.Strings.Box(fmt.Sprint("sku-", i))
			v[1] = a.Decimals.Box(a.Decimal(int64(i), -2))
			v[2] = a.Times.Box(time.Unix(int64(i), 0))
			rows = append(rows, v)
		}
		return rows
	}
	first := batch()
	if got := first[2999].([]any)[0]; got != "sku-2999" {
		t.Fatalf("value %v", got)
	}
	a.Reset()
	var fresh Arena
	fresh.Reset() // a new arena resets too
	allocs := testing.AllocsPerRun(3, func() {
		a.Reset()
		for i := range 3000 {
			v := a.Values(3)
			v[0] = a.Strings.Box("sku")
			v[1] = a.Decimals.Box(a.Decimal(int64(i+1), -2))
			v[2] = a.Times.Box(time.Time{})
		}
	})
	if allocs > 0 {
		t.Errorf("%.1f allocations for a batch after Reset, want none", allocs)
	}
	a.Reset()
	second := batch()
	for i, r := range second {
		v := r.([]any)
		if v[0] != fmt.Sprint("sku-", i) || !v[1].(decimal.Decimal).Equal(decimal.New(int64(i), -2)) || !v[2].(time.Time).Equal(time.Unix(int64(i), 0)) {
			t.Fatalf("row %d after Reset: %v", i, v)
		}
	}
}

// indirect reports whether Go keeps a T in an interface as a pointer to a
// copy of it, which is what Box relies on (pointer-shaped types are kept
// as the pointer itself).
func indirect[T comparable](v T) bool {
	e := any(v)
	data := (*eface)(unsafe.Pointer(&e)).data
	return data != nil && *(*T)(data) == v
}

func TestBoxableTypesAreHeldIndirectly(t *testing.T) {
	d := decimal.New(12345, -2)
	for name, ok := range map[string]bool{
		"string":          indirect("text"),
		"int64":           indirect(int64(1) << 40),
		"float64":         indirect(2.5),
		"time.Time":       indirect(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)),
		"decimal.Decimal": indirect(decimalLayout{value: d.Coefficient(), exp: d.Exponent()}) && unsafe.Sizeof(d) == unsafe.Sizeof(decimalLayout{}),
	} {
		if !ok {
			t.Errorf("an interface holds a %s directly: Slab cannot box it", name)
		}
	}
}
