package goflowsink

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/etl-dev/etl/goflow/sandbox"
	"github.com/etl-dev/etl/internal/apikit"
)

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// jobCopy copies a job of jobs/ into a temporary jobs/ beside the samples
// it reads (../samples).
func jobCopy(t *testing.T, name string) (dir, yaml string) {
	root := t.TempDir()
	dir = filepath.Join(root, "jobs")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(repoRoot(), "samples"), filepath.Join(root, "samples")); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(repoRoot(), "jobs", name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return dir, string(data)
}

// The stock example sets the sheet's stock, rejects its two bad rows with
// the closest names, and a second run changes nothing; as it stands
// (no GOFLOW_API_TOKEN) it runs against the embedded emulator.
func TestStockExampleJob(t *testing.T) {
	t.Parallel()
	tn := newTenant(t, sandbox.Options{})
	dir, yaml := jobCopy(t, "goflow-stock-from-sheet")
	r := tn.mustRun(t, dir, yaml, nil, runOpts{})
	c := counts(r.res)
	if c["rejected"] != 2 || c["updated"]+c["unchanged"] != 23 || c["updated"] == 0 {
		t.Fatalf("outcomes %v", c)
	}
	if q, _ := tn.srv.OnHand("GF-0003", "East Coast DC"); q.String() != "31" {
		t.Errorf("GF-0003 at East Coast DC: %s", q)
	}
	var msgs []string
	for _, p := range r.res.Problems {
		msgs = append(msgs, p.Error())
	}
	if all := strings.Join(msgs, "\n"); !strings.Contains(all, "GF-9001") || !strings.Contains(all, `did you mean "Main Warehouse"`) {
		t.Errorf("problems:\n%s", all)
	}
	r2 := tn.mustRun(t, dir, yaml, nil, runOpts{})
	if c := counts(r2.res); c["unchanged"] != 23 {
		t.Errorf("re-run %v", c)
	}

	embedded := &tenant{clock: apikit.NewVirtualClock(time.Now()), env: map[string]string{}}
	r3 := embedded.mustRun(t, dir, yaml, nil, runOpts{})
	if c := counts(r3.res); c["rejected"] != 2 || c["updated"] == 0 || !strings.Contains(strings.Join(r3.report.Notes, " "), "built-in emulator") {
		t.Errorf("as it stands: %v %v", c, r3.report.Notes)
	}
}
