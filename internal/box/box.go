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
// writes an element of a slab once it is handed out, until Arena.Reset
// says that nothing refers to them any more (then the arena hands out the
// same memory again; without Reset, a full slab is left to the garbage
// collector). The cost is retention: while one interface is alive, its
// whole slab, and what the slab's values point to, stay reachable. Slabs
// are kept small for that.
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

// slabs hands out elements of T a slab at a time and, after reset, the
// same slabs again.
type slabs[T any] struct {
	cur   []T   // the slab being handed out
	next  int   // its first free element
	full  [][]T // the other slabs handed out since the last reset
	spare [][]T // slabs to hand out again
}

// take returns n zeroed elements of one slab of size bytes (n at most a
// slab's length), or nil when n is more than a quarter of a slab: such a
// request takes memory of its own.
func (s *slabs[T]) take(n int, size uintptr) []T {
	if s.next+n > len(s.cur) {
		var zero T
		k := slabLen(unsafe.Sizeof(zero), size)
		if n > k/4 && n > 1 {
			return nil
		}
		if s.cur != nil {
			s.full = append(s.full, s.cur)
		}
		if last := len(s.spare) - 1; last >= 0 {
			s.cur, s.spare = s.spare[last], s.spare[:last]
		} else {
			s.cur = make([]T, k)
		}
		s.next = 0
	}
	v := s.cur[s.next : s.next+n : s.next+n]
	s.next += n
	return v
}

// reset makes every element handed out free again, zeroed so that it
// keeps nothing reachable.
func (s *slabs[T]) reset() {
	if s.cur != nil {
		s.full = append(s.full, s.cur)
	}
	for _, slab := range s.full {
		clear(slab)
	}
	s.spare = append(s.spare, s.full...)
	clear(s.full)
	s.cur, s.next, s.full = nil, 0, s.full[:0]
}

// Slab boxes values of type T. The zero Slab is ready to use.
type Slab[T Boxable] struct {
	slabs slabs[T]
	typ   unsafe.Pointer // T's type, as interfaces hold it
}

// Box returns v in an interface, as any(v) would, without an allocation
// of its own.
func (s *Slab[T]) Box(v T) any {
	if s.typ == nil {
		var zero T
		e := any(zero)
		s.typ = (*eface)(unsafe.Pointer(&e)).typ
	}
	p := &s.slabs.take(1, slabBytes)[0]
	*p = v
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

	values slabs[any]
	ints   slabs[big.Int]
	words  slabs[big.Word]
}

// Reset makes the arena hand out the memory of every value it handed out
// again: those values, and the interfaces and slices that hold them, are
// no longer valid. Call it only once nothing refers to any of them.
func (a *Arena) Reset() {
	a.Strings.slabs.reset()
	a.Int64s.slabs.reset()
	a.Float64s.slabs.reset()
	a.Times.slabs.reset()
	a.Decimals.slabs.reset()
	a.values.reset()
	a.ints.reset()
	a.words.reset()
}

// Values returns n nil interfaces for the values of one row. Appending to
// the slice moves it out of the arena rather than into the next row.
func (a *Arena) Values(n int) []any {
	if v := a.values.take(n, valuesSlab); v != nil {
		return v
	}
	return make([]any, n) // a wide row takes its own
}

// Decimal returns unscaled × 10^exp, as decimal.New(unscaled, exp) would,
// with its big.Int taken from the arena.
func (a *Arena) Decimal(unscaled int64, exp int32) decimal.Decimal {
	if !decimalLayoutKnown || unscaled == 0 {
		return decimal.New(unscaled, exp)
	}
	z, w := &a.ints.take(1, 2*slabBytes)[0], a.words.take(1, 2*slabBytes)
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
