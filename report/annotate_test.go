package report

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/etl-dev/etl/pipeline"
)

// fakeConfig opens a fakeSource; with a FileInfo it is a pipeline.FileSource.
type fakeConfig struct {
	info *pipeline.FileInfo
	cols []pipeline.Column
	recs []pipeline.Record
}

func (c *fakeConfig) Open(context.Context, pipeline.Env) (pipeline.Source, error) {
	s := &fakeSource{cols: c.cols, recs: c.recs}
	if c.info != nil {
		return &fakeFileSource{s, *c.info}, nil
	}
	return s, nil
}

type fakeSource struct {
	cols []pipeline.Column
	recs []pipeline.Record
	next int
}

func (s *fakeSource) Columns() []pipeline.Column { return s.cols }
func (s *fakeSource) Close() error               { return nil }

func (s *fakeSource) Next(ctx context.Context) (pipeline.Record, error) {
	if err := ctx.Err(); err != nil {
		return pipeline.Record{}, err
	}
	if s.next >= len(s.recs) {
		return pipeline.Record{}, io.EOF
	}
	s.next++
	return s.recs[s.next-1], nil
}

type fakeFileSource struct {
	*fakeSource
	info pipeline.FileInfo
}

func (s *fakeFileSource) File() pipeline.FileInfo { return s.info }

var (
	_ pipeline.Source     = (*fakeSource)(nil)
	_ pipeline.FileSource = (*fakeFileSource)(nil)
)

// writeCatalog writes a workbook with an "Info" sheet first and a
// "Products" sheet of 8 data rows under a bold header, C3 in italics with a
// border, a comment by Alice on C5 and a stray note in F2.
func writeCatalog(t *testing.T, path string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	must(t, f.SetSheetName("Sheet1", "Info"))
	must(t, f.SetCellStr("Info", "A1", "exported from the shop"))
	_, err := f.NewSheet("Products")
	must(t, err)
	must(t, f.SetSheetRow("Products", "A1", &[]any{"Name", "SKU", "Price", "Notes"}))
	for r := 2; r <= 9; r++ {
		must(t, f.SetSheetRow("Products", cellName(1, r), &[]any{"Item " + string(rune('A'+r)), "SKU-" + string(rune('0'+r)), "1.50", ""}))
	}
	must(t, f.SetCellStr("Products", "C3", "abc"))
	must(t, f.SetCellStr("Products", "F2", "stray"))
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	must(t, err)
	must(t, f.SetCellStyle("Products", "A1", "D1", bold))
	italic, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Italic: true}, Border: []excelize.Border{{Type: "left", Color: "000000", Style: 1}}})
	must(t, err)
	must(t, f.SetCellStyle("Products", "C3", "C3", italic))
	must(t, f.AddComment("Products", excelize.Comment{Cell: "C5", Author: "Alice", Paragraph: []excelize.RichTextRun{{Text: "check this"}}}))
	must(t, f.SaveAs(path))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func catalogSource(path string) *fakeConfig {
	return &fakeConfig{
		info: &pipeline.FileInfo{Path: path, Format: "xlsx", Sheet: "Products", HeaderRow: 1},
		cols: []pipeline.Column{{Name: "Name", Ref: "A"}, {Name: "SKU", Ref: "B"}, {Name: "Price", Ref: "C"}, {Name: "Notes", Ref: "D"}},
	}
}

func catalogProblems() []pipeline.Problem {
	ps := sampleResult().Problems
	// A problem that names its column but not its cell.
	return append(ps, pipeline.Problem{Origin: origin(4), Column: "SKU", Field: "sku", Value: "SKU-4", Rule: "unique", Message: "the SKU is already used on row 2"})
}

// fillOf returns the pattern fill colour of a cell, or "".
func fillOf(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	must(t, err)
	st, err := f.GetStyle(id)
	must(t, err)
	if st.Fill.Type != "pattern" || st.Fill.Pattern != 1 || len(st.Fill.Color) == 0 {
		return ""
	}
	c := strings.ToUpper(st.Fill.Color[0])
	if len(c) == 8 { // ARGB
		c = c[2:]
	}
	return c
}

func commentsOf(t *testing.T, f *excelize.File, sheet string) map[string]string {
	t.Helper()
	cs, err := f.GetComments(sheet)
	must(t, err)
	m := make(map[string]string)
	for _, c := range cs {
		text := c.Text
		for _, r := range c.Paragraph {
			text += r.Text
		}
		m[c.Cell] = c.Author + "|" + text
	}
	return m
}

func TestAnnotateWorkbook(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "catalog.xlsx")
	writeCatalog(t, in)
	before, err := os.ReadFile(in)
	must(t, err)
	out := filepath.Join(dir, "out", "catalog.annotated.xlsx")

	must(t, Annotate(context.Background(), catalogSource(in), pipeline.Env{}, catalogProblems(), out))

	if after, err := os.ReadFile(in); err != nil || !bytes.Equal(before, after) {
		t.Fatalf("the input changed (err %v)", err)
	}
	assertNoTempFiles(t, dir)
	f, err := excelize.OpenFile(out)
	must(t, err)
	defer f.Close()

	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"Info", "Products", "Problems"}) {
		t.Errorf("sheets %v", got)
	}
	if v, _ := f.GetCellValue("Info", "A1"); v != "exported from the shop" {
		t.Errorf("Info!A1 = %q", v)
	}

	// The Errors column goes after the last column holding anything (F).
	const sh = "Products"
	wantErrors := map[int]string{
		1: "Errors",
		2: "",
		3: `Price: "abc" is not a decimal`,
		4: "SKU: the SKU is already used on row 2",
		5: `Name: a value is required; Price: "1,2,3" is not a decimal`,
		6: "",
		7: `Name: "` + evil + `" does not match ^[A-Za-z ]+$; Price: "12..5" is not a decimal`,
		9: "the row has 5 values, the header 4",
	}
	for row, want := range wantErrors {
		if got, _ := f.GetCellValue(sh, cellName(7, row)); got != want {
			t.Errorf("G%d = %q, want %q", row, got, want)
		}
	}
	if v, _ := f.GetCellValue(sh, "F2"); v != "stray" {
		t.Errorf("F2 = %q", v)
	}
	if v, _ := f.GetCellValue(sh, "C3"); v != "abc" {
		t.Errorf("C3 = %q, the value changed", v)
	}

	// Fills: red on named cells, light on the rest of a row whose problem
	// names no cell and on Errors cells, nothing elsewhere.
	for cell, want := range map[string]string{
		"C3": BadCellFill, "C5": BadCellFill, "A5": BadCellFill, "A7": BadCellFill, "C7": BadCellFill, "B4": BadCellFill,
		"A9": BadRowFill, "B9": BadRowFill, "D9": BadRowFill, "F9": BadRowFill, "G9": BadRowFill, "G3": BadRowFill,
		"A2": "", "C2": "", "B3": "", "A3": "", "G2": "", "A8": "",
	} {
		if got := fillOf(t, f, sh, cell); got != want {
			t.Errorf("fill of %s = %q, want %q", cell, got, want)
		}
	}
	// The rest of a cell's style is kept.
	id, _ := f.GetCellStyle(sh, "C3")
	st, _ := f.GetStyle(id)
	if st.Font == nil || !st.Font.Italic || len(st.Border) != 1 {
		t.Errorf("C3 lost its style: font %+v, border %+v", st.Font, st.Border)
	}
	id, _ = f.GetCellStyle(sh, "G1")
	if st, _ := f.GetStyle(id); st.Font == nil || !st.Font.Bold {
		// G1 copies F1, which has no style: only A1:D1 are bold.
		if fid, _ := f.GetCellStyle(sh, "F1"); fid != id {
			t.Errorf("G1 has style %d, F1 %d", id, fid)
		}
	}

	comments := commentsOf(t, f, sh)
	// Every comment starts the same way; Alice's text follows ours.
	wantComments := map[string]string{
		"C3": `etl|etl: "abc" is not a decimal`,
		"A5": "etl|etl: a value is required",
		"C5": "Alice|etl: \"1,2,3\" is not a decimal\n\nEarlier comment:\ncheck this",
		"A7": "etl|etl: \"" + evil + "\" does not match ^[A-Za-z ]+$",
		"C7": "etl|etl: \"12..5\" is not a decimal",
		"B4": "etl|etl: the SKU is already used on row 2",
	}
	if !reflect.DeepEqual(comments, wantComments) {
		t.Errorf("comments:\n got %q\nwant %q", comments, wantComments)
	}

	// The Problems sheet lists every problem with a link to its cell.
	assertProblemsSheet(t, f, "Problems", catalogProblems(), map[int]string{
		1: "'Products'!C3", 2: "'Products'!A5", 3: "'Products'!C5", 4: "'Products'!A7", 5: "'Products'!C7", 6: "'Products'!G9", 7: "'Products'!B4",
	})

	// The user fixes the copy and runs it again: only row 5 is still bad.
	// The Errors column is reused, not repeated, and the earlier run's
	// comments go.
	out2 := filepath.Join(dir, "again.xlsx")
	var still []pipeline.Problem
	for _, p := range catalogProblems() {
		if p.Origin.Row == 5 {
			still = append(still, p)
		}
	}
	src := catalogSource(out)
	src.info.HeaderRow = 0 // and the header is found without being told
	must(t, Annotate(context.Background(), src, pipeline.Env{}, still, out2))
	f2, err := excelize.OpenFile(out2)
	must(t, err)
	defer f2.Close()
	for cell, want := range map[string]string{
		"G1": "Errors", "H1": "", "G3": "", "G9": "", "G4": "",
		"G5": `Name: a value is required; Price: "1,2,3" is not a decimal`,
	} {
		if got, _ := f2.GetCellValue(sh, cell); got != want {
			t.Errorf("again: %s = %q, want %q", cell, got, want)
		}
	}
	if got := fillOf(t, f2, sh, "G3"); got != "" {
		t.Errorf("again: G3 keeps the fill %q of the earlier run", got)
	}
	wantComments = map[string]string{
		"A5": "etl|etl: a value is required",
		"C5": "Alice|etl: \"1,2,3\" is not a decimal\n\nEarlier comment:\ncheck this",
	}
	if got := commentsOf(t, f2, sh); !reflect.DeepEqual(got, wantComments) {
		t.Errorf("again: comments:\n got %q\nwant %q", got, wantComments)
	}
	// The earlier run's Problems sheet is replaced, not repeated.
	if got := f2.GetSheetList(); !reflect.DeepEqual(got, []string{"Info", "Products", "Problems"}) {
		t.Errorf("again: sheets %v", got)
	}
	assertProblemsSheet(t, f2, "Problems", still, map[int]string{1: "'Products'!A5", 2: "'Products'!C5"})
}

// assertProblemsSheet checks that sheet lists problems in order, row i+1
// linking to links[i+1] (a 1-based problem number → its target).
func assertProblemsSheet(t *testing.T, f *excelize.File, sheet string, problems []pipeline.Problem, links map[int]string) {
	t.Helper()
	rows, err := f.GetRows(sheet)
	must(t, err)
	if len(rows) != len(problems)+1 {
		t.Fatalf("%s has %d rows, want a header and %d problems", sheet, len(rows), len(problems))
	}
	if rows[0][0] != ProblemsTitle || rows[0][1] != "Cell" {
		t.Errorf("%s header %q", sheet, rows[0])
	}
	for i, p := range problems {
		row := rows[i+1]
		if row[len(row)-1] != p.Message {
			t.Errorf("%s row %d: message %q, want %q", sheet, i+2, row[len(row)-1], p.Message)
		}
		ok, target, err := f.GetCellHyperLink(sheet, cellName(2, i+2))
		must(t, err)
		if want := links[i+1]; ok != (want != "") || target != want {
			t.Errorf("%s B%d links to %q (%v), want %q", sheet, i+2, target, ok, want)
		}
	}
}

func TestAnnotateRefusesToOverwriteInput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "catalog.xlsx")
	writeCatalog(t, in)
	before, _ := os.ReadFile(in)
	for _, out := range []string{in, filepath.Join(dir, ".", "sub", "..", "catalog.xlsx")} {
		err := Annotate(context.Background(), catalogSource(in), pipeline.Env{}, catalogProblems(), out)
		if err == nil || !strings.Contains(err.Error(), "overwrite the input") {
			t.Errorf("Annotate to %s: err %v", out, err)
		}
	}
	if after, _ := os.ReadFile(in); !bytes.Equal(before, after) {
		t.Error("the input changed")
	}
	if err := Annotate(context.Background(), catalogSource(in), pipeline.Env{}, nil, filepath.Join(dir, "x.csv")); err == nil {
		t.Error("a copy not named .xlsx was accepted")
	}
}

func recordSource(t *testing.T) *fakeConfig {
	t.Helper()
	day := time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC)
	rec := func(row int, vals ...any) pipeline.Record {
		return pipeline.Record{Origin: pipeline.Origin{File: "in.csv", Row: row, Line: row}, Values: vals}
	}
	return &fakeConfig{
		cols: []pipeline.Column{
			{Name: "Name", Ref: "A"}, {Name: "SKU", Ref: "B"}, {Name: "Price", Ref: "C", Type: pipeline.TypeDecimal},
			{Name: "Qty", Ref: "D", Type: pipeline.TypeInteger}, {Name: "Since", Ref: "E", Type: pipeline.TypeDate},
		},
		recs: []pipeline.Record{
			rec(2, "Widget", "007", decimal.RequireFromString("12.50"), int64(3), day),
			rec(3, "Gadget <b>", "008", nil, int64(1234567890123456789), day),
			{
				Origin:   pipeline.Origin{File: "in.csv", Row: 4, Line: 4},
				Values:   []any{"Short", "009", nil, nil, nil},
				Problems: []pipeline.Problem{{Origin: pipeline.Origin{File: "in.csv", Row: 4, Line: 4}, Rule: "ragged", Message: "the row has 2 values, the header 5"}},
			},
			rec(5, "Thing", "010", decimal.RequireFromString("1"), int64(-2), nil),
			rec(6, "Last", "", decimal.RequireFromString("0.10"), int64(0), day),
		},
	}
}

func TestAnnotateRecords(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "annotated.xlsx")
	problems := []pipeline.Problem{
		{Origin: pipeline.Origin{File: "in.csv", Row: 3, Line: 3}, Column: "Price", Field: "price", Rule: "required", Message: "a price is required"},
		{Origin: pipeline.Origin{File: "in.csv", Row: 6, Line: 6}, Cell: "B6", Field: "sku", Rule: "required", Message: "a SKU is required"},
		{Origin: pipeline.Origin{File: "in.csv", Row: 6, Line: 6}, Column: "Qty", Field: "qty", Value: "0", Rule: "min", Message: "must be at least 1"},
		// Another file's row 3 must not land on this one's.
		{Origin: pipeline.Origin{File: "other.csv", Row: 5}, Column: "Name", Rule: "x", Message: "not this file"},
	}
	must(t, Annotate(context.Background(), recordSource(t), pipeline.Env{}, problems, out))
	assertNoTempFiles(t, dir)
	// A CSV file source takes the same way.
	csvSrc := recordSource(t)
	csvSrc.info = &pipeline.FileInfo{Path: filepath.Join(dir, "in.csv"), Format: "csv", HeaderRow: 1}
	out2 := filepath.Join(dir, "from-csv.xlsx")
	must(t, Annotate(context.Background(), csvSrc, pipeline.Env{}, problems, out2))
	if a, b := readRows(t, out), readRows(t, out2); !reflect.DeepEqual(a, b) {
		t.Errorf("a CSV file source gave\n%q\nnot\n%q", b, a)
	}

	f, err := excelize.OpenFile(out)
	must(t, err)
	defer f.Close()
	sh := f.GetSheetList()[0]
	rows, err := f.GetRows(sh)
	must(t, err)
	want := [][]string{
		{"Name", "SKU", "Price", "Qty", "Since", "Errors"},
		{"Widget", "007", "12.50", "3", "2025-01-31"},
		{"Gadget <b>", "008", "", "1234567890123456789", "2025-01-31", "Price: a price is required"},
		{"Short", "009", "", "", "", "the row has 2 values, the header 5"},
		{"Thing", "010", "1", "-2"},
		{"Last", "", "0.10", "0", "2025-01-31", "sku: a SKU is required; Qty: must be at least 1"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows:\n got %q\nwant %q", rows, want)
	}
	// The Problems sheet links each problem to its cell of the new sheet;
	// the one that matches no record is listed without a link.
	ragged := recordSource(t).recs[2].Problems[0]
	assertProblemsSheet(t, f, "Problems", []pipeline.Problem{problems[0], ragged, problems[1], problems[2], problems[3]},
		map[int]string{1: "'" + sh + "'!C3", 2: "'" + sh + "'!F4", 3: "'" + sh + "'!B6", 4: "'" + sh + "'!D6"})

	// Numbers stay numbers where a spreadsheet holds them exactly.
	if typ, _ := f.GetCellType(sh, "D2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("D2 has type %v, want a number", typ)
	}
	if typ, _ := f.GetCellType(sh, "D3"); typ != excelize.CellTypeInlineString {
		t.Errorf("D3 (19 digits) has type %v, want text", typ)
	}
	for cell, want := range map[string]string{
		"C3": BadCellFill, "F3": BadRowFill, "A3": "",
		"A4": BadRowFill, "E4": BadRowFill, "F4": BadRowFill,
		"B6": BadCellFill, "D6": BadCellFill, "A6": "", "C6": "",
		"A5": "", "A2": "",
	} {
		if got := fillOf(t, f, sh, cell); got != want {
			t.Errorf("fill of %s = %q, want %q", cell, got, want)
		}
	}
}

func TestCellValue(t *testing.T) {
	ts := time.Date(2025, 1, 31, 13, 4, 5, 0, time.FixedZone("x", 3600))
	for _, tc := range []struct {
		v    any
		typ  pipeline.Type
		want any
	}{
		{nil, pipeline.TypeString, nil},
		{"00123", pipeline.TypeString, "00123"},
		{int64(42), pipeline.TypeInteger, int64(42)},
		{int64(1e16), pipeline.TypeInteger, "10000000000000000"},
		{1.5, pipeline.TypeFloat, 1.5},
		{decimal.RequireFromString("1.50"), pipeline.TypeDecimal, "1.50"},
		{true, pipeline.TypeBool, true},
		{ts, pipeline.TypeTimestamp, "2025-01-31T12:04:05Z"},
		{[]byte("hi"), pipeline.TypeBytes, "hi"},
		{[]byte{0xff, 0}, pipeline.TypeBytes, "0xff00"},
	} {
		if got := cellValue(tc.v, tc.typ); got != tc.want {
			t.Errorf("cellValue(%v) = %#v, want %#v", tc.v, got, tc.want)
		}
	}
}

func TestAnnotateWorkbookBoundsComments(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "catalog.xlsx")
	writeCatalog(t, in)
	out := filepath.Join(dir, "out.xlsx")
	// Work for two comments on a sheet of nine rows.
	must(t, annotate(context.Background(), catalogSource(in), pipeline.Env{}, catalogProblems(), out, 9*2))
	f, err := excelize.OpenFile(out)
	must(t, err)
	defer f.Close()
	comments := commentsOf(t, f, "Products")
	// Alice's comment stays as it was; two cells get ours.
	if len(comments) != 3 || comments["C3"] == "" || comments["B4"] == "" || comments["C5"] != "Alice|check this" {
		t.Errorf("comments %q", comments)
	}
	for _, cell := range []string{"C3", "B4", "A5", "C5", "A7", "C7"} {
		if got := fillOf(t, f, "Products", cell); got != BadCellFill {
			t.Errorf("fill of %s = %q", cell, got)
		}
	}
}

func readRows(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	must(t, err)
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	must(t, err)
	return rows
}
