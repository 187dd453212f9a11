package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/shopspring/decimal"
	"github.com/spf13/cobra"

	"github.com/etl-dev/etl/jobfile"
	"github.com/etl-dev/etl/pipeline"
)

func newPreviewCmd(a *app) *cobra.Command {
	var limit int64
	cmd := &cobra.Command{
		Use:   "preview JOB.yaml",
		Short: "Show the first rows as the job maps them, with their problems",
		Long: `Preview reads the first rows of the job's source (20 unless --limit says
otherwise), maps and validates them, and prints them as a table of the
mapped fields, each rejected row with its problems below the table. The sink
is not opened and nothing is written: use it while writing a mapping.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if limit <= 0 {
				return withCode(exitJobInvalid, fmt.Errorf("--limit must be a positive number of rows, not %d", limit))
			}
			return preview(cmd.Context(), a, args[0], limit, cmd.OutOrStdout())
		},
	}
	cmd.Flags().Int64Var(&limit, "limit", 20, "rows to read")
	return cmd
}

// previewSink keeps the rows it is given.
type previewSink struct{ rows []pipeline.Row }

func (s *previewSink) Write(_ context.Context, rows []pipeline.Row) error {
	for _, r := range rows {
		r.Values = append([]any(nil), r.Values...)
		s.rows = append(s.rows, r)
	}
	return nil
}
func (s *previewSink) Close(context.Context) error { return nil }
func (s *previewSink) Abort() error                { return nil }

func preview(ctx context.Context, a *app, path string, limit int64, w io.Writer) error {
	job, err := jobfile.Load(path, nil)
	if err != nil {
		return invalid(err)
	}
	job.Env.Logger = a.logger()
	job.Env.Job = job.Name
	prep, err := job.Prepare(ctx)
	if err != nil {
		return invalid(placeSourceError(job, err))
	}
	defer prep.Source.Close()
	sink := &previewSink{}
	res, err := pipeline.Run(ctx, pipeline.RunConfig{
		Source:      countSource(prep.Source, limit).source(),
		Mapper:      prep.Mapping,
		Check:       prep.Mapping.OrderedCheck(),
		Sink:        sink,
		BatchSize:   int(limit),
		Concurrency: 1,
		ErrorBudget: -1,
	})
	if err != nil && res == nil {
		return withCode(exitFailed, err)
	}
	schema := prep.Mapping.Schema()
	printPreview(w, schema, sink.rows, res.Problems)
	rejected := res.Count(pipeline.Rejected)
	fmt.Fprintf(w, "preview: %s %s read: %s would be written, %s rejected, %s skipped; nothing was written\n",
		humanize.Comma(res.RowsRead), plural(res.RowsRead, "row", "rows"), humanize.Comma(res.Count(pipeline.Written)),
		humanize.Comma(rejected), humanize.Comma(res.Count(pipeline.Skipped)))
	if err != nil {
		return withCode(exitFailed, err)
	}
	if rejected > 0 {
		return &exitError{code: exitRejected, err: fmt.Errorf("%d rows rejected", rejected), quiet: true}
	}
	return nil
}

// printPreview prints the rows that passed as a table, the row number first,
// then the rejected rows' problems.
func printPreview(w io.Writer, schema pipeline.Schema, rows []pipeline.Row, problems []pipeline.Problem) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := []string{"ROW"}
	for _, f := range schema {
		head = append(head, f.Name+" ("+f.Type.String()+")")
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, r := range rows {
		cells := []string{rowLabel(r.Origin)}
		for _, v := range r.Values {
			cells = append(cells, previewValue(v))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	tw.Flush()
	if len(problems) > 0 {
		fmt.Fprintln(w)
		for _, p := range problems {
			fmt.Fprintf(w, "rejected: %s\n", p.Error())
		}
	}
}

func rowLabel(o pipeline.Origin) string {
	if o.Row > 0 {
		return fmt.Sprint(o.Row)
	}
	return "-"
}

// previewValue shows a value in a table cell: nulls as "∅", text clipped to
// 30 characters, dates as dates.
func previewValue(v any) string {
	var s string
	switch v := v.(type) {
	case nil:
		return "∅"
	case string:
		s = v
	case decimal.Decimal:
		if e := v.Exponent(); e < 0 {
			s = v.StringFixed(-e)
		} else {
			s = v.String()
		}
	case time.Time:
		if v.Hour() == 0 && v.Minute() == 0 && v.Second() == 0 && v.Nanosecond() == 0 {
			s = v.Format(time.DateOnly)
		} else {
			s = v.Format(time.RFC3339)
		}
	default:
		s = fmt.Sprint(v)
	}
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 30 {
		s = string(r[:29]) + "…"
	}
	if s == "" {
		return `""`
	}
	return s
}
