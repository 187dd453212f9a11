package sinks

import (
	"archive/zip"
	"context"
	"errors"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/etl-dev/etl/pipeline"
)

func openXLSX(t *testing.T, path string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("excelize.OpenFile: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// readXLSX reads a sheet's raw cell values (numbers unformatted).
func readXLSX(t *testing.T, path, sheet string) [][]string {
	t.Helper()
	rows, err := openXLSX(t, path).GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func writeXLSX(t *testing.T, cfg *XLSXConfig, schema pipeline.Schema, rows []pipeline.Row) string {
	t.Helper()
	dir := t.TempDir()
	cfg.Path = "out.xlsx"
	writeAll(t, openSink(t, cfg, dir, schema), rows, 3)
	return filepath.Join(dir, "out.xlsx")
}

// cellInfo is what a test checks of one cell.
type cellInfo struct {
	value       string // formatted as Excel shows it
	typ         excelize.CellType
	numFmt      string // custom number format, or "" for none
	quotePrefix bool
	bold        bool
}

func cellOf(t *testing.T, f *excelize.File, sheet, ref string) cellInfo {
	t.Helper()
	var c cellInfo
	var err error
	if c.value, err = f.GetCellValue(sheet, ref); err != nil {
		t.Fatal(err)
	}
	if formula, _ := f.GetCellFormula(sheet, ref); formula != "" {
		t.Errorf("cell %s holds formula %q", ref, formula)
	}
	c.typ, _ = f.GetCellType(sheet, ref)
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt != nil {
		c.numFmt = *st.CustomNumFmt
	} else if st.NumFmt != 0 {
		c.numFmt = "#" + strconv.Itoa(st.NumFmt)
	}
	c.bold = st.Font != nil && st.Font.Bold
	if xf := f.Styles.CellXfs.Xf[id]; xf.QuotePrefix != nil && *xf.QuotePrefix {
		c.quotePrefix = true
	}
	return c
}

func TestXLSXRoundTrip(t *testing.T) {
	t.Parallel()
	path := writeXLSX(t, NewXLSXConfig(), testSchema, testRows())
	f := openXLSX(t, path)
	if got := f.GetSheetList(); len(got) != 1 || got[0] != "Sheet1" {
		t.Fatalf("sheets %v", got)
	}
	const (
		text = excelize.CellTypeInlineString
		num  = excelize.CellTypeUnset // numbers carry no type attribute
		bl   = excelize.CellTypeBool
	)
	want := map[string]cellInfo{
		"A1": {value: "sku", typ: text, bold: true},
		"J1": {value: "cost", typ: text, bold: true},
		"A2": {value: "A-1", typ: text},
		"B2": {value: "12", typ: num, numFmt: "#1"},
		"C2": {value: "1.5", typ: num},
		"D2": {value: "19.99", typ: num, numFmt: "#,##0.00"},
		"E2": {value: "TRUE", typ: bl},
		"F2": {value: "2024-02-29", typ: num, numFmt: "yyyy-mm-dd"},
		"G2": {value: "2026-11-23 14:05:00", typ: num, numFmt: "yyyy-mm-dd hh:mm:ss"},
		"H2": {value: "0001fe", typ: text},
		// 24 digits: more than Excel keeps, so exact text.
		"I2": {value: "12345678901234567890.1234", typ: text},
		"J2": {value: "-1,234.5", typ: num, numFmt: "#,##0.0"},
		"A3": {value: "", typ: text},
		"B3": {value: "", typ: excelize.CellTypeUnset},
		"D3": {value: "0.00", typ: num, numFmt: "#,##0.00"},
		"A4": {value: "=cmd|' /C calc'!A0", typ: text, numFmt: "#49", quotePrefix: true},
		"B4": {value: "-9223372036854775808", typ: text},
		"D4": {value: "-9,999,999,999.99", typ: num, numFmt: "#,##0.00"},
		"E4": {value: "FALSE", typ: bl},
		"F4": {value: "1969-12-31", typ: num, numFmt: "yyyy-mm-dd"},
		"G4": {value: "1960-01-02 03:04:05", typ: num, numFmt: "yyyy-mm-dd hh:mm:ss"},
		"J4": {value: "1.0", typ: num, numFmt: "#,##0.0"},
		"A5": {value: "naïve “quotes”, commas\nand lines", typ: text},
		"F5": {value: "2200-01-01", typ: num, numFmt: "yyyy-mm-dd"},
	}
	for ref, w := range want {
		if got := cellOf(t, f, "Sheet1", ref); got != w {
			t.Errorf("%s: got %+v\n    want %+v", ref, got, w)
		}
	}
	panes, err := f.GetPanes("Sheet1")
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes %+v, %v: want the header row frozen", panes, err)
	}
	for _, col := range []string{"A", "B", "F", "G", "I"} {
		w, _ := f.GetColWidth("Sheet1", col)
		if w < 8 || w > 60 {
			t.Errorf("column %s width %v", col, w)
		}
	}
	if w, _ := f.GetColWidth("Sheet1", "I"); w < 25 {
		t.Errorf("column I width %v: too narrow for its 25-character values", w)
	}
}

// TestXLSXNeutralize: strings are never formulas; with neutralization, the
// formula-like ones get Excel's quote prefix and keep their text.
func TestXLSXNeutralize(t *testing.T) {
	t.Parallel()
	schema := pipeline.Schema{
		{Name: "text", Type: pipeline.TypeString},
		{Name: "int", Type: pipeline.TypeInteger},
	}
	cases := []struct {
		in     string
		prefix bool
	}{
		{"=1+1", true}, {"+1", true}, {"-1", true}, {"@SUM(A1)", true}, {"\tx", true}, {"\rx", true},
		{"=HYPERLINK(\"http://x\",\"y\")", true}, {"plain", false}, {"a=b", false}, {"'x", false},
	}
	for _, on := range []bool{true, false} {
		var rows []pipeline.Row
		for _, c := range cases {
			rows = append(rows, pipeline.Row{Values: []any{c.in, int64(-5)}})
		}
		cfg := NewXLSXConfig()
		cfg.NeutralizeFormulas = on
		path := writeXLSX(t, cfg, schema, rows)
		f := openXLSX(t, path)
		raw := readXLSX(t, path, "Sheet1")
		for i, c := range cases {
			ref := "A" + strconv.Itoa(i+2)
			got := cellOf(t, f, "Sheet1", ref)
			if raw[i+1][0] != c.in || got.typ != excelize.CellTypeInlineString {
				t.Errorf("neutralize %v: %q written as %q (type %v)", on, c.in, raw[i+1][0], got.typ)
			}
			if got.quotePrefix != (on && c.prefix) {
				t.Errorf("neutralize %v: %q has quote prefix %v", on, c.in, got.quotePrefix)
			}
			if n := cellOf(t, f, "Sheet1", "B"+strconv.Itoa(i+2)); n.value != "-5" || n.quotePrefix {
				t.Errorf("number cell %+v", n)
			}
		}
		styles := zipEntry(t, path, "xl/styles.xml")
		if !strings.Contains(styles, `quotePrefix="true"`) {
			t.Errorf("styles.xml has no quote-prefix cell format")
		}
		sheet := zipEntry(t, path, "xl/worksheets/sheet1.xml")
		if strings.Contains(sheet, "<f>") {
			t.Errorf("sheet holds a formula")
		}
	}
}

func zipEntry(t *testing.T, path, name string) string {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	r, err := z.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestXLSXSheet(t *testing.T) {
	t.Parallel()
	cfg := NewXLSXConfig()
	cfg.Sheet = "Products 2026"
	path := writeXLSX(t, cfg, testSchema, testRows())
	if got := openXLSX(t, path).GetSheetList(); len(got) != 1 || got[0] != "Products 2026" {
		t.Errorf("sheets %v", got)
	}
	if rows := readXLSX(t, path, "Products 2026"); len(rows) != 5 {
		t.Errorf("%d rows", len(rows))
	}
	for _, bad := range []string{"a/b", "x[1]", strings.Repeat("s", 32)} {
		cfg := NewXLSXConfig()
		cfg.Path = "x.xlsx"
		cfg.Sheet = bad
		_, err := cfg.Open(context.Background(), pipeline.Env{BaseDir: t.TempDir()}, testSchema)
		if err == nil || !strings.Contains(err.Error(), "sheet") {
			t.Errorf("sheet %q: %v", bad, err)
		}
	}
}

// TestXLSXEmpty: a run with no rows still gives a workbook with its header.
func TestXLSXEmpty(t *testing.T) {
	t.Parallel()
	rows := readXLSX(t, writeXLSX(t, NewXLSXConfig(), testSchema, nil), "Sheet1")
	if len(rows) != 1 || rows[0][0] != "sku" {
		t.Errorf("rows %q", rows)
	}
}

// TestXLSXManyRows crosses the sampling threshold and checks order.
func TestXLSXManyRows(t *testing.T) {
	t.Parallel()
	schema := pipeline.Schema{{Name: "n", Type: pipeline.TypeInteger}}
	var rows []pipeline.Row
	for i := range 250 {
		rows = append(rows, pipeline.Row{Values: []any{int64(i)}})
	}
	got := readXLSX(t, writeXLSX(t, NewXLSXConfig(), schema, rows), "Sheet1")
	if len(got) != 251 {
		t.Fatalf("%d rows", len(got))
	}
	for i, r := range got[1:] {
		if r[0] != strconv.Itoa(i) {
			t.Fatalf("row %d holds %q", i, r)
		}
	}
}

func TestXLSXLimits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	schema := pipeline.Schema{{Name: "s", Type: pipeline.TypeString}}
	cfg := NewXLSXConfig()
	cfg.Path = "x.xlsx"
	s := openSink(t, cfg, t.TempDir(), schema)
	long := strings.Repeat("é", excelize.TotalCellChars+1)
	err := s.Write(ctx, []pipeline.Row{{Values: []any{"ok"}}, {Values: []any{long}}})
	var be *pipeline.BatchError
	if !errors.As(err, &be) || be.Failed[1].Rule != "length" || len(be.Failed) != 1 {
		t.Errorf("long text: %v", err)
	}
	_ = s.Abort()

	cfg.maxRows = 3
	s = openSink(t, cfg, t.TempDir(), schema)
	rows := []pipeline.Row{{Values: []any{"a"}}, {Values: []any{"b"}}, {Values: []any{"c"}}}
	if err := s.Write(ctx, rows); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(ctx, rows[:1]); err == nil || !strings.Contains(err.Error(), "more than 3 rows") {
		t.Errorf("row 4 of 3: %v", err)
	}
	_ = s.Abort()
}
