package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/etl-dev/etl/pipeline"
)

func TestPlanAndRequestsAreReported(t *testing.T) {
	r := &pipeline.Result{Job: "onboard", DryRun: true, RowsRead: 3}
	r.Counts[pipeline.Created] = 1
	r.Counts[pipeline.Updated] = 1
	r.Counts[pipeline.Unchanged] = 1
	r.Components = map[string]*pipeline.ComponentReport{"sink": {
		Requests:      pipeline.RequestStats{Reads: 4, Retries: 1, TooMany: 2},
		RatePerMinute: 60,
		Plan: &pipeline.Plan{Creates: 1, Updates: 1, Unchanged: 1, Reads: 4, Writes: 2, Duration: 6 * time.Second,
			Changes: []pipeline.Change{
				{Origin: pipeline.Origin{File: "c.csv", Row: 2}, Action: "create", Key: "sku NEW-1"},
				{Origin: pipeline.Origin{File: "c.csv", Row: 3}, Action: "update", Key: "sku OLD-<1>",
					Fields: []pipeline.FieldChange{{Field: "price", Old: "9.99", New: "12.50"}}},
			}},
	}}
	var html bytes.Buffer
	if err := WriteHTML(&html, r); err != nil {
		t.Fatal(err)
	}
	page := html.String()
	for _, want := range []string{`id="plan"`, `id="requests"`, "<td>9.99</td><td>12.50</td>", "sku OLD-&lt;1&gt;", "6s"} {
		if !strings.Contains(page, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	var out bytes.Buffer
	if err := WriteJSON(&out, r); err != nil {
		t.Fatal(err)
	}
	var back JSONReport
	if err := json.Unmarshal(out.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	sink := back.Components["sink"]
	if sink == nil || sink.Plan == nil || sink.Plan.Writes != 2 || sink.Requests.TooMany != 2 || len(sink.Plan.Changes) != 2 ||
		sink.Plan.Changes[1].Fields[0].New != "12.50" {
		t.Fatalf("components = %+v", back.Components)
	}
}

func TestFileJobsHaveNoPlanOrRequests(t *testing.T) {
	var html bytes.Buffer
	if err := WriteHTML(&html, &pipeline.Result{Job: "files"}); err != nil {
		t.Fatal(err)
	}
	if s := html.String(); strings.Contains(s, `id="plan"`) || strings.Contains(s, `id="requests"`) {
		t.Error("a file job's report shows a plan or requests section")
	}
}
