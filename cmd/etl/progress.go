package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/etl-dev/etl/pipeline"
)

// progress shows how a run goes: a bar with rows per second and an ETA when
// stderr is a terminal, a log line every logEvery otherwise (cron mail and
// CI logs want a few lines, not a redrawn bar).
type progress struct {
	w       io.Writer
	src     pipeline.Progresser // nil when the source cannot tell
	apis    []pipeline.Reporter // API components, for requests and 429s
	bar     *progressbar.ProgressBar
	quiet   bool
	started time.Time
	last    time.Time
	rows    int64
}

const logEvery = 10 * time.Second

func newProgress(w io.Writer, src pipeline.Source, sink pipeline.Sink, quiet bool) *progress {
	p := &progress{w: w, quiet: quiet, started: time.Now(), last: time.Now()}
	p.src, _ = src.(pipeline.Progresser)
	for _, c := range []any{src, sink} {
		if r, ok := c.(pipeline.Reporter); ok {
			p.apis = append(p.apis, r)
		}
	}
	if quiet {
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
	}
	return p
}

// update is pipeline.RunConfig.OnProgress.
func (p *progress) update(res *pipeline.Result) {
	p.rows = res.RowsRead
	if p.quiet {
		return
	}
	now := time.Now()
	rate := float64(p.rows) / now.Sub(p.started).Seconds()
	requests := p.requests()
	if p.bar != nil {
		p.bar.Describe(fmt.Sprintf("%d rows, %.0f rows/s%s", p.rows, rate, requests))
		if p.src != nil {
			done, _ := p.src.Progress()
			_ = p.bar.Set64(done)
		} else {
			_ = p.bar.Set64(p.rows)
		}
		return
	}
	if now.Sub(p.last) < logEvery {
		return
	}
	p.last = now
	line := fmt.Sprintf("progress: %d rows, %.0f rows/s%s", p.rows, rate, requests)
	if p.src != nil {
		if done, total := p.src.Progress(); total > 0 && done > 0 {
			elapsed := now.Sub(p.started)
			eta := time.Duration(float64(elapsed) * float64(total-done) / float64(done))
			line += fmt.Sprintf(", %.0f%% of input, ETA %s", 100*float64(done)/float64(total), eta.Round(time.Second))
		}
	}
	fmt.Fprintln(p.w, line)
}

// requests sums what the API components report, as ", 120 requests, 2
// 429s", or "" for file-only jobs.
func (p *progress) requests() string {
	if len(p.apis) == 0 {
		return ""
	}
	var total, tooMany int
	for _, r := range p.apis {
		st := r.Report().Requests
		total += st.Total()
		tooMany += st.TooMany
	}
	return fmt.Sprintf(", %d requests, %d 429s", total, tooMany)
}

func (p *progress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
