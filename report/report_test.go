package report

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/etl-dev/etl/pipeline"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const evil = `<script>alert("x")</script>`

func origin(row int) pipeline.Origin {
	return pipeline.Origin{File: "samples/catalog.xlsx", Sheet: "Products", Row: row}
}

// sampleResult is a dry run of ten rows, three of them rejected with six
// problems in four kinds.
func sampleResult() *pipeline.Result {
	started := time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)
	r := &pipeline.Result{
		Job:      "catalog <import> & more",
		DryRun:   true,
		Started:  started,
		Finished: started.Add(2*time.Minute + 3456*time.Millisecond),
		Source:   "xlsx samples/catalog.xlsx [Products]",
		Sink:     "inflow products",
		RowsRead: 10,
		Problems: []pipeline.Problem{
			{Origin: origin(3), Column: "Price", Cell: "C3", Field: "price", Value: "abc", Rule: "type", Message: `"abc" is not a decimal`},
			{Origin: origin(5), Column: "Name", Cell: "A5", Field: "name", Rule: "required", Message: "a value is required"},
			{Origin: origin(5), Column: "Price", Cell: "C5", Field: "price", Value: "1,2,3", Rule: "type", Message: `"1,2,3" is not a decimal`},
			{Origin: origin(7), Column: "Name", Cell: "A7", Field: "name", Value: evil, Rule: "pattern", Message: `"` + evil + `" does not match ^[A-Za-z ]+$`},
			{Origin: origin(7), Column: "Price", Cell: "C7", Field: "price", Value: "12..5", Rule: "type", Message: `"12..5" is not a decimal`},
			{Origin: origin(9), Rule: "ragged", Message: "the row has 5 values, the header 4"},
		},
		ProblemsOmitted: 2,
	}
	r.Counts[pipeline.Created] = 3
	r.Counts[pipeline.Updated] = 2
	r.Counts[pipeline.Unchanged] = 1
	r.Counts[pipeline.Skipped] = 1
	r.Counts[pipeline.Rejected] = 3
	return r
}

func TestGroupProblems(t *testing.T) {
	groups := GroupProblems(sampleResult().Problems)
	type g struct {
		rule, field, column, msg string
		count                    int
	}
	var got []g
	for _, x := range groups {
		got = append(got, g{x.Rule, x.Field, x.Column, x.Reason, x.Count()})
	}
	want := []g{
		{"type", "price", "Price", "not a decimal", 3},
		{"required", "name", "Name", "a value is required", 1},
		{"pattern", "name", "Name", "does not match ^[A-Za-z ]+$", 1},
		{"ragged", "", "", "the row has 5 values, the header 4", 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("groups:\n got %+v\nwant %+v", got, want)
	}
	if rows := []int{groups[0].Problems[0].Origin.Row, groups[0].Problems[1].Origin.Row, groups[0].Problems[2].Origin.Row}; !reflect.DeepEqual(rows, []int{3, 5, 7}) {
		t.Errorf("occurrences not in input order: rows %v", rows)
	}
}

func TestNormaliseMessage(t *testing.T) {
	for _, tc := range []struct{ msg, value, want string }{
		{`"abc" is not a decimal`, "abc", `"…" is not a decimal`},
		{`abc is not a decimal`, "abc", `… is not a decimal`},
		{`row 12 repeats the SKU of row 4`, "", `row … repeats the SKU of row …`},
		{`“x” is  unknown`, "x", `“…” is unknown`},
		{"has 3.5 too many", "", "has … too many"},
		{"SKU123 is taken", "", "SKU123 is taken"}, // digits inside a word stay
		{`a "quoted \" one" here`, "", `a "…" here`},
	} {
		if got := normaliseMessage(tc.msg, tc.value); got != tc.want {
			t.Errorf("normaliseMessage(%q, %q) = %q, want %q", tc.msg, tc.value, got, tc.want)
		}
	}
}

func renderHTML(t *testing.T, r *pipeline.Result) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteHTML(&buf, r, nil); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestWriteHTML(t *testing.T) {
	r := sampleResult()
	page := renderHTML(t, r)

	if strings.Contains(page, "<script") {
		t.Error("the page holds a raw <script")
	}
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var tables [][][]string // table → row → cell texts
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "link", "img", "iframe":
				t.Errorf("the page holds a <%s> element", n.Data)
			case "table":
				tables = append(tables, tableText(n))
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)

	// Outcomes, the group index, then one table per group.
	if len(tables) != 2+4 {
		t.Fatalf("%d tables, want 6", len(tables))
	}
	outcomes := tables[0]
	wantOutcomes := map[string]string{"written": "0", "created": "3", "updated": "2", "unchanged": "1", "skipped": "1", "rejected": "3", "total": "10", "rows read": "10"}
	for _, row := range outcomes[1:] {
		if want, ok := wantOutcomes[row[0]]; !ok || row[1] != want {
			t.Errorf("outcome row %q, want count %q", row, want)
		}
		delete(wantOutcomes, row[0])
	}
	if len(wantOutcomes) != 0 {
		t.Errorf("outcomes missing: %v", wantOutcomes)
	}
	if !strings.Contains(page, "The outcomes add up to the rows read") {
		t.Error("the page does not say the outcomes add up")
	}

	index := tables[1]
	if got := [][]string{index[1][:2], index[2][:2]}; !reflect.DeepEqual(got, [][]string{{"3", "type"}, {"1", "required"}}) {
		t.Errorf("group index starts %q", got)
	}
	// Every problem appears once, in its group's table, with every detail.
	seen := 0
	for gi, g := range GroupProblems(r.Problems) {
		occ := tables[2+gi][1:]
		if len(occ) != g.Count() {
			t.Errorf("group %d: %d rows, want %d", gi, len(occ), g.Count())
			continue
		}
		for i, p := range g.Problems {
			want := []string{p.Origin.File, p.Origin.Sheet, rowText(p.Origin), cellOf(p), p.Field, p.Value, p.Message}
			if !reflect.DeepEqual(occ[i], want) {
				t.Errorf("group %d row %d: %q, want %q", gi, i, occ[i], want)
			}
			seen++
		}
	}
	if seen != len(r.Problems) {
		t.Errorf("%d occurrences shown, want %d", seen, len(r.Problems))
	}

	for _, want := range []string{
		"catalog &lt;import&gt; &amp; more",
		"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;",
		"3 occurrences",
		"2 more problems were left out",
		"Dry run: nothing was written",
		"2025-03-04 10:00:00 UTC",
		"2 min 3 s",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

func tableText(table *html.Node) [][]string {
	var rows [][]string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "tr" {
			var row []string
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && (c.Data == "td" || c.Data == "th") {
					row = append(row, textOf(c))
				}
			}
			rows = append(rows, row)
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(table)
	return rows
}

func textOf(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(textOf(c))
	}
	return b.String()
}

func TestWriteHTMLAbortedAndEmpty(t *testing.T) {
	r := &pipeline.Result{Job: "j", RowsRead: 5, Aborted: "the error budget of 3 rejected rows was spent"}
	r.Counts[pipeline.Written] = 4
	page := renderHTML(t, r)
	for _, want := range []string{
		`<section id="aborted"`, "the error budget of 3 rejected rows was spent",
		"do not add up", "No problems.", "Stopped early: 4 rows were written before it stopped",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if page := renderHTML(t, sampleResult()); strings.Contains(page, `id="aborted"`) {
		t.Error("a finished run has an aborted section")
	}
}

// The badge says what the run did: a run that wrote nothing does not say
// rows were written.
func TestBadge(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		counts  map[pipeline.Outcome]int64
		dry     bool
		aborted string
		want    string
	}{
		{map[pipeline.Outcome]int64{pipeline.Unchanged: 290, pipeline.Rejected: 10}, false, "", "Live run: nothing to write, 290 rows were already up to date"},
		{map[pipeline.Outcome]int64{pipeline.Created: 2, pipeline.Updated: 1, pipeline.Unchanged: 5}, false, "", "Live run: 2 created, 1 updated"},
		{map[pipeline.Outcome]int64{pipeline.Written: 1200}, false, "", "Live run: 1,200 written"},
		{map[pipeline.Outcome]int64{pipeline.Rejected: 3}, false, "", "Live run: nothing was written"},
		{map[pipeline.Outcome]int64{pipeline.Created: 3}, true, "", "Dry run: nothing was written"},
		{map[pipeline.Outcome]int64{pipeline.NotProcessed: 3}, false, "interrupted", "Stopped early: nothing was written"},
	} {
		r := &pipeline.Result{Job: "j", DryRun: tc.dry, Aborted: tc.aborted}
		for o, n := range tc.counts {
			r.Counts[o] = n
			r.RowsRead += n
		}
		page := renderHTML(t, r)
		if !strings.Contains(page, ">"+tc.want+"</span>") {
			t.Errorf("counts %v: the badge is not %q", tc.counts, tc.want)
		}
		if tc.want != "Live run: 2 created, 1 updated" && strings.Contains(page, "rows were written") {
			t.Errorf("counts %v: the page says rows were written", tc.counts)
		}
	}
}

func TestHTMLGolden(t *testing.T) {
	page := renderHTML(t, sampleResult())
	golden := filepath.Join("testdata", "report.html.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if page != string(want) {
		t.Errorf("the page differs from %s (run go test -update and review the diff)", golden)
	}
}

func TestWriteJSON(t *testing.T) {
	r := sampleResult()
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "\n  \"job\": ") {
		t.Error("the JSON is not indented")
	}

	// The keys, exactly.
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(buf.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range raw {
		keys = append(keys, k)
	}
	wantKeys := []string{"aborted", "counts", "dry_run", "duration_ms", "finished", "groups", "job", "problems", "problems_omitted", "rows_read", "sink", "source", "started", "version"}
	if !equalSets(keys, wantKeys) {
		t.Errorf("keys %v, want %v", keys, wantKeys)
	}
	var probKeys map[string]any
	var problems []json.RawMessage
	_ = json.Unmarshal(raw["problems"], &problems)
	_ = json.Unmarshal(problems[0], &probKeys)
	keys = keys[:0]
	for k := range probKeys {
		keys = append(keys, k)
	}
	if want := []string{"file", "sheet", "row", "line", "column", "cell", "field", "value", "rule", "message"}; !equalSets(keys, want) {
		t.Errorf("problem keys %v, want %v", keys, want)
	}

	var got JSONReport
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Job != r.Job || !got.DryRun || !got.Started.Equal(r.Started) || !got.Finished.Equal(r.Finished) ||
		got.DurationMS != 123456 || got.Source != r.Source || got.Sink != r.Sink || got.RowsRead != 10 ||
		got.Aborted != "" || got.ProblemsOmitted != 2 || got.Version != JSONVersion {
		t.Errorf("decoded %+v", got)
	}
	var sum int64
	for _, o := range pipeline.Outcomes() {
		if got.Counts[o.String()] != r.Count(o) {
			t.Errorf("counts[%s] = %d, want %d", o, got.Counts[o.String()], r.Count(o))
		}
		sum += got.Counts[o.String()]
	}
	if sum != got.RowsRead || len(got.Counts) != len(pipeline.Outcomes()) {
		t.Errorf("counts %v add up to %d, rows read %d", got.Counts, sum, got.RowsRead)
	}
	if len(got.Problems) != len(r.Problems) {
		t.Fatalf("%d problems, want %d", len(got.Problems), len(r.Problems))
	}
	for i, p := range r.Problems {
		back := pipeline.Problem{
			Origin: pipeline.Origin{File: got.Problems[i].File, Sheet: got.Problems[i].Sheet, Row: got.Problems[i].Row, Line: got.Problems[i].Line},
			Column: got.Problems[i].Column, Cell: got.Problems[i].Cell, Field: got.Problems[i].Field,
			Value: got.Problems[i].Value, Rule: got.Problems[i].Rule, Message: got.Problems[i].Message,
		}
		if back != p {
			t.Errorf("problem %d: %+v, want %+v", i, back, p)
		}
	}
	wantGroups := []JSONGroup{
		{"type", "price", "Price", "not a decimal", 3, []string{"abc", "1,2,3", "12..5"}, []string{"C3", "C5", "C7"}},
		{"required", "name", "Name", "a value is required", 1, []string{}, []string{"A5"}},
		{"pattern", "name", "Name", "does not match ^[A-Za-z ]+$", 1, []string{evil}, []string{"A7"}},
		{"ragged", "", "", "the row has 5 values, the header 4", 1, []string{}, []string{"row 9"}},
	}
	if !reflect.DeepEqual(got.Groups, wantGroups) {
		t.Errorf("groups %+v, want %+v", got.Groups, wantGroups)
	}
}

func TestWriteJSONEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, &pipeline.Result{Job: "j"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"problems": []`, `"groups": []`, `"aborted": ""`, `"duration_ms": 0`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("the JSON lacks %s:\n%s", want, buf.String())
		}
	}
}

func equalSets(a, b []string) bool {
	m := make(map[string]int)
	for _, s := range a {
		m[s]++
	}
	for _, s := range b {
		m[s]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return len(a) == len(b)
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	r := sampleResult()
	src := recordSource(t)
	opts := Options{
		HTML:      filepath.Join(dir, "out", "deep", "report.html"),
		JSON:      filepath.Join(dir, "out", "report.json"),
		Annotated: filepath.Join(dir, "out", "annotated.xlsx"),
		Source:    src,
	}
	if err := Write(context.Background(), r, opts); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(opts.HTML)
	if err != nil || !bytes.Equal(page, []byte(renderHTML(t, r))) {
		t.Errorf("HTML report not written as WriteHTML renders it (err %v)", err)
	}
	var j JSONReport
	if data, err := os.ReadFile(opts.JSON); err != nil || json.Unmarshal(data, &j) != nil || j.Job != r.Job {
		t.Errorf("JSON report not written (err %v)", err)
	}
	if _, err := os.Stat(opts.Annotated); err != nil {
		t.Error(err)
	}
	assertNoTempFiles(t, dir)

	// Only what is asked for; a failing report does not stop the others.
	dir2 := t.TempDir()
	err = Write(context.Background(), r, Options{JSON: filepath.Join(dir2, "r.json"), Annotated: filepath.Join(dir2, "a.xlsx")})
	if err == nil || !strings.Contains(err.Error(), "no source") {
		t.Errorf("annotated copy without a source: err %v", err)
	}
	entries, _ := os.ReadDir(dir2)
	if len(entries) != 1 || entries[0].Name() != "r.json" {
		t.Errorf("dir holds %v, want only r.json", entries)
	}
}

func assertNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if strings.Contains(filepath.Base(path), ".tmp") {
			t.Errorf("temporary file left behind: %s", path)
		}
		return nil
	})
}

// BenchmarkWriteHTML renders a report holding the most problems a Result
// keeps.
func BenchmarkWriteHTML(b *testing.B) {
	r := sampleResult()
	r.Problems = r.Problems[:0]
	for i := range pipeline.MaxProblems {
		r.Problems = append(r.Problems, pipeline.Problem{
			Origin: origin(i + 2), Column: "Price", Cell: "C" + strconv.Itoa(i+2), Field: "price",
			Value: strconv.Itoa(i) + "x", Rule: "type", Message: strconv.Quote(strconv.Itoa(i)+"x") + " is not a decimal",
		})
	}
	for b.Loop() {
		if err := WriteHTML(io.Discard, r, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// Problems of one kind make one group whatever their values: duplicates of
// different SKUs, values below a minimum, strings too long.
func TestGroupReasons(t *testing.T) {
	t.Parallel()
	o := func(row int) pipeline.Origin { return pipeline.Origin{File: "c.xlsx", Sheet: "Products", Row: row} }
	problems := []pipeline.Problem{
		{Origin: o(34), Cell: "A34", Column: "SKU", Field: "sku", Value: "TEE-1", Rule: "unique", Message: `value "TEE-1" already appeared in row 33 (ignoring case): each sku must be unique`},
		{Origin: o(52), Cell: "I52", Column: "Quantity", Field: "quantity", Value: "-3", Rule: "min", Message: "value -3 is below the minimum 0"},
		{Origin: o(60), Cell: "A60", Column: "SKU", Field: "sku", Value: "CAP-22", Rule: "unique", Message: `value "CAP-22" already appeared in row 12 (ignoring case): each sku must be unique`},
		{Origin: o(61), Cell: "I61", Column: "Quantity", Field: "quantity", Value: "-12", Rule: "min", Message: "value -12 is below the minimum 0"},
		{Origin: o(70), Cell: "B70", Column: "Name", Field: "name", Rule: "max_length", Message: "value is 162 characters long; at most 120 are allowed: shorten it"},
		{Origin: o(71), Cell: "B71", Column: "Name", Field: "name", Rule: "max_length", Message: "value is 130 characters long; at most 120 are allowed: shorten it"},
		{Origin: o(80), Cell: "E80", Column: "Price", Field: "price", Value: "24,99", Rule: "type", Message: `"24,99" is not a decimal: use a dot as decimal separator, or add replace: {",": "."}`},
		{Origin: o(81), Cell: "E81", Column: "Price", Field: "price", Value: "12,5", Rule: "type", Message: `"12,5" is not a decimal: use a dot as decimal separator, or add replace: {",": "."}`},
		{Origin: o(82), Cell: "E82", Column: "Price", Field: "price", Value: "no-" + strings.Repeat("X", 80), Rule: "type", Message: `"no-XXXXXX…" is not a decimal: use a dot as decimal separator, or add replace: {",": "."}`},
		{Origin: o(90), Cell: "H90", Column: "Barcode", Field: "barcode", Value: "1", Rule: "expr", Message: "EAN-13 check digit is wrong"},
		{Origin: o(91), Cell: "H91", Column: "Barcode", Field: "barcode", Value: "2", Rule: "expr", Message: "the barcode is taken"},
	}
	type g struct {
		rule, reason  string
		values, cells []string
	}
	var got []g
	for _, x := range GroupProblems(problems) {
		got = append(got, g{x.Rule, x.Reason, x.Values(5), x.Cells(5)})
	}
	want := []g{
		{"type", `not a decimal: use a dot as decimal separator, or add replace: {",": "."}`, []string{"24,99", "12,5", "no-" + strings.Repeat("X", 80)}, []string{"E80", "E81", "E82"}},
		{"unique", "value already appeared in row … (ignoring case): each sku must be unique", []string{"TEE-1", "CAP-22"}, []string{"A34", "A60"}},
		{"min", "value is below the minimum 0", []string{"-3", "-12"}, []string{"I52", "I61"}},
		{"max_length", "value is … characters long; at most 120 are allowed: shorten it", nil, []string{"B70", "B71"}},
		{"expr", "EAN-13 check digit is wrong", []string{"1"}, []string{"H90"}},
		{"expr", "the barcode is taken", []string{"2"}, []string{"H91"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("groups:\n got %q\nwant %q", got, want)
	}
}
