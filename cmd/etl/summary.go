package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/dustin/go-humanize"

	"github.com/etl-dev/etl/pipeline"
	"github.com/etl-dev/etl/pipeline/journal"
	"github.com/etl-dev/etl/report"
)

// summary is what the terminal says after a run.
type summary struct {
	res   *pipeline.Result
	quiet bool
	// output says where the rows went, e.g. "wrote out/catalog.parquet (289
	// rows, 1.2 MB)"; empty when nothing was written.
	output string
	// reports are the reports written, as the user would type their paths;
	// html is the HTML one ("" when none), named in the "more problems"
	// hint.
	reports []string
	html    string
}

// shownProblems is how many problems the terminal lists; the reports have
// them all.
const shownProblems = 20

// shownChanges is how many planned changes a dry run lists.
const shownChanges = 5

// dryRunNames say what a dry run's outcomes would be.
var dryRunNames = map[pipeline.Outcome]string{
	pipeline.Written: "to write",
	pipeline.Created: "to create",
	pipeline.Updated: "to update",
}

// countsLine is "300 rows read: 290 created, 10 rejected".
func countsLine(res *pipeline.Result) string {
	var parts []string
	for _, o := range pipeline.Outcomes() {
		n := res.Count(o)
		// "0 written" is news only when nothing else happened either.
		if n == 0 && (o != pipeline.Written || res.Accounted() > 0) {
			continue
		}
		name := o.String()
		if future, ok := dryRunNames[o]; ok && res.DryRun {
			name = future
		}
		parts = append(parts, humanize.Comma(n)+" "+name)
	}
	return fmt.Sprintf("%s %s read: %s", humanize.Comma(res.RowsRead), plural(res.RowsRead, "row", "rows"), strings.Join(parts, ", "))
}

func (s summary) print(w io.Writer) {
	res := s.res
	mode := ""
	if res.DryRun {
		mode = "dry run: "
	}
	fmt.Fprintf(w, "%s%s in %s\n", mode, countsLine(res), report.HumanDuration(res.Duration()))
	if res.Aborted != "" {
		fmt.Fprintf(w, "aborted: %s\n", res.Aborted)
	}
	if n := res.Count(pipeline.NotProcessed); n > 0 && !strings.Contains(res.Aborted, "not processed") {
		fmt.Fprintf(w, "not processed: %s %s read but never sent\n", humanize.Comma(n), plural(n, "row was", "rows were"))
	}
	if n := res.Count(pipeline.Unknown); n > 0 {
		fmt.Fprintf(w, "unknown: %s %s sent without an answer; `etl run --resume` finds out what became of %s\n",
			humanize.Comma(n), plural(n, "row was", "rows were"), plural(n, "it", "them"))
	}
	if !s.quiet {
		for i, p := range res.Problems {
			if i == shownProblems {
				more := int64(len(res.Problems)-shownProblems) + res.ProblemsOmitted
				hint := "; --report-html FILE lists them all"
				if s.html != "" {
					hint = ": see " + s.html
				}
				fmt.Fprintf(w, "... and %s more %s%s\n", humanize.Comma(more), plural(more, "problem", "problems"), hint)
				break
			}
			fmt.Fprintf(w, "rejected: %s\n", p.Error())
		}
	}
	if res.DryRun {
		printPlan(w, res, s.quiet)
	}
	if s.output != "" {
		fmt.Fprintln(w, s.output)
	}
	if len(s.reports) > 0 {
		fmt.Fprintf(w, "%s: %s\n", plural(int64(len(s.reports)), "report", "reports"), strings.Join(s.reports, ", "))
	}
}

// printPlan prints a dry run's plan: what a real run would do, the
// requests and the time they take at the rate limit, and the first changes.
func printPlan(w io.Writer, res *pipeline.Result, quiet bool) {
	defer fmt.Fprintln(w, "dry run: nothing was written")
	c := res.Components["sink"]
	if c == nil || c.Plan == nil {
		return
	}
	p := c.Plan
	target := ""
	if c.Account != "" {
		target = " in " + c.Account
	}
	fmt.Fprintf(w, "plan%s: %s to create, %s to update, %s unchanged\n", target,
		humanize.Comma(int64(p.Creates)), humanize.Comma(int64(p.Updates)), humanize.Comma(int64(p.Unchanged)))
	rate := ""
	if c.RatePerMinute > 0 {
		rate = fmt.Sprintf(" at %s requests a minute", humanize.Comma(int64(c.RatePerMinute)))
	}
	fmt.Fprintf(w, "requests: %s %s (done in this dry run) + %s %s = %s, %s%s\n",
		humanize.Comma(int64(p.Reads)), plural(int64(p.Reads), "read", "reads"),
		humanize.Comma(int64(p.Writes)), plural(int64(p.Writes), "write", "writes"),
		humanize.Comma(int64(p.Reads+p.Writes)), report.HumanDuration(p.Duration), rate)
	for i, ch := range p.Changes {
		if quiet {
			break
		}
		if i == shownChanges {
			more := int64(len(p.Changes)-shownChanges) + int64(p.ChangesOmitted)
			fmt.Fprintf(w, "  ... and %s more %s in the report\n", humanize.Comma(more), plural(more, "change", "changes"))
			break
		}
		fmt.Fprintf(w, "  %s %s%s\n", ch.Action, ch.Key, changeFields(ch))
	}
}

// changeFields is ": price 19.99 → 21.00, name “” → “Tee”" for a change,
// the first few fields only.
func changeFields(ch pipeline.Change) string {
	const shown = 3
	var parts []string
	fields := make([]pipeline.FieldChange, 0, len(ch.Fields))
	for _, f := range ch.Fields {
		// The key already names the record: `SKU "X"` needs no `sku "X"`.
		if !strings.Contains(ch.Key, strconv.Quote(f.New)) || f.Old != "" {
			fields = append(fields, f)
		}
	}
	for i, f := range fields {
		if i == shown {
			parts = append(parts, fmt.Sprintf("and %d more %s", len(fields)-shown, plural(int64(len(fields)-shown), "field", "fields")))
			break
		}
		if ch.Action == "create" || f.Old == "" {
			parts = append(parts, fmt.Sprintf("%s %s", f.Field, clipText(f.New)))
		} else {
			parts = append(parts, fmt.Sprintf("%s %s → %s", f.Field, clipText(f.Old), clipText(f.New)))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return ": " + strings.Join(parts, ", ")
}

func clipText(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		s = string(r[:39]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

// fileOutput says where a file sink's rows went, with the size of what
// was written: "wrote out/catalog.parquet (289 rows, 1.2 MB)". A directory
// (partitioned output) counts the files under it.
func fileOutput(display, path string, rows int64) string {
	size, files := int64(-1), 0
	if fi, err := os.Stat(path); err == nil {
		if fi.IsDir() {
			size = 0
			_ = filepath.WalkDir(path, func(_ string, d fs.DirEntry, err error) error {
				if err == nil && d.Type().IsRegular() && !strings.HasPrefix(d.Name(), ".") {
					if info, err := d.Info(); err == nil {
						size += info.Size()
						files++
					}
				}
				return nil
			})
		} else {
			size = fi.Size()
		}
	}
	s := fmt.Sprintf("wrote %s (%s %s", display, humanize.Comma(rows), plural(rows, "row", "rows"))
	if files > 1 {
		s += fmt.Sprintf(" in %d files", files)
	}
	if size >= 0 {
		s += ", " + humanize.Bytes(uint64(size))
	}
	return s + ")"
}

// apiOutput says what an API sink did and to which account.
func apiOutput(res *pipeline.Result, c *pipeline.ComponentReport, entity string) string {
	var parts []string
	for _, o := range []pipeline.Outcome{pipeline.Created, pipeline.Updated, pipeline.Unchanged} {
		if n := res.Count(o); n > 0 {
			parts = append(parts, humanize.Comma(n)+" "+o.String())
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "nothing changed")
	}
	if entity == "" {
		entity = "records"
	}
	s := entity + ": " + strings.Join(parts, ", ")
	if c != nil && c.Account != "" {
		s += " in " + c.Account
	}
	if c != nil {
		s += fmt.Sprintf("; %s write and %s read %s",
			humanize.Comma(int64(c.Requests.Writes)), humanize.Comma(int64(c.Requests.Reads)),
			plural(int64(c.Requests.Reads), "request", "requests"))
	}
	return s
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// maxChartRequests bounds the requests read back from the journal for the
// report's timeline.
const maxChartRequests = 200_000

// runRequests reads the requests a run logged in the journal, for the
// report's timeline; a journal that cannot say is a warning, not a failure.
func runRequests(ctx context.Context, jr *journal.Journal, id int64, logger *slog.Logger) []report.Request {
	reqs, err := jr.Requests(ctx, id, maxChartRequests)
	if err != nil {
		logger.Warn("the report has no request timeline: the journal could not list the run's requests", "error", err)
		return nil
	}
	out := make([]report.Request, len(reqs))
	for i, q := range reqs {
		out[i] = report.Request{Time: q.Time, Duration: q.Duration, Status: q.Status}
	}
	return out
}

// printJSON is print for --log-format json: the summary as one JSON log
// line ("msg":"run finished") with the counts by outcome, the problems'
// count, where the output went and the reports.
func (s summary) printJSON(w io.Writer, job string) {
	res := s.res
	line := map[string]any{
		"time":        res.Finished.UTC().Format(time.RFC3339Nano),
		"level":       "INFO",
		"msg":         "run finished",
		"job":         job,
		"dry_run":     res.DryRun,
		"rows_read":   res.RowsRead,
		"counts":      res.CountsByName(),
		"duration_ms": res.Duration().Milliseconds(),
		"problems":    int64(len(res.Problems)) + res.ProblemsOmitted,
		"reports":     append([]string{}, s.reports...),
	}
	if res.Count(pipeline.Rejected) > 0 || res.Aborted != "" {
		line["level"] = "WARN"
	}
	if res.Aborted != "" {
		line["aborted"] = res.Aborted
	}
	if s.output != "" {
		line["output"] = s.output
	}
	if c := res.Components["sink"]; c != nil {
		line["requests"] = map[string]int{"reads": c.Requests.Reads, "writes": c.Requests.Writes, "too_many": c.Requests.TooMany, "retries": c.Requests.Retries}
		if c.Account != "" {
			line["account"] = c.Account
		}
		if p := c.Plan; p != nil && res.DryRun {
			line["plan"] = map[string]any{"creates": p.Creates, "updates": p.Updates, "unchanged": p.Unchanged,
				"reads": p.Reads, "writes": p.Writes, "duration_ms": p.Duration.Milliseconds()}
		}
	}
	b, err := json.Marshal(line)
	if err != nil {
		fmt.Fprintf(w, "{\"level\":\"ERROR\",\"msg\":%q}\n", err.Error())
		return
	}
	fmt.Fprintf(w, "%s\n", b)
}
