package main

import (
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/etl-dev/etl/inflow/sandbox"
	"github.com/etl-dev/etl/internal/pgtest"
)

// pg is the package's throwaway PostgreSQL, started by the first test that
// asks for a database (TestMain stops it).
var pg = new(pgtest.Server)

// TestKillAndResumeWithPostgres is TestKillAndResume with the journal in
// PostgreSQL, as pods share it: one process is killed (SIGKILL) mid-import
// on its connection to the journal, a second process resumes the run from
// the shared journal, and the emulator ends as a clean run leaves it.
func TestKillAndResumeWithPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts etl three times against an emulator and PostgreSQL")
	}
	t.Parallel()
	const n = 150
	cleanJournal, journal := pg.Database(t), pg.Database(t)
	run := func(base string, srv *sandbox.Server, dir, journal string, args ...string) *exec.Cmd {
		return etlCommand(t, dir, []string{
			"INFLOW_BASE_URL=" + base, "INFLOW_COMPANY_ID=" + srv.CompanyID(), "INFLOW_API_KEY=" + srv.APIKey(),
			"INFLOW_RATE_PER_MINUTE=100000", "ETL_JOURNAL=" + journal,
		}, args...)
	}

	clean, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer clean.Close()
	cleanDir := t.TempDir()
	writeCatalog(t, cleanDir, n)
	if out, err := run(clean.URL(), clean, cleanDir, cleanJournal, "run", "job.yaml", "-q").CombinedOutput(); err != nil {
		t.Fatalf("clean run: %v\n%s", err, out)
	}
	want := products(clean)
	if len(want) != n {
		t.Fatalf("clean run made %d products, want %d", len(want), n)
	}

	srv, err := sandbox.New(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The first process's writes are held from the n/3-th on: it is killed
	// mid-run, with writes sent and unanswered.
	g := newGate(srv.Handler(), n/3, productPuts)
	front := httptest.NewServer(g)
	defer front.Close()
	defer g.release()

	// Two working directories: the second process shares nothing with the
	// first but the journal's URL (and the same input).
	dirA, dirB := t.TempDir(), t.TempDir()
	writeCatalog(t, dirA, n)
	copyFiles(t, dirA, dirB, "catalog.csv", "job.yaml")                           // same bytes, same times: the same input
	killAtGate(t, run(front.URL, srv, dirA, journal, "run", "job.yaml", "-q"), g) // held writes go nowhere: their client is gone
	if got := len(products(srv)); got == 0 || got >= n {
		t.Fatalf("after the kill the emulator has %d products: the kill did not land mid-run", got)
	}

	// PostgreSQL drops the killed process's run lock once it sees the
	// connection closed, a moment after the kill (a resume before that is
	// refused, "already running", as it should be). End the dead session
	// now rather than wait for the server to notice.
	pg.EndSessions(t, journal)
	out, err := run(front.URL, srv, dirB, journal, "run", "job.yaml", "--resume", "-q").CombinedOutput()
	if err != nil {
		t.Fatalf("resume from the second process: %v\n%s", err, out)
	}
	got := products(srv)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after resume:\n%v\nwant (as a clean run):\n%v", got, want)
	}
	if total := srv.Stats().ByRoute["PUT /products"]; total > n+2 {
		// Resuming resends at most the writes in flight at the kill
		// (concurrency 2), never the confirmed ones.
		t.Errorf("%d product PUTs in all for %d products", total, n)
	}
	runs, err := etlCommand(t, dirB, []string{"ETL_JOURNAL=" + journal}, "runs").Output()
	if err != nil || !strings.Contains(string(runs), "succeeded (resumed 1×)") {
		t.Errorf("etl runs after the resume: %v\n%s", err, runs)
	}
}

func copyFiles(t *testing.T, from, to string, names ...string) {
	t.Helper()
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(from, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		st, err := os.Stat(filepath.Join(from, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(filepath.Join(to, name), st.ModTime(), st.ModTime()); err != nil {
			t.Fatal(err)
		}
	}
}
