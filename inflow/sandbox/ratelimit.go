package sandbox

import (
	"fmt"
	"math"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter is the emulator's rate limit: a token bucket refilled at
// perMinute a minute (holding up to burst tokens), and optionally a second
// bucket of perHour an hour. A request needs a token from every bucket; a
// refused request takes none.
type limiter struct {
	mu          sync.Mutex
	minute      *rate.Limiter
	hour        *rate.Limiter
	minuteLimit int
	hourLimit   int
}

func newLimiter(perMinute, burst, perHour int, now time.Time) *limiter {
	l := &limiter{}
	if perMinute > 0 {
		if burst <= 0 {
			burst = perMinute
		}
		l.minute = rate.NewLimiter(rate.Limit(float64(perMinute)/60), burst)
		l.minute.AllowN(now, 0) // start the bucket's clock at now
		l.minuteLimit = perMinute
	}
	if perHour > 0 {
		l.hour = rate.NewLimiter(rate.Limit(float64(perHour)/3600), perHour)
		l.hour.AllowN(now, 0)
		l.hourLimit = perHour
	}
	return l
}

// take consumes one token from each bucket, or none and reports how long
// until every bucket holds one.
func (l *limiter) take(now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var wait time.Duration
	for _, b := range []*rate.Limiter{l.minute, l.hour} {
		if b == nil {
			continue
		}
		if t := b.TokensAt(now); t < 1 {
			d := time.Duration((1 - t) / float64(b.Limit()) * float64(time.Second))
			wait = max(wait, d)
		}
	}
	if wait > 0 {
		return false, wait
	}
	for _, b := range []*rate.Limiter{l.minute, l.hour} {
		if b != nil {
			b.AllowN(now, 1)
		}
	}
	return true, 0
}

// used reports, per window, how many tokens are spent out of the limit.
func (l *limiter) used(now time.Time, b *rate.Limiter) int {
	return b.Burst() - int(math.Floor(b.TokensAt(now)))
}

// setRateHeaders sends the rate-limit headers public clients have seen
// from inFlow: "X-inflow-api-rate-limit: used/limit" for the minute window
// and "x-ratelimit-limit: used/limit" for the hour window. They describe the
// state before this request is counted.
func (s *Server) setRateHeaders(w http.ResponseWriter, now time.Time) {
	l := s.lim
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.minute != nil {
		w.Header().Set("X-inflow-api-rate-limit", fmt.Sprintf("%d/%d", l.used(now, l.minute), l.minuteLimit))
	}
	if l.hour != nil {
		w.Header().Set("X-RateLimit-Limit", fmt.Sprintf("%d/%d", l.used(now, l.hour), l.hourLimit))
	}
}
