package mappings

import "regexp/syntax"

// fixedPattern is a pattern that matches text of one length only, each
// byte from a set of ASCII characters: ^SKU-[0-9]{7}$, ^[A-Z]{2}[0-9]{6}$;
// or, when open, text that starts so: ^[A-Z]. Such codes are the usual
// patterns of a catalog, and checking them byte by byte costs a tenth of
// what the regexp package's general matcher does. It is only a shortcut:
// the pattern keeps its *regexp.Regexp, which every other pattern and
// every message use.
type fixedPattern struct {
	sets []asciiSet
	open bool // not anchored at the end: any text may follow the sets
}

// asciiSet is a set of ASCII characters, a bit each.
type asciiSet [2]uint64

// maxFixedLen bounds the patterns compiled to a fixedPattern.
const maxFixedLen = 256

// compileFixed returns the fixedPattern of a pattern (in the syntax of
// regexp.Compile), or nil when the pattern is not one: it must be
// anchored at the start (^ without the m flag, or \A), perhaps at the end
// ($ or \z), and hold only ASCII literals, classes of ASCII characters,
// exact repetitions and groups of those. Case-insensitive literals are
// left to the regexp, since (?i)k also matches the Kelvin sign.
func compileFixed(pattern string) *fixedPattern {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	re = re.Simplify() // x{3} → xxx
	if re.Op != syntax.OpConcat || len(re.Sub) < 2 || re.Sub[0].Op != syntax.OpBeginText {
		return nil
	}
	subs := re.Sub[1:]
	f := &fixedPattern{open: true}
	if subs[len(subs)-1].Op == syntax.OpEndText {
		subs, f.open = subs[:len(subs)-1], false
	}
	for _, sub := range subs {
		var ok bool
		if f.sets, ok = appendFixed(f.sets, sub); !ok {
			return nil
		}
	}
	if len(f.sets) == 0 {
		return nil // ^$ or ^: nothing worth a shortcut
	}
	return f
}

// appendFixed appends the positions of re to f; ok is false when re is not
// of a fixed length of ASCII characters.
func appendFixed(f []asciiSet, re *syntax.Regexp) ([]asciiSet, bool) {
	switch re.Op {
	case syntax.OpEmptyMatch:
		return f, true
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil, false
		}
		for _, r := range re.Rune {
			if r >= 0x80 || len(f) == maxFixedLen {
				return nil, false
			}
			var s asciiSet
			s.add(byte(r))
			f = append(f, s)
		}
		return f, true
	case syntax.OpCharClass:
		var s asciiSet
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			if hi >= 0x80 {
				return nil, false
			}
			for c := lo; c <= hi; c++ {
				s.add(byte(c))
			}
		}
		if len(f) == maxFixedLen {
			return nil, false
		}
		return append(f, s), true
	case syntax.OpCapture, syntax.OpConcat:
		for _, sub := range re.Sub {
			var ok bool
			if f, ok = appendFixed(f, sub); !ok {
				return nil, false
			}
		}
		return f, true
	}
	return nil, false
}

func (s *asciiSet) add(c byte) { s[c>>6] |= 1 << (c & 63) }

// match reports whether s matches, as the pattern's regexp would. The
// regexp reads runes and the sets hold ASCII only, so a match is a text
// of len(f.sets) ASCII characters (open: that starts with them), each in
// its set; a byte that is not ASCII, as every byte of another rune or of
// invalid UTF-8 is, matches no set.
func (f *fixedPattern) match(s string) bool {
	if len(s) != len(f.sets) {
		if !f.open || len(s) < len(f.sets) {
			return false
		}
		s = s[:len(f.sets)]
	}
	for i, set := range f.sets {
		c := s[i]
		if c >= 0x80 || set[c>>6]&(1<<(c&63)) == 0 {
			return false
		}
	}
	return true
}
