package apikit

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

// Limits are the windows of one limiter. A zero field is no such window;
// Limits{} is no limit at all.
type Limits struct {
	// PerMinute requests a minute, released at most one per interval
	// (a minute / PerMinute), so no minute window holds more.
	PerMinute int
	// PerHour requests in any sliding hour.
	PerHour int
}

// Limiter paces the requests of one account (or one endpoint group of an
// account). Every request of every Client holding the same Limiter waits on
// it; get it from a Registry so that one account has one Limiter per process.
//
// It combines:
//   - a token bucket (golang.org/x/time/rate) of PerMinute a minute with a
//     burst of 1, and a floor of one interval between two releases as
//     measured on its clock, so no window of a minute ever holds more than
//     PerMinute releases while the limit is kept busy when there is work;
//   - an optional sliding window of PerHour requests an hour;
//   - pauses: after a 429 (Pause), or when the server says no requests
//     remain (ObserveRemaining), nobody sends until the pause ends;
//   - limits learnt from the server (LowerPerMinute, LowerPerHour), which
//     only ever lower the configured ones.
//
// Waiters are served one at a time. A Limiter is safe for concurrent use.
type Limiter struct {
	clock  Clock
	sem    chan struct{} // held by the one waiter being served
	bucket *rate.Limiter // nil: no minute window

	mu         sync.Mutex
	perMinute  int
	perHour    int
	pauseUntil time.Time
	last       time.Time   // the last release
	hour       []time.Time // ring of the last perHour release times
	hourNext   int
}

// NewLimiter returns a limiter with the windows of l on clock (the real
// clock when nil). Most callers want Registry.Limiter instead.
func NewLimiter(clock Clock, l Limits) *Limiter {
	lim := &Limiter{
		clock:     orReal(clock),
		sem:       make(chan struct{}, 1),
		perMinute: max(l.PerMinute, 0),
		perHour:   max(l.PerHour, 0),
	}
	if lim.perMinute > 0 {
		lim.bucket = rate.NewLimiter(rate.Limit(float64(lim.perMinute)/60), 1)
	}
	if lim.perHour > 0 {
		lim.hour = make([]time.Time, 0, lim.perHour)
	}
	return lim
}

// Clock returns the clock the limiter waits on.
func (l *Limiter) Clock() Clock { return l.clock }

// PerMinute returns the per-minute limit in force, 0 when off.
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

// Interval is the steady-state gap between two requests: a minute /
// PerMinute, or an hour / PerHour without a minute window, or 0 without
// either.
func (l *Limiter) Interval() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.intervalLocked()
}

func (l *Limiter) intervalLocked() time.Duration {
	switch {
	case l.perMinute > 0:
		return time.Duration(float64(time.Minute) / float64(l.perMinute))
	case l.perHour > 0:
		return time.Duration(float64(time.Hour) / float64(l.perHour))
	}
	return 0
}

// LowerPerMinute lowers the per-minute limit to n, or turns the window on
// at n when it is off. It never raises a limit; n <= 0 does nothing.
func (l *Limiter) LowerPerMinute(n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if n <= 0 || (l.perMinute > 0 && n >= l.perMinute) {
		return
	}
	l.perMinute = n
	if l.bucket == nil {
		l.bucket = rate.NewLimiter(rate.Limit(float64(n)/60), 1)
		return
	}
	l.bucket.SetLimitAt(l.clock.Now(), rate.Limit(float64(n)/60))
}

// LowerPerHour lowers the hourly limit to n, or turns the window on at n
// when it is off. It never raises a limit; n <= 0 does nothing.
func (l *Limiter) LowerPerHour(n int) {
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
	_, waited, err := l.Acquire(ctx)
	return waited, err
}

// Acquire is Wait that also returns the release time on the limiter's
// clock: exact even on a VirtualClock that other goroutines move on, so
// tests can count releases per window.
func (l *Limiter) Acquire(ctx context.Context) (time.Time, time.Duration, error) {
	start := l.clock.Now()
	select {
	case l.sem <- struct{}{}:
	case <-ctx.Done():
		return time.Time{}, l.clock.Now().Sub(start), ctx.Err()
	}
	defer func() { <-l.sem }()
	fail := func(err error) (time.Time, time.Duration, error) {
		return time.Time{}, l.clock.Now().Sub(start), err
	}
	for {
		if err := l.clock.Sleep(ctx, l.blockedFor(l.clock.Now())); err != nil {
			return fail(err)
		}
		if b := l.bucketNow(); b != nil {
			now := l.clock.Now()
			r := b.ReserveN(now, 1)
			if err := l.clock.Sleep(ctx, r.DelayFrom(now)); err != nil {
				r.CancelAt(l.clock.Now())
				return fail(err)
			}
		}
		// The bucket schedules on its own; a sleep that ended late for the
		// previous release must not bring this one closer to it.
		if err := l.clock.Sleep(ctx, l.spacing(l.clock.Now())); err != nil {
			return fail(err)
		}
		now := l.clock.Now()
		// A pause set while we waited for the token wins: wait again.
		if l.blockedFor(now) > 0 {
			continue
		}
		l.record(now)
		return now, now.Sub(start), nil
	}
}

func (l *Limiter) bucketNow() *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.bucket
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

// spacing is how long until one minute interval has passed since the last
// release (0 without a minute window).
func (l *Limiter) spacing(now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.last.IsZero() || l.perMinute <= 0 {
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
func (l *Limiter) Pause(d time.Duration) { l.PauseUntil(l.clock.Now().Add(d)) }

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
	if !l.pauseUntil.After(l.clock.Now()) {
		return time.Time{}
	}
	return l.pauseUntil
}

// MaxHeaderPause bounds a pause taken from rate-limit headers.
const MaxHeaderPause = time.Hour

// ObserveRemaining applies the common remaining/reset headers of a
// response: X-RateLimit-Remaining (or RateLimit-Remaining, X-Rate-Limit-Remaining)
// of 0 pauses l until X-RateLimit-Reset (or RateLimit-Reset,
// X-Rate-Limit-Reset), read as seconds from now or a Unix time, or for one
// interval when no reset is given; never longer than MaxHeaderPause. Other
// values do nothing. Connectors call it from their HeaderObserver (the
// default one does).
func (l *Limiter) ObserveRemaining(h http.Header) {
	rem := firstHeader(h, "X-RateLimit-Remaining", "RateLimit-Remaining", "X-Rate-Limit-Remaining")
	if rem == "" {
		return
	}
	n, err := strconv.ParseFloat(strings.TrimSpace(strings.SplitN(rem, ",", 2)[0]), 64)
	if err != nil || n > 0 {
		return
	}
	now := l.clock.Now()
	until := now.Add(l.Interval())
	if reset := firstHeader(h, "X-RateLimit-Reset", "RateLimit-Reset", "X-Rate-Limit-Reset"); reset != "" {
		if t, ok := parseReset(reset, now); ok {
			until = t
		}
	}
	if until.Sub(now) > MaxHeaderPause {
		until = now.Add(MaxHeaderPause)
	}
	l.PauseUntil(until)
}

// SlashLimit reads the limit b of an "a/b" header value such as inFlow's
// "X-inflow-api-rate-limit: 12/60".
func SlashLimit(v string) (int, bool) {
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
