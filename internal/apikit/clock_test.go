package apikit

import (
	"context"
	"testing"
	"time"
)

func TestVirtualClockSleepAdvancesAtOnce(t *testing.T) {
	t.Parallel()
	c := NewVirtualClock(time.Time{})
	t0 := c.Now()
	if err := c.Sleep(context.Background(), time.Hour); err != nil {
		t.Fatal(err)
	}
	if got := c.Now().Sub(t0); got != time.Hour {
		t.Fatalf("slept %v of virtual time, want 1h", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Sleep(ctx, time.Hour); err == nil || c.Now().Sub(t0) != time.Hour {
		t.Fatalf("a canceled sleep must fail without moving the clock: %v %v", err, c.Now().Sub(t0))
	}
}

func TestFakeClockWakesSleepersOnAdvance(t *testing.T) {
	t.Parallel()
	c := NewFakeClock(time.Time{})
	done := make(chan error, 1)
	go func() { done <- c.Sleep(context.Background(), 10*time.Second) }()
	if err := c.WaitForSleepers(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	c.Advance(9 * time.Second)
	select {
	case <-done:
		t.Fatal("woke before its time")
	default:
	}
	if c.Sleepers() != 1 {
		t.Fatalf("sleepers %d", c.Sleepers())
	}
	c.Advance(time.Second)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { done <- c.Sleep(ctx, time.Minute) }()
	if err := c.WaitForSleepers(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; err == nil {
		t.Fatal("a canceled sleep returned nil")
	}
	if c.Sleepers() != 0 {
		t.Fatalf("a canceled sleeper stays registered")
	}
}
