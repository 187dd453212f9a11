package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/etl-dev/etl/pipeline"
	"github.com/etl-dev/etl/report"
)

// progress shows how a run goes: a bar with rows per second and an ETA when
// stderr is a terminal, a log line on every tick otherwise (cron mail and
// CI logs want a line every logEvery, not a redrawn bar), also while an API
// run waits for its rate limit and no batch finishes.
type progress struct {
	w   io.Writer
	src pipeline.Progresser // nil when the source cannot tell
	// counter counts the rows read as they are read (countedSource), nil
	// when the source does not.
	counter interface{ Read() int64 }
	apis    []pipeline.Reporter // API components, for requests and 429s
	bar     *progressbar.ProgressBar
	quiet   bool
	now     func() time.Time

	mu       sync.Mutex
	started  time.Time
	read     int64 // rows read, at the last batch
	done     int64 // rows with an outcome, at the last batch
	stop     chan struct{}
	stopped  chan struct{}
	finished bool
}

// logEvery is how often a progress line is logged without a terminal.
const logEvery = 10 * time.Second

// progressClock is what progress waits with: the current time and a tick
// channel (a time.Ticker's in a real run, a test's channel in tests).
type progressClock struct {
	now   func() time.Time
	ticks <-chan time.Time
	stop  func()
}

func realClock() progressClock {
	t := time.NewTicker(logEvery)
	return progressClock{now: time.Now, ticks: t.C, stop: t.Stop}
}

// newProgress starts showing progress on w. Without a terminal and unless
// quiet, a goroutine logs a line on every tick of clk until finish.
func newProgress(w io.Writer, src pipeline.Source, sink pipeline.Sink, quiet bool, clk progressClock) *progress {
	p := &progress{w: w, quiet: quiet, now: clk.now, started: clk.now(), stop: make(chan struct{}), stopped: make(chan struct{})}
	p.src, _ = src.(pipeline.Progresser)
	p.counter, _ = src.(interface{ Read() int64 })
	for _, c := range []any{src, sink} {
		if r, ok := c.(pipeline.Reporter); ok {
			p.apis = append(p.apis, r)
		}
	}
	if quiet {
		close(p.stopped)
		return p
	}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		max := int64(-1)
		if p.src != nil {
			if _, total := p.src.Progress(); total > 0 {
				max = total
			}
		}
		p.bar = progressbar.NewOptions64(max,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription("reading"),
			progressbar.OptionShowBytes(max > 0),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
		close(p.stopped)
		return p
	}
	go func() {
		defer close(p.stopped)
		if clk.stop != nil {
			defer clk.stop()
		}
		for {
			select {
			case <-p.stop:
				return
			case <-clk.ticks:
				fmt.Fprintln(p.w, p.line())
			}
		}
	}()
	return p
}

// update is pipeline.RunConfig.OnProgress.
func (p *progress) update(res *pipeline.Result) {
	p.mu.Lock()
	p.read, p.done = res.RowsRead, res.Accounted()
	p.mu.Unlock()
	if p.bar == nil {
		return
	}
	p.bar.Describe(p.text(false))
	if p.src != nil {
		done, _ := p.src.Progress()
		_ = p.bar.Set64(done)
	} else {
		_ = p.bar.Set64(res.RowsRead)
	}
}

// line is the line logged on a tick.
func (p *progress) line() string { return "progress: " + p.text(true) }

// text says how far the run is: rows, requests, 429s, the request rate and,
// when it can be estimated, the ETA.
func (p *progress) text(long bool) string {
	p.mu.Lock()
	read, done := p.read, p.done
	p.mu.Unlock()
	if p.counter != nil {
		read = max(read, p.counter.Read())
	}
	elapsed := p.now().Sub(p.started)
	s := fmt.Sprintf("%s rows read, %s done", humanize.Comma(read), humanize.Comma(done))
	if len(p.apis) == 0 {
		if secs := elapsed.Seconds(); secs > 0 {
			s += fmt.Sprintf(", %s rows/s", humanize.Comma(int64(float64(read)/secs)))
		}
	}
	var fraction float64 // of the input read, 0 when unknown
	if p.src != nil {
		if d, total := p.src.Progress(); total > 0 && d > 0 {
			fraction = float64(d) / float64(total)
			if long {
				s += fmt.Sprintf(", %.0f%% of the input", 100*fraction)
			}
		}
	}
	if len(p.apis) > 0 {
		var total, tooMany, limit int
		for _, r := range p.apis {
			rep := r.Report()
			total += rep.Requests.Total()
			tooMany += rep.Requests.TooMany
			limit = max(limit, rep.RatePerMinute)
		}
		s += fmt.Sprintf(", %s requests, %s 429s", humanize.Comma(int64(total)), humanize.Comma(int64(tooMany)))
		if mins := elapsed.Minutes(); mins > 0 {
			s += fmt.Sprintf(", %s requests/min", humanize.Comma(int64(float64(total)/mins+0.5)))
		}
		if limit > 0 {
			s += fmt.Sprintf(" (limit %s)", humanize.Comma(int64(limit)))
		}
		s += ", " + apiETA(read, done, fraction, total, limit)
		return s
	}
	if fraction > 0 && elapsed > 0 {
		eta := time.Duration(float64(elapsed) * (1 - fraction) / fraction)
		s += ", ETA " + report.HumanDuration(eta)
	}
	return s
}

// apiETA estimates the time left at the rate limit: the rows to do (all
// of them when the source tells how much of its input was read, else the
// rows read so far) times the requests a row has cost, less the requests
// made, at limit requests a minute. Before any row is done a row is taken
// to cost one request, so the estimate is a lower bound.
func apiETA(read, done int64, fraction float64, requests, limit int) string {
	if limit <= 0 || requests <= 0 || read <= 0 {
		return "ETA unknown yet"
	}
	rows := float64(read)
	if fraction > 0 {
		rows = float64(read) / fraction
	}
	perRow, lower := 1.0, true
	if done > 0 {
		perRow, lower = float64(requests)/float64(done), false
	}
	left := rows*perRow - float64(requests)
	if left < 1 {
		if done >= read {
			return "every row sent; finishing (deferred writes such as stock and cost adjustments)"
		}
		return "sending the last requests"
	}
	eta := report.HumanDuration(time.Duration(left / float64(limit) * float64(time.Minute)))
	if lower {
		return "at least " + eta + " left at the rate limit"
	}
	return "about " + eta + " left at the rate limit"
}

// finish stops the bar or the ticking goroutine; it is safe to call twice.
func (p *progress) finish() {
	p.mu.Lock()
	first := !p.finished
	p.finished = true
	p.mu.Unlock()
	if !first {
		return
	}
	if p.bar != nil {
		_ = p.bar.Finish()
	}
	select {
	case <-p.stopped:
	default:
		close(p.stop)
		<-p.stopped
	}
}
