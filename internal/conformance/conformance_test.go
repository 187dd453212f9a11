package conformance

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/pipeline"
)

func TestCallsFindsTypeLiterals(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{
		"a/a_test.go": `package a
func TestX(t *testing.T) {
	conformance.RunSink(t, conformance.SinkOptions{Type: "csv", New: nil})
	conformance.RunSource(t, conformance.SourceOptions{New: nil, Type: "xlsx"})
	_ = other.SinkOptions{Type: "not-this"}
}`,
		"b/b.go":                  `package b; var _ = conformance.SinkOptions{Type: "not-a-test-file"}`,
		"testdata/x_test.go":      `package x; var _ = conformance.SinkOptions{Type: "in-testdata"}`,
		"c/dynamic_test.go":       `package c; var _ = conformance.SinkOptions{Type: name}`,
		".hidden/hidden_test.go":  `package h; var _ = conformance.SinkOptions{Type: "hidden"}`,
		"d/deeper/deeper_test.go": "package d\nvar _ = conformance.SinkOptions{Type: `raw`}",
	}
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Calls(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"sink csv":    filepath.Join("a", "a_test.go"),
		"source xlsx": filepath.Join("a", "a_test.go"),
		"sink raw":    filepath.Join("d", "deeper", "deeper_test.go"),
	}
	if len(got) != len(want) {
		t.Errorf("Calls = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("Calls[%q] = %q, want %q", k, got[k], v)
		}
	}
}

func TestTextIsCanonical(t *testing.T) {
	t.Parallel()
	dec := pipeline.Field{Type: pipeline.TypeDecimal, Scale: 2}
	ts := pipeline.Field{Type: pipeline.TypeTimestamp}
	date := pipeline.Field{Type: pipeline.TypeDate}
	for _, c := range []struct {
		f    pipeline.Field
		a, b any
	}{
		{dec, decimal.RequireFromString("19.90"), "19.9"},
		{dec, decimal.RequireFromString("1000.5"), "1,000.50"},
		{dec, decimal.RequireFromString("12.00"), int64(12)},
		{ts, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), "2026-01-02 03:04:05"},
		{ts, time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600)), "2026-01-02T02:04:05Z"},
		{date, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), "2024-02-29"},
		{pipeline.Field{Type: pipeline.TypeBool}, true, "TRUE"},
		{pipeline.Field{Type: pipeline.TypeBytes}, []byte{0xab}, "AB"},
		{pipeline.Field{Type: pipeline.TypeFloat}, 1e300, "1E+300"},
		{pipeline.Field{Type: pipeline.TypeInteger}, nil, ""},
	} {
		if x, y := Text(c.f, c.a), Text(c.f, c.b); x != y {
			t.Errorf("%s: Text(%#v) = %q but Text(%#v) = %q", c.f.Type, c.a, x, c.b, y)
		}
	}
	if Text(dec, "19.91") == Text(dec, "19.9") {
		t.Error("different decimals read the same")
	}
}
