package inflow

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/etl-dev/etl/internal/apikit"
)

// Client talks to one inFlow account. It is safe for concurrent use; share
// one Client (or its Limiter, or one apikit.Registry) between all goroutines
// using the account.
//
// The HTTP plumbing (limiter, retries, Retry-After, redirects, redaction,
// observer, stats) is the kit's (internal/apikit); Client adds inFlow's
// paths, headers and error mapping.
type Client struct {
	cfg       Config
	kc        *apikit.Client
	decodeErr atomic.Int64 // answers that did not decode, counted as Failed
}

// New checks cfg, fills its defaults and returns a Client. It refuses a
// missing key or company ID, and plain http:// to anything but a loopback
// address. It sends no request.
func New(cfg Config) (*Client, error) {
	cfg, u, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	key := apikit.NewSecret(cfg.APIKey)
	perMinute, perHour := cfg.RatePerMinute, cfg.RatePerHour
	retries := cfg.MaxRetries
	if retries == 0 { // withDefaults made "no retries" 0; the kit spells it negative
		retries = -1
	}
	kc, err := apikit.NewClient(apikit.ClientConfig{
		API:      "inflow",
		BaseURL:  strings.TrimRight(u.String(), "/") + "/" + url.PathEscape(cfg.CompanyID),
		Account:  cfg.CompanyID,
		Registry: cfg.Registry,
		Limiter:  cfg.Limiter,
		Limits:   func(string) apikit.Limits { return apikit.Limits{PerMinute: perMinute, PerHour: perHour} },
		Auth:     func(h http.Header) { h.Set("Authorization", "Bearer "+key.Reveal()) },
		Secrets:  []apikit.Secret{key},
		Header: http.Header{
			"Accept":       {"application/json;version=" + cfg.APIVersion},
			"Content-Type": {"application/json"},
			"User-Agent":   {cfg.UserAgent},
		},
		// inFlow's answers are the common shape (apikit.DefaultClassify): a
		// 429 means inFlow did not process the request and the account's
		// limit is hit (every request of the account pauses for Retry-After,
		// at least one interval); a 503 may say Retry-After; other 5xx (but
		// 501, 505) are worth another try for idempotent requests; the rest
		// is an *APIError.
		Classify:       apikit.DefaultClassify,
		ObserveHeaders: ObserveLimits,
		Retry: apikit.RetryPolicy{
			MaxRetries: retries, MinDelay: cfg.MinRetryDelay,
			MaxDelay: cfg.MaxRetryDelay, MaxRetryAfter: cfg.MaxRetryAfter,
		},
		HTTPClient: cfg.HTTPClient,
		Logger:     cfg.Logger,
		Observer:   cfg.Observer,
	})
	if err != nil {
		return nil, err
	}
	return &Client{cfg: cfg, kc: kc}, nil
}

// Config returns the effective configuration (defaults filled in). It
// prints with the key redacted.
func (c *Client) Config() Config { return c.cfg }

// CompanyID returns the account's company ID.
func (c *Client) CompanyID() string { return c.cfg.CompanyID }

// Limiter returns the limiter every request of c waits on.
func (c *Client) Limiter() *Limiter { return c.kc.Limiter("") }

// Stats returns a snapshot of c's counters.
func (c *Client) Stats() Stats {
	s := c.kc.Stats()
	s.Failed += int(c.decodeErr.Load())
	return s
}

// ResetStats zeroes c's counters.
func (c *Client) ResetStats() {
	c.kc.ResetStats()
	c.decodeErr.Store(0)
}

// Request is one API call for Client.Do.
type Request struct {
	// Method is the HTTP method: GET, PUT, POST or DELETE.
	Method string
	// Path is the escaped path below the company root, starting with "/",
	// e.g. "/products" or "/products/<id>/summary".
	Path string
	// Query holds the query parameters (filters, include, paging).
	Query url.Values
	// Body, when non-nil, is sent as JSON (a []byte or json.RawMessage is
	// sent as it is).
	Body any
	// Header holds extra headers, e.g. X-OverrideAllowNegativeInventory.
	Header http.Header
	// Idempotent allows retries on 5xx, timeouts and dropped connections.
	// GET and HEAD are always idempotent. 429s are retried for every
	// method, since inFlow did not process the request.
	Idempotent bool
}

// Do sends r (waiting on the limiter, retrying as its contract allows),
// decodes a 2xx JSON body into out when out is non-nil, and returns the
// response headers. A non-2xx answer is an *APIError; a transport failure
// after the last try wraps the underlying error; a canceled ctx returns
// ctx.Err() (wrapped).
func (c *Client) Do(ctx context.Context, r Request, out any) (http.Header, error) {
	if r.Method == "" {
		r.Method = http.MethodGet
	}
	if !strings.HasPrefix(r.Path, "/") {
		r.Path = "/" + r.Path
	}
	var body []byte
	switch b := r.Body.(type) {
	case nil:
	case []byte:
		body = b
	case json.RawMessage:
		body = b
	default:
		var err error
		if body, err = json.Marshal(b); err != nil {
			c.decodeErr.Add(1)
			return nil, fmt.Errorf("inflow: %s %s: encoding body: %w", r.Method, r.Path, err)
		}
	}
	resp, err := c.kc.Do(ctx, apikit.Request{
		Method: r.Method, Path: r.Path, Query: r.Query, Body: body, Header: r.Header, Idempotent: r.Idempotent,
	})
	if err != nil {
		return nil, err
	}
	if out != nil && len(bytes.TrimSpace(resp.Body)) > 0 {
		if err := json.Unmarshal(resp.Body, out); err != nil {
			c.decodeErr.Add(1)
			return resp.Header, fmt.Errorf("inflow: %s %s: decoding response: %w", r.Method, r.Path, err)
		}
	}
	return resp.Header, nil
}
