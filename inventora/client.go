package inventora

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/etl-dev/etl/internal/apikit"
)

// Defaults and names of the connector.
const (
	// API is the connector's name in errors, logs and limiter keys.
	API = "inventora"
	// DefaultBaseURL is the API root of the current docs.
	DefaultBaseURL = "https://api.inventora.com/api"
	// DefaultRatePerMinute is the pace the client keeps: Inventora
	// publishes no limit, so the client is conservative.
	DefaultRatePerMinute = 60
	// KeyHeader carries the API key, on every request and nowhere else.
	KeyHeader = "X-Inventora-API-Key"
)

// Environment variables of the account.
const (
	EnvAPIKey        = "INVENTORA_API_KEY"
	EnvBaseURL       = "INVENTORA_BASE_URL"
	EnvRatePerMinute = "INVENTORA_RATE_PER_MINUTE"
)

// Env names the account's variables for apikit.Resolve.
var Env = apikit.EnvNames{Key: EnvAPIKey, BaseURL: EnvBaseURL, RatePerMinute: EnvRatePerMinute}

// Config configures a Client. Only APIKey is required.
type Config struct {
	// BaseURL is the API root, DefaultBaseURL when empty: https, or plain
	// http to a loopback address (an emulator).
	BaseURL string
	// APIKey is sent as the X-Inventora-API-Key header, never as the
	// documented query parameter (which puts the key into URLs and logs).
	APIKey apikit.Secret
	// RatePerMinute is the pace (DefaultRatePerMinute when <= 0).
	RatePerMinute int
	// Registry is the process's limiter registry (clock, shared limiters);
	// a private one when nil. Every Client of one account and registry
	// shares one limiter.
	Registry *apikit.Registry
	// Retry bounds retries (kit defaults when zero).
	Retry apikit.RetryPolicy
	// HTTPClient sends the requests; the kit's default when nil.
	HTTPClient *http.Client
	// Logger receives diagnostics (never the key); discarded when nil.
	Logger *slog.Logger
	// MaxReads bounds the full reads of a list that keeps changing
	// (DefaultReads when <= 0).
	MaxReads int
	// Observer sees every request and retry (a sink's request log).
	Observer apikit.Observer
}

// Client talks to one Inventora account. It is safe for concurrent use.
type Client struct {
	kit      *apikit.Client
	maxReads int
	rate     int
}

// New checks cfg and returns a Client. It refuses a missing key and plain
// http to anything but loopback. It sends no request.
func New(cfg Config) (*Client, error) {
	if cfg.APIKey.IsZero() {
		return nil, errors.New("inventora: missing API key (set " + EnvAPIKey + ")")
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	rate := cfg.RatePerMinute
	if rate <= 0 {
		rate = DefaultRatePerMinute
	}
	key := cfg.APIKey
	kc, err := apikit.NewClient(apikit.ClientConfig{
		API:           API,
		BaseURL:       cfg.BaseURL,
		Registry:      cfg.Registry,
		Limits:        func(string) apikit.Limits { return apikit.Limits{PerMinute: rate} },
		Auth:          func(h http.Header) { h.Set(KeyHeader, key.Reveal()) },
		Secrets:       []apikit.Secret{key},
		SecretHeaders: []string{KeyHeader},
		Header: http.Header{
			"Accept":       {"application/json"},
			"Content-Type": {"application/json"},
			"User-Agent":   {"etl-inventora/1 (+https://github.com/etl-dev/etl)"},
		},
		Retry:      cfg.Retry,
		HTTPClient: cfg.HTTPClient,
		Logger:     cfg.Logger,
		Observer:   cfg.Observer,
	})
	if err != nil {
		return nil, err
	}
	return &Client{kit: kc, maxReads: cfg.MaxReads, rate: rate}, nil
}

// BaseURL returns the API root in use.
func (c *Client) BaseURL() string { return c.kit.BaseURL() }

// RatePerMinute is the pace of the client's limiter.
func (c *Client) RatePerMinute() int { return c.kit.Limiter("").PerMinute() }

// Stats returns the client's request counters.
func (c *Client) Stats() apikit.Stats { return c.kit.Stats() }

// do sends one request with a JSON body (nil for none) and decodes a 2xx
// JSON answer into out (when not nil). Errors are *apikit.APIError for an
// answer that is not 2xx; their Message is Inventora's {"error": ...}.
func (c *Client) do(ctx context.Context, method, path, route string, query url.Values, body, out any, idempotent bool) error {
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			return fmt.Errorf("inventora: %s %s: encoding body: %w", method, path, err)
		}
	}
	resp, err := c.kit.Do(ctx, apikit.Request{Method: method, Path: path, Route: route, Query: query, Body: raw, Idempotent: idempotent})
	if err != nil {
		return err
	}
	if out != nil && len(bytes.TrimSpace(resp.Body)) > 0 {
		if err := json.Unmarshal(resp.Body, out); err != nil {
			return fmt.Errorf("inventora: %s %s: decoding the answer: %w", method, path, err)
		}
	}
	return nil
}

func (c *Client) get(ctx context.Context, path string, query url.Values, out any) error {
	return c.do(ctx, http.MethodGet, path, path, query, nil, out, true)
}

func resourceID(r *Resource) string { return r.ID }

// Resources lists every product (kind "products") or material
// ("materials"), each once; see the paging contract on ListResult.
func (c *Client) Resources(ctx context.Context, kind string) (*ListResult[Resource], error) {
	if err := checkKind(kind); err != nil {
		return nil, err
	}
	return list(ctx, c, "/"+kind, nil, resourceID, c.maxReads)
}

// Products lists every product.
func (c *Client) Products(ctx context.Context) (*ListResult[Resource], error) {
	return c.Resources(ctx, "products")
}

// Locations lists every location.
func (c *Client) Locations(ctx context.Context) (*ListResult[Location], error) {
	return list(ctx, c, "/locations", nil, func(l *Location) string { return l.ID }, c.maxReads)
}

// Tasks lists the tasks, those of one status when status is not empty.
func (c *Client) Tasks(ctx context.Context, status string) (*ListResult[Task], error) {
	var q url.Values
	if status != "" {
		q = url.Values{"status": {status}}
	}
	return list(ctx, c, "/tasks", q, func(t *Task) string { return t.ID }, c.maxReads)
}

// Resource reads one product or material.
func (c *Client) Resource(ctx context.Context, kind, id string) (*Resource, error) {
	if err := checkKind(kind); err != nil {
		return nil, err
	}
	var r Resource
	if err := c.get(ctx, "/"+kind+"/"+url.PathEscape(id), nil, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// Update PATCHes the fields p sets and returns the record as it is after
// the update. A PATCH sets absolute values, so it is retried after a lost
// answer.
func (c *Client) Update(ctx context.Context, kind, id string, p *Patch) (*Resource, error) {
	if err := checkKind(kind); err != nil {
		return nil, err
	}
	var r Resource
	if err := c.do(ctx, http.MethodPatch, "/"+kind+"/"+url.PathEscape(id), "/"+kind+"/{id}", nil, p, &r, true); err != nil {
		return nil, err
	}
	return &r, nil
}

// UpdateStock posts a stock-level update and returns the record after it.
// Only audit updates (absolute) are retried after a dropped connection or
// a 5xx; restock, loss and custom are not, since a retry of one that was
// applied would count it twice: such an error may mean "applied, answer
// lost", and the caller must reconcile (read the level) before sending it
// again.
func (c *Client) UpdateStock(ctx context.Context, kind, id string, u StockLevelUpdate) (*Resource, error) {
	if err := checkKind(kind); err != nil {
		return nil, err
	}
	var r Resource
	err := c.do(ctx, http.MethodPost, "/"+kind+"/"+url.PathEscape(id)+"/stock-level-updates", "/"+kind+"/{id}/stock-level-updates",
		nil, u, &r, u.UpdateType == UpdateAudit)
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// CreateTask creates a production task. It is not idempotent and is never
// retried after a send that may have arrived.
func (c *Client) CreateTask(ctx context.Context, t *NewTask) (*Task, error) {
	var out Task
	if err := c.do(ctx, http.MethodPost, "/tasks", "/tasks", nil, t, &out, false); err != nil {
		return nil, err
	}
	return &out, nil
}

func checkKind(kind string) error {
	if kind != "products" && kind != "materials" {
		return fmt.Errorf("inventora: %q is not products or materials", kind)
	}
	return nil
}

// StatusOf returns the HTTP status of an API error in err's chain, or 0.
func StatusOf(err error) int { return apikit.StatusOf(err) }

// MessageOf returns Inventora's message of an API error ({"error": ...}),
// or err's text.
func MessageOf(err error) string {
	var ae *apikit.APIError
	if errors.As(err, &ae) && ae.Message != "" {
		return ae.Message
	}
	return err.Error()
}

// Send sends one write (for API sinks: method, the escaped path below the
// API root, a JSON body) and decodes a 2xx answer into out. idempotent
// allows retries after 5xx and dropped connections.
func (c *Client) Send(ctx context.Context, method, path string, body, out any, idempotent bool) error {
	return c.do(ctx, method, path, "", nil, body, out, idempotent)
}
