package goflow

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/goflow/sandbox"
	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/internal/emulator"
)

func newClient(t *testing.T, opts sandbox.Options) (*Client, *sandbox.Server, *apikit.VirtualClock) {
	t.Helper()
	clk := apikit.NewVirtualClock(time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC))
	opts.Clock = clk
	srv, err := sandbox.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL(), Token: apikit.NewSecret(srv.Token()), BetaContact: "t@example.com",
		Registry: apikit.NewRegistry(apikit.RegistryOptions{Clock: clk})})
	if err != nil {
		t.Fatal(err)
	}
	return c, srv, clk
}

func TestDecimalAndTimeExact(t *testing.T) {
	t.Parallel()
	var v struct {
		A Decimal  `json:"a"`
		B *Decimal `json:"b"`
		C Decimal  `json:"c"`
		T Time     `json:"t"`
		U *Time    `json:"u"`
	}
	in := `{"a": 0.1000000000000000055511151231257827, "b": null, "c": "-12.50", "t": "2025-01-31T18:30:20.123456Z", "u": null}`
	if err := json.Unmarshal([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	if v.A.String() != "0.1000000000000000055511151231257827" || v.B != nil || v.C.String() != "-12.5" {
		t.Errorf("decimals %s %v %s", v.A, v.B, v.C)
	}
	if v.T.Nanosecond() != 123456000 || v.T.Location() != time.UTC || v.U != nil {
		t.Errorf("time %v", v.T)
	}
	out, _ := json.Marshal(struct {
		A Decimal `json:"a"`
	}{MustDecimal("19.990")})
	if string(out) != `{"a":19.99}` {
		t.Errorf("marshal %s", out)
	}
}

func TestClassify429TakesTheLongerWait(t *testing.T) {
	t.Parallel()
	r := &apikit.Response{Request: &apikit.Request{Method: "GET", Path: "/orders"}, Status: 429,
		Header: http.Header{"Retry-After": {"3"}}, Body: []byte(`{"message":"API rate limit exceeded.","retry_after_seconds":7.8832487}`), Now: time.Now()}
	bo, ok := apikit.IsBackOff(classify(r))
	if !ok || bo.Wait != 8*time.Second || !bo.NotProcessed || !bo.Shared {
		t.Fatalf("%+v", bo)
	}
	for _, st := range []int{409, 503, 500} {
		r.Status, r.Body = st, nil
		bo, ok := apikit.IsBackOff(classify(r))
		if !ok || bo.NotProcessed {
			t.Errorf("%d: %+v", st, bo)
		}
	}
	r.Status = 422
	if _, ok := apikit.IsBackOff(classify(r)); ok {
		t.Error("422 is retried")
	}
}

func TestFieldErrorsLenient(t *testing.T) {
	t.Parallel()
	obj := &apikit.APIError{Status: 422, Body: `{"message":"The given data is invalid","errors":{"name":["Name required"]}}`}
	if fe := FieldErrors(obj); fe["name"][0] != "Name required" {
		t.Errorf("%v", fe)
	}
	arr := &apikit.APIError{Status: 422, Body: `{"message":"The given data is invalid","errors":["Name required"]}`}
	if fe := FieldErrors(arr); fe[""][0] != "Name required" {
		t.Errorf("%v", fe)
	}
}

func TestNewRefusesPlainHTTPAndMissingSettings(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{BaseURL: "http://goflow.example.com/v1", Token: apikit.NewSecret("x"), BetaContact: "a@b"}, "https"},
		{Config{BaseURL: "https://x.api.goflow.com/v1", Token: apikit.NewSecret("x")}, EnvBetaContact},
		{Config{Token: apikit.NewSecret("x"), BetaContact: "a@b"}, EnvSubdomain},
		{Config{Subdomain: "acme.goflow.com", Token: apikit.NewSecret("x"), BetaContact: "a@b"}, "not a subdomain"},
		{Config{Subdomain: "acme", BetaContact: "a@b"}, EnvToken},
	} {
		if _, err := New(c.cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.cfg, err, c.want)
		}
	}
	c, err := New(Config{Subdomain: "acme", Token: apikit.NewSecret("x"), BetaContact: "a@b"})
	if err != nil || c.BaseURL() != "https://acme.api.goflow.com/v1" {
		t.Errorf("%v %v", c, err)
	}
}

// Lists follow next links to the end, and a 429 storm at the documented
// limit is waited out on the clock, never with a lost record.
func TestListPagesAndLimits(t *testing.T) {
	t.Parallel()
	c, srv, clk := newClient(t, sandbox.Options{PageSize: 5, Faults: emulator.Faults{TooManyRate: 0.3, Seed: 3}})
	start := clk.Now()
	all, err := All(context.Background(), c, EpVendors, ListOptions{Sort: "name"}, func(v *Vendor) string { return v.Name })
	if err != nil || len(all) != len(srv.Records("vendors")) {
		t.Fatalf("%d vendors, %v", len(all), err)
	}
	products, err := All(context.Background(), c, EpProducts, ListOptions{Filters: Filters{"type": {"group", "kit"}}}, func(p *Product) string { return p.ItemNumber })
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range products {
		if p.Type != "group" && p.Type != "kit" {
			t.Errorf("%s is %s", p.ItemNumber, p.Type)
		}
	}
	if len(products) == 0 {
		t.Error("no groups or kits")
	}
	every, err := All(context.Background(), c, EpProducts, ListOptions{}, func(p *Product) string { return p.ItemNumber })
	if err != nil || len(every) != len(srv.Records("products")) {
		t.Fatalf("%d products, %v", len(every), err)
	}
	// 8 pages at 60 a minute: at least 7 seconds on the clock, and the
	// injected 429s were waited out.
	if d := clk.Now().Sub(start); d < 7*time.Second || srv.Stats().TooMany == 0 {
		t.Errorf("%s on the clock, %d 429s", d, srv.Stats().TooMany)
	}
	if _, err := All(context.Background(), c, EpProducts, ListOptions{Filters: Filters{"sku": {"x"}}}, func(p *Product) string { return "" }); err == nil || !strings.Contains(err.Error(), `no filter "sku"`) {
		t.Errorf("unknown filter: %v", err)
	}
}

// A next link to another host is not followed: the token would go there.
func TestNextLinkOnAnotherHostIsRefused(t *testing.T) {
	t.Parallel()
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("the other host was called")
	}))
	defer other.Close()
	var api *httptest.Server
	api = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Beta-Contact") == "" || r.Header.Get("Authorization") != "Bearer tok" {
			t.Errorf("headers %v", r.Header)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"data":[{"id":1,"name":"A"}],"next":"` + other.URL + `/v1/vendors?cursor=x"}`))
	}))
	defer api.Close()
	c, _ := New(Config{BaseURL: api.URL + "/v1", Token: apikit.NewSecret("tok"), BetaContact: "t@example.com"})
	_, err := All(context.Background(), c, EpVendors, ListOptions{}, func(v *Vendor) string { return v.Name })
	if err == nil || !strings.Contains(err.Error(), "refusing to follow") || strings.Contains(err.Error(), "tok") {
		t.Fatalf("%v", err)
	}
}

// The counts report: submitted once, polled on the clock, downloaded from
// the other host without the token.
func TestInventoryCounts(t *testing.T) {
	t.Parallel()
	c, srv, _ := newClient(t, sandbox.Options{})
	rows, rep, st, err := c.InventoryCounts(context.Background(), CountsRequest{Columns: CountsColumns, Options: &struct {
		IncludeZeros bool `json:"include_zeros"`
	}{true}}, PollOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Status != "completed" || int64(len(rows)) != rep.Completed.RecordsCount || st.Submits != 1 || st.Downloads != 1 || st.Polls < 2 {
		t.Fatalf("%d rows, %+v, %+v", len(rows), rep, st)
	}
	if srv.Stats().LeakedAuth != 0 {
		t.Error("the token went to the download host")
	}
}

// A submit whose answer is lost is found among the recent reports rather
// than submitted again.
func TestLostSubmitIsFound(t *testing.T) {
	t.Parallel()
	c, srv, _ := newClient(t, sandbox.Options{Faults: emulator.Faults{LostReplyRate: 1, Seed: 1}})
	_, _, st, err := c.InventoryCounts(context.Background(), CountsRequest{Columns: CountsColumns, Limit: 5}, PollOptions{})
	// Every answer is lost, so the poll fails too; what matters is that the
	// report was submitted once and looked for.
	if err == nil || st.Lookups != 1 || st.Submits != 1 || srv.Stats().Creates["reports"] != 1 {
		t.Fatalf("err %v, %+v, %d reports made", err, st, srv.Stats().Creates["reports"])
	}
	if !errors.Is(err, context.Canceled) && !strings.Contains(err.Error(), "report") {
		t.Logf("%v", err)
	}
}

// 409 and 503 are retried for idempotent writes, never for a create: the
// create's error is Unanswered (the caller looks the record up).
func TestConflictsAndMaintenance(t *testing.T) {
	t.Parallel()
	c, srv, _ := newClient(t, sandbox.Options{ConflictRate: 0.3, Faults: emulator.Faults{Seed: 5}})
	for i := range 6 {
		if err := c.PatchPricing(context.Background(), 5001+int64(i), &Pricing{MSRP: Ptr(MustDecimal("99.5"))}); err != nil {
			t.Fatalf("patch %d: %v", i, err)
		}
	}
	if srv.Stats().Conflicts == 0 {
		t.Fatal("no conflict was injected")
	}
	c2, srv2, _ := newClient(t, sandbox.Options{ConflictRate: 1})
	_, err := c2.CreateProduct(context.Background(), &NewProduct{ItemNumber: "C-1"})
	if !Unanswered(err) || Status(err) != 409 || srv2.Stats().Requests["POST /v1/products"] != 1 {
		t.Fatalf("create under conflict: %v, %d POSTs", err, srv2.Stats().Requests["POST /v1/products"])
	}
	c3, srv3, _ := newClient(t, sandbox.Options{Maintenance: true})
	_, err = All(context.Background(), c3, EpVendors, ListOptions{}, func(v *Vendor) string { return v.Name })
	if Status(err) != 503 || srv3.Stats().Requests["GET /v1/vendors"] != 1+apikit.DefaultMaxRetries {
		t.Fatalf("maintenance: %v, %d GETs", err, srv3.Stats().Requests["GET /v1/vendors"])
	}
}

// A 422 comes back with its field errors; nothing is retried.
func TestValidationErrors(t *testing.T) {
	t.Parallel()
	c, srv, _ := newClient(t, sandbox.Options{})
	_, err := c.CreateProduct(context.Background(), &NewProduct{ItemNumber: "GF-0001"})
	if fe := FieldErrors(err); Status(err) != 422 || len(fe["item_number"]) == 0 || Unanswered(err) {
		t.Fatalf("%v %v", err, fe)
	}
	err = c.PatchPricing(context.Background(), 5001, &Pricing{MAP: Ptr(MustDecimal("0.001"))})
	if fe := FieldErrors(err); len(fe["map"]) == 0 || srv.Stats().Requests["PATCH /v1/products/{id}/pricing"] != 1 {
		t.Fatalf("%v %v", err, fe)
	}
}

// A report that ends in error fails with Goflow's message.
func TestReportError(t *testing.T) {
	t.Parallel()
	c, _, _ := newClient(t, sandbox.Options{ReportError: "The report could not be generated."})
	_, rep, _, err := c.InventoryCounts(context.Background(), CountsRequest{Columns: CountsColumns}, PollOptions{})
	if err == nil || !strings.Contains(err.Error(), "failed in Goflow: The report could not be generated.") || rep.Status != "error" {
		t.Fatalf("%v %+v", err, rep)
	}
}

// All collects a list.
func All[T any](ctx context.Context, c *Client, ep *Endpoint, o ListOptions, key func(*T) string) ([]T, error) {
	var out []T
	for v, err := range List(ctx, c, ep, o, key) {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func MustDecimal(s string) Decimal {
	d, err := decimal.NewFromString(s)
	if err != nil {
		panic(err)
	}
	return Decimal{Decimal: d}
}
