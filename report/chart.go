package report

import (
	"fmt"
	"net/http"
	"time"

	"github.com/dustin/go-humanize"

	"github.com/etl-dev/etl/pipeline"
)

// Request is one API request a run made, as the run journal recorded it.
type Request struct {
	Time     time.Time // when it was sent
	Duration time.Duration
	Status   int // HTTP status; 0 when no answer came
}

// chart is the request timeline of an API run drawn as an inline SVG:
// requests per minute in each time slice, 429 answers on top in red,
// against a dashed line at the rate limit. Every coordinate is computed
// here; the template only prints them.
type chart struct {
	Width, Height       int
	Left, Top, Bottom   int // plot area margins
	PlotW, PlotH        int
	Bars                []bar
	LimitY              float64 // y of the rate limit line, <0 when none
	Limit               string  // "60 requests/min"
	YTicks              []tick
	XTicks              []tick
	Slice               string // the time slice of a bar, e.g. "10 s"
	Total, TooMany      int
	Summary             string // the chart in one sentence, for screen readers
	BaselineY, RightEnd int
}

type bar struct {
	X, W           float64
	OKY, OKH       float64 // the part answered without 429
	BadY, BadH     float64 // the 429 part, on top
	Title          string
	Count, TooMany int
}

type tick struct {
	Pos    float64
	Label  string
	Anchor string // text-anchor of the label
}

// sliceSizes are the time slices the chart may use, the smallest that
// gives at most maxBars bars wins.
var sliceSizes = []time.Duration{
	time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour,
	2 * time.Hour, 6 * time.Hour, 24 * time.Hour,
}

const maxBars = 60

func newChart(r *pipeline.Result, reqs []Request, limit int) *chart {
	if len(reqs) == 0 {
		return nil
	}
	start, end := reqs[0].Time, reqs[0].Time
	for _, q := range reqs {
		if q.Time.Before(start) {
			start = q.Time
		}
		if t := q.Time.Add(q.Duration); t.After(end) {
			end = t
		}
	}
	if !r.Started.IsZero() && r.Started.Before(start) {
		start = r.Started
	}
	if !r.Finished.IsZero() && r.Finished.After(end) {
		end = r.Finished
	}
	span := max(end.Sub(start), time.Second)
	slice := sliceSizes[len(sliceSizes)-1]
	for _, s := range sliceSizes {
		if span/s < maxBars {
			slice = s
			break
		}
	}
	n := int(span/slice) + 1
	counts := make([]int, n)
	tooMany := make([]int, n)
	c := &chart{Width: 720, Height: 240, Left: 64, Top: 16, Bottom: 40, RightEnd: 712, Slice: HumanDuration(slice), Total: len(reqs)}
	for _, q := range reqs {
		i := min(int(q.Time.Sub(start)/slice), n-1)
		counts[i]++
		if q.Status == http.StatusTooManyRequests {
			tooMany[i]++
			c.TooMany++
		}
	}
	perMinute := func(k int) float64 { return float64(k) * float64(time.Minute) / float64(slice) }
	top := float64(limit)
	for _, k := range counts {
		top = max(top, perMinute(k))
	}
	top = max(top*1.15, 1)
	c.PlotW, c.PlotH = c.RightEnd-c.Left, c.Height-c.Top-c.Bottom
	c.BaselineY = c.Top + c.PlotH
	y := func(v float64) float64 { return float64(c.Top) + float64(c.PlotH)*(1-v/top) }
	bw := float64(c.PlotW) / float64(n)
	for i := range counts {
		if counts[i] == 0 {
			continue
		}
		okV, badV := perMinute(counts[i]-tooMany[i]), perMinute(tooMany[i])
		b := bar{X: float64(c.Left) + float64(i)*bw + bw*0.1, W: bw * 0.8, Count: counts[i], TooMany: tooMany[i]}
		b.OKY, b.OKH = y(okV), float64(c.BaselineY)-y(okV)
		b.BadY, b.BadH = y(okV+badV), y(okV)-y(okV+badV)
		from := HumanDuration(time.Duration(i) * slice)
		b.Title = fmt.Sprintf("from %s: %s %s (%s a minute)", from, humanize.Comma(int64(counts[i])), plural(counts[i], "request", "requests"), humanize.Comma(int64(perMinute(counts[i])+0.5)))
		if tooMany[i] > 0 {
			b.Title += fmt.Sprintf(", %d answered 429", tooMany[i])
		}
		c.Bars = append(c.Bars, b)
	}
	c.LimitY = -1
	if limit > 0 {
		c.LimitY = y(float64(limit))
		c.Limit = humanize.Comma(int64(limit)) + " requests/min"
	}
	for _, f := range []float64{0, 0.5, 1} {
		v := top / 1.15 * f
		c.YTicks = append(c.YTicks, tick{Pos: y(v), Label: humanize.Comma(int64(v + 0.5))})
	}
	for i, f := range []float64{0, 0.5, 1} {
		label := HumanDuration(time.Duration(float64(span) * f))
		if f == 0 {
			label = "0"
		}
		c.XTicks = append(c.XTicks, tick{Pos: float64(c.Left) + float64(c.PlotW)*f, Label: label, Anchor: []string{"start", "middle", "end"}[i]})
	}
	c.Summary = fmt.Sprintf("%s %s over %s in slices of %s", humanize.Comma(int64(c.Total)), plural(c.Total, "request", "requests"), HumanDuration(span), c.Slice)
	if limit > 0 {
		c.Summary += ", against a limit of " + c.Limit
	}
	if c.TooMany > 0 {
		c.Summary += fmt.Sprintf("; %d answered 429 (too many requests)", c.TooMany)
	}
	return c
}

// timeSpent says where an API run's time went: waiting for the rate
// limit, in requests, in 429 answers, and how many requests were retried.
func timeSpent(r *pipeline.Result, reqs []Request, comps []namedComponent) []timeLine {
	if len(comps) == 0 {
		return nil
	}
	var waited time.Duration
	var retries, tooMany, total int
	for _, c := range comps {
		waited += c.Requests.Waited
		retries += c.Requests.Retries
		tooMany += c.Requests.TooMany
		total += c.Requests.Total()
	}
	var inRequests, in429 time.Duration
	for _, q := range reqs {
		inRequests += q.Duration
		if q.Status == http.StatusTooManyRequests {
			in429 += q.Duration
		}
	}
	lines := []timeLine{{"The whole run", HumanDuration(r.Duration()), "from start to finish"}}
	lines = append(lines, timeLine{"Waiting for the rate limit", HumanDuration(waited),
		"time workers spent waiting before sending, including Retry-After waits after a 429 (summed over workers)"})
	if len(reqs) > 0 {
		lines = append(lines, timeLine{"In requests", HumanDuration(inRequests),
			fmt.Sprintf("the time the API took to answer %s %s (summed; requests overlap when sent in parallel)", humanize.Comma(int64(len(reqs))), plural(len(reqs), "request", "requests"))})
	}
	lines = append(lines, timeLine{"429 answers", humanize.Comma(int64(tooMany)), fmt.Sprintf("requests refused as too many; their answers took %s", HumanDuration(in429))})
	lines = append(lines, timeLine{"Retries", humanize.Comma(int64(retries)), fmt.Sprintf("requests sent again after a 429, a 5xx or a dropped connection, of %s in all", humanize.Comma(int64(total)))})
	return lines
}
