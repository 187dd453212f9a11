package apikit

import (
	"context"
	"sync"
	"time"
)

// Clock is the time source of everything in the kit that waits: limiters,
// retry back-off, Retry-After pauses, report polling. Inject a
// VirtualClock or FakeClock in tests; RealClock otherwise.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// Sleep waits for d or until ctx ends, whichever comes first, and
	// returns ctx.Err() in the second case. d <= 0 returns ctx.Err() at once.
	Sleep(ctx context.Context, d time.Duration) error
}

// RealClock returns the wall clock.
func RealClock() Clock { return realClock{} }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
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

// orReal returns c, or the real clock when c is nil.
func orReal(c Clock) Clock {
	if c == nil {
		return realClock{}
	}
	return c
}

// virtualStart is the time a VirtualClock or FakeClock starts at when given
// the zero time: Monday 5 January 2026, 09:00 UTC.
func virtualStart() time.Time { return time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC) }

// VirtualClock is a clock for integration tests: Sleep returns at once,
// having moved the clock to the sleeper's wake time (never backwards), so a
// test against an emulator over loopback runs at full speed while limiters,
// back-off and the emulator's own rate limit still count per (virtual)
// window. Time does not pass otherwise: Now only moves when someone sleeps
// or Advance is called. Safe for concurrent use.
//
// Concurrent sleepers of the same duration wake at the same virtual time;
// a limiter serialises its waiters, so its releases stay spaced.
type VirtualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewVirtualClock returns a VirtualClock at start (5 January 2026 09:00 UTC when zero).
func NewVirtualClock(start time.Time) *VirtualClock {
	if start.IsZero() {
		start = virtualStart()
	}
	return &VirtualClock{now: start}
}

// Now returns the virtual time.
func (c *VirtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep moves the clock to now+d (if that is later than the clock) and
// returns at once; it returns ctx.Err() without moving when ctx has ended.
func (c *VirtualClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil || d <= 0 {
		return err
	}
	c.Advance(d)
	return nil
}

// Advance moves the clock forward by d (d <= 0 does nothing).
func (c *VirtualClock) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// FakeClock is a manual clock for unit tests: Sleep blocks until Advance
// (or Set) moves the clock past the sleeper's wake time, or its context
// ends. WaitForSleepers lets a test wait until goroutines are parked.
// Safe for concurrent use.
type FakeClock struct {
	mu       sync.Mutex
	now      time.Time
	sleepers []*fakeSleeper
	changed  chan struct{} // closed and replaced when sleepers change
}

type fakeSleeper struct {
	wake time.Time
	done chan struct{}
}

// NewFakeClock returns a FakeClock at start (5 January 2026 09:00 UTC when zero).
func NewFakeClock(start time.Time) *FakeClock {
	if start.IsZero() {
		start = virtualStart()
	}
	return &FakeClock{now: start, changed: make(chan struct{})}
}

// Now returns the clock's time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep blocks until the clock reaches now+d or ctx ends.
func (c *FakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil || d <= 0 {
		return err
	}
	c.mu.Lock()
	s := &fakeSleeper{wake: c.now.Add(d), done: make(chan struct{})}
	c.sleepers = append(c.sleepers, s)
	c.notifyLocked()
	c.mu.Unlock()
	select {
	case <-s.done:
		return nil
	case <-ctx.Done():
		c.mu.Lock()
		for i, o := range c.sleepers {
			if o == s {
				c.sleepers = append(c.sleepers[:i], c.sleepers[i+1:]...)
				c.notifyLocked()
				break
			}
		}
		c.mu.Unlock()
		return ctx.Err()
	}
}

// Advance moves the clock forward by d and wakes the sleepers due.
func (c *FakeClock) Advance(d time.Duration) { c.Set(c.Now().Add(d)) }

// Set moves the clock to t (if later) and wakes the sleepers due.
func (c *FakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.now) {
		c.now = t
	}
	kept := c.sleepers[:0]
	for _, s := range c.sleepers {
		if !s.wake.After(c.now) {
			close(s.done)
			continue
		}
		kept = append(kept, s)
	}
	c.sleepers = kept
	c.notifyLocked()
}

// Sleepers returns how many goroutines are sleeping on the clock.
func (c *FakeClock) Sleepers() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.sleepers)
}

// WaitForSleepers blocks until at least n goroutines sleep on the clock, or
// ctx ends.
func (c *FakeClock) WaitForSleepers(ctx context.Context, n int) error {
	for {
		c.mu.Lock()
		if len(c.sleepers) >= n {
			c.mu.Unlock()
			return nil
		}
		ch := c.changed
		c.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (c *FakeClock) notifyLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}
