package sqlite_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/etl-dev/etl/pipeline/journal"
	"github.com/etl-dev/etl/pipeline/journal/journaltest"
	_ "github.com/etl-dev/etl/pipeline/journal/sqlite"
)

var backend = journaltest.Backend{
	New: func(t testing.TB) string {
		return filepath.Join(t.TempDir(), "state", "etl", "journal.db") // parents created by Open
	},
	SetVersion: func(path string, v int) error {
		db, err := sql.Open("sqlite", path)
		if err != nil {
			return err
		}
		defer db.Close()
		_, err = db.Exec(fmt.Sprintf("PRAGMA user_version = %d", v))
		return err
	},
}

func TestSuite(t *testing.T) { journaltest.Run(t, backend) }

func TestCrashHelper(t *testing.T) { journaltest.CrashHelper(t) }

func BenchmarkIntendConfirm(b *testing.B) { journaltest.BenchmarkIntendConfirm(b, backend) }

func TestDefaultPath(t *testing.T) {
	t.Setenv("ETL_JOURNAL", "/x/j.db")
	t.Setenv("XDG_STATE_HOME", "/state")
	t.Setenv("HOME", "/home/u")
	if got := journal.DefaultPath(); got != "/x/j.db" {
		t.Errorf("with ETL_JOURNAL: %s", got)
	}
	t.Setenv("ETL_JOURNAL", "")
	if got, want := journal.DefaultPath(), filepath.Join("/state", "etl", "journal.db"); got != want {
		t.Errorf("with XDG_STATE_HOME: %s, want %s", got, want)
	}
	t.Setenv("XDG_STATE_HOME", "relative") // ignored, as the XDG spec says
	if got, want := journal.DefaultPath(), filepath.Join("/home/u", ".local", "state", "etl", "journal.db"); got != want {
		t.Errorf("with HOME: %s, want %s", got, want)
	}
}

func TestWAL(t *testing.T) {
	t.Parallel()
	path := backend.New(t)
	j, err := journal.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if j.Backend() != "SQLite" || j.Path() != path {
		t.Errorf("backend %s at %s", j.Backend(), j.Path())
	}
	j.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mode string
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
}
