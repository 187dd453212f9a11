package inflowsink

import (
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/etl-dev/etl/inflow/sandbox"
	"github.com/etl-dev/etl/internal/apikit"
	_ "github.com/etl-dev/etl/sources/inflow"
)

// An inflow→inflow job reads and writes one account: its source and sink
// wait on ONE limiter (the run's registry), so at 60 a minute no two of
// their requests, whichever component sent them, are less than a second
// apart on the clock.
func TestSourceAndSinkShareTheAccountsLimiter(t *testing.T) {
	srv := startEmulator(t, sandbox.Options{})
	var (
		mu    sync.Mutex
		times []time.Time
	)
	kitOf(t).Observer = apikit.ObserverFuncs{Request: func(e apikit.RequestEvent) {
		mu.Lock()
		times = append(times, e.Time)
		mu.Unlock()
	}}
	path := filepath.Join(t.TempDir(), "job.yaml")
	job := `name: copy
source: {type: inflow, entity: customers, sandbox: never}
mapping:
  name: name
sink: {type: inflow, entity: customers, sandbox: never, rate_per_minute: 60}
options: {on_error: skip}
`
	if err := os.WriteFile(path, []byte(job), 0o644); err != nil {
		t.Fatal(err)
	}
	res, _, err := runJob(t, path, runOpts{})
	if err != nil {
		t.Fatal(err)
	}
	src, snk := res.Components["source"], res.Components["sink"]
	if src == nil || snk == nil || src.Requests.Reads == 0 || snk.Requests.Reads == 0 {
		t.Fatalf("both components must send requests: source %+v, sink %+v", src, snk)
	}
	if st := srv.Stats(); st.Total != len(times) {
		t.Fatalf("emulator saw %d requests, the observer %d", st.Total, len(times))
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	for i := 1; i < len(times); i++ {
		if gap := times[i].Sub(times[i-1]); gap < time.Second {
			t.Fatalf("requests %d and %d are %v apart: two limiters for one account", i-1, i, gap)
		}
	}
}
