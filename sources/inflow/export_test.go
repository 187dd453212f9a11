package inflowsrc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/etl-dev/etl/inflow/sandbox"
	"github.com/etl-dev/etl/pipeline"
)

// Every table declares its columns from the entity types: unique
// snake_case names, decimals DECIMAL(18,5).
func TestTablesDeclareStableColumns(t *testing.T) {
	ident := regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	n := 0
	for _, e := range Entities() {
		for _, name := range Tables(e) {
			tbl, err := lookupTable(e, name)
			if err != nil {
				t.Fatal(err)
			}
			if tbl.doc == "" {
				t.Errorf("%s/%s has no doc", e, name)
			}
			if len(tbl.paths) != len(tbl.columns) {
				t.Errorf("%s/%s: %d paths for %d columns", e, name, len(tbl.paths), len(tbl.columns))
			}
			seen := map[string]bool{}
			for _, c := range tbl.columns {
				n++
				if !ident.MatchString(c.Name) || seen[c.Name] {
					t.Errorf("%s/%s: column %q is not a unique snake_case name", e, name, c.Name)
				}
				seen[c.Name] = true
				if c.Type == pipeline.TypeDecimal && (c.Precision != DecimalPrecision || c.Scale != DecimalScale) {
					t.Errorf("%s/%s: %s is DECIMAL(%d,%d)", e, name, c.Name, c.Precision, c.Scale)
				}
			}
			cols, _ := Columns(e, name)
			if !slices.Equal(cols, tbl.columns) {
				t.Errorf("Columns(%s, %s) differs from the table", e, name)
			}
		}
	}
	if n < 500 {
		t.Errorf("only %d columns in all tables", n)
	}
}

func TestSnake(t *testing.T) {
	for in, want := range map[string]string{
		"postalCode": "postal_code", "tax1Rate": "tax1_rate", "hsTariffNumber": "hs_tariff_number",
		"address1": "address1", "quantityOnHand": "quantity_on_hand", "isoCode": "iso_code", "custom10": "custom10",
	} {
		if got := snake(in); got != want {
			t.Errorf("snake(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckDecimal(t *testing.T) {
	for in, ok := range map[string]bool{
		"19.99000": true, "0.00000": true, "-3": true, "1.2345600": true, "1.234567": false,
		"9999999999999.99999": true, "10000000000000": false, "-10000000000000": false,
	} {
		_, why := checkDecimal(decimal.RequireFromString(in))
		if (why == "") != ok {
			t.Errorf("checkDecimal(%s): %q", in, why)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	t.Setenv("INFLOW_API_KEY", "")
	cases := []struct {
		cfg  Config
		want string
	}{
		{Config{}, "entity is not set"},
		{Config{Entity: "product"}, `did you mean "products"`},
		{Config{Entity: "sales-orders", Table: "line"}, `did you mean "lines"`},
		{Config{Entity: "products", Filters: map[string]any{"sku": "X"}}, `products takes no filter "sku"`},
		{Config{Entity: "sales-orders", Filters: map[string]any{"orderDat": "X"}}, `did you mean "orderDate"`},
		{Config{Entity: "sales-orders", Locations: []string{"Main"}}, "locations applies to the inventory and serials tables"},
		{Config{Entity: "customers", Incremental: true}, "incremental applies to the products table only"},
		{Config{Entity: "products", Table: "inventory", Incremental: true}, "incremental applies to the products table only"},
		{Config{Entity: "products", Incremental: true, Filters: map[string]any{"lastModifiedDateTime": "x"}}, "set by incremental"},
		{Config{Entity: "products", Table: "serials", Filters: map[string]any{"trackSerials": false}}, "sets trackSerials itself"},
		{Config{Entity: "products", Table: "serial_history", Filters: map[string]any{"name": "x"}}, "takes no filters"},
		{Config{Entity: "products", Sandbox: "maybe"}, "sandbox"},
		{Config{Entity: "products", Sandbox: SandboxNever}, "INFLOW_API_KEY is not set (the job says sandbox: never)"},
		{Config{Entity: "products", Table: "inventory", Locations: []string{"Main Warehous"}}, `did you mean "Main Warehouse"`},
	}
	for _, c := range cases {
		cfg := c.cfg
		_, err := cfg.Open(context.Background(), pipeline.Env{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", c.cfg, err, c.want)
		}
	}
}

// The inventory snapshot equals the emulator's summaries field by field,
// and costs ceil(N/100) product pages plus ceil(N·L/100) summary requests
// (N stocked products, L locations) plus one request for the locations.
func TestInventorySnapshot(t *testing.T) {
	c := newCompany(t, 260)
	dir := t.TempDir()
	res := mustRun(t, dir, `
source: {type: inflow, entity: products, table: inventory}
sink: {type: parquet, path: out/inventory.parquet}
`, runOpts{})

	all := c.srv.All("products")
	stocked := 0
	for _, p := range all {
		if strings.EqualFold(fmt.Sprint(p["itemType"]), "stockedProduct") {
			stocked++
		}
	}
	L := len(c.locations)
	st := c.srv.Stats()
	want := map[string]int{
		"GET /products":          ceilDiv(len(all), 100),
		"POST /products/summary": ceilDiv(stocked*L, 100),
		"GET /locations":         1,
	}
	for route, n := range want {
		if st.ByRoute[route] != n {
			t.Errorf("%s: %d requests, want %d", route, st.ByRoute[route], n)
		}
	}
	if total := want["GET /products"] + want["POST /products/summary"] + 1; st.Total != total {
		t.Errorf("%d requests in all, want %d: %v", st.Total, total, st.ByRoute)
	}
	if res.RowsRead != int64(stocked*L) {
		t.Errorf("%d rows, want %d stocked products × %d locations", res.RowsRead, stocked, L)
	}
	rep := res.Components["source"]
	if rep == nil || rep.Requests.Reads != st.Total || rep.RatePerMinute != 1000000 {
		t.Errorf("source report %+v, emulator saw %d", rep, st.Total)
	}

	// Field by field: the summaries as the emulator answers them, and the
	// product fields as it lists them.
	f := readParquet(t, filepath.Join(dir, "out/inventory.parquet"))
	raw := c.raw(t, "/products", url.Values{"include": {"category,cost"}})
	var items []map[string]any
	var pairs []map[string]any
	for _, p := range raw {
		if !strings.EqualFold(fmt.Sprint(p["itemType"]), "stockedProduct") {
			continue
		}
		for _, l := range c.locations {
			items = append(items, map[string]any{"product": p, "location": l})
			pairs = append(pairs, map[string]any{"productId": p["productId"], "locationId": l["locationId"]})
		}
	}
	for i := 0; i < len(pairs); i += 100 {
		var sums []map[string]any
		c.call(t, "POST", "/products/summary", pairs[i:min(i+100, len(pairs))], &sums)
		for j, s := range sums {
			items[i+j]["summary"] = s
		}
	}
	tbl, _ := lookupTable("products", "inventory")
	cells := compareRows(t, tbl, f, items)
	snap := f.rows[0][f.col("snapshot_at")].(time.Time)
	for _, r := range f.rows {
		if !r[f.col("snapshot_at")].(time.Time).Equal(snap) {
			t.Fatal("snapshot_at differs between rows")
		}
	}
	if time.Since(snap) > time.Minute {
		t.Errorf("snapshot_at %v", snap)
	}
	// Parquet types as analysts expect them.
	for i, name := range f.names {
		want := map[string]string{"snapshot_at": "TIMESTAMP(MICROS,UTC)", "quantity_on_hand": "DECIMAL(18,5)", "unit_cost": "DECIMAL(18,5)",
			"is_active": "BOOLEAN", "product_id": "STRING"}[name]
		if want != "" && f.types[i] != want {
			t.Errorf("%s is %s, want %s", name, f.types[i], want)
		}
	}
	// Some quantities are not zero (the comparison is not vacuous).
	nonzero := 0
	for _, r := range f.rows {
		if !r[f.col("quantity_on_hand")].(decimal.Decimal).IsZero() {
			nonzero++
		}
	}
	if nonzero < stocked || cells < 1000 {
		t.Errorf("%d rows with stock, %d cells compared", nonzero, cells)
	}
}

// Named locations narrow the snapshot and its cost.
func TestInventoryNamedLocations(t *testing.T) {
	c := newCompany(t, 120)
	name := c.locations[1]["name"].(string)
	dir := t.TempDir()
	res := mustRun(t, dir, fmt.Sprintf(`
source: {type: inflow, entity: products, table: inventory, locations: [%q], filters: {isActive: true}}
sink: {type: csv, path: out/inv.csv}
`, strings.ToUpper(name)), runOpts{})
	stocked := 0
	for _, p := range c.srv.All("products") {
		if strings.EqualFold(fmt.Sprint(p["itemType"]), "stockedProduct") && p["isActive"] == true {
			stocked++
		}
	}
	if res.RowsRead != int64(stocked) {
		t.Errorf("%d rows, want %d", res.RowsRead, stocked)
	}
	if got := c.srv.Stats().ByRoute["POST /products/summary"]; got != ceilDiv(stocked, 100) {
		t.Errorf("%d summary requests, want %d", got, ceilDiv(stocked, 100))
	}
	b, _ := os.ReadFile(filepath.Join(dir, "out/inv.csv"))
	if strings.Count(string(b), name) != stocked {
		t.Errorf("csv: %d rows name %s, want %d", strings.Count(string(b), name), name, stocked)
	}

	// The same through the xlsx sink: typed cells under the same header.
	mustRun(t, dir, fmt.Sprintf(`
source: {type: inflow, entity: products, table: inventory, locations: [%q], filters: {isActive: true}}
sink: {type: xlsx, path: out/inv.xlsx, sheet: Inventory}
`, name), runOpts{})
	x, err := excelize.OpenFile(filepath.Join(dir, "out/inv.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows("Inventory")
	tbl, _ := lookupTable("products", "inventory")
	if len(rows) != stocked+1 || len(rows[0]) != len(tbl.columns) || rows[0][0] != "snapshot_at" {
		t.Errorf("xlsx: %d rows, header %v", len(rows), rows[0])
	}
}

func TestProductsEqualEmulator(t *testing.T) {
	c := newCompany(t, 150)
	dir := t.TempDir()
	mustRun(t, dir, `
source: {type: inflow, entity: products}
sink: {type: parquet, path: out/products.parquet}
`, runOpts{})
	f := readParquet(t, filepath.Join(dir, "out/products.parquet"))
	tbl, _ := lookupTable("products", "")
	raw := c.raw(t, "/products", url.Values{"include": {strings.Join(tbl.includes, ",")}})
	compareRows(t, tbl, f, raw)
	// The computed barcode column is the first barcode.
	for i, p := range raw {
		bcs, _ := p["productBarcodes"].([]any)
		var want any
		if len(bcs) > 0 {
			want = bcs[0].(map[string]any)["barcode"]
		}
		if got := f.rows[i][f.col("barcode")]; got != want {
			t.Errorf("row %d barcode %v, want %v", i, got, want)
		}
	}
	if st := c.srv.Stats(); st.Total != ceilDiv(len(raw), 100)*2 { // our run, then c.raw
		t.Errorf("requests %v", st.ByRoute)
	}
}

func TestOrdersHeadersAndLines(t *testing.T) {
	c := newCompany(t, 60)
	dir := t.TempDir()
	for _, tc := range []struct {
		entity, table, include string
		lines                  string // child array, "" for headers
	}{
		{"sales-orders", "headers", "customer,location,costOfGoodsSold", ""},
		{"sales-orders", "lines", "lines", "lines"},
		{"sales-orders", "pick_lines", "pickLines", "pickLines"},
		{"purchase-orders", "headers", "vendor,location", ""},
		{"purchase-orders", "receive_lines", "receiveLines", "receiveLines"},
	} {
		out := fmt.Sprintf("out/%s-%s.parquet", tc.entity, tc.table)
		res := mustRun(t, dir, fmt.Sprintf("source: {type: inflow, entity: %s, table: %s}\nsink: {type: parquet, path: %s}\n", tc.entity, tc.table, out), runOpts{})
		f := readParquet(t, filepath.Join(dir, out))
		tbl, _ := lookupTable(tc.entity, tc.table)
		raw := c.raw(t, "/"+tc.entity, url.Values{"include": {tc.include}})
		items := raw
		if tc.lines != "" {
			items = nil
			for _, o := range raw {
				ls, _ := o[tc.lines].([]any)
				for i, l := range ls {
					items = append(items, map[string]any{"parent": o, "line": l, "n": jsonNumber(i + 1)})
				}
			}
		}
		compareRows(t, tbl, f, items)
		if res.RowsRead == 0 {
			t.Errorf("%s/%s: no rows", tc.entity, tc.table)
		}
	}
	// Lines carry the parent's id and number, and the flattened quantity,
	// discount and serials.
	f := readParquet(t, filepath.Join(dir, "out/sales-orders-lines.parquet"))
	found := false
	for _, r := range f.rows {
		if r[f.col("order_number")] == "SO-T000" && r[f.col("serial_numbers")] != nil {
			found = true
			if r[f.col("quantity")].(decimal.Decimal).String() != "1" || r[f.col("sales_order_id")] != gid("so", 0) {
				t.Errorf("serialised line %v", r)
			}
		}
		if r[f.col("order_number")] == "SO-T001" && r[f.col("serial_numbers")] == nil && r[f.col("discount_is_percent")] != true {
			t.Errorf("discount not flattened: %v", r)
		}
	}
	if !found {
		t.Error("no serialised line on SO-T000")
	}
}

func jsonNumber(n int) any { return json.Number(fmt.Sprint(n)) }

// The serials snapshot and history follow the serial-number guide: one row
// per serial and place, and one per serial per document line.
func TestSerialsSnapshotAndHistory(t *testing.T) {
	c := newCompany(t, 110)
	dir := t.TempDir()
	mustRun(t, dir, "source: {type: inflow, entity: products, table: serials}\nsink: {type: parquet, path: out/serials.parquet}\n", runOpts{})
	mustRun(t, dir, "source: {type: inflow, entity: products, table: serial_history}\nsink: {type: parquet, path: out/serial_history.parquet}\n", runOpts{})
	st := c.srv.Stats()
	if st.ByRoute["GET /products"] != 1 || st.ByRoute["GET /sales-orders"] != 1 || st.ByRoute["GET /purchase-orders"] != 1 ||
		st.ByRoute["GET /stock-transfers"] != 1 || st.ByRoute["GET /stock-adjustments"] != 1 {
		t.Errorf("requests %v", st.ByRoute)
	}

	snap := readParquet(t, filepath.Join(dir, "out/serials.parquet"))
	onHand := map[string][2]string{}
	for _, r := range snap.rows {
		sn := r[snap.col("serial")].(string)
		if r[snap.col("on_hand")] == true {
			if _, dup := onHand[sn]; dup {
				t.Errorf("%s on hand twice", sn)
			}
			onHand[sn] = [2]string{r[snap.col("location_id")].(string), r[snap.col("sublocation")].(string)}
			if r[snap.col("location_name")] == nil || r[snap.col("sku")] == nil {
				t.Errorf("row without names: %v", r)
			}
		}
	}
	for sn, want := range c.onHandAt {
		if onHand[sn] != want {
			t.Errorf("serial %s on hand at %v, want %v", sn, onHand[sn], want)
		}
	}
	for sn := range c.gone {
		if _, ok := onHand[sn]; ok {
			t.Errorf("sold serial %s is on hand", sn)
		}
	}
	if len(onHand) != len(c.onHandAt)+countSeedSerials(t, c) {
		t.Errorf("%d serials on hand, want %d generated + the seed's", len(onHand), len(c.onHandAt))
	}

	hist := readParquet(t, filepath.Join(dir, "out/serial_history.parquet"))
	onSO := map[string][]string{}
	kinds := map[string]bool{}
	for _, r := range hist.rows {
		kinds[r[hist.col("document_type")].(string)+"/"+r[hist.col("line_type")].(string)] = true
		if r[hist.col("document_type")] == DocSalesOrder && r[hist.col("line_type")] == "line" {
			sn := r[hist.col("serial")].(string)
			onSO[sn] = append(onSO[sn], r[hist.col("document_number")].(string))
		}
	}
	for sn, want := range c.soOf {
		if !slices.Equal(onSO[sn], want) {
			t.Errorf("serial %s on sales orders %v, want %v", sn, onSO[sn], want)
		}
	}
	for _, k := range []string{"sales_order/line", "sales_order/pick", "purchase_order/line", "purchase_order/receive", "stock_transfer/line", "stock_adjustment/line"} {
		if !kinds[k] {
			t.Errorf("no %s rows in the history (have %v)", k, kinds)
		}
	}
}

func countSeedSerials(t *testing.T, c *company) int {
	n := 0
	for _, p := range c.raw(t, "/products", url.Values{"include": {"inventoryLines"}, "filter[trackSerials]": {"true"}}) {
		if strings.HasPrefix(fmt.Sprint(p["sku"]), "GEN-") {
			continue
		}
		ls, _ := p["inventoryLines"].([]any)
		for _, l := range ls {
			m := l.(map[string]any)
			if m["serial"] != "" && !decimal.RequireFromString(m["quantityOnHand"].(string)).IsZero() {
				n++
			}
		}
	}
	return n
}

// An incremental export writes every product the first time, then exactly
// the products modified since, including those saved in the very instant
// of the bookmark, and never advances the bookmark of a dry or failed run.
func TestIncremental(t *testing.T) {
	c := newCompany(t, 130)
	dir := t.TempDir()
	state := newMemState()
	job := func(n int) string {
		return fmt.Sprintf(`
name: nightly-products
source: {type: inflow, entity: products, incremental: true}
sink: {type: parquet, path: out/products-%d.parquet}
`, n)
	}
	res := mustRun(t, dir, job(1), runOpts{state: state})
	all := c.srv.All("products")
	if res.RowsRead != int64(len(all)) {
		t.Fatalf("first run: %d rows, want all %d", res.RowsRead, len(all))
	}
	b1, ok, _ := state.GetState(context.Background(), "nightly-products", StateKey)
	if !ok {
		t.Fatal("no bookmark after the first run")
	}
	bm, err := ParseBookmark(b1)
	if err != nil || !bm.Since.Equal(c.clock.Now()) {
		t.Fatalf("bookmark %s (%v), want %v", b1, err, c.clock.Now())
	}

	// Same instant as the bookmark: one product modified, one created.
	modify := func(i int, what string) string {
		p, _ := c.srv.Entity("products", gid("product", i))
		p["description"] = what
		if err := c.srv.Put("products", p); err != nil {
			t.Fatal(err)
		}
		return p["productId"].(string)
	}
	a := modify(7, "changed in the same instant")
	newID := gid("product", "new")
	if err := c.srv.Put("products", map[string]any{"productId": newID, "name": "Brand new", "sku": "NEW-1", "itemType": "StockedProduct"}); err != nil {
		t.Fatal(err)
	}
	c.srv.ResetStats()
	mustRun(t, dir, job(2), runOpts{state: state})
	got := ids(t, filepath.Join(dir, "out/products-2.parquet"))
	if !slices.Equal(got, sortedIDs(a, newID)) {
		t.Errorf("second run exported %v, want %v", got, sortedIDs(a, newID))
	}
	if f := c.srv.Stats().ByRoute["GET /products"]; f != ceilDiv(len(all)+1, 100) {
		// every product shares the bookmark's instant here, so all are re-read
		t.Errorf("%d list requests", f)
	}

	// Later: two products modified; the run reads only those.
	c.clock.Set(c.clock.Now().Add(90 * time.Minute))
	x, y := modify(20, "later"), modify(33, "later too")
	c.srv.ResetStats()
	res = mustRun(t, dir, job(3), runOpts{state: state})
	if got := ids(t, filepath.Join(dir, "out/products-3.parquet")); !slices.Equal(got, sortedIDs(x, y)) {
		t.Errorf("third run exported %v, want %v", got, sortedIDs(x, y))
	}
	if n := c.srv.Stats().ByRoute["GET /products"]; n != ceilDiv(len(all)+1, 100) {
		t.Errorf("third run: %d list requests (the bookmark's instant holds every product)", n)
	}
	if notes := strings.Join(res.Components["source"].Notes, "; "); !strings.Contains(notes, "2 products changed") {
		t.Errorf("notes: %s", notes)
	}

	// Nothing changed: an empty file, one request (the two products at
	// the bookmark are re-read and left out), and the bookmark stays.
	before, _, _ := state.GetState(context.Background(), "nightly-products", StateKey)
	c.srv.ResetStats()
	res = mustRun(t, dir, job(4), runOpts{state: state})
	after, _, _ := state.GetState(context.Background(), "nightly-products", StateKey)
	if res.RowsRead != 0 || before != after {
		t.Errorf("idle run: %d rows, bookmark %s → %s", res.RowsRead, before, after)
	}
	if n := c.srv.Stats().Total; n != 1 {
		t.Errorf("idle run: %d requests, want 1", n)
	}
	if f := readParquet(t, filepath.Join(dir, "out/products-4.parquet")); len(f.names) != len(tbl(t).columns) {
		t.Errorf("empty file has %d columns", len(f.names))
	}
}

func tbl(t *testing.T) *table {
	x, err := lookupTable("products", "products")
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func ids(t *testing.T, path string) []string {
	f := readParquet(t, path)
	var out []string
	for _, r := range f.rows {
		out = append(out, r[f.col("product_id")].(string))
	}
	slices.Sort(out)
	return out
}

func sortedIDs(s ...string) []string { slices.Sort(s); return s }

// An interrupted export leaves no file (nor temporary file), keeps the
// previous file as it was, and does not advance the bookmark.
func TestInterruptedExport(t *testing.T) {
	c := newCompany(t, 250)
	dir := t.TempDir()
	state := newMemState()
	job := `
name: nightly
source: {type: inflow, entity: products, incremental: true}
sink: {type: parquet, path: out/products.parquet}
`
	mustRun(t, dir, job, runOpts{state: state})
	out := filepath.Join(dir, "out/products.parquet")
	first, _ := os.ReadFile(out)
	bookmark, _, _ := state.GetState(context.Background(), "nightly", StateKey)

	c.clock.Set(c.clock.Now().Add(time.Hour))
	for i := 0; i < 150; i++ {
		p, _ := c.srv.Entity("products", gid("product", i))
		p["remarks"] = "changed"
		if err := c.srv.Put("products", p); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	res, err := runJob(t, dir, job, runOpts{state: state, ctx: ctx, batchSize: 10, onProgress: func(r *pipeline.Result) {
		if r.RowsRead >= 20 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("run error %v, want cancelled", err)
	}
	if res.Aborted == "" {
		t.Error("result not marked aborted")
	}
	now, _ := os.ReadFile(out)
	if string(now) != string(first) {
		t.Error("the previous file was changed")
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "out"))
	if len(entries) != 1 {
		t.Errorf("files left: %v", entries)
	}
	if b, _, _ := state.GetState(context.Background(), "nightly", StateKey); b != bookmark || state.sets != 1 {
		t.Errorf("bookmark moved: %s → %s (%d sets)", bookmark, b, state.sets)
	}

	// A dry run reads the bookmark but never saves one.
	dry := newMemState()
	if _, err := runJobDry(t, dir, job, dry); err != nil {
		t.Fatal(err)
	}
	if dry.sets != 0 {
		t.Error("a dry run saved a bookmark")
	}
	// The next real run exports what the interrupted one did not.
	res = mustRun(t, dir, job, runOpts{state: state})
	if res.RowsRead != 150 {
		t.Errorf("after the interruption: %d rows, want 150", res.RowsRead)
	}
}

func runJobDry(t *testing.T, dir, yaml string, state pipeline.StateStore) (*pipeline.Result, error) {
	path := filepath.Join(dir, "dry.yaml")
	os.WriteFile(path, []byte(yaml), 0o644)
	job, err := loadJob(path)
	if err != nil {
		return nil, err
	}
	job.Env.State = state
	prep, err := job.Prepare(context.Background())
	if err != nil {
		return nil, err
	}
	defer prep.Source.Close()
	sink, err := pipeline.OpenSink(context.Background(), job.Sink, job.Env, prep.Mapping.Schema(), true)
	if err != nil {
		return nil, err
	}
	return pipeline.Run(context.Background(), pipeline.RunConfig{Source: prep.Source, Mapper: prep.Mapping, Sink: sink, DryRun: true})
}

// The source says when the emulator stands in for inFlow.
func TestSandboxAuto(t *testing.T) {
	t.Setenv("INFLOW_API_KEY", "")
	t.Setenv("INFLOW_RATE_PER_MINUTE", "100000")
	dir := t.TempDir()
	var logs strings.Builder
	res, err := runJobLogged(t, dir, "source: {type: inflow, entity: locations}\nsink: {type: jsonl, path: out/locations.jsonl}\n", &logs)
	if err != nil {
		t.Fatal(err)
	}
	if res.RowsRead == 0 || !strings.Contains(logs.String(), "built-in emulator") {
		t.Errorf("%d rows, log %q", res.RowsRead, logs.String())
	}
	if notes := res.Components["source"].Notes; len(notes) == 0 || !strings.Contains(notes[0], "INFLOW_API_KEY is not set") {
		t.Errorf("notes %v", notes)
	}
}

// Filters and includes reach the API: a date range narrows the orders, an
// extra include fills the column that needs it.
func TestFiltersAndIncludes(t *testing.T) {
	c := newCompany(t, 40)
	dir := t.TempDir()
	t.Setenv("SINCE", "2026-11-10")
	res := mustRun(t, dir, `
source: {type: inflow, entity: sales-orders, filters: {orderDate: {fromDate: "${SINCE}"}, isActive: true}}
sink: {type: jsonl, path: out/so.jsonl}
`, runOpts{})
	want := 0
	for _, o := range c.srv.All("sales-orders") {
		if d, _ := o["orderDate"].(string); d >= "2026-11-10" {
			want++
		}
	}
	if res.RowsRead != int64(want) || want == 0 {
		t.Errorf("%d orders since 2026-11-10, want %d", res.RowsRead, want)
	}
	q := ""
	for _, r := range c.srv.Requests() {
		if r.Path == "/sales-orders" {
			q = r.Query
		}
	}
	if v, _ := url.ParseQuery(q); v.Get("filter[orderDate]") != `{"fromDate":"2026-11-10"}` || v.Get("filter[isActive]") != "true" ||
		v.Get("include") != "customer,location,costOfGoodsSold" {
		t.Errorf("query %s", q)
	}

	mustRun(t, dir, `
source: {type: inflow, entity: products, include: [inventoryLines], filters: {smart: GEN-0001}}
sink: {type: parquet, path: out/p.parquet}
`, runOpts{})
	f := readParquet(t, filepath.Join(dir, "out/p.parquet"))
	if len(f.rows) != 10 {
		t.Fatalf("%d products match GEN-0001", len(f.rows))
	}
	for _, r := range f.rows {
		if r[f.col("total_quantity_on_hand")] == nil && r[f.col("item_type")] != "Service" {
			t.Errorf("total_quantity_on_hand not filled: %v", r)
		}
	}
}

// 429s are waited out and counted in the source's report.
func TestReportCountsTooMany(t *testing.T) {
	srv, err := sandbox.Start(sandbox.Options{Faults: sandbox.Faults{TooManyRate: 0.5, Rand: rand.New(rand.NewPCG(1, 2))}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	t.Setenv("INFLOW_API_KEY", srv.APIKey())
	t.Setenv("INFLOW_COMPANY_ID", srv.CompanyID())
	t.Setenv("INFLOW_BASE_URL", srv.URL())
	t.Setenv("INFLOW_RATE_PER_MINUTE", "100000")
	res := mustRun(t, t.TempDir(), "source: {type: inflow, entity: products, table: inventory, sandbox: never}\nsink: {type: parquet, path: out/i.parquet}\n", runOpts{})
	rep := res.Components["source"]
	st := srv.Stats()
	if st.TooMany == 0 || rep.Requests.TooMany != st.TooMany || rep.Requests.Reads != st.Total || rep.Requests.Retries != st.TooMany {
		t.Errorf("report %+v, emulator %+v", rep.Requests, st)
	}
	if res.RowsRead == 0 {
		t.Error("no rows")
	}
}
