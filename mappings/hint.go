package mappings

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// closest returns the candidate nearest to s: an exact case-insensitive
// match first, else the smallest edit distance (case-insensitive) when it
// is small enough to be a plausible typo. ok is false when nothing is close.
func closest(s string, candidates []string) (best string, ok bool) {
	for _, c := range candidates {
		if strings.EqualFold(c, s) {
			return c, true
		}
	}
	ls := strings.ToLower(s)
	bestD := -1
	for _, c := range candidates {
		d := editDistance(ls, strings.ToLower(c))
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	if bestD < 0 {
		return "", false
	}
	n := max(utf8.RuneCountInString(s), utf8.RuneCountInString(best))
	if bestD <= max(2, n/3) && bestD < n {
		return best, true
	}
	return "", false
}

// didYouMean is the hint for a misspelt name among candidates: the closest
// one, or else a list of them (at most 12) introduced by what ("the
// columns are"); nothing when there are no candidates.
func didYouMean(s string, candidates []string, what string) string {
	if c, ok := closest(s, candidates); ok {
		return fmt.Sprintf("did you mean %q?", c)
	}
	if len(candidates) == 0 {
		return ""
	}
	return what + ": " + quoteList(candidates, 12)
}

// quoteList formats names as "a", "b", "c", at most n of them.
func quoteList(names []string, n int) string {
	var b strings.Builder
	for i, s := range names {
		if i == n {
			fmt.Fprintf(&b, ", … (%d more)", len(names)-n)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", s)
	}
	return b.String()
}

// identPattern is the syntax of field names.
const identPattern = `^[A-Za-z_][A-Za-z0-9_]*$`

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// reservedNames cannot be field names: the expression language's keywords
// and operators, and src.
var reservedNames = map[string]bool{
	"src": true, "nil": true, "true": true, "false": true, "and": true, "or": true,
	"not": true, "in": true, "matches": true, "contains": true, "startsWith": true,
	"endsWith": true, "let": true, "if": true, "else": true,
}

// identFor suggests an identifier for a name that is not one: "Product
// Name" → "product_name".
func identFor(s string) string {
	var b strings.Builder
	under := false
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			under = false
			b.WriteRune(unicode.ToLower(r))
		default:
			under = true
		}
	}
	out := b.String()
	if out == "" {
		return "field"
	}
	if out[0] >= '0' && out[0] <= '9' {
		out = "f_" + out
	}
	if reservedNames[out] {
		out += "_"
	}
	return out
}
