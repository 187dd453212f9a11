package journal

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Status is where a run stands.
type Status string

const (
	// StatusRunning: started and not finished. A process that crashed
	// leaves its run in this state.
	StatusRunning Status = "running"
	// StatusSucceeded: finished, every row written or accounted for.
	StatusSucceeded Status = "succeeded"
	// StatusRejected: finished, with rejected rows.
	StatusRejected Status = "rejected"
	// StatusFailed: stopped by an error.
	StatusFailed Status = "failed"
	// StatusInterrupted: stopped by the user (Ctrl-C) or a signal.
	StatusInterrupted Status = "interrupted"
)

// resumable tells whether a run in status s can be resumed.
func (s Status) resumable() bool {
	return s == StatusRunning || s == StatusFailed || s == StatusInterrupted
}

// RunInfo describes a run as the journal has it.
type RunInfo struct {
	ID          int64
	Job         string
	JobPath     string
	Fingerprint string
	DryRun      bool
	Started     time.Time
	Finished    time.Time // zero while running
	Status      Status
	Counts      map[string]int64 // outcome name → rows
	Requests    int
	Message     string
	// ResumedFrom is always 0 with this journal: Resume continues the
	// earlier run under its own ID, keeping its entries, rather than
	// starting a new run. Resumes tells whether (and how often) a run was
	// resumed.
	ResumedFrom int64
	// Resumes counts the times the run was resumed.
	Resumes int
	// Holder names the process running it ("pid 345 on host-a") while
	// that process holds the job's run lock; "" otherwise (finished, a dry
	// run, or its process gone).
	Holder string
}

// Run is one run, open for writing. Its methods are safe for concurrent use.
type Run struct {
	j  *Journal
	id int64

	mu   sync.Mutex
	info RunInfo
}

// ID is the run's number in the journal.
func (r *Run) ID() int64 { return r.id }

// Info returns the run's description as this process last wrote or read it.
func (r *Run) Info() RunInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	info := r.info
	info.Counts = cloneCounts(r.info.Counts)
	return info
}

// StartRun records a new run of job, in status running. jobPath is the job
// file as given; fingerprint identifies the job and its input (a hash of
// the job file and the input files) so that Resume can tell they changed.
//
// A run that is not a dry run takes the job's run lock, held until Finish
// or Close: one job, one run at a time. When another process (or another
// Journal) runs the job, StartRun refuses at once with a *LockedError
// (errors.Is ErrLocked) that names that run. A lock whose holder is gone
// (see locked) is taken over. Dry runs change nothing and take no lock.
func (j *Journal) StartRun(ctx context.Context, job, jobPath, fingerprint string, dryRun bool) (*Run, error) {
	if job == "" {
		return nil, errors.New("journal: start run: empty job name")
	}
	info := RunInfo{
		Job: job, JobPath: jobPath, Fingerprint: fingerprint, DryRun: dryRun,
		Started: j.now(), Status: StatusRunning, Counts: map[string]int64{},
	}
	insert := func(ctx context.Context, q querier) (int64, error) {
		var id int64
		err := q.QueryRowContext(ctx, j.be.rebind(`
INSERT INTO runs (job, job_path, fingerprint, dry_run, started, status)
VALUES (?, ?, ?, ?, ?, ?) RETURNING id`),
			job, jobPath, fingerprint, boolInt(dryRun), info.Started.UnixMilli(), string(info.Status)).Scan(&id)
		return id, err
	}
	var err error
	if dryRun {
		info.ID, err = insert(ctx, j.db)
	} else {
		info.ID, err = j.locked(ctx, job, func(tx *sql.Tx) (int64, error) { return insert(ctx, tx) })
	}
	if err != nil {
		var le *LockedError
		if errors.As(err, &le) {
			return nil, err
		}
		return nil, fmt.Errorf("journal: start run of %s: %w", job, err)
	}
	if !dryRun {
		info.Holder = holderText(j.opts.Host, j.opts.PID)
	}
	return &Run{j: j, id: info.ID, info: info}, nil
}

// Resumable returns the run of job that `etl run --resume` would finish:
// the newest non-dry run of job, when its status is running (a crashed
// process leaves that), failed or interrupted. When the newest non-dry run
// finished (succeeded or rejected), older unfinished runs are superseded by
// it and Resumable returns ErrNoRun, as it does when job has no runs. The
// run is returned for reading; call Resume before writing to it.
func (j *Journal) Resumable(ctx context.Context, job string) (*Run, error) {
	row := j.queryRow(ctx, `SELECT `+runColumns+` FROM runs r
WHERE r.job = ? AND r.dry_run = 0 ORDER BY r.id DESC LIMIT 1`, job)
	info, err := scanRun(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: job %s has no runs", ErrNoRun, job)
	}
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	if !info.Status.resumable() {
		return nil, fmt.Errorf("%w: the last run of %s (run %d) %s", ErrNoRun, job, info.ID, info.Status)
	}
	return &Run{j: j, id: info.ID, info: info}, nil
}

// Resume marks run id as being resumed by this process (status running
// again, its resume count up) and returns it for writing: same ID, its
// entries, rows and requests kept. fingerprint must equal the run's, else
// the error wraps ErrChanged: the job or its input changed since, and
// resuming would mix two inputs. A dry run, or a run that finished, cannot
// be resumed.
//
// Resume takes the job's run lock as StartRun does: while the run (or
// another run of its job) is still going on in a live process, Resume
// refuses with a *LockedError.
func (j *Journal) Resume(ctx context.Context, id int64, fingerprint string) (*Run, error) {
	var info RunInfo
	check := func(tx *sql.Tx) (int64, error) {
		var err error
		info, err = scanRun(tx.QueryRowContext(ctx, j.be.rebind(`SELECT `+runColumns+` FROM runs r WHERE r.id = ?`+j.be.forUpdate()), id))
		if errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("%w: there is no run %d", ErrNoRun, id)
		}
		if err != nil {
			return 0, fmt.Errorf("journal: resume run %d: %w", id, err)
		}
		switch {
		case info.DryRun:
			return 0, fmt.Errorf("journal: run %d of %s was a dry run and cannot be resumed", id, info.Job)
		case !info.Status.resumable():
			return 0, fmt.Errorf("journal: run %d of %s %s and cannot be resumed", id, info.Job, info.Status)
		case info.Fingerprint != fingerprint:
			return 0, fmt.Errorf("journal: cannot resume run %d of %s: %w; run it afresh, without --resume", id, info.Job, ErrChanged)
		}
		info.Status, info.Finished, info.Resumes = StatusRunning, time.Time{}, info.Resumes+1
		if _, err := tx.ExecContext(ctx, j.be.rebind(`UPDATE runs SET status = ?, finished = NULL, resumes = ? WHERE id = ?`),
			string(info.Status), info.Resumes, id); err != nil {
			return 0, fmt.Errorf("journal: resume run %d: %w", id, err)
		}
		return id, nil
	}
	// The lock is the job's: find the job first.
	var job string
	err := j.queryRow(ctx, `SELECT job FROM runs WHERE id = ?`, id).Scan(&job)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: there is no run %d", ErrNoRun, id)
	}
	if err != nil {
		return nil, fmt.Errorf("journal: resume run %d: %w", id, err)
	}
	if _, err := j.locked(ctx, job, check); err != nil {
		return nil, err
	}
	info.Holder = holderText(j.opts.Host, j.opts.PID)
	return &Run{j: j, id: id, info: info}, nil
}

// Runs lists runs of job, newest first, at most limit of them (limit ≤ 0:
// all). job "" lists every job's runs.
func (j *Journal) Runs(ctx context.Context, job string, limit int) ([]RunInfo, error) {
	if limit <= 0 {
		limit = noLimit
	}
	rows, err := j.query(ctx, `SELECT `+runColumns+` FROM runs r
WHERE ? = '' OR r.job = ? ORDER BY r.id DESC LIMIT ?`, job, job, limit)
	if err != nil {
		return nil, fmt.Errorf("journal: list runs: %w", err)
	}
	defer rows.Close()
	var out []RunInfo
	for rows.Next() {
		info, err := scanRun(rows)
		if err != nil {
			return nil, fmt.Errorf("journal: list runs: %w", err)
		}
		out = append(out, info)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("journal: list runs: %w", err)
	}
	rows.Close() // before more queries: SQLite has one connection
	if err := j.withHolders(ctx, out); err != nil {
		return nil, fmt.Errorf("journal: list runs: %w", err)
	}
	return out, nil
}

// RunInfo returns run id's description, or an error wrapping ErrNoRun.
func (j *Journal) RunInfo(ctx context.Context, id int64) (RunInfo, error) {
	info, err := scanRun(j.queryRow(ctx, `SELECT `+runColumns+` FROM runs r WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return RunInfo{}, fmt.Errorf("%w: there is no run %d", ErrNoRun, id)
	}
	if err != nil {
		return RunInfo{}, fmt.Errorf("journal: run %d: %w", id, err)
	}
	one := []RunInfo{info}
	if err := j.withHolders(ctx, one); err != nil {
		return RunInfo{}, fmt.Errorf("journal: run %d: %w", id, err)
	}
	return one[0], nil
}

// Finish records the end of the run: its status (not running), counts by
// outcome, requests made and a message (the error, for a failed run). It
// records even when ctx is already cancelled, the usual case after Ctrl-C,
// and may be called again to correct the record. It releases the job's
// run lock.
func (r *Run) Finish(ctx context.Context, status Status, counts map[string]int64, requests int, message string) error {
	switch status {
	case StatusSucceeded, StatusRejected, StatusFailed, StatusInterrupted:
	default:
		return fmt.Errorf("journal: finish run %d: status %q is not an end", r.id, status)
	}
	if counts == nil {
		counts = map[string]int64{}
	}
	countsJSON, err := json.Marshal(counts)
	if err != nil {
		return fmt.Errorf("journal: finish run %d: %w", r.id, err)
	}
	finished := r.j.now()
	ctx = context.WithoutCancel(ctx)
	if _, err := r.j.exec(ctx, `
UPDATE runs SET status = ?, finished = ?, counts = ?, requests = ?, message = ? WHERE id = ?`,
		string(status), finished.UnixMilli(), string(countsJSON), requests, message, r.id); err != nil {
		return fmt.Errorf("journal: finish run %d: %w", r.id, err)
	}
	r.mu.Lock()
	r.info.Status, r.info.Finished, r.info.Holder = status, finished, ""
	r.info.Counts, r.info.Requests, r.info.Message = cloneCounts(counts), requests, message
	job := r.info.Job
	r.mu.Unlock()
	return r.j.release(job, r.id)
}

// runColumns are the columns scanRun reads, from runs r.
const runColumns = `r.id, r.job, r.job_path, r.fingerprint, r.dry_run, r.started, r.finished, r.status, r.counts, r.requests, r.message, r.resumes`

type scanner interface{ Scan(dest ...any) error }

// scanRun reads a run and, while it is running, who holds its lock.
func scanRun(s scanner) (RunInfo, error) {
	var (
		info              RunInfo
		started           int64
		finished          sql.NullInt64
		status, countsTxt string
	)
	if err := s.Scan(&info.ID, &info.Job, &info.JobPath, &info.Fingerprint, &info.DryRun,
		&started, &finished, &status, &countsTxt, &info.Requests, &info.Message, &info.Resumes); err != nil {
		return RunInfo{}, err
	}
	info.Started, info.Status = fromMillis(started), Status(status)
	if finished.Valid {
		info.Finished = fromMillis(finished.Int64)
	}
	info.Counts = map[string]int64{}
	if err := json.Unmarshal([]byte(countsTxt), &info.Counts); err != nil {
		return RunInfo{}, fmt.Errorf("run %d: counts: %w", info.ID, err)
	}
	return info, nil
}

// withHolders fills in the Holder of running runs.
func (j *Journal) withHolders(ctx context.Context, runs []RunInfo) error {
	for i := range runs {
		if runs[i].Status != StatusRunning || runs[i].DryRun {
			continue
		}
		h, ok, err := j.holderOf(ctx, j.db, runs[i].Job)
		if err != nil {
			return err
		}
		if ok && h.runID == runs[i].ID && j.holderAlive(ctx, runs[i].Job, h) {
			runs[i].Holder = holderText(h.host, h.pid)
		}
	}
	return nil
}

func holderText(host string, pid int) string { return fmt.Sprintf("pid %d on %s", pid, host) }

func cloneCounts(m map[string]int64) map[string]int64 {
	c := make(map[string]int64, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
