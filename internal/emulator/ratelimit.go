package emulator

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Rate is the limit of one endpoint group of an emulator.
type Rate struct {
	// PerMinute is the refill of the minute bucket; 0 is no minute limit.
	PerMinute int
	// Burst is the size of the minute bucket; PerMinute when 0.
	Burst int
	// PerHour is a second bucket of PerHour an hour (holding PerHour); 0
	// is off.
	PerHour int
}

// RateState is a group's state before a request is counted, for
// emulators that send rate-limit headers.
type RateState struct {
	Group                   string
	MinuteUsed, MinuteLimit int // 0, 0 without a minute window
	HourUsed, HourLimit     int // 0, 0 without an hour window
}

// RateLimiter is an emulator's rate limit on explicit times: a token
// bucket refilled at PerMinute a minute (holding Burst tokens), and
// optionally a bucket of PerHour an hour. A request needs a token from every
// bucket; a refused request takes none. Safe for concurrent use.
type RateLimiter struct {
	mu          sync.Mutex
	minute      *rate.Limiter
	hour        *rate.Limiter
	minuteLimit int
	hourLimit   int
}

// NewRateLimiter returns the limiter of r with its buckets full at now.
func NewRateLimiter(r Rate, now time.Time) *RateLimiter {
	l := &RateLimiter{}
	if r.PerMinute > 0 {
		burst := r.Burst
		if burst <= 0 {
			burst = r.PerMinute
		}
		l.minute = rate.NewLimiter(rate.Limit(float64(r.PerMinute)/60), burst)
		l.minute.AllowN(now, 0) // start the bucket's clock at now
		l.minuteLimit = r.PerMinute
	}
	if r.PerHour > 0 {
		l.hour = rate.NewLimiter(rate.Limit(float64(r.PerHour)/3600), r.PerHour)
		l.hour.AllowN(now, 0)
		l.hourLimit = r.PerHour
	}
	return l
}

// Take consumes one token from each bucket, or none and reports how long
// until every bucket holds one.
func (l *RateLimiter) Take(now time.Time) (bool, time.Duration) {
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

// State reports, per window, how many tokens are spent out of the limit.
func (l *RateLimiter) State(now time.Time) RateState {
	l.mu.Lock()
	defer l.mu.Unlock()
	var s RateState
	if l.minute != nil {
		s.MinuteUsed, s.MinuteLimit = used(now, l.minute), l.minuteLimit
	}
	if l.hour != nil {
		s.HourUsed, s.HourLimit = used(now, l.hour), l.hourLimit
	}
	return s
}

func used(now time.Time, b *rate.Limiter) int {
	return b.Burst() - int(math.Floor(b.TokensAt(now)))
}
