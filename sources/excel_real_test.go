package sources

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/etl-dev/etl/mappings"
	"github.com/etl-dev/etl/pipeline"
)

const excelFixtures = "testdata/excel"

// TestXLSXErrorCells reads calamine's errors.xlsx: every cell is a formula
// returning an Excel error, and each is a problem of its own naming the
// cell, never a value.
func TestXLSXErrorCells(t *testing.T) {
	t.Parallel()
	abs, err := filepath.Abs(excelFixtures)
	must(t, err)
	src, err := (&XLSXConfig{Path: "errors.xlsx", HeaderRow: 1}).Open(context.Background(), pipeline.Env{BaseDir: abs})
	must(t, err)
	defer src.Close()
	// Row 1 (the header) is #DIV/0!: as a header it is only a name.
	if got := columnNames(src.Columns()); fmt.Sprint(got) != "[#DIV/0!]" {
		t.Fatalf("columns %v", got)
	}
	want := []string{"#NAME?", "#VALUE!", "#NULL!", "#REF!", "#NUM!", "#N/A"}
	for i, e := range want {
		rec, err := src.Next(context.Background())
		must(t, err)
		row := i + 2
		if len(rec.Problems) != 1 || rec.Values[0] != nil {
			t.Fatalf("row %d: values %v problems %v", row, rec.Values, rec.Problems)
		}
		p := rec.Problems[0]
		msg := fmt.Sprintf("the formula in A%d returned %s", row, e)
		if p.Rule != "excel_error" || p.Cell != fmt.Sprintf("A%d", row) || !strings.Contains(p.Message, msg) || p.Value != e {
			t.Errorf("row %d: %+v, want %q", row, p, msg)
		}
	}
}

// TestXLSXLongNumbers: whole numbers keep every stored digit (excelize
// rounded them to 15), fractions are what Excel shows, and numbers Excel
// had already rounded are warned about.
func TestXLSXLongNumbers(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	must(t, f.SetSheetRow("Sheet1", "A1", &[]any{"barcode", "price"}))
	must(t, f.SetCellInt("Sheet1", "A2", 12345678901234568))
	must(t, f.SetCellFloat("Sheet1", "B2", 0.1+0.2, -1, 64)) // stored 0.30000000000000004
	must(t, f.SetCellInt("Sheet1", "A3", 123456789012345000))
	must(t, f.SetCellFloat("Sheet1", "B3", 1.5e300, -1, 64))
	dir := saveWorkbook(t, f)
	// A writer that stores the exponent form, as Excel does for large values.
	patchSheetXML(t, filepath.Join(dir, "book.xlsx"), func(xml string) string {
		return strings.Replace(xml, "<v>12345678901234568</v>", "<v>1.2345678901234568E+16</v>", 1)
	})
	var logs bytes.Buffer
	env := pipeline.Env{BaseDir: dir, Logger: testLogger(&logs)}
	src, err := xlsxConfig(nil).Open(context.Background(), env)
	must(t, err)
	var got [][]string
	for {
		rec, err := src.Next(context.Background())
		if err != nil {
			break
		}
		got = append(got, []string{rec.Values[0].(string), rec.Values[1].(string)})
	}
	must(t, src.Close())
	if fmt.Sprint(got) != "[[12345678901234568 0.3] [123456789012345000 15"+strings.Repeat("0", 299)+"]]" {
		t.Errorf("values %v", got)
	}
	if !strings.Contains(logs.String(), `1 numbers of column \"barcode\" end in zeros after 15 digits`) {
		t.Errorf("no warning about the rounded barcode: %s", logs.String())
	}
}

func testLogger(w *bytes.Buffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, nil))
}

// patchSheetXML rewrites the first sheet's XML of a workbook.
func patchSheetXML(t *testing.T, path string, patch func(string) string) {
	t.Helper()
	data, err := os.ReadFile(path)
	must(t, err)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	must(t, err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		rc, err := zf.Open()
		must(t, err)
		var body bytes.Buffer
		_, err = body.ReadFrom(rc)
		must(t, err)
		rc.Close()
		w, err := zw.Create(zf.Name)
		must(t, err)
		b := body.String()
		if zf.Name == "xl/worksheets/sheet1.xml" {
			b = patch(b)
		}
		_, err = w.Write([]byte(b))
		must(t, err)
	}
	must(t, zw.Close())
	must(t, os.WriteFile(path, out.Bytes(), 0o644))
}

// TestXLSXHiddenFirstSheet: a hidden first sheet is not read when a
// visible one holds the data, and the choice is said.
func TestXLSXHiddenFirstSheet(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	must(t, f.SetSheetName("Sheet1", "Lookup"))
	must(t, f.SetSheetRow("Lookup", "A1", &[]any{"code", "rate"}))
	_, err := f.NewSheet("Empty")
	must(t, err)
	_, err = f.NewSheet("Products")
	must(t, err)
	must(t, f.SetSheetRow("Products", "A1", &[]any{"sku", "name"}))
	must(t, f.SetSheetRow("Products", "A2", &[]any{"A-1", "Widget"}))
	f.SetActiveSheet(2)
	must(t, f.SetSheetVisible("Lookup", false))
	dir := saveWorkbook(t, f)
	src, err := xlsxConfig(nil).Open(context.Background(), pipeline.Env{BaseDir: dir})
	must(t, err)
	defer src.Close()
	xs := src.(*xlsxSource)
	if xs.File().Sheet != "Products" {
		t.Fatalf("read sheet %q", xs.File().Sheet)
	}
	if want := `reading sheet "Products", the first visible sheet with data; skipped "Lookup" (hidden), "Empty" (empty)`; !strings.Contains(xs.SheetNote(), want) {
		t.Errorf("note %q, want %q", xs.SheetNote(), want)
	}
	// Named, a hidden sheet is read.
	src2, err := xlsxConfig(func(c *XLSXConfig) { c.Sheet = "Lookup" }).Open(context.Background(), pipeline.Env{BaseDir: dir})
	must(t, err)
	defer src2.Close()
	if got := columnNames(src2.Columns()); fmt.Sprint(got) != "[code rate]" {
		t.Errorf("Lookup columns %v", got)
	}
	// calamine's any_sheets.xlsx: the first sheet is visible and read.
	abs, err := filepath.Abs(excelFixtures)
	must(t, err)
	src3, err := (&XLSXConfig{Path: "any_sheets.xlsx"}).Open(context.Background(), pipeline.Env{BaseDir: abs})
	must(t, err)
	defer src3.Close()
	if s := src3.(*xlsxSource); s.File().Sheet != "Visible" || s.SheetNote() != "" {
		t.Errorf("any_sheets.xlsx: sheet %q note %q", s.File().Sheet, s.SheetNote())
	}
	_, err = (&XLSXConfig{Path: "any_sheets.xlsx", Sheet: "Chart"}).Open(context.Background(), pipeline.Env{BaseDir: abs})
	if err == nil || !strings.Contains(err.Error(), `sheet "Chart" of any_sheets.xlsx is a chart, not a worksheet`) {
		t.Errorf("chart sheet: %v", err)
	}
}

// TestXLSXSharedStringBomb: a workbook of a few KB whose one shared
// string, longer than any Excel cell, is used by many rows: each such cell
// is a problem (no value is built per cell), and the rows are read.
func TestXLSXSharedStringBomb(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "bomb.xlsx")
	must(t, os.WriteFile(path, sharedStringBomb(t, 1<<20, 2000), 0o644))
	st, _ := os.Stat(path)
	if st.Size() > 64<<10 {
		t.Fatalf("the bomb is %d bytes", st.Size())
	}
	src, err := (&XLSXConfig{Path: "bomb.xlsx"}).Open(context.Background(), pipeline.Env{BaseDir: dir})
	must(t, err)
	defer src.Close()
	n := 0
	for {
		rec, err := src.Next(context.Background())
		if err != nil {
			break
		}
		n++
		if len(rec.Problems) != 1 || rec.Problems[0].Rule != "too_long" || rec.Values[1] != nil ||
			!strings.Contains(rec.Problems[0].Message, "the cell holds 1048576 characters, more than the 32767 an Excel cell can") {
			t.Fatalf("row %d: %v %v", rec.Origin.Row, rec.Values, rec.Problems)
		}
	}
	if n != 2000 {
		t.Errorf("read %d rows", n)
	}
}

// sharedStringBomb writes a workbook whose rows each use one shared string
// of size characters in column B.
func sharedStringBomb(t testing.TB, size, rows int) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	put("[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`)
	put("_rels/.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	put("xl/workbook.xml", `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	put("xl/_rels/workbook.xml.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`)
	put("xl/sharedStrings.xml", `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2"><si><t>sku</t></si><si><t>`+strings.Repeat("x", size)+`</t></si><si><t>name</t></si></sst>`)
	var sheet strings.Builder
	sheet.WriteString(`<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>2</v></c></row>`)
	for r := 2; r <= rows+1; r++ {
		fmt.Fprintf(&sheet, `<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d" t="s"><v>1</v></c></row>`, r, r, r, r)
	}
	sheet.WriteString(`</sheetData></worksheet>`)
	put("xl/worksheets/sheet1.xml", sheet.String())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestFileKinds: a file whose content is not what its type says is
// reported as what it really is, with the type that reads it.
func TestFileKinds(t *testing.T) {
	t.Parallel()
	abs, err := filepath.Abs(excelFixtures)
	must(t, err)
	xlsx, err := os.ReadFile(filepath.Join(abs, "any_sheets.xlsx"))
	must(t, err)
	pq, err := os.ReadFile(filepath.Join(parquetFixtures, "alltypes_plain.parquet"))
	must(t, err)
	dir := t.TempDir()
	for name, data := range map[string][]byte{
		"book.csv":     xlsx,
		"table.csv":    pq,
		"text.xlsx":    []byte("sku;name\nA1;x\n"),
		"utf16.xlsx":   utf16Bytes("sku\tname\r\nA1\tx\r\n", false, true),
		"page.xls":     []byte("<html><body><table><tr><td>sku</td></tr></table></body></html>"),
		"data.parquet": xlsx,
		"gz.csv":       {0x1F, 0x8B, 8, 0, 0, 0, 0, 0},
	} {
		must(t, os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
	for _, tt := range []struct {
		cfg  pipeline.SourceConfig
		want string
	}{
		{&CSVConfig{Path: "book.csv"}, "csv source: book.csv is not text: it is really an Excel workbook (.xlsx): use type: xlsx"},
		{&CSVConfig{Path: "table.csv"}, "csv source: table.csv is not text: it is really a Parquet file: use type: parquet"},
		{&CSVConfig{Path: "gz.csv"}, "it is really a gzip-compressed file: decompress it first"},
		{&XLSXConfig{Path: "text.xlsx"}, "xlsx source: text.xlsx is not an .xlsx workbook: it is really a text file (CSV or similar): use type: csv"},
		{&XLSXConfig{Path: "utf16.xlsx"}, "it is really a UTF-16 text file (a CSV or tab-separated export, as Excel's \"Unicode Text\"): use type: csv"},
		{&XLSXConfig{Path: "page.xls"}, "it is really a web page (HTML), as some web exports save under .xls: open it in a spreadsheet program and save it as .xlsx or .csv"},
		{&XLSXConfig{Path: filepath.Join(abs, "date.xls")}, "date.xls is not an .xlsx workbook: it is really an old Excel 97-2003 workbook (.xls) or a password-protected workbook: etl reads .xlsx workbooks; open it in Excel and save it as .xlsx"},
		{&XLSXConfig{Path: filepath.Join(abs, "any_sheets.ods")}, "it is really an OpenDocument spreadsheet (.ods): open it in a spreadsheet program and save it as .xlsx or .csv"},
		{&ParquetConfig{Path: "data.parquet"}, "parquet source: data.parquet is not a Parquet file: it is really an Excel workbook (.xlsx): use type: xlsx"},
	} {
		_, err := tt.cfg.Open(context.Background(), pipeline.Env{BaseDir: dir})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%T: got %v, want %q", tt.cfg, err, tt.want)
		}
	}
	// The registry routes .xls and .ods to the xlsx source, which says
	// what to do with them.
	for _, ext := range []string{".xls", ".ods"} {
		if st, err := pipeline.SourceForPath("x" + ext); err != nil || st.Name != "xlsx" {
			t.Errorf("%s: %v %v", ext, st.Name, err)
		}
	}
}

func TestUnescapeOOXML(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"ABC_x000D_\nDEF": "ABC\r\nDEF", "a_x005F_x000D_b": "a_x000D_b", "plain": "plain",
		"_x": "_x", "my_xylophone_": "my_xylophone_", "_x00e9_t_x00E9_": "été",
	} {
		if got := unescapeOOXML(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

// TestXLSXLocaleNumbers: with a source locale, number cells and numbers
// typed as text in the locale's form read alike.
func TestXLSXLocaleNumbers(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	must(t, f.SetSheetRow("Sheet1", "A1", &[]any{"Preis"}))
	must(t, f.SetCellFloat("Sheet1", "A2", 1299.5, -1, 64))
	must(t, f.SetCellStr("Sheet1", "A3", "1.299,50"))
	dir := saveWorkbook(t, f)
	cfg := xlsxConfig(func(c *XLSXConfig) { c.Locale = "de-DE" })
	src, recs := readAll(t, cfg, dir)
	m, err := mappings.Compile(mappings.Spec{Numbers: cfg.NumberFormat(), Fields: []mappings.FieldSpec{{Name: "p", From: "Preis", Type: "decimal"}}}, src.Columns())
	must(t, err)
	for _, rec := range recs {
		row, probs, _ := m.Map(rec)
		if len(probs) > 0 || fmt.Sprint(row.Values[0]) != "1299.5" {
			t.Errorf("row %d: %v %v", rec.Origin.Row, row.Values, probs)
		}
	}
	if len(recs) != 2 {
		t.Errorf("%d rows", len(recs))
	}
}

// FuzzSheetXML feeds arbitrary XML to the sheet reader: it must end (with
// rows or an error) and never panic.
func FuzzSheetXML(f *testing.F) {
	f.Add(`<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="e"><f>1/0</f><v>#DIV/0!</v></c></row></sheetData></worksheet>`)
	f.Add(`<sheetData><row><c t="inlineStr"><is><r><t>a</t></r><rPh><t>x</t></rPh></is></c><c r="ZZZZZZZ9"><v>1E+400</v></c></row>`)
	f.Add(`<row r="-5"><c r="A"><v>`)
	f.Fuzz(func(t *testing.T, doc string) {
		s := &sheetStream{rc: io.NopCloser(strings.NewReader(doc)), dec: xml.NewDecoder(strings.NewReader(doc))}
		book := &xlsxBook{sst: []sharedString{{text: "a"}}}
		src := &xlsxSource{book: book, rows: s, log: slog.New(slog.DiscardHandler)}
		for range 10000 {
			cells, err := src.next()
			if err != nil {
				return
			}
			for _, c := range cells {
				src.convert(c)
			}
		}
	})
}

// TestDetectHeaderRow: a header below title rows is found; a first row as
// wide as the data is the header even when a data row looks like names.
func TestDetectHeaderRow(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, tt := range map[string]struct {
		text string
		want int
	}{
		"title.csv":  {"Stock report 2026\n\nSKU,Name,Qty\nA,Widget,3\nB,Gadget,4\n", 3},
		"plain.csv":  {"SKU,2024,Qty\nA,Widget,Blue\nB,5,4\n", 1},
		"noted.csv":  {"Exported 2026-01-02,\nBy: shop,\nSKU,Name\nA,1\n", 3},
		"single.csv": {"SKU\nA\n", 1},
	} {
		must(t, os.WriteFile(filepath.Join(dir, name), []byte(tt.text), 0o644))
		got, err := DetectHeaderRow(context.Background(), &CSVConfig{Path: name}, pipeline.Env{BaseDir: dir})
		if err != nil || got != tt.want {
			t.Errorf("%s: row %d (%v), want %d", name, got, err, tt.want)
		}
	}
}
