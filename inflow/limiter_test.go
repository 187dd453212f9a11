package inflow

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// stampTransport records the moment each request is handed to the network.
type stampTransport struct {
	mu     sync.Mutex
	stamps []time.Time
	next   http.RoundTripper
}

func (s *stampTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.stamps = append(s.stamps, time.Now())
	s.mu.Unlock()
	return s.next.RoundTrip(r)
}

// maxInWindow is the largest number of stamps in any window of length w.
func maxInWindow(stamps []time.Time, w time.Duration) int {
	sort.Slice(stamps, func(i, j int) bool { return stamps[i].Before(stamps[j]) })
	best, lo := 0, 0
	for hi := range stamps {
		for stamps[hi].Sub(stamps[lo]) >= w {
			lo++
		}
		best = max(best, hi-lo+1)
	}
	return best
}

// TestLimiterNeverExceedsAndStaysBusy drives two Clients sharing one
// Limiter of 600 a minute (10 a second) from 8 goroutines: no window of a
// second ever holds more than 10 requests, and while work remains the rate
// stays near the limit.
func TestLimiterNeverExceedsAndStaysBusy(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about 3 seconds")
	}
	srv := newScript(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, `[]`) })
	stamps := &stampTransport{next: http.DefaultTransport}
	lim := NewLimiter(600, 0)
	mk := func() *Client {
		return newTestClient(t, srv.URL, func(cfg *Config) {
			cfg.Limiter = lim
			cfg.HTTPClient = &http.Client{Transport: stamps}
		})
	}
	clients := []*Client{mk(), mk()}
	const total = 30
	var left atomic.Int32
	left.Store(total)
	start := time.Now()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := clients[g%2]
			for left.Add(-1) >= 0 {
				if _, err := c.Locations().All(context.Background(), nil); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if len(stamps.stamps) != total {
		t.Fatalf("%d requests, want %d", len(stamps.stamps), total)
	}
	// Never more than the limit. Stamps are taken at send, after release,
	// so scheduling can move one by a little; windows of a second minus one
	// interval (ideally holding 9) absorb that. TestLimiterReleasesAreSpaced
	// checks the releases themselves exactly.
	if got := maxInWindow(stamps.stamps, 900*time.Millisecond); got > 10 {
		t.Errorf("%d requests in one second, limit 10", got)
	}
	// Busy: 30 requests at 10/s need ~2.9s; allow a generous 70%.
	if rate := float64(total-1) / elapsed.Seconds(); rate < 7 {
		t.Errorf("achieved %.1f requests/s, limit 10", rate)
	}
	waited := clients[0].Stats().Waited + clients[1].Stats().Waited
	if waited < time.Second {
		t.Errorf("limiter wait not counted: %v", waited)
	}
	t.Logf("%d requests in %v (%.1f/s), max %d per second", total, elapsed.Round(time.Millisecond),
		float64(total-1)/elapsed.Seconds(), maxInWindow(stamps.stamps, time.Second))
}

func TestLimiterHourlyWindow(t *testing.T) {
	lim := NewLimiter(600000, 5)
	ctx := context.Background()
	for i := range 5 {
		if _, err := lim.Wait(ctx); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := lim.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("6th request in the hour: %v", err)
	}
}

func TestLimiterPauseAndCancel(t *testing.T) {
	lim := NewLimiter(600000, 0)
	lim.Pause(150 * time.Millisecond)
	lim.Pause(10 * time.Millisecond) // never shortens
	start := time.Now()
	waited, err := lim.Wait(context.Background())
	if err != nil || time.Since(start) < 140*time.Millisecond || waited < 140*time.Millisecond {
		t.Fatalf("waited %v, %v", waited, err)
	}
	lim.Pause(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 2)
	go func() { _, err := lim.Wait(ctx); done <- err }()
	go func() { _, err := lim.Wait(ctx); done <- err }() // queued behind the first
	time.Sleep(50 * time.Millisecond)
	cancel()
	for range 2 {
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err %v", err)
			}
		case <-time.After(2 * time.Second):
			t.Fatal("Wait ignored cancellation")
		}
	}
}

func TestLimiterObservesRateLimitHeaders(t *testing.T) {
	lim := NewLimiter(60, 0)
	lim.Observe(http.Header{"X-Ratelimit-Remaining": {"5"}, "X-Ratelimit-Reset": {"30"}})
	if !lim.PausedUntil().IsZero() {
		t.Fatal("paused with requests remaining")
	}
	lim.Observe(http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"30"}})
	if d := time.Until(lim.PausedUntil()); d < 29*time.Second || d > 31*time.Second {
		t.Fatalf("pause %v, want ~30s", d)
	}
	lim2 := NewLimiter(60, 0)
	reset := time.Now().Add(45 * time.Second).Unix()
	lim2.Observe(http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {strconv.FormatInt(reset, 10)}})
	if d := time.Until(lim2.PausedUntil()); d < 43*time.Second || d > 46*time.Second {
		t.Fatalf("epoch reset pause %v", d)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Now()
	for in, want := range map[string]time.Duration{
		"0": 0, "1": time.Second, "2.5": 2500 * time.Millisecond,
		now.Add(10 * time.Second).UTC().Format(http.TimeFormat): 10 * time.Second,
	} {
		got, ok := parseRetryAfter(in, now)
		if !ok || got < want-time.Second || got > want {
			t.Errorf("%q: %v %v", in, got, ok)
		}
	}
	for _, bad := range []string{"", "soon", "-5"} {
		if _, ok := parseRetryAfter(bad, now); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestLimiterLearnsLimitsFromHeaders(t *testing.T) {
	lim := NewLimiter(600, 0)
	lim.Observe(http.Header{"X-Inflow-Api-Rate-Limit": {"12/60"}})
	lim.Observe(http.Header{"X-Inflow-Api-Rate-Limit": {"12/120"}}) // never raised
	if lim.PerMinute() != 60 || lim.Interval() != time.Second {
		t.Fatalf("per minute %d", lim.PerMinute())
	}
	lim.Observe(http.Header{"X-Ratelimit-Limit": {"30/1000"}})
	lim.Observe(http.Header{"X-Ratelimit-Limit": {"60"}}) // not the a/b form: ignored
	if lim.PerHour() != 1000 {
		t.Fatalf("per hour %d", lim.PerHour())
	}
	lim2 := NewLimiter(600000, 4)
	for range 4 {
		_, _ = lim2.Wait(context.Background())
	}
	lim2.Observe(http.Header{"X-Ratelimit-Limit": {"1/2"}})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := lim2.Wait(ctx); err == nil || lim2.PerHour() != 2 {
		t.Fatalf("lowered hourly window let a request through (%d)", lim2.PerHour())
	}
}

// TestLimiterReleasesAreSpaced checks the limiter's own release times (kept
// in its hourly ring) exactly: 12 goroutines, 600 a minute, never more than
// 10 releases in any second and never two closer than 100ms.
func TestLimiterReleasesAreSpaced(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about 2 seconds")
	}
	lim := NewLimiter(600, 1_000_000) // the huge hourly window only records
	var wg sync.WaitGroup
	for range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 2 {
				if _, err := lim.Wait(context.Background()); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	lim.mu.Lock()
	rel := append([]time.Time(nil), lim.hour...)
	lim.mu.Unlock()
	if len(rel) != 24 {
		t.Fatalf("%d releases", len(rel))
	}
	for i := 1; i < len(rel); i++ {
		if gap := rel[i].Sub(rel[i-1]); gap < 100*time.Millisecond {
			t.Fatalf("releases %d and %d %v apart", i-1, i, gap)
		}
	}
	if got := maxInWindow(rel, time.Second); got > 10 {
		t.Fatalf("%d releases in a second", got)
	}
	if span := rel[len(rel)-1].Sub(rel[0]); span > 3*time.Second {
		t.Fatalf("23 gaps took %v; the limit was not kept busy", span)
	}
}
