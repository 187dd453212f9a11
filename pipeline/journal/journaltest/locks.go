package journaltest

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/etl-dev/etl/pipeline/journal"
)

// lockedBy checks that err is the run lock's refusal naming run id.
func lockedBy(t *testing.T, err error, id int64, pid int) {
	t.Helper()
	var le *journal.LockedError
	if !errors.Is(err, journal.ErrLocked) || !errors.As(err, &le) {
		t.Fatalf("want the run lock's refusal, got %v", err)
	}
	if le.RunID != id || le.PID != pid || le.Since.IsZero() {
		t.Errorf("refusal names run %d pid %d since %v, want run %d pid %d: %v", le.RunID, le.PID, le.Since, id, pid, err)
	}
	for _, want := range []string{"already running", "run " + itoa(id), "etl runs"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
}

func testRunLock(t *testing.T, b Backend) {
	ctx := context.Background()
	target := b.New(t)
	j1, j2 := b.open(t, target), b.open(t, target)

	r1 := start(t, j1, "stock", "fp", false)
	_, err := j2.StartRun(ctx, "stock", "jobs/stock.yaml", "fp", false)
	lockedBy(t, err, r1.ID(), os.Getpid())
	// The same journal does not run the job twice either.
	_, err = j1.StartRun(ctx, "stock", "jobs/stock.yaml", "fp", false)
	lockedBy(t, err, r1.ID(), os.Getpid())

	// `etl runs` shows the running one, and the refusals left no run.
	runs, err := j2.Runs(ctx, "stock", 0)
	if err != nil || len(runs) != 1 || runs[0].ID != r1.ID() || runs[0].Status != journal.StatusRunning ||
		!strings.Contains(runs[0].Holder, "pid "+itoa(int64(os.Getpid()))) {
		t.Fatalf("runs while locked: %+v, %v", runs, err)
	}
	// Dry runs change nothing and need no lock; other jobs have their own.
	start(t, j2, "stock", "fp", true)
	start(t, j2, "other", "fp", false)

	// Finish releases the lock.
	if err := r1.Finish(ctx, journal.StatusSucceeded, nil, 0, ""); err != nil {
		t.Fatal(err)
	}
	if info, _ := j2.RunInfo(ctx, r1.ID()); info.Holder != "" {
		t.Errorf("finished run still has a holder: %+v", info)
	}
	r2 := start(t, j2, "stock", "fp", false)
	_, err = j1.StartRun(ctx, "stock", "jobs/stock.yaml", "fp", false)
	lockedBy(t, err, r2.ID(), os.Getpid())
	// Close releases the lock too.
	if err := j2.Close(); err != nil {
		t.Fatal(err)
	}
	start(t, j1, "stock", "fp", false)

	// Of many at once, exactly one gets the lock.
	const n = 6
	js := make([]*journal.Journal, n)
	for i := range js {
		js[i] = b.open(t, target)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	got, refused := 0, 0
	for _, j := range js {
		wg.Go(func() {
			_, err := j.StartRun(ctx, "race", "", "fp", false)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				got++
			case errors.Is(err, journal.ErrLocked):
				refused++
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got != 1 || refused != n-1 {
		t.Errorf("%d of %d concurrent runs got the lock, %d refused", got, n, refused)
	}
}

func testRunLockResume(t *testing.T, b Backend) {
	ctx := context.Background()
	target := b.New(t)
	j1, j2 := b.open(t, target), b.open(t, target)
	r := start(t, j1, "import", "fp", false)
	if err := r.Intend(ctx, "products", "sku:A", "g-a", ""); err != nil {
		t.Fatal(err)
	}
	// While its process lives, another cannot resume the run.
	_, err := j2.Resume(ctx, r.ID(), "fp")
	lockedBy(t, err, r.ID(), os.Getpid())
	if info, _ := j2.RunInfo(ctx, r.ID()); info.Resumes != 0 {
		t.Errorf("a refused resume counted: %+v", info)
	}
	// The journal that holds it may (a resume in the same process).
	rr, err := j1.Resume(ctx, r.ID(), "fp")
	if err != nil {
		t.Fatal(err)
	}
	if err := rr.Finish(ctx, journal.StatusInterrupted, nil, 0, ""); err != nil {
		t.Fatal(err)
	}
	rr2, err := j2.Resume(ctx, r.ID(), "fp")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := j1.StartRun(ctx, "import", "", "fp", false); !errors.Is(err, journal.ErrLocked) {
		t.Fatalf("start while resumed elsewhere: %v", err)
	}
	if info := rr2.Info(); info.Resumes != 2 || info.Holder == "" {
		t.Errorf("resumed run: %+v", info)
	}
}

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func testStaleRunLock(t *testing.T, b Backend) {
	ctx := context.Background()
	target := b.New(t)
	clock := &fakeClock{t: time.Date(2026, 11, 22, 1, 0, 0, 0, time.UTC)}
	const ttl = time.Minute
	ja := b.openWith(t, target, journal.Options{Now: clock.Now, LockTTL: ttl, Host: "host-a", PID: 4242})
	me := os.Getpid() // b's, on its host: alive
	jb := b.openWith(t, target, journal.Options{Now: clock.Now, LockTTL: ttl, Host: "host-b", PID: me})

	ra := start(t, ja, "nightly", "fp", false)
	clock.Advance(ttl - time.Second)
	_, err := jb.StartRun(ctx, "nightly", "", "fp", false)
	lockedBy(t, err, ra.ID(), 4242)
	if err := ja.Heartbeat(ctx); err != nil {
		t.Fatal(err)
	}
	clock.Advance(ttl - time.Second) // 2×ttl since the start, 1 since the beat
	_, err = jb.StartRun(ctx, "nightly", "", "fp", false)
	lockedBy(t, err, ra.ID(), 4242)

	clock.Advance(2 * time.Second) // past ttl since the last beat
	rb, err := jb.StartRun(ctx, "nightly", "", "fp", false)
	if b.SessionLocks {
		// The holder's session is alive: its lock is, whatever the row says.
		lockedBy(t, err, ra.ID(), 4242)
		return
	}
	if err != nil {
		t.Fatalf("a lock silent for longer than its TTL was not taken over: %v", err)
	}
	runs, _ := jb.Runs(ctx, "nightly", 0)
	if len(runs) != 2 || runs[0].ID != rb.ID() || runs[0].Holder != "pid "+itoa(int64(me))+" on host-b" || runs[1].Holder != "" {
		t.Errorf("runs after the takeover: %+v", runs)
	}
	// The old holder's Finish records its end without freeing the new
	// holder's lock.
	if err := ra.Finish(ctx, journal.StatusFailed, nil, 0, "late"); err != nil {
		t.Fatal(err)
	}
	_, err = ja.StartRun(ctx, "nightly", "", "fp", false)
	lockedBy(t, err, rb.ID(), me)

	// On its own host, a holder whose process is gone is gone at once.
	dead := exec.Command(os.Args[0], "-test.run=^$")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	jc := b.openWith(t, target, journal.Options{Now: clock.Now, LockTTL: ttl, Host: "host-c", PID: dead.ProcessState.Pid()})
	jd := b.openWith(t, target, journal.Options{Now: clock.Now, LockTTL: ttl, Host: "host-c"})
	start(t, jc, "weekly", "fp", false)
	if _, err := jd.StartRun(ctx, "weekly", "", "fp", false); err != nil {
		t.Fatalf("the lock of a process that is gone was not taken over: %v", err)
	}
}

func testCrashReleasesRunLock(t *testing.T, b Backend) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	ctx := context.Background()
	target := b.New(t)
	id := crash(t, target) // holds the lock of job "crash" when it dies
	j := b.open(t, target)
	r, err := retryLocked(b, func() (*journal.Run, error) { return j.StartRun(ctx, "crash", "", "fp", false) })
	if err != nil {
		t.Fatalf("a crashed process's run lock was not released: %v", err)
	}
	runs, err := j.Runs(ctx, "crash", 0)
	if err != nil || len(runs) != 2 || runs[1].ID != id || runs[1].Holder != "" || runs[0].ID != r.ID() || runs[0].Holder == "" {
		t.Errorf("runs: %+v, %v", runs, err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// retryLocked calls fn until it is not refused by the run lock. With
// PostgreSQL, a session's locks drop once its server process sees the
// connection closed, a moment after the client process exited: there is
// no event to wait for, so this polls, for at most 10 s. Other backends
// get one call.
func retryLocked(b Backend, fn func() (*journal.Run, error)) (*journal.Run, error) {
	for deadline := time.Now().Add(10 * time.Second); ; {
		r, err := fn()
		if !b.SessionLocks || !errors.Is(err, journal.ErrLocked) || time.Now().After(deadline) {
			return r, err
		}
		time.Sleep(10 * time.Millisecond)
	}
}
