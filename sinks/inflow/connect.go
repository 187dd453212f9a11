package inflowsink

import (
	"fmt"
	"sync"
	"time"

	"github.com/etl-dev/etl/inflow"
	"github.com/etl-dev/etl/inflow/sandbox"
	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/pipeline"
)

// conn is a sink's way to the API: a client, the emulator when embedded,
// and the request log kept for the journal.
type conn struct {
	client   *inflow.Client
	emulator *sandbox.Server // nil for a real account
	notes    []string
	log      *requestLog
	// account names the account for reports (ComponentReport.Account).
	account string
}

// connect builds the client: to the embedded emulator when c says so (and
// logs that it does), else to the account named by the environment. The
// credentials, sandbox mode and rate are decided by inflow.Connect (the
// kit's one precedence: the environment beats the job); the limiter is the
// registry's for the account (env.APIs), shared with every other inflow
// source and sink of the run.
func connect(c *Config, env pipeline.Env) (*conn, error) {
	res, err := inflow.Connect(c.Sandbox, apikit.Limits{PerMinute: c.RatePerMinute, PerHour: c.RatePerHour}, c.getenv)
	if err != nil {
		return nil, err
	}
	reg := env.APIs.Or()
	cn := &conn{log: &requestLog{}, notes: res.Notes}
	cfg := inflow.Config{BaseURL: res.BaseURL, CompanyID: res.Account, APIKey: res.Key.Reveal()}
	if res.Sandbox {
		srv, err := sandbox.Start(sandbox.Options{RatePerMinute: res.Rate.PerMinute, RatePerHour: res.Rate.PerHour, Clock: reg.Clock()})
		if err != nil {
			return nil, fmt.Errorf("starting the embedded inFlow emulator: %w", err)
		}
		cn.emulator = srv
		cfg = inflow.Config{BaseURL: srv.URL(), CompanyID: srv.CompanyID(), APIKey: srv.APIKey()}
		msg := fmt.Sprintf("%s: writing to the embedded inFlow emulator (the sample company, in memory, gone when etl exits) at %d requests a minute; set INFLOW_API_KEY and INFLOW_COMPANY_ID to write to your inFlow account", res.Why, res.Rate.PerMinute)
		env.Log().Warn(msg)
		cn.notes = append(cn.notes, msg)
	}
	cfg.RatePerMinute, cfg.RatePerHour = res.Rate.PerMinute, res.Rate.PerHour
	cfg.Registry = reg
	cfg.Logger = env.Log()
	cfg.Observer = cn.log
	client, err := inflow.New(cfg)
	if err != nil {
		cn.close()
		return nil, err
	}
	cn.client = client
	cn.account = inflow.DescribeAccount(res.Sandbox, cfg.BaseURL, cfg.CompanyID)
	return cn, nil
}

func (cn *conn) close() {
	if cn.emulator != nil {
		cn.emulator.Close()
		cn.emulator = nil
	}
}

// loggedRequest is one answered request, for the journal.
type loggedRequest struct {
	time     time.Time
	method   string
	path     string
	status   int
	duration time.Duration
}

// requestLog collects the client's answered requests (its apikit.Observer)
// until the sink hands them to the journal. Paths carry no query string and
// events no secret.
type requestLog struct {
	mu   sync.Mutex
	reqs []loggedRequest
}

var _ apikit.Observer = (*requestLog)(nil)

// ObserveRequest keeps every answered request (Status 0 is a send that got
// no answer: not a request the API logged).
func (l *requestLog) ObserveRequest(e apikit.RequestEvent) {
	if e.Status == 0 {
		return
	}
	l.add(loggedRequest{time: e.Time, method: e.Method, path: e.Path, status: e.Status, duration: e.Duration})
}

// ObserveRetry is not journaled.
func (l *requestLog) ObserveRetry(apikit.RetryEvent) {}

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
