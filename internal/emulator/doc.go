// Package emulator is the server side of the API kit: what every local API
// emulator (inflow/sandbox, goflow/sandbox, inventora/sandbox) shares.
//
//   - Harness, an http.Handler middleware in front of an emulator's own
//     handler: fault injection (error, drop, latency, 429, lost replies),
//     deterministic with a seed; rate limiting per endpoint group answering
//     429 with Retry-After on an injected clock; request counters by
//     method and route and a request log, so tests can assert request
//     counts ("zero writes").
//   - Faults and ParseFaults, the spelling of `--faults`
//     ("error=0.05,drop=0.05,latency=50ms,429=0.05,lost=0.05,seed=7").
//   - A registry of emulators (Register, Lookup, Names), so
//     `etl sandbox NAME` serves any of them.
//
// An emulator is its API's own http.Handler (following the vendor's
// documents) wrapped by New with the emulator's Route, Group, Rates and
// error shape, served with Listen, and registered with Register from its
// package's init.
package emulator
