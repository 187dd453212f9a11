package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"reflect"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/etl-dev/etl/internal/blobio"
	"github.com/etl-dev/etl/jobfile"
	"github.com/etl-dev/etl/pipeline"
	"github.com/etl-dev/etl/pipeline/journal"
	_ "github.com/etl-dev/etl/pipeline/journal/postgres" // postgres:// journals
	_ "github.com/etl-dev/etl/pipeline/journal/sqlite"   // file journals, the default
)

// journalFlagHelp documents every command's --journal flag.
const journalFlagHelp = "run journal: a file (SQLite) or a postgres:// URL (default $ETL_JOURNAL, else ~/.local/state/etl/journal.db)"

// openJournal opens the run journal and starts (or, with --resume,
// resumes) this run in it. Both are nil with --no-journal.
func openJournal(ctx context.Context, job *jobfile.Job, f runFlags) (*journal.Journal, *journal.Run, error) {
	if f.noJournal {
		if f.resume {
			return nil, nil, withCode(exitJobInvalid, errors.New("--resume needs the journal: drop --no-journal"))
		}
		return nil, nil, nil
	}
	path := firstNonEmpty(f.journal, journal.DefaultPath())
	jr, err := journal.Open(path)
	if err != nil {
		return nil, nil, withCode(exitFailed, fmt.Errorf("opening the run journal (use --journal PATH|URL or --no-journal): %w", err))
	}
	fp := fingerprint(ctx, job)
	var run *journal.Run
	if f.resume {
		prev, err := jr.Resumable(ctx, job.Name)
		if errors.Is(err, journal.ErrNoRun) {
			jr.Close()
			return nil, nil, withCode(exitJobInvalid, fmt.Errorf("job %s has no unfinished run to resume: run it without --resume", job.Name))
		}
		if err == nil {
			run, err = jr.Resume(ctx, prev.ID(), fp)
		}
		if errors.Is(err, journal.ErrLocked) {
			jr.Close()
			return nil, nil, withCode(exitFailed, err)
		}
		if err != nil {
			jr.Close()
			return nil, nil, withCode(exitJobInvalid, fmt.Errorf("resuming %s: %w", job.Name, err))
		}
	} else {
		run, err = jr.StartRun(ctx, job.Name, job.Path, fp, f.dryRun)
		if errors.Is(err, journal.ErrLocked) {
			// One job, one run at a time: the message names the running one.
			jr.Close()
			return nil, nil, withCode(exitFailed, err)
		}
		if err != nil {
			jr.Close()
			return nil, nil, withCode(exitFailed, fmt.Errorf("starting the run in the journal: %w", err))
		}
	}
	return jr, run, nil
}

// fingerprint identifies a job and its input, so that a resumed run is
// known to work on the same data: the job file's bytes, and the size and
// modification time of the file its source reads (for an object in object
// storage, its size, time and ETag, the same from every host).
func fingerprint(ctx context.Context, job *jobfile.Job) string {
	h := sha256.New()
	if b, err := os.ReadFile(job.Path); err == nil {
		h.Write(b)
	}
	v := reflect.ValueOf(job.Source)
	if v.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.Struct {
		if p := v.Elem().FieldByName("Path"); p.IsValid() && p.Kind() == reflect.String {
			path := job.Env.Path(p.String())
			if pipeline.IsObjectURL(path) {
				if size, mod, etag, err := blobio.Stat(ctx, path); err == nil {
					fmt.Fprintf(h, "\x00%d\x00%d\x00%s", size, mod.UnixNano(), etag)
				}
			} else if st, err := os.Stat(path); err == nil {
				fmt.Fprintf(h, "\x00%d\x00%d", st.Size(), st.ModTime().UnixNano())
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// finishRun records how the run ended; res is nil when it never started.
// A journal that cannot record it is warned about: the run then stays
// "running" there until a later run finds its lock stale.
func finishRun(run *journal.Run, res *pipeline.Result, err error, logger *slog.Logger) {
	if run == nil {
		return
	}
	status := journal.StatusSucceeded
	switch {
	case errors.Is(err, context.Canceled):
		status = journal.StatusInterrupted
	case errors.Is(err, pipeline.ErrRowsRejected):
		status = journal.StatusRejected
	case err != nil:
		status = journal.StatusFailed
	case res != nil && res.Count(pipeline.Rejected) > 0:
		status = journal.StatusRejected
	}
	counts := map[string]int64{}
	requests := 0
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	if res != nil {
		counts = res.CountsByName()
		for _, c := range res.Components {
			requests += c.Requests.Total()
		}
		if res.Aborted != "" {
			msg = res.Aborted
		}
	}
	if ferr := run.Finish(context.Background(), status, counts, requests, msg); ferr != nil {
		logger.Warn("the journal could not record the end of the run", "run", run.ID(), "err", ferr)
	}
}

// rowRecorder writes row outcomes to the journal, a batch per transaction.
type rowRecorder struct {
	run    *journal.Run
	ctx    context.Context
	logger *slog.Logger
	failed bool
}

func (r *rowRecorder) record(outcomes []pipeline.RowOutcome) {
	if r.failed {
		return
	}
	rows := make([]journal.RowOutcome, len(outcomes))
	for i, o := range outcomes {
		rows[i] = journal.RowOutcome{Row: o.Origin.Row, Origin: o.Origin.String(), Outcome: o.Outcome.String(), Message: o.Problem}
	}
	if err := r.run.RecordRows(r.ctx, rows); err != nil {
		// The journal is a record, not the output: say so once and go on.
		r.failed = true
		r.logger.Warn("the journal could not record row outcomes", "err", err)
	}
}

// runJSON is a run as `etl runs --json` prints it.
type runJSON struct {
	ID       int64            `json:"id"`
	Job      string           `json:"job"`
	JobPath  string           `json:"job_path,omitempty"`
	DryRun   bool             `json:"dry_run"`
	Started  time.Time        `json:"started"`
	Finished *time.Time       `json:"finished,omitempty"`
	Status   string           `json:"status"`
	Counts   map[string]int64 `json:"counts"`
	Requests int              `json:"requests"`
	Message  string           `json:"message,omitempty"`
	Resumes  int              `json:"resumes"`
	Holder   string           `json:"holder,omitempty"`
}

// stateJSON is a bookmark as `etl state show --json` prints it.
type stateJSON struct {
	Job     string    `json:"job"`
	Key     string    `json:"key"`
	Value   string    `json:"value"`
	Updated time.Time `json:"updated"`
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func newRunsCmd() *cobra.Command {
	var path string
	var limit int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "runs [JOB-NAME]",
		Short: "List past runs and their outcomes from the journal",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			jr, err := journal.Open(firstNonEmpty(path, journal.DefaultPath()))
			if err != nil {
				return withCode(exitFailed, err)
			}
			defer jr.Close()
			job := ""
			if len(args) == 1 {
				job = args[0]
			}
			runs, err := jr.Runs(cmd.Context(), job, limit)
			if err != nil {
				return withCode(exitFailed, err)
			}
			if asJSON {
				out := make([]runJSON, len(runs))
				for i, r := range runs {
					out[i] = runJSON{ID: r.ID, Job: r.Job, JobPath: r.JobPath, DryRun: r.DryRun, Started: r.Started.UTC(),
						Status: string(r.Status), Counts: r.Counts, Requests: r.Requests, Message: r.Message, Resumes: r.Resumes, Holder: r.Holder}
					if !r.Finished.IsZero() {
						f := r.Finished.UTC()
						out[i].Finished = &f
					}
				}
				return printJSON(cmd.OutOrStdout(), out)
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tJOB\tSTARTED\tDURATION\tSTATUS\tROWS\tREQUESTS\tMESSAGE")
			for _, r := range runs {
				status := string(r.Status)
				if r.DryRun {
					status += " (dry run)"
				}
				if r.Resumes > 0 {
					status += fmt.Sprintf(" (resumed %d×)", r.Resumes)
				}
				if r.Holder != "" {
					status += " (" + r.Holder + ")"
				}
				dur := "-"
				if !r.Finished.IsZero() {
					dur = r.Finished.Sub(r.Started).Round(time.Millisecond).String()
				}
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", r.ID, r.Job, r.Started.Local().Format("2006-01-02 15:04:05"),
					dur, status, countsText(r.Counts), r.Requests, oneLine(r.Message, 80))
			}
			return w.Flush()
		},
	}
	cmd.Flags().StringVar(&path, "journal", "", journalFlagHelp)
	cmd.Flags().IntVar(&limit, "limit", 20, "runs to show, newest first")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the runs as a JSON array")
	return cmd
}

func countsText(counts map[string]int64) string {
	var parts []string
	for _, o := range pipeline.Outcomes() {
		if n := counts[o.String()]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, o))
		}
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}

func newStateCmd() *cobra.Command {
	var path string
	var asJSON bool
	open := func() (*journal.Journal, error) {
		jr, err := journal.Open(firstNonEmpty(path, journal.DefaultPath()))
		if err != nil {
			return nil, withCode(exitFailed, err)
		}
		return jr, nil
	}
	cmd := &cobra.Command{
		Use:   "state",
		Short: "Show or reset the bookmarks of incremental jobs",
	}
	cmd.PersistentFlags().StringVar(&path, "journal", "", journalFlagHelp)
	show := &cobra.Command{
		Use:   "show [JOB-NAME]",
		Short: "Show bookmarks (all jobs, or one)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			jr, err := open()
			if err != nil {
				return err
			}
			defer jr.Close()
			job := ""
			if len(args) == 1 {
				job = args[0]
			}
			states, err := jr.States(cmd.Context(), job)
			if err != nil {
				return withCode(exitFailed, err)
			}
			if asJSON {
				out := make([]stateJSON, len(states))
				for i, st := range states {
					out[i] = stateJSON{Job: st.Job, Key: st.Key, Value: st.Value, Updated: st.Updated.UTC()}
				}
				return printJSON(cmd.OutOrStdout(), out)
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "JOB\tKEY\tVALUE\tUPDATED")
			for _, s := range states {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", s.Job, s.Key, s.Value, s.Updated.Local().Format("2006-01-02 15:04:05"))
			}
			return w.Flush()
		},
	}
	reset := &cobra.Command{
		Use:   "reset JOB-NAME [KEY]",
		Short: "Forget a job's bookmarks, so its next run exports everything",
		Args:  cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			jr, err := open()
			if err != nil {
				return err
			}
			defer jr.Close()
			key := ""
			if len(args) == 2 {
				key = args[1]
			}
			n, err := jr.ResetState(cmd.Context(), args[0], key)
			if err != nil {
				return withCode(exitFailed, err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "reset %d bookmarks of %s\n", n, args[0])
			return nil
		},
	}
	show.Flags().BoolVar(&asJSON, "json", false, "print the bookmarks as a JSON array")
	cmd.AddCommand(show, reset)
	return cmd
}
