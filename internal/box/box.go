// Package box puts values into interfaces (any) a slab at a time.
//
// Rows travel through etl as []any, and Go boxes every non-pointer value
// it puts in an interface with a heap allocation of its own: a 1M-row,
// 10-column file costs ten million of them, and the garbage collector then
// has to find them all again. A Slab copies each value into the next free
// element of a slab and returns an interface that points at that element,
// so one allocation serves many values. An Arena bundles the slabs a row
// needs, the []any of its values and the big.Int of its decimals.
//
// The interfaces a Slab returns are ordinary interfaces: they compare,
// switch and print like any(v), and they are immutable because nothing
// writes an element of a slab once it is handed out (a full slab is left
// to the garbage collector and a new one is made, never reused). The cost
// is retention: while one interface is alive, its whole slab, and what the
// slab's values point to, stay reachable. Slabs are kept small for that.
//
// An Arena is not safe for concurrent use: give each goroutine its own.
package box

import (
	"math/big"
	"math/bits"
	"reflect"
	"time"
	"unsafe"

	"github.com/shopspring/decimal"
)

// slabBytes is the size of one slab: large enough that the allocation is
// shared by a few hundred values, small enough that one value kept for
// long (a key of a uniqueness check) keeps little with it. The runtime puts
// an 8-byte header before large objects that hold pointers, so a slab has
// room for a value less than slabBytes would hold: that way it fills its
// size class exactly.
const slabBytes = 4096

// slabLen is the number of elements of size bytes a slab of slabBytes holds.
func slabLen(size, slab uintptr) int { return int((slab - 8) / size) }

// valuesSlab is the size of the slabs of []any, shared by the rows of a
// batch (16 KiB: 1023 values).
const valuesSlab = 4 * slabBytes

// Boxable lists the types a Slab boxes. Each is represented in an
// interface by a pointer to a copy of the value (none is pointer-shaped),
// which is what lets the interface point into a slab.
type Boxable interface {
	~string | ~int64 | ~float64 | time.Time | decimal.Decimal
}

// eface is the runtime's layout of an empty interface: the type, then a
// pointer to the value for every type that is not pointer-shaped.
type eface struct {
	typ  unsafe.Pointer
	data unsafe.Pointer
}

// Slab boxes values of type T. The zero Slab is ready to use.
type Slab[T Boxable] struct {
	free []T
	typ  unsafe.Pointer // T's type, as interfaces hold it
}

// Box returns v in an interface, as any(v) would, without an allocation
// of its own.
func (s *Slab[T]) Box(v T) any {
	if len(s.free) == 0 {
		var zero T
		s.free = make([]T, slabLen(unsafe.Sizeof(zero), slabBytes))
		if s.typ == nil {
			e := any(s.free[0])
			s.typ = (*eface)(unsafe.Pointer(&e)).typ
		}
	}
	p := &s.free[0]
	*p = v
	s.free = s.free[1:]
	var e any
	*(*eface)(unsafe.Pointer(&e)) = eface{typ: s.typ, data: unsafe.Pointer(p)}
	return e
}

// Arena holds the slabs that the values of many rows share.
type Arena struct {
	Strings  Slab[string]
	Int64s   Slab[int64]
	Float64s Slab[float64]
	Times    Slab[time.Time]
	Decimals Slab[decimal.Decimal]

	values []any
	ints   []big.Int
	words  []big.Word
}

// Values returns n nil interfaces for the values of one row. Appending to
// the slice moves it out of the arena rather than into the next row.
func (a *Arena) Values(n int) []any {
	if len(a.values) < n {
		if k := slabLen(unsafe.Sizeof(any(nil)), valuesSlab); n <= k/4 {
			a.values = make([]any, k)
		} else {
			return make([]any, n) // a wide row takes its own
		}
	}
	v := a.values[:n:n]
	a.values = a.values[n:]
	return v
}

// Decimal returns unscaled × 10^exp, as decimal.New(unscaled, exp) would,
// with its big.Int taken from the arena.
func (a *Arena) Decimal(unscaled int64, exp int32) decimal.Decimal {
	if !decimalLayoutKnown || unscaled == 0 {
		return decimal.New(unscaled, exp)
	}
	if len(a.ints) == 0 {
		n := slabLen(unsafe.Sizeof(big.Int{}), 2*slabBytes)
		a.ints, a.words = make([]big.Int, n), make([]big.Word, n)
	}
	z, w := &a.ints[0], a.words[:1:1]
	a.ints, a.words = a.ints[1:], a.words[1:]
	u := uint64(unscaled)
	if unscaled < 0 {
		u = -u
	}
	w[0] = big.Word(u)
	z.SetBits(w)
	if unscaled < 0 {
		z.Neg(z)
	}
	return *(*decimal.Decimal)(unsafe.Pointer(&decimalLayout{value: z, exp: exp}))
}

// decimalLayout mirrors decimal.Decimal, whose fields are unexported.
type decimalLayout struct {
	value *big.Int
	exp   int32
}

// decimalLayoutKnown says that decimal.Decimal is laid out as
// decimalLayout (checked field by field, so that another version of the
// library falls back to decimal.New rather than to wrong values), and that
// a big.Word holds an int64.
var decimalLayoutKnown = func() bool {
	if bits.UintSize != 64 {
		return false
	}
	got, want := reflect.TypeFor[decimal.Decimal](), reflect.TypeFor[decimalLayout]()
	if got.Size() != want.Size() || got.NumField() != want.NumField() {
		return false
	}
	for i := range got.NumField() {
		g, w := got.Field(i), want.Field(i)
		if g.Name != w.Name || g.Type != w.Type || g.Offset != w.Offset {
			return false
		}
	}
	return true
}()
