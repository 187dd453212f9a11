package sources

import (
	"io"
	"unicode/utf8"
)

// utf8Scan passes text through and notes where it is not valid UTF-8, a
// read at a time, so that the records of a clean stretch of the file need
// no check of their own: checking each cell costs a call per cell, while a
// read of a few kilobytes is checked in one pass. Records that overlap a
// stretch with invalid bytes are checked cell by cell, as before, to say
// which cell it is.
type utf8Scan struct {
	r      io.Reader
	offset int64  // bytes passed on so far
	carry  []byte // the start of a rune the last read cut, at offset-len(carry)
	joined []byte // carry and the next read, when a rune was cut
	// dirty holds the stretches [from, to) of offsets with invalid text,
	// in order; stretches before the last record asked about are dropped.
	dirty [][2]int64
}

func (u *utf8Scan) Read(p []byte) (int, error) {
	n, err := u.r.Read(p)
	start := u.offset - int64(len(u.carry))
	text := p[:n]
	if len(u.carry) > 0 {
		u.joined = append(append(u.joined[:0], u.carry...), text...)
		text = u.joined
	}
	// Hold back a rune cut by the end of the read: it is checked with the
	// start of the next one.
	cut := incompleteTail(text)
	if !utf8.Valid(text[:len(text)-cut]) {
		u.markDirty(start, start+int64(len(text)-cut))
	}
	u.carry = append(u.carry[:0], text[len(text)-cut:]...)
	u.offset += int64(n)
	if err != nil && len(u.carry) > 0 {
		// The text ends inside a rune.
		u.markDirty(u.offset-int64(len(u.carry)), u.offset)
		u.carry = u.carry[:0]
	}
	return n, err
}

func (u *utf8Scan) markDirty(from, to int64) {
	if k := len(u.dirty); k > 0 && u.dirty[k-1][1] >= from {
		u.dirty[k-1][1] = max(u.dirty[k-1][1], to)
		return
	}
	u.dirty = append(u.dirty, [2]int64{from, to})
}

// clean says whether the text at offsets [from, to) is known to be valid.
// Calls must come with from never decreasing.
func (u *utf8Scan) clean(from, to int64) bool {
	for len(u.dirty) > 0 && u.dirty[0][1] <= from {
		u.dirty = u.dirty[1:]
	}
	if len(u.dirty) > 0 && u.dirty[0][0] < to {
		return false
	}
	// Text held back in carry has not been checked yet.
	return to <= u.offset-int64(len(u.carry))
}

// incompleteTail is the length of a rune at the end of b that may be cut
// (a leading byte whose sequence runs past the end), 0 when there is none.
func incompleteTail(b []byte) int {
	for i := 1; i <= utf8.UTFMax-1 && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < utf8.RuneSelf {
			return 0 // ASCII: nothing is cut
		}
		if utf8.RuneStart(c) {
			if need := runeLen(c); need > i {
				return i
			}
			return 0
		}
	}
	return 0
}

// runeLen is the length of the sequence a leading byte announces (1 for
// bytes that cannot lead one: they are invalid wherever they are).
func runeLen(c byte) int {
	switch {
	case c&0xE0 == 0xC0:
		return 2
	case c&0xF0 == 0xE0:
		return 3
	case c&0xF8 == 0xF0:
		return 4
	}
	return 1
}
