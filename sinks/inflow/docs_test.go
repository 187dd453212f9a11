package inflowsink

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/inflow/sandbox"
	"github.com/etl-dev/etl/pipeline"
	"github.com/etl-dev/etl/pipeline/journal"
)

// Seed ids the document tests use.
const (
	teeBlack      = "bdf331ed-63a0-40de-89e5-5909b18b4a04" // TS-CRW-BLK-M: Main A-01 120, Showroom 12
	teeWhite      = "392c6354-0be1-4588-95b6-d91afe738478" // TS-CRW-WHT-M: Main A-02 95, Showroom 10
	earbuds       = "e25089a0-27fd-4b62-a81a-c01223e80856" // EL-BUDS-PRO: Main C-01 50
	showroom      = "13b5ffb7-fa2f-4892-9327-fae32c824dfc"
	overflowStore = "85f2ce40-fef0-4244-a430-872502e403bc"
)

func csvFile(t testing.TB, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "in.csv")
	writeFile(t, path, strings.TrimLeft(text, "\n"))
	return path
}

const salesOrderMapping = `
mapping:
  order_number: Order
  customer: Customer
  order_date: {from: Date, type: date}
  location: Location
  po_number: PO
  sku: SKU
  quantity: {from: Qty, type: decimal}
  unit_price: {from: Price, type: decimal}
  discount: {from: Discount, type: decimal}
  fulfill: {from: Fulfill, type: bool}
`

// documentsOf returns the emulator's documents of a kind by number.
func documentsOf(t testing.TB, srv *sandbox.Server, kind, numberProp string) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, d := range srv.All(kind) {
		n := fmt.Sprint(d[numberProp])
		if _, dup := out[n]; dup {
			t.Errorf("two %s numbered %s", kind, n)
		}
		out[n] = d
	}
	return out
}

func docLines(d map[string]any, array string) []map[string]any {
	var out []map[string]any
	arr, _ := d[array].([]any)
	for _, l := range arr {
		out = append(out, l.(map[string]any))
	}
	return out
}

func lineQuantity(l map[string]any) decimal.Decimal {
	q, _ := l["quantity"].(map[string]any)
	d, _ := decimal.NewFromString(fmt.Sprint(q["standardQuantity"]))
	return d
}

func outcomesByRow(t testing.TB, res *pipeline.Result) map[int]string {
	t.Helper()
	out := map[int]string{}
	for _, p := range res.Problems {
		out[p.Origin.Row] = p.Message
	}
	return out
}

func TestSalesOrdersFromACSV(t *testing.T) {
	srv := startEmulator(t, sandbox.Options{RatePerMinute: 6000})
	// Rows of one order need not be adjacent. SO-1003 names a customer
	// that does not exist, SO-1004's rows disagree on the customer,
	// SO-1005 names an unknown product: each is rejected for its own
	// reason, and only its rows.
	in := csvFile(t, `
Order,Customer,Date,Location,PO,SKU,Qty,Price,Discount,Fulfill
SO-1001,Blue Harbor Boutique,2025-03-01,Main Warehouse,PO-77,TS-CRW-BLK-M,3,19.99,,no
SO-1002,Maria Gonzalez,2025-03-02,Main Warehouse,,TS-CRW-WHT-M,2,21.00,,yes
SO-1001,Blue Harbor Boutique,2025-03-01,Main Warehouse,PO-77,EL-BUDS-PRO,1,79.00,10,no
SO-1003,Blue Harbour Botique,2025-03-02,Main Warehouse,,TS-CRW-BLK-M,1,19.99,,no
SO-1004,Blue Harbor Boutique,2025-03-03,Main Warehouse,,TS-CRW-BLK-M,1,19.99,,no
SO-1004,Maria Gonzalez,2025-03-03,Main Warehouse,,TS-CRW-WHT-M,1,21.00,,no
SO-1005,Maria Gonzalez,2025-03-03,Main Warehouse,,TS-NOPE,1,5,,no
SO-1002,Maria Gonzalez,2025-03-02,Main Warehouse,,EL-BUDS-PRO,1,79.00,,yes
`)
	path := job(t, in, salesOrderMapping, "entity: sales-orders\nsandbox: never\n")
	wantStock := map[string]decimal.Decimal{
		teeWhite: srv.OnHand(teeWhite, mainWarehouse).Sub(decimal.NewFromInt(2)), // SO-1002 is fulfilled
		earbuds:  srv.OnHand(earbuds, mainWarehouse).Sub(decimal.NewFromInt(1)),
		teeBlack: srv.OnHand(teeBlack, mainWarehouse), // SO-1001 stays open
	}
	before := len(srv.All("sales-orders"))

	// The dry run plans exactly what the run then does, and writes nothing.
	srv.ResetStats()
	dres, drep, err := runJob(t, path, runOpts{dry: true})
	if err != nil {
		t.Fatal(err)
	}
	if w := srv.Stats().Writes; w != 0 {
		t.Fatalf("dry run made %d writes", w)
	}
	plan := drep.Plan
	if plan == nil || plan.Creates != 4 || plan.Writes != 2 || len(plan.Changes) != 2 {
		t.Fatalf("plan %+v", plan)
	}
	dryReads := srv.Stats().Total

	srv.ResetStats()
	res, rep, err := runJob(t, path, runOpts{})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.CountsByName(); got["created"] != 4 || got["rejected"] != 4 || dres.Count(pipeline.Rejected) != 4 {
		t.Fatalf("outcomes %v (dry run %v)", got, dres.CountsByName())
	}
	st := srv.Stats()
	if st.ByRoute["PUT /sales-orders"] != 2 || st.Writes != plan.Writes || st.Total-st.Writes != plan.Reads || plan.Reads != dryReads {
		t.Errorf("run: %d PUTs of %d requests; plan: %d writes, %d reads (dry run read %d)", st.ByRoute["PUT /sales-orders"], st.Total, plan.Writes, plan.Reads, dryReads)
	}
	problems := outcomesByRow(t, res)
	for row, want := range map[int]string{
		5: `no customer in inFlow has name "Blue Harbour Botique"; closest: "Blue Harbor Boutique"`,
		7: `customer is "Blue Harbor Boutique" in row 6 but "Maria Gonzalez" in row 7`,
		6: "order SO-1004 is rejected because of its row 7",
		8: `no product in inFlow has sku or name "TS-NOPE"`,
	} {
		if !strings.Contains(problems[row], want) {
			t.Errorf("row %d: %q, want %q", row, problems[row], want)
		}
	}
	docs := documentsOf(t, srv, "sales-orders", "orderNumber")
	if len(docs) != before+2 || docs["SO-1003"] != nil || docs["SO-1004"] != nil {
		t.Fatalf("%d orders: %v", len(docs), docs)
	}
	so1 := docs["SO-1001"]
	ls := docLines(so1, "lines")
	if len(ls) != 2 || so1["poNumber"] != "PO-77" || so1["source"] != "etl" || len(docLines(so1, "pickLines")) != 0 ||
		!strings.HasPrefix(fmt.Sprint(so1["orderDate"]), "2025-03-01") || so1["inventoryStatus"] != "unfulfilled" {
		t.Errorf("SO-1001: %v", so1)
	}
	if !lineQuantity(ls[0]).Equal(decimal.NewFromInt(3)) || ls[1]["discount"].(map[string]any)["value"] != "10.00000" {
		t.Errorf("SO-1001 lines: %v", ls)
	}
	if so2 := docs["SO-1002"]; so2["inventoryStatus"] != "fulfilled" || len(docLines(so2, "pickLines")) != 2 {
		t.Errorf("SO-1002 is not fulfilled: %v", so2)
	}
	for product, want := range wantStock {
		if got := srv.OnHand(product, mainWarehouse); !got.Equal(want) {
			t.Errorf("stock of %s at Main Warehouse: %s, want %s", product, got, want)
		}
	}
	if len(rep.Notes) == 0 || !strings.Contains(strings.Join(rep.Notes, "\n"), "sales orders: 2 created, 3 rejected") {
		t.Errorf("notes: %v", rep.Notes)
	}

	// The same file again: every good row unchanged, no write.
	srv.ResetStats()
	res, _, err = runJob(t, path, runOpts{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Count(pipeline.Unchanged) != 4 || srv.Stats().Writes != 0 {
		t.Errorf("second run: %v, %d writes", res.CountsByName(), srv.Stats().Writes)
	}

	// A changed file: SO-1001 loses its second line and changes the first;
	// the line keeps its GUID. SO-1002 is fulfilled: inFlow will not let it
	// change, so it is left alone and its rows say why.
	changed := csvFile(t, `
Order,Customer,Date,Location,PO,SKU,Qty,Price,Discount,Fulfill
SO-1001,Blue Harbor Boutique,2025-03-01,Main Warehouse,PO-78,TS-CRW-BLK-M,4,19.99,,no
SO-1002,Maria Gonzalez,2025-03-02,Main Warehouse,,TS-CRW-WHT-M,5,21.00,,yes
`)
	srv.ResetStats()
	res, _, err = runJob(t, job(t, changed, salesOrderMapping, "entity: sales-orders\nsandbox: never\n"), runOpts{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Count(pipeline.Updated) != 1 || res.Count(pipeline.Rejected) != 1 || srv.Stats().ByRoute["PUT /sales-orders"] != 1 {
		t.Errorf("changed file: %v, %d PUTs", res.CountsByName(), srv.Stats().ByRoute["PUT /sales-orders"])
	}
	if p := outcomesByRow(t, res)[3]; !strings.Contains(p, "sales order SO-1002 is fulfilled in inFlow and cannot change any more: left alone") {
		t.Errorf("SO-1002: %q", p)
	}
	after := documentsOf(t, srv, "sales-orders", "orderNumber")["SO-1001"]
	nl := docLines(after, "lines")
	if len(nl) != 1 || nl[0]["salesOrderLineId"] != ls[0]["salesOrderLineId"] || !lineQuantity(nl[0]).Equal(decimal.NewFromInt(4)) || after["poNumber"] != "PO-78" {
		t.Errorf("SO-1001 after the change: %v", after)
	}
}

const adjustmentMapping = `
mapping:
  adjustment_number: Number
  location: Location
  reason: Reason
  sku: SKU
  quantity: {from: Delta, type: decimal}
  sublocation: Bin
`

func TestStockCountAsAdjustments(t *testing.T) {
	srv := startEmulator(t, sandbox.Options{RatePerMinute: 6000})
	in := csvFile(t, `
Number,Location,Reason,SKU,Delta,Bin
CNT-1,Showroom,Stock count,TS-CRW-BLK-M,-2,
CNT-1,Showroom,Stock count,TS-CRW-WHT-M,5,Rack 2
CNT-2,Overflow Storage,Stock count,TS-CRW-BLK-M,-1,
CNT-3,Showroom,Stock cnt,TS-CRW-BLK-M,1,
`)
	want := map[[2]string]decimal.Decimal{
		{teeBlack, showroom}:      srv.OnHand(teeBlack, showroom).Sub(decimal.NewFromInt(2)),
		{teeWhite, showroom}:      srv.OnHand(teeWhite, showroom).Add(decimal.NewFromInt(5)),
		{teeBlack, overflowStore}: srv.OnHand(teeBlack, overflowStore),
	}
	path := job(t, in, adjustmentMapping, "entity: stock-adjustments\nsandbox: never\n")
	// The dry run predicts, from the on hand it read, that CNT-2 takes
	// Overflow Storage below zero.
	_, drep, err := runJob(t, path, runOpts{dry: true})
	if err != nil {
		t.Fatal(err)
	}
	predicted := ""
	for _, c := range drep.Plan.Changes {
		for _, f := range c.Fields {
			if strings.Contains(f.New, "below zero") {
				predicted += c.Key + ": " + f.Field + " " + f.Old + " → " + f.New + "\n"
			}
		}
	}
	if predicted != "adjustment CNT-2: stock of TS-CRW-BLK-M at Overflow Storage 0 → -1 (below zero: inFlow refuses it with 422 unless allow_negative_inventory)\n" {
		t.Errorf("predictions:\n%s", predicted)
	}
	res, _, err := runJob(t, path, runOpts{})
	if err != nil {
		t.Fatal(err)
	}
	problems := outcomesByRow(t, res)
	// CNT-2 would take Overflow Storage below zero: inFlow's 422 rejects
	// that adjustment alone. CNT-3's reason does not exist.
	if res.Count(pipeline.Created) != 2 || !strings.Contains(problems[4], "Negative Inventory") ||
		!strings.Contains(problems[5], `no adjustment reason named "Stock cnt" in inFlow; closest: "Stock count"`) {
		t.Errorf("outcomes %v, problems %v", res.CountsByName(), problems)
	}
	for k, w := range want {
		if got := srv.OnHand(k[0], k[1]); !got.Equal(w) {
			t.Errorf("stock of %s at %s: %s, want %s", k[0], k[1], got, w)
		}
	}
	adj := documentsOf(t, srv, "stock-adjustments", "adjustmentNumber")["CNT-1"]
	if adj == nil || len(docLines(adj, "lines")) != 2 || docLines(adj, "lines")[1]["sublocation"] != "Rack 2" {
		t.Errorf("CNT-1: %v", adj)
	}
	// With allow_negative_inventory the override goes on the write, and
	// the second run only writes CNT-2 (and rejects CNT-3 again).
	srv.ResetStats()
	res, _, err = runJob(t, job(t, in, adjustmentMapping, "entity: stock-adjustments\nsandbox: never\nallow_negative_inventory: true\n"), runOpts{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Count(pipeline.Unchanged) != 2 || res.Count(pipeline.Created) != 1 || srv.Stats().Writes != 1 {
		t.Errorf("override run: %v, %d writes", res.CountsByName(), srv.Stats().Writes)
	}
	if got := srv.OnHand(teeBlack, overflowStore); !got.Equal(want[[2]string{teeBlack, overflowStore}].Sub(decimal.NewFromInt(1))) {
		t.Errorf("overflow after the override: %s", got)
	}
}

func TestPurchaseOrdersReceivedAndTransfers(t *testing.T) {
	srv := startEmulator(t, sandbox.Options{RatePerMinute: 6000})
	po := csvFile(t, `
PO,Vendor,SKU,Qty,Price,Receive
PO-9001,Northwind Apparel Co.,TS-CRW-BLK-M,10,8.50,yes
PO-9001,Northwind Apparel Co.,TS-CRW-WHT-M,6,8.50,yes
PO-9002,Northwind Apparel Co.,TS-CRW-WHT-M,4,8.50,no
`)
	blackMain, whiteMain := srv.OnHand(teeBlack, mainWarehouse), srv.OnHand(teeWhite, mainWarehouse)
	res, _, err := runJob(t, job(t, po, `
mapping:
  order_number: PO
  vendor: Vendor
  sku: SKU
  quantity: {from: Qty, type: decimal}
  unit_price: {from: Price, type: decimal}
  receive: {from: Receive, type: bool}
`, "entity: purchase-orders\nsandbox: never\n"), runOpts{})
	if err != nil || res.Count(pipeline.Created) != 3 {
		t.Fatalf("purchase orders: %v %v %v", err, res.CountsByName(), res.Problems)
	}
	if !srv.OnHand(teeBlack, mainWarehouse).Equal(blackMain.Add(decimal.NewFromInt(10))) || !srv.OnHand(teeWhite, mainWarehouse).Equal(whiteMain.Add(decimal.NewFromInt(6))) {
		t.Errorf("after receiving: black %s, white %s", srv.OnHand(teeBlack, mainWarehouse), srv.OnHand(teeWhite, mainWarehouse))
	}
	pos := documentsOf(t, srv, "purchase-orders", "orderNumber")
	if pos["PO-9001"]["inventoryStatus"] != "fulfilled" || pos["PO-9002"]["inventoryStatus"] != "unfulfilled" {
		t.Errorf("statuses %v / %v", pos["PO-9001"]["inventoryStatus"], pos["PO-9002"]["inventoryStatus"])
	}

	tr := csvFile(t, `
Transfer,From,To,SKU,Qty,Status
TR-1,Main Warehouse,Showroom,TS-CRW-BLK-M,7,completed
TR-2,Main Warehouse,Showroom,TS-CRW-WHT-M,3,open
TR-3,Main Warehouse,Main Warehouse,TS-CRW-WHT-M,3,open
`)
	blackMain, blackShow := srv.OnHand(teeBlack, mainWarehouse), srv.OnHand(teeBlack, showroom)
	whiteMain = srv.OnHand(teeWhite, mainWarehouse)
	res, _, err = runJob(t, job(t, tr, `
mapping:
  transfer_number: Transfer
  from_location: From
  to_location: To
  sku: SKU
  quantity: {from: Qty, type: decimal}
  status: Status
`, "entity: stock-transfers\nsandbox: never\n"), runOpts{})
	if err != nil || res.Count(pipeline.Created) != 2 || !strings.Contains(outcomesByRow(t, res)[4], "from_location and to_location are the same") {
		t.Fatalf("transfers: %v %v %v", err, res.CountsByName(), res.Problems)
	}
	// TR-1 moved its stock (out of A-01, where Main's stock is); TR-2 is open.
	if !srv.OnHand(teeBlack, mainWarehouse).Equal(blackMain.Sub(decimal.NewFromInt(7))) || !srv.OnHand(teeBlack, showroom).Equal(blackShow.Add(decimal.NewFromInt(7))) ||
		!srv.OnHand(teeWhite, mainWarehouse).Equal(whiteMain) {
		t.Errorf("after transfers: black main %s showroom %s, white main %s", srv.OnHand(teeBlack, mainWarehouse), srv.OnHand(teeBlack, showroom), srv.OnHand(teeWhite, mainWarehouse))
	}
	trs := documentsOf(t, srv, "stock-transfers", "transferNumber")
	if s := strings.ToLower(fmt.Sprint(trs["TR-1"]["status"])); s != "completed" {
		t.Errorf("TR-1 status %s", s)
	}
	// Again: the completed transfer equals the file, so it is unchanged
	// (not "left alone"), and nothing is written.
	srv.ResetStats()
	res, _, err = runJob(t, job(t, tr, `
mapping:
  transfer_number: Transfer
  from_location: From
  to_location: To
  sku: SKU
  quantity: {from: Qty, type: decimal}
  status: Status
`, "entity: stock-transfers\nsandbox: never\n"), runOpts{})
	if err != nil || res.Count(pipeline.Unchanged) != 2 || srv.Stats().Writes != 0 {
		t.Errorf("transfers again: %v %v, %d writes", err, res.CountsByName(), srv.Stats().Writes)
	}
}

func TestDocumentSettingsAreChecked(t *testing.T) {
	t.Parallel()
	cfg := &Config{Entity: "sales-orders", Status: "done", Receive: true, Match: []string{"order_number"}}
	var got []string
	for _, e := range pipeline.SettingErrorsOf(cfg.Validate()) {
		got = append(got, e.Setting+": "+e.Error())
	}
	sort.Strings(got)
	want := []string{
		"match: sales orders are matched by their order_number: drop match",
		"receive: receive applies to entity purchase-orders only",
		"status: status \"done\" is not one of open, completed",
		"status: status applies to entity stock-transfers only",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if err := (&Config{Entity: "sales-ordres"}).Validate(); err == nil || !strings.Contains(err.Error(), `did you mean "sales-orders"?`) {
		t.Errorf("entity: %v", err)
	}
}

// TestResumedDocumentsAreNotSentAgain: a resumed run finds the documents
// the interrupted run wrote by number (the journal holds their GUIDs),
// reports them created as the interrupted run did, and sends nothing.
func TestResumedDocumentsAreNotSentAgain(t *testing.T) {
	srv := startEmulator(t, sandbox.Options{})
	in := csvFile(t, "Order,Customer,SKU,Qty\nK-1,Blue Harbor Boutique,TS-CRW-BLK-M,1\nK-2,Blue Harbor Boutique,TS-CRW-BLK-M,2\nK-1,Blue Harbor Boutique,GN-TOTE-NAT,3\n")
	path := job(t, in, "mapping:\n  order_number: Order\n  customer: Customer\n  sku: SKU\n  quantity: {from: Qty, type: decimal}\n", "entity: sales-orders\nsandbox: never\n")
	jr, err := journal.Open(filepath.Join(t.TempDir(), "j.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer jr.Close()
	ctx := context.Background()
	first, err := jr.StartRun(ctx, "test", path, "fp", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := runJob(t, path, runOpts{env: func(e *pipeline.Env) { e.Journal = first }}); err != nil {
		t.Fatal(err)
	}
	if err := first.Finish(ctx, journal.StatusInterrupted, nil, 0, ""); err != nil {
		t.Fatal(err)
	}
	entries, err := first.Entries(ctx, "sales-orders")
	if err != nil || len(entries) != 2 || !entries["number:k-1"].Confirmed {
		t.Fatalf("journal: %v %v", entries, err)
	}
	again, err := jr.Resume(ctx, first.ID(), "fp")
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetStats()
	res, _, err := runJob(t, path, runOpts{env: func(e *pipeline.Env) { e.Journal = again; e.Resume = true }})
	if err != nil {
		t.Fatal(err)
	}
	if res.Count(pipeline.Created) != 3 || srv.Stats().Writes != 0 || len(documentsOf(t, srv, "sales-orders", "orderNumber")) != 4 {
		t.Errorf("resumed: %v, %d writes", res.CountsByName(), srv.Stats().Writes)
	}
}

func TestFulfillPacksAndShipsOrdersThatShip(t *testing.T) {
	srv := startEmulator(t, sandbox.Options{})
	if err := srv.Put("sales-orders", map[string]any{
		"salesOrderId": "00000000-0000-4000-8000-00000000d001", "orderNumber": "SO-5001", "source": "shop", "showShipping": true,
		"customerId": "f973fbd6-3ee7-4993-b04e-2ab7bea7db27", "locationId": mainWarehouse,
		"lines": []any{map[string]any{"salesOrderLineId": "00000000-0000-4000-8000-00000000d002", "productId": teeBlack, "quantity": map[string]any{"standardQuantity": "2"}}},
	}); err != nil {
		t.Fatal(err)
	}
	in := csvFile(t, "Order,Customer,Date,Location,PO,SKU,Qty,Price,Discount,Fulfill\nSO-5001,,,,,TS-CRW-BLK-M,2,,,yes\n")
	path := job(t, in, salesOrderMapping, "entity: sales-orders\nsandbox: never\n")
	stock := srv.OnHand(teeBlack, mainWarehouse)
	res, _, err := runJob(t, path, runOpts{})
	if err != nil || res.Count(pipeline.Updated) != 1 {
		t.Fatalf("%v %v %v", err, res.CountsByName(), res.Problems)
	}
	so, _ := srv.Entity("sales-orders", "00000000-0000-4000-8000-00000000d001")
	if len(docLines(so, "pickLines")) != 1 || len(docLines(so, "packLines")) != 1 || len(docLines(so, "shipLines")) != 1 ||
		so["inventoryStatus"] != "fulfilled" || so["source"] != "shop" || docLines(so, "lines")[0]["salesOrderLineId"] != "00000000-0000-4000-8000-00000000d002" {
		t.Errorf("fulfilled order: %v", so)
	}
	if got := srv.OnHand(teeBlack, mainWarehouse); !got.Equal(stock.Sub(decimal.NewFromInt(2))) {
		t.Errorf("stock %s, was %s", got, stock)
	}
	srv.ResetStats()
	if res, _, err = runJob(t, path, runOpts{}); err != nil || res.Count(pipeline.Unchanged) != 1 || srv.Stats().Writes != 0 {
		t.Errorf("again: %v %v, %d writes", err, res.CountsByName(), srv.Stats().Writes)
	}
}

// TestDocumentDetails: the same product twice is two lines, matched in
// order; a date-time keeps its offset; keep_unlisted_lines keeps what the
// file does not list; past max_documents the run stops with a clear error.
func TestDocumentDetails(t *testing.T) {
	srv := startEmulator(t, sandbox.Options{})
	mapping := "mapping:\n  order_number: Order\n  customer: Customer\n  order_date: Date\n  sku: SKU\n  quantity: {from: Qty, type: decimal}\n"
	in := csvFile(t, `
Order,Customer,Date,SKU,Qty
SO-7001,Maria Gonzalez,2025-03-01T14:30:00+02:00,TS-CRW-BLK-M,1
SO-7001,Maria Gonzalez,2025-03-01T14:30:00+02:00,GN-TOTE-NAT,2
SO-7001,Maria Gonzalez,2025-03-01T14:30:00+02:00,TS-CRW-BLK-M,3
`)
	path := job(t, in, mapping, "entity: sales-orders\nsandbox: never\n")
	if res, _, err := runJob(t, path, runOpts{}); err != nil || res.Count(pipeline.Created) != 3 {
		t.Fatalf("%v %v %v", err, res.CountsByName(), res.Problems)
	}
	so := documentsOf(t, srv, "sales-orders", "orderNumber")["SO-7001"]
	ls := docLines(so, "lines")
	if len(ls) != 3 || !lineQuantity(ls[0]).Equal(decimal.NewFromInt(1)) || !lineQuantity(ls[2]).Equal(decimal.NewFromInt(3)) ||
		so["orderDate"] != "2025-03-01T12:30:00.0000000+00:00" {
		t.Fatalf("SO-7001: date %v, lines %v", so["orderDate"], ls)
	}
	srv.ResetStats()
	if res, _, err := runJob(t, path, runOpts{}); err != nil || res.Count(pipeline.Unchanged) != 3 || srv.Stats().Writes != 0 {
		t.Errorf("again: %v %v, %d writes", err, res.CountsByName(), srv.Stats().Writes)
	}

	// The second tee changes (the later of the two lines, matched in
	// order); the tote is not listed: kept with keep_unlisted_lines.
	changed := csvFile(t, `
Order,Customer,Date,SKU,Qty
SO-7001,Maria Gonzalez,2025-03-01T14:30:00+02:00,TS-CRW-BLK-M,1
SO-7001,Maria Gonzalez,2025-03-01T14:30:00+02:00,TS-CRW-BLK-M,4
`)
	if res, _, err := runJob(t, job(t, changed, mapping, "entity: sales-orders\nsandbox: never\nkeep_unlisted_lines: true\n"), runOpts{}); err != nil || res.Count(pipeline.Updated) != 2 {
		t.Fatalf("%v %v %v", err, res.CountsByName(), res.Problems)
	}
	after := docLines(documentsOf(t, srv, "sales-orders", "orderNumber")["SO-7001"], "lines")
	ids := func(ls []map[string]any) string {
		var out []string
		for _, l := range ls {
			out = append(out, fmt.Sprint(l["salesOrderLineId"], "×", lineQuantity(l)))
		}
		sort.Strings(out)
		return strings.Join(out, " ")
	}
	want := []map[string]any{ls[0], ls[1], {"salesOrderLineId": ls[2]["salesOrderLineId"], "quantity": map[string]any{"standardQuantity": "4"}}}
	if ids(after) != ids(want) {
		t.Errorf("lines after the change: %s, want %s", ids(after), ids(want))
	}

	three := csvFile(t, "Order,Customer,Date,SKU,Qty\nA-1,Maria Gonzalez,,TS-CRW-BLK-M,1\nA-2,Maria Gonzalez,,TS-CRW-BLK-M,1\nA-3,Maria Gonzalez,,TS-CRW-BLK-M,1\n")
	_, _, err := runJob(t, job(t, three, mapping, "entity: sales-orders\nsandbox: never\nmax_documents: 2\n"), runOpts{})
	if err == nil || !strings.Contains(err.Error(), "more than 2 sales orders in the input") || !strings.Contains(err.Error(), "raise the sink's max_documents") {
		t.Errorf("past the cap: %v", err)
	}
	if n := len(documentsOf(t, srv, "sales-orders", "orderNumber")); n != 3 { // the seed's two and SO-7001
		t.Errorf("%d orders after the capped run", n)
	}
}

// TestExistingDocumentsAreLookedUpWhenThatIsCheaper: with 450 orders in
// the account and two in the file, the sink reads the first page (which
// says how many there are) and looks the other numbers up by filter
// instead of listing four more pages.
func TestExistingDocumentsAreLookedUpWhenThatIsCheaper(t *testing.T) {
	srv := startEmulator(t, sandbox.Options{})
	for i := range 450 {
		id := fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
		if i == 200 {
			id = "ffffffff-0000-4000-8000-000000000200" // sorts last: not on the first page
		}
		if err := srv.Put("sales-orders", map[string]any{"salesOrderId": id, "orderNumber": fmt.Sprintf("BULK-%04d", i), "source": "shop",
			"customerId": "f973fbd6-3ee7-4993-b04e-2ab7bea7db27",
			"lines":      []any{map[string]any{"salesOrderLineId": fmt.Sprintf("10000000-0000-4000-8000-%012d", i), "productId": teeBlack, "quantity": map[string]any{"standardQuantity": "1"}}}}); err != nil {
			t.Fatal(err)
		}
	}
	in := csvFile(t, "Order,Customer,SKU,Qty\nBULK-0200,Blue Harbor Boutique,TS-CRW-BLK-M,1\nNEW-0001,Blue Harbor Boutique,TS-CRW-BLK-M,1\n")
	srv.ResetStats()
	res, _, err := runJob(t, job(t, in, "mapping:\n  order_number: Order\n  customer: Customer\n  sku: SKU\n  quantity: {from: Qty, type: decimal}\n", "entity: sales-orders\nsandbox: never\n"), runOpts{})
	if err != nil {
		t.Fatal(err)
	}
	st := srv.Stats()
	if res.Count(pipeline.Unchanged) != 1 || res.Count(pipeline.Created) != 1 || st.ByRoute["GET /sales-orders"] != 3 || st.Writes != 1 {
		t.Errorf("%v; requests %v", res.CountsByName(), st.ByRoute)
	}
}

// TestDocumentsUnderFaults: dropped connections, 5xx, 429s and lost
// replies (the write applied, its answer lost) end in the same orders,
// lines and stock as a clean run, none twice; rows left unknown by a lost
// reply are settled by running again.
func TestDocumentsUnderFaults(t *testing.T) {
	fastRetries(t)
	var b strings.Builder
	b.WriteString("Order,Customer,Date,Location,PO,SKU,Qty,Price,Discount,Fulfill\n")
	skus := []string{"TS-CRW-BLK-M", "TS-CRW-WHT-M", "GN-TOTE-NAT", "EL-CBL-USBC-2M"}
	for i := range 60 {
		for l := range 2 {
			fmt.Fprintf(&b, "F-%03d,Blue Harbor Boutique,2025-04-01,Main Warehouse,,%s,%d,5.00,,%v\n", i, skus[(i+l)%4], 1+l, i%3 == 0)
		}
	}
	in := csvFile(t, b.String())
	path := job(t, in, salesOrderMapping, "entity: sales-orders\nsandbox: never\nconcurrency: 4\n")
	state := func(srv *sandbox.Server) string {
		var out []string
		for n, d := range documentsOf(t, srv, "sales-orders", "orderNumber") {
			out = append(out, fmt.Sprintf("%s %v %d/%d %v", n, d["inventoryStatus"], len(docLines(d, "lines")), len(docLines(d, "pickLines")), docLines(d, "lines")[0]["unitPrice"]))
		}
		sort.Strings(out)
		for _, p := range []string{teeBlack, teeWhite} {
			out = append(out, p+" "+srv.OnHand(p, mainWarehouse).String())
		}
		return strings.Join(out, "\n")
	}
	clean := startEmulator(t, sandbox.Options{})
	if _, _, err := runJob(t, path, runOpts{}); err != nil {
		t.Fatal(err)
	}
	want := state(clean)

	faulty := startEmulator(t, sandbox.Options{Faults: sandbox.Faults{
		ErrorRate: 0.05, DropRate: 0.05, TooManyRate: 0.05, LostReplyRate: 0.1, RetryAfter: "0",
		Rand: rand.New(rand.NewPCG(7, 3)),
	}})
	var res *pipeline.Result
	for run := 1; run <= 3; run++ {
		var err error
		if res, _, err = runJob(t, path, runOpts{}); err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		if res.Count(pipeline.Rejected) != 0 {
			t.Fatalf("run %d rejected rows: %v", run, res.Problems)
		}
		if res.Count(pipeline.Unknown) == 0 {
			break
		}
	}
	if st := faulty.Stats(); st.Faulted == 0 {
		t.Fatalf("no faults injected: %+v", st)
	}
	if got := state(faulty); got != want {
		t.Errorf("after faults:\n%s\nwant (a clean run):\n%s", got, want)
	}

	// Updates under faults: a lost reply of an update makes its retry a
	// conflict (the timestamp moved); the sink reads the order again and
	// finds nothing left to write.
	changed := job(t, csvFile(t, strings.ReplaceAll(b.String(), ",5.00,", ",6.00,")), salesOrderMapping, "entity: sales-orders\nsandbox: never\nconcurrency: 4\n")
	withClean := func(srv *sandbox.Server) (*pipeline.Result, string) {
		t.Setenv("INFLOW_BASE_URL", srv.URL())
		var r *pipeline.Result
		for run := 1; run <= 3; run++ {
			var err error
			if r, _, err = runJob(t, changed, runOpts{}); err != nil {
				t.Fatalf("changed run %d: %v", run, err)
			}
			if r.Count(pipeline.Unknown) == 0 {
				break
			}
		}
		return r, state(srv)
	}
	rc, wantChanged := withClean(clean)
	rf, gotChanged := withClean(faulty)
	conflicts := 0
	for _, r := range faulty.Requests() {
		if r.Status == http.StatusConflict {
			conflicts++
		}
	}
	t.Logf("%d conflicts answered under faults", conflicts)
	if gotChanged != wantChanged || rf.Count(pipeline.Rejected) != rc.Count(pipeline.Rejected) || rc.Count(pipeline.Rejected) != 40 {
		t.Errorf("changed under faults: %v vs clean %v\n%s\nwant:\n%s", rf.CountsByName(), rc.CountsByName(), gotChanged, wantChanged)
	}
}
