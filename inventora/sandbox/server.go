package sandbox

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/internal/emulator"
)

// DefaultAPIKey is the key the emulator accepts when Options.APIKey is
// empty.
const DefaultAPIKey = "sandbox-inventora-key"

// MaxLimit is the largest page the list endpoints answer; a larger limit
// is clamped to it (the docs say "max: 1000" and not what happens above).
const MaxLimit = 1000

// DefaultLimit is the page size when a request sends no limit.
const DefaultLimit = 100

// Options configure an emulator. The zero value serves the bundled sample
// account (DefaultSeed) with a stable list order.
type Options struct {
	// APIKey is the key clients must send; DefaultAPIKey when empty.
	APIKey string
	// Seed describes the account; nil: DefaultSeed().
	Seed *Seed
	// Clock is the clock of task and batch timestamps, injected latency
	// and the rate limit; the real clock when nil.
	Clock apikit.Clock
	// Faults are injected by the kit's harness in front of the API
	// (errors, drops, latency, 429s, lost replies), before authentication.
	Faults emulator.Faults
	// RatePerMinute, when above 0, answers 429 with Retry-After beyond that
	// many requests a minute. Inventora documents no limit: 0 (the
	// default) is unlimited.
	RatePerMinute int
	// UnstableOrder, when above 0, moves that many random records of a
	// list to other places before each list request is answered, as
	// concurrent edits reorder an unsorted table: offset paging then
	// skips some records and repeats others.
	UnstableOrder int
	// TaskChurn, when above 0, soft-deletes that many tasks before each
	// GET /tasks is answered, as someone deleting tasks while a client
	// pages: totalCount then changes from one page to the next.
	TaskChurn int
	// RandSeed seeds the unstable order's draws (deterministic tests).
	RandSeed uint64
}

// Stats count what the emulator received since it started or since
// ResetStats.
type Stats struct {
	// Requests counts every request that passed authentication, by route
	// pattern: "GET /products", "PATCH /products/{id}", ...
	Requests map[string]int
	// Total is every request, refused ones included.
	Total int
	// Unauthorized counts 401 answers.
	Unauthorized int
	// QueryKey counts requests that sent the key as the
	// x-inventora-api-key query parameter (documented, and accepted, but
	// it puts the key into URLs: etl's client must never use it).
	QueryKey int
	// Reads counts GET requests, Writes PATCH, POST and DELETE requests
	// that passed authentication.
	Reads, Writes int
}

// Server is an in-memory Inventora API. It is safe for concurrent use.
type Server struct {
	apiKey  string
	now     func() time.Time
	opts    Options
	mux     *http.ServeMux
	harness *emulator.Harness
	clock   apikit.Clock

	mu sync.Mutex // guards st
	st *store

	statsMu sync.Mutex
	stats   Stats
}

// New builds an emulator from opts.
func New(opts Options) (*Server, error) {
	s := &Server{apiKey: opts.APIKey, opts: opts}
	if s.apiKey == "" {
		s.apiKey = DefaultAPIKey
	}
	clock := opts.Clock
	if clock == nil {
		clock = apikit.RealClock()
	}
	s.now, s.clock = clock.Now, clock
	seed := opts.Seed
	if seed == nil {
		seed = DefaultSeed()
	}
	s.st = newStore(rand.New(rand.NewPCG(opts.RandSeed, 0x1dea)))
	if err := seed.load(s.st, s.now()); err != nil {
		return nil, err
	}
	s.stats.Requests = map[string]int{}
	s.routes()
	h, err := s.newHarness(opts.Faults)
	if err != nil {
		return nil, err
	}
	s.harness = h
	return s, nil
}

func (s *Server) newHarness(f emulator.Faults) (*emulator.Harness, error) {
	return emulator.New(emulator.Options{
		Faults: f,
		Clock:  s.clock,
		Route:  s.route,
		Rates: func(string) emulator.Rate {
			return emulator.Rate{PerMinute: max(s.opts.RatePerMinute, 0)}
		},
		WriteError: func(w http.ResponseWriter, status int, msg string, _ time.Duration) { writeError(w, status, msg) },
	}, http.HandlerFunc(s.serve))
}

// route names a request by its route pattern ("GET /products/{id}" →
// "/products/{id}") for the harness's counters.
func (s *Server) route(r *http.Request) string {
	_, pattern := s.mux.Handler(r)
	if _, p, ok := strings.Cut(pattern, " "); ok {
		return p
	}
	return r.URL.Path
}

// Harness returns the kit's harness in front of the API: its Stats count
// every request by route, faults included.
func (s *Server) Harness() *emulator.Harness { return s.harness }

// APIKey returns the key the emulator accepts.
func (s *Server) APIKey() string { return s.apiKey }

// Handler serves the API below its root (GET /products, ...), behind the
// kit's fault and rate harness. Mount it at the base URL's path.
func (s *Server) Handler() http.Handler { return s.harness }

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	out := s.stats
	out.Requests = map[string]int{}
	for k, v := range s.stats.Requests {
		out.Requests[k] = v
	}
	return out
}

// ResetStats zeroes the counters.
func (s *Server) ResetStats() {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	s.stats = Stats{Requests: map[string]int{}}
}

// SetUnstableOrder switches the unstable-order fault (see
// Options.UnstableOrder) on (moves > 0) or off.
func (s *Server) SetUnstableOrder(moves int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.UnstableOrder = moves
}

func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /products", s.listResources("products"))
	m.HandleFunc("GET /materials", s.listResources("materials"))
	m.HandleFunc("GET /products/{id}", s.getResource("products"))
	m.HandleFunc("GET /materials/{id}", s.getResource("materials"))
	m.HandleFunc("PATCH /products/{id}", s.patchResource("products"))
	m.HandleFunc("PATCH /materials/{id}", s.patchResource("materials"))
	m.HandleFunc("POST /products/{id}/stock-level-updates", s.stockUpdate("products"))
	m.HandleFunc("POST /materials/{id}/stock-level-updates", s.stockUpdate("materials"))
	m.HandleFunc("GET /locations", s.listLocations)
	m.HandleFunc("GET /tasks", s.listTasks)
	m.HandleFunc("GET /tasks/{id}", s.getTask)
	m.HandleFunc("POST /tasks", s.createTask)
	m.HandleFunc("PATCH /tasks/{id}", s.patchTask)
	m.HandleFunc("DELETE /tasks/{id}", s.deleteTask)
	m.HandleFunc("POST /tasks/{id}/items/{item}/batches", s.createBatch)
	m.HandleFunc("DELETE /task-batches/{id}", s.deleteBatch)
	s.mux = m
}

// serve authenticates, counts and routes one request.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.statsMu.Lock()
	s.stats.Total++
	s.statsMu.Unlock()
	key := r.Header.Get("X-Inventora-API-Key")
	queryKey := false
	if key == "" {
		if k := r.URL.Query().Get("x-inventora-api-key"); k != "" {
			key, queryKey = k, true
		}
	}
	if queryKey {
		s.statsMu.Lock()
		s.stats.QueryKey++
		s.statsMu.Unlock()
	}
	switch {
	case key == "":
		s.unauthorized(w, "API key missing")
		return
	case key != s.apiKey:
		s.unauthorized(w, "Invalid API key")
		return
	}
	_, pattern := s.mux.Handler(r)
	s.statsMu.Lock()
	if pattern != "" {
		s.stats.Requests[pattern]++
	}
	if r.Method == http.MethodGet {
		s.stats.Reads++
	} else {
		s.stats.Writes++
	}
	s.statsMu.Unlock()
	if pattern == "" {
		writeError(w, http.StatusNotFound, "Not found")
		return
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Server) unauthorized(w http.ResponseWriter, msg string) {
	s.statsMu.Lock()
	s.stats.Unauthorized++
	s.statsMu.Unlock()
	writeError(w, http.StatusUnauthorized, msg)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "encoding: "+err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	b, _ := json.Marshal(map[string]string{"error": msg})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

type pagination struct {
	TotalCount int `json:"totalCount"`
	Offset     int `json:"offset"`
	Limit      int `json:"limit"`
}

type page struct {
	Data       any        `json:"data"`
	Pagination pagination `json:"pagination"`
}

// paging reads limit and offset: limit defaults to 100 and is clamped to
// 1000; a value that is not a whole number, a limit below 1 or a negative
// offset is a 400.
func paging(r *http.Request) (limit, offset int, msg string) {
	limit, offset = DefaultLimit, 0
	q := r.URL.Query()
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return 0, 0, "limit must be a positive number"
		}
		limit = min(n, MaxLimit)
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, 0, "offset must be a non-negative number"
		}
		offset = n
	}
	return limit, offset, ""
}

func window[T any](all []T, limit, offset int) []T {
	if offset >= len(all) {
		return []T{}
	}
	return all[offset:min(len(all), offset+limit)]
}

func (s *Server) listResources(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		limit, offset, msg := paging(r)
		if msg != "" {
			writeError(w, http.StatusBadRequest, msg)
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.opts.UnstableOrder > 0 {
			s.st.shuffleSome(kind, s.opts.UnstableOrder)
		}
		ids := s.st.order[kind]
		out := []resourceJSON{}
		for _, id := range window(ids, limit, offset) {
			out = append(out, s.st.renderResource(s.st.resources[id]))
		}
		writeJSON(w, http.StatusOK, page{out, pagination{len(ids), offset, limit}})
	}
}

func (s *Server) getResource(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		res := s.st.resource(kind, r.PathValue("id"))
		if res == nil {
			writeError(w, http.StatusNotFound, "Resource not found")
			return
		}
		writeJSON(w, http.StatusOK, s.st.renderResource(res))
	}
}

func (s *Server) listLocations(w http.ResponseWriter, r *http.Request) {
	limit, offset, msg := paging(r)
	if msg != "" {
		writeError(w, http.StatusBadRequest, msg)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []locationJSON{}
	for _, l := range window(s.st.locations, limit, offset) {
		out = append(out, renderLocation(l))
	}
	writeJSON(w, http.StatusOK, page{out, pagination{len(s.st.locations), offset, limit}})
}

// decodeBody reads a JSON object body, keeping numbers exact.
func decodeBody(r *http.Request) (map[string]json.RawMessage, string) {
	var body map[string]json.RawMessage
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	if err := dec.Decode(&body); err != nil || body == nil {
		return nil, "Request body must be a JSON object"
	}
	return body, ""
}

func isNull(raw json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(raw), []byte("null")) }

// Snapshot returns every record of kind ("products", "materials",
// "locations", "tasks") as the API renders it, in a stable order (by id),
// for tests that compare exports with the emulator's data. Deleted tasks
// are left out.
func (s *Server) Snapshot(kind string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	switch kind {
	case "products", "materials":
		for _, id := range s.st.order[kind] {
			out = append(out, toMap(s.st.renderResource(s.st.resources[id])))
		}
	case "locations":
		for _, l := range s.st.locations {
			out = append(out, toMap(renderLocation(l)))
		}
	case "tasks":
		for _, id := range s.st.taskOrder {
			if t := s.st.tasks[id]; !t.deleted {
				out = append(out, toMap(s.st.renderTask(t)))
			}
		}
	}
	slices.SortFunc(out, func(a, b map[string]any) int {
		return strings.Compare(a["id"].(string), b["id"].(string))
	})
	return out
}

// Dump renders every product, material, location and task as indented
// JSON in a stable order: the account's visible state as comparable text.
func (s *Server) Dump() string {
	all := map[string]any{}
	for _, k := range []string{"products", "materials", "locations", "tasks"} {
		all[k] = s.Snapshot(k)
	}
	b, _ := json.MarshalIndent(all, "", "  ")
	return string(b)
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
