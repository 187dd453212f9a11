package main

import (
	"context"
	"errors"
	"fmt"
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
	limit      int64
	resume     bool
	journal    string
	noJournal  bool
}

func newRunCmd(a *app) *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run JOB.yaml",
		Short: "Run a job: read, map, validate and write",
		Long: `Run reads every row of the job's source (a file, or an API such as inFlow),
maps and validates it, and writes the good rows to the sink. Every row ends in
one outcome: written (file sinks), created, updated or unchanged (API sinks such
as inFlow), skipped or rejected, and if the run is cut short, unknown (sent, no
answer: --resume finds out) or not processed; the counts add up to the rows
read. Output files appear only when the run succeeds; records an API already
confirmed stay written.

With --dry-run everything happens except the writes: file sinks are opened
(their settings and paths checked) and discarded; API sinks read the
destination and report the plan (creates, updates, unchanged, requests). Use it
to get a report of every bad cell before touching the destination. A dry run
reports every bad row whatever the job's error policy.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runJob(cmd.Context(), a, args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&f.dryRun, "dry-run", "n", false, "read, map and validate everything; write nothing to the sink")
	fl.StringVar(&f.reportHTML, "report-html", "", "write an HTML report here (overrides the job's report.html)")
	fl.StringVar(&f.reportJSON, "report-json", "", "write a JSON report here (overrides the job's report.json)")
	fl.StringVar(&f.annotated, "annotated", "", "write an .xlsx copy of the input with bad cells marked (overrides report.annotated)")
	fl.Int64Var(&f.limit, "limit", 0, "read only the first N rows of the source, to try a job (bookmarks are not advanced)")
	fl.BoolVar(&f.resume, "resume", false, "finish the job's last unfinished run (after a crash or Ctrl-C) without redoing confirmed writes")
	fl.StringVar(&f.journal, "journal", "", journalFlagHelp)
	fl.BoolVar(&f.noJournal, "no-journal", false, "keep no journal for this run (no resume, no bookmarks)")
	return cmd
}

func runJob(ctx context.Context, a *app, path string, f runFlags) error {
	stderr := a.stderr
	logger := a.logger()
	if f.limit < 0 {
		return withCode(exitJobInvalid, fmt.Errorf("--limit must be a positive number of rows, not %d", f.limit))
	}
	job, err := jobfile.Load(path, nil)
	if err != nil {
		return invalid(jobfile.Diagnose(ctx, job, err))
	}
	job.Env.Logger = logger
	job.Env.Job = job.Name

	jr, run, err := openJournal(ctx, job, f)
	if err != nil {
		return err
	}
	if jr != nil {
		defer jr.Close()
		job.Env.State = jr
		if !f.dryRun {
			// A dry run sends nothing, so it has no writes to journal.
			job.Env.Journal = run
		}
		job.Env.Resume = f.resume
		logger.Info(fmt.Sprintf("run %d of job %s, journaled in %s", run.ID(), job.Name, jr.Path()))
	}

	prep, err := job.Prepare(ctx)
	if err != nil {
		finishRun(run, nil, err, job.Env.Log())
		return invalid(placeSourceError(job, err))
	}
	defer prep.Source.Close()
	source := countSource(prep.Source, f.limit).source()
	logger.Info(fmt.Sprintf("reading %s (%d columns) into %d fields for %s", describe(job.SourceType, job.Source, job.Env),
		len(prep.Source.Columns()), len(prep.Mapping.Schema()), describe(job.SinkType, job.Sink, job.Env)))

	sink, err := openSink(ctx, job, prep.Mapping.Schema(), f.dryRun)
	if err != nil {
		finishRun(run, nil, err, job.Env.Log())
		return withCode(exitFailed, fmt.Errorf("%s: sink: %w", job.Path, err))
	}
	budget := job.Options.ErrorBudget()
	if f.dryRun {
		budget = -1
	}
	progress := newProgress(stderr, source, sink, a.out.quiet, realClock())
	cfg := pipeline.RunConfig{
		Source:      source,
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
	finishRun(run, res, runErr, job.Env.Log())

	opts := report.Options{
		HTML:      firstNonEmpty(f.reportHTML, job.Env.Path(job.Report.HTML)),
		JSON:      firstNonEmpty(f.reportJSON, job.Env.Path(job.Report.JSON)),
		Annotated: firstNonEmpty(f.annotated, job.Env.Path(job.Report.Annotated)),
		Source:    job.Source,
		Env:       job.Env,
	}
	if jr != nil && run != nil && res.Components != nil {
		opts.Requests = runRequests(context.WithoutCancel(ctx), jr, run.ID(), logger)
	}
	// Reports are written even after an interrupt, with what was done.
	repErr := report.Write(context.WithoutCancel(ctx), res, opts)
	sum := summary{res: res, quiet: a.out.quiet}
	if repErr == nil {
		for _, p := range []string{opts.HTML, opts.JSON, opts.Annotated} {
			if p != "" {
				sum.reports = append(sum.reports, job.Env.Display(p))
			}
		}
		if opts.HTML != "" {
			sum.html = job.Env.Display(opts.HTML)
		}
	}
	_, api := sink.(pipeline.Reporter)
	interrupted := errors.Is(runErr, context.Canceled) || ctx.Err() != nil
	switch {
	case res.DryRun:
	case api:
		sum.output = apiOutput(res, res.Components["sink"], settingText(job.Sink, "Entity"))
	case runErr == nil:
		// The file actually written, templates and partitions applied.
		if o, ok := sink.(pipeline.Outputter); ok && o.Output() != "" {
			p := o.Output()
			sum.output = fileOutput(job.Env.Display(p), p, res.Count(pipeline.Written))
		}
	}
	if a.out.logFormat == "json" {
		sum.printJSON(stderr, job.Name)
	} else {
		sum.print(stderr)
	}

	switch {
	case interrupted:
		msg := "interrupted: nothing was written (output files appear only when a run finishes)"
		if api && !res.DryRun {
			msg = "interrupted: rows not processed were never sent; run the job again with --resume to finish it"
		}
		return &exitError{code: exitInterrupted, err: errors.New(msg)}
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

// openSink opens the job's sink, in a dry run behind its dry-run layer
// (pipeline.OpenSink): API sinks plan, file sinks open for real (their
// settings and paths checked) and are aborted at the end.
func openSink(ctx context.Context, job *jobfile.Job, schema pipeline.Schema, dryRun bool) (pipeline.Sink, error) {
	return pipeline.OpenSink(ctx, job.Sink, job.Env, schema, dryRun)
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

// settingText returns the string field name of a component's config (its
// path, its entity), or "".
func settingText(cfg any, name string) string {
	v := reflect.ValueOf(cfg)
	if v.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.Struct {
		if f := v.Elem().FieldByName(name); f.IsValid() && f.Kind() == reflect.String {
			return f.String()
		}
	}
	return ""
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

// componentTypes lists the registered source and sink types for help
// texts, so that no connector is forgotten.
func componentTypes() string {
	var sources, sinks []string
	for _, t := range pipeline.SourceTypes() {
		sources = append(sources, t.Name)
	}
	for _, t := range pipeline.SinkTypes() {
		sinks = append(sinks, t.Name)
	}
	return "  sources: " + strings.Join(sources, ", ") + "\n  sinks:   " + strings.Join(sinks, ", ")
}
