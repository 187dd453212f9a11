package goflowsrc

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/etl-dev/etl/internal/apikit"
	_ "github.com/etl-dev/etl/sinks/inflow"
)

// Goflow products into inFlow products runs as it stands: both sides are
// the embedded emulators, and every active Goflow product becomes an
// inFlow product.
func TestProductsToInflowJob(t *testing.T) {
	t.Setenv("INFLOW_API_KEY", "")
	tn := &tenant{clock: apikit.NewVirtualClock(time.Now().UTC()), env: map[string]string{}}
	data, err := os.ReadFile(filepath.Join(repoRoot(), "jobs", "goflow-products-to-inflow.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "jobs")
	os.MkdirAll(dir, 0o755)
	r := tn.mustRun(t, dir, string(data), nil)
	if r.res.RowsRead != 40 || r.res.Count(1) != 40 { // created
		t.Fatalf("read %d, counts %v", r.res.RowsRead, r.res.CountsByName())
	}
}
