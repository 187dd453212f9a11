package inspect

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/etl-dev/etl/pipeline"
)

// What the text report shows: characters of a value, examples of a column.
const (
	maxCell      = 28
	textExamples = 3
)

// WriteText writes the report for a person: a summary line, a table of the
// columns (letter, name, inferred type, empty cells, distinct values,
// longest value, examples), notes on what needs attention, then the sample
// rows and the source's problems.
func (r *Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	p := func(format string, a ...any) { fmt.Fprintf(bw, format, a...) }

	p("%s: %s", r.Path, r.Format)
	if r.Sheet != "" {
		p(", sheet %q", r.Sheet)
	}
	rows := strconv.Itoa(r.Rows)
	if r.RowsCapped {
		rows = "at least " + rows
	}
	p(", %d columns, %s rows\n\n", len(r.Columns), rows)

	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "COL\tNAME\tTYPE\tNULLS\tDISTINCT\tMAXLEN\tEXAMPLES")
	for _, c := range r.Columns {
		distinct := strconv.Itoa(c.Distinct)
		if c.DistinctCapped {
			distinct += "+"
		}
		var ex []string
		for _, e := range c.Examples[:min(len(c.Examples), textExamples)] {
			ex = append(ex, cut(oneLine(e), maxCell))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%d\t%s\n", c.Ref, cut(c.Name, 30), c.typeText(),
			c.Nulls, distinct, c.MaxLen, strings.Join(ex, " | "))
	}
	tw.Flush()

	if notes := r.notes(); len(notes) > 0 {
		p("\nNotes:\n")
		for _, n := range notes {
			p("  - %s\n", n)
		}
	}

	if len(r.Sample) > 0 {
		p("\nFirst %d rows:\n", len(r.Sample))
		tw = tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
		head := []string{"ROW"}
		for _, c := range r.Columns {
			head = append(head, cut(c.Name, maxCell))
		}
		fmt.Fprintln(tw, strings.Join(head, "\t"))
		for i, row := range r.Sample {
			line := []string{""}
			if i < len(r.SampleRows) && r.SampleRows[i] > 0 {
				line[0] = strconv.Itoa(r.SampleRows[i])
			}
			for _, v := range row {
				line = append(line, cut(oneLine(v), maxCell))
			}
			fmt.Fprintln(tw, strings.Join(line, "\t"))
		}
		tw.Flush()
	}

	if r.ProblemRows > 0 {
		p("\n%d rows could not be read as they are:\n", r.ProblemRows)
		for _, pr := range r.Problems {
			p("  - %s\n", pr.Error())
		}
		if n := r.ProblemRows - len(r.Problems); n > 0 && len(r.Problems) == MaxProblems {
			p("  - ... and more\n")
		}
	}
	return bw.Flush()
}

// typeText shows the type as the table does: "decimal(2)" for decimals with
// their scale, "string (decimal?)" for a column that would be decimal but
// for a few values.
func (c *ColumnInfo) typeText() string {
	t := c.Suggested.String()
	if c.Suggested == pipeline.TypeDecimal {
		t += "(" + strconv.Itoa(c.MaxScale) + ")"
	}
	switch {
	case c.DecimalComma:
		t += " with ,"
	case c.DateLayout != "":
		t += " " + c.DateLayout
	}
	if c.Suggested != c.Type {
		return c.Type.String() + " (" + t + "?)"
	}
	return t
}

// notes lists what a person should look at before writing a job.
func (r *Report) notes() []string {
	out := append([]string(nil), r.Notes...)
	for _, c := range r.Columns {
		name := c.Name
		if c.Ref != "" {
			name = c.Ref + " " + name
		}
		if c.DecimalComma {
			setting := `decimal_separator: ","`
			switch c.ThousandsSeparator {
			case ".":
				setting = "locale: de-DE (decimal_separator: \",\", thousands_separator: \".\")"
			case " ":
				setting = "locale: fr-FR (decimal_separator: \",\", thousands_separator: \" \")"
			}
			out = append(out, fmt.Sprintf("%s: numbers written with a decimal comma (%s): read them with %s on the source or the field", name, strings.Join(c.Examples[:min(2, len(c.Examples))], ", "), setting))
		}
		if c.DateLayout != "" {
			order := "day first"
			if strings.HasPrefix(c.DateLayout, "1") {
				order = "month first"
			}
			out = append(out, fmt.Sprintf("%s: dates written %s (%s): read them with formats: [%q] on the field", name, order, strings.Join(c.Examples[:min(2, len(c.Examples))], ", "), c.DateLayout))
		}
		if c.Suggested != c.Type {
			q := make([]string, len(c.Outliers))
			for i, o := range c.Outliers {
				q[i] = strconv.Quote(o)
			}
			more := ""
			if c.OutlierCount > len(c.Outliers) {
				more = ", ..."
			}
			out = append(out, fmt.Sprintf("%s: %s but for %d %s: %s%s", name, article(c.Suggested),
				c.OutlierCount, plural(c.OutlierCount, "value", "values"), strings.Join(q, ", "), more))
		}
		// A nearly unique text or integer column is likely a key whose
		// repeats are mistakes (a duplicate SKU).
		nonEmpty := r.Rows - r.ProblemRows - c.Nulls
		keyLike := c.Suggested == pipeline.TypeString || c.Suggested == pipeline.TypeInteger
		if keyLike && !c.DistinctCapped && c.Distinct < nonEmpty && c.Distinct*20 >= nonEmpty*19 {
			d := nonEmpty - c.Distinct
			out = append(out, fmt.Sprintf("%s: nearly unique, but %d %s a value of another row",
				name, d, plural(d, "row repeats", "rows repeat")))
		}
		if c.Nulls > 0 && c.Nulls*20 <= r.Rows {
			out = append(out, fmt.Sprintf("%s: empty in %d %s", name, c.Nulls, plural(c.Nulls, "row", "rows")))
		}
	}
	return out
}

func article(t pipeline.Type) string {
	switch t {
	case pipeline.TypeInteger:
		return "whole numbers"
	case pipeline.TypeDecimal:
		return "decimal numbers"
	case pipeline.TypeFloat:
		return "numbers"
	case pipeline.TypeBool:
		return "yes/no values"
	case pipeline.TypeDate:
		return "dates"
	case pipeline.TypeTimestamp:
		return "dates and times"
	}
	return t.String() + " values"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// oneLine replaces line breaks and tabs so a value keeps to its cell.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ").Replace(s)
}
