package inspect

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/etl-dev/etl/pipeline"
)

// kind is a type a text value can be read as, in the order inference
// prefers them: the first kind every value fits wins.
type kind int

const (
	kInteger kind = iota
	kDecimal
	kFloat
	kBool
	kDate
	kTimestamp
	numKinds
)

var kindTypes = [numKinds]pipeline.Type{
	pipeline.TypeInteger, pipeline.TypeDecimal, pipeline.TypeFloat,
	pipeline.TypeBool, pipeline.TypeDate, pipeline.TypeTimestamp,
}

func kindOf(t pipeline.Type) (kind, bool) {
	for k, kt := range kindTypes {
		if kt == t {
			return kind(k), true
		}
	}
	return 0, false
}

// kindSet is a bit set of kinds.
type kindSet uint8

func (s kindSet) has(k kind) bool { return s&(1<<k) != 0 }

// classify returns the kinds the trimmed, non-empty text v can be read as,
// and its scale (digits after the point) when it is a decimal.
//
// The rules are deliberately strict, so that a type inferred here is one a
// mapping can convert without surprises:
//   - integers are optionally signed digits that fit in 64 bits, without a
//     leading zero ("007" stays text, or it would lose its zeros);
//   - decimals use a point and no grouping ("1,250.00" and "12,50" are text);
//   - floats are decimals or numbers with an exponent ("1.5e3");
//   - booleans are yes/no, true/false, y/n and 1/0, in any case (a column of
//     only 1 and 0 is an integer column, integers being tried first);
//   - dates are ISO yyyy-mm-dd and must exist (2026-02-30 is text);
//   - timestamps are ISO dates with a time, "T" or a space between, with
//     optional seconds, fraction and zone; every date is also a timestamp.
func classify(v string) (set kindSet, scale int) {
	if isBool(v) {
		set |= 1 << kBool
	}
	c := v[0]
	if c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' {
		s, sc := classifyNumber(v)
		set |= s
		scale = sc
		if s == 0 && len(v) >= 10 && v[4] == '-' {
			set |= classifyTime(v)
		}
	}
	return set, scale
}

func isBool(v string) bool {
	switch len(v) {
	case 1, 2, 3, 4, 5:
	default:
		return false
	}
	switch strings.ToLower(v) {
	case "yes", "no", "true", "false", "y", "n", "1", "0":
		return true
	}
	return false
}

func classifyNumber(v string) (kindSet, int) {
	s := v
	if s[0] == '-' || s[0] == '+' {
		s = s[1:]
	}
	mant, exp, hasExp := s, "", false
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, exp, hasExp = s[:i], s[i+1:], true
	}
	intPart, frac, hasPoint := strings.Cut(mant, ".")
	if !digits(intPart) && intPart != "" || !digits(frac) && frac != "" || intPart == "" && frac == "" {
		return 0, 0
	}
	if len(intPart) > 1 && intPart[0] == '0' {
		return 0, 0 // a leading zero: an identifier, not a number
	}
	if hasExp {
		if exp != "" && (exp[0] == '-' || exp[0] == '+') {
			exp = exp[1:]
		}
		if !digits(exp) || exp == "" {
			return 0, 0
		}
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return 0, 0
		}
		return 1 << kFloat, 0
	}
	set := kindSet(1<<kDecimal | 1<<kFloat)
	if !hasPoint {
		if _, err := strconv.ParseInt(v, 10, 64); err == nil {
			set |= 1 << kInteger
		}
	}
	return set, len(frac)
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

var timestampLayouts = []string{
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02T15:04Z07:00",
	"2006-01-02 15:04Z07:00",
	"2006-01-02T15:04:05 Z07:00",
	"2006-01-02 15:04:05 Z07:00",
}

func classifyTime(v string) kindSet {
	if len(v) == 10 {
		if _, err := time.Parse(time.DateOnly, v); err == nil {
			return 1<<kDate | 1<<kTimestamp
		}
		return 0
	}
	for _, l := range timestampLayouts {
		if _, err := time.Parse(l, v); err == nil {
			return 1 << kTimestamp
		}
	}
	return 0
}

// Bounds on what one column keeps in memory, whatever the file's size.
const (
	maxExamples = 5     // distinct examples kept per column
	maxMisfits  = 3     // values kept per kind that do not fit it
	maxExample  = 60    // runes of an example before it is cut
	maxDistinct = 10000 // distinct values counted exactly per column
)

// misfits counts the values of a column that do not fit one kind, with the
// first few of them.
type misfits struct {
	n    int
	some []string
}

// colStats accumulates what Inspect learns about one text column.
type colStats struct {
	nonEmpty, nulls int
	maxLen          int
	maxScale        int
	miss            [numKinds]misfits
	examples        []string
	distinct        map[string]struct{}
	distinctCapped  bool
}

func newColStats() *colStats { return &colStats{distinct: map[string]struct{}{}} }

func (c *colStats) add(v string) {
	v = strings.TrimSpace(v)
	if v == "" {
		c.nulls++
		return
	}
	c.nonEmpty++
	if n := utf8.RuneCountInString(v); n > c.maxLen {
		c.maxLen = n
	}
	set, scale := classify(v)
	for k := range numKinds {
		if set.has(k) {
			continue
		}
		m := &c.miss[k]
		m.n++
		if len(m.some) < maxMisfits && !contains(m.some, v) {
			m.some = append(m.some, cut(v, maxExample))
		}
	}
	if set.has(kDecimal) && scale > c.maxScale {
		c.maxScale = scale
	}
	if len(c.examples) < maxExamples {
		if e := cut(v, maxExample); !contains(c.examples, e) {
			c.examples = append(c.examples, e)
		}
	}
	if !c.distinctCapped {
		if _, ok := c.distinct[v]; !ok {
			if len(c.distinct) == maxDistinct {
				c.distinctCapped = true
			} else {
				c.distinct[v] = struct{}{}
			}
		}
	}
}

// result fills the inferred parts of a ColumnInfo.
func (c *colStats) result(ci *ColumnInfo) {
	ci.Nulls = c.nulls
	ci.Nullable = c.nulls > 0
	ci.MaxLen = c.maxLen
	ci.Examples = c.examples
	ci.Distinct = len(c.distinct)
	ci.DistinctCapped = c.distinctCapped
	ci.Type, ci.Suggested = pipeline.TypeString, pipeline.TypeString
	ci.miss = c.miss
	if c.nonEmpty == 0 {
		return
	}
	for k := range numKinds {
		if c.miss[k].n == 0 {
			ci.Type, ci.Suggested = kindTypes[k], kindTypes[k]
			ci.setScale(c.maxScale)
			return
		}
	}
	// No type fits every value. Suggest the first that fits all but a few
	// (at most 1 in 20, and at least 10 values seen), so that a starter job
	// types the column and the few outliers are rejected with a reason
	// rather than the whole column staying text.
	if c.nonEmpty < 10 {
		return
	}
	allowed := max(1, c.nonEmpty/20)
	for k := range numKinds {
		if m := c.miss[k]; m.n <= allowed {
			ci.Suggested = kindTypes[k]
			ci.Outliers = m.some
			ci.OutlierCount = m.n
			ci.setScale(c.maxScale)
			return
		}
	}
}

func (ci *ColumnInfo) setScale(s int) {
	if ci.Suggested == pipeline.TypeDecimal {
		ci.MaxScale = s
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// cut shortens s to n runes, marking the cut with "…".
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
