package inspect

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/etl-dev/etl/pipeline"
)

func TestClassify(t *testing.T) {
	const (
		I = 1 << kInteger
		D = 1 << kDecimal
		F = 1 << kFloat
		B = 1 << kBool
		T = 1 << kTimestamp
		A = 1 << kDate
	)
	tests := []struct {
		in    string
		want  kindSet
		scale int
	}{
		{"0", I | D | F | B, 0},
		{"1", I | D | F | B, 0},
		{"42", I | D | F, 0},
		{"-3", I | D | F, 0},
		{"+7", I | D | F, 0},
		{"007", 0, 0},                   // leading zero: an identifier
		{"0614141100019", 0, 0},         // barcode with a leading zero
		{"4006381102407", I | D | F, 0}, // 13 digits fit in 64 bits
		{"99999999999999999999", D | F, 0},
		{"24.99", D | F, 2},
		{"0.5", D | F, 1},
		{".5", D | F, 1},
		{"-12.3456", D | F, 4},
		{"12.", D | F, 0},
		{"24,99", 0, 0},
		{"1,250.00", 0, 0},
		{"$24.99", 0, 0},
		{"1e3", F, 0},
		{"-1.5E-3", F, 0},
		{"1e", 0, 0},
		{"-", 0, 0},
		{".", 0, 0},
		{"yes", B, 0},
		{"No", B, 0},
		{"TRUE", B, 0},
		{"y", B, 0},
		{"maybe", 0, 0},
		{"2024-03-15", A | T, 0},
		{"2026-02-30", 0, 0},
		{"2024-3-15", 0, 0},
		{"2024-03-15T10:30:00", T, 0},
		{"2024-03-15 10:30", T, 0},
		{"2024-03-15T10:30:00.123Z", T, 0},
		{"2024-03-15T10:30:00+02:00", T, 0},
		{"2024-03-15T25:30:00", 0, 0},
		{"03/15/2024", 0, 0},
		{"TEE-TRL-BLK-M", 0, 0},
	}
	for _, tt := range tests {
		got, scale := classify(tt.in)
		if got != tt.want || scale != tt.scale {
			t.Errorf("classify(%q) = %06b, %d; want %06b, %d", tt.in, got, scale, tt.want, tt.scale)
		}
	}
}

// memSource is a Source over rows in memory.
type memSource struct {
	cols []pipeline.Column
	rows [][]any
	i    int
}

func (m *memSource) Columns() []pipeline.Column { return m.cols }
func (m *memSource) Close() error               { return nil }
func (m *memSource) Next(ctx context.Context) (pipeline.Record, error) {
	if m.i >= len(m.rows) {
		return pipeline.Record{}, io.EOF
	}
	m.i++
	return pipeline.Record{Origin: pipeline.Origin{File: "mem", Row: m.i + 1}, Values: m.rows[m.i-1]}, nil
}

func TestTypedColumns(t *testing.T) {
	day := time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC)
	src := &memSource{
		cols: []pipeline.Column{
			{Name: "id", Type: pipeline.TypeInteger},
			{Name: "when", Type: pipeline.TypeDate},
			{Name: "code", Type: pipeline.TypeString},
		},
		rows: [][]any{
			{int64(1), day, "007"},
			{int64(2), nil, "008"},
			{int64(3), day.AddDate(0, 0, 1), nil},
		},
	}
	r := &Report{Format: "parquet"}
	if err := (Options{SampleRows: 2}).read(context.Background(), src, r); err != nil {
		t.Fatal(err)
	}
	if r.Rows != 3 || len(r.Sample) != 2 {
		t.Fatalf("rows %d, sample %d", r.Rows, len(r.Sample))
	}
	want := []struct {
		typ   pipeline.Type
		nulls int
	}{{pipeline.TypeInteger, 0}, {pipeline.TypeDate, 1}, {pipeline.TypeString, 1}}
	for i, w := range want {
		c := r.Columns[i]
		if c.Type != w.typ || c.Suggested != w.typ || c.Nulls != w.nulls || c.Nullable != (w.nulls > 0) {
			t.Errorf("%s: type %v/%v nulls %d; want %v, %d", c.Name, c.Type, c.Suggested, c.Nulls, w.typ, w.nulls)
		}
		if c.Ref != "" {
			t.Errorf("%s: parquet column has ref %q", c.Name, c.Ref)
		}
	}
	if got := r.Sample[0]; strings.Join(got, ",") != "1,2024-03-15,007" {
		t.Errorf("sample row = %q", got)
	}
}

func TestMaxRows(t *testing.T) {
	src := &memSource{cols: []pipeline.Column{{Name: "n"}}}
	for range 10 {
		src.rows = append(src.rows, []any{"1"})
	}
	r := &Report{}
	if err := (Options{MaxRows: 4}).read(context.Background(), src, r); err != nil {
		t.Fatal(err)
	}
	if r.Rows != 4 || !r.RowsCapped {
		t.Errorf("rows %d capped %v; want 4 true", r.Rows, r.RowsCapped)
	}
	src.i = 0
	r = &Report{}
	if err := (Options{MaxRows: 10}).read(context.Background(), src, r); err != nil {
		t.Fatal(err)
	}
	if r.Rows != 10 || r.RowsCapped {
		t.Errorf("rows %d capped %v; want 10 false", r.Rows, r.RowsCapped)
	}
}

func TestProblemRowsLeftOut(t *testing.T) {
	src := &problemSource{}
	r := &Report{}
	if err := (Options{}).read(context.Background(), src, r); err != nil {
		t.Fatal(err)
	}
	if r.Rows != 3 || r.ProblemRows != 1 || len(r.Problems) != 1 {
		t.Fatalf("rows %d, problem rows %d, problems %d", r.Rows, r.ProblemRows, len(r.Problems))
	}
	if c := r.Columns[0]; c.Type != pipeline.TypeInteger || c.Nulls != 0 {
		t.Errorf("column: %v, %d nulls; the ragged row should not count", c.Type, c.Nulls)
	}
}

type problemSource struct{ i int }

func (p *problemSource) Columns() []pipeline.Column {
	return []pipeline.Column{{Name: "a", Ref: "A"}, {Name: "b", Ref: "B"}}
}
func (p *problemSource) Close() error { return nil }
func (p *problemSource) Next(context.Context) (pipeline.Record, error) {
	p.i++
	o := pipeline.Origin{File: "x.csv", Row: p.i + 1}
	switch p.i {
	case 1, 3:
		return pipeline.Record{Origin: o, Values: []any{"1", "x"}}, nil
	case 2:
		return pipeline.Record{Origin: o, Values: []any{"oops", nil}, Problems: []pipeline.Problem{
			{Origin: o, Rule: "ragged", Message: "row has 1 field, the header 2"}}}, nil
	}
	return pipeline.Record{}, io.EOF
}

func TestColumnJSON(t *testing.T) {
	c := ColumnInfo{Name: "Price", Ref: "E", Type: pipeline.TypeString, Suggested: pipeline.TypeDecimal,
		OutlierCount: 1, Outliers: []string{"24,99"}, MaxScale: 2, MaxLen: 6, Examples: []string{"24.99"}}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"type":"string"`) || !strings.Contains(string(b), `"suggested":"decimal"`) {
		t.Errorf("json = %s", b)
	}
	var back ColumnInfo
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Type != c.Type || back.Suggested != c.Suggested || back.Outliers[0] != "24,99" || back.MaxScale != 2 {
		t.Errorf("round trip: %+v", back)
	}
}

func TestSnake(t *testing.T) {
	for in, want := range map[string]string{
		"Launch Date":      "launch_date",
		"UnitPrice":        "unit_price",
		"Lead Time (days)": "lead_time_days",
		"State/Region":     "state_region",
		"SKU":              "sku",
		"ProductSKU":       "product_sku",
		"HTMLBody":         "html_body",
		"2024 Sales":       "col_2024_sales",
		"  Größe ":         "grosse",
		"Café Prix":        "cafe_prix",
		"Цена":             "",
		"item_code":        "item_code",
		"Qty#":             "qty",
		"%":                "",
	} {
		if got := snake(in); got != want {
			t.Errorf("snake(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestYAMLScalar(t *testing.T) {
	for in, want := range map[string]string{
		"SKU":              "SKU",
		"Launch Date":      "Launch Date",
		"State/Region":     "State/Region",
		"Price: USD":       `"Price: USD"`,
		"Qty #":            `"Qty #"`,
		`Say "hi"`:         `"Say \"hi\""`,
		"yes":              `"yes"`,
		"On":               `"On"`,
		"2024":             `"2024"`,
		"":                 `""`,
		"a  b":             `"a  b"`,
		"trailing ":        `"trailing "`,
		"Women's":          `"Women's"`,
		"Price, retail":    `"Price, retail"`,
		"[x]":              `"[x]"`,
		"$€£¥ ":            `"$€£¥ "`,
		"../samples/x.csv": "../samples/x.csv",
		"/data/x.csv":      "/data/x.csv",
		"..":               `".."`,
		"-x":               `"-x"`,
	} {
		if got := yamlScalar(in); got != want {
			t.Errorf("yamlScalar(%q) = %s; want %s", in, got, want)
		}
	}
}
