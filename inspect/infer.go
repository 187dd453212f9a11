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
	// Numbers and dates written the European way, or month first.
	euro            euroStats
	dates           dateStats
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
	c.euro.add(v)
	c.dates.add(v)
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
	ci.euroFits = c.euro.fits == c.nonEmpty
	ci.euroWhole = ci.euroFits && c.euro.comma == 0 && c.euro.dotted > 0
	if c.euro.fits == c.nonEmpty && c.euro.comma > 0 {
		ci.Type, ci.Suggested = pipeline.TypeDecimal, pipeline.TypeDecimal
		ci.DecimalComma, ci.MaxScale = true, c.euro.scale
		ci.ThousandsSeparator = c.euro.thousands
		return
	}
	if layout, timed := c.dates.layout(c.nonEmpty); layout != "" {
		ci.Type, ci.Suggested = pipeline.TypeDate, pipeline.TypeDate
		if timed {
			ci.Type, ci.Suggested = pipeline.TypeTimestamp, pipeline.TypeTimestamp
		}
		ci.DateLayout = layout
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

// euroStats counts numbers written with a decimal comma: "24,99",
// "1.299,50", "1 299,5" (and whole numbers, which fit any form).
type euroStats struct {
	fits, comma int
	dotted      int // whole numbers with dots between thousands
	scale       int
	thousands   string // the grouping seen: "." or " "
}

func (e *euroStats) add(v string) {
	s := strings.TrimLeft(v, "+-")
	intPart, frac, hasComma := strings.Cut(s, ",")
	if hasComma && (frac == "" || !digits(frac)) || intPart == "" {
		return
	}
	group := ""
	for _, sep := range []string{".", " ", "\u00a0", "\u202f"} {
		if strings.Contains(intPart, sep) {
			if group != "" {
				return
			}
			group = sep
		}
	}
	if group != "" {
		parts := strings.Split(intPart, group)
		if len(parts[0]) == 0 || len(parts[0]) > 3 || !digits(parts[0]) {
			return
		}
		for _, p := range parts[1:] {
			if len(p) != 3 || !digits(p) {
				return
			}
		}
		if !hasComma && group == "." {
			e.dotted++ // "1.000": a thousand, or one with a point
		}
		if group != "." {
			group = " "
		}
		if e.thousands == "" {
			e.thousands = group
		} else if e.thousands != group {
			e.fits = -1 << 30 // two groupings: no one format
		}
	} else if !digits(intPart) {
		return
	}
	e.fits++
	if hasComma {
		e.comma++
		e.scale = max(e.scale, len(frac))
	}
}

// dateStats counts dates written d.m.y or m/d/y (and with a time).
type dateStats struct {
	n, dayFirst, monthFirst, timed int
	sep                            byte
	year2, mixed                   bool
}

func (d *dateStats) add(v string) {
	datePart, timePart, hasTime := strings.Cut(v, " ")
	if len(datePart) < 6 || len(datePart) > 10 {
		return
	}
	var sep byte
	for _, c := range []byte("./-") {
		if strings.Count(datePart, string(c)) == 2 {
			sep = c
		}
	}
	if sep == 0 {
		return
	}
	parts := strings.Split(datePart, string(sep))
	if len(parts[0]) > 2 || len(parts[1]) > 2 || (len(parts[2]) != 2 && len(parts[2]) != 4) {
		return
	}
	a, err1 := strconv.Atoi(parts[0])
	b, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || a < 1 || b < 1 || a > 31 || b > 31 || (a > 12 && b > 12) || !digits(parts[2]) {
		return
	}
	if hasTime {
		if _, err := time.Parse("15:04", timePart); err != nil {
			if _, err := time.Parse("15:04:05", timePart); err != nil {
				return
			}
		}
		d.timed++
	}
	if d.n > 0 && (d.sep != sep || d.year2 != (len(parts[2]) == 2)) {
		d.mixed = true
	}
	d.sep, d.year2 = sep, len(parts[2]) == 2
	d.n++
	if a > 12 {
		d.dayFirst++
	}
	if b > 12 {
		d.monthFirst++
	}
}

// layout is the Go layout that reads every value, when all nonEmpty values
// are such dates and they tell which comes first (dotted dates are day
// first, as everywhere they are written); timed says they have times.
func (d *dateStats) layout(nonEmpty int) (layout string, timed bool) {
	if d.n != nonEmpty || d.n == 0 || d.mixed || (d.dayFirst > 0 && d.monthFirst > 0) {
		return "", false
	}
	if d.timed != 0 && d.timed != d.n {
		return "", false
	}
	year := "2006"
	if d.year2 {
		year = "06"
	}
	sep := string(d.sep)
	switch {
	case d.dayFirst > 0 || d.sep == '.':
		layout = "2" + sep + "1" + sep + year
	case d.monthFirst > 0:
		layout = "1" + sep + "2" + sep + year
	default:
		return "", false
	}
	if d.timed > 0 {
		layout += " 15:04"
	}
	return layout, d.timed > 0
}
