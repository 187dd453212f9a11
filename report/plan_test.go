package report

import (
	"bytes"
	"encoding/json"
	"regexp"
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
	if err := WriteHTML(&html, r, nil); err != nil {
		t.Fatal(err)
	}
	page := html.String()
	for _, want := range []string{`id="plan"`, `id="requests"`, `<td class="text">9.99</td><td class="text">12.50</td>`, "sku OLD-&lt;1&gt;", "6 s"} {
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
	if err := WriteHTML(&html, &pipeline.Result{Job: "files"}, nil); err != nil {
		t.Fatal(err)
	}
	if s := html.String(); strings.Contains(s, `id="plan"`) || strings.Contains(s, `id="requests"`) {
		t.Error("a file job's report shows a plan or requests section")
	}
}

// Every key of the JSON report is snake_case, down to the plan's origins.
func TestJSONKeysAreSnakeCase(t *testing.T) {
	t.Parallel()
	r := &pipeline.Result{Job: "onboard", DryRun: true, RowsRead: 1}
	r.Counts[pipeline.Created] = 1
	r.Problems = []pipeline.Problem{{Origin: pipeline.Origin{File: "c.xlsx", Sheet: "P", Row: 3}, Rule: "type", Message: "x"}}
	r.Components = map[string]*pipeline.ComponentReport{"sink": {
		Account: "inFlow company 1", Requests: pipeline.RequestStats{Reads: 1, Waited: time.Second}, RatePerMinute: 60, Notes: []string{"n"},
		Plan: &pipeline.Plan{Creates: 1, Duration: time.Second, Changes: []pipeline.Change{
			{Origin: pipeline.Origin{File: "c.xlsx", Sheet: "P", Row: 2}, Action: "create", Key: "k", Fields: []pipeline.FieldChange{{Field: "f", New: "1"}}},
		}},
	}}
	var out bytes.Buffer
	if err := WriteJSON(&out, r); err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	snake := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if !snake.MatchString(k) && path != "$.counts" {
					t.Errorf("key %s.%s is not snake_case", path, k)
				}
				walk(path+"."+k, x)
			}
		case []any:
			for _, x := range v {
				walk(path+"[]", x)
			}
		}
	}
	walk("$", doc)
	if !regexp.MustCompile(`"origin": \{\s+"file": "c.xlsx",\s+"sheet": "P",\s+"row": 2,\s+"line": 0\s+\}`).MatchString(out.String()) {
		t.Errorf("the plan's origin is not {file, sheet, row, line}:\n%s", out.String())
	}
}
