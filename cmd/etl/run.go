package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"strings"

	"github.com/spf13/cobra"

	"github.com/etl-dev/etl/jobfile"
	"github.com/etl-dev/etl/pipeline"
	"github.com/etl-dev/etl/report"
)

type runFlags struct {
	dryRun     bool
	reportHTML string
	reportJSON string
	annotated  string
	quiet      bool
	resume     bool
	journal    string
	noJournal  bool
}

func newRunCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run JOB.yaml",
		Short: "Run a job: read, map, validate and write",
		Long: `Run reads every row of the job's source, maps and validates it, and writes the
good rows to the sink. Every row ends written, skipped or rejected; the counts
add up to the rows read. Output files appear only when the run succeeds.

With --dry-run everything happens except the writes: use it to get a report of
every bad cell before touching the destination. A dry run reports every bad
row whatever the job's error policy.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runJob(cmd.Context(), args[0], f, cmd.ErrOrStderr())
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&f.dryRun, "dry-run", "n", false, "read, map and validate everything; write nothing to the sink")
	fl.StringVar(&f.reportHTML, "report-html", "", "write an HTML report here (overrides the job's report.html)")
	fl.StringVar(&f.reportJSON, "report-json", "", "write a JSON report here (overrides the job's report.json)")
	fl.StringVar(&f.annotated, "annotated", "", "write an .xlsx copy of the input with bad cells marked (overrides report.annotated)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print only the summary line and errors")
	fl.BoolVar(&f.resume, "resume", false, "finish the job's last unfinished run (after a crash or Ctrl-C) without redoing confirmed writes")
	fl.StringVar(&f.journal, "journal", "", "run journal database (default $ETL_JOURNAL, else ~/.local/state/etl/journal.db)")
	fl.BoolVar(&f.noJournal, "no-journal", false, "keep no journal for this run (no resume, no bookmarks)")
	return cmd
}

func runJob(ctx context.Context, path string, f runFlags, stderr io.Writer) error {
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	job, err := jobfile.Load(path, nil)
	if err != nil {
		return invalid(err)
	}
	job.Env.Logger = logger
	job.Env.Job = job.Name
	job.Env.DryRun = f.dryRun

	jr, run, err := openJournal(ctx, job, f)
	if err != nil {
		return err
	}
	if jr != nil {
		defer jr.Close()
		job.Env.State = jr
		job.Env.Journal = run
		job.Env.Resume = f.resume
	}

	prep, err := job.Prepare(ctx)
	if err != nil {
		finishRun(run, nil, err)
		return invalid(err)
	}
	defer prep.Source.Close()

	sink, err := openSink(ctx, job, prep.Mapping.Schema(), f.dryRun)
	if err != nil {
		finishRun(run, nil, err)
		return withCode(exitFailed, fmt.Errorf("%s: sink: %w", job.Path, err))
	}
	budget := job.Options.ErrorBudget()
	if f.dryRun {
		budget = -1
	}
	progress := newProgress(stderr, prep.Source, sink, f.quiet)
	cfg := pipeline.RunConfig{
		Source:      prep.Source,
		Mapper:      prep.Mapping,
		Check:       prep.Mapping.OrderedCheck(),
		Sink:        sink,
		DryRun:      f.dryRun,
		BatchSize:   job.Options.BatchSize,
		Concurrency: job.Options.Concurrency,
		ErrorBudget: budget,
		OnProgress:  progress.update,
	}
	var rows *rowRecorder
	if _, api := sink.(pipeline.Reporter); api && run != nil {
		// API jobs record every row's outcome; file jobs only the run.
		rows = &rowRecorder{run: run, ctx: context.WithoutCancel(ctx), logger: logger}
		cfg.OnOutcomes = rows.record
	}
	res, runErr := pipeline.Run(ctx, cfg)
	progress.finish()
	res.Job = job.Name
	res.Source = describe(job.SourceType, job.Source, job.Env)
	res.Sink = describe(job.SinkType, job.Sink, job.Env)
	finishRun(run, res, runErr)

	opts := report.Options{
		HTML:      firstNonEmpty(f.reportHTML, job.Env.Path(job.Report.HTML)),
		JSON:      firstNonEmpty(f.reportJSON, job.Env.Path(job.Report.JSON)),
		Annotated: firstNonEmpty(f.annotated, job.Env.Path(job.Report.Annotated)),
		Source:    job.Source,
		Env:       job.Env,
	}
	// Reports are written even after an interrupt, with what was done.
	repErr := report.Write(context.WithoutCancel(ctx), res, opts)
	printSummary(stderr, res, f.quiet)
	for _, p := range []string{opts.HTML, opts.JSON, opts.Annotated} {
		if p != "" && repErr == nil {
			fmt.Fprintf(stderr, "report: %s\n", job.Env.Display(p))
		}
	}

	switch {
	case errors.Is(runErr, context.Canceled) || ctx.Err() != nil:
		return &exitError{code: exitInterrupted, err: errors.New("interrupted: the output was discarded"), quiet: false}
	case errors.Is(runErr, pipeline.ErrRowsRejected):
		return &exitError{code: exitRejected, err: runErr, quiet: true}
	case runErr != nil:
		return withCode(exitFailed, runErr)
	case repErr != nil:
		return withCode(exitFailed, fmt.Errorf("writing report: %w", repErr))
	case res.Count(pipeline.Rejected) > 0:
		return &exitError{code: exitRejected, err: errors.New("rows rejected"), quiet: true}
	}
	return nil
}

// openSink opens the job's sink; in a dry run only sinks that can plan
// (pipeline.DryRunner) are opened, and others are left closed.
func openSink(ctx context.Context, job *jobfile.Job, schema pipeline.Schema, dryRun bool) (pipeline.Sink, error) {
	if !dryRun {
		return job.Sink.Open(ctx, job.Env, schema)
	}
	if dr, ok := job.Sink.(pipeline.DryRunner); ok {
		return dr.OpenDryRun(ctx, job.Env, schema)
	}
	return nil, nil
}

func invalid(err error) error {
	var errs jobfile.Errors
	if errors.As(err, &errs) {
		return &exitError{code: exitJobInvalid, err: err, quiet: false}
	}
	return withCode(exitJobInvalid, err)
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// describe names a component for reports: its type and, for files, the
// path as the user would type it.
func describe(typ string, cfg any, env pipeline.Env) string {
	v := reflect.ValueOf(cfg)
	if v.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.Struct {
		if p := v.Elem().FieldByName("Path"); p.IsValid() && p.Kind() == reflect.String && p.String() != "" {
			return typ + " " + env.Display(p.String())
		}
	}
	return typ
}

// dryRunNames say what a dry run's outcomes would be.
var dryRunNames = map[pipeline.Outcome]string{
	pipeline.Written: "to write",
	pipeline.Created: "to create",
	pipeline.Updated: "to update",
}

// printSummary tells what happened in one line, then the first problems.
func printSummary(w io.Writer, res *pipeline.Result, quiet bool) {
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
		parts = append(parts, fmt.Sprintf("%d %s", n, name))
	}
	mode := ""
	if res.DryRun {
		mode = "dry run: "
	}
	fmt.Fprintf(w, "%s%d rows read: %s (%s)\n", mode, res.RowsRead, strings.Join(parts, ", "), res.Duration().Round(1e6))
	if res.Aborted != "" {
		fmt.Fprintf(w, "aborted: %s\n", res.Aborted)
	}
	if quiet {
		return
	}
	const shown = 20
	for i, p := range res.Problems {
		if i == shown {
			fmt.Fprintf(w, "... and %d more problems (see the report)\n", int64(len(res.Problems)-shown)+res.ProblemsOmitted)
			break
		}
		fmt.Fprintf(w, "rejected: %s\n", p.Error())
	}
}
