package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/dustin/go-humanize"

	"github.com/etl-dev/etl/pipeline"
)

//go:embed report.html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"comma":    func(n any) string { return humanize.Comma(toInt64(n)) },
	"plural":   plural,
	"where":    cellOf,
	"rowOf":    rowText,
	"clip":     clip,
	"maxShown": func() int { return pipeline.MaxProblems },
	"dur":      HumanDuration,
	"values":   func(g Group) []string { return g.Values(groupValues) },
	"cells":    func(g Group) []string { return g.Cells(groupCells) },
	"more":     func(total, shown int) int { return total - shown },
}).Parse(htmlSource))

// section is one part of the page below the title. The page renders the
// sections in order, each under its own heading and listed in the page's
// contents. To add one (the inFlow plan, say), define a template named after
// it in report.html.tmpl, and add an entry to htmlSections saying when it
// shows; the template receives the whole view.
type section struct {
	ID    string // fragment id and name of the template that renders it
	Title string
	Body  template.HTML // rendered by html/template, so already escaped
}

var htmlSections = []struct {
	id, title string
	show      func(*view) bool
}{
	{"aborted", "Run stopped early", func(v *view) bool { return v.R.Aborted != "" }},
	{"outcomes", "Outcomes", func(*view) bool { return true }},
	{"plan", "Plan", func(v *view) bool { return v.Plan != nil }},
	{"requests", "API requests", func(v *view) bool { return len(v.Components) > 0 }},
	{"timeline", "Requests over time", func(v *view) bool { return v.Chart != nil }},
	{"problems", "Problems", func(*view) bool { return true }},
}

// view is what the HTML template renders.
type view struct {
	R        *pipeline.Result
	Started  string
	Finished string
	Duration string
	Outcomes []outcomeLine
	// Accounted is the sum of the outcome counts; AddsUp says whether it
	// equals the rows read.
	Accounted int64
	AddsUp    bool
	Rejected  int64
	Groups    []Group
	// BadRows is the number of distinct rows among the problems shown.
	BadRows int
	// Plan is the dry run's plan, when the sink made one.
	Plan *pipeline.Plan
	// Components are the API components' reports, "source" then "sink".
	Components []namedComponent
	// Account is the API account the sink (else the source) talked to.
	Account string
	// Badge says in a few words what the run did; BadgeClass colours it.
	Badge, BadgeClass string
	// Chart is the request timeline of an API run, nil without requests.
	Chart *chart
	// Time says where an API run's time went.
	Time     []timeLine
	Sections []section
}

type timeLine struct {
	What, Amount, Meaning string
}

type namedComponent struct {
	Name string
	*pipeline.ComponentReport
}

type outcomeLine struct {
	Name    string
	Count   int64
	Meaning string
}

// WriteHTML writes the run report as one self-contained HTML page: no
// scripts, no external assets, every value escaped. requests, when the run
// made any (from the run journal), draw the request timeline of an API run
// against its rate limit.
func WriteHTML(w io.Writer, r *pipeline.Result, requests []Request) error {
	v := newView(r)
	v.Chart = newChart(r, requests, v.rateLimit())
	v.Time = timeSpent(r, requests, v.Components)
	for _, s := range htmlSections {
		if !s.show(v) {
			continue
		}
		var buf bytes.Buffer
		if err := htmlTemplate.ExecuteTemplate(&buf, s.id, v); err != nil {
			return fmt.Errorf("report: rendering section %s: %w", s.id, err)
		}
		// The body was produced by html/template, which escaped every value.
		v.Sections = append(v.Sections, section{ID: s.id, Title: s.title, Body: template.HTML(buf.String())})
	}
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, v); err != nil {
		return fmt.Errorf("report: rendering page: %w", err)
	}
	_, err := buf.WriteTo(w)
	return err
}

func newView(r *pipeline.Result) *view {
	v := &view{
		R:         r,
		Started:   formatTime(r.Started),
		Finished:  formatTime(r.Finished),
		Duration:  formatDuration(r),
		Accounted: r.Accounted(),
		Rejected:  r.Count(pipeline.Rejected),
		Groups:    GroupProblems(r.Problems),
	}
	v.AddsUp = v.Accounted == r.RowsRead
	for _, name := range []string{"source", "sink"} {
		if c := r.Components[name]; c != nil {
			v.Components = append(v.Components, namedComponent{name, c})
			if c.Account != "" && (v.Account == "" || name == "sink") {
				v.Account = c.Account
			}
			if c.Plan != nil && v.Plan == nil {
				v.Plan = c.Plan
			}
		}
	}
	for _, o := range pipeline.Outcomes() {
		if (o == pipeline.Unknown || o == pipeline.NotProcessed) && r.Count(o) == 0 {
			continue // only runs cut short have them
		}
		v.Outcomes = append(v.Outcomes, outcomeLine{Name: o.String(), Count: r.Count(o), Meaning: meaning(o, r.DryRun)})
	}
	rows := make(map[pipeline.Origin]bool)
	for _, p := range r.Problems {
		rows[p.Origin] = true
	}
	v.BadRows = len(rows)
	v.Badge, v.BadgeClass = badge(r)
	return v
}

// rateLimit is the lowest request limit of the API components, 0 for none.
func (v *view) rateLimit() int {
	limit := 0
	for _, c := range v.Components {
		if c.RatePerMinute > 0 && (limit == 0 || c.RatePerMinute < limit) {
			limit = c.RatePerMinute
		}
	}
	return limit
}

// badge says what the run did, in a few words: a run that wrote nothing
// does not say rows were written.
func badge(r *pipeline.Result) (text, class string) {
	written := r.Count(pipeline.Written) + r.Count(pipeline.Created) + r.Count(pipeline.Updated)
	switch {
	case r.DryRun:
		return "Dry run: nothing was written", "dry"
	case r.Aborted != "" && written > 0:
		return fmt.Sprintf("Stopped early: %s %s written before it stopped", humanize.Comma(written), plural(written, "row was", "rows were")), "warn"
	case r.Aborted != "":
		return "Stopped early: nothing was written", "warn"
	case written > 0:
		var parts []string
		for _, o := range []pipeline.Outcome{pipeline.Written, pipeline.Created, pipeline.Updated} {
			if n := r.Count(o); n > 0 {
				parts = append(parts, humanize.Comma(n)+" "+o.String())
			}
		}
		return "Live run: " + strings.Join(parts, ", "), "live"
	case r.Count(pipeline.Unchanged) > 0:
		n := r.Count(pipeline.Unchanged)
		return fmt.Sprintf("Live run: nothing to write, %s %s already up to date", humanize.Comma(n), plural(n, "row was", "rows were")), "idle"
	}
	return "Live run: nothing was written", "idle"
}

func meaning(o pipeline.Outcome, dry bool) string {
	switch o {
	case pipeline.Written:
		if dry {
			return "would be written to the sink"
		}
		return "written to the sink"
	case pipeline.Created:
		if dry {
			return "would be created as new records"
		}
		return "created as new records"
	case pipeline.Updated:
		if dry {
			return "would update existing records"
		}
		return "updated existing records"
	case pipeline.Unchanged:
		return "already up to date: no write needed"
	case pipeline.Skipped:
		return "left out by the job's filter"
	case pipeline.Rejected:
		return "not written because of the problems listed below"
	case pipeline.Unknown:
		return "sent, but no answer came: `etl run --resume` finds out whether they were written"
	case pipeline.NotProcessed:
		return "read but never sent: the run stopped first"
	}
	return ""
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

func formatDuration(r *pipeline.Result) string {
	if r.Started.IsZero() || r.Finished.IsZero() {
		return "—"
	}
	return HumanDuration(r.Duration())
}

// cellOf names where in the row a problem is: "C12 (Price)", "Price" or
// "C12".
func cellOf(p pipeline.Problem) string {
	switch {
	case p.Cell != "" && p.Column != "":
		return p.Cell + " (" + p.Column + ")"
	case p.Column != "":
		return p.Column
	default:
		return p.Cell
	}
}

// rowText is the row number, with the physical line of a CSV record when
// it differs.
func rowText(o pipeline.Origin) string {
	s := ""
	if o.Row > 0 {
		s = strconv.Itoa(o.Row)
	}
	if o.Line > 0 && o.Line != o.Row {
		s += " (line " + strconv.Itoa(o.Line) + ")"
	}
	return s
}

// maxValueRunes bounds how much of a value the page shows; the JSON report
// has it all.
const maxValueRunes = 200

func clip(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	r := []rune(s)
	if len(r) <= maxValueRunes {
		return s
	}
	return string(r[:maxValueRunes]) + "… (" + humanize.Comma(int64(len(r)-maxValueRunes)) + " more characters)"
}

func plural(n any, one, many string) string {
	if toInt64(n) == 1 {
		return one
	}
	return many
}

func toInt64(n any) int64 {
	switch n := n.(type) {
	case int:
		return int64(n)
	case int64:
		return n
	}
	panic(fmt.Sprintf("report: not an integer: %T", n))
}
