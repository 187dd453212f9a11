package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// Batches are short-lived garbage, and collecting often costs a
// conversion a good part of its time (bench/convert.sh). So the collector
// runs when the heap reaches a soft limit, memoryFloor, rather than at
// Go's default of twice the live heap; when a job really holds more than
// 60% of that (the inflow sinks keep documents until Close), the limit is
// twice the live heap, which is Go's default. gcPercent only matters for
// a live heap too small for the limit to be reached first. GOGC and
// GOMEMLIMIT, when set, take precedence.
const (
	gcPercent   = 400
	memoryFloor = 80 << 20
)

// tuneMemory sets the collector as described above.
func tuneMemory(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		l := &memoryLimiter{sample: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}}
		l.adjust()
		afterEachGC(l.adjust)
	}
}

// memoryLimit is the soft memory limit for a live heap of live bytes.
func memoryLimit(live uint64) int64 {
	if live < memoryFloor*6/10 {
		return memoryFloor
	}
	return 2 * int64(min(live, 1<<61))
}

// memoryLimiter follows the live heap with the soft memory limit.
type memoryLimiter struct {
	sample []metrics.Sample
	limit  int64
}

func (l *memoryLimiter) adjust() {
	metrics.Read(l.sample)
	var live uint64
	if l.sample[0].Value.Kind() == metrics.KindUint64 {
		live = l.sample[0].Value.Uint64()
	}
	if limit := memoryLimit(live); limit != l.limit {
		debug.SetMemoryLimit(limit)
		l.limit = limit
	}
}

// gcSentinel is an object whose only purpose is to be collected. It holds
// a pointer so that it is not a tiny allocation, whose cleanups may not
// run.
type gcSentinel struct{ _ *int }

// afterEachGC calls f once after every garbage collection, from the
// runtime's cleanup goroutine: a sentinel nobody references is collected
// by the next cycle, and its cleanup calls f and plants the next one.
func afterEachGC(f func()) {
	runtime.AddCleanup(new(gcSentinel), func(f func()) {
		f()
		afterEachGC(f)
	}, f)
}
