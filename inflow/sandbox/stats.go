package sandbox

import "github.com/etl-dev/etl/internal/emulator"

// Stats count the requests the emulator has received since it started or
// since ResetStats (see emulator.Stats: Total, ByRoute such as
// "GET /products/{productId}", ByMethod, Writes, TooMany, Faulted).
type Stats = emulator.Stats

// RequestRecord is one entry of the request log: time, method, route
// template without the company id, raw query, status (0 when dropped).
type RequestRecord = emulator.RequestRecord

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats { return s.h.Stats() }

// Requests returns a copy of the request log, oldest first.
func (s *Server) Requests() []RequestRecord { return s.h.Requests() }

// ResetStats clears the counters and the request log.
func (s *Server) ResetStats() { s.h.ResetStats() }
