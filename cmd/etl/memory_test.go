package main

import (
	"runtime"
	"testing"
	"time"
)

func TestMemoryLimitFollowsTheLiveHeap(t *testing.T) {
	for _, tc := range []struct {
		live uint64
		want int64
	}{
		{0, memoryFloor},
		{30 << 20, memoryFloor},
		{memoryFloor / 2, memoryFloor},
		{memoryFloor * 7 / 10, memoryFloor * 14 / 10},
		{500 << 20, 1000 << 20},
		{1 << 63, 1 << 62},
	} {
		if got := memoryLimit(tc.live); got != tc.want {
			t.Errorf("memoryLimit(%d) = %d, want %d", tc.live, got, tc.want)
		}
	}
}

func TestAfterEachGCRunsAgainAndAgain(t *testing.T) {
	calls := make(chan struct{}, 100)
	afterEachGC(func() {
		select {
		case calls <- struct{}{}:
		default:
		}
	})
	for range 3 {
		runtime.GC()
		select {
		case <-calls:
		case <-time.After(10 * time.Second): // a bound for a broken hook, not a timing assert
			t.Fatal("no call after a garbage collection")
		}
	}
}
