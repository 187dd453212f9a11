package journal_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/etl-dev/etl/pipeline"
	"github.com/etl-dev/etl/pipeline/journal"
)

var _ pipeline.StateStore = (*journal.Journal)(nil)

func open(t testing.TB, path string) *journal.Journal {
	t.Helper()
	j, err := journal.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

func tempJournal(t testing.TB) (*journal.Journal, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state", "etl", "journal.db") // parents created by Open
	return open(t, path), path
}

func start(t *testing.T, j *journal.Journal, job, fp string, dry bool) *journal.Run {
	t.Helper()
	r, err := j.StartRun(context.Background(), job, "jobs/"+job+".yaml", fp, dry)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

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

func TestRuns(t *testing.T) {
	ctx := context.Background()
	j, _ := tempJournal(t)
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

func TestResumable(t *testing.T) {
	ctx := context.Background()
	j, _ := tempJournal(t)

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

func TestResume(t *testing.T) {
	ctx := context.Background()
	j, _ := tempJournal(t)
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

func TestEntries(t *testing.T) {
	ctx := context.Background()
	j, path := tempJournal(t)
	r := start(t, j, "products", "fp", false)
	other := start(t, j, "products", "fp", false)

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
	j2 := open(t, path)
	runs, err := j2.Runs(ctx, "products", 0)
	if err != nil || len(runs) != 2 {
		t.Fatalf("runs after reopen: %+v, %v", runs, err)
	}
	if _, err := j2.Resume(ctx, r.ID(), "fp"); err == nil {
		t.Fatal("resumed a finished run")
	}
	rr, err := j2.Resumable(ctx, "products") // the other run, still running
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

// TestCrashHelper is the child of TestIntendSurvivesCrash: it intends 50
// entries and exits without closing anything.
func TestCrashHelper(t *testing.T) {
	path := os.Getenv("JOURNAL_CRASH_PATH")
	if path == "" {
		t.Skip("run by TestIntendSurvivesCrash")
	}
	ctx := context.Background()
	j, err := journal.Open(path)
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

func TestIntendSurvivesCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	path := filepath.Join(t.TempDir(), "journal.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), "JOURNAL_CRASH_PATH="+path)
	out, err := cmd.Output()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("child: %v\n%s", err, out)
	}
	_, idText, _ := strings.Cut(strings.TrimSpace(string(out)), "run=")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		t.Fatalf("child output %q", out)
	}

	ctx := context.Background()
	j := open(t, path)
	r, err := j.Resumable(ctx, "crash")
	if err != nil {
		t.Fatal(err)
	}
	if r.ID() != id || r.Info().Status != journal.StatusRunning {
		t.Fatalf("Resumable = %d (%s), want %d running", r.ID(), r.Info().Status, id)
	}
	r, err = j.Resume(ctx, id, "fp")
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

func TestTwoJournalsOneFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "journal.db")
	j1 := open(t, path)
	j2 := open(t, path)
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

func TestState(t *testing.T) {
	ctx := context.Background()
	j, path := tempJournal(t)
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

	j = open(t, path)
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

func TestConcurrentIntendConfirm(t *testing.T) {
	ctx := context.Background()
	j, _ := tempJournal(t)
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

func TestRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.db")
	j, err := journal.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	j.Close()
	// Reopening an up-to-date journal is a no-op; a newer one is refused.
	j = open(t, path)
	j.Close()
	if mode, err := pragma(path, "journal_mode"); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	if err := setUserVersion(path, 99); err != nil {
		t.Fatal(err)
	}
	if j, err := journal.Open(path); err == nil {
		j.Close()
		t.Fatal("opened a journal of a newer schema")
	} else if !strings.Contains(err.Error(), "newer") {
		t.Errorf("error: %v", err)
	}
}

func BenchmarkIntendConfirm(b *testing.B) {
	ctx := context.Background()
	j, _ := tempJournal(b)
	r, err := j.StartRun(ctx, "bench", "", "fp", false)
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		key := "sku:" + strconv.Itoa(i)
		guid := "00000000-0000-4000-8000-" + fmt.Sprintf("%012d", i)
		if err := r.Intend(ctx, "products", key, guid, "hash"); err != nil {
			b.Fatal(err)
		}
		if err := r.Confirm(ctx, "products", key, guid, "created", "hash"); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// pragma reads a pragma of the database at path on a fresh connection.
func pragma(path, name string) (string, error) {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return "", err
	}
	defer db.Close()
	var v string
	err = db.QueryRow("PRAGMA " + name).Scan(&v)
	return v, err
}

// setUserVersion sets the schema version of the journal at path, as a
// newer etl would have.
func setUserVersion(path string, v int) error {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Exec(fmt.Sprintf("PRAGMA user_version = %d", v))
	return err
}
