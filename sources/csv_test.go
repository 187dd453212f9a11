package sources

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/etl-dev/etl/pipeline"
)

// writeTemp writes data to a file named name in a fresh temporary directory
// and returns the directory.
func writeTemp(t testing.TB, name string, data []byte) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// readAll opens cfg in dir and reads every record.
func readAll(t testing.TB, cfg pipeline.SourceConfig, dir string) (pipeline.Source, []pipeline.Record) {
	t.Helper()
	src, err := cfg.Open(context.Background(), pipeline.Env{BaseDir: dir})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { src.Close() })
	var recs []pipeline.Record
	for {
		rec, err := src.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("Next after %d records: %v", len(recs), err)
		}
		if len(rec.Values) != len(src.Columns()) {
			t.Fatalf("record %d has %d values for %d columns", len(recs), len(rec.Values), len(src.Columns()))
		}
		recs = append(recs, rec)
	}
	return src, recs
}

func columnNames(cols []pipeline.Column) []string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return names
}

// texts returns the values of records as strings, nil as "<nil>".
func texts(recs []pipeline.Record) [][]string {
	out := make([][]string, len(recs))
	for i, r := range recs {
		row := make([]string, len(r.Values))
		for j, v := range r.Values {
			if v == nil {
				row[j] = "<nil>"
			} else {
				row[j] = v.(string)
			}
		}
		out[i] = row
	}
	return out
}

func csvConfig(mod func(*CSVConfig)) *CSVConfig {
	c := NewCSVConfig()
	c.Path = "in.csv"
	if mod != nil {
		mod(c)
	}
	return c
}

func TestCSVDelimiterSniffing(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		headerRow int
		want      [][]string // header, then rows
	}{
		{"comma", "sku,name,qty\nA1,Widget,3\nB2,Gadget,4\n", 1,
			[][]string{{"sku", "name", "qty"}, {"A1", "Widget", "3"}, {"B2", "Gadget", "4"}}},
		{"semicolon with decimal commas", "sku;price\nA1;1,50\nB2;2,25\n", 1,
			[][]string{{"sku", "price"}, {"A1", "1,50"}, {"B2", "2,25"}}},
		{"tab with commas in values", "sku\tdesc\nA1\tred, large\nB2\tblue, small\n", 1,
			[][]string{{"sku", "desc"}, {"A1", "red, large"}, {"B2", "blue, small"}}},
		{"pipe", "sku|name\nA1|x,y;z\n", 1,
			[][]string{{"sku", "name"}, {"A1", "x,y;z"}}},
		{"quotes respected", "name;note\n\"Smith, J\";\"a;b\"\n\"Doe, K\";c\n", 1,
			[][]string{{"name", "note"}, {"Smith, J", "a;b"}, {"Doe, K", "c"}}},
		{"quoted semicolons do not fool it", "a,b,c\n\"x;y;z;w\",1,2\n\"p;q\",3,4\n", 1,
			[][]string{{"a", "b", "c"}, {"x;y;z;w", "1", "2"}, {"p;q", "3", "4"}}},
		{"single column", "sku\nA1\nB2\n", 1,
			[][]string{{"sku"}, {"A1"}, {"B2"}}},
		{"title lines above the header", "Export of 2026-11-23\nfrom inFlow\nsku;qty\nA1;3\n", 3,
			[][]string{{"sku", "qty"}, {"A1", "3"}}},
		{"embedded newline", "sku,desc\nA1,\"two\nlines\"\nB2,one\n", 1,
			[][]string{{"sku", "desc"}, {"A1", "two\nlines"}, {"B2", "one"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeTemp(t, "in.csv", []byte(tt.in))
			src, recs := readAll(t, csvConfig(func(c *CSVConfig) { c.HeaderRow = tt.headerRow }), dir)
			got := append([][]string{columnNames(src.Columns())}, texts(recs)...)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
			for _, r := range recs {
				if len(r.Problems) > 0 {
					t.Errorf("unexpected problems: %v", r.Problems)
				}
			}
		})
	}
}

func TestSniffDelimiterCutSample(t *testing.T) {
	// The last record of an incomplete sample is left out of the vote.
	sample := []byte("a;b;c\n1;2;3\n4;5;6\n7;8")
	if got := sniffDelimiter(sample, false, 0, 1); got != ';' {
		t.Errorf("got %q, want ';'", got)
	}
	if got := sniffDelimiter(sample, true, 0, 1); got != ';' {
		t.Errorf("complete: got %q, want ';'", got)
	}
	if got := sniffDelimiter(nil, true, 0, 1); got != ',' {
		t.Errorf("empty: got %q, want ','", got)
	}
}

func utf16Bytes(s string, bigEndian, bom bool) []byte {
	var b bytes.Buffer
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xFEFF}, units...)
	}
	for _, u := range units {
		if bigEndian {
			b.Write([]byte{byte(u >> 8), byte(u)})
		} else {
			b.Write([]byte{byte(u), byte(u >> 8)})
		}
	}
	return b.Bytes()
}

func TestCSVEncodings(t *testing.T) {
	const text = "sku,name\nA1,Café crème\nB2,Ünïcödé €\n"
	want := [][]string{{"A1", "Café crème"}, {"B2", "Ünïcödé €"}}
	tests := []struct {
		name     string
		encoding string
		data     []byte
	}{
		{"utf-8", "", []byte(text)},
		{"utf-8 with BOM", "utf-8", append([]byte{0xEF, 0xBB, 0xBF}, text...)},
		{"windows-1252", "windows-1252", []byte("sku,name\nA1,Caf\xe9 cr\xe8me\nB2,\xdcn\xefc\xf6d\xe9 \x80\n")},
		{"latin1 is read as windows-1252", "latin1", []byte("sku,name\nA1,Caf\xe9 cr\xe8me\nB2,\xdcn\xefc\xf6d\xe9 \x80\n")},
		{"iso-8859-1", "ISO-8859-1", []byte("sku,name\nA1,Caf\xe9 cr\xe8me\nB2,\xdcn\xefc\xf6d\xe9 \x80\n")},
		{"utf-16 LE with BOM", "utf-16", utf16Bytes(text, false, true)},
		{"utf-16 BE with BOM", "utf-16", utf16Bytes(text, true, true)},
		{"utf-16 BOM wins over the default", "", utf16Bytes(text, false, true)},
		{"utf-16 without BOM guessed LE", "utf-16", utf16Bytes(text, false, false)},
		{"utf-16 without BOM guessed BE", "utf-16", utf16Bytes(text, true, false)},
		{"utf-16le", "utf-16le", utf16Bytes(text, false, false)},
		{"utf-16be with BOM", "UTF-16BE", utf16Bytes(text, true, true)},
		{"utf-8 BOM wins over windows-1252", "windows-1252", append([]byte{0xEF, 0xBB, 0xBF}, text...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeTemp(t, "in.csv", tt.data)
			src, recs := readAll(t, csvConfig(func(c *CSVConfig) { c.Encoding = tt.encoding }), dir)
			if got := columnNames(src.Columns()); fmt.Sprint(got) != "[sku name]" {
				t.Errorf("header %q", got)
			}
			if got := texts(recs); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("got %q, want %q", got, want)
			}
			for _, r := range recs {
				if len(r.Problems) > 0 {
					t.Errorf("unexpected problems: %v", r.Problems)
				}
			}
		})
	}
}

func TestCSVUTF16WithoutBOMAsUTF8(t *testing.T) {
	dir := writeTemp(t, "in.csv", utf16Bytes("sku,name\nA1,x\n", false, false))
	_, err := csvConfig(nil).Open(context.Background(), pipeline.Env{BaseDir: dir})
	if err == nil || !strings.Contains(err.Error(), "encoding: utf-16le") {
		t.Fatalf("want a hint to set encoding: utf-16le, got %v", err)
	}
}

func TestCSVInvalidUTF8(t *testing.T) {
	dir := writeTemp(t, "in.csv", []byte("sku,name\nA1,Caf\xe9\nB2,fine\n"))
	_, recs := readAll(t, csvConfig(nil), dir)
	if len(recs) != 2 {
		t.Fatalf("got %d records", len(recs))
	}
	ps := recs[0].Problems
	if len(ps) != 1 {
		t.Fatalf("want one problem, got %v", ps)
	}
	p := ps[0]
	if p.Rule != "encoding" || p.Cell != "B2" || p.Column != "name" || !strings.Contains(p.Message, "encoding: windows-1252") {
		t.Errorf("problem %+v", p)
	}
	if v := recs[0].Values[1].(string); v != "Caf\uFFFD" {
		t.Errorf("value %q is not valid UTF-8 text", v)
	}
	if len(recs[1].Problems) != 0 {
		t.Errorf("second row: %v", recs[1].Problems)
	}
	if p.Origin != (pipeline.Origin{File: "in.csv", Row: 2, Line: 2}) {
		t.Errorf("origin %+v", p.Origin)
	}
}

func TestCSVInvalidUTF8Header(t *testing.T) {
	dir := writeTemp(t, "in.csv", []byte("sku,d\xe9signation\nA1,x\n"))
	_, err := csvConfig(nil).Open(context.Background(), pipeline.Env{BaseDir: dir})
	if err == nil || !strings.Contains(err.Error(), "encoding: windows-1252") || !strings.Contains(err.Error(), "B1") {
		t.Fatalf("got %v", err)
	}
}

func TestCSVRowsAndLines(t *testing.T) {
	in := "sku,desc\r\n" + // row 1, line 1
		"A1,\"first\r\nsecond\r\nthird\"\r\n" + // row 2, lines 2-4
		"\r\n" + // row 3: blank, skipped but counted as a spreadsheet does
		"B2,plain\r\n" + // row 4, line 6
		",\r\n" + // row 5: no values, skipped
		"C3,\"x\"\r\n" + // row 6, line 8
		",\r\n,\r\n\r\n" // trailing empty records
	dir := writeTemp(t, "in.csv", []byte(in))
	_, recs := readAll(t, csvConfig(nil), dir)
	want := []pipeline.Origin{
		{File: "in.csv", Row: 2, Line: 2},
		{File: "in.csv", Row: 4, Line: 6},
		{File: "in.csv", Row: 6, Line: 8},
	}
	if len(recs) != len(want) {
		t.Fatalf("got %d records: %v", len(recs), texts(recs))
	}
	for i, r := range recs {
		if r.Origin != want[i] {
			t.Errorf("record %d: origin %+v, want %+v", i, r.Origin, want[i])
		}
	}
	if v := recs[0].Values[1]; v != "first\nsecond\nthird" {
		t.Errorf("embedded newlines: %q", v)
	}
}

func TestCSVHeaderRow(t *testing.T) {
	in := "Stock report\n\nsku,qty\nA1,3\nB2,4\n"
	dir := writeTemp(t, "in.csv", []byte(in))
	src, recs := readAll(t, csvConfig(func(c *CSVConfig) { c.HeaderRow = 3 }), dir)
	if got := columnNames(src.Columns()); fmt.Sprint(got) != "[sku qty]" {
		t.Fatalf("header %q", got)
	}
	if len(recs) != 2 || recs[0].Origin.Row != 4 || recs[1].Origin.Row != 5 {
		t.Fatalf("records %+v", recs)
	}
	if fi := src.(pipeline.FileSource).File(); fi.HeaderRow != 3 || fi.Format != "csv" || fi.Path != filepath.Join(dir, "in.csv") {
		t.Errorf("file info %+v", fi)
	}

	// A header_row that points at the blank line says where the values are.
	_, err := csvConfig(func(c *CSVConfig) { c.HeaderRow = 2 }).Open(context.Background(), pipeline.Env{BaseDir: dir})
	if err == nil || !strings.Contains(err.Error(), "next row with values is 3") {
		t.Errorf("blank header row: %v", err)
	}
	_, err = csvConfig(func(c *CSVConfig) { c.HeaderRow = 9 }).Open(context.Background(), pipeline.Env{BaseDir: dir})
	if err == nil || !strings.Contains(err.Error(), "only 5 rows") {
		t.Errorf("header row past the end: %v", err)
	}
}

func TestCSVRagged(t *testing.T) {
	in := "sku,name,qty\nA1,Widget,3\nB2,Gadget\nC3,Big, heavy,5\n"
	dir := writeTemp(t, "in.csv", []byte(in))
	_, recs := readAll(t, csvConfig(nil), dir)
	if len(recs) != 3 {
		t.Fatalf("got %d records", len(recs))
	}
	if len(recs[0].Problems) != 0 {
		t.Errorf("row 2: %v", recs[0].Problems)
	}
	short := recs[1]
	if len(short.Problems) != 1 || short.Problems[0].Rule != "ragged" ||
		!strings.Contains(short.Problems[0].Message, "row has 2 fields, header has 3") || short.Problems[0].Cell != "C3" {
		t.Errorf("short row: %+v", short.Problems)
	}
	if short.Values[2] != nil {
		t.Errorf("short row padded with %q, want nil", short.Values[2])
	}
	long := recs[2]
	if len(long.Problems) != 1 || long.Problems[0].Rule != "ragged" ||
		!strings.Contains(long.Problems[0].Message, `row has 4 fields, header has 3: a value probably contains an unquoted ','`) ||
		long.Problems[0].Value != "5" || long.Problems[0].Cell != "D4" {
		t.Errorf("long row: %+v", long.Problems)
	}
	if got := fmt.Sprint(long.Values); got != "[C3 Big  heavy]" {
		t.Errorf("long row truncated to %s", got)
	}
}

func TestCSVHeaderNames(t *testing.T) {
	dir := writeTemp(t, "in.csv", []byte(" sku ,,qty\nA1,x,3\n"))
	src, _ := readAll(t, csvConfig(nil), dir)
	want := []pipeline.Column{
		{Name: "sku", Ref: "A", Type: pipeline.TypeString},
		{Name: "column_B", Ref: "B", Type: pipeline.TypeString},
		{Name: "qty", Ref: "C", Type: pipeline.TypeString},
	}
	if fmt.Sprint(src.Columns()) != fmt.Sprint(want) {
		t.Errorf("columns %+v", src.Columns())
	}

	dir = writeTemp(t, "in.csv", []byte("sku,name,qty,name\n"))
	_, err := csvConfig(nil).Open(context.Background(), pipeline.Env{BaseDir: dir})
	if err == nil || !strings.Contains(err.Error(), `"name" appears twice, in columns B and D`) {
		t.Errorf("duplicate header: %v", err)
	}
}

func TestCSVQuotes(t *testing.T) {
	in := "sku,name\nA1,Widget\nB2,5\" pipe\nC3,\"ok \"\"quoted\"\"\"\nD4,\"bad\"x\nE5,last\n"
	dir := writeTemp(t, "in.csv", []byte(in))
	_, recs := readAll(t, csvConfig(nil), dir)
	if len(recs) != 5 {
		t.Fatalf("got %d records: %v", len(recs), texts(recs))
	}
	bare := recs[1]
	if len(bare.Problems) != 1 || bare.Problems[0].Rule != "quote" || bare.Problems[0].Cell != "B3" ||
		!strings.Contains(bare.Problems[0].Message, "line 3, column 5") {
		t.Errorf("bare quote: %+v", bare.Problems)
	}
	if recs[2].Values[1] != `ok "quoted"` || len(recs[2].Problems) != 0 {
		t.Errorf("doubled quotes: %+v", recs[2])
	}
	if len(recs[3].Problems) != 1 || recs[3].Problems[0].Rule != "quote" {
		t.Errorf("stray quote: %+v", recs[3].Problems)
	}
	if recs[4].Values[0] != "E5" || recs[4].Origin.Row != 6 {
		t.Errorf("reading went on wrongly: %+v", recs[4])
	}
}

func TestCSVUnclosedQuote(t *testing.T) {
	in := "sku,name\nA1,\"never closed\nB2,x\nC3,y\n"
	dir := writeTemp(t, "in.csv", []byte(in))
	src, err := csvConfig(nil).Open(context.Background(), pipeline.Env{BaseDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	_, err = src.Next(context.Background())
	if err == nil || !strings.Contains(err.Error(), "in.csv:") || !strings.Contains(err.Error(), "starts on line 2") {
		t.Fatalf("want an error naming file:line:column, got %v", err)
	}
}

func TestCSVRecordGuard(t *testing.T) {
	g := &recordGuard{r: strings.NewReader(strings.Repeat("x", 100)), max: 10}
	b, err := io.ReadAll(g)
	if len(b) != 10 || !errors.Is(err, errRecordTooLarge) {
		t.Fatalf("read %d bytes, err %v", len(b), err)
	}
	g.reset()
	if n, _ := g.Read(make([]byte, 5)); n != 5 {
		t.Fatalf("after reset: %d", n)
	}
}

func TestCSVComment(t *testing.T) {
	in := "# exported by inFlow\nsku;qty\n# a note\nA1;3\n"
	dir := writeTemp(t, "in.csv", []byte(in))
	src, recs := readAll(t, csvConfig(func(c *CSVConfig) { c.Comment = "#"; c.HeaderRow = 2 }), dir)
	if fmt.Sprint(columnNames(src.Columns())) != "[sku qty]" || len(recs) != 1 || recs[0].Origin.Row != 4 {
		t.Fatalf("columns %v, records %+v", src.Columns(), recs)
	}
}

func TestCSVSettingErrors(t *testing.T) {
	dir := writeTemp(t, "in.csv", []byte("a,b\n1,2\n"))
	tests := []struct {
		name string
		mod  func(*CSVConfig)
		want string
	}{
		{"no path", func(c *CSVConfig) { c.Path = "" }, "path is required"},
		{"delimiter", func(c *CSVConfig) { c.Delimiter = "::" }, `delimiter "::" is not supported`},
		{"encoding", func(c *CSVConfig) { c.Encoding = "ebcdic" }, `encoding "ebcdic" is not supported`},
		{"header_row", func(c *CSVConfig) { c.HeaderRow = -1 }, "header_row -1"},
		{"comment", func(c *CSVConfig) { c.Comment = "##" }, "single character"},
		{"comment is delimiter", func(c *CSVConfig) { c.Comment = ";"; c.Delimiter = ";" }, "also the delimiter"},
		{"missing file", func(c *CSVConfig) { c.Path = "nope.csv" }, filepath.Join(dir, "nope.csv")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := csvConfig(tt.mod).Open(context.Background(), pipeline.Env{BaseDir: dir})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}

	empty := writeTemp(t, "in.csv", nil)
	if _, err := csvConfig(nil).Open(context.Background(), pipeline.Env{BaseDir: empty}); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty file: %v", err)
	}
}

func TestCSVDelimiterSettings(t *testing.T) {
	for setting, data := range map[string]string{
		",": "a,b\n1,2\n", ";": "a;b\n1;2\n", "tab": "a\tb\n1\t2\n", "\t": "a\tb\n1\t2\n", `\t`: "a\tb\n1\t2\n", "|": "a|b\n1|2\n",
	} {
		dir := writeTemp(t, "in.csv", []byte(data))
		src, recs := readAll(t, csvConfig(func(c *CSVConfig) { c.Delimiter = setting }), dir)
		if len(src.Columns()) != 2 || len(recs) != 1 || recs[0].Values[1] != "2" {
			t.Errorf("delimiter %q: columns %v records %v", setting, src.Columns(), texts(recs))
		}
	}
}

func TestCSVContextAndClose(t *testing.T) {
	dir := writeTemp(t, "in.csv", []byte("a,b\n1,2\n3,4\n"))
	src, err := csvConfig(nil).Open(context.Background(), pipeline.Env{BaseDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := src.Next(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Next: %v", err)
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	if err := src.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := src.Next(context.Background()); err == nil {
		t.Error("Next after Close returned no error")
	}
}

func TestRegistry(t *testing.T) {
	for _, tt := range []struct{ path, typ string }{
		{"a.csv", "csv"}, {"a.TSV", "csv"}, {"a.txt", "csv"}, {"a.xlsx", "xlsx"}, {"a.xlsm", "xlsx"}, {"a.parquet", "parquet"},
	} {
		st, err := pipeline.SourceForPath(tt.path)
		if err != nil || st.Name != tt.typ {
			t.Errorf("%s: %v %v", tt.path, st.Name, err)
			continue
		}
		if st.NewConfig() == nil || st.Doc == "" {
			t.Errorf("%s: incomplete registration", tt.typ)
		}
	}
	st, _ := pipeline.LookupSource("csv")
	if c := st.ForPath("x.tsv").(*CSVConfig); c.Delimiter != "tab" || c.Path != "x.tsv" || c.HeaderRow != 1 {
		t.Errorf("ForPath(.tsv) = %+v", c)
	}
}

// FuzzCSV feeds arbitrary bytes to the CSV source: it must never panic, and
// every record must have exactly one value per column, in increasing rows.
func FuzzCSV(f *testing.F) {
	for _, seed := range []string{
		"a,b\n1,2\n", "a;b\n\"x;y\";2\n", "a\tb\n1\n1\t2\t3\n", "a,b\n\"unclosed\n1,2\n", "a,b\n5\" x,1\n",
		"\xef\xbb\xbfa,b\n\xff\xfe,1\n", "\xff\xfea\x00,\x00b\x00\n\x001\x00,\x002\x00\n\x00", "a,a\n", ",,\n,,\n", "\n\n\na\n",
		"a,b\r\n\"x\r\ny\",2\r\n", "#c\na|b\n1|2\n",
	} {
		f.Add([]byte(seed), uint8(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, opts uint8) {
		cfg := NewCSVConfig()
		cfg.Path = "fuzz.csv"
		cfg.Delimiter = []string{"", ",", ";", "tab", "|"}[int(opts)%5]
		cfg.Encoding = []string{"utf-8", "windows-1252", "utf-16"}[int(opts/5)%3]
		if opts&0x80 != 0 {
			cfg.Comment = "#"
		}
		if cfg.Delimiter == "" && cfg.Comment != "" {
			cfg.HeaderRow = 2
		}
		comma, _ := parseDelimiter(cfg.Delimiter)
		enc, _ := parseEncoding(cfg.Encoding)
		comment, _ := parseComment(cfg.Comment, comma)
		src, err := openCSV(io.NopCloser(bytes.NewReader(data)), int64(len(data)), cfg.Path, cfg.Path, comma, enc, comment, max(cfg.HeaderRow, 1), pipeline.Env{})
		if err != nil {
			return
		}
		defer src.Close()
		ncols := len(src.Columns())
		if ncols == 0 {
			t.Fatal("no columns")
		}
		lastRow := src.info.HeaderRow
		for range 10000 {
			rec, err := src.Next(context.Background())
			if err != nil {
				return
			}
			if len(rec.Values) != ncols {
				t.Fatalf("%d values for %d columns", len(rec.Values), ncols)
			}
			if rec.Origin.Row <= lastRow || rec.Origin.Line < rec.Origin.Row {
				t.Fatalf("origin %+v after row %d", rec.Origin, lastRow)
			}
			lastRow = rec.Origin.Row
			for _, p := range rec.Problems {
				if p.Rule == "" || p.Message == "" {
					t.Fatalf("incomplete problem %+v", p)
				}
			}
		}
	})
}

// BenchmarkCSVSource reads a generated CSV of 100,000 rows of 8 columns.
func BenchmarkCSVSource(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("sku,name,description,category,price,cost,quantity,barcode\n")
	for i := range 100000 {
		fmt.Fprintf(&buf, "SKU-%06d,Product %d,\"A fine product, size %d\",Category %d,%d.99,%d.50,%d,%013d\n",
			i, i, i%50, i%20, i%500, i%300, i%1000, 4000000000000+i)
	}
	dir := writeTemp(b, "bench.csv", buf.Bytes())
	cfg := NewCSVConfig()
	cfg.Path = "bench.csv"
	env := pipeline.Env{BaseDir: dir}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		src, err := cfg.Open(context.Background(), env)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			_, err := src.Next(context.Background())
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		src.Close()
		if n != 100000 {
			b.Fatalf("read %d rows", n)
		}
	}
}

func TestCSVProgress(t *testing.T) {
	data := []byte("a,b\n" + strings.Repeat("1,2\n", 50000))
	dir := writeTemp(t, "in.csv", data)
	src, err := csvConfig(nil).Open(context.Background(), pipeline.Env{BaseDir: dir})
	must(t, err)
	defer src.Close()
	p := src.(pipeline.Progresser)
	if done, total := p.Progress(); total != int64(len(data)) || done <= 0 || done >= total {
		t.Errorf("after the header: %d of %d", done, total)
	}
	for {
		if _, err := src.Next(context.Background()); err != nil {
			break
		}
	}
	if done, total := p.Progress(); done != total {
		t.Errorf("at the end: %d of %d", done, total)
	}
}

// Only the cells with invalid bytes are flagged in a file of many reads,
// whatever runes the reads cut (a "€" and a "𝄞" on every row land across
// every read boundary sooner or later).
func TestCSVInvalidUTF8FarIntoTheFile(t *testing.T) {
	var text bytes.Buffer
	text.WriteString("sku,name,note\n")
	const rows, badRow = 3000, 1700
	for i := range rows {
		name := fmt.Sprintf("Caf\u00e9 %d \u20ac", i)
		if i == badRow {
			name = "Caf\xe9 cr\xe8me"
		}
		fmt.Fprintf(&text, "A%d,%s,\U0001D11E%s\n", i, name, strings.Repeat("x", i%7))
	}
	text.WriteString("Z,last,\xe2\x82") // ends inside a rune
	dir := writeTemp(t, "in.csv", text.Bytes())
	_, recs := readAll(t, csvConfig(nil), dir)
	if len(recs) != rows+1 {
		t.Fatalf("got %d records, want %d", len(recs), rows+1)
	}
	for i, r := range recs {
		var cells []string
		for _, p := range r.Problems {
			cells = append(cells, p.Cell)
		}
		var want []string
		switch i {
		case badRow:
			want = []string{fmt.Sprintf("B%d", badRow+2)}
		case rows:
			want = []string{fmt.Sprintf("C%d", rows+2)}
		}
		if !slices.Equal(cells, want) {
			t.Errorf("record %d: problems in %v, want %v", i, cells, want)
		}
	}
}
