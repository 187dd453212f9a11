package sandbox

import (
	"bytes"
	crand "crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"math"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/internal/emulator"
)

// Defaults.
const (
	DefaultToken    = "sandbox-token"
	DefaultPageSize = 100
)

// Options configure an emulator. The zero value is the bundled sample
// company with the documented limits, on the wall clock.
type Options struct {
	// Clock is the time source (the real clock when nil); a test shares
	// one apikit.VirtualClock between the client and the emulator.
	Clock apikit.Clock
	// Token is the bearer token clients must send (DefaultToken when "").
	Token string
	// PageSize is the fixed number of records a list page holds
	// (DefaultPageSize when 0). Clients cannot choose it.
	PageSize int
	// Company sizes the generated company (DefaultCompany when zero).
	Company Company
	// Empty starts with no data at all instead of the sample company.
	Empty bool
	// RateMultiplier scales every documented per-endpoint limit (1 when
	// 0); NoLimits turns them off.
	RateMultiplier float64
	NoLimits       bool
	// Quotas overrides the daily record quotas of report types
	// ("inventory_counts": 1000000 by the docs).
	Quotas map[string]int64
	// ReportQueue and ReportWork are how long a report stays queued
	// (quota permitting) and processing: 2s and 3s by default.
	ReportQueue, ReportWork time.Duration
	// Maintenance answers every API request with 503 and Retry-After.
	Maintenance bool
	// ReportError, when set, makes every report end in status error with
	// this message instead of completing.
	ReportError string
	// Faults are injected by the kit's harness in front of the API
	// (errors, drops, latency, 429s, lost replies).
	Faults emulator.Faults
	// ConflictRate is a share of write requests answered 409 ("conflicts
	// with another process; you may try the same request again") before
	// they are processed. Draws are seeded by Faults.Seed.
	ConflictRate float64
}

// Server is a running (or mountable) emulator.
type Server struct {
	opts   Options
	clock  apikit.Clock
	secret []byte

	mu      sync.Mutex
	colls   map[string]*collection
	stock   map[stockKey]*level
	nextID  map[string]int64
	reports map[int64]*report
	quotas  map[string]*quota
	files   map[string]*reportFile // by download token
	stats   Stats
	rnd     *mrand.Rand
	harness *emulator.Harness
	mux     *http.ServeMux

	api, cdn       *http.Server
	apiURL, cdnURL string
	apiLn, cdnLn   net.Listener
}

// Stats count what the emulator answered.
type Stats struct {
	// Requests by "METHOD route" (route as the docs name it, e.g.
	// "GET /v1/orders"), every answer included (from the harness).
	Requests map[string]int
	// Writes counts write requests that reached the handlers; TooMany 429
	// answers; Faulted injected faults.
	Writes, TooMany, Faulted int
	// Conflicts counts injected 409s; Downloads requests to the download
	// host; LeakedAuth download requests that carried an Authorization
	// header.
	Conflicts, Downloads, LeakedAuth int
	// Creates counts successful creates by resource ("products",
	// "purchase-orders", "adjustments").
	Creates map[string]int
}

// Total is the number of API requests answered.
func (s Stats) Total() int {
	n := 0
	for _, v := range s.Requests {
		n += v
	}
	return n
}

// New builds an emulator without listening: use Handler and
// DownloadHandler, or Start.
func New(opts Options) (*Server, error) {
	if opts.Clock == nil {
		opts.Clock = apikit.RealClock()
	}
	if opts.Token == "" {
		opts.Token = DefaultToken
	}
	if opts.PageSize <= 0 {
		opts.PageSize = DefaultPageSize
	}
	if opts.RateMultiplier <= 0 {
		opts.RateMultiplier = 1
	}
	if opts.ReportQueue == 0 {
		opts.ReportQueue = 2 * time.Second
	}
	if opts.ReportWork == 0 {
		opts.ReportWork = 3 * time.Second
	}
	s := &Server{opts: opts, clock: opts.Clock, secret: make([]byte, 16),
		colls: map[string]*collection{}, stock: map[stockKey]*level{}, nextID: map[string]int64{},
		reports: map[int64]*report{}, quotas: map[string]*quota{}, files: map[string]*reportFile{}}
	crand.Read(s.secret)
	s.stats.Creates = map[string]int{}
	s.rnd = mrand.New(mrand.NewPCG(opts.Faults.Seed, 409))
	for name, spec := range map[string]*listSpec{"orders": ordersSpec, "purchase-orders": purchaseOrdersSpec, "receipts": receiptsSpec,
		"products": productsSpec, "adjustments": adjustmentsSpec, "transfers": transfersSpec, "warehouses": warehousesSpec,
		"vendors": vendorsSpec, "stores": storesSpec, "listings": listingsSpec} {
		s.colls[name] = newCollection(name, spec)
	}
	s.nextID = map[string]int64{"orders": 900001, "purchase-orders": 3001, "products": 5001, "adjustments": 6001, "reports": 1}
	if !opts.Empty {
		s.seed(opts.Company)
	}
	s.mux = http.NewServeMux()
	for _, rt := range routes {
		s.mux.HandleFunc(rt.method+" "+rt.path, func(hw http.ResponseWriter, r *http.Request) { s.serve(rt, hw, r) })
	}
	s.mux.HandleFunc("/", func(hw http.ResponseWriter, r *http.Request) {
		w := &response{header: http.Header{}}
		w.fail(http.StatusNotFound, "The requested resource was not found.")
		s.write(hw, w)
	})
	limits := map[string]emulator.Rate{}
	for _, rt := range routes {
		if opts.NoLimits || (rt.perMinute == 0 && rt.perHour == 0) {
			continue
		}
		scale := func(n int) int {
			if n == 0 {
				return 0
			}
			return max(1, int(math.Floor(float64(n)*opts.RateMultiplier)))
		}
		limits[rt.key()] = emulator.Rate{PerMinute: scale(rt.perMinute), PerHour: scale(rt.perHour)}
	}
	h, err := emulator.New(emulator.Options{
		Faults: opts.Faults,
		Clock:  opts.Clock,
		Route: func(r *http.Request) string {
			_, pattern := s.mux.Handler(r)
			if _, path, ok := strings.Cut(pattern, " "); ok {
				return path
			}
			return r.URL.Path
		},
		Group: func(method, route string) string { return method + " " + route },
		Rates: func(group string) emulator.Rate { return limits[group] },
		RateHeaders: func(h http.Header, st emulator.RateState) {
			limit, used := st.MinuteLimit, st.MinuteUsed
			if limit == 0 {
				limit, used = st.HourLimit, st.HourUsed
			}
			if limit > 0 {
				h.Set("X-Rate-Limit-Limit", strconv.Itoa(limit))
				h.Set("X-Rate-Limit-Remaining", strconv.Itoa(max(0, limit-used-1)))
			}
		},
		WriteError: func(w http.ResponseWriter, status int, msg string, wait time.Duration) {
			body := map[string]any{"message": msg}
			if status == http.StatusTooManyRequests {
				body = map[string]any{"message": "API rate limit exceeded. See the rate-limiting section in our API documentation.",
					"retry_after_seconds": wait.Seconds()}
			}
			emulator.WriteJSON(w, status, body)
		},
	}, s.mux)
	if err != nil {
		return nil, err
	}
	s.harness = h
	return s, nil
}

// Start serves the API and the download host on two loopback listeners.
func Start(opts Options) (*Server, error) {
	s, err := New(opts)
	if err != nil {
		return nil, err
	}
	if s.apiLn, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		return nil, err
	}
	if s.cdnLn, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		s.apiLn.Close()
		return nil, err
	}
	s.apiURL = "http://" + s.apiLn.Addr().String() + "/v1"
	s.cdnURL = "http://" + s.cdnLn.Addr().String()
	s.api = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	s.cdn = &http.Server{Handler: s.DownloadHandler(), ReadHeaderTimeout: 10 * time.Second}
	go s.api.Serve(s.apiLn)
	go s.cdn.Serve(s.cdnLn)
	return s, nil
}

// URL is the API's base URL, ending in /v1 (GOFLOW_BASE_URL).
func (s *Server) URL() string { return s.apiURL }

// SetDownloadURL sets the download host's root when the handlers are
// mounted by the caller (httptest servers).
func (s *Server) SetDownloadURL(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cdnURL = strings.TrimRight(u, "/")
}

// Token is the bearer token the emulator accepts.
func (s *Server) Token() string { return s.opts.Token }

// Close stops the listeners.
func (s *Server) Close() {
	if s.api != nil {
		s.api.Close()
	}
	if s.cdn != nil {
		s.cdn.Close()
	}
}

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.stats
	hs := s.harness.Stats()
	c.Requests = hs.ByRoute
	c.Writes, c.TooMany, c.Faulted = hs.Writes, hs.TooMany, hs.Faulted
	c.Creates = map[string]int{}
	for k, v := range s.stats.Creates {
		c.Creates[k] = v
	}
	return c
}

// ResetStats zeroes the counters (and the rate windows).
func (s *Server) ResetStats() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats = Stats{Creates: map[string]int{}}
	s.harness.ResetStats()
}

// Requests is the harness's request log, oldest first.
func (s *Server) Requests() []emulator.RequestRecord { return s.harness.Requests() }

// route is one endpoint: its pattern, the documented limit, and the
// handler (called with the lock held).
type route struct {
	method, path string
	perMinute    int // documented requests a minute (0: per hour applies)
	perHour      int
	handle       func(s *Server, w *response, r *http.Request)
}

func (rt route) key() string { return rt.method + " " + rt.path }

var routes = []route{
	{"GET", "/v1/orders", 60, 0, (*Server).listOrders},
	{"GET", "/v1/orders/{id}", 60, 0, getOne("orders")},
	{"POST", "/v1/orders/{id}/splits", 30, 0, (*Server).splitOrder},
	{"GET", "/v1/purchasing/purchase-orders", 60, 0, list("purchase-orders")},
	{"POST", "/v1/purchasing/purchase-orders", 30, 0, (*Server).createPurchaseOrder},
	{"GET", "/v1/purchasing/purchase-orders/{id}", 60, 0, getOne("purchase-orders")},
	{"GET", "/v1/purchasing/receipts", 60, 0, list("receipts")},
	{"GET", "/v1/purchasing/receipts/{id}", 60, 0, getOne("receipts")},
	{"GET", "/v1/products", 60, 0, list("products")},
	{"POST", "/v1/products", 30, 0, (*Server).createProduct},
	{"GET", "/v1/products/{id}", 60, 0, getOne("products")},
	{"PATCH", "/v1/products/{id}/pricing", 30, 0, (*Server).patchPricing},
	{"GET", "/v1/inventory/adjustments", 60, 0, list("adjustments")},
	{"POST", "/v1/inventory/adjustments", 30, 0, (*Server).createAdjustment},
	{"GET", "/v1/inventory/adjustments/{id}", 60, 0, getOne("adjustments")},
	{"GET", "/v1/transfers", 60, 0, list("transfers")},
	{"GET", "/v1/transfers/{id}", 60, 0, getOne("transfers")},
	{"GET", "/v1/warehouses", 60, 0, list("warehouses")},
	{"GET", "/v1/warehouses/{id}", 60, 0, getOne("warehouses")},
	{"GET", "/v1/vendors", 60, 0, list("vendors")},
	{"GET", "/v1/vendors/{id}", 60, 0, getOne("vendors")},
	{"GET", "/v1/stores", 60, 0, list("stores")},
	{"GET", "/v1/stores/{id}", 60, 0, getOne("stores")},
	{"GET", "/v1/listings", 60, 0, list("listings")},
	{"GET", "/v1/reports", 60, 0, (*Server).listReports},
	{"GET", "/v1/reports/{id}", 60, 0, (*Server).getReport},
	{"DELETE", "/v1/reports/{id}", 30, 0, (*Server).deleteReport},
	{"POST", "/v1/reports/inventory/counts", 0, 6, (*Server).createCountsReport},
	{"GET", "/v1/reports/quotas/{type}", 60, 0, (*Server).getQuota},
	// The report file: file_url points here; it redirects to the download
	// host. The docs give it no limit and no authentication.
	{"GET", "/v1/report-files/{id}", 0, 0, (*Server).reportFile},
}

// response collects a handler's answer so the lock is not held while
// writing to the network.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (w *response) json(status int, v any) {
	w.status = status
	w.header.Set("Content-Type", "application/json")
	w.body, _ = json.Marshal(v)
}

func (w *response) fail(status int, msg string) { w.json(status, map[string]any{"message": msg}) }

// invalid answers the documented 422 body: a message and errors by field.
func (w *response) invalid(errs map[string][]string) {
	w.json(http.StatusUnprocessableEntity, map[string]any{"message": "The given data is invalid", "errors": errs})
}

// Handler serves the API below /v1, behind the kit's harness (faults,
// per-endpoint limits, counters).
func (s *Server) Handler() http.Handler { return s.harness }

func (s *Server) write(hw http.ResponseWriter, w *response) {
	for k, v := range w.header {
		hw.Header()[k] = v
	}
	if w.status == 0 {
		w.status = http.StatusOK
	}
	hw.WriteHeader(w.status)
	hw.Write(w.body)
}

func (s *Server) serve(rt route, hw http.ResponseWriter, r *http.Request) {
	w := &response{header: http.Header{}}
	defer s.write(hw, w)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.opts.Maintenance {
		w.header.Set("Retry-After", "60")
		w.fail(http.StatusServiceUnavailable, "The Goflow API is temporarily unavailable, for scheduled maintenance.")
		return
	}
	if rt.path == "/v1/report-files/{id}" {
		rt.handle(s, w, r)
		return
	}
	if got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); !ok || got != s.opts.Token {
		w.fail(http.StatusUnauthorized, "Unauthenticated.")
		return
	}
	if strings.TrimSpace(r.Header.Get("X-Beta-Contact")) == "" {
		w.fail(http.StatusForbidden, "This endpoint is in beta: opt in by sending a contact email in the X-Beta-Contact header.")
		return
	}
	if r.Method != http.MethodGet && s.opts.ConflictRate > 0 && s.rnd.Float64() < s.opts.ConflictRate {
		s.stats.Conflicts++
		w.fail(http.StatusConflict, "The request conflicts with another process. You may try the same request again.")
		return
	}
	if r.Method == http.MethodPost || r.Method == http.MethodPatch || r.Method == http.MethodPut {
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			w.fail(http.StatusUnsupportedMediaType, "Send the body as JSON (Content-Type: application/json).")
			return
		}
	}
	rt.handle(s, w, r)
}

// decode reads a JSON body with exact numbers.
func decode(r *http.Request, v any) error {
	data, err := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}

// baseOf is the API root as the client reached it, for next links and
// locations.
func baseOf(r *http.Request) string { return "http://" + r.Host + "/v1" }

func list(name string) func(s *Server, w *response, r *http.Request) {
	return func(s *Server, w *response, r *http.Request) { s.listOf(s.colls[name], s.colls[name].all(), w, r) }
}

func (s *Server) listOrders(w *response, r *http.Request) {
	s.listOf(s.colls["orders"], s.colls["orders"].all(), w, r)
}

// listOf answers one page of recs: filters checked and applied, sorted,
// from the cursor on, with a next link that keeps the query.
func (s *Server) listOf(c *collection, recs []map[string]any, w *response, r *http.Request) {
	now := s.clock.Now()
	q, errs := parseQuery(r.URL.Query(), c.spec, s.secret, now)
	if errs != nil {
		w.invalid(errs)
		return
	}
	var kept []map[string]any
	for _, rec := range recs {
		if q.match(rec) {
			kept = append(kept, rec)
		}
	}
	page, more := q.page(kept, c.spec, s.opts.PageSize)
	var next any
	if more {
		last := page[len(page)-1]
		vals := url.Values{}
		for k, vs := range r.URL.Query() {
			if k != "cursor" {
				vals[k] = slices.Clone(vs)
			}
		}
		vals.Set("cursor", sealCursor(cursor{Sort: lookup(last, q.sort), Key: last[c.spec.key], Query: q.canonical(), At: now.Unix()}, s.secret))
		next = baseOf(r) + strings.TrimPrefix(r.URL.Path, "/v1") + "?" + vals.Encode()
	}
	if page == nil {
		page = []map[string]any{}
	}
	w.json(http.StatusOK, map[string]any{"data": page, "next": next})
}

func getOne(name string) func(s *Server, w *response, r *http.Request) {
	return func(s *Server, w *response, r *http.Request) {
		rec := s.colls[name].get(r.PathValue("id"))
		if rec == nil {
			w.fail(http.StatusNotFound, "The requested resource was not found.")
			return
		}
		w.json(http.StatusOK, rec)
	}
}

func (s *Server) newID(kind string) int64 {
	id := s.nextID[kind]
	s.nextID[kind] = id + 1
	return id
}

func created(w *response, r *http.Request, path string, id int64) {
	w.json(http.StatusCreated, map[string]any{"id": id, "location": fmt.Sprintf("%s%s/%d", baseOf(r), path, id)})
}
