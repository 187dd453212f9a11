package mappings

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/internal/box"
	"github.com/etl-dev/etl/pipeline"
)

// cloneRecords copies records and their values.
func cloneRecords(recs []pipeline.Record) []pipeline.Record {
	out := make([]pipeline.Record, len(recs))
	for i, r := range recs {
		r.Values = append([]any(nil), r.Values...)
		out[i] = r
	}
	return out
}

// checkBatch maps recs with MapBatch, from several goroutines at once, and
// checks that every record gets exactly what Map gives it (values, their
// types and representation, problems, skips). It returns Map's results.
func checkBatch(t *testing.T, m *Mapping, recs []pipeline.Record) []pipeline.Mapped {
	t.Helper()
	want := make([]pipeline.Mapped, len(recs))
	for i, rec := range recs {
		want[i].Row, want[i].Problems, want[i].Skip = m.Map(rec)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var arena box.Arena
			// Batches of every size, so that the arena's slabs fill up
			// and are replaced in the middle of a batch.
			for size := 1 + g; size <= len(recs); size += 37 {
				for start := 0; start < len(recs); start += size {
					// MapBatch may reuse a record's values for its row:
					// each batch gets records of its own.
					batch := cloneRecords(recs[start:min(start+size, len(recs))])
					out := make([]pipeline.Mapped, len(batch))
					// As the runner does once a batch is written, the
					// arena serves the next batch.
					arena.Reset()
					m.MapBatch(batch, out, &arena)
					for i := range out {
						if w := want[start+i]; !reflect.DeepEqual(out[i], w) {
							errs <- fmt.Sprintf("record %d: MapBatch gives\n%#v\nMap gives\n%#v", start+i, out[i], w)
							return
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	return want
}

func TestMapBatchMatchesMap(t *testing.T) {
	t.Parallel()
	m := mustCompile(t, catalogSpec(), catalogColumns())
	bad := []map[string]string{
		{"SKU": "ab"},                              // pattern
		{"SKU": "", "Price": ""},                   // required, null decimal
		{"Product Name": "N/A"},                    // null_if: the default
		{"Product Name": strings.Repeat("x", 200)}, // max_length
		{"Price": "12,5"},                          // decimal comma
		{"Price": "abc", "Cost": "$5000"},          // not a number; the expr rule
		{"Price": "1.999"},                         // more decimals than the scale
		{"Price": "99999999999999999999"},          // too many digits
		{"Price": "-12.50"},                        // below min
		{"Price": "1e3"},                           // exponent: the exact path
		{"Price": "  42 "},                         // spaces
		{"Price": "$0.00"},                         // zero
		{"Cost": "1.23456789"},                     // round: half_up
		{"Cost": "-0.00005"},                       // rounds to zero
		{"Qty": "many"},                            // not an integer
		{"Qty": "1.5"},                             // not whole
		{"Qty": "99999999999999999999"},            // out of range
		{"Qty": "-300"},                            // boxed integer
		{"Qty": "7"},                               // small integer
		{"Active": "maybe"},                        // not a bool
		{"Active": "off"},                          // false
		{"Launch": "31/13/2024"},                   // no format fits
		{"Launch": "2024-02-30"},                   // impossible date
		{"Launch": "2024-03-05"},                   // ISO
		{"Updated": "yesterday"},                   // not a timestamp
		{"Updated": "2024-03-05T10:20:30.5+02:00"},
		{"Updated": "2024-03-05T10:20:30.123456789Z"},
		{"Updated": "2024-03-05 10:20"},
		{"Updated": "2024-03-05T24:00:00Z"}, // hour out of range
		{"Category": "Widgets"},             // enum
		{"Category": "footwear"},            // enum, case
		{"Status": "discontinued"},          // skip_if
		{"Status": "discontinued", "Price": "abc"},
	}
	var recs []pipeline.Record
	for i := range 600 {
		cells := goodCells()
		cells["SKU"] = fmt.Sprintf("sku-%d", i)
		for k, v := range bad[i%len(bad)] {
			if i%(2*len(bad)) < len(bad) {
				cells[k] = v
			}
		}
		rec := catalogRecord(i+2, cells)
		switch i % 50 {
		case 7:
			rec.Problems = []pipeline.Problem{{Origin: rec.Origin, Rule: "ragged", Message: "the row has 3 cells, the header 10"}}
		case 11:
			rec.Values = rec.Values[:3] // short record
		}
		recs = append(recs, rec)
	}
	want := checkBatch(t, m, recs)
	var written, rejected, skipped int
	for _, w := range want {
		switch {
		case w.Skip:
			skipped++
		case len(w.Problems) > 0:
			rejected++
		default:
			written++
		}
	}
	if written < 100 || rejected < 100 || skipped < 10 {
		t.Fatalf("the batch has %d good rows, %d rejected and %d skipped: it checks too little", written, rejected, skipped)
	}
}

func TestMapBatchConvert(t *testing.T) {
	t.Parallel()
	cols, recs := catalogBatch(t, 700)
	m := mustCompile(t, convertSpec(), cols)
	for i := range recs {
		if i%5 != 0 {
			continue
		}
		// Bad cells of every type among the good rows.
		col := []int{0, 4, 5, 7, 8, 9}[i/5%6]
		vals := append([]any(nil), recs[i].Values...)
		vals[col] = []string{"SKU-12", "12.345", "abc", "-4", "maybe", "2026-13-01T00:00:00Z"}[i/5%6]
		recs[i].Values = vals
	}
	want := checkBatch(t, m, recs)
	if w := want[1]; len(w.Problems) > 0 || len(w.Row.Values) != 10 {
		t.Fatalf("record 1: %+v", w)
	}
	for i, rule := range []string{"pattern", "type", "type", "min", "type", "type"} {
		if w := want[5*i]; len(w.Problems) != 1 || w.Problems[0].Rule != rule {
			t.Fatalf("record %d: %+v, want a problem %s", 5*i, w, rule)
		}
	}
}

func TestMapBatchTypedSource(t *testing.T) {
	t.Parallel()
	cols := []pipeline.Column{
		{Name: "id", Type: pipeline.TypeInteger}, {Name: "price", Type: pipeline.TypeFloat},
		{Name: "cost", Type: pipeline.TypeDecimal}, {Name: "active", Type: pipeline.TypeBool},
		{Name: "updated", Type: pipeline.TypeTimestamp}, {Name: "blob", Type: pipeline.TypeBytes},
		{Name: "note"},
	}
	spec := Spec{Fields: []FieldSpec{
		{Name: "id", From: "id", Type: "integer"},
		{Name: "id_text", From: "id"},
		{Name: "id_f", From: "id", Type: "float"},
		{Name: "id_dec", From: "id", Type: "decimal"},
		{Name: "price", From: "price", Type: "decimal", Round: "half_up"},
		{Name: "price_f", From: "price", Type: "float"},
		{Name: "price_i", From: "price", Type: "integer"},
		{Name: "cost", From: "cost", Type: "decimal", Scale: ptr(3), Round: "half_up"},
		{Name: "cost_f", From: "cost", Type: "float"},
		{Name: "active", From: "active", Type: "bool"},
		{Name: "updated", From: "updated", Type: "timestamp"},
		{Name: "day", From: "updated", Type: "date", Timezone: "Europe/Berlin"},
		{Name: "blob", From: "blob", Type: "bytes"},
		{Name: "note", From: "note", Case: "upper", Default: sc("none")},
		{Name: "per_unit", Expr: `src["price"] == nil ? nil : src["price"] / 2`, Type: "decimal", Round: "half_even"},
		{Name: "n", Expr: `id == nil ? nil : id * 1000`, Type: "integer"},
	}}
	m := mustCompile(t, spec, cols)
	est := time.FixedZone("EST", -5*3600)
	var recs []pipeline.Record
	for i := range 300 {
		vals := []any{int64(i * 1000), float64(i) + 0.25, dec(fmt.Sprintf("%d.23456", i)), i%2 == 0,
			time.Date(2024, 3, 5, i%24, 30, 0, 0, est), []byte{byte(i)}, fmt.Sprintf("note %d", i)}
		switch i % 7 {
		case 1:
			vals = make([]any, len(cols)) // all null
		case 2:
			vals[0], vals[1] = 42, float32(2.5) // other Go kinds
		case 3:
			vals[1] = 1e300 // out of range for an integer
		case 4:
			vals[4] = time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)
		case 5:
			vals[6] = "NOTE"
		}
		recs = append(recs, pipeline.Record{Origin: pipeline.Origin{Row: i + 1}, Values: vals})
	}
	checkBatch(t, m, recs)
}

func TestMapBatchIdentity(t *testing.T) {
	t.Parallel()
	cols, recs := catalogBatch(t, 500)
	m := mustCompile(t, Identity(cols), cols)
	recs[3].Values[2] = "  spaces kept  "
	recs[4].Values[5] = ""
	want := checkBatch(t, m, recs)
	if got := want[3].Row.Values[2]; got != "  spaces kept  " {
		t.Fatalf("identity mapping changed %q into %q", "  spaces kept  ", got)
	}
}

// TestDecimalBounds checks min and max on decimal fields, which compare
// values of the field's exponent with bounds rescaled to it (atScale), at
// and around bounds of every shape, and on a round: down field, whose
// values keep the text's exponent.
func TestDecimalBounds(t *testing.T) {
	t.Parallel()
	values := []string{"-1000000.01", "-1000000", "-5", "-0.01", "0", "0.004", "0.005", "0.01", "0.1", "1", "1.5", "2.25", "999999.99", "1000000", "1000000.01", "1e6"}
	bounds := []string{"0", "-5", "0.005", "0.01", "1.5", "1.50", "2.251", "1000000", "-1000000.01", "1e6", "12345678901234567890"}
	for _, round := range []string{"half_up", "down"} {
		for _, scale := range []int{0, 2, 3} {
			for _, lo := range bounds {
				for _, hi := range bounds {
					if dec(lo).GreaterThan(dec(hi)) {
						continue
					}
					spec := Spec{
						Fields: []FieldSpec{{Name: "f", From: "in", Type: "decimal", Precision: ptr(30), Scale: ptr(scale), Round: round}},
						Rules:  []RuleSpec{{Field: "f", Min: sc(lo), Max: sc(hi)}},
					}
					m := mustCompile(t, spec, []pipeline.Column{{Name: "in", Ref: "A"}})
					for _, s := range values {
						row, probs, _ := m.Map(pipeline.Record{Values: []any{s}})
						var v decimal.Decimal
						if len(probs) == 0 {
							v = row.Values[0].(decimal.Decimal)
						} else if probs[0].Rule == "type" {
							t.Fatalf("%s: %v", s, probs)
						} else {
							v, _ = coerceDecimal(t, m, s)
						}
						var want []string
						if v.LessThan(dec(lo)) {
							want = append(want, "min")
						}
						if v.GreaterThan(dec(hi)) {
							want = append(want, "max")
						}
						var got []string
						for _, p := range probs {
							got = append(got, p.Rule)
						}
						if !reflect.DeepEqual(got, want) {
							t.Fatalf("decimal(30,%d) round %s, min %s max %s: %s (%s) breaks %v, want %v", scale, round, lo, hi, s, v, got, want)
						}
					}
				}
			}
		}
	}
}

// coerceDecimal is the value of text s in m's one decimal field.
func coerceDecimal(t *testing.T, m *Mapping, s string) (decimal.Decimal, string) {
	t.Helper()
	v, msg := m.fields[0].co.coerce(s, nil)
	if msg != "" {
		t.Fatalf("%s: %s", s, msg)
	}
	return v.(decimal.Decimal), msg
}
