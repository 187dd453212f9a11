package journal

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// A backend is what differs between the databases a journal can live in:
// how to connect, the schema's migrations and their version counter, the
// SQL spellings that are not common to both, and how a job's run lock is
// held. Everything else (every query the journal makes) is shared, written
// with ? placeholders that rebind turns into the backend's own.
type backend interface {
	// name is the backend as users call it: "SQLite", "PostgreSQL".
	name() string
	// driver is the database/sql driver name and what links it.
	driver() (name, pkg string)
	// dsn turns the user's target into the driver's data source name.
	dsn(target string) (string, error)
	// configure sets the pool's limits on a freshly opened database.
	configure(db *sql.DB)
	// migrations are the schema, in order. Never edit one that shipped.
	migrations() []string
	// lockSchema serialises migrations between processes, inside tx.
	lockSchema(ctx context.Context, tx *sql.Tx) error
	// version reads, setVersion writes, the schema version inside tx.
	version(ctx context.Context, q querier) (int, error)
	setVersion(ctx context.Context, tx *sql.Tx, v int) error
	// rebind rewrites a query's ? placeholders.
	rebind(q string) string
	// forUpdate is appended to a SELECT that a transaction goes on to
	// update ("" where a transaction locks the whole database).
	forUpdate() string
	// requestOrder is the column that keeps requests in insertion order.
	requestOrder() string
	// durable runs fn on a connection whose commits survive power loss.
	durable(ctx context.Context, db *sql.DB, fn func(*sql.Conn) error) error
	// sessionLocks tells whether the database holds run locks itself, for
	// the life of a connection (PostgreSQL advisory locks). Without them
	// the lock row, its heartbeat and the holder's pid decide.
	sessionLocks() bool
	// redact is the target as it may be shown: no password.
	redact(target string) string
}

// querier is what both *sql.DB, *sql.Conn and *sql.Tx offer.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// isPostgres tells whether target names a PostgreSQL database.
func isPostgres(target string) bool {
	l := strings.ToLower(target)
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

func backendFor(target string) backend {
	if isPostgres(target) {
		return postgresBackend{}
	}
	return sqliteBackend{}
}

// checkDriver explains a driver this program was built without.
func checkDriver(b backend) error {
	name, pkg := b.driver()
	if slices.Contains(sql.Drivers(), name) {
		return nil
	}
	return fmt.Errorf("journal: this program was built without the %s journal (import _ %q)", b.name(), pkg)
}

// ---- SQLite ----

type sqliteBackend struct{}

func (sqliteBackend) name() string { return "SQLite" }

func (sqliteBackend) driver() (string, string) {
	return "sqlite", "github.com/etl-dev/etl/pipeline/journal/sqlite"
}

func (sqliteBackend) dsn(path string) (string, error) {
	if strings.ContainsRune(path, '?') {
		return "", fmt.Errorf("journal: path %q: a journal path cannot contain '?'", path)
	}
	// The driver runs busy_timeout first, then the other pragmas, on every
	// new connection. _txlock=immediate makes every transaction take the
	// write lock at BEGIN, where the busy timeout applies, instead of
	// failing with SQLITE_BUSY when a read turns into a write.
	return path + "?_pragma=" + fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()) +
		"&_pragma=foreign_keys(1)" +
		"&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(NORMAL)" +
		"&_txlock=immediate", nil
}

func (sqliteBackend) configure(db *sql.DB) {
	// SQLite has one writer at a time. One connection serialises this
	// process's use without SQLITE_BUSY between its own goroutines;
	// statements are short, so readers hardly wait.
	db.SetMaxOpenConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
}

func (sqliteBackend) migrations() []string { return sqliteMigrations }

// lockSchema: the transaction took the write lock at BEGIN (_txlock).
func (sqliteBackend) lockSchema(context.Context, *sql.Tx) error { return nil }

func (sqliteBackend) version(ctx context.Context, q querier) (int, error) {
	var v int
	err := q.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v)
	return v, err
}

func (sqliteBackend) setVersion(ctx context.Context, tx *sql.Tx, v int) error {
	// PRAGMA takes no parameters; the value is an int we control.
	_, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, v))
	return err
}

func (sqliteBackend) rebind(q string) string { return q }
func (sqliteBackend) forUpdate() string      { return "" }
func (sqliteBackend) requestOrder() string   { return "rowid" }
func (sqliteBackend) sessionLocks() bool     { return false }
func (sqliteBackend) redact(path string) string {
	return path
}

func (sqliteBackend) durable(ctx context.Context, db *sql.DB, fn func(*sql.Conn) error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA synchronous = FULL`); err != nil {
		return err
	}
	// Back to NORMAL for the connection's other users; should that fail,
	// the connection only stays slower.
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA synchronous = NORMAL`)
	return fn(conn)
}

// sqliteMigrations are applied in order; PRAGMA user_version counts those
// done. Times are Unix milliseconds, durations microseconds.
var sqliteMigrations = []string{
	// 1: runs, their entries, row outcomes, requests, and bookmarks.
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
	// 2: the per-job run lock (see lock.go).
	`
CREATE TABLE locks (
	job       TEXT    NOT NULL PRIMARY KEY,
	run_id    INTEGER NOT NULL,
	host      TEXT    NOT NULL,
	pid       INTEGER NOT NULL,
	token     TEXT    NOT NULL,
	acquired  INTEGER NOT NULL,
	heartbeat INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
`,
}

// ---- PostgreSQL ----

type postgresBackend struct{}

func (postgresBackend) name() string { return "PostgreSQL" }

func (postgresBackend) driver() (string, string) {
	return "pgx", "github.com/etl-dev/etl/pipeline/journal/postgres"
}

func (postgresBackend) dsn(target string) (string, error) {
	if _, err := url.Parse(target); err != nil {
		// url's error quotes the URL, password included: say less.
		return "", fmt.Errorf("journal: %s is not a valid postgres:// URL", redactURL(target))
	}
	return target, nil
}

func (postgresBackend) configure(db *sql.DB) {
	// Each held run lock keeps a connection of its own besides these.
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(4)
}

func (postgresBackend) migrations() []string { return postgresMigrations }

// schemaLockKey is the advisory lock migrations take ("etl" "jrnl").
const schemaLockKey = 0x65746c006a726e6c

func (postgresBackend) lockSchema(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(schemaLockKey)); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS etl_schema_version (version INTEGER NOT NULL)`)
	return err
}

func (postgresBackend) version(ctx context.Context, q querier) (int, error) {
	var exists bool
	if err := q.QueryRowContext(ctx, `SELECT to_regclass('etl_schema_version') IS NOT NULL`).Scan(&exists); err != nil || !exists {
		return 0, err // not there: a new database
	}
	var v int
	err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM etl_schema_version`).Scan(&v)
	return v, err
}

func (postgresBackend) setVersion(ctx context.Context, tx *sql.Tx, v int) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM etl_schema_version`); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO etl_schema_version (version) VALUES ($1)`, v)
	return err
}

func (postgresBackend) rebind(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (postgresBackend) forUpdate() string    { return " FOR UPDATE" }
func (postgresBackend) requestOrder() string { return "seq" }
func (postgresBackend) sessionLocks() bool   { return true }
func (postgresBackend) redact(target string) string {
	return redactURL(target)
}

// durable: PostgreSQL's default synchronous_commit=on already makes every
// commit survive power loss.
func (postgresBackend) durable(ctx context.Context, db *sql.DB, fn func(*sql.Conn) error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return fn(conn)
}

// redactURL removes the password of a URL (user info or a password
// parameter), for messages.
func redactURL(target string) string {
	u, err := url.Parse(target)
	if err != nil {
		if i := strings.LastIndexByte(target, '@'); i >= 0 {
			if j := strings.Index(target, "://"); j >= 0 && j < i {
				return target[:j+3] + "xxxxx" + target[i:]
			}
		}
		return target
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// jobLockKey is the advisory lock key of job's run lock.
func jobLockKey(job string) int64 {
	h := fnv.New64a()
	h.Write([]byte("etl run lock\x00" + job))
	return int64(h.Sum64())
}

// postgresMigrations are PostgreSQL's spelling of sqliteMigrations: the
// same tables, columns and meaning. Table etl_schema_version counts those
// done.
var postgresMigrations = []string{
	// 1: runs, their entries, row outcomes, requests, and bookmarks.
	`
CREATE TABLE runs (
	id          BIGSERIAL PRIMARY KEY,
	job         TEXT    NOT NULL,
	job_path    TEXT    NOT NULL DEFAULT '',
	fingerprint TEXT    NOT NULL DEFAULT '',
	dry_run     INTEGER NOT NULL DEFAULT 0,
	started     BIGINT  NOT NULL,
	finished    BIGINT,
	status      TEXT    NOT NULL,
	counts      TEXT    NOT NULL DEFAULT '{}',
	requests    BIGINT  NOT NULL DEFAULT 0,
	message     TEXT    NOT NULL DEFAULT '',
	resumes     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX runs_by_job ON runs (job, id);

CREATE TABLE entries (
	run_id       BIGINT  NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
	kind         TEXT    NOT NULL,
	key          TEXT    NOT NULL,
	guid         TEXT    NOT NULL,
	outcome      TEXT    NOT NULL DEFAULT '',
	payload_hash TEXT    NOT NULL DEFAULT '',
	confirmed    INTEGER NOT NULL DEFAULT 0,
	updated      BIGINT  NOT NULL,
	PRIMARY KEY (run_id, kind, key)
);

CREATE TABLE row_outcomes (
	run_id  BIGINT  NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
	row     BIGINT  NOT NULL,
	origin  TEXT    NOT NULL,
	key     TEXT    NOT NULL DEFAULT '',
	outcome TEXT    NOT NULL,
	message TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (run_id, row, origin)
);

CREATE TABLE requests (
	seq      BIGSERIAL PRIMARY KEY,
	run_id   BIGINT  NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
	time     BIGINT  NOT NULL,
	method   TEXT    NOT NULL,
	path     TEXT    NOT NULL,
	status   INTEGER NOT NULL,
	duration BIGINT  NOT NULL
);
CREATE INDEX requests_by_run ON requests (run_id, time);

CREATE TABLE state (
	job     TEXT    NOT NULL,
	key     TEXT    NOT NULL,
	value   TEXT    NOT NULL,
	updated BIGINT  NOT NULL,
	PRIMARY KEY (job, key)
);
`,
	// 2: the per-job run lock (see lock.go).
	`
CREATE TABLE locks (
	job       TEXT    NOT NULL PRIMARY KEY,
	run_id    BIGINT  NOT NULL,
	host      TEXT    NOT NULL,
	pid       BIGINT  NOT NULL,
	token     TEXT    NOT NULL,
	acquired  BIGINT  NOT NULL,
	heartbeat BIGINT  NOT NULL
);
`,
}
