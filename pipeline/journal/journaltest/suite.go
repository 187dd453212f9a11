// Package journaltest is the journal's test suite, run against every
// backend (SQLite and PostgreSQL) by that backend's package:
//
//	func TestSuite(t *testing.T) { journaltest.Run(t, backend) }
//	func TestCrashHelper(t *testing.T) { journaltest.CrashHelper(t) }
//
// TestCrashHelper must exist under that name: the suite starts the test
// binary again to crash a process that holds a journal.
package journaltest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/etl-dev/etl/pipeline"
	"github.com/etl-dev/etl/pipeline/journal"
)

var (
	_ pipeline.StateStore = (*journal.Journal)(nil)
	_ pipeline.Journal    = (*journal.Run)(nil)
)

// Backend is what the suite needs of a backend.
type Backend struct {
	// New returns the target (path or URL) of a new, empty journal.
	New func(t testing.TB) string
	// SetVersion sets the schema version of the journal at target, as a
	// newer etl would have.
	SetVersion func(target string, v int) error
	// SessionLocks: the database holds run locks for a connection's life
	// (PostgreSQL), so a lock never goes stale while its holder lives.
	SessionLocks bool
}

// Run runs the suite, its tests in parallel.
func Run(t *testing.T, b Backend) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, Backend)
	}{
		{"Runs", testRuns},
		{"Resumable", testResumable},
		{"Resume", testResume},
		{"Entries", testEntries},
		{"IntendSurvivesCrash", testIntendSurvivesCrash},
		{"TwoJournalsOneDatabase", testTwoJournalsOneFile},
		{"State", testState},
		{"ConcurrentIntendConfirm", testConcurrentIntendConfirm},
		{"RefusesNewerSchema", testRefusesNewerSchema},
		{"RunLock", testRunLock},
		{"RunLockResume", testRunLockResume},
		{"StaleRunLock", testStaleRunLock},
		{"CrashReleasesRunLock", testCrashReleasesRunLock},
		{"JobEntries", testJobEntries},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, b)
		})
	}
}

func (b Backend) open(t testing.TB, target string) *journal.Journal {
	t.Helper()
	return b.openWith(t, target, journal.Options{})
}

func (b Backend) openWith(t testing.TB, target string, opts journal.Options) *journal.Journal {
	t.Helper()
	j, err := journal.OpenWith(target, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

func (b Backend) temp(t testing.TB) (*journal.Journal, string) {
	t.Helper()
	target := b.New(t)
	return b.open(t, target), target
}

func start(t *testing.T, j *journal.Journal, job, fp string, dry bool) *journal.Run {
	t.Helper()
	r, err := j.StartRun(context.Background(), job, "jobs/"+job+".yaml", fp, dry)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func testRuns(t *testing.T, b Backend) {
	ctx := context.Background()
	j, _ := b.temp(t)
	r1 := start(t, j, "products", "fp1", false)
	r2 := start(t, j, "customers", "fp2", false)
	r3 := start(t, j, "products", "fp1", true)

	if info := r1.Info(); info.Status != journal.StatusRunning || info.Job != "products" ||
		info.JobPath != "jobs/products.yaml" || info.Fingerprint != "fp1" || info.DryRun || info.Started.IsZero() || !info.Finished.IsZero() {
		t.Errorf("started run: %+v", info)
	}
	counts := map[string]int64{"created": 3, "updated": 2, "rejected": 1}
	if err := r1.Finish(ctx, journal.StatusRejected, counts, 17, "1 row rejected"); err != nil {
		t.Fatal(err)
	}
	counts["created"] = 99 // the run keeps its own copy
	if err := r2.Finish(ctx, journal.StatusRunning, nil, 0, ""); err == nil {
		t.Error("Finish with status running: no error")
	}
	// Finish records even with a cancelled context (after Ctrl-C).
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := r2.Finish(cancelled, journal.StatusInterrupted, nil, 0, "interrupted"); err != nil {
		t.Fatal(err)
	}

	all, err := j.Runs(ctx, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all[0].ID != r3.ID() || all[1].ID != r2.ID() || all[2].ID != r1.ID() {
		t.Fatalf("Runs all: %+v", all)
	}
	got := all[2]
	if got.Status != journal.StatusRejected || got.Counts["created"] != 3 || got.Counts["rejected"] != 1 ||
		got.Requests != 17 || got.Message != "1 row rejected" || got.Finished.IsZero() || got.Finished.Before(got.Started) {
		t.Errorf("finished run: %+v", got)
	}
	if info := r1.Info(); info.Status != got.Status || info.Counts["created"] != 3 || !info.Finished.Equal(got.Finished) {
		t.Errorf("Info after Finish: %+v, journal has %+v", info, got)
	}
	if !all[0].DryRun || all[1].Status != journal.StatusInterrupted {
		t.Errorf("Runs: %+v", all)
	}

	prod, err := j.Runs(ctx, "products", 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(prod) != 1 || prod[0].ID != r3.ID() {
		t.Errorf("Runs(products, 1): %+v", prod)
	}
	if info, err := j.RunInfo(ctx, r1.ID()); err != nil || info.Status != journal.StatusRejected {
		t.Errorf("RunInfo: %+v, %v", info, err)
	}
	if _, err := j.RunInfo(ctx, 999); !errors.Is(err, journal.ErrNoRun) {
		t.Errorf("RunInfo(999): %v", err)
	}
	if _, err := j.StartRun(ctx, "", "", "", false); err == nil {
		t.Error("StartRun without a job: no error")
	}
}

func testResumable(t *testing.T, b Backend) {
	ctx := context.Background()
	j, _ := b.temp(t)

	if _, err := j.Resumable(ctx, "products"); !errors.Is(err, journal.ErrNoRun) {
		t.Fatalf("no runs: %v", err)
	}

	ok := start(t, j, "products", "fp", false)
	if err := ok.Finish(ctx, journal.StatusSucceeded, nil, 0, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := j.Resumable(ctx, "products"); !errors.Is(err, journal.ErrNoRun) {
		t.Fatalf("after a success: %v", err)
	}

	failed := start(t, j, "products", "fp", false)
	if err := failed.Finish(ctx, journal.StatusFailed, nil, 0, "boom"); err != nil {
		t.Fatal(err)
	}
	crashed := start(t, j, "products", "fp", false) // left running, as by kill -9
	dry := start(t, j, "products", "fp", true)      // dry runs never resume
	_ = dry
	other := start(t, j, "customers", "fp", false) // another job
	_ = other

	r, err := j.Resumable(ctx, "products")
	if err != nil {
		t.Fatal(err)
	}
	if r.ID() != crashed.ID() || r.Info().Status != journal.StatusRunning {
		t.Fatalf("Resumable = run %d (%s), want the crashed run %d", r.ID(), r.Info().Status, crashed.ID())
	}

	// Once the crashed run finishes as failed, it is still the newest.
	if err := crashed.Finish(ctx, journal.StatusInterrupted, nil, 0, ""); err != nil {
		t.Fatal(err)
	}
	if r, err := j.Resumable(ctx, "products"); err != nil || r.ID() != crashed.ID() {
		t.Fatalf("Resumable after interrupt: %v, %v", r, err)
	}

	// A newer finished run supersedes older unfinished ones.
	done := start(t, j, "products", "fp", false)
	if err := done.Finish(ctx, journal.StatusRejected, nil, 0, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := j.Resumable(ctx, "products"); !errors.Is(err, journal.ErrNoRun) {
		t.Fatalf("after a newer finished run: %v", err)
	}
}

func testResume(t *testing.T, b Backend) {
	ctx := context.Background()
	j, _ := b.temp(t)
	r := start(t, j, "products", "fp1", false)
	if err := r.Intend(ctx, "products", "sku:A", "g-a", "h1"); err != nil {
		t.Fatal(err)
	}
	if err := r.Finish(ctx, journal.StatusFailed, nil, 3, "network"); err != nil {
		t.Fatal(err)
	}

	_, err := j.Resume(ctx, r.ID(), "fp2")
	if !errors.Is(err, journal.ErrChanged) || !strings.Contains(err.Error(), "changed since") {
		t.Fatalf("Resume with another fingerprint: %v", err)
	}
	if _, err := j.Resume(ctx, 12345, "fp1"); !errors.Is(err, journal.ErrNoRun) {
		t.Fatalf("Resume of no run: %v", err)
	}

	rr, err := j.Resume(ctx, r.ID(), "fp1")
	if err != nil {
		t.Fatal(err)
	}
	info := rr.Info()
	if rr.ID() != r.ID() || info.Status != journal.StatusRunning || !info.Finished.IsZero() || info.Resumes != 1 {
		t.Fatalf("resumed run: %+v", info)
	}
	entries, err := rr.Entries(ctx, "products")
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := entries["sku:A"]; !ok || e.GUID != "g-a" || e.Confirmed {
		t.Errorf("entries kept: %+v", entries)
	}
	if err := rr.Finish(ctx, journal.StatusSucceeded, nil, 4, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := j.Resume(ctx, r.ID(), "fp1"); err == nil {
		t.Error("Resume of a succeeded run: no error")
	}

	d := start(t, j, "products", "fp1", true)
	if _, err := j.Resume(ctx, d.ID(), "fp1"); err == nil {
		t.Error("Resume of a dry run: no error")
	}
}

func testEntries(t *testing.T, b Backend) {
	ctx := context.Background()
	j, path := b.temp(t)
	r := start(t, j, "products", "fp", false)
	// Another job's run, writing the same kind and key: entries are per run.
	other := start(t, j, "products-b", "fp", false)

	if err := r.Intend(ctx, "products", "sku:TEE-1", "guid-1", "hash-1"); err != nil {
		t.Fatal(err)
	}
	if err := r.Intend(ctx, "products", "sku:TEE-2", "guid-2", "hash-2"); err != nil {
		t.Fatal(err)
	}
	if err := r.Intend(ctx, "customers", "name:Acme", "guid-3", "hash-3"); err != nil {
		t.Fatal(err)
	}
	if err := other.Intend(ctx, "products", "sku:TEE-1", "guid-x", "hash-x"); err != nil {
		t.Fatal(err)
	}
	if err := r.Intend(ctx, "products", "", "g", ""); err == nil {
		t.Error("Intend without a key: no error")
	}

	es, err := r.Entries(ctx, "products")
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 {
		t.Fatalf("entries: %+v", es)
	}
	e := es["sku:TEE-1"]
	if e.Kind != "products" || e.Key != "sku:TEE-1" || e.GUID != "guid-1" || e.PayloadHash != "hash-1" ||
		e.Confirmed || e.Outcome != "" || e.Updated.IsZero() {
		t.Errorf("intended entry: %+v", e)
	}

	if err := r.Confirm(ctx, "products", "sku:TEE-1", "guid-1", "created", "hash-1"); err != nil {
		t.Fatal(err)
	}
	// Confirm without an Intend (an update of an existing record).
	if err := r.Confirm(ctx, "products", "sku:TEE-3", "guid-9", "updated", "hash-9"); err != nil {
		t.Fatal(err)
	}
	es, _ = r.Entries(ctx, "products")
	if e := es["sku:TEE-1"]; !e.Confirmed || e.Outcome != "created" || e.GUID != "guid-1" {
		t.Errorf("confirmed entry: %+v", e)
	}
	if e := es["sku:TEE-2"]; e.Confirmed {
		t.Errorf("unconfirmed entry: %+v", e)
	}
	if e := es["sku:TEE-3"]; !e.Confirmed || e.Outcome != "updated" {
		t.Errorf("confirmed without intent: %+v", e)
	}
	// Intend again: unconfirmed, new payload.
	if err := r.Intend(ctx, "products", "sku:TEE-1", "guid-1", "hash-1b"); err != nil {
		t.Fatal(err)
	}
	es, _ = r.Entries(ctx, "products")
	if e := es["sku:TEE-1"]; e.Confirmed || e.PayloadHash != "hash-1b" || e.Outcome != "" {
		t.Errorf("re-intended entry: %+v", e)
	}

	// Rows and requests.
	rows := []journal.RowOutcome{
		{Row: 1, Origin: "catalog.xlsx [Products] row 2", Key: "sku:TEE-1", Outcome: "created"},
		{Row: 2, Origin: "catalog.xlsx [Products] row 3", Key: "sku:TEE-2", Outcome: "rejected", Message: "unknown category"},
	}
	if err := r.RecordRows(ctx, rows); err != nil {
		t.Fatal(err)
	}
	rows[0].Outcome = "unchanged" // recorded again, as by a resumed run: replaced
	if err := r.RecordRows(ctx, rows[:1]); err != nil {
		t.Fatal(err)
	}
	t0 := time.UnixMilli(time.Now().UnixMilli())
	reqs := []journal.Request{
		{Time: t0, Method: "GET", Path: "/products", Status: 200, Duration: 120 * time.Millisecond},
		{Time: t0.Add(time.Second), Method: "PUT", Path: "/products", Status: 429, Duration: 3 * time.Millisecond},
	}
	if err := r.LogRequests(ctx, reqs); err != nil {
		t.Fatal(err)
	}
	if err := r.Finish(ctx, journal.StatusRejected, map[string]int64{"unchanged": 1, "rejected": 1}, 2, ""); err != nil {
		t.Fatal(err)
	}
	j.Close()

	// Everything survives Close and Open.
	j2 := b.open(t, path)
	runs, err := j2.Runs(ctx, "", 0)
	if err != nil || len(runs) != 2 {
		t.Fatalf("runs after reopen: %+v, %v", runs, err)
	}
	if _, err := j2.Resume(ctx, r.ID(), "fp"); err == nil {
		t.Fatal("resumed a finished run")
	}
	if _, err := j2.Resumable(ctx, "products"); !errors.Is(err, journal.ErrNoRun) {
		t.Fatalf("Resumable(products) after its run finished: %v", err)
	}
	rr, err := j2.Resumable(ctx, "products-b") // the other run, still running
	if err != nil || rr.ID() != other.ID() {
		t.Fatalf("Resumable after reopen: %v, %v", rr, err)
	}
	got, err := j2.Rows(ctx, r.ID(), "", 0)
	if err != nil || len(got) != 2 || got[0].Outcome != "unchanged" || got[1].Message != "unknown category" {
		t.Errorf("rows after reopen: %+v, %v", got, err)
	}
	if rej, _ := j2.Rows(ctx, r.ID(), "rejected", 0); len(rej) != 1 || rej[0].Row != 2 {
		t.Errorf("rejected rows: %+v", rej)
	}
	gotReqs, err := j2.Requests(ctx, r.ID(), 0)
	if err != nil || len(gotReqs) != 2 || !gotReqs[0].Time.Equal(t0) || gotReqs[0].Duration != 120*time.Millisecond ||
		gotReqs[1].Status != 429 || gotReqs[1].Method != "PUT" {
		t.Errorf("requests after reopen: %+v, %v", gotReqs, err)
	}

	// Entries of the earlier run, through a resumed handle.
	rr2, err := j2.Resume(ctx, other.ID(), "fp")
	if err != nil {
		t.Fatal(err)
	}
	es, err = rr2.Entries(ctx, "products")
	if err != nil || len(es) != 1 || es["sku:TEE-1"].GUID != "guid-x" {
		t.Errorf("entries after reopen: %+v, %v", es, err)
	}
}

// CrashHelper is the child of the crash tests, called by the backend
// package's TestCrashHelper: it starts a run of job "crash", intends 50
// entries and exits without closing anything, as a crash.
func CrashHelper(t *testing.T) {
	target := os.Getenv("JOURNAL_CRASH_TARGET")
	if target == "" {
		t.Skip("run by the journal suite's crash tests")
	}
	ctx := context.Background()
	j, err := journal.Open(target)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	r, err := j.StartRun(ctx, "crash", "crash.yaml", "fp", false)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	for i := range 50 {
		if err := r.Intend(ctx, "products", fmt.Sprintf("sku:%d", i), fmt.Sprintf("guid-%d", i), ""); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
	}
	fmt.Printf("run=%d\n", r.ID())
	os.Exit(1) // no Close, no Finish: as a crash
}

// crash runs CrashHelper in a child process on target and returns the ID
// of the run it left behind.
func crash(t *testing.T, target string) int64 {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), "JOURNAL_CRASH_TARGET="+target)
	out, err := cmd.Output()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("child: %v\n%s%s", err, out, exitStderr(err))
	}
	_, idText, _ := strings.Cut(strings.TrimSpace(string(out)), "run=")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		t.Fatalf("child output %q", out)
	}
	return id
}

func exitStderr(err error) string {
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return string(exit.Stderr)
	}
	return ""
}

func testIntendSurvivesCrash(t *testing.T, b Backend) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	path := b.New(t)
	id := crash(t, path)

	ctx := context.Background()
	j := b.open(t, path)
	r, err := j.Resumable(ctx, "crash")
	if err != nil {
		t.Fatal(err)
	}
	if r.ID() != id || r.Info().Status != journal.StatusRunning {
		t.Fatalf("Resumable = %d (%s), want %d running", r.ID(), r.Info().Status, id)
	}
	r, err = retryLocked(b, func() (*journal.Run, error) { return j.Resume(ctx, id, "fp") })
	if err != nil {
		t.Fatal(err)
	}
	es, err := r.Entries(ctx, "products")
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 50 {
		t.Fatalf("%d entries after the crash, want 50", len(es))
	}
	for i := range 50 {
		e := es[fmt.Sprintf("sku:%d", i)]
		if e.GUID != fmt.Sprintf("guid-%d", i) || e.Confirmed {
			t.Errorf("entry %d: %+v", i, e)
		}
	}
}

func testTwoJournalsOneFile(t *testing.T, b Backend) {
	ctx := context.Background()
	path := b.New(t)
	j1 := b.open(t, path)
	j2 := b.open(t, path)
	r1 := start(t, j1, "a", "fp", false)
	r2 := start(t, j2, "b", "fp", false)

	done := make(chan error, 1)
	go func() {
		errc := make(chan error, 2)
		var wg sync.WaitGroup
		for w, r := range []*journal.Run{r1, r2} {
			wg.Go(func() {
				for i := range 200 {
					key := fmt.Sprintf("k%d", i)
					if err := r.Intend(ctx, "products", key, "g", ""); err != nil {
						errc <- err
						return
					}
					if i%20 == 0 {
						rows := []journal.RowOutcome{{Row: i, Origin: "x", Outcome: "created"}}
						if err := r.RecordRows(ctx, rows); err != nil {
							errc <- err
							return
						}
						if _, err := []*journal.Journal{j1, j2}[w].Runs(ctx, "", 0); err != nil {
							errc <- err
							return
						}
					}
				}
			})
		}
		wg.Wait()
		close(errc)
		var errs []error
		for err := range errc {
			errs = append(errs, err)
		}
		done <- errors.Join(errs...)
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("deadlock: two journals on one file")
	}
	// Each sees the other's writes.
	for _, r := range []*journal.Run{r1, r2} {
		es, err := r.Entries(ctx, "products")
		if err != nil || len(es) != 200 {
			t.Fatalf("run %d: %d entries, %v", r.ID(), len(es), err)
		}
	}
	if runs, err := j1.Runs(ctx, "b", 0); err != nil || len(runs) != 1 || runs[0].ID != r2.ID() {
		t.Errorf("j1 sees j2's run: %+v, %v", runs, err)
	}
}

func testState(t *testing.T, b Backend) {
	ctx := context.Background()
	j, path := b.temp(t)
	if _, ok, err := j.GetState(ctx, "export", "products.modified"); ok || err != nil {
		t.Fatalf("unset state: %v, %v", ok, err)
	}
	for _, s := range []journal.State{
		{Job: "export", Key: "products.modified", Value: "2026-11-22T01:00:00Z"},
		{Job: "export", Key: "orders.modified", Value: "2026-11-21T00:00:00Z"},
		{Job: "other", Key: "k", Value: "v"},
	} {
		if err := j.SetState(ctx, s.Job, s.Key, s.Value); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.SetState(ctx, "export", "products.modified", "2026-11-23T01:00:00Z"); err != nil {
		t.Fatal(err)
	}
	if v, ok, err := j.GetState(ctx, "export", "products.modified"); !ok || err != nil || v != "2026-11-23T01:00:00Z" {
		t.Fatalf("GetState: %q, %v, %v", v, ok, err)
	}
	j.Close()

	j = b.open(t, path)
	all, err := j.States(ctx, "")
	if err != nil || len(all) != 3 || all[0].Key != "orders.modified" || all[2].Job != "other" || all[0].Updated.IsZero() {
		t.Fatalf("States: %+v, %v", all, err)
	}
	some, err := j.States(ctx, "export")
	if err != nil || len(some) != 2 {
		t.Fatalf("States(export): %+v, %v", some, err)
	}
	if n, err := j.ResetState(ctx, "export", "orders.modified"); n != 1 || err != nil {
		t.Fatalf("ResetState one: %d, %v", n, err)
	}
	if n, err := j.ResetState(ctx, "export", "nothing"); n != 0 || err != nil {
		t.Fatalf("ResetState none: %d, %v", n, err)
	}
	if n, err := j.ResetState(ctx, "export", ""); n != 1 || err != nil {
		t.Fatalf("ResetState all: %d, %v", n, err)
	}
	if left, _ := j.States(ctx, ""); len(left) != 1 || left[0].Job != "other" {
		t.Fatalf("left: %+v", left)
	}
}

func testConcurrentIntendConfirm(t *testing.T, b Backend) {
	ctx := context.Background()
	j, _ := b.temp(t)
	r := start(t, j, "products", "fp", false)
	const workers, each = 20, 50
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				key := fmt.Sprintf("sku:%d-%d", w, i)
				guid := fmt.Sprintf("g-%d-%d", w, i)
				if err := r.Intend(ctx, "products", key, guid, "h"); err != nil {
					errs <- err
					return
				}
				if i%2 == 0 {
					if err := r.Confirm(ctx, "products", key, guid, "created", "h"); err != nil {
						errs <- err
						return
					}
				}
				if i%10 == 0 {
					if _, err := r.Entries(ctx, "products"); err != nil {
						errs <- err
						return
					}
					_ = r.Info()
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	es, err := r.Entries(ctx, "products")
	if err != nil {
		t.Fatal(err)
	}
	confirmed := 0
	for _, e := range es {
		if e.Confirmed {
			confirmed++
		}
	}
	if len(es) != workers*each || confirmed != workers*each/2 {
		t.Fatalf("%d entries, %d confirmed; want %d, %d", len(es), confirmed, workers*each, workers*each/2)
	}
}

func testRefusesNewerSchema(t *testing.T, b Backend) {
	path := b.New(t)
	j, err := journal.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	j.Close()
	// Reopening an up-to-date journal is a no-op; a newer one is refused.
	j = b.open(t, path)
	j.Close()
	if err := b.SetVersion(path, 99); err != nil {
		t.Fatal(err)
	}
	if j, err := journal.Open(path); err == nil {
		j.Close()
		t.Fatal("opened a journal of a newer schema")
	} else if !strings.Contains(err.Error(), "newer") {
		t.Errorf("error: %v", err)
	}
}

// BenchmarkIntendConfirm measures an Intend and a Confirm, as an API
// sink makes them for every record it creates.
func BenchmarkIntendConfirm(bb *testing.B, b Backend) {
	ctx := context.Background()
	j, _ := b.temp(bb)
	r, err := j.StartRun(ctx, "bench", "", "fp", false)
	if err != nil {
		bb.Fatal(err)
	}
	i := 0
	for bb.Loop() {
		key := "sku:" + strconv.Itoa(i)
		guid := "00000000-0000-4000-8000-" + fmt.Sprintf("%012d", i)
		if err := r.Intend(ctx, "products", key, guid, "hash"); err != nil {
			bb.Fatal(err)
		}
		if err := r.Confirm(ctx, "products", key, guid, "created", "hash"); err != nil {
			bb.Fatal(err)
		}
		i++
	}
}

func testJobEntries(t *testing.T, b Backend) {
	ctx := context.Background()
	j, _ := b.temp(t)
	r1 := start(t, j, "adds", "fp", false)
	for _, e := range [][3]string{{"sku:A", "g-a1", "created"}, {"sku:B", "g-b1", "created"}} {
		if err := r1.Confirm(ctx, "stock", e[0], e[1], e[2], "h1"); err != nil {
			t.Fatal(err)
		}
	}
	if err := r1.Finish(ctx, journal.StatusFailed, nil, 0, ""); err != nil {
		t.Fatal(err)
	}
	dry := start(t, j, "adds", "fp", true)
	if err := dry.Confirm(ctx, "stock", "sku:A", "g-dry", "created", "hd"); err != nil {
		t.Fatal(err)
	}
	r2 := start(t, j, "adds", "fp", false)
	if err := r2.Intend(ctx, "stock", "sku:A", "g-a2", "h2"); err != nil {
		t.Fatal(err)
	}
	other := start(t, j, "other", "fp", false)
	if err := other.Confirm(ctx, "stock", "sku:C", "g-c", "created", "h"); err != nil {
		t.Fatal(err)
	}
	es, err := j.JobEntries(ctx, "adds", "stock")
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es["sku:A"].GUID != "g-a2" || es["sku:A"].Confirmed || es["sku:B"].GUID != "g-b1" || !es["sku:B"].Confirmed {
		t.Errorf("JobEntries: %+v", es)
	}
}
