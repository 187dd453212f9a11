package report

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/etl-dev/etl/pipeline"
)

// Group is a set of problems of one kind: the same rule on the same field
// and column with the same message once the values that vary from row to
// row (quoted text, numbers, the offending value) are set aside.
type Group struct {
	Rule   string
	Field  string
	Column string
	// Message is the message every problem of the group shares, or, when
	// they differ only in their values, the message with those values
	// replaced by "…".
	Message string
	// Problems are the occurrences, in input order.
	Problems []pipeline.Problem
}

// Count is the number of occurrences.
func (g Group) Count() int { return len(g.Problems) }

// GroupProblems groups problems by rule, field, column and normalised
// message. Groups are ordered by count, largest first; groups of equal count
// keep the order of their first occurrence.
func GroupProblems(problems []pipeline.Problem) []Group {
	type key struct{ rule, field, column, msg string }
	index := make(map[key]int)
	var groups []Group
	var uniform []bool // whether every message of the group is the same
	for _, p := range problems {
		norm := normaliseMessage(p.Message, p.Value)
		k := key{p.Rule, p.Field, p.Column, norm}
		i, ok := index[k]
		if !ok {
			i = len(groups)
			index[k] = i
			groups = append(groups, Group{Rule: p.Rule, Field: p.Field, Column: p.Column, Message: p.Message})
			uniform = append(uniform, true)
		} else if uniform[i] && p.Message != groups[i].Message {
			uniform[i] = false
			groups[i].Message = norm
		}
		groups[i].Problems = append(groups[i].Problems, p)
	}
	slices.SortStableFunc(groups, func(a, b Group) int { return cmp.Compare(b.Count(), a.Count()) })
	return groups
}

var (
	quotedRE = regexp.MustCompile("\"(?:[^\"\\\\]|\\\\.)*\"|“[^”]*”|`[^`]*`")
	numberRE = regexp.MustCompile(`\b\d+(?:[.,]\d+)*\b`)
	spaceRE  = regexp.MustCompile(`\s+`)
)

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
