package sources

import (
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/etl-dev/etl/pipeline"
)

// saveWorkbook saves f as book.xlsx in a fresh directory and returns the
// directory.
func saveWorkbook(t testing.TB, f *excelize.File) string {
	t.Helper()
	dir := t.TempDir()
	if err := f.SaveAs(filepath.Join(dir, "book.xlsx")); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func xlsxConfig(mod func(*XLSXConfig)) *XLSXConfig {
	c := NewXLSXConfig()
	c.Path = "book.xlsx"
	if mod != nil {
		mod(c)
	}
	return c
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestXLSXSheets(t *testing.T) {
	f := excelize.NewFile()
	must(t, f.SetSheetName("Sheet1", "Products"))
	for _, name := range []string{"Prices", "2025"} {
		_, err := f.NewSheet(name)
		must(t, err)
	}
	for _, name := range []string{"Products", "Prices", "2025"} {
		must(t, f.SetCellValue(name, "A1", "sheet"))
		must(t, f.SetCellValue(name, "A2", name))
	}
	dir := saveWorkbook(t, f)

	tests := []struct {
		sheet, want, err string
	}{
		{"", "Products", ""},
		{"Prices", "Prices", ""},
		{"prices", "Prices", ""},
		{"1", "Products", ""},
		{"2", "Prices", ""},
		{"2025", "2025", ""}, // a name wins over a position
		{"4", "", `sheet 4 is out of range: book.xlsx has 3 sheets ("Products", "Prices", "2025")`},
		{"0", "", "out of range"},
		{"Prodcts", "", `sheet "Prodcts" is not in book.xlsx: did you mean "Products"? the sheets are "Products", "Prices", "2025"`},
		{"Inventory", "", `sheet "Inventory" is not in book.xlsx: the sheets are "Products", "Prices", "2025"`},
	}
	for _, tt := range tests {
		t.Run(tt.sheet, func(t *testing.T) {
			cfg := xlsxConfig(func(c *XLSXConfig) { c.Sheet = tt.sheet })
			if tt.err != "" {
				_, err := cfg.Open(context.Background(), pipeline.Env{BaseDir: dir})
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got %v, want %q", err, tt.err)
				}
				return
			}
			src, recs := readAll(t, cfg, dir)
			if len(recs) != 1 || recs[0].Values[0] != tt.want {
				t.Fatalf("read %v", texts(recs))
			}
			want := pipeline.Origin{File: "book.xlsx", Sheet: tt.want, Row: 2}
			if recs[0].Origin != want {
				t.Errorf("origin %+v, want %+v", recs[0].Origin, want)
			}
			fi := src.(pipeline.FileSource).File()
			if fi.Sheet != tt.want || fi.Format != "xlsx" || fi.HeaderRow != 1 || fi.Path != filepath.Join(dir, "book.xlsx") {
				t.Errorf("file info %+v", fi)
			}
		})
	}
}

// 2026-11-23 14:05:00 as an Excel serial date.
const (
	serialDay      = 46349.0
	serialDateTime = 46349 + (14*60+5)/1440.0
)

type cellCase struct {
	name    string
	numFmt  int    // a built-in format, or
	custom  string // a custom format code
	value   any
	want    string
	problem bool // a "date" problem is expected
}

var dateCases = []cellCase{
	{name: "builtin 14 date", numFmt: 14, value: serialDateTime, want: "2026-11-23"},
	{name: "builtin 15 d-mmm-yy", numFmt: 15, value: serialDay, want: "2026-11-23"},
	{name: "builtin 17 mmm-yy", numFmt: 17, value: serialDay, want: "2026-11-23"},
	{name: "builtin 22 date-time", numFmt: 22, value: serialDateTime, want: "2026-11-23T14:05:00"},
	{name: "builtin 18 h:mm AM/PM", numFmt: 18, value: serialDateTime, want: "14:05:00"},
	{name: "builtin 20 h:mm", numFmt: 20, value: 0.5868055555555556, want: "14:05:00"},
	{name: "builtin 21 hh:mm:ss", numFmt: 21, value: 0.75, want: "18:00:00"},
	{name: "builtin 45 mm:ss", numFmt: 45, value: 0.5 / 1440, want: "00:00:30"},
	{name: "builtin 46 elapsed", numFmt: 46, value: 1.5, want: "36:00:00"},
	{name: "custom dd/mm/yyyy", custom: "dd/mm/yyyy", value: serialDay, want: "2026-11-23"},
	{name: "custom dotted", custom: `dd"."mm"."yyyy`, value: serialDay, want: "2026-11-23"},
	{name: "custom locale long date", custom: `[$-409]mmmm d, yyyy;@`, value: serialDay, want: "2026-11-23"},
	{name: "custom month name", custom: "mmmm", value: serialDay, want: "2026-11-23"},
	{name: "custom date-time", custom: "yyyy-mm-dd hh:mm", value: serialDateTime, want: "2026-11-23T14:05:00"},
	{name: "custom US date-time", custom: "m/d/yy h:mm AM/PM", value: serialDateTime, want: "2026-11-23T14:05:00"},
	{name: "custom milliseconds", custom: "yyyy-mm-dd hh:mm:ss.000", value: serialDateTime + 0.123/86400, want: "2026-11-23T14:05:00.123"},
	{name: "custom time AM/PM", custom: "h:mm AM/PM", value: serialDateTime, want: "14:05:00"},
	{name: "custom elapsed minutes", custom: "[mm]:ss", value: 1.25, want: "30:00:00"},
	{name: "first day", numFmt: 14, value: 1.0, want: "1900-01-01"},
	{name: "before the phantom leap day", numFmt: 14, value: 59.0, want: "1900-02-28"},
	{name: "after the phantom leap day", numFmt: 14, value: 61.0, want: "1900-03-01"},
	{name: "last day", numFmt: 14, value: 2958465.0, want: "9999-12-31"},
	{name: "phantom leap day", numFmt: 14, value: 60.0, want: "60", problem: true},
	{name: "time in a date column", numFmt: 14, value: 0.5, want: "0.5", problem: true},
	{name: "negative date", numFmt: 14, value: -3.0, want: "-3", problem: true},
	{name: "date after 9999", numFmt: 22, value: 3e6, want: "3000000", problem: true},
	{name: "huge date", numFmt: 14, value: 1e20, want: "100000000000000000000", problem: true},
	{name: "text in a date column", numFmt: 14, value: "n/a", want: "n/a"},

	{name: "general", numFmt: 0, value: 12.5, want: "12.5"},
	{name: "general float noise", value: 0.1 + 0.2, want: "0.3"},
	{name: "general integer", value: 1234567890123, want: "1234567890123"},
	{name: "builtin 2 0.00", numFmt: 2, value: 12.5, want: "12.5"},
	{name: "builtin 4 thousands", numFmt: 4, value: 1234567.5, want: "1234567.5"},
	{name: "builtin 9 percent", numFmt: 9, value: 0.25, want: "0.25"},
	{name: "builtin 11 scientific", numFmt: 11, value: 12345.0, want: "12345"},
	{name: "builtin 49 text format", numFmt: 49, value: 42, want: "42"},
	{name: "custom currency", custom: `"$"#,##0.00`, value: 12.5, want: "12.5"},
	{name: "custom euro locale", custom: `#,##0.00 [$€-407]`, value: -1234.5, want: "-1234.5"},
	{name: "custom colors", custom: `[Red]#,##0.00;[Blue]-#,##0.00`, value: -3.5, want: "-3.5"},
	{name: "custom quoted letters", custom: `0" days"`, value: 3, want: "3"},
	{name: "custom escaped letters", custom: `0\h`, value: 3, want: "3"},
	{name: "boolean true", value: true, want: "true"},
	{name: "boolean false", value: false, want: "false"},
	{name: "leading zeros text", value: "00123", want: "00123"},
	{name: "text", value: "Widget, large", want: "Widget, large"},
}

func TestXLSXValues(t *testing.T) {
	f := excelize.NewFile()
	must(t, f.SetSheetRow("Sheet1", "A1", &[]any{"case", "value"}))
	for i, c := range dateCases {
		row := i + 2
		must(t, f.SetCellValue("Sheet1", fmt.Sprintf("A%d", row), c.name))
		cell := fmt.Sprintf("B%d", row)
		must(t, f.SetCellValue("Sheet1", cell, c.value))
		if c.numFmt != 0 || c.custom != "" {
			style := &excelize.Style{NumFmt: c.numFmt}
			if c.custom != "" {
				style.CustomNumFmt = &c.custom
			}
			id, err := f.NewStyle(style)
			must(t, err)
			must(t, f.SetCellStyle("Sheet1", cell, cell, id))
		}
	}
	dir := saveWorkbook(t, f)
	_, recs := readAll(t, xlsxConfig(nil), dir)
	if len(recs) != len(dateCases) {
		t.Fatalf("read %d records for %d cases", len(recs), len(dateCases))
	}
	for i, c := range dateCases {
		rec := recs[i]
		if rec.Values[0] != c.name {
			t.Fatalf("record %d is %q, want %q", i, rec.Values[0], c.name)
		}
		if rec.Values[1] != c.want {
			t.Errorf("%s: got %q, want %q", c.name, rec.Values[1], c.want)
		}
		if got := len(rec.Problems) > 0; got != c.problem {
			t.Errorf("%s: problems %v", c.name, rec.Problems)
		}
		if c.problem {
			p := rec.Problems[0]
			if p.Rule != "date" || p.Column != "value" || p.Cell != fmt.Sprintf("B%d", i+2) || p.Message == "" {
				t.Errorf("%s: problem %+v", c.name, p)
			}
		}
	}
}

func TestXLSXDate1904(t *testing.T) {
	f := excelize.NewFile()
	yes := true
	must(t, f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}))
	id, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	must(t, err)
	must(t, f.SetSheetRow("Sheet1", "A1", &[]any{"d"}))
	must(t, f.SetCellFloat("Sheet1", "A2", 0, -1, 64))
	must(t, f.SetCellFloat("Sheet1", "A3", serialDay-1462, -1, 64))
	must(t, f.SetCellStyle("Sheet1", "A2", "A3", id))
	dir := saveWorkbook(t, f)
	_, recs := readAll(t, xlsxConfig(nil), dir)
	if got := fmt.Sprint(texts(recs)); got != "[[1904-01-01] [2026-11-23]]" {
		t.Errorf("got %s", got)
	}
}

func TestFormatKind(t *testing.T) {
	for code, want := range map[string]dateKind{
		"General": notDate, "0.00": notDate, "#,##0": notDate, "0.00E+00": notDate, "@": notDate,
		`"Qty: "0`: notDate, `0 "days"`: notDate, `\d0`: notDate, `[Red]0;[Blue]-0`: notDate, `[>=100]0;0`: notDate,
		`_(* #,##0_);_(* (#,##0);_(* "-"??_);_(@_)`: notDate, `[$€-407] #,##0.00`: notDate,
		"yyyy-mm-dd": kindDate, "d-mmm": kindDate, "mmm": kindDate, "dddd": kindDate, `[$-F800]dddd\,\ mmmm\ dd\,\ yyyy`: kindDate,
		"yyyy-mm-dd hh:mm:ss": kindDateTime, "m/d/yy h:mm": kindDateTime, `[$-409]m/d/yy\ h:mm\ AM/PM;@`: kindDateTime,
		"h:mm": kindTime, "mm:ss": kindTime, "hh:mm:ss.000": kindTime, "h AM/PM": kindTime, "h:mm a/p": kindTime,
		"[h]:mm:ss": kindElapsed, "[mm]:ss": kindElapsed, "[ss]": kindElapsed,
		`yyyy-mm-dd;"negative"`: kindDate, `0;yyyy`: notDate,
	} {
		if got := formatKind(code); got != want {
			t.Errorf("formatKind(%q) = %q, want %q", code, got, want)
		}
	}
}

func TestXLSXFormulasAndInlineStrings(t *testing.T) {
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	must(t, err)
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	must(t, err)
	must(t, sw.SetRow("A1", []any{"sku", "total", "due", "label", "empty"}))
	must(t, sw.SetRow("A2", []any{
		"A1",
		excelize.Cell{Formula: "6*7", Value: 42},
		excelize.Cell{Formula: "TODAY()", Value: serialDay, StyleID: dateStyle},
		excelize.Cell{Formula: `"x"&"y"`, Value: "xy"},
		excelize.Cell{Formula: "1/0"},
	}))
	must(t, sw.Flush())
	dir := saveWorkbook(t, f)
	_, recs := readAll(t, xlsxConfig(nil), dir)
	if got := fmt.Sprint(texts(recs)); got != "[[A1 42 2026-11-23 xy ]]" {
		t.Errorf("got %s", got)
	}
}

func TestXLSXBlankRowsAndRagged(t *testing.T) {
	f := excelize.NewFile()
	styled, err := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFFF00"}}})
	must(t, err)
	must(t, f.SetSheetRow("Sheet1", "A1", &[]any{"Stock export"}))
	must(t, f.SetSheetRow("Sheet1", "A3", &[]any{"sku", "", " qty "})) // header row 3
	must(t, f.SetSheetRow("Sheet1", "A4", &[]any{"A1", "x", 3}))
	must(t, f.SetSheetRow("Sheet1", "A5", &[]any{"B2"}))                      // short: padded
	must(t, f.SetCellStyle("Sheet1", "A6", "C7", styled))                     // blank but styled
	must(t, f.SetSheetRow("Sheet1", "A8", &[]any{"C3", "", 5, nil, "extra"})) // ragged
	must(t, f.SetCellValue("Sheet1", "A9", ""))
	must(t, f.SetCellStyle("Sheet1", "A10", "E20", styled)) // trailing blank rows
	dir := saveWorkbook(t, f)

	src, recs := readAll(t, xlsxConfig(func(c *XLSXConfig) { c.HeaderRow = 3 }), dir)
	if got := fmt.Sprint(src.Columns()); got != fmt.Sprint([]pipeline.Column{{Name: "sku", Ref: "A"}, {Name: "column_B", Ref: "B"}, {Name: "qty", Ref: "C"}}) {
		t.Errorf("columns %s", got)
	}
	if got := fmt.Sprint(texts(recs)); got != "[[A1 x 3] [B2  ] [C3  5]]" {
		t.Fatalf("values %s", got)
	}
	for i, row := range []int{4, 5, 8} {
		if recs[i].Origin.Row != row || recs[i].Origin.Sheet != "Sheet1" {
			t.Errorf("record %d: origin %+v, want row %d", i, recs[i].Origin, row)
		}
	}
	if len(recs[0].Problems)+len(recs[1].Problems) != 0 {
		t.Errorf("unexpected problems %v %v", recs[0].Problems, recs[1].Problems)
	}
	ps := recs[2].Problems
	if len(ps) != 1 || ps[0].Rule != "ragged" || ps[0].Cell != "E8" || ps[0].Value != "extra" || !strings.Contains(ps[0].Message, "E3") {
		t.Errorf("ragged problems %+v", ps)
	}
}

func TestXLSXHeaderErrors(t *testing.T) {
	f := excelize.NewFile()
	must(t, f.SetSheetRow("Sheet1", "A1", &[]any{"sku", "name", "sku"}))
	dir := saveWorkbook(t, f)
	_, err := xlsxConfig(nil).Open(context.Background(), pipeline.Env{BaseDir: dir})
	if err == nil || !strings.Contains(err.Error(), `"sku" appears twice, in columns A and C`) {
		t.Errorf("duplicate: %v", err)
	}
	_, err = xlsxConfig(func(c *XLSXConfig) { c.HeaderRow = 5 }).Open(context.Background(), pipeline.Env{BaseDir: dir})
	if err == nil || !strings.Contains(err.Error(), "header_row is 5") {
		t.Errorf("header past the end: %v", err)
	}

	f = excelize.NewFile()
	must(t, f.SetSheetRow("Sheet1", "A2", &[]any{"sku"}))
	dir = saveWorkbook(t, f)
	_, err = xlsxConfig(nil).Open(context.Background(), pipeline.Env{BaseDir: dir})
	if err == nil || !strings.Contains(err.Error(), "header row is empty") {
		t.Errorf("blank header: %v", err)
	}
}

func TestXLSXOpenErrors(t *testing.T) {
	dir := writeTemp(t, "book.xlsx", []byte("sku,name\nA1,x\n"))
	_, err := xlsxConfig(nil).Open(context.Background(), pipeline.Env{BaseDir: dir})
	if err == nil || !strings.Contains(err.Error(), "book.xlsx is not an .xlsx workbook: it is really a text file (CSV or similar): use type: csv") {
		t.Errorf("not a workbook: %v", err)
	}
	_, err = xlsxConfig(func(c *XLSXConfig) { c.Path = "missing.xlsx" }).Open(context.Background(), pipeline.Env{BaseDir: dir})
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "missing.xlsx")) {
		t.Errorf("missing: %v", err)
	}
	_, err = xlsxConfig(func(c *XLSXConfig) { c.Path = "" }).Open(context.Background(), pipeline.Env{BaseDir: dir})
	if err == nil || !strings.Contains(err.Error(), "path is required") {
		t.Errorf("no path: %v", err)
	}
}

func TestXLSXContextAndClose(t *testing.T) {
	f := excelize.NewFile()
	must(t, f.SetSheetRow("Sheet1", "A1", &[]any{"a"}))
	must(t, f.SetSheetRow("Sheet1", "A2", &[]any{"1"}))
	dir := saveWorkbook(t, f)
	src, err := xlsxConfig(nil).Open(context.Background(), pipeline.Env{BaseDir: dir})
	must(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := src.Next(ctx); err != context.Canceled {
		t.Errorf("cancelled: %v", err)
	}
	must(t, src.Close())
	must(t, src.Close())
	if _, err := src.Next(context.Background()); err == nil {
		t.Error("Next after Close returned no error")
	}
}

// FuzzXLSX writes fuzzed text and numbers into a workbook and reads them
// back: they must survive and nothing may panic.
func FuzzXLSX(f *testing.F) {
	f.Add("Widget", 12.5, uint8(0))
	f.Add("", 0.0, uint8(1))
	f.Add("TRUE", -1e300, uint8(2))
	f.Add(" spaced \t", 0.1+0.2, uint8(3))
	f.Add("line\nbreak", 46349.58680555555, uint8(14))
	f.Add("<&>\"'", 1e-12, uint8(22))
	f.Fuzz(func(t *testing.T, text string, num float64, numFmt uint8) {
		if !utf8.ValidString(text) || strings.ContainsRune(text, '\uE000') || len(text) > excelize.TotalCellChars ||
			math.IsNaN(num) || math.IsInf(num, 0) {
			t.Skip()
		}
		for _, r := range text {
			if (r < 0x20 && r != '\t' && r != '\n') || r == '\r' || r == 0xFFFE || r == 0xFFFF {
				t.Skip() // not representable in XML (or normalised by it)
			}
		}
		wb := excelize.NewFile()
		must(t, wb.SetSheetRow("Sheet1", "A1", &[]any{"text", "number"}))
		must(t, wb.SetCellStr("Sheet1", "A2", text))
		must(t, wb.SetCellFloat("Sheet1", "B2", num, -1, 64))
		style, err := wb.NewStyle(&excelize.Style{NumFmt: int(numFmt % 50)})
		must(t, err)
		must(t, wb.SetCellStyle("Sheet1", "A2", "B2", style))
		dir := saveWorkbook(t, wb)
		src, err := xlsxConfig(nil).Open(context.Background(), pipeline.Env{BaseDir: dir})
		must(t, err)
		defer src.Close()
		var recs []pipeline.Record
		for {
			rec, err := src.Next(context.Background())
			if err == io.EOF {
				break
			}
			must(t, err)
			if len(rec.Values) != 2 {
				t.Fatalf("%d values", len(rec.Values))
			}
			recs = append(recs, rec)
		}
		if len(recs) != 1 {
			t.Fatalf("read %d records", len(recs))
		}
		want := text
		if got := recs[0].Values[0]; got != want {
			t.Errorf("text: got %q, want %q", got, want)
		}
		got := recs[0].Values[1].(string)
		if builtinKind(int(numFmt%50)) != notDate {
			return // converted to a date or time, or reported as a problem
		}
		back, err := strconv.ParseFloat(got, 64)
		if err != nil {
			t.Fatalf("number %v came back as %q", num, got)
		}
		if diff := math.Abs(back - num); diff > 1e-14*math.Abs(num) {
			t.Errorf("number %v came back as %q", num, got)
		}
	})
}
