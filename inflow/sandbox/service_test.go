package sandbox

import (
	"bytes"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestRateLimit(t *testing.T) {
	clk := newClock()
	c := start(t, Options{Now: clk.Now, RatePerMinute: 3})
	for i := range 3 {
		r := must(t, c.get("/locations"), 200)
		if got := r.header.Get("X-inflow-api-rate-limit"); got != strconv.Itoa(i)+"/3" {
			t.Errorf("request %d: rate header %q", i, got)
		}
	}
	r := must(t, c.get("/locations"), 429)
	if r.header.Get("Retry-After") != "20" {
		t.Errorf("Retry-After = %q, want 20 (one token per 20 s)", r.header.Get("Retry-After"))
	}
	// A refused request takes no token.
	must(t, c.get("/locations"), 429)
	clk.Add(19 * time.Second)
	r = must(t, c.get("/locations"), 429)
	if r.header.Get("Retry-After") != "1" {
		t.Errorf("Retry-After = %q, want 1 (rounded up, never 0)", r.header.Get("Retry-After"))
	}
	clk.Add(time.Second)
	must(t, c.get("/locations"), 200)
	must(t, c.get("/locations"), 429)
	clk.Add(time.Minute)
	for range 3 {
		must(t, c.get("/locations"), 200)
	}
	st := c.s.Stats()
	if st.TooMany != 4 || st.Total != 11 || st.ByRoute["GET /locations"] != 11 {
		t.Errorf("stats: %+v", st)
	}
}

func TestRateLimitHourly(t *testing.T) {
	clk := newClock()
	c := start(t, Options{Now: clk.Now, RatePerMinute: 60, RatePerHour: 5})
	for range 5 {
		must(t, c.get("/currencies"), 200)
	}
	r := must(t, c.get("/currencies"), 429)
	if r.header.Get("Retry-After") != "720" {
		t.Errorf("hourly Retry-After = %q, want 720", r.header.Get("Retry-After"))
	}
	if r.header.Get("X-RateLimit-Limit") != "5/5" {
		t.Errorf("hourly header = %q", r.header.Get("X-RateLimit-Limit"))
	}
	clk.Add(12 * time.Minute)
	must(t, c.get("/currencies"), 200)
}

func TestRateLimitBurstUnderLoad(t *testing.T) {
	// Real time: a burst of 20 concurrent requests against 10 a minute.
	c := start(t, Options{RatePerMinute: 10})
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			r := c.get("/payment-terms")
			mu.Lock()
			codes[r.status]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if codes[200] != 10 || codes[429] != 10 {
		t.Errorf("codes: %v", codes)
	}
}

func TestFaults(t *testing.T) {
	c := start(t, Options{Faults: Faults{ErrorRate: 0.3, Rand: rand.New(rand.NewPCG(1, 2))}})
	codes := map[int]int{}
	for range 300 {
		codes[c.get("/locations").status]++
	}
	faulted := codes[500] + codes[503]
	if faulted < 60 || faulted > 120 || codes[500] == 0 || codes[503] == 0 {
		t.Errorf("error rate 0.3 over 300 requests: %v", codes)
	}
	if st := c.s.Stats(); st.Faulted != faulted || st.Total != 300 {
		t.Errorf("stats %+v, faulted %d", st, faulted)
	}
	// The same seed gives the same faults.
	c2 := start(t, Options{Faults: Faults{ErrorRate: 0.3, Rand: rand.New(rand.NewPCG(1, 2))}})
	codes2 := map[int]int{}
	for range 300 {
		codes2[c2.get("/locations").status]++
	}
	if codes2[500] != codes[500] || codes2[503] != codes[503] {
		t.Errorf("seeded faults differ: %v vs %v", codes, codes2)
	}
	// Faulted writes change nothing.
	c3 := start(t, Options{Faults: Faults{ErrorRate: 1}})
	id := uuid.NewString()
	if r := c3.put("customers", map[string]any{"customerId": id, "name": "Ghost"}); r.status < 500 {
		t.Fatalf("status %d", r.status)
	}
	if _, ok := c3.s.Entity("customers", id); ok {
		t.Error("a faulted PUT was applied")
	}
}

func TestDropsAndLatency(t *testing.T) {
	c := start(t, Options{Faults: Faults{DropRate: 0.5, Latency: 20 * time.Millisecond, Rand: rand.New(rand.NewPCG(7, 7))}})
	c.hc.Transport = &http.Transport{DisableKeepAlives: true}
	dropped := 0
	t0 := time.Now()
	for range 40 {
		_, err := c.raw("GET", "/"+c.s.CompanyID()+"/locations", nil, c.headers())
		if err != nil {
			dropped++
		}
	}
	if time.Since(t0) < 40*20*time.Millisecond {
		t.Error("latency not added")
	}
	if dropped < 10 || dropped > 30 {
		t.Errorf("%d of 40 dropped at rate 0.5", dropped)
	}
	if st := c.s.Stats(); st.Faulted != dropped {
		t.Errorf("Faulted = %d, dropped %d", st.Faulted, dropped)
	}
	var zero int
	for _, r := range c.s.Requests() {
		if r.Status == 0 {
			zero++
		}
	}
	if zero != dropped {
		t.Errorf("%d log entries with status 0, %d dropped", zero, dropped)
	}
}

func TestStatsAndRequestLog(t *testing.T) {
	c := start(t, Options{})
	id := ids(t, c.s)
	c.get("/products" + q("count", "1"))
	c.get("/products/" + id.tote)
	c.get("/products/" + id.tote + "/summary")
	c.do("POST", "/products/summary", []any{})
	c.put("products", map[string]any{"productId": id.tote})
	c.get("/nothing")
	st := c.s.Stats()
	for _, k := range []string{"GET /products", "GET /products/{productId}", "GET /products/{productId}/summary", "POST /products/summary", "PUT /products", "GET /nothing"} {
		if st.ByRoute[k] != 1 {
			t.Errorf("ByRoute[%q] = %d (%v)", k, st.ByRoute[k], st.ByRoute)
		}
	}
	log := c.s.Requests()
	if len(log) != 6 || log[0].Query != "count=1" || log[0].Status != 200 || log[1].Path != "/products/{productId}" || log[0].Time.IsZero() {
		t.Errorf("log: %+v", log)
	}
	st.ByRoute["GET /products"] = 99 // a copy
	if c.s.Stats().ByRoute["GET /products"] != 1 {
		t.Error("Stats shares its map")
	}
	c.s.ResetStats()
	if st := c.s.Stats(); st.Total != 0 || len(st.ByRoute) != 0 || len(c.s.Requests()) != 0 {
		t.Error("ResetStats")
	}
}

func TestSeedsAndDirectAccess(t *testing.T) {
	seed := DefaultSeed()
	if len(seed.Products) != 12 || len(seed.Locations) != 3 || len(seed.PricingSchemes) != 2 {
		t.Fatalf("bundled seed: %d products %d locations", len(seed.Products), len(seed.Locations))
	}
	seed.Products = seed.Products[:1] // DefaultSeed returns copies
	if len(DefaultSeed().Products) != 12 {
		t.Error("DefaultSeed shares state")
	}
	if _, err := LoadSeed(strings.NewReader(`{"companyId":"x","widgets":[]}`)); err == nil {
		t.Error("unknown seed key accepted")
	}
	small, err := LoadSeed(strings.NewReader(`{
		"companyId": "11111111-2222-3333-4444-555555555555",
		"currencies": [{"currencyId": "aaaaaaaa-0000-0000-0000-000000000001", "isoCode": "EUR", "name": "Euro"}],
		"locations": [{"locationId": "aaaaaaaa-0000-0000-0000-000000000002", "name": "Lager", "isDefault": true}],
		"categories": [{"categoryId": "aaaaaaaa-0000-0000-0000-000000000004", "name": "Kind", "parentCategoryId": "aaaaaaaa-0000-0000-0000-000000000003"},
		               {"categoryId": "aaaaaaaa-0000-0000-0000-000000000003", "name": "Alles", "isDefault": true}],
		"products": [{"productId": "aaaaaaaa-0000-0000-0000-000000000005", "name": "Schraube", "sku": "S-1"}],
		"inventory": [{"productId": "aaaaaaaa-0000-0000-0000-000000000005", "locationId": "aaaaaaaa-0000-0000-0000-000000000002", "quantity": 7}]
	}`))
	if err != nil {
		t.Fatal(err)
	}
	c := start(t, Options{Seed: small, APIKey: "k2"})
	if c.s.CompanyID() != "11111111-2222-3333-4444-555555555555" || c.s.APIKey() != "k2" {
		t.Fatalf("company %s key %s", c.s.CompanyID(), c.s.APIKey())
	}
	p := must(t, c.get("/products/aaaaaaaa-0000-0000-0000-000000000005"+q("include", "category")), 200).obj(t)
	if p["category"].(map[string]any)["name"] != "Alles" {
		t.Errorf("default category: %v", p["category"])
	}
	if got := onHand(t, c, "aaaaaaaa-0000-0000-0000-000000000005", ""); got != "7.00000" {
		t.Errorf("seed stock: %s", got)
	}
	if _, err := New(Options{Seed: &Seed{Products: []map[string]any{{"productId": uuid.NewString()}}}}); err == nil {
		t.Error("seed product without a name accepted")
	}
	if _, err := New(Options{CompanyID: "acme"}); err == nil {
		t.Error("non-GUID company id accepted")
	}

	// Put, Entity, All.
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.URL() != "" {
		t.Error("URL before Start")
	}
	loc := uuid.NewString()
	if err := s.Put("locations", map[string]any{"locationId": loc, "name": "Pop-up Store"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Put("products", map[string]any{"productId": uuid.NewString(), "name": "Canvas Tote Bag"}); err == nil {
		t.Error("Put skipped the uniqueness rule")
	}
	if err := s.Put("widgets", map[string]any{}); err == nil {
		t.Error("Put to an unknown kind")
	}
	got, ok := s.Entity("locations", strings.ToUpper(loc))
	if !ok || got["name"] != "Pop-up Store" || got["isActive"] != true {
		t.Errorf("Entity: %v %v", got, ok)
	}
	got["name"] = "changed"
	if again, _ := s.Entity("locations", loc); again["name"] != "Pop-up Store" {
		t.Error("Entity returns shared state")
	}
	if n := len(s.All("locations")); n != 4 {
		t.Errorf("All(locations) = %d", n)
	}
	if s.All("widgets") != nil {
		t.Error("All of an unknown kind")
	}
	// Handler works without Start.
	req, _ := http.NewRequest("GET", "/"+s.CompanyID()+"/locations", nil)
	req.Header.Set("Authorization", "Bearer "+DefaultAPIKey)
	req.Header.Set("Accept", "application/json;version=2025-06-24")
	rec := &recorder{header: http.Header{}}
	s.Handler().ServeHTTP(rec, req)
	if rec.status != 200 || !bytes.Contains(rec.body.Bytes(), []byte("Pop-up Store")) {
		t.Errorf("Handler: %d %s", rec.status, rec.body.String())
	}
}

type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = 200
	}
	return r.body.Write(b)
}

func TestModel(t *testing.T) {
	m, err := loadModel()
	if err != nil {
		t.Fatal(err)
	}
	if m.version != APIVersion {
		t.Errorf("model version %q", m.version)
	}
	for _, k := range kindList {
		sc := m.schemas[k.schema]
		if sc == nil || sc.props[k.idProp] == nil {
			t.Errorf("%s: no schema or id property", k.name)
			continue
		}
		// Every writable child array has a primary id.
		for _, name := range sc.names {
			if target, many, ok := m.relation(sc.props[name]); ok && many && !computedArrays[sc.name+"."+name] {
				if m.childID(target, k.idProp) == "" {
					t.Errorf("%s.%s: no line id", k.schema, name)
				}
			}
		}
	}
	if got := m.childID("SalesOrder.shipLines", "salesOrderId"); got != "salesOrderShipLineId" {
		t.Errorf("shipLines id = %s", got)
	}
	if _, _, ok := m.relation(m.schemas["Product"].props["customFields"]); ok {
		t.Error("customFields classified as a relationship")
	}
}

func TestInjected429AndLostReplies(t *testing.T) {
	c := start(t, Options{Faults: Faults{TooManyRate: 1, RetryAfter: "omit"}})
	r := must(t, c.get("/locations"), 429)
	if _, ok := r.header["Retry-After"]; ok {
		t.Error("Retry-After sent with RetryAfter: omit")
	}
	c = start(t, Options{Faults: Faults{TooManyRate: 1, RetryAfter: "0"}})
	if r := must(t, c.get("/locations"), 429); r.header.Get("Retry-After") != "0" {
		t.Errorf("Retry-After = %q", r.header.Get("Retry-After"))
	}
	c = start(t, Options{Faults: Faults{TooManyRate: 1}})
	if r := must(t, c.get("/locations"), 429); r.header.Get("Retry-After") != "1" {
		t.Errorf("Retry-After = %q", r.header.Get("Retry-After"))
	}
	if st := c.s.Stats(); st.TooMany != 1 || st.Faulted != 1 {
		t.Errorf("stats: %+v", st)
	}

	// A lost reply: the write is applied, the client sees a dropped connection.
	c = start(t, Options{Faults: Faults{LostReplyRate: 1}})
	id := uuid.NewString()
	body := []byte(`{"customerId":"` + id + `","name":"Lost reply"}`)
	if _, err := c.raw("PUT", "/"+c.s.CompanyID()+"/customers", body, c.headers()); err == nil {
		t.Fatal("reply not lost")
	}
	if _, ok := c.s.Entity("customers", id); !ok {
		t.Error("the write behind a lost reply was not applied")
	}
	if _, err := New(Options{Faults: Faults{LostReplyRate: 2}}); err == nil {
		t.Error("rate 2 accepted")
	}
}

func BenchmarkPutProduct(b *testing.B) {
	s, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		i++
		if err := s.Put("products", map[string]any{"productId": uuid.NewString(), "name": "P" + strconv.Itoa(i), "sku": "S" + strconv.Itoa(i)}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkListProducts(b *testing.B) {
	c := &tc{hc: &http.Client{}}
	s, err := Start(Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	c.s = s
	for i := range 5000 {
		if err := s.Put("products", map[string]any{"productId": uuid.NewString(), "name": "P" + strconv.Itoa(i)}); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		r, err := c.raw("GET", "/"+s.CompanyID()+"/products?count=100&sort=name&include=inventoryLines,prices", nil, c.headers())
		if err != nil || r.status != 200 {
			b.Fatal(err, r.status)
		}
	}
}
