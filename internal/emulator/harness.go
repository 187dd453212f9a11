package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/etl-dev/etl/internal/apikit"
)

// Options configure a Harness. Every field is optional.
type Options struct {
	// Faults are injected in front of the handler (see Faults).
	Faults Faults
	// Clock is the time of the rate limiter, the request log and the
	// latency fault; the real clock when nil. Tests share one VirtualClock
	// between client and emulator.
	Clock apikit.Clock
	// Route names a request's route template ("/products/{productId}"),
	// the key of the counters and of rate groups; "" (or a nil Route) is
	// the request's path.
	Route func(r *http.Request) string
	// Group names the rate-limit group of a route ("" is the whole
	// account); nil puts every route in "".
	Group func(method, route string) string
	// Rates gives each group's limit on its first request; nil, or a
	// Rate{} answer, is no limit for the group.
	Rates func(group string) Rate
	// RateHeaders, when set, adds rate-limit headers to every answer that
	// passed the drop fault, from the group's state before the request is
	// counted (inFlow's "X-inflow-api-rate-limit: used/limit").
	RateHeaders func(h http.Header, s RateState)
	// WriteError writes an error answer the harness makes (429, injected
	// 500/503); JSON {"message": msg, "status": status} when nil. For a
	// 429, wait is the time until a token is free (at least 1s), else 0.
	WriteError func(w http.ResponseWriter, status int, msg string, wait time.Duration)
}

// Stats count the requests a harness received since it was built or since
// ResetStats.
type Stats struct {
	// Total counts every request, refused and faulted ones included.
	Total int
	// ByRoute counts by "METHOD route": "GET /products",
	// "PUT /products", "POST /products/summary".
	ByRoute map[string]int
	// ByMethod counts by method.
	ByMethod map[string]int
	// Writes counts requests other than GET, HEAD and OPTIONS that reached
	// the emulator's handler (not refused by the rate limit or a fault
	// before it): a dry run must leave it at 0.
	Writes int
	// TooMany counts 429 answers (the rate limit's, the fault's, the
	// handler's).
	TooMany int
	// Faulted counts answers made by fault injection (500, 503, 429) or
	// dropped connections (drop and lost).
	Faulted int
}

// RequestRecord is one entry of the request log.
type RequestRecord struct {
	Time   time.Time
	Method string
	Path   string // the route template
	Query  string // the raw query string
	Status int    // 0 when the connection was dropped
}

// maxLog bounds the request log; the oldest half is dropped when it fills.
const maxLog = 200_000

// Harness is the middleware in front of an emulator's handler. Safe for
// concurrent use.
type Harness struct {
	opts  Options
	clock apikit.Clock
	next  http.Handler

	faultMu sync.Mutex
	rnd     *rand.Rand

	rateMu sync.Mutex
	rates  map[string]*RateLimiter

	statsMu sync.Mutex
	stats   Stats
	log     []RequestRecord
}

// New returns a harness serving next behind opts. It checks the faults.
func New(opts Options, next http.Handler) (*Harness, error) {
	if err := opts.Faults.Validate(); err != nil {
		return nil, err
	}
	h := &Harness{opts: opts, clock: opts.Clock, next: next, rates: map[string]*RateLimiter{}}
	if h.clock == nil {
		h.clock = apikit.RealClock()
	}
	h.rnd = opts.Faults.rand()
	h.ResetStats()
	return h, nil
}

// Clock returns the harness's clock.
func (h *Harness) Clock() apikit.Clock { return h.clock }

// Stats returns a copy of the counters.
func (h *Harness) Stats() Stats {
	h.statsMu.Lock()
	defer h.statsMu.Unlock()
	st := h.stats
	st.ByRoute = maps.Clone(h.stats.ByRoute)
	st.ByMethod = maps.Clone(h.stats.ByMethod)
	return st
}

// Requests returns a copy of the request log, oldest first.
func (h *Harness) Requests() []RequestRecord {
	h.statsMu.Lock()
	defer h.statsMu.Unlock()
	return slices.Clone(h.log)
}

// ResetStats clears the counters and the request log.
func (h *Harness) ResetStats() {
	h.statsMu.Lock()
	defer h.statsMu.Unlock()
	h.stats = Stats{ByRoute: map[string]int{}, ByMethod: map[string]int{}}
	h.log = nil
}

func (h *Harness) record(rec RequestRecord, faulted, reached bool) {
	h.statsMu.Lock()
	defer h.statsMu.Unlock()
	h.stats.Total++
	h.stats.ByRoute[rec.Method+" "+rec.Path]++
	h.stats.ByMethod[rec.Method]++
	if reached && rec.Method != http.MethodGet && rec.Method != http.MethodHead && rec.Method != http.MethodOptions {
		h.stats.Writes++
	}
	if rec.Status == http.StatusTooManyRequests {
		h.stats.TooMany++
	}
	if faulted {
		h.stats.Faulted++
	}
	if len(h.log) >= maxLog {
		h.log = slices.Delete(h.log, 0, maxLog/2)
	}
	h.log = append(h.log, rec)
}

// draw reports true with probability p (consuming no randomness when
// p <= 0).
func (h *Harness) draw(p float64) bool {
	if p <= 0 {
		return false
	}
	h.faultMu.Lock()
	defer h.faultMu.Unlock()
	return h.rnd.Float64() < p
}

func (h *Harness) limiter(group string, now time.Time) *RateLimiter {
	if h.opts.Rates == nil {
		return nil
	}
	h.rateMu.Lock()
	defer h.rateMu.Unlock()
	if l, ok := h.rates[group]; ok {
		return l
	}
	var l *RateLimiter
	if r := h.opts.Rates(group); r.PerMinute > 0 || r.PerHour > 0 {
		l = NewRateLimiter(r, now)
	}
	h.rates[group] = l
	return l
}

// ServeHTTP applies the faults and the rate limit, then serves the request
// with the emulator's handler, recording it.
func (h *Harness) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := h.clock.Now()
	route := ""
	if h.opts.Route != nil {
		route = h.opts.Route(r)
	}
	if route == "" {
		route = r.URL.Path
	}
	rec := RequestRecord{Time: start, Method: r.Method, Path: route, Query: r.URL.RawQuery}
	f := h.opts.Faults
	if f.Latency > 0 {
		_ = h.clock.Sleep(r.Context(), f.Latency)
	}
	if h.draw(f.DropRate) {
		h.record(rec, true, false) // before the client can see the connection close
		drop(w)
		return
	}
	group := ""
	if h.opts.Group != nil {
		group = h.opts.Group(r.Method, route)
	}
	now := h.clock.Now()
	lim := h.limiter(group, now)
	ok, wait := true, time.Duration(0)
	if lim != nil {
		if h.opts.RateHeaders != nil {
			st := lim.State(now)
			st.Group = group
			h.opts.RateHeaders(w.Header(), st)
		}
		ok, wait = lim.Take(now)
	}
	faulted := false
	if ok && h.draw(f.TooManyRate) {
		ok, wait, faulted = false, time.Second, true
	}
	if !ok {
		secs := int((wait + time.Second - 1) / time.Second)
		if secs < 1 {
			secs = 1
		}
		switch ra := f.RetryAfter; ra {
		case "":
			w.Header().Set("Retry-After", fmt.Sprint(secs))
		case "omit":
		default:
			w.Header().Set("Retry-After", ra)
		}
		rec.Status = http.StatusTooManyRequests
		h.writeError(w, http.StatusTooManyRequests, fmt.Sprintf("Too many requests. Try again in %d seconds.", secs), time.Duration(secs)*time.Second)
		h.record(rec, faulted, false)
		return
	}
	if h.draw(f.ErrorRate) {
		status := http.StatusInternalServerError
		if h.draw(0.5) {
			status = http.StatusServiceUnavailable
		}
		rec.Status = status
		h.writeError(w, status, http.StatusText(status)+" (injected fault)", 0)
		h.record(rec, true, false)
		return
	}
	buf := &bufferedWriter{header: http.Header{}}
	h.next.ServeHTTP(buf, r)
	if h.draw(f.LostReplyRate) {
		h.record(rec, true, true)
		drop(w)
		return
	}
	maps.Copy(w.Header(), buf.header)
	status := buf.status
	if status == 0 {
		status = http.StatusOK
	}
	rec.Status = status
	h.record(rec, false, true)
	w.WriteHeader(status)
	_, _ = w.Write(buf.body.Bytes())
}

func (h *Harness) writeError(w http.ResponseWriter, status int, msg string, wait time.Duration) {
	if h.opts.WriteError != nil {
		h.opts.WriteError(w, status, msg, wait)
		return
	}
	WriteJSON(w, status, map[string]any{"message": msg, "status": status})
}

// WriteJSON writes body as JSON with status, without HTML escaping.
func WriteJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(body)
}

// drop closes the connection without an answer.
func drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0)
			}
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// bufferedWriter holds the handler's answer until the lost-reply draw.
type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header { return b.header }

func (b *bufferedWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

// Serve is a convenience for emulators: it listens on a free loopback
// port and serves h until Close. The base URL is "http://127.0.0.1:PORT".
type Serve struct {
	URL string
	srv *http.Server
}

// Listen serves h on a free loopback port.
func Listen(h http.Handler) (*Serve, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("emulator: listen: %w", err)
	}
	s := &Serve{URL: "http://" + ln.Addr().String(), srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// Close stops the server, closing open connections.
func (s *Serve) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		_ = s.srv.Close()
	}
}
