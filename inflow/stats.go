package inflow

import (
	"maps"
	"sync"
	"time"
)

// Stats counts a Client's traffic, for reports and dry-run plans. Counts
// are since New or the last ResetStats.
type Stats struct {
	// Requests is the number of HTTP requests sent, retries included.
	Requests int
	// Retries is how many of those repeated an earlier attempt.
	Retries int
	// TooMany is the number of 429 responses.
	TooMany int
	// Failed is the number of calls that returned an error to the caller.
	Failed int
	// Waited is the time spent waiting on the limiter and in backoff,
	// summed over goroutines (so it can exceed the wall time).
	Waited time.Duration
	// ByMethod counts Requests by HTTP method.
	ByMethod map[string]int
}

type statsCounter struct {
	mu sync.Mutex
	s  Stats
}

func (sc *statsCounter) update(f func(*Stats)) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.s.ByMethod == nil {
		sc.s.ByMethod = map[string]int{}
	}
	f(&sc.s)
}

func (sc *statsCounter) snapshot() Stats {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	s := sc.s
	s.ByMethod = maps.Clone(sc.s.ByMethod)
	if s.ByMethod == nil {
		s.ByMethod = map[string]int{}
	}
	return s
}

func (sc *statsCounter) reset() {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.s = Stats{}
}
