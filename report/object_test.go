package report

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/etl-dev/etl/internal/s3test"
	"github.com/etl-dev/etl/pipeline"
)

func init() { s3test.SetEnv() } // the AWS SDK's credentials and region, before tests run

// TestWriteToObjectStorage: reports go to s3:// paths as to files.
func TestWriteToObjectStorage(t *testing.T) {
	t.Parallel()
	srv := s3test.Start(t, "reports")
	res := &pipeline.Result{Job: "nightly", RowsRead: 3}
	opts := Options{
		HTML: srv.URL("reports", "nightly/report.html"),
		JSON: srv.URL("reports", "nightly/report.json"),
	}
	if err := Write(context.Background(), res, opts); err != nil {
		t.Fatal(err)
	}
	if keys := srv.Keys(t, "reports"); strings.Join(keys, " ") != "nightly/report.html nightly/report.json" {
		t.Fatalf("objects: %v", keys)
	}
	html, _ := srv.Get(t, "reports", "nightly/report.html")
	if !strings.Contains(string(html), "<html") {
		t.Errorf("report.html: %.200s", html)
	}
	data, _ := srv.Get(t, "reports", "nightly/report.json")
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Errorf("report.json: %v", err)
	}
	// A bucket that does not exist fails the report, naming it.
	err := Write(context.Background(), res, Options{JSON: srv.URL("nobucket", "r.json")})
	if err == nil || !strings.Contains(err.Error(), "nobucket") {
		t.Errorf("a missing bucket: %v", err)
	}
}
