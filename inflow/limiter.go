package inflow

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter paces the requests of one inFlow account. Every request of every
// Client that holds the same Limiter waits on it, so share one Limiter (or one
// Client) between all the goroutines and Clients that use the same account.
//
// It combines:
//   - a token bucket (golang.org/x/time/rate) at perMinute requests a minute
//     with a burst of 1, and a floor of one interval (a minute / perMinute)
//     between two releases as measured, so no window of a minute ever holds
//     more than perMinute releases (nor any window of a second more than
//     perMinute/60), while the limit is kept busy when there is work;
//   - an optional sliding window of perHour requests an hour (the notes
//     report a possible second limit of 1000 an hour);
//   - pauses: after a 429, or when the server says no requests remain
//     (X-RateLimit-Remaining: 0 with X-RateLimit-Reset), nobody sends until
//     the pause ends;
//   - limits learnt from the server (see Observe), which only ever lower
//     the configured ones.
//
// Waiters are served one at a time. A Limiter is safe for concurrent use.
type Limiter struct {
	sem    chan struct{} // held by the one waiter being served
	bucket *rate.Limiter

	mu         sync.Mutex
	perMinute  int
	perHour    int
	pauseUntil time.Time
	last       time.Time   // the last release
	hour       []time.Time // ring of the last perHour release times
	hourNext   int
}

// NewLimiter returns a limiter of perMinute requests a minute (60 if <= 0)
// and, when perHour > 0, at most perHour requests in any hour.
func NewLimiter(perMinute, perHour int) *Limiter {
	if perMinute <= 0 {
		perMinute = DefaultRatePerMinute
	}
	l := &Limiter{
		sem:       make(chan struct{}, 1),
		bucket:    rate.NewLimiter(rate.Limit(float64(perMinute)/60), 1),
		perMinute: perMinute,
		perHour:   max(perHour, 0),
	}
	if l.perHour > 0 {
		l.hour = make([]time.Time, 0, l.perHour)
	}
	return l
}

// PerMinute returns the per-minute limit in force.
func (l *Limiter) PerMinute() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.perMinute
}

// PerHour returns the hourly limit in force, 0 when off.
func (l *Limiter) PerHour() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.perHour
}

// Interval is the steady-state gap between two requests.
func (l *Limiter) Interval() time.Duration {
	return time.Duration(float64(time.Minute) / float64(l.PerMinute()))
}

// lowerPerMinute lowers the per-minute limit to n (never raises it).
func (l *Limiter) lowerPerMinute(n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if n <= 0 || n >= l.perMinute {
		return
	}
	l.perMinute = n
	l.bucket.SetLimit(rate.Limit(float64(n) / 60))
}

// lowerPerHour sets the hourly limit to n when it is off or higher.
func (l *Limiter) lowerPerHour(n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if n <= 0 || (l.perHour > 0 && n >= l.perHour) {
		return
	}
	// Keep the newest n release times, oldest first.
	var times []time.Time
	if len(l.hour) == l.perHour && l.perHour > 0 {
		times = append(times, l.hour[l.hourNext:]...)
		times = append(times, l.hour[:l.hourNext]...)
	} else {
		times = append(times, l.hour...)
	}
	if len(times) > n {
		times = times[len(times)-n:]
	}
	l.perHour = n
	l.hour = append(make([]time.Time, 0, n), times...)
	l.hourNext = 0
}

// Wait blocks until one request may be sent and reports how long it waited.
// It returns ctx's error if ctx ends first; no permission is then used.
func (l *Limiter) Wait(ctx context.Context) (time.Duration, error) {
	start := time.Now()
	select {
	case l.sem <- struct{}{}:
	case <-ctx.Done():
		return time.Since(start), ctx.Err()
	}
	defer func() { <-l.sem }()
	for {
		if err := sleepCtx(ctx, l.blockedFor(time.Now())); err != nil {
			return time.Since(start), err
		}
		r := l.bucket.Reserve()
		if err := sleepCtx(ctx, r.Delay()); err != nil {
			r.Cancel()
			return time.Since(start), err
		}
		// The bucket schedules on its own clock; a timer that fired late
		// for the previous release must not bring this one closer to it.
		if err := sleepCtx(ctx, l.spacing(time.Now())); err != nil {
			return time.Since(start), err
		}
		now := time.Now()
		// A pause set while we waited for the token wins: wait again.
		if l.blockedFor(now) > 0 {
			continue
		}
		l.record(now)
		return now.Sub(start), nil
	}
}

// blockedFor is how long the pause or the hourly window still blocks.
func (l *Limiter) blockedFor(now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	d := l.pauseUntil.Sub(now)
	if l.perHour > 0 && len(l.hour) == l.perHour {
		if h := l.hour[l.hourNext].Add(time.Hour).Sub(now); h > d {
			d = h
		}
	}
	return max(d, 0)
}

// spacing is how long until one interval has passed since the last release.
func (l *Limiter) spacing(now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.last.IsZero() {
		return 0
	}
	gap := time.Duration(float64(time.Minute) / float64(l.perMinute))
	return max(l.last.Add(gap).Sub(now), 0)
}

func (l *Limiter) record(now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.last = now
	if l.perHour <= 0 {
		return
	}
	if len(l.hour) < l.perHour {
		l.hour = append(l.hour, now)
		return
	}
	l.hour[l.hourNext] = now
	l.hourNext = (l.hourNext + 1) % l.perHour
}

// Pause stops all requests through l for d from now (extending, never
// shortening, a pause in force).
func (l *Limiter) Pause(d time.Duration) { l.PauseUntil(time.Now().Add(d)) }

// PauseUntil stops all requests through l until t (extending, never
// shortening, a pause in force).
func (l *Limiter) PauseUntil(t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t.After(l.pauseUntil) {
		l.pauseUntil = t
	}
}

// PausedUntil returns the end of the pause in force, or the zero time.
func (l *Limiter) PausedUntil() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.pauseUntil.Before(time.Now()) {
		return time.Time{}
	}
	return l.pauseUntil
}

// maxHeaderPause bounds a pause taken from rate-limit headers.
const maxHeaderPause = time.Hour

// Observe adjusts l from the rate-limit headers of a response:
//   - X-RateLimit-Remaining (or RateLimit-Remaining) of 0 pauses l until
//     X-RateLimit-Reset (seconds from now, or a Unix time), or for one
//     interval when no reset is given;
//   - "X-inflow-api-rate-limit: N/60", seen from inFlow, lowers the
//     per-minute limit to 60 if it was higher;
//   - "X-RateLimit-Limit: N/1000", seen from inFlow and read by public
//     clients as an hourly window, turns on (or lowers) the hourly limit.
//
// The N of those two headers is ambiguous (used or remaining), so only the
// limit is learnt; limits are only ever lowered. Retry-After is handled by
// the Client on 429 and 503.
func (l *Limiter) Observe(h http.Header) {
	if n, ok := slashLimit(h.Get("X-inflow-api-rate-limit")); ok {
		l.lowerPerMinute(n)
	}
	if n, ok := slashLimit(h.Get("X-RateLimit-Limit")); ok {
		l.lowerPerHour(n)
	}
	rem := firstHeader(h, "X-RateLimit-Remaining", "RateLimit-Remaining")
	if rem == "" {
		return
	}
	n, err := strconv.ParseFloat(strings.TrimSpace(strings.SplitN(rem, ",", 2)[0]), 64)
	if err != nil || n > 0 {
		return
	}
	now := time.Now()
	until := now.Add(l.Interval())
	if reset := firstHeader(h, "X-RateLimit-Reset", "RateLimit-Reset"); reset != "" {
		if t, ok := parseReset(reset, now); ok {
			until = t
		}
	}
	if until.Sub(now) > maxHeaderPause {
		until = now.Add(maxHeaderPause)
	}
	l.PauseUntil(until)
}

// slashLimit reads the limit b of an "a/b" header value.
func slashLimit(v string) (int, bool) {
	_, b, ok := strings.Cut(v, "/")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(b))
	return n, err == nil && n > 0
}

func firstHeader(h http.Header, names ...string) string {
	for _, n := range names {
		if v := h.Get(n); v != "" {
			return v
		}
	}
	return ""
}

// parseReset reads a reset given as seconds from now or as a Unix time.
func parseReset(v string, now time.Time) (time.Time, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		return time.Time{}, false
	}
	if f > 1e9 { // a Unix time
		return time.Unix(0, int64(f*1e9)), true
	}
	return now.Add(time.Duration(f * float64(time.Second))), true
}

// parseRetryAfter reads Retry-After as delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		if f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, false
		}
		if f > float64(100*365*24*time.Hour/time.Second) {
			f = float64(100 * 365 * 24 * time.Hour / time.Second)
		}
		return time.Duration(f * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// sleepCtx sleeps for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
