package inflowsink

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/etl-dev/etl/inflow"
	"github.com/etl-dev/etl/inflow/sandbox"
)

// conn is a sink's way to the API: a client, the emulator when embedded,
// and the request log kept for the journal.
type conn struct {
	client   *inflow.Client
	emulator *sandbox.Server // nil for a real account
	notes    []string
	log      *requestLog
}

// testHookClient, when set by tests, adjusts the client configuration
// (shorter retry delays).
var testHookClient func(*inflow.Config)

// limiters holds one limiter per account (base URL and company), shared by
// every sink and source of the process that uses the account.
var limiters = struct {
	sync.Mutex
	m map[string]*inflow.Limiter
}{m: map[string]*inflow.Limiter{}}

func sharedLimiter(baseURL, company string, perMinute, perHour int) *inflow.Limiter {
	limiters.Lock()
	defer limiters.Unlock()
	key := strings.TrimRight(strings.ToLower(baseURL), "/") + "|" + strings.ToLower(company)
	if l, ok := limiters.m[key]; ok {
		return l
	}
	l := inflow.NewLimiter(perMinute, perHour)
	limiters.m[key] = l
	return l
}

// connect builds the client: to the embedded emulator when c says so (and
// logs that it does), else to the account named by the environment.
func connect(c *Config, logger *slog.Logger) (*conn, error) {
	env, err := inflow.ConfigFromEnv()
	if err != nil {
		return nil, err
	}
	cn := &conn{log: &requestLog{}}
	rate, perHour := c.RatePerMinute, c.RatePerHour
	envRate := env.RatePerMinute > 0
	if envRate {
		if rate > 0 && rate != env.RatePerMinute {
			cn.notes = append(cn.notes, fmt.Sprintf("INFLOW_RATE_PER_MINUTE=%d overrides the job's rate_per_minute %d", env.RatePerMinute, rate))
		}
		rate = env.RatePerMinute
	}
	if env.RatePerHour > 0 {
		perHour = env.RatePerHour
	}
	cfg := env
	if c.useSandbox() {
		if rate <= 0 {
			rate = DefaultSandboxRate
		}
		srv, err := sandbox.Start(sandbox.Options{RatePerMinute: rate, RatePerHour: perHour})
		if err != nil {
			return nil, fmt.Errorf("starting the embedded inFlow emulator: %w", err)
		}
		cn.emulator = srv
		cfg = inflow.Config{BaseURL: srv.URL(), CompanyID: srv.CompanyID(), APIKey: srv.APIKey()}
		why := "INFLOW_API_KEY is not set"
		if c.Sandbox == "always" {
			why = "the job says sandbox: always"
		}
		msg := fmt.Sprintf("%s: writing to the embedded inFlow emulator (the sample company, in memory, gone when etl exits) at %d requests a minute; set INFLOW_API_KEY and INFLOW_COMPANY_ID to write to your inFlow account", why, rate)
		logger.Warn(msg)
		cn.notes = append(cn.notes, msg)
	} else {
		if strings.TrimSpace(env.APIKey) == "" {
			return nil, fmt.Errorf("INFLOW_API_KEY is not set (the job says sandbox: never)")
		}
		if strings.TrimSpace(env.CompanyID) == "" {
			return nil, fmt.Errorf("INFLOW_API_KEY is set but INFLOW_COMPANY_ID is not: set it to your inFlow company id")
		}
		if rate <= 0 {
			rate = DefaultRatePerMinute
		}
	}
	base := cfg.BaseURL
	if base == "" {
		base = inflow.DefaultBaseURL
	}
	cfg.RatePerMinute, cfg.RatePerHour = rate, perHour
	cfg.Limiter = sharedLimiter(base, cfg.CompanyID, rate, perHour)
	cfg.Logger = slog.New(&captureHandler{inner: logger.Handler(), log: cn.log})
	if testHookClient != nil {
		testHookClient(&cfg)
	}
	client, err := inflow.New(cfg)
	if err != nil {
		cn.close()
		return nil, err
	}
	cn.client = client
	return cn, nil
}

func (cn *conn) close() {
	if cn.emulator != nil {
		cn.emulator.Close()
		cn.emulator = nil
	}
}

// loggedRequest is one request as the client logged it.
type loggedRequest struct {
	time     time.Time
	method   string
	path     string
	status   int
	duration time.Duration
}

// requestLog collects the client's request records until the sink hands
// them to the journal.
type requestLog struct {
	mu   sync.Mutex
	reqs []loggedRequest
}

func (l *requestLog) add(r loggedRequest) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.reqs) < 100_000 { // bounded if no journal drains it
		l.reqs = append(l.reqs, r)
	}
}

func (l *requestLog) drain() []loggedRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.reqs
	l.reqs = nil
	return out
}

// captureHandler passes log records on, and keeps the client's per-request
// debug records ("inflow request") for the journal. The client never logs
// the key, and paths carry no query string.
type captureHandler struct {
	inner slog.Handler
	log   *requestLog
}

func (h *captureHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return l == slog.LevelDebug || h.inner.Enabled(ctx, l)
}

func (h *captureHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == "inflow request" {
		q := loggedRequest{time: r.Time}
		r.Attrs(func(a slog.Attr) bool {
			switch a.Key {
			case "method":
				q.method = a.Value.String()
			case "path":
				q.path = a.Value.String()
			case "status":
				q.status = int(a.Value.Int64())
			case "elapsed":
				q.duration = a.Value.Duration()
			}
			return true
		})
		q.time = q.time.Add(-q.duration)
		h.log.add(q)
	}
	if !h.inner.Enabled(ctx, r.Level) {
		return nil
	}
	return h.inner.Handle(ctx, r)
}

func (h *captureHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &captureHandler{inner: h.inner.WithAttrs(attrs), log: h.log}
}

func (h *captureHandler) WithGroup(name string) slog.Handler {
	return &captureHandler{inner: h.inner.WithGroup(name), log: h.log}
}
