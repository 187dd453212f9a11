package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/etl-dev/etl/inflow/sandbox"
)

// The browser test renders the HTML reports of the example jobs in headless
// Chromium, as a person sees them: it takes a screenshot of each and checks
// in the rendered DOM that the counts, groups and links are there, that
// nothing is wider than the window and that no header or short cell is
// broken mid-word.
//
// It is skipped when no Chromium is installed, unless ETL_BROWSER_TEST is
// "required" (as .ci/run sets it): then a missing browser fails the test.
// ETL_BROWSER names the browser binary; ETL_SCREENSHOTS a directory to keep
// the screenshots in (default: the test's temporary directory, never the
// repository).

// browserFlags keep headless Chromium from touching the network or the
// user's profile.
var browserFlags = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
	"--hide-scrollbars", "--window-size=1280,2000",
}

func findBrowser(t *testing.T) string {
	t.Helper()
	if b := os.Getenv("ETL_BROWSER"); b != "" {
		return b
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless_shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("ETL_BROWSER_TEST") == "required" {
		t.Fatal("ETL_BROWSER_TEST=required but no Chromium is installed (apt-get install chromium, or set ETL_BROWSER)")
	}
	t.Skip("no Chromium installed: the HTML reports are not checked in a browser (apt-get install chromium, or set ETL_BROWSER)")
	return ""
}

// layoutProbe is added to a copy of a report before it is rendered: it
// measures the laid-out page and writes what it found into the DOM, which
// --dump-dom then prints. The reports themselves have no scripts.
const layoutProbe = `<script>
(function () {
  var W = document.documentElement.clientWidth, found = {overflow: [], broken: []};
  if (document.documentElement.scrollWidth > W + 1) {
    found.overflow.push("the page is " + document.documentElement.scrollWidth + "px wide in a " + W + "px window");
  }
  document.querySelectorAll("body *").forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > W + 1) {
      found.overflow.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " ends at " + Math.round(r.right) + "px: " + (el.textContent || "").trim().slice(0, 60));
    }
  });
  // A word split over two lines: a text node without spaces whose
  // characters sit on more than one line.
  document.querySelectorAll("th, td:not(.text), h1, h2, h3, caption, .badge").forEach(function (el) {
    var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (var n = walker.nextNode(); n; n = walker.nextNode()) {
      n.textContent.split(/\s+/).forEach(function (word) {
        if (word.length < 2) return;
        var at = n.textContent.indexOf(word), range = document.createRange();
        range.setStart(n, at); range.setEnd(n, at + word.length);
        var tops = {};
        Array.prototype.forEach.call(range.getClientRects(), function (rc) { if (rc.width > 0) tops[Math.round(rc.top)] = true; });
        if (Object.keys(tops).length > 1) found.broken.push(el.tagName.toLowerCase() + ": " + word);
      });
    }
  });
  var pre = document.createElement("pre");
  pre.id = "etl-layout";
  pre.style.display = "none";
  pre.textContent = JSON.stringify(found);
  document.body.appendChild(pre);
})();
</script>`

func TestReportsInBrowser(t *testing.T) {
	browser := findBrowser(t)
	t.Parallel()
	_, file, _, _ := runtime.Caller(0)
	repo := filepath.Join(filepath.Dir(file), "..", "..")
	dir := t.TempDir()
	for _, d := range []string{"jobs", "samples"} {
		if err := os.CopyFS(filepath.Join(dir, d), os.DirFS(filepath.Join(repo, d))); err != nil {
			t.Fatal(err)
		}
	}
	// A job whose values are long and unbroken, to show that nothing
	// overflows.
	long := strings.Repeat("X", 300)
	csv := "SKU,A Rather Long Column Name For A Header,Price\n" +
		"A-1," + long + ",12.50\n" + "A-2,short,not-a-price-" + long + "\n" + "A-3,ok,3\n"
	stress := `name: long-values
source: {type: csv, path: long.csv}
mapping:
  sku: SKU
  a_rather_long_field_name_for_a_header: {from: A Rather Long Column Name For A Header}
  price: {from: Price, type: decimal}
validate:
  - {field: a_rather_long_field_name_for_a_header, max_length: 20}
sink: {type: jsonl, path: out/long.jsonl}
`
	for name, data := range map[string]string{"long.csv": csv, "long.yaml": stress} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	srv, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	env := []string{
		"INFLOW_BASE_URL=" + srv.URL(), "INFLOW_COMPANY_ID=" + srv.CompanyID(), "INFLOW_API_KEY=" + srv.APIKey(),
		"INFLOW_RATE_PER_MINUTE=60000", "ETL_JOURNAL=" + filepath.Join(dir, "journal.db"), "NO_COLOR=1",
	}
	shots := os.Getenv("ETL_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}

	type check struct {
		name, job string
		args      []string
		badge     string
		chart     bool
	}
	// In order: the onboarding runs share the emulator.
	checks := []check{
		{"catalog-to-parquet", "jobs/catalog-to-parquet.yaml", nil, "Live run: {written} written", false},
		{"onboard-dry-run", "jobs/onboard-products-xlsx.yaml", []string{"--dry-run"}, "Dry run: nothing was written", false},
		{"onboard", "jobs/onboard-products-xlsx.yaml", nil, "Live run: 290 created", true},
		{"onboard-again", "jobs/onboard-products-xlsx.yaml", nil, "Live run: nothing to write, 290 rows were already up to date", true},
		{"long-values", "long.yaml", nil, "Live run: {written} written", false},
	}
	for _, c := range checks {
		htmlPath := filepath.Join(dir, "reports", c.name+".html")
		jsonPath := filepath.Join(dir, "reports", c.name+".json")
		args := append([]string{"run", c.job, "--report-html", htmlPath, "--report-json", jsonPath, "-q"}, c.args...)
		out, err := etlCommand(t, dir, env, args...).CombinedOutput()
		var ee *exec.ExitError
		if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == exitRejected) {
			t.Fatalf("etl %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			htmlPath := filepath.Join(dir, "reports", c.name+".html")
			page, err := os.ReadFile(htmlPath)
			if err != nil {
				t.Fatal(err)
			}
			var rep struct {
				RowsRead int64            `json:"rows_read"`
				Counts   map[string]int64 `json:"counts"`
				Groups   []struct {
					Count int `json:"count"`
				} `json:"groups"`
			}
			if b, err := os.ReadFile(strings.TrimSuffix(htmlPath, ".html") + ".json"); err != nil || json.Unmarshal(b, &rep) != nil {
				t.Fatalf("the JSON report: %v", err)
			}

			// One browser run: the screenshot, and the DOM as laid out.
			probed := filepath.Join(dir, "reports", c.name+".probe.html")
			withProbe := bytes.Replace(page, []byte("</body>"), []byte(layoutProbe+"</body>"), 1)
			if err := os.WriteFile(probed, withProbe, 0o644); err != nil {
				t.Fatal(err)
			}
			shot := filepath.Join(shots, c.name+".png")
			dom := render(t, browser, "--screenshot="+shot, "--dump-dom", "file://"+probed)
			if fi, err := os.Stat(shot); err != nil || fi.Size() < 10_000 {
				t.Fatalf("no screenshot of %s: %v", c.name, err)
			}
			t.Logf("screenshot: %s", shot)
			doc, err := html.Parse(bytes.NewReader(dom))
			if err != nil {
				t.Fatal(err)
			}

			var layout struct{ Overflow, Broken []string }
			probe := find(doc, func(n *html.Node) bool { return attr(n, "id") == "etl-layout" })
			if len(probe) != 1 || json.Unmarshal([]byte(text(probe[0])), &layout) != nil {
				t.Fatalf("the layout probe did not run:\n%.2000s", dom)
			}
			for _, o := range layout.Overflow {
				t.Errorf("overflows the window: %s", o)
			}
			for _, b := range layout.Broken {
				t.Errorf("broken mid-word: %s", b)
			}

			// The badge says what happened.
			badge := strings.ReplaceAll(c.badge, "{written}", fmt.Sprint(rep.Counts["written"]))
			if b := find(doc, func(n *html.Node) bool { return attr(n, "id") == "badge" }); len(b) != 1 || text(b[0]) != badge {
				t.Errorf("badge %q, want %q", texts(b), badge)
			}
			// The outcome counts are those of the JSON report.
			outcomes := find(doc, func(n *html.Node) bool { return n.Data == "table" && hasClass(n, "outcomes") })
			if len(outcomes) == 0 {
				t.Fatal("no outcomes table")
			}
			shown := map[string]string{}
			for _, tr := range find(outcomes[0], func(n *html.Node) bool { return n.Data == "tr" }) {
				th := find(tr, func(n *html.Node) bool { return n.Data == "th" && attr(n, "scope") == "row" })
				td := find(tr, func(n *html.Node) bool { return n.Data == "td" && hasClass(n, "num") })
				if len(th) == 1 && len(td) == 1 {
					shown[text(th[0])] = strings.ReplaceAll(text(td[0]), ",", "")
				}
			}
			for name, n := range rep.Counts {
				if n == 0 && (name == "unknown" || name == "not processed") {
					continue
				}
				if shown[name] != fmt.Sprint(n) {
					t.Errorf("outcome %s shows %q, the JSON report says %d", name, shown[name], n)
				}
			}
			if shown["rows read"] != fmt.Sprint(rep.RowsRead) {
				t.Errorf("rows read shows %q, want %d", shown["rows read"], rep.RowsRead)
			}
			// One row per problem group in the index, each linking to its
			// section, which shows the count.
			rows := find(doc, func(n *html.Node) bool { return n.Data == "tr" && hasClass(n, "group-row") })
			if len(rows) != len(rep.Groups) {
				t.Errorf("%d problem groups shown, the JSON report has %d", len(rows), len(rep.Groups))
			}
			counts := find(doc, func(n *html.Node) bool { return hasClass(n, "group-count") })
			for i, g := range rep.Groups {
				if i < len(counts) && !strings.HasPrefix(text(counts[i]), fmt.Sprint(g.Count)+" ") {
					t.Errorf("group %d shows %q, want count %d", i, text(counts[i]), g.Count)
				}
			}
			// Every link within the page lands somewhere.
			ids := map[string]bool{}
			for _, n := range find(doc, func(n *html.Node) bool { return attr(n, "id") != "" }) {
				ids[attr(n, "id")] = true
			}
			links := find(doc, func(n *html.Node) bool { return n.Data == "a" && strings.HasPrefix(attr(n, "href"), "#") })
			if len(links) < 2 {
				t.Errorf("%d links in the page", len(links))
			}
			for _, a := range links {
				if !ids[strings.TrimPrefix(attr(a, "href"), "#")] {
					t.Errorf("link %s goes nowhere", attr(a, "href"))
				}
			}
			if bars := find(doc, func(n *html.Node) bool { return n.Data == "g" && hasClass(n, "bar") }); c.chart != (len(bars) > 0) {
				t.Errorf("chart bars: %d, want a chart: %v", len(bars), c.chart)
			}
		})
	}
}

// render runs the browser on url with a fresh profile and returns what it
// printed on stdout.
func render(t *testing.T, browser string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	all := append(append([]string{}, browserFlags...), "--user-data-dir="+t.TempDir())
	cmd := exec.CommandContext(ctx, browser, append(all, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", browser, strings.Join(args, " "), err, stderr.Bytes())
	}
	return out
}

func find(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

func texts(ns []*html.Node) []string {
	var out []string
	for _, n := range ns {
		out = append(out, text(n))
	}
	return out
}
