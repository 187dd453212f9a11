package goflowsrc

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/goflow/sandbox"
	inflowsandbox "github.com/etl-dev/etl/inflow/sandbox"
	"github.com/etl-dev/etl/pipeline"
)

// header_columns: true gives each line its order's columns after the
// table's own, which stay as they are; other tables refuse it.
func TestHeaderColumns(t *testing.T) {
	t.Parallel()
	lines, _ := lookupTable("orders", "lines")
	wide := lines.withHeader
	if len(wide.columns) <= len(lines.columns) {
		t.Fatalf("%d columns with headers, %d without", len(wide.columns), len(lines.columns))
	}
	seen := map[string]bool{}
	for i, c := range wide.columns {
		if seen[c.Name] {
			t.Errorf("column %s twice", c.Name)
		}
		seen[c.Name] = true
		if i < len(lines.columns) {
			if c != lines.columns[i] {
				t.Errorf("column %d is %v with headers, %v without", i, c, lines.columns[i])
			}
		} else if !strings.HasPrefix(c.Name, HeaderPrefix) || !strings.HasPrefix(wide.paths[i], "parent.") {
			t.Errorf("header column %s (from %s)", c.Name, wide.paths[i])
		}
	}
	headers, _ := lookupTable("orders", "headers")
	for _, c := range headers.columns {
		if !seen[HeaderPrefix+c.Name] {
			t.Errorf("no column %s%s", HeaderPrefix, c.Name)
		}
	}
	for _, e := range Entities() {
		for _, n := range Tables(e) {
			c := &Config{Entity: e, Table: n, HeaderColumns: true}
			tb, _ := lookupTable(e, n)
			err := c.Validate()
			if (tb.withHeader == nil) != (err != nil) || err != nil && !strings.Contains(err.Error(), "header_columns applies to line tables") {
				t.Errorf("%s/%s: %v", e, n, err)
			}
			if tb.withHeader != nil {
				names := map[string]bool{}
				for _, c := range tb.withHeader.columns {
					if names[c.Name] {
						t.Errorf("%s/%s with header_columns: column %s twice", e, n, c.Name)
					}
					names[c.Name] = true
				}
			}
		}
	}
}

// jobs/goflow-shipped-orders-to-inflow.yaml, after
// jobs/goflow-products-to-inflow.yaml, against a Goflow and an inFlow
// emulator on loopback sharing a virtual clock: every shipped Goflow order
// whose lines all name a product becomes one fulfilled inFlow sales order
// with those lines; the others are rejected with their reason; a second
// run writes nothing.
func TestShippedOrdersToInflowJob(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	in, err := inflowsandbox.Start(inflowsandbox.Options{Clock: tn.clock, RatePerMinute: inflowsandbox.DefaultRatePerMinute})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(in.Close)
	t.Setenv("INFLOW_BASE_URL", in.URL())
	t.Setenv("INFLOW_COMPANY_ID", in.CompanyID())
	t.Setenv("INFLOW_API_KEY", in.APIKey())
	t.Setenv("INFLOW_RATE_PER_MINUTE", "")
	t.Setenv("INFLOW_RATE_PER_HOUR", "")

	// One shipped order comes from a store the job's table does not name,
	// one from a warehouse it does not name: inFlow has neither.
	var shipped []map[string]any
	for _, o := range tn.srv.Records("orders") {
		if o["status"] == "shipped" {
			shipped = append(shipped, o)
		}
	}
	if len(shipped) < 10 {
		t.Fatalf("%d shipped orders in the seed", len(shipped))
	}
	edit := func(o map[string]any, key, name string) {
		id := int64(num(t, o["id"]).IntPart())
		if err := tn.srv.EditOrder(id, func(m map[string]any) { m[key].(map[string]any)["name"] = name }); err != nil {
			t.Fatal(err)
		}
		o[key].(map[string]any)["name"] = name
	}
	edit(shipped[0], "store", "eBay Motors")
	edit(shipped[1], "warehouse", "Dock 9")

	dir := filepath.Join(t.TempDir(), "jobs")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	job := func(name string) string {
		data, err := os.ReadFile(filepath.Join(repoRoot(), "jobs", name+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	tn.mustRun(t, dir, job("goflow-products-to-inflow"), nil)

	// What the job should make of each shipped order.
	customers := map[string]string{"Amazon US": "Blue Harbor Boutique", "Walmart Marketplace": "Westfield College Campus Store", "Shopify Store": "Maria Gonzalez"}
	locations := map[string]string{"Main Warehouse": "Main Warehouse", "East Coast DC": "Main Warehouse", "West Coast DC": "Overflow Storage"}
	ids := func(kind, idProp, prop string) map[string]string {
		out := map[string]string{}
		for _, r := range in.All(kind) {
			out[fmt.Sprint(r[prop])] = strings.ToLower(fmt.Sprint(r[idProp]))
		}
		return out
	}
	customerID, locationID, productID := ids("customers", "customerId", "name"), ids("locations", "locationId", "name"), ids("products", "productId", "sku")
	type line struct {
		product string
		qty     decimal.Decimal
	}
	type order struct {
		customer, location string
		date               time.Time
		lines              []line
		reject             string // a problem each of its rows names
		rows               int
	}
	want := map[string]*order{}
	var rows, good int
	for _, o := range shipped {
		number := o["order_number"].(string)
		w := &order{customer: customerID[customers[lookup(o, "store.name").(string)]], location: locationID[locations[lookup(o, "warehouse.name").(string)]],
			date: parseTime(t, o["date"])}
		for _, l := range o["lines"].([]any) {
			l := l.(map[string]any)
			w.rows++
			sku, _ := lookup(l, "product.item_number").(string)
			if sku == "" {
				sku = lookup(l, "listing.sku").(string)
			}
			if productID[sku] == "" && w.reject == "" {
				w.reject = fmt.Sprintf("no product in inFlow has sku or name %q", sku)
			}
			w.lines = append(w.lines, line{productID[sku], num(t, lookup(l, "quantity.amount"))})
		}
		switch {
		case w.customer == "":
			w.reject = `no customer in inFlow has name "eBay Motors"`
		case w.location == "":
			w.reject = `"Dock 9"`
		}
		if want[number] != nil {
			t.Fatalf("order number %s twice in the seed", number)
		}
		want[number] = w
		rows += w.rows
		if w.reject == "" {
			good++
		}
	}
	if good == len(want) || good < len(want)-10 {
		t.Fatalf("%d of %d orders are expected to map: the seed no longer tests rejections", good, len(want))
	}

	var goodRows int
	for _, w := range want {
		if w.reject == "" {
			goodRows += w.rows
		}
	}

	// The dry run plans what the run then does, and writes nothing.
	before := len(in.All("sales-orders"))
	in.ResetStats()
	dry, err := tn.runJobMode(t, dir, job("goflow-shipped-orders-to-inflow"), nil, true)
	if err != nil {
		t.Fatal(err)
	}
	dryReads := in.Stats().Total
	if st := in.Stats(); st.Writes != 0 || dry.sink == nil || dry.sink.Plan == nil {
		t.Fatalf("dry run: %d writes, report %+v", st.Writes, dry.sink)
	}
	if p := dry.sink.Plan; p.Creates != goodRows || p.Updates != 0 || p.Writes != good || p.Reads != dryReads || dry.res.Count(pipeline.Rejected) != int64(rows-goodRows) {
		t.Errorf("plan %+v, %d rejected; want %d rows (%d orders) to create, %d reads", p, dry.res.Count(pipeline.Rejected), goodRows, good, dryReads)
	}

	in.ResetStats()
	r, err := tn.runJob(t, dir, job("goflow-shipped-orders-to-inflow"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if st := in.Stats(); st.ByRoute["PUT /sales-orders"] != good || st.Writes != good || st.Total-st.Writes != dryReads {
		t.Errorf("%d writes (%d PUT /sales-orders) for %d orders, %d reads (the dry run read %d)", st.Writes, st.ByRoute["PUT /sales-orders"], good, st.Total-st.Writes, dryReads)
	}
	checkOutcomes := func(r *runResult, outcome pipeline.Outcome) {
		t.Helper()
		if r.res.RowsRead != int64(rows) || r.res.Count(outcome) != int64(goodRows) || r.res.Count(pipeline.Rejected) != int64(rows-goodRows) {
			t.Fatalf("%d rows read, want %d: %v (want %d %s)", r.res.RowsRead, rows, r.res.CountsByName(), goodRows, outcome)
		}
		byOrder := map[string][]string{}
		for _, p := range r.res.Problems {
			number := strings.Fields(p.Origin.File)[2] // "goflow orders NUMBER (id N) lines K"
			byOrder[number] = append(byOrder[number], p.Message)
		}
		for number, w := range want {
			msgs := byOrder[number]
			if w.reject == "" {
				if len(msgs) > 0 {
					t.Errorf("order %s: %v", number, msgs)
				}
				continue
			}
			if len(msgs) != w.rows || !strings.Contains(strings.Join(msgs, "\n"), w.reject) {
				t.Errorf("order %s (%d rows): problems %q, want one per row naming %q", number, w.rows, msgs, w.reject)
			}
		}
	}
	checkOutcomes(r, pipeline.Created)
	t.Logf("first run: %d shipped orders, %d rows: %v; inFlow: %d requests, %d writes", len(want), rows, r.res.CountsByName(), in.Stats().Total, in.Stats().Writes)

	docs := map[string]map[string]any{}
	for _, d := range in.All("sales-orders") {
		docs[fmt.Sprint(d["orderNumber"])] = d
	}
	if len(docs) != before+good {
		t.Errorf("%d sales orders in inFlow, want %d + %d", len(docs), before, good)
	}
	// The products were new (no stock): each location's stock is now minus
	// what the orders shipped from it, below zero as the job allows.
	stock := map[[2]string]decimal.Decimal{}
	for _, w := range want {
		if w.reject == "" {
			for _, l := range w.lines {
				k := [2]string{l.product, w.location}
				stock[k] = stock[k].Sub(l.qty)
			}
		}
	}
	for k, q := range stock {
		if got := in.OnHand(k[0], k[1]); !got.Equal(q) {
			t.Errorf("on hand of %s at %s: %s, want %s", k[0], k[1], got, q)
		}
	}
	for number, w := range want {
		d := docs[number]
		if (d != nil) != (w.reject == "") {
			t.Errorf("order %s: in inFlow %v, rejected for %q", number, d != nil, w.reject)
			continue
		}
		if d == nil {
			continue
		}
		if strings.ToLower(fmt.Sprint(d["customerId"])) != w.customer || strings.ToLower(fmt.Sprint(d["locationId"])) != w.location || d["inventoryStatus"] != "fulfilled" {
			t.Errorf("order %s: customer %v location %v status %v, want %s %s fulfilled", number, d["customerId"], d["locationId"], d["inventoryStatus"], w.customer, w.location)
		}
		if got := parseTime(t, d["orderDate"]); !got.Equal(w.date) {
			t.Errorf("order %s: orderDate %v, want %v", number, d["orderDate"], w.date)
		}
		ls, picks := d["lines"].([]any), d["pickLines"].([]any)
		if len(ls) != len(w.lines) || len(picks) != len(w.lines) {
			t.Errorf("order %s: %d lines and %d pick lines, want %d", number, len(ls), len(picks), len(w.lines))
			continue
		}
		for i, p := range picks {
			p := p.(map[string]any)
			if strings.ToLower(fmt.Sprint(p["productId"])) != w.lines[i].product || strings.ToLower(fmt.Sprint(p["locationId"])) != w.location ||
				!num(t, lookup(p, "quantity.standardQuantity")).Equal(w.lines[i].qty) {
				t.Errorf("order %s pick %d: %v, want %v at %s", number, i+1, p, w.lines[i], w.location)
			}
		}
		for i, l := range ls {
			l := l.(map[string]any)
			if strings.ToLower(fmt.Sprint(l["productId"])) != w.lines[i].product || !num(t, lookup(l, "quantity.standardQuantity")).Equal(w.lines[i].qty) {
				t.Errorf("order %s line %d: %v, want %v", number, i+1, l, w.lines[i])
			}
		}
	}

	// Nightly again: nothing to write.
	in.ResetStats()
	r2, err := tn.runJob(t, dir, job("goflow-shipped-orders-to-inflow"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if st := in.Stats(); st.Writes != 0 {
		t.Errorf("second run: %d writes (%v)", st.Writes, st.ByRoute)
	}
	checkOutcomes(r2, pipeline.Unchanged)
}

func parseTime(t testing.TB, v any) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, fmt.Sprint(v))
	if err != nil {
		t.Fatalf("%v is not a time", v)
	}
	return tm
}

func num(t testing.TB, v any) decimal.Decimal {
	t.Helper()
	d, err := decimal.NewFromString(fmt.Sprint(v))
	if err != nil {
		t.Fatalf("%v is not a number", v)
	}
	return d
}
