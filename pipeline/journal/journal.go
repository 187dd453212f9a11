// Package journal is etl's run journal: an embedded SQLite database that
// records each run, the GUIDs an API sink chose before sending a write and
// whether the server accepted it, each row's outcome, the requests made,
// and the bookmarks of incremental sources. It is what lets a run that
// crashed be resumed without duplicates, and what `etl runs` and
// `etl state` show.
//
// # Durability
//
// The database is in WAL mode with synchronous=NORMAL. A write method
// returns after its transaction committed, and a committed transaction is
// in the operating system's hands: it survives the etl process being
// killed (kill -9, a panic, os.Exit) at any later moment. Only an
// operating-system crash or power loss can lose the last transactions
// before the next checkpoint; the database itself stays consistent. That is
// the guarantee Intend needs (a GUID is recorded before its write is sent,
// so a resumed run reuses it). SetState is stronger: it commits with
// synchronous=FULL, so a bookmark survives power loss too.
//
// # Sharing
//
// A Journal is safe for concurrent use by many goroutines. Several
// processes (or several Journals in one process) may open the same file:
// each waits up to a busy timeout for another's write to finish, and
// readers never wait for writers.
//
// Package journal does not import package pipeline, so that pipeline can
// refer to it; *Journal satisfies pipeline.StateStore.
package journal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // database/sql driver "sqlite"
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
	db   *sql.DB
	path string

	intend   *sql.Stmt
	confirm  *sql.Stmt
	getState *sql.Stmt
}

// Open opens the journal at path, creating its parent directories, the
// file and the schema as needed, and upgrading an older schema in place.
// A journal written by a newer etl (a higher schema version) is refused.
func Open(path string) (*Journal, error) {
	if path == "" {
		return nil, errors.New("journal: empty path")
	}
	if strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("journal: path %q: a journal path cannot contain '?'", path)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("journal: %w", err)
		}
	}
	// The driver runs busy_timeout first, then the other pragmas, on every
	// new connection. _txlock=immediate makes every transaction take the
	// write lock at BEGIN, where the busy timeout applies, instead of
	// failing with SQLITE_BUSY when a read turns into a write.
	dsn := path + "?_pragma=" + fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()) +
		"&_pragma=foreign_keys(1)" +
		"&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(NORMAL)" +
		"&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("journal: open %s: %w", path, err)
	}
	// SQLite has one writer at a time. One connection serialises this
	// process's use without SQLITE_BUSY between its own goroutines;
	// statements are short, so readers hardly wait.
	db.SetMaxOpenConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)

	j := &Journal{db: db, path: path}
	ctx := context.Background()
	if err := j.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("journal: %s: %w", path, err)
	}
	if err := j.prepare(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("journal: %s: %w", path, err)
	}
	return j, nil
}

// Path is the file the journal was opened from.
func (j *Journal) Path() string { return j.path }

// Close closes the database. Runs and entries stay as they are: a run that
// was not finished stays "running", and Resumable finds it.
func (j *Journal) Close() error {
	var errs []error
	for _, s := range []*sql.Stmt{j.intend, j.confirm, j.getState} {
		if s != nil {
			errs = append(errs, s.Close())
		}
	}
	errs = append(errs, j.db.Close())
	return errors.Join(errs...)
}

// migrations are applied in order; PRAGMA user_version counts those done.
// Never edit one that has shipped: append another.
var migrations = []string{
	// 1: runs, their entries, row outcomes, requests, and bookmarks.
	// Times are Unix milliseconds, durations microseconds.
	`
CREATE TABLE runs (
	id          INTEGER PRIMARY KEY,
	job         TEXT    NOT NULL,
	job_path    TEXT    NOT NULL DEFAULT '',
	fingerprint TEXT    NOT NULL DEFAULT '',
	dry_run     INTEGER NOT NULL DEFAULT 0,
	started     INTEGER NOT NULL,
	finished    INTEGER,
	status      TEXT    NOT NULL,
	counts      TEXT    NOT NULL DEFAULT '{}',
	requests    INTEGER NOT NULL DEFAULT 0,
	message     TEXT    NOT NULL DEFAULT '',
	resumes     INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX runs_by_job ON runs (job, id);

CREATE TABLE entries (
	run_id       INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
	kind         TEXT    NOT NULL,
	key          TEXT    NOT NULL,
	guid         TEXT    NOT NULL,
	outcome      TEXT    NOT NULL DEFAULT '',
	payload_hash TEXT    NOT NULL DEFAULT '',
	confirmed    INTEGER NOT NULL DEFAULT 0,
	updated      INTEGER NOT NULL,
	PRIMARY KEY (run_id, kind, key)
) STRICT, WITHOUT ROWID;

CREATE TABLE row_outcomes (
	run_id  INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
	row     INTEGER NOT NULL,
	origin  TEXT    NOT NULL,
	key     TEXT    NOT NULL DEFAULT '',
	outcome TEXT    NOT NULL,
	message TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (run_id, row, origin)
) STRICT;

CREATE TABLE requests (
	run_id   INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
	time     INTEGER NOT NULL,
	method   TEXT    NOT NULL,
	path     TEXT    NOT NULL,
	status   INTEGER NOT NULL,
	duration INTEGER NOT NULL
) STRICT;
CREATE INDEX requests_by_run ON requests (run_id, time);

CREATE TABLE state (
	job     TEXT    NOT NULL,
	key     TEXT    NOT NULL,
	value   TEXT    NOT NULL,
	updated INTEGER NOT NULL,
	PRIMARY KEY (job, key)
) STRICT, WITHOUT ROWID;
`,
}

// migrate brings the schema to len(migrations), in one transaction that
// holds the write lock, so two processes opening a new file at once do not
// both create it.
func (j *Journal) migrate(ctx context.Context) error {
	var version int
	if err := j.db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
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
	// Again under the lock: another process may have migrated meanwhile.
	if err := tx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
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
	// PRAGMA takes no parameters; the value is an int we control.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, len(migrations))); err != nil {
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
		s, err = j.db.PrepareContext(ctx, q)
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

// now is the journal's clock, at the millisecond the database keeps.
func now() time.Time { return time.UnixMilli(time.Now().UnixMilli()) }

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms) }
