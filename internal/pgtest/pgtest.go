// Package pgtest starts a throwaway PostgreSQL server for tests: initdb in
// a temporary directory, then postgres listening only on a Unix socket in
// that directory, with durability off (tests need speed, not crash
// safety). A test package shares one server through TestMain and gets a
// fresh database per test:
//
//	var pg = new(pgtest.Server)
//
//	func TestMain(m *testing.M) { os.Exit(pg.Main(m)) }
//
//	func TestX(t *testing.T) { url := pg.Database(t); ... }
//
// The server starts with the first Database call, so a package whose
// tests that need it are skipped (-run, -short) pays nothing. M wraps a
// testing.M for a TestMain that hands it on (testscript.Main).
//
// Where PostgreSQL cannot start (no initdb on the machine), Database skips
// the test saying why, unless ETL_TEST_REQUIRE_POSTGRES=1 (as in CI): then
// it fails. The binaries are looked for in $ETL_TEST_POSTGRES_BIN, then
// /usr/lib/postgresql/*/bin (Debian's packages, newest first), then PATH.
// As root (CI containers), the server runs as the "postgres" user, since
// PostgreSQL refuses to run as root.
package pgtest

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
)

// RequireEnv is the environment variable that turns a server that cannot
// start from a skip into a failure.
const RequireEnv = "ETL_TEST_REQUIRE_POSTGRES"

// Server is a throwaway PostgreSQL server. The zero value is ready for
// Main.
type Server struct {
	once    sync.Once
	dir     string // temporary directory: data/ and the socket
	cmd     *exec.Cmd
	logBuf  *bytes.Buffer
	err     error // why it could not start
	admin   *sql.DB
	counter atomic.Int64
}

// Main runs the tests and stops the server if one started, returning the
// exit code for os.Exit. A server that cannot start is remembered:
// Database skips (or fails) the tests that need it, the others run.
func (s *Server) Main(m *testing.M) int {
	code := m.Run()
	s.Stop()
	return code
}

// M wraps m so that its Run is Main's.
func (s *Server) M(m *testing.M) interface{ Run() int } { return runner{s, m} }

type runner struct {
	s *Server
	m *testing.M
}

func (r runner) Run() int { return r.s.Main(r.m) }

// Database creates an empty database for t and returns its postgres://
// URL; it is dropped when t ends.
func (s *Server) Database(t testing.TB) string {
	t.Helper()
	s.once.Do(func() { s.err = s.start() })
	if s.err != nil {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("PostgreSQL is required (%s=1) and could not start: %v", RequireEnv, s.err)
		}
		t.Skipf("PostgreSQL could not start, skipping (install Debian's postgresql package, or set %s=1 to fail instead): %v", RequireEnv, s.err)
	}
	name := fmt.Sprintf("t%d_%d", os.Getpid(), s.counter.Add(1))
	ctx := context.Background()
	// FILE_COPY copies the template's files (fsync is off): quicker for
	// small databases than PostgreSQL 15's WAL_LOG; older servers lack it.
	if _, err := s.admin.ExecContext(ctx, `CREATE DATABASE `+name+` STRATEGY FILE_COPY`); err != nil {
		if _, err := s.admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
			t.Fatalf("pgtest: create database: %v", err)
		}
	}
	t.Cleanup(func() {
		// WITH (FORCE) ends sessions a test left open (PostgreSQL 13+).
		s.admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
	})
	return s.URL(name)
}

// EndSessions ends every session connected to the database at dbURL (one
// Database returned) and returns once they are gone, with the locks they
// held. A killed client's session otherwise lasts until the server notices
// the connection is closed, a moment later. It needs PostgreSQL 14 or
// later (pg_terminate_backend with a timeout, which waits).
func (s *Server) EndSessions(t testing.TB, dbURL string) {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	ctx, name := context.Background(), strings.TrimPrefix(u.Path, "/")
	// pg_terminate_backend is false for a session that ended on its own
	// meanwhile: what counts is that none is left.
	if _, err := s.admin.ExecContext(ctx,
		`SELECT pg_terminate_backend(pid, 30000) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, name); err != nil {
		t.Fatalf("pgtest: ending the sessions of %s: %v", name, err)
	}
	var left int
	if err := s.admin.QueryRowContext(ctx,
		`SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, name).Scan(&left); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	if left > 0 {
		t.Fatalf("pgtest: %d sessions of %s did not end within 30 s", left, name)
	}
}

// URL is the postgres:// URL of database name on the server.
func (s *Server) URL(name string) string {
	return "postgres://postgres@/" + name + "?host=" + url.QueryEscape(s.dir)
}

// Stop stops the server and removes its directory.
func (s *Server) Stop() {
	if s.admin != nil {
		s.admin.Close()
	}
	if s.cmd != nil && s.cmd.Process != nil {
		// SIGQUIT: immediate shutdown; nothing here needs keeping.
		s.cmd.Process.Signal(quitSignal)
		done := make(chan struct{})
		go func() { s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			s.cmd.Process.Kill()
			<-done
		}
	}
	if s.dir != "" {
		os.RemoveAll(s.dir)
	}
}

func (s *Server) start() error {
	bin, err := binDir()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "etl-pg-")
	if err != nil {
		return err
	}
	s.dir = dir
	cred, err := credential(dir)
	if err != nil {
		return err
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres",
		"--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions")
	setCredential(initdb, cred)
	if out, err := initdb.CombinedOutput(); err != nil {
		return fmt.Errorf("initdb: %v\n%s", err, out)
	}
	s.logBuf = new(bytes.Buffer)
	s.cmd = exec.Command(filepath.Join(bin, "postgres"), "-D", data,
		"-k", dir, "-c", "listen_addresses=",
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		"-c", "max_connections=200", "-c", "shared_buffers=32MB")
	s.cmd.Stdout, s.cmd.Stderr = s.logBuf, s.logBuf
	setCredential(s.cmd, cred)
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	s.admin, err = sql.Open("pgx", s.URL("postgres"))
	if err != nil {
		return err
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err = s.admin.PingContext(ctx)
		cancel()
		if err == nil {
			return nil
		}
		if s.cmd.ProcessState != nil || time.Now().After(deadline) {
			return fmt.Errorf("postgres did not start: %v\n%s", err, s.logBuf.String())
		}
		// Polling a starting server: there is no event to wait for.
		time.Sleep(20 * time.Millisecond)
	}
}

// binDir finds the directory of initdb and postgres.
func binDir() (string, error) {
	if d := os.Getenv("ETL_TEST_POSTGRES_BIN"); d != "" {
		return d, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		return filepath.Dir(p), nil
	}
	return "", errors.New("initdb not found in /usr/lib/postgresql/*/bin or PATH (apt-get install postgresql)")
}

func versionOf(binDir string) int {
	v := 0
	fmt.Sscanf(filepath.Base(filepath.Dir(binDir)), "%d", &v)
	return v
}
