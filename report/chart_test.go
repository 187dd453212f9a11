package report

import (
	"strings"
	"testing"
	"time"

	"github.com/etl-dev/etl/pipeline"
)

// An API run's report draws its requests over time against the rate limit
// as an inline SVG and says where the time went.
func TestRequestChart(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	r := &pipeline.Result{Job: "onboard", Started: start, Finished: start.Add(3 * time.Minute), RowsRead: 120}
	r.Counts[pipeline.Created] = 120
	r.Components = map[string]*pipeline.ComponentReport{"sink": {
		Account:       "inFlow company 1b2c3d4e at https://cloudapi.inflowinventory.com",
		Requests:      pipeline.RequestStats{Reads: 2, Writes: 120, Retries: 3, TooMany: 3, Waited: 95 * time.Second},
		RatePerMinute: 60,
	}}
	var reqs []Request
	for i := range 125 { // one a second for about two minutes, three of them 429s
		q := Request{Time: start.Add(time.Duration(i) * 1400 * time.Millisecond), Duration: 200 * time.Millisecond, Status: 200}
		if i == 10 || i == 11 || i == 12 {
			q.Status = 429
		}
		reqs = append(reqs, q)
	}
	var b strings.Builder
	if err := WriteHTML(&b, r, reqs); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{
		`<section id="timeline"`, `<svg xmlns="http://www.w3.org/2000/svg"`, `id="request-chart"`,
		"limit 60 requests/min", "125 requests over 3 min in slices of 5 s", "3 answered 429",
		`fill="#c4162a"`, // the 429 part of a bar
		"Where the time went", "Waiting for the rate limit", "1 min 35 s", "inFlow company 1b2c3d4e",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if n := strings.Count(page, `<g class="bar">`); n < 20 || n > maxBars {
		t.Errorf("%d bars, want between 20 and %d", n, maxBars)
	}
	// Self-contained: the only URL is the SVG namespace.
	if strings.Count(page, "http://") != 1 || strings.Contains(page, "src=") {
		t.Error("the page refers to external resources")
	}

	// A file job has no chart.
	b.Reset()
	if err := WriteHTML(&b, &pipeline.Result{Job: "files"}, nil); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "<svg") {
		t.Error("a file job's report has a chart")
	}
}
