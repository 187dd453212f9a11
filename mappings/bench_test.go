package mappings

import (
	"testing"

	"github.com/etl-dev/etl/pipeline"
)

// BenchmarkMap maps a typical catalog row: 10 fields (text, decimals with
// strip, integer, bool, date, timestamp, a computed field), a skip_if on
// src and five rules (required, pattern, min/max, enum, lengths, expr).
func BenchmarkMap(b *testing.B) {
	m := mustCompile(b, catalogSpec(), catalogColumns())
	rec := catalogRecord(2, goodCells())
	b.ReportAllocs()
	for b.Loop() {
		if _, probs, skip := m.Map(rec); len(probs) > 0 || skip {
			b.Fatal(probs)
		}
	}
}

// BenchmarkMapParallel is BenchmarkMap from GOMAXPROCS goroutines.
func BenchmarkMapParallel(b *testing.B) {
	m := mustCompile(b, catalogSpec(), catalogColumns())
	rec := catalogRecord(2, goodCells())
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m.Map(rec)
		}
	})
}

// BenchmarkMapRejected maps a row with several bad cells.
func BenchmarkMapRejected(b *testing.B) {
	m := mustCompile(b, catalogSpec(), catalogColumns())
	cells := goodCells()
	cells["Price"], cells["Qty"], cells["Category"] = "12,5", "many", "Widgets"
	rec := catalogRecord(2, cells)
	b.ReportAllocs()
	for b.Loop() {
		m.Map(rec)
	}
}

// BenchmarkUnique runs the ordered uniqueness check over distinct SKUs.
func BenchmarkUnique(b *testing.B) {
	m := mustCompile(b, catalogSpec(), catalogColumns())
	check := m.OrderedCheck()
	row := pipeline.Row{Values: make([]any, len(m.fields))}
	keys := make([]string, 1<<16)
	for i := range keys {
		keys[i] = "SKU-" + string(rune('A'+i%26)) + string(rune('A'+i/26%26)) + string(rune('A'+i/676%26))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		row.Values[0] = keys[i%len(keys)]
		row.Origin.Row = i
		check.Check(row)
		i++
	}
}
