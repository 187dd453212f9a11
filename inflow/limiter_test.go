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

	"github.com/etl-dev/etl/internal/apikit"
)

// stamps records the release time of every request a registry's clients
// send (RequestEvent.Time: exact on a virtual clock).
type stamps struct {
	mu    sync.Mutex
	times []time.Time
}

func (s *stamps) observer() apikit.Observer {
	return apikit.ObserverFuncs{Request: func(e apikit.RequestEvent) {
		s.mu.Lock()
		s.times = append(s.times, e.Time)
		s.mu.Unlock()
	}}
}

// maxInWindow is the largest number of stamps in any window of length w.
func maxInWindow(stamps []time.Time, w time.Duration) int {
	stamps = append([]time.Time(nil), stamps...)
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

// TestRateStaysAtTheLimit drives two Clients of one account (one registry,
// so one limiter) at 60 a minute from 8 goroutines on a virtual clock: no
// window of a minute holds more than 60 requests, no second more than one,
// and the limit is kept busy (150 requests take exactly 149 s of virtual
// time: one per second after the first).
func TestRateStaysAtTheLimit(t *testing.T) {
	t.Parallel()
	srv := newScript(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, `[]`) })
	clk := apikit.NewVirtualClock(time.Time{})
	stamps := &stamps{}
	reg := apikit.NewRegistry(apikit.RegistryOptions{Clock: clk, Observer: stamps.observer()})
	mk := func() *Client {
		return newTestClient(t, srv.URL, func(cfg *Config) { cfg.Registry = reg; cfg.RatePerMinute = 60 })
	}
	clients := []*Client{mk(), mk()}
	if clients[0].Limiter() != clients[1].Limiter() {
		t.Fatal("two clients of one account got two limiters")
	}
	const total = 150
	var left atomic.Int32
	left.Store(total)
	start := clk.Now()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			c := clients[g%2]
			for left.Add(-1) >= 0 {
				if _, err := c.Locations().All(context.Background(), nil); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if len(stamps.times) != total || srv.count() != total {
		t.Fatalf("%d requests sent, %d received, want %d", len(stamps.times), srv.count(), total)
	}
	if got := maxInWindow(stamps.times, time.Minute); got != 60 {
		t.Errorf("%d requests in the busiest minute, want exactly the limit 60", got)
	}
	if got := maxInWindow(stamps.times, time.Second); got != 1 {
		t.Errorf("%d requests in one second, want 1", got)
	}
	if d := clk.Now().Sub(start); d != (total-1)*time.Second {
		t.Errorf("%d requests took %v of virtual time, want %v", total, d, (total-1)*time.Second)
	}
	if waited := clients[0].Stats().Waited + clients[1].Stats().Waited; waited < (total-1)*time.Second {
		t.Errorf("limiter wait not counted: %v", waited)
	}
}

func TestLimiterHourlyWindow(t *testing.T) {
	t.Parallel()
	clk := apikit.NewVirtualClock(time.Time{})
	lim := apikit.NewLimiter(clk, apikit.Limits{PerMinute: 600000, PerHour: 5})
	ctx := context.Background()
	start := clk.Now()
	for i := range 5 {
		if _, err := lim.Wait(ctx); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	if d := clk.Now().Sub(start); d > time.Second {
		t.Fatalf("5 requests within the hourly limit took %v", d)
	}
	if _, err := lim.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if d := clk.Now().Sub(start); d < time.Hour {
		t.Fatalf("6th request in the hour released after %v, want an hour", d)
	}
}

func TestLimiterPauseAndCancel(t *testing.T) {
	t.Parallel()
	clk := apikit.NewFakeClock(time.Time{})
	lim := apikit.NewLimiter(clk, apikit.Limits{PerMinute: 600000})
	lim.Pause(150 * time.Millisecond)
	lim.Pause(10 * time.Millisecond) // never shortens
	done := make(chan error, 2)
	go func() { _, err := lim.Wait(context.Background()); done <- err }()
	if err := clk.WaitForSleepers(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	clk.Advance(100 * time.Millisecond)
	select {
	case <-done:
		t.Fatal("released during the pause")
	default:
	}
	clk.Advance(50 * time.Millisecond)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	lim.Pause(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { _, err := lim.Wait(ctx); done <- err }()
	go func() { _, err := lim.Wait(ctx); done <- err }() // queued behind the first
	if err := clk.WaitForSleepers(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	cancel()
	for range 2 {
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("err %v", err)
		}
	}
}

func TestLimiterObservesRateLimitHeaders(t *testing.T) {
	t.Parallel()
	clk := apikit.NewVirtualClock(time.Time{})
	lim := apikit.NewLimiter(clk, apikit.Limits{PerMinute: 60})
	ObserveLimits(lim, http.Header{"X-Ratelimit-Remaining": {"5"}, "X-Ratelimit-Reset": {"30"}})
	if !lim.PausedUntil().IsZero() {
		t.Fatal("paused with requests remaining")
	}
	ObserveLimits(lim, http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"30"}})
	if d := lim.PausedUntil().Sub(clk.Now()); d != 30*time.Second {
		t.Fatalf("pause %v, want 30s", d)
	}
	lim2 := apikit.NewLimiter(clk, apikit.Limits{PerMinute: 60})
	reset := clk.Now().Add(45 * time.Second).Unix()
	ObserveLimits(lim2, http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {strconv.FormatInt(reset, 10)}})
	if d := lim2.PausedUntil().Sub(clk.Now()); d != 45*time.Second {
		t.Fatalf("epoch reset pause %v", d)
	}
}

func TestLimiterLearnsLimitsFromHeaders(t *testing.T) {
	t.Parallel()
	clk := apikit.NewVirtualClock(time.Time{})
	lim := apikit.NewLimiter(clk, apikit.Limits{PerMinute: 600})
	ObserveLimits(lim, http.Header{"X-Inflow-Api-Rate-Limit": {"12/60"}})
	ObserveLimits(lim, http.Header{"X-Inflow-Api-Rate-Limit": {"12/120"}}) // never raised
	if lim.PerMinute() != 60 || lim.Interval() != time.Second {
		t.Fatalf("per minute %d", lim.PerMinute())
	}
	ObserveLimits(lim, http.Header{"X-Ratelimit-Limit": {"30/1000"}})
	ObserveLimits(lim, http.Header{"X-Ratelimit-Limit": {"60"}}) // not the a/b form: ignored
	if lim.PerHour() != 1000 {
		t.Fatalf("per hour %d", lim.PerHour())
	}
	lim2 := apikit.NewLimiter(clk, apikit.Limits{PerMinute: 600000, PerHour: 4})
	start := clk.Now()
	for range 4 {
		_, _ = lim2.Wait(context.Background())
	}
	ObserveLimits(lim2, http.Header{"X-Ratelimit-Limit": {"1/2"}})
	if _, err := lim2.Wait(context.Background()); err != nil || lim2.PerHour() != 2 {
		t.Fatalf("%v, per hour %d", err, lim2.PerHour())
	}
	if d := clk.Now().Sub(start); d < time.Hour {
		t.Fatalf("the lowered hourly window let a request through after %v", d)
	}
}

// TestLimiterReleasesAreSpaced: 12 goroutines, 600 a minute, on a virtual
// clock: releases exactly 100 ms apart, never more than 10 in a second.
func TestLimiterReleasesAreSpaced(t *testing.T) {
	t.Parallel()
	clk := apikit.NewVirtualClock(time.Time{})
	lim := apikit.NewLimiter(clk, apikit.Limits{PerMinute: 600})
	var (
		mu  sync.Mutex
		rel []time.Time
		wg  sync.WaitGroup
	)
	for range 12 {
		wg.Go(func() {
			for range 2 {
				if _, err := lim.Wait(context.Background()); err != nil {
					t.Error(err)
				}
				mu.Lock()
				rel = append(rel, clk.Now())
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	sort.Slice(rel, func(i, j int) bool { return rel[i].Before(rel[j]) })
	if len(rel) != 24 {
		t.Fatalf("%d releases", len(rel))
	}
	for i := 1; i < len(rel); i++ {
		if gap := rel[i].Sub(rel[i-1]); gap != 100*time.Millisecond {
			t.Fatalf("releases %d and %d %v apart, want 100ms", i-1, i, gap)
		}
	}
	if got := maxInWindow(rel, time.Second); got != 10 {
		t.Fatalf("%d releases in a second, want 10", got)
	}
}
