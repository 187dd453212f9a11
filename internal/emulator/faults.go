package emulator

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Faults inject failures for reliability tests. Except LostReplyRate, they
// act before a request reaches the emulator's handler, so such a request
// never changes state. Draws happen in this order, each only when its rate
// is above 0: DropRate, (rate limit), TooManyRate, ErrorRate (and a second
// draw for 500 or 503), and after the handler LostReplyRate.
type Faults struct {
	// ErrorRate is the share of requests answered 500 or 503.
	ErrorRate float64
	// DropRate is the share of connections closed without an answer.
	DropRate float64
	// Latency is added to every response, on the harness's clock.
	Latency time.Duration
	// TooManyRate is a share of requests answered 429 as if the rate limit
	// were hit (Retry-After: 1 unless RetryAfter says otherwise).
	TooManyRate float64
	// RetryAfter overrides the Retry-After header of 429 answers: "" sends
	// the computed whole seconds (at least 1), "omit" sends none, any other
	// value is sent as it is (e.g. "0").
	RetryAfter string
	// LostReplyRate is a share of requests that are processed (a write is
	// applied) whose answer is then lost: the connection closes without it.
	LostReplyRate float64
	// Rand is the source of the draws; when nil, one seeded with Seed, or
	// from the clock when Seed is 0.
	Rand *rand.Rand
	// Seed seeds the draws when Rand is nil and Seed is not 0, so a run
	// with the same seed and the same requests draws the same faults.
	Seed uint64
}

// Validate checks that the rates are shares between 0 and 1 and the
// latency is not negative.
func (f Faults) Validate() error {
	for _, r := range []float64{f.ErrorRate, f.DropRate, f.TooManyRate, f.LostReplyRate} {
		if r < 0 || r > 1 {
			return errors.New("fault rates must be between 0 and 1")
		}
	}
	if f.Latency < 0 {
		return errors.New("fault latency must not be negative")
	}
	return nil
}

// Any reports whether any fault is on.
func (f Faults) Any() bool {
	return f.ErrorRate > 0 || f.DropRate > 0 || f.Latency > 0 || f.TooManyRate > 0 || f.LostReplyRate > 0
}

// rand returns the draw source.
func (f Faults) rand() *rand.Rand {
	switch {
	case f.Rand != nil:
		return f.Rand
	case f.Seed != 0:
		return rand.New(rand.NewPCG(f.Seed, f.Seed>>17|1))
	}
	t := uint64(time.Now().UnixNano())
	return rand.New(rand.NewPCG(t, t>>17|1))
}

// FaultsHelp documents the spelling of ParseFaults, for --help texts.
const FaultsHelp = `--faults injects trouble, as a comma-separated list:
  error=0.05     answer 5% of requests with 500 or 503
  drop=0.05      close 5% of connections without an answer
  latency=50ms   add latency to every response
  429=0.05       answer 5% of requests 429 Too Many Requests (Retry-After: 1)
  lost=0.05      apply 5% of requests, then close the connection without the answer
  retry-after=0  send this Retry-After on 429s ("omit": none)
  seed=7         draw the faults from this seed (the same run draws the same faults)`

// ParseFaults reads the --faults spelling:
// "error=0.05,drop=0.05,latency=50ms,429=0.05,lost=0.05" plus optional
// "retry-after=0" and "seed=7". Empty is no faults.
func ParseFaults(s string) (Faults, error) {
	var f Faults
	if strings.TrimSpace(s) == "" {
		return f, nil
	}
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok {
			return f, fmt.Errorf("--faults: %q is not key=value (error=0.05, drop=0.05, latency=50ms, 429=0.05, lost=0.05)", part)
		}
		if seen[k] {
			return f, fmt.Errorf("--faults: %s is given twice", k)
		}
		seen[k] = true
		var err error
		switch k {
		case "error":
			f.ErrorRate, err = parseShare(v)
		case "drop":
			f.DropRate, err = parseShare(v)
		case "429":
			f.TooManyRate, err = parseShare(v)
		case "lost":
			f.LostReplyRate, err = parseShare(v)
		case "latency":
			f.Latency, err = time.ParseDuration(v)
			if err == nil && f.Latency < 0 {
				err = fmt.Errorf("%q is negative", v)
			}
		case "retry-after":
			f.RetryAfter = v
		case "seed":
			f.Seed, err = strconv.ParseUint(v, 10, 64)
			if err == nil && f.Seed == 0 {
				err = errors.New("the seed must not be 0")
			}
		default:
			return f, fmt.Errorf("--faults: unknown fault %q: use error, drop, latency, 429, lost, retry-after or seed", k)
		}
		if err != nil {
			return f, fmt.Errorf("--faults %s: %w", k, err)
		}
	}
	return f, nil
}

func parseShare(v string) (float64, error) {
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || x < 0 || x > 1 {
		return 0, fmt.Errorf("%q is not a share between 0 and 1", v)
	}
	return x, nil
}
