// Package suggest finds the closest valid name to a mistyped one, for
// error hints such as `did you mean "source"?`.
package suggest

import "strings"

// Closest returns the candidate nearest to name, or "" when none is near
// enough to be a plausible typo. A case-insensitive exact match wins; then
// the smallest edit distance, allowed up to a third of the name's length
// (at least 2); a name that contains or is contained in a candidate counts
// as one edit.
func Closest(name string, candidates []string) string {
	lower := strings.ToLower(strings.TrimSpace(name))
	best, bestDist := "", -1
	for _, c := range candidates {
		lc := strings.ToLower(c)
		if lc == lower {
			return c
		}
		d := distance(lower, lc)
		// "Price" for "Unit Price": a containing name is as good as one typo.
		if len(lower) >= 3 && len(lc) >= 3 && (strings.Contains(lc, lower) || strings.Contains(lower, lc)) {
			d = min(d, 1)
		}
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := max(2, len([]rune(lower))/3)
	if bestDist < 0 || bestDist > limit {
		return ""
	}
	return best
}

// Hint formats Closest as ` (did you mean "x"?)`, or "" when there is none.
func Hint(name string, candidates []string) string {
	if c := Closest(name, candidates); c != "" {
		return `did you mean "` + c + `"?`
	}
	return ""
}

// distance is the Levenshtein distance between a and b, by runes.
func distance(a, b string) int {
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
