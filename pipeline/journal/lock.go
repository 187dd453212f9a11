package journal

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// ErrLocked is wrapped by the error of StartRun and Resume when another
// run of the same job holds the job's run lock. The error is a
// *LockedError naming that run.
var ErrLocked = errors.New("journal: the job is already running")

// LockedError tells which run holds a job's run lock.
type LockedError struct {
	Job       string
	RunID     int64     // 0 when the holder has not recorded its run yet
	Host      string    // the holder's host name
	PID       int       // the holder's process ID on Host
	Since     time.Time // when it took the lock
	Heartbeat time.Time // its last sign of life (SQLite)

	backend string
	ttl     time.Duration
}

func (e *LockedError) Error() string {
	who := "another process"
	if e.PID != 0 {
		who = fmt.Sprintf("pid %d on %s", e.PID, e.Host)
	}
	run := ""
	if e.RunID != 0 {
		run = fmt.Sprintf("run %d, ", e.RunID)
	}
	since := ""
	if !e.Since.IsZero() {
		since = ", since " + e.Since.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	msg := fmt.Sprintf("job %s is already running (%s%s%s): wait for it to finish (`etl runs %s` shows it)", e.Job, run, who, since, e.Job)
	if e.backend == (postgresBackend{}).name() {
		return msg + "; its lock is released as soon as that process's connection to PostgreSQL ends"
	}
	return msg + fmt.Sprintf("; if that process is gone, its lock is taken over at once on %s, or from any host %s after its last heartbeat", e.Host, e.ttl)
}

// Is makes errors.Is(err, ErrLocked) true.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// jobLock is a run lock this journal holds.
type jobLock struct {
	job      string
	runID    int64
	acquired time.Time
	conn     *sql.Conn // PostgreSQL: the session holding the advisory lock
}

// holder is a lock row.
type holder struct {
	runID          int64
	host           string
	pid            int
	token          string
	acquired, beat time.Time
	runStatus      Status
}

func newToken() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// locked runs fn in a transaction under job's run lock, taking the lock
// first: fn returns the run the lock is now for. The lock is re-entrant for
// the run this journal already holds it for (Resume of its own run); any
// other holder that is alive makes it fail with a *LockedError.
//
// How a holder is known to be gone: with PostgreSQL, the lock is a session
// advisory lock that the server drops when the holder's connection ends;
// with SQLite, the lock row names the holder's host and pid and carries a
// heartbeat: a holder on this host whose process is gone, one whose run is
// no longer running, or one silent for LockTTL, is gone.
func (j *Journal) locked(ctx context.Context, job string, fn func(tx *sql.Tx) (int64, error)) (int64, error) {
	id, err, fnErr := j.lockedTx(ctx, job, fn)
	if err != nil && !fnErr {
		var le *LockedError
		if !errors.As(err, &le) {
			err = fmt.Errorf("journal: run lock of %s: %w", job, err)
		}
	}
	return id, err
}

// lockedTx is locked; fnErr tells that the error is fn's.
func (j *Journal) lockedTx(ctx context.Context, job string, fn func(tx *sql.Tx) (int64, error)) (_ int64, _ error, fnErr bool) {
	j.locksMu.Lock()
	defer j.locksMu.Unlock()
	held := j.locks[job]

	var conn *sql.Conn
	if held == nil && j.be.sessionLocks() {
		c, err := j.db.Conn(ctx)
		if err != nil {
			return 0, err, false
		}
		var ok bool
		if err := c.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, jobLockKey(job)).Scan(&ok); err != nil {
			c.Close()
			return 0, err, false
		}
		if !ok {
			c.Close()
			h, found, err := j.holderOf(ctx, j.db, job)
			if err != nil {
				return 0, err, false
			}
			le := j.lockedError(job, h)
			if !found {
				le.RunID, le.Host, le.PID = 0, "", 0
			}
			return 0, le, false
		}
		// A pod whose node vanished never closes its connection: have the
		// server probe it, so that its lock drops within about a minute
		// (ignored on Unix sockets). Should the settings fail, the lock
		// still holds, only a vanished holder is found out later.
		for _, set := range []string{`SET tcp_keepalives_idle = 30`, `SET tcp_keepalives_interval = 10`, `SET tcp_keepalives_count = 3`} {
			c.ExecContext(ctx, set)
		}
		conn = c
	}
	unlock := func() {
		if conn != nil {
			conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, jobLockKey(job))
			endSession(conn)
		}
	}

	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		unlock()
		return 0, err, false
	}
	defer tx.Rollback()
	h, found, err := j.holderOf(ctx, tx, job)
	if err != nil {
		unlock()
		return 0, err, false
	}
	// With session locks, holding the advisory lock makes any other row
	// stale: its session is gone.
	if found && h.token != j.token && !j.be.sessionLocks() && !j.stale(h) {
		return 0, j.lockedError(job, h), false
	}
	id, err := fn(tx)
	if err != nil {
		unlock()
		return 0, err, true
	}
	if held != nil && held.runID != id {
		unlock()
		return 0, j.lockedError(job, holder{runID: held.runID, host: j.opts.Host, pid: j.opts.PID, acquired: held.acquired}), false
	}
	acquired := j.now()
	now := acquired.UnixMilli()
	if _, err := tx.ExecContext(ctx, j.be.rebind(`
INSERT INTO locks (job, run_id, host, pid, token, acquired, heartbeat) VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (job) DO UPDATE SET run_id = excluded.run_id, host = excluded.host, pid = excluded.pid,
	token = excluded.token, acquired = excluded.acquired, heartbeat = excluded.heartbeat`),
		job, id, j.opts.Host, j.opts.PID, j.token, now, now); err != nil {
		unlock()
		return 0, err, false
	}
	if err := tx.Commit(); err != nil {
		unlock()
		return 0, err, false
	}
	if held != nil {
		return id, nil, false
	}
	j.locks[job] = &jobLock{job: job, runID: id, acquired: acquired, conn: conn}
	if j.stopHB == nil {
		j.stopHB, j.hbDone = make(chan struct{}), make(chan struct{})
		go j.heartbeatLoop(j.stopHB, j.hbDone)
	}
	return id, nil, false
}

// holderOf reads job's lock row and its run's status.
func (j *Journal) holderOf(ctx context.Context, q querier, job string) (holder, bool, error) {
	var (
		h              holder
		acquired, beat int64
		status         sql.NullString
	)
	err := q.QueryRowContext(ctx, j.be.rebind(`
SELECT l.run_id, l.host, l.pid, l.token, l.acquired, l.heartbeat, r.status
FROM locks l LEFT JOIN runs r ON r.id = l.run_id WHERE l.job = ?`), job).
		Scan(&h.runID, &h.host, &h.pid, &h.token, &acquired, &beat, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return holder{}, false, nil
	}
	if err != nil {
		return holder{}, false, fmt.Errorf("run lock of %s: %w", job, err)
	}
	h.acquired, h.beat, h.runStatus = time.UnixMilli(acquired), time.UnixMilli(beat), Status(status.String)
	return h, true, nil
}

// stale tells whether the holder of a lock row is gone (SQLite's rule; see
// locked).
func (j *Journal) stale(h holder) bool {
	switch {
	case h.runStatus != StatusRunning:
		return true
	case j.opts.Now().Sub(h.beat) > j.opts.LockTTL:
		return true
	case h.host == j.opts.Host && !processAlive(h.pid):
		return true
	}
	return false
}

func (j *Journal) lockedError(job string, h holder) *LockedError {
	return &LockedError{
		Job: job, RunID: h.runID, Host: h.host, PID: h.pid, Since: h.acquired, Heartbeat: h.beat,
		backend: j.be.name(), ttl: j.opts.LockTTL,
	}
}

// release gives up job's lock if this journal holds it for run id.
func (j *Journal) release(job string, id int64) error {
	j.locksMu.Lock()
	defer j.locksMu.Unlock()
	l := j.locks[job]
	if l == nil || l.runID != id {
		return nil
	}
	return j.releaseLocked(l)
}

func (j *Journal) releaseLocked(l *jobLock) error {
	delete(j.locks, l.job)
	ctx := context.Background()
	_, err := j.exec(ctx, `DELETE FROM locks WHERE job = ? AND token = ?`, l.job, j.token)
	if l.conn != nil {
		if _, uerr := l.conn.ExecContext(ctx, `SELECT pg_advisory_unlock($1)`, jobLockKey(l.job)); uerr != nil && err == nil {
			err = uerr
		}
		// Ending the session drops the lock even if the unlock failed.
		endSession(l.conn)
	}
	if err != nil {
		return fmt.Errorf("journal: releasing the run lock of %s: %w", l.job, err)
	}
	return nil
}

// releaseAll gives up every lock and stops the heartbeat.
func (j *Journal) releaseAll() error {
	j.locksMu.Lock()
	var errs []error
	for _, l := range j.locks {
		errs = append(errs, j.releaseLocked(l))
	}
	stop, done := j.stopHB, j.hbDone
	j.stopHB = nil
	j.locksMu.Unlock()
	if stop != nil {
		close(stop)
		<-done
	}
	return errors.Join(errs...)
}

// Heartbeat renews the run locks this journal holds, so that no other
// process takes them over as stale. The journal calls it by itself every
// LockTTL/4 while it holds a lock. With PostgreSQL the beat goes through
// each lock's own session, which keeps it busy and tells whether it is
// still there.
func (j *Journal) Heartbeat(ctx context.Context) error {
	j.locksMu.Lock()
	defer j.locksMu.Unlock()
	now := j.now().UnixMilli()
	var errs []error
	for _, l := range j.locks {
		q := j.be.rebind(`UPDATE locks SET heartbeat = ? WHERE job = ? AND token = ?`)
		var err error
		if l.conn != nil {
			_, err = l.conn.ExecContext(ctx, q, now, l.job, j.token)
		} else {
			_, err = j.db.ExecContext(ctx, q, now, l.job, j.token)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("journal: run lock heartbeat of %s: %w", l.job, err))
		}
	}
	return errors.Join(errs...)
}

func (j *Journal) heartbeatLoop(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(j.opts.LockTTL / 4)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			// A failed beat is retried at the next tick; LockTTL leaves
			// room for three of them.
			j.Heartbeat(context.Background())
		}
	}
}

// holderAlive tells whether the lock row h of job still holds: with
// session locks, whether the advisory lock is held by some session.
func (j *Journal) holderAlive(ctx context.Context, job string, h holder) bool {
	if !j.be.sessionLocks() {
		return !j.stale(h)
	}
	key := uint64(jobLockKey(job))
	var held bool
	err := j.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted
	AND classid = ?::oid AND objid = ?::oid AND objsubid = 1)`, int64(key>>32), int64(key&0xffffffff)).Scan(&held)
	return err == nil && held
}

// endSession closes a lock's connection for good instead of returning it
// to the pool, so that no session that held a run lock (or its keepalive
// settings) lives on.
func endSession(c *sql.Conn) {
	c.Raw(func(any) error { return driver.ErrBadConn })
	c.Close()
}
