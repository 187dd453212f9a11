package mappings

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/etl-dev/etl/internal/suggest"
)

// didYouMean is the hint for a misspelt name among candidates: the closest
// one, or else a list of them (at most 12) introduced by what ("the
// columns are"); nothing when there are no candidates.
func didYouMean(s string, candidates []string, what string) string {
	if c := suggest.Closest(s, candidates); c != "" {
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
