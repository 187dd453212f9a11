package goflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/etl-dev/etl/internal/apikit"
)

// The environment of a Goflow account.
const (
	EnvSubdomain      = "GOFLOW_SUBDOMAIN"
	EnvToken          = "GOFLOW_API_TOKEN"
	EnvBetaContact    = "GOFLOW_BETA_CONTACT"
	EnvBaseURL        = "GOFLOW_BASE_URL"
	EnvRateMultiplier = "GOFLOW_RATE_MULTIPLIER"
)

// API is the connector's name in errors, limiter keys and reports.
const API = "goflow"

// Config is what a Client needs.
type Config struct {
	// BaseURL is the API root, https://{subdomain}.api.goflow.com/v1 by
	// default (plain http only to loopback).
	BaseURL string
	// Subdomain is the tenant's portal subdomain; it makes the default
	// BaseURL and names the account.
	Subdomain string
	// Token is the API token (Authorization: Bearer).
	Token apikit.Secret
	// BetaContact is sent as X-Beta-Contact on every request.
	BetaContact string
	// RateMultiplier scales every documented per-endpoint limit (1 when
	// 0), for accounts with raised limits and for emulators.
	RateMultiplier float64
	// Registry is the process's registry of limiters and the clock.
	Registry *apikit.Registry
	// Observer sees every request; Logger receives diagnostics.
	Observer apikit.Observer
	Logger   *slog.Logger
	// Retry bounds retries (the kit's defaults when zero).
	Retry apikit.RetryPolicy
}

// ConfigFromEnv reads the account from the environment. It does not
// check it (New does).
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	get := func(k string) string { return strings.TrimSpace(getenv(k)) }
	c := Config{BaseURL: get(EnvBaseURL), Subdomain: get(EnvSubdomain), Token: apikit.NewSecret(get(EnvToken)), BetaContact: get(EnvBetaContact)}
	if s := get(EnvRateMultiplier); s != "" {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f <= 0 || math.IsInf(f, 0) || math.IsNaN(f) {
			return c, fmt.Errorf("%s=%q is not a positive number (1 keeps the documented limits, 2 doubles them)", EnvRateMultiplier, s)
		}
		c.RateMultiplier = f
	}
	return c, nil
}

// Client talks to one Goflow account. Safe for concurrent use.
type Client struct {
	cfg Config
	kit *apikit.Client

	mu     sync.Mutex
	counts map[string]int // requests sent by endpoint group
}

// New checks cfg and returns a Client; it sends no request. A token needs
// a beta contact; a base URL needs https unless it is loopback.
func New(cfg Config) (*Client, error) {
	if cfg.Token.IsZero() {
		return nil, fmt.Errorf("goflow: no API token: set %s", EnvToken)
	}
	if strings.TrimSpace(cfg.BetaContact) == "" {
		return nil, fmt.Errorf("goflow: %s is not set: Goflow needs a contact email in the X-Beta-Contact header of every request (set it to the address Goflow may write to about API changes)", EnvBetaContact)
	}
	if cfg.BaseURL == "" {
		if cfg.Subdomain == "" {
			return nil, fmt.Errorf("goflow: set %s to your portal subdomain (companyname for companyname.goflow.com), or %s", EnvSubdomain, EnvBaseURL)
		}
		if strings.ContainsAny(cfg.Subdomain, "./:@ ") {
			return nil, fmt.Errorf("goflow: %s=%q is not a subdomain: give only companyname of companyname.goflow.com", EnvSubdomain, cfg.Subdomain)
		}
		cfg.BaseURL = "https://" + cfg.Subdomain + ".api.goflow.com/v1"
	}
	if cfg.RateMultiplier <= 0 {
		cfg.RateMultiplier = 1
	}
	c := &Client{cfg: cfg, counts: map[string]int{}}
	byGroup := map[string]*Endpoint{}
	for _, e := range Endpoints() {
		byGroup[e.Group()] = e
	}
	obs := apikit.ObserverFuncs{Request: func(e apikit.RequestEvent) {
		c.mu.Lock()
		c.counts[e.Method+" "+e.Route]++
		c.mu.Unlock()
	}}
	kit, err := apikit.NewClient(apikit.ClientConfig{
		API:      API,
		BaseURL:  cfg.BaseURL,
		Account:  cfg.Subdomain,
		Registry: cfg.Registry,
		Limits: func(group string) apikit.Limits {
			if e := byGroup[group]; e != nil {
				return c.Limits(e)
			}
			return apikit.Limits{}
		},
		Auth:     func(h http.Header) { h.Set("Authorization", "Bearer "+cfg.Token.Reveal()) },
		Secrets:  []apikit.Secret{cfg.Token},
		Header:   http.Header{"Accept": {"application/json"}, "X-Beta-Contact": {cfg.BetaContact}, "User-Agent": {"etl (goflow connector)"}},
		Classify: classify,
		ObserveHeaders: func(l *apikit.Limiter, h http.Header) {
			l.ObserveRemaining(h)
		},
		Retry:    cfg.Retry,
		Logger:   cfg.Logger,
		Observer: apikit.Observers(obs, cfg.Observer),
	})
	if err != nil {
		return nil, err
	}
	c.kit = kit
	return c, nil
}

// Limits are the limits of e in force: documented, times the multiplier.
func (c *Client) Limits(e *Endpoint) apikit.Limits {
	scale := func(n int) int {
		if n == 0 {
			return 0
		}
		return max(1, int(math.Floor(float64(n)*c.cfg.RateMultiplier)))
	}
	return apikit.Limits{PerMinute: scale(e.PerMinute), PerHour: scale(e.PerHour)}
}

// BaseURL is the API root in use.
func (c *Client) BaseURL() string { return c.kit.BaseURL() }

// Kit is the underlying kit client (its clock, stats, limiters).
func (c *Client) Kit() *apikit.Client { return c.kit }

// Requests returns how many requests were sent to each endpoint group
// ("GET /orders"), retries included.
func (c *Client) Requests() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.counts))
	for k, v := range c.counts {
		out[k] = v
	}
	return out
}

// classify maps Goflow's error answers: 429 waits for the larger of
// Retry-After and retry_after_seconds (rounded up) and pauses the
// endpoint's limiter; 409 ("you may try the same request again") and 503
// (maintenance) and other 5xx are worth another try, made only for
// idempotent requests; everything else fails at once.
func classify(r *apikit.Response) error {
	apiErr := r.APIError()
	switch {
	case r.Status == http.StatusTooManyRequests:
		wait, ok := apikit.RetryHint(r.Header, r.Body, r.Now, "retry_after_seconds")
		return apikit.TooManyRequests(apiErr, wait, ok)
	case r.Status == http.StatusConflict, r.Status == http.StatusServiceUnavailable:
		wait, ok := apikit.RetryHint(r.Header, nil, r.Now)
		return apikit.RetryLater(apiErr, wait, ok)
	case apikit.RetryableStatus(r.Status):
		return apikit.RetryLater(apiErr, 0, false)
	case r.Status == http.StatusUnauthorized:
		apiErr.Message = strings.TrimSpace(apiErr.Message + " (check " + EnvToken + ": the token is wrong or was revoked)")
	case r.Status == http.StatusForbidden:
		apiErr.Message = strings.TrimSpace(apiErr.Message + " (the token has no permission for this endpoint, or " + EnvBetaContact + " is missing)")
	}
	return apiErr
}

// call is one request to an endpoint.
type call struct {
	ep     *Endpoint
	path   string // the escaped path; ep.Route when empty
	url    string // an absolute URL (next links, file_url) instead of path
	query  url.Values
	body   any
	header http.Header
	// idempotent marks a write safe to repeat (an absolute adjustment).
	idempotent bool
}

// do sends a call and decodes a JSON answer into out (when not nil and
// the answer has a body). It returns the status.
func (c *Client) do(ctx context.Context, k call, out any) (int, error) {
	req := apikit.Request{Method: k.ep.Method, Path: k.path, Route: k.ep.Route, URL: k.url, Query: k.query, Header: k.header, Group: k.ep.Group()}
	if req.Path == "" && req.URL == "" {
		req.Path = k.ep.Route
	}
	if k.idempotent || k.ep.Method == http.MethodPatch || k.ep.Method == http.MethodPut || k.ep.Method == http.MethodDelete {
		req.Idempotent = true // partial updates and PUTs set values: a repeat changes nothing
	}
	if k.body != nil {
		data, err := json.Marshal(k.body)
		if err != nil {
			return 0, fmt.Errorf("goflow: %s %s: encoding the body: %w", k.ep.Method, k.ep.Route, err)
		}
		req.Body = data
		if req.Header == nil {
			req.Header = http.Header{}
		}
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.kit.Do(ctx, req)
	if err != nil {
		return apikit.StatusOf(err), err
	}
	if out != nil && len(strings.TrimSpace(string(resp.Body))) > 0 {
		if err := json.Unmarshal(resp.Body, out); err != nil {
			return resp.Status, fmt.Errorf("goflow: %s %s: decoding the answer: %w", k.ep.Method, k.ep.Route, err)
		}
	}
	return resp.Status, nil
}

// FieldErrors returns the field errors of a 422 answer in err's chain
// (Goflow's {"message", "errors": {field: [messages]}}), or nil. The
// docs print errors as an invalid array of pairs; an array is read
// leniently as a list of messages under "".
func FieldErrors(err error) map[string][]string {
	var ae *apikit.APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusUnprocessableEntity {
		return nil
	}
	var body struct {
		Errors json.RawMessage `json:"errors"`
	}
	if json.Unmarshal([]byte(ae.Body), &body) != nil || len(body.Errors) == 0 {
		return nil
	}
	var m map[string][]string
	if json.Unmarshal(body.Errors, &m) == nil {
		return m
	}
	var list []any
	if json.Unmarshal(body.Errors, &list) == nil {
		var msgs []string
		for _, x := range list {
			msgs = append(msgs, fmt.Sprint(x))
		}
		return map[string][]string{"": msgs}
	}
	return nil
}

// Status returns the HTTP status of an API error in err's chain, 0 when
// none came back (a transport failure).
func Status(err error) int { return apikit.StatusOf(err) }

// Send sends a write to ep at path (the escaped path below the base URL;
// ep.Route when empty) with a JSON body, and decodes a JSON answer into
// out. idempotent says the write may be repeated after a failure with no
// answer (PATCH and PUT always may). It returns the status of a 2xx.
func (c *Client) Send(ctx context.Context, ep *Endpoint, path string, body, out any, idempotent bool) (int, error) {
	return c.do(ctx, call{ep: ep, path: path, body: body, idempotent: idempotent}, out)
}
