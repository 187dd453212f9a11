package journal

import (
	"context"
	"fmt"
	"time"
)

// Entry is what the journal knows of one record an API sink writes in a
// run, keyed by entity kind ("products") and the record's match key
// ("sku:TEE-1").
type Entry struct {
	Kind, Key string
	// GUID is the record's ID: chosen for a new record before its write
	// was sent, or the existing record's.
	GUID string
	// Outcome is set on confirmation ("created", "updated", ...).
	Outcome string
	// PayloadHash identifies what was (to be) sent.
	PayloadHash string
	// Confirmed tells that the server accepted the write. An entry that is
	// not confirmed may or may not have reached the server.
	Confirmed bool
	Updated   time.Time
}

// Intend records that the write of the record kind/key is about to be sent
// with guid, before it is sent. When Intend returns nil the entry is
// committed and survives the process being killed (see the package doc),
// so a resumed run finds the GUID in Entries and reuses it instead of
// creating a duplicate. Intend again on the same key replaces the entry and
// marks it unconfirmed. Intend honours ctx: when it fails, do not send.
func (r *Run) Intend(ctx context.Context, kind, key, guid, payloadHash string) error {
	if kind == "" || key == "" || guid == "" {
		return fmt.Errorf("journal: intend in run %d: kind, key and guid are required (got %q, %q, %q)", r.id, kind, key, guid)
	}
	if _, err := r.j.intend.ExecContext(ctx, r.id, kind, key, guid, payloadHash, r.j.now().UnixMilli()); err != nil {
		return fmt.Errorf("journal: intend %s %s: %w", kind, key, err)
	}
	return nil
}

// Confirm records that the server accepted the write of kind/key: the
// record has guid, the write's outcome, and payloadHash. An entry need not
// have been intended first (an update of an existing record keeps its
// GUID). Confirm records a fact that already happened, so it goes on even
// when ctx is cancelled.
func (r *Run) Confirm(ctx context.Context, kind, key, guid, outcome, payloadHash string) error {
	if kind == "" || key == "" || guid == "" {
		return fmt.Errorf("journal: confirm in run %d: kind, key and guid are required (got %q, %q, %q)", r.id, kind, key, guid)
	}
	ctx = context.WithoutCancel(ctx)
	if _, err := r.j.confirm.ExecContext(ctx, r.id, kind, key, guid, outcome, payloadHash, r.j.now().UnixMilli()); err != nil {
		return fmt.Errorf("journal: confirm %s %s: %w", kind, key, err)
	}
	return nil
}

// Entries returns this run's entries of kind, by key.
func (r *Run) Entries(ctx context.Context, kind string) (map[string]Entry, error) {
	rows, err := r.j.query(ctx, `
SELECT key, guid, outcome, payload_hash, confirmed, updated FROM entries
WHERE run_id = ? AND kind = ?`, r.id, kind)
	if err != nil {
		return nil, fmt.Errorf("journal: entries of run %d: %w", r.id, err)
	}
	defer rows.Close()
	out := map[string]Entry{}
	for rows.Next() {
		e := Entry{Kind: kind}
		var updated int64
		if err := rows.Scan(&e.Key, &e.GUID, &e.Outcome, &e.PayloadHash, &e.Confirmed, &updated); err != nil {
			return nil, fmt.Errorf("journal: entries of run %d: %w", r.id, err)
		}
		e.Updated = fromMillis(updated)
		out[e.Key] = e
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("journal: entries of run %d: %w", r.id, err)
	}
	return out, nil
}

// RowOutcome is one input row's outcome.
type RowOutcome struct {
	Row     int    // the row's number in the input, as the runner counts
	Origin  string // "catalog.xlsx [Products] row 12"
	Key     string // the record's match key, when it has one
	Outcome string // "created", "updated", "unchanged", "skipped", "rejected"
	Message string // why, for rejected and skipped rows
}

// RecordRows records row outcomes, in one transaction. A row already
// recorded in this run (same Row and Origin, as when a resumed run reads
// its input again) is replaced. Like Confirm it goes on when ctx is
// cancelled.
func (r *Run) RecordRows(ctx context.Context, rows []RowOutcome) error {
	if len(rows) == 0 {
		return nil
	}
	ctx = context.WithoutCancel(ctx)
	err := r.j.inTx(ctx, `
INSERT INTO row_outcomes (run_id, row, origin, key, outcome, message) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (run_id, row, origin) DO UPDATE SET
	key = excluded.key, outcome = excluded.outcome, message = excluded.message`,
		len(rows), func(i int) []any {
			o := rows[i]
			return []any{r.id, o.Row, o.Origin, o.Key, o.Outcome, o.Message}
		})
	if err != nil {
		return fmt.Errorf("journal: record rows of run %d: %w", r.id, err)
	}
	return nil
}

// Request is one API request made by a run.
type Request struct {
	Time     time.Time
	Method   string
	Path     string // without the query string's secrets; never keys
	Status   int    // HTTP status, 0 when no answer came
	Duration time.Duration
}

// LogRequests records requests, in one transaction. Like Confirm it goes
// on when ctx is cancelled.
func (r *Run) LogRequests(ctx context.Context, reqs []Request) error {
	if len(reqs) == 0 {
		return nil
	}
	ctx = context.WithoutCancel(ctx)
	err := r.j.inTx(ctx, `
INSERT INTO requests (run_id, time, method, path, status, duration) VALUES (?, ?, ?, ?, ?, ?)`,
		len(reqs), func(i int) []any {
			q := reqs[i]
			return []any{r.id, q.Time.UnixMilli(), q.Method, q.Path, q.Status, q.Duration.Microseconds()}
		})
	if err != nil {
		return fmt.Errorf("journal: log requests of run %d: %w", r.id, err)
	}
	return nil
}

// Rows returns the row outcomes recorded for run id, in row order, at most
// limit of them (limit ≤ 0: all); outcome "" selects every outcome.
func (j *Journal) Rows(ctx context.Context, id int64, outcome string, limit int) ([]RowOutcome, error) {
	if limit <= 0 {
		limit = noLimit
	}
	rows, err := j.query(ctx, `
SELECT row, origin, key, outcome, message FROM row_outcomes
WHERE run_id = ? AND (? = '' OR outcome = ?) ORDER BY row, origin LIMIT ?`, id, outcome, outcome, limit)
	if err != nil {
		return nil, fmt.Errorf("journal: rows of run %d: %w", id, err)
	}
	defer rows.Close()
	var out []RowOutcome
	for rows.Next() {
		var o RowOutcome
		if err := rows.Scan(&o.Row, &o.Origin, &o.Key, &o.Outcome, &o.Message); err != nil {
			return nil, fmt.Errorf("journal: rows of run %d: %w", id, err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("journal: rows of run %d: %w", id, err)
	}
	return out, nil
}

// Requests returns the requests logged for run id, oldest first, at most
// limit of them (limit ≤ 0: all).
func (j *Journal) Requests(ctx context.Context, id int64, limit int) ([]Request, error) {
	if limit <= 0 {
		limit = noLimit
	}
	rows, err := j.query(ctx, `
SELECT time, method, path, status, duration FROM requests
WHERE run_id = ? ORDER BY time, `+j.be.requestOrder()+` LIMIT ?`, id, limit)
	if err != nil {
		return nil, fmt.Errorf("journal: requests of run %d: %w", id, err)
	}
	defer rows.Close()
	var out []Request
	for rows.Next() {
		var (
			q        Request
			t, durUS int64
		)
		if err := rows.Scan(&t, &q.Method, &q.Path, &q.Status, &durUS); err != nil {
			return nil, fmt.Errorf("journal: requests of run %d: %w", id, err)
		}
		q.Time, q.Duration = fromMillis(t), time.Duration(durUS)*time.Microsecond
		out = append(out, q)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("journal: requests of run %d: %w", id, err)
	}
	return out, nil
}

// inTx executes query n times, with args(i), in one transaction.
func (j *Journal) inTx(ctx context.Context, query string, n int, args func(i int) []any) error {
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, j.be.rebind(query))
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i := range n {
		if _, err := stmt.ExecContext(ctx, args(i)...); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// JobEntries returns the newest entry of kind for each key over every run
// of job that was not a dry run, whatever its status: what the job's
// earlier runs did to each record, for a sink that must not apply a write
// twice across runs (an "add" stock movement), not only across a resume.
// A later run's entry of a key replaces an earlier run's.
func (j *Journal) JobEntries(ctx context.Context, job, kind string) (map[string]Entry, error) {
	rows, err := j.query(ctx, `
SELECT e.key, e.guid, e.outcome, e.payload_hash, e.confirmed, e.updated
FROM entries e JOIN runs r ON r.id = e.run_id
WHERE r.job = ? AND r.dry_run = 0 AND e.kind = ?
ORDER BY r.id, e.updated`, job, kind)
	if err != nil {
		return nil, fmt.Errorf("journal: entries of job %s: %w", job, err)
	}
	defer rows.Close()
	out := map[string]Entry{}
	for rows.Next() {
		e := Entry{Kind: kind}
		var updated int64
		if err := rows.Scan(&e.Key, &e.GUID, &e.Outcome, &e.PayloadHash, &e.Confirmed, &updated); err != nil {
			return nil, fmt.Errorf("journal: entries of job %s: %w", job, err)
		}
		e.Updated = fromMillis(updated)
		out[e.Key] = e
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("journal: entries of job %s: %w", job, err)
	}
	return out, nil
}
