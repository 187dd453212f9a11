package apikit

import (
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
)

// LimiterKey names one limiter: an API, an account of it, and an endpoint
// group ("" for the whole account). The connector chooses the grouping.
type LimiterKey struct {
	// API is the connector's name: "inflow", "goflow", "inventora".
	API string
	// Account identifies the account: base URL and account id, as
	// AccountKey builds them.
	Account string
	// Group is the endpoint or endpoint group, "" for account-wide.
	Group string
}

// AccountKey builds LimiterKey.Account from a base URL and an account id
// (company id, tenant, ...), case-insensitively and without a trailing
// slash, so two components that name the same account get the same key.
func AccountKey(baseURL, account string) string {
	return strings.TrimRight(strings.ToLower(strings.TrimSpace(baseURL)), "/") + "|" + strings.ToLower(strings.TrimSpace(account))
}

// RegistryOptions configure a Registry. The zero value is the real clock,
// http.DefaultTransport-based clients and a randomly seeded jitter.
type RegistryOptions struct {
	// Clock is what every limiter, back-off and poll of the registry's
	// clients waits on; RealClock when nil. Tests pass a VirtualClock.
	Clock Clock
	// HTTPClient, when set, is the client every Client of the registry
	// sends with (its CheckRedirect is replaced by the kit's policy unless
	// already set). Tests use it to wrap the transport.
	HTTPClient *http.Client
	// Rand is the jitter source for back-off; nil seeds one at random.
	// Tests pass a seeded one for determinism.
	Rand *rand.Rand
	// Retry, when set, overrides the retry policy of every Client built
	// with the registry (tests use it for more retries); zero fields keep
	// the connector's values.
	Retry RetryPolicy
	// Observer, when set, sees every request of every Client built with the
	// registry, in addition to each Client's own observer (a progress
	// line, say).
	Observer Observer
}

// Registry is the per-process (or per-run) value connectors share: one
// Limiter per LimiterKey, the clock, and the options above. Create it once
// (cmd/etl does, through pipeline.Env.APIs) and hand it to every
// component; there is no package-level registry. Safe for concurrent use.
type Registry struct {
	opts RegistryOptions
	mu   sync.Mutex
	lims map[LimiterKey]*Limiter
	rnd  *lockedRand
}

// NewRegistry returns an empty registry.
func NewRegistry(opts RegistryOptions) *Registry {
	opts.Clock = orReal(opts.Clock)
	return &Registry{opts: opts, lims: map[LimiterKey]*Limiter{}, rnd: newLockedRand(opts.Rand)}
}

// Or returns r, or a new private registry when r is nil: the fallback for
// components opened without a pipeline.Env.APIs (their limiter is then not
// shared with other components).
func (r *Registry) Or() *Registry {
	if r != nil {
		return r
	}
	return NewRegistry(RegistryOptions{})
}

// Clock returns the registry's clock.
func (r *Registry) Clock() Clock { return r.opts.Clock }

// Options returns the options the registry was built with (Clock filled).
func (r *Registry) Options() RegistryOptions { return r.opts }

// Limiter returns the limiter of key, creating it with limits on first
// use. Later calls return the same limiter; limits they pass that are
// lower than those in force lower them, and a window that is off is
// turned on (never raised), so the
// strictest limit any component of the run declares for an account holds.
// Limits{} is a limiter that only pauses.
func (r *Registry) Limiter(key LimiterKey, limits Limits) *Limiter {
	r.mu.Lock()
	defer r.mu.Unlock()
	if l, ok := r.lims[key]; ok {
		l.LowerPerMinute(limits.PerMinute)
		l.LowerPerHour(limits.PerHour)
		return l
	}
	l := NewLimiter(r.opts.Clock, limits)
	r.lims[key] = l
	return l
}

// lockedRand is a rand.Rand safe for concurrent use.
type lockedRand struct {
	mu sync.Mutex
	r  *rand.Rand
}

func newLockedRand(r *rand.Rand) *lockedRand {
	if r == nil {
		r = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	return &lockedRand{r: r}
}

// int64N returns a value in [0, n).
func (l *lockedRand) int64N(n int64) int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Int64N(n)
}
