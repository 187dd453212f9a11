package sandbox

import (
	"context"
	"fmt"
	"mime"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/internal/emulator"
)

// APIVersion is the inFlow API version the emulator answers, taken from the
// OpenAPI document. Requests must name it in the Accept header:
// "Accept: application/json;version=2025-06-24".
const APIVersion = "2025-06-24"

// DefaultAPIKey is the bearer key the emulator accepts when Options.APIKey is
// empty.
const DefaultAPIKey = "sandbox-key"

// DefaultRatePerMinute is inFlow's documented limit ("60 requests per
// minute"), for callers that want the real service's pace (etl sandbox).
const DefaultRatePerMinute = 60

// Options configure an emulator. The zero value is an emulator over the
// bundled seed without rate limiting; set RatePerMinute to
// DefaultRatePerMinute for inFlow's pace.
type Options struct {
	CompanyID     string           // default: the seed's companyId
	APIKey        string           // bearer key required on every request; default DefaultAPIKey
	Seed          *Seed            // nil: DefaultSeed()
	RatePerMinute int              // requests a minute (DefaultRatePerMinute is inFlow's); 0 or negative disables limiting
	RatePerHour   int              // optional second window; 0 = off
	RateBurst     int              // token-bucket size of the minute window; default RatePerMinute
	Faults        Faults           // injected failures
	Now           func() time.Time // clock for records, dates and the rate limiter when Clock is nil; default time.Now
	// Clock, when set, is the clock of records, dates, the rate limit and
	// the latency fault (share a VirtualClock with the client in tests).
	Clock apikit.Clock
}

// Faults inject failures for reliability tests: the emulator harness's
// (see emulator.Faults: ErrorRate, DropRate, Latency, TooManyRate,
// RetryAfter, LostReplyRate, Rand, Seed).
type Faults = emulator.Faults

// Server is an in-memory inFlow Cloud API. It is safe for concurrent use.
type Server struct {
	m         *model
	companyID string
	apiKey    string
	now       func() time.Time
	h         *emulator.Harness

	mu       sync.Mutex // guards the entity state below
	tables   map[string]*table
	inv      map[invKey]*invLine
	effects  map[string][]movement // the stock movements each document made, by "kind/id"
	rowver   uint64
	seq      uint64
	counters map[string]int    // next document number per kind
	costs    map[string]string // productId → cost from the latest cost adjustment
	// productNames and productSKUs index products by uniqueKey.
	productNames, productSKUs map[string]string
	defs                      defaults

	httpSrv *http.Server
	ln      net.Listener
	url     string
	handler http.Handler
}

// defaults are the ids of the seed's default records, used to fill
// properties missing on insert.
type defaults struct {
	location, category, pricingScheme, currency, taxingScheme, teamMember string
}

// New builds an emulator from opts. It does not listen; serve Handler() or
// call Start.
func New(opts Options) (*Server, error) {
	m, err := loadModel()
	if err != nil {
		return nil, err
	}
	seed := opts.Seed
	if seed == nil {
		seed = DefaultSeed()
	}
	s := &Server{
		m:            m,
		apiKey:       opts.APIKey,
		now:          opts.Now,
		tables:       map[string]*table{},
		inv:          map[invKey]*invLine{},
		effects:      map[string][]movement{},
		rowver:       0x310A00,
		counters:     map[string]int{},
		costs:        map[string]string{},
		productNames: map[string]string{},
		productSKUs:  map[string]string{},
	}
	if s.apiKey == "" {
		s.apiKey = DefaultAPIKey
	}
	clock := opts.Clock
	switch {
	case clock != nil:
		s.now = clock.Now
	case s.now != nil:
		clock = nowClock(s.now)
	default:
		s.now = time.Now
		clock = apikit.RealClock()
	}
	company := opts.CompanyID
	if company == "" {
		company = seed.CompanyID
	}
	if company == "" {
		company = defaultCompanyID
	}
	cid, err := uuid.Parse(company)
	if err != nil {
		return nil, fmt.Errorf("sandbox: company id %q is not a GUID", company)
	}
	s.companyID = cid.String()
	h, err := emulator.New(emulator.Options{
		Faults: opts.Faults,
		Clock:  clock,
		Route: func(r *http.Request) string {
			_, rt := parseRoute(r.URL.Path)
			return rt.template
		},
		Rates: func(string) emulator.Rate {
			return emulator.Rate{PerMinute: max(opts.RatePerMinute, 0), Burst: opts.RateBurst, PerHour: max(opts.RatePerHour, 0)}
		},
		RateHeaders: rateHeaders,
	}, http.HandlerFunc(s.serve))
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	s.h = h
	for _, k := range kindList {
		s.tables[k.name] = &table{rows: map[string]*record{}}
	}
	if err := s.load(seed); err != nil {
		return nil, err
	}
	s.handler = h
	return s, nil
}

// Start builds an emulator and serves it on a free loopback port.
func Start(opts Options) (*Server, error) {
	s, err := New(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("sandbox: listen: %w", err)
	}
	s.ln = ln
	s.url = "http://" + ln.Addr().String()
	s.httpSrv = &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.httpSrv.Serve(ln) }()
	return s, nil
}

// Handler returns the emulator as an http.Handler, for callers that listen
// themselves (etl sandbox --addr).
func (s *Server) Handler() http.Handler { return s.handler }

// URL is the base URL after Start ("http://127.0.0.1:PORT"), without the
// company id; empty if the server was only built with New.
func (s *Server) URL() string { return s.url }

// CompanyID is the company id routes must carry: /{companyId}/products.
func (s *Server) CompanyID() string { return s.companyID }

// APIKey is the bearer key the emulator accepts.
func (s *Server) APIKey() string { return s.apiKey }

// Close stops a server started with Start, closing open connections.
func (s *Server) Close() {
	if s.httpSrv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		if err := s.httpSrv.Shutdown(ctx); err != nil {
			_ = s.httpSrv.Close()
		}
	}
}

// route is a parsed request path.
type route struct {
	template string // "/products/{productId}"
	kind     *kind
	id       string // entity id from the path, as sent
	action   string // "list", "get", "summary", "summaries" or "" (no such route)
}

func parseRoute(path string) (company string, rt route) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	company = segs[0]
	rest := segs[1:]
	rt.template = "/" + strings.Join(rest, "/")
	if len(rest) == 0 {
		return company, rt
	}
	k := kinds[rest[0]]
	if k == nil {
		return company, rt
	}
	switch {
	case len(rest) == 1:
		rt = route{template: "/" + k.name, kind: k, action: "list"}
	case len(rest) == 2 && k.name == "products" && rest[1] == "summary":
		rt = route{template: "/products/summary", kind: k, action: "summaries"}
	case len(rest) == 2 && k.byID:
		rt = route{template: "/" + k.name + "/{" + k.idProp + "}", kind: k, id: rest[1], action: "get"}
	case len(rest) == 3 && k.name == "products" && rest[2] == "summary":
		rt = route{template: "/products/{productId}/summary", kind: k, id: rest[1], action: "summary"}
	}
	return company, rt
}

// serve answers a request that passed the harness (faults, rate limit).
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	company, rt := parseRoute(r.URL.Path)
	if err := s.authorize(r, company); err != nil {
		if err.status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", "Bearer")
		}
		writeError(w, err)
		return
	}
	status, body, hdr, err := s.dispatch(r, rt)
	if err != nil {
		for k, v := range err.header {
			w.Header()[k] = v
		}
		writeError(w, err)
		return
	}
	for k, v := range hdr {
		w.Header()[k] = v
	}
	writeJSON(w, status, body)
}

func (s *Server) authorize(r *http.Request, company string) *apiError {
	auth := r.Header.Get("Authorization")
	scheme, key, ok := strings.Cut(auth, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(key) != s.apiKey {
		return &apiError{status: http.StatusUnauthorized, msg: "Unauthorized: send Authorization: Bearer {API key}."}
	}
	if id, err := uuid.Parse(company); err != nil || id.String() != s.companyID {
		return &apiError{status: http.StatusNotFound, msg: "Company not found."}
	}
	return checkVersion(r.Header.Values("Accept"))
}

// checkVersion requires "version=2025-06-24" as a parameter of a JSON media
// range in the Accept header.
func checkVersion(accept []string) *apiError {
	var seen []string
	for _, h := range accept {
		for _, part := range strings.Split(h, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil {
				continue
			}
			v, ok := params["version"]
			if !ok {
				continue
			}
			if mt != "application/json" && mt != "*/*" && mt != "application/*" {
				continue
			}
			if v == APIVersion {
				return nil
			}
			seen = append(seen, v)
		}
	}
	if len(seen) > 0 {
		return badRequest("Unsupported API version %q. This API supports version %s (Accept: application/json;version=%s).",
			seen[0], APIVersion, APIVersion)
	}
	return badRequest("Missing API version. Send Accept: application/json;version=%s.", APIVersion)
}

func (s *Server) dispatch(r *http.Request, rt route) (int, any, http.Header, *apiError) {
	if rt.action == "" {
		return 0, nil, nil, &apiError{status: http.StatusNotFound, msg: "No route matches " + r.URL.Path}
	}
	allow := func(methods ...string) *apiError {
		return &apiError{status: http.StatusMethodNotAllowed, msg: "Method " + r.Method + " is not allowed on " + rt.template,
			header: http.Header{"Allow": {strings.Join(methods, ", ")}}}
	}
	switch rt.action {
	case "list":
		switch {
		case r.Method == http.MethodGet:
			return s.handleList(r, rt.kind)
		case r.Method == http.MethodPut && rt.kind.writable:
			return s.handlePut(r, rt.kind)
		case rt.kind.writable:
			return 0, nil, nil, allow("GET", "PUT")
		default:
			return 0, nil, nil, allow("GET")
		}
	case "get":
		if r.Method != http.MethodGet {
			return 0, nil, nil, allow("GET")
		}
		return s.handleGet(r, rt.kind, rt.id)
	case "summary":
		if r.Method != http.MethodGet {
			return 0, nil, nil, allow("GET")
		}
		return s.handleSummary(r, rt.id)
	case "summaries":
		if r.Method != http.MethodPost {
			return 0, nil, nil, allow("POST")
		}
		return s.handleSummaries(r)
	}
	return 0, nil, nil, &apiError{status: http.StatusNotFound, msg: "No route matches " + r.URL.Path}
}

// apiError is an error answer: {"message": "..."} with a status.
type apiError struct {
	status int
	msg    string
	header http.Header
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s", e.status, e.msg) }

func badRequest(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

func writeError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.status, map[string]any{"message": e.msg, "status": e.status})
}

func writeJSON(w http.ResponseWriter, status int, body any) { emulator.WriteJSON(w, status, body) }

// nowClock is a clock from a Now function (Options.Now), sleeping in real
// time.
type nowClock func() time.Time

func (c nowClock) Now() time.Time { return c() }

func (c nowClock) Sleep(ctx context.Context, d time.Duration) error {
	return apikit.RealClock().Sleep(ctx, d)
}
