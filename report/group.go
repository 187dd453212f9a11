package report

import (
	"cmp"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/etl-dev/etl/pipeline"
)

// Group is a set of problems of one kind: the same rule on the same field
// and column for the same reason, whatever the value of each row.
type Group struct {
	Rule   string
	Field  string
	Column string
	// Reason says what is wrong without the offending value: `not a
	// decimal: use a dot as decimal separator`, `value already appeared
	// in row … (ignoring case)`. Parts that differ between the problems of
	// the group (row numbers, lengths) read "…"; the values are in Values.
	Reason string
	// Problems are the occurrences, in input order.
	Problems []pipeline.Problem
}

// Count is the number of occurrences.
func (g Group) Count() int { return len(g.Problems) }

// Values returns the first n distinct offending values of the group, in
// input order (empty values left out).
func (g Group) Values(n int) []string {
	var vals []string
	for _, p := range g.Problems {
		if len(vals) == n {
			break
		}
		if p.Value != "" && !slices.Contains(vals, p.Value) {
			vals = append(vals, p.Value)
		}
	}
	return vals
}

// Cells returns where the first n occurrences are, as a spreadsheet user
// looks for them: "E9", "row 9" when the problem names no cell.
func (g Group) Cells(n int) []string {
	var cells []string
	for _, p := range g.Problems {
		if len(cells) == n {
			break
		}
		switch {
		case p.Cell != "":
			cells = append(cells, p.Cell)
		case p.Origin.Row > 0:
			cells = append(cells, "row "+strconv.Itoa(p.Origin.Row))
		}
	}
	return cells
}

// GroupProblems groups problems by rule, field, column and reason. Groups
// are ordered by count, largest first; groups of equal count keep the order
// of their first occurrence.
func GroupProblems(problems []pipeline.Problem) []Group {
	type key struct{ rule, field, column, reason string }
	index := make(map[key]int)
	var groups []Group
	var reasons [][]string // per group, the reason of each occurrence
	for _, p := range problems {
		reason := withoutValue(p.Message, p.Value)
		k := key{p.Rule, p.Field, p.Column, normaliseMessage(reason, "")}
		i, ok := index[k]
		if !ok {
			i = len(groups)
			index[k] = i
			groups = append(groups, Group{Rule: p.Rule, Field: p.Field, Column: p.Column})
			reasons = append(reasons, nil)
		}
		groups[i].Problems = append(groups[i].Problems, p)
		reasons[i] = append(reasons[i], reason)
	}
	for i := range groups {
		groups[i].Reason = commonReason(reasons[i])
	}
	slices.SortStableFunc(groups, func(a, b Group) int { return cmp.Compare(b.Count(), a.Count()) })
	return groups
}

var (
	quotedRE = regexp.MustCompile("\"(?:[^\"\\\\]|\\\\.)*\"|“[^”]*”|`[^`]*`")
	numberRE = regexp.MustCompile(`\b\d+(?:[.,]\d+)*\b`)
	spaceRE  = regexp.MustCompile(`\s+`)
	// tokenRE splits a reason into the parts that may vary (quoted text,
	// numbers) and the rest.
	tokenRE = regexp.MustCompile("\"(?:[^\"\\\\]|\\\\.)*\"|“[^”]*”|`[^`]*`|-?\\b\\d+(?:[.,]\\d+)*\\b")
)

// withoutValue removes the offending value from a message, so that the
// message says why, not what: `"24,99" is not a decimal: …` becomes `not a
// decimal: …`, `value "X-1" already appeared in row 3` becomes `value
// already appeared in row 3`.
func withoutValue(msg, value string) string {
	if value == "" {
		return msg
	}
	const mark = "\x00"
	for _, q := range []string{strconv.Quote(value), `"` + value + `"`, "“" + value + "”", "`" + value + "`"} {
		msg = strings.ReplaceAll(msg, q, mark)
	}
	// A value the message shortened: `"not-a-price-XXXX…"`.
	msg = quotedRE.ReplaceAllStringFunc(msg, func(q string) string {
		_, first := utf8.DecodeRuneInString(q)
		_, last := utf8.DecodeLastRuneInString(q)
		if len(q) < first+last {
			return q
		}
		inner := strings.TrimSuffix(q[first:len(q)-last], "…")
		if len(inner) >= 3 && inner != q[first:len(q)-last] && strings.HasPrefix(value, inner) {
			return mark
		}
		return q
	})
	if strings.HasPrefix(msg, "value "+value+" ") {
		msg = "value " + mark + msg[len("value "+value):]
	}
	if utf8.RuneCountInString(value) >= 3 {
		msg = strings.ReplaceAll(msg, value, mark)
	}
	if !strings.Contains(msg, mark) {
		return msg
	}
	msg = strings.Replace(msg, "value "+mark+" ", "value ", 1)
	msg = strings.TrimPrefix(msg, mark+" is ") // `"x" is not a decimal` → `not a decimal`
	msg = strings.TrimPrefix(msg, mark+" ")    // `"x" does not match` → `does not match`
	msg = strings.ReplaceAll(msg, mark, "the value")
	return strings.TrimSpace(spaceRE.ReplaceAllString(msg, " "))
}

// commonReason is the reason the occurrences share: the first one, with
// "…" in place of the quoted text and numbers that differ between them.
func commonReason(reasons []string) string {
	first := reasons[0]
	locs := tokenRE.FindAllStringIndex(first, -1)
	varies := make([]bool, len(locs))
	for _, r := range reasons[1:] {
		if r == first {
			continue
		}
		other := tokenRE.FindAllString(r, -1)
		for i, l := range locs {
			if i >= len(other) || other[i] != first[l[0]:l[1]] {
				varies[i] = true
			}
		}
	}
	var b strings.Builder
	last := 0
	for i, l := range locs {
		if !varies[i] {
			continue
		}
		b.WriteString(first[last:l[0]])
		tok := first[l[0]:l[1]]
		switch r, _ := utf8.DecodeRuneInString(tok); r {
		case '"', '`':
			b.WriteString(string(r) + "…" + string(r))
		case '“':
			b.WriteString("“…”")
		default:
			b.WriteString("…")
		}
		last = l[1]
	}
	b.WriteString(first[last:])
	return b.String()
}

// normaliseMessage strips from msg what varies between occurrences of the
// same problem: quoted text, numbers and the offending value itself.
func normaliseMessage(msg, value string) string {
	msg = quotedRE.ReplaceAllStringFunc(msg, func(q string) string {
		r, _ := utf8.DecodeRuneInString(q)
		if r == '“' {
			return "“…”"
		}
		return string(r) + "…" + string(r)
	})
	// An unquoted value, when it is long enough not to be mistaken for a
	// word of the message.
	if len([]rune(value)) >= 3 {
		msg = strings.ReplaceAll(msg, value, "…")
	}
	msg = numberRE.ReplaceAllString(msg, "…")
	return strings.TrimSpace(spaceRE.ReplaceAllString(msg, " "))
}
