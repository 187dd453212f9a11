package postgres_test

import (
	"database/sql"
	"os"
	"strings"
	"testing"

	"github.com/etl-dev/etl/internal/pgtest"
	"github.com/etl-dev/etl/pipeline/journal"
	"github.com/etl-dev/etl/pipeline/journal/journaltest"
	_ "github.com/etl-dev/etl/pipeline/journal/postgres"
)

var pg = new(pgtest.Server)

func TestMain(m *testing.M) {
	if os.Getenv("JOURNAL_CRASH_TARGET") != "" {
		os.Exit(m.Run()) // the crash helper's child: no server of its own
	}
	os.Exit(pg.Main(m))
}

var backend = journaltest.Backend{
	New: func(t testing.TB) string { return pg.Database(t) },
	SetVersion: func(url string, v int) error {
		db, err := sql.Open("pgx", url)
		if err != nil {
			return err
		}
		defer db.Close()
		_, err = db.Exec(`UPDATE etl_schema_version SET version = $1`, v)
		return err
	},
	SessionLocks: true,
}

func TestSuite(t *testing.T) { journaltest.Run(t, backend) }

func TestCrashHelper(t *testing.T) { journaltest.CrashHelper(t) }

func BenchmarkIntendConfirm(b *testing.B) { journaltest.BenchmarkIntendConfirm(b, backend) }

func TestURL(t *testing.T) {
	t.Parallel()
	url := pg.Database(t)
	j, err := journal.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if j.Backend() != "PostgreSQL" || j.Path() != url {
		t.Errorf("backend %s at %s", j.Backend(), j.Path())
	}
	// A password never shows.
	_, err = journal.Open("postgres://etl:s3cret@127.0.0.1:1/none?connect_timeout=1")
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("open with a password: %v", err)
	}
}
