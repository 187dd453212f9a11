package mappings

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/etl-dev/etl/bench/catalog"
	"github.com/etl-dev/etl/internal/box"
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

// convertSpec is the mapping and rules of bench/convert.yaml.
func convertSpec() Spec {
	typed := map[string]FieldSpec{
		"price":    {Type: "decimal", Scale: ptr(2)},
		"cost":     {Type: "decimal", Scale: ptr(2)},
		"quantity": {Type: "integer"},
		"active":   {Type: "bool"},
		"updated":  {Type: "timestamp"},
	}
	var spec Spec
	for _, name := range []string{"sku", "name", "description", "category", "price", "cost", "barcode", "quantity", "active", "updated"} {
		fs := typed[name]
		fs.Name, fs.From = name, name
		spec.Fields = append(spec.Fields, fs)
	}
	spec.Rules = []RuleSpec{
		{Field: "sku", Required: true, Pattern: `^SKU-[0-9]{7}$`},
		{Field: "price", Required: true, Min: sc("0")},
		{Field: "quantity", Min: sc("0")},
	}
	return spec
}

// catalogBatch is a batch of n records of the benchmark catalog
// (bench/catalog), as the CSV source gives them, and its columns.
func catalogBatch(tb testing.TB, n int) ([]pipeline.Column, []pipeline.Record) {
	tb.Helper()
	var buf bytes.Buffer
	if err := catalog.Write(&buf, n); err != nil {
		tb.Fatal(err)
	}
	lines, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	cols := make([]pipeline.Column, len(lines[0]))
	for i, name := range lines[0] {
		cols[i] = pipeline.Column{Name: name, Ref: pipeline.ColumnLetters(i)}
	}
	recs := make([]pipeline.Record, n)
	for i, line := range lines[1:] {
		vals := make([]any, len(line))
		for j, s := range line {
			vals[j] = s
		}
		recs[i] = pipeline.Record{Origin: pipeline.Origin{File: "catalog.csv", Row: i + 2, Line: i + 2}, Values: vals}
	}
	return cols, recs
}

// benchMapBatch maps recs with m again and again as the runner maps a
// batch: from an arena that served the batch before, and from records of
// their own, whose values MapBatch reuses for the rows (so each round
// starts from a copy of the values as read). It reports ns/row; ns/op and
// allocs/op are per batch.
func benchMapBatch(b *testing.B, m *Mapping, recs []pipeline.Record) {
	out := make([]pipeline.Mapped, len(recs))
	batch := cloneRecords(recs)
	var arena box.Arena
	b.ReportAllocs()
	for b.Loop() {
		for i := range recs {
			copy(batch[i].Values, recs[i].Values)
		}
		arena.Reset()
		m.MapBatch(batch, out, &arena)
	}
	for _, o := range out {
		if len(o.Problems) > 0 || o.Skip {
			b.Fatal(o.Problems)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(recs)), "ns/row")
}

// BenchmarkMapBatch maps batches of 2000 catalog rows with the mapping and
// rules of bench/convert.yaml, as the runner does; ns/op and allocs/op
// are per batch.
func BenchmarkMapBatch(b *testing.B) {
	cols, recs := catalogBatch(b, 2000)
	benchMapBatch(b, mustCompile(b, convertSpec(), cols), recs)
}

// BenchmarkMapBatchRules maps the batches of BenchmarkMapBatch with the 8
// and 16 rules of bench/convert.sh's rules8 and rules16 jobs.
func BenchmarkMapBatchRules(b *testing.B) {
	cols, recs := catalogBatch(b, 2000)
	rules8 := []RuleSpec{
		{Field: "name", Required: true, MaxLength: ptr(200)},
		{Field: "category", Required: true},
		{Field: "cost", Min: sc("0")},
		{Field: "barcode", Pattern: `^[0-9]{13}$`},
		{Field: "description", MaxLength: ptr(500)},
	}
	rules16 := append(append([]RuleSpec(nil), rules8...),
		RuleSpec{Field: "quantity", Max: sc("1000000")},
		RuleSpec{Field: "price", Max: sc("1000000")},
		RuleSpec{Field: "cost", Max: sc("1000000")},
		RuleSpec{Field: "updated", Min: sc("2020-01-01T00:00:00Z")},
		RuleSpec{Field: "active", Required: true},
		RuleSpec{Field: "barcode", Required: true},
		RuleSpec{Field: "name", MinLength: ptr(1)},
		RuleSpec{Field: "category", Pattern: `^[A-Z]`},
	)
	for _, bc := range []struct {
		name  string
		extra []RuleSpec
	}{{"3", nil}, {"8", rules8}, {"16", rules16}} {
		b.Run(bc.name, func(b *testing.B) {
			spec := convertSpec()
			spec.Rules = append(spec.Rules, bc.extra...)
			benchMapBatch(b, mustCompile(b, spec, cols), recs)
		})
	}
}

// BenchmarkMapConvert is BenchmarkMapBatch one Map call a row.
func BenchmarkMapConvert(b *testing.B) {
	cols, recs := catalogBatch(b, 2000)
	m := mustCompile(b, convertSpec(), cols)
	b.ReportAllocs()
	for b.Loop() {
		for _, rec := range recs {
			m.Map(rec)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(recs)), "ns/row")
}

// BenchmarkMapBatchIdentity is BenchmarkMapBatch with the mapping of a
// job without `mapping:` (every column as text, unchanged).
func BenchmarkMapBatchIdentity(b *testing.B) {
	cols, recs := catalogBatch(b, 2000)
	benchMapBatch(b, mustCompile(b, Identity(cols), cols), recs)
}
