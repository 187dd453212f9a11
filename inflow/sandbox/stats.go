package sandbox

import (
	"maps"
	"net/http"
	"slices"
	"time"
)

// Stats count the requests the emulator has received since it started or
// since ResetStats.
type Stats struct {
	Total   int            // every request, including refused and faulted ones
	ByRoute map[string]int // "GET /products", "GET /products/{productId}", "PUT /products", "POST /products/summary", ...
	TooMany int            // answered 429
	Faulted int            // answered by fault injection (500, 503) or dropped
}

// RequestRecord is one entry of the request log.
type RequestRecord struct {
	Time   time.Time
	Method string
	Path   string // route template without the company id: "/products/{productId}"
	Query  string // raw query string
	Status int    // 0 when the connection was dropped
}

// maxLog bounds the request log; the oldest half is dropped when it fills.
const maxLog = 200_000

func (s *Server) recordRequest(rec RequestRecord, faulted, limited bool) {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	s.stats.Total++
	s.stats.ByRoute[rec.Method+" "+rec.Path]++
	if limited || rec.Status == http.StatusTooManyRequests {
		s.stats.TooMany++
	}
	if faulted {
		s.stats.Faulted++
	}
	if len(s.log) >= maxLog {
		s.log = slices.Delete(s.log, 0, maxLog/2)
	}
	s.log = append(s.log, rec)
}

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	st := s.stats
	st.ByRoute = maps.Clone(s.stats.ByRoute)
	return st
}

// Requests returns a copy of the request log, oldest first.
func (s *Server) Requests() []RequestRecord {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	return slices.Clone(s.log)
}

// ResetStats clears the counters and the request log.
func (s *Server) ResetStats() {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	s.stats = Stats{ByRoute: map[string]int{}}
	s.log = nil
}
