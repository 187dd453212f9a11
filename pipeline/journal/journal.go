// Package journal is etl's run journal: a database that records each run,
// the GUIDs an API sink chose before sending a write and whether the server
// accepted it, each row's outcome, the requests made, and the bookmarks of
// incremental sources. It is what lets a run that crashed be resumed
// without duplicates, what keeps two runs of one job from overlapping (the
// run lock, see StartRun), and what `etl runs` and `etl state` show.
//
// # Backends
//
// The journal lives in an embedded SQLite file (the default) or in a
// PostgreSQL database, chosen by Open's target: a path or a postgres://
// URL. Both have the same tables, the same behaviour and the same test
// suite (package journaltest); the schema is versioned and migrated when a
// journal opens. Package journal links no database driver: import
// .../pipeline/journal/sqlite and .../pipeline/journal/postgres for them.
//
// # Durability
//
// SQLite is in WAL mode with synchronous=NORMAL. A write method returns
// after its transaction committed, and a committed transaction is in the
// operating system's hands: it survives the etl process being killed
// (kill -9, a panic, os.Exit) at any later moment. Only an operating-system
// crash or power loss can lose the last transactions before the next
// checkpoint; the database itself stays consistent. That is the guarantee
// Intend needs (a GUID is recorded before its write is sent, so a resumed
// run reuses it). SetState is stronger: it commits with synchronous=FULL,
// so a bookmark survives power loss too. PostgreSQL commits durably
// (synchronous_commit=on, its default) every time.
//
// # Sharing
//
// A Journal is safe for concurrent use by many goroutines. Several
// processes (or several Journals in one process, or pods on many hosts
// with PostgreSQL) may open the same journal: with SQLite each waits up to
// a busy timeout for another's write to finish, and readers never wait for
// writers.
//
// Package journal does not import package pipeline, so that pipeline can
// refer to it; *Journal satisfies pipeline.StateStore.
package journal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// busyTimeout is how long a write waits for another connection's write
// (another process, or another Journal on the same file) before failing.
const busyTimeout = 10 * time.Second

// ErrNoRun is returned when there is no run to resume, or no run of the
// asked ID.
var ErrNoRun = errors.New("journal: no run to resume")

// ErrChanged is wrapped by Resume's error when the job or its input changed
// since the run it was asked to resume.
var ErrChanged = errors.New("the job or its input changed since")

// DefaultPath is where the journal lives unless the user says otherwise:
// $ETL_JOURNAL if set, else $XDG_STATE_HOME/etl/journal.db (when that is an
// absolute path, as the XDG spec requires), else
// ~/.local/state/etl/journal.db. Without a home directory it is
// etl-journal.db in the working directory.
func DefaultPath() string {
	if p := os.Getenv("ETL_JOURNAL"); p != "" {
		return p
	}
	if d := os.Getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "etl", "journal.db")
	}
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		return filepath.Join(home, ".local", "state", "etl", "journal.db")
	}
	return "etl-journal.db"
}

// Journal is an open journal database.
type Journal struct {
	db     *sql.DB
	be     backend
	target string
	opts   Options
	token  string // this Journal's identity in the locks it holds

	intend   *sql.Stmt
	confirm  *sql.Stmt
	getState *sql.Stmt

	locksMu sync.Mutex
	locks   map[string]*jobLock // held run locks, by job
	stopHB  chan struct{}       // closed by Close: stops the heartbeat
	hbDone  chan struct{}
}

// Options tune a journal; the zero value is what etl uses.
type Options struct {
	// Now is the journal's clock; nil is time.Now. Tests inject one to
	// age run locks.
	Now func() time.Time
	// LockTTL is how long a run lock whose holder stopped its heartbeat
	// stays held before another run may take it over; 0 is
	// DefaultLockTTL. The heartbeat renews held locks every LockTTL/4.
	LockTTL time.Duration
	// Host names this machine in the locks this journal takes; "" is
	// os.Hostname. A lock held by a process of the same host that is gone
	// is taken over at once.
	Host string
	// PID is this process in the locks it takes; 0 is os.Getpid.
	PID int
}

// DefaultLockTTL is how long a run lock outlives its holder's last
// heartbeat when nothing tells that the holder is gone.
const DefaultLockTTL = 2 * time.Minute

// Open opens the journal at target: a file path (an SQLite database) or a
// postgres:// URL (a PostgreSQL database). For a file it creates the
// parent directories and the file as needed. Either way it creates the
// schema, or upgrades an older one in place; a journal written by a newer
// etl (a higher schema version) is refused.
//
// The database drivers are linked by importing
// github.com/etl-dev/etl/pipeline/journal/sqlite and .../postgres; Open
// says which one is missing.
func Open(target string) (*Journal, error) {
	return OpenWith(target, Options{})
}

// OpenWith is Open with options.
func OpenWith(target string, opts Options) (*Journal, error) {
	if target == "" {
		return nil, errors.New("journal: empty path")
	}
	be := backendFor(target)
	if err := checkDriver(be); err != nil {
		return nil, err
	}
	dsn, err := be.dsn(target)
	if err != nil {
		return nil, err
	}
	shown := be.redact(target)
	if !isPostgres(target) {
		if dir := filepath.Dir(target); dir != "" {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, fmt.Errorf("journal: %w", err)
			}
		}
	}
	driver, _ := be.driver()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("journal: open %s: %w", shown, err)
	}
	be.configure(db)
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.LockTTL <= 0 {
		opts.LockTTL = DefaultLockTTL
	}
	if opts.Host == "" {
		opts.Host, _ = os.Hostname()
	}
	if opts.PID == 0 {
		opts.PID = os.Getpid()
	}
	j := &Journal{db: db, be: be, target: target, opts: opts, token: newToken(), locks: map[string]*jobLock{}}
	ctx := context.Background()
	if err := j.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("journal: %s: %w", shown, err)
	}
	if err := j.prepare(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("journal: %s: %w", shown, err)
	}
	return j, nil
}

// Path is where the journal is: the file it was opened from, or the
// PostgreSQL URL without its password.
func (j *Journal) Path() string { return j.be.redact(j.target) }

// Backend names the database the journal is in: "SQLite" or "PostgreSQL".
func (j *Journal) Backend() string { return j.be.name() }

// Close releases the run locks this journal holds and closes the
// database. Runs and entries stay as they are: a run that was not finished
// stays "running", and Resumable finds it.
func (j *Journal) Close() error {
	var errs []error
	errs = append(errs, j.releaseAll())
	for _, s := range []*sql.Stmt{j.intend, j.confirm, j.getState} {
		if s != nil {
			errs = append(errs, s.Close())
		}
	}
	errs = append(errs, j.db.Close())
	return errors.Join(errs...)
}

// migrate brings the schema to the backend's latest version, in one
// transaction that holds the database's write lock (SQLite) or an
// advisory lock (PostgreSQL), so two processes opening a new journal at
// once do not both create it.
func (j *Journal) migrate(ctx context.Context) error {
	migrations := j.be.migrations()
	version, err := j.be.version(ctx, j.db)
	if err != nil {
		return err
	}
	if version == len(migrations) {
		return nil
	}
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := j.be.lockSchema(ctx, tx); err != nil {
		return err
	}
	// Again under the lock: another process may have migrated meanwhile.
	if version, err = j.be.version(ctx, tx); err != nil {
		return err
	}
	if version > len(migrations) {
		return fmt.Errorf("schema version %d is newer than this etl knows (%d); use a newer etl or another journal (ETL_JOURNAL)", version, len(migrations))
	}
	for i := version; i < len(migrations); i++ {
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			return fmt.Errorf("schema migration %d: %w", i+1, err)
		}
	}
	if err := j.be.setVersion(ctx, tx, len(migrations)); err != nil {
		return err
	}
	return tx.Commit()
}

func (j *Journal) prepare(ctx context.Context) error {
	var err error
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var s *sql.Stmt
		s, err = j.db.PrepareContext(ctx, j.be.rebind(q))
		return s
	}
	j.intend = prep(`
INSERT INTO entries (run_id, kind, key, guid, outcome, payload_hash, confirmed, updated)
VALUES (?, ?, ?, ?, '', ?, 0, ?)
ON CONFLICT (run_id, kind, key) DO UPDATE SET
	guid = excluded.guid, outcome = '', payload_hash = excluded.payload_hash,
	confirmed = 0, updated = excluded.updated`)
	j.confirm = prep(`
INSERT INTO entries (run_id, kind, key, guid, outcome, payload_hash, confirmed, updated)
VALUES (?, ?, ?, ?, ?, ?, 1, ?)
ON CONFLICT (run_id, kind, key) DO UPDATE SET
	guid = excluded.guid, outcome = excluded.outcome, payload_hash = excluded.payload_hash,
	confirmed = 1, updated = excluded.updated`)
	j.getState = prep(`SELECT value FROM state WHERE job = ? AND key = ?`)
	return err
}

// The journal's queries are written with ? placeholders; these run them
// in the backend's spelling.

func (j *Journal) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return j.db.ExecContext(ctx, j.be.rebind(q), args...)
}

func (j *Journal) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return j.db.QueryContext(ctx, j.be.rebind(q), args...)
}

func (j *Journal) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return j.db.QueryRowContext(ctx, j.be.rebind(q), args...)
}

// now is the journal's clock, at the millisecond the database keeps.
func (j *Journal) now() time.Time { return time.UnixMilli(j.opts.Now().UnixMilli()) }

// noLimit stands for "no limit" in a LIMIT clause, in every backend.
const noLimit = math.MaxInt64

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms) }
