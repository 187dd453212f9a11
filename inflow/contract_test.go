package inflow_test

// The contract suite runs the client against an inFlow API: by default a
// local emulator (inflow/sandbox) over loopback; against a real account when
// INFLOW_CONTRACT_API_KEY and INFLOW_CONTRACT_COMPANY_ID are set (and
// optionally INFLOW_CONTRACT_BASE_URL). Against a real account only reads
// run, at the account's rate, unless INFLOW_CONTRACT_ALLOW_WRITES=1, which
// lets the tests create products, customers, stock adjustments and sales
// orders named "etl-contract-…" (inFlow cannot delete them; the products are
// deactivated afterwards). Emulator-only tests (faults, small rate limits,
// request counts) are skipped against a real account.

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"golang.org/x/sync/errgroup"

	"github.com/etl-dev/etl/inflow"
	"github.com/etl-dev/etl/inflow/sandbox"
	"github.com/etl-dev/etl/internal/apikit"
)

// env is one target of the suite.
type env struct {
	c      *inflow.Client
	sb     *sandbox.Server // nil against a real account
	writes bool
	tag    string               // unique per test, marks created records
	clock  *apikit.VirtualClock // the emulator's and client's clock (nil against a real account)
}

func realAccount() (inflow.Config, bool) {
	key, company := os.Getenv("INFLOW_CONTRACT_API_KEY"), os.Getenv("INFLOW_CONTRACT_COMPANY_ID")
	if key == "" || company == "" {
		return inflow.Config{}, false
	}
	return inflow.Config{APIKey: key, CompanyID: company, BaseURL: os.Getenv("INFLOW_CONTRACT_BASE_URL")}, true
}

// newEnv starts an emulator (opts adjusted by sbMod) and a client (cfg
// adjusted by cMod), or a client for the real account.
func newEnv(t *testing.T, sbMod func(*sandbox.Options), cMod func(*inflow.Config)) *env {
	t.Helper()
	e := &env{tag: "etl-contract-" + uuid.NewString()[:8]}
	cfg, isReal := realAccount()
	if isReal {
		e.writes = os.Getenv("INFLOW_CONTRACT_ALLOW_WRITES") == "1"
	} else {
		// The emulator and the client share a virtual clock: rate limits
		// and Retry-After waits cost no wall time.
		e.clock = apikit.NewVirtualClock(time.Time{})
		opts := sandbox.Options{RatePerMinute: -1, Clock: e.clock}
		if sbMod != nil {
			sbMod(&opts)
		}
		sb, err := sandbox.Start(opts)
		if err != nil {
			t.Fatalf("sandbox: %v", err)
		}
		t.Cleanup(sb.Close)
		e.sb, e.writes = sb, true
		cfg = inflow.Config{
			BaseURL: sb.URL(), CompanyID: sb.CompanyID(), APIKey: sb.APIKey(),
			RatePerMinute: 600000, MinRetryDelay: 5 * time.Millisecond, MaxRetryDelay: 50 * time.Millisecond,
			Registry: apikit.NewRegistry(apikit.RegistryOptions{Clock: e.clock}),
		}
		if cMod != nil {
			cMod(&cfg)
		}
	}
	c, err := inflow.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.c = c
	return e
}

// now is the time on the account's clock: the emulator's virtual clock,
// or the wall clock for a real account.
func (e *env) now() time.Time {
	if e.clock != nil {
		return e.clock.Now()
	}
	return time.Now()
}

func (e *env) needWrites(t *testing.T) {
	t.Helper()
	if !e.writes {
		t.Skip("writes to a real inFlow account are off; set INFLOW_CONTRACT_ALLOW_WRITES=1 to run this test")
	}
}

func (e *env) needSandbox(t *testing.T) {
	t.Helper()
	if e.sb == nil {
		t.Skip("emulator-only test (fault injection, rate limits or request counts)")
	}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// location returns an active location id.
func (e *env) location(t *testing.T, ctx context.Context, skip int) string {
	t.Helper()
	locs, err := e.c.Locations().All(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var active []string
	for _, l := range locs {
		if l.IsActive == nil || *l.IsActive {
			active = append(active, l.LocationID)
		}
	}
	if len(active) <= skip {
		t.Skipf("needs %d active locations, the account has %d", skip+1, len(active))
	}
	return active[skip]
}

// newProduct upserts a fresh stocked product and deactivates it at the end
// on a real account.
func (e *env) newProduct(t *testing.T, ctx context.Context, name string, mod func(*inflow.Product)) *inflow.Product {
	t.Helper()
	p := &inflow.Product{
		ProductID: uuid.NewString(),
		Name:      new(e.tag + " " + name),
		ItemType:  new(inflow.StockedProduct),
	}
	if mod != nil {
		mod(p)
	}
	got, err := e.c.Products().Put(ctx, p)
	if err != nil {
		t.Fatalf("put product %s: %v", name, err)
	}
	if e.sb == nil {
		t.Cleanup(func() {
			_, _ = e.c.Products().Put(context.Background(), &inflow.Product{ProductID: p.ProductID, IsActive: new(false)})
		})
	}
	return got
}

func (e *env) adjust(t *testing.T, ctx context.Context, productID, locationID string, qty int64, serials ...string) {
	t.Helper()
	_, err := e.c.StockAdjustments().Put(ctx, &inflow.StockAdjustment{
		StockAdjustmentID: uuid.NewString(),
		LocationID:        new(locationID),
		Remarks:           new(e.tag),
		Lines: []inflow.StockAdjustmentLine{{
			StockAdjustmentLineID: uuid.NewString(),
			ProductID:             new(productID),
			Quantity:              &inflow.QuantityWithUom{StandardQuantity: new(inflow.DecimalFromInt(qty)), SerialNumbers: serials},
		}},
	})
	if err != nil {
		t.Fatalf("stock adjustment: %v", err)
	}
}

func (e *env) customer(t *testing.T, ctx context.Context) string {
	t.Helper()
	c, err := e.c.Customers().Put(ctx, &inflow.Customer{CustomerID: uuid.NewString(), Name: new(e.tag + " customer")})
	if err != nil {
		t.Fatal(err)
	}
	return c.CustomerID
}

func pick(productID, locationID string, qty int64, serials ...string) inflow.SalesOrderPickLine {
	return inflow.SalesOrderPickLine{
		SalesOrderPickLineID: uuid.NewString(),
		ProductID:            new(productID),
		LocationID:           new(locationID),
		Quantity:             &inflow.QuantityWithUom{StandardQuantity: new(inflow.DecimalFromInt(qty)), SerialNumbers: serials},
	}
}

func TestContractReferenceData(t *testing.T) {
	e := newEnv(t, nil, nil)
	ctx := ctxT(t)
	locs, err := e.c.Locations().All(ctx, nil)
	if err != nil || len(locs) == 0 {
		t.Fatalf("locations: %d, %v", len(locs), err)
	}
	one, err := e.c.Locations().Get(ctx, locs[0].LocationID, nil)
	if err != nil || one.LocationID != locs[0].LocationID || *one.Name != *locs[0].Name {
		t.Fatalf("get location: %+v %v", one, err)
	}
	checks := map[string]func() error{
		"categories":         func() error { _, err := e.c.Categories().All(ctx, nil); return err },
		"pricing-schemes":    func() error { _, err := e.c.PricingSchemes().All(ctx, nil); return err },
		"currencies":         func() error { _, err := e.c.Currencies().All(ctx, nil); return err },
		"adjustment-reasons": func() error { _, err := e.c.AdjustmentReasons().All(ctx, nil); return err },
		"taxing-schemes":     func() error { _, err := e.c.TaxingSchemes().All(ctx, nil); return err },
		"tax-codes":          func() error { _, err := e.c.TaxCodes().All(ctx, nil); return err },
		"payment-terms":      func() error { _, err := e.c.PaymentTerms().All(ctx, nil); return err },
		"team-members":       func() error { _, err := e.c.TeamMembers().All(ctx, nil); return err },
	}
	for name, f := range checks {
		if err := f(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := e.c.Products().Get(ctx, uuid.NewString(), nil); inflow.StatusOf(err) != http.StatusNotFound {
		t.Errorf("unknown product: %v", err)
	}
}

func TestContractUnauthorized(t *testing.T) {
	e := newEnv(t, nil, nil)
	cfg := e.c.Config()
	cfg.APIKey = "wrong-" + uuid.NewString()
	cfg.Limiter = e.c.Limiter()
	bad, err := inflow.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = bad.Locations().All(ctxT(t), nil)
	var ae *inflow.APIError
	if !inflow.IsUnauthorized(err) || !errors.As(err, &ae) || ae.Attempts != 1 {
		t.Fatalf("wrong key: %v", err)
	}
	if strings.Contains(err.Error(), cfg.APIKey) {
		t.Fatal("key in error")
	}
}

func TestContractPaging(t *testing.T) {
	e := newEnv(t, nil, nil)
	ctx := ctxT(t)
	if e.sb != nil {
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(8)
		for i := range 230 {
			g.Go(func() error {
				_, err := e.c.Products().Put(gctx, &inflow.Product{
					ProductID: uuid.NewString(), Name: new(fmt.Sprintf("%s bulk %03d", e.tag, i)), ItemType: new(inflow.StockedProduct)})
				return err
			})
		}
		if err := g.Wait(); err != nil {
			t.Fatal(err)
		}
	}
	e.c.ResetStats()
	all, err := e.c.Products().All(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if e.sb != nil && len(all) < 230 {
		t.Fatalf("listed %d products, created 230", len(all))
	}
	ids := map[string]bool{}
	for _, p := range all {
		if ids[p.ProductID] {
			t.Fatalf("duplicate %s", p.ProductID)
		}
		ids[p.ProductID] = true
	}
	if want := len(all)/100 + 1; e.c.Stats().Requests != want {
		t.Errorf("%d products took %d requests, want %d", len(all), e.c.Stats().Requests, want)
	}
	// The same set in small pages, descending by name, equals the full list.
	var small []string
	for p, err := range e.c.Products().List(ctx, &inflow.ListOptions{Count: 37, Sort: "name", SortDesc: true}) {
		if err != nil {
			t.Fatal(err)
		}
		small = append(small, p.ProductID)
		if e.sb == nil && len(small) == 80 { // spare a real account's rate limit
			break
		}
	}
	for _, id := range small {
		if !ids[id] {
			t.Fatalf("small pages yielded %s, absent from the full list", id)
		}
	}
	if e.sb != nil && len(small) != len(all) {
		t.Fatalf("small pages: %d, full: %d", len(small), len(all))
	}
	if n, err := e.c.Products().Total(ctx, nil); err != nil || (e.sb != nil && n != len(all)) {
		t.Errorf("total %d, %v (listed %d)", n, err, len(all))
	}
}

func TestContractFiltersAndIncludes(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.needWrites(t)
	ctx := ctxT(t)
	loc := e.location(t, ctx, 0)
	before := e.now().Add(-time.Minute)
	a := e.newProduct(t, ctx, "filter alpha", func(p *inflow.Product) { p.Description = new("blue") })
	e.newProduct(t, ctx, "filter beta", func(p *inflow.Product) { p.IsActive = new(false) })
	e.adjust(t, ctx, a.ProductID, loc, 4)

	names := func(opts *inflow.ListOptions) []string {
		t.Helper()
		ps, err := e.c.Products().All(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range ps {
			if strings.HasPrefix(*p.Name, e.tag) {
				out = append(out, strings.TrimPrefix(*p.Name, e.tag+" "))
			}
		}
		sort.Strings(out)
		return out
	}
	f := func(kv ...any) *inflow.ListOptions {
		m := map[string]any{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return &inflow.ListOptions{Filters: m}
	}
	for _, tc := range []struct {
		opts *inflow.ListOptions
		want []string
	}{
		{f("name", e.tag), []string{"filter alpha", "filter beta"}},
		{f("name", e.tag, "isActive", true), []string{"filter alpha"}},
		{f("name", e.tag, "isActive", false), []string{"filter beta"}},
		{f("smart", e.tag+" filter al"), []string{"filter alpha"}},
		{f("name", e.tag, "lastModifiedDateTime", inflow.DateRangeOf(before, time.Time{})), []string{"filter alpha", "filter beta"}},
		{f("name", e.tag, "lastModifiedDateTime", inflow.DateRange{FromDate: "2001-01-01", ToDate: "2002-01-01"}), nil},
	} {
		if got := names(tc.opts); !slices.Equal(got, tc.want) {
			t.Errorf("filters %v: got %q, want %q", tc.opts.Filters, got, tc.want)
		}
	}

	// Includes, nested.
	p, err := e.c.Products().Get(ctx, a.ProductID, &inflow.GetOptions{Include: []string{"inventoryLines.location", "category"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.InventoryLines) != 1 || p.InventoryLines[0].Location == nil || p.InventoryLines[0].Location.LocationID != loc ||
		!p.InventoryLines[0].QuantityOnHand.Equal(inflow.DecimalFromInt(4)) || !p.TotalQuantityOnHand.Equal(inflow.DecimalFromInt(4)) {
		t.Errorf("include inventoryLines.location: %+v", p.InventoryLines)
	}
	plain, err := e.c.Products().Get(ctx, a.ProductID, nil)
	if err != nil || plain.InventoryLines != nil {
		t.Errorf("lines without include: %+v %v", plain.InventoryLines, err)
	}
	// An unknown include is a 400, not retried.
	for _, bad := range []string{"stock", "inventoryLines.nope"} {
		_, err = e.c.Products().Get(ctx, a.ProductID, &inflow.GetOptions{Include: []string{bad}})
		var ae *inflow.APIError
		if inflow.StatusOf(err) != http.StatusBadRequest || !errors.As(err, &ae) || ae.Attempts != 1 {
			t.Errorf("include %s: %v", bad, err)
		}
	}
	if _, err := e.c.Products().All(ctx, &inflow.ListOptions{Include: []string{"items"}}); inflow.StatusOf(err) != http.StatusBadRequest {
		t.Errorf("list include items: %v", err)
	}
}

func TestContractUpserts(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.needWrites(t)
	ctx := ctxT(t)
	loc := e.location(t, ctx, 0)
	schemes, err := e.c.PricingSchemes().All(ctx, nil)
	if err != nil || len(schemes) == 0 {
		t.Fatalf("pricing schemes: %v", err)
	}
	vendor, err := e.c.Vendors().Put(ctx, &inflow.Vendor{VendorID: uuid.NewString(), Name: new(e.tag + " vendor")})
	if err != nil {
		t.Fatal(err)
	}
	sku := strings.ToUpper(e.tag[len(e.tag)-8:])
	p := e.newProduct(t, ctx, "upsert", func(p *inflow.Product) {
		p.Sku = new(sku)
		p.Description = new("first")
		p.Prices = []inflow.ProductPrice{{ProductPriceID: uuid.NewString(), PricingSchemeID: new(schemes[0].PricingSchemeID),
			PriceType: new(inflow.FixedPrice), UnitPrice: inflow.DecimalPtr("19.99")}}
		p.ProductBarcodes = []inflow.ProductBarcode{{ProductBarcodeID: uuid.NewString(), Barcode: new("0" + sku)}}
		p.VendorItems = []inflow.VendorItem{{VendorItemID: uuid.NewString(), VendorID: new(vendor.VendorID),
			VendorItemCode: new("V-" + sku), Cost: inflow.DecimalPtr("4.125")}}
		p.ReorderSettings = []inflow.ReorderSettings{{ReorderSettingsID: uuid.NewString(), LocationID: new(loc),
			ReorderMethod: new(inflow.ReorderPurchaseOrder), ReorderPoint: inflow.DecimalPtr("5"), ReorderQuantity: inflow.DecimalPtr("10")}}
	})
	if p.Timestamp == "" || !p.ItemType.Is(inflow.StockedProduct) || *p.ItemType != inflow.StockedProduct {
		t.Fatalf("stored: %+v", p)
	}
	got, err := e.c.Products().Get(ctx, p.ProductID, &inflow.GetOptions{Include: []string{"prices", "productBarcodes", "vendorItems", "reorderSettings"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Prices) != 1 || !got.Prices[0].UnitPrice.Equal(inflow.MustDecimal("19.99")) || *got.Prices[0].PriceType != inflow.FixedPrice {
		t.Errorf("prices: %+v", got.Prices)
	}
	if len(got.ProductBarcodes) != 1 || *got.ProductBarcodes[0].Barcode != "0"+sku {
		t.Errorf("barcodes: %+v", got.ProductBarcodes)
	}
	if len(got.VendorItems) != 1 || !got.VendorItems[0].Cost.Equal(inflow.MustDecimal("4.125")) {
		t.Errorf("vendor items: %+v", got.VendorItems)
	}
	if len(got.ReorderSettings) != 1 || *got.ReorderSettings[0].ReorderMethod != inflow.ReorderPurchaseOrder {
		t.Errorf("reorder settings: %+v", got.ReorderSettings)
	}

	// An update sends one field; the rest is left as it was.
	upd, err := e.c.Products().Put(ctx, &inflow.Product{ProductID: p.ProductID, Description: new("second")})
	if err != nil {
		t.Fatal(err)
	}
	after, err := e.c.Products().Get(ctx, p.ProductID, &inflow.GetOptions{Include: []string{"prices"}})
	if err != nil {
		t.Fatal(err)
	}
	if *after.Description != "second" || *after.Name != *p.Name || *after.Sku != sku || len(after.Prices) != 1 || upd.Timestamp == p.Timestamp {
		t.Errorf("partial update: %+v", after)
	}

	// Uniqueness: name and SKU; a row error, not retried.
	for _, dup := range []*inflow.Product{
		{ProductID: uuid.NewString(), Name: p.Name},
		{ProductID: uuid.NewString(), Name: new(e.tag + " other"), Sku: new(sku)},
	} {
		_, err := e.c.Products().Put(ctx, dup)
		var ae *inflow.APIError
		if !inflow.IsRowError(err) || !errors.As(err, &ae) || ae.Attempts != 1 || ae.Message == "" {
			t.Errorf("duplicate accepted or misreported: %v", err)
		}
	}
	// itemType cannot change once set.
	if _, err := e.c.Products().Put(ctx, &inflow.Product{ProductID: p.ProductID, ItemType: new(inflow.ServiceItem)}); !inflow.IsRowError(err) {
		t.Errorf("itemType change: %v", err)
	}
}

func TestContractStaleTimestampConflicts(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.needWrites(t)
	ctx := ctxT(t)
	p := e.newProduct(t, ctx, "conflict", nil)
	first, err := e.c.Products().Put(ctx, &inflow.Product{ProductID: p.ProductID, Remarks: new("one"), Timestamp: p.Timestamp})
	if err != nil {
		t.Fatalf("current timestamp refused: %v", err)
	}
	_, err = e.c.Products().Put(ctx, &inflow.Product{ProductID: p.ProductID, Remarks: new("two"), Timestamp: p.Timestamp})
	if !inflow.IsConflict(err) || negativeInventory(err) {
		t.Fatalf("stale timestamp: %v", err)
	}
	var ae *inflow.APIError
	if errors.As(err, &ae); ae.Attempts != 1 || ae.Method != "PUT" || ae.Path != "/products" {
		t.Errorf("error: %#v", ae)
	}
	got, _ := e.c.Products().Get(ctx, p.ProductID, nil)
	if *got.Remarks != "one" || got.Timestamp != first.Timestamp {
		t.Errorf("conflicting write changed the record: %+v", got)
	}
	if _, err := e.c.Products().Put(ctx, &inflow.Product{ProductID: p.ProductID, Remarks: new("three")}); err != nil {
		t.Errorf("blind write without timestamp: %v", err)
	}
}

// negativeInventory reports inFlow's "422 - Negative Inventory": a pick
// that would drive stock below zero without the override header.
func negativeInventory(err error) bool {
	var ae *inflow.APIError
	return errors.As(err, &ae) && ae.Status == http.StatusUnprocessableEntity && strings.Contains(strings.ToLower(ae.Message), "negative")
}

// putOverridingNegative PUTs a sales order with
// X-OverrideAllowNegativeInventory: true, as the inflow sink sends it.
func putOverridingNegative(ctx context.Context, c *inflow.Client, so *inflow.SalesOrder) (*inflow.SalesOrder, error) {
	out := new(inflow.SalesOrder)
	_, err := c.Do(ctx, inflow.Request{Method: http.MethodPut, Path: "/sales-orders", Body: so, Idempotent: true,
		Header: http.Header{"X-OverrideAllowNegativeInventory": {"true"}}}, out)
	return out, err
}

func TestContractNegativeInventory(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.needWrites(t)
	ctx := ctxT(t)
	loc := e.location(t, ctx, 0)
	p := e.newProduct(t, ctx, "negative", nil)
	e.adjust(t, ctx, p.ProductID, loc, 5)
	cust := e.customer(t, ctx)
	so := &inflow.SalesOrder{
		SalesOrderID: uuid.NewString(), CustomerID: new(cust), Source: new("etl contract"), LocationID: new(loc),
		Lines: []inflow.SalesOrderLine{{SalesOrderLineID: uuid.NewString(), ProductID: new(p.ProductID),
			Quantity: &inflow.QuantityWithUom{StandardQuantity: new(inflow.DecimalFromInt(8))}, UnitPrice: inflow.DecimalPtr("2.50")}},
		PickLines: []inflow.SalesOrderPickLine{pick(p.ProductID, loc, 8)},
	}
	_, err := e.c.SalesOrders().Put(ctx, so)
	var ae *inflow.APIError
	if !negativeInventory(err) || !errors.As(err, &ae) || ae.Attempts != 1 {
		t.Fatalf("pick of 8 from 5: %v", err)
	}
	if _, err := e.c.SalesOrders().Get(ctx, so.SalesOrderID, nil); inflow.StatusOf(err) != http.StatusNotFound {
		t.Fatalf("refused order was stored: %v", err)
	}
	stored, err := putOverridingNegative(ctx, e.c, so)
	if err != nil {
		t.Fatalf("override: %v", err)
	}
	if stored.OrderNumber == nil || *stored.OrderNumber == "" {
		t.Errorf("order number not assigned: %+v", stored)
	}
	s, err := e.c.ProductSummary(ctx, p.ProductID, loc)
	if err != nil || !s.QuantityOnHand.Equal(inflow.DecimalFromInt(-3)) {
		t.Fatalf("on hand after override: %v %v", s, err)
	}
}

func TestContractSummariesInBatches(t *testing.T) {
	e := newEnv(t, nil, nil)
	ctx := ctxT(t)
	var pairs []inflow.SummaryRequest
	if e.sb != nil {
		loc := e.location(t, ctx, 0)
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(8)
		var mu sync.Mutex
		want := map[string]int64{}
		for i := range 120 {
			g.Go(func() error {
				id := uuid.NewString()
				if _, err := e.c.Products().Put(gctx, &inflow.Product{ProductID: id, Name: new(fmt.Sprintf("%s sum %03d", e.tag, i)),
					ItemType: new(inflow.StockedProduct)}); err != nil {
					return err
				}
				mu.Lock()
				want[id] = int64(i%7 + 1)
				mu.Unlock()
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			t.Fatal(err)
		}
		for id, q := range want {
			e.adjust(t, ctx, id, loc, q)
			pairs = append(pairs, inflow.SummaryRequest{ProductID: id, LocationID: loc}, inflow.SummaryRequest{ProductID: id})
		}
		e.sb.ResetStats()
		got, err := e.c.ProductSummaries(ctx, pairs)
		if err != nil {
			t.Fatal(err)
		}
		if n := e.sb.Stats().ByRoute["POST /products/summary"]; n != 3 {
			t.Errorf("%d pairs took %d POSTs, want 3", len(pairs), n)
		}
		if len(got) != len(pairs) {
			t.Fatalf("%d summaries for %d pairs", len(got), len(pairs))
		}
		for i, s := range got {
			pr := pairs[i]
			if *s.ProductID != pr.ProductID || (pr.LocationID == "") != (s.LocationID == nil) {
				t.Fatalf("summary %d is for %v/%v, asked %+v", i, *s.ProductID, s.LocationID, pr)
			}
			if !s.QuantityOnHand.Equal(inflow.DecimalFromInt(want[pr.ProductID])) {
				t.Errorf("summary %d: on hand %v, want %d", i, s.QuantityOnHand, want[pr.ProductID])
			}
		}
		one, err := e.c.ProductSummary(ctx, pairs[0].ProductID, "")
		if err != nil || !one.QuantityOnHand.Equal(*got[0].QuantityOnHand) || one.LocationID != nil {
			t.Errorf("single summary %+v %v", one, err)
		}
		return
	}
	// A real account: read summaries for up to 150 existing products.
	for p, err := range e.c.Products().List(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		pairs = append(pairs, inflow.SummaryRequest{ProductID: p.ProductID})
		if len(pairs) == 150 {
			break
		}
	}
	e.c.ResetStats()
	got, err := e.c.ProductSummaries(ctx, pairs)
	if err != nil || len(got) != len(pairs) {
		t.Fatalf("%d summaries for %d pairs: %v", len(got), len(pairs), err)
	}
	if want := (len(pairs) + 99) / 100; e.c.Stats().ByMethod["POST"] != want {
		t.Errorf("%d POSTs, want %d", e.c.Stats().ByMethod["POST"], want)
	}
}

func TestContractSerials(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.needWrites(t)
	ctx := ctxT(t)
	loc := e.location(t, ctx, 0)
	sn := strings.ToUpper(e.tag[len(e.tag)-8:])
	a, b, c := "SN-"+sn+"-A", "SN-"+sn+"-B", "SN-"+sn+"-C"
	p := e.newProduct(t, ctx, "serial", func(p *inflow.Product) { p.TrackSerials = new(true) })
	if p.TrackSerials == nil || !*p.TrackSerials {
		t.Fatalf("trackSerials not stored: %+v", p)
	}
	e.adjust(t, ctx, p.ProductID, loc, 3, a, b, c)
	cust := e.customer(t, ctx)
	so := &inflow.SalesOrder{
		SalesOrderID: uuid.NewString(), CustomerID: new(cust), Source: new("etl contract"), LocationID: new(loc),
		Lines: []inflow.SalesOrderLine{{SalesOrderLineID: uuid.NewString(), ProductID: new(p.ProductID),
			Quantity: &inflow.QuantityWithUom{StandardQuantity: new(inflow.DecimalFromInt(1)), SerialNumbers: []string{b}}}},
		PickLines: []inflow.SalesOrderPickLine{pick(p.ProductID, loc, 1, b)},
	}
	if _, err := e.c.SalesOrders().Put(ctx, so); err != nil {
		t.Fatal(err)
	}
	got, err := e.c.Products().Get(ctx, p.ProductID, &inflow.GetOptions{Include: []string{"inventoryLines"}})
	if err != nil {
		t.Fatal(err)
	}
	onHand := map[string]string{}
	for _, l := range got.InventoryLines {
		if l.Serial != nil && *l.Serial != "" {
			onHand[*l.Serial] = l.QuantityOnHand.String()
		}
	}
	if want := map[string]string{a: "1", b: "0", c: "1"}; fmt.Sprint(onHand) != fmt.Sprint(want) {
		t.Errorf("serial lines %v, want %v", onHand, want)
	}
	order, err := e.c.SalesOrders().Get(ctx, so.SalesOrderID, &inflow.GetOptions{Include: []string{"lines"}})
	if err != nil || len(order.Lines) != 1 || !slices.Equal(order.Lines[0].Quantity.SerialNumbers, []string{b}) {
		t.Errorf("order lines serials: %+v %v", order, err)
	}
	// A serial not in stock cannot be picked, even with the override.
	bad := &inflow.SalesOrder{SalesOrderID: uuid.NewString(), CustomerID: new(cust), Source: new("etl contract"),
		PickLines: []inflow.SalesOrderPickLine{pick(p.ProductID, loc, 1, b)}}
	if _, err := putOverridingNegative(ctx, e.c, bad); !inflow.IsRowError(err) {
		t.Errorf("picked a serial that is gone: %v", err)
	}
	s, err := e.c.ProductSummary(ctx, p.ProductID, loc)
	if err != nil || !s.QuantityOnHand.Equal(inflow.DecimalFromInt(2)) {
		t.Errorf("summary %v %v", s, err)
	}
	// The product-based serial scan of the serial-number guide.
	found := false
	for q, err := range e.c.Products().List(ctx, &inflow.ListOptions{Include: []string{"inventoryLines"},
		Filters: map[string]any{"name": e.tag}}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range q.InventoryLines {
			found = found || (l.Serial != nil && *l.Serial == a)
		}
	}
	if !found {
		t.Error("serial not found by listing products with inventoryLines")
	}
}

// stripRetryAfter removes Retry-After from responses, to play a server
// that does not send it.
type stripRetryAfter struct{ next http.RoundTripper }

func (s stripRetryAfter) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := s.next.RoundTrip(r)
	if resp != nil {
		resp.Header.Del("Retry-After")
	}
	return resp, err
}

// TestContractTooManyRequests: two processes share an account of 600
// requests a minute, each with its own limiter at that rate, so together
// they overrun it. Every call must still succeed, waiting out the 429s
// (with and without Retry-After) without a hot loop.
func TestContractTooManyRequests(t *testing.T) {
	for _, withRA := range []bool{true, false} {
		t.Run(fmt.Sprintf("RetryAfter=%v", withRA), func(t *testing.T) {
			e := newEnv(t, func(o *sandbox.Options) { o.RatePerMinute = 600; o.RateBurst = 1 }, nil)
			e.needSandbox(t)
			ctx := ctxT(t)
			clients := make([]*inflow.Client, 2)
			for i := range clients {
				cfg := e.c.Config()
				cfg.Limiter = nil
				// Each client its own limiter (its own registry), on the shared clock.
				cfg.Registry = apikit.NewRegistry(apikit.RegistryOptions{Clock: e.clock})
				cfg.RatePerMinute = 1200 // each client alone outpaces the server
				cfg.MinRetryDelay = 100 * time.Millisecond
				cfg.MaxRetryDelay = 2 * time.Second
				cfg.MaxRetries = 30 // a client can lose many races in a row to the other
				if !withRA {
					cfg.HTTPClient = &http.Client{Transport: stripRetryAfter{http.DefaultTransport}}
				}
				c, err := inflow.New(cfg)
				if err != nil {
					t.Fatal(err)
				}
				clients[i] = c
			}
			e.sb.ResetStats()
			var g errgroup.Group
			for _, c := range clients {
				for range 2 {
					g.Go(func() error {
						for range 6 {
							if _, err := c.Locations().All(ctx, nil); err != nil {
								return err
							}
						}
						return nil
					})
				}
			}
			if err := g.Wait(); err != nil {
				t.Fatal(err)
			}
			st := e.sb.Stats()
			tooMany := clients[0].Stats().TooMany + clients[1].Stats().TooMany
			if st.TooMany == 0 || tooMany != st.TooMany {
				t.Errorf("server 429s %d, client 429s %d (want equal, > 0)", st.TooMany, tooMany)
			}
			if ok := st.Total - st.TooMany; ok != 24 {
				t.Errorf("%d successful requests, want 24", ok)
			}
			// No hot loop: at most two 429s per successful request (two
			// clients, each faster than the server, race for every slot).
			if st.TooMany > 48 {
				t.Errorf("%d 429s for 24 requests", st.TooMany)
			}
			t.Logf("%d requests, %d answered 429", st.Total, st.TooMany)
		})
	}
}

// TestContractRateLimiter: one limiter of 600 a minute shared by 6
// goroutines, on the virtual clock. Counted at the limiter's releases: no
// window of a second holds more than 10 requests and, while work waits,
// one goes every 100 ms; the emulator (600 a minute, burst 10) refuses
// none.
func TestContractRateLimiter(t *testing.T) {
	e := newEnv(t, func(o *sandbox.Options) { o.RatePerMinute = 600; o.RateBurst = 10 }, nil)
	e.needSandbox(t)
	var (
		mu     sync.Mutex
		stamps []time.Time
	)
	cfg := e.c.Config()
	cfg.RatePerMinute = 600
	cfg.Registry = apikit.NewRegistry(apikit.RegistryOptions{Clock: e.clock, Observer: apikit.ObserverFuncs{
		Request: func(ev apikit.RequestEvent) { mu.Lock(); stamps = append(stamps, ev.Time); mu.Unlock() },
	}})
	c, err := inflow.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := ctxT(t)
	e.sb.ResetStats()
	const total = 36
	work := make(chan struct{}, total)
	for range total {
		work <- struct{}{}
	}
	close(work)
	var g errgroup.Group
	for range 6 {
		g.Go(func() error {
			for range work {
				if _, err := c.Currencies().All(ctx, nil); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	sort.Slice(stamps, func(i, j int) bool { return stamps[i].Before(stamps[j]) })
	most := 0
	for i := range stamps {
		n := 0
		for j := i; j < len(stamps) && stamps[j].Sub(stamps[i]) < time.Second; j++ {
			n++
		}
		most = max(most, n)
	}
	if most != 10 {
		t.Errorf("%d requests within a second; want the limit, 10", most)
	}
	for i := 1; i < len(stamps); i++ {
		if gap := stamps[i].Sub(stamps[i-1]); gap != 100*time.Millisecond {
			t.Errorf("requests %d and %d %v apart, want 100ms (the limit kept busy)", i-1, i, gap)
		}
	}
	if st := e.sb.Stats(); st.TooMany != 0 || st.Total != total || len(stamps) != total {
		t.Errorf("server saw %d requests, %d refused; %d released", st.Total, st.TooMany, len(stamps))
	}
}

// TestContractServerFaults: with a share of 500/503 answers and dropped
// connections, idempotent calls (lists, gets, PUTs, summary POSTs) still
// succeed through retries, and faulted requests change nothing.
func TestContractServerFaults(t *testing.T) {
	e := newEnv(t, func(o *sandbox.Options) {
		o.Faults = sandbox.Faults{ErrorRate: 0.25, DropRate: 0.1, Rand: rand.New(rand.NewPCG(7, 11))}
	}, func(c *inflow.Config) { c.MaxRetries = 12 })
	e.needSandbox(t)
	ctx := ctxT(t)
	var ids []string
	for i := range 40 {
		p := e.newProduct(t, ctx, fmt.Sprintf("fault %02d", i), func(p *inflow.Product) { p.Sku = new(fmt.Sprintf("%s-%02d", e.tag, i)) })
		ids = append(ids, p.ProductID)
	}
	got, err := e.c.Products().All(ctx, &inflow.ListOptions{Count: 7, Filters: map[string]any{"name": e.tag}})
	if err != nil || len(got) != 40 {
		t.Fatalf("listed %d: %v", len(got), err)
	}
	var pairs []inflow.SummaryRequest
	for _, id := range ids {
		pairs = append(pairs, inflow.SummaryRequest{ProductID: id})
		if _, err := e.c.Products().Get(ctx, id, nil); err != nil {
			t.Fatal(err)
		}
	}
	if s, err := e.c.ProductSummaries(ctx, pairs); err != nil || len(s) != 40 {
		t.Fatalf("summaries: %d %v", len(s), err)
	}
	st, cs := e.sb.Stats(), e.c.Stats()
	if st.Faulted == 0 || cs.Retries < st.Faulted {
		t.Errorf("server faulted %d, client retried %d", st.Faulted, cs.Retries)
	}
	if n := len(e.sb.All("products")); n < 40 {
		t.Errorf("%d products stored", n)
	}
	t.Logf("%d requests, %d faulted, %d retries", st.Total, st.Faulted, cs.Retries)
}
