package apikit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// BackOffError is how a connector's Classify says "try again after a
// wait" (the shape of Benthos's ErrBackOff). The Client decides whether a
// retry follows: only for idempotent requests (or those the caller marked
// safe to repeat), unless NotProcessed; within RetryPolicy.MaxRetries; and
// never for a server wait above RetryPolicy.MaxRetryAfter. When no retry
// follows, the caller gets Err.
type BackOffError struct {
	// Err is the answer as the caller sees it when no retry follows,
	// usually an *APIError.
	Err error
	// Wait is the server's hint (Retry-After, a body field), used when
	// HasWait; a hint of 0 still waits RetryPolicy.MinDelay, so
	// "Retry-After: 0" never makes a hot loop. Without a hint the Client
	// uses capped, jittered exponential back-off.
	Wait    time.Duration
	HasWait bool
	// NotProcessed says the server did not act on the request (a 429), so
	// any method may be repeated.
	NotProcessed bool
	// Shared says the limit behind the answer is shared (a rate limit):
	// the Client pauses the request's limiter, so every request of the
	// account (or endpoint group) waits, not only this one.
	Shared bool
}

func (e *BackOffError) Error() string {
	if e.HasWait {
		return fmt.Sprintf("%v (back off %v)", e.Err, e.Wait)
	}
	return fmt.Sprintf("%v (back off)", e.Err)
}

func (e *BackOffError) Unwrap() error { return e.Err }

// TooManyRequests is the BackOffError of a 429: not processed, shared,
// with the server's wait when it gave one.
func TooManyRequests(err error, wait time.Duration, hasWait bool) *BackOffError {
	return &BackOffError{Err: err, Wait: wait, HasWait: hasWait, NotProcessed: true, Shared: true}
}

// RetryLater is the BackOffError of a failure worth another try (a 503,
// a retryable 5xx, Goflow's 409 "try the same request again"): retried only
// for idempotent requests, after the server's wait when it gave one.
func RetryLater(err error, wait time.Duration, hasWait bool) *BackOffError {
	return &BackOffError{Err: err, Wait: wait, HasWait: hasWait}
}

// RetryableStatus reports server-side failures worth another try: 5xx but
// 501 and 505.
func RetryableStatus(status int) bool {
	return status >= 500 && status != http.StatusNotImplemented && status != http.StatusHTTPVersionNotSupported
}

// RetryPolicy bounds retries and waits.
type RetryPolicy struct {
	// MaxRetries bounds the retries of one request after its first
	// attempt: DefaultMaxRetries when 0, none when negative.
	MaxRetries int
	// MinDelay and MaxDelay bound the exponential back-off (defaults 1s and
	// 1m); MinDelay is also the least wait after a back-off with a hint.
	MinDelay, MaxDelay time.Duration
	// MaxRetryAfter is the longest server wait the Client waits out
	// (default 1h); a longer one fails the request at once.
	MaxRetryAfter time.Duration
}

// Retry defaults.
const (
	DefaultMaxRetries    = 5
	DefaultMinDelay      = time.Second
	DefaultMaxDelay      = time.Minute
	DefaultMaxRetryAfter = time.Hour
)

// WithDefaults fills the zero fields. MaxRetries < 0 becomes 0.
func (p RetryPolicy) WithDefaults() RetryPolicy {
	if p.MaxRetries == 0 {
		p.MaxRetries = DefaultMaxRetries
	} else if p.MaxRetries < 0 {
		p.MaxRetries = 0
	}
	if p.MinDelay <= 0 {
		p.MinDelay = DefaultMinDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = DefaultMaxDelay
	}
	if p.MaxDelay < p.MinDelay {
		p.MaxDelay = p.MinDelay
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = DefaultMaxRetryAfter
	}
	return p
}

// override returns p with the non-zero fields of o.
func (p RetryPolicy) override(o RetryPolicy) RetryPolicy {
	if o.MaxRetries != 0 {
		p.MaxRetries = o.MaxRetries
	}
	if o.MinDelay != 0 {
		p.MinDelay = o.MinDelay
	}
	if o.MaxDelay != 0 {
		p.MaxDelay = o.MaxDelay
	}
	if o.MaxRetryAfter != 0 {
		p.MaxRetryAfter = o.MaxRetryAfter
	}
	return p
}

// Backoff is the delay before retry number attempt (1 for the first
// retry): capped exponential with equal jitter, a value in [d/2, d] for
// d = min(MaxDelay, MinDelay·2^(attempt-1)); rnd(n) must return a value in
// [0, n). p must have its defaults filled.
func (p RetryPolicy) Backoff(attempt int, rnd func(n int64) int64) time.Duration {
	d := p.MaxDelay
	if attempt >= 1 && attempt < 31 {
		if e := p.MinDelay << (attempt - 1); e > 0 && e < d {
			d = e
		}
	}
	half := d / 2
	return half + time.Duration(rnd(int64(d-half)+1))
}

// maxRetryAfter caps absurd Retry-After values (100 years).
const maxRetryAfter = 100 * 365 * 24 * time.Hour

// ParseRetryAfter reads a Retry-After value: delay-seconds (fractions
// allowed) or an HTTP date, relative to now. A date in the past is 0.
// Empty or malformed values report false.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		if f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, false
		}
		if f > float64(maxRetryAfter/time.Second) {
			f = float64(maxRetryAfter / time.Second)
		}
		return time.Duration(f * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// RetryHint is the server's wait: the larger of the Retry-After header and
// the number of seconds under any of bodyKeys at the top of a JSON body
// (Goflow's "retry_after_seconds": 7.88), a body value rounded up to a
// whole second. It reports false when neither is given.
func RetryHint(h http.Header, body []byte, now time.Time, bodyKeys ...string) (time.Duration, bool) {
	wait, ok := ParseRetryAfter(h.Get("Retry-After"), now)
	if len(bodyKeys) == 0 || len(bytes.TrimSpace(body)) == 0 {
		return wait, ok
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return wait, ok
	}
	for _, k := range bodyKeys {
		raw, found := m[k]
		if !found {
			continue
		}
		var f float64
		if json.Unmarshal(raw, &f) != nil {
			var s string
			if json.Unmarshal(raw, &s) != nil {
				continue
			}
			var err error
			if f, err = strconv.ParseFloat(strings.TrimSpace(s), 64); err != nil {
				continue
			}
		}
		if f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		d := time.Duration(math.Ceil(min(f, float64(maxRetryAfter/time.Second)))) * time.Second
		wait, ok = max(wait, d), true
	}
	return wait, ok
}

// IsBackOff returns the *BackOffError in err's chain, if any.
func IsBackOff(err error) (*BackOffError, bool) {
	var bo *BackOffError
	ok := errors.As(err, &bo)
	return bo, ok
}
