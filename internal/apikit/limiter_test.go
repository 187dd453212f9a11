package apikit

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"
)

// releases runs n waiters on lim from workers goroutines and returns the
// release times (on lim's clock).
func releases(t *testing.T, lim *Limiter, workers, n int) []time.Time {
	t.Helper()
	var (
		mu    sync.Mutex
		times []time.Time
		wg    sync.WaitGroup
	)
	jobs := make(chan struct{}, n)
	for range n {
		jobs <- struct{}{}
	}
	close(jobs)
	for range workers {
		wg.Go(func() {
			for range jobs {
				if _, err := lim.Wait(context.Background()); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				times = append(times, lim.Clock().Now())
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return times
}

// maxInWindow is the most release times in any window of length w.
func maxInWindow(times []time.Time, w time.Duration) int {
	best := 0
	for _, a := range times {
		n := 0
		for _, b := range times {
			if !b.Before(a) && b.Before(a.Add(w)) {
				n++
			}
		}
		best = max(best, n)
	}
	return best
}

func TestLimiterCountsPerMinuteWindow(t *testing.T) {
	t.Parallel()
	clk := NewVirtualClock(time.Time{})
	lim := NewLimiter(clk, Limits{PerMinute: 60})
	start := clk.Now()
	times := releases(t, lim, 8, 300)
	if got := maxInWindow(times, time.Minute); got != 60 {
		t.Errorf("most releases in a minute: %d, want exactly 60 (the limit, kept busy)", got)
	}
	if got := maxInWindow(times, time.Second); got != 1 {
		t.Errorf("most releases in a second: %d, want 1", got)
	}
	// 300 requests at 60 a minute: the first at once, the last 299 s later.
	if d := clk.Now().Sub(start); d != 299*time.Second {
		t.Errorf("300 releases took %v of virtual time, want 4m59s", d)
	}
}

func TestLimiterHourlyWindow(t *testing.T) {
	t.Parallel()
	clk := NewVirtualClock(time.Time{})
	lim := NewLimiter(clk, Limits{PerMinute: 600, PerHour: 100})
	start := clk.Now()
	times := releases(t, lim, 4, 250)
	if got := maxInWindow(times, time.Hour); got != 100 {
		t.Errorf("most releases in an hour: %d, want 100", got)
	}
	if got := maxInWindow(times, time.Minute); got > 600 {
		t.Errorf("minute window broken: %d", got)
	}
	if d := clk.Now().Sub(start); d < 2*time.Hour {
		t.Errorf("250 releases at 100 an hour took %v, want at least 2h", d)
	}
	// Hour only (Goflow's 6/hour reports): no minute spacing, 6 at once.
	clk2 := NewVirtualClock(time.Time{})
	six := NewLimiter(clk2, Limits{PerHour: 6})
	ts := releases(t, six, 1, 13)
	if ts[5].Sub(ts[0]) != 0 || ts[6].Sub(ts[0]) != time.Hour || ts[12].Sub(ts[0]) != 2*time.Hour {
		t.Errorf("6/hour releases at %v %v %v", ts[5].Sub(ts[0]), ts[6].Sub(ts[0]), ts[12].Sub(ts[0]))
	}
}

func TestLimiterFakeClockReleasesOnePerInterval(t *testing.T) {
	t.Parallel()
	clk := NewFakeClock(time.Time{})
	lim := NewLimiter(clk, Limits{PerMinute: 60})
	got := make(chan time.Time, 3)
	for range 3 {
		go func() {
			if _, err := lim.Wait(context.Background()); err == nil {
				got <- clk.Now()
			}
		}()
	}
	t0 := clk.Now()
	<-got // the first goes at once
	for i := 1; i < 3; i++ {
		if err := clk.WaitForSleepers(context.Background(), 1); err != nil {
			t.Fatal(err)
		}
		select {
		case <-got:
			t.Fatal("released before the interval")
		default:
		}
		clk.Advance(time.Second)
		if at := <-got; at.Sub(t0) != time.Duration(i)*time.Second {
			t.Fatalf("release %d at %v", i, at.Sub(t0))
		}
	}
}

func TestLimiterPauseHoldsEveryone(t *testing.T) {
	t.Parallel()
	clk := NewVirtualClock(time.Time{})
	lim := NewLimiter(clk, Limits{PerMinute: 6000})
	lim.Pause(30 * time.Second)
	lim.Pause(time.Second) // never shortens
	if w, err := lim.Wait(context.Background()); err != nil || w != 30*time.Second {
		t.Fatalf("waited %v, %v; want 30s", w, err)
	}
	if !lim.PausedUntil().IsZero() {
		t.Fatal("pause still reported after it ended")
	}
}

func TestLimiterLearnsFromHeaders(t *testing.T) {
	t.Parallel()
	clk := NewVirtualClock(time.Time{})
	lim := NewLimiter(clk, Limits{PerMinute: 120})
	lim.LowerPerMinute(60)
	lim.LowerPerMinute(90) // never raises
	lim.LowerPerHour(1000) // turns the hourly window on
	lim.LowerPerHour(2000)
	if lim.PerMinute() != 60 || lim.PerHour() != 1000 {
		t.Fatalf("limits %d/min %d/h", lim.PerMinute(), lim.PerHour())
	}
	if n, ok := SlashLimit("12/60"); !ok || n != 60 {
		t.Fatalf("SlashLimit %d %v", n, ok)
	}
	h := http.Header{}
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("X-RateLimit-Reset", "45")
	lim.ObserveRemaining(h)
	if d := lim.PausedUntil().Sub(clk.Now()); d != 45*time.Second {
		t.Fatalf("paused %v, want 45s", d)
	}
	lim2 := NewLimiter(clk, Limits{PerMinute: 60})
	h.Set("X-RateLimit-Reset", "99999") // beyond the cap
	lim2.ObserveRemaining(h)
	if d := lim2.PausedUntil().Sub(clk.Now()); d != MaxHeaderPause {
		t.Fatalf("paused %v, want the cap", d)
	}
	lim3 := NewLimiter(clk, Limits{PerMinute: 60})
	h.Set("X-RateLimit-Remaining", "3")
	lim3.ObserveRemaining(h)
	if !lim3.PausedUntil().IsZero() {
		t.Fatal("remaining 3 paused")
	}
}

func TestRegistryOneLimiterPerKey(t *testing.T) {
	t.Parallel()
	reg := NewRegistry(RegistryOptions{Clock: NewVirtualClock(time.Time{})})
	k := LimiterKey{API: "inflow", Account: AccountKey("https://API.example.com/", "ABC")}
	a := reg.Limiter(k, Limits{PerMinute: 60})
	b := reg.Limiter(LimiterKey{API: "inflow", Account: AccountKey("https://api.example.com", "abc")}, Limits{PerMinute: 100})
	if a != b || b.PerMinute() != 60 {
		t.Fatal("the same account got two limiters (or the second's higher limits)")
	}
	if reg.Limiter(k, Limits{PerMinute: 30}) != a || a.PerMinute() != 30 {
		t.Fatal("a lower limit declared later does not hold")
	}
	if reg.Limiter(LimiterKey{API: "inflow", Account: k.Account, Group: "orders"}, Limits{}) == a {
		t.Fatal("another group shares the account's limiter")
	}
	var nilReg *Registry
	if nilReg.Or() == nil {
		t.Fatal("Or on nil")
	}
}
